//! A payment's page: what was applied for and determined, its due date, the
//! step forms open now (approve, pay, refuse) and its register lines.

use crate::context::SignedIn;
use crate::error::{AppError, AppResult};
use crate::extract::Path;
use crate::form::{self, Again};
use crate::handlers::dmy;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::views::{Chrome, Errors, render};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use domain::FieldErrors;
use domain::payment::{Applicant, PaymentAction, RegisterEntryKind, StepForm};
use serde::Deserialize;
use store::payments::{self, PaymentRow, RegisterLine};

#[derive(Template)]
#[template(path = "payment_page.html")]
struct PaymentPage {
    c: Chrome,
    flash: String,
    id: i64,
    version: i64,
    case_id: i64,
    reference: String,
    state: String,
    state_code: &'static str,
    facts: Vec<(String, String)>,
    amount: String,
    basis: String,
    pending: bool,
    overdue: bool,
    due: String,
    actions: Vec<(&'static str, String)>,
    lines: Vec<String>,
    today: String,
    last_step: String,
    failed: &'static str,
    typed: StepForm,
    errors: Errors,
    conflict: bool,
}

fn facts(tr: &Tr, p: &PaymentRow) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut add = |k: &str, v: String| {
        if !v.trim().is_empty() {
            out.push((tr.t(k), v));
        }
    };
    add(
        "payment-certificate",
        p.certificate_no.clone().unwrap_or_default(),
    );
    add("payment-applied-on", dmy(&p.applied_on));
    add(
        "payment-applicant",
        match p.applicant {
            Applicant::Person => tr.t("payment-applicant-person"),
            Applicant::Representative => format!(
                "{}: {}, {}",
                tr.t("payment-applicant-representative"),
                p.representative_name.clone().unwrap_or_default(),
                p.representative_document.clone().unwrap_or_default()
            ),
        },
    );
    add(
        "payment-category",
        tr.t(&format!("payment-category-{}", p.category.as_str())),
    );
    add(
        "payment-lost-ability-basis",
        p.lost_ability_basis.clone().unwrap_or_default(),
    );
    add(
        "payment-approved-on",
        p.approved_on.as_deref().map(dmy).unwrap_or_default(),
    );
    add(
        "payment-paid-on",
        p.paid_on.as_deref().map(dmy).unwrap_or_default(),
    );
    add("payment-ref", p.payment_ref.clone().unwrap_or_default());
    add(
        "payment-refused-on",
        p.refused_on.as_deref().map(dmy).unwrap_or_default(),
    );
    add("payment-grounds", p.refusal_grounds.clone().unwrap_or_default());
    add(
        "payment-appeal-notice",
        p.appeal_notice.clone().unwrap_or_default(),
    );
    add("payment-recorded-by", p.created_by_name.clone());
    out
}

pub(super) fn line_text(tr: &Tr, l: &RegisterLine) -> String {
    match l.kind {
        RegisterEntryKind::Payment => tr.t1(
            "register-line-payment",
            "text",
            format!("№ {}, {}, {}", l.id, dmy(&l.entered_on), l.amount().uk()),
        ),
        RegisterEntryKind::Reversal => tr.t1(
            "register-line-reversal",
            "text",
            format!(
                "№ {}, {}, {} (№ {}): {}",
                l.id,
                dmy(&l.entered_on),
                l.amount().uk(),
                l.reverses_id.unwrap_or_default(),
                l.reason.clone().unwrap_or_default()
            ),
        ),
    }
}

async fn payment_page(
    state: &AppState,
    s: &SignedIn,
    id: i64,
    flash: &str,
    failed: Option<(PaymentAction, StepForm)>,
    errors: FieldErrors,
    conflict: bool,
) -> AppResult {
    let ctx = s.ctx.store_ctx();
    let v = payments::view(&state.db, &ctx, id).await?;
    let c = Chrome::new(state, &s.ctx);
    let tr = c.tr.clone();
    let p = &v.payment;
    let today = v.today.to_string();
    let actions: Vec<(&'static str, String)> = p
        .state
        .actions()
        .into_iter()
        .map(|a| (a.as_str(), tr.t(&format!("payment-action-{}", a.as_str()))))
        .collect();
    let (failed, typed) = match failed {
        Some((a, t)) => (a.as_str(), t),
        None => ("", StepForm::default()),
    };
    let mut errors = errors;
    if !failed.is_empty() && !actions.iter().any(|a| a.0 == failed) && !conflict {
        errors = FieldErrors::new();
        errors.add("action", "err-step-not-now");
    }
    let status = if conflict {
        StatusCode::CONFLICT
    } else if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = PaymentPage {
        flash: if flash.is_empty() {
            String::new()
        } else {
            tr.t(&format!("payment-flash-{flash}"))
        },
        id: p.id,
        version: p.version,
        case_id: p.case_id,
        reference: p.case_reference.clone(),
        state: tr.t(&format!("payment-state-{}", p.state.as_str())),
        state_code: p.state.as_str(),
        facts: facts(&tr, p),
        amount: p.amount().uk(),
        basis: tr.t1(
            "payment-basis",
            "text",
            format!("{} × {}", p.factor, p.minimum().uk()),
        ),
        pending: p.state.is_pending(),
        overdue: p.state.is_pending() && p.due_on < today,
        due: dmy(&p.due_on),
        actions,
        lines: v.lines.iter().map(|l| line_text(&tr, l)).collect(),
        last_step: p.last_step_on.clone(),
        today,
        failed,
        typed,
        errors: Errors::new(&tr, errors),
        conflict,
        c,
    };
    Ok(render(status, &page))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

pub async fn show_payment(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> AppResult {
    let flash = ["applied", "step", "reversed"]
        .into_iter()
        .find(|f| *f == q.done)
        .unwrap_or("");
    payment_page(&state, &s, id, flash, None, FieldErrors::new(), false).await
}

pub async fn payment_step(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, action)): Path<(i64, String)>,
    Form(f): Form<StepForm>,
) -> AppResult {
    let Some(action) = PaymentAction::parse(&action) else {
        return Err(AppError::not_found());
    };
    form::submit(
        &s,
        &format!("/payments/{id}?done=step"),
        async |ctx| payments::step(&state.db, &ctx, id, action, &f).await,
        async |again| {
            let (errors, conflict) = match again {
                Again::Invalid(e) => (e, false),
                Again::Stale(_) => (FieldErrors::new(), true),
            };
            payment_page(&state, &s, id, "", Some((action, f.clone())), errors, conflict).await
        },
    )
    .await
}
