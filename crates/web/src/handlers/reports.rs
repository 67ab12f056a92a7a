//! Reporting periods and reports: the executor's list and report page, the
//! coordinator's review and period dashboard, the consolidated documents.

use crate::context::SignedIn;
use crate::error::{AppError, AppResult};
use crate::extract::Path;
use crate::form::{self, Again, see_other};
use crate::i18n::Tr;
use crate::state::AppState;
use crate::upload::{Limits, read_multipart};
use crate::views::{Chrome, Errors, datetime, message_page, render};
use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, body::Body};
use domain::reporting::{
    HalfYear, PeriodState, ReportForm, ReportState, Tally, Urgency, figure_text, percent, urgency,
};
use domain::{DomainError, FieldErrors};
use serde::Deserialize;
use store::plan_service;
use store::plans::PlanTree;
use store::reporting::{kyiv_date, parse_date};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plans/{id}/periods", post(open_period))
        .route("/periods/{id}", get(dashboard))
        .route("/periods/{id}/queue", get(queue_list))
        .route("/periods/{id}/overdue", get(overdue_list))
        .route("/periods/{id}/close", post(close_period))
        .route("/periods/{id}/reopen", post(reopen_period))
        .route("/periods/{id}/report.docx", get(consolidated_docx))
        .route("/periods/{id}/report.xlsx", get(consolidated_xlsx))
        .route("/my-reports", get(my_reports))
        .route("/reports/{id}", get(show_report).post(write_report))
        .route("/reports/{id}/review", post(review_report))
        .route("/reports/{id}/attachments", post(add_attachment))
        .route("/reports/{id}/attachments/{aid}", get(download_attachment))
        .route("/reports/{id}/attachments/{aid}/delete", post(remove_attachment))
}

