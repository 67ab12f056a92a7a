//! Assistance of a case (SPEC §5): needs assessments, the individual plan of
//! services, and stays in an assistance institution.
//!
//! Security role: only the case officers of the case's unit read or change a
//! case's assistance (`Record::Assistance` → `Actor::may_work_case`); a
//! provider organisation reaches a service only through its referral, while
//! the referral is open, and records its delivery there
//! ([`record_delivery`]). Every change writes its audit row, naming the case
//! reference, in the transaction that makes it; the unit's list is audited as
//! a view. Nothing here puts a name anywhere but the page that asked.
//!
//! The unit's lists stay one indexed query however many cases there are:
//! `current_needs` keeps each case's latest needs with whether a service
//! answers them; open services and open stays are walked through partial
//! indexes by their dates.

sql_mod!(rows);

pub use rows::{
    AssessedNeedRow, AssessmentRow, DueService, ExtensionRow, ServiceRow, StayLine, StayRow, UnansweredNeed,
};

use crate::access::{allowed, deny, deny_page};
use crate::cases::rows::{self as cases, CaseRow, case_subject, referral_side};
use crate::dates::{kyiv_date, parse_date};
use crate::error::OrInternal;
use crate::organisations;
use crate::{Ctx, Db, Tx, audit, forms};
use domain::DomainResult;
use domain::assistance::{
    AssessmentForm, ExtensionForm, OutcomeForm, ServiceAction, ServiceForm, ServiceState, StayFlag, StayForm,
    referral_purpose_for, stay_limit,
};
use domain::audit::AuditAction;
use domain::case::{CaseState, ReferralForm, ReferralState, Side};
use domain::{DomainError, FieldErrors};
use jiff::ToSpan;
use jiff::civil::Date;
use serde_json::json;

/// Service states that answer a need (a person's refusal answers it too:
/// nothing is left for the officer to arrange).
const ANSWERING: &str = "'planned', 'referred', 'in_progress', 'delivered', 'refused'";

/// The most lines each part of the unit's list shows (the most urgent first).
pub const LIST_LIMIT: i64 = 50;

/// Counts of the list's parts stop here ("100+"): bounded work however many there are.
pub const COUNT_CAP: i64 = 100;

/// A case of the actor's unit, for its assistance; refused and audited otherwise.
async fn case_of_unit(db: &Db, ctx: &Ctx, case_id: i64, what: &str) -> DomainResult<CaseRow> {
    cases::case_for_unit(db, ctx, case_id, what).await
}

fn open_case(case: &CaseRow, field: &'static str) -> DomainResult<()> {
    if case.state() == CaseState::Open {
        Ok(())
    } else {
        let mut e = FieldErrors::new();
        e.add(field, "err-case-not-open");
        Err(e.into())
    }
}

fn user_id(ctx: &Ctx) -> DomainResult<i64> {
    ctx.actor()
        .map(|a| a.user_id)
        .ok_or_else(|| DomainError::Internal("assistance needs a signed-in actor".into()))
}

/// Everything about a case's assistance: the assessments (newest first) with
/// their needs, the latest needs against their services, and the stays.
#[derive(Debug, Clone, Default)]
pub struct CaseAssistance {
    pub assessments: Vec<(AssessmentRow, Vec<AssessedNeedRow>)>,
    /// The needs of the latest assessment, each with the services that answer it.
    pub needs: Vec<(AssessedNeedRow, Vec<ServiceRow>)>,
    /// Services for needs the latest assessment no longer lists.
    pub other_services: Vec<ServiceRow>,
    pub stays: Vec<(StayRow, Vec<ExtensionRow>)>,
}

impl CaseAssistance {
    /// The latest assessment's needs that no delivered service meets yet.
    pub fn open_needs(&self) -> usize {
        self.needs
            .iter()
            .filter(|(_, s)| !s.iter().any(|s| s.state.meets_need()))
            .count()
    }
}

/// A case's assistance for its unit's case officers. The case page that shows
/// it records the view (`case_viewed`); this read alone writes no row.
pub async fn of_case(db: &Db, ctx: &Ctx, case_id: i64) -> DomainResult<CaseAssistance> {
    let case = case_of_unit(db, ctx, case_id, "assistance_view").await?;
    load(db, case.id).await
}

