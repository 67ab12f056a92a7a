//! The status procedure (SPEC §4) as the case officer runs it: registering an
//! application in the journal, the procedure page with its steps and
//! deadlines, the certificate and the refusal letter, the journal (page and
//! XLSX) and the unit's deadline list.
//!
//! Security role: every page here shows case data, so it is answered with
//! `Cache-Control: no-store` (`views::render`, `file_response`); the
//! permission checks and audit rows live in `store::procedures`. URLs carry
//! only ids, dates and the step name; downloaded files are named by the case
//! reference, never by the person.

use crate::context::SignedIn;
use crate::error::{AppError, AppResult};
use crate::extract::Path;
use crate::form::{self, Again, see_other};
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use crate::views::{Chrome, Errors, datetime, render};
use askama::Template;
use axum::Form;
use axum::Router;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use domain::deadline::{Step, Urgency};
use domain::procedure::{AppealOutcome, ApplicationForm, Decision, NoInterviewReason, ProcAction, StepForm};
use domain::{DomainError, FieldErrors};
use fluent_bundle::FluentArgs;
use jiff::civil::Date;
use reports::cases::TemplateKind;
use serde::Deserialize;
use std::collections::BTreeMap;
use store::procedures::{self, DeadlineLine, ProcedureRow};
use store::reporting::kyiv_date;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cases/{id}/application/new", get(new_application))
        .route("/cases/{id}/application", post(register_application))
        .route("/procedures/{id}", get(show_procedure))
        .route("/procedures/{id}/steps/{action}", post(record_step))
        .route("/procedures/{id}/certificate.docx", get(download_certificate))
        .route("/procedures/{id}/refusal.docx", get(download_refusal))
        .route("/journal", get(show_journal))
        .route("/journal.xlsx", get(download_journal))
        .route("/deadlines", get(show_deadlines))
}

// ---------------------------------------------------------------- formatting

/// `yyyy-mm-dd` → `dd.mm.yyyy`; anything unreadable → "".
fn date_text(iso: &str) -> String {
    domain::plan::parse_date(iso)
        .map(|d| d.strftime("%d.%m.%Y").to_string())
        .unwrap_or_default()
}

fn opt_date(iso: Option<&str>) -> String {
    iso.map(date_text).unwrap_or_default()
}

fn state_name(tr: &Tr, state: &str) -> String {
    tr.t(&format!("proc-state-{state}"))
}

fn step_name(tr: &Tr, step: Step) -> String {
    tr.t(&format!("proc-step-{}", step.as_str()))
}

fn urgency_code(u: Urgency) -> &'static str {
    u.as_str()
}

/// The CSS class of an urgency: red for overdue, amber for at risk (the text says it too).
fn urgency_class(u: Urgency) -> &'static str {
    match u {
        Urgency::Overdue => "urgency-overdue",
        Urgency::AtRisk => "urgency-due-soon",
        Urgency::OnTime => "urgency-on-time",
    }
}

fn urgency_text(tr: &Tr, u: Urgency) -> String {
    tr.t(&format!("proc-urgency-{}", u.as_str()))
}

fn yes_no(tr: &Tr, v: Option<i64>) -> String {
    match v {
        Some(0) => tr.t("proc-no"),
        Some(_) => tr.t("proc-yes"),
        None => String::new(),
    }
}

/// A file name made of the case reference only: ASCII letters, digits and dashes.
fn safe_name(reference: &str) -> String {
    reference
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn file_response(bytes: Vec<u8>, content_type: &str, file_name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        Body::from(bytes),
    )
        .into_response()
}

// ---------------------------------------------------------------- the application

#[derive(Template)]
#[template(path = "procedure_application.html")]
struct ApplicationPage {
    c: Chrome,
    /// (case id, reference) of possible duplicates of the person: a warning only.
    duplicates: Vec<(i64, String)>,
    case_id: i64,
    reference: String,
    today: String,
    form: ApplicationInput,
    errors: Errors,
    conflict: bool,
}

const APPLICATION_FIELDS: &[&str] = &[
    "registered_on",
    "applicant",
    "representative",
    "language",
    "interpreter",
];

#[derive(Deserialize, Default, Clone)]
pub struct ApplicationInput {
    #[serde(default)]
    registered_on: String,
    #[serde(default)]
    applicant: String,
    #[serde(default)]
    representative: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    interpreter: String,
}

