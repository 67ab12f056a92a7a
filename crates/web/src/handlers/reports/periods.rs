//! A reporting period for the coordinator: opening, closing and reopening
//! it, its dashboard (completeness and timeliness by executor and by goal),
//! and its lists of reports waiting for review and overdue.

use super::{DoneQuery, clip, date_text, pct, state_name};
use crate::context::SignedIn;
use crate::error::AppResult;
use crate::extract::Path;
use crate::form::{self, see_other};
use crate::handlers::half_year_label;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::views::{Chrome, datetime, message_page, render};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use domain::reporting::{HalfYear, PeriodState, Tally};
use serde::Deserialize;
use store::plans;
use store::plans::PlanTree;

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
        async |ctx| plans::open_period(&state.db, &ctx, plan_id, h, state.config.reporting.deadlines()).await,
        async |again| {
            let e = again.invalid()?;
            Ok(refused(e.get("half_year").map(|m| tr.t(m)).unwrap_or_default()))
        },
    )
    .await
}

async fn set_period(state: AppState, s: SignedIn, id: i64, to: PeriodState) -> AppResult {
    plans::set_period_state(&state.db, &s.ctx.store_ctx(), id, to).await?;
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

fn report_line(tr: &Tr, tree: &PlanTree, r: &store::plans::PeriodReportRow) -> Option<ReportLine> {
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

pub async fn dashboard(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> AppResult {
    let d = plans::period_dashboard(&state.db, &s.ctx.store_ctx(), id).await?;
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
    list: plans::PeriodList,
    after: i64,
) -> AppResult {
    let (tree, period, rows) =
        plans::period_list(&state.db, &s.ctx.store_ctx(), id, list, after, LIST_PAGE + 1).await?;
    let c = Chrome::new(&state, &s.ctx);
    let tr = c.tr.clone();
    let (path, key) = match list {
        plans::PeriodList::Queue => ("queue", "dash-queue"),
        plans::PeriodList::Overdue => ("overdue", "dash-overdue"),
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
    period_list(state, s, id, plans::PeriodList::Queue, q.after).await
}

pub async fn overdue_list(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<AfterQuery>,
) -> AppResult {
    period_list(state, s, id, plans::PeriodList::Overdue, q.after).await
}
