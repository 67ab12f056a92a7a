//! Permission-checked operations on plans, periods and reports; the SQL is in
//! `rows` (the plan tree), `reporting` (periods, reports) and `uploads`.
//!
//! Security role: as everywhere in the store (`access`), each function asks `domain::policy` first,
//! writes its audit row in the same transaction as the change, and answers a
//! refusal with a `permission_denied` row and `NotFound` (or `Forbidden` for
//! whole pages), so nobody learns that a report of another organisation exists.

use crate::error::OrInternal;
sql_mod!(reporting);
sql_mod!(rows);
pub mod uploads;

use crate::access::{allowed, deny, deny_page};
use crate::dates::kyiv_date;
use crate::reference::territories;
use crate::{Ctx, Db, Tx, audit, forms};
use domain::audit::{AuditAction, SubjectKind};
use domain::plan::{HeadingForm, MeasureForm, PlanForm, PlanInput, executor_key};
use domain::plan_import::{ImportProblem, ParsedPlan};
use domain::policy::Actor;
use domain::reporting::{
    Deadlines, HalfYear, PeriodState, ReportAction, ReportForm, ReportState, Tally, is_late,
    validate_return_comment,
};
use domain::role::Permission;
use domain::territory::TerritoryPath;
use domain::{DomainError, DomainResult, FieldErrors};
pub use reporting::{MyReportRow, PeriodReportRow, PeriodRow, ReportRow};
use rows::{self as plans};
pub use rows::{ExecutorRow, PlanRow, PlanTree, TaskNode};
use serde_json::json;

fn plan_subject(id: i64) -> Option<(SubjectKind, String)> {
    Some((SubjectKind::Plan, id.to_string()))
}

fn report_subject(id: i64) -> Option<(SubjectKind, String)> {
    Some((SubjectKind::Report, id.to_string()))
}

fn user_id(ctx: &Ctx) -> Option<i64> {
    ctx.actor().map(|a| a.user_id)
}

async fn record(
    tx: &mut Tx,
    ctx: &Ctx,
    action: AuditAction,
    subject: Option<(SubjectKind, String)>,
    details: serde_json::Value,
) -> DomainResult<()> {
    audit::record(&mut **tx, ctx, action, subject, details).await
}

// ---------------------------------------------------------------- plans

pub async fn list_plans(db: &Db, ctx: &Ctx) -> DomainResult<Vec<PlanRow>> {
    if !allowed(ctx, Actor::may_view_directory) {
        return Err(deny_page(db, ctx, "plans").await);
    }
    plans::list(db.pool()).await
}

/// Whether the actor may create plans at all (the page offers the button).
pub fn may_create_plans(ctx: &Ctx) -> bool {
    allowed(ctx, |a| a.has(Permission::ManagePlan))
}

pub struct PlanView {
    pub tree: PlanTree,
    pub periods: Vec<PeriodRow>,
    pub may_manage: bool,
    pub may_review: bool,
}

/// The plan is an official, public document: every signed-in user may read it.
pub async fn view_plan(db: &Db, ctx: &Ctx, id: i64) -> DomainResult<PlanView> {
    if !allowed(ctx, Actor::may_view_directory) {
        return Err(deny_page(db, ctx, "plan").await);
    }
    let mut tx = db.begin().await.or_internal()?;
    let tree = plans::tree(&mut tx, id).await?.ok_or(DomainError::NotFound)?;
    let periods = reporting::periods_of(&mut *tx, id).await?;
    tx.commit().await.or_internal()?;
    let path = tree.plan.path()?;
    Ok(PlanView {
        may_manage: allowed(ctx, |a| a.may_manage_plan(&path)),
        may_review: allowed(ctx, |a| a.may_review_reports(&path)),
        tree,
        periods,
    })
}

/// Loads a plan for a change and checks that the actor may manage it.
async fn plan_for_change(db: &Db, ctx: &Ctx, id: i64, what: &str) -> DomainResult<PlanRow> {
    let plan = plans::get(db.pool(), id).await?;
    match plan {
        Some(p) if allowed(ctx, |a| p.path().is_ok_and(|path| a.may_manage_plan(&path))) => Ok(p),
        _ => Err(deny(db, ctx, what, plan_subject(id)).await),
    }
}

async fn checked_plan_input(db: &Db, ctx: &Ctx, form: &PlanForm) -> DomainResult<(PlanInput, TerritoryPath)> {
    let input = form.validate()?;
    let t = territories::get(db.pool(), input.territory_id).await?;
    let path = match t {
        Some(t) => t.path()?,
        None => {
            let mut e = FieldErrors::new();
            e.add("territory_id", "err-invalid-choice");
            return Err(e.into());
        }
    };
    if !allowed(ctx, |a| a.may_manage_plan(&path)) {
        let mut e = FieldErrors::new();
        e.add("territory_id", "err-invalid-choice");
        return Err(e.into());
    }
    if crate::organisations::get(db.pool(), input.owner_org_id)
        .await?
        .is_none()
    {
        let mut e = FieldErrors::new();
        e.add("owner_org_id", "err-invalid-choice");
        return Err(e.into());
    }
    Ok((input, path))
}