async fn application_page(
    state: &AppState,
    s: &SignedIn,
    case_id: i64,
    typed: Option<ApplicationInput>,
    errors: FieldErrors,
    conflict: bool,
) -> AppResult {
    let ctx = s.ctx.store_ctx();
    let (case, person, duplicates) = procedures::application_case(&state.db, &ctx, case_id).await?;
    let c = Chrome::new(state, &s.ctx);
    let tr = c.tr.clone();
    let today = kyiv_date(ctx.now).to_string();
    let form = typed.unwrap_or_else(|| ApplicationInput {
        registered_on: today.clone(),
        applicant: person.as_ref().map(|p| p.full_name()).unwrap_or_default(),
        // The case's language is suggested only when the case says an interpreter is needed.
        language: if case.interpreter.0 {
            case.language.clone().unwrap_or_default()
        } else {
            String::new()
        },
        ..ApplicationInput::default()
    });
    let errors = Errors::new(&tr, errors).in_order(APPLICATION_FIELDS);
    let status = if conflict {
        StatusCode::CONFLICT
    } else {
        errors.status()
    };
    let page = ApplicationPage {
        duplicates: duplicates.into_iter().map(|d| (d.case_id, d.reference)).collect(),
        case_id,
        reference: case.reference,
        today,
        form,
        errors,
        conflict,
        c,
    };
    Ok(render(status, &page))
}

/// The form that registers an application in the journal.
pub async fn new_application(
    State(state): State<AppState>,
    s: SignedIn,
    Path(case_id): Path<i64>,
) -> AppResult {
    application_page(&state, &s, case_id, None, FieldErrors::new(), false).await
}

/// Registers the application; the procedure page follows.
pub async fn register_application(
    State(state): State<AppState>,
    s: SignedIn,
    Path(case_id): Path<i64>,
    Form(f): Form<ApplicationInput>,
) -> AppResult {
    let form = ApplicationForm {
        registered_on: f.registered_on.clone(),
        applicant: f.applicant.clone(),
        representative: f.representative.clone(),
        language: f.language.clone(),
        interpreter: f.interpreter.clone(),
    };
    form::submit(
        &s,
        "/procedures/{id}?done=registered",
        async |ctx| procedures::register_application(&state.db, &ctx, case_id, &form).await,
        async |again| match again {
            Again::Invalid(e) => application_page(&state, &s, case_id, Some(f.clone()), e, false).await,
            Again::Stale(_) => {
                application_page(&state, &s, case_id, Some(f.clone()), FieldErrors::new(), true).await
            }
        },
    )
    .await
}

// ---------------------------------------------------------------- the procedure page

/// One recorded fact of the procedure.
pub struct Fact {
    pub key: &'static str,
    pub label: String,
    pub value: String,
    /// A long text (an account, a conclusion, grounds): kept with its line breaks.
    pub long: bool,
}

pub struct NextStep {
    pub step: String,
    pub due: String,
    pub urgency: &'static str,
    pub urgency_class: &'static str,
    pub urgency_text: String,
    /// The police reply is awaited from the police, not from the unit.
    pub from_police: bool,
}

pub struct EventLine {
    pub at: String,
    pub on: String,
    pub who: String,
    pub action: String,
    pub note: String,
}

pub struct ReferralInfo {
    pub id: i64,
    pub org: String,
    pub state: String,
    pub state_code: String,
    pub due: String,
}