/// [`of_case`] for the case's own assistance page: the same, recorded as a view.
pub async fn page(db: &Db, ctx: &Ctx, case_id: i64) -> DomainResult<(CaseRow, CaseAssistance)> {
    let case = case_of_unit(db, ctx, case_id, "assistance_view").await?;
    let a = load(db, case.id).await?;
    audit::record_view(
        db,
        ctx,
        AuditAction::CaseViewed,
        case_subject(&case.reference),
        json!({ "page": "assistance" }),
    )
    .await?;
    Ok((case, a))
}

async fn load(db: &Db, case_id: i64) -> DomainResult<CaseAssistance> {
    let mut tx = db.begin_read().await.or_internal()?;
    let assessments = rows::assessments(&mut tx, case_id).await?;
    let mut needs_of = rows::assessed_needs(&mut tx, case_id).await?;
    let services = rows::services(&mut *tx, case_id).await?;
    let stays = rows::stays(&mut tx, case_id).await?;
    tx.commit().await.or_internal()?;
    let latest = assessments.first().map(|a| a.id);
    let mut out = CaseAssistance::default();
    for a in assessments {
        let mine: Vec<AssessedNeedRow> = needs_of
            .iter()
            .filter(|n| n.assessment_id == a.id)
            .cloned()
            .collect();
        out.assessments.push((a, mine));
    }
    needs_of.retain(|n| Some(n.assessment_id) == latest);
    let mut rest = services;
    for n in needs_of {
        let (mine, others): (Vec<ServiceRow>, Vec<ServiceRow>) =
            rest.into_iter().partition(|s| s.need_code == n.need_code);
        rest = others;
        out.needs.push((n, mine));
    }
    out.other_services = rest;
    out.stays = stays;
    Ok(out)
}

