//! The status procedure through the web (SPEC §4): registering an application,
//! every step to a certificate, the police answering the request referral,
//! the documents and the journal read back, refusals, deadlines, and outsiders
//! who get nothing but an audit row.

use domain::audit::AuditAction;
use domain::case::{NoticeForm, PersonForm};
use domain::policy::Actor;
use domain::territory::TerritoryPath;
use jiff::ToSpan;
use jiff::civil::Date;
use oberih_testkit::TestApp;
use std::io::Read;

/// Today in Kyiv, as the server counts it.
fn today() -> Date {
    store::dates::kyiv_date(oberih_testkit::clock_now())
}

fn days_ago(n: i64) -> Date {
    today().checked_sub(n.days()).unwrap()
}

/// A store context acting as a demo account, as its session would.
pub(crate) async fn ctx_of(app: &TestApp, login: &str) -> store::Ctx {
    let user_id = app.user_id(login).await;
    let (org_id, path): (i64, String) = sqlx::query_as(
        "SELECT o.id, o.territory_path FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.id = $1",
    )
    .bind(user_id)
    .fetch_one(app.db().raw_pool())
    .await
    .unwrap();
    let roles = store::users::rows::roles_of(app.db().raw_pool(), user_id)
        .await
        .unwrap();
    let actor = Actor {
        user_id,
        org_id,
        territory: TerritoryPath::parse(&path).unwrap(),
        roles,
    };
    store::Ctx::user(
        actor,
        Some("127.0.0.1".into()),
        "test".into(),
        oberih_testkit::clock_now(),
    )
}

/// An open case of Полтавська РВА: the police record a notice, the officer accepts it.
/// Returns (case id, reference).
pub(crate) async fn open_case(app: &TestApp, surname: &str) -> (i64, String) {
    let (territory,): (i64,) =
        sqlx::query_as("SELECT id FROM territories WHERE name_uk = 'Полтавський район'")
            .fetch_one(app.db().raw_pool())
            .await
            .unwrap();
    let form = NoticeForm {
        person: PersonForm {
            surname: surname.into(),
            given_name: "Олена".into(),
            patronymic: "Петрівна".into(),
            birth_date: "1994-04-15".into(),
            ..Default::default()
        },
        identified_on: days_ago(20).to_string(),
        territory_id: territory.to_string(),
        came_to_attention: "police".into(),
        sex: "female".into(),
        consent: "yes".into(),
        ..Default::default()
    };
    let police = ctx_of(app, "police").await;
    let store::cases::NoticeResult::Recorded(outcome) =
        store::cases::record_notice(app.db(), &police, &form, true)
            .await
            .unwrap()
    else {
        panic!("the notice was not recorded");
    };
    let officer = ctx_of(app, "officer").await;
    store::cases::accept_notice(app.db(), &officer, outcome.case_id)
        .await
        .unwrap();
    (outcome.case_id, outcome.reference)
}

/// (state, version, last step date) of a procedure.
async fn proc_row(app: &TestApp, id: i64) -> (String, i64, String) {
    sqlx::query_as("SELECT state, version, last_step_on FROM procedures WHERE id = $1")
        .bind(id)
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap()
}

/// Registers an application through the page; returns the procedure id.
async fn register(app: &TestApp, officer: &reqwest::Client, case_id: i64, on: Date, applicant: &str) -> i64 {
    let form_page = format!("/cases/{case_id}/application/new");
    let r = app
        .post_form(
            officer,
            &format!("/cases/{case_id}/application"),
            &form_page,
            &[("registered_on", &on.to_string()), ("applicant", applicant)],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap_or_default());
    let to = r.headers()["location"].to_str().unwrap().to_string();
    to.strip_prefix("/procedures/")
        .and_then(|rest| rest.split('?').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("redirected to {to}"))
}

