//! Reporting periods and the executors' reports. Permission checks and audit
//! rows are in `plans` (the module above); here is only how it is kept.

use crate::codes::Code;
use crate::dates::parse_date;
use crate::error::OrInternal;
use super::rows as plans;
use crate::{Tx, flag};
use domain::reporting::{Deadlines, HalfYear, PeriodState, ReportAction, ReportInput, ReportState};
use domain::{DomainError, DomainResult};
use jiff::civil::Date;
use sqlx::{Any, Executor, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct PeriodRow {
    pub id: i64,
    pub plan_id: i64,
    pub year: i64,
    pub half: i64,
    pub starts_on: String,
    pub ends_on: String,
    pub executor_due: String,
    pub consolidation_due: String,
    #[sqlx(try_from = "Code<PeriodState>")]
    pub state: PeriodState,
    pub opened_at: i64,
    pub closed_at: Option<i64>,
}

impl PeriodRow {
    pub fn state(&self) -> PeriodState {
        self.state
    }
    pub fn half_year(&self) -> HalfYear {
        HalfYear {
            year: self.year as i16,
            half: self.half as i8,
        }
    }
    pub fn due(&self) -> DomainResult<Date> {
        parse_date(&self.executor_due)
    }
}

const PERIOD_SELECT: &str = "SELECT id, plan_id, year, half, starts_on, ends_on, executor_due, consolidation_due, \
    state, opened_at, closed_at FROM reporting_periods";

pub async fn period<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    id: i64,
) -> DomainResult<Option<PeriodRow>> {
    sqlx::query_as(&format!("{PERIOD_SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(exec)
        .await
        .or_internal()
}

pub async fn periods_of<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    plan_id: i64,
) -> DomainResult<Vec<PeriodRow>> {
    sqlx::query_as(&format!(
        "{PERIOD_SELECT} WHERE plan_id = $1 ORDER BY year DESC, half DESC"
    ))
    .bind(plan_id)
    .fetch_all(exec)
    .await
    .or_internal()
}

/// Opens a half-year for reporting and creates the reports it expects.
pub async fn open_period(
    tx: &mut Tx,
    plan_id: i64,
    h: HalfYear,
    d: Deadlines,
    now: i64,
) -> DomainResult<(i64, u64)> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO reporting_periods (plan_id, year, half, starts_on, ends_on, executor_due, consolidation_due, \
         state, opened_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8) RETURNING id",
    )
    .bind(plan_id)
    .bind(i64::from(h.year))
    .bind(i64::from(h.half))
    .bind(h.starts_on().to_string())
    .bind(h.ends_on().to_string())
    .bind(h.executor_due(d).to_string())
    .bind(h.consolidation_due(d).to_string())
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .map_err(crate::error::conflict_on_unique(
        "period exists",
        crate::error::keys::REPORTING_PERIODS_HALF,
    ))?;
    let n = plans::add_expected_reports(tx, plan_id, None, now).await?;
    Ok((id, n))
}

pub async fn set_period_state(tx: &mut Tx, id: i64, state: PeriodState, now: i64) -> DomainResult<()> {
    sqlx::query("UPDATE reporting_periods SET state = $1, closed_at = $2 WHERE id = $3")
        .bind(state.as_str())
        .bind((state == PeriodState::Closed).then_some(now))
        .bind(id)
        .execute(&mut **tx)
        .await
        .or_internal()?;
    if state == PeriodState::Open {
        let plan_id: i64 = sqlx::query_scalar("SELECT plan_id FROM reporting_periods WHERE id = $1")
            .bind(id)
            .fetch_one(&mut **tx)
            .await
            .or_internal()?;
        plans::add_expected_reports(tx, plan_id, None, now).await?;
    }
    Ok(())
}

