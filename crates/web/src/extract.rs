//! Extractors whose refusals are pages, not plain text.
//!
//! Security role: an address with a malformed id (`/cases/abc`) is answered
//! with the ordinary "not found" page and leaves an audit row, like any other
//! probe for what is not there.

use crate::context::ReqCtx;
use crate::state::AppState;
use crate::{context, views};
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

/// The parameters of the route's path, like `axum::extract::Path`.
pub struct Path<T>(pub T);

impl<T> FromRequestParts<AppState> for Path<T>
where
    T: DeserializeOwned + Send,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(_) => {
                let Some(ctx) = parts.extensions.get::<ReqCtx>().cloned() else {
                    return Err(StatusCode::NOT_FOUND.into_response());
                };
                context::record(state, &ctx, "malformed_path").await;
                let tr = crate::i18n::Tr::new(state.i18n.clone(), ctx.lang);
                Err(views::message_page(
                    state,
                    &ctx,
                    StatusCode::NOT_FOUND,
                    &tr.t("err-404-title"),
                    &tr.t("err-404-malformed-body"),
                ))
            }
        }
    }
}