pub async fn create_plan(db: &Db, ctx: &Ctx, form: &PlanForm) -> DomainResult<i64> {
    if !may_create_plans(ctx) {
        return Err(deny_page(db, ctx, "plan_create").await);
    }
    let (input, path) = checked_plan_input(db, ctx, form).await?;
    let mut tx = forms::begin(db, ctx).await?;
    let id = plans::insert_plan(&mut tx, &input, &path, ctx.now).await?;
    record(
        &mut tx,
        ctx,
        AuditAction::PlanCreated,
        plan_subject(id),
        json!({}),
    )
    .await?;
    forms::commit(tx, ctx, id).await?;
    Ok(id)
}

pub async fn update_plan(db: &Db, ctx: &Ctx, id: i64, version: i64, form: &PlanForm) -> DomainResult<()> {
    plan_for_change(db, ctx, id, "plan_update").await?;
    let (input, path) = checked_plan_input(db, ctx, form).await?;
    let mut tx = db.begin().await.or_internal()?;
    plans::update_plan(&mut tx, id, version, &input, &path, ctx.now).await?;
    record(
        &mut tx,
        ctx,
        AuditAction::PlanUpdated,
        plan_subject(id),
        json!({}),
    )
    .await?;
    tx.commit().await.or_internal()
}

pub async fn add_goal(db: &Db, ctx: &Ctx, plan_id: i64, form: &HeadingForm) -> DomainResult<i64> {
    plan_for_change(db, ctx, plan_id, "goal_create").await?;
    let text = form.validate()?;
    let mut tx = forms::begin(db, ctx).await?;
    let id = plans::insert_goal(&mut tx, plan_id, None, &text).await?;
    record(
        &mut tx,
        ctx,
        AuditAction::GoalSaved,
        plan_subject(plan_id),
        json!({ "goal_id": id, "new": true }),
    )
    .await?;
    forms::commit(tx, ctx, id).await?;
    Ok(id)
}

pub async fn edit_goal(
    db: &Db,
    ctx: &Ctx,
    plan_id: i64,
    goal_id: i64,
    form: &HeadingForm,
) -> DomainResult<()> {
    plan_for_change(db, ctx, plan_id, "goal_update").await?;
    let text = form.validate()?;
    let mut tx = db.begin().await.or_internal()?;
    plans::set_goal_text(&mut tx, plan_id, goal_id, &text).await?;
    record(
        &mut tx,
        ctx,
        AuditAction::GoalSaved,
        plan_subject(plan_id),
        json!({ "goal_id": goal_id }),
    )
    .await?;
    tx.commit().await.or_internal()
}

async fn goal_in_plan(tx: &mut Tx, plan_id: i64, goal_id: i64) -> DomainResult<()> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM plan_goals WHERE id = $1 AND plan_id = $2")
        .bind(goal_id)
        .bind(plan_id)
        .fetch_optional(&mut **tx)
        .await
        .or_internal()?;
    found.map(|_| ()).ok_or(DomainError::NotFound)
}

async fn task_in_plan(tx: &mut Tx, plan_id: i64, task_id: i64) -> DomainResult<()> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM plan_tasks WHERE id = $1 AND plan_id = $2")
        .bind(task_id)
        .bind(plan_id)
        .fetch_optional(&mut **tx)
        .await
        .or_internal()?;
    found.map(|_| ()).ok_or(DomainError::NotFound)
}

pub async fn add_task(
    db: &Db,
    ctx: &Ctx,
    plan_id: i64,
    goal_id: i64,
    form: &HeadingForm,
) -> DomainResult<i64> {
    plan_for_change(db, ctx, plan_id, "task_create").await?;
    let text = form.validate()?;
    let mut tx = forms::begin(db, ctx).await?;
    goal_in_plan(&mut tx, plan_id, goal_id).await?;
    let id = plans::insert_task(&mut tx, plan_id, goal_id, None, &text).await?;
    record(
        &mut tx,
        ctx,
        AuditAction::TaskSaved,
        plan_subject(plan_id),
        json!({ "task_id": id, "new": true }),
    )
    .await?;
    forms::commit(tx, ctx, id).await?;
    Ok(id)
}

pub async fn edit_task(
    db: &Db,
    ctx: &Ctx,
    plan_id: i64,
    task_id: i64,
    form: &HeadingForm,
) -> DomainResult<()> {
    plan_for_change(db, ctx, plan_id, "task_update").await?;
    let text = form.validate()?;
    let mut tx = db.begin().await.or_internal()?;
    plans::set_task_text(&mut tx, plan_id, task_id, &text).await?;
    record(
        &mut tx,
        ctx,
        AuditAction::TaskSaved,
        plan_subject(plan_id),
        json!({ "task_id": task_id }),
    )
    .await?;
    tx.commit().await.or_internal()
}

pub async fn create_measure(
    db: &Db,
    ctx: &Ctx,
    plan_id: i64,
    task_id: i64,
    form: &MeasureForm,
) -> DomainResult<i64> {
    plan_for_change(db, ctx, plan_id, "measure_create").await?;
    let input = form.validate()?;
    let mut tx = forms::begin(db, ctx).await?;
    task_in_plan(&mut tx, plan_id, task_id).await?;
    let id = plans::insert_measure(&mut tx, plan_id, task_id, &input, ctx.now).await?;
    record(
        &mut tx,
        ctx,
        AuditAction::MeasureCreated,
        Some((SubjectKind::Measure, id.to_string())),
        json!({ "plan_id": plan_id, "executors": input.executors }),
    )
    .await?;
    forms::commit(tx, ctx, id).await?;
    Ok(id)
}