/// A report with what it belongs to, for its page and for the checks.
#[derive(Debug, Clone, FromRow)]
pub struct ReportRow {
    pub id: i64,
    pub period_id: i64,
    pub plan_id: i64,
    pub measure_id: i64,
    pub org_id: i64,
    pub org_name: String,
    #[sqlx(try_from = "Code<ReportState>")]
    pub state: ReportState,
    pub body: String,
    pub links: String,
    pub first_submitted_at: Option<i64>,
    pub submitted_at: Option<i64>,
    #[sqlx(try_from = "i64")]
    pub late: crate::Flag,
    pub accepted_at: Option<i64>,
    pub return_comment: Option<String>,
    pub updated_at: i64,
    pub version: i64,
    pub plan_path: String,
    #[sqlx(try_from = "Code<PeriodState>")]
    pub period_state: PeriodState,
    pub executor_due: String,
    pub year: i64,
    pub half: i64,
}

impl ReportRow {
    pub fn state(&self) -> ReportState {
        self.state
    }
    pub fn period_state(&self) -> PeriodState {
        self.period_state
    }
    pub fn links(&self) -> Vec<&str> {
        self.links.lines().filter(|l| !l.is_empty()).collect()
    }
}

const REPORT_SELECT: &str = "SELECT r.id, r.period_id, r.plan_id, r.measure_id, r.org_id, o.name AS org_name, r.state, \
    r.body, r.links, r.first_submitted_at, r.submitted_at, r.late, r.accepted_at, r.return_comment, r.updated_at, \
    r.version, pl.territory_path AS plan_path, p.state AS period_state, p.executor_due, p.year, p.half \
    FROM reports r JOIN organisations o ON o.id = r.org_id JOIN plans pl ON pl.id = r.plan_id \
    JOIN reporting_periods p ON p.id = r.period_id";

pub async fn report<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    id: i64,
) -> DomainResult<Option<ReportRow>> {
    sqlx::query_as(&format!("{REPORT_SELECT} WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(exec)
        .await
        .or_internal()
}

#[derive(Debug, Clone, FromRow)]
pub struct FigureRow {
    pub indicator_id: i64,
    pub value: f64,
}

pub async fn figures<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    report_id: i64,
) -> DomainResult<Vec<FigureRow>> {
    sqlx::query_as("SELECT indicator_id, value FROM report_figures WHERE report_id = $1")
        .bind(report_id)
        .fetch_all(exec)
        .await
        .or_internal()
}

#[derive(Debug, Clone, FromRow)]
pub struct EventRow {
    pub at: i64,
    pub user_name: Option<String>,
    #[sqlx(try_from = "Code<ReportAction>")]
    pub action: ReportAction,
    pub comment: Option<String>,
}

pub async fn events<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    report_id: i64,
) -> DomainResult<Vec<EventRow>> {
    sqlx::query_as(
        "SELECT e.at, u.full_name AS user_name, e.action, e.comment FROM report_events e \
         LEFT JOIN users u ON u.id = e.user_id WHERE e.report_id = $1 ORDER BY e.id",
    )
    .bind(report_id)
    .fetch_all(exec)
    .await
    .or_internal()
}

