//! The SQL behind the assistance operations: rows and reads, no checks.

use crate::codes::{Code, OptCode};
use crate::error::OrInternal;
use crate::{Flag, Tx};
use domain::DomainResult;
use domain::assistance::{NeedUrgency, ServiceState, StayFlag};
use domain::case::ReferralState;
use sqlx::{Any, Executor, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct AssessmentRow {
    pub id: i64,
    pub assessed_on: String,
    pub assessed_by_name: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, FromRow)]
pub struct AssessedNeedRow {
    pub assessment_id: i64,
    pub need_code: String,
    pub name_uk: String,
    pub name_en: String,
    #[sqlx(try_from = "Code<NeedUrgency>")]
    pub urgency: NeedUrgency,
    pub note: Option<String>,
}

impl AssessedNeedRow {
    pub fn name(&self, lang: &str) -> &str {
        crate::localized(lang, &self.name_uk, &self.name_en)
    }
}

#[derive(Debug, Clone, FromRow)]
pub struct ServiceRow {
    pub id: i64,
    pub case_id: i64,
    pub unit_org_id: i64,
    pub need_code: String,
    pub need_uk: String,
    pub need_en: String,
    pub provider_org_id: i64,
    pub provider_name: String,
    pub planned_from: String,
    pub planned_to: Option<String>,
    #[sqlx(try_from = "Code<ServiceState>")]
    pub state: ServiceState,
    pub ended_on: Option<String>,
    pub end_reason: Option<String>,
    pub referral_id: Option<i64>,
    #[sqlx(try_from = "OptCode<ReferralState>")]
    pub referral_state: Option<ReferralState>,
    pub note: Option<String>,
    pub version: i64,
}

impl ServiceRow {
    pub fn need(&self, lang: &str) -> &str {
        crate::localized(lang, &self.need_uk, &self.need_en)
    }

    /// Past its planned end and not ended: the officer's list shows it.
    pub fn overdue(&self, today: &str) -> bool {
        !self.state.is_end() && self.planned_to.as_deref().is_some_and(|t| t < today)
    }
}

const SERVICE_SELECT: &str = "SELECT s.id, s.case_id, s.unit_org_id, s.need_code, k.name_uk AS need_uk, \
    k.name_en AS need_en, s.provider_org_id, o.name AS provider_name, s.planned_from, s.planned_to, s.state, \
    s.ended_on, s.end_reason, s.referral_id, r.state AS referral_state, s.note, s.version \
    FROM services s JOIN need_kinds k ON k.code = s.need_code JOIN organisations o ON o.id = s.provider_org_id \
    LEFT JOIN referrals r ON r.id = s.referral_id";

#[derive(Debug, Clone, FromRow)]
pub struct StayRow {
    pub id: i64,
    pub case_id: i64,
    pub institution_org_id: i64,
    pub institution_name: String,
    pub started_on: String,
    pub planned_end_on: String,
    pub limit_on: String,
    pub current_end_on: String,
    #[sqlx(try_from = "i64")]
    pub extended: Flag,
    pub ended_on: Option<String>,
    pub end_note: Option<String>,
    pub note: Option<String>,
    pub version: i64,
}

const STAY_SELECT: &str = "SELECT s.id, s.case_id, s.institution_org_id, o.name AS institution_name, s.started_on, \
    s.planned_end_on, s.limit_on, s.current_end_on, s.extended, s.ended_on, s.end_note, s.note, s.version \
    FROM shelter_stays s JOIN organisations o ON o.id = s.institution_org_id";

#[derive(Debug, Clone, FromRow)]
pub struct ExtensionRow {
    pub stay_id: i64,
    pub decided_by: String,
    pub decision_no: String,
    pub decision_on: String,
    pub reason: String,
    pub previous_end_on: String,
    pub new_end_on: String,
}

/// A need with nothing planned, on the unit's list.
#[derive(Debug, Clone, FromRow)]
pub struct UnansweredNeed {
    pub case_id: i64,
    pub reference: String,
    pub need_code: String,
    pub name_uk: String,
    pub name_en: String,
    #[sqlx(try_from = "Code<NeedUrgency>")]
    pub urgency: NeedUrgency,
    pub assessed_on: String,
}

impl UnansweredNeed {
    pub fn name(&self, lang: &str) -> &str {
        crate::localized(lang, &self.name_uk, &self.name_en)
    }
}

/// A service past its planned end, on the unit's list.
#[derive(Debug, Clone, FromRow)]
pub struct DueService {
    pub id: i64,
    pub case_id: i64,
    pub reference: String,
    pub need_uk: String,
    pub need_en: String,
    pub provider_name: String,
    pub planned_to: String,
    #[sqlx(try_from = "Code<ServiceState>")]
    pub state: ServiceState,
}

