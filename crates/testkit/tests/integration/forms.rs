//! A creating form sent twice — a reload, a double click, a resend on a flaky
//! line — with its idempotency token (`store::forms`): one record is written,
//! and both answers are `303 See Other` to the same result page.

use crate::procedures::{ctx_of, open_case};
use oberih_testkit::{TestApp, csrf_in};
use reqwest::Client;

/// The `form_token` of the first creating form of a page.
fn form_token_in(html: &str) -> String {
    let marker = "name=\"form_token\" value=\"";
    let at = html
        .find(marker)
        .unwrap_or_else(|| panic!("no form token on the page: {html}"))
        + marker.len();
    html[at..].split('"').next().unwrap().to_string()
}

/// The CSRF token and the form token of the form page at `page`.
async fn tokens(app: &TestApp, c: &Client, page: &str) -> (String, String) {
    let (status, html) = app.get_text(c, page).await;
    assert_eq!(status, 200, "{page}: {html}");
    (csrf_in(&html).unwrap(), form_token_in(&html))
}

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .unwrap_or_else(|| panic!("no location on a {} answer", r.status()))
        .to_str()
        .unwrap()
        .to_string()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap()
}

/// POSTs the form at `page` to `path` twice with the same body, token included.
async fn post_twice(
    app: &TestApp,
    c: &Client,
    path: &str,
    page: &str,
    fields: &[(&str, String)],
) -> (reqwest::Response, reqwest::Response) {
    let (csrf, token) = tokens(app, c, page).await;
    let mut body: Vec<(String, String)> = fields.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
    body.push(("csrf_token".into(), csrf));
    body.push(("form_token".into(), token));
    let send = || c.post(app.at(path)).form(&body).send();
    let first = send().await.unwrap();
    let second = send().await.unwrap();
    (first, second)
}

/// Both answers are 303 to the same page, and that page opens.
async fn same_result(
    app: &TestApp,
    c: &Client,
    first: &reqwest::Response,
    second: &reqwest::Response,
) -> String {
    assert_eq!(first.status().as_u16(), 303, "the first submission");
    assert_eq!(second.status().as_u16(), 303, "the repeated submission");
    let (a, b) = (location(first), location(second));
    assert_eq!(a, b, "both go to the first submission's result");
    let (status, _) = app.get_text(c, &a).await;
    assert_eq!(status, 200, "{a}");
    a
}

async fn territory(app: &TestApp, name: &str) -> String {
    store::reference::territories::find(app.db().raw_pool(), name)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no territory {name}"))
        .id
        .to_string()
}

async fn notice_fields(app: &TestApp, surname: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "identified_on",
            store::dates::kyiv_date(app.state.clock.now_secs()).to_string(),
        ),
        ("territory_id", territory(app, "Полтавський район").await),
        ("came_to_attention", "police".into()),
        ("forms", "labour".into()),
        ("sex", "female".into()),
        ("consent", "yes".into()),
        ("surname", surname.into()),
        ("given_name", "Дарина".into()),
        ("birth_date", "1991-05-06".into()),
        // Recorded even if the demo holds someone similar.
        ("confirm_duplicates", "1".into()),
    ]
}

// ---------------------------------------------------------------- one record per token

#[tokio::test]
async fn a_notice_sent_twice_is_recorded_once() {
    let app = TestApp::spawn().await;
    let police = app.signed_in("police").await;
    let before = count(&app, "SELECT COUNT(*) FROM cases").await;
    let fields = notice_fields(&app, "Двічівідправлена").await;
    let (first, second) = post_twice(&app, &police, "/notices", "/notices/new", &fields).await;
    let result = same_result(&app, &police, &first, &second).await;
    assert_eq!(count(&app, "SELECT COUNT(*) FROM cases").await, before + 1);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM persons WHERE surname = 'Двічівідправлена'"
        )
        .await,
        1
    );
    assert!(
        result.starts_with("/notices/") && result.ends_with("?done=recorded"),
        "{result}"
    );
    // Reloading the confirmation is a GET: it shows the notice and records nothing.
    let (_, page) = app.get_text(&police, &result).await;
    assert!(page.contains("id=\"notice-reference\""), "{page}");
    app.get_text(&police, &result).await;
    assert_eq!(count(&app, "SELECT COUNT(*) FROM cases").await, before + 1);
}

