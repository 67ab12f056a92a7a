//! The status procedure (SPEC §4): the journal, its steps, their deadlines,
//! the police request as a referral, the decision and the documents.
//!
//! Security role: only the case officers of the case's unit run or read a
//! procedure (`Actor::may_run_procedure`); the police reach it only through
//! the request referral (see `cases::act_on_referral`). Every step and every
//! document download writes an audit row naming the case reference.
//!
//! Deadlines: each procedure keeps its next step and due date in
//! `next_step`/`next_due_on`, derived from the rulebook in force on its
//! registration date and the calendar; they are re-derived on every step and
//! whenever the rulebook or the calendar changes, so the deadline list is a
//! single indexed query however many cases there are.

use crate::access::{allowed, deny, deny_page};
use crate::cases::rows::{self as cases, CaseRow, PersonRow, case_for_unit, case_subject};
use crate::codes::{Code, OptCode};
use crate::dates::kyiv_date;
use crate::error::{OrInternal, conflict_on_unique, keys};
use crate::{Ctx, Db, Tx, audit, flag, forms, rules as settings};
use domain::audit::AuditAction;
use domain::case::{CaseState, ReferralInput, ReferralPurpose, SharedField};
use domain::deadline::{self, Calendar, Rulebook, Step, Urgency};
use domain::procedure::{
    self, AppealOutcome, ApplicationForm, Decision, Facts, NoInterviewReason, ProcAction, ProcState,
    StepForm, StepInput,
};
use domain::{DomainError, DomainResult, FieldErrors};
use jiff::civil::Date;
use serde_json::json;
use sqlx::{Any, Executor, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct ProcedureRow {
    pub id: i64,
    pub case_id: i64,
    pub case_reference: String,
    pub unit_org_id: i64,
    pub journal_year: i64,
    pub journal_no: i64,
    pub registered_on: String,
    pub applicant: String,
    pub representative: Option<String>,
    pub language: Option<String>,
    pub interpreter: Option<String>,
    pub registered_by: i64,
    pub registered_by_name: String,
    #[sqlx(try_from = "Code<ProcState>")]
    pub state: ProcState,
    pub interview_on: Option<String>,
    pub interview_account: Option<String>,
    pub interview_consent: Option<i64>,
    pub non_disclosure: Option<i64>,
    #[sqlx(try_from = "OptCode<NoInterviewReason>")]
    pub no_interview_reason: Option<NoInterviewReason>,
    pub police_request_on: Option<String>,
    pub police_referral_id: Option<i64>,
    pub police_reply_on: Option<String>,
    pub proceedings_found: Option<i64>,
    pub proceedings_ref: Option<String>,
    pub conclusion_on: Option<String>,
    pub conclusion: Option<String>,
    #[sqlx(try_from = "OptCode<Decision>")]
    pub decision: Option<Decision>,
    pub decided_on: Option<String>,
    pub certificate_no: Option<String>,
    pub valid_until: Option<String>,
    pub refusal_grounds: Option<String>,
    pub notified_on: Option<String>,
    pub appeal_on: Option<String>,
    #[sqlx(try_from = "OptCode<AppealOutcome>")]
    pub appeal_outcome: Option<AppealOutcome>,
    pub appeal_outcome_on: Option<String>,
    pub terminated_on: Option<String>,
    pub termination_reason: Option<String>,
    pub last_step_on: String,
    #[sqlx(try_from = "OptCode<Step>")]
    pub next_step: Option<Step>,
    pub next_due_on: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
}

impl ProcedureRow {
    pub fn state(&self) -> ProcState {
        self.state
    }

    /// "17/2026"
    pub fn journal_number(&self) -> String {
        format!("{}/{}", self.journal_no, self.journal_year)
    }

    pub fn facts(&self) -> Facts {
        Facts {
            no_interview: self.no_interview_reason,
            decision: self.decision,
            appeal_lodged: self.appeal_on.is_some(),
            appeal_outcome: self.appeal_outcome,
        }
    }

    pub fn registered(&self) -> DomainResult<Date> {
        crate::dates::parse_date(&self.registered_on)
    }

    pub fn last_step(&self) -> DomainResult<Date> {
        crate::dates::parse_date(&self.last_step_on)
    }

    /// The next step, its due date and how urgent it is today.
    pub fn deadline(&self, today: Date) -> Option<(Step, Date, Urgency)> {
        let step = self.next_step?;
        let due = domain::plan::parse_date(self.next_due_on.as_deref()?)?;
        Some((step, due, deadline::urgency(due, today, deadline::AT_RISK_DAYS)))
    }
}

pub const SELECT: &str = "SELECT p.id, p.case_id, c.reference AS case_reference, p.unit_org_id, p.journal_year, \
    p.journal_no, p.registered_on, p.applicant, p.representative, p.language, p.interpreter, p.registered_by, \
    u.full_name AS registered_by_name, p.state, p.interview_on, p.interview_account, p.interview_consent, \
    p.non_disclosure, p.no_interview_reason, p.police_request_on, p.police_referral_id, p.police_reply_on, \
    p.proceedings_found, p.proceedings_ref, p.conclusion_on, p.conclusion, p.decision, p.decided_on, \
    p.certificate_no, p.valid_until, p.refusal_grounds, p.notified_on, p.appeal_on, p.appeal_outcome, \
    p.appeal_outcome_on, p.terminated_on, p.termination_reason, p.last_step_on, p.next_step, p.next_due_on, \
    p.created_at, p.updated_at, p.version \
    FROM procedures p JOIN cases c ON c.id = p.case_id JOIN users u ON u.id = p.registered_by";

pub async fn get<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    id: i64,
) -> DomainResult<Option<ProcedureRow>> {
    sqlx::query_as(&format!("{SELECT} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(exec)
        .await
        .or_internal()
}

pub async fn of_case<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    case_id: i64,
) -> DomainResult<Vec<ProcedureRow>> {
    sqlx::query_as(&format!("{SELECT} WHERE p.case_id = $1 ORDER BY p.id"))
        .bind(case_id)
        .fetch_all(exec)
        .await
        .or_internal()
}

/// The rulebook that governs an application registered on `registered_on`.
fn rules_for(books: &[Rulebook], registered_on: Date) -> Rulebook {
    deadline::in_force(books, registered_on)
        .cloned()
        .unwrap_or_else(|| Rulebook::defaults(registered_on))
}

/// The next step with a deadline and its due date.
fn next_due(
    state: ProcState,
    facts: &Facts,
    last: Date,
    rules: &Rulebook,
    cal: &Calendar,
) -> Option<(Step, Date)> {
    let step = procedure::next_step(state, facts, rules)?;
    let days = rules.days(step)?;
    Some((step, deadline::due_date(cal, last, days)))
}

/// Re-derives `next_step`/`next_due_on` of every open procedure from the
/// rulebooks and the calendar (after either changes). Returns how many changed.
pub async fn recompute_open_deadlines(tx: &mut Tx) -> DomainResult<u64> {
    let books = settings::rulebooks(&mut **tx).await?;
    let cal = settings::calendar(&mut **tx).await?;
    let rows: Vec<ProcedureRow> =
        sqlx::query_as(&format!("{SELECT} WHERE p.next_step IS NOT NULL ORDER BY p.id"))
            .fetch_all(&mut **tx)
            .await
            .or_internal()?;
    let mut changed = 0;
    for p in rows {
        let rules = rules_for(&books, p.registered()?);
        let next = next_due(p.state(), &p.facts(), p.last_step()?, &rules, &cal);
        let (step, due) = (next.map(|n| n.0.as_str()), next.map(|n| n.1.to_string()));
        if step != p.next_step.map(Step::as_str) || due != p.next_due_on {
            sqlx::query("UPDATE procedures SET next_step = $2, next_due_on = $3 WHERE id = $1")
                .bind(p.id)
                .bind(step)
                .bind(due)
                .execute(&mut **tx)
                .await
                .or_internal()?;
            changed += 1;
        }
    }
    Ok(changed)
}

async fn event(
    tx: &mut Tx,
    ctx: &Ctx,
    proc_id: i64,
    action: &str,
    on: Date,
    note: Option<&str>,
) -> DomainResult<()> {
    sqlx::query(
        "INSERT INTO procedure_events (procedure_id, action, on_date, at, user_id, note) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(proc_id)
    .bind(action)
    .bind(on.to_string())
    .bind(ctx.now)
    .bind(ctx.actor().map(|a| a.user_id))
    .bind(note)
    .execute(&mut **tx)
    .await
    .or_internal()?;
    Ok(())
}

/// Registers an application in the unit's journal: the next number of the year.
pub async fn register_application(
    db: &Db,
    ctx: &Ctx,
    case_id: i64,
    form: &ApplicationForm,
) -> DomainResult<i64> {
    let case = case_for_unit(db, ctx, case_id, "application_register").await?;
    if !allowed(ctx, |a| a.may_run_procedure(case.unit_org_id)) {
        return Err(deny(db, ctx, "application_register", case_subject(&case.reference)).await);
    }
    let app = form.validate(kyiv_date(ctx.now))?;
    let mut e = FieldErrors::new();
    if case.state() != CaseState::Open {
        e.add("registered_on", "err-case-not-open");
    }
    let open: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM procedures WHERE case_id = $1 AND state NOT IN ('notified', 'terminated') LIMIT 1",
    )
    .bind(case_id)
    .fetch_optional(db.pool())
    .await
    .or_internal()?;
    if open.is_some() {
        e.add("registered_on", "err-procedure-open");
    }
    if !e.is_empty() {
        return Err(e.into());
    }
    let user = ctx.actor().map(|a| a.user_id);
    let mut tx = forms::begin(db, ctx).await?;
    let books = settings::rulebooks(&mut *tx).await?;
    let cal = settings::calendar(&mut *tx).await?;
    let rules = rules_for(&books, app.registered_on);
    let next = next_due(
        ProcState::Registered,
        &Facts::default(),
        app.registered_on,
        &rules,
        &cal,
    );
    let year = i64::from(app.registered_on.year());
    let (no,): (i64,) = sqlx::query_as(
        "SELECT COALESCE(MAX(journal_no), 0) + 1 FROM procedures WHERE unit_org_id = $1 AND journal_year = $2",
    )
    .bind(case.unit_org_id)
    .bind(year)
    .fetch_one(&mut *tx)
    .await
    .or_internal()?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO procedures (case_id, unit_org_id, journal_year, journal_no, registered_on, applicant, \
         representative, language, interpreter, registered_by, state, last_step_on, next_step, next_due_on, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'registered', $5, $11, $12, $13, $13) \
         RETURNING id",
    )
    .bind(case_id)
    .bind(case.unit_org_id)
    .bind(year)
    .bind(no)
    .bind(app.registered_on.to_string())
    .bind(&app.applicant)
    .bind(&app.representative)
    .bind(&app.language)
    .bind(&app.interpreter)
    .bind(user)
    .bind(next.map(|n| n.0.as_str()))
    .bind(next.map(|n| n.1.to_string()))
    .bind(ctx.now)
    .fetch_one(&mut *tx)
    .await
    .map_err(conflict_on_unique("journal_number", keys::PROCEDURES_JOURNAL_NUMBER))?;
    event(&mut tx, ctx, id, "registered", app.registered_on, None).await?;
    audit::record(
        &mut *tx,
        ctx,
        AuditAction::ApplicationRegistered,
        case_subject(&case.reference),
        json!({ "procedure": id, "journal": format!("{no}/{year}") }),
    )
    .await?;
    forms::commit(tx, ctx, id).await?;
    Ok(id)
}

