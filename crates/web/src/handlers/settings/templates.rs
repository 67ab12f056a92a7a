//! The DOCX templates of the certificate and the refusal letter: the page,
//! downloading one, replacing it with an upload (checked for its fields) and
//! going back to the default.

use super::DoneQuery;
use crate::context::SignedIn;
use crate::error::{AppError, AppResult};
use crate::extract::Path;
use crate::form::{self, see_other};
use crate::i18n::Tr;
use crate::state::AppState;
use crate::upload::{Limits, read_multipart};
use crate::views::{Chrome, datetime, render};
use askama::Template;
use axum::body::Body;
use axum::extract::{Multipart, Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use documents::cases::{TemplateKind, TemplateProblem};
use domain::DomainError;
use store::settings::{self, MAX_TEMPLATE_BYTES, TemplateError, problem_message};

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// A field a template may hold, as written in it.
pub struct PlaceholderView {
    pub written: String,
    pub required: bool,
}

/// One kind of template on the page.
pub struct TemplateCard {
    pub kind: &'static str,
    pub title: String,
    /// "The default is in use" or what replaced it.
    pub status: String,
    pub replaced: bool,
    pub placeholders: Vec<PlaceholderView>,
    /// Why the last upload for this kind was refused, in words.
    pub error: String,
}

#[derive(Template)]
#[template(path = "settings_templates.html")]
struct TemplatesPage {
    c: Chrome,
    cards: Vec<TemplateCard>,
    flash: String,
}

/// A refused template in words, naming the field at fault.
pub fn template_problem_text(tr: &Tr, p: &TemplateProblem) -> String {
    match problem_message(p) {
        (id, Some(name)) => tr.t1(id, "name", name),
        (id, None) => tr.t(id),
    }
}

/// The templates page; `refused` is the kind whose upload failed and why.
async fn templates_page(
    state: &AppState,
    s: &SignedIn,
    refused: Option<(TemplateKind, String)>,
    flash: String,
) -> AppResult {
    let infos = settings::template_info(&state.db, &s.ctx.store_ctx()).await?;
    let c = Chrome::new(state, &s.ctx);
    let tr = c.tr.clone();
    let status = if refused.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let cards = infos
        .into_iter()
        .map(|info| {
            let kind = info.kind;
            let status = match &info.replaced {
                Some(r) => {
                    let mut args = fluent_bundle::FluentArgs::new();
                    args.set("file", r.file_name.clone());
                    args.set("size", ((r.size + 1023) / 1024).to_string());
                    args.set(
                        "who",
                        r.uploaded_by
                            .clone()
                            .unwrap_or_else(|| tr.t("settings-system-author")),
                    );
                    args.set("when", datetime(r.uploaded_at));
                    tr.args("settings-template-replaced", &args)
                }
                None => tr.t("settings-template-default"),
            };
            TemplateCard {
                kind: kind.as_str(),
                title: tr.t(&format!("settings-template-{}", kind.as_str())),
                status,
                replaced: info.replaced.is_some(),
                placeholders: kind
                    .placeholders()
                    .iter()
                    .map(|p| PlaceholderView {
                        written: format!("{{{{{p}}}}}"),
                        required: kind.required().contains(p),
                    })
                    .collect(),
                error: refused
                    .as_ref()
                    .filter(|(k, _)| *k == kind)
                    .map(|(_, m)| m.clone())
                    .unwrap_or_default(),
            }
        })
        .collect();
    Ok(render(status, &TemplatesPage { cards, flash, c }))
}

pub async fn show_templates(
    State(state): State<AppState>,
    s: SignedIn,
    Query(q): Query<DoneQuery>,
) -> AppResult {
    let tr = Tr::new(state.i18n.clone(), s.ctx.lang);
    let flash = match q.done.as_str() {
        "replaced" => tr.t("settings-flash-template-replaced"),
        "reset" => tr.t("settings-flash-template-reset"),
        _ => String::new(),
    };
    templates_page(&state, &s, None, flash).await
}

/// The kind a path names (`certificate`, or `certificate.docx` for a download), or 404.
fn kind_in_path(segment: &str, docx: bool) -> AppResult<TemplateKind> {
    let name = if docx {
        segment.strip_suffix(".docx")
    } else {
        Some(segment)
    };
    name.and_then(TemplateKind::parse).ok_or_else(AppError::not_found)
}

pub async fn download_template(
    State(state): State<AppState>,
    s: SignedIn,
    Path(segment): Path<String>,
) -> AppResult {
    let kind = kind_in_path(&segment, true)?;
    let (bytes, _) = settings::download_template(&state.db, &s.ctx.store_ctx(), kind).await?;
    Ok((
        [
            (header::CONTENT_TYPE, DOCX.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}.docx\"", kind.as_str()),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        Body::from(bytes),
    )
        .into_response())
}

pub async fn replace_template(
    State(state): State<AppState>,
    s: SignedIn,
    Path(segment): Path<String>,
    multipart: Multipart,
) -> AppResult {
    let kind = kind_in_path(&segment, false)?;
    let tr = Tr::new(state.i18n.clone(), s.ctx.lang);
    let upload = read_multipart(
        multipart,
        Limits {
            file_bytes: MAX_TEMPLATE_BYTES,
        },
    )
    .await?;
    if upload.too_big {
        // Too big to read through; the page is the administrator's only (it checks).
        let message = tr.t("err-template-too-big");
        return templates_page(&state, &s, Some((kind, message)), String::new()).await;
    }
    let (name, bytes) = upload.file_or_empty();
    let ctx = form::ctx(&s, "/settings/templates?done=replaced");
    let message = match settings::replace_template(&state.db, &ctx, kind, name, bytes).await {
        Ok(()) => return Ok(see_other("/settings/templates?done=replaced")),
        Err(TemplateError::Refused(p)) => template_problem_text(&tr, &p),
        Err(TemplateError::Domain(DomainError::Validation(e))) => {
            e.get("file").map(|id| tr.t(id)).unwrap_or_default()
        }
        Err(TemplateError::Domain(e)) => return Err(e.into()),
    };
    templates_page(&state, &s, Some((kind, message)), String::new()).await
}

pub async fn reset_template(
    State(state): State<AppState>,
    s: SignedIn,
    Path(segment): Path<String>,
) -> AppResult {
    let kind = kind_in_path(&segment, false)?;
    settings::reset_template(&state.db, &s.ctx.store_ctx(), kind).await?;
    Ok(see_other("/settings/templates?done=reset"))
}
