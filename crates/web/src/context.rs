//! Per-request context: who is asking (session), from where, in which
//! language, under which request id — and the CSRF guard.
//!
//! Security role: this middleware runs before every handler. It resolves the
//! session from its cookie (expired sessions are removed), and refuses any
//! state-changing request whose CSRF token does not match the session's (or,
//! before sign-in, the anonymous CSRF cookie's), or whose `Origin` is foreign.
//! It also reads a creating form's idempotency token (`form_token`) and sends
//! a form whose token this person already used to that first submission's
//! result, before any handler runs (`store::forms`); and it renders the error
//! page a handler answered (`crate::error::finish`), in the request's context.

use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use std::net::SocketAddr;
use store::auth::sessions::SessionUser;
use subtle::ConstantTimeEq;

pub const SESSION_COOKIE: &str = "oberih_session";
pub const CSRF_COOKIE: &str = "oberih_csrf";
pub const LANG_COOKIE: &str = "oberih_lang";
pub const CSRF_FIELD: &str = "csrf_token";
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The hidden field of a creating form's idempotency token (`store::forms`).
pub const FORM_TOKEN_FIELD: &str = "form_token";

/// What every handler may know about the request.
#[derive(Clone)]
pub struct ReqCtx {
    pub ip: Option<String>,
    pub request_id: String,
    pub lang: Lang,
    pub user: Option<SessionUser>,
    /// The token forms must carry (the session's, or the anonymous cookie's).
    pub csrf: String,
    pub now: i64,
    pub path: String,
    pub htmx: bool,
    /// The idempotency token a submitted form carried (well-formed only).
    pub form_token: Option<String>,
}

impl ReqCtx {
    /// The context services record in the audit trail.
    pub fn store_ctx(&self) -> store::Ctx {
        match &self.user {
            Some(u) => store::Ctx::user(
                u.actor.clone(),
                self.ip.clone(),
                self.request_id.clone(),
                self.now,
            ),
            None => store::Ctx::public(self.ip.clone(), self.request_id.clone(), self.now),
        }
    }
}

pub fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value with the house attributes.
pub fn cookie(name: &str, value: &str, secure: bool, max_age: Option<i64>) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict");
    if secure {
        c.push_str("; Secure");
    }
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static("invalid=; Path=/"))
}

/// The client's address: the socket's, or the first `X-Forwarded-For` entry
/// when `server.trust_forwarded_for` is on (an entry that is not an address
/// counts as none).
pub(crate) fn client_addr(state: &AppState, req: &Request<Body>) -> Option<std::net::IpAddr> {
    if state.config.server.trust_forwarded_for
        && let Some(first) = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
    {
        return first.trim().parse().ok();
    }
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
}

fn client_ip(state: &AppState, req: &Request<Body>) -> Option<String> {
    client_addr(state, req).map(|a| a.to_string())
}

fn lang_of(headers: &HeaderMap) -> Lang {
    if let Some(l) = cookie_value(headers, LANG_COOKIE).and_then(Lang::parse) {
        return l;
    }
    // Without a choice made, Ukrainian — unless the browser asks for English and not Ukrainian.
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if accept.starts_with("en") && !accept.contains("uk") {
        Lang::En
    } else {
        Lang::Uk
    }
}

fn origin_ok(state: &AppState, headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        // Browsers send Origin with every POST; other clients still need the token.
        return true;
    };
    let configured = &state.config.server.public_origin;
    if !configured.is_empty() {
        return origin == configured;
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    origin == format!("http://{host}") || origin == format!("https://{host}")
}

fn tokens_equal(a: &str, b: &str) -> bool {
    !a.is_empty() && a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// Finds the `csrf_token` part of a multipart body (our upload forms send it first).
/// Only a token that equals the session's passes, so a crafted body gains nothing.
fn token_in_multipart(body: &[u8]) -> Option<String> {
    field_in_multipart(body, CSRF_FIELD)
}

/// The value of the first text part named `name` of a multipart body.
fn field_in_multipart(body: &[u8], name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\"");
    let marker = marker.as_bytes();
    let at = body.windows(marker.len()).position(|w| w == marker)?;
    let rest = &body[at + marker.len()..];
    let start = rest.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let value = &rest[start..];
    let end = value.windows(2).position(|w| w == b"\r\n")?;
    std::str::from_utf8(&value[..end])
        .ok()
        .map(|s| s.trim().to_string())
}

/// Finds `csrf_token` in an urlencoded form body.
fn token_in_form(body: &[u8]) -> Option<String> {
    form_urlencoded_pairs(body)
        .find(|(k, _)| k == CSRF_FIELD)
        .map(|(_, v)| v)
}