#[tokio::test]
async fn an_organisation_sent_twice_is_created_once() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let before = count(&app, "SELECT COUNT(*) FROM organisations").await;
    let fields = vec![
        ("name", "Громадська організація «Двічі»".to_string()),
        ("kind", "ngo".into()),
        ("territory_id", territory(&app, "Полтавський район").await),
    ];
    let (first, second) = post_twice(&app, &admin, "/organisations", "/organisations/new", &fields).await;
    let result = same_result(&app, &admin, &first, &second).await;
    assert!(result.ends_with("?done=created"), "{result}");
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM organisations").await,
        before + 1
    );
}

#[tokio::test]
async fn a_referral_sent_twice_is_sent_once() {
    let app = TestApp::spawn().await;
    let (case_id, _) = open_case(&app, "Направленко").await;
    let officer = app.signed_in("officer").await;
    let ngo = app.org_id("БО «Світло надії»").await.to_string();
    let path = format!("/cases/{case_id}/referrals/new");
    let referrals = format!("SELECT COUNT(*) FROM referrals WHERE case_id = {case_id}");
    let before = count(&app, &referrals).await;
    let fields = vec![
        ("org_id", ngo),
        ("purpose", "shelter".to_string()),
        ("fields", "facts".into()),
    ];
    let (first, second) = post_twice(&app, &officer, &path, &path, &fields).await;
    let result = same_result(&app, &officer, &first, &second).await;
    assert_eq!(result, format!("/cases/{case_id}?done=referred"));
    assert_eq!(count(&app, &referrals).await, before + 1);
}

#[tokio::test]
async fn a_measure_sent_twice_is_added_once() {
    let app = TestApp::spawn().await;
    let coordinator = app.signed_in("coordinator").await;
    let (plan_id, task_id): (i64, i64) =
        sqlx::query_as("SELECT plan_id, MIN(id) FROM plan_tasks GROUP BY plan_id")
            .fetch_one(app.db().raw_pool())
            .await
            .unwrap();
    let text = "Захід, надісланий двічі";
    let measures = format!("SELECT COUNT(*) FROM plan_measures WHERE text = '{text}'");
    let fields = vec![
        ("text", text.to_string()),
        ("term", "2026".into()),
        ("executors", app.org_id("ДСЗН ОВА").await.to_string()),
    ];
    let (first, second) = post_twice(
        &app,
        &coordinator,
        &format!("/plans/{plan_id}/tasks/{task_id}/measures"),
        &format!("/plans/{plan_id}/tasks/{task_id}/measures/new"),
        &fields,
    )
    .await;
    let result = same_result(&app, &coordinator, &first, &second).await;
    let (mid,): (i64,) = sqlx::query_as("SELECT id FROM plan_measures WHERE text = $1")
        .bind(text)
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap();
    assert_eq!(result, format!("/plans/{plan_id}?done=measure-added#m-{mid}"));
    assert_eq!(count(&app, &measures).await, 1);
}

#[tokio::test]
async fn a_report_attachment_sent_twice_is_kept_once() {
    let app = TestApp::spawn().await;
    let org = app.org_id("ПОЦЗ").await;
    let (report_id,): (i64,) = sqlx::query_as(
        "SELECT r.id FROM reports r JOIN reporting_periods p ON p.id = r.period_id \
         WHERE r.org_id = $1 AND r.state = 'draft' AND p.state = 'open' \
         ORDER BY p.year DESC, p.half DESC, r.id LIMIT 1",
    )
    .bind(org)
    .fetch_one(app.db().raw_pool())
    .await
    .unwrap();
    let executor = app.signed_in("executor").await;
    let page = format!("/reports/{report_id}");
    let (csrf, token) = tokens(&app, &executor, &page).await;
    let attachments = format!("SELECT COUNT(*) FROM report_attachments WHERE report_id = {report_id}");
    let before = count(&app, &attachments).await;
    let send = || {
        let form = reqwest::multipart::Form::new()
            .text("csrf_token", csrf.clone())
            .text("form_token", token.clone())
            .part(
                "file",
                reqwest::multipart::Part::bytes(b"%PDF-1.7 twice".to_vec()).file_name("twice.pdf"),
            );
        executor
            .post(app.at(&format!("{page}/attachments")))
            .multipart(form)
            .send()
    };
    let first = send().await.unwrap();
    let second = send().await.unwrap();
    let result = same_result(&app, &executor, &first, &second).await;
    assert_eq!(result, format!("/reports/{report_id}?done=attached"));
    assert_eq!(count(&app, &attachments).await, before + 1);
}

