//! Reporting periods and reports: opening and closing a period, the
//! coordinator's period dashboard and lists (`periods`), the consolidated
//! documents (`consolidated`), the executor's list (`my_reports`), one report
//! with its review (`report`) and its attachments (`attachments`). This
//! module holds the route table and the formatting those files share.

pub mod attachments;
pub mod consolidated;
pub mod my_reports;
pub mod periods;
pub mod report;

use crate::i18n::Tr;
use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};
use domain::reporting::{ReportState, percent};
use serde::Deserialize;
use store::dates::parse_date;

// What the home page counts (`super::home`).
pub use my_reports::{MyLine, my_lines};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plans/{id}/periods", post(periods::open_period))
        .route("/periods/{id}", get(periods::dashboard))
        .route("/periods/{id}/queue", get(periods::queue_list))
        .route("/periods/{id}/overdue", get(periods::overdue_list))
        .route("/periods/{id}/close", post(periods::close_period))
        .route("/periods/{id}/reopen", post(periods::reopen_period))
        .route("/periods/{id}/report.docx", get(consolidated::consolidated_docx))
        .route("/periods/{id}/report.xlsx", get(consolidated::consolidated_xlsx))
        .route("/my-reports", get(my_reports::my_reports))
        .route(
            "/reports/{id}",
            get(report::show_report).post(report::write_report),
        )
        .route("/reports/{id}/review", post(report::review_report))
        .route("/reports/{id}/attachments", post(attachments::add_attachment))
        .route(
            "/reports/{id}/attachments/{aid}",
            get(attachments::download_attachment),
        )
        .route(
            "/reports/{id}/attachments/{aid}/delete",
            post(attachments::remove_attachment),
        )
}

fn date_text(iso: &str) -> String {
    parse_date(iso)
        .map(|d| d.strftime("%d.%m.%Y").to_string())
        .unwrap_or_default()
}

/// The first `n` letters of a text, with "…" when it was longer.
pub fn clip(text: &str, n: usize) -> String {
    let mut out: String = text.chars().take(n).collect();
    if text.chars().count() > n {
        let cut = out.rfind(' ').filter(|i| *i > out.len() / 2).unwrap_or(out.len());
        out.truncate(cut);
        out.push('…');
    }
    out
}

fn state_name(tr: &Tr, s: ReportState) -> String {
    tr.t(&format!("report-state-{}", s.as_str()))
}

fn pct(p: Option<u32>) -> String {
    percent(p)
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: String,
}