/// Records a needs assessment (a reassessment keeps the earlier ones) and
/// makes its needs the case's current needs.
pub async fn assess(db: &Db, ctx: &Ctx, case_id: i64, form: &AssessmentForm) -> DomainResult<i64> {
    let case = case_of_unit(db, ctx, case_id, "needs_assess").await?;
    open_case(&case, "assessed_on")?;
    let known: Vec<String> = crate::lookups::need_kinds(db)
        .await?
        .into_iter()
        .map(|k| k.code)
        .collect();
    let input = form.validate(kyiv_date(ctx.now), &known)?;
    let user = user_id(ctx)?;
    let mut tx = forms::begin(db, ctx).await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO need_assessments (case_id, unit_org_id, assessed_on, assessed_by, note, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(case.id)
    .bind(case.unit_org_id)
    .bind(input.assessed_on.to_string())
    .bind(user)
    .bind(&input.note)
    .bind(ctx.now)
    .fetch_one(&mut *tx)
    .await
    .or_internal()?;
    sqlx::query("DELETE FROM current_needs WHERE case_id = $1")
        .bind(case.id)
        .execute(&mut *tx)
        .await
        .or_internal()?;
    for n in &input.needs {
        sqlx::query(
            "INSERT INTO assessed_needs (assessment_id, need_code, urgency, note) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(&n.code)
        .bind(n.urgency.as_str())
        .bind(&n.note)
        .execute(&mut *tx)
        .await
        .or_internal()?;
        sqlx::query(
            "INSERT INTO current_needs (case_id, need_code, unit_org_id, assessment_id, urgency, answered, met) \
             VALUES ($1, $2, $3, $4, $5, 0, 0)",
        )
        .bind(case.id)
        .bind(&n.code)
        .bind(case.unit_org_id)
        .bind(id)
        .bind(n.urgency.as_str())
        .execute(&mut *tx)
        .await
        .or_internal()?;
    }
    refresh_needs(&mut tx, case.id).await?;
    audit::record(
        &mut *tx,
        ctx,
        AuditAction::NeedsAssessed,
        case_subject(&case.reference),
        json!({ "assessment": id, "needs": input.needs.iter().map(|n| n.code.as_str()).collect::<Vec<_>>() }),
    )
    .await?;
    forms::commit(tx, ctx, id).await?;
    Ok(id)
}

/// Keeps `current_needs.answered` / `met` of a case in step with its services.
async fn refresh_needs(tx: &mut Tx, case_id: i64) -> DomainResult<()> {
    sqlx::query(&format!(
        "UPDATE current_needs SET \
         answered = CASE WHEN EXISTS (SELECT 1 FROM services s WHERE s.case_id = current_needs.case_id \
             AND s.need_code = current_needs.need_code AND s.state IN ({ANSWERING})) THEN 1 ELSE 0 END, \
         met = CASE WHEN EXISTS (SELECT 1 FROM services s WHERE s.case_id = current_needs.case_id \
             AND s.need_code = current_needs.need_code AND s.state = 'delivered') THEN 1 ELSE 0 END \
         WHERE case_id = $1"
    ))
    .bind(case_id)
    .execute(&mut **tx)
    .await
    .or_internal()?;
    Ok(())
}

/// Plans a service for one of the case's current needs. A provider other than
/// the unit itself is asked through a referral, sent in the same transaction
/// (with the consent and the shared fields the referral form asks for).
pub async fn plan_service(db: &Db, ctx: &Ctx, case_id: i64, form: &ServiceForm) -> DomainResult<i64> {
    let case = case_of_unit(db, ctx, case_id, "service_plan").await?;
    open_case(&case, "need")?;
    let current: Vec<String> = rows::current_need_codes(db.pool(), case.id).await?;
    let input = form.validate(&current).map_err(|mut e| {
        if e.get("need") == Some("err-choice") {
            let mut again = FieldErrors::new();
            for (f, m) in e.iter() {
                again.add(f, if f == "need" { "err-need-not-assessed" } else { m });
            }
            e = again;
        }
        DomainError::from(e)
    })?;
    if organisations::get(db.pool(), input.provider_org_id)
        .await?
        .is_none()
    {
        return Err(FieldErrors::one("provider_org_id", "err-choice").into());
    }
    let by_referral = input.provider_org_id != case.unit_org_id;
    let referral = if by_referral {
        let rf = ReferralForm {
            org_id: input.provider_org_id.to_string(),
            purpose: referral_purpose_for(&input.need).as_str().to_string(),
            fields: form.fields.clone(),
            consent_ref: form.consent_ref.clone(),
            due_on: input.planned_to.map(|d| d.to_string()).unwrap_or_default(),
            message: form.message.clone(),
        };
        let needs_consent = !case.consent.0 && !case.is_child.0;
        Some(rf.validate(kyiv_date(ctx.now), needs_consent)?)
    } else {
        None
    };
    let user = user_id(ctx)?;
    let mut tx = forms::begin(db, ctx).await?;
    let referral_id = match &referral {
        Some(r) => Some(cases::insert_referral(&mut tx, ctx, case.id, case.unit_org_id, r).await?),
        None => None,
    };
    let state = if by_referral {
        ServiceState::Referred
    } else {
        ServiceState::Planned
    };
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO services (case_id, unit_org_id, need_code, provider_org_id, planned_from, planned_to, state, \
         referral_id, note, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
    )
    .bind(case.id)
    .bind(case.unit_org_id)
    .bind(&input.need)
    .bind(input.provider_org_id)
    .bind(input.planned_from.to_string())
    .bind(input.planned_to.map(|d| d.to_string()))
    .bind(state.as_str())
    .bind(referral_id)
    .bind(&input.note)
    .bind(user)
    .bind(ctx.now)
    .fetch_one(&mut *tx)
    .await
    .or_internal()?;
    refresh_needs(&mut tx, case.id).await?;
    audit::record(
        &mut *tx,
        ctx,
        AuditAction::ServicePlanned,
        case_subject(&case.reference),
        json!({ "service": id, "need": input.need, "provider_org": input.provider_org_id, "referral": referral_id }),
    )
    .await?;
    forms::commit(tx, ctx, id).await?;
    Ok(id)
}

/// The officer moves a service on: starts their own unit's service, records it
/// delivered, refused by the person or not available. A service another
/// organisation provides is started and delivered by that organisation
/// through its referral; the officer can still record that the person refused
/// it or that it is not available (and the referral is then closed).
pub async fn service_step(
    db: &Db,
    ctx: &Ctx,
    service_id: i64,
    action: ServiceAction,
    form: &OutcomeForm,
) -> DomainResult<i64> {
    let what = format!("service_{}", action.as_str());
    let Some(s) = rows::service(db.pool(), service_id).await? else {
        return Err(deny(db, ctx, &what, None).await);
    };
    let case = case_of_unit(db, ctx, s.case_id, &what).await?;
    let by_referral = s.referral_id.is_some();
    let next = s
        .state
        .apply(action)
        .filter(|_| !(by_referral && matches!(action, ServiceAction::Start | ServiceAction::Deliver)));
    let Some(next) = next else {
        return Err(FieldErrors::one("action", "err-step-not-now").into());
    };
    let input = form.validate(action, kyiv_date(ctx.now))?;
    let planned_from = parse_date(&s.planned_from)?;
    if next.is_end() && input.on < planned_from && action == ServiceAction::Deliver {
        return Err(FieldErrors::one("on", "err-before-previous-step").into());
    }
    let version = form.version.trim().parse::<i64>().unwrap_or(s.version);
    let mut tx = db.begin().await.or_internal()?;
    set_state(&mut tx, ctx, &s, version, next, input.on, input.reason.as_deref()).await?;
    if let (Some(rid), true) = (s.referral_id, next.is_end()) {
        sqlx::query(&format!(
            "UPDATE referrals SET state = 'closed', closed_at = $2, updated_at = $2, version = version + 1 \
             WHERE id = $1 AND state IN ({})",
            cases::open_referral_states()
        ))
        .bind(rid)
        .bind(ctx.now)
        .execute(&mut *tx)
        .await
        .or_internal()?;
    }
    refresh_needs(&mut tx, s.case_id).await?;
    audit::record(
        &mut *tx,
        ctx,
        AuditAction::ServiceUpdated,
        case_subject(&case.reference),
        json!({ "service": s.id, "state": next.as_str() }),
    )
    .await?;
    tx.commit().await.or_internal()?;
    Ok(s.case_id)
}

async fn set_state(
    tx: &mut Tx,
    ctx: &Ctx,
    s: &ServiceRow,
    version: i64,
    next: ServiceState,
    on: Date,
    reason: Option<&str>,
) -> DomainResult<()> {
    let done = sqlx::query(
        "UPDATE services SET state = $3, ended_on = $4, end_reason = COALESCE($5, end_reason), updated_at = $6, \
         version = version + 1 WHERE id = $1 AND version = $2",
    )
    .bind(s.id)
    .bind(version)
    .bind(next.as_str())
    .bind(next.is_end().then(|| on.to_string()))
    .bind(reason)
    .bind(ctx.now)
    .execute(&mut **tx)
    .await
    .or_internal()?;
    if done.rows_affected() == 0 {
        return Err(DomainError::Conflict("stale"));
    }
    Ok(())
}

/// Called when a referral changes state (in its transaction): a service sent
/// as that referral follows it — accepted means in progress, declined means
/// not available with the receiver's reason.
pub(crate) async fn referral_moved(
    tx: &mut Tx,
    ctx: &Ctx,
    referral_id: i64,
    next: ReferralState,
    reason: Option<&str>,
) -> DomainResult<()> {
    let Some(s) = rows::service_of_referral(&mut **tx, referral_id).await? else {
        return Ok(());
    };
    let (to, why) = match (s.state, next) {
        (ServiceState::Referred, ReferralState::Accepted) => (ServiceState::InProgress, None),
        (ServiceState::Referred | ServiceState::InProgress, ReferralState::Declined) => {
            (ServiceState::NotAvailable, reason)
        }
        _ => return Ok(()),
    };
    set_state(tx, ctx, &s, s.version, to, kyiv_date(ctx.now), why).await?;
    refresh_needs(tx, s.case_id).await
}

/// The service a referral asks for, as its receiver sees it: only while the
/// referral is open and only to the receiving organisation.
pub async fn service_for_referral(db: &Db, ctx: &Ctx, referral_id: i64) -> DomainResult<Option<ServiceRow>> {
    let Some(r) = cases::referral(db.pool(), referral_id).await? else {
        return Ok(None);
    };
    if referral_side(ctx, &r).is_none() {
        return Ok(None);
    }
    rows::service_of_referral(db.pool(), referral_id).await
}

/// The provider records that the service it accepted was delivered (the date
/// and what was done). The referral is answered; the need is met.
pub async fn record_delivery(db: &Db, ctx: &Ctx, referral_id: i64, form: &OutcomeForm) -> DomainResult<i64> {
    let what = "service_deliver";
    let Some(r) = cases::referral(db.pool(), referral_id).await? else {
        return Err(deny(db, ctx, what, cases::referral_subject(referral_id)).await);
    };
    if referral_side(ctx, &r) != Some(Side::Receiver) {
        return Err(deny(db, ctx, what, cases::referral_subject(referral_id)).await);
    }
    let Some(s) = rows::service_of_referral(db.pool(), referral_id).await? else {
        return Err(deny(db, ctx, what, cases::referral_subject(referral_id)).await);
    };
    if s.state != ServiceState::InProgress {
        return Err(FieldErrors::one("on", "err-step-not-now").into());
    }
    let input = form.validate(ServiceAction::Deliver, kyiv_date(ctx.now))?;
    if input.on < parse_date(&s.planned_from)? {
        return Err(FieldErrors::one("on", "err-before-previous-step").into());
    }
    let version = form.version.trim().parse::<i64>().unwrap_or(s.version);
    let mut tx = db.begin().await.or_internal()?;
    set_state(
        &mut tx,
        ctx,
        &s,
        version,
        ServiceState::Delivered,
        input.on,
        input.reason.as_deref(),
    )
    .await?;
    let answer = match &input.reason {
        Some(note) => format!("{}: {note}", input.on.strftime("%d.%m.%Y")),
        None => input.on.strftime("%d.%m.%Y").to_string(),
    };
    sqlx::query(
        "UPDATE referrals SET state = 'answered', answer = $2, updated_at = $3, version = version + 1 WHERE id = $1",
    )
    .bind(referral_id)
    .bind(answer)
    .bind(ctx.now)
    .execute(&mut *tx)
    .await
    .or_internal()?;
    cases::add_event(
        &mut tx,
        ctx,
        r.case_id,
        "referral_answered",
        Some(r.to_org_id),
        None,
    )
    .await?;
    refresh_needs(&mut tx, s.case_id).await?;
    audit::record(
        &mut *tx,
        ctx,
        AuditAction::ServiceUpdated,
        cases::referral_subject(referral_id),
        json!({ "case": r.case_reference, "service": s.id, "state": "delivered" }),
    )
    .await?;
    tx.commit().await.or_internal()?;
    Ok(referral_id)
}

// ------------------------------------------------------------ shelter stays

/// Records a stay in an assistance institution (the three-month limit is
/// computed; a longer planned end needs an extension).
pub async fn record_stay(db: &Db, ctx: &Ctx, case_id: i64, form: &StayForm) -> DomainResult<i64> {
    let case = case_of_unit(db, ctx, case_id, "stay_record").await?;
    open_case(&case, "started_on")?;
    let input = form.validate(kyiv_date(ctx.now))?;
    if organisations::get(db.pool(), input.institution_org_id)
        .await?
        .is_none()
    {
        return Err(FieldErrors::one("institution_org_id", "err-choice").into());
    }
    let user = user_id(ctx)?;
    let limit = stay_limit(input.started_on);
    let mut tx = forms::begin(db, ctx).await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO shelter_stays (case_id, unit_org_id, institution_org_id, started_on, planned_end_on, limit_on, \
         current_end_on, note, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $5, $7, $8, $9, $9) RETURNING id",
    )
    .bind(case.id)
    .bind(case.unit_org_id)
    .bind(input.institution_org_id)
    .bind(input.started_on.to_string())
    .bind(input.planned_end_on.to_string())
    .bind(limit.to_string())
    .bind(&input.note)
    .bind(user)
    .bind(ctx.now)
    .fetch_one(&mut *tx)
    .await
    .or_internal()?;
    audit::record(
        &mut *tx,
        ctx,
        AuditAction::StayRecorded,
        case_subject(&case.reference),
        json!({ "stay": id, "institution_org": input.institution_org_id, "until": input.planned_end_on.to_string() }),
    )
    .await?;
    forms::commit(tx, ctx, id).await?;
    Ok(id)
}

async fn stay_for_unit(db: &Db, ctx: &Ctx, stay_id: i64, what: &str) -> DomainResult<(StayRow, CaseRow)> {
    let Some(s) = rows::stay(db.pool(), stay_id).await? else {
        return Err(deny(db, ctx, what, None).await);
    };
    let case = case_of_unit(db, ctx, s.case_id, what).await?;
    Ok((s, case))
}

/// Extends an open stay: the decision (who, number, date), the reason and the new end.
pub async fn extend_stay(db: &Db, ctx: &Ctx, stay_id: i64, form: &ExtensionForm) -> DomainResult<i64> {
    let (s, case) = stay_for_unit(db, ctx, stay_id, "stay_extend").await?;
    let mut e = FieldErrors::new();
    if s.ended_on.is_some() {
        e.add("new_end_on", "err-stay-ended");
        return Err(e.into());
    }
    let current_end = parse_date(&s.current_end_on)?;
    let input = form.validate(kyiv_date(ctx.now), current_end)?;
    let user = user_id(ctx)?;
    let version = form.version.trim().parse::<i64>().unwrap_or(s.version);
    let mut tx = db.begin().await.or_internal()?;
    let done = sqlx::query(
        "UPDATE shelter_stays SET current_end_on = $3, extended = 1, updated_at = $4, version = version + 1 \
         WHERE id = $1 AND version = $2 AND ended_on IS NULL",
    )
    .bind(s.id)
    .bind(version)
    .bind(input.new_end_on.to_string())
    .bind(ctx.now)
    .execute(&mut *tx)
    .await
    .or_internal()?;
    if done.rows_affected() == 0 {
        return Err(DomainError::Conflict("stale"));
    }
    sqlx::query(
        "INSERT INTO shelter_extensions (stay_id, decided_by, decision_no, decision_on, reason, previous_end_on, \
         new_end_on, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(s.id)
    .bind(&input.decided_by)
    .bind(&input.decision_no)
    .bind(input.decision_on.to_string())
    .bind(&input.reason)
    .bind(&s.current_end_on)
    .bind(input.new_end_on.to_string())
    .bind(user)
    .bind(ctx.now)
    .execute(&mut *tx)
    .await
    .or_internal()?;
    audit::record(
        &mut *tx,
        ctx,
        AuditAction::StayExtended,
        case_subject(&case.reference),
        json!({ "stay": s.id, "until": input.new_end_on.to_string() }),
    )
    .await?;
    tx.commit().await.or_internal()?;
    Ok(s.case_id)
}

/// What the officer types when a stay ends.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct EndStayForm {
    pub ended_on: String,
    pub note: String,
    pub version: String,
}

/// Records the day a stay ended.
pub async fn end_stay(db: &Db, ctx: &Ctx, stay_id: i64, form: &EndStayForm) -> DomainResult<i64> {
    let (s, case) = stay_for_unit(db, ctx, stay_id, "stay_end").await?;
    let mut e = FieldErrors::new();
    let today = kyiv_date(ctx.now);
    let started = parse_date(&s.started_on)?;
    let ended_on = match domain::plan::parse_date(form.ended_on.trim()) {
        None if form.ended_on.trim().is_empty() => {
            e.add("ended_on", "err-required");
            today
        }
        None => {
            e.add("ended_on", "err-date");
            today
        }
        Some(d) if d > today => {
            e.add("ended_on", "err-future-date");
            d
        }
        Some(d) if d < started => {
            e.add("ended_on", "err-end-before-start");
            d
        }
        Some(d) => d,
    };
    domain::validation::max_chars(&mut e, "note", form.note.trim(), domain::assistance::NOTE_MAX);
    if s.ended_on.is_some() {
        e.add("ended_on", "err-stay-ended");
    }
    if !e.is_empty() {
        return Err(e.into());
    }
    let version = form.version.trim().parse::<i64>().unwrap_or(s.version);
    let mut tx = db.begin().await.or_internal()?;
    let done = sqlx::query(
        "UPDATE shelter_stays SET ended_on = $3, end_note = $4, updated_at = $5, version = version + 1 \
         WHERE id = $1 AND version = $2 AND ended_on IS NULL",
    )
    .bind(s.id)
    .bind(version)
    .bind(ended_on.to_string())
    .bind(domain::validation::optional(&form.note))
    .bind(ctx.now)
    .execute(&mut *tx)
    .await
    .or_internal()?;
    if done.rows_affected() == 0 {
        return Err(DomainError::Conflict("stale"));
    }
    audit::record(
        &mut *tx,
        ctx,
        AuditAction::StayEnded,
        case_subject(&case.reference),
        json!({ "stay": s.id, "ended_on": ended_on.to_string() }),
    )
    .await?;
    tx.commit().await.or_internal()?;
    Ok(s.case_id)
}

// ---------------------------------------------------------- the unit's list

/// What the unit's case officers must look at: needs with nothing planned,
/// services past their planned date, stays near or past their end. Case
/// references only, never a name.
#[derive(Debug, Clone, Default)]
pub struct UnitList {
    pub needs: Vec<UnansweredNeed>,
    pub services: Vec<DueService>,
    pub stays: Vec<StayLine>,
    /// How many of each there are, up to [`COUNT_CAP`] (the stays' count
    /// includes those ending within 14 days, as the list does).
    pub counts: (i64, i64, i64),
}

/// The unit's list, recorded as a view.
pub async fn unit_list(db: &Db, ctx: &Ctx) -> DomainResult<UnitList> {
    let Some(actor) = ctx.actor().filter(|a| a.works_cases()) else {
        return Err(deny_page(db, ctx, "assistance").await);
    };
    let list = unit_list_of(db, actor.org_id, kyiv_date(ctx.now), LIST_LIMIT).await?;
    audit::record_view(
        db,
        ctx,
        AuditAction::AssistanceListViewed,
        None,
        json!({ "needs": list.needs.len(), "services": list.services.len(), "stays": list.stays.len() }),
    )
    .await?;
    Ok(list)
}

async fn unit_list_of(db: &Db, unit: i64, today: Date, limit: i64) -> DomainResult<UnitList> {
    let mut tx = db.begin_read().await.or_internal()?;
    let needs = rows::unanswered_needs(&mut *tx, unit, limit).await?;
    let services = rows::due_services(&mut *tx, unit, today, limit).await?;
    let soon = today.saturating_add(domain::assistance::STAY_ENDING_SOON_DAYS.days());
    let mut stays = rows::ending_stays(&mut *tx, unit, soon, limit).await?;
    let counts = rows::list_counts(&mut tx, unit, today, soon, COUNT_CAP).await?;
    tx.commit().await.or_internal()?;
    for s in &mut stays {
        s.flag = StayFlag::of(
            parse_date(&s.started_on)?,
            parse_date(&s.current_end_on)?,
            s.extended.0,
            today,
        );
    }
    stays.retain(|s| s.flag.is_some());
    Ok(UnitList {
        needs,
        services,
        stays,
        counts,
    })
}

/// For the home page: how many lines the unit's list has (counts only, up to [`COUNT_CAP`]).
pub async fn home_counts(db: &Db, ctx: &Ctx) -> DomainResult<Option<(i64, i64, i64)>> {
    let Some(actor) = ctx.actor().filter(|a| a.works_cases()) else {
        return Ok(None);
    };
    if !allowed(ctx, |a| a.works_cases()) {
        return Ok(None);
    }
    let today = kyiv_date(ctx.now);
    let soon = today.saturating_add(domain::assistance::STAY_ENDING_SOON_DAYS.days());
    let mut tx = db.begin_read().await.or_internal()?;
    let counts = rows::list_counts(&mut tx, actor.org_id, today, soon, COUNT_CAP).await?;
    tx.commit().await.or_internal()?;
    Ok(Some(counts))
}

/// The case a service belongs to, for the page a step comes back to; refused
/// (and audited) unless the actor works that case.
pub async fn service_case(db: &Db, ctx: &Ctx, service_id: i64) -> DomainResult<Option<i64>> {
    let Some(s) = rows::service(db.pool(), service_id).await? else {
        return Err(deny(db, ctx, "service_step", None).await);
    };
    case_of_unit(db, ctx, s.case_id, "service_step").await?;
    Ok(Some(s.case_id))
}

/// The case a stay belongs to, for the page its forms come back to.
pub async fn stay_case(db: &Db, ctx: &Ctx, stay_id: i64) -> DomainResult<Option<i64>> {
    let (s, _) = stay_for_unit(db, ctx, stay_id, "stay_step").await?;
    Ok(Some(s.case_id))
}

/// The case and its current needs (the latest assessment's), for the forms
/// that assess and plan; recorded as a view of the case.
pub async fn page_case(db: &Db, ctx: &Ctx, case_id: i64) -> DomainResult<(CaseRow, Vec<AssessedNeedRow>)> {
    let case = case_of_unit(db, ctx, case_id, "assistance_form").await?;
    let mut tx = db.begin_read().await.or_internal()?;
    let assessments = rows::assessments(&mut tx, case.id).await?;
    let mut needs = rows::assessed_needs(&mut tx, case.id).await?;
    tx.commit().await.or_internal()?;
    let latest = assessments.first().map(|a| a.id);
    needs.retain(|n| Some(n.assessment_id) == latest);
    audit::record_view(
        db,
        ctx,
        AuditAction::CaseViewed,
        case_subject(&case.reference),
        json!({ "page": "assistance_form" }),
    )
    .await?;
    Ok((case, needs))
}

/// What a unit is reminded of about assistance: stays near or past their end
/// and payments near or past their due date — counts only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssistanceReminder {
    pub org_id: i64,
    /// "at_risk" or "overdue"
    pub kind: &'static str,
    pub stays: usize,
    pub payments: usize,
    pub earliest_due: String,
}

