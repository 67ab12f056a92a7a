//! What every page shares: the chrome (navigation, language switch, CSRF token),
//! rendering, error pages and formatting of dates.

use crate::context::ReqCtx;
use crate::i18n::Tr;
use crate::state::AppState;
use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use domain::role::Permission;
use domain::{DomainError, FieldErrors};

pub struct NavItem {
    pub href: &'static str,
    pub label: String,
    pub active: bool,
}

/// The frame around every page.
pub struct Chrome {
    pub tr: Tr,
    pub csrf: String,
    pub path: String,
    pub request_id: String,
    /// The idempotency token of the page's creating form (`store::forms`): the
    /// one the request sent, when a form comes back, or a fresh one.
    pub form_token: String,
    pub user_name: Option<String>,
    pub org_name: Option<String>,
    pub nav: Vec<NavItem>,
}

impl Chrome {
    pub fn new(state: &AppState, ctx: &ReqCtx) -> Self {
        let tr = Tr::new(state.i18n.clone(), ctx.lang);
        let mut nav = Vec::new();
        if let Some(u) = &ctx.user {
            let a = &u.actor;
            let mut item = |href: &'static str, key: &str| {
                let active = if href == "/" {
                    ctx.path == "/"
                } else {
                    ctx.path.starts_with(href)
                };
                nav.push(NavItem {
                    href,
                    label: tr.t(key),
                    active,
                });
            };
            item("/", "nav-home");
            if a.has(Permission::ViewDirectory) {
                item("/organisations", "nav-organisations");
                item("/bodies", "nav-bodies");
            }
            if a.has(Permission::ViewDirectory) {
                item("/plans", "nav-plans");
            }
            if a.has(Permission::SubmitReports) {
                item("/my-reports", "nav-my-reports");
            }
            if a.has(Permission::ReadCaseContent) {
                item("/cases", "nav-cases");
                item("/assistance", "nav-assistance");
            }
            if a.has(Permission::RecordIdentification) {
                item("/notices", "nav-notices");
            }
            if a.has(Permission::ViewReferredCases) {
                item("/referrals", "nav-referrals");
            }
            if a.has(Permission::RunStatusProcedure) {
                item("/deadlines", "nav-deadlines");
                item("/journal", "nav-journal");
            }
            if a.has(Permission::ManageUsers) {
                item("/users/new", "nav-new-user");
            }
            if a.has(Permission::ReadAuditLog) {
                item("/audit", "nav-audit");
            }
            if a.has(Permission::ManageSettings) {
                item("/settings", "nav-settings");
            }
            item("/account", "nav-account");
        }
        Self {
            csrf: ctx.csrf.clone(),
            path: ctx.path.clone(),
            request_id: ctx.request_id.clone(),
            form_token: ctx.form_token.clone().unwrap_or_else(store::forms::new_token),
            user_name: ctx.user.as_ref().map(|u| u.full_name.clone()),
            org_name: ctx.user.as_ref().map(|u| u.org_name.clone()),
            nav,
            tr,
        }
    }

    /// The language the switch offers.
    pub fn other_lang(&self) -> &'static str {
        self.tr.lang.other().code()
    }
}

/// Renders a template into a response with the given status.
pub fn render<T: Template>(status: StatusCode, t: &T) -> Response {
    match t.render() {
        Ok(body) => {
            let mut r = (status, Html(body)).into_response();
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage<'a> {
    pub c: Chrome,
    pub title: &'a str,
    pub body: &'a str,
}

pub fn message_page(state: &AppState, ctx: &ReqCtx, status: StatusCode, title: &str, body: &str) -> Response {
    render(
        status,
        &MessagePage {
            c: Chrome::new(state, ctx),
            title,
            body,
        },
    )
}

/// The page for an error that escaped a handler. Never shows internals; the
/// request id lets an administrator find the log line. Handlers answer
/// [`crate::error::AppError`] instead, which the context middleware renders
/// with this same vocabulary.
pub fn error_response(state: &AppState, ctx: &ReqCtx, e: &DomainError) -> Response {
    let tr = Tr::new(state.i18n.clone(), ctx.lang);
    let (status, title, body) = crate::error::page_of(e);
    message_page(state, ctx, status, &tr.t(title), &tr.t(body))
}

/// Field errors translated for a form.
pub struct Errors {
    tr: Tr,
    errors: FieldErrors,
    /// The form's fields in the order a person meets them, for focusing the first wrong one.
    order: &'static [&'static str],
}

impl Errors {
    pub fn new(tr: &Tr, errors: FieldErrors) -> Self {
        Self {
            tr: tr.clone(),
            errors,
            order: &[],
        }
    }

    /// Names the form's fields in page order.
    pub fn in_order(mut self, order: &'static [&'static str]) -> Self {
        self.order = order;
        self
    }

    /// True for the first field, in page order, that has a problem: it gets the focus
    /// when the form comes back, so keyboard and screen-reader users land on it.
    pub fn focus(&self, field: &str) -> bool {
        self.order.iter().find(|f| self.errors.get(f).is_some()) == Some(&field)
    }

    /// The message for a field, or an empty string.
    pub fn of(&self, field: &str) -> String {
        self.errors.get(field).map(|id| self.tr.t(id)).unwrap_or_default()
    }

    pub fn has(&self, field: &str) -> bool {
        self.errors.get(field).is_some()
    }

    pub fn any(&self) -> bool {
        !self.errors.is_empty()
    }

    /// 200 for a clean form, 422 for one sent back with errors.
    pub fn status(&self) -> StatusCode {
        if self.any() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        }
    }
}

/// `dd.mm.yyyy HH:MM`, Kyiv time.
pub fn datetime(unix_secs: i64) -> String {
    let Ok(ts) = jiff::Timestamp::from_second(unix_secs) else {
        return String::new();
    };
    match jiff::tz::TimeZone::get("Europe/Kyiv") {
        Ok(tz) => ts.to_zoned(tz).strftime("%d.%m.%Y %H:%M").to_string(),
        Err(_) => ts.strftime("%d.%m.%Y %H:%M UTC").to_string(),
    }
}

/// A civil date (`yyyy-mm-dd`, Kyiv) to the unix second at its start.
pub fn day_start(date: &str) -> Option<i64> {
    let d: jiff::civil::Date = date.trim().parse().ok()?;
    let tz = jiff::tz::TimeZone::get("Europe/Kyiv").ok()?;
    d.to_zoned(tz).ok().map(|z| z.timestamp().as_second())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_shown_in_kyiv_time() {
        // 2026-07-01 00:30 UTC is 03:30 in Kyiv (summer time, UTC+3).
        let ts = jiff::Timestamp::from_second(1_782_865_800)
            .map(|t| t.as_second())
            .unwrap_or(0);
        assert_eq!(datetime(ts), "01.07.2026 03:30");
        assert_eq!(day_start("2026-07-01"), Some(1_782_853_200));
        assert_eq!(day_start("01.07.2026"), None);
    }
}
