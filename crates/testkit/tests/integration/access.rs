//! Permission checks below the handlers: denials answer 404 (or 403 for whole
//! pages) and leave an audit row; nothing changes.

use domain::audit::AuditAction;
use domain::policy::Actor;
use domain::role::{Permission, Role};
use oberih_testkit::TestApp;

async fn denials_for(app: &TestApp, login: &str) -> Vec<store::audit::AuditRow> {
    app.audit(AuditAction::PermissionDenied)
        .await
        .into_iter()
        .filter(|r| r.actor_login.as_deref() == Some(login))
        .collect()
}

#[tokio::test]
async fn a_user_of_one_organisation_cannot_read_or_change_another_organisations_users() {
    let app = TestApp::spawn().await;
    let exec = app.signed_in("executor").await; // employment centre
    let police_user = app.user_id("police").await; // police main office
    let own_org = app.org_id("ПОЦЗ").await;
    let other_org = app.org_id("ГУНП").await;

    let (status, body) = app.get_text(&exec, &format!("/users/{police_user}")).await;
    assert_eq!(status, 404);
    assert!(!body.contains("Віктор Пробний"), "nothing of the user leaks");
    for path in [
        format!("/users/{police_user}/disable"),
        format!("/users/{police_user}/password"),
        format!("/users/{police_user}"),
    ] {
        let r = app
            .post_form(
                &exec,
                &path,
                "/",
                &[
                    ("password", "нове-довге-гасло-123"),
                    ("full_name", "X"),
                    ("org_id", "1"),
                    ("roles", "executor"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 404, "{path}");
    }
    let (status, _) = app.get_text(&exec, &format!("/users/{police_user}/edit")).await;
    assert_eq!(status, 404);

    // Nothing changed, and every try is in the audit trail with the subject.
    let u = store::users::rows::get(app.db().raw_pool(), police_user)
        .await
        .unwrap()
        .unwrap();
    assert!(!u.disabled.0 && !u.must_change_password.0);
    let rows = denials_for(&app, "executor").await;
    assert_eq!(rows.len(), 5, "{rows:?}");
    assert!(rows.iter().all(|r| r.subject_kind.as_deref() == Some("user")
        && r.subject_id.as_deref() == Some(police_user.to_string().as_str())));

    // Members of another organisation are not listed on its page; one's own are.
    let (_, other_page) = app.get_text(&exec, &format!("/organisations/{other_org}")).await;
    assert!(!other_page.contains("id=\"members\""));
    let (_, own_page) = app.get_text(&exec, &format!("/organisations/{own_org}")).await;
    assert!(own_page.contains("Тарас Тестенко (демо)"));
    // A colleague in one's own organisation can be viewed but not managed.
    let colleague = app.signed_in("police").await;
    let children_user = app.user_id("children").await;
    assert_eq!(
        app.get_text(&colleague, &format!("/users/{children_user}"))
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn a_missing_user_and_a_forbidden_user_look_the_same() {
    let app = TestApp::spawn().await;
    let exec = app.signed_in("executor").await;
    let (s1, b1) = app.get_text(&exec, "/users/999999").await;
    let police_user = app.user_id("police").await;
    let (s2, b2) = app.get_text(&exec, &format!("/users/{police_user}")).await;
    assert_eq!((s1, s2), (404, 404));
    let strip = |b: &str| {
        b.split("<main")
            .nth(1)
            .and_then(|m| m.split("</main>").next())
            .unwrap_or("")
            .to_string()
    };
    assert!(!strip(&b1).is_empty());
    assert_eq!(strip(&b1), strip(&b2));
}

#[tokio::test]
async fn the_administrator_manages_users_in_their_territory_but_not_themselves() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let exec_id = app.user_id("executor").await;
    assert_eq!(app.get_text(&admin, &format!("/users/{exec_id}")).await.0, 200);
    let r = app
        .post_form(&admin, &format!("/users/{exec_id}/disable"), "/", &[])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let me = app.user_id("admin").await;
    let r = app
        .post_form(&admin, &format!("/users/{me}/disable"), "/", &[])
        .await;
    assert_eq!(
        r.status().as_u16(),
        404,
        "no self-management through the admin path"
    );
    // The ministry's user sits outside the oblast administrator's territory.
    let national = app.user_id("national").await;
    assert_eq!(app.get_text(&admin, &format!("/users/{national}")).await.0, 404);
    assert_eq!(denials_for(&app, "admin").await.len(), 2);
}

#[tokio::test]
async fn the_administrators_permissions_exclude_case_content() {
    let app = TestApp::spawn().await;
    let admin_id = app.user_id("admin").await;
    let roles = store::users::rows::roles_of(app.db().raw_pool(), admin_id)
        .await
        .unwrap();
    assert!(roles.contains(Role::Administrator));
    let user = store::users::rows::get(app.db().raw_pool(), admin_id)
        .await
        .unwrap()
        .unwrap();
    let actor = Actor {
        user_id: admin_id,
        org_id: user.org_id,
        territory: domain::territory::TerritoryPath::parse(&user.org_territory_path).unwrap(),
        roles,
    };
    assert!(!actor.may_read_case_content());
    for p in [
        Permission::ReadCaseContent,
        Permission::ViewReferredCases,
        Permission::RunStatusProcedure,
    ] {
        assert!(!actor.has(p), "{p}");
    }
    // Nor can an administrator be given a role that sees cases.
    let admin = app.signed_in("admin").await;
    let r = app
        .post_form(
            &admin,
            &format!("/users/{}", app.user_id("analyst").await),
            "/",
            &[
                ("full_name", "Богдан Модельний (демо)"),
                ("org_id", &user.org_id.to_string()),
                ("roles", "administrator"),
                ("roles", "case_officer"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Адміністратор не може мати ролей із доступом до справ")
    );
}

#[tokio::test]
async fn pages_outside_ones_roles_are_refused_and_recorded() {
    let app = TestApp::spawn().await;
    let exec = app.signed_in("executor").await;
    for path in ["/audit", "/users/new", "/organisations/new"] {
        let (status, body) = app.get_text(&exec, path).await;
        assert_eq!(status, 403, "{path}");
        assert!(body.contains("Немає доступу"));
    }
    let r = app
        .post_form(
            &exec,
            "/organisations",
            "/",
            &[("name", "X"), ("kind", "ngo"), ("territory_id", "2")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 403);
    let rows = denials_for(&app, "executor").await;
    assert_eq!(rows.len(), 4);
    assert!(rows.iter().any(|r| r.subject_id.as_deref() == Some("audit_log")));
}
