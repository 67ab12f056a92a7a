//! Writing the audit trail: append-only rows written in the same transaction
//! as the change they describe (`record`), or after a read in a short
//! transaction of their own (`record_view`); and reading it back (`list`,
//! `count_since`) for the checked operations above.
//!
//! Security role: there is no function here (or anywhere) that updates or
//! deletes an audit row, and both databases refuse it with a trigger.
//! Details never carry personal data of the people in cases: ids, logins of
//! staff and field names only.

use crate::Ctx;
use crate::error::OrInternal;
use domain::DomainResult;
use domain::audit::{AuditAction, SubjectKind};
use sqlx::{Any, Executor, FromRow};

/// Writes one audit row through `exec` (a transaction, so it commits or rolls back with the change).
pub async fn record<'e, E>(
    exec: E,
    ctx: &Ctx,
    action: AuditAction,
    subject: Option<(SubjectKind, String)>,
    details: serde_json::Value,
) -> DomainResult<()>
where
    E: Executor<'e, Database = Any>,
{
    let actor = ctx.actor().map(|a| (a.user_id, a.org_id));
    insert(exec, ctx, actor, action, subject, details).await
}

/// Records that something was read, in a short transaction of its own, after
/// the reads and before anything is shown: the reads never wait for the write
/// lock, and when this write fails the caller sends nothing.
pub async fn record_view(
    db: &crate::Db,
    ctx: &Ctx,
    action: AuditAction,
    subject: Option<(SubjectKind, String)>,
    details: serde_json::Value,
) -> DomainResult<()> {
    let mut tx = db.begin().await.or_internal()?;
    record(&mut *tx, ctx, action, subject, details).await?;
    tx.commit().await.or_internal()
}

/// Like [`record`], for the moment a person becomes the actor (a successful
/// sign-in): the request has no actor yet, the row names the one signing in.
pub async fn record_for_user<'e, E>(
    exec: E,
    ctx: &Ctx,
    (user_id, org_id): (i64, i64),
    action: AuditAction,
    subject: Option<(SubjectKind, String)>,
    details: serde_json::Value,
) -> DomainResult<()>
where
    E: Executor<'e, Database = Any>,
{
    insert(exec, ctx, Some((user_id, org_id)), action, subject, details).await
}

async fn insert<'e, E>(
    exec: E,
    ctx: &Ctx,
    actor: Option<(i64, i64)>,
    action: AuditAction,
    subject: Option<(SubjectKind, String)>,
    details: serde_json::Value,
) -> DomainResult<()>
where
    E: Executor<'e, Database = Any>,
{
    let (kind, id) = match subject {
        Some((k, id)) => (Some(k.as_str()), Some(id)),
        None => (None, None),
    };
    sqlx::query(
        "INSERT INTO audit_log (at, actor_user_id, actor_org_id, action, subject_kind, subject_id, ip, request_id, details) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(ctx.now)
    .bind(actor.map(|a| a.0))
    .bind(actor.map(|a| a.1))
    .bind(action.as_str())
    .bind(kind)
    .bind(id)
    .bind(ctx.ip.clone())
    .bind(ctx.request_id.clone())
    .bind(details.to_string())
    .execute(exec)
    .await
    .or_internal()?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub actor_user_id: Option<i64>,
    pub actor_login: Option<String>,
    pub actor_org_id: Option<i64>,
    pub action: String,
    pub subject_kind: Option<String>,
    pub subject_id: Option<String>,
    pub ip: Option<String>,
    pub request_id: Option<String>,
    pub details: String,
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// A staff login (exact).
    pub login: Option<String>,
    pub action: Option<AuditAction>,
    /// Unix seconds, inclusive.
    pub from: Option<i64>,
    /// Unix seconds, exclusive.
    pub until: Option<i64>,
    /// Keyset: rows with a smaller id than this (newest first).
    pub before_id: Option<i64>,
}

/// One page of audit rows, newest first; `limit + 1` rows are read to know whether more follow.
pub async fn list<'e, E>(exec: E, f: &AuditFilter, limit: i64) -> DomainResult<(Vec<AuditRow>, bool)>
where
    E: Executor<'e, Database = Any>,
{
    let mut sql = String::from(
        "SELECT a.id, a.at, a.actor_user_id, u.login AS actor_login, a.actor_org_id, a.action, a.subject_kind, \
         a.subject_id, a.ip, a.request_id, a.details FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id WHERE 1 = 1",
    );
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    if f.login.is_some() {
        sql += &format!(
            " AND a.actor_user_id = (SELECT id FROM users WHERE login = {})",
            next()
        );
    }
    if f.action.is_some() {
        sql += &format!(" AND a.action = {}", next());
    }
    if f.from.is_some() {
        sql += &format!(" AND a.at >= {}", next());
    }
    if f.until.is_some() {
        sql += &format!(" AND a.at < {}", next());
    }
    if f.before_id.is_some() {
        sql += &format!(" AND a.id < {}", next());
    }
    sql += &format!(" ORDER BY a.id DESC LIMIT {}", next());
    let mut q = sqlx::query_as::<_, AuditRow>(&sql);
    if let Some(l) = &f.login {
        q = q.bind(l.clone());
    }
    if let Some(a) = f.action {
        q = q.bind(a.as_str());
    }
    if let Some(v) = f.from {
        q = q.bind(v);
    }
    if let Some(v) = f.until {
        q = q.bind(v);
    }
    if let Some(v) = f.before_id {
        q = q.bind(v);
    }
    let mut rows = q.bind(limit + 1).fetch_all(exec).await.or_internal()?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    Ok((rows, more))
}

/// Counts rows of one action since a moment (for home-page summaries).
pub async fn count_since<'e, E>(exec: E, action: AuditAction, since: i64) -> DomainResult<i64>
where
    E: Executor<'e, Database = Any>,
{
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = $1 AND at >= $2")
        .bind(action.as_str())
        .bind(since)
        .fetch_one(exec)
        .await
        .or_internal()?;
    Ok(n)
}