#[derive(Template)]
#[template(path = "procedure_page.html")]
struct ProcedurePage {
    c: Chrome,
    flash: String,
    id: i64,
    version: i64,
    case_id: i64,
    reference: String,
    journal_number: String,
    registered_on: String,
    registered_by: String,
    applicant: String,
    representative: String,
    language: String,
    interpreter: String,
    state: String,
    state_code: String,
    next: Option<NextStep>,
    facts: Vec<Fact>,
    referral: Option<ReferralInfo>,
    certificate: bool,
    refusal: bool,
    events: Vec<EventLine>,
    /// The actions open now, in order (`ProcAction::as_str`).
    possible: Vec<&'static str>,
    /// Today and the last step's date (`yyyy-mm-dd`), the bounds of a step's date.
    today: String,
    last_step: String,
    reasons: Vec<(&'static str, String)>,
    outcomes: Vec<(&'static str, String)>,
    /// The action whose form came back, what was typed into it, and why.
    failed: &'static str,
    typed: StepInput,
    errors: Errors,
    conflict: bool,
}

const STEP_FIELDS: &[&str] = &[
    "action",
    "on",
    "no_interview_reason",
    "proceedings_found",
    "proceedings_ref",
    "certificate_no",
    "appeal_outcome",
    "text",
    "consent",
    "non_disclosure",
];

impl ProcedurePage {
    /// Whether the form of `action` is offered.
    fn can(&self, action: &str) -> bool {
        self.possible.contains(&action)
    }

    fn mine(&self, action: &str) -> bool {
        self.failed == action
    }

    /// The value a field of the `action` form shows: what was typed, or the default.
    fn v(&self, action: &str, field: &str) -> String {
        if self.mine(action) {
            let t = &self.typed;
            return match field {
                "on" => t.on.clone(),
                "text" => t.text.clone(),
                "no_interview_reason" => t.no_interview_reason.clone(),
                "proceedings_found" => t.proceedings_found.clone(),
                "proceedings_ref" => t.proceedings_ref.clone(),
                "certificate_no" => t.certificate_no.clone(),
                "appeal_outcome" => t.appeal_outcome.clone(),
                _ => String::new(),
            };
        }
        match field {
            "on" => self.today.clone(),
            // The journal number is the usual certificate number.
            "certificate_no" => self.journal_number.clone(),
            _ => String::new(),
        }
    }

    fn checked(&self, action: &str, field: &str) -> bool {
        self.mine(action)
            && match field {
                "consent" => self.typed.consent.is_some(),
                "non_disclosure" => self.typed.non_disclosure.is_some(),
                _ => false,
            }
    }

    fn has(&self, action: &str, field: &str) -> bool {
        self.mine(action) && self.errors.has(field)
    }

    fn err(&self, action: &str, field: &str) -> String {
        if self.mine(action) {
            self.errors.of(field)
        } else {
            String::new()
        }
    }

    fn focus(&self, action: &str, field: &str) -> bool {
        self.mine(action) && self.errors.focus(field)
    }

    /// The form came back with errors or a conflict.
    fn returned(&self, action: &str) -> bool {
        self.mine(action) && (self.errors.any() || self.conflict)
    }
}

/// What a step form sends.
#[derive(Deserialize, Default, Clone)]
pub struct StepInput {
    #[serde(default)]
    version: String,
    #[serde(default)]
    on: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    consent: Option<String>,
    #[serde(default)]
    non_disclosure: Option<String>,
    #[serde(default)]
    no_interview_reason: String,
    #[serde(default)]
    proceedings_found: String,
    #[serde(default)]
    proceedings_ref: String,
    #[serde(default)]
    certificate_no: String,
    #[serde(default)]
    appeal_outcome: String,
}

impl StepInput {
    fn form(&self) -> StepForm {
        StepForm {
            on: self.on.clone(),
            text: self.text.clone(),
            consent: self.consent.is_some(),
            non_disclosure: self.non_disclosure.is_some(),
            no_interview_reason: self.no_interview_reason.clone(),
            proceedings_found: self.proceedings_found.clone(),
            proceedings_ref: self.proceedings_ref.clone(),
            certificate_no: self.certificate_no.clone(),
            appeal_outcome: self.appeal_outcome.clone(),
        }
    }
}

fn facts(tr: &Tr, p: &ProcedureRow) -> Vec<Fact> {
    let mut out = Vec::new();
    let mut add = |key: &'static str, label: &str, value: String, long: bool| {
        if !value.trim().is_empty() {
            out.push(Fact {
                key,
                label: tr.t(label),
                value,
                long,
            });
        }
    };
    if let Some(reason) = p.no_interview_reason.map(|r| r.as_str()) {
        add(
            "no-interview",
            "proc-fact-no-interview",
            opt_date(p.interview_on.as_deref()),
            false,
        );
        add(
            "no-interview-reason",
            "proc-fact-no-interview-reason",
            tr.t(&format!("proc-no-interview-{reason}")),
            false,
        );
    } else {
        add(
            "interview",
            "proc-fact-interview",
            opt_date(p.interview_on.as_deref()),
            false,
        );
        if p.interview_on.is_some() {
            add(
                "interview-consent",
                "proc-fact-consent",
                yes_no(tr, p.interview_consent),
                false,
            );
            add(
                "non-disclosure",
                "proc-fact-non-disclosure",
                yes_no(tr, p.non_disclosure),
                false,
            );
        }
        add(
            "account",
            "proc-fact-account",
            p.interview_account.clone().unwrap_or_default(),
            true,
        );
    }
    add(
        "police-request",
        "proc-fact-police-request",
        opt_date(p.police_request_on.as_deref()),
        false,
    );
    add(
        "police-reply",
        "proc-fact-police-reply",
        opt_date(p.police_reply_on.as_deref()),
        false,
    );
    if p.police_reply_on.is_some() {
        let found = match p.proceedings_found {
            Some(0) => tr.t("proc-proceedings-none"),
            Some(_) => tr.t("proc-proceedings-found"),
            None => String::new(),
        };
        add("proceedings", "proc-fact-proceedings", found, false);
        add(
            "proceedings-ref",
            "proc-fact-proceedings-ref",
            p.proceedings_ref.clone().unwrap_or_default(),
            false,
        );
    }
    add(
        "conclusion-on",
        "proc-fact-conclusion-on",
        opt_date(p.conclusion_on.as_deref()),
        false,
    );
    add(
        "conclusion",
        "proc-fact-conclusion",
        p.conclusion.clone().unwrap_or_default(),
        true,
    );
    match p.decision.map(|d| d.as_str()) {
        Some("granted") => {
            add(
                "decision",
                "proc-fact-decision",
                tr.t("proc-decision-granted"),
                false,
            );
            add(
                "decided-on",
                "proc-fact-decided-on",
                opt_date(p.decided_on.as_deref()),
                false,
            );
            add(
                "certificate-no",
                "proc-fact-certificate-no",
                p.certificate_no.clone().unwrap_or_default(),
                false,
            );
            add(
                "valid-until",
                "proc-fact-valid-until",
                opt_date(p.valid_until.as_deref()),
                false,
            );
        }
        Some("refused") => {
            add(
                "decision",
                "proc-fact-decision",
                tr.t("proc-decision-refused"),
                false,
            );
            add(
                "decided-on",
                "proc-fact-decided-on",
                opt_date(p.decided_on.as_deref()),
                false,
            );
            add(
                "grounds",
                "proc-fact-grounds",
                p.refusal_grounds.clone().unwrap_or_default(),
                true,
            );
        }
        _ => {}
    }
    add(
        "notified",
        "proc-fact-notified",
        opt_date(p.notified_on.as_deref()),
        false,
    );
    add(
        "appeal",
        "proc-fact-appeal",
        opt_date(p.appeal_on.as_deref()),
        false,
    );
    if let Some(o) = p.appeal_outcome.map(|o| o.as_str()) {
        let text = format!(
            "{} ({})",
            tr.t(&format!("proc-appeal-outcome-{o}")),
            opt_date(p.appeal_outcome_on.as_deref())
        );
        add("appeal-outcome", "proc-fact-appeal-outcome", text, false);
    }
    add(
        "terminated",
        "proc-fact-terminated",
        opt_date(p.terminated_on.as_deref()),
        false,
    );
    add(
        "termination-reason",
        "proc-fact-termination-reason",
        p.termination_reason.clone().unwrap_or_default(),
        true,
    );
    out
}

async fn procedure_page(
    state: &AppState,
    s: &SignedIn,
    id: i64,
    failed: Option<(ProcAction, StepInput)>,
    errors: FieldErrors,
    conflict: bool,
    flash_key: &str,
) -> AppResult {
    let ctx = s.ctx.store_ctx();
    let v = procedures::procedure_view(&state.db, &ctx, id).await?;
    let c = Chrome::new(state, &s.ctx);
    let tr = c.tr.clone();
    let p = &v.procedure;
    let possible: Vec<&'static str> = v.possible.iter().map(|a| a.as_str()).collect();
    let (failed, typed) = match failed {
        Some((a, t)) => (a.as_str(), t),
        None => ("", StepInput::default()),
    };
    // A step that is not open now has no form to come back to: say so at the top.
    let mut errors = errors;
    if !failed.is_empty() && !possible.contains(&failed) && !conflict {
        errors = FieldErrors::new();
        errors.add("action", "err-step-not-now");
    }
    let next = v.deadline.map(|(step, due, u)| NextStep {
        step: step_name(&tr, step),
        due: due.strftime("%d.%m.%Y").to_string(),
        urgency: urgency_code(u),
        urgency_class: urgency_class(u),
        urgency_text: urgency_text(&tr, u),
        from_police: step == Step::PoliceReply,
    });
    let referral = v.police_referral.as_ref().map(|r| ReferralInfo {
        id: r.id,
        org: r.to_org_name.clone(),
        state: tr.t(&format!("proc-referral-state-{}", r.state)),
        state_code: r.state.as_str().to_string(),
        due: opt_date(r.due_on.as_deref()),
    });
    let events = v
        .events
        .iter()
        .map(|e| EventLine {
            at: datetime(e.at),
            on: date_text(&e.on_date),
            who: e.user_name.clone().unwrap_or_default(),
            action: tr.t(&format!("proc-event-{}", e.action)),
            note: e.note.clone().unwrap_or_default(),
        })
        .collect();
    let reasons = NoInterviewReason::ALL
        .iter()
        .map(|r| (r.as_str(), tr.t(&format!("proc-no-interview-{}", r.as_str()))))
        .collect();
    let outcomes = AppealOutcome::ALL
        .iter()
        .map(|o| (o.as_str(), tr.t(&format!("proc-appeal-outcome-{}", o.as_str()))))
        .collect();
    let errors = Errors::new(&tr, errors).in_order(STEP_FIELDS);
    let status = if conflict {
        StatusCode::CONFLICT
    } else {
        errors.status()
    };
    let language = match (&p.language, &p.interpreter) {
        (Some(l), _) => l.clone(),
        _ => String::new(),
    };
    let page = ProcedurePage {
        flash: if flash_key.is_empty() {
            String::new()
        } else {
            tr.t(flash_key)
        },
        id,
        version: p.version,
        case_id: p.case_id,
        reference: p.case_reference.clone(),
        journal_number: p.journal_number(),
        registered_on: date_text(&p.registered_on),
        registered_by: p.registered_by_name.clone(),
        applicant: p.applicant.clone(),
        representative: p.representative.clone().unwrap_or_default(),
        language,
        interpreter: p.interpreter.clone().unwrap_or_default(),
        state: state_name(&tr, p.state.as_str()),
        state_code: p.state.as_str().to_string(),
        next,
        facts: facts(&tr, p),
        referral,
        certificate: p.decision == Some(Decision::Granted),
        refusal: p.decision == Some(Decision::Refused),
        events,
        possible,
        today: kyiv_date(ctx.now).to_string(),
        last_step: p.last_step_on.clone(),
        reasons,
        outcomes,
        failed,
        typed,
        errors,
        conflict,
        c,
    };
    Ok(render(status, &page))
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: String,
}

pub async fn show_procedure(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> AppResult {
    let flash = match q.done.as_str() {
        "registered" => "proc-flash-registered",
        "step" => "proc-flash-step",
        _ => "",
    };
    procedure_page(&state, &s, id, None, FieldErrors::new(), false, flash).await
}

/// Records one step; the form comes back with what was typed when it is refused.
pub async fn record_step(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, action)): Path<(i64, String)>,
    Form(f): Form<StepInput>,
) -> AppResult {
    let Some(action) = ProcAction::parse(&action) else {
        return Err(AppError::not_found());
    };
    // A version that is not a number cannot match: the page comes back as stale.
    let version = f.version.trim().parse::<i64>().unwrap_or(-1);
    form::submit(
        &s,
        &format!("/procedures/{id}?done=step"),
        async |ctx| procedures::record_step(&state.db, &ctx, id, action, &f.form(), version).await,
        async |again| {
            let (errors, conflict) = match again {
                Again::Invalid(e) => (e, false),
                Again::Stale(_) => (FieldErrors::new(), true),
            };
            procedure_page(&state, &s, id, Some((action, f.clone())), errors, conflict, "").await
        },
    )
    .await
}