/// The case an application is about to be registered for, and its person (the
/// form suggests the person's name as the applicant). Only a case officer of the
/// case's unit may open the form; the read is audited like any case page.
pub async fn application_case(
    db: &Db,
    ctx: &Ctx,
    case_id: i64,
) -> DomainResult<(CaseRow, Option<PersonRow>, Vec<cases::DuplicateHit>)> {
    let case = case_for_unit(db, ctx, case_id, "application_form").await?;
    if !allowed(ctx, |a| a.may_run_procedure(case.unit_org_id)) {
        return Err(deny(db, ctx, "application_form", case_subject(&case.reference)).await);
    }
    let person = match case.person_id {
        Some(pid) => cases::person(db.pool(), pid).await?,
        None => None,
    };
    audit::record_view(
        db,
        ctx,
        AuditAction::CaseViewed,
        case_subject(&case.reference),
        json!({ "page": "application_form" }),
    )
    .await?;
    // Other cases the unit can see with a person of a similar name and the same
    // birth date: a warning on the application form, not a block.
    let duplicates = match &person {
        Some(p) => {
            let input = domain::case::PersonInput {
                surname: p.surname.clone(),
                given_name: p.given_name.clone(),
                patronymic: p.patronymic.clone(),
                birth_date: p.birth_date.as_deref().and_then(domain::plan::parse_date),
                document: None,
                phone: None,
                email: None,
                address: None,
            };
            cases::possible_duplicates(db, ctx, &input)
                .await?
                .into_iter()
                .filter(|d| d.case_id != case_id)
                .collect()
        }
        None => Vec::new(),
    };
    Ok((case, person, duplicates))
}