pub async fn add_event(
    tx: &mut Tx,
    report_id: i64,
    now: i64,
    user_id: Option<i64>,
    action: &str,
    comment: Option<&str>,
) -> DomainResult<()> {
    sqlx::query(
        "INSERT INTO report_events (report_id, at, user_id, action, comment) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(report_id)
    .bind(now)
    .bind(user_id)
    .bind(action)
    .bind(comment)
    .execute(&mut **tx)
    .await
    .or_internal()?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
/// Writes the executor's text and figures, optionally handing it in. Refused as a
/// conflict when someone saved since `version` was read.
pub async fn write_report(
    tx: &mut Tx,
    r: &ReportRow,
    version: i64,
    input: &ReportInput,
    new_state: ReportState,
    late: bool,
    user_id: Option<i64>,
    now: i64,
) -> DomainResult<()> {
    let submitting = new_state == ReportState::Submitted;
    let done = sqlx::query(
        "UPDATE reports SET body = $1, links = $2, state = $3, \
         submitted_at = CASE WHEN $4 = 1 THEN $5 ELSE submitted_at END, \
         first_submitted_at = CASE WHEN $4 = 1 AND first_submitted_at IS NULL THEN $5 ELSE first_submitted_at END, \
         late = CASE WHEN $4 = 1 AND first_submitted_at IS NULL THEN $6 ELSE late END, \
         updated_at = $5, updated_by = $7, version = version + 1 WHERE id = $8 AND version = $9",
    )
    .bind(&input.text)
    .bind(input.links.join("\n"))
    .bind(new_state.as_str())
    .bind(flag(submitting))
    .bind(now)
    .bind(flag(late))
    .bind(user_id)
    .bind(r.id)
    .bind(version)
    .execute(&mut **tx)
    .await
    .or_internal()?;
    if done.rows_affected() == 0 {
        return Err(DomainError::Conflict("stale"));
    }
    sqlx::query("DELETE FROM report_figures WHERE report_id = $1")
        .bind(r.id)
        .execute(&mut **tx)
        .await
        .or_internal()?;
    for (indicator_id, value) in &input.figures {
        if let Some(v) = value {
            sqlx::query("INSERT INTO report_figures (report_id, indicator_id, value) VALUES ($1, $2, $3)")
                .bind(r.id)
                .bind(*indicator_id)
                .bind(*v)
                .execute(&mut **tx)
                .await
                .or_internal()?;
        }
    }
    Ok(())
}

/// The coordinator's decision: accepted, or returned with a comment.
pub async fn review_report(
    tx: &mut Tx,
    report_id: i64,
    version: i64,
    new_state: ReportState,
    comment: Option<&str>,
    user_id: Option<i64>,
    now: i64,
) -> DomainResult<()> {
    let accepted = new_state == ReportState::Accepted;
    let done = sqlx::query(
        "UPDATE reports SET state = $1, reviewed_at = $2, accepted_at = CASE WHEN $3 = 1 THEN $2 ELSE NULL END, \
         return_comment = $4, updated_at = $2, updated_by = $5, version = version + 1 \
         WHERE id = $6 AND version = $7",
    )
    .bind(new_state.as_str())
    .bind(now)
    .bind(flag(accepted))
    .bind(comment)
    .bind(user_id)
    .bind(report_id)
    .bind(version)
    .execute(&mut **tx)
    .await
    .or_internal()?;
    if done.rows_affected() == 0 {
        return Err(DomainError::Conflict("stale"));
    }
    Ok(())
}

/// One line of an executor's list: a report with its measure, plan and deadline.
#[derive(Debug, Clone, FromRow)]
pub struct MyReportRow {
    pub id: i64,
    #[sqlx(try_from = "Code<ReportState>")]
    pub state: ReportState,
    #[sqlx(try_from = "i64")]
    pub late: crate::Flag,
    pub executor_due: String,
    pub year: i64,
    pub half: i64,
    #[sqlx(try_from = "Code<PeriodState>")]
    pub period_state: PeriodState,
    pub plan_id: i64,
    pub plan_title: String,
    pub measure_id: i64,
    pub measure_text: String,
    pub goal_number: i64,
    pub task_number: i64,
    /// The measure's number within its task (rank among measures in force).
    pub measure_number: i64,
    pub return_comment: Option<String>,
}

impl MyReportRow {
    pub fn state(&self) -> ReportState {
        self.state
    }
}

/// The reports of one organisation in open periods (and the last closed one).
pub async fn reports_of_org<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    org_id: i64,
) -> DomainResult<Vec<MyReportRow>> {
    sqlx::query_as(
        "SELECT r.id, r.state, r.late, p.executor_due, p.year, p.half, p.state AS period_state, pl.id AS plan_id, \
         pl.title AS plan_title, m.id AS measure_id, m.text AS measure_text, g.number AS goal_number, \
         t.number AS task_number, (SELECT COUNT(*) FROM plan_measures m2 WHERE m2.task_id = m.task_id \
         AND m2.retired_at IS NULL AND m2.position <= m.position) AS measure_number, r.return_comment \
         FROM reports r JOIN reporting_periods p ON p.id = r.period_id JOIN plans pl ON pl.id = r.plan_id \
         JOIN plan_measures m ON m.id = r.measure_id JOIN plan_tasks t ON t.id = m.task_id \
         JOIN plan_goals g ON g.id = t.goal_id \
         WHERE r.org_id = $1 AND p.state = 'open' ORDER BY p.executor_due, g.number, t.number, m.position \
         LIMIT 1000",
    )
    .bind(org_id)
    .fetch_all(exec)
    .await
    .or_internal()
}

/// One report as the period dashboard counts it.
#[derive(Debug, Clone, FromRow)]
pub struct PeriodReportRow {
    pub id: i64,
    pub measure_id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub org_short: Option<String>,
    #[sqlx(try_from = "Code<ReportState>")]
    pub state: ReportState,
    #[sqlx(try_from = "i64")]
    pub late: crate::Flag,
    pub body: String,
    pub links: String,
    pub first_submitted_at: Option<i64>,
    pub submitted_at: Option<i64>,
    pub accepted_at: Option<i64>,
}

impl PeriodReportRow {
    pub fn state(&self) -> ReportState {
        self.state
    }
    pub fn org_label(&self) -> &str {
        self.org_short.as_deref().unwrap_or(&self.org_name)
    }
}

/// Counts of a period's reports by executor, goal, state and lateness: the dashboard's figures
/// come from these few dozen rows rather than from every report.
#[derive(Debug, Clone, FromRow)]
pub struct TallyCount {
    pub org_id: i64,
    pub org_name: String,
    pub org_short: Option<String>,
    pub goal_number: i64,
    #[sqlx(try_from = "Code<ReportState>")]
    pub state: ReportState,
    #[sqlx(try_from = "i64")]
    pub late: crate::Flag,
    pub n: i64,
}

pub async fn tallies_of_period<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    period_id: i64,
) -> DomainResult<Vec<TallyCount>> {
    sqlx::query_as(
        "SELECT r.org_id, o.name AS org_name, o.short_name AS org_short, g.number AS goal_number, r.state, \
         r.late, COUNT(*) AS n FROM reports r JOIN organisations o ON o.id = r.org_id \
         JOIN plan_measures m ON m.id = r.measure_id JOIN plan_tasks t ON t.id = m.task_id \
         JOIN plan_goals g ON g.id = t.goal_id WHERE r.period_id = $1 \
         GROUP BY r.org_id, o.name, o.short_name, g.number, r.state, r.late",
    )
    .bind(period_id)
    .fetch_all(exec)
    .await
    .or_internal()
}