// ---------------------------------------------------------------- documents

/// The certificate or refusal letter, filled from the template. The texts of
/// the document are Ukrainian whatever the page language: it is an official act.
async fn decision_file(state: AppState, s: SignedIn, id: i64, kind: TemplateKind) -> AppResult {
    let ctx = s.ctx.store_ctx();
    let d = procedures::decision_document(&state.db, &ctx, id, kind).await?;
    let tr = Tr::new(state.i18n.clone(), Lang::Uk);
    let p = &d.procedure;
    let mut values: BTreeMap<&str, String> = BTreeMap::new();
    values.insert("unit_name", d.unit.name.clone());
    values.insert("unit_address", d.unit.address.clone().unwrap_or_default());
    values.insert(
        "person_name",
        d.person
            .as_ref()
            .map_or_else(|| p.applicant.clone(), |x| x.full_name()),
    );
    values.insert(
        "person_birth_date",
        opt_date(d.person.as_ref().and_then(|x| x.birth_date.as_deref())),
    );
    values.insert("case_reference", d.case.reference.clone());
    values.insert("decision_date", opt_date(p.decided_on.as_deref()));
    values.insert("official_name", d.official_name.clone());
    values.insert("official_position", tr.t("doc-official-position"));
    match kind {
        TemplateKind::Certificate => {
            values.insert("certificate_no", p.certificate_no.clone().unwrap_or_default());
            values.insert("certificate_date", opt_date(p.decided_on.as_deref()));
            values.insert("valid_until", opt_date(p.valid_until.as_deref()));
        }
        TemplateKind::Refusal => {
            values.insert("letter_date", kyiv_date(ctx.now).strftime("%d.%m.%Y").to_string());
            values.insert("grounds", p.refusal_grounds.clone().unwrap_or_default());
            values.insert("appeal_notice", tr.t("doc-appeal-notice"));
        }
    }
    let values: BTreeMap<&'static str, String> = values
        .into_iter()
        .filter_map(|(k, v)| kind.placeholders().iter().find(|p| **p == k).map(|p| (*p, v)))
        .collect();
    let template = d.template;
    let built = tokio::task::spawn_blocking(move || reports::cases::fill_template(&template, &values)).await;
    let name = format!("{}-{}.docx", kind.as_str(), safe_name(&d.case.reference));
    match built {
        Ok(Ok(bytes)) => Ok(file_response(bytes, DOCX, &name)),
        Ok(Err(e)) => Err(AppError::failed("decision_template", e)),
        Err(e) => Err(AppError::failed("decision_template", e)),
    }
}