pub(crate) fn form_urlencoded_pairs(body: &[u8]) -> impl Iterator<Item = (String, String)> + '_ {
    body.split(|b| *b == b'&').filter_map(|pair| {
        let s = std::str::from_utf8(pair).ok()?;
        let (k, v) = s.split_once('=').unwrap_or((s, ""));
        let dec = |x: &str| {
            urlencoding::decode(&x.replace('+', " "))
                .ok()
                .map(|c| c.into_owned())
        };
        Some((dec(k)?, dec(v)?))
    })
}

pub async fn context_middleware(State(state): State<AppState>, req: Request<Body>, next: Next) -> Response {
    let now = state.clock.now_secs();
    let ip = client_ip(&state, &req);
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_string();
    let lang = lang_of(req.headers());
    let user = match cookie_value(req.headers(), SESSION_COOKIE) {
        Some(token) => {
            match store::auth::sessions::lookup(&state.db, token, now, state.config.session_timeouts()).await
            {
                Ok(u) => u,
                Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
            }
        }
        None => None,
    };
    let anon_cookie = cookie_value(req.headers(), CSRF_COOKIE).map(str::to_string);
    let (csrf, new_anon_cookie) = match (&user, anon_cookie) {
        (Some(u), _) => (u.csrf_token.clone(), None),
        (None, Some(c)) if c.len() == 64 => (c, None),
        (None, _) => {
            let t = store::auth::sessions::random_token();
            (t.clone(), Some(t))
        }
    };
    // A history restore wants the whole page, not a fragment.
    let htmx =
        req.headers().contains_key("hx-request") && !req.headers().contains_key("hx-history-restore-request");
    let ctx = ReqCtx {
        ip,
        request_id,
        lang,
        user,
        csrf: csrf.clone(),
        now,
        path: req.uri().path().to_string(),
        htmx,
        form_token: None,
    };

    let mut ctx = ctx;
    let mut req = req;
    if let Some(field) = req.uri().query().and_then(|q| nul_field(q.as_bytes())) {
        return nul_refusal(&state, &ctx, &field).await;
    }
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        if !origin_ok(&state, req.headers()) {
            tracing::warn!("refused a request from a foreign origin");
            return refusal(&state, &ctx, "foreign_origin").await;
        }
        // Before sign-in only short forms (signing in, the language) are read:
        // an anonymous flood cannot make the server hold large bodies.
        let limit = if ctx.user.is_some() {
            state.config.server.max_body_bytes
        } else {
            ANONYMOUS_BODY_LIMIT
        };
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > limit as u64) {
            return too_large(&state, &ctx);
        }
        let header_token = req
            .headers()
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let is_form = content_type.starts_with("application/x-www-form-urlencoded");
        let is_multipart = content_type.starts_with("multipart/form-data");
        // Forms are read here (they are small) to find the token and any NUL;
        // an upload only when its token is not in a header.
        let read_body = is_form || ctx.user.is_none() || (is_multipart && header_token.is_none());
        let mut presented = header_token;
        if read_body {
            let (parts, body) = req.into_parts();
            let bytes: Bytes = match axum::body::to_bytes(body, limit).await {
                Ok(b) => b,
                Err(_) => return too_large(&state, &ctx),
            };
            if is_form && let Some(field) = nul_field(&bytes) {
                return nul_refusal(&state, &ctx, &field).await;
            }
            let form_token = if is_form {
                form_urlencoded_pairs(&bytes)
                    .find(|(k, _)| k == FORM_TOKEN_FIELD)
                    .map(|(_, v)| v)
            } else if is_multipart {
                field_in_multipart(&bytes, FORM_TOKEN_FIELD)
            } else {
                None
            };
            ctx.form_token = form_token.filter(|t| store::forms::well_formed(t));
            if presented.is_none() {
                presented = if is_form {
                    token_in_form(&bytes)
                } else if is_multipart {
                    token_in_multipart(&bytes)
                } else {
                    None
                };
            }
            req = Request::from_parts(parts, Body::from(bytes));
        }
        if !presented.is_some_and(|t| tokens_equal(&t, &csrf)) {
            tracing::warn!("refused a request without a valid CSRF token");
            return refusal(&state, &ctx, "csrf").await;
        }
        // A form sent again (a reload, a double click, a resend) whose token was
        // claimed already: to the first submission's result, changing nothing.
        if let (Some(token), Some(u)) = (&ctx.form_token, &ctx.user) {
            match store::forms::previous(&state.db, token, u.actor.user_id).await {
                Ok(Some(location)) => {
                    return Redirect::to(crate::handlers::safe_back(&location)).into_response();
                }
                Ok(None) => {}
                Err(e) => return crate::views::error_response(&state, &ctx, &e),
            }
        }
    }

    req.extensions_mut().insert(ctx.clone());
    let resp = next.run(req).await;
    let mut resp = crate::error::finish(&state, &ctx, resp).await;
    if let Some(t) = new_anon_cookie {
        resp.headers_mut().append(
            header::SET_COOKIE,
            cookie(CSRF_COOKIE, &t, state.config.server.cookie_secure, None),
        );
    }
    resp
}

