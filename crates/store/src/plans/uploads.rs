//! Plan files waiting for their unknown executors to be mapped.
//!
//! Security role: an upload belongs to the person who sent it; every read and
//! deletion is by id *and* user id, so nobody reaches another person's file by
//! guessing its number. Uploads older than [`MAX_AGE_SECS`] are removed.

use crate::Db;
use crate::error::OrInternal;
use domain::DomainResult;

/// How long an upload waits for its mapping.
pub const MAX_AGE_SECS: i64 = 24 * 3600;

/// One stored upload: the file's name as sent, and its bytes.
#[derive(Debug, Clone)]
pub struct PlanUpload {
    pub id: i64,
    pub file_name: String,
    pub content: Vec<u8>,
    pub created_at: i64,
}

/// Stores a file for `user_id`, first removing uploads older than a day.
pub async fn insert(db: &Db, user_id: i64, file_name: &str, content: &[u8], now: i64) -> DomainResult<i64> {
    purge_older_than(db, now - MAX_AGE_SECS).await?;
    sqlx::query_scalar(
        "INSERT INTO plan_uploads (user_id, file_name, content, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(user_id)
    .bind(file_name)
    .bind(content.to_vec())
    .bind(now)
    .fetch_one(db.pool())
    .await
    .or_internal()
}

/// The upload `id` of `user_id`, if it is there and not older than a day.
pub async fn get(db: &Db, id: i64, user_id: i64, now: i64) -> DomainResult<Option<PlanUpload>> {
    let found: Option<(i64, String, Vec<u8>, i64)> = sqlx::query_as(
        "SELECT id, file_name, content, created_at FROM plan_uploads WHERE id = $1 AND user_id = $2 AND created_at > $3",
    )
    .bind(id)
    .bind(user_id)
    .bind(now - MAX_AGE_SECS)
    .fetch_optional(db.pool())
    .await
    .or_internal()?;
    Ok(found.map(|(id, file_name, content, created_at)| PlanUpload {
        id,
        file_name,
        content,
        created_at,
    }))
}

/// Removes the upload `id` of `user_id`; true if there was one.
pub async fn delete(db: &Db, id: i64, user_id: i64) -> DomainResult<bool> {
    let done = sqlx::query("DELETE FROM plan_uploads WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .execute(db.pool())
        .await
        .or_internal()?;
    Ok(done.rows_affected() > 0)
}

/// Removes every upload created before `cutoff` (unix seconds); returns how many.
pub async fn purge_older_than(db: &Db, cutoff: i64) -> DomainResult<u64> {
    let done = sqlx::query("DELETE FROM plan_uploads WHERE created_at < $1")
        .bind(cutoff)
        .execute(db.pool())
        .await
        .or_internal()?;
    Ok(done.rows_affected())
}