/// A procedure of a case of the actor's unit, or the refusal recorded and `NotFound`.
async fn procedure_for_unit(db: &Db, ctx: &Ctx, id: i64, what: &str) -> DomainResult<ProcedureRow> {
    match get(db.pool(), id).await? {
        Some(p) if allowed(ctx, |a| a.may_run_procedure(p.unit_org_id)) => Ok(p),
        Some(p) => Err(deny(db, ctx, what, case_subject(&p.case_reference)).await),
        None => Err(deny(
            db,
            ctx,
            what,
            Some((domain::audit::SubjectKind::Case, format!("procedure #{id}"))),
        )
        .await),
    }
}

#[derive(Debug, Clone, FromRow)]
pub struct ProcedureEventRow {
    pub action: String,
    pub on_date: String,
    pub at: i64,
    pub user_name: Option<String>,
    pub note: Option<String>,
}

/// One procedure as its page shows it.
#[derive(Debug, Clone)]
pub struct ProcedureView {
    pub procedure: ProcedureRow,
    pub case: CaseRow,
    pub events: Vec<ProcedureEventRow>,
    /// The actions open now, in order.
    pub possible: Vec<ProcAction>,
    pub deadline: Option<(Step, Date, Urgency)>,
    pub rulebook: Rulebook,
    /// The referral that carries the police request, once it was sent (its state and answer).
    pub police_referral: Option<cases::ReferralRow>,
}

