//! Sealing the audit trail into a hash chain, and verifying it (SPEC §9,
//! `domain::audit_chain`, ADR 0009).
//!
//! Audit rows are written in the transaction of the change they record, as
//! before; sealing them is a separate, short transaction that runs in the
//! background (`web` every [`SEAL_EVERY_SECONDS`]) and before every
//! verification. Sealing apart from the write keeps every audited transaction
//! free of a lock on the end of the chain.
//!
//! Security role: [`verify`] is what makes the trail tamper-evident. It finds a
//! sealed row that was changed or removed, an entry that was removed, changed or
//! reordered, an end of the chain that does not match its last entry, a row
//! that appeared behind the end of the chain, and — given anchors written down
//! earlier — a chain rewritten from some point on.

use crate::Ctx;
use crate::Db;
use crate::access::{allowed, deny_page};
use crate::audit::trail as audit;
use crate::error::OrInternal;
use domain::DomainResult;
use domain::audit::AuditAction;
use domain::audit_chain::{Anchor, GENESIS, SealedRow, seal};
use domain::policy::Actor;
use serde_json::json;
use sqlx::FromRow;
use std::collections::BTreeMap;

/// Rows sealed per transaction.
pub const BATCH: i64 = 500;
/// How far below the last sealed row the sealer looks for rows that committed
/// late (an id taken by a transaction that committed after later ones).
pub const LOOKBACK_IDS: i64 = 2_000;
/// A row is sealed once it is this many seconds old, so that transactions
/// still open with smaller ids have committed.
pub const SETTLE_SECONDS: i64 = 5;
/// How often the server seals.
pub const SEAL_EVERY_SECONDS: u64 = 10;
/// An unsealed row behind the end of the chain older than this is a problem,
/// not a late commit.
pub const LATE_SECONDS: i64 = 300;
/// Problems listed in a report (all are counted).
pub const MAX_LISTED: usize = 100;

/// An audit row with every column the seal covers.
#[derive(Debug, FromRow)]
pub struct Row {
    pub id: i64,
    at: i64,
    actor_user_id: Option<i64>,
    actor_org_id: Option<i64>,
    action: String,
    subject_kind: Option<String>,
    subject_id: Option<String>,
    ip: Option<String>,
    request_id: Option<String>,
    details: String,
}

impl Row {
    fn sealed(&self) -> SealedRow<'_> {
        SealedRow {
            audit_id: self.id,
            at: self.at,
            actor_user_id: self.actor_user_id,
            actor_org_id: self.actor_org_id,
            action: &self.action,
            subject_kind: self.subject_kind.as_deref(),
            subject_id: self.subject_id.as_deref(),
            ip: self.ip.as_deref(),
            request_id: self.request_id.as_deref(),
            details: &self.details,
        }
    }
}

pub const ROW_COLUMNS: &str = "a.id, a.at, a.actor_user_id, a.actor_org_id, a.action, a.subject_kind, a.subject_id, a.ip, a.request_id, a.details";

/// The end of the chain: the last entry's number and hash (an anchor to write down).
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
    pub last_audit_id: i64,
    pub sealed_at: Option<i64>,
}

impl Head {
    /// The anchor for this end of the chain; none before the first seal.
    pub fn anchor(&self) -> Option<Anchor> {
        (self.seq > 0).then(|| Anchor {
            seq: self.seq,
            hash: self.hash.clone(),
        })
    }
}

pub async fn head(db: &Db) -> DomainResult<Head> {
    sqlx::query_as::<_, Head>("SELECT seq, hash, last_audit_id, sealed_at FROM audit_chain_head WHERE id = 1")
        .fetch_one(db.pool())
        .await
        .or_internal()
}

/// Seals, in id order, every audit row at least `settle` seconds old (by its
/// time) that is not sealed yet. Returns how many were sealed.
pub async fn seal_pending(db: &Db, now: i64, settle: i64) -> DomainResult<u64> {
    let mut total = 0;
    loop {
        let n = seal_batch(db, now, settle).await?;
        total += n;
        if n < BATCH as u64 {
            return Ok(total);
        }
    }
}

