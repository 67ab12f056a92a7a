//! Oberih's HTTP face.
//!
//! A request passes, outermost first: request id → trace (path only, never the
//! query) → body limit → timeout → security headers → metrics → context (session,
//! language, CSRF guard) → the handler, which calls one `store::service`
//! function where permission is checked and the audit row written. The
//! routes are the handlers' (`handlers::routes()`, one table per resource);
//! health, metrics and static files (`handlers::ops::routes()`) sit outside
//! the context middleware, and so do the public pages
//! (`handlers::public::routes()`), behind their own visitor middleware.

pub mod config;
pub mod context;
pub mod error;
pub mod extract;
pub mod form;
pub mod handlers;
pub mod i18n;
pub mod metrics;
pub mod reminders;
pub mod state;
pub mod upload;
pub mod views;

use axum::Router;
use axum::body::Body;
use axum::extract::{MatchedPath, State};
use axum::http::{HeaderName, HeaderValue, Request, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use state::AppState;
use std::time::{Duration, Instant};
use tower::ServiceBuilder;
use tower_http::request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

pub use config::Config;

/// Random request ids: 16 hex characters.
#[derive(Clone, Copy, Default)]
struct RandomId;

impl MakeRequestId for RandomId {
    fn make_request_id<B>(&mut self, _req: &Request<B>) -> Option<RequestId> {
        let id = &store::auth::sessions::random_token()[..16];
        HeaderValue::from_str(id).ok().map(RequestId::new)
    }
}

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

async fn record_metrics(State(state): State<AppState>, req: Request<Body>, next: Next) -> Response {
    let start = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let method = req.method().to_string();
    let resp = next.run(req).await;
    let labels = metrics::RequestLabels {
        method,
        route: route.clone(),
        status: resp.status().as_u16(),
    };
    state.metrics.requests.get_or_create(&labels).inc();
    state
        .metrics
        .latency
        .get_or_create(&metrics::RouteLabels { route })
        .observe(start.elapsed().as_secs_f64());
    resp
}

async fn not_found() -> error::AppError {
    error::AppError::not_found()
}

/// The application's routes with every layer; `axum::serve` it with connect info.
pub fn app(state: AppState) -> Router {
    let pages = handlers::routes()
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            context::context_middleware,
        ));

    let max_body = state.config.server.max_body_bytes;
    let timeout = Duration::from_secs(state.config.server.request_timeout_secs);
    let x_request_id = HeaderName::from_static("x-request-id");

    Router::new()
        .merge(handlers::ops::routes())
        .merge(handlers::public::routes(state.clone()))
        .merge(pages)
        .layer(middleware::from_fn_with_state(state.clone(), record_metrics))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(x_request_id.clone(), RandomId))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(|req: &Request<Body>| {
                            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
                            // The path only: queries may carry search text.
                            tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path())
                        })
                        .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
                )
                .layer(PropagateRequestIdLayer::new(x_request_id))
                .layer(tower_http::limit::RequestBodyLimitLayer::new(max_body))
                .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, timeout))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static(CSP),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ))
                .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
                .layer(SetResponseHeaderLayer::overriding(
                    header::REFERRER_POLICY,
                    HeaderValue::from_static("same-origin"),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    HeaderName::from_static("permissions-policy"),
                    HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
                )),
        )
        .with_state(state)
}

/// The work a server does beside answering requests.
#[derive(Debug, Clone, Copy)]
pub struct Jobs {
    /// Purge expired sessions (and form tokens older than a day) hourly.
    pub purge_sessions: bool,
    /// Seal the audit log every few seconds (`store::audit::chain`).
    pub seal_audit: bool,
    /// Send reminders (`reminders`).
    pub reminders: bool,
}

impl Jobs {
    /// What a real server runs.
    pub const ALL: Jobs = Jobs {
        purge_sessions: true,
        seal_audit: true,
        reminders: true,
    };
    /// Nothing in the background: tests run each job themselves when they need it.
    pub const NONE: Jobs = Jobs {
        purge_sessions: false,
        seal_audit: false,
        reminders: false,
    };
}

/// Serves the app on `listener` until `shutdown` resolves, with every background job.
pub async fn serve(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(state, listener, shutdown, Jobs::ALL).await
}

/// Serves the app on `listener` until `shutdown` resolves, with the background `jobs` chosen.
pub async fn serve_with(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    jobs: Jobs,
) -> std::io::Result<()> {
    let mut background = Vec::new();
    let purge_state = state.clone();
    if jobs.purge_sessions {
        background.push(tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(3600));
            loop {
                tick.tick().await;
                let now = purge_state.clock.now_secs();
                if let Err(e) = store::auth::sessions::purge_expired(
                    &purge_state.db,
                    now,
                    purge_state.config.session_timeouts(),
                )
                .await
                {
                    tracing::warn!(error = %e, "could not purge expired sessions");
                }
                if let Err(e) = store::forms::purge(&purge_state.db, now).await {
                    tracing::warn!(error = %e, "could not purge old form tokens");
                }
                purge_state.public_limiter.forget_quiet();
            }
        }));
    }
    let seal_state = state.clone();
    if jobs.seal_audit {
        background.push(tokio::spawn(async move {
            let mut tick =
                tokio::time::interval(Duration::from_secs(store::audit::chain::SEAL_EVERY_SECONDS));
            loop {
                tick.tick().await;
                let now = seal_state.clock.now_secs();
                if let Err(e) = store::audit::chain::seal_pending(
                    &seal_state.db,
                    now,
                    store::audit::chain::SETTLE_SECONDS,
                )
                .await
                {
                    tracing::warn!(error = %e, "could not seal the audit log");
                }
            }
        }));
    }
    if jobs.reminders {
        background.push(reminders::spawn(state.clone()));
    }
    let header_timeout = Duration::from_secs(state.config.server.header_read_timeout_secs);
    let result = serve_connections(listener, app(state), header_timeout, shutdown).await;
    for job in background {
        job.abort();
    }
    result
}

/// How long requests in flight may take to finish once shutdown has begun.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// Accepts connections and serves each over HTTP/1.1 with a header-read
/// timeout (a connection that never finishes its headers is closed), until
/// `shutdown` resolves; then waits for requests in flight, at most
/// [`SHUTDOWN_GRACE`]. Each request carries the peer's address as `ConnectInfo`.
async fn serve_connections(
    listener: tokio::net::TcpListener,
    router: Router,
    header_timeout: Duration,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use axum::extract::ConnectInfo;
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;
    use tower::ServiceExt;

    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment rather than spin.
                    tracing::warn!(error = %e, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = router
            .clone()
            .map_request(move |mut req: Request<hyper::body::Incoming>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                req
            });
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new()).header_read_timeout(header_timeout);
        let conn = http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still in flight after the shutdown grace period");
    }
    Ok(())
}
