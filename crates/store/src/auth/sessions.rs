//! Server-side sessions.
//!
//! Security role: the cookie carries a random 256-bit token; the database keeps
//! only its SHA-256, so a copy of the database does not let anyone sign in.
//! Sessions end after an idle timeout and an absolute lifetime, on sign-out,
//! on "sign out everywhere", on a password change and when a user is disabled.

use crate::codes::OptCode;
use crate::error::OrInternal;
use domain::policy::Actor;
use domain::role::{Role, RoleSet};
use domain::territory::TerritoryPath;
use domain::{DomainError, DomainResult};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::{Any, Executor, FromRow};

/// A fresh random token, hex-encoded.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub idle_secs: i64,
    pub absolute_secs: i64,
}

/// The signed-in person behind a valid session.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub id_hash: String,
    pub csrf_token: String,
    pub actor: Actor,
    pub login: String,
    pub full_name: String,
    pub org_name: String,
    pub must_change_password: bool,
}

#[derive(FromRow)]
struct Row {
    id_hash: String,
    csrf_token: String,
    created_at: i64,
    last_seen_at: i64,
    user_id: i64,
    login: String,
    full_name: String,
    must_change_password: i64,
    disabled: i64,
    org_id: i64,
    org_name: String,
    territory_path: String,
    #[sqlx(try_from = "OptCode<Role>")]
    role: Option<Role>,
}

/// Creates a session and returns the token for the cookie.
pub async fn create(
    tx: &mut crate::Tx,
    user_id: i64,
    ip: Option<&str>,
    now: i64,
) -> DomainResult<(String, String)> {
    let token = random_token();
    let csrf = random_token();
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, ip) VALUES ($1, $2, $3, $4, $4, $5)",
    )
    .bind(hash_token(&token))
    .bind(user_id)
    .bind(csrf.clone())
    .bind(now)
    .bind(ip)
    .execute(&mut **tx)
    .await
    .or_internal()?;
    Ok((token, csrf))
}

/// Looks up the session for a cookie token; expired sessions are removed and give `None`.
/// `last_seen_at` is refreshed at most once a minute to spare the database a write per page.
pub async fn lookup(db: &crate::Db, token: &str, now: i64, t: Timeouts) -> DomainResult<Option<SessionUser>> {
    let id_hash = hash_token(token);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT s.id_hash, s.csrf_token, s.created_at, s.last_seen_at, u.id AS user_id, u.login, u.full_name, \
         u.must_change_password, u.disabled, o.id AS org_id, o.name AS org_name, o.territory_path, r.role \
         FROM sessions s JOIN users u ON u.id = s.user_id JOIN organisations o ON o.id = u.org_id \
         LEFT JOIN user_roles r ON r.user_id = u.id WHERE s.id_hash = $1",
    )
    .bind(&id_hash)
    .fetch_all(db.pool())
    .await
    .or_internal()?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let expired = now - first.last_seen_at > t.idle_secs || now - first.created_at > t.absolute_secs;
    if expired || first.disabled != 0 {
        delete(db.pool(), &id_hash).await?;
        return Ok(None);
    }
    if now - first.last_seen_at >= 60 {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(now)
            .bind(&id_hash)
            .execute(db.pool())
            .await
            .or_internal()?;
    }
    // A user without roles is one row with no role (the LEFT JOIN).
    let roles = RoleSet::from_stored(rows.iter().filter_map(|r| r.role));
    let territory =
        TerritoryPath::parse(&first.territory_path).ok_or_else(|| DomainError::Internal("path".into()))?;
    Ok(Some(SessionUser {
        id_hash: first.id_hash.clone(),
        csrf_token: first.csrf_token.clone(),
        actor: Actor {
            user_id: first.user_id,
            org_id: first.org_id,
            territory,
            roles,
        },
        login: first.login.clone(),
        full_name: first.full_name.clone(),
        org_name: first.org_name.clone(),
        must_change_password: first.must_change_password != 0,
    }))
}

pub async fn delete<'e, E: Executor<'e, Database = Any>>(exec: E, id_hash: &str) -> DomainResult<()> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(exec)
        .await
        .or_internal()?;
    Ok(())
}

/// Ends every session of a user; returns how many there were.
pub async fn delete_all_for_user<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    user_id: i64,
) -> DomainResult<u64> {
    let r = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(exec)
        .await
        .or_internal()?;
    Ok(r.rows_affected())
}

/// Ends every session of a user except one (after a password change on that one).
pub async fn delete_others<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    user_id: i64,
    keep: &str,
) -> DomainResult<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
        .bind(user_id)
        .bind(keep)
        .execute(exec)
        .await
        .or_internal()?;
    Ok(())
}

/// Removes sessions past either timeout (run periodically).
pub async fn purge_expired(db: &crate::Db, now: i64, t: Timeouts) -> DomainResult<u64> {
    let r = sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
        .bind(now - t.idle_secs)
        .bind(now - t.absolute_secs)
        .execute(db.pool())
        .await
        .or_internal()?;
    Ok(r.rows_affected())
}