pub async fn procedure_view(db: &Db, ctx: &Ctx, id: i64) -> DomainResult<ProcedureView> {
    let p = procedure_for_unit(db, ctx, id, "procedure_view").await?;
    let case = case_for_unit(db, ctx, p.case_id, "procedure_view").await?;
    // Read first, without the write lock; the view is recorded after.
    let mut tx = db.begin_read().await.or_internal()?;
    let events = sqlx::query_as(
        "SELECT e.action, e.on_date, e.at, u.full_name AS user_name, e.note FROM procedure_events e \
         LEFT JOIN users u ON u.id = e.user_id WHERE e.procedure_id = $1 ORDER BY e.id",
    )
    .bind(id)
    .fetch_all(&mut *tx)
    .await
    .or_internal()?;
    let books = settings::rulebooks(&mut *tx).await?;
    let police_referral = match p.police_referral_id {
        Some(rid) => cases::referral(&mut *tx, rid).await?,
        None => None,
    };
    tx.commit().await.or_internal()?;
    audit::record_view(
        db,
        ctx,
        AuditAction::CaseViewed,
        case_subject(&case.reference),
        json!({ "page": "procedure", "procedure": id }),
    )
    .await?;
    let rulebook = rules_for(&books, p.registered()?);
    let possible = procedure::possible(p.state(), &p.facts(), &rulebook);
    let deadline = p.deadline(kyiv_date(ctx.now));
    Ok(ProcedureView {
        procedure: p,
        case,
        events,
        possible,
        deadline,
        rulebook,
        police_referral,
    })
}

/// Records one step of the procedure. `version` guards against two people
/// recording a step at once.
pub async fn record_step(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    action: ProcAction,
    form: &StepForm,
    version: i64,
) -> DomainResult<()> {
    let p = procedure_for_unit(db, ctx, id, "procedure_step").await?;
    let today = kyiv_date(ctx.now);
    let step = form.validate(action, today, p.last_step()?)?;
    let mut tx = forms::begin(db, ctx).await?;
    apply_step(&mut tx, ctx, &p, action, &step, Some(version)).await?;
    forms::commit(tx, ctx, id).await
}

