//! A new referral from a case: the form (whom to, what for, which fields
//! are shared) and sending it.

use crate::context::SignedIn;
use crate::error::AppResult;
use crate::extract::Path;
use crate::form;
use crate::handlers::{Opt, named, one, opts};
use crate::state::AppState;
use crate::views::{Chrome, Errors, render};
use askama::Template;
use axum::extract::State;
use axum_extra::extract::Form;
use domain::FieldErrors;
use domain::case::{ReferralForm, ReferralPurpose, SharedField};
use store::cases;

const REFERRAL_FIELDS: &[&str] = &["org_id", "purpose", "fields", "consent_ref", "due_on", "message"];

/// A shared-field checkbox with what sharing it means.
pub struct SharedOpt {
    pub value: String,
    pub label: String,
    pub hint: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "referral_form.html")]
struct ReferralFormPage {
    c: Chrome,
    id: i64,
    reference: String,
    f: ReferralForm,
    orgs: Vec<Opt>,
    purposes: Vec<Opt>,
    shared: Vec<SharedOpt>,
    needs_consent: bool,
    errors: Errors,
}

async fn referral_form_page(
    state: &AppState,
    s: &SignedIn,
    k: &cases::CaseRow,
    f: ReferralForm,
    errors: FieldErrors,
) -> AppResult {
    let c = Chrome::new(state, &s.ctx);
    let tr = c.tr.clone();
    let list = store::lookups::organisations(&state.db).await?;
    let orgs = list
        .into_iter()
        .filter(|o| o.id != k.unit_org_id)
        .map(|o| {
            let value = o.id.to_string();
            Opt {
                selected: value == f.org_id.trim(),
                label: match &o.short_name {
                    Some(sn) => format!("{} ({sn})", o.name),
                    None => o.name,
                },
                value,
            }
        })
        .collect();
    let shared = SharedField::ALL
        .iter()
        .map(|sf| SharedOpt {
            value: sf.as_str().to_string(),
            label: named(&tr, "referral-field", sf.as_str()),
            hint: tr.t(&format!("referral-field-{}-hint", sf.as_str())),
            checked: f.fields.iter().any(|x| x == sf.as_str()),
        })
        .collect();
    let errors = Errors::new(&tr, errors).in_order(REFERRAL_FIELDS);
    let status = errors.status();
    let page = ReferralFormPage {
        id: k.id,
        reference: k.reference.clone(),
        orgs,
        purposes: opts(
            &tr,
            "referral-purpose",
            ReferralPurpose::ALL.iter().map(|v| v.as_str()),
            &one(&f.purpose),
        ),
        shared,
        needs_consent: !k.consent.0 && !k.is_child.0,
        f,
        errors,
        c,
    };
    Ok(render(status, &page))
}

pub async fn new_referral(State(state): State<AppState>, s: SignedIn, Path(id): Path<i64>) -> AppResult {
    let k = cases::case_for_unit(&state.db, &s.ctx.store_ctx(), id, "referral_form").await?;
    referral_form_page(&state, &s, &k, ReferralForm::default(), FieldErrors::new()).await
}

pub async fn send_referral(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Form(f): Form<ReferralForm>,
) -> AppResult {
    form::submit(
        &s,
        &format!("/cases/{id}?done=referred"),
        async |ctx| cases::send_referral(&state.db, &ctx, id, &f).await.map(|_| ()),
        async |again| {
            let e = again.invalid()?;
            let k = cases::case_for_unit(&state.db, &s.ctx.store_ctx(), id, "referral_send").await?;
            referral_form_page(&state, &s, &k, f.clone(), e).await
        },
    )
    .await
}
