//! Signing in and out.
//!
//! Security role: failed attempts are counted per login and per IP address in
//! the database (so limits hold across restarts and instances); past the limit
//! every attempt is refused without checking the password, until the window
//! has passed. Every attempt, failed or not, leaves an audit row.
//!
//! The count is atomic: an attempt is first recorded as a failure in a
//! transaction that holds the table's write lock while it counts, and only
//! then is the password checked (a success removes the login's failures). So
//! forty parallel wrong passwords record exactly the limit, never more.

use crate::error::OrInternal;
pub mod password;
pub mod sessions;

use crate::users::rows as users;
use crate::{Backend, Ctx, Db, Tx, audit};
use domain::audit::{AuditAction, SubjectKind};
use domain::user::normalise_login;
use domain::{DomainError, DomainResult};
use serde_json::json;

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Failures per login within the window before the login is locked.
    pub per_login: i64,
    /// Failures per IP address within the window before the address is locked.
    pub per_ip: i64,
    pub window_secs: i64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            per_login: 5,
            per_ip: 50,
            window_secs: 15 * 60,
        }
    }
}

#[derive(Debug)]
pub enum SignInOutcome {
    SignedIn {
        user_id: i64,
        token: String,
    },
    /// Wrong login or password, or a disabled account (indistinguishable to the caller).
    Invalid,
    Locked {
        retry_after_secs: i64,
    },
}

/// How many failures (and the oldest of them) for a key within the window.
async fn failures(tx: &mut Tx, column: &str, key: &str, since: i64) -> DomainResult<(i64, Option<i64>)> {
    // `column` is one of two constants below, never user input.
    sqlx::query_as(&format!(
        "SELECT COUNT(*), MIN(at) FROM sign_in_failures WHERE {column} = $1 AND at > $2"
    ))
    .bind(key)
    .bind(since)
    .fetch_one(&mut **tx)
    .await
    .or_internal()
}

/// What a sign-in attempt is counted and recorded under: the login of an
/// existing account, or — for anything else, which may be a password typed
/// into the wrong field — a short hash of it, so it never reaches the audit log.
async fn attempt_key(db: &Db, login_raw: &str) -> DomainResult<(String, Option<(i64, String, i64)>)> {
    if let Some(login) = normalise_login(login_raw)
        && let Some(creds) = users::credentials(db.pool(), &login).await?
    {
        return Ok((login, Some(creds)));
    }
    let digest = crate::auth::sessions::hash_token(&login_raw.trim().to_lowercase());
    Ok((format!("unknown:{}", &digest[..12]), None))
}

