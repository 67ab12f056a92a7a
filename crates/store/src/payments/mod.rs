//! The one-time financial assistance (SPEC §5; CMU 660 of 25.07.2012): the
//! application after a granted status, its amount from the versioned tables,
//! its steps, and the unit's payment register.
//!
//! Security role: only the case officers of the case's unit who run status
//! procedures record or read a payment (`Record::Payment` →
//! `Actor::may_run_procedure`); administrators keep the tables of subsistence
//! minimums and the multiplier (`may_manage_settings`) and see no payment.
//! Every view, change and export writes an audit row in the transaction of
//! the change; the register names recipients only in the export that asks
//! for names, and that export is audited as such.
//!
//! Integrity: one payment per granted status across the deployment
//! (`UNIQUE (procedure_id)` — a second application fails in the database even
//! if two arrive at once); the amount is determined once, on the application
//! date, and stored with the table rows it came from; the register only grows
//! (triggers refuse UPDATE and DELETE), and a correction is a reversal line
//! linked to the line it corrects.

sql_mod!(rows);

pub use rows::{DuePayment, GrantedStatus, PaymentRow, RateSource, RegisterLine};

use crate::access::{allowed, deny, deny_page};
use crate::cases::rows::{self as cases, CaseRow, case_subject};
use crate::dates::{kyiv_date, parse_date};
use crate::error::{OrInternal, keys, violates};
use crate::{Ctx, Db, Tx, audit, forms};
use domain::audit::{AuditAction, SubjectKind};
use domain::case::CaseState;
use domain::money::Money;
use domain::payment::{
    self, ApplicationForm, Determination, Minimums, MinimumsForm, Multiplier, MultiplierForm, PaymentAction,
    PaymentCategory, PaymentState, StepForm, category_on,
};
use domain::{DomainError, DomainResult, FieldErrors};
use jiff::civil::Date;
use serde_json::json;

/// The subsistence minimums shipped as data: whole hryvnias per category and effective date.
pub const SUBSISTENCE_MINIMUM_CSV: &str = include_str!("../../../../data/reference/subsistence_minimum.csv");
/// The multiplier of the payment shipped as data.
pub const PAYMENT_MULTIPLIERS_CSV: &str = include_str!("../../../../data/reference/payment_multipliers.csv");

/// The most lines a register export holds; a longer period is refused with a message.
pub const REGISTER_MAX_LINES: i64 = 100_000;
/// The most lines a page of the register lists (the totals always cover the whole period).
pub const REGISTER_PAGE_LINES: i64 = 100;

fn payment_subject(id: i64) -> Option<(SubjectKind, String)> {
    Some((SubjectKind::Payment, id.to_string()))
}

fn user_id(ctx: &Ctx) -> DomainResult<i64> {
    ctx.actor()
        .map(|a| a.user_id)
        .ok_or_else(|| DomainError::Internal("a payment needs a signed-in actor".into()))
}

fn field_error(field: &'static str, message: &'static str) -> DomainError {
    FieldErrors::one(field, message).into()
}

/// A second row of a table with the same effective date, as the date field's message.
fn date_taken(key: crate::error::UniqueKey) -> impl FnOnce(sqlx::Error) -> DomainError {
    move |e| {
        if violates(&e, &key) {
            field_error("effective_from", "err-rate-date-taken")
        } else {
            crate::error::internal(e)
        }
    }
}

