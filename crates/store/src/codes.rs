//! Enumerated values as they are stored: decoded at the row boundary.
//!
//! Every state, kind, role, step and action column holds the code
//! (`as_str`) of a domain enum, and the database refuses any other value: the
//! CHECK constraints of migration 0005, whose lists [`enumerated_columns`]
//! gives (a test compares them with the migrated schema of both backends).
//!
//! A row field of such a column is declared as the enum itself,
//! `#[sqlx(try_from = "Code<CaseState>")]` (`OptCode<…>` for a nullable column,
//! giving an `Option`; `CodeList<…>` for a comma-separated list). A stored
//! value that is no code of the enum fails the decoding of the row;
//! [`crate::error::internal`] logs it and answers
//! `DomainError::Internal` naming the column — a corrupt state is an error
//! page, never a default such as `open` or an editable `draft`. Values read
//! outside a row struct go through [`decode`].
//!
//! Security role: the error names the column and, when the stored value looks
//! like a code (a short run of `a-z`, `0-9`, `_`), the value; anything else is
//! described by its length only, so a value that is not a code (which might
//! hold anything) never reaches the log.

use domain::assistance::{NeedUrgency, ServiceState};
use domain::audit::{AuditAction, SubjectKind};
use domain::payment::{Applicant, PaymentCategory, PaymentState, RegisterEntryKind};
use domain::case::{
    CameToAttention, CaseEventKind, CaseState, PlaceKind, ReferralPurpose, ReferralState, Sex, SharedField,
};
use domain::deadline::{DayKind, Step, Urgency};
use domain::organisation::{BodyKind, OrgKind};
use domain::procedure::{AppealOutcome, Decision, NoInterviewReason, ProcAction, ProcState};
use domain::reporting::{PeriodState, ReminderKind, ReportAction, ReportState};
use domain::role::Role;
use domain::territory::TerritoryLevel;
use domain::{DomainError, DomainResult};
use documents::cases::TemplateKind;
use sqlx::any::{Any, AnyTypeInfo, AnyValueRef};
use sqlx::decode::Decode;
use sqlx::error::BoxDynError;
use sqlx::types::Type;
use std::fmt;

/// A domain enum kept as its code.
pub trait Stored: Sized + Copy + 'static {
    /// The enum's name, for messages.
    const NAME: &'static str;
    /// Where its codes are kept (`cases.state`), for messages.
    const COLUMN: &'static str;
    /// Every value.
    fn all() -> &'static [Self];
    /// The stored code.
    fn code(self) -> &'static str;
}

/// The value whose code is exactly `s` (no trimming, no case folding).
pub fn from_code<T: Stored>(s: &str) -> Option<T> {
    T::all().iter().copied().find(|v| v.code() == s)
}

/// Every code of `T`, in the enum's order.
pub fn codes<T: Stored>() -> Vec<&'static str> {
    T::all().iter().map(|v| v.code()).collect()
}

/// A stored value that is no code of the enum its column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode {
    /// Where the value was read (`cases.state`).
    pub column: &'static str,
    /// The enum the column holds.
    pub expected: &'static str,
    /// The value if it looks like a code, else its length (see the module's security note).
    pub value: String,
}

impl UnknownCode {
    pub fn new<T: Stored>(stored: &str) -> Self {
        Self {
            column: T::COLUMN,
            expected: T::NAME,
            value: safe_description(stored),
        }
    }
}

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown stored code in {}: {} is no {}",
            self.column, self.value, self.expected
        )
    }
}

impl std::error::Error for UnknownCode {}

/// `'bogus'` for something shaped like a code, `a value of 17 bytes` for anything else.
pub fn safe_description(stored: &str) -> String {
    let code_like = !stored.is_empty()
        && stored.len() <= 40
        && stored
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if code_like {
        format!("'{stored}'")
    } else {
        format!("a value of {} bytes", stored.len())
    }
}

/// Decodes a code read outside a row struct (a tuple, a scalar): an unknown
/// one is logged and becomes `DomainError::Internal`.
pub fn decode<T: Stored>(stored: &str) -> DomainResult<T> {
    from_code(stored).ok_or_else(|| unknown(UnknownCode::new::<T>(stored)))
}

/// Logs an unknown code (inside the request's span, so with its request id)
/// and makes the error the web layer shows as its 500 page.
pub fn unknown(u: UnknownCode) -> DomainError {
    tracing::error!(column = u.column, expected = u.expected, value = %u.value, "unknown stored code");
    DomainError::Internal(u.to_string())
}

fn parse<T: Stored>(stored: &str) -> Result<T, UnknownCode> {
    from_code(stored).ok_or_else(|| UnknownCode::new::<T>(stored))
}

/// A TEXT column decoded into the enum `T` (`#[sqlx(try_from = "Code<CaseState>")]`
/// on a `CaseState` field). The code is checked while the column is decoded,
/// so a bad one fails with [`UnknownCode`] as the source of sqlx's
/// `ColumnDecode` error (sqlx's own `try_from` step would keep no error but
/// "unprintable error").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code<T>(pub T);

