//! The demo data set: Poltava oblast and every executor of the Poltava plan; loading twice duplicates nothing.

use oberih_testkit::TestApp;

#[tokio::test]
async fn every_executor_of_the_poltava_plan_is_an_organisation_and_a_second_load_adds_nothing() {
    let app = TestApp::spawn().await;
    let mut rdr = csv::Reader::from_reader(seed::demo::POLTAVA_EXECUTORS_CSV.as_bytes());
    let mut n = 0;
    for r in rdr.records() {
        let r = r.unwrap();
        let o = store::organisations::rows::find_by_name(app.db().raw_pool(), &r[1])
            .await
            .unwrap();
        let o = o.unwrap_or_else(|| panic!("missing {}", &r[1]));
        assert_eq!(o.short_name.as_deref(), Some(&r[0]));
        assert_eq!(o.kind.as_str(), &r[2]);
        assert_eq!(o.by_consent.0, &r[3] == "true");
        n += 1;
    }
    assert_eq!(n, 20);
    let raions = store::reference::territories::list_all(app.db().raw_pool())
        .await
        .unwrap();
    let names: Vec<&str> = raions
        .iter()
        .filter(|t| t.level == domain::territory::TerritoryLevel::Raion)
        .map(|t| t.name_uk.as_str())
        .collect();
    assert_eq!(names.len(), 4);
    for r in [
        "Кременчуцький район",
        "Лубенський район",
        "Миргородський район",
        "Полтавський район",
    ] {
        assert!(names.contains(&r), "{r}");
    }

    let before = counts(&app).await;
    let accounts = seed::demo::load(app.db(), oberih_testkit::clock_now())
        .await
        .unwrap();
    let after = counts(&app).await;
    assert_eq!(before, after);
    assert_eq!(accounts.len(), 15);
    let mut roles: Vec<&str> = accounts
        .iter()
        .flat_map(|a| a.roles.iter().map(|r| r.as_str()))
        .collect();
    roles.sort();
    roles.dedup();
    assert_eq!(roles.len(), domain::role::Role::ALL.len(), "one account per role");
}

async fn counts(app: &TestApp) -> Vec<i64> {
    let mut v = Vec::new();
    for table in [
        "territories",
        "organisations",
        "users",
        "user_roles",
        "bodies",
        "body_members",
    ] {
        let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(app.db().raw_pool())
            .await
            .unwrap();
        v.push(n);
    }
    v
}

#[tokio::test]
async fn health_and_metrics_answer() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let r = c.get(app.at("/healthz")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    app.get_text(&c, "/sign-in").await;
    let (status, body) = app.get_text(&c, "/metrics").await;
    assert_eq!(status, 200);
    assert!(
        body.contains("oberih_http_requests_total{method=\"GET\",route=\"/sign-in\",status=\"200\"} 1"),
        "{body}"
    );
    assert!(body.contains("oberih_http_request_duration_seconds_bucket"));
    assert!(!body.contains("/users/"), "routes, never concrete URLs");
    app.db().close().await;
    assert_eq!(app.status(&c, "/healthz").await, 503);
}
