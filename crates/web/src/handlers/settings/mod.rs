//! The administrator's settings: the index page (here); the rulebook of
//! deadlines (versions) and the calendar of days off, by which deadlines are
//! counted (`deadlines`); the DOCX templates of the certificate and the
//! refusal letter (`templates`). This module holds the route table.
//!
//! Security role: every page and action goes through `store::settings`, which
//! checks `may_manage_settings`, audits refusals and writes the audit row of
//! each change in its transaction. Uploads carry the CSRF token as the first
//! multipart part (checked by the context middleware before the body is read).

pub mod deadlines;
pub mod templates;

use crate::context::SignedIn;
use crate::error::AppResult;
use crate::state::AppState;
use crate::views::{Chrome, render};
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use serde::Deserialize;
use store::settings::{self, MAX_TEMPLATE_BYTES};

/// The upload route's body limit: the template plus the form's other parts.
const UPLOAD_BODY_LIMIT: usize = MAX_TEMPLATE_BYTES + 256 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/settings", get(show_settings))
        .route(
            "/settings/rulebook",
            get(deadlines::show_rulebook).post(deadlines::add_rulebook_version),
        )
        .route(
            "/settings/calendar",
            get(deadlines::show_calendar).post(deadlines::mark_calendar_day),
        )
        .route("/settings/calendar/remove", post(deadlines::unmark_calendar_day))
        .route("/settings/templates", get(templates::show_templates))
        .route(
            "/settings/templates/{kind}",
            get(templates::download_template)
                .post(templates::replace_template)
                .layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route(
            "/settings/templates/{kind}/reset",
            post(templates::reset_template),
        )
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: String,
}

// ---------------------------------------------------------------- index

#[derive(Template)]
#[template(path = "settings_index.html")]
struct IndexPage {
    c: Chrome,
}

pub async fn show_settings(State(state): State<AppState>, s: SignedIn) -> AppResult {
    settings::open_settings(&state.db, &s.ctx.store_ctx()).await?;
    Ok(render(
        StatusCode::OK,
        &IndexPage {
            c: Chrome::new(&state, &s.ctx),
        },
    ))
}
