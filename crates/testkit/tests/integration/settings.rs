//! The administrator's settings: rulebook versions, the calendar of days off
//! and document templates; refusals for everyone else.

use documents::cases::TemplateKind;
use domain::audit::AuditAction;
use jiff::civil::date;
use oberih_testkit::TestApp;
use reqwest::Client;
use std::io::{Read, Write};

const STEP_FIELDS: [&str; 5] = [
    "days_interview",
    "days_police_request",
    "days_police_reply",
    "days_decision",
    "days_notification",
];

async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap()
}

fn today() -> jiff::civil::Date {
    store::dates::kyiv_date(oberih_testkit::clock_now())
}

/// A minimal DOCX package whose body holds `text`.
fn docx_with(text: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("[Content_Types].xml", options).unwrap();
    zip.write_all(
        br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#,
    )
    .unwrap();
    zip.start_file("word/document.xml", options).unwrap();
    let body = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"#
    );
    zip.write_all(body.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

fn document_xml(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

async fn upload(app: &TestApp, client: &Client, kind: &str, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let token = app.csrf(client, "/").await;
    let form = reqwest::multipart::Form::new().text("csrf_token", token).part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
    );
    client
        .post(app.at(&format!("/settings/templates/{kind}")))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn download(app: &TestApp, client: &Client, kind: &str) -> Vec<u8> {
    let r = client
        .get(app.at(&format!("/settings/templates/{kind}.docx")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(
        r.headers()[reqwest::header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .contains("wordprocessingml")
    );
    r.bytes().await.unwrap().to_vec()
}

fn location(r: &reqwest::Response) -> String {
    r.headers()[reqwest::header::LOCATION]
        .to_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn a_new_rulebook_version_is_created_listed_and_in_force() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let (status, page) = app.get_text(&admin, "/settings").await;
    assert_eq!(status, 200);
    for link in ["/settings/rulebook", "/settings/calendar", "/settings/templates"] {
        assert!(page.contains(&format!("href=\"{link}\"")), "{link}");
    }

    // The default version of resolution 417 is there from the start.
    let books = store::rules::rulebooks(app.db().raw_pool()).await.unwrap();
    assert_eq!(books.len(), 1);
    assert_eq!(books[0].effective_from, date(2012, 5, 23));
    let (status, page) = app.get_text(&admin, "/settings/rulebook").await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!(
        "data-rulebook-id=\"{}\" id=\"rulebook-in-force\"",
        books[0].id
    )));
    assert!(page.contains("23.05.2012"));
    // The form is prefilled with the version in force.
    assert!(page.contains("name=\"days_police_reply\" value=\"10\""), "{page}");
    assert!(page.contains("name=\"certificate_months\" value=\"24\""));

    let from = today().to_string();
    let mut fields: Vec<(&str, &str)> = vec![
        ("effective_from", &from),
        ("certificate_months", "12"),
        ("note", "Редакція від 2026 року"),
    ];
    for (f, d) in STEP_FIELDS.iter().zip(["5", "3", "15", "10", "3"]) {
        fields.push((f, d));
    }
    let r = app
        .post_form(&admin, "/settings/rulebook", "/settings/rulebook", &fields)
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(location(&r), "/settings/rulebook?done=created");

    let books = store::rules::rulebooks(app.db().raw_pool()).await.unwrap();
    assert_eq!(books.len(), 2);
    let new = &books[1];
    assert_eq!(new.effective_from, today());
    assert_eq!(new.days(domain::deadline::Step::Interview), Some(5));
    assert_eq!(new.days(domain::deadline::Step::PoliceReply), Some(15));
    assert_eq!(new.certificate_months, 12);
    assert!(!new.skip_police_if_identified, "the box was not ticked");

    let (_, page) = app.get_text(&admin, "/settings/rulebook?done=created").await;
    assert!(page.contains("class=\"notice\""));
    assert!(page.contains(&format!(
        "data-rulebook-id=\"{}\" id=\"rulebook-in-force\"",
        new.id
    )));
    assert!(page.contains("Редакція від 2026 року"));
    assert!(page.contains("Оксана Зразкова"), "who entered it");

    let rows = app.audit(AuditAction::RulebookCreated).await;
    let row = rows
        .iter()
        .find(|r| r.actor_login.as_deref() == Some("admin"))
        .unwrap();
    assert_eq!(row.subject_id.as_deref(), Some(new.id.to_string().as_str()));
    assert!(row.details.contains("\"certificate_months\":12"));
}

#[tokio::test]
async fn a_bad_rulebook_version_shows_messages_beside_its_fields_and_keeps_what_was_typed() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let before = count(&app, "rulebooks").await;
    let fields = [
        ("effective_from", "01.12.2026"),
        ("days_interview", "0"),
        ("days_police_request", "7"),
        ("days_police_reply", "10"),
        ("days_decision", "ten"),
        ("days_notification", ""),
        ("certificate_months", "61"),
        ("skip_police_if_identified", "1"),
        ("note", "Чернетка нової редакції"),
    ];
    let r = app
        .post_form(&admin, "/settings/rulebook", "/settings/rulebook", &fields)
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let page = r.text().await.unwrap();
    for bad in [
        "effective_from",
        "days_interview",
        "days_decision",
        "days_notification",
        "certificate_months",
    ] {
        assert!(page.contains(&format!("id=\"{bad}-error\"")), "{bad}");
    }
    assert!(!page.contains("id=\"days_police_request-error\""));
    assert!(page.contains("Введіть ціле число днів від 1 до 90."));
    // What was typed is still there.
    assert!(page.contains("value=\"01.12.2026\""));
    assert!(page.contains("name=\"days_police_request\" value=\"7\""));
    assert!(page.contains("name=\"days_decision\" value=\"ten\""));
    assert!(page.contains("name=\"certificate_months\" value=\"61\""));
    assert!(page.contains("Чернетка нової редакції"));
    assert!(page.contains("id=\"skip_police_if_identified\" name=\"skip_police_if_identified\" type=\"checkbox\" value=\"1\" checked"));

    // A second version from the same day is refused on the date.
    let mut good: Vec<(&str, &str)> = vec![("effective_from", "2012-05-23"), ("certificate_months", "24")];
    for f in STEP_FIELDS {
        good.push((f, "3"));
    }
    let r = app
        .post_form(&admin, "/settings/rulebook", "/settings/rulebook", &good)
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"effective_from-error\""));
    assert!(page.contains("Версія з цієї дати вже є"));
    assert_eq!(count(&app, "rulebooks").await, before);
    assert!(
        app.audit(AuditAction::RulebookCreated)
            .await
            .iter()
            .all(|r| r.actor_login.is_none())
    );
}

