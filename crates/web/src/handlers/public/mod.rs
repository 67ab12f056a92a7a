//! The public pages: no sign-in, for anyone who needs help (SPEC §8).
//!
//! | URL | page |
//! |---|---|
//! | `/help` | the hotlines, and the way to the job-offer check |
//! | `/help/job-check` | the job-offer check (GET: the questions; POST: the result) |
//! | `/help/directory` | where to turn, by territory (`?t=` a territory id) |
//!
//! Security role: these routes sit outside the context middleware, behind
//! [`visitor_middleware`], which removes the request's cookies before any
//! handler runs. A public handler therefore cannot see a session even when
//! a signed-in person's browser sends one: it acts as [`Visitor`], whose
//! store context is always `Principal::Public` with no address. Nothing a
//! visitor sends is stored or logged: no audit row, no session, no cookie
//! set; the request log has the path only (never the query), and the job
//! check sends its answers in the body of a POST, never in a URL. Each
//! address is rate-limited in memory ([`PublicLimiter`]; the address is kept
//! only there, for at most a minute of quiet). The pages carry a strict CSP
//! (no script at all) and, for the GETs, caching headers a proxy can use.

mod directory;
mod help;
mod job_check;

use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, FromRequestParts, State};
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header, request::Parts};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;

/// Every public path, for the tests that try each as a visitor and as a
/// signed-in person.
pub const PATHS: &[&str] = &["/help", "/help/job-check", "/help/directory"];

/// The largest body a public form may send (the job check's ticks are a
/// few hundred bytes).
pub const BODY_LIMIT: usize = 4 * 1024;

/// The public pages' CSP: no script, no frame, forms to this site only.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
    frame-ancestors 'none'; base-uri 'none'";

/// How long a proxy or a browser may keep a public GET page.
const CACHE_SECS: u32 = 300;

/// The public routes, with their middleware and body limit.
pub fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/help", get(help::page))
        .route("/help/job-check", get(job_check::form).post(job_check::result))
        .route("/help/directory", get(directory::page))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn_with_state(state, visitor_middleware))
}

/// Requests per address and minute, in memory only. IPv6 addresses count by
/// their /64 (one household or phone), so a visitor cannot dodge the limit
/// by walking their own prefix.
pub struct PublicLimiter {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
}

/// Past this many addresses remembered, the quiet ones are forgotten.
const REMEMBERED_MAX: usize = 100_000;

impl PublicLimiter {
    pub fn per_minute(n: u32) -> Self {
        let n = NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN);
        Self {
            limiter: RateLimiter::keyed(Quota::per_minute(n)),
        }
    }

    /// True when `ip` may have one more request now.
    pub fn allow(&self, ip: IpAddr) -> bool {
        if self.limiter.len() > REMEMBERED_MAX {
            self.limiter.retain_recent();
            self.limiter.shrink_to_fit();
        }
        self.limiter.check_key(&key_of(ip)).is_ok()
    }

    /// Forgets addresses whose allowance has refilled (the hourly job).
    pub fn forget_quiet(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }
}

fn key_of(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return IpAddr::V4(v4);
            }
            let s = v6.segments();
            IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
    }
}

/// A visitor of the public pages: the language they read and the store
/// context they act in, which is always `Principal::Public`.
#[derive(Clone)]
pub struct Visitor {
    pub lang: Lang,
    /// The language came in the address (`?lang=`), so links carry it on.
    pub lang_in_url: bool,
    pub path: String,
    pub store_ctx: std::sync::Arc<store::Ctx>,
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Visitor>()
            .cloned()
            .ok_or_else(|| StatusCode::INTERNAL_SERVER_ERROR.into_response())
    }
}

/// `?lang=uk|en` in the address, else the browser's wish (Ukrainian unless
/// it asks for English and not Ukrainian). Never a cookie: the page must be
/// the same for everyone who sends the same address and `Accept-Language`.
fn lang_of(query: Option<&str>, headers: &HeaderMap) -> (Lang, bool) {
    let asked = query
        .into_iter()
        .flat_map(|q| q.split('&'))
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == "lang")
        .and_then(|(_, v)| Lang::parse(v));
    if let Some(l) = asked {
        return (l, true);
    }
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let lang = if accept.starts_with("en") && !accept.contains("uk") {
        Lang::En
    } else {
        Lang::Uk
    };
    (lang, false)
}

