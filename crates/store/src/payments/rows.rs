//! The SQL behind the payment operations: rows and reads, no checks.

use crate::codes::Code;
use crate::dates::parse_date;
use crate::error::OrInternal;
use domain::DomainResult;
use domain::money::Money;
use domain::payment::{
    Applicant, Minimums, Multiplier, PaymentCategory, PaymentState, RegisterEntryKind,
};
use sqlx::{Any, Executor, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct PaymentRow {
    pub id: i64,
    pub case_id: i64,
    pub case_reference: String,
    pub unit_org_id: i64,
    pub procedure_id: i64,
    pub certificate_no: Option<String>,
    pub applied_on: String,
    #[sqlx(try_from = "Code<Applicant>")]
    pub applicant: Applicant,
    pub representative_name: Option<String>,
    pub representative_document: Option<String>,
    #[sqlx(try_from = "Code<PaymentCategory>")]
    pub category: PaymentCategory,
    pub lost_ability_basis: Option<String>,
    pub minimum: i64,
    pub factor: i64,
    pub amount: i64,
    pub due_on: String,
    #[sqlx(try_from = "Code<PaymentState>")]
    pub state: PaymentState,
    pub approved_on: Option<String>,
    pub paid_on: Option<String>,
    pub payment_ref: Option<String>,
    pub refused_on: Option<String>,
    pub refusal_grounds: Option<String>,
    pub appeal_notice: Option<String>,
    pub last_step_on: String,
    pub created_by_name: String,
    pub version: i64,
}

impl PaymentRow {
    pub fn amount(&self) -> Money {
        Money::from_kopiykas(self.amount)
    }

    pub fn minimum(&self) -> Money {
        Money::from_kopiykas(self.minimum)
    }
}

pub const PAYMENT_SELECT: &str = "SELECT p.id, p.case_id, c.reference AS case_reference, p.unit_org_id, \
    p.procedure_id, pr.certificate_no, p.applied_on, p.applicant, p.representative_name, \
    p.representative_document, p.category, p.lost_ability_basis, p.minimum, p.factor, p.amount, p.due_on, \
    p.state, p.approved_on, p.paid_on, p.payment_ref, p.refused_on, p.refusal_grounds, p.appeal_notice, \
    p.last_step_on, u.full_name AS created_by_name, p.version \
    FROM payments p JOIN cases c ON c.id = p.case_id JOIN procedures pr ON pr.id = p.procedure_id \
    JOIN users u ON u.id = p.created_by";

pub async fn get<'e, E: Executor<'e, Database = Any>>(exec: E, id: i64) -> DomainResult<Option<PaymentRow>> {
    sqlx::query_as(&format!("{PAYMENT_SELECT} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(exec)
        .await
        .or_internal()
}

pub async fn of_case<'e, E: Executor<'e, Database = Any>>(exec: E, case_id: i64) -> DomainResult<Vec<PaymentRow>> {
    sqlx::query_as(&format!("{PAYMENT_SELECT} WHERE p.case_id = $1 ORDER BY p.id"))
        .bind(case_id)
        .fetch_all(exec)
        .await
        .or_internal()
}

/// A granted status a payment can be applied for.
#[derive(Debug, Clone, FromRow)]
pub struct GrantedStatus {
    pub procedure_id: i64,
    pub decided_on: Option<String>,
    pub certificate_no: Option<String>,
    pub valid_until: Option<String>,
}

/// The case's latest granted status that has not been terminated.
pub async fn granted_status<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    case_id: i64,
) -> DomainResult<Option<GrantedStatus>> {
    sqlx::query_as(
        "SELECT id AS procedure_id, decided_on, certificate_no, valid_until FROM procedures \
         WHERE case_id = $1 AND decision = 'granted' AND state IN ('granted', 'notified') \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(case_id)
    .fetch_optional(exec)
    .await
    .or_internal()
}

#[derive(Debug, Clone, FromRow)]
struct MinimumsRow {
    id: i64,
    effective_from: String,
    under_6: i64,
    child_6_18: i64,
    working_age: i64,
    lost_ability: i64,
}

/// A row of either table with its source, for the settings page.
#[derive(Debug, Clone, FromRow)]
pub struct RateSource {
    pub id: i64,
    pub effective_from: String,
    pub source: String,
}

pub async fn minimums<'e, E: Executor<'e, Database = Any>>(exec: E) -> DomainResult<Vec<Minimums>> {
    let rows: Vec<MinimumsRow> = sqlx::query_as(
        "SELECT id, effective_from, under_6, child_6_18, working_age, lost_ability FROM payment_minimums \
         ORDER BY effective_from",
    )
    .fetch_all(exec)
    .await
    .or_internal()?;
    rows.into_iter()
        .map(|r| {
            Ok(Minimums {
                id: r.id,
                effective_from: parse_date(&r.effective_from)?,
                under_6: Money::from_kopiykas(r.under_6),
                child_6_18: Money::from_kopiykas(r.child_6_18),
                working_age: Money::from_kopiykas(r.working_age),
                lost_ability: Money::from_kopiykas(r.lost_ability),
            })
        })
        .collect()
}

pub async fn multipliers<'e, E: Executor<'e, Database = Any>>(exec: E) -> DomainResult<Vec<Multiplier>> {
    let rows: Vec<(i64, String, i64)> =
        sqlx::query_as("SELECT id, effective_from, factor FROM payment_multipliers ORDER BY effective_from")
            .fetch_all(exec)
            .await
            .or_internal()?;
    rows.into_iter()
        .map(|(id, from, factor)| {
            Ok(Multiplier {
                id,
                effective_from: parse_date(&from)?,
                factor,
            })
        })
        .collect()
}

pub async fn sources<'e, E: Executor<'e, Database = Any>>(exec: E, table: &'static str) -> DomainResult<Vec<RateSource>> {
    sqlx::query_as(&format!("SELECT id, effective_from, source FROM {table} ORDER BY effective_from"))
        .fetch_all(exec)
        .await
        .or_internal()
}

/// One line of the payment register.
#[derive(Debug, Clone, FromRow)]
pub struct RegisterLine {
    pub id: i64,
    pub payment_id: i64,
    #[sqlx(try_from = "Code<RegisterEntryKind>")]
    pub kind: RegisterEntryKind,
    pub reverses_id: Option<i64>,
    pub reversed_by: Option<i64>,
    pub entered_on: String,
    #[sqlx(try_from = "Code<PaymentCategory>")]
    pub category: PaymentCategory,
    pub amount: i64,
    pub reason: Option<String>,
    pub case_reference: String,
    pub applied_on: String,
    pub approved_on: Option<String>,
    pub paid_on: Option<String>,
    pub payment_ref: Option<String>,
    #[sqlx(try_from = "Code<PaymentState>")]
    pub state: PaymentState,
    #[sqlx(try_from = "Code<Applicant>")]
    pub applicant: Applicant,
    /// Filled only for an export that needs the recipient's name.
    #[sqlx(skip)]
    pub recipient: Option<String>,
    pub person_id: Option<i64>,
    pub representative_name: Option<String>,
}

impl RegisterLine {
    pub fn amount(&self) -> Money {
        Money::from_kopiykas(self.amount)
    }
}

const REGISTER_SELECT: &str = "SELECT l.id, l.payment_id, l.kind, l.reverses_id, rv.id AS reversed_by, \
    l.entered_on, l.category, l.amount, l.reason, c.reference AS case_reference, p.applied_on, p.approved_on, \
    p.paid_on, p.payment_ref, p.state, p.applicant, c.person_id, p.representative_name \
    FROM payment_register l JOIN payments p ON p.id = l.payment_id JOIN cases c ON c.id = p.case_id \
    LEFT JOIN payment_register rv ON rv.reverses_id = l.id";

/// The unit's register lines entered within `[from, to]`, in entry order,
/// at most `limit` (the caller asks one more to know whether there are more).
pub async fn register<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    unit: i64,
    from: &str,
    to: &str,
    after: Option<(&str, i64)>,
    limit: i64,
) -> DomainResult<Vec<RegisterLine>> {
    // Keyset: the lines after (entered_on, id) of the last line shown.
    let (after_on, after_id) = after.unwrap_or(("", 0));
    sqlx::query_as(&format!(
        "{REGISTER_SELECT} WHERE l.unit_org_id = $1 AND l.entered_on >= $2 AND l.entered_on <= $3 \
         AND (l.entered_on > $4 OR (l.entered_on = $4 AND l.id > $5)) ORDER BY l.entered_on, l.id LIMIT $6"
    ))
    .bind(unit)
    .bind(from)
    .bind(to)
    .bind(after_on)
    .bind(after_id)
    .bind(limit)
    .fetch_all(exec)
    .await
    .or_internal()
}

pub async fn register_line<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    id: i64,
) -> DomainResult<Option<RegisterLine>> {
    sqlx::query_as(&format!("{REGISTER_SELECT} WHERE l.id = $1"))
        .bind(id)
        .fetch_optional(exec)
        .await
        .or_internal()
}

pub async fn lines_of_payment<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    payment_id: i64,
) -> DomainResult<Vec<RegisterLine>> {
    sqlx::query_as(&format!("{REGISTER_SELECT} WHERE l.payment_id = $1 ORDER BY l.id"))
        .bind(payment_id)
        .fetch_all(exec)
        .await
        .or_internal()
}

/// A pending payment on the unit's list: its due date.
#[derive(Debug, Clone, FromRow)]
pub struct DuePayment {
    pub id: i64,
    pub case_id: i64,
    pub reference: String,
    #[sqlx(try_from = "Code<PaymentState>")]
    pub state: PaymentState,
    pub applied_on: String,
    pub due_on: String,
    pub amount: i64,
}

impl DuePayment {
    pub fn amount(&self) -> Money {
        Money::from_kopiykas(self.amount)
    }
}

/// The unit's payments still waiting for a decision or the money, earliest due first.
pub async fn pending<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    unit: i64,
    limit: i64,
) -> DomainResult<Vec<DuePayment>> {
    sqlx::query_as(
        "SELECT p.id, p.case_id, c.reference, p.state, p.applied_on, p.due_on, p.amount FROM payments p \
         JOIN cases c ON c.id = p.case_id WHERE p.unit_org_id = $1 AND p.state IN ('applied', 'approved') \
         ORDER BY p.due_on, p.id LIMIT $2",
    )
    .bind(unit)
    .bind(limit)
    .fetch_all(exec)
    .await
    .or_internal()
}
