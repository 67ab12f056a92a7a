//! Recording an application for the one-time payment.

use crate::context::SignedIn;
use crate::error::AppResult;
use crate::extract::Path;
use crate::form::{self, Again};
use crate::handlers::dmy;
use crate::state::AppState;
use crate::views::{Chrome, Errors, render};
use askama::Template;
use axum::Form;
use axum::extract::State;
use domain::FieldErrors;
use domain::payment::ApplicationForm;
use store::dates::kyiv_date;
use store::payments;

#[derive(Template)]
#[template(path = "payment_application.html")]
struct ApplicationPage {
    c: Chrome,
    case_id: i64,
    reference: String,
    today: String,
    /// The granted status: certificate number and validity, or why there is none.
    status: String,
    has_status: bool,
    existing: Option<i64>,
    birth_date: String,
    amounts: Vec<(String, String)>,
    form: ApplicationForm,
    errors: Errors,
}

const FIELDS: &[&str] = &[
    "applied_on",
    "applicant",
    "representative_name",
    "representative_document",
    "lost_ability",
    "lost_ability_basis",
];

async fn application_page(
    state: &AppState,
    s: &SignedIn,
    case_id: i64,
    typed: Option<ApplicationForm>,
    errors: FieldErrors,
) -> AppResult {
    let ctx = s.ctx.store_ctx();
    let start = payments::application_start(&state.db, &ctx, case_id).await?;
    let c = Chrome::new(state, &s.ctx);
    let tr = c.tr.clone();
    let today = kyiv_date(ctx.now).to_string();
    let form = typed.unwrap_or_else(|| ApplicationForm {
        applied_on: today.clone(),
        applicant: if start.representative.is_some() && start.case.is_child.0 {
            "representative".into()
        } else {
            "person".into()
        },
        representative_name: start.representative.clone().unwrap_or_default(),
        ..ApplicationForm::default()
    });
    let status = match &start.status {
        Some(st) => tr.t1(
            "payment-status-granted",
            "text",
            format!(
                "№ {} {} {}",
                st.certificate_no.clone().unwrap_or_default(),
                tr.t("payment-valid-until"),
                st.valid_until.as_deref().map(dmy).unwrap_or_default()
            ),
        ),
        None => tr.t("err-payment-no-status"),
    };
    let amounts = start
        .today
        .iter()
        .map(|(c, m)| (tr.t(&format!("payment-category-{}", c.as_str())), m.uk()))
        .collect();
    let errors = Errors::new(&tr, errors).in_order(FIELDS);
    let page = ApplicationPage {
        case_id,
        reference: start.case.reference.clone(),
        today,
        has_status: start.status.is_some(),
        status,
        existing: start.existing,
        birth_date: start.birth_date.as_deref().map(dmy).unwrap_or_default(),
        amounts,
        form,
        errors,
        c,
    };
    Ok(render(page.errors.status(), &page))
}

pub async fn new_payment(State(state): State<AppState>, s: SignedIn, Path(case_id): Path<i64>) -> AppResult {
    application_page(&state, &s, case_id, None, FieldErrors::new()).await
}

pub async fn apply(
    State(state): State<AppState>,
    s: SignedIn,
    Path(case_id): Path<i64>,
    Form(f): Form<ApplicationForm>,
) -> AppResult {
    form::submit(
        &s,
        "/payments/{id}?done=applied",
        async |ctx| payments::apply(&state.db, &ctx, case_id, &f).await,
        async |again| match again {
            Again::Invalid(e) => application_page(&state, &s, case_id, Some(f.clone()), e).await,
            Again::Stale(_) => {
                application_page(&state, &s, case_id, Some(f.clone()), FieldErrors::new()).await
            }
        },
    )
    .await
}