async fn seal_batch(db: &Db, now: i64, settle: i64) -> DomainResult<u64> {
    let mut tx = db.begin().await.or_internal()?;
    // Take the end of the chain first: another sealer waits here until this one commits.
    sqlx::query("UPDATE audit_chain_head SET seq = seq WHERE id = 1")
        .execute(&mut *tx)
        .await
        .or_internal()?;
    let mut head: Head =
        sqlx::query_as("SELECT seq, hash, last_audit_id, sealed_at FROM audit_chain_head WHERE id = 1")
            .fetch_one(&mut *tx)
            .await
            .or_internal()?;
    // Rows that committed late: unsealed, a little below the highest sealed id.
    // (The range on both sides keeps PostgreSQL from hashing the whole chain.)
    let last = head.last_audit_id;
    let mut rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {ROW_COLUMNS} FROM audit_log a \
         WHERE a.id > $1 AND a.id <= $2 AND a.at <= $3 AND NOT EXISTS \
         (SELECT 1 FROM audit_chain c WHERE c.audit_id = a.id AND c.audit_id > $1 AND c.audit_id <= $2) \
         ORDER BY a.id LIMIT $4"
    ))
    .bind(last - LOOKBACK_IDS)
    .bind(last)
    .bind(now - settle)
    .bind(BATCH)
    .fetch_all(&mut *tx)
    .await
    .or_internal()?;
    // Then the rows above it, none of which is sealed.
    if (rows.len() as i64) < BATCH {
        let new: Vec<Row> = sqlx::query_as(&format!(
            "SELECT {ROW_COLUMNS} FROM audit_log a WHERE a.id > $1 AND a.at <= $2 ORDER BY a.id LIMIT $3"
        ))
        .bind(last)
        .bind(now - settle)
        .bind(BATCH - rows.len() as i64)
        .fetch_all(&mut *tx)
        .await
        .or_internal()?;
        rows.extend(new);
    }
    if rows.is_empty() {
        tx.rollback().await.or_internal()?;
        return Ok(0);
    }
    let mut entries = Vec::with_capacity(rows.len());
    for r in &rows {
        head.seq += 1;
        head.hash = seal(&head.hash, head.seq, &r.sealed());
        head.last_audit_id = head.last_audit_id.max(r.id);
        entries.push((head.seq, r.id, head.hash.clone()));
    }
    let sql = format!(
        "INSERT INTO audit_chain (seq, audit_id, hash, sealed_at) VALUES {}",
        crate::placeholders(entries.len(), 4)
    );
    let mut q = sqlx::query(&sql);
    for (seq, audit_id, hash) in entries {
        q = q.bind(seq).bind(audit_id).bind(hash).bind(now);
    }
    q.execute(&mut *tx).await.or_internal()?;
    sqlx::query(
        "UPDATE audit_chain_head SET seq = $1, hash = $2, last_audit_id = $3, sealed_at = $4 WHERE id = 1",
    )
    .bind(head.seq)
    .bind(&head.hash)
    .bind(head.last_audit_id)
    .bind(now)
    .execute(&mut *tx)
    .await
    .or_internal()?;
    tx.commit().await.or_internal()?;
    Ok(rows.len() as u64)
}

/// What verification found wrong, each at an entry of the chain or an audit row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Entry `seq` seals audit row `audit_id`, which is gone.
    RowMissing { seq: i64, audit_id: i64 },
    /// Entry `seq` does not match its row and the entry before: the row or the entry was changed.
    Changed { seq: i64, audit_id: i64 },
    /// Entries `from..=to` are gone from the chain.
    EntriesMissing { from: i64, to: i64 },
    /// The end of the chain does not name the last entry.
    HeadMismatch { head_seq: i64, last_seq: i64 },
    /// Audit row `audit_id` sits behind the end of the chain, older than a late commit can be, and is not sealed.
    Unsealed { audit_id: i64 },
    /// The entry an anchor names now has another hash.
    AnchorMismatch { anchor: Anchor },
    /// An anchor names an entry past the end of the chain: entries were removed from the end.
    AnchorBeyondEnd { anchor: Anchor },
}