pub async fn download_certificate(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
) -> AppResult {
    decision_file(state, s, id, TemplateKind::Certificate).await
}

pub async fn download_refusal(State(state): State<AppState>, s: SignedIn, Path(id): Path<i64>) -> AppResult {
    decision_file(state, s, id, TemplateKind::Refusal).await
}

// ---------------------------------------------------------------- the journal

#[derive(Deserialize, Default, Clone)]
pub struct RangeQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// The dates of a journal query: this year by default; the errors beside the fields.
fn journal_range(q: &RangeQuery, today: Date) -> (Date, Date, FieldErrors) {
    let mut e = FieldErrors::new();
    let year = today.year();
    let start = Date::new(year, 1, 1).unwrap_or(today);
    let end = Date::new(year, 12, 31).unwrap_or(today);
    let mut read = |field: &'static str, typed: &str, default: Date| {
        if typed.trim().is_empty() {
            return default;
        }
        domain::plan::parse_date(typed).unwrap_or_else(|| {
            e.add(field, "err-date");
            default
        })
    };
    let from = read("from", &q.from, start);
    let to = read("to", &q.to, end);
    if e.is_empty() && to < from {
        e.add("to", "journal-err-order");
    }
    (from, to, e)
}

/// One journal row as the page and the workbook show it.
fn journal_row(tr: &Tr, p: &ProcedureRow) -> reports::cases::JournalRow {
    let interview = match (
        p.no_interview_reason.map(|r| r.as_str()),
        p.interview_on.as_deref(),
    ) {
        (Some(reason), on) => format!(
            "{} ({})",
            tr.t(&format!("proc-no-interview-{reason}")),
            opt_date(on)
        ),
        (None, on) => opt_date(on),
    };
    let police_reply = match (p.police_reply_on.as_deref(), p.proceedings_found) {
        (Some(on), Some(0)) => format!("{} — {}", date_text(on), tr.t("journal-police-none")),
        (Some(on), Some(_)) => format!(
            "{} — {}",
            date_text(on),
            tr.t1(
                "journal-police-found",
                "number",
                p.proceedings_ref.clone().unwrap_or_default()
            )
        ),
        (Some(on), None) => date_text(on),
        (None, _) => String::new(),
    };
    let decision = match p.decision.map(|d| d.as_str()) {
        Some("granted") => {
            let mut a = FluentArgs::new();
            a.set("date", opt_date(p.decided_on.as_deref()));
            a.set("number", p.certificate_no.clone().unwrap_or_default());
            tr.args("journal-decision-granted", &a)
        }
        Some("refused") => tr.t1(
            "journal-decision-refused",
            "date",
            opt_date(p.decided_on.as_deref()),
        ),
        _ => String::new(),
    };
    reports::cases::JournalRow {
        number: p.journal_number(),
        registered_on: date_text(&p.registered_on),
        applicant: p.applicant.clone(),
        representative: p.representative.clone().unwrap_or_default(),
        case_reference: p.case_reference.clone(),
        interview,
        police_request: opt_date(p.police_request_on.as_deref()),
        police_reply,
        decision,
        notified: opt_date(p.notified_on.as_deref()),
        official: p.registered_by_name.clone(),
    }
}

