//! The semiannual reporting cycle through the web: the executor writes and
//! submits, the coordinator returns and accepts, the dashboard counts, the
//! consolidated documents carry what was written; refusals change nothing.

use domain::audit::AuditAction;
use oberih_testkit::TestApp;
use std::io::Read;

/// (report id, period id, state) of the demo executor's (ПОЦЗ) reports, newest period first.
async fn reports_of(app: &TestApp, org: &str) -> Vec<(i64, i64, String, i64)> {
    let org_id = app.org_id(org).await;
    sqlx::query_as(
        "SELECT r.id, r.period_id, r.state, r.version FROM reports r JOIN reporting_periods p ON p.id = r.period_id \
         WHERE r.org_id = $1 ORDER BY p.year DESC, p.half DESC, r.id",
    )
    .bind(org_id)
    .fetch_all(app.db().raw_pool())
    .await
    .unwrap()
}

async fn periods(app: &TestApp) -> Vec<(i64, String)> {
    sqlx::query_as("SELECT id, state FROM reporting_periods ORDER BY year, half")
        .fetch_all(app.db().raw_pool())
        .await
        .unwrap()
}

/// The current (open, deadline ahead) period and a draft of ПОЦЗ in it.
async fn current_draft(app: &TestApp) -> (i64, i64) {
    let ps = periods(app).await;
    let current = ps.last().unwrap().0;
    let draft = reports_of(app, "ПОЦЗ")
        .await
        .into_iter()
        .find(|r| r.1 == current && r.2 == "draft")
        .expect("the demo leaves drafts in the current period");
    (current, draft.0)
}

fn dd(html: &str, id: &str) -> String {
    let marker = format!("id=\"{id}\">");
    let at = html.find(&marker).unwrap_or_else(|| panic!("no #{id}")) + marker.len();
    html[at..].split('<').next().unwrap().trim().to_string()
}

