//! A case's documents: adding one (a multipart upload; a refused file comes
//! back on the case page) and downloading it.

use super::page::case_page;
use crate::context::SignedIn;
use crate::error::AppResult;
use crate::extract::Path;
use crate::form;
use crate::state::AppState;
use crate::upload::{Limits, read_multipart};
use axum::body::Body;
use axum::extract::{Multipart, State};
use axum::http::header;
use axum::response::IntoResponse;
use domain::FieldErrors;
use store::cases;

pub async fn add_document(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> AppResult {
    let limits = Limits {
        file_bytes: domain::reporting::MAX_ATTACHMENT_BYTES,
    };
    let upload = read_multipart(multipart, limits).await?;
    let kind = upload.field("kind").to_string();
    if upload.too_big {
        let mut e = FieldErrors::new();
        e.add("file", "err-file-too-big");
        return case_page(&state, &s, id, "", e, kind).await;
    }
    let (name, bytes) = upload.file_or_empty();
    form::submit(
        &s,
        &format!("/cases/{id}?done=document"),
        async |ctx| {
            cases::add_document(&state.db, &ctx, id, &kind, name, bytes)
                .await
                .map(|_| ())
        },
        async |again| case_page(&state, &s, id, "", again.invalid()?, kind.clone()).await,
    )
    .await
}

pub async fn download_document(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, doc_id)): Path<(i64, i64)>,
) -> AppResult {
    let (file_name, content_type, bytes) = cases::document(&state.db, &s.ctx.store_ctx(), id, doc_id).await?;
    // An ASCII fallback name, and the stored name (any letters) for browsers that read filename*.
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .filter(|e| e.chars().all(|c| c.is_ascii_alphanumeric()))
        .unwrap_or_default();
    let disposition = format!(
        "attachment; filename=\"document-{doc_id}.{ext}\"; filename*=UTF-8''{}",
        urlencoding::encode(&file_name)
    );
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        Body::from(bytes),
    )
        .into_response())
}