#[tokio::test]
async fn only_administrators_reach_settings() {
    let app = TestApp::spawn().await;
    let tables = ["rulebooks", "calendar_days", "document_templates"];
    let mut before = Vec::new();
    for t in tables {
        before.push(count(&app, t).await);
    }
    for login in ["officer", "coordinator"] {
        let client = app.signed_in(login).await;
        let denials = || async {
            app.audit(AuditAction::PermissionDenied)
                .await
                .into_iter()
                .filter(|r| r.actor_login.as_deref() == Some(login))
                .count()
        };
        let mut expected = denials().await;
        for path in [
            "/settings",
            "/settings/rulebook",
            "/settings/calendar?year=2026",
            "/settings/templates",
            "/settings/templates/certificate.docx",
        ] {
            assert_eq!(app.status(&client, path).await, 403, "{login} {path}");
            expected += 1;
            assert_eq!(denials().await, expected, "{login} {path} is audited");
        }
        let mut rulebook: Vec<(&str, &str)> =
            vec![("effective_from", "2030-01-01"), ("certificate_months", "24")];
        for f in STEP_FIELDS {
            rulebook.push((f, "3"));
        }
        let posts: [(&str, Vec<(&str, &str)>); 4] = [
            ("/settings/rulebook", rulebook),
            (
                "/settings/calendar",
                vec![("day", "2030-01-02"), ("kind", "holiday")],
            ),
            ("/settings/calendar/remove", vec![("day", "2030-01-02")]),
            ("/settings/templates/certificate/reset", vec![]),
        ];
        for (path, fields) in posts {
            let r = app.post_form(&client, path, "/", &fields).await;
            assert_eq!(r.status().as_u16(), 403, "{login} POST {path}");
            expected += 1;
            assert_eq!(denials().await, expected, "{login} POST {path} is audited");
        }
        let r = upload(
            &app,
            &client,
            "certificate",
            "c.docx",
            docx_with("{{certificate_no}} {{person_name}}"),
        )
        .await;
        assert_eq!(r.status().as_u16(), 403, "{login} upload");
        assert_eq!(denials().await, expected + 1);
    }
    for (t, n) in tables.iter().zip(before) {
        assert_eq!(count(&app, t).await, n, "{t} unchanged");
    }
}