/// Loads the shipped tables when the database has none (idempotent; an
/// administrator's rows are never touched).
pub async fn ensure_default_rates(db: &Db, now: i64) -> DomainResult<()> {
    let mut tx = db.begin().await.or_internal()?;
    let have: Option<i64> = sqlx::query_scalar("SELECT id FROM payment_minimums LIMIT 1")
        .fetch_optional(&mut *tx)
        .await
        .or_internal()?;
    if have.is_none() {
        let mut r = csv::Reader::from_reader(SUBSISTENCE_MINIMUM_CSV.as_bytes());
        for rec in r.records() {
            let rec = rec.map_err(|e| DomainError::Internal(format!("subsistence minimums: {e}")))?;
            let hryvnias = |i: usize| -> DomainResult<i64> {
                rec.get(i)
                    .and_then(|v| v.trim().parse::<i64>().ok())
                    .map(|h| h * 100)
                    .ok_or_else(|| DomainError::Internal(format!("subsistence minimums: column {i}")))
            };
            sqlx::query(
                "INSERT INTO payment_minimums (effective_from, under_6, child_6_18, working_age, lost_ability, \
                 source, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(rec.get(0).unwrap_or("").trim())
            .bind(hryvnias(1)?)
            .bind(hryvnias(2)?)
            .bind(hryvnias(3)?)
            .bind(hryvnias(4)?)
            .bind(rec.get(5).unwrap_or("").trim())
            .bind(now)
            .execute(&mut *tx)
            .await
            .or_internal()?;
        }
    }
    let have: Option<i64> = sqlx::query_scalar("SELECT id FROM payment_multipliers LIMIT 1")
        .fetch_optional(&mut *tx)
        .await
        .or_internal()?;
    if have.is_none() {
        let mut r = csv::Reader::from_reader(PAYMENT_MULTIPLIERS_CSV.as_bytes());
        for rec in r.records() {
            let rec = rec.map_err(|e| DomainError::Internal(format!("payment multipliers: {e}")))?;
            let factor: i64 = rec
                .get(1)
                .and_then(|v| v.trim().parse().ok())
                .ok_or_else(|| DomainError::Internal("payment multipliers: factor".into()))?;
            sqlx::query(
                "INSERT INTO payment_multipliers (effective_from, factor, source, created_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(rec.get(0).unwrap_or("").trim())
            .bind(factor)
            .bind(rec.get(2).unwrap_or("").trim())
            .bind(now)
            .execute(&mut *tx)
            .await
            .or_internal()?;
        }
    }
    tx.commit().await.or_internal()
}

// ------------------------------------------------------------------ tables

/// Both versioned tables, with where each row comes from.
#[derive(Debug, Clone)]
pub struct Rates {
    pub minimums: Vec<Minimums>,
    pub minimum_sources: Vec<RateSource>,
    pub multipliers: Vec<Multiplier>,
    pub multiplier_sources: Vec<RateSource>,
}

/// The tables, for the administrator's settings page.
pub async fn rates(db: &Db, ctx: &Ctx) -> DomainResult<Rates> {
    if !allowed(ctx, |a| a.may_manage_settings()) {
        return Err(deny_page(db, ctx, "settings_payment_rates").await);
    }
    Ok(Rates {
        minimums: rows::minimums(db.pool()).await?,
        minimum_sources: rows::sources(db.pool(), "payment_minimums").await?,
        multipliers: rows::multipliers(db.pool()).await?,
        multiplier_sources: rows::sources(db.pool(), "payment_multipliers").await?,
    })
}

/// Adds a row of subsistence minimums in force from its date. Payments
/// already determined keep their amounts.
pub async fn add_minimums(db: &Db, ctx: &Ctx, form: &MinimumsForm) -> DomainResult<i64> {
    if !allowed(ctx, |a| a.may_manage_settings()) {
        return Err(deny_page(db, ctx, "settings_payment_rates").await);
    }
    let input = form.validate()?;
    let mut tx = forms::begin(db, ctx).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO payment_minimums (effective_from, under_6, child_6_18, working_age, lost_ability, source, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(input.effective_from.to_string())
    .bind(input.amounts[0].kopiykas())
    .bind(input.amounts[1].kopiykas())
    .bind(input.amounts[2].kopiykas())
    .bind(input.amounts[3].kopiykas())
    .bind(&input.source)
    .bind(ctx.actor().map(|a| a.user_id))
    .bind(ctx.now)
    .fetch_one(&mut *tx)
    .await
    .map_err(date_taken(keys::PAYMENT_MINIMUMS_FROM))?;
    audit::record(
        &mut *tx,
        ctx,
        AuditAction::PaymentRatesChanged,
        Some((SubjectKind::Rates, "minimums".into())),
        json!({ "row": id, "from": input.effective_from.to_string(),
                "amounts": input.amounts.iter().map(|m| m.kopiykas()).collect::<Vec<_>>() }),
    )
    .await?;
    forms::commit(tx, ctx, id).await?;
    Ok(id)
}

/// Adds a multiplier in force from its date.
pub async fn add_multiplier(db: &Db, ctx: &Ctx, form: &MultiplierForm) -> DomainResult<i64> {
    if !allowed(ctx, |a| a.may_manage_settings()) {
        return Err(deny_page(db, ctx, "settings_payment_rates").await);
    }
    let input = form.validate()?;
    let mut tx = forms::begin(db, ctx).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO payment_multipliers (effective_from, factor, source, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(input.effective_from.to_string())
    .bind(input.factor)
    .bind(&input.source)
    .bind(ctx.actor().map(|a| a.user_id))
    .bind(ctx.now)
    .fetch_one(&mut *tx)
    .await
    .map_err(date_taken(keys::PAYMENT_MULTIPLIERS_FROM))?;
    audit::record(
        &mut *tx,
        ctx,
        AuditAction::PaymentRatesChanged,
        Some((SubjectKind::Rates, "multiplier".into())),
        json!({ "row": id, "from": input.effective_from.to_string(), "factor": input.factor }),
    )
    .await?;
    forms::commit(tx, ctx, id).await?;
    Ok(id)
}

// ------------------------------------------------------------- application

async fn case_for_payments(db: &Db, ctx: &Ctx, case_id: i64, what: &str) -> DomainResult<CaseRow> {
    match cases::get(db.pool(), case_id).await? {
        Some(c) if allowed(ctx, |a| a.may_run_procedure(c.unit_org_id)) => Ok(c),
        Some(c) => Err(deny(db, ctx, what, case_subject(&c.reference)).await),
        None => Err(deny(db, ctx, what, Some((SubjectKind::Case, format!("#{case_id}")))).await),
    }
}

/// What the application form needs to know about the case.
#[derive(Debug, Clone)]
pub struct PaymentStart {
    pub case: CaseRow,
    /// The granted status the payment would be for, if the case has one.
    pub status: Option<GrantedStatus>,
    /// The payment already recorded for that status.
    pub existing: Option<i64>,
    pub birth_date: Option<String>,
    /// The person's name (the applicant by default) and the case's legal representative.
    pub person_name: Option<String>,
    pub representative: Option<String>,
    /// Today's amount per category, for the form's explanation.
    pub today: Vec<(PaymentCategory, Money)>,
}

/// The case as the application form shows it.
pub async fn application_start(db: &Db, ctx: &Ctx, case_id: i64) -> DomainResult<PaymentStart> {
    let case = case_for_payments(db, ctx, case_id, "payment_apply").await?;
    let status = rows::granted_status(db.pool(), case.id).await?;
    let existing = match &status {
        Some(s) => sqlx::query_scalar("SELECT id FROM payments WHERE procedure_id = $1")
            .bind(s.procedure_id)
            .fetch_optional(db.pool())
            .await
            .or_internal()?,
        None => None,
    };
    let person = match case.person_id {
        Some(pid) => cases::person(db.pool(), pid).await?,
        None => None,
    };
    let today = kyiv_date(ctx.now);
    let mins = rows::minimums(db.pool()).await?;
    let mults = rows::multipliers(db.pool()).await?;
    let amounts = PaymentCategory::ALL
        .iter()
        .filter_map(|c| payment::determine(&mins, &mults, *c, today).map(|d| (*c, d.amount)))
        .collect();
    Ok(PaymentStart {
        status,
        existing,
        birth_date: person.as_ref().and_then(|p| p.birth_date.clone()),
        person_name: person.as_ref().map(|p| p.full_name()),
        representative: case.legal_representative.clone(),
        today: amounts,
        case,
    })
}

/// Records an application for the one-time payment: it needs a granted,
/// unexpired status on the application date and no payment for that status
/// yet; the category comes from the person's age on that date (or the basis
/// of lost ability to work), the amount from the tables in force on it.
pub async fn apply(db: &Db, ctx: &Ctx, case_id: i64, form: &ApplicationForm) -> DomainResult<i64> {
    let case = case_for_payments(db, ctx, case_id, "payment_apply").await?;
    if case.state() != CaseState::Open {
        return Err(field_error("applied_on", "err-case-not-open"));
    }
    let Some(status) = rows::granted_status(db.pool(), case.id).await? else {
        return Err(field_error("applied_on", "err-payment-no-status"));
    };
    let granted_on = status.decided_on.as_deref().map(parse_date).transpose()?;
    let input = form.validate(kyiv_date(ctx.now), granted_on)?;
    if let Some(until) = status.valid_until.as_deref().map(parse_date).transpose()?
        && input.applied_on > until
    {
        return Err(field_error("applied_on", "err-payment-status-expired"));
    }
    let person = match case.person_id {
        Some(pid) => cases::person(db.pool(), pid).await?,
        None => None,
    };
    let Some(birth) = person
        .as_ref()
        .and_then(|p| p.birth_date.as_deref())
        .map(parse_date)
        .transpose()?
    else {
        return Err(field_error("applied_on", "err-payment-birth-date"));
    };
    let category = category_on(birth, input.applied_on, input.lost_ability_basis.is_some());
    let user = user_id(ctx)?;
    let mut tx = forms::begin(db, ctx).await?;
    let mins = rows::minimums(&mut *tx).await?;
    let mults = rows::multipliers(&mut *tx).await?;
    let Some(d): Option<Determination> = payment::determine(&mins, &mults, category, input.applied_on) else {
        return Err(field_error("applied_on", "err-payment-no-rates"));
    };
    let applied = input.applied_on.to_string();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO payments (case_id, unit_org_id, procedure_id, applied_on, applicant, representative_name, \
         representative_document, category, lost_ability_basis, minimums_id, multiplier_id, minimum, factor, amount, \
         due_on, state, last_step_on, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'applied', $4, $16, $17, $17) \
         RETURNING id",
    )
    .bind(case.id)
    .bind(case.unit_org_id)
    .bind(status.procedure_id)
    .bind(&applied)
    .bind(input.applicant.as_str())
    .bind(&input.representative_name)
    .bind(&input.representative_document)
    .bind(d.category.as_str())
    .bind(input.lost_ability_basis.as_ref().filter(|_| category == PaymentCategory::LostAbility))
    .bind(d.minimums_id)
    .bind(d.multiplier_id)
    .bind(d.minimum.kopiykas())
    .bind(d.factor)
    .bind(d.amount.kopiykas())
    .bind(payment::due_on(input.applied_on).to_string())
    .bind(user)
    .bind(ctx.now)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| {
        if violates(&e, &keys::PAYMENTS_PROCEDURE) {
            field_error("applied_on", "err-payment-exists")
        } else {
            crate::error::internal(e)
        }
    })?;
    audit::record(
        &mut *tx,
        ctx,
        AuditAction::PaymentApplied,
        payment_subject(id),
        json!({ "case": case.reference, "category": d.category.as_str(), "amount": d.amount.kopiykas(),
                "applicant": input.applicant.as_str() }),
    )
    .await?;
    forms::commit(tx, ctx, id).await?;
    Ok(id)
}

/// A payment of the case, for the case page (the page records the view).
pub async fn of_case(db: &Db, ctx: &Ctx, case_id: i64) -> DomainResult<Vec<PaymentRow>> {
    let case = case_for_payments(db, ctx, case_id, "payment_view").await?;
    rows::of_case(db.pool(), case.id).await
}

/// Whether the actor records payments for the unit of a case (the case page offers the link).
pub fn may_record(ctx: &Ctx, unit_org_id: i64) -> bool {
    allowed(ctx, |a| a.may_run_procedure(unit_org_id))
}

/// A payment with its register lines.
#[derive(Debug, Clone)]
pub struct PaymentView {
    pub payment: PaymentRow,
    pub lines: Vec<RegisterLine>,
    pub today: Date,
}

async fn payment_for_unit(db: &Db, ctx: &Ctx, id: i64, what: &str) -> DomainResult<PaymentRow> {
    match rows::get(db.pool(), id).await? {
        Some(p) if allowed(ctx, |a| a.may_run_procedure(p.unit_org_id)) => Ok(p),
        _ => Err(deny(db, ctx, what, payment_subject(id)).await),
    }
}

/// One payment, recorded as a view.
pub async fn view(db: &Db, ctx: &Ctx, id: i64) -> DomainResult<PaymentView> {
    let payment = payment_for_unit(db, ctx, id, "payment_view").await?;
    let lines = rows::lines_of_payment(db.pool(), id).await?;
    audit::record_view(
        db,
        ctx,
        AuditAction::PaymentViewed,
        payment_subject(id),
        json!({ "case": payment.case_reference }),
    )
    .await?;
    Ok(PaymentView {
        payment,
        lines,
        today: kyiv_date(ctx.now),
    })
}

/// Approves (and enters in the register), pays (with the payment reference)
/// or refuses (grounds and the notice of appeal; an approved payment's line
/// is reversed in the same transaction) a payment.
pub async fn step(db: &Db, ctx: &Ctx, id: i64, action: PaymentAction, form: &StepForm) -> DomainResult<i64> {
    let what = format!("payment_{}", action.as_str());
    let p = payment_for_unit(db, ctx, id, &what).await?;
    let Some(next) = p.state.apply(action) else {
        return Err(field_error("on", "err-step-not-now"));
    };
    let input = form.validate(action, kyiv_date(ctx.now), parse_date(&p.last_step_on)?)?;
    let version = form.version.trim().parse::<i64>().unwrap_or(p.version);
    let user = user_id(ctx)?;
    let on = input.on.to_string();
    let mut tx = db.begin().await.or_internal()?;
    let done = sqlx::query(
        "UPDATE payments SET state = $3, approved_on = COALESCE($4, approved_on), \
         paid_on = COALESCE($5, paid_on), payment_ref = COALESCE($6, payment_ref), \
         refused_on = COALESCE($7, refused_on), refusal_grounds = COALESCE($8, refusal_grounds), \
         appeal_notice = COALESCE($9, appeal_notice), last_step_on = $10, updated_at = $11, \
         version = version + 1 WHERE id = $1 AND version = $2",
    )
    .bind(p.id)
    .bind(version)
    .bind(next.as_str())
    .bind((next == PaymentState::Approved).then(|| on.clone()))
    .bind((next == PaymentState::Paid).then(|| on.clone()))
    .bind(&input.payment_ref)
    .bind((next == PaymentState::Refused).then(|| on.clone()))
    .bind(&input.grounds)
    .bind(&input.appeal_notice)
    .bind(&on)
    .bind(ctx.now)
    .execute(&mut *tx)
    .await
    .or_internal()?;
    if done.rows_affected() == 0 {
        return Err(DomainError::Conflict("stale"));
    }
    match (p.state, next) {
        (_, PaymentState::Approved) => {
            enter_line(&mut tx, ctx, &p, &on, user).await?;
        }
        (PaymentState::Approved, PaymentState::Refused) => {
            let lines = rows::lines_of_payment(&mut *tx, p.id).await?;
            for l in lines
                .iter()
                .filter(|l| l.kind == payment::RegisterEntryKind::Payment && l.reversed_by.is_none())
            {
                reverse_line(
                    &mut tx,
                    l,
                    &on,
                    input.grounds.as_deref().unwrap_or("-"),
                    user,
                    ctx,
                )
                .await?;
            }
        }
        _ => {}
    }
    audit::record(
        &mut *tx,
        ctx,
        AuditAction::PaymentStep,
        payment_subject(p.id),
        json!({ "case": p.case_reference, "step": action.as_str(), "on": on }),
    )
    .await?;
    tx.commit().await.or_internal()?;
    Ok(p.id)
}

async fn enter_line(tx: &mut Tx, ctx: &Ctx, p: &PaymentRow, on: &str, user: i64) -> DomainResult<i64> {
    sqlx::query_scalar(
        "INSERT INTO payment_register (unit_org_id, payment_id, kind, entered_on, category, amount, created_by, \
         created_at) VALUES ($1, $2, 'payment', $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(p.unit_org_id)
    .bind(p.id)
    .bind(on)
    .bind(p.category.as_str())
    .bind(p.amount)
    .bind(user)
    .bind(ctx.now)
    .fetch_one(&mut **tx)
    .await
    .or_internal()
}

async fn reverse_line(
    tx: &mut Tx,
    line: &RegisterLine,
    on: &str,
    reason: &str,
    user: i64,
    ctx: &Ctx,
) -> DomainResult<i64> {
    let unit: i64 = sqlx::query_scalar("SELECT unit_org_id FROM payment_register WHERE id = $1")
        .bind(line.id)
        .fetch_one(&mut **tx)
        .await
        .or_internal()?;
    sqlx::query_scalar(
        "INSERT INTO payment_register (unit_org_id, payment_id, kind, reverses_id, entered_on, category, amount, \
         reason, created_by, created_at) VALUES ($1, $2, 'reversal', $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(unit)
    .bind(line.payment_id)
    .bind(line.id)
    .bind(on)
    .bind(line.category.as_str())
    .bind(-line.amount)
    .bind(reason)
    .bind(user)
    .bind(ctx.now)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| {
        if violates(&e, &keys::PAYMENT_REGISTER_REVERSES) {
            field_error("reason", "err-line-reversed")
        } else {
            crate::error::internal(e)
        }
    })
}

/// What the officer types to reverse a register line.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ReversalForm {
    pub reason: String,
}

/// Corrects a register line by a reversal line linked to it (the line itself
/// stays): its amount negated, the reason required, today's date.
pub async fn reverse(db: &Db, ctx: &Ctx, line_id: i64, form: &ReversalForm) -> DomainResult<i64> {
    let Some(line) = rows::register_line(db.pool(), line_id).await? else {
        return Err(deny(db, ctx, "register_reverse", None).await);
    };
    let p = payment_for_unit(db, ctx, line.payment_id, "register_reverse").await?;
    let mut e = FieldErrors::new();
    let reason = domain::validation::required(&mut e, "reason", &form.reason);
    domain::validation::max_chars(&mut e, "reason", &reason, payment::TEXT_MAX);
    if line.kind != payment::RegisterEntryKind::Payment {
        e.add("reason", "err-line-not-payment");
    } else if line.reversed_by.is_some() {
        e.add("reason", "err-line-reversed");
    }
    if !e.is_empty() {
        return Err(e.into());
    }
    let user = user_id(ctx)?;
    let today = kyiv_date(ctx.now).to_string();
    let mut tx = forms::begin(db, ctx).await?;
    let id = reverse_line(&mut tx, &line, &today, &reason, user, ctx).await?;
    audit::record(
        &mut *tx,
        ctx,
        AuditAction::PaymentReversed,
        payment_subject(p.id),
        json!({ "case": p.case_reference, "line": line.id, "reversal": id }),
    )
    .await?;
    forms::commit(tx, ctx, p.id).await?;
    Ok(p.id)
}

// ---------------------------------------------------------------- register

/// The period a register covers, as typed (`YYYY-MM-DD`; empty: this year).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct RegisterQuery {
    pub from: String,
    pub to: String,
    /// The page after this line: `YYYY-MM-DD.ID` of the last line shown.
    pub after: String,
}

impl RegisterQuery {
    /// The keyset of the page asked for, if it is well formed (anything else: the first page).
    pub fn after_key(&self) -> Option<(Date, i64)> {
        let (d, id) = self.after.trim().split_once('.')?;
        Some((
            domain::plan::parse_date(d)?,
            id.parse().ok().filter(|i: &i64| *i > 0)?,
        ))
    }
}

impl RegisterQuery {
    /// The period, or the field errors of what was typed.
    pub fn period(&self, today: Date) -> Result<(Date, Date), FieldErrors> {
        let mut e = FieldErrors::new();
        let year_start = Date::new(today.year(), 1, 1).unwrap_or(today);
        let year_end = Date::new(today.year(), 12, 31).unwrap_or(today);
        let mut one = |field: &'static str, v: &str, default: Date| match v.trim() {
            "" => default,
            t => domain::plan::parse_date(t).unwrap_or_else(|| {
                e.add(field, "err-date");
                default
            }),
        };
        let from = one("from", &self.from, year_start);
        let to = one("to", &self.to, year_end);
        if to < from {
            e.add("to", "err-end-before-start");
        }
        e.into_result((from, to))
    }
}