/// Posts one step with the procedure's current version.
async fn step(
    app: &TestApp,
    officer: &reqwest::Client,
    id: i64,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let version = proc_row(app, id).await.1.to_string();
    let mut all = vec![("version", version.as_str())];
    all.extend_from_slice(fields);
    app.post_form(
        officer,
        &format!("/procedures/{id}/steps/{action}"),
        &format!("/procedures/{id}"),
        &all,
    )
    .await
}

async fn step_ok(app: &TestApp, officer: &reqwest::Client, id: i64, action: &str, fields: &[(&str, &str)]) {
    let r = step(app, officer, id, action, fields).await;
    let status = r.status().as_u16();
    assert_eq!(status, 303, "{action}: {}", r.text().await.unwrap_or_default());
}

/// The text of the element with this id (up to its first child tag).
fn text_of(html: &str, id: &str) -> String {
    let marker = format!("id=\"{id}\"");
    let at = html.find(&marker).unwrap_or_else(|| panic!("no #{id}"));
    let rest = &html[at..];
    let start = rest.find('>').unwrap() + 1;
    rest[start..].split('<').next().unwrap().trim().to_string()
}

/// word/document.xml of a DOCX.
pub(crate) fn document_xml(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

fn header(r: &reqwest::Response, name: &str) -> String {
    r.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

#[tokio::test]
async fn the_whole_path_to_a_certificate_through_the_pages() {
    let app = TestApp::spawn().await;
    let (case_id, reference) = open_case(&app, "Коваленко").await;
    let officer = app.signed_in("officer").await;
    let year = today().year();
    let day = today().to_string();

    // The form suggests the person's name; it is not cached.
    let r = officer
        .get(app.at(&format!("/cases/{case_id}/application/new")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(header(&r, "cache-control"), "no-store");
    assert!(r.text().await.unwrap().contains("Коваленко Олена Петрівна"));

    // The next number of the unit's journal this year (1 on an empty journal; the demo data has some).
    let unit = app.org_id("Полтавська РВА").await;
    let (next_no,): (i64,) = sqlx::query_as(
        "SELECT COALESCE(MAX(journal_no), 0) + 1 FROM procedures WHERE unit_org_id = $1 AND journal_year = $2",
    )
    .bind(unit)
    .bind(i64::from(year))
    .fetch_one(app.db().raw_pool())
    .await
    .unwrap();
    let number = format!("{next_no}/{year}");
    let id = register(&app, &officer, case_id, today(), "Коваленко Олена Петрівна").await;
    let (status, page) = app.get_text(&officer, &format!("/procedures/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(text_of(&page, "journal-number"), number);
    assert!(page.contains("data-state=\"registered\""));
    assert!(page.contains("id=\"form-interview\""));
    assert!(page.contains("id=\"form-no_interview\""));
    assert!(!page.contains("id=\"form-grant\""));

    step_ok(
        &app,
        &officer,
        id,
        "interview",
        &[
            ("on", &day),
            ("text", "Працювала на фермі без оплати, документи забрали."),
            ("consent", "yes"),
            ("non_disclosure", "yes"),
        ],
    )
    .await;
    step_ok(&app, &officer, id, "police_request", &[("on", &day)]).await;
    assert_eq!(proc_row(&app, id).await.0, "police_requested");

    // The request went to ГУНП as a referral.
    let gunp = app.org_id("ГУНП").await;
    let (rid, to_org, purpose): (i64, i64, String) =
        sqlx::query_as("SELECT id, to_org_id, purpose FROM referrals WHERE case_id = $1 ORDER BY id DESC")
            .bind(case_id)
            .fetch_one(app.db().raw_pool())
            .await
            .unwrap();
    assert_eq!((to_org, purpose.as_str()), (gunp, "police_request"));
    let (_, page) = app.get_text(&officer, &format!("/procedures/{id}")).await;
    assert!(page.contains(&format!("href=\"/referrals/{rid}\"")));
    assert!(page.contains("id=\"police-referral\" data-state=\"sent\""));

    // The police answer it in their own pages.
    let police = app.signed_in("police").await;
    let rpage = format!("/referrals/{rid}");
    let version = |app: &TestApp| {
        let pool = app.db().raw_pool().clone();
        async move {
            let (v,): (i64,) = sqlx::query_as("SELECT version FROM referrals WHERE id = $1")
                .bind(rid)
                .fetch_one(&pool)
                .await
                .unwrap();
            v.to_string()
        }
    };
    let v = version(&app).await;
    let r = app
        .post_form(&police, &format!("{rpage}/accept"), &rpage, &[("version", &v)])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let v = version(&app).await;
    let r = app
        .post_form(
            &police,
            &format!("{rpage}/answer"),
            &rpage,
            &[
                ("version", &v),
                ("proceedings_found", "yes"),
                ("proceedings_ref", "12025170000000123"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(proc_row(&app, id).await.0, "police_answered");
    let (_, page) = app.get_text(&officer, &format!("/procedures/{id}")).await;
    assert_eq!(text_of(&page, "fact-proceedings-ref"), "12025170000000123");
    assert!(page.contains("id=\"form-conclusion\""));

    step_ok(
        &app,
        &officer,
        id,
        "conclusion",
        &[("on", &day), ("text", "Ознаки торгівлі людьми встановлено.")],
    )
    .await;
    // The grant form suggests the journal number as the certificate number.
    let (_, page) = app.get_text(&officer, &format!("/procedures/{id}")).await;
    assert!(page.contains(&format!(
        "id=\"grant-certificate_no\" name=\"certificate_no\" value=\"{number}\""
    )));
    step_ok(
        &app,
        &officer,
        id,
        "grant",
        &[("on", &day), ("certificate_no", &number)],
    )
    .await;
    assert_eq!(proc_row(&app, id).await.0, "granted");

    // The certificate, named by the reference only, never cached.
    let r = officer
        .get(app.at(&format!("/procedures/{id}/certificate.docx")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(header(&r, "cache-control"), "no-store");
    let disposition = header(&r, "content-disposition");
    assert!(disposition.contains(&reference), "{disposition}");
    assert!(!disposition.contains("Коваленко"));
    let xml = document_xml(&r.bytes().await.unwrap());
    let valid_until = today()
        .checked_add(24.months())
        .unwrap()
        .checked_sub(1.day())
        .unwrap();
    for expected in [
        number.clone(),
        "Коваленко Олена Петрівна".to_string(),
        "15.04.1994".to_string(),
        reference.clone(),
        valid_until.strftime("%d.%m.%Y").to_string(),
        today().strftime("%d.%m.%Y").to_string(),
        "Відповідальна посадова особа".to_string(),
    ] {
        assert!(xml.contains(&expected), "{expected} is not in the certificate");
    }
    assert!(!xml.contains("{{"), "every placeholder is filled");
    assert!(
        app.audit(AuditAction::CertificateDownloaded)
            .await
            .iter()
            .any(|a| a.subject_id.as_deref() == Some(reference.as_str())),
        "the download is audited"
    );

    step_ok(&app, &officer, id, "notify", &[("on", &day)]).await;
    let (_, page) = app.get_text(&officer, &format!("/procedures/{id}")).await;
    assert!(page.contains("data-state=\"notified\""));
    assert!(page.contains("id=\"form-extend\""));
    assert!(page.contains("id=\"form-terminate\""));
    // The history names every step.
    let history = &page[page.find("id=\"history\"").unwrap()..];
    assert!(history.matches("<tr>").count() >= 7, "{history}");

    // The journal page and workbook list it.
    let (status, jpage) = app.get_text(&officer, "/journal").await;
    assert_eq!(status, 200);
    assert!(jpage.contains(&format!("href=\"/procedures/{id}\">{number}</a>")));
    let from = format!("{year}-01-01");
    let to = format!("{year}-12-31");
    let r = officer
        .get(app.at(&format!("/journal.xlsx?from={from}&to={to}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(header(&r, "cache-control"), "no-store");
    assert!(!header(&r, "content-disposition").contains("Коваленко"));
    let bytes = r.bytes().await.unwrap().to_vec();
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheet = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&sheet).unwrap();
    let row = range
        .rows()
        .find(|r| r.first().map(|c| c.to_string()) == Some(number.clone()))
        .expect("the application is in the journal");
    let cells: Vec<String> = row.iter().map(|c| c.to_string()).collect();
    assert!(cells.contains(&reference), "{cells:?}");
    assert!(
        cells.contains(&"Коваленко Олена Петрівна".to_string()),
        "{cells:?}"
    );
    assert!(
        cells.iter().any(|c| c.contains(&format!("№ {number}"))),
        "the decision names the certificate: {cells:?}"
    );
    let downloads = app.audit(AuditAction::JournalDownloaded).await;
    assert!(
        downloads
            .iter()
            .any(|a| a.details.contains("\"xlsx\"") && a.details.contains(&reference)),
        "{downloads:?}"
    );
    // Looking at the page is a view, not a download.
    assert!(
        downloads.iter().all(|a| !a.details.contains("\"page\"")),
        "{downloads:?}"
    );
    let views = app.audit(AuditAction::JournalViewed).await;
    assert!(
        views
            .iter()
            .any(|a| a.details.contains("\"page\"") && a.details.contains(&reference)),
        "{views:?}"
    );
}

#[tokio::test]
async fn a_refusal_letter_carries_the_grounds_and_the_appeal_notice() {
    let app = TestApp::spawn().await;
    let (case_id, reference) = open_case(&app, "Шевчук").await;
    let officer = app.signed_in("officer").await;
    let day = today().to_string();
    let id = register(&app, &officer, case_id, today(), "Шевчук Олена Петрівна").await;

    // Already identified by the police: the rulebook lets the decision follow without a request.
    step_ok(
        &app,
        &officer,
        id,
        "no_interview",
        &[("on", &day), ("no_interview_reason", "already_identified")],
    )
    .await;
    step_ok(
        &app,
        &officer,
        id,
        "conclusion",
        &[("on", &day), ("text", "Підстав не встановлено.")],
    )
    .await;
    let grounds = "Обставини, викладені в заяві, не підтвердилися.";
    step_ok(&app, &officer, id, "refuse", &[("on", &day), ("text", grounds)]).await;

    // No certificate for a refusal.
    assert_eq!(
        app.status(&officer, &format!("/procedures/{id}/certificate.docx"))
            .await,
        404
    );
    let r = officer
        .get(app.at(&format!("/procedures/{id}/refusal.docx")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(header(&r, "cache-control"), "no-store");
    assert!(header(&r, "content-disposition").contains(&reference));
    let xml = document_xml(&r.bytes().await.unwrap());
    assert!(xml.contains(grounds));
    assert!(xml.contains("Кодексом адміністративного судочинства"));
    assert!(xml.contains("Шевчук Олена Петрівна"));
    assert!(
        app.audit(AuditAction::RefusalLetterDownloaded)
            .await
            .iter()
            .any(|a| a.subject_id.as_deref() == Some(reference.as_str()))
    );

    // After notification a refusal may be appealed, not extended.
    step_ok(&app, &officer, id, "notify", &[("on", &day)]).await;
    let (_, page) = app.get_text(&officer, &format!("/procedures/{id}")).await;
    assert!(page.contains("id=\"form-appeal\""));
    assert!(!page.contains("id=\"form-extend\""));
}

#[tokio::test]
async fn illegal_steps_early_dates_and_stale_forms_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let (case_id, _) = open_case(&app, "Бондар").await;
    let officer = app.signed_in("officer").await;
    let registered = days_ago(3);
    let id = register(&app, &officer, case_id, registered, "Бондар Олена Петрівна").await;
    let before = proc_row(&app, id).await;

    // A decision before the police reply: refused, nothing changes.
    let r = step(
        &app,
        &officer,
        id,
        "grant",
        &[("on", &today().to_string()), ("certificate_no", "77")],
    )
    .await;
    assert_eq!(r.status().as_u16(), 422);
    assert_eq!(header(&r, "cache-control"), "no-store");
    let body = r.text().await.unwrap();
    assert!(body.contains("id=\"action-error\""), "{body}");
    assert_eq!(proc_row(&app, id).await, before);

    // An interview dated before the registration: the message is beside the date, the text stays.
    let account = "Розповідь про вербування через оголошення.";
    let early = days_ago(5).to_string();
    let r = step(
        &app,
        &officer,
        id,
        "interview",
        &[("on", &early), ("text", account), ("consent", "yes")],
    )
    .await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("id=\"interview-on-error\""), "{body}");
    assert!(body.contains("раніше"), "the message says why");
    assert!(body.contains(account), "what was typed is kept");
    assert!(body.contains(&format!("value=\"{early}\"")));
    assert_eq!(proc_row(&app, id).await, before);

    // A stale version: 409, the typed text kept, nothing changed.
    let r = app
        .post_form(
            &officer,
            &format!("/procedures/{id}/steps/interview"),
            &format!("/procedures/{id}"),
            &[
                ("version", &(before.1 - 1).to_string()),
                ("on", &today().to_string()),
                ("text", account),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 409);
    let body = r.text().await.unwrap();
    assert!(body.contains("id=\"interview-conflict\""));
    assert!(body.contains(account));
    assert_eq!(proc_row(&app, id).await, before);

    // An unknown step is not a page.
    let r = step(&app, &officer, id, "approve", &[("on", &today().to_string())]).await;
    assert_eq!(r.status().as_u16(), 404);

    // A second application while the first is open is refused beside the date.
    let r = app
        .post_form(
            &officer,
            &format!("/cases/{case_id}/application"),
            &format!("/cases/{case_id}/application/new"),
            &[
                ("registered_on", &today().to_string()),
                ("applicant", "Інший заявник"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("id=\"registered_on-error\""));
    assert!(body.contains("Інший заявник"));
}

#[tokio::test]
async fn the_deadline_list_shows_the_overdue_first() {
    let app = TestApp::spawn().await;
    let officer = app.signed_in("officer").await;
    let (fresh_case, _) = open_case(&app, "Мельник").await;
    let (old_case, _) = open_case(&app, "Ткаченко").await;
    let fresh = register(&app, &officer, fresh_case, today(), "Мельник Олена").await;
    // Registered a week ago: the interview (3 days, moved off a weekend at most) is past due.
    let old = register(&app, &officer, old_case, days_ago(7), "Ткаченко Олена").await;

    let (status, page) = app.get_text(&officer, "/deadlines").await;
    assert_eq!(status, 200);
    let at = |id: i64| {
        page.find(&format!("data-procedure-id=\"{id}\""))
            .unwrap_or_else(|| panic!("procedure {id} is listed"))
    };
    assert!(at(old) < at(fresh), "the most urgent comes first");
    assert!(page.contains(&format!("data-procedure-id=\"{old}\" data-urgency=\"overdue\"")));
    assert!(page.contains(&format!("data-procedure-id=\"{fresh}\" data-urgency=\"on_time\"")));
    assert!(
        page.contains("Прострочено"),
        "overdue is said in words, not only in red"
    );

    // The procedure page says it too, and the home page lists it.
    let (_, p) = app.get_text(&officer, &format!("/procedures/{old}")).await;
    assert!(p.contains("id=\"next-step\" data-urgency=\"overdue\""));
    let (_, home) = app.get_text(&officer, "/").await;
    assert!(home.contains("id=\"home-deadlines\""));
    assert!(home.contains(&format!("href=\"/procedures/{old}\"")));
    assert!(home.contains("href=\"/deadlines\""));

    // Keyset paging: after the old one, the fresh one is still there; after the fresh one, not the old one.
    let (due,): (String,) = sqlx::query_as("SELECT next_due_on FROM procedures WHERE id = $1")
        .bind(old)
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap();
    let (_, next) = app
        .get_text(&officer, &format!("/deadlines?after_due={due}&after_id={old}"))
        .await;
    assert!(next.contains(&format!("data-procedure-id=\"{fresh}\"")));
    assert!(!next.contains(&format!("data-procedure-id=\"{old}\"")));

    // Bad journal dates are answered beside the field.
    let (status, j) = app.get_text(&officer, "/journal?from=31.02.2026&to=").await;
    assert_eq!(status, 422);
    assert!(j.contains("id=\"from-error\""));
    assert!(j.contains("value=\"31.02.2026\""));
}

#[tokio::test]
async fn outsiders_reach_no_procedure_and_every_refusal_is_audited() {
    let app = TestApp::spawn().await;
    let (case_id, _) = open_case(&app, "Савченко").await;
    let officer = app.signed_in("officer").await;
    let day = today().to_string();
    let id = register(&app, &officer, case_id, today(), "Савченко Олена").await;
    step_ok(
        &app,
        &officer,
        id,
        "no_interview",
        &[("on", &day), ("no_interview_reason", "already_identified")],
    )
    .await;
    step_ok(
        &app,
        &officer,
        id,
        "conclusion",
        &[("on", &day), ("text", "Висновок.")],
    )
    .await;
    step_ok(
        &app,
        &officer,
        id,
        "grant",
        &[("on", &day), ("certificate_no", "5")],
    )
    .await;
    let before = proc_row(&app, id).await;

    for login in ["admin", "analyst", "police"] {
        let client = app.signed_in(login).await;
        for (path, allowed) in [
            (format!("/procedures/{id}"), [404].as_slice()),
            (format!("/procedures/{id}/certificate.docx"), &[404]),
            (format!("/procedures/{id}/refusal.docx"), &[404]),
            (format!("/cases/{case_id}/application/new"), &[404]),
            ("/journal".to_string(), &[403]),
            ("/journal.xlsx".to_string(), &[403]),
            ("/deadlines".to_string(), &[403]),
        ] {
            let denials = app.audit(AuditAction::PermissionDenied).await.len();
            let r = client.get(app.at(&path)).send().await.unwrap();
            let status = r.status().as_u16();
            assert!(allowed.contains(&status), "{login} {path}: {status}");
            let body = r.text().await.unwrap();
            assert!(!body.contains("Савченко"), "{login} {path} shows nobody");
            assert_eq!(
                app.audit(AuditAction::PermissionDenied).await.len(),
                denials + 1,
                "{login} {path} is audited"
            );
        }
        let r = app
            .post_form(
                &client,
                &format!("/procedures/{id}/steps/notify"),
                "/account",
                &[("version", &before.1.to_string()), ("on", &day)],
            )
            .await;
        assert_eq!(r.status().as_u16(), 404, "{login} records no step");
        assert_eq!(proc_row(&app, id).await, before);
    }
}

/// A new rulebook version applies only to applications registered on or after
/// its effective date; earlier ones keep the deadlines they had. The deadline
/// is the step's days after the event, moved off days off.
#[tokio::test]
async fn a_new_rulebook_applies_only_to_later_applications() {
    let app = TestApp::spawn().await;
    let officer = app.signed_in("officer").await;
    let (earlier_case, _) = open_case(&app, "Раньшенко").await;
    let (later_case, _) = open_case(&app, "Пізньоненко").await;
    let yesterday = days_ago(1);
    let earlier = register(&app, &officer, earlier_case, yesterday, "Раньшенко Олена").await;

    // The administrator puts in force, from today, a rulebook with a 7-day interview.
    let admin = ctx_of(&app, "admin").await;
    let mut days = std::collections::BTreeMap::new();
    for (step, d) in [
        ("interview", "7"),
        ("police_request", "3"),
        ("police_reply", "10"),
        ("decision", "10"),
        ("notification", "3"),
    ] {
        days.insert(step.to_string(), d.to_string());
    }
    let form = domain::deadline::RulebookForm {
        effective_from: today().to_string(),
        days,
        skip_police_if_identified: true,
        certificate_months: "24".into(),
    };
    store::settings::create_rulebook(app.db(), &admin, &form, "test")
        .await
        .unwrap();
    let later = register(&app, &officer, later_case, today(), "Пізньоненко Олена").await;

    let cal = store::rules::calendar(app.db().raw_pool()).await.unwrap();
    let due = |id: i64| {
        let app = &app;
        async move {
            let (d,): (String,) = sqlx::query_as("SELECT next_due_on FROM procedures WHERE id = $1")
                .bind(id)
                .fetch_one(app.db().raw_pool())
                .await
                .unwrap();
            d
        }
    };
    assert_eq!(
        due(earlier).await,
        domain::deadline::due_date(&cal, yesterday, 3).to_string(),
        "registered before the new version: 3 days"
    );
    assert_eq!(
        due(later).await,
        domain::deadline::due_date(&cal, today(), 7).to_string(),
        "registered on its effective date: 7 days"
    );
    // Both deadlines are working days.
    for id in [earlier, later] {
        let d: Date = due(id).await.parse().unwrap();
        assert!(!cal.is_day_off(d), "{d} is a working day");
    }
}

/// The police answer a request once: that answer is the procedure's police
/// reply and the journal's; a second answer would reach neither, so it is refused.
#[tokio::test]
async fn a_police_request_is_answered_once() {
    let app = TestApp::spawn().await;
    let (pid, rid): (i64, i64) = sqlx::query_as(
        "SELECT id, police_referral_id FROM procedures WHERE state = 'police_answered' ORDER BY id LIMIT 1",
    )
    .fetch_one(app.db().raw_pool())
    .await
    .unwrap();
    let before: (String, Option<String>) =
        sqlx::query_as("SELECT state, proceedings_ref FROM referrals WHERE id = $1")
            .bind(rid)
            .fetch_one(app.db().raw_pool())
            .await
            .unwrap();
    assert_eq!(before.0, "answered");
    let police = app.signed_in("police").await;
    let (status, page) = app.get_text(&police, &format!("/referrals/{rid}")).await;
    assert_eq!(status, 200);
    assert!(
        !page.contains("id=\"answer-form\""),
        "no second answer is offered"
    );
    let r = app
        .post_form(
            &police,
            &format!("/referrals/{rid}/answer"),
            &format!("/referrals/{rid}"),
            &[("proceedings_found", "no"), ("answer", "інша відповідь")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let after: (String, Option<String>) =
        sqlx::query_as("SELECT state, proceedings_ref FROM referrals WHERE id = $1")
            .bind(rid)
            .fetch_one(app.db().raw_pool())
            .await
            .unwrap();
    assert_eq!(after, before, "the referral keeps its answer");
    let (found,): (Option<i64>,) = sqlx::query_as("SELECT proceedings_found FROM procedures WHERE id = $1")
        .bind(pid)
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap();
    assert_eq!(found, Some(1), "the procedure keeps the police reply");
}

/// Registering an application warns of the same person in another case of the
/// unit (a similar name, Cyrillic or Latin, and the same birth date); the
/// warning does not stop the registration.
#[tokio::test]
async fn the_application_form_warns_of_the_same_person_in_another_case() {
    let app = TestApp::spawn().await;
    let officer = app.signed_in("officer").await;
    let (first, first_ref) = open_case(&app, "Kovalchuk").await;
    let (second, _) = open_case(&app, "Ковальчук").await;
    let (other, _) = open_case(&app, "Петренко").await;

    let (status, page) = app
        .get_text(&officer, &format!("/cases/{second}/application/new"))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("id=\"duplicates\""), "a warning is shown");
    assert!(
        page.contains(&first_ref),
        "naming the other case by its reference"
    );
    assert!(page.contains(&format!("/cases/{first}")));
    let (_, page) = app
        .get_text(&officer, &format!("/cases/{other}/application/new"))
        .await;
    assert!(
        !page.contains("id=\"duplicates\""),
        "a different person: no warning"
    );
    // Registering anyway works.
    register(&app, &officer, second, today(), "Ковальчук Олена").await;
}
