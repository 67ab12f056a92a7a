//! The audit trail: a row for every action, in the same transaction; rows cannot be changed.

use domain::audit::AuditAction;
use oberih_testkit::TestApp;

#[tokio::test]
async fn every_listed_action_leaves_an_audit_row() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let oblast = store::reference::territories::find(app.db().raw_pool(), "Полтавська область")
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();

    // Organisations: create, update, import.
    let r = app
        .post_form(
            &admin,
            "/organisations",
            "/organisations/new",
            &[("name", "БО «Аудит»"), ("kind", "ngo"), ("territory_id", &oblast)],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let org_id: i64 = r.headers()["location"]
        .to_str()
        .unwrap()
        .trim_start_matches("/organisations/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let r = app
        .post_form(
            &admin,
            &format!("/organisations/{org_id}"),
            "/",
            &[
                ("name", "БО «Аудит»"),
                ("kind", "ngo"),
                ("territory_id", &oblast),
                ("email", "audit@example.org"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let ctx = store::Ctx::system(oberih_testkit::clock_now());
    store::organisations::import::import(
        app.db(),
        &ctx,
        "name,kind,territory\nГО «Імпорт»,ngo,Полтавська область\n".as_bytes(),
        None,
    )
    .await
    .unwrap();

    // Users: create, update + roles, disable, enable, reset password.
    let org = org_id.to_string();
    let r = app
        .post_form(
            &admin,
            "/users",
            "/users/new",
            &[
                ("login", "new.user"),
                ("full_name", "Нова Користувачка (демо)"),
                ("org_id", &org),
                ("roles", "executor"),
                ("password", "довге-тимчасове-гасло"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let uid = app.user_id("new.user").await;
    let r = app
        .post_form(
            &admin,
            &format!("/users/{uid}"),
            "/",
            &[
                ("full_name", "Нова Користувачка (демо)"),
                ("org_id", &org),
                ("roles", "executor"),
                ("roles", "hotline_operator"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    for step in ["disable", "enable"] {
        assert_eq!(
            app.post_form(&admin, &format!("/users/{uid}/{step}"), "/", &[])
                .await
                .status()
                .as_u16(),
            303
        );
    }
    let r = app
        .post_form(
            &admin,
            &format!("/users/{uid}/password"),
            "/",
            &[("password", "інше-тимчасове-гасло")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);

    // Sessions: failed sign-in, lock-out, sign-in, password change, sign-out, sign-out everywhere.
    let c = app.client();
    for _ in 0..6 {
        app.try_sign_in(&c, "hotline", "wrong-password-9").await;
    }
    let u = app.client();
    assert_eq!(
        app.try_sign_in(&u, "new.user", "інше-тимчасове-гасло")
            .await
            .status()
            .as_u16(),
        303
    );
    let (status, _) = app.get_text(&u, "/organisations").await;
    assert_eq!(status, 303, "a temporary password must be changed first");
    let r = app
        .post_form(
            &u,
            "/account/password",
            "/account",
            &[
                ("current_password", "інше-тимчасове-гасло"),
                ("new_password", "моє-власне-нове-гасло"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(app.get_text(&u, "/organisations").await.0, 200);
    assert_eq!(
        app.post_form(&u, "/account/sign-out-everywhere", "/account", &[])
            .await
            .status()
            .as_u16(),
        303
    );
    let u = app.signed_in("auditor").await;
    assert_eq!(
        app.post_form(&u, "/sign-out", "/", &[]).await.status().as_u16(),
        303
    );

    // A denial.
    let exec = app.signed_in("executor").await;
    assert_eq!(app.get_text(&exec, &format!("/users/{uid}")).await.0, 404);

    for action in [
        AuditAction::SignIn,
        AuditAction::SignInFailed,
        AuditAction::SignInLocked,
        AuditAction::SignOut,
        AuditAction::SignOutEverywhere,
        AuditAction::PasswordChanged,
        AuditAction::PasswordReset,
        AuditAction::UserCreated,
        AuditAction::UserUpdated,
        AuditAction::UserRolesChanged,
        AuditAction::UserDisabled,
        AuditAction::UserEnabled,
        AuditAction::OrganisationCreated,
        AuditAction::OrganisationUpdated,
        AuditAction::OrganisationsImported,
        AuditAction::BodyCreated,
        AuditAction::PermissionDenied,
    ] {
        let rows = app.audit(action).await;
        assert!(!rows.is_empty(), "no audit row for {action}");
        assert!(
            rows.iter().all(|r| r.at > 0 && r.request_id.is_some()),
            "{action}"
        );
    }
    let roles = app.audit(AuditAction::UserRolesChanged).await;
    assert!(
        roles[0].details.contains("executor,hotline_operator"),
        "{}",
        roles[0].details
    );
    assert_eq!(roles[0].actor_login.as_deref(), Some("admin"));
    assert_eq!(roles[0].subject_id.as_deref(), Some(uid.to_string().as_str()));
}

#[tokio::test]
async fn audit_rows_cannot_be_updated_or_deleted() {
    let app = TestApp::spawn().await;
    app.signed_in("auditor").await;
    let before = app.audit(AuditAction::SignIn).await;
    assert_eq!(before.len(), 1);
    let update = sqlx::query("UPDATE audit_log SET action = 'sign_out' WHERE action = 'sign_in'")
        .execute(app.db().raw_pool())
        .await;
    assert!(
        update.is_err(),
        "UPDATE of an audit row must fail on {}",
        oberih_testkit::backend_name()
    );
    let delete = sqlx::query("DELETE FROM audit_log")
        .execute(app.db().raw_pool())
        .await;
    assert!(
        delete.is_err(),
        "DELETE of audit rows must fail on {}",
        oberih_testkit::backend_name()
    );
    if oberih_testkit::backend_name() == "postgres" {
        assert!(
            sqlx::query("TRUNCATE audit_log")
                .execute(app.db().raw_pool())
                .await
                .is_err()
        );
    }
    assert_eq!(app.audit(AuditAction::SignIn).await.len(), 1);
}

#[tokio::test]
async fn a_failed_change_leaves_no_audit_row() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let before = app.audit(AuditAction::OrganisationCreated).await.len();
    // The name of an existing organisation: refused at the database, rolled back with its audit row.
    let r = app
        .post_form(
            &admin,
            "/organisations",
            "/organisations/new",
            &[
                ("name", "Полтавський обласний центр зайнятості"),
                ("kind", "ngo"),
                ("territory_id", "2"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Організація з такою назвою вже є.")
    );
    assert_eq!(app.audit(AuditAction::OrganisationCreated).await.len(), before);
}

#[tokio::test]
async fn the_auditor_filters_the_log_by_user_action_and_date_and_pages_through_it() {
    let app = TestApp::spawn().await;
    for _ in 0..3 {
        app.signed_in("analyst").await;
    }
    let auditor = app.signed_in("auditor").await;
    let (status, body) = app
        .get_text(&auditor, "/audit?login=analyst&action=sign_in")
        .await;
    assert_eq!(status, 200);
    assert_eq!(body.matches("data-action=\"sign_in\"").count(), 3);
    let today = store::dates::kyiv_date(app.now()).to_string();
    let (_, body) = app
        .get_text(
            &auditor,
            &format!("/audit?action=sign_in&from={today}&to={today}"),
        )
        .await;
    assert_eq!(body.matches("data-action=\"sign_in\"").count(), 4);
    let (_, body) = app
        .get_text(&auditor, "/audit?action=sign_in&from=2001-01-01&to=2001-01-02")
        .await;
    assert_eq!(body.matches("data-action=").count(), 0);
    let (status, body) = app.get_text(&auditor, "/audit?from=01.02.2026").await;
    assert_eq!(status, 422);
    assert!(body.contains("id=\"from-error\""));
    // Demo loading and twenty failed sign-ins make more than a page: the next page continues where the first ended.
    let c = app.client();
    for i in 0..20 {
        app.try_sign_in(&c, &format!("ghost{i}"), "wrong-password-0")
            .await;
    }
    let (_, first) = app.get_text(&auditor, "/audit").await;
    assert_eq!(first.matches("<tr data-action=").count(), 50);
    let next = oberih_testkit::next_href(&first).expect("a next page");
    let (_, second) = app.get_text(&auditor, &next).await;
    assert!(second.matches("<tr data-action=").count() > 0);
}

#[tokio::test]
async fn the_auditor_downloads_the_filtered_log_as_xlsx_and_the_download_is_recorded() {
    use calamine::{Reader, Xlsx};
    let app = TestApp::spawn().await;
    app.signed_in("analyst").await;
    app.signed_in("coordinator").await;
    let auditor = app.signed_in("auditor").await;
    let r = auditor
        .get(app.at("/audit.xlsx?action=sign_in&login=analyst"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(
        r.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = r.bytes().await.unwrap().to_vec();
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheet = wb.worksheet_range("Аудит").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows[0][0], "Журнал аудиту «Оберіг»");
    assert_eq!(
        rows[1][..3],
        ["Час".to_string(), "Користувач".to_string(), "Дія".to_string()]
    );
    assert_eq!(
        rows.len(),
        3,
        "a title, the header and exactly the analyst's one sign-in: {rows:?}"
    );
    assert_eq!(rows[2][1], "analyst");
    assert_eq!(rows[2][2], "Вхід");
    assert_eq!(rows[2][4], "127.0.0.1");
    let exports = app.audit(AuditAction::AuditLogExported).await;
    assert_eq!(exports.len(), 1);
    assert!(
        exports[0].details.contains("\"rows\":1"),
        "{}",
        exports[0].details
    );

    let analyst = app.signed_in("analyst").await;
    assert_eq!(app.status(&analyst, "/audit.xlsx").await, 403);
}