/// A nullable TEXT column decoded into `Option<T>` (`#[sqlx(try_from = "OptCode<Decision>")]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptCode<T>(pub Option<T>);

/// A TEXT column holding comma-separated codes, decoded all or nothing into
/// `Vec<T>` (`referrals.fields`); an empty text is an empty list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeList<T>(pub Vec<T>);

fn boxed(e: UnknownCode) -> BoxDynError {
    Box::new(e)
}

fn parse_list<T: Stored>(stored: &str) -> Result<Vec<T>, UnknownCode> {
    stored.split(',').filter(|f| !f.is_empty()).map(parse).collect()
}

macro_rules! text_type {
    ($($wrapper:ident),+) => {$(
        impl<T: Stored> Type<Any> for $wrapper<T> {
            fn type_info() -> AnyTypeInfo {
                <String as Type<Any>>::type_info()
            }
            fn compatible(ty: &AnyTypeInfo) -> bool {
                <String as Type<Any>>::compatible(ty)
            }
        }
    )+};
}

text_type!(Code, OptCode, CodeList);

impl<'r, T: Stored> Decode<'r, Any> for Code<T> {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <String as Decode<'r, Any>>::decode(value)?;
        parse(&text).map(Code).map_err(boxed)
    }
}

impl<'r, T: Stored> Decode<'r, Any> for OptCode<T> {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <Option<String> as Decode<'r, Any>>::decode(value)?;
        text.as_deref().map(parse).transpose().map(OptCode).map_err(boxed)
    }
}

impl<'r, T: Stored> Decode<'r, Any> for CodeList<T> {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <String as Decode<'r, Any>>::decode(value)?;
        parse_list(&text).map(CodeList).map_err(boxed)
    }
}

impl<T: Stored> From<OptCode<T>> for Option<T> {
    fn from(c: OptCode<T>) -> Self {
        c.0
    }
}

impl<T: Stored> From<CodeList<T>> for Vec<T> {
    fn from(c: CodeList<T>) -> Self {
        c.0
    }
}

macro_rules! stored {
    ($($ty:ident => $column:literal),+ $(,)?) => {$(
        impl Stored for $ty {
            const NAME: &'static str = stringify!($ty);
            const COLUMN: &'static str = $column;
            fn all() -> &'static [Self] {
                &$ty::ALL
            }
            fn code(self) -> &'static str {
                self.as_str()
            }
        }

        impl From<Code<$ty>> for $ty {
            fn from(c: Code<$ty>) -> Self {
                c.0
            }
        }
    )+};
}

stored! {
    TerritoryLevel => "territories.level",
    OrgKind => "organisations.kind",
    BodyKind => "bodies.kind",
    Role => "user_roles.role",
    AuditAction => "audit_log.action",
    SubjectKind => "audit_log.subject_kind",
    PeriodState => "reporting_periods.state",
    ReportState => "reports.state",
    ReportAction => "report_events.action",
    ReminderKind => "report_reminders.kind",
    CaseState => "cases.state",
    Sex => "cases.sex",
    CameToAttention => "cases.came_to_attention",
    PlaceKind => "cases.place_kind",
    CaseEventKind => "case_events.kind",
    ReferralPurpose => "referrals.purpose",
    ReferralState => "referrals.state",
    SharedField => "referrals.fields",
    ProcState => "procedures.state",
    NoInterviewReason => "procedures.no_interview_reason",
    Decision => "procedures.decision",
    AppealOutcome => "procedures.appeal_outcome",
    Step => "procedures.next_step / rulebook_rules.step / procedure_reminders.step",
    DayKind => "calendar_days.kind",
    TemplateKind => "document_templates.kind",
    NeedUrgency => "assessed_needs.urgency / current_needs.urgency",
    ServiceState => "services.state",
    PaymentCategory => "payments.category / payment_register.category",
    PaymentState => "payments.state",
    Applicant => "payments.applicant",
    RegisterEntryKind => "payment_register.kind",
}

/// The code a procedure's history records for its registration: there is no
/// action for it, the event is named after the state it starts in.
pub fn registration_event() -> &'static str {
    ProcState::Registered.as_str()
}

/// An enumerated column and the codes its CHECK constraint allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumColumn {
    pub table: &'static str,
    pub column: &'static str,
    pub values: Vec<&'static str>,
}

fn col(table: &'static str, column: &'static str, values: Vec<&'static str>) -> EnumColumn {
    EnumColumn {
        table,
        column,
        values,
    }
}