pub struct JournalLine {
    pub id: i64,
    pub case_id: i64,
    pub row: reports::cases::JournalRow,
    /// The steps so far, in one line.
    pub steps: String,
}

fn steps_line(tr: &Tr, r: &reports::cases::JournalRow) -> String {
    [
        ("journal-col-interview", &r.interview),
        ("journal-col-police-request", &r.police_request),
        ("journal-col-police-reply", &r.police_reply),
        ("journal-col-notified", &r.notified),
    ]
    .iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| format!("{}: {v}", tr.t(k)))
    .collect::<Vec<_>>()
    .join("; ")
}

#[derive(Template)]
#[template(path = "journal.html")]
struct JournalPage {
    c: Chrome,
    from: String,
    to: String,
    /// The range as the download link carries it (`yyyy-mm-dd`), when the dates were read.
    xlsx_href: Option<String>,
    lines: Vec<JournalLine>,
    errors: Errors,
}

pub async fn show_journal(
    State(state): State<AppState>,
    s: SignedIn,
    Query(q): Query<RangeQuery>,
) -> AppResult {
    let ctx = s.ctx.store_ctx();
    let c = Chrome::new(&state, &s.ctx);
    let tr = c.tr.clone();
    let (from, to, e) = journal_range(&q, kyiv_date(ctx.now));
    let (lines, xlsx_href, shown_from, shown_to) = if e.is_empty() {
        let rows = procedures::journal(&state.db, &ctx, from, to, "page").await?;
        let lines = rows
            .iter()
            .map(|p| {
                let row = journal_row(&tr, p);
                JournalLine {
                    id: p.id,
                    case_id: p.case_id,
                    steps: steps_line(&tr, &row),
                    row,
                }
            })
            .collect();
        (
            lines,
            Some(format!("/journal.xlsx?from={from}&to={to}")),
            from.to_string(),
            to.to_string(),
        )
    } else {
        // Bad dates answer with the form only to those who may see the journal at all.
        if !s.user.actor.may_run_procedure(s.user.actor.org_id) {
            let e = store::service::deny_page(&state.db, &ctx, "journal").await;
            return Err(e.into());
        }
        (Vec::new(), None, q.from.clone(), q.to.clone())
    };
    let errors = Errors::new(&tr, e).in_order(&["from", "to"]);
    let page = JournalPage {
        from: shown_from,
        to: shown_to,
        xlsx_href,
        lines,
        c,
        errors,
    };
    Ok(render(page.errors.status(), &page))
}

