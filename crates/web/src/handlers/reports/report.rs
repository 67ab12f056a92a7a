//! One report: its page, writing and submitting it (the executor), and
//! accepting or returning it (the reviewer).

use super::{DoneQuery, date_text, state_name};
use crate::context::SignedIn;
use crate::error::AppResult;
use crate::extract::Path;
use crate::form::{self, Again};
use crate::handlers::half_year_label;
use crate::state::AppState;
use crate::views::{Chrome, Errors, datetime, render};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use domain::FieldErrors;
use domain::reporting::{PeriodState, ReportForm, ReportState, figure_text};
use serde::Deserialize;
use store::plans;

pub struct FigureField {
    pub id: i64,
    pub label: String,
    pub target: String,
    pub value: String,
}

pub struct EventLine {
    pub at: String,
    pub who: String,
    pub action: String,
    pub comment: String,
}

pub struct AttachmentLine {
    pub id: i64,
    pub name: String,
    pub size: String,
    pub at: String,
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    c: Chrome,
    flash: String,
    id: i64,
    version: i64,
    plan_id: i64,
    plan_title: String,
    period_id: i64,
    period: String,
    goal: String,
    task: String,
    measure_code: String,
    measure_text: String,
    term: String,
    executor: String,
    state: String,
    state_code: &'static str,
    due: String,
    submitted: String,
    late: bool,
    return_comment: Option<String>,
    text: String,
    links: String,
    figures: Vec<FigureField>,
    events: Vec<EventLine>,
    attachments: Vec<AttachmentLine>,
    may_edit: bool,
    may_review: bool,
    reviewer: bool,
    period_open: bool,
    errors: Errors,
    conflict: bool,
    review_comment: String,
}

const REPORT_FIELDS: &[&str] = &["state", "text", "figures", "links", "file", "comment"];

/// What was typed into the report form, to show again.
#[derive(Default)]
pub(super) struct Typed {
    text: Option<String>,
    links: Option<String>,
    figures: Vec<(i64, String)>,
    review_comment: String,
}

pub(super) async fn report_page(
    state: &AppState,
    s: &SignedIn,
    id: i64,
    typed: Typed,
    errors: FieldErrors,
    conflict: bool,
    flash_key: &str,
) -> AppResult {
    let v = plans::view_report(&state.db, &s.ctx.store_ctx(), id).await?;
    let c = Chrome::new(state, &s.ctx);
    let tr = c.tr.clone();
    let r = &v.report;
    let rstate = r.state();
    let period_open = r.period_state() == PeriodState::Open;
    let figures = v
        .measure
        .indicators
        .iter()
        .map(|ind| {
            let stored = v
                .figures
                .iter()
                .find(|f| f.indicator_id == ind.id)
                .map(|f| figure_text(f.value));
            let typed_value = typed
                .figures
                .iter()
                .find(|(i, _)| *i == ind.id)
                .map(|(_, v)| v.clone());
            FigureField {
                id: ind.id,
                label: format!("{}, {}", ind.name, ind.unit),
                target: ind.target.clone().unwrap_or_default(),
                value: typed_value.or(stored).unwrap_or_default(),
            }
        })
        .collect();
    let events = v
        .events
        .iter()
        .map(|e| EventLine {
            at: datetime(e.at),
            who: e.user_name.clone().unwrap_or_default(),
            action: tr.t(&format!("report-event-{}", e.action)),
            comment: e.comment.clone().unwrap_or_default(),
        })
        .collect();
    let attachments = v
        .attachments
        .iter()
        .map(|a| AttachmentLine {
            id: a.id,
            name: a.file_name.clone(),
            size: format!("{:.1} KB", a.size as f64 / 1024.0),
            at: datetime(a.uploaded_at),
        })
        .collect();
    let status = if conflict {
        StatusCode::CONFLICT
    } else if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = ReportPage {
        flash: if flash_key.is_empty() {
            String::new()
        } else {
            tr.t(flash_key)
        },
        id,
        version: r.version,
        plan_id: v.plan.id,
        plan_title: v.plan.title.clone(),
        period_id: r.period_id,
        period: half_year_label(&tr, r.year, r.half),
        goal: format!("{} {}. {}", tr.t("goal"), v.goal_number, v.goal_text),
        task: format!("{} {}. {}", tr.t("task"), v.task_number, v.task_text),
        measure_code: v.measure_code.clone(),
        measure_text: v.measure.m.text.clone(),
        term: v.measure.m.term.clone(),
        executor: r.org_name.clone(),
        state: state_name(&tr, rstate),
        state_code: rstate.as_str(),
        due: date_text(&r.executor_due),
        submitted: r.submitted_at.map(datetime).unwrap_or_default(),
        late: r.late.0,
        return_comment: r
            .return_comment
            .clone()
            .filter(|_| rstate == ReportState::Returned),
        text: typed.text.unwrap_or_else(|| r.body.clone()),
        links: typed.links.unwrap_or_else(|| r.links.clone()),
        figures,
        events,
        attachments,
        may_edit: v.may_write && rstate.editable() && period_open,
        may_review: v.may_review && rstate == ReportState::Submitted && period_open,
        reviewer: v.may_review,
        period_open,
        errors: Errors::new(&tr, errors).in_order(REPORT_FIELDS),
        conflict,
        review_comment: typed.review_comment,
        c,
    };
    Ok(render(status, &page))
}

