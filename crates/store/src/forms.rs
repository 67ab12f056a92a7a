//! Idempotency tokens of the forms that create records.
//!
//! A page that shows a creating form gives it a random token ([`new_token`]).
//! The web layer passes the submitted token down in [`Ctx::form`], with the
//! page the answer will redirect to; the operation that creates the record
//! claims the token in the same transaction as the record and its audit row:
//! [`begin`] opens the transaction and claims the token first, the operation
//! writes its rows and its audit row, and [`commit`] notes the new record's id
//! in the result location and commits. A second claim of the same token fails
//! on the table's primary key, so the transaction that would write the record
//! twice is rolled back and answers
//! [`DomainError::Conflict`]`(`[`RESUBMITTED`]`)`; the web layer then sends the
//! person to the first submission's page ([`previous`]).
//!
//! Security role: a token is honoured only for the user who claimed it, and a
//! result location is one of the application's own paths (the web layer makes
//! it). Tokens hold nothing personal and are purged after a day ([`purge`]).

use crate::error::{OrInternal, internal, is_unique_violation};
use crate::{Ctx, Db, Tx};
use domain::{DomainError, DomainResult};
use rand::RngCore;
use std::fmt::Display;

/// What a repeated submission answers: the token was claimed before.
pub const RESUBMITTED: &str = "form_resubmitted";

/// How long a claimed token is remembered.
pub const KEEP_SECONDS: i64 = 24 * 3600;

/// The placeholder of a result location that the created record's id replaces.
pub const ID: &str = "{id}";

/// A fresh token: 32 hex characters (128 random bits).
pub fn new_token() -> String {
    let mut b = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

/// True for what [`new_token`] makes; anything else is not a token.
pub fn well_formed(token: &str) -> bool {
    token.len() == 32 && token.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A submitted form's token and the page its answer leads to; `{id}` in the
/// location stands for the id of the record the operation creates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    pub token: String,
    pub location: String,
}

impl Submission {
    /// The result location with `{id}` replaced.
    pub fn location_of(&self, id: impl Display) -> String {
        fill(&self.location, id)
    }
}

/// `location` with `{id}` replaced by `id`.
pub fn fill(location: &str, id: impl Display) -> String {
    if location.contains(ID) {
        location.replace(ID, &id.to_string())
    } else {
        location.to_string()
    }
}

/// The start of every creating operation: begins the transaction and claims
/// the context's form token in it ([`claim`]), before anything is written.
pub async fn begin(db: &Db, ctx: &Ctx) -> DomainResult<Tx> {
    let mut tx = db.begin().await.or_internal()?;
    claim(&mut tx, ctx).await?;
    Ok(tx)
}

/// Claims the context's form token inside `tx`, first thing, so that a second
/// submission waits for the first (PostgreSQL waits on the key, SQLite on the
/// write lock) and then fails before it writes anything. Without a token (the
/// command line, the demo data, a client that sends none) or a signed-in
/// person it does nothing. A token claimed before answers `Conflict(RESUBMITTED)`:
/// the caller returns the error and the transaction is rolled back.
pub async fn claim(tx: &mut Tx, ctx: &Ctx) -> DomainResult<()> {
    let Some((form, user_id)) = claimable(ctx) else {
        return Ok(());
    };
    let result = sqlx::query(
        "INSERT INTO form_submissions (token, user_id, result_location, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(&form.token)
    .bind(user_id)
    .bind(&form.location)
    .bind(ctx.now)
    .execute(&mut **tx)
    .await;
    match result {
        Ok(_) => Ok(()),
        Err(e) if is_unique_violation(&e) => Err(DomainError::Conflict(RESUBMITTED)),
        Err(e) => Err(internal(e)),
    }
}

/// The end of every creating operation: writes the id of the record created
/// into the claimed token's result location, then commits the record, its
/// audit row and the claim together.
pub async fn commit(mut tx: Tx, ctx: &Ctx, id: impl Display) -> DomainResult<()> {
    if let Some((form, _)) = claimable(ctx)
        && form.location.contains(ID)
    {
        sqlx::query("UPDATE form_submissions SET result_location = $1 WHERE token = $2")
            .bind(form.location_of(id))
            .bind(&form.token)
            .execute(&mut *tx)
            .await
            .or_internal()?;
    }
    tx.commit().await.or_internal()
}

fn claimable(ctx: &Ctx) -> Option<(&Submission, i64)> {
    let form = ctx.form.as_ref().filter(|f| well_formed(&f.token))?;
    Some((form, ctx.actor()?.user_id))
}

/// Where the first submission of `token` by `user_id` was sent, if it was.
pub async fn previous(db: &Db, token: &str, user_id: i64) -> DomainResult<Option<String>> {
    if !well_formed(token) {
        return Ok(None);
    }
    let row: Option<(String,)> =
        sqlx::query_as("SELECT result_location FROM form_submissions WHERE token = $1 AND user_id = $2")
            .bind(token)
            .bind(user_id)
            .fetch_optional(db.pool())
            .await
            .or_internal()?;
    Ok(row.map(|(l,)| l))
}

/// Forgets the tokens claimed before `now - KEEP_SECONDS`.
pub async fn purge(db: &Db, now: i64) -> DomainResult<u64> {
    let r = sqlx::query("DELETE FROM form_submissions WHERE created_at < $1")
        .bind(now - KEEP_SECONDS)
        .execute(db.pool())
        .await
        .or_internal()?;
    Ok(r.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_32_hex_characters() {
        let t = new_token();
        assert!(well_formed(&t), "{t}");
        assert_ne!(t, new_token());
        assert!(!well_formed(""));
        assert!(!well_formed(&"A".repeat(32)));
        assert!(!well_formed(&"a".repeat(31)));
        assert!(!well_formed(&format!("{}'", "a".repeat(31))));
    }

    #[test]
    fn locations_take_the_id() {
        assert_eq!(fill("/cases/{id}?done=referred", 7), "/cases/7?done=referred");
        assert_eq!(
            fill("/settings/rulebook?done=created", 7),
            "/settings/rulebook?done=created"
        );
    }
}
