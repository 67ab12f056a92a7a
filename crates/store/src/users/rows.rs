//! Staff accounts and their roles.

use crate::codes;
use crate::error::{OrInternal, keys, violates};
use domain::role::{Role, RoleSet};
use domain::{DomainError, DomainResult, FieldErrors};
use sqlx::{Any, Executor, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct User {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub org_territory_path: String,
    pub login: String,
    pub full_name: String,
    pub email: Option<String>,
    #[sqlx(try_from = "i64")]
    pub disabled: crate::Flag,
    #[sqlx(try_from = "i64")]
    pub must_change_password: crate::Flag,
    pub created_at: i64,
    pub last_sign_in_at: Option<i64>,
}

const SELECT: &str = "SELECT u.id, u.org_id, o.name AS org_name, o.territory_path AS org_territory_path, u.login, \
    u.full_name, u.email, u.disabled, u.must_change_password, u.created_at, u.last_sign_in_at \
    FROM users u JOIN organisations o ON o.id = u.org_id";

pub async fn get<'e, E: Executor<'e, Database = Any>>(exec: E, id: i64) -> DomainResult<Option<User>> {
    sqlx::query_as(&format!("{SELECT} WHERE u.id = $1"))
        .bind(id)
        .fetch_optional(exec)
        .await
        .or_internal()
}

pub async fn find_by_login<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    login: &str,
) -> DomainResult<Option<User>> {
    sqlx::query_as(&format!("{SELECT} WHERE u.login = $1"))
        .bind(login)
        .fetch_optional(exec)
        .await
        .or_internal()
}

/// The members of one organisation, by name.
pub async fn list_by_org<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    org_id: i64,
    limit: i64,
) -> DomainResult<Vec<User>> {
    sqlx::query_as(&format!(
        "{SELECT} WHERE u.org_id = $1 ORDER BY u.full_name, u.id LIMIT $2"
    ))
    .bind(org_id)
    .bind(limit)
    .fetch_all(exec)
    .await
    .or_internal()
}

pub async fn roles_of<'e, E: Executor<'e, Database = Any>>(exec: E, user_id: i64) -> DomainResult<RoleSet> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT role FROM user_roles WHERE user_id = $1")
        .bind(user_id)
        .fetch_all(exec)
        .await
        .or_internal()?;
    let roles = rows
        .iter()
        .map(|(r,)| codes::decode::<Role>(r))
        .collect::<DomainResult<Vec<Role>>>()?;
    Ok(RoleSet::from_stored(roles))
}

/// Roles of many users at once (one query for a whole list; no N+1).
pub async fn roles_of_many<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    org_id: i64,
) -> DomainResult<Vec<(i64, Role)>> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT r.user_id, r.role FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.org_id = $1",
    )
    .bind(org_id)
    .fetch_all(exec)
    .await
    .or_internal()?;
    rows.into_iter()
        .map(|(id, r)| Ok((id, codes::decode::<Role>(&r)?)))
        .collect()
}

pub struct NewUser<'a> {
    pub org_id: i64,
    pub login: &'a str,
    pub full_name: &'a str,
    pub email: Option<&'a str>,
    pub password_hash: &'a str,
    pub must_change_password: bool,
}

pub async fn insert(tx: &mut crate::Tx, u: &NewUser<'_>, roles: &RoleSet, now: i64) -> DomainResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO users (org_id, login, full_name, email, password_hash, must_change_password, created_at, updated_at, \
         password_changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $7) RETURNING id",
    )
    .bind(u.org_id)
    .bind(u.login)
    .bind(u.full_name)
    .bind(u.email)
    .bind(u.password_hash)
    .bind(crate::flag(u.must_change_password))
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| {
        if violates(&e, &keys::USERS_LOGIN) {
            let mut f = FieldErrors::new();
            f.add("login", "err-login-taken");
            DomainError::Validation(f)
        } else {
            crate::error::internal(e)
        }
    })?;
    set_roles(tx, id, roles).await?;
    Ok(id)
}

pub async fn set_roles(tx: &mut crate::Tx, user_id: i64, roles: &RoleSet) -> DomainResult<()> {
    sqlx::query("DELETE FROM user_roles WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await
        .or_internal()?;
    for r in roles.iter() {
        sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
            .bind(user_id)
            .bind(r.as_str())
            .execute(&mut **tx)
            .await
            .or_internal()?;
    }
    Ok(())
}

pub async fn update_profile(
    tx: &mut crate::Tx,
    user_id: i64,
    full_name: &str,
    email: Option<&str>,
    now: i64,
) -> DomainResult<()> {
    sqlx::query("UPDATE users SET full_name = $1, email = $2, updated_at = $3 WHERE id = $4")
        .bind(full_name)
        .bind(email)
        .bind(now)
        .bind(user_id)
        .execute(&mut **tx)
        .await
        .or_internal()?;
    Ok(())
}

pub async fn set_disabled(tx: &mut crate::Tx, user_id: i64, disabled: bool, now: i64) -> DomainResult<()> {
    sqlx::query("UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3")
        .bind(crate::flag(disabled))
        .bind(now)
        .bind(user_id)
        .execute(&mut **tx)
        .await
        .or_internal()?;
    Ok(())
}

pub async fn set_password(
    tx: &mut crate::Tx,
    user_id: i64,
    hash: &str,
    must_change: bool,
    now: i64,
) -> DomainResult<()> {
    sqlx::query(
        "UPDATE users SET password_hash = $1, must_change_password = $2, password_changed_at = $3, updated_at = $3 WHERE id = $4",
    )
    .bind(hash)
    .bind(crate::flag(must_change))
    .bind(now)
    .bind(user_id)
    .execute(&mut **tx)
    .await
    .or_internal()?;
    Ok(())
}

/// The stored hash and state needed to check a sign-in.
pub async fn credentials<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    login: &str,
) -> DomainResult<Option<(i64, String, i64)>> {
    sqlx::query_as("SELECT id, password_hash, disabled FROM users WHERE login = $1")
        .bind(login)
        .fetch_optional(exec)
        .await
        .or_internal()
}

pub async fn password_hash<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    user_id: i64,
) -> DomainResult<String> {
    let (h,): (String,) = sqlx::query_as("SELECT password_hash FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(exec)
        .await
        .or_internal()?;
    Ok(h)
}

/// Counts for the administrator's home page: (users without any role, disabled users) within a territory.
pub async fn admin_counts<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    within: &domain::territory::TerritoryPath,
) -> DomainResult<(i64, i64)> {
    let (lo, hi) = crate::reference::territories::path_range(within);
    sqlx::query_as(
        "SELECT \
           CAST(COALESCE(SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id) THEN 1 ELSE 0 END), 0) AS BIGINT), \
           CAST(COALESCE(SUM(CASE WHEN u.disabled = 1 THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM users u JOIN organisations o ON o.id = u.org_id WHERE o.territory_path >= $1 AND o.territory_path < $2",
    )
    .bind(lo)
    .bind(hi)
    .fetch_one(exec)
    .await
    .or_internal()
}