/// The most an anonymous visitor may send in one request.
pub const ANONYMOUS_BODY_LIMIT: usize = 16 * 1024;

/// The name of the first field (or query parameter) whose value holds a NUL
/// character, which no text in the system may contain (PostgreSQL cannot store it).
fn nul_field(urlencoded: &[u8]) -> Option<String> {
    if !urlencoded.contains(&0) && !urlencoded.windows(3).any(|w| w == b"%00") {
        return None;
    }
    form_urlencoded_pairs(urlencoded)
        .find(|(k, v)| k.contains('\0') || v.contains('\0'))
        .map(|(k, _)| k.replace('\0', "").chars().take(60).collect())
        .or_else(|| Some(String::from("?")))
}

/// Records a refused request and answers with the page that explains it.
async fn refusal(state: &AppState, ctx: &ReqCtx, reason: &'static str) -> Response {
    record(state, ctx, reason).await;
    let tr = Tr::new(state.i18n.clone(), ctx.lang);
    crate::views::message_page(
        state,
        ctx,
        StatusCode::FORBIDDEN,
        &tr.t("csrf-title"),
        &tr.t("csrf-body"),
    )
}

/// The NUL page and its audit row: the same `AppError` an upload's text field gets.
async fn nul_refusal(state: &AppState, ctx: &ReqCtx, field: &str) -> Response {
    let pending = axum::response::IntoResponse::into_response(crate::error::AppError::nul_byte(field));
    crate::error::finish(state, ctx, pending).await
}

fn too_large(state: &AppState, ctx: &ReqCtx) -> Response {
    let tr = Tr::new(state.i18n.clone(), ctx.lang);
    let body = if ctx.user.is_some() {
        "err-413-body"
    } else {
        "err-413-anonymous-body"
    };
    crate::views::message_page(
        state,
        ctx,
        StatusCode::PAYLOAD_TOO_LARGE,
        &tr.t("err-413-title"),
        &tr.t(body),
    )
}

/// Writes the audit row of a refused request; a failure to write is logged, and the request stays refused.
pub(crate) async fn record(state: &AppState, ctx: &ReqCtx, reason: &'static str) {
    if let Err(e) = store::access::record_refusal(&state.db, &ctx.store_ctx(), reason, &ctx.path).await {
        tracing::warn!(error = %e, reason, "could not record a refused request");
    }
}

/// The signed-in person, required. Without a session: off to the sign-in page.
pub struct SignedIn {
    pub ctx: ReqCtx,
    pub user: SessionUser,
}

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let ctx = parts
            .extensions
            .get::<ReqCtx>()
            .cloned()
            .ok_or_else(|| StatusCode::INTERNAL_SERVER_ERROR.into_response())?;
        let Some(user) = ctx.user.clone() else {
            let mut r = Redirect::to("/sign-in").into_response();
            if ctx.htmx {
                r.headers_mut()
                    .insert("hx-redirect", HeaderValue::from_static("/sign-in"));
            }
            return Err(r);
        };
        let allowed_while_must_change =
            ctx.path.starts_with("/account") || ctx.path == "/sign-out" || ctx.path == "/lang";
        if user.must_change_password && !allowed_while_must_change {
            return Err(Redirect::to("/account?must_change=1").into_response());
        }
        Ok(SignedIn { ctx, user })
    }
}

/// The request context for pages open to everyone (sign-in).
pub struct Anyone(pub ReqCtx);

impl<S: Send + Sync> FromRequestParts<S> for Anyone {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<ReqCtx>()
            .cloned()
            .map(Anyone)
            .ok_or_else(|| StatusCode::INTERNAL_SERVER_ERROR.into_response())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_token_in_a_form() {
        let multipart =
            b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nabc123\r\n--XyZ\r\n\
            Content-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF\r\n--XyZ--\r\n";
        assert_eq!(token_in_multipart(multipart).as_deref(), Some("abc123"));
        assert_eq!(token_in_multipart(b"--XyZ\r\nname=\"file\"\r\n\r\nx\r\n"), None);
        let body = b"name=%D0%9F+x&csrf_token=abc123&other=1";
        assert_eq!(token_in_form(body).as_deref(), Some("abc123"));
        assert_eq!(token_in_form(b"name=x"), None);
    }

    #[test]
    fn token_comparison() {
        assert!(tokens_equal("abc", "abc"));
        assert!(!tokens_equal("abc", "abd"));
        assert!(!tokens_equal("", ""));
        assert!(!tokens_equal("abc", "abcd"));
    }

    #[test]
    fn reads_cookies() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; oberih_lang=en; b=2"),
        );
        assert_eq!(cookie_value(&h, LANG_COOKIE), Some("en"));
        assert_eq!(lang_of(&h), Lang::En);
    }
}