impl Problem {
    /// The message key (`audit-chain-problem-*`) and its arguments.
    pub fn key(&self) -> &'static str {
        match self {
            Self::RowMissing { .. } => "audit-chain-problem-row-missing",
            Self::Changed { .. } => "audit-chain-problem-changed",
            Self::EntriesMissing { .. } => "audit-chain-problem-entries-missing",
            Self::HeadMismatch { .. } => "audit-chain-problem-head",
            Self::Unsealed { .. } => "audit-chain-problem-unsealed",
            Self::AnchorMismatch { .. } => "audit-chain-problem-anchor",
            Self::AnchorBeyondEnd { .. } => "audit-chain-problem-anchor-beyond",
        }
    }

    /// The numbers the message names, by argument name.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            Self::RowMissing { seq, audit_id } | Self::Changed { seq, audit_id } => {
                vec![("seq", seq.to_string()), ("row", audit_id.to_string())]
            }
            Self::EntriesMissing { from, to } => vec![("from", from.to_string()), ("to", to.to_string())],
            Self::HeadMismatch { head_seq, last_seq } => {
                vec![("head", head_seq.to_string()), ("last", last_seq.to_string())]
            }
            Self::Unsealed { audit_id } => vec![("row", audit_id.to_string())],
            Self::AnchorMismatch { anchor } | Self::AnchorBeyondEnd { anchor } => {
                vec![("seq", anchor.seq.to_string()), ("hash", anchor.hash.clone())]
            }
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::RowMissing { seq, audit_id } => write!(f, "entry {seq}: audit row {audit_id} is gone"),
            Self::Changed { seq, audit_id } => write!(
                f,
                "entry {seq}: audit row {audit_id} or the entry was changed after sealing"
            ),
            Self::EntriesMissing { from, to } => write!(f, "entries {from}–{to} are gone from the chain"),
            Self::HeadMismatch { head_seq, last_seq } => write!(
                f,
                "the end of the chain names entry {head_seq}, the last entry is {last_seq}"
            ),
            Self::Unsealed { audit_id } => write!(
                f,
                "audit row {audit_id} is behind the end of the chain and not sealed"
            ),
            Self::AnchorMismatch { anchor } => {
                write!(f, "anchor {anchor}: entry {} has another hash now", anchor.seq)
            }
            Self::AnchorBeyondEnd { anchor } => {
                write!(
                    f,
                    "anchor {anchor}: the chain no longer reaches entry {}",
                    anchor.seq
                )
            }
        }
    }
}

/// The outcome of [`verify`].
#[derive(Debug, Clone)]
pub struct Verification {
    /// Entries walked.
    pub entries: i64,
    /// The end of the chain after sealing.
    pub head: Head,
    /// Rows sealed just before verifying.
    pub sealed_now: u64,
    /// Rows too recent to seal yet (written in the last few seconds).
    pub waiting: i64,
    /// The first [`MAX_LISTED`] problems.
    pub problems: Vec<Problem>,
    /// Every problem found.
    pub problems_total: u64,
    pub anchors_checked: usize,
}

impl Verification {
    pub fn intact(&self) -> bool {
        self.problems_total == 0
    }
}

struct Findings {
    listed: Vec<Problem>,
    total: u64,
}

impl Findings {
    fn add(&mut self, p: Problem) {
        self.total += 1;
        if self.listed.len() < MAX_LISTED {
            self.listed.push(p);
        }
    }
}

#[derive(Debug, FromRow)]
struct Entry {
    seq: i64,
    audit_id: i64,
    hash: String,
    id: Option<i64>,
    at: Option<i64>,
    actor_user_id: Option<i64>,
    actor_org_id: Option<i64>,
    action: Option<String>,
    subject_kind: Option<String>,
    subject_id: Option<String>,
    ip: Option<String>,
    request_id: Option<String>,
    details: Option<String>,
}

