//! My account: change my password, sign out everywhere.

use crate::context::SignedIn;
use crate::error::AppResult;
use crate::form;
use crate::state::AppState;
use crate::views::{Chrome, Errors, render};
use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use domain::FieldErrors;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/account", get(account))
        .route("/account/password", post(change_password))
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    c: Chrome,
    login: String,
    org_name: String,
    must_change: bool,
    flash: String,
    errors: Errors,
}

#[derive(Deserialize, Default)]
pub struct AccountQuery {
    #[serde(default)]
    done: String,
}

fn page(state: &AppState, s: &SignedIn, flash: String, errors: FieldErrors) -> Response {
    let c = Chrome::new(state, &s.ctx);
    let errors = Errors::new(&c.tr, errors).in_order(&["current_password", "new_password"]);
    render(
        errors.status(),
        &AccountPage {
            login: s.user.login.clone(),
            org_name: s.user.org_name.clone(),
            must_change: s.user.must_change_password,
            flash,
            errors,
            c,
        },
    )
}

pub async fn account(State(state): State<AppState>, s: SignedIn, Query(q): Query<AccountQuery>) -> Response {
    let tr = crate::i18n::Tr::new(state.i18n.clone(), s.ctx.lang);
    let flash = if q.done == "password" {
        tr.t("flash-password-changed")
    } else {
        String::new()
    };
    page(&state, &s, flash, FieldErrors::new())
}

#[derive(Deserialize)]
pub struct PasswordChange {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    s: SignedIn,
    Form(f): Form<PasswordChange>,
) -> AppResult {
    form::submit(
        &s,
        "/account?done=password",
        async |ctx| {
            store::auth::change_own_password(
                &state.db,
                &ctx,
                &s.user.id_hash,
                f.current_password,
                f.new_password,
            )
            .await
        },
        async |again| Ok(page(&state, &s, String::new(), again.invalid()?)),
    )
    .await
}
