//! Cross-site request forgery: every state-changing request needs the token and a same-site Origin.

use oberih_testkit::TestApp;

const NEW_ORG: &[(&str, &str)] = &[
    ("name", "ГО «Перевірка CSRF»"),
    ("kind", "ngo"),
    ("territory_id", "2"),
];

async fn org_count(app: &TestApp) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM organisations")
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap();
    n
}

#[tokio::test]
async fn a_post_without_a_valid_token_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let c = app.signed_in("admin").await;
    let before = org_count(&app).await;

    let r = c
        .post(app.at("/organisations"))
        .form(NEW_ORG)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403, "no token");
    assert!(r.text().await.unwrap().contains("Форму не прийнято"));

    let mut with_wrong: Vec<(&str, &str)> = NEW_ORG.to_vec();
    with_wrong.push((
        "csrf_token",
        "0000000000000000000000000000000000000000000000000000000000000000",
    ));
    let r = c
        .post(app.at("/organisations"))
        .form(&with_wrong)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403, "wrong token");

    // A token from another person's session does not work in this one.
    let other = app.signed_in("coordinator").await;
    let foreign = app.csrf(&other, "/").await;
    let mut with_foreign: Vec<(&str, &str)> = NEW_ORG.to_vec();
    with_foreign.push(("csrf_token", &foreign));
    let r = c
        .post(app.at("/organisations"))
        .form(&with_foreign)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403, "another session's token");

    // The right token from a foreign origin is refused too.
    let token = app.csrf(&c, "/organisations/new").await;
    let mut with_token: Vec<(&str, &str)> = NEW_ORG.to_vec();
    with_token.push(("csrf_token", &token));
    let r = c
        .post(app.at("/organisations"))
        .header("origin", "https://evil.example")
        .form(&with_token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403, "foreign origin");
    assert_eq!(org_count(&app).await, before, "nothing was written");

    // The same request with the token from this site goes through.
    let r = c
        .post(app.at("/organisations"))
        .header("origin", app.url.clone())
        .form(&with_token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(org_count(&app).await, before + 1);
}

#[tokio::test]
async fn htmx_requests_carry_the_token_in_a_header() {
    let app = TestApp::spawn().await;
    let c = app.signed_in("admin").await;
    let token = app.csrf(&c, "/").await;
    let (_, home) = app.get_text(&c, "/").await;
    assert!(home.contains(&format!("hx-headers='{{\"X-CSRF-Token\": \"{token}\"}}'")));
    let r = c
        .post(app.at("/lang"))
        .header("x-csrf-token", token)
        .form(&[("lang", "en"), ("back", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
}

#[tokio::test]
async fn pages_carry_the_security_headers() {
    let app = TestApp::spawn().await;
    let r = app.client().get(app.at("/sign-in")).send().await.unwrap();
    let h = r.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("frame-ancestors 'none'")
            && csp.contains("script-src 'self'")
            && !csp.contains("unsafe-inline")
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "same-origin");
    assert_eq!(h["cache-control"], "no-store");
    assert_eq!(h["x-request-id"].to_str().unwrap().len(), 16);
    let body = r.text().await.unwrap();
    assert!(
        !body.contains("<script>") && !body.contains("onclick="),
        "no inline script"
    );
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let app = TestApp::spawn_with(|c| c.server.max_body_bytes = 4096).await;
    let c = app.signed_in("admin").await;
    let token = app.csrf(&c, "/").await;
    let big = "я".repeat(5000);
    let r = c
        .post(app.at("/organisations"))
        .form(&[("csrf_token", token.as_str()), ("name", big.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 413);
}