pub async fn download_journal(
    State(state): State<AppState>,
    s: SignedIn,
    Query(q): Query<RangeQuery>,
) -> AppResult {
    let ctx = s.ctx.store_ctx();
    let (from, to, e) = journal_range(&q, kyiv_date(ctx.now));
    if !e.is_empty() {
        // Bad dates in a download link: the journal page says what is wrong beside the fields.
        let mut back = String::from("/journal?");
        back.push_str(&format!(
            "from={}&to={}",
            urlencoding::encode(&q.from),
            urlencoding::encode(&q.to)
        ));
        return Ok(see_other(&back));
    }
    let rows = procedures::journal(&state.db, &ctx, from, to, "xlsx").await?;
    let tr = Tr::new(state.i18n.clone(), s.ctx.lang);
    let mut a = FluentArgs::new();
    a.set("from", from.strftime("%d.%m.%Y").to_string());
    a.set("to", to.strftime("%d.%m.%Y").to_string());
    let labels = reports::cases::JournalLabels {
        sheet: tr.t("journal-sheet"),
        title: tr.args("journal-xlsx-title", &a),
        unit: s.user.org_name.clone(),
        columns: [
            tr.t("journal-col-number"),
            tr.t("journal-col-registered"),
            tr.t("journal-col-applicant"),
            tr.t("journal-col-representative"),
            tr.t("journal-col-reference"),
            tr.t("journal-col-interview"),
            tr.t("journal-col-police-request"),
            tr.t("journal-col-police-reply"),
            tr.t("journal-col-decision"),
            tr.t("journal-col-notified"),
            tr.t("journal-col-official"),
        ],
    };
    let data: Vec<reports::cases::JournalRow> = rows.iter().map(|p| journal_row(&tr, p)).collect();
    let built = tokio::task::spawn_blocking(move || reports::cases::journal_xlsx(&labels, &data)).await;
    let name = format!("journal-{from}-{to}.xlsx");
    match built {
        Ok(Ok(bytes)) => Ok(file_response(bytes, XLSX, &name)),
        Ok(Err(e)) => Err(AppError::failed("journal_xlsx", e)),
        Err(e) => Err(AppError::failed("journal_xlsx", e)),
    }
}