#[tokio::test]
async fn a_holiday_is_added_changed_and_removed() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let page = "/settings/calendar?year=2026";
    let (status, body) = app.get_text(&admin, page).await;
    assert_eq!(status, 200);
    assert!(body.contains("Субота й неділя — вихідні дні"));

    // Mon 24 August 2026.
    let r = app
        .post_form(
            &admin,
            "/settings/calendar",
            page,
            &[
                ("day", "2026-08-24"),
                ("kind", "holiday"),
                ("note", "День Незалежності України"),
                ("year", "2026"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(location(&r), "/settings/calendar?year=2026&done=saved");
    let (_, body) = app.get_text(&admin, page).await;
    assert!(body.contains("data-day=\"2026-08-24\" data-kind=\"holiday\""));
    assert!(body.contains("24.08.2026"));
    assert!(body.contains("понеділок"));
    assert!(body.contains("День Незалежності України"));
    let cal = store::rules::calendar(app.db().raw_pool()).await.unwrap();
    assert!(cal.is_day_off(date(2026, 8, 24)));

    // A weekday cannot be a "working day"; what was typed stays.
    let r = app
        .post_form(
            &admin,
            "/settings/calendar",
            page,
            &[
                ("day", "2026-08-25"),
                ("kind", "working"),
                ("note", "перенесення"),
                ("year", "2026"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("id=\"kind-error\""));
    assert!(body.contains("value=\"2026-08-25\""));
    assert!(body.contains("value=\"перенесення\""));
    // A Saturday can.
    let r = app
        .post_form(
            &admin,
            "/settings/calendar",
            page,
            &[("day", "2026-08-29"), ("kind", "working"), ("year", "2026")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let cal = store::rules::calendar(app.db().raw_pool()).await.unwrap();
    assert!(!cal.is_day_off(date(2026, 8, 29)));

    let r = app
        .post_form(
            &admin,
            "/settings/calendar/remove",
            page,
            &[("day", "2026-08-24"), ("year", "2026")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(location(&r), "/settings/calendar?year=2026&done=removed");
    let (_, body) = app.get_text(&admin, page).await;
    assert!(!body.contains("data-day=\"2026-08-24\""));
    assert!(body.contains("data-day=\"2026-08-29\""));
    let cal = store::rules::calendar(app.db().raw_pool()).await.unwrap();
    assert!(!cal.is_day_off(date(2026, 8, 24)));

    let changes = app.audit(AuditAction::CalendarChanged).await;
    assert_eq!(changes.len(), 3);
    assert!(changes.iter().all(|r| r.actor_login.as_deref() == Some("admin")));
    assert!(
        changes
            .iter()
            .any(|r| r.subject_id.as_deref() == Some("2026-08-24") && r.details.contains("removed"))
    );
}

#[tokio::test]
async fn a_new_holiday_moves_the_deadlines_of_open_procedures() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    // An open procedure of the demo data whose next step falls due on a weekday.
    let open: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, next_due_on FROM procedures WHERE next_due_on IS NOT NULL ORDER BY id")
            .fetch_all(app.db().raw_pool())
            .await
            .unwrap();
    let Some((id, due)) = open.into_iter().find(|(_, due)| {
        let d: jiff::civil::Date = due.parse().unwrap();
        !matches!(
            d.weekday(),
            jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
        )
    }) else {
        return; // no open procedure in the demo data: nothing to move
    };
    let r = app
        .post_form(
            &admin,
            "/settings/calendar",
            "/settings/calendar",
            &[("day", &due), ("kind", "holiday")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let moved: String = sqlx::query_scalar("SELECT next_due_on FROM procedures WHERE id = $1")
        .bind(id)
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap();
    assert!(
        moved > due,
        "{due} became a holiday, the deadline moved to {moved}"
    );
    let r = app
        .post_form(
            &admin,
            "/settings/calendar/remove",
            "/settings/calendar",
            &[("day", &due)],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let back: String = sqlx::query_scalar("SELECT next_due_on FROM procedures WHERE id = $1")
        .bind(id)
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap();
    assert_eq!(back, due);
}

#[tokio::test]
async fn a_template_with_an_unknown_or_missing_placeholder_or_no_docx_is_refused() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let (status, page) = app.get_text(&admin, "/settings/templates").await;
    assert_eq!(status, 200);
    assert!(page.contains("<code>{{person_name}}</code>"));
    assert!(
        page.contains("<code>{{grounds}}</code>"),
        "the refusal letter's fields"
    );

    let r = upload(
        &app,
        &admin,
        "certificate",
        "довідка.docx",
        docx_with("{{certificate_no}} {{person_name}} {{person_nickname}}"),
    )
    .await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("id=\"file-certificate-error\""));
    assert!(body.contains("{{person_nickname}}"), "the unknown field is named");

    let r = upload(
        &app,
        &admin,
        "certificate",
        "c.docx",
        docx_with("{{person_name}}"),
    )
    .await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("У шаблоні немає обов&#39;язкового поля {{certificate_no}}"),
        "{body}"
    );

    let r = upload(&app, &admin, "refusal", "letter.docx", b"just text".to_vec()).await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("id=\"file-refusal-error\""));
    assert!(body.contains("Це не документ DOCX"));

    assert_eq!(count(&app, "document_templates").await, 0);
    assert!(app.audit(AuditAction::TemplateReplaced).await.is_empty());
}

#[tokio::test]
async fn a_valid_template_replaces_the_default_comes_back_byte_for_byte_and_reset_restores_the_default() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let default = documents::cases::default_template(TemplateKind::Certificate).unwrap();
    let shipped = download(&app, &admin, "certificate").await;
    assert_eq!(document_xml(&shipped), document_xml(&default));

    let mine = docx_with("ДОВІДКА № {{certificate_no}} видана {{person_name}}, дійсна до {{valid_until}}");
    let r = upload(&app, &admin, "certificate", "наша довідка.docx", mine.clone()).await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(location(&r), "/settings/templates?done=replaced");
    let (_, page) = app.get_text(&admin, "/settings/templates?done=replaced").await;
    assert!(page.contains("id=\"template-certificate-status\" data-replaced=\"1\""));
    assert!(page.contains("наша довідка.docx"));
    assert!(page.contains("id=\"template-refusal-status\" data-replaced=\"0\""));

    assert_eq!(download(&app, &admin, "certificate").await, mine);
    let (bytes, replaced) = store::rules::template_bytes(app.db().raw_pool(), TemplateKind::Certificate)
        .await
        .unwrap();
    assert!(replaced);
    assert_eq!(bytes, mine);
    let rows = app.audit(AuditAction::TemplateReplaced).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].subject_id.as_deref(), Some("certificate"));

    let r = app
        .post_form(
            &admin,
            "/settings/templates/certificate/reset",
            "/settings/templates",
            &[],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(location(&r), "/settings/templates?done=reset");
    let back = download(&app, &admin, "certificate").await;
    assert_eq!(document_xml(&back), document_xml(&default));
    let (_, replaced) = store::rules::template_bytes(app.db().raw_pool(), TemplateKind::Certificate)
        .await
        .unwrap();
    assert!(!replaced);
    assert_eq!(app.audit(AuditAction::TemplateReset).await.len(), 1);

    // Unknown kinds are not there.
    assert_eq!(app.status(&admin, "/settings/templates/passport.docx").await, 404);
}