/// Seals what is due, then walks the whole chain: every entry against its row
/// and the entry before, the end of the chain, the rows behind it, and the
/// given anchors. Writes nothing but the seals; the caller records the verification.
pub async fn verify(db: &Db, now: i64, anchors: &[Anchor]) -> DomainResult<Verification> {
    let sealed_now = seal_pending(db, now, SETTLE_SECONDS).await?;
    let head = head(db).await?;
    let mut found = Findings {
        listed: Vec::new(),
        total: 0,
    };
    let mut wanted: BTreeMap<i64, Vec<&Anchor>> = BTreeMap::new();
    for a in anchors {
        wanted.entry(a.seq).or_default().push(a);
    }
    let (mut prev_seq, mut prev_hash, mut entries) = (0i64, GENESIS.to_string(), 0i64);
    loop {
        let page: Vec<Entry> = sqlx::query_as(
            "SELECT c.seq, c.audit_id, c.hash, a.id, a.at, a.actor_user_id, a.actor_org_id, a.action, \
             a.subject_kind, a.subject_id, a.ip, a.request_id, a.details \
             FROM audit_chain c LEFT JOIN audit_log a ON a.id = c.audit_id \
             WHERE c.seq > $1 ORDER BY c.seq LIMIT $2",
        )
        .bind(prev_seq)
        .bind(2_000i64)
        .fetch_all(db.pool())
        .await
        .or_internal()?;
        if page.is_empty() {
            break;
        }
        for e in &page {
            entries += 1;
            if e.seq != prev_seq + 1 {
                found.add(Problem::EntriesMissing {
                    from: prev_seq + 1,
                    to: e.seq - 1,
                });
            }
            match (e.id, e.at, e.action.as_deref(), e.details.as_deref()) {
                (Some(id), Some(at), Some(action), Some(details)) => {
                    let row = SealedRow {
                        audit_id: id,
                        at,
                        actor_user_id: e.actor_user_id,
                        actor_org_id: e.actor_org_id,
                        action,
                        subject_kind: e.subject_kind.as_deref(),
                        subject_id: e.subject_id.as_deref(),
                        ip: e.ip.as_deref(),
                        request_id: e.request_id.as_deref(),
                        details,
                    };
                    if seal(&prev_hash, e.seq, &row) != e.hash {
                        found.add(Problem::Changed {
                            seq: e.seq,
                            audit_id: e.audit_id,
                        });
                    }
                }
                _ => found.add(Problem::RowMissing {
                    seq: e.seq,
                    audit_id: e.audit_id,
                }),
            }
            if let Some(list) = wanted.remove(&e.seq) {
                for a in list {
                    if a.hash != e.hash {
                        found.add(Problem::AnchorMismatch { anchor: a.clone() });
                    }
                }
            }
            // Go on from the stored hash, so one change is reported once.
            prev_seq = e.seq;
            prev_hash = e.hash.clone();
        }
    }
    if head.seq != prev_seq || (prev_seq > 0 && head.hash != prev_hash) {
        found.add(Problem::HeadMismatch {
            head_seq: head.seq,
            last_seq: prev_seq,
        });
    }
    for a in wanted.into_values().flatten() {
        found.add(Problem::AnchorBeyondEnd { anchor: a.clone() });
    }
    let unsealed: Vec<(i64,)> = sqlx::query_as(
        "SELECT a.id FROM audit_log a WHERE a.id <= $1 AND a.at < $2 \
         AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.audit_id = a.id) ORDER BY a.id LIMIT $3",
    )
    .bind(head.last_audit_id)
    .bind(now - LATE_SECONDS)
    .bind(MAX_LISTED as i64 + 1)
    .fetch_all(db.pool())
    .await
    .or_internal()?;
    for (id,) in unsealed {
        found.add(Problem::Unsealed { audit_id: id });
    }
    let (waiting,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_log a WHERE a.id > $1 AND a.at >= $2 \
         AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.audit_id = a.id AND c.audit_id > $1)",
    )
    .bind(head.last_audit_id - LOOKBACK_IDS)
    .bind(now - LATE_SECONDS)
    .fetch_one(db.pool())
    .await
    .or_internal()?;
    Ok(Verification {
        entries,
        head,
        sealed_now,
        waiting,
        problems: found.listed,
        problems_total: found.total,
        anchors_checked: anchors.len(),
    })
}

/// The auditor's verification: permission, [`verify`], and its audit row.
pub async fn verify_as(db: &Db, ctx: &Ctx, anchors: &[Anchor]) -> DomainResult<Verification> {
    if !allowed(ctx, Actor::may_read_audit_log) {
        return Err(deny_page(db, ctx, "audit_chain").await);
    }
    let v = verify(db, ctx.now, anchors).await?;
    audit::record_view(
        db,
        ctx,
        AuditAction::AuditChainVerified,
        None,
        json!({
            "entries": v.entries,
            "head_seq": v.head.seq,
            "anchors": v.anchors_checked,
            "problems": v.problems_total,
        }),
    )
    .await?;
    Ok(v)
}

/// The end of the chain, for the auditor.
pub async fn head_as(db: &Db, ctx: &Ctx) -> DomainResult<Head> {
    if !allowed(ctx, Actor::may_read_audit_log) {
        return Err(deny_page(db, ctx, "audit_chain").await);
    }
    head(db).await
}

/// The last verification by anyone: when (unix seconds) and how many problems
/// it found, from its audit row; `None` if the chain was never verified.
pub async fn last_verification(db: &Db) -> DomainResult<Option<(i64, i64)>> {
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT at, details FROM audit_log WHERE action = $1 ORDER BY id DESC LIMIT 1")
            .bind(AuditAction::AuditChainVerified.as_str())
            .fetch_optional(db.pool())
            .await
            .or_internal()?;
    Ok(row.map(|(at, details)| {
        let problems = serde_json::from_str::<serde_json::Value>(&details)
            .ok()
            .and_then(|v| v["problems"].as_i64())
            .unwrap_or(0);
        (at, problems)
    }))
}