async fn report_state(app: &TestApp, id: i64) -> (String, String, i64) {
    sqlx::query_as("SELECT state, body, version FROM reports WHERE id = $1")
        .bind(id)
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn submit_return_resubmit_accept_and_the_dashboard_follows() {
    let app = TestApp::spawn().await;
    let (period, id) = current_draft(&app).await;
    let exec = app.signed_in("executor").await;
    let coord = app.signed_in("coordinator").await;

    // The executor finds it in their list.
    let (status, list) = app.get_text(&exec, "/my-reports").await;
    assert_eq!(status, 200);
    assert!(list.contains(&format!("data-report-id=\"{id}\"")));

    let (_, before) = app.get_text(&coord, &format!("/periods/{period}")).await;
    let submitted_before: u32 = dd(&before, "total-submitted").parse().unwrap();
    let expected: u32 = dd(&before, "total-expected").parse().unwrap();
    assert!(expected > 0);

    // Submitting an empty text is refused beside the field; nothing changes.
    let page = format!("/reports/{id}");
    let r = app
        .post_form(
            &exec,
            &page,
            &page,
            &[("version", "1"), ("text", " "), ("action", "submit")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("id=\"text-error\""), "{body}");
    assert_eq!(report_state(&app, id).await.0, "draft");

    let r = app
        .post_form(
            &exec,
            &page,
            &page,
            &[
                ("version", "1"),
                ("text", "Проведено 4 тренінги для 80 учнів."),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(report_state(&app, id).await.0, "submitted");

    let (_, after) = app.get_text(&coord, &format!("/periods/{period}")).await;
    assert_eq!(
        dd(&after, "total-submitted").parse::<u32>().unwrap(),
        submitted_before + 1
    );
    assert!(
        after.contains(&format!("href=\"/reports/{id}\"")),
        "in the review queue"
    );

    // Returning needs a comment.
    let v = report_state(&app, id).await.2.to_string();
    let r = app
        .post_form(
            &coord,
            &format!("{page}/review"),
            &page,
            &[("version", &v), ("decision", "return")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("id=\"comment-error\""));
    let r = app
        .post_form(
            &coord,
            &format!("{page}/review"),
            &page,
            &[
                ("version", &v),
                ("decision", "return"),
                ("comment", "Додайте кількість шкіл."),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(report_state(&app, id).await.0, "returned");

    // The executor sees the comment, edits and submits again.
    let (_, list) = app.get_text(&exec, "/my-reports").await;
    assert!(list.contains("Додайте кількість шкіл."));
    let (_, rp) = app.get_text(&exec, &page).await;
    assert!(rp.contains("id=\"return-comment\""));
    let v = report_state(&app, id).await.2.to_string();
    let r = app
        .post_form(
            &exec,
            &page,
            &page,
            &[
                ("version", &v),
                ("text", "Проведено 4 тренінги для 80 учнів у 3 школах."),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let v = report_state(&app, id).await.2.to_string();
    let r = app
        .post_form(
            &coord,
            &format!("{page}/review"),
            &page,
            &[("version", &v), ("decision", "accept")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(report_state(&app, id).await.0, "accepted");

    let (_, done) = app.get_text(&coord, &format!("/periods/{period}")).await;
    assert_eq!(
        dd(&done, "total-submitted").parse::<u32>().unwrap(),
        submitted_before + 1
    );
    let accepted: u32 = dd(&done, "total-accepted").parse().unwrap();
    assert!(accepted >= 1);
    // Completeness is submitted ÷ expected, as the page says.
    let permille = ((submitted_before + 1) * 1000 + expected / 2) / expected;
    assert_eq!(
        dd(&done, "total-completeness"),
        domain::reporting::percent(Some(permille))
    );

    for action in [
        AuditAction::ReportSubmitted,
        AuditAction::ReportReturned,
        AuditAction::ReportAccepted,
    ] {
        assert!(
            app.audit(action)
                .await
                .iter()
                .any(|r| r.subject_id.as_deref() == Some(id.to_string().as_str())),
            "{action}"
        );
    }
}

#[tokio::test]
async fn illegal_transitions_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let (_, id) = current_draft(&app).await;
    let coord = app.signed_in("coordinator").await;
    let exec = app.signed_in("executor").await;
    let page = format!("/reports/{id}");

    // Accepting or returning a draft.
    for decision in ["accept", "return"] {
        let r = app
            .post_form(
                &coord,
                &format!("{page}/review"),
                &page,
                &[("version", "1"), ("decision", decision), ("comment", "x")],
            )
            .await;
        assert_eq!(r.status().as_u16(), 422, "{decision}");
        assert!(r.text().await.unwrap().contains("id=\"state-error\""));
    }
    assert_eq!(report_state(&app, id).await.0, "draft");

    // Submitted: the executor can neither save nor submit again.
    let r = app
        .post_form(
            &exec,
            &page,
            &page,
            &[("version", "1"), ("text", "Зроблено."), ("action", "submit")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    for action in ["save", "submit"] {
        let r = app
            .post_form(
                &exec,
                &page,
                &page,
                &[("version", "2"), ("text", "Інше."), ("action", action)],
            )
            .await;
        assert_eq!(r.status().as_u16(), 422, "{action}");
    }
    // The executor cannot review their own report: not theirs to decide.
    let r = app
        .post_form(
            &exec,
            &format!("{page}/review"),
            &page,
            &[("version", "2"), ("decision", "accept")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 404);
    // The coordinator cannot write the executor's text.
    let r = app
        .post_form(
            &coord,
            &page,
            &page,
            &[("version", "2"), ("text", "Підмінено."), ("action", "save")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 404);
    let (state, body, _) = report_state(&app, id).await;
    assert_eq!((state.as_str(), body.as_str()), ("submitted", "Зроблено."));

    // Accepted, then nothing more.
    let r = app
        .post_form(
            &coord,
            &format!("{page}/review"),
            &page,
            &[("version", "2"), ("decision", "accept")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let r = app
        .post_form(
            &coord,
            &format!("{page}/review"),
            &page,
            &[("version", "3"), ("decision", "return"), ("comment", "Ще раз")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert_eq!(report_state(&app, id).await.0, "accepted");

    // A closed period refuses everything.
    let accepted_period = periods(&app).await[0].clone();
    assert_eq!(accepted_period.1, "closed");
    let closed = reports_of(&app, "ПОЦЗ")
        .await
        .into_iter()
        .find(|r| r.1 == accepted_period.0)
        .unwrap();
    let cpage = format!("/reports/{}", closed.0);
    let r = app
        .post_form(
            &coord,
            &format!("{cpage}/review"),
            &cpage,
            &[
                ("version", &closed.3.to_string()),
                ("decision", "return"),
                ("comment", "x"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("закрито"));
}

#[tokio::test]
async fn a_user_of_another_organisation_cannot_see_or_change_a_report() {
    let app = TestApp::spawn().await;
    let (period, id) = current_draft(&app).await;
    let police = app.signed_in("police").await; // an executor too, of ГУНП
    let page = format!("/reports/{id}");
    let before = report_state(&app, id).await;

    assert_eq!(app.status(&police, &page).await, 404);
    let r = app
        .post_form(
            &police,
            &page,
            "/",
            &[("version", "1"), ("text", "Чуже."), ("action", "submit")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 404);
    let r = app
        .post_form(&police, &format!("{page}/attachments/1/delete"), "/", &[])
        .await;
    assert_eq!(r.status().as_u16(), 404);
    assert_eq!(app.status(&police, &format!("{page}/attachments/1")).await, 404);
    // Nor the coordinator's pages.
    assert_eq!(app.status(&police, &format!("/periods/{period}")).await, 404);
    assert_eq!(
        app.status(&police, &format!("/periods/{period}/report.docx"))
            .await,
        404
    );

    assert_eq!(report_state(&app, id).await, before, "nothing changed");
    let denied: Vec<_> = app
        .audit(AuditAction::PermissionDenied)
        .await
        .into_iter()
        .filter(|r| r.actor_login.as_deref() == Some("police"))
        .collect();
    let on_report = denied
        .iter()
        .filter(|r| {
            r.subject_kind.as_deref() == Some("report")
                && r.subject_id.as_deref() == Some(id.to_string().as_str())
        })
        .count();
    assert_eq!(on_report, 4, "{denied:?}");
    assert!(denied.iter().any(|r| r.subject_kind.as_deref() == Some("period")));
}

#[tokio::test]
async fn the_second_save_of_one_report_is_a_conflict_and_keeps_what_was_typed() {
    let app = TestApp::spawn().await;
    let (_, id) = current_draft(&app).await;
    let first = app.signed_in("executor").await;
    let second = app.signed_in("executor").await;
    let page = format!("/reports/{id}");
    let r = app
        .post_form(
            &first,
            &page,
            &page,
            &[("version", "1"), ("text", "Перший текст."), ("action", "save")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let r = app
        .post_form(
            &second,
            &page,
            &page,
            &[("version", "1"), ("text", "Другий текст."), ("action", "save")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 409);
    let body = r.text().await.unwrap();
    assert!(body.contains("id=\"conflict\""));
    assert!(
        body.contains("Другий текст."),
        "the second person's text is still on the page"
    );
    assert_eq!(report_state(&app, id).await.1, "Перший текст.");
}

#[tokio::test]
async fn a_late_submission_is_accepted_and_marked_late() {
    let app = TestApp::spawn().await;
    // The period under review: deadline passed, still open; the demo leaves some of ПОЦЗ's reports unwritten.
    let ps = periods(&app).await;
    let review = ps[ps.len() - 2].clone();
    assert_eq!(review.1, "open");
    // The demo leaves one of the police's reports (ГУНП, also an executor) unwritten there.
    let draft = reports_of(&app, "ГУНП")
        .await
        .into_iter()
        .find(|r| r.1 == review.0 && r.2 == "draft")
        .expect("the demo leaves a police report unwritten in the period under review");
    let exec = app.signed_in("police").await;
    let page = format!("/reports/{}", draft.0);
    let r = app
        .post_form(
            &exec,
            &page,
            &page,
            &[
                ("version", &draft.3.to_string()),
                ("text", "Пізно, але зроблено."),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let late: i64 = sqlx::query_scalar("SELECT late FROM reports WHERE id = $1")
        .bind(draft.0)
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap();
    assert_eq!(late, 1);
    let (_, body) = app.get_text(&exec, &page).await;
    assert!(body.contains("id=\"report-late\""));
}

#[tokio::test]
async fn attachments_are_checked_kept_and_served_only_to_those_who_may_see_the_report() {
    let app = TestApp::spawn().await;
    let (_, id) = current_draft(&app).await;
    let exec = app.signed_in("executor").await;
    let page = format!("/reports/{id}");
    let token = app.csrf(&exec, &page).await;
    let upload = |name: &'static str, bytes: Vec<u8>| {
        let form = reqwest::multipart::Form::new()
            .text("csrf_token", token.clone())
            .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name));
        exec.post(app.at(&format!("{page}/attachments")))
            .multipart(form)
            .send()
    };
    let r = upload("run.exe", b"MZ\x90\x00".to_vec()).await.unwrap();
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("id=\"file-error\""));
    let r = upload("звіт.pdf", b"MZ\x90\x00 not a pdf".to_vec())
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let r = upload("звіт.pdf", b"%PDF-1.7 demo".to_vec()).await.unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let aid: i64 = sqlx::query_scalar("SELECT id FROM report_attachments WHERE report_id = $1")
        .bind(id)
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap();
    let got = exec
        .get(app.at(&format!("{page}/attachments/{aid}")))
        .send()
        .await
        .unwrap();
    assert_eq!(got.status().as_u16(), 200);
    assert_eq!(got.bytes().await.unwrap().as_ref(), b"%PDF-1.7 demo");
    let police = app.signed_in("police").await;
    assert_eq!(
        app.status(&police, &format!("{page}/attachments/{aid}")).await,
        404
    );
    // Without the token the upload is refused before it is read.
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"%PDF-1.7".to_vec()).file_name("a.pdf"),
    );
    let r = exec
        .post(app.at(&format!("{page}/attachments")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
}

/// The document body and its styles (where the fonts are set).
fn docx_text(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    for part in ["word/document.xml", "word/styles.xml"] {
        zip.by_name(part).unwrap().read_to_string(&mut xml).unwrap();
    }
    xml
}

#[tokio::test]
async fn the_consolidated_docx_and_xlsx_carry_measures_texts_and_figures() {
    use calamine::{Data, Reader, Xlsx};
    let app = TestApp::spawn().await;
    let coord = app.signed_in("coordinator").await;
    let accepted = periods(&app).await[0].0;
    // One report with a known text and a figure, to find in both files.
    let (text, value): (String, f64) = sqlx::query_as(
        "SELECT r.body, f.value FROM reports r JOIN report_figures f ON f.report_id = r.id \
         WHERE r.period_id = $1 ORDER BY r.id LIMIT 1",
    )
    .bind(accepted)
    .fetch_one(app.db().raw_pool())
    .await
    .unwrap();
    let expected: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reports WHERE period_id = $1")
        .bind(accepted)
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap();

    let r = coord
        .get(app.at(&format!("/periods/{accepted}/report.docx")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains(".docx")
    );
    let xml = docx_text(&r.bytes().await.unwrap());
    assert!(xml.contains("Times New Roman"));
    assert!(
        xml.contains("w:w=\"11906\"") && xml.contains("w:h=\"16838\""),
        "A4"
    );
    assert!(xml.contains("Оперативна ціль 1"));
    assert!(
        xml.contains("Здійснення інформаційно-просвітницької діяльності"),
        "a task text"
    );
    assert!(
        xml.contains("Розміщення в засобах масової інформації публікацій"),
        "a measure text"
    );
    assert!(
        xml.contains("Головне управління Національної поліції"),
        "an executor"
    );
    let first_words: String = text.chars().take(40).collect();
    assert!(xml.contains(&first_words), "an executor's text");
    assert!(xml.contains(&domain::reporting::figure_text(value)), "a figure");
    assert!(xml.contains("100 %"), "completeness of a fully accepted period");

    let r = coord
        .get(app.at(&format!("/periods/{accepted}/report.xlsx")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let bytes = r.bytes().await.unwrap().to_vec();
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&sheet).unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    let with_text: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r.iter().any(|c| c.contains(&first_words)))
        .collect();
    assert!(!with_text.is_empty(), "the executor's text is in a row");
    let status_col = rows
        .iter()
        .find_map(|r| r.iter().position(|c| c == "Стан"))
        .expect("a status column");
    let report_rows = rows
        .iter()
        .filter(|r| r.get(status_col).map(String::as_str) == Some("Прийнято"))
        .count() as i64;
    assert_eq!(
        report_rows, expected,
        "one row per measure × executor, each accepted"
    );
    assert!(app.audit(AuditAction::ConsolidatedReportDownloaded).await.len() >= 2);
}