pub async fn update_measure(
    db: &Db,
    ctx: &Ctx,
    plan_id: i64,
    measure_id: i64,
    version: i64,
    form: &MeasureForm,
) -> DomainResult<()> {
    plan_for_change(db, ctx, plan_id, "measure_update").await?;
    let input = form.validate()?;
    let mut tx = db.begin().await.or_internal()?;
    let tree = plans::tree(&mut tx, plan_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let (_, _, node) = tree.measure(measure_id).ok_or(DomainError::NotFound)?;
    let changed: Vec<&str> = [
        ("text", node.m.text != input.text),
        ("term", node.m.term != input.term),
        (
            "executors",
            node.executors.iter().map(|e| e.org_id).collect::<Vec<_>>() != input.executors,
        ),
        ("indicators", node.indicators.len() != input.indicators.len()),
    ]
    .into_iter()
    .filter_map(|(k, c)| c.then_some(k))
    .collect();
    plans::update_measure(
        &mut tx,
        plan_id,
        measure_id,
        version,
        &input,
        &node.indicators,
        ctx.now,
    )
    .await?;
    record(
        &mut tx,
        ctx,
        AuditAction::MeasureUpdated,
        Some((SubjectKind::Measure, measure_id.to_string())),
        json!({ "plan_id": plan_id, "changed": changed }),
    )
    .await?;
    tx.commit().await.or_internal()
}

async fn measure_for_change(
    db: &Db,
    ctx: &Ctx,
    plan_id: i64,
    measure_id: i64,
    what: &str,
) -> DomainResult<plans::MeasureRow> {
    plan_for_change(db, ctx, plan_id, what).await?;
    plans::measure_in_plan(db.pool(), plan_id, measure_id)
        .await?
        .ok_or(DomainError::NotFound)
}

pub async fn move_measure(db: &Db, ctx: &Ctx, plan_id: i64, measure_id: i64, up: bool) -> DomainResult<()> {
    let m = measure_for_change(db, ctx, plan_id, measure_id, "measure_move").await?;
    // A move is not idempotent: its form carries a token like a creating form's.
    let mut tx = forms::begin(db, ctx).await?;
    if plans::move_measure(&mut tx, &m, up, ctx.now).await? {
        record(
            &mut tx,
            ctx,
            AuditAction::MeasureMoved,
            Some((SubjectKind::Measure, measure_id.to_string())),
            json!({ "plan_id": plan_id, "direction": if up { "up" } else { "down" } }),
        )
        .await?;
    }
    forms::commit(tx, ctx, measure_id).await
}

pub async fn set_measure_retired(
    db: &Db,
    ctx: &Ctx,
    plan_id: i64,
    measure_id: i64,
    retired: bool,
) -> DomainResult<()> {
    let m = measure_for_change(db, ctx, plan_id, measure_id, "measure_retire").await?;
    if m.retired_at.is_some() == retired {
        return Ok(());
    }
    let mut tx = db.begin().await.or_internal()?;
    plans::set_retired(&mut tx, plan_id, measure_id, retired, ctx.now).await?;
    let action = if retired {
        AuditAction::MeasureRetired
    } else {
        AuditAction::MeasureRestored
    };
    record(
        &mut tx,
        ctx,
        action,
        Some((SubjectKind::Measure, measure_id.to_string())),
        json!({ "plan_id": plan_id }),
    )
    .await?;
    tx.commit().await.or_internal()
}

/// Records that someone downloaded the plan as a file.
pub async fn note_plan_export(db: &Db, ctx: &Ctx, plan_id: i64, format: &str) -> DomainResult<()> {
    audit::record_view(
        db,
        ctx,
        AuditAction::PlanExported,
        plan_subject(plan_id),
        json!({ "format": format }),
    )
    .await
}

// ---------------------------------------------------------------- import

/// What the importer needs to know besides the rows: the plan's own details,
/// and the organisations the person chose for names that did not match.
pub struct ImportRequest<'a> {
    pub form: &'a PlanForm,
    pub rows: &'a [(usize, Vec<String>)],
    /// (name as written in the file, organisation id).
    pub mapping: &'a [(String, i64)],
}

#[derive(Debug)]
pub enum ImportOutcome {
    /// Rows that cannot be read: nothing written.
    Problems(Vec<ImportProblem>),
    /// Executor names that match no organisation, with their rows: nothing written yet.
    Unmatched(Vec<(String, Vec<usize>)>),
    Imported {
        plan_id: i64,
        goals: usize,
        measures: usize,
        links: usize,
    },
}

/// Matches executor names: exact name or short name, then normalised, then the person's mapping.
async fn match_executors(
    db: &Db,
    parsed: &ParsedPlan,
    mapping: &[(String, i64)],
) -> DomainResult<(Vec<(String, i64)>, Vec<(String, Vec<usize>)>)> {
    let orgs: Vec<(i64, String, Option<String>)> =
        sqlx::query_as("SELECT id, name, short_name FROM organisations ORDER BY id")
            .fetch_all(db.pool())
            .await
            .or_internal()?;
    let mut matched = Vec::new();
    let mut unmatched = Vec::new();
    for (name, rows) in parsed.executor_names() {
        let exact = orgs
            .iter()
            .find(|(_, n, s)| *n == name || s.as_deref() == Some(name.as_str()))
            .map(|o| o.0);
        let key = executor_key(&name);
        let normalised = || {
            orgs.iter()
                .find(|(_, n, s)| {
                    executor_key(n) == key || s.as_deref().is_some_and(|s| executor_key(s) == key)
                })
                .map(|o| o.0)
        };
        let mapped = || {
            mapping
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, id)| *id)
                .filter(|id| orgs.iter().any(|o| o.0 == *id))
        };
        match exact.or_else(normalised).or_else(mapped) {
            Some(id) => matched.push((name, id)),
            None => unmatched.push((name, rows)),
        }
    }
    Ok((matched, unmatched))
}

