//! Registering an application in the journal: the form and the registration.

use crate::context::SignedIn;
use crate::error::AppResult;
use crate::extract::Path;
use crate::form::{self, Again};
use crate::state::AppState;
use crate::views::{Chrome, Errors, render};
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use domain::FieldErrors;
use domain::procedure::ApplicationForm;
use serde::Deserialize;
use store::dates::kyiv_date;
use store::procedures;

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