// ---------------------------------------------------------------- the edges

#[tokio::test]
async fn two_submissions_at_once_write_one_record() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let (csrf, token) = tokens(&app, &admin, "/organisations/new").await;
    let body = vec![
        ("name".to_string(), "ГО «Подвійний клік»".to_string()),
        ("kind".into(), "ngo".into()),
        ("territory_id".into(), territory(&app, "Полтавський район").await),
        ("csrf_token".into(), csrf),
        ("form_token".into(), token),
    ];
    let send = || admin.post(app.at("/organisations")).form(&body).send();
    let (first, second) = tokio::join!(send(), send());
    let (first, second) = (first.unwrap(), second.unwrap());
    same_result(&app, &admin, &first, &second).await;
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM organisations WHERE name = 'ГО «Подвійний клік»'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_refused_form_keeps_its_token_for_the_corrected_one() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let (csrf, token) = tokens(&app, &admin, "/organisations/new").await;
    let raion = territory(&app, "Полтавський район").await;
    let send = |name: &str| {
        let body = vec![
            ("name", name.to_string()),
            ("kind", "ngo".into()),
            ("territory_id", raion.clone()),
            ("csrf_token", csrf.clone()),
            ("form_token", token.clone()),
        ];
        admin.post(app.at("/organisations")).form(&body).send()
    };
    let refused = send("  ").await.unwrap();
    assert_eq!(refused.status().as_u16(), 422);
    // The form comes back carrying the same token: the corrected form is still the first submission.
    assert_eq!(form_token_in(&refused.text().await.unwrap()), token);
    let created = send("ГО «Виправлена»").await.unwrap();
    assert_eq!(created.status().as_u16(), 303);
    let again = send("ГО «Виправлена»").await.unwrap();
    assert_eq!(location(&again), location(&created));
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM organisations WHERE name = 'ГО «Виправлена»'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_token_claimed_by_someone_else_creates_nothing_and_leads_nowhere() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let fields = vec![
        ("name", "ГО «Чужий ключ»".to_string()),
        ("kind", "ngo".into()),
        ("territory_id", territory(&app, "Полтавський район").await),
    ];
    let (csrf, token) = tokens(&app, &admin, "/organisations/new").await;
    let mut body: Vec<(&str, String)> = fields.clone();
    body.push(("csrf_token", csrf));
    body.push(("form_token", token.clone()));
    let r = admin
        .post(app.at("/organisations"))
        .form(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);

    // Someone else's browser sends the same token with a form of their own:
    // refused, and not sent on to the first person's page.
    let officer = app.signed_in("officer").await;
    let (csrf, _) = tokens(&app, &officer, "/notices/new").await;
    let mut body: Vec<(&str, String)> = notice_fields(&app, "Чужоключна").await;
    body.push(("csrf_token", csrf));
    body.push(("form_token", token));
    let cases = count(&app, "SELECT COUNT(*) FROM cases").await;
    let r = officer.post(app.at("/notices")).form(&body).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 409);
    assert!(r.headers().get("location").is_none());
    assert_eq!(count(&app, "SELECT COUNT(*) FROM cases").await, cases);
}

#[tokio::test]
async fn tokens_are_forgotten_after_a_day() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let fields = vec![
        ("name", "ГО «Учорашня»".to_string()),
        ("kind", "ngo".into()),
        ("territory_id", territory(&app, "Полтавський район").await),
    ];
    let (first, _) = post_twice(&app, &admin, "/organisations", "/organisations/new", &fields).await;
    assert_eq!(first.status().as_u16(), 303);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM form_submissions").await, 1);
    let now = app.state.clock.now_secs();
    assert_eq!(store::forms::purge(app.db(), now).await.unwrap(), 0);
    let purged = store::forms::purge(app.db(), now + store::forms::KEEP_SECONDS + 1)
        .await
        .unwrap();
    assert_eq!(purged, 1);
}

