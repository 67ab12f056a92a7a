//! The audit trail and what may be read of it: `trail` writes the
//! append-only rows (in the transaction of the change they describe, or in a
//! short one of their own after a read) and is used by every aggregate;
//! `chain` seals them (ADR 0009); the functions here read the log, export
//! it and count refusals for the auditor, each checked and itself audited.
//!
//! Security role: there is no function here (or anywhere) that updates or
//! deletes an audit row, and both databases refuse it with a trigger.
//! Details never carry personal data of the people in cases: ids, logins of
//! staff and field names only.

pub mod chain;
sql_mod!(trail);

pub use trail::{AuditFilter, AuditRow};
pub(crate) use trail::{count_since, list, record, record_for_user, record_view};

use crate::access::{allowed, deny_page};
use crate::{Ctx, Db};
use domain::DomainResult;
use domain::audit::AuditAction;
use domain::policy::Actor;
use serde_json::json;

// ---------------------------------------------------------------- audit log

pub async fn read_audit_log(
    db: &Db,
    ctx: &Ctx,
    f: &AuditFilter,
    limit: i64,
) -> DomainResult<(Vec<AuditRow>, bool)> {
    if !allowed(ctx, Actor::may_read_audit_log) {
        return Err(deny_page(db, ctx, "audit_log").await);
    }
    list(db.pool(), f, limit).await
}

/// The rows for an export of the audit log (at most `limit`); the export itself is audited.
pub async fn export_audit_log(
    db: &Db,
    ctx: &Ctx,
    f: &AuditFilter,
    limit: i64,
) -> DomainResult<Vec<AuditRow>> {
    if !allowed(ctx, Actor::may_read_audit_log) {
        return Err(deny_page(db, ctx, "audit_log_export").await);
    }
    let (rows, _) = list(db.pool(), f, limit).await?;
    record_view(
        db,
        ctx,
        AuditAction::AuditLogExported,
        None,
        json!({
            "rows": rows.len(),
            "login": f.login,
            "action": f.action.map(|a| a.as_str()),
            "from": f.from,
            "until": f.until,
        }),
    )
    .await?;
    Ok(rows)
}

// ---------------------------------------------------------------- home page counts

/// What the auditor's home page counts: refusals in the last week, failed and
/// locked sign-ins in the last day.
pub struct SecurityCounts {
    pub denied: i64,
    pub failed: i64,
    pub locked: i64,
}

pub async fn security_counts(db: &Db, ctx: &Ctx) -> DomainResult<SecurityCounts> {
    if !ctx
        .actor()
        .is_some_and(|a| a.has(domain::role::Permission::ReadAuditLog))
    {
        return Err(deny_page(db, ctx, "security_counts").await);
    }
    let week_ago = ctx.now - 7 * 24 * 3600;
    let day_ago = ctx.now - 24 * 3600;
    Ok(SecurityCounts {
        denied: count_since(db.pool(), AuditAction::PermissionDenied, week_ago).await?,
        failed: count_since(db.pool(), AuditAction::SignInFailed, day_ago).await?,
        locked: count_since(db.pool(), AuditAction::SignInLocked, day_ago).await?,
    })
}
