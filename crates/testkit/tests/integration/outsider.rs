//! What one outsider can do to everyone, tried against the running app: a
//! flood of wrong passwords, NUL bytes, crafted `back` links, malformed ids,
//! large anonymous bodies, connections that never finish their headers — and
//! an anonymous principal that reaches a protected service.

use domain::audit::AuditAction;
use oberih_testkit::TestApp;
use std::io::{Read, Write};
use std::time::{Duration, Instant};

async fn count(app: &TestApp, sql: &str, login: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql)
        .bind(login)
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap();
    n
}

/// The audit rows of refused requests with this reason.
async fn refusals(app: &TestApp, reason: &str) -> usize {
    app.audit(AuditAction::RequestRefused)
        .await
        .iter()
        .filter(|r| r.details.contains(&format!("\"reason\":\"{reason}\"")))
        .count()
}

#[tokio::test]
async fn forty_parallel_wrong_passwords_record_exactly_the_limit() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let token = app.csrf(&c, "/sign-in").await;
    let mut tries = tokio::task::JoinSet::new();
    for _ in 0..40 {
        let (c, url, token) = (c.clone(), app.at("/sign-in"), token.clone());
        tries.spawn(async move {
            c.post(url)
                .form(&[
                    ("login", "officer"),
                    ("password", "not the password"),
                    ("csrf_token", &token),
                ])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
    }
    let mut statuses = Vec::new();
    while let Some(s) = tries.join_next().await {
        statuses.push(s.unwrap());
    }
    let refused = statuses.iter().filter(|s| **s == 401).count();
    let locked = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!((refused, locked), (5, 35), "statuses: {statuses:?}");
    let failures = count(
        &app,
        "SELECT COUNT(*) FROM sign_in_failures WHERE login = $1",
        "officer",
    )
    .await;
    assert_eq!(failures, 5, "failures recorded against a limit of 5");
    let failed_rows = app
        .audit(AuditAction::SignInFailed)
        .await
        .into_iter()
        .filter(|r| r.subject_id.as_deref() == Some("officer"))
        .count();
    assert_eq!(failed_rows, 5);

    // Locked: even the right password is refused now, and counts nothing more.
    let r = app
        .try_sign_in(&app.client(), "officer", oberih_testkit::DEMO_PASSWORD)
        .await;
    assert_eq!(r.status().as_u16(), 429);
    let failures = count(
        &app,
        "SELECT COUNT(*) FROM sign_in_failures WHERE login = $1",
        "officer",
    )
    .await;
    assert_eq!(failures, 5);
}

#[tokio::test]
async fn a_nul_byte_in_a_field_or_a_filter_is_refused_with_a_message() {
    let app = TestApp::spawn().await;
    let c = app.signed_in("admin").await;
    let before = count(&app, "SELECT COUNT(*) FROM organisations WHERE kind <> $1", "").await;
    let r = app
        .post_form(
            &c,
            "/organisations",
            "/organisations/new",
            &[("name", "ГО «Нуль\u{0}»"), ("kind", "ngo"), ("territory_id", "2")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("Недопустимий символ"), "{body}");
    assert!(body.contains("«name»"), "the field is named: {body}");
    let after = count(&app, "SELECT COUNT(*) FROM organisations WHERE kind <> $1", "").await;
    assert_eq!(before, after, "nothing saved");

    let (status, body) = app.get_text(&c, "/organisations?q=%00x").await;
    assert_eq!(status, 422);
    assert!(body.contains("«q»"), "{body}");
    assert_eq!(refusals(&app, "nul_byte").await, 2);
}

#[tokio::test]
async fn a_back_link_leaves_the_site_never() {
    let app = TestApp::spawn().await;
    let c = app.client();
    for back in [
        "/\t/evil.example",
        "//evil.example",
        "/ /evil.example",
        "/\\evil.example",
        "https://evil.example",
    ] {
        let r = app
            .post_form(&c, "/lang", "/sign-in", &[("lang", "en"), ("back", back)])
            .await;
        assert_eq!(r.status().as_u16(), 303, "{back:?}");
        assert_eq!(r.headers()["location"], "/", "{back:?}");
    }
    let r = app
        .post_form(
            &c,
            "/lang",
            "/sign-in",
            &[("lang", "uk"), ("back", "/sign-in?expired=1")],
        )
        .await;
    assert_eq!(r.headers()["location"], "/sign-in?expired=1");
}

#[tokio::test]
async fn a_malformed_id_gets_the_not_found_page_and_an_audit_row() {
    let app = TestApp::spawn().await;
    let c = app.signed_in("officer").await;
    for path in ["/cases/abc", "/organisations/1x", "/procedures/-"] {
        let (status, body) = app.get_text(&c, path).await;
        assert_eq!(status, 404, "{path}");
        assert!(
            body.contains("Не знайдено"),
            "the ordinary page for {path}: {body}"
        );
        assert!(body.contains("номер запису має бути числом"), "{body}");
    }
    assert_eq!(refusals(&app, "malformed_path").await, 3);
}

#[tokio::test]
async fn a_csrf_refusal_leaves_an_audit_row() {
    let app = TestApp::spawn().await;
    let c = app.signed_in("admin").await;
    let r = c
        .post(app.at("/organisations"))
        .form(&[
            ("name", "ГО «Без токена»"),
            ("kind", "ngo"),
            ("territory_id", "2"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    let rows = app.audit(AuditAction::RequestRefused).await;
    let row = rows
        .iter()
        .find(|r| r.details.contains("\"reason\":\"csrf\""))
        .expect("an audit row for the refusal");
    assert_eq!(row.subject_id.as_deref(), Some("/organisations"));
    assert_eq!(
        row.actor_user_id,
        Some(app.user_id("admin").await),
        "the session's person"
    );
}

#[tokio::test]
async fn an_anonymous_body_is_limited_to_a_short_form() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let token = app.csrf(&c, "/sign-in").await;
    let long = "x".repeat(64 * 1024);
    let started = Instant::now();
    let r = c
        .post(app.at("/sign-in"))
        .form(&[
            ("login", long.as_str()),
            ("password", "p"),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 413);
    assert!(r.text().await.unwrap().contains("лише короткі форми"));
    assert!(started.elapsed() < Duration::from_secs(5));
    // A signed-in person may send a long text.
    let admin = app.signed_in("admin").await;
    let token = app.csrf(&admin, "/organisations/new").await;
    let r = admin
        .post(app.at("/organisations"))
        .form(&[
            ("name", long.as_str()),
            ("kind", "ngo"),
            ("territory_id", "2"),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status().as_u16(),
        422,
        "read, then refused beside the field as too long"
    );
}

#[tokio::test]
async fn a_connection_that_never_finishes_its_headers_is_closed() {
    let app = TestApp::spawn_with(|c| c.server.header_read_timeout_secs = 1).await;
    let addr = app.at("").trim_start_matches("http://").to_string();
    let closed_after = tokio::task::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        s.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            .unwrap();
        let started = Instant::now();
        let mut buf = Vec::new();
        // The server closes the connection (with or without a 408 first).
        let _ = s.read_to_end(&mut buf);
        started.elapsed()
    })
    .await
    .unwrap();
    assert!(
        closed_after < Duration::from_secs(5),
        "closed after {closed_after:?}, not held open"
    );
    // Other clients are served as before.
    assert_eq!(app.status(&app.client(), "/healthz").await, 200);
}

#[tokio::test]
async fn an_anonymous_principal_that_reaches_a_protected_service_is_refused_and_audited() {
    let app = TestApp::spawn().await;
    // The context the web layer builds for a request without a session.
    let anonymous = web::context::ReqCtx {
        ip: Some("203.0.113.7".into()),
        request_id: "anon-test".into(),
        lang: web::i18n::Lang::Uk,
        user: None,
        csrf: String::new(),
        now: oberih_testkit::clock_now(),
        path: "/organisations".into(),
        htmx: false,
        form_token: None,
    }
    .store_ctx();
    assert!(matches!(anonymous.principal, store::Principal::Public));
    let listed = store::organisations::list_organisations(
        app.db(),
        &anonymous,
        &store::organisations::OrgFilter::default(),
        10,
    )
    .await;
    assert!(
        matches!(listed, Err(domain::DomainError::Forbidden)),
        "{:?}",
        listed.err()
    );
    let users = store::users::organisations_for_user_form(app.db(), &anonymous).await;
    assert!(users.is_err());
    let denied = app.audit(AuditAction::PermissionDenied).await;
    let mine: Vec<_> = denied
        .iter()
        .filter(|r| r.request_id.as_deref() == Some("anon-test"))
        .collect();
    assert_eq!(mine.len(), 2, "both refusals audited");
    assert!(
        mine.iter()
            .all(|r| r.actor_user_id.is_none() && r.ip.as_deref() == Some("203.0.113.7"))
    );
}
