//! The audit log, for the auditor: filter by user, action and dates; paged newest first.

use crate::context::SignedIn;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::views::{Chrome, Errors, datetime, day_start, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use domain::FieldErrors;
use domain::audit::AuditAction;
use serde::Deserialize;
use store::audit::AuditFilter;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/audit", get(audit_log))
        .route("/audit.xlsx", get(export_audit_log))
        .route("/audit/chain", get(show_chain).post(verify_chain))
}

pub const PAGE_SIZE: i64 = 50;
/// The most rows one XLSX export carries; narrow the filter for more.
pub const EXPORT_LIMIT: i64 = 10_000;

pub struct AuditLine {
    pub at: String,
    pub login: String,
    pub action: String,
    pub action_code: String,
    pub subject: String,
    pub ip: String,
    pub details: String,
    pub request_id: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    c: Chrome,
    f_login: String,
    f_action: String,
    f_from: String,
    f_to: String,
    actions: Vec<(String, String)>,
    rows: Vec<AuditLine>,
    errors: Errors,
    first_page: bool,
    first_href: String,
    download_href: String,
    next_href: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    #[serde(default)]
    login: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    before: String,
}

fn href(q: &AuditQuery, before: Option<i64>) -> String {
    let before = before.map(|b| b.to_string()).unwrap_or_default();
    let mut parts = Vec::new();
    for (k, v) in [
        ("login", &q.login),
        ("action", &q.action),
        ("from", &q.from),
        ("to", &q.to),
        ("before", &before),
    ] {
        if !v.is_empty() {
            parts.push(format!("{k}={}", urlencoding::encode(v)));
        }
    }
    if parts.is_empty() {
        "/audit".into()
    } else {
        format!("/audit?{}", parts.join("&"))
    }
}

/// Reads the filter; bad dates are reported against their field.
fn filter_of(q: &AuditQuery) -> (AuditFilter, FieldErrors) {
    let mut errors = FieldErrors::new();
    let mut date = |field: &'static str, v: &str, add_day: bool| -> Option<i64> {
        if v.trim().is_empty() {
            return None;
        }
        match day_start(v) {
            Some(t) => Some(if add_day { t + 24 * 3600 } else { t }),
            None => {
                errors.add(field, "err-date");
                None
            }
        }
    };
    let from = date("from", &q.from, false);
    let until = date("to", &q.to, true);
    let filter = AuditFilter {
        login: Some(q.login.trim().to_lowercase()).filter(|l| !l.is_empty()),
        action: AuditAction::parse(&q.action),
        from,
        until,
        before_id: q.before.parse().ok(),
    };
    (filter, errors)
}

fn line(tr: &crate::i18n::Tr, r: store::audit::AuditRow) -> AuditLine {
    AuditLine {
        at: datetime(r.at),
        login: r.actor_login.unwrap_or_else(|| "—".into()),
        action: tr.t(&format!("audit-action-{}", r.action)),
        action_code: r.action,
        subject: match (r.subject_kind, r.subject_id) {
            (Some(k), Some(id)) => format!("{k} {id}"),
            _ => String::new(),
        },
        ip: r.ip.unwrap_or_default(),
        details: r.details,
        request_id: r.request_id.unwrap_or_default(),
    }
}

pub async fn audit_log(State(state): State<AppState>, s: SignedIn, Query(q): Query<AuditQuery>) -> AppResult {
    let c = Chrome::new(&state, &s.ctx);
    let tr = c.tr.clone();
    let (filter, errors) = filter_of(&q);
    let (rows, more) =
        store::audit::read_audit_log(&state.db, &s.ctx.store_ctx(), &filter, PAGE_SIZE).await?;
    let next_href = if more {
        rows.last().map(|r| href(&q, Some(r.id)))
    } else {
        None
    };
    let lines = rows.into_iter().map(|r| line(&tr, r)).collect();
    let actions = AuditAction::ALL
        .iter()
        .map(|a| {
            (
                a.as_str().to_string(),
                tr.t(&format!("audit-action-{}", a.as_str())),
            )
        })
        .collect();
    let errors = Errors::new(&tr, errors).in_order(&["from", "to"]);
    Ok(render(
        errors.status(),
        &AuditPage {
            first_page: q.before.is_empty(),
            download_href: href(&q, None).replacen("/audit", "/audit.xlsx", 1),
            first_href: href(&q, None),
            f_login: q.login,
            f_action: q.action,
            f_from: q.from,
            f_to: q.to,
            actions,
            rows: lines,
            errors,
            next_href,
            c,
        },
    ))
}