impl DueService {
    pub fn need(&self, lang: &str) -> &str {
        crate::localized(lang, &self.need_uk, &self.need_en)
    }
}

/// An open stay near or past its end, on the unit's list.
#[derive(Debug, Clone, FromRow)]
pub struct StayLine {
    pub id: i64,
    pub case_id: i64,
    pub unit_org_id: i64,
    pub reference: String,
    pub institution_name: String,
    pub started_on: String,
    pub limit_on: String,
    pub current_end_on: String,
    #[sqlx(try_from = "i64")]
    pub extended: Flag,
    #[sqlx(skip)]
    pub flag: Option<StayFlag>,
}

pub async fn assessments(tx: &mut Tx, case_id: i64) -> DomainResult<Vec<AssessmentRow>> {
    sqlx::query_as(
        "SELECT a.id, a.assessed_on, u.full_name AS assessed_by_name, a.note FROM need_assessments a \
         JOIN users u ON u.id = a.assessed_by WHERE a.case_id = $1 ORDER BY a.assessed_on DESC, a.id DESC",
    )
    .bind(case_id)
    .fetch_all(&mut **tx)
    .await
    .or_internal()
}

/// The needs of every assessment of a case, in the reference list's order.
pub async fn assessed_needs(tx: &mut Tx, case_id: i64) -> DomainResult<Vec<AssessedNeedRow>> {
    sqlx::query_as(
        "SELECT n.assessment_id, n.need_code, k.name_uk, k.name_en, n.urgency, n.note FROM assessed_needs n \
         JOIN need_assessments a ON a.id = n.assessment_id JOIN need_kinds k ON k.code = n.need_code \
         WHERE a.case_id = $1 ORDER BY n.assessment_id DESC, k.position",
    )
    .bind(case_id)
    .fetch_all(&mut **tx)
    .await
    .or_internal()
}

/// The codes of a case's current needs.
pub async fn current_need_codes<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    case_id: i64,
) -> DomainResult<Vec<String>> {
    sqlx::query_scalar("SELECT need_code FROM current_needs WHERE case_id = $1")
        .bind(case_id)
        .fetch_all(exec)
        .await
        .or_internal()
}

pub async fn services<'e, E: Executor<'e, Database = Any>>(exec: E, case_id: i64) -> DomainResult<Vec<ServiceRow>> {
    sqlx::query_as(&format!("{SERVICE_SELECT} WHERE s.case_id = $1 ORDER BY s.id"))
        .bind(case_id)
        .fetch_all(exec)
        .await
        .or_internal()
}

pub async fn service<'e, E: Executor<'e, Database = Any>>(exec: E, id: i64) -> DomainResult<Option<ServiceRow>> {
    sqlx::query_as(&format!("{SERVICE_SELECT} WHERE s.id = $1"))
        .bind(id)
        .fetch_optional(exec)
        .await
        .or_internal()
}

pub async fn service_of_referral<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    referral_id: i64,
) -> DomainResult<Option<ServiceRow>> {
    sqlx::query_as(&format!("{SERVICE_SELECT} WHERE s.referral_id = $1"))
        .bind(referral_id)
        .fetch_optional(exec)
        .await
        .or_internal()
}

/// A case's stays, newest first, each with its extensions in order.
pub async fn stays(tx: &mut Tx, case_id: i64) -> DomainResult<Vec<(StayRow, Vec<ExtensionRow>)>> {
    let stays: Vec<StayRow> = sqlx::query_as(&format!(
        "{STAY_SELECT} WHERE s.case_id = $1 ORDER BY s.started_on DESC, s.id DESC"
    ))
    .bind(case_id)
    .fetch_all(&mut **tx)
    .await
    .or_internal()?;
    let ext: Vec<ExtensionRow> = sqlx::query_as(
        "SELECT e.stay_id, e.decided_by, e.decision_no, e.decision_on, e.reason, e.previous_end_on, e.new_end_on \
         FROM shelter_extensions e JOIN shelter_stays s ON s.id = e.stay_id WHERE s.case_id = $1 ORDER BY e.id",
    )
    .bind(case_id)
    .fetch_all(&mut **tx)
    .await
    .or_internal()?;
    Ok(stays
        .into_iter()
        .map(|s| {
            let mine = ext.iter().filter(|e| e.stay_id == s.id).cloned().collect();
            (s, mine)
        })
        .collect())
}

pub async fn stay<'e, E: Executor<'e, Database = Any>>(exec: E, id: i64) -> DomainResult<Option<StayRow>> {
    sqlx::query_as(&format!("{STAY_SELECT} WHERE s.id = $1"))
        .bind(id)
        .fetch_optional(exec)
        .await
        .or_internal()
}