/// The columns of a [`PeriodReportRow`] before `body, links` (`r` = reports, `o` = organisations).
const PERIOD_REPORT_HEAD: &str =
    "r.id, r.measure_id, r.org_id, o.name AS org_name, o.short_name AS org_short, r.state, r.late";
/// … and after them.
const PERIOD_REPORT_TAIL: &str = "r.first_submitted_at, r.submitted_at, r.accepted_at";

/// A page of a period's reports in some states (the review queue, the overdue list), without
/// their texts, in report order after `after` (keyset: the cost does not grow with the page number).
pub async fn reports_in_states<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    period_id: i64,
    states: &[ReportState],
    after: i64,
    limit: i64,
) -> DomainResult<Vec<PeriodReportRow>> {
    let list: Vec<String> = states.iter().map(|s| format!("'{}'", s.as_str())).collect();
    sqlx::query_as(&format!(
        "SELECT {PERIOD_REPORT_HEAD}, '' AS body, '' AS links, {PERIOD_REPORT_TAIL} FROM reports r \
         JOIN organisations o ON o.id = r.org_id WHERE r.period_id = $1 AND r.state IN ({}) AND r.id > $2 \
         ORDER BY r.id LIMIT $3",
        list.join(", ")
    ))
    .bind(period_id)
    .bind(after)
    .bind(limit)
    .fetch_all(exec)
    .await
    .or_internal()
}

/// Every report of a period with its text: one query (the consolidated documents are built from it).
pub async fn reports_of_period<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    period_id: i64,
    with_text: bool,
) -> DomainResult<Vec<PeriodReportRow>> {
    let text = if with_text {
        "r.body, r.links"
    } else {
        "'' AS body, '' AS links"
    };
    sqlx::query_as(&format!(
        "SELECT {PERIOD_REPORT_HEAD}, {text}, {PERIOD_REPORT_TAIL} FROM reports r \
         JOIN organisations o ON o.id = r.org_id WHERE r.period_id = $1 ORDER BY r.measure_id, o.name_key"
    ))
    .bind(period_id)
    .fetch_all(exec)
    .await
    .or_internal()
}