/// The filtered audit log as an XLSX file (newest first, at most `EXPORT_LIMIT` rows).
pub async fn export_audit_log(
    State(state): State<AppState>,
    s: SignedIn,
    Query(q): Query<AuditQuery>,
) -> AppResult {
    let tr = crate::i18n::Tr::new(state.i18n.clone(), s.ctx.lang);
    let (mut filter, errors) = filter_of(&q);
    if !errors.is_empty() {
        return Err(domain::DomainError::Validation(errors).into());
    }
    filter.before_id = None;
    let rows = store::audit::export_audit_log(&state.db, &s.ctx.store_ctx(), &filter, EXPORT_LIMIT).await?;
    let lines: Vec<documents::AuditLine> = rows
        .into_iter()
        .map(|r| {
            let l = line(&tr, r);
            documents::AuditLine {
                time: l.at,
                user: l.login,
                action: l.action,
                subject: l.subject,
                ip: l.ip,
                request_id: l.request_id,
                details: l.details,
            }
        })
        .collect();
    let headings = documents::AuditHeadings {
        sheet: tr.t("audit-sheet"),
        title: tr.t("audit-xlsx-title"),
        columns: [
            tr.t("audit-col-time"),
            tr.t("audit-col-user"),
            tr.t("audit-col-action"),
            tr.t("audit-col-subject"),
            tr.t("audit-col-ip"),
            tr.t("request-id"),
            tr.t("audit-col-details"),
        ],
    };
    let bytes = documents::audit_xlsx(&headings, &lines).map_err(|e| AppError::failed("xlsx", e))?;
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    );
    h.insert(
        axum::http::header::CONTENT_DISPOSITION,
        axum::http::HeaderValue::from_static("attachment; filename=\"oberih-audit.xlsx\""),
    );
    h.insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(r)
}

// ---------------------------------------------------------------- the seal

/// One problem verification found, in the reader's language.
pub struct ChainProblem {
    pub code: &'static str,
    pub text: String,
}

/// The outcome of a verification, for the page.
pub struct ChainResult {
    pub intact: bool,
    pub entries: i64,
    pub sealed_now: i64,
    pub waiting: i64,
    pub anchors: i64,
    pub problems: Vec<ChainProblem>,
    pub problems_total: i64,
    /// Problems found but not listed.
    pub more: i64,
}

#[derive(Template)]
#[template(path = "audit_chain.html")]
struct ChainPage {
    c: Chrome,
    /// The end of the chain, to write down: `seq:hash`; empty before the first seal.
    anchor: String,
    head_seq: i64,
    sealed_at: String,
    f_anchors: String,
    /// The first line of the anchors field that is not an anchor (1-based).
    bad_line: Option<usize>,
    errors: Errors,
    result: Option<ChainResult>,
}

#[derive(Deserialize, Default)]
pub struct ChainForm {
    #[serde(default)]
    anchors: String,
}

/// Reads one anchor per line (blank lines skipped); the first bad line is reported.
fn anchors_of(text: &str) -> Result<Vec<domain::audit_chain::Anchor>, usize> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        out.push(line.parse().map_err(|_| i + 1)?);
    }
    Ok(out)
}

async fn chain_page(
    state: &AppState,
    s: &SignedIn,
    f_anchors: String,
    bad_line: Option<usize>,
    result: Option<ChainResult>,
) -> AppResult {
    let c = Chrome::new(state, &s.ctx);
    let head = store::audit::chain::head_as(&state.db, &s.ctx.store_ctx()).await?;
    let mut errors = FieldErrors::new();
    if bad_line.is_some() {
        errors.add("anchors", "err-anchor");
    }
    let errors = Errors::new(&c.tr, errors).in_order(&["anchors"]);
    Ok(render(
        errors.status(),
        &ChainPage {
            anchor: head.anchor().map(|a| a.to_string()).unwrap_or_default(),
            head_seq: head.seq,
            sealed_at: head.sealed_at.map(datetime).unwrap_or_default(),
            f_anchors,
            bad_line,
            errors,
            result,
            c,
        },
    ))
}

/// The seal over the audit log: where the chain ends, and a form to verify it.
pub async fn show_chain(State(state): State<AppState>, s: SignedIn) -> AppResult {
    chain_page(&state, &s, String::new(), None, None).await
}

/// Verifies the chain against the anchors typed (one `seq:hash` per line).
pub async fn verify_chain(
    State(state): State<AppState>,
    s: SignedIn,
    axum::Form(f): axum::Form<ChainForm>,
) -> AppResult {
    let anchors = match anchors_of(&f.anchors) {
        Ok(a) => a,
        Err(line) => return chain_page(&state, &s, f.anchors, Some(line), None).await,
    };
    let v = store::audit::chain::verify_as(&state.db, &s.ctx.store_ctx(), &anchors).await?;
    let tr = crate::i18n::Tr::new(state.i18n.clone(), s.ctx.lang);
    let problems = v
        .problems
        .iter()
        .map(|p| {
            let mut args = fluent_bundle::FluentArgs::new();
            for (k, val) in p.args() {
                args.set(k, fluent_bundle::FluentValue::from(val));
            }
            ChainProblem {
                code: p.key(),
                text: tr.args(p.key(), &args),
            }
        })
        .collect();
    let listed = v.problems.len() as i64;
    let result = ChainResult {
        intact: v.intact(),
        entries: v.entries,
        sealed_now: v.sealed_now as i64,
        waiting: v.waiting,
        anchors: v.anchors_checked as i64,
        problems,
        problems_total: v.problems_total as i64,
        more: v.problems_total as i64 - listed,
    };
    chain_page(&state, &s, f.anchors, None, Some(result)).await
}