/// Writes a parsed plan as a new plan: all or nothing.
pub async fn write_parsed(
    tx: &mut Tx,
    input: &PlanInput,
    path: &TerritoryPath,
    parsed: &ParsedPlan,
    matched: &[(String, i64)],
    now: i64,
) -> DomainResult<(i64, usize)> {
    let plan_id = plans::insert_plan(tx, input, path, now).await?;
    let mut links = 0;
    for g in &parsed.goals {
        let goal_id = plans::insert_goal(tx, plan_id, Some(g.number), &g.text).await?;
        for t in &g.tasks {
            let task_id = plans::insert_task(tx, plan_id, goal_id, Some(t.number), &t.text).await?;
            for m in &t.measures {
                let mut executors = Vec::new();
                for name in &m.executors {
                    if let Some((_, id)) = matched.iter().find(|(n, _)| n == name)
                        && !executors.contains(id)
                    {
                        executors.push(*id);
                    }
                }
                links += executors.len();
                let input = domain::plan::MeasureInput {
                    text: m.text.clone(),
                    term: m.term.clone(),
                    executors,
                    indicators: Vec::new(),
                };
                plans::insert_measure(tx, plan_id, task_id, &input, now).await?;
            }
        }
    }
    Ok((plan_id, links))
}

pub async fn import_plan(db: &Db, ctx: &Ctx, req: ImportRequest<'_>) -> DomainResult<ImportOutcome> {
    if !may_create_plans(ctx) {
        return Err(deny_page(db, ctx, "plan_import").await);
    }
    let (input, path) = checked_plan_input(db, ctx, req.form).await?;
    let parsed = match domain::plan_import::parse_rows(req.rows) {
        Ok(p) => p,
        Err(problems) => return Ok(ImportOutcome::Problems(problems)),
    };
    let (matched, unmatched) = match_executors(db, &parsed, req.mapping).await?;
    if !unmatched.is_empty() {
        return Ok(ImportOutcome::Unmatched(unmatched));
    }
    let mut tx = forms::begin(db, ctx).await?;
    let (plan_id, links) = write_parsed(&mut tx, &input, &path, &parsed, &matched, ctx.now).await?;
    let measures = parsed.measure_count();
    record(
        &mut tx,
        ctx,
        AuditAction::PlanImported,
        plan_subject(plan_id),
        json!({ "goals": parsed.goals.len(), "measures": measures, "executor_links": links }),
    )
    .await?;
    forms::commit(tx, ctx, plan_id).await?;
    Ok(ImportOutcome::Imported {
        plan_id,
        goals: parsed.goals.len(),
        measures,
        links,
    })
}

// ---------------------------------------------------------------- periods