/// Needs of the unit's open cases with nothing planned, newest case first
/// (the partial index `current_needs_unanswered`).
pub async fn unanswered_needs<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    unit: i64,
    limit: i64,
) -> DomainResult<Vec<UnansweredNeed>> {
    sqlx::query_as(
        "SELECT n.case_id, c.reference, n.need_code, k.name_uk, k.name_en, n.urgency, a.assessed_on \
         FROM current_needs n JOIN cases c ON c.id = n.case_id JOIN need_kinds k ON k.code = n.need_code \
         JOIN need_assessments a ON a.id = n.assessment_id \
         WHERE n.unit_org_id = $1 AND n.answered = 0 AND c.state = 'open' \
         ORDER BY n.case_id DESC, n.need_code DESC LIMIT $2",
    )
    .bind(unit)
    .bind(limit)
    .fetch_all(exec)
    .await
    .or_internal()
}

/// The unit's open services whose planned end has passed, earliest first
/// (the partial index `services_open_due`).
pub async fn due_services<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    unit: i64,
    today: jiff::civil::Date,
    limit: i64,
) -> DomainResult<Vec<DueService>> {
    sqlx::query_as(
        "SELECT s.id, s.case_id, c.reference, k.name_uk AS need_uk, k.name_en AS need_en, o.name AS provider_name, \
         s.planned_to, s.state FROM services s JOIN cases c ON c.id = s.case_id \
         JOIN need_kinds k ON k.code = s.need_code JOIN organisations o ON o.id = s.provider_org_id \
         WHERE s.unit_org_id = $1 AND s.state IN ('planned', 'referred', 'in_progress') \
         AND s.planned_to < $2 AND c.state = 'open' ORDER BY s.planned_to, s.id LIMIT $3",
    )
    .bind(unit)
    .bind(today.to_string())
    .bind(limit)
    .fetch_all(exec)
    .await
    .or_internal()
}

const STAY_LINE_SELECT: &str = "SELECT s.id, s.case_id, s.unit_org_id, c.reference, o.name AS institution_name, \
    s.started_on, s.limit_on, s.current_end_on, s.extended FROM shelter_stays s JOIN cases c ON c.id = s.case_id \
    JOIN organisations o ON o.id = s.institution_org_id";

/// The unit's open stays ending by `by` (or already past their end), earliest
/// end first (the partial index `shelter_stays_open_end`). An unextended stay
/// ends by its limit at the latest, so this includes every stay past the limit.
pub async fn ending_stays<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    unit: i64,
    by: jiff::civil::Date,
    limit: i64,
) -> DomainResult<Vec<StayLine>> {
    sqlx::query_as(&format!(
        "{STAY_LINE_SELECT} WHERE s.unit_org_id = $1 AND s.ended_on IS NULL AND s.current_end_on <= $2 \
         ORDER BY s.current_end_on, s.id LIMIT $3"
    ))
    .bind(unit)
    .bind(by.to_string())
    .bind(limit)
    .fetch_all(exec)
    .await
    .or_internal()
}

/// How many lines each part of the unit's list has, counted up to `cap`
/// (the count stays bounded however many there are).
pub async fn list_counts(tx: &mut crate::Tx, unit: i64, today: jiff::civil::Date, soon: jiff::civil::Date, cap: i64) -> DomainResult<(i64, i64, i64)> {
    let needs: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT 1 FROM current_needs n JOIN cases c ON c.id = n.case_id \
         WHERE n.unit_org_id = $1 AND n.answered = 0 AND c.state = 'open' LIMIT $2) x",
    )
    .bind(unit)
    .bind(cap)
    .fetch_one(&mut **tx)
    .await
    .or_internal()?;
    let services: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT 1 FROM services s JOIN cases c ON c.id = s.case_id \
         WHERE s.unit_org_id = $1 AND s.state IN ('planned', 'referred', 'in_progress') AND s.planned_to < $2 \
         AND c.state = 'open' LIMIT $3) x",
    )
    .bind(unit)
    .bind(today.to_string())
    .bind(cap)
    .fetch_one(&mut **tx)
    .await
    .or_internal()?;
    let stays: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT 1 FROM shelter_stays s WHERE s.unit_org_id = $1 AND s.ended_on IS NULL \
         AND s.current_end_on <= $2 LIMIT $3) x",
    )
    .bind(unit)
    .bind(soon.to_string())
    .bind(cap)
    .fetch_one(&mut **tx)
    .await
    .or_internal()?;
    Ok((needs, services, stays))
}
