//! Plans of measures: the tree of goals, tasks and measures with executors and
//! indicators. Reads load a whole plan in five queries whatever its size.
//! Permission checks and audit rows are in the module above (`store::plans`).

use crate::error::OrInternal;
use crate::{Tx, flag};
use domain::plan::{Indicator, MeasureInput, PlanInput};
use domain::territory::TerritoryPath;
use domain::{DomainError, DomainResult, FieldErrors};
use sqlx::{Any, Executor, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct PlanRow {
    pub id: i64,
    pub title: String,
    pub territory_id: i64,
    pub territory_path: String,
    pub territory_name_uk: String,
    pub territory_name_en: String,
    pub owner_org_id: i64,
    pub owner_name: String,
    pub year_from: i64,
    pub year_to: i64,
    pub act_number: Option<String>,
    pub act_date: Option<String>,
    pub version: i64,
}

impl PlanRow {
    pub fn path(&self) -> DomainResult<TerritoryPath> {
        TerritoryPath::parse(&self.territory_path).ok_or_else(|| DomainError::Internal("plan path".into()))
    }
}

const PLAN_SELECT: &str = "SELECT p.id, p.title, p.territory_id, p.territory_path, t.name_uk AS territory_name_uk, \
    t.name_en AS territory_name_en, p.owner_org_id, o.name AS owner_name, p.year_from, p.year_to, p.act_number, \
    p.act_date, p.version FROM plans p JOIN territories t ON t.id = p.territory_id \
    JOIN organisations o ON o.id = p.owner_org_id";

pub async fn get<'e, E: Executor<'e, Database = Any>>(exec: E, id: i64) -> DomainResult<Option<PlanRow>> {
    sqlx::query_as(&format!("{PLAN_SELECT} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(exec)
        .await
        .or_internal()
}

pub async fn list<'e, E: Executor<'e, Database = Any>>(exec: E) -> DomainResult<Vec<PlanRow>> {
    sqlx::query_as(&format!(
        "{PLAN_SELECT} ORDER BY p.year_from DESC, p.id DESC LIMIT 200"
    ))
    .fetch_all(exec)
    .await
    .or_internal()
}

#[derive(Debug, Clone, FromRow)]
pub struct GoalRow {
    pub id: i64,
    pub number: i64,
    pub text: String,
}

#[derive(Debug, Clone, FromRow)]
pub struct TaskRow {
    pub id: i64,
    pub goal_id: i64,
    pub number: i64,
    pub text: String,
}

#[derive(Debug, Clone, FromRow)]
pub struct MeasureRow {
    pub id: i64,
    pub task_id: i64,
    pub position: i64,
    pub text: String,
    pub term: String,
    pub retired_at: Option<i64>,
    pub version: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct ExecutorRow {
    pub measure_id: i64,
    pub org_id: i64,
    pub name: String,
    pub short_name: Option<String>,
    #[sqlx(try_from = "i64")]
    pub by_consent: crate::Flag,
}

impl ExecutorRow {
    pub fn label(&self) -> &str {
        self.short_name.as_deref().unwrap_or(&self.name)
    }
}

#[derive(Debug, Clone, FromRow)]
pub struct IndicatorRow {
    pub id: i64,
    pub measure_id: i64,
    pub name: String,
    pub unit: String,
    pub target: Option<String>,
}

#[derive(Debug, Clone)]
pub struct MeasureNode {
    pub m: MeasureRow,
    /// Number within the task among measures in force; `None` when retired.
    pub number: Option<u32>,
    pub executors: Vec<ExecutorRow>,
    pub indicators: Vec<IndicatorRow>,
}

#[derive(Debug, Clone)]
pub struct TaskNode {
    pub task: TaskRow,
    pub measures: Vec<MeasureNode>,
}

#[derive(Debug, Clone)]
pub struct GoalNode {
    pub goal: GoalRow,
    pub tasks: Vec<TaskNode>,
}

#[derive(Debug, Clone)]
pub struct PlanTree {
    pub plan: PlanRow,
    pub goals: Vec<GoalNode>,
}

impl PlanTree {
    pub fn measures(&self) -> impl Iterator<Item = (&GoalNode, &TaskNode, &MeasureNode)> {
        self.goals.iter().flat_map(|g| {
            g.tasks
                .iter()
                .flat_map(move |t| t.measures.iter().map(move |m| (g, t, m)))
        })
    }

    pub fn measure(&self, id: i64) -> Option<(&GoalNode, &TaskNode, &MeasureNode)> {
        self.measures().find(|(_, _, m)| m.m.id == id)
    }

    /// "1.3": goal number and measure number, as the consolidated report numbers measures.
    pub fn measure_code(g: &GoalNode, m: &MeasureNode) -> String {
        match m.number {
            Some(n) => format!("{}.{}", g.goal.number, n),
            None => format!("{}.–", g.goal.number),
        }
    }
}

/// The whole plan: five queries, whatever the number of measures.
pub async fn tree(tx: &mut Tx, plan_id: i64) -> DomainResult<Option<PlanTree>> {
    load(tx, plan_id, true).await
}

/// Goals, tasks and measures without executors and indicators (three queries):
/// for pages that only name the measures.
pub async fn outline(tx: &mut Tx, plan_id: i64) -> DomainResult<Option<PlanTree>> {
    load(tx, plan_id, false).await
}

async fn load(tx: &mut Tx, plan_id: i64, full: bool) -> DomainResult<Option<PlanTree>> {
    let Some(plan) = get(&mut **tx, plan_id).await? else {
        return Ok(None);
    };
    let goals: Vec<GoalRow> =
        sqlx::query_as("SELECT id, number, text FROM plan_goals WHERE plan_id = $1 ORDER BY number")
            .bind(plan_id)
            .fetch_all(&mut **tx)
            .await
            .or_internal()?;
    let tasks: Vec<TaskRow> = sqlx::query_as(
        "SELECT id, goal_id, number, text FROM plan_tasks WHERE plan_id = $1 ORDER BY goal_id, number",
    )
    .bind(plan_id)
    .fetch_all(&mut **tx)
    .await
    .or_internal()?;
    let measures: Vec<MeasureRow> = sqlx::query_as(
        "SELECT id, task_id, position, text, term, retired_at, version FROM plan_measures \
         WHERE plan_id = $1 ORDER BY task_id, position, id",
    )
    .bind(plan_id)
    .fetch_all(&mut **tx)
    .await
    .or_internal()?;
    let (executors, indicators): (Vec<ExecutorRow>, Vec<IndicatorRow>) = if full {
        let executors = sqlx::query_as(
            "SELECT e.measure_id, e.org_id, o.name, o.short_name, e.by_consent FROM measure_executors e \
             JOIN plan_measures m ON m.id = e.measure_id JOIN organisations o ON o.id = e.org_id \
             WHERE m.plan_id = $1 ORDER BY e.measure_id, e.position",
        )
        .bind(plan_id)
        .fetch_all(&mut **tx)
        .await
        .or_internal()?;
        let indicators = sqlx::query_as(
            "SELECT i.id, i.measure_id, i.name, i.unit, i.target FROM measure_indicators i \
             JOIN plan_measures m ON m.id = i.measure_id WHERE m.plan_id = $1 ORDER BY i.measure_id, i.position",
        )
        .bind(plan_id)
        .fetch_all(&mut **tx)
        .await
        .or_internal()?;
        (executors, indicators)
    } else {
        (Vec::new(), Vec::new())
    };
    let goals = goals
        .into_iter()
        .map(|goal| {
            let tasks = tasks
                .iter()
                .filter(|t| t.goal_id == goal.id)
                .map(|task| {
                    let mut n = 0u32;
                    let measures = measures
                        .iter()
                        .filter(|m| m.task_id == task.id)
                        .map(|m| {
                            let number = if m.retired_at.is_none() {
                                n += 1;
                                Some(n)
                            } else {
                                None
                            };
                            MeasureNode {
                                m: m.clone(),
                                number,
                                executors: executors
                                    .iter()
                                    .filter(|e| e.measure_id == m.id)
                                    .cloned()
                                    .collect(),
                                indicators: indicators
                                    .iter()
                                    .filter(|i| i.measure_id == m.id)
                                    .cloned()
                                    .collect(),
                            }
                        })
                        .collect();
                    TaskNode {
                        task: task.clone(),
                        measures,
                    }
                })
                .collect();
            GoalNode { goal, tasks }
        })
        .collect();
    Ok(Some(PlanTree { plan, goals }))
}

pub async fn insert_plan(tx: &mut Tx, p: &PlanInput, path: &TerritoryPath, now: i64) -> DomainResult<i64> {
    sqlx::query_scalar(
        "INSERT INTO plans (title, territory_id, territory_path, owner_org_id, year_from, year_to, act_number, \
         act_date, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(&p.title)
    .bind(p.territory_id)
    .bind(path.as_str())
    .bind(p.owner_org_id)
    .bind(i64::from(p.year_from))
    .bind(i64::from(p.year_to))
    .bind(&p.act_number)
    .bind(p.act_date.map(|d| d.to_string()))
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .or_internal()
}

pub async fn update_plan(
    tx: &mut Tx,
    id: i64,
    version: i64,
    p: &PlanInput,
    path: &TerritoryPath,
    now: i64,
) -> DomainResult<()> {
    let done = sqlx::query(
        "UPDATE plans SET title = $1, territory_id = $2, territory_path = $3, owner_org_id = $4, year_from = $5, \
         year_to = $6, act_number = $7, act_date = $8, updated_at = $9, version = version + 1 \
         WHERE id = $10 AND version = $11",
    )
    .bind(&p.title)
    .bind(p.territory_id)
    .bind(path.as_str())
    .bind(p.owner_org_id)
    .bind(i64::from(p.year_from))
    .bind(i64::from(p.year_to))
    .bind(&p.act_number)
    .bind(p.act_date.map(|d| d.to_string()))
    .bind(now)
    .bind(id)
    .bind(version)
    .execute(&mut **tx)
    .await
    .or_internal()?;
    if done.rows_affected() == 0 {
        return Err(DomainError::Conflict("stale"));
    }
    Ok(())
}

pub async fn insert_goal(tx: &mut Tx, plan_id: i64, number: Option<u32>, text: &str) -> DomainResult<i64> {
    let number = match number {
        Some(n) => i64::from(n),
        None => {
            next_number(
                tx,
                "SELECT MAX(number) FROM plan_goals WHERE plan_id = $1",
                plan_id,
            )
            .await?
        }
    };
    sqlx::query_scalar("INSERT INTO plan_goals (plan_id, number, text) VALUES ($1, $2, $3) RETURNING id")
        .bind(plan_id)
        .bind(number)
        .bind(text)
        .fetch_one(&mut **tx)
        .await
        .map_err(crate::error::conflict_on_unique(
            "goal number",
            crate::error::keys::PLAN_GOALS_NUMBER,
        ))
}

pub async fn insert_task(
    tx: &mut Tx,
    plan_id: i64,
    goal_id: i64,
    number: Option<u32>,
    text: &str,
) -> DomainResult<i64> {
    let number = match number {
        Some(n) => i64::from(n),
        // Plans number tasks through the whole plan (seed 002: 1)–4) across four goals).
        None => {
            next_number(
                tx,
                "SELECT MAX(number) FROM plan_tasks WHERE plan_id = $1",
                plan_id,
            )
            .await?
        }
    };
    sqlx::query_scalar(
        "INSERT INTO plan_tasks (plan_id, goal_id, number, text) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(plan_id)
    .bind(goal_id)
    .bind(number)
    .bind(text)
    .fetch_one(&mut **tx)
    .await
    .map_err(crate::error::conflict_on_unique(
        "task number",
        crate::error::keys::PLAN_TASKS_NUMBER,
    ))
}

async fn next_number(tx: &mut Tx, sql: &str, id: i64) -> DomainResult<i64> {
    let max: Option<i64> = sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(&mut **tx)
        .await
        .or_internal()?;
    Ok(max.unwrap_or(0) + 1)
}

pub async fn set_goal_text(tx: &mut Tx, plan_id: i64, goal_id: i64, text: &str) -> DomainResult<()> {
    let done = sqlx::query("UPDATE plan_goals SET text = $1 WHERE id = $2 AND plan_id = $3")
        .bind(text)
        .bind(goal_id)
        .bind(plan_id)
        .execute(&mut **tx)
        .await
        .or_internal()?;
    if done.rows_affected() == 0 {
        return Err(DomainError::NotFound);
    }
    Ok(())
}

pub async fn set_task_text(tx: &mut Tx, plan_id: i64, task_id: i64, text: &str) -> DomainResult<()> {
    let done = sqlx::query("UPDATE plan_tasks SET text = $1 WHERE id = $2 AND plan_id = $3")
        .bind(text)
        .bind(task_id)
        .bind(plan_id)
        .execute(&mut **tx)
        .await
        .or_internal()?;
    if done.rows_affected() == 0 {
        return Err(DomainError::NotFound);
    }
    Ok(())
}

/// The consent flag of each executor: from the organisation's own flag.
async fn consent_flags(tx: &mut Tx, ids: &[i64]) -> DomainResult<Vec<(i64, bool)>> {
    let mut out = Vec::with_capacity(ids.len());
    if ids.is_empty() {
        return Ok(out);
    }
    let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT id, by_consent FROM organisations WHERE id IN ({})",
        placeholders.join(", ")
    );
    let mut q = sqlx::query_as::<_, (i64, i64)>(&sql);
    for id in ids {
        q = q.bind(*id);
    }
    let found = q.fetch_all(&mut **tx).await.or_internal()?;
    for id in ids {
        match found.iter().find(|(f, _)| f == id) {
            Some((_, c)) => out.push((*id, *c != 0)),
            None => {
                let mut e = FieldErrors::new();
                e.add("executors", "err-invalid-choice");
                return Err(DomainError::Validation(e));
            }
        }
    }
    Ok(out)
}

pub async fn insert_measure(
    tx: &mut Tx,
    plan_id: i64,
    task_id: i64,
    m: &MeasureInput,
    now: i64,
) -> DomainResult<i64> {
    let position = next_number(
        tx,
        "SELECT MAX(position) FROM plan_measures WHERE task_id = $1",
        task_id,
    )
    .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO plan_measures (plan_id, task_id, position, text, term, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(plan_id)
    .bind(task_id)
    .bind(position)
    .bind(&m.text)
    .bind(&m.term)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .or_internal()?;
    set_executors(tx, id, &m.executors).await?;
    for (i, ind) in m.indicators.iter().enumerate() {
        insert_indicator(tx, id, i as i64, ind).await?;
    }
    add_expected_reports(tx, plan_id, Some(id), now).await?;
    Ok(id)
}

async fn insert_indicator(tx: &mut Tx, measure_id: i64, position: i64, ind: &Indicator) -> DomainResult<()> {
    sqlx::query(
        "INSERT INTO measure_indicators (measure_id, position, name, unit, target) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(measure_id)
    .bind(position)
    .bind(&ind.name)
    .bind(&ind.unit)
    .bind(&ind.target)
    .execute(&mut **tx)
    .await
    .or_internal()?;
    Ok(())
}

async fn set_executors(tx: &mut Tx, measure_id: i64, executors: &[i64]) -> DomainResult<()> {
    let flags = consent_flags(tx, executors).await?;
    sqlx::query("DELETE FROM measure_executors WHERE measure_id = $1")
        .bind(measure_id)
        .execute(&mut **tx)
        .await
        .or_internal()?;
    for (i, (org_id, consent)) in flags.iter().enumerate() {
        sqlx::query(
            "INSERT INTO measure_executors (measure_id, org_id, position, by_consent) VALUES ($1, $2, $3, $4)",
        )
        .bind(measure_id)
        .bind(*org_id)
        .bind(i as i64)
        .bind(flag(*consent))
        .execute(&mut **tx)
        .await
        .or_internal()?;
    }
    Ok(())
}

/// Creates the report rows that open periods expect and do not have yet
/// (for one measure, or the whole plan): every measure in force × its executors.
/// Terms do not filter: a measure whose term has passed is retired by the
/// coordinator (plans are often prolonged; the term alone does not end the duty to report).
pub async fn add_expected_reports(
    tx: &mut Tx,
    plan_id: i64,
    measure: Option<i64>,
    now: i64,
) -> DomainResult<u64> {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT p.id, m.id, e.org_id FROM reporting_periods p \
         JOIN plan_measures m ON m.plan_id = p.plan_id AND m.retired_at IS NULL \
         JOIN measure_executors e ON e.measure_id = m.id \
         WHERE p.plan_id = $1 AND p.state = 'open' AND ($2 = 0 OR m.id = $2) \
         AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.period_id = p.id AND r.measure_id = m.id \
         AND r.org_id = e.org_id)",
    )
    .bind(plan_id)
    .bind(measure.unwrap_or(0))
    .fetch_all(&mut **tx)
    .await
    .or_internal()?;
    let mut n = 0;
    for (period_id, measure_id, org_id) in rows {
        sqlx::query(
            "INSERT INTO reports (period_id, plan_id, measure_id, org_id, state, updated_at) \
             VALUES ($1, $2, $3, $4, 'draft', $5)",
        )
        .bind(period_id)
        .bind(plan_id)
        .bind(measure_id)
        .bind(org_id)
        .bind(now)
        .execute(&mut **tx)
        .await
        .or_internal()?;
        n += 1;
    }
    Ok(n)
}

/// Removes the untouched drafts of open periods that are no longer expected
/// (an executor taken off a measure, a measure retired). Anything written is kept.
async fn drop_unexpected_drafts(tx: &mut Tx, measure_id: i64) -> DomainResult<()> {
    sqlx::query(
        "DELETE FROM reports WHERE measure_id = $1 AND state = 'draft' AND body = '' AND links = '' \
         AND version = 1 AND period_id IN (SELECT id FROM reporting_periods WHERE state = 'open') \
         AND (NOT EXISTS (SELECT 1 FROM measure_executors e WHERE e.measure_id = reports.measure_id \
              AND e.org_id = reports.org_id) \
              OR EXISTS (SELECT 1 FROM plan_measures m WHERE m.id = reports.measure_id AND m.retired_at IS NOT NULL)) \
         AND NOT EXISTS (SELECT 1 FROM report_attachments a WHERE a.report_id = reports.id)",
    )
    .bind(measure_id)
    .execute(&mut **tx)
    .await
    .or_internal()?;
    Ok(())
}

pub async fn update_measure(
    tx: &mut Tx,
    plan_id: i64,
    measure_id: i64,
    version: i64,
    m: &MeasureInput,
    old_indicators: &[IndicatorRow],
    now: i64,
) -> DomainResult<()> {
    let done = sqlx::query(
        "UPDATE plan_measures SET text = $1, term = $2, updated_at = $3, version = version + 1 \
         WHERE id = $4 AND plan_id = $5 AND version = $6",
    )
    .bind(&m.text)
    .bind(&m.term)
    .bind(now)
    .bind(measure_id)
    .bind(plan_id)
    .bind(version)
    .execute(&mut **tx)
    .await
    .or_internal()?;
    if done.rows_affected() == 0 {
        return Err(DomainError::Conflict("stale"));
    }
    set_executors(tx, measure_id, &m.executors).await?;
    // Indicators are matched by name: a kept one keeps its id (and the figures reported against it).
    for old in old_indicators {
        if !m.indicators.iter().any(|i| i.name == old.name) {
            let used: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM report_figures WHERE indicator_id = $1")
                .bind(old.id)
                .fetch_one(&mut **tx)
                .await
                .or_internal()?;
            if used > 0 {
                let mut e = FieldErrors::new();
                e.add("indicators", "err-indicator-in-use");
                return Err(DomainError::Validation(e));
            }
            sqlx::query("DELETE FROM measure_indicators WHERE id = $1")
                .bind(old.id)
                .execute(&mut **tx)
                .await
                .or_internal()?;
        }
    }
    for (i, ind) in m.indicators.iter().enumerate() {
        match old_indicators.iter().find(|o| o.name == ind.name) {
            Some(old) => {
                sqlx::query(
                    "UPDATE measure_indicators SET position = $1, unit = $2, target = $3 WHERE id = $4",
                )
                .bind(i as i64)
                .bind(&ind.unit)
                .bind(&ind.target)
                .bind(old.id)
                .execute(&mut **tx)
                .await
                .or_internal()?;
            }
            None => insert_indicator(tx, measure_id, i as i64, ind).await?,
        }
    }
    drop_unexpected_drafts(tx, measure_id).await?;
    add_expected_reports(tx, plan_id, Some(measure_id), now).await?;
    Ok(())
}

/// Swaps a measure with its neighbour in the task (`up` = towards the first).
pub async fn move_measure(tx: &mut Tx, measure: &MeasureRow, up: bool, now: i64) -> DomainResult<bool> {
    let sql = if up {
        "SELECT id, position FROM plan_measures WHERE task_id = $1 AND position < $2 ORDER BY position DESC LIMIT 1"
    } else {
        "SELECT id, position FROM plan_measures WHERE task_id = $1 AND position > $2 ORDER BY position LIMIT 1"
    };
    let neighbour: Option<(i64, i64)> = sqlx::query_as(sql)
        .bind(measure.task_id)
        .bind(measure.position)
        .fetch_optional(&mut **tx)
        .await
        .or_internal()?;
    let Some((other_id, other_pos)) = neighbour else {
        return Ok(false);
    };
    for (id, pos) in [(measure.id, other_pos), (other_id, measure.position)] {
        sqlx::query("UPDATE plan_measures SET position = $1, updated_at = $2 WHERE id = $3")
            .bind(pos)
            .bind(now)
            .bind(id)
            .execute(&mut **tx)
            .await
            .or_internal()?;
    }
    Ok(true)
}

/// Retires (or restores) a measure. Its reports stay; untouched drafts of open periods go.
pub async fn set_retired(
    tx: &mut Tx,
    plan_id: i64,
    measure_id: i64,
    retired: bool,
    now: i64,
) -> DomainResult<()> {
    sqlx::query(
        "UPDATE plan_measures SET retired_at = $1, updated_at = $2, version = version + 1 \
         WHERE id = $3 AND plan_id = $4",
    )
    .bind(retired.then_some(now))
    .bind(now)
    .bind(measure_id)
    .bind(plan_id)
    .execute(&mut **tx)
    .await
    .or_internal()?;
    if retired {
        drop_unexpected_drafts(tx, measure_id).await
    } else {
        add_expected_reports(tx, plan_id, Some(measure_id), now)
            .await
            .map(|_| ())
    }
}

/// A measure of a plan; `None` when there is no such measure in that plan.
pub async fn measure_in_plan<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    plan_id: i64,
    measure_id: i64,
) -> DomainResult<Option<MeasureRow>> {
    sqlx::query_as(
        "SELECT id, task_id, position, text, term, retired_at, version FROM plan_measures \
         WHERE id = $1 AND plan_id = $2",
    )
    .bind(measure_id)
    .bind(plan_id)
    .fetch_optional(exec)
    .await
    .or_internal()
}

/// Counts of a plan's parts: goals, tasks, measures in force, executor links.
pub async fn counts<'e, E: Executor<'e, Database = Any>>(exec: E, plan_id: i64) -> DomainResult<[i64; 4]> {
    let row: (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM plan_goals WHERE plan_id = $1), \
         (SELECT COUNT(*) FROM plan_tasks WHERE plan_id = $1), \
         (SELECT COUNT(*) FROM plan_measures WHERE plan_id = $1 AND retired_at IS NULL), \
         (SELECT COUNT(*) FROM measure_executors e JOIN plan_measures m ON m.id = e.measure_id \
          WHERE m.plan_id = $1 AND m.retired_at IS NULL)",
    )
    .bind(plan_id)
    .fetch_one(exec)
    .await
    .or_internal()?;
    Ok([row.0, row.1, row.2, row.3])
}