pub async fn sign_in(
    db: &Db,
    ctx: &Ctx,
    login_raw: &str,
    password_raw: String,
    limits: Limits,
) -> DomainResult<SignInOutcome> {
    let (login, creds) = attempt_key(db, login_raw).await?;
    let ip = ctx.ip.clone().unwrap_or_default();
    let since = ctx.now - limits.window_secs;

    // Count and reserve in one transaction that holds the write lock (SQLite
    // takes it at BEGIN IMMEDIATE; PostgreSQL by locking the table), so two
    // attempts never both read a count below the limit.
    let mut tx = db.begin().await.or_internal()?;
    if db.backend() == Backend::Postgres {
        sqlx::query("LOCK TABLE sign_in_failures IN SHARE ROW EXCLUSIVE MODE")
            .execute(&mut *tx)
            .await
            .or_internal()?;
    }
    let (by_login, oldest_login) = failures(&mut tx, "login", &login, since).await?;
    let (by_ip, oldest_ip) = failures(&mut tx, "ip", &ip, since).await?;
    let locked_until = [
        (by_login >= limits.per_login).then_some(oldest_login).flatten(),
        (by_ip >= limits.per_ip).then_some(oldest_ip).flatten(),
    ]
    .into_iter()
    .flatten()
    .map(|oldest| oldest + limits.window_secs)
    .max();
    if let Some(until) = locked_until {
        audit::record(
            &mut *tx,
            ctx,
            AuditAction::SignInLocked,
            Some((SubjectKind::Login, login.clone())),
            json!({ "failures_for_login": by_login, "failures_for_ip": by_ip }),
        )
        .await?;
        tx.commit().await.or_internal()?;
        return Ok(SignInOutcome::Locked {
            retry_after_secs: (until - ctx.now).max(1),
        });
    }
    let (attempt_id,): (i64,) =
        sqlx::query_as("INSERT INTO sign_in_failures (login, ip, at) VALUES ($1, $2, $3) RETURNING id")
            .bind(&login)
            .bind(&ip)
            .bind(ctx.now)
            .fetch_one(&mut *tx)
            .await
            .or_internal()?;
    tx.commit().await.or_internal()?;

    let stored = creds.as_ref().map(|(_, h, _)| h.clone());
    let ok = match password::verify(password_raw, stored).await {
        Ok(ok) => ok,
        Err(e) => {
            // Too busy to check: this attempt was not tried, so it does not count.
            sqlx::query("DELETE FROM sign_in_failures WHERE id = $1")
                .bind(attempt_id)
                .execute(db.pool())
                .await
                .or_internal()?;
            return Err(e);
        }
    };
    let mut tx = db.begin().await.or_internal()?;
    match creds {
        Some((user_id, _, 0)) if ok => {
            let (token, _csrf) = sessions::create(&mut tx, user_id, ctx.ip.as_deref(), ctx.now).await?;
            sqlx::query("DELETE FROM sign_in_failures WHERE login = $1")
                .bind(&login)
                .execute(&mut *tx)
                .await
                .or_internal()?;
            sqlx::query("UPDATE users SET last_sign_in_at = $1 WHERE id = $2")
                .bind(ctx.now)
                .bind(user_id)
                .execute(&mut *tx)
                .await
                .or_internal()?;
            let org_id: (i64,) = sqlx::query_as("SELECT org_id FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_one(&mut *tx)
                .await
                .or_internal()?;
            audit::record_for_user(
                &mut *tx,
                ctx,
                (user_id, org_id.0),
                AuditAction::SignIn,
                Some((SubjectKind::User, user_id.to_string())),
                json!({}),
            )
            .await?;
            tx.commit().await.or_internal()?;
            Ok(SignInOutcome::SignedIn { user_id, token })
        }
        other => {
            // The failure was recorded when the attempt was reserved.
            let reason = match other {
                None => "unknown_login",
                Some((_, _, 1..)) => "disabled",
                Some(_) => "wrong_password",
            };
            audit::record(
                &mut *tx,
                ctx,
                AuditAction::SignInFailed,
                Some((SubjectKind::Login, login.clone())),
                json!({ "reason": reason }),
            )
            .await?;
            tx.commit().await.or_internal()?;
            Ok(SignInOutcome::Invalid)
        }
    }
}

/// Ends the current session.
pub async fn sign_out(db: &Db, ctx: &Ctx, id_hash: &str) -> DomainResult<()> {
    let actor = ctx.actor().ok_or(DomainError::Forbidden)?;
    let mut tx = db.begin().await.or_internal()?;
    sessions::delete(&mut *tx, id_hash).await?;
    audit::record(
        &mut *tx,
        ctx,
        AuditAction::SignOut,
        Some((SubjectKind::User, actor.user_id.to_string())),
        json!({}),
    )
    .await?;
    tx.commit().await.or_internal()
}

/// Ends every session of the signed-in user, on every device.
pub async fn sign_out_everywhere(db: &Db, ctx: &Ctx) -> DomainResult<u64> {
    let actor = ctx.actor().ok_or(DomainError::Forbidden)?;
    let mut tx = db.begin().await.or_internal()?;
    let n = sessions::delete_all_for_user(&mut *tx, actor.user_id).await?;
    audit::record(
        &mut *tx,
        ctx,
        AuditAction::SignOutEverywhere,
        Some((SubjectKind::User, actor.user_id.to_string())),
        json!({ "sessions": n }),
    )
    .await?;
    tx.commit().await.or_internal()?;
    Ok(n)
}

/// Changes one's own password after checking the current one; other sessions end.
pub async fn change_own_password(
    db: &Db,
    ctx: &Ctx,
    session_hash: &str,
    current: String,
    new: String,
) -> DomainResult<()> {
    let actor = ctx.actor().ok_or(DomainError::Forbidden)?;
    let user = users::get(db.pool(), actor.user_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let mut errors = domain::FieldErrors::new();
    if let Err(m) = domain::user::check_password(&new, &user.login) {
        errors.add("new_password", m);
    }
    let stored = users::password_hash(db.pool(), actor.user_id).await?;
    if !password::verify(current, Some(stored)).await? {
        errors.add("current_password", "err-password-current");
    }
    if !errors.is_empty() {
        return Err(DomainError::Validation(errors));
    }
    let hash = password::hash(new).await?;
    let mut tx = db.begin().await.or_internal()?;
    users::set_password(&mut tx, actor.user_id, &hash, false, ctx.now).await?;
    sessions::delete_others(&mut *tx, actor.user_id, session_hash).await?;
    audit::record(
        &mut *tx,
        ctx,
        AuditAction::PasswordChanged,
        Some((SubjectKind::User, actor.user_id.to_string())),
        json!({}),
    )
    .await?;
    tx.commit().await.or_internal()
}