/// Every enumerated column with the codes it may hold, from the domain's
/// enums: what the CHECK constraints of both backends must list (a test keeps
/// them equal). `referrals.fields` holds a list and has no CHECK; its codes
/// are checked when it is read.
pub fn enumerated_columns() -> Vec<EnumColumn> {
    let mut procedure_events: Vec<&'static str> = ProcAction::ALL.iter().map(|a| a.as_str()).collect();
    procedure_events.push(registration_event());
    vec![
        col("territories", "level", codes::<TerritoryLevel>()),
        col("organisations", "kind", codes::<OrgKind>()),
        col("bodies", "kind", codes::<BodyKind>()),
        col("user_roles", "role", codes::<Role>()),
        col("audit_log", "action", codes::<AuditAction>()),
        col("audit_log", "subject_kind", codes::<SubjectKind>()),
        col("reporting_periods", "state", codes::<PeriodState>()),
        col("reports", "state", codes::<ReportState>()),
        col("report_events", "action", codes::<ReportAction>()),
        col("report_reminders", "kind", codes::<ReminderKind>()),
        col("cases", "state", codes::<CaseState>()),
        col("cases", "sex", codes::<Sex>()),
        col("cases", "came_to_attention", codes::<CameToAttention>()),
        col("cases", "place_kind", codes::<PlaceKind>()),
        col("case_events", "kind", codes::<CaseEventKind>()),
        col("referrals", "purpose", codes::<ReferralPurpose>()),
        col("referrals", "state", codes::<ReferralState>()),
        col("procedures", "state", codes::<ProcState>()),
        col("procedures", "no_interview_reason", codes::<NoInterviewReason>()),
        col("procedures", "decision", codes::<Decision>()),
        col("procedures", "appeal_outcome", codes::<AppealOutcome>()),
        col("procedures", "next_step", codes::<Step>()),
        col("procedure_events", "action", procedure_events),
        col("rulebook_rules", "step", codes::<Step>()),
        col("calendar_days", "kind", codes::<DayKind>()),
        col("document_templates", "kind", codes::<TemplateKind>()),
        col("procedure_reminders", "step", codes::<Step>()),
        // A step is reminded when it comes at risk and when it is overdue; never "on time".
        col(
            "procedure_reminders",
            "kind",
            vec![Urgency::AtRisk.as_str(), Urgency::Overdue.as_str()],
        ),
        col("assessed_needs", "urgency", codes::<NeedUrgency>()),
        col("services", "state", codes::<ServiceState>()),
        col("current_needs", "urgency", codes::<NeedUrgency>()),
        col(
            "assistance_reminders",
            "subject",
            vec!["stay", "payment"],
        ),
        col(
            "assistance_reminders",
            "kind",
            vec![Urgency::AtRisk.as_str(), Urgency::Overdue.as_str()],
        ),
        col("payments", "applicant", codes::<Applicant>()),
        col("payments", "category", codes::<PaymentCategory>()),
        col("payments", "state", codes::<PaymentState>()),
        col("payment_register", "kind", codes::<RegisterEntryKind>()),
        col("payment_register", "category", codes::<PaymentCategory>()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_decodes_exactly() {
        assert_eq!(parse::<CaseState>("open"), Ok(CaseState::Open));
        let e = parse::<CaseState>("Open").unwrap_err();
        assert_eq!(e.column, "cases.state");
        assert_eq!(e.value, "a value of 4 bytes");
        let e = parse::<CaseState>("bogus").unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown stored code in cases.state: 'bogus' is no CaseState"
        );
        assert!(parse::<TemplateKind>(" refusal").is_err());
        assert!(matches!(decode::<Role>("root"), Err(DomainError::Internal(_))));
        assert_eq!(CaseState::from(Code(CaseState::Closed)), CaseState::Closed);
        assert_eq!(Option::<Decision>::from(OptCode(None)), None);
    }

    #[test]
    fn shared_fields_decode_all_or_nothing() {
        let f = parse_list::<SharedField>("name,facts");
        assert_eq!(f, Ok(vec![SharedField::Name, SharedField::Facts]));
        assert_eq!(parse_list::<SharedField>(""), Ok(vec![]));
        assert!(parse_list::<SharedField>("name,passport").is_err());
    }

    #[test]
    fn what_is_not_code_shaped_is_described_by_its_length() {
        assert_eq!(safe_description("Іваненко Марія"), "a value of 27 bytes");
        assert_eq!(safe_description(""), "a value of 0 bytes");
        assert_eq!(safe_description("closed"), "'closed'");
    }

    #[test]
    fn every_column_is_listed_once_and_its_codes_are_distinct() {
        let cols = enumerated_columns();
        for (i, c) in cols.iter().enumerate() {
            assert!(
                !cols[..i]
                    .iter()
                    .any(|o| o.table == c.table && o.column == c.column),
                "{}.{} listed twice",
                c.table,
                c.column
            );
            let mut v = c.values.clone();
            v.sort_unstable();
            v.dedup();
            assert_eq!(v.len(), c.values.len(), "{}.{} repeats a code", c.table, c.column);
        }
    }
}
