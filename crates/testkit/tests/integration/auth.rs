//! Signing in and out, lock-out, session lifetime.

use domain::audit::AuditAction;
use oberih_testkit::{DEMO_PASSWORD, TestApp};

#[tokio::test]
async fn sign_in_lands_on_the_home_page_and_is_audited() {
    let app = TestApp::spawn().await;
    let c = app.signed_in("coordinator").await;
    let (status, body) = app.get_text(&c, "/").await;
    assert_eq!(status, 200);
    assert!(body.contains("Вітаємо, Марина Прикладна (демо)"), "{body}");
    assert!(body.contains("data-role=\"regional_coordinator\""));
    let rows = app.audit(AuditAction::SignIn).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].actor_login.as_deref(), Some("coordinator"));
    assert_eq!(rows[0].ip.as_deref(), Some("127.0.0.1"));
    assert!(rows[0].request_id.as_deref().is_some_and(|r| r.len() == 16));
}

#[tokio::test]
async fn anonymous_visitors_are_sent_to_sign_in() {
    let app = TestApp::spawn().await;
    let r = app.client().get(app.at("/organisations")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(r.headers()["location"], "/sign-in");
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_audited_without_saying_which_part_was_wrong() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let r = app.try_sign_in(&c, "executor", "not-the-password").await;
    assert_eq!(r.status().as_u16(), 401);
    let body = r.text().await.unwrap();
    assert!(body.contains("Неправильний логін або пароль."));
    assert!(body.contains("value=\"executor\""), "the login typed is kept");
    let r = app.try_sign_in(&c, "nobody-here", "whatever-password").await;
    assert_eq!(r.status().as_u16(), 401);
    let rows = app.audit(AuditAction::SignInFailed).await;
    assert_eq!(rows.len(), 2);
    let unknown = rows[0].subject_id.as_deref().unwrap_or("");
    assert!(
        unknown.starts_with("unknown:") && !unknown.contains("nobody"),
        "what was typed as an unknown login is not stored: {unknown}"
    );
    assert!(rows[0].details.contains("unknown_login"));
    assert!(rows[1].details.contains("wrong_password"));
}

#[tokio::test]
async fn five_failures_lock_the_login_for_the_window_even_for_the_right_password() {
    let app = TestApp::spawn().await;
    let c = app.client();
    for _ in 0..5 {
        assert_eq!(
            app.try_sign_in(&c, "analyst", "wrong-password-1")
                .await
                .status()
                .as_u16(),
            401
        );
    }
    let r = app.try_sign_in(&c, "analyst", DEMO_PASSWORD).await;
    assert_eq!(r.status().as_u16(), 429);
    let retry: i64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=15 * 60).contains(&retry), "{retry}");
    assert!(r.text().await.unwrap().contains("Забагато невдалих спроб входу"));
    assert_eq!(app.audit(AuditAction::SignInLocked).await.len(), 1);
    // Other logins from the same address are not locked by this one.
    assert_eq!(
        app.try_sign_in(&c, "auditor", DEMO_PASSWORD)
            .await
            .status()
            .as_u16(),
        303
    );
    // After the window the right password works again.
    app.state.clock.advance(15 * 60 + 1);
    let c2 = app.client();
    assert_eq!(
        app.try_sign_in(&c2, "analyst", DEMO_PASSWORD)
            .await
            .status()
            .as_u16(),
        303
    );
}

#[tokio::test]
async fn too_many_failures_from_one_address_lock_that_address() {
    let app = TestApp::spawn_with(|c| c.security.sign_in_failures_per_ip = 3).await;
    let c = app.client();
    for login in ["a-one", "a-two", "a-three"] {
        assert_eq!(
            app.try_sign_in(&c, login, "wrong-password-x")
                .await
                .status()
                .as_u16(),
            401
        );
    }
    assert_eq!(
        app.try_sign_in(&c, "coordinator", DEMO_PASSWORD)
            .await
            .status()
            .as_u16(),
        429
    );
}

/// The `Set-Cookie` line of the session cookie in a response.
fn session_cookie(r: &reqwest::Response) -> String {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("oberih_session="))
        .map(str::to_string)
        .expect("a session cookie")
}

fn token_of(cookie: &str) -> &str {
    cookie
        .split(';')
        .next()
        .unwrap_or("")
        .trim_start_matches("oberih_session=")
}

#[tokio::test]
async fn each_sign_in_gets_a_new_session_token() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let first = session_cookie(&app.try_sign_in(&c, "auditor", DEMO_PASSWORD).await);
    let c2 = app.client();
    let second = session_cookie(&app.try_sign_in(&c2, "auditor", DEMO_PASSWORD).await);
    assert_eq!(token_of(&first).len(), 64);
    assert_ne!(token_of(&first), token_of(&second));
    // Signing in again in the same browser replaces its session.
    let again = app
        .post_form(
            &c,
            "/sign-in",
            "/",
            &[("login", "auditor"), ("password", DEMO_PASSWORD)],
        )
        .await;
    let third = session_cookie(&again);
    assert_ne!(token_of(&first), token_of(&third));
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions")
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap();
    assert_eq!(n, 2, "the first browser's old session is gone");
    let r = app.client().post(app.at("/sign-in")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 403, "no token, no sign-in");
}

