//! Signing in and out, and choosing the language.

use crate::context::{Anyone, LANG_COOKIE, SESSION_COOKIE, SignedIn, cookie};
use crate::error::AppResult;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use crate::views::{Chrome, render};
use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use store::auth::SignInOutcome;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sign-in", get(sign_in_page).post(sign_in))
        .route("/sign-out", post(sign_out))
        .route("/lang", post(switch_language))
        // Under /account, but it ends sessions, as signing out does.
        .route("/account/sign-out-everywhere", post(sign_out_everywhere))
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    c: Chrome,
    login: String,
    problem: String,
    expired: bool,
}

#[derive(Deserialize, Default)]
pub struct SignInQuery {
    #[serde(default)]
    expired: Option<String>,
}

pub async fn sign_in_page(
    State(state): State<AppState>,
    Anyone(ctx): Anyone,
    Query(q): Query<SignInQuery>,
) -> Response {
    if ctx.user.is_some() {
        return Redirect::to("/").into_response();
    }
    render(
        StatusCode::OK,
        &SignInPage {
            c: Chrome::new(&state, &ctx),
            login: String::new(),
            problem: String::new(),
            expired: q.expired.is_some(),
        },
    )
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
}

pub async fn sign_in(
    State(state): State<AppState>,
    Anyone(ctx): Anyone,
    Form(f): Form<SignInForm>,
) -> AppResult {
    let tr = Tr::new(state.i18n.clone(), ctx.lang);
    let store_ctx = ctx.store_ctx();
    // Signing in again replaces the session this browser had.
    if let Some(old) = &ctx.user {
        store::lookups::end_session(&state.db, &old.id_hash).await?;
    }
    let outcome = store::auth::sign_in(
        &state.db,
        &store_ctx,
        &f.login,
        f.password,
        state.config.sign_in_limits(),
    )
    .await;
    let page = |status, problem: String| {
        render(
            status,
            &SignInPage {
                c: Chrome::new(&state, &ctx),
                login: f.login.clone(),
                problem,
                expired: false,
            },
        )
    };
    Ok(match outcome? {
        SignInOutcome::SignedIn { token, .. } => {
            let mut r = Redirect::to("/").into_response();
            let c = cookie(SESSION_COOKIE, &token, state.config.server.cookie_secure, None);
            r.headers_mut().append(header::SET_COOKIE, c);
            r
        }
        SignInOutcome::Invalid => page(StatusCode::UNAUTHORIZED, tr.t("sign-in-invalid")),
        SignInOutcome::Locked { retry_after_secs } => {
            let minutes = (retry_after_secs + 59) / 60;
            let mut r = page(
                StatusCode::TOO_MANY_REQUESTS,
                tr.tn("sign-in-locked", "minutes", minutes),
            );
            if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            r
        }
    })
}

fn clear_session_cookie(state: &AppState, r: &mut Response) {
    r.headers_mut().append(
        header::SET_COOKIE,
        cookie(SESSION_COOKIE, "", state.config.server.cookie_secure, Some(0)),
    );
}

pub async fn sign_out(State(state): State<AppState>, s: SignedIn) -> AppResult {
    store::auth::sign_out(&state.db, &s.ctx.store_ctx(), &s.user.id_hash).await?;
    let mut r = Redirect::to("/sign-in").into_response();
    clear_session_cookie(&state, &mut r);
    Ok(r)
}

pub async fn sign_out_everywhere(State(state): State<AppState>, s: SignedIn) -> AppResult {
    store::auth::sign_out_everywhere(&state.db, &s.ctx.store_ctx()).await?;
    let mut r = Redirect::to("/sign-in").into_response();
    clear_session_cookie(&state, &mut r);
    Ok(r)
}

#[derive(Deserialize)]
pub struct LangForm {
    lang: String,
    #[serde(default)]
    back: String,
}

/// Sets the language cookie and returns to the page the person was on.
pub async fn switch_language(State(state): State<AppState>, Form(f): Form<LangForm>) -> Response {
    let lang = Lang::parse(&f.lang).unwrap_or_default();
    let mut r = Redirect::to(super::safe_back(&f.back)).into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        cookie(
            LANG_COOKIE,
            lang.code(),
            state.config.server.cookie_secure,
            Some(365 * 24 * 3600),
        ),
    );
    r
}
