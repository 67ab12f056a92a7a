//! The status procedure (SPEC §4) as the case officer runs it: registering an
//! application in the journal (`application`), the procedure page with its
//! steps and deadlines (`page`), the certificate and the refusal letter
//! (`documents`), the journal, as a page and as XLSX (`journal`), and the
//! unit's deadline list (`deadlines`). This module holds the route table and
//! the formatting those files share.
//!
//! Security role: every page here shows case data, so it is answered with
//! `Cache-Control: no-store` (`views::render`, `file_response`); the
//! permission checks and audit rows live in `store::procedures`. URLs carry
//! only ids, dates and the step name; downloaded files are named by the case
//! reference, never by the person.

pub mod application;
pub mod deadlines;
pub mod documents;
pub mod journal;
pub mod page;

use crate::i18n::Tr;
use crate::state::AppState;
use axum::Router;
use axum::body::Body;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use domain::deadline::{Step, Urgency};

// What the home page lists (`super::home`).
pub use deadlines::{DeadlineItem, home_deadlines};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cases/{id}/application/new", get(application::new_application))
        .route("/cases/{id}/application", post(application::register_application))
        .route("/procedures/{id}", get(page::show_procedure))
        .route("/procedures/{id}/steps/{action}", post(page::record_step))
        .route(
            "/procedures/{id}/certificate.docx",
            get(documents::download_certificate),
        )
        .route("/procedures/{id}/refusal.docx", get(documents::download_refusal))
        .route("/journal", get(journal::show_journal))
        .route("/journal.xlsx", get(journal::download_journal))
        .route("/deadlines", get(deadlines::show_deadlines))
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
