//! Coordination councils and multidisciplinary groups.

use domain::audit::AuditAction;
use oberih_testkit::TestApp;

#[tokio::test]
async fn councils_and_groups_are_listed_with_their_members() {
    let app = TestApp::spawn().await;
    let c = app.signed_in("executor").await;
    let (status, body) = app.get_text(&c, "/bodies").await;
    assert_eq!(status, 200);
    assert!(body.contains("Обласна координаційна рада з питань протидії торгівлі людьми (демонстраційна)"));
    assert!(body.contains("<td>10</td>"), "the oblast council has ten members");
    assert!(body.contains("мультидисциплінарна група"));
    let id: (i64,) = sqlx::query_as("SELECT id FROM bodies WHERE kind = 'multidisciplinary_group'")
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap();
    let (_, detail) = app.get_text(&c, &format!("/bodies/{}", id.0)).await;
    assert!(detail.contains("Полтавська районна військова адміністрація"));
    assert_eq!(detail.matches("<li><a href=\"/organisations/").count(), 4);
    assert_eq!(app.get_text(&c, "/bodies/new").await.0, 403);
}

#[tokio::test]
async fn an_administrator_creates_a_group_and_a_missing_member_list_is_named() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let raion = store::reference::territories::find(app.db().raw_pool(), "Лубенський район")
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();
    let r = app
        .post_form(
            &admin,
            "/bodies",
            "/bodies/new",
            &[
                ("name", "МДГ Лубенського району"),
                ("kind", "multidisciplinary_group"),
                ("territory_id", &raion),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("id=\"members-error\">Оберіть щонайменше одну організацію."));
    assert!(body.contains("value=\"МДГ Лубенського району\""));
    let police = app.org_id("ГУНП").await.to_string();
    let rva = app.org_id("Лубенська РВА").await.to_string();
    let r = app
        .post_form(
            &admin,
            "/bodies",
            "/bodies/new",
            &[
                ("name", "МДГ Лубенського району"),
                ("kind", "multidisciplinary_group"),
                ("territory_id", &raion),
                ("members", &police),
                ("members", &rva),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, detail) = app
        .get_text(&admin, r.headers()["location"].to_str().unwrap())
        .await;
    assert!(
        detail.contains("Лубенська районна військова адміністрація")
            && detail.contains("Головне управління Національної поліції")
    );
    let rows = app.audit(AuditAction::BodyCreated).await;
    assert_eq!(rows[0].actor_login.as_deref(), Some("admin"));
}