async fn sessions_with_id(app: &TestApp, id: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions WHERE id_hash = $1")
        .bind(id)
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap();
    n
}

#[tokio::test]
async fn session_cookies_are_http_only_and_strict_and_only_a_hash_is_stored() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let cookie = session_cookie(&app.try_sign_in(&c, "auditor", DEMO_PASSWORD).await);
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let token = token_of(&cookie).to_string();
    assert_eq!(
        sessions_with_id(&app, &token).await,
        0,
        "the token itself is not stored"
    );
    assert_eq!(
        sessions_with_id(&app, &store::auth::sessions::hash_token(&token)).await,
        1,
        "its hash is"
    );
}

#[tokio::test]
async fn an_idle_session_expires_and_a_busy_one_ends_at_the_absolute_limit() {
    let app = TestApp::spawn().await;
    let c = app.signed_in("auditor").await;
    app.state.clock.advance(29 * 60);
    assert_eq!(app.get_text(&c, "/").await.0, 200);
    app.state.clock.advance(29 * 60);
    assert_eq!(
        app.get_text(&c, "/").await.0,
        200,
        "activity keeps the session alive"
    );
    app.state.clock.advance(31 * 60);
    let r = c.get(app.at("/")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 303, "idle for 31 minutes");

    let c = app.signed_in("auditor").await;
    for _ in 0..40 {
        app.state.clock.advance(20 * 60);
        if app.status(&c, "/").await != 200 {
            return;
        }
    }
    panic!("a session used every 20 minutes must still end after 12 hours");
}

#[tokio::test]
async fn sign_out_ends_the_session_and_is_audited() {
    let app = TestApp::spawn().await;
    let c = app.signed_in("hotline").await;
    let r = app.post_form(&c, "/sign-out", "/", &[]).await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(app.status(&c, "/").await, 303);
    let rows = app.audit(AuditAction::SignOut).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].actor_login.as_deref(), Some("hotline"));
}

#[tokio::test]
async fn sign_out_everywhere_ends_every_session_of_the_user() {
    let app = TestApp::spawn().await;
    let laptop = app.signed_in("officer").await;
    let phone = app.signed_in("officer").await;
    let other = app.signed_in("police").await;
    let r = app
        .post_form(&laptop, "/account/sign-out-everywhere", "/account", &[])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(app.status(&phone, "/").await, 303);
    assert_eq!(app.status(&laptop, "/").await, 303);
    assert_eq!(app.status(&other, "/").await, 200);
    let rows = app.audit(AuditAction::SignOutEverywhere).await;
    assert_eq!(rows.len(), 1);
    assert!(rows[0].details.contains("\"sessions\":2"), "{}", rows[0].details);
}

#[tokio::test]
async fn changing_my_password_checks_the_current_one_and_ends_other_sessions() {
    let app = TestApp::spawn().await;
    let c = app.signed_in("executor").await;
    let other = app.signed_in("executor").await;
    let r = app
        .post_form(
            &c,
            "/account/password",
            "/account",
            &[("current_password", "wrong"), ("new_password", "short")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("id=\"current_password-error\""));
    assert!(body.contains("Пароль має містити щонайменше 12 символів."));
    let r = app
        .post_form(
            &c,
            "/account/password",
            "/account",
            &[
                ("current_password", DEMO_PASSWORD),
                ("new_password", "тиха-вода-греблю-рве"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(app.get_text(&c, "/").await.0, 200, "this session stays");
    assert_eq!(app.status(&other, "/").await, 303, "others end");
    assert_eq!(app.audit(AuditAction::PasswordChanged).await.len(), 1);
    let fresh = app.client();
    assert_eq!(
        app.try_sign_in(&fresh, "executor", "тиха-вода-греблю-рве")
            .await
            .status()
            .as_u16(),
        303
    );
}

#[tokio::test]
async fn the_language_switch_shows_english_and_remembers_it() {
    let app = TestApp::spawn().await;
    let c = app.signed_in("analyst").await;
    let r = app
        .post_form(&c, "/lang", "/", &[("lang", "en"), ("back", "/organisations")])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(r.headers()["location"], "/organisations");
    let (_, body) = app.get_text(&c, "/").await;
    assert!(body.contains("<html lang=\"en\">"));
    assert!(body.contains("Welcome, Богдан Модельний (демо)"));
    assert!(body.contains(">Analyst<"));
    let r = app
        .post_form(
            &c,
            "/lang",
            "/",
            &[("lang", "uk"), ("back", "https://evil.example/")],
        )
        .await;
    assert_eq!(r.headers()["location"], "/", "never redirects off-site");
}
