//! The public job-offer check: the red flags that state bodies and IOM
//! publish for offers of work abroad (SPEC §8), and the risk they add up to.
//!
//! Security role: the answers are the visitor's alone. Nothing here keeps
//! them; the web layer reads them from the request body, computes the result
//! and forgets them (no row, no log line, no URL).

/// One red flag of a job offer. The order is the questionnaire's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RedFlag {
    /// The passport or other documents are to be handed over to the employer
    /// or the intermediary.
    DocumentsHandedOver,
    /// The pay is far above what the same work pays on the market.
    PayFarAboveMarket,
    /// No written contract, or one in a language the person does not read.
    NoContract,
    /// Travel or placement is paid in advance by the recruiter, to be paid
    /// back from wages (a debt).
    TravelAsDebt,
    /// The recruiter is reachable only through a messenger.
    MessengerOnly,
    /// Pressure to decide and leave at once.
    PressureToDecide,
    /// No description of the work, or no skills or language asked for.
    NoJobDescription,
    /// No company name, address or registration details.
    NoCompanyDetails,
    /// The intermediary is not on the official list of licensed agencies
    /// (or the person could not find it there).
    UnlicensedIntermediary,
}

/// The risk the flags add up to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Risk {
    /// No flag ticked: the offer still deserves the checks on the page.
    Low,
    /// One or two flags: check before agreeing to anything.
    Medium,
    /// Three flags or more, or one of the flags that by themselves mark
    /// trafficking (documents taken, a debt for the journey): do not go
    /// before calling a hotline.
    High,
}

impl RedFlag {
    pub const ALL: [RedFlag; 9] = [
        RedFlag::DocumentsHandedOver,
        RedFlag::PayFarAboveMarket,
        RedFlag::NoContract,
        RedFlag::TravelAsDebt,
        RedFlag::MessengerOnly,
        RedFlag::PressureToDecide,
        RedFlag::NoJobDescription,
        RedFlag::NoCompanyDetails,
        RedFlag::UnlicensedIntermediary,
    ];

    /// The code a form sends (and the message ids are built from).
    pub fn as_str(self) -> &'static str {
        match self {
            RedFlag::DocumentsHandedOver => "documents",
            RedFlag::PayFarAboveMarket => "pay",
            RedFlag::NoContract => "contract",
            RedFlag::TravelAsDebt => "debt",
            RedFlag::MessengerOnly => "messenger",
            RedFlag::PressureToDecide => "pressure",
            RedFlag::NoJobDescription => "description",
            RedFlag::NoCompanyDetails => "company",
            RedFlag::UnlicensedIntermediary => "licence",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == code)
    }

    /// The flags that mark control over the person by themselves: a high
    /// risk even when nothing else is ticked.
    pub fn is_grave(self) -> bool {
        matches!(self, RedFlag::DocumentsHandedOver | RedFlag::TravelAsDebt)
    }
}

/// How many flags make a high risk on their own.
pub const HIGH_FROM: usize = 3;

/// The risk of an offer with `flags` ticked (duplicates count once).
pub fn assess(flags: &[RedFlag]) -> Risk {
    let mut distinct: Vec<RedFlag> = flags.to_vec();
    distinct.sort();
    distinct.dedup();
    if distinct.len() >= HIGH_FROM || distinct.iter().any(|f| f.is_grave()) {
        Risk::High
    } else if distinct.is_empty() {
        Risk::Low
    } else {
        Risk::Medium
    }
}

impl Risk {
    pub fn as_str(self) -> &'static str {
        match self {
            Risk::Low => "low",
            Risk::Medium => "medium",
            Risk::High => "high",
        }
    }
}

/// Reads the ticked flags from form pairs (`flag=<code>`, any order);
/// anything else is ignored, and so is a code we do not know. At most one
/// of each flag, so a crafted body of a million pairs gives nine at most.
pub fn flags_of<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<RedFlag> {
    let mut out = Vec::new();
    for (k, v) in pairs {
        if k == "flag"
            && let Some(f) = RedFlag::parse(v)
            && !out.contains(&f)
        {
            out.push(f);
            if out.len() == RedFlag::ALL.len() {
                break;
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for f in RedFlag::ALL {
            assert_eq!(RedFlag::parse(f.as_str()), Some(f));
        }
        assert_eq!(RedFlag::parse("passport"), None);
    }

    #[test]
    fn risk_levels() {
        use RedFlag::*;
        assert_eq!(assess(&[]), Risk::Low);
        assert_eq!(assess(&[PayFarAboveMarket]), Risk::Medium);
        assert_eq!(assess(&[PayFarAboveMarket, MessengerOnly]), Risk::Medium);
        assert_eq!(
            assess(&[PayFarAboveMarket, MessengerOnly, NoContract]),
            Risk::High
        );
        // A grave flag alone.
        assert_eq!(assess(&[DocumentsHandedOver]), Risk::High);
        assert_eq!(assess(&[TravelAsDebt]), Risk::High);
        // The same flag twice is one flag.
        assert_eq!(
            assess(&[MessengerOnly, MessengerOnly, MessengerOnly]),
            Risk::Medium
        );
    }

    #[test]
    fn reads_flags_from_pairs_and_ignores_the_rest() {
        let pairs = [
            ("flag", "pay"),
            ("flag", "pay"),
            ("flag", "nonsense"),
            ("name", "Іван"),
            ("flag", "documents"),
        ];
        assert_eq!(
            flags_of(pairs),
            vec![RedFlag::DocumentsHandedOver, RedFlag::PayFarAboveMarket]
        );
        let flood = std::iter::repeat_n(("flag", "pay"), 100_000);
        assert_eq!(flags_of(flood), vec![RedFlag::PayFarAboveMarket]);
    }
}
