//! The one error of the web edge: what a handler answers when it cannot do
//! what was asked.
//!
//! Handlers return [`AppResult`] and write `?` on `DomainResult` values. An
//! [`AppError`] names the page to show — its status and Fluent message ids —
//! and becomes a response that carries that name; the context middleware
//! (`context::context_middleware`), which knows the request's language,
//! session and id, renders it there as the translated error page with the
//! request id ([`finish`]). A page never shows internals.
//!
//! Security role: an internal failure is logged once, here, with its cause —
//! `DomainError::Internal` holds a code such as `storage`, never personal
//! data — inside the request span that carries the request id. A refusal that
//! must be audited (a NUL byte in an upload's field) is recorded by the
//! middleware when it renders the page. A repeated form submission
//! (`store::forms::RESUBMITTED`) is answered with a redirect to where the first
//! one led, for the person who made it only.

use crate::context::ReqCtx;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::views;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::DomainError;

/// What a handler answers: a page (or a redirect), or the error page to show.
pub type AppResult<T = Response> = Result<T, AppError>;

/// An error page to show, in the request's context.
#[derive(Debug, Clone)]
pub struct AppError {
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    /// A message page: its status, the ids of its title and body, and an
    /// argument of the body (`$field`, for instance).
    Page {
        status: StatusCode,
        title: &'static str,
        body: &'static str,
        arg: Option<(&'static str, String)>,
        /// The reason of an audited refusal, recorded when the page is shown.
        refused: Option<&'static str>,
    },
    /// A form sent again with a token already claimed: off to the first answer.
    Resubmitted,
}

impl AppError {
    /// A message page with its own status, title and body.
    pub fn page(status: StatusCode, title: &'static str, body: &'static str) -> Self {
        Self {
            kind: Kind::Page {
                status,
                title,
                body,
                arg: None,
                refused: None,
            },
        }
    }

    /// "Someone changed this first": the 409 page with a body of its own.
    pub fn conflict(body: &'static str) -> Self {
        Self::page(StatusCode::CONFLICT, "err-409-title", body)
    }

    /// The 404 page.
    pub fn not_found() -> Self {
        DomainError::NotFound.into()
    }

    /// An internal failure outside the store (a document that could not be
    /// built, a blocking task that died); `code` is logged, never shown.
    pub fn internal(code: &'static str) -> Self {
        DomainError::Internal(code.into()).into()
    }

    /// An internal failure with its cause (a library's error, never personal
    /// data): logged once, here, with both; the page shows neither.
    pub fn failed(code: &'static str, cause: impl std::fmt::Display) -> Self {
        tracing::error!(code, cause = %cause, "request failed");
        let (status, title, body) = page_of(&DomainError::Internal(String::new()));
        Self::page(status, title, body)
    }

    /// A text field holding a NUL character, which nothing may store: the 422
    /// page naming the field, and an audited refusal (`nul_byte`), as the
    /// context middleware answers for forms.
    pub fn nul_byte(field: &str) -> Self {
        Self {
            kind: Kind::Page {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                title: "err-nul-title",
                body: "err-nul-body",
                arg: Some(("field", field.chars().filter(|c| *c != '\0').take(60).collect())),
                refused: Some("nul_byte"),
            },
        }
    }

    /// The status of the page this error shows (a redirect for a repeated form).
    pub fn status(&self) -> StatusCode {
        match &self.kind {
            Kind::Page { status, .. } => *status,
            Kind::Resubmitted => StatusCode::SEE_OTHER,
        }
    }
}

/// The page of each domain error.
pub fn page_of(e: &DomainError) -> (StatusCode, &'static str, &'static str) {
    match e {
        DomainError::NotFound => (StatusCode::NOT_FOUND, "err-404-title", "err-404-body"),
        DomainError::Forbidden => (StatusCode::FORBIDDEN, "err-403-title", "err-403-body"),
        DomainError::Validation(_) => (StatusCode::BAD_REQUEST, "err-400-title", "err-400-body"),
        DomainError::Conflict(_) => (StatusCode::CONFLICT, "err-409-title", "err-409-body"),
        DomainError::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, "err-429-title", "err-429-body"),
        DomainError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "err-500-title", "err-500-body"),
    }
}

impl From<DomainError> for AppError {
    fn from(e: DomainError) -> Self {
        match &e {
            DomainError::Conflict(what) if *what == store::forms::RESUBMITTED => {
                return Self {
                    kind: Kind::Resubmitted,
                };
            }
            DomainError::Internal(cause) => {
                // The one log line of a failed request; the span adds the request id.
                tracing::error!(cause = %cause, "request failed");
            }
            DomainError::Conflict(what) => tracing::debug!(conflict = what, "refused as a conflict"),
            _ => {}
        }
        let (status, title, body) = page_of(&e);
        Self::page(status, title, body)
    }
}

/// The marker an error response carries until the middleware renders it.
#[derive(Clone)]
struct Pending(AppError);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        // The status is right even if nothing renders the page (a route outside
        // the context middleware); the body then is the bare status.
        let mut r = self.status().into_response();
        r.extensions_mut().insert(Pending(self));
        r
    }
}

/// Renders the page of an error a handler answered, in the request's context;
/// any other response passes as it is.
pub async fn finish(state: &AppState, ctx: &ReqCtx, resp: Response) -> Response {
    let Some(Pending(e)) = resp.extensions().get::<Pending>().cloned() else {
        return resp;
    };
    match e.kind {
        Kind::Page {
            status,
            title,
            body,
            arg,
            refused,
        } => {
            if let Some(reason) = refused {
                crate::context::record(state, ctx, reason).await;
            }
            let tr = Tr::new(state.i18n.clone(), ctx.lang);
            let body = match arg {
                Some((name, value)) => tr.t1(body, name, value),
                None => tr.t(body),
            };
            views::message_page(state, ctx, status, &tr.t(title), &body)
        }
        Kind::Resubmitted => resubmitted(state, ctx).await,
    }
}

/// Where a repeated submission goes: the first one's result, or (a token this
/// person did not claim) the conflict page.
async fn resubmitted(state: &AppState, ctx: &ReqCtx) -> Response {
    let found = match (&ctx.form_token, &ctx.user) {
        (Some(token), Some(u)) => store::forms::previous(&state.db, token, u.actor.user_id).await,
        _ => Ok(None),
    };
    match found {
        Ok(Some(location)) => Redirect::to(crate::handlers::safe_back(&location)).into_response(),
        Ok(None) => views::error_response(state, ctx, &DomainError::Conflict(store::forms::RESUBMITTED)),
        Err(e) => views::error_response(state, ctx, &e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_names_its_page_and_carries_it_to_the_middleware() {
        let cases = [
            (DomainError::NotFound, StatusCode::NOT_FOUND),
            (DomainError::Forbidden, StatusCode::FORBIDDEN),
            (DomainError::Conflict("stale"), StatusCode::CONFLICT),
            (
                DomainError::RateLimited { retry_after_secs: 5 },
                StatusCode::TOO_MANY_REQUESTS,
            ),
            (
                DomainError::Internal("storage".into()),
                StatusCode::INTERNAL_SERVER_ERROR,
            ),
        ];
        for (e, status) in cases {
            let r = AppError::from(e).into_response();
            assert_eq!(r.status(), status);
            assert!(r.extensions().get::<Pending>().is_some(), "{status}");
        }
        // A repeated form is not an error page: the middleware sends it on.
        let again = AppError::from(DomainError::Conflict(store::forms::RESUBMITTED));
        assert_eq!(again.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            AppError::nul_byte("kind\0").status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
}