async fn period_with_plan(db: &Db, period_id: i64) -> DomainResult<Option<(PeriodRow, PlanRow)>> {
    let Some(p) = reporting::period(db.pool(), period_id).await? else {
        return Ok(None);
    };
    let plan = plans::get(db.pool(), p.plan_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    Ok(Some((p, plan)))
}

pub async fn open_period(
    db: &Db,
    ctx: &Ctx,
    plan_id: i64,
    h: HalfYear,
    deadlines: Deadlines,
) -> DomainResult<i64> {
    plan_for_change(db, ctx, plan_id, "period_open").await?;
    let mut tx = forms::begin(db, ctx).await?;
    let (id, expected) = match reporting::open_period(&mut tx, plan_id, h, deadlines, ctx.now).await {
        Err(DomainError::Conflict(_)) => {
            let mut e = FieldErrors::new();
            e.add("half_year", "err-period-exists");
            return Err(e.into());
        }
        other => other?,
    };
    record(
        &mut tx,
        ctx,
        AuditAction::PeriodOpened,
        Some((SubjectKind::Period, id.to_string())),
        json!({ "plan_id": plan_id, "half_year": h.code(), "expected_reports": expected }),
    )
    .await?;
    forms::commit(tx, ctx, id).await?;
    Ok(id)
}

pub async fn set_period_state(db: &Db, ctx: &Ctx, period_id: i64, state: PeriodState) -> DomainResult<()> {
    let found = period_with_plan(db, period_id).await?;
    let Some((period, plan)) = found else {
        return Err(deny(
            db,
            ctx,
            "period_state",
            Some((SubjectKind::Period, period_id.to_string())),
        )
        .await);
    };
    let path = plan.path()?;
    if !allowed(ctx, |a| a.may_manage_plan(&path)) {
        return Err(deny(
            db,
            ctx,
            "period_state",
            Some((SubjectKind::Period, period_id.to_string())),
        )
        .await);
    }
    if period.state() == state {
        return Ok(());
    }
    let mut tx = db.begin().await.or_internal()?;
    reporting::set_period_state(&mut tx, period_id, state, ctx.now).await?;
    let action = if state == PeriodState::Closed {
        AuditAction::PeriodClosed
    } else {
        AuditAction::PeriodReopened
    };
    record(
        &mut tx,
        ctx,
        action,
        Some((SubjectKind::Period, period_id.to_string())),
        json!({ "plan_id": plan.id }),
    )
    .await?;
    tx.commit().await.or_internal()
}

/// The coordinator's view of one period.
pub struct Dashboard {
    /// The plan; with executors and indicators only when built for the documents.
    pub tree: PlanTree,
    pub period: PeriodRow,
    pub total: Tally,
    /// (organisation id, label, tally), by label.
    pub by_executor: Vec<(i64, String, Tally)>,
    /// (goal number, text, tally).
    pub by_goal: Vec<(i64, String, Tally)>,
    /// The first of the reports not handed in (or returned) past the deadline.
    pub overdue: Vec<PeriodReportRow>,
    pub overdue_count: u32,
    /// The first of the submitted reports waiting for the coordinator.
    pub queue: Vec<PeriodReportRow>,
    pub queue_count: u32,
    pub may_manage: bool,
    pub today: jiff::civil::Date,
}

impl Dashboard {
    pub fn measure_of(
        &self,
        row: &PeriodReportRow,
    ) -> Option<(&plans::GoalNode, &plans::TaskNode, &plans::MeasureNode)> {
        self.tree.measure(row.measure_id)
    }
}

async fn period_for_review(
    db: &Db,
    ctx: &Ctx,
    period_id: i64,
    what: &str,
) -> DomainResult<(PeriodRow, PlanRow)> {
    let found = period_with_plan(db, period_id).await?;
    match found {
        Some((p, plan)) if allowed(ctx, |a| plan.path().is_ok_and(|path| a.may_review_reports(&path))) => {
            Ok((p, plan))
        }
        _ => Err(deny(db, ctx, what, Some((SubjectKind::Period, period_id.to_string()))).await),
    }
}

/// The figures are counted in SQL (a few dozen grouped rows); only the reports the
/// lists show are read one by one.
async fn build_dashboard(
    db: &Db,
    ctx: &Ctx,
    period: PeriodRow,
    plan: &PlanRow,
    full_tree: bool,
) -> DomainResult<Dashboard> {
    let today = kyiv_date(ctx.now);
    let past_due = today > period.due()?;
    let mut tx = db.begin().await.or_internal()?;
    let tree = if full_tree {
        plans::tree(&mut tx, plan.id).await?
    } else {
        plans::outline(&mut tx, plan.id).await?
    }
    .ok_or(DomainError::NotFound)?;
    let counts = reporting::tallies_of_period(&mut *tx, period.id).await?;
    let queue = reporting::reports_in_states(&mut *tx, period.id, &QUEUE, 0, DASHBOARD_LIST).await?;
    let overdue = if past_due {
        reporting::reports_in_states(&mut *tx, period.id, &OVERDUE, 0, DASHBOARD_LIST).await?
    } else {
        Vec::new()
    };
    tx.commit().await.or_internal()?;
    let mut total = Tally::default();
    let mut by_executor: Vec<(i64, String, Tally)> = Vec::new();
    let mut by_goal: Vec<(i64, String, Tally)> = tree
        .goals
        .iter()
        .map(|g| (g.goal.number, g.goal.text.clone(), Tally::default()))
        .collect();
    for c in &counts {
        let state = c.state;
        let (late, n) = (c.late.0, u32::try_from(c.n).unwrap_or(0));
        total.add_many(state, late, n);
        match by_executor.iter_mut().find(|(id, _, _)| *id == c.org_id) {
            Some((_, _, t)) => t.add_many(state, late, n),
            None => {
                let mut t = Tally::default();
                t.add_many(state, late, n);
                let label = c.org_short.clone().unwrap_or_else(|| c.org_name.clone());
                by_executor.push((c.org_id, label, t));
            }
        }
        if let Some((_, _, t)) = by_goal.iter_mut().find(|(num, _, _)| *num == c.goal_number) {
            t.add_many(state, late, n);
        }
    }
    by_executor.sort_by_cached_key(|e| e.1.to_lowercase());
    let queue_count = total.submitted - total.accepted - total.returned;
    let overdue_count = if past_due {
        total.expected - total.submitted + total.returned
    } else {
        0
    };
    let path = plan.path()?;
    Ok(Dashboard {
        may_manage: allowed(ctx, |a| a.may_manage_plan(&path)),
        tree,
        period,
        total,
        by_executor,
        by_goal,
        overdue,
        overdue_count,
        queue,
        queue_count,
        today,
    })
}

const QUEUE: [ReportState; 1] = [ReportState::Submitted];
const OVERDUE: [ReportState; 2] = [ReportState::Draft, ReportState::Returned];
/// How many lines of each list the dashboard shows; the rest are a page away.
pub const DASHBOARD_LIST: i64 = 50;

/// Which list of a period's reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodList {
    Queue,
    Overdue,
}