pub async fn show_report(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> AppResult {
    let flash = match q.done.as_str() {
        "saved" => "flash-report-saved",
        "submitted" => "flash-report-submitted",
        "accepted" => "flash-report-accepted",
        "returned" => "flash-report-returned",
        "attached" => "flash-attached",
        "removed" => "flash-attachment-removed",
        _ => "",
    };
    report_page(&state, &s, id, Typed::default(), FieldErrors::new(), false, flash).await
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

pub async fn write_report(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult {
    let submit = field(&fields, "action") == "submit";
    let version: i64 = field(&fields, "version").parse().unwrap_or(0);
    let figures: Vec<(i64, String)> = fields
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("fig_")?.parse().ok()?, v.clone())))
        .collect();
    let form = ReportForm {
        text: field(&fields, "text").to_string(),
        links: field(&fields, "links").to_string(),
        figures: figures.clone(),
    };
    let typed = || Typed {
        text: Some(form.text.clone()),
        links: Some(form.links.clone()),
        figures: figures.clone(),
        review_comment: String::new(),
    };
    let done = if submit { "submitted" } else { "saved" };
    form::submit(
        &s,
        &format!("/reports/{id}?done={done}"),
        async |ctx| {
            plans::write_report(&state.db, &ctx, id, version, &form, submit)
                .await
                .map(|_| ())
        },
        async |again| {
            let (errors, conflict) = match again {
                Again::Invalid(e) => (e, false),
                Again::Stale(_) => (FieldErrors::new(), true),
            };
            report_page(&state, &s, id, typed(), errors, conflict, "").await
        },
    )
    .await
}

#[derive(Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    version: i64,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    comment: String,
}

pub async fn review_report(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Form(f): Form<ReviewForm>,
) -> AppResult {
    let accept = f.decision == "accept";
    let done = if accept { "accepted" } else { "returned" };
    form::submit(
        &s,
        &format!("/reports/{id}?done={done}"),
        async |ctx| {
            plans::review_report(&state.db, &ctx, id, f.version, accept, &f.comment)
                .await
                .map(|_| ())
        },
        async |again| {
            let (errors, conflict) = match again {
                Again::Invalid(e) => (e, false),
                Again::Stale(_) => (FieldErrors::new(), true),
            };
            let typed = Typed {
                review_comment: f.comment.clone(),
                ..Typed::default()
            };
            report_page(&state, &s, id, typed, errors, conflict, "").await
        },
    )
    .await
}