/// Takes the assistance reminders due now: each open stay once when it comes
/// within [`domain::assistance::STAY_ENDING_SOON_DAYS`] of its end and once
/// when it is past it; each pending payment once when it comes within
/// `deadline::AT_RISK_DAYS` of its due date and once when it is overdue. A new
/// end (an extension) is reminded afresh. Grouped by unit; counts only.
pub async fn take_reminders(db: &Db, now: i64, emailed: bool) -> DomainResult<Vec<AssistanceReminder>> {
    let today = kyiv_date(now);
    let yesterday = today.yesterday().unwrap_or(today);
    let stay_soon = today.saturating_add(domain::assistance::STAY_ENDING_SOON_DAYS.days());
    let pay_soon = today.saturating_add(domain::deadline::AT_RISK_DAYS.days());
    let mut out: Vec<AssistanceReminder> = Vec::new();
    let mut tx = db.begin().await.or_internal()?;
    for (subject, table, due_col, open) in [
        ("stay", "shelter_stays", "current_end_on", "t.ended_on IS NULL"),
        (
            "payment",
            "payments",
            "due_on",
            "t.state IN ('applied', 'approved')",
        ),
    ] {
        let soon = if subject == "stay" { stay_soon } else { pay_soon };
        for (kind, limit) in [("overdue", yesterday), ("at_risk", soon)] {
            let rows: Vec<(i64, i64, String)> = sqlx::query_as(&format!(
                "SELECT t.id, t.unit_org_id, t.{due_col} FROM {table} t WHERE {open} AND t.{due_col} <= $1 \
                 AND NOT EXISTS (SELECT 1 FROM assistance_reminders r WHERE r.subject = $2 AND r.subject_id = t.id \
                 AND r.due_on = t.{due_col} AND r.kind IN ($3, 'overdue')) ORDER BY t.unit_org_id, t.{due_col}"
            ))
            .bind(limit.to_string())
            .bind(subject)
            .bind(kind)
            .fetch_all(&mut *tx)
            .await
            .or_internal()?;
            for (id, org_id, due) in rows {
                sqlx::query(
                    "INSERT INTO assistance_reminders (subject, subject_id, due_on, kind, emailed, sent_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(subject)
                .bind(id)
                .bind(&due)
                .bind(kind)
                .bind(crate::flag(emailed))
                .bind(now)
                .execute(&mut *tx)
                .await
                .or_internal()?;
                let i = match out.iter().position(|r| r.org_id == org_id && r.kind == kind) {
                    Some(i) => i,
                    None => {
                        out.push(AssistanceReminder {
                            org_id,
                            kind,
                            stays: 0,
                            payments: 0,
                            earliest_due: due.clone(),
                        });
                        out.len() - 1
                    }
                };
                let r = &mut out[i];
                if subject == "stay" {
                    r.stays += 1;
                } else {
                    r.payments += 1;
                }
                if due < r.earliest_due {
                    r.earliest_due = due;
                }
            }
        }
    }
    for r in &out {
        audit::record(
            &mut *tx,
            &Ctx::internal(now),
            AuditAction::ReminderSent,
            Some((domain::audit::SubjectKind::Organisation, r.org_id.to_string())),
            json!({ "kind": format!("assistance_{}", r.kind), "stays": r.stays, "payments": r.payments,
                    "emailed": emailed }),
        )
        .await?;
    }
    tx.commit().await.or_internal()?;
    Ok(out)
}
