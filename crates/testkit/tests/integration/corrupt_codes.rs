//! A stored state the code does not know is refused by the database, and if
//! one got past the constraint anyway it is an error page — never a default
//! that renders a corrupt case as open or a corrupt report as an editable draft
//! (issue 10, item 4).

use oberih_testkit::TestApp;
use store::Backend;

/// Writes `value` into `table.column` of row `id` past the column's CHECK:
/// on SQLite with `ignore_check_constraints` on one connection, on PostgreSQL
/// by dropping the constraint in this test's own database.
async fn corrupt(app: &TestApp, table: &str, column: &str, id: i64, value: &str) {
    let update = format!("UPDATE {table} SET {column} = $1 WHERE id = $2");
    match app.db().backend() {
        Backend::Sqlite => {
            let mut conn = app.db().raw_pool().acquire().await.unwrap();
            sqlx::query("PRAGMA ignore_check_constraints = ON")
                .execute(&mut *conn)
                .await
                .unwrap();
            let done = sqlx::query(&update)
                .bind(value)
                .bind(id)
                .execute(&mut *conn)
                .await;
            sqlx::query("PRAGMA ignore_check_constraints = OFF")
                .execute(&mut *conn)
                .await
                .unwrap();
            assert_eq!(done.unwrap().rows_affected(), 1);
        }
        Backend::Postgres => {
            sqlx::query(&format!(
                "ALTER TABLE {table} DROP CONSTRAINT {table}_{column}_check"
            ))
            .execute(app.db().raw_pool())
            .await
            .unwrap();
            let done = sqlx::query(&update)
                .bind(value)
                .bind(id)
                .execute(app.db().raw_pool())
                .await
                .unwrap();
            assert_eq!(done.rows_affected(), 1);
        }
    }
}

/// The error page, with the request id it shows and the one the response carries.
async fn error_page(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, String, String, String) {
    let r = client.get(app.at(path)).send().await.unwrap();
    let status = r.status().as_u16();
    let header = r
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let body = r.text().await.unwrap();
    let shown = body
        .split("Номер запиту: ")
        .nth(1)
        .map(|rest| rest.chars().take_while(char::is_ascii_hexdigit).collect())
        .unwrap_or_default();
    (status, body, header, shown)
}

fn assert_error_page(status: u16, body: &str, header: &str, shown: &str) {
    assert_eq!(status, 500, "{body}");
    assert!(body.contains("Помилка сервера"), "{body}");
    assert_eq!(shown.len(), 16, "the page shows the request id: {body}");
    assert_eq!(shown, header, "the id shown is the request's (x-request-id)");
}

/// (id, reference) of an open case of the demo officer's unit.
async fn open_case_of_officer(app: &TestApp) -> (i64, String) {
    sqlx::query_as(
        "SELECT c.id, c.reference FROM cases c JOIN users u ON u.org_id = c.unit_org_id \
         WHERE u.login = 'officer' AND c.state = 'open' ORDER BY c.id LIMIT 1",
    )
    .fetch_one(app.db().raw_pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn the_database_refuses_a_state_no_enum_has() {
    let app = TestApp::spawn().await;
    let (id, _) = open_case_of_officer(&app).await;
    for (table, column, row) in [
        ("cases", "state", id),
        ("cases", "sex", id),
        ("reports", "state", 1),
        ("organisations", "kind", 1),
    ] {
        let e = sqlx::query(&format!("UPDATE {table} SET {column} = 'bogus' WHERE id = $1"))
            .bind(row)
            .execute(app.db().raw_pool())
            .await
            .expect_err("a CHECK refuses the value");
        let code = e.as_database_error().and_then(|d| d.code()).unwrap_or_default();
        // SQLITE_CONSTRAINT_CHECK; SQLSTATE check_violation.
        assert!(code == "275" || code == "23514", "{table}.{column}: {e}");
    }
    let (state,): (String,) = sqlx::query_as("SELECT state FROM cases WHERE id = $1")
        .bind(id)
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap();
    assert_eq!(state, "open");
}

#[tokio::test]
async fn a_corrupt_case_state_is_an_error_page_not_an_open_case() {
    let app = TestApp::spawn().await;
    let (id, reference) = open_case_of_officer(&app).await;
    let officer = app.signed_in("officer").await;
    let path = format!("/cases/{id}");
    let (status, page) = app.get_text(&officer, &path).await;
    assert_eq!(status, 200);
    assert!(page.contains(&reference));

    corrupt(&app, "cases", "state", id, "bogus").await;
    let (status, body, header, shown) = error_page(&app, &officer, &path).await;
    assert_error_page(status, &body, &header, &shown);
    assert!(!body.contains(&reference), "the case is not rendered");
    // What the store answers (and logs, inside the request's span): the column
    // and the code, no default.
    match store::cases::rows::get(app.db().raw_pool(), id).await {
        Err(domain::DomainError::Internal(m)) => {
            assert_eq!(m, "unknown stored code in cases.state: 'bogus' is no CaseState");
        }
        other => panic!("a corrupt state is an internal error, not {other:?}"),
    }
    // The list of cases reads the same column: an error too, not a line marked open.
    let (status, body, header, shown) = error_page(&app, &officer, "/cases").await;
    assert_error_page(status, &body, &header, &shown);
}

#[tokio::test]
async fn a_corrupt_report_state_is_an_error_page_not_an_editable_draft() {
    let app = TestApp::spawn().await;
    let org = app.org_id("ПОЦЗ").await;
    let (id,): (i64,) = sqlx::query_as(
        "SELECT r.id FROM reports r JOIN reporting_periods p ON p.id = r.period_id \
         WHERE r.org_id = $1 AND r.state = 'draft' AND p.state = 'open' ORDER BY r.id LIMIT 1",
    )
    .bind(org)
    .fetch_one(app.db().raw_pool())
    .await
    .unwrap();
    let executor = app.signed_in("executor").await;
    let path = format!("/reports/{id}");
    let (status, page) = app.get_text(&executor, &path).await;
    assert_eq!(status, 200);
    assert!(page.contains("name=\"text\""), "the draft is editable before");

    corrupt(&app, "reports", "state", id, "bogus").await;
    let (status, body, header, shown) = error_page(&app, &executor, &path).await;
    assert_error_page(status, &body, &header, &shown);
    assert!(!body.contains("name=\"text\""), "no editable report form");
}