#[tokio::test]
async fn the_store_refuses_a_second_claim_of_a_token_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let token = store::forms::new_token();
    let ctx = ctx_of(&app, "admin")
        .await
        .submitting(Some(&token), "/organisations/{id}?done=created");
    let form = domain::organisation::OrganisationForm {
        name: "ГО «Один ключ»".into(),
        kind: "ngo".into(),
        territory_id: territory(&app, "Полтавський район").await,
        ..Default::default()
    };
    let id = store::organisations::create_organisation(app.db(), &ctx, &form)
        .await
        .unwrap();
    // No page looked the token up first (two requests at once): the key refuses the second.
    let again = store::organisations::create_organisation(app.db(), &ctx, &form).await;
    assert!(
        matches!(again, Err(domain::DomainError::Conflict(c)) if c == store::forms::RESUBMITTED),
        "{again:?}"
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM organisations WHERE name = 'ГО «Один ключ»'"
        )
        .await,
        1
    );
    let user = app.user_id("admin").await;
    assert_eq!(
        store::forms::previous(app.db(), &token, user).await.unwrap(),
        Some(format!("/organisations/{id}?done=created"))
    );
    assert_eq!(
        store::forms::previous(app.db(), &token, app.user_id("officer").await)
            .await
            .unwrap(),
        None
    );
}

// ---------------------------------------------------------------- the multipart reader

#[tokio::test]
async fn an_upload_with_a_nul_in_a_text_field_or_a_file_too_big_is_refused_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let (case_id, _) = open_case(&app, "Завантаженко").await;
    let officer = app.signed_in("officer").await;
    let page = format!("/cases/{case_id}");
    let (csrf, token) = tokens(&app, &officer, &page).await;
    let documents = format!("SELECT COUNT(*) FROM case_documents WHERE case_id = {case_id}");
    let before = count(&app, &documents).await;
    let send = |kind: &str, bytes: Vec<u8>| {
        let form = reqwest::multipart::Form::new()
            .text("csrf_token", csrf.clone())
            .text("form_token", token.clone())
            .text("kind", kind.to_string())
            .part("file", reqwest::multipart::Part::bytes(bytes).file_name("a.pdf"));
        officer
            .post(app.at(&format!("{page}/documents")))
            .multipart(form)
            .send()
    };
    let r = send("Заява\u{0}", b"%PDF-1.7 nul".to_vec()).await.unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("Недопустимий символ") && body.contains("«kind»"),
        "{body}"
    );
    let refused = app
        .audit(domain::audit::AuditAction::RequestRefused)
        .await
        .iter()
        .filter(|r| r.details.contains("\"reason\":\"nul_byte\""))
        .count();
    assert_eq!(refused, 1, "the refusal is audited, as a form's is");

    let big = vec![b'%'; domain::reporting::MAX_ATTACHMENT_BYTES + 1];
    let r = send("Заява", big).await.unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("id=\"file-error\""), "{body}");
    assert!(body.contains("value=\"Заява\""), "what was typed is kept: {body}");
    assert_eq!(count(&app, &documents).await, before);

    // The token was not used up by the refusals: the same form now goes through, once.
    let r = send("Заява", b"%PDF-1.7 fine".to_vec()).await.unwrap();
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(count(&app, &documents).await, before + 1);
}

#[tokio::test]
async fn a_move_sent_twice_moves_the_measure_once() {
    let app = TestApp::spawn().await;
    let coordinator = app.signed_in("coordinator").await;
    let (plan_id, task_id): (i64, i64) =
        sqlx::query_as("SELECT t.plan_id, t.id FROM plan_tasks t JOIN plan_measures m ON m.task_id = t.id \
                        WHERE m.retired_at IS NULL GROUP BY t.plan_id, t.id HAVING COUNT(*) >= 3 ORDER BY t.id LIMIT 1")
            .fetch_one(app.db().raw_pool())
            .await
            .unwrap();
    let order = |app: &TestApp| {
        let pool = app.db().raw_pool().clone();
        async move {
            let rows: Vec<(i64,)> = sqlx::query_as(
                "SELECT id FROM plan_measures WHERE task_id = $1 AND retired_at IS NULL ORDER BY position, id",
            )
            .bind(task_id)
            .fetch_all(&pool)
            .await
            .unwrap();
            rows.into_iter().map(|(id,)| id).collect::<Vec<_>>()
        }
    };
    let before = order(&app).await;
    let last = *before.last().unwrap();
    let (first, second) = post_twice(
        &app,
        &coordinator,
        &format!("/plans/{plan_id}/measures/{last}/move"),
        &format!("/plans/{plan_id}"),
        &[("direction", "up".to_string())],
    )
    .await;
    same_result(&app, &coordinator, &first, &second).await;
    let after = order(&app).await;
    let n = before.len();
    assert_eq!(
        after[n - 2],
        last,
        "moved up by one place, not two: {before:?} → {after:?}"
    );
}
