//! The flow of a form that creates or changes a record, once.
//!
//! A submitted form is written through one `store` operation. If it succeeds,
//! the answer is `303 See Other` to the page that shows the result
//! (post/redirect/get: a reload of that page sends nothing again). If what was
//! typed is refused, the form comes back (422) with the values and the
//! messages beside the fields; if someone changed the record first, the
//! handler decides (most show the form again against the current version).
//!
//! Creating forms carry an idempotency token (`form_token`, from
//! [`crate::views::Chrome::form_token`]); [`submit`] hands it to the
//! operation in `store::Ctx::form` together with the result location, and the
//! operation claims it in its transaction (`store::forms`). A second
//! submission of the same token is answered with a redirect to the first
//! one's result — before the handler runs (the context middleware looks the
//! token up) or, when both arrive together, when the claim fails.

use crate::context::SignedIn;
use crate::error::AppResult;
use axum::response::{IntoResponse, Redirect, Response};
use domain::{DomainError, DomainResult, FieldErrors};

/// Why a submitted form comes back.
pub enum Again {
    /// What was typed is refused: the messages per field.
    Invalid(FieldErrors),
    /// Someone changed or took the thing first (`DomainError::Conflict`).
    Stale(&'static str),
}

impl Again {
    /// The field errors; a conflict the form does not handle becomes the 409 page.
    pub fn invalid(self) -> AppResult<FieldErrors> {
        match self {
            Again::Invalid(e) => Ok(e),
            Again::Stale(what) => Err(DomainError::Conflict(what).into()),
        }
    }
}

/// What fills `{id}` of a result location: the id of the record created.
pub trait RecordId {
    fn record_id(&self) -> String;
}

impl RecordId for i64 {
    fn record_id(&self) -> String {
        self.to_string()
    }
}

impl RecordId for i16 {
    fn record_id(&self) -> String {
        self.to_string()
    }
}

impl RecordId for () {
    fn record_id(&self) -> String {
        String::new()
    }
}

/// `303 See Other` to a page of this site.
pub fn see_other(path: &str) -> Response {
    Redirect::to(path).into_response()
}

/// The store context of a submission: the person's, with the form's token and
/// the result location `done` (`{id}` for the id of the record created).
pub fn ctx(s: &SignedIn, done: &str) -> store::Ctx {
    s.ctx.store_ctx().submitting(s.ctx.form_token.as_deref(), done)
}

/// Submits a form: `write` runs the store operation with the context (which
/// carries the form's token and `done`, the result location, where `{id}`
/// stands for the id the operation returns); success answers 303 to `done`,
/// a refusal runs `again` (which shows the form once more); anything else is
/// the error page.
pub async fn submit<T: RecordId>(
    s: &SignedIn,
    done: &str,
    write: impl AsyncFnOnce(store::Ctx) -> DomainResult<T>,
    again: impl AsyncFnOnce(Again) -> AppResult,
) -> AppResult {
    match write(ctx(s, done)).await {
        Ok(v) => Ok(see_other(&store::forms::fill(done, v.record_id()))),
        Err(DomainError::Validation(e)) => again(Again::Invalid(e)).await,
        Err(DomainError::Conflict(what)) if what != store::forms::RESUBMITTED => {
            again(Again::Stale(what)).await
        }
        Err(e) => Err(e.into()),
    }
}