/// The police answered the request referral: the procedure's police reply is recorded.
pub async fn police_replied(
    tx: &mut Tx,
    ctx: &Ctx,
    referral_id: i64,
    found: bool,
    proceedings_ref: Option<&str>,
    on: Date,
) -> DomainResult<()> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM procedures WHERE police_referral_id = $1 AND state = 'police_requested'",
    )
    .bind(referral_id)
    .fetch_optional(&mut **tx)
    .await
    .or_internal()?;
    let Some((pid,)) = row else {
        return Ok(());
    };
    let p = get(&mut **tx, pid).await?.ok_or(DomainError::NotFound)?;
    let on = on.max(p.last_step()?);
    let step = StepInput::PoliceReply {
        on,
        found,
        proceedings_ref: proceedings_ref.map(str::to_string),
    };
    apply_step(tx, ctx, &p, ProcAction::RecordPoliceReply, &step, None).await
}

async fn apply_step(
    tx: &mut Tx,
    ctx: &Ctx,
    p: &ProcedureRow,
    action: ProcAction,
    step: &StepInput,
    version: Option<i64>,
) -> DomainResult<()> {
    let books = settings::rulebooks(&mut **tx).await?;
    let cal = settings::calendar(&mut **tx).await?;
    let rules = rules_for(&books, p.registered()?);
    let facts = p.facts();
    let next_state = procedure::apply(p.state(), action, &facts, &rules).map_err(|e| {
        let mut fe = FieldErrors::new();
        fe.add("action", e.message_id());
        DomainError::Validation(fe)
    })?;
    let on = step.on();
    let facts_after = procedure::facts_after(&facts, step);
    let next = next_due(next_state, &facts_after, on, &rules, &cal);
    // The step's own columns. Every value is bound as text, so the BIGINT flags are
    // cast in SQL: PostgreSQL does not assign a text parameter to a BIGINT column.
    let (set, values): (&str, Vec<Option<String>>) = match step {
        StepInput::Interview {
            account,
            consent,
            non_disclosure,
            ..
        } => (
            "interview_on = $V1, interview_account = $V2, interview_consent = CAST($V3 AS BIGINT), non_disclosure = CAST($V4 AS BIGINT)",
            vec![
                Some(on.to_string()),
                Some(account.clone()),
                Some(flag(*consent).to_string()),
                Some(flag(*non_disclosure).to_string()),
            ],
        ),
        StepInput::NoInterview { reason, .. } => (
            "interview_on = $V1, no_interview_reason = $V2",
            vec![Some(on.to_string()), Some(reason.as_str().into())],
        ),
        StepInput::PoliceRequest { .. } => ("police_request_on = $V1", vec![Some(on.to_string())]),
        StepInput::PoliceReply {
            found,
            proceedings_ref,
            ..
        } => (
            "police_reply_on = $V1, proceedings_found = CAST($V2 AS BIGINT), proceedings_ref = $V3",
            vec![
                Some(on.to_string()),
                Some(flag(*found).to_string()),
                proceedings_ref.clone(),
            ],
        ),
        StepInput::Conclusion { text, .. } => (
            "conclusion_on = $V1, conclusion = $V2",
            vec![Some(on.to_string()), Some(text.clone())],
        ),
        StepInput::Grant { certificate_no, .. } => (
            "decision = $V1, decided_on = $V2, certificate_no = $V3, valid_until = $V4",
            vec![
                Some("granted".into()),
                Some(on.to_string()),
                Some(certificate_no.clone()),
                Some(deadline::certificate_valid_until(on, rules.certificate_months).to_string()),
            ],
        ),
        StepInput::Refuse { grounds, .. } => (
            "decision = $V1, decided_on = $V2, refusal_grounds = $V3",
            vec![
                Some("refused".into()),
                Some(on.to_string()),
                Some(grounds.clone()),
            ],
        ),
        StepInput::Notify { .. } => ("notified_on = $V1", vec![Some(on.to_string())]),
        StepInput::Extend { .. } => (
            "valid_until = $V1",
            vec![Some(
                deadline::certificate_valid_until(on, rules.certificate_months).to_string(),
            )],
        ),
        StepInput::Terminate { reason, .. } => (
            "terminated_on = $V1, termination_reason = $V2",
            vec![Some(on.to_string()), Some(reason.clone())],
        ),
        StepInput::Appeal { .. } => ("appeal_on = $V1", vec![Some(on.to_string())]),
        StepInput::AppealOutcome { outcome, .. } => (
            "appeal_outcome = $V1, appeal_outcome_on = $V2",
            vec![Some(outcome.as_str().into()), Some(on.to_string())],
        ),
    };
    // $1 id, $2 version, $3 state, $4 last_step_on, $5 next_step, $6 next_due_on, $7 now, then the step's values.
    let mut set = set.to_string();
    for i in (1..=values.len()).rev() {
        set = set.replace(&format!("$V{i}"), &format!("${}", 7 + i));
    }
    let sql = format!(
        "UPDATE procedures SET state = $3, last_step_on = $4, next_step = $5, next_due_on = $6, updated_at = $7, \
         version = version + 1, {set} WHERE id = $1 AND version = $2"
    );
    let mut q = sqlx::query(&sql)
        .bind(p.id)
        .bind(version.unwrap_or(p.version))
        .bind(next_state.as_str())
        .bind(on.to_string())
        .bind(next.map(|n| n.0.as_str()))
        .bind(next.map(|n| n.1.to_string()))
        .bind(ctx.now);
    for v in values {
        q = q.bind(v);
    }
    let done = q.execute(&mut **tx).await.or_internal()?;
    if done.rows_affected() == 0 {
        return Err(DomainError::Conflict("stale"));
    }
    let note = match step {
        StepInput::NoInterview { note, .. }
        | StepInput::PoliceRequest { note, .. }
        | StepInput::Notify { note, .. }
        | StepInput::Appeal { note, .. }
        | StepInput::AppealOutcome { note, .. } => note.clone(),
        _ => None,
    };
    event(tx, ctx, p.id, action.as_str(), on, note.as_deref()).await?;
    if let StepInput::PoliceRequest { .. } = step {
        send_police_request(tx, ctx, p, next.map(|n| n.1)).await?;
    }
    audit::record(
        &mut **tx,
        ctx,
        AuditAction::ProcedureStep,
        case_subject(&p.case_reference),
        json!({ "procedure": p.id, "step": action.as_str(), "state": next_state.as_str() }),
    )
    .await?;
    Ok(())
}

