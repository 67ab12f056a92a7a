//! The skeleton every permission-checked operation shares: whether the acting
//! principal is allowed, and the audited refusal when it is not.
//!
//! Security role: each function takes the acting person's context, asks
//! `domain::policy` whether the action is allowed *for this record*, and either
//! does it — writing the audit row in the same transaction — or records a
//! `permission_denied` audit row and answers `NotFound`, so that nobody learns
//! whether a record they may not see exists.
//!
//! The command line acts as `Principal::System` (`Ctx::system`, behind the
//! crate's `system` feature, which the web crate cannot enable); an anonymous
//! visitor (`Principal::Public`) is refused every operation here.

use crate::audit::trail as audit;
use crate::{Ctx, Db, Principal};
use domain::DomainError;
use domain::DomainResult;
use domain::audit::{AuditAction, SubjectKind};
use domain::policy::Actor;
use serde_json::json;

/// Whether the acting principal may do what `check` asks of a person: a
/// signed-in person when `check` says so, the system always, an anonymous
/// visitor never.
pub(crate) fn allowed(ctx: &Ctx, check: impl FnOnce(&Actor) -> bool) -> bool {
    match &ctx.principal {
        Principal::User(a) => check(a),
        Principal::System(_) => true,
        Principal::Public => false,
    }
}

/// Records that the actor was refused `what` on `subject`, and answers `NotFound`.
pub async fn deny(db: &Db, ctx: &Ctx, what: &str, subject: Option<(SubjectKind, String)>) -> DomainError {
    let result = audit::record_view(
        db,
        ctx,
        AuditAction::PermissionDenied,
        subject,
        json!({ "attempted": what }),
    )
    .await;
    match result {
        Ok(()) => DomainError::NotFound,
        Err(e) => e,
    }
}

/// Like [`deny`] but for whole pages a role may not open: answers `Forbidden`.
pub async fn deny_page(db: &Db, ctx: &Ctx, page: &str) -> DomainError {
    match deny(db, ctx, page, Some((SubjectKind::Page, page.to_string()))).await {
        DomainError::NotFound => DomainError::Forbidden,
        e => e,
    }
}

/// Records a request the web edge refused before any handler ran (`reason`
/// is a short constant such as `csrf`, `malformed_path` or `nul_byte`;
/// `path` is the address without its query, which never carries personal data).
pub async fn record_refusal(db: &Db, ctx: &Ctx, reason: &'static str, path: &str) -> DomainResult<()> {
    audit::record_view(
        db,
        ctx,
        AuditAction::RequestRefused,
        Some((SubjectKind::Page, path.chars().take(200).collect())),
        json!({ "reason": reason }),
    )
    .await
}