/// "І півріччя 2026 року" / "H1 2026".
pub fn half_year_label(tr: &Tr, year: i64, half: i64) -> String {
    let mut args = fluent_bundle::FluentArgs::new();
    args.set("year", year);
    args.set("half", half);
    tr.args("half-year", &args)
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

// ---------------------------------------------------------------- periods

#[derive(Deserialize)]
pub struct OpenPeriodForm {
    #[serde(default)]
    half_year: String,
}

pub async fn open_period(
    State(state): State<AppState>,
    s: SignedIn,
    Path(plan_id): Path<i64>,
    Form(f): Form<OpenPeriodForm>,
) -> AppResult {
    let tr = Tr::new(state.i18n.clone(), s.ctx.lang);
    let refused = |msg: String| {
        message_page(
            &state,
            &s.ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            &tr.t("period-open-failed"),
            &msg,
        )
    };
    let Some(h) = HalfYear::parse_code(&f.half_year) else {
        return Ok(refused(tr.t("err-invalid-choice")));
    };
    form::submit(
        &s,
        "/periods/{id}?done=opened",
        async |ctx| {
            plan_service::open_period(&state.db, &ctx, plan_id, h, state.config.reporting.deadlines()).await
        },
        async |again| {
            let e = again.invalid()?;
            Ok(refused(e.get("half_year").map(|m| tr.t(m)).unwrap_or_default()))
        },
    )
    .await
}

async fn set_period(state: AppState, s: SignedIn, id: i64, to: PeriodState) -> AppResult {
    plan_service::set_period_state(&state.db, &s.ctx.store_ctx(), id, to).await?;
    let done = if to == PeriodState::Closed {
        "closed"
    } else {
        "reopened"
    };
    Ok(see_other(&format!("/periods/{id}?done={done}")))
}

pub async fn close_period(State(state): State<AppState>, s: SignedIn, Path(id): Path<i64>) -> AppResult {
    set_period(state, s, id, PeriodState::Closed).await
}

pub async fn reopen_period(State(state): State<AppState>, s: SignedIn, Path(id): Path<i64>) -> AppResult {
    set_period(state, s, id, PeriodState::Open).await
}

pub struct TallyRow {
    pub name: String,
    pub expected: u32,
    pub submitted: u32,
    pub on_time: u32,
    pub accepted: u32,
    pub returned: u32,
    pub completeness: String,
    pub timeliness: String,
}

fn tally_row(name: String, t: &Tally) -> TallyRow {
    TallyRow {
        name,
        expected: t.expected,
        submitted: t.submitted,
        on_time: t.on_time,
        accepted: t.accepted,
        returned: t.returned,
        completeness: pct(t.completeness_permille()),
        timeliness: pct(t.timeliness_permille()),
    }
}

pub struct ReportLine {
    pub id: i64,
    pub measure: String,
    pub measure_text: String,
    pub executor: String,
    pub state: String,
    pub state_code: &'static str,
    pub submitted: String,
    pub late: bool,
}

fn report_line(tr: &Tr, tree: &PlanTree, r: &store::reporting::PeriodReportRow) -> Option<ReportLine> {
    let (g, _, m) = tree.measure(r.measure_id)?;
    Some(ReportLine {
        id: r.id,
        measure: PlanTree::measure_code(g, m),
        measure_text: clip(&m.m.text, 140),
        executor: r.org_label().to_string(),
        state: state_name(tr, r.state()),
        state_code: r.state().as_str(),
        submitted: r.submitted_at.map(datetime).unwrap_or_default(),
        late: r.late.0,
    })
}

#[derive(Template)]
#[template(path = "period_dashboard.html")]
struct DashboardPage {
    c: Chrome,
    flash: String,
    plan_id: i64,
    plan_title: String,
    period_id: i64,
    label: String,
    open: bool,
    executor_due: String,
    consolidation_due: String,
    total: TallyRow,
    by_executor: Vec<TallyRow>,
    by_goal: Vec<TallyRow>,
    overdue: Vec<ReportLine>,
    overdue_count: u32,
    queue: Vec<ReportLine>,
    queue_count: u32,
    may_manage: bool,
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: String,
}

pub async fn dashboard(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> AppResult {
    let d = plan_service::period_dashboard(&state.db, &s.ctx.store_ctx(), id).await?;
    let c = Chrome::new(&state, &s.ctx);
    let tr = c.tr.clone();
    let flash = match q.done.as_str() {
        "opened" => tr.t("flash-period-opened"),
        "closed" => tr.t("flash-period-closed"),
        "reopened" => tr.t("flash-period-reopened"),
        _ => String::new(),
    };
    let goal_word = tr.t("goal");
    let page = DashboardPage {
        flash,
        plan_id: d.tree.plan.id,
        plan_title: d.tree.plan.title.clone(),
        period_id: d.period.id,
        label: half_year_label(&tr, d.period.year, d.period.half),
        open: d.period.state() == PeriodState::Open,
        executor_due: date_text(&d.period.executor_due),
        consolidation_due: date_text(&d.period.consolidation_due),
        total: tally_row(tr.t("total"), &d.total),
        by_executor: d
            .by_executor
            .iter()
            .map(|(_, n, t)| tally_row(n.clone(), t))
            .collect(),
        by_goal: d
            .by_goal
            .iter()
            .map(|(n, text, t)| tally_row(format!("{goal_word} {n}. {text}"), t))
            .collect(),
        overdue: d
            .overdue
            .iter()
            .filter_map(|i| report_line(&tr, &d.tree, i))
            .collect(),
        queue: d
            .queue
            .iter()
            .filter_map(|i| report_line(&tr, &d.tree, i))
            .collect(),
        overdue_count: d.overdue_count,
        queue_count: d.queue_count,
        may_manage: d.may_manage,
        c,
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "period_list.html")]
struct PeriodListPage {
    c: Chrome,
    heading: String,
    plan_title: String,
    period_id: i64,
    label: String,
    lines: Vec<ReportLine>,
    next_href: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct AfterQuery {
    #[serde(default)]
    after: i64,
}

const LIST_PAGE: i64 = 100;

async fn period_list(
    state: AppState,
    s: SignedIn,
    id: i64,
    list: plan_service::PeriodList,
    after: i64,
) -> AppResult {
    let (tree, period, rows) =
        plan_service::period_list(&state.db, &s.ctx.store_ctx(), id, list, after, LIST_PAGE + 1).await?;
    let c = Chrome::new(&state, &s.ctx);
    let tr = c.tr.clone();
    let (path, key) = match list {
        plan_service::PeriodList::Queue => ("queue", "dash-queue"),
        plan_service::PeriodList::Overdue => ("overdue", "dash-overdue"),
    };
    let more = rows.len() as i64 > LIST_PAGE;
    let shown = &rows[..rows.len().min(LIST_PAGE as usize)];
    let next_href = if more {
        shown
            .last()
            .map(|r| format!("/periods/{id}/{path}?after={}", r.id))
    } else {
        None
    };
    let page = PeriodListPage {
        heading: tr.t(key),
        plan_title: tree.plan.title.clone(),
        period_id: id,
        label: half_year_label(&tr, period.year, period.half),
        lines: shown.iter().filter_map(|r| report_line(&tr, &tree, r)).collect(),
        next_href,
        c,
    };
    Ok(render(StatusCode::OK, &page))
}

pub async fn queue_list(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<AfterQuery>,
) -> AppResult {
    period_list(state, s, id, plan_service::PeriodList::Queue, q.after).await
}

pub async fn overdue_list(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<AfterQuery>,
) -> AppResult {
    period_list(state, s, id, plan_service::PeriodList::Overdue, q.after).await
}

// ---------------------------------------------------------------- consolidated documents

fn consolidated(tr: &Tr, data: &plan_service::ConsolidatedData) -> reports::consolidated::Consolidated {
    use reports::consolidated::*;
    let d = &data.dashboard;
    let plan = &d.tree.plan;
    let mut goals = Vec::new();
    for g in &d.tree.goals {
        let mut tasks = Vec::new();
        for t in &g.tasks {
            let mut measures = Vec::new();
            for m in &t.measures {
                let entries: Vec<ConsEntry> = data
                    .rows
                    .iter()
                    .filter(|r| r.measure_id == m.m.id)
                    .map(|r| {
                        let state = r.state();
                        let shown = state.handed_in();
                        ConsEntry {
                            executor: r.org_name.clone(),
                            status: state_name(tr, state),
                            submitted_on: r
                                .first_submitted_at
                                .map(|t| kyiv_date(t).strftime("%d.%m.%Y").to_string())
                                .unwrap_or_default(),
                            late: if r.late.0 {
                                tr.t("report-late")
                            } else {
                                String::new()
                            },
                            accepted_on: r
                                .accepted_at
                                .map(|t| kyiv_date(t).strftime("%d.%m.%Y").to_string())
                                .unwrap_or_default(),
                            text: if shown { r.body.clone() } else { String::new() },
                            figures: if shown {
                                m.indicators
                                    .iter()
                                    .filter_map(|ind| {
                                        data.figures
                                            .iter()
                                            .find(|(rid, iid, _)| *rid == r.id && *iid == ind.id)
                                            .map(|(_, _, v)| {
                                                (format!("{}, {}", ind.name, ind.unit), figure_text(*v))
                                            })
                                    })
                                    .collect()
                            } else {
                                Vec::new()
                            },
                            links: if shown {
                                r.links.lines().map(str::to_string).collect()
                            } else {
                                Vec::new()
                            },
                        }
                    })
                    .collect();
                if entries.is_empty() && m.number.is_none() {
                    continue;
                }
                measures.push(ConsMeasure {
                    number: PlanTree::measure_code(g, m),
                    text: m.m.text.clone(),
                    term: m.m.term.clone(),
                    entries,
                });
            }
            tasks.push(ConsTask {
                number: t.task.number as u32,
                text: t.task.text.clone(),
                measures,
            });
        }
        goals.push(ConsGoal {
            number: g.goal.number as u32,
            text: g.goal.text.clone(),
            tasks,
        });
    }
    let summary = |name: String, t: &Tally| SummaryRow {
        name,
        expected: t.expected,
        submitted: t.submitted,
        on_time: t.on_time,
        completeness: pct(t.completeness_permille()),
        timeliness: pct(t.timeliness_permille()),
    };
    let approved_by = match (&plan.act_number, &plan.act_date) {
        (Some(n), Some(date)) => {
            let mut a = fluent_bundle::FluentArgs::new();
            a.set("number", n.clone());
            a.set("date", date_text(date));
            tr.args("cons-approved-by", &a)
        }
        _ => String::new(),
    };
    Consolidated {
        addressee: String::new(),
        title: format!("{} «{}»", tr.t("cons-title"), plan.title),
        period: format!(
            "{} {}",
            tr.t("cons-for"),
            half_year_label(tr, d.period.year, d.period.half)
        ),
        approved_by,
        compiled: format!("{} {}", tr.t("cons-compiled"), d.today.strftime("%d.%m.%Y")),
        goals,
        summary_title: tr.t("cons-summary"),
        summary_headings: [
            tr.t("cons-h-name"),
            tr.t("dash-expected"),
            tr.t("dash-submitted"),
            tr.t("dash-on-time"),
            tr.t("dash-completeness"),
            tr.t("dash-timeliness"),
        ],
        summary_by_executor: d
            .by_executor
            .iter()
            .map(|(_, n, t)| summary(n.clone(), t))
            .collect(),
        summary_by_goal: d
            .by_goal
            .iter()
            .map(|(n, text, t)| summary(format!("{} {n}. {text}", tr.t("goal")), t))
            .collect(),
        summary_total: summary(tr.t("total"), &d.total),
        labels: ConsLabels {
            goal: tr.t("goal"),
            task: tr.t("task"),
            term: tr.t("term"),
            no_report: tr.t("cons-no-report"),
            sheet: tr.t("cons-sheet"),
            xlsx_headings: [
                tr.t("cons-x-goal"),
                tr.t("cons-x-task"),
                tr.t("cons-x-measure-no"),
                tr.t("cons-x-measure"),
                tr.t("term"),
                tr.t("cons-x-executor"),
                tr.t("cons-x-status"),
                tr.t("cons-x-submitted"),
                tr.t("cons-x-late"),
                tr.t("cons-x-accepted"),
                tr.t("cons-x-text"),
            ],
            figures: tr.t("cons-figures"),
            links: tr.t("cons-links"),
            by_executor: tr.t("dash-by-executor"),
            by_goal: tr.t("dash-by-goal"),
            total: tr.t("total"),
        },
        signatory: plan.owner_name.clone(),
    }
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

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn consolidated_file(state: AppState, s: SignedIn, id: i64, docx: bool) -> AppResult {
    let format = if docx { "docx" } else { "xlsx" };
    let data = plan_service::consolidated(&state.db, &s.ctx.store_ctx(), id, format).await?;
    let tr = Tr::new(state.i18n.clone(), s.ctx.lang);
    let doc = consolidated(&tr, &data);
    let name = format!(
        "report-{}-{}.{format}",
        data.dashboard.tree.plan.id,
        data.dashboard.period.half_year().code()
    );
    let built = tokio::task::spawn_blocking(move || {
        if docx {
            reports::consolidated::consolidated_docx(&doc)
        } else {
            reports::consolidated::consolidated_xlsx(&doc)
        }
    })
    .await;
    match built {
        Ok(Ok(bytes)) => Ok(file_response(bytes, if docx { DOCX } else { XLSX }, &name)),
        Ok(Err(e)) => Err(AppError::failed("consolidated_report", e)),
        Err(e) => Err(AppError::failed("consolidated_report", e)),
    }
}

pub async fn consolidated_docx(State(state): State<AppState>, s: SignedIn, Path(id): Path<i64>) -> AppResult {
    consolidated_file(state, s, id, true).await
}

pub async fn consolidated_xlsx(State(state): State<AppState>, s: SignedIn, Path(id): Path<i64>) -> AppResult {
    consolidated_file(state, s, id, false).await
}

// ---------------------------------------------------------------- the executor's list

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
    let rows = plan_service::my_reports(&state.db, &ctx).await?;
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

// ---------------------------------------------------------------- one report

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
struct Typed {
    text: Option<String>,
    links: Option<String>,
    figures: Vec<(i64, String)>,
    review_comment: String,
}

async fn report_page(
    state: &AppState,
    s: &SignedIn,
    id: i64,
    typed: Typed,
    errors: FieldErrors,
    conflict: bool,
    flash_key: &str,
) -> AppResult {
    let v = plan_service::view_report(&state.db, &s.ctx.store_ctx(), id).await?;
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
            plan_service::write_report(&state.db, &ctx, id, version, &form, submit)
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
            plan_service::review_report(&state.db, &ctx, id, f.version, accept, &f.comment)
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

// ---------------------------------------------------------------- attachments

pub async fn add_attachment(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> AppResult {
    let limits = Limits {
        file_bytes: domain::reporting::MAX_ATTACHMENT_BYTES,
    };
    let upload = read_multipart(multipart, limits).await?;
    if upload.too_big {
        let mut e = FieldErrors::new();
        e.add("file", "err-file-too-big");
        return report_page(&state, &s, id, Typed::default(), e, false, "").await;
    }
    let (name, bytes) = upload.file_or_empty();
    form::submit(
        &s,
        &format!("/reports/{id}?done=attached"),
        async |ctx| {
            plan_service::add_attachment(&state.db, &ctx, id, name, bytes)
                .await
                .map(|_| ())
        },
        async |again| report_page(&state, &s, id, Typed::default(), again.invalid()?, false, "").await,
    )
    .await
}

pub async fn download_attachment(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, aid)): Path<(i64, i64)>,
) -> AppResult {
    let (row, bytes) = plan_service::download_attachment(&state.db, &s.ctx.store_ctx(), id, aid).await?;
    // The stored name may hold any letters; the header carries an ASCII fallback and the UTF-8 name.
    let ext = row
        .file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let ascii = format!("attachment-{aid}.{ext}");
    let disposition = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        urlencoding::encode(&row.file_name)
    );
    Ok((
        [
            (header::CONTENT_TYPE, row.content_type.clone()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        Body::from(bytes),
    )
        .into_response())
}

pub async fn remove_attachment(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, aid)): Path<(i64, i64)>,
) -> AppResult {
    form::submit(
        &s,
        &format!("/reports/{id}?done=removed"),
        async |ctx| plan_service::remove_attachment(&state.db, &ctx, id, aid).await,
        async |again| report_page(&state, &s, id, Typed::default(), again.invalid()?, false, "").await,
    )
    .await
}