/// Runs before every public handler: the rate limit, the language, the
/// cookies taken away, the visitor's context; and after it, the CSP and
/// the caching headers.
pub async fn visitor_middleware(
    State(state): State<AppState>,
    mut req: Request<Body>,
    next: Next,
) -> Response {
    let (lang, lang_in_url) = lang_of(req.uri().query(), req.headers());
    if let Some(ip) = crate::context::client_addr(&state, &req)
        && !state.public_limiter.allow(ip)
    {
        let tr = Tr::new(state.i18n.clone(), lang);
        let mut resp = message(
            &tr,
            StatusCode::TOO_MANY_REQUESTS,
            "pub-429-title",
            "pub-429-body",
        );
        resp.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        return resp;
    }
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_string();
    // A session cookie, a CSRF cookie, a language cookie: none of them is
    // anything a public page may read.
    req.headers_mut().remove(header::COOKIE);
    req.headers_mut().remove(header::AUTHORIZATION);
    let get = req.method() == Method::GET || req.method() == Method::HEAD;
    let visitor = Visitor {
        lang,
        lang_in_url,
        path: req.uri().path().to_string(),
        store_ctx: std::sync::Arc::new(store::Ctx::public(None, request_id, state.clock.now_secs())),
    };
    req.extensions_mut().insert(visitor);
    let mut resp = next.run(req).await;
    let ok = resp.status() == StatusCode::OK;
    let h = resp.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.remove(header::SET_COOKIE);
    if get && ok {
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_str(&format!("public, max-age={CACHE_SECS}"))
                .unwrap_or(HeaderValue::from_static("no-store")),
        );
        if !lang_in_url {
            h.insert(header::VARY, HeaderValue::from_static("Accept-Language"));
        }
    } else {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}

/// What every public page shares: the language, its switch and the links.
pub struct PublicChrome {
    pub tr: Tr,
    /// `?lang=en` (or `uk`) when the language came in the address, else empty.
    pub lang_query: &'static str,
    /// The same page in the other language.
    pub other_href: String,
}

impl PublicChrome {
    pub fn new(state: &AppState, v: &Visitor) -> Self {
        let tr = Tr::new(state.i18n.clone(), v.lang);
        let lang_query = match (v.lang_in_url, v.lang) {
            (false, _) => "",
            (true, Lang::Uk) => "?lang=uk",
            (true, Lang::En) => "?lang=en",
        };
        Self {
            other_href: format!("{}?lang={}", v.path, v.lang.other().code()),
            tr,
            lang_query,
        }
    }

    /// `href` with the page's language carried on.
    pub fn link(&self, href: &str) -> String {
        format!("{href}{}", self.lang_query)
    }
}

/// A public page rendered with `status`.
fn render<T: Template>(status: StatusCode, t: &T) -> Response {
    match t.render() {
        Ok(body) => (status, Html(body)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "public template failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "public_message.html")]
struct MessagePage {
    tr: Tr,
    title: String,
    body: String,
}

fn message(tr: &Tr, status: StatusCode, title: &str, body: &str) -> Response {
    render(
        status,
        &MessagePage {
            tr: tr.clone(),
            title: tr.t(title),
            body: tr.t(body),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_counts_by_its_64_and_mapped_v4_as_v4() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1"
            .parse()
            .unwrap_or(IpAddr::from([0, 0, 0, 0]));
        let b: IpAddr = "2001:db8:1:2:bbbb::2"
            .parse()
            .unwrap_or(IpAddr::from([0, 0, 0, 0]));
        assert_eq!(key_of(a), key_of(b));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]));
        assert_eq!(key_of(mapped), IpAddr::from([192, 0, 2, 7]));
    }

    #[test]
    fn the_limit_holds_per_address() {
        let l = PublicLimiter::per_minute(3);
        let one = IpAddr::from([192, 0, 2, 1]);
        let two = IpAddr::from([192, 0, 2, 2]);
        assert!((0..3).all(|_| l.allow(one)));
        assert!(!l.allow(one), "the fourth in a minute is refused");
        assert!(l.allow(two), "another address has its own allowance");
    }

    #[test]
    fn language_from_the_address_first() {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("en-GB,en;q=0.9"),
        );
        assert_eq!(lang_of(None, &h), (Lang::En, false));
        assert_eq!(lang_of(Some("lang=uk"), &h), (Lang::Uk, true));
        assert_eq!(lang_of(Some("x=1&lang=en"), &HeaderMap::new()), (Lang::En, true));
        assert_eq!(lang_of(Some("lang=de"), &HeaderMap::new()), (Lang::Uk, false));
    }
}