/// All figures of a period's reports: (report id, indicator id, value).
pub async fn figures_of_period<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    period_id: i64,
) -> DomainResult<Vec<(i64, i64, f64)>> {
    sqlx::query_as(
        "SELECT f.report_id, f.indicator_id, f.value FROM report_figures f JOIN reports r ON r.id = f.report_id \
         WHERE r.period_id = $1",
    )
    .bind(period_id)
    .fetch_all(exec)
    .await
    .or_internal()
}

#[derive(Debug, Clone, FromRow)]
pub struct AttachmentRow {
    pub id: i64,
    pub report_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub uploaded_at: i64,
}

pub async fn attachments<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    report_id: i64,
) -> DomainResult<Vec<AttachmentRow>> {
    sqlx::query_as(
        "SELECT id, report_id, file_name, content_type, size, uploaded_at FROM report_attachments \
         WHERE report_id = $1 ORDER BY id",
    )
    .bind(report_id)
    .fetch_all(exec)
    .await
    .or_internal()
}

pub async fn attachment_content<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    id: i64,
) -> DomainResult<Option<(AttachmentRow, Vec<u8>)>> {
    #[derive(FromRow)]
    struct WithContent {
        #[sqlx(flatten)]
        row: AttachmentRow,
        content: Vec<u8>,
    }
    let found: Option<WithContent> = sqlx::query_as(
        "SELECT id, report_id, file_name, content_type, size, uploaded_at, content FROM report_attachments \
         WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(exec)
    .await
    .or_internal()?;
    Ok(found.map(|w| (w.row, w.content)))
}

pub async fn add_attachment(
    tx: &mut Tx,
    report_id: i64,
    file_name: &str,
    content_type: &str,
    content: &[u8],
    user_id: Option<i64>,
    now: i64,
) -> DomainResult<i64> {
    sqlx::query_scalar(
        "INSERT INTO report_attachments (report_id, file_name, content_type, size, content, uploaded_by, \
         uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(report_id)
    .bind(file_name)
    .bind(content_type)
    .bind(content.len() as i64)
    .bind(content.to_vec())
    .bind(user_id)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .or_internal()
}

pub async fn remove_attachment(tx: &mut Tx, id: i64) -> DomainResult<()> {
    sqlx::query("DELETE FROM report_attachments WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await
        .or_internal()?;
    Ok(())
}

/// Reports in open periods that are due soon or overdue and have no reminder of that kind yet.
#[derive(Debug, Clone, FromRow)]
pub struct ReminderDue {
    pub report_id: i64,
    pub org_id: i64,
    pub executor_due: String,
    #[sqlx(try_from = "Code<ReportState>")]
    pub state: ReportState,
}

pub async fn reminder_candidates<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    kind: &str,
    due_on_or_before: &str,
) -> DomainResult<Vec<ReminderDue>> {
    sqlx::query_as(
        "SELECT r.id AS report_id, r.org_id, p.executor_due, r.state FROM reports r \
         JOIN reporting_periods p ON p.id = r.period_id \
         WHERE p.state = 'open' AND r.state IN ('draft', 'returned') AND p.executor_due <= $1 \
         AND NOT EXISTS (SELECT 1 FROM report_reminders m WHERE m.report_id = r.id \
         AND (m.kind = $2 OR m.kind = 'overdue')) \
         ORDER BY r.org_id, r.id LIMIT 5000",
    )
    .bind(due_on_or_before)
    .bind(kind)
    .fetch_all(exec)
    .await
    .or_internal()
}

pub async fn mark_reminded(
    tx: &mut Tx,
    report_id: i64,
    kind: &str,
    emailed: bool,
    now: i64,
) -> DomainResult<()> {
    sqlx::query("INSERT INTO report_reminders (report_id, kind, sent_at, emailed) VALUES ($1, $2, $3, $4)")
        .bind(report_id)
        .bind(kind)
        .bind(now)
        .bind(flag(emailed))
        .execute(&mut **tx)
        .await
        .or_internal()?;
    Ok(())
}