/// The request to the police goes as a referral to the police organisation
/// nearest the case's territory; its due date is the reply deadline.
async fn send_police_request(
    tx: &mut Tx,
    ctx: &Ctx,
    p: &ProcedureRow,
    due: Option<Date>,
) -> DomainResult<()> {
    let case = cases::get(&mut **tx, p.case_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let Some(police) = cases::police_for(tx, case.territory_id).await? else {
        let mut e = FieldErrors::new();
        e.add("action", "err-no-police");
        return Err(e.into());
    };
    let input = ReferralInput {
        org_id: police.id,
        purpose: ReferralPurpose::PoliceRequest,
        fields: vec![SharedField::Name, SharedField::BirthDate, SharedField::Facts],
        consent_ref: None,
        due_on: due,
        message: None,
    };
    let rid = cases::insert_referral(tx, ctx, p.case_id, p.unit_org_id, &input).await?;
    sqlx::query("UPDATE procedures SET police_referral_id = $2 WHERE id = $1")
        .bind(p.id)
        .bind(rid)
        .execute(&mut **tx)
        .await
        .or_internal()?;
    Ok(())
}

// ---------------------------------------------------------------- lists

/// One line of the deadline list: the case reference, the step, its due date.
#[derive(Debug, Clone, FromRow)]
pub struct DeadlineLine {
    pub procedure_id: i64,
    pub case_id: i64,
    pub reference: String,
    pub journal_no: i64,
    pub journal_year: i64,
    #[sqlx(try_from = "Code<ProcState>")]
    pub state: ProcState,
    #[sqlx(try_from = "Code<Step>")]
    pub next_step: Step,
    pub next_due_on: String,
}

impl DeadlineLine {
    pub fn urgency(&self, today: Date) -> Urgency {
        domain::plan::parse_date(&self.next_due_on).map_or(Urgency::OnTime, |d| {
            deadline::urgency(d, today, deadline::AT_RISK_DAYS)
        })
    }
}

/// The unit's open procedures by due date, most urgent first; keyset-paged by (due date, id).
pub async fn deadline_list(
    db: &Db,
    ctx: &Ctx,
    after: Option<(String, i64)>,
    limit: i64,
) -> DomainResult<(Vec<DeadlineLine>, bool)> {
    let Some(actor) = ctx.actor().filter(|a| a.runs_procedures()) else {
        return Err(deny_page(db, ctx, "deadlines").await);
    };
    let base = "SELECT p.id AS procedure_id, p.case_id, c.reference, p.journal_no, p.journal_year, p.state, \
        p.next_step, p.next_due_on FROM procedures p JOIN cases c ON c.id = p.case_id \
        WHERE p.unit_org_id = $1 AND p.next_due_on IS NOT NULL";
    let mut rows: Vec<DeadlineLine> = match &after {
        Some((due, id)) => sqlx::query_as(&format!(
            "{base} AND (p.next_due_on, p.id) > ($2, $3) \
             ORDER BY p.next_due_on, p.id LIMIT $4"
        ))
        .bind(actor.org_id)
        .bind(due)
        .bind(id)
        .bind(limit + 1)
        .fetch_all(db.pool())
        .await
        .or_internal()?,
        None => sqlx::query_as(&format!("{base} ORDER BY p.next_due_on, p.id LIMIT $2"))
            .bind(actor.org_id)
            .bind(limit + 1)
            .fetch_all(db.pool())
            .await
            .or_internal()?,
    };
    let more = rows.len() as i64 > limit;
    rows.truncate(limit.max(0) as usize);
    Ok((rows, more))
}

/// The journal of the actor's unit for applications registered between two dates.
/// Audited: `journal_viewed` for the page (`format` "page"), `journal_downloaded`
/// for the workbook ("xlsx"); the format is in the row's details too.
pub async fn journal(
    db: &Db,
    ctx: &Ctx,
    from: Date,
    to: Date,
    format: &str,
) -> DomainResult<Vec<ProcedureRow>> {
    let Some(actor) = ctx.actor().filter(|a| a.runs_procedures()) else {
        return Err(deny_page(db, ctx, "journal").await);
    };
    let org = actor.org_id;
    // One query, without the write lock; the view is recorded after it.
    let rows: Vec<ProcedureRow> = sqlx::query_as(&format!(
        "{SELECT} WHERE p.unit_org_id = $1 AND p.registered_on >= $2 AND p.registered_on <= $3 \
         ORDER BY p.journal_year, p.journal_no"
    ))
    .bind(org)
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(db.pool())
    .await
    .or_internal()?;
    audit::record_view(
        db,
        ctx,
        if format == "xlsx" {
            AuditAction::JournalDownloaded
        } else {
            AuditAction::JournalViewed
        },
        None,
        json!({ "format": format, "from": from.to_string(), "to": to.to_string(), "rows": rows.len(),
                "cases": rows.iter().map(|r| r.case_reference.clone()).collect::<Vec<_>>() }),
    )
    .await?;
    Ok(rows)
}

/// What a certificate or refusal letter is filled from. The download is audited.
#[derive(Debug, Clone)]
pub struct DecisionDocument {
    pub procedure: ProcedureRow,
    pub case: CaseRow,
    pub person: Option<PersonRow>,
    pub unit: crate::organisations::Organisation,
    pub official_name: String,
    pub template: Vec<u8>,
}

pub async fn decision_document(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    kind: documents::cases::TemplateKind,
) -> DomainResult<DecisionDocument> {
    let what = match kind {
        documents::cases::TemplateKind::Certificate => "certificate_download",
        documents::cases::TemplateKind::Refusal => "refusal_download",
    };
    let p = procedure_for_unit(db, ctx, id, what).await?;
    let wanted = match kind {
        documents::cases::TemplateKind::Certificate => Decision::Granted,
        documents::cases::TemplateKind::Refusal => Decision::Refused,
    };
    if p.facts().decision != Some(wanted) {
        return Err(DomainError::NotFound);
    }
    let case = cases::get(db.pool(), p.case_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let person = match case.person_id {
        Some(pid) => cases::person(db.pool(), pid).await?,
        None => None,
    };
    let unit = crate::organisations::get(db.pool(), p.unit_org_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let official_name = match ctx.actor() {
        Some(a) => crate::users::get(db.pool(), a.user_id)
            .await?
            .map(|u| u.full_name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let (template, _) = settings::template_bytes(db.pool(), kind).await?;
    audit::record_view(
        db,
        ctx,
        match kind {
            documents::cases::TemplateKind::Certificate => AuditAction::CertificateDownloaded,
            documents::cases::TemplateKind::Refusal => AuditAction::RefusalLetterDownloaded,
        },
        case_subject(&case.reference),
        json!({ "procedure": id }),
    )
    .await?;
    Ok(DecisionDocument {
        procedure: p,
        case,
        person,
        unit,
        official_name,
        template,
    })
}

// ---------------------------------------------------------------- reminders

/// Reminders for one unit: how many steps are at risk or overdue, and the earliest due date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineReminder {
    pub org_id: i64,
    /// "at_risk" or "overdue"
    pub kind: &'static str,
    pub count: usize,
    pub earliest_due: String,
}

/// Takes the deadline reminders due now: each step of each open procedure is
/// reminded once when it comes within two days of its due date and once when
/// it is overdue. Grouped by unit; counts only (no references, no names).
pub async fn take_deadline_reminders(
    db: &Db,
    now: i64,
    emailed: bool,
) -> DomainResult<Vec<DeadlineReminder>> {
    let today = kyiv_date(now);
    let at_risk_limit = today
        .checked_add(jiff::Span::new().days(deadline::AT_RISK_DAYS))
        .unwrap_or(today);
    let yesterday = today.yesterday().unwrap_or(today);
    let mut out: Vec<DeadlineReminder> = Vec::new();
    let mut tx = db.begin().await.or_internal()?;
    for (kind, limit) in [("overdue", yesterday), ("at_risk", at_risk_limit)] {
        let rows: Vec<(i64, i64, String, String)> = sqlx::query_as(
            "SELECT p.id, p.unit_org_id, p.next_step, p.next_due_on FROM procedures p \
             WHERE p.next_due_on IS NOT NULL AND p.next_due_on <= $1 AND NOT EXISTS (SELECT 1 FROM procedure_reminders r \
             WHERE r.procedure_id = p.id AND r.step = p.next_step AND r.due_on = p.next_due_on AND r.kind IN ($2, 'overdue')) \
             ORDER BY p.unit_org_id, p.next_due_on",
        )
        .bind(limit.to_string())
        .bind(kind)
        .fetch_all(&mut *tx)
        .await
        .or_internal()?;
        for (pid, org_id, step, due) in rows {
            sqlx::query(
                "INSERT INTO procedure_reminders (procedure_id, step, due_on, kind, emailed, sent_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(pid)
            .bind(&step)
            .bind(&due)
            .bind(kind)
            .bind(flag(emailed))
            .bind(now)
            .execute(&mut *tx)
            .await
            .or_internal()?;
            match out.iter_mut().find(|r| r.org_id == org_id && r.kind == kind) {
                Some(r) => {
                    r.count += 1;
                    if due < r.earliest_due {
                        r.earliest_due = due;
                    }
                }
                None => out.push(DeadlineReminder {
                    org_id,
                    kind,
                    count: 1,
                    earliest_due: due,
                }),
            }
        }
    }
    for r in &out {
        audit::record(
            &mut *tx,
            &Ctx::internal(now),
            AuditAction::ReminderSent,
            Some((domain::audit::SubjectKind::Organisation, r.org_id.to_string())),
            json!({ "kind": format!("procedure_{}", r.kind), "steps": r.count, "emailed": emailed }),
        )
        .await?;
    }
    tx.commit().await.or_internal()?;
    Ok(out)
}

/// E-mail addresses of the case officers of a unit.
pub async fn case_officer_emails(db: &Db, org_id: i64) -> DomainResult<Vec<String>> {
    sqlx::query_scalar(
        "SELECT u.email FROM users u JOIN user_roles r ON r.user_id = u.id \
         WHERE u.org_id = $1 AND r.role = 'case_officer' AND u.disabled = 0 AND u.email IS NOT NULL ORDER BY u.id",
    )
    .bind(org_id)
    .fetch_all(db.pool())
    .await
    .or_internal()
}
