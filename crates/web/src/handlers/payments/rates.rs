//! The administrator's tables of the payment: subsistence minimums per
//! category and the multiplier, each row in force from its date. A new row
//! changes no payment already determined.

use crate::context::SignedIn;
use crate::error::AppResult;
use crate::form::{self, Again};
use crate::state::AppState;
use crate::views::{Chrome, Errors, render};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use domain::FieldErrors;
use domain::payment::{MinimumsForm, MultiplierForm};
use serde::Deserialize;
use store::payments;

#[derive(Template)]
#[template(path = "payment_rates.html")]
struct RatesPage {
    c: Chrome,
    flash: String,
    minimums: Vec<(String, String, String, String, String, String)>,
    multipliers: Vec<(String, i64, String)>,
    /// (field, label, value) of each form.
    minimum_fields: Vec<(&'static str, String, String)>,
    multiplier_fields: Vec<(&'static str, String, String)>,
    minimums_token: String,
    multiplier_token: String,
    failed: &'static str,
    errors: Errors,
}

enum Typed {
    None,
    Minimums(MinimumsForm),
    Multiplier(MultiplierForm),
}

const FIELDS: &[&str] = &[
    "effective_from",
    "under_6",
    "child_6_18",
    "working_age",
    "lost_ability",
    "factor",
    "source",
];

async fn rates_page(
    state: &AppState,
    s: &SignedIn,
    flash: &str,
    typed: Typed,
    errors: FieldErrors,
) -> AppResult {
    let ctx = s.ctx.store_ctx();
    let r = payments::rates(&state.db, &ctx).await?;
    let c = Chrome::new(state, &s.ctx);
    let tr = c.tr.clone();
    let source_of = |list: &[payments::RateSource], id: i64| {
        list.iter()
            .find(|x| x.id == id)
            .map(|x| x.source.clone())
            .unwrap_or_default()
    };
    let minimums = r
        .minimums
        .iter()
        .rev()
        .map(|m| {
            (
                m.effective_from.strftime("%d.%m.%Y").to_string(),
                m.under_6.uk(),
                m.child_6_18.uk(),
                m.working_age.uk(),
                m.lost_ability.uk(),
                source_of(&r.minimum_sources, m.id),
            )
        })
        .collect();
    let multipliers = r
        .multipliers
        .iter()
        .rev()
        .map(|m| {
            (
                m.effective_from.strftime("%d.%m.%Y").to_string(),
                m.factor,
                source_of(&r.multiplier_sources, m.id),
            )
        })
        .collect();
    let (mf, kf, failed) = match typed {
        Typed::None => (MinimumsForm::default(), MultiplierForm::default(), ""),
        Typed::Minimums(f) => (f, MultiplierForm::default(), "minimums"),
        Typed::Multiplier(f) => (MinimumsForm::default(), f, "multipliers"),
    };
    let label = |k: &str| tr.t(k);
    let minimum_fields = vec![
        (
            "effective_from",
            label("rates-effective-from"),
            mf.effective_from.clone(),
        ),
        ("under_6", label("payment-category-under_6"), mf.under_6.clone()),
        (
            "child_6_18",
            label("payment-category-child_6_18"),
            mf.child_6_18.clone(),
        ),
        (
            "working_age",
            label("payment-category-working_age"),
            mf.working_age.clone(),
        ),
        (
            "lost_ability",
            label("payment-category-lost_ability"),
            mf.lost_ability.clone(),
        ),
        ("source", label("rates-source"), mf.source.clone()),
    ];
    let multiplier_fields = vec![
        (
            "effective_from",
            label("rates-effective-from"),
            kf.effective_from.clone(),
        ),
        ("factor", label("rates-factor"), kf.factor.clone()),
        ("source", label("rates-source"), kf.source.clone()),
    ];
    // Two creating forms on one page: each has its own token (the one that came back keeps its own).
    let (minimums_token, multiplier_token) = match failed {
        "minimums" => (c.form_token.clone(), store::forms::new_token()),
        "multipliers" => (store::forms::new_token(), c.form_token.clone()),
        _ => (c.form_token.clone(), store::forms::new_token()),
    };
    let page = RatesPage {
        flash: if flash.is_empty() {
            String::new()
        } else {
            tr.t("rates-saved")
        },
        minimums,
        multipliers,
        minimum_fields,
        multiplier_fields,
        minimums_token,
        multiplier_token,
        failed,
        errors: Errors::new(&tr, errors).in_order(FIELDS),
        c,
    };
    Ok(render(page.errors.status(), &page))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

pub async fn show_rates(State(state): State<AppState>, s: SignedIn, Query(q): Query<DoneQuery>) -> AppResult {
    let flash = if q.done == "saved" { "saved" } else { "" };
    rates_page(&state, &s, flash, Typed::None, FieldErrors::new()).await
}

pub async fn add_minimums(
    State(state): State<AppState>,
    s: SignedIn,
    Form(f): Form<MinimumsForm>,
) -> AppResult {
    form::submit(
        &s,
        "/settings/payment-rates?done=saved",
        async |ctx| payments::add_minimums(&state.db, &ctx, &f).await,
        async |again: Again| {
            let e = again.invalid()?;
            rates_page(&state, &s, "", Typed::Minimums(f.clone()), e).await
        },
    )
    .await
}

pub async fn add_multiplier(
    State(state): State<AppState>,
    s: SignedIn,
    Form(f): Form<MultiplierForm>,
) -> AppResult {
    form::submit(
        &s,
        "/settings/payment-rates?done=saved",
        async |ctx| payments::add_multiplier(&state.db, &ctx, &f).await,
        async |again: Again| {
            let e = again.invalid()?;
            rates_page(&state, &s, "", Typed::Multiplier(f.clone()), e).await
        },
    )
    .await
}
