//! The seal over the audit trail (SPEC §9: "the audit log tamper-evident and
//! verifiable").
//!
//! Audit rows are sealed in the order they are taken into the chain: entry
//! `seq` carries `hash(seq) = SHA-256(tag, hash(seq - 1), seq, the row)`, the
//! first entry chaining to [`GENESIS`]. Changing a sealed row, removing one or
//! an entry, or reordering entries breaks every hash from that point on;
//! rewriting the whole chain after a change is caught by an **anchor** — a
//! `(seq, hash)` pair written down outside the database earlier — which no
//! longer matches. See ADR 0009.
//!
//! Every field is framed with its length (and absent values apart from empty
//! ones), so no two different rows encode to the same bytes.

use sha2::{Digest, Sha256};
use std::fmt;
use std::str::FromStr;

/// The hash the first entry chains to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Names the encoding; a new encoding gets a new tag, so old seals stay verifiable.
const TAG: &[u8] = b"oberih-audit-seal-v1";

/// One audit row as sealed: every column of `audit_log`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedRow<'a> {
    pub audit_id: i64,
    pub at: i64,
    pub actor_user_id: Option<i64>,
    pub actor_org_id: Option<i64>,
    pub action: &'a str,
    pub subject_kind: Option<&'a str>,
    pub subject_id: Option<&'a str>,
    pub ip: Option<&'a str>,
    pub request_id: Option<&'a str>,
    pub details: &'a str,
}

struct Framer(Sha256);

impl Framer {
    fn bytes(&mut self, b: &[u8]) {
        self.0.update([1u8]);
        self.0.update((b.len() as u64).to_be_bytes());
        self.0.update(b);
    }
    fn text(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.bytes(s.as_bytes()),
            None => self.0.update([0u8]),
        }
    }
    fn int(&mut self, v: Option<i64>) {
        match v {
            Some(v) => self.bytes(&v.to_be_bytes()),
            None => self.0.update([0u8]),
        }
    }
}

/// The hash of entry `seq` sealing `row` after the entry whose hash is `prev` (lowercase hex).
pub fn seal(prev: &str, seq: i64, row: &SealedRow<'_>) -> String {
    let mut f = Framer(Sha256::new());
    f.bytes(TAG);
    f.text(Some(prev));
    f.int(Some(seq));
    f.int(Some(row.audit_id));
    f.int(Some(row.at));
    f.int(row.actor_user_id);
    f.int(row.actor_org_id);
    f.text(Some(row.action));
    f.text(row.subject_kind);
    f.text(row.subject_id);
    f.text(row.ip);
    f.text(row.request_id);
    f.text(Some(row.details));
    hex::encode(f.0.finalize())
}

/// A point of the chain written down outside the database: `seq:hash`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub seq: i64,
    pub hash: String,
}

impl fmt::Display for Anchor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.seq, self.hash)
    }
}

/// Why a text is not an anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnchorError {
    /// Not `number:hash`.
    Shape,
    /// The number is not a positive entry number.
    Seq,
    /// The hash is not 64 hexadecimal digits.
    Hash,
}

impl fmt::Display for AnchorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Shape => "an anchor is the entry number and its hash: 1234:5f3a…",
            Self::Seq => "the entry number must be a whole number from 1",
            Self::Hash => "the hash must be 64 hexadecimal digits",
        })
    }
}

impl FromStr for Anchor {
    type Err = AnchorError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (seq, hash) = s.trim().split_once(':').ok_or(AnchorError::Shape)?;
        let seq: i64 = seq.trim().parse().map_err(|_| AnchorError::Seq)?;
        if seq < 1 {
            return Err(AnchorError::Seq);
        }
        let hash = hash.trim().to_ascii_lowercase();
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(AnchorError::Hash);
        }
        Ok(Self { seq, hash })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> SealedRow<'static> {
        SealedRow {
            audit_id: 17,
            at: 1_795_000_000,
            actor_user_id: Some(3),
            actor_org_id: Some(5),
            action: "case_viewed",
            subject_kind: Some("case"),
            subject_id: Some("UA53-2026-00017"),
            ip: Some("10.0.0.7"),
            request_id: Some("r-1"),
            details: "{}",
        }
    }

    #[test]
    fn the_seal_is_sha256_hex_and_depends_only_on_its_inputs() {
        let a = seal(GENESIS, 1, &row());
        assert_eq!(a.len(), 64);
        assert!(
            a.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        assert_eq!(a, seal(GENESIS, 1, &row()));
    }

    #[test]
    fn every_column_the_position_and_the_previous_hash_change_the_seal() {
        let base = seal(GENESIS, 1, &row());
        let mut changed = Vec::new();
        changed.push(seal(&"1".repeat(64), 1, &row()));
        changed.push(seal(GENESIS, 2, &row()));
        let variants: Vec<SealedRow<'static>> = vec![
            SealedRow {
                audit_id: 18,
                ..row()
            },
            SealedRow {
                at: 1_795_000_001,
                ..row()
            },
            SealedRow {
                actor_user_id: Some(4),
                ..row()
            },
            SealedRow {
                actor_user_id: None,
                ..row()
            },
            SealedRow {
                actor_org_id: None,
                ..row()
            },
            SealedRow {
                action: "case_updated",
                ..row()
            },
            SealedRow {
                subject_kind: None,
                ..row()
            },
            SealedRow {
                subject_id: Some("UA53-2026-00018"),
                ..row()
            },
            SealedRow { ip: None, ..row() },
            SealedRow {
                request_id: Some("r-2"),
                ..row()
            },
            SealedRow {
                details: "{\"a\":1}",
                ..row()
            },
        ];
        for v in &variants {
            changed.push(seal(GENESIS, 1, v));
        }
        for (i, c) in changed.iter().enumerate() {
            assert_ne!(c, &base, "variant {i} sealed like the original");
        }
    }

    #[test]
    fn an_absent_value_differs_from_an_empty_one_and_fields_cannot_shift() {
        let absent = seal(GENESIS, 1, &SealedRow { ip: None, ..row() });
        let empty = seal(
            GENESIS,
            1,
            &SealedRow {
                ip: Some(""),
                ..row()
            },
        );
        assert_ne!(absent, empty);
        // Moving text from one field to the next keeps the concatenation but not the seal.
        let a = seal(
            GENESIS,
            1,
            &SealedRow {
                subject_kind: Some("ca"),
                subject_id: Some("seX"),
                ..row()
            },
        );
        let b = seal(
            GENESIS,
            1,
            &SealedRow {
                subject_kind: Some("case"),
                subject_id: Some("X"),
                ..row()
            },
        );
        assert_ne!(a, b);
    }

    #[test]
    fn anchors_read_back_what_they_print_and_refuse_the_rest() {
        let h = seal(GENESIS, 1, &row());
        let a: Anchor = format!(" 12:{} ", h.to_uppercase()).parse().unwrap();
        assert_eq!(
            a,
            Anchor {
                seq: 12,
                hash: h.clone()
            }
        );
        assert_eq!(a.to_string().parse::<Anchor>().unwrap(), a);
        assert_eq!("12".parse::<Anchor>(), Err(AnchorError::Shape));
        assert_eq!(format!("0:{h}").parse::<Anchor>(), Err(AnchorError::Seq));
        assert_eq!(format!("x:{h}").parse::<Anchor>(), Err(AnchorError::Seq));
        assert_eq!("12:abc".parse::<Anchor>(), Err(AnchorError::Hash));
        assert_eq!(
            format!("12:{}", "g".repeat(64)).parse::<Anchor>(),
            Err(AnchorError::Hash)
        );
    }
}
