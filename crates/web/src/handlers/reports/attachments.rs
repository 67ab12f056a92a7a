//! A report's attachments: adding one (a multipart upload; a refused file
//! comes back on the report page), downloading and removing it.

use super::report::{Typed, report_page};
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
use store::plans;

pub async fn add_attachment(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> AppResult {
    let limits = Limits {
        file_bytes: domain::reporting::MAX_ATTACHMENT_BYTES,
    };
    let upload = read_multipart(multipart, limits).await?;
    if upload.too_big {
        let mut e = FieldErrors::new();
        e.add("file", "err-file-too-big");
        return report_page(&state, &s, id, Typed::default(), e, false, "").await;
    }
    let (name, bytes) = upload.file_or_empty();
    form::submit(
        &s,
        &format!("/reports/{id}?done=attached"),
        async |ctx| {
            plans::add_attachment(&state.db, &ctx, id, name, bytes)
                .await
                .map(|_| ())
        },
        async |again| report_page(&state, &s, id, Typed::default(), again.invalid()?, false, "").await,
    )
    .await
}

pub async fn download_attachment(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, aid)): Path<(i64, i64)>,
) -> AppResult {
    let (row, bytes) = plans::download_attachment(&state.db, &s.ctx.store_ctx(), id, aid).await?;
    // The stored name may hold any letters; the header carries an ASCII fallback and the UTF-8 name.
    let ext = row
        .file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let ascii = format!("attachment-{aid}.{ext}");
    let disposition = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        urlencoding::encode(&row.file_name)
    );
    Ok((
        [
            (header::CONTENT_TYPE, row.content_type.clone()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        Body::from(bytes),
    )
        .into_response())
}

pub async fn remove_attachment(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, aid)): Path<(i64, i64)>,
) -> AppResult {
    form::submit(
        &s,
        &format!("/reports/{id}?done=removed"),
        async |ctx| plans::remove_attachment(&state.db, &ctx, id, aid).await,
        async |again| report_page(&state, &s, id, Typed::default(), again.invalid()?, false, "").await,
    )
    .await
}
