//! The procedure page: what has been recorded, the next step and its
//! deadline, the history, and a form for each step open now; recording a step.

use super::{date_text, opt_date, step_name, urgency_class, urgency_code, urgency_text};
use crate::context::SignedIn;
use crate::error::{AppError, AppResult};
use crate::extract::Path;
use crate::form::{self, Again};
use crate::i18n::Tr;
use crate::state::AppState;
use crate::views::{Chrome, Errors, datetime, render};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use domain::FieldErrors;
use domain::deadline::Step;
use domain::procedure::{AppealOutcome, Decision, NoInterviewReason, ProcAction, StepForm};
use serde::Deserialize;
use store::dates::kyiv_date;
use store::procedures::{self, ProcedureRow};

fn state_name(tr: &Tr, state: &str) -> String {
    tr.t(&format!("proc-state-{state}"))
}

fn yes_no(tr: &Tr, v: Option<i64>) -> String {
    match v {
        Some(0) => tr.t("proc-no"),
        Some(_) => tr.t("proc-yes"),
        None => String::new(),
    }
}

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