// ---------------------------------------------------------------- deadlines

pub struct DeadlineItem {
    pub procedure_id: i64,
    pub reference: String,
    pub journal_number: String,
    pub step: String,
    pub due: String,
    pub urgency: &'static str,
    pub urgency_class: &'static str,
    pub urgency_text: String,
}

fn deadline_item(tr: &Tr, l: &DeadlineLine, today: Date) -> DeadlineItem {
    let u = l.urgency(today);
    DeadlineItem {
        procedure_id: l.procedure_id,
        reference: l.reference.clone(),
        journal_number: format!("{}/{}", l.journal_no, l.journal_year),
        step: step_name(tr, l.next_step),
        due: date_text(&l.next_due_on),
        urgency: urgency_code(u),
        urgency_class: urgency_class(u),
        urgency_text: urgency_text(tr, u),
    }
}

/// The case officer's most urgent steps for the home page (the first `n`), and whether there are more.
pub async fn home_deadlines(
    state: &AppState,
    s: &SignedIn,
    tr: &Tr,
    n: i64,
) -> Result<(Vec<DeadlineItem>, bool), DomainError> {
    let ctx = s.ctx.store_ctx();
    let (rows, more) = procedures::deadline_list(&state.db, &ctx, None, n).await?;
    let today = kyiv_date(ctx.now);
    Ok((rows.iter().map(|l| deadline_item(tr, l, today)).collect(), more))
}

#[derive(Template)]
#[template(path = "deadlines.html")]
struct DeadlinesPage {
    c: Chrome,
    items: Vec<DeadlineItem>,
    next_href: Option<String>,
    first_page: bool,
}

#[derive(Deserialize, Default)]
pub struct AfterQuery {
    #[serde(default)]
    after_due: String,
    #[serde(default)]
    after_id: String,
}

const DEADLINES_PAGE: i64 = 50;

pub async fn show_deadlines(
    State(state): State<AppState>,
    s: SignedIn,
    Query(q): Query<AfterQuery>,
) -> AppResult {
    let ctx = s.ctx.store_ctx();
    // A cursor that does not read starts from the first page.
    let after = match (
        domain::plan::parse_date(&q.after_due),
        q.after_id.trim().parse::<i64>(),
    ) {
        (Some(d), Ok(id)) => Some((d.to_string(), id)),
        _ => None,
    };
    let first_page = after.is_none();
    let (rows, more) = procedures::deadline_list(&state.db, &ctx, after, DEADLINES_PAGE).await?;
    let c = Chrome::new(&state, &s.ctx);
    let tr = c.tr.clone();
    let today = kyiv_date(ctx.now);
    let next_href = if more {
        rows.last().map(|l| {
            format!(
                "/deadlines?after_due={}&after_id={}",
                l.next_due_on, l.procedure_id
            )
        })
    } else {
        None
    };
    let items = rows.iter().map(|l| deadline_item(&tr, l, today)).collect();
    Ok(render(
        StatusCode::OK,
        &DeadlinesPage {
            c,
            items,
            next_href,
            first_page,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn file_names_carry_only_the_reference() {
        assert_eq!(safe_name("UA53-2026-00017"), "UA53-2026-00017");
        assert_eq!(safe_name("UA53/2026 \"x\""), "UA53_2026__x_");
    }

    #[test]
    fn the_journal_defaults_to_this_year_and_checks_its_dates() {
        let today = date(2026, 5, 7);
        let (f, t, e) = journal_range(&RangeQuery::default(), today);
        assert_eq!((f, t), (date(2026, 1, 1), date(2026, 12, 31)));
        assert!(e.is_empty());
        let q = RangeQuery {
            from: "31.02.2026".into(),
            to: "2026-03-01".into(),
        };
        assert_eq!(journal_range(&q, today).2.get("from"), Some("err-date"));
        let q = RangeQuery {
            from: "2026-03-02".into(),
            to: "01.03.2026".into(),
        };
        assert_eq!(journal_range(&q, today).2.get("to"), Some("journal-err-order"));
    }
}
