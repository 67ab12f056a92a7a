//! The executor's list: their reports in open periods, most urgent first
//! (also counted on the home page).

use super::{clip, date_text, state_name};
use crate::context::SignedIn;
use crate::error::AppResult;
use crate::handlers::half_year_label;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::views::{Chrome, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use domain::DomainError;
use domain::reporting::{ReportState, Urgency, urgency};
use store::dates::{kyiv_date, parse_date};
use store::plans;

pub struct MyLine {
    pub id: i64,
    pub measure: String,
    pub measure_text: String,
    pub plan_title: String,
    pub period: String,
    pub due: String,
    pub state: String,
    pub state_code: &'static str,
    pub urgency: &'static str,
    pub urgency_text: String,
    pub late: bool,
    pub comment: Option<String>,
}

#[derive(Template)]
#[template(path = "my_reports.html")]
struct MyReportsPage {
    c: Chrome,
    lines: Vec<MyLine>,
}

fn urgency_code(u: Urgency) -> &'static str {
    match u {
        Urgency::Overdue => "overdue",
        Urgency::DueSoon => "due-soon",
        Urgency::Later => "later",
        Urgency::Done => "done",
    }
}

/// The executor's reports in open periods, most urgent first (overdue, returned, due soon).
pub async fn my_lines(state: &AppState, s: &SignedIn, tr: &Tr) -> Result<Vec<MyLine>, DomainError> {
    let ctx = s.ctx.store_ctx();
    let rows = plans::my_reports(&state.db, &ctx).await?;
    let today = kyiv_date(ctx.now);
    let mut lines: Vec<(Urgency, bool, String, MyLine)> = rows
        .into_iter()
        .map(|r| {
            let state = r.state();
            let due = parse_date(&r.executor_due).unwrap_or(today);
            let u = urgency(state, due, today);
            let line = MyLine {
                id: r.id,
                measure: format!("{}.{}", r.goal_number, r.measure_number),
                measure_text: clip(&r.measure_text, 160),
                plan_title: r.plan_title.clone(),
                period: half_year_label(tr, r.year, r.half),
                due: date_text(&r.executor_due),
                state: state_name(tr, state),
                state_code: state.as_str(),
                urgency: urgency_code(u),
                urgency_text: tr.t(&format!("urgency-{}", urgency_code(u))),
                late: r.late.0,
                comment: r.return_comment.filter(|_| state == ReportState::Returned),
            };
            (u, state != ReportState::Returned, r.executor_due, line)
        })
        .collect();
    lines.sort_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)));
    Ok(lines.into_iter().map(|l| l.3).collect())
}

pub async fn my_reports(State(state): State<AppState>, s: SignedIn) -> AppResult {
    let c = Chrome::new(&state, &s.ctx);
    let tr = c.tr.clone();
    let lines = my_lines(&state, &s, &tr).await?;
    Ok(render(StatusCode::OK, &MyReportsPage { c, lines }))
}
