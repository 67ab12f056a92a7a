//! User administration through the pages.

use oberih_testkit::TestApp;

#[tokio::test]
async fn the_administrator_creates_a_user_who_must_change_the_temporary_password() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let org = app.org_id("ПОЦСС").await.to_string();
    let r = app
        .post_form(
            &admin,
            "/users",
            "/users/new",
            &[
                ("login", "Bad Login"),
                ("full_name", ""),
                ("org_id", &org),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    for field in ["login", "full_name", "roles", "password"] {
        assert!(body.contains(&format!("id=\"{field}-error\"")), "{field}");
    }
    assert!(body.contains("value=\"Bad Login\""), "typed login kept");
    assert!(!body.contains("value=\"short\""), "a password is never sent back");

    let r = app
        .post_form(
            &admin,
            "/users",
            "/users/new",
            &[
                ("login", "s.worker"),
                ("full_name", "Соціальна Працівниця (демо)"),
                ("org_id", &org),
                ("roles", "executor"),
                ("password", "початкове-гасло-2026"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let dup = app
        .post_form(
            &admin,
            "/users",
            "/users/new",
            &[
                ("login", "s.worker"),
                ("full_name", "Інша (демо)"),
                ("org_id", &org),
                ("roles", "executor"),
                ("password", "початкове-гасло-2026"),
            ],
        )
        .await;
    assert_eq!(dup.status().as_u16(), 422);
    assert!(dup.text().await.unwrap().contains("Такий логін уже зайнято."));

    let u = app.client();
    assert_eq!(
        app.try_sign_in(&u, "s.worker", "початкове-гасло-2026")
            .await
            .status()
            .as_u16(),
        303
    );
    let r = u.get(app.at("/")).send().await.unwrap();
    assert_eq!(r.headers()["location"], "/account?must_change=1");
}

#[tokio::test]
async fn disabling_a_user_ends_their_sessions_and_stops_sign_in() {
    let app = TestApp::spawn().await;
    let hotline = app.signed_in("hotline").await;
    let admin = app.signed_in("admin").await;
    let id = app.user_id("hotline").await;
    assert_eq!(
        app.post_form(&admin, &format!("/users/{id}/disable"), "/", &[])
            .await
            .status()
            .as_u16(),
        303
    );
    assert_eq!(app.status(&hotline, "/").await, 303);
    let c = app.client();
    assert_eq!(
        app.try_sign_in(&c, "hotline", oberih_testkit::DEMO_PASSWORD)
            .await
            .status()
            .as_u16(),
        401
    );
    assert_eq!(
        app.post_form(&admin, &format!("/users/{id}/enable"), "/", &[])
            .await
            .status()
            .as_u16(),
        303
    );
    assert_eq!(
        app.try_sign_in(&c, "hotline", oberih_testkit::DEMO_PASSWORD)
            .await
            .status()
            .as_u16(),
        303
    );
}