/// The register of the actor's unit for a period: the lines (all of them for
/// an export, the first [`REGISTER_PAGE_LINES`] for the page), the totals by
/// category over the whole period, and the unit's name.
#[derive(Debug, Clone)]
pub struct Register {
    pub unit_org_id: i64,
    pub unit_name: String,
    pub from: Date,
    pub to: Date,
    pub lines: Vec<RegisterLine>,
    /// Whether there are lines after the ones shown: the key of the next page.
    pub next: Option<String>,
    pub line_count: i64,
    /// Per category: the payments less their reversals, and the net amount.
    pub totals: Vec<(PaymentCategory, i64, Money)>,
    pub total: Money,
    /// Whether the lines carry the recipients' names.
    pub with_names: bool,
}

/// How a register is read: the page, or an export with or without names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegisterUse {
    /// A page of lines, after the given (entered_on, id).
    Page {
        after: Option<(Date, i64)>,
    },
    Export {
        with_names: bool,
    },
    /// The covering letter to the accounting unit (totals only).
    Letter,
}

/// The unit's register, recorded as a view or as an export (naming whether
/// the export carries names).
pub async fn register(
    db: &Db,
    ctx: &Ctx,
    from: Date,
    to: Date,
    usage: RegisterUse,
) -> DomainResult<Register> {
    let Some(actor) = ctx.actor().filter(|a| a.runs_procedures()) else {
        return Err(deny_page(db, ctx, "payment_register").await);
    };
    let unit = actor.org_id;
    let (f, t) = (from.to_string(), to.to_string());
    let mut tx = db.begin_read().await.or_internal()?;
    let totals_rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT category, CAST(SUM(CASE WHEN reverses_id IS NULL THEN 1 ELSE -1 END) AS BIGINT), \
         CAST(SUM(amount) AS BIGINT) FROM payment_register \
         WHERE unit_org_id = $1 AND entered_on >= $2 AND entered_on <= $3 GROUP BY category",
    )
    .bind(unit)
    .bind(&f)
    .bind(&t)
    .fetch_all(&mut *tx)
    .await
    .or_internal()?;
    let line_count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM payment_register WHERE unit_org_id = $1 AND entered_on >= $2 AND entered_on <= $3",
    )
    .bind(unit)
    .bind(&f)
    .bind(&t)
    .fetch_one(&mut *tx)
    .await
    .or_internal()?;
    let limit = match usage {
        RegisterUse::Page { .. } => REGISTER_PAGE_LINES + 1,
        RegisterUse::Letter => 0,
        RegisterUse::Export { .. } => {
            if line_count > REGISTER_MAX_LINES {
                return Err(field_error("to", "err-register-too-long"));
            }
            REGISTER_MAX_LINES
        }
    };
    let after = match usage {
        RegisterUse::Page { after: Some((d, id)) } => Some((d.to_string(), id)),
        _ => None,
    };
    let mut lines = rows::register(
        &mut *tx,
        unit,
        &f,
        &t,
        after.as_ref().map(|(d, id)| (d.as_str(), *id)),
        limit,
    )
    .await?;
    let next = if matches!(usage, RegisterUse::Page { .. }) && lines.len() as i64 > REGISTER_PAGE_LINES {
        lines.truncate(REGISTER_PAGE_LINES as usize);
        lines.last().map(|l| format!("{}.{}", l.entered_on, l.id))
    } else {
        None
    };
    let with_names = matches!(usage, RegisterUse::Export { with_names: true });
    if with_names {
        for l in &mut lines {
            l.recipient = match (l.applicant, &l.representative_name, l.person_id) {
                (payment::Applicant::Representative, Some(n), _) => Some(n.clone()),
                (_, _, Some(pid)) => cases::person(&mut *tx, pid).await?.map(|p| p.full_name()),
                _ => None,
            };
        }
    }
    let unit_name: String = sqlx::query_scalar("SELECT name FROM organisations WHERE id = $1")
        .bind(unit)
        .fetch_one(&mut *tx)
        .await
        .or_internal()?;
    tx.commit().await.or_internal()?;
    let mut totals: Vec<(PaymentCategory, i64, Money)> = Vec::new();
    for c in PaymentCategory::ALL {
        let (n, sum) = totals_rows
            .iter()
            .filter(|r| r.0 == c.as_str())
            .fold((0, 0), |acc, r| (acc.0 + r.1, acc.1 + r.2));
        totals.push((*c, n, Money::from_kopiykas(sum)));
    }
    let total = totals.iter().map(|t| t.2).sum();
    let (action, details) = match usage {
        RegisterUse::Page { .. } => (
            AuditAction::PaymentRegisterViewed,
            json!({ "from": f, "to": t, "lines": line_count }),
        ),
        RegisterUse::Export { with_names } => (
            AuditAction::PaymentRegisterDownloaded,
            json!({ "from": f, "to": t, "lines": line_count, "with_names": with_names }),
        ),
        RegisterUse::Letter => (
            AuditAction::PaymentRegisterDownloaded,
            json!({ "from": f, "to": t, "lines": line_count, "letter": true }),
        ),
    };
    audit::record_view(
        db,
        ctx,
        action,
        Some((SubjectKind::Page, "payment_register".into())),
        details,
    )
    .await?;
    Ok(Register {
        unit_org_id: unit,
        unit_name,
        from,
        to,
        next,
        lines,
        line_count,
        totals,
        total,
        with_names,
    })
}