/// One page of the review queue or the overdue list, after report `after`.
pub async fn period_list(
    db: &Db,
    ctx: &Ctx,
    period_id: i64,
    list: PeriodList,
    after: i64,
    limit: i64,
) -> DomainResult<(PlanTree, PeriodRow, Vec<PeriodReportRow>)> {
    let (period, plan) = period_for_review(db, ctx, period_id, "period_list").await?;
    let mut tx = db.begin().await.or_internal()?;
    let tree = plans::outline(&mut tx, plan.id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let states: &[ReportState] = match list {
        PeriodList::Queue => &QUEUE,
        PeriodList::Overdue if kyiv_date(ctx.now) > period.due()? => &OVERDUE,
        PeriodList::Overdue => &[],
    };
    let rows = if states.is_empty() {
        Vec::new()
    } else {
        reporting::reports_in_states(&mut *tx, period_id, states, after, limit).await?
    };
    tx.commit().await.or_internal()?;
    Ok((tree, period, rows))
}

pub async fn period_dashboard(db: &Db, ctx: &Ctx, period_id: i64) -> DomainResult<Dashboard> {
    let (period, plan) = period_for_review(db, ctx, period_id, "period_dashboard").await?;
    build_dashboard(db, ctx, period, &plan, false).await
}

/// Everything the consolidated report needs: the dashboard, every report with its text, the figures.
pub struct ConsolidatedData {
    pub dashboard: Dashboard,
    pub rows: Vec<PeriodReportRow>,
    /// (report id, indicator id, value).
    pub figures: Vec<(i64, i64, f64)>,
}

pub async fn consolidated(
    db: &Db,
    ctx: &Ctx,
    period_id: i64,
    format: &str,
) -> DomainResult<ConsolidatedData> {
    let (period, plan) = period_for_review(db, ctx, period_id, "consolidated_report").await?;
    let dashboard = build_dashboard(db, ctx, period, &plan, true).await?;
    let rows = reporting::reports_of_period(db.pool(), period_id, true).await?;
    let figures = reporting::figures_of_period(db.pool(), period_id).await?;
    audit::record_view(
        db,
        ctx,
        AuditAction::ConsolidatedReportDownloaded,
        Some((SubjectKind::Period, period_id.to_string())),
        json!({ "format": format }),
    )
    .await?;
    Ok(ConsolidatedData {
        dashboard,
        rows,
        figures,
    })
}

// ---------------------------------------------------------------- reports

/// The executor's list: the reports of their organisation in open periods.
pub async fn my_reports(db: &Db, ctx: &Ctx) -> DomainResult<Vec<reporting::MyReportRow>> {
    let Some(actor) = ctx.actor() else {
        return Ok(Vec::new());
    };
    if !actor.has(Permission::SubmitReports) {
        return Err(deny_page(db, ctx, "my_reports").await);
    }
    reporting::reports_of_org(db.pool(), actor.org_id).await
}

pub struct ReportView {
    pub report: ReportRow,
    pub plan: PlanRow,
    pub goal_number: i64,
    pub goal_text: String,
    pub task_number: i64,
    pub task_text: String,
    pub measure_code: String,
    pub measure: plans::MeasureNode,
    pub figures: Vec<reporting::FigureRow>,
    pub events: Vec<reporting::EventRow>,
    pub attachments: Vec<reporting::AttachmentRow>,
    pub may_write: bool,
    pub may_review: bool,
}

/// Loads a report the actor may see, or records the refusal and answers `NotFound`.
async fn report_for(db: &Db, ctx: &Ctx, id: i64, what: &str) -> DomainResult<(ReportRow, TerritoryPath)> {
    let r = reporting::report(db.pool(), id).await?;
    match r {
        Some(r) => {
            let path =
                TerritoryPath::parse(&r.plan_path).ok_or_else(|| DomainError::Internal("path".into()))?;
            if allowed(ctx, |a| a.may_view_report(r.org_id, &path)) {
                Ok((r, path))
            } else {
                Err(deny(db, ctx, what, report_subject(id)).await)
            }
        }
        None => Err(deny(db, ctx, what, report_subject(id)).await),
    }
}

pub async fn view_report(db: &Db, ctx: &Ctx, id: i64) -> DomainResult<ReportView> {
    let (report, path) = report_for(db, ctx, id, "report_view").await?;
    let mut tx = db.begin().await.or_internal()?;
    let tree = plans::tree(&mut tx, report.plan_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let figures = reporting::figures(&mut *tx, id).await?;
    let events = reporting::events(&mut *tx, id).await?;
    let attachments = reporting::attachments(&mut *tx, id).await?;
    tx.commit().await.or_internal()?;
    let (g, t, m) = tree.measure(report.measure_id).ok_or(DomainError::NotFound)?;
    let measure_code = PlanTree::measure_code(g, m);
    let (goal_number, goal_text, task_number, task_text, measure) = (
        g.goal.number,
        g.goal.text.clone(),
        t.task.number,
        t.task.text.clone(),
        m.clone(),
    );
    Ok(ReportView {
        may_write: allowed(ctx, |a| a.may_write_report(report.org_id)),
        may_review: allowed(ctx, |a| a.may_review_reports(&path)),
        plan: tree.plan,
        report,
        goal_number,
        goal_text,
        task_number,
        task_text,
        measure_code,
        measure,
        figures,
        events,
        attachments,
    })
}

fn transition_error(e: domain::reporting::IllegalTransition) -> DomainError {
    let mut f = FieldErrors::new();
    f.add("state", e.message_id());
    DomainError::Validation(f)
}

/// The executor saves a draft or hands the report in.
pub async fn write_report(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    version: i64,
    form: &ReportForm,
    submit: bool,
) -> DomainResult<ReportState> {
    let (report, _) = report_for(db, ctx, id, "report_write").await?;
    if !allowed(ctx, |a| a.may_write_report(report.org_id)) {
        return Err(deny(db, ctx, "report_write", report_subject(id)).await);
    }
    let action = if submit {
        ReportAction::Submit
    } else {
        ReportAction::Save
    };
    let new_state = report
        .state()
        .apply(action, report.period_state())
        .map_err(transition_error)?;
    let input = form.validate(submit)?;
    // Figures only for this measure's indicators.
    let indicator_ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM measure_indicators WHERE measure_id = $1")
            .bind(report.measure_id)
            .fetch_all(db.pool())
            .await
            .or_internal()?;
    if input.figures.iter().any(|(i, _)| !indicator_ids.contains(i)) {
        let mut e = FieldErrors::new();
        e.add("figures", "err-invalid-choice");
        return Err(e.into());
    }
    let due = crate::dates::parse_date(&report.executor_due)?;
    let late = submit && is_late(kyiv_date(ctx.now), due);
    let mut tx = db.begin().await.or_internal()?;
    reporting::write_report(
        &mut tx,
        &report,
        version,
        &input,
        new_state,
        late,
        user_id(ctx),
        ctx.now,
    )
    .await?;
    if submit {
        reporting::add_event(&mut tx, id, ctx.now, user_id(ctx), "submit", None).await?;
    }
    let audit_action = if submit {
        AuditAction::ReportSubmitted
    } else {
        AuditAction::ReportSaved
    };
    record(
        &mut tx,
        ctx,
        audit_action,
        report_subject(id),
        json!({ "late": late, "figures": input.figures.len() }),
    )
    .await?;
    tx.commit().await.or_internal()?;
    Ok(new_state)
}

/// The coordinator accepts a submitted report or returns it with a comment.
pub async fn review_report(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    version: i64,
    accept: bool,
    comment: &str,
) -> DomainResult<ReportState> {
    let (report, path) = report_for(db, ctx, id, "report_review").await?;
    if !allowed(ctx, |a| a.may_review_reports(&path)) {
        return Err(deny(db, ctx, "report_review", report_subject(id)).await);
    }
    let action = if accept {
        ReportAction::Accept
    } else {
        ReportAction::Return
    };
    let new_state = report
        .state()
        .apply(action, report.period_state())
        .map_err(transition_error)?;
    let comment = if accept {
        let c = comment.trim();
        (!c.is_empty()).then(|| c.to_string())
    } else {
        Some(validate_return_comment(comment)?)
    };
    let mut tx = db.begin().await.or_internal()?;
    reporting::review_report(
        &mut tx,
        id,
        version,
        new_state,
        if accept { None } else { comment.as_deref() },
        user_id(ctx),
        ctx.now,
    )
    .await?;
    reporting::add_event(
        &mut tx,
        id,
        ctx.now,
        user_id(ctx),
        action.as_str(),
        comment.as_deref(),
    )
    .await?;
    let audit_action = if accept {
        AuditAction::ReportAccepted
    } else {
        AuditAction::ReportReturned
    };
    record(&mut tx, ctx, audit_action, report_subject(id), json!({})).await?;
    tx.commit().await.or_internal()?;
    Ok(new_state)
}

pub async fn add_attachment(db: &Db, ctx: &Ctx, id: i64, file_name: &str, bytes: &[u8]) -> DomainResult<i64> {
    let (report, _) = report_for(db, ctx, id, "attachment_add").await?;
    if !allowed(ctx, |a| a.may_write_report(report.org_id)) {
        return Err(deny(db, ctx, "attachment_add", report_subject(id)).await);
    }
    let mut e = FieldErrors::new();
    if !report.state().editable() || report.period_state() == PeriodState::Closed {
        e.add("file", "err-report-transition");
        return Err(e.into());
    }
    let name: String = file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let Some(content_type) = domain::reporting::attachment_type(&name) else {
        e.add(
            "file",
            if name.is_empty() {
                "err-required"
            } else {
                "err-file-type"
            },
        );
        return Err(e.into());
    };
    if bytes.is_empty() {
        e.add("file", "err-file-empty");
        return Err(e.into());
    }
    if bytes.len() > domain::reporting::MAX_ATTACHMENT_BYTES {
        e.add("file", "err-file-too-big");
        return Err(e.into());
    }
    if !domain::reporting::content_matches(content_type, bytes) {
        e.add("file", "err-file-content");
        return Err(e.into());
    }
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM report_attachments WHERE report_id = $1")
        .bind(id)
        .fetch_one(db.pool())
        .await
        .or_internal()?;
    if count as usize >= domain::reporting::MAX_ATTACHMENTS {
        e.add("file", "err-too-many-files");
        return Err(e.into());
    }
    let mut tx = forms::begin(db, ctx).await?;
    let aid =
        reporting::add_attachment(&mut tx, id, &name, content_type, bytes, user_id(ctx), ctx.now).await?;
    record(
        &mut tx,
        ctx,
        AuditAction::AttachmentAdded,
        report_subject(id),
        json!({ "attachment_id": aid, "size": bytes.len(), "type": content_type }),
    )
    .await?;
    forms::commit(tx, ctx, aid).await?;
    Ok(aid)
}

pub async fn remove_attachment(db: &Db, ctx: &Ctx, id: i64, attachment_id: i64) -> DomainResult<()> {
    let (report, _) = report_for(db, ctx, id, "attachment_remove").await?;
    let found = reporting::attachments(db.pool(), id).await?;
    if !allowed(ctx, |a| a.may_write_report(report.org_id)) || !found.iter().any(|a| a.id == attachment_id) {
        return Err(deny(db, ctx, "attachment_remove", report_subject(id)).await);
    }
    if !report.state().editable() || report.period_state() == PeriodState::Closed {
        let mut e = FieldErrors::new();
        e.add("file", "err-report-transition");
        return Err(e.into());
    }
    let mut tx = db.begin().await.or_internal()?;
    reporting::remove_attachment(&mut tx, attachment_id).await?;
    record(
        &mut tx,
        ctx,
        AuditAction::AttachmentRemoved,
        report_subject(id),
        json!({ "attachment_id": attachment_id }),
    )
    .await?;
    tx.commit().await.or_internal()
}

pub async fn download_attachment(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    attachment_id: i64,
) -> DomainResult<(reporting::AttachmentRow, Vec<u8>)> {
    report_for(db, ctx, id, "attachment_download").await?;
    let found = reporting::attachment_content(db.pool(), attachment_id).await?;
    let Some((row, bytes)) = found.filter(|(a, _)| a.report_id == id) else {
        return Err(deny(db, ctx, "attachment_download", report_subject(id)).await);
    };
    audit::record_view(
        db,
        ctx,
        AuditAction::AttachmentDownloaded,
        report_subject(id),
        json!({ "attachment_id": attachment_id }),
    )
    .await?;
    Ok((row, bytes))
}

/// For the reviewer's home page: open periods of plans within reach with reports waiting for review.
/// (period id, year, half, waiting count).
pub async fn review_queues(db: &Db, ctx: &Ctx) -> DomainResult<Vec<(i64, i64, i64, i64)>> {
    let Some(actor) = ctx.actor() else {
        return Ok(Vec::new());
    };
    if !actor.has(Permission::ReviewReports) {
        return Ok(Vec::new());
    }
    let (lo, hi) = territories::path_range(&actor.territory);
    sqlx::query_as(
        "SELECT p.id, p.year, p.half, COUNT(r.id) FROM reporting_periods p JOIN plans pl ON pl.id = p.plan_id \
         JOIN reports r ON r.period_id = p.id AND r.state = 'submitted' \
         WHERE p.state = 'open' AND pl.territory_path >= $1 AND pl.territory_path < $2 \
         GROUP BY p.id, p.year, p.half ORDER BY p.year, p.half",
    )
    .bind(lo)
    .bind(hi)
    .fetch_all(db.pool())
    .await
    .or_internal()
}

// ---------------------------------------------------------------- reminders

/// One reminder to send: to the people of `org_id` about `count` reports.
#[derive(Debug, Clone)]
pub struct Reminder {
    pub org_id: i64,
    pub kind: &'static str,
    pub report_ids: Vec<i64>,
    pub due: String,
}

/// Finds the reminders due now (a week before the deadline, and the day after it),
/// and marks them sent, so each goes out once. `emailed` says whether mail will carry them.
pub async fn take_reminders(db: &Db, now: i64, emailed: bool) -> DomainResult<Vec<Reminder>> {
    let today = kyiv_date(now);
    let soon = today
        .checked_add(jiff::Span::new().days(domain::reporting::DUE_SOON_DAYS))
        .unwrap_or(today);
    let yesterday = today.yesterday().unwrap_or(today);
    let mut out: Vec<Reminder> = Vec::new();
    let mut tx = db.begin().await.or_internal()?;
    for (kind, limit) in [("overdue", yesterday), ("due_soon", soon)] {
        let rows = reporting::reminder_candidates(&mut *tx, kind, &limit.to_string()).await?;
        for r in rows {
            if kind == "due_soon"
                && out
                    .iter()
                    .any(|x| x.kind == "overdue" && x.report_ids.contains(&r.report_id))
            {
                continue;
            }
            reporting::mark_reminded(&mut tx, r.report_id, kind, emailed, now).await?;
            match out
                .iter_mut()
                .find(|x| x.org_id == r.org_id && x.kind == kind && x.due == r.executor_due)
            {
                Some(x) => x.report_ids.push(r.report_id),
                None => out.push(Reminder {
                    org_id: r.org_id,
                    kind,
                    report_ids: vec![r.report_id],
                    due: r.executor_due.clone(),
                }),
            }
        }
    }
    for r in &out {
        audit::record(
            &mut *tx,
            &Ctx::internal(now),
            AuditAction::ReminderSent,
            Some((SubjectKind::Organisation, r.org_id.to_string())),
            json!({ "kind": r.kind, "reports": r.report_ids.len(), "emailed": emailed }),
        )
        .await?;
    }
    tx.commit().await.or_internal()?;
    Ok(out)
}

/// E-mail addresses of the people who write reports for an organisation.
pub async fn report_writers_emails(db: &Db, org_id: i64) -> DomainResult<Vec<String>> {
    sqlx::query_scalar(
        "SELECT u.email FROM users u JOIN user_roles r ON r.user_id = u.id \
         WHERE u.org_id = $1 AND r.role = 'executor' AND u.disabled = 0 AND u.email IS NOT NULL ORDER BY u.id",
    )
    .bind(org_id)
    .fetch_all(db.pool())
    .await
    .or_internal()
}