/// The unit's payments waiting for a decision or the money, for its list.
pub async fn pending(db: &Db, ctx: &Ctx) -> DomainResult<Vec<DuePayment>> {
    let Some(actor) = ctx.actor().filter(|a| a.runs_procedures()) else {
        return Ok(Vec::new());
    };
    rows::pending(db.pool(), actor.org_id, crate::assistance::LIST_LIMIT).await
}

/// Whether the actor records payments at all (the unit's list shows the section).
pub fn may_record_any(ctx: &Ctx) -> bool {
    allowed(ctx, |a| a.runs_procedures())
}

/// One register line, for the page that reverses it.
pub async fn register_entry(db: &Db, ctx: &Ctx, line_id: i64) -> DomainResult<RegisterLine> {
    let Some(line) = rows::register_line(db.pool(), line_id).await? else {
        return Err(deny(db, ctx, "register_reverse", None).await);
    };
    payment_for_unit(db, ctx, line.payment_id, "register_reverse").await?;
    Ok(line)
}

/// How many of the unit's payments wait for a decision or the money, up to `assistance::COUNT_CAP`.
pub async fn pending_count(db: &Db, ctx: &Ctx) -> DomainResult<i64> {
    let Some(actor) = ctx.actor().filter(|a| a.runs_procedures()) else {
        return Ok(0);
    };
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT 1 FROM payments WHERE unit_org_id = $1 AND state IN ('applied', 'approved') \
         LIMIT $2) x",
    )
    .bind(actor.org_id)
    .bind(crate::assistance::COUNT_CAP)
    .fetch_one(db.pool())
    .await
    .or_internal()
}
