//! Identification and referral through the web (SPEC §3): a notice reaches
//! the responsible unit and opens a case; a child's notice also reaches the
//! children's service; without consent no person is stored; possible
//! duplicates warn; the unit's case list filters and pages without names; a
//! referral's receiver sees only the shared fields and only while it is open;
//! documents are checked and served back byte for byte.

use domain::audit::AuditAction;
use domain::case::{CameToAttention, NoticeInput, PersonInput, Sex};
use domain::policy::Actor;
use domain::territory::TerritoryPath;
use oberih_testkit::{TestApp, next_href};
use reqwest::Client;

// ---------------------------------------------------------------- helpers

async fn territory(app: &TestApp, name: &str) -> i64 {
    store::reference::territories::find(app.db().raw_pool(), name)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no territory {name}"))
        .id
}

fn today(app: &TestApp) -> jiff::civil::Date {
    store::dates::kyiv_date(app.state.clock.now_secs())
}

/// The fields of an adult's notice with consent, in Полтавський район.
async fn adult_notice(app: &TestApp, surname: &str, given: &str, birth: &str) -> Vec<(&'static str, String)> {
    vec![
        ("identified_on", today(app).to_string()),
        (
            "territory_id",
            territory(app, "Полтавський район").await.to_string(),
        ),
        ("came_to_attention", "police".into()),
        ("forms", "labour".into()),
        ("forms", "debt_bondage".into()),
        ("sex", "female".into()),
        ("citizenship", "Україна".into()),
        ("language", "українська".into()),
        ("consent", "yes".into()),
        ("surname", surname.into()),
        ("given_name", given.into()),
        ("birth_date", birth.into()),
        ("phone", "+380 50 123 45 67".into()),
        ("document", "ТТ 000111".into()),
        ("address", "вул. Уявна, 1".into()),
        ("circumstances", "Працювала без оплати на будівництві.".into()),
    ]
}

fn set(fields: &mut Vec<(&'static str, String)>, key: &'static str, value: &str) {
    fields.retain(|(k, _)| *k != key);
    fields.push((key, value.to_string()));
}

async fn post(
    app: &TestApp,
    c: &Client,
    path: &str,
    token_page: &str,
    fields: &[(&'static str, String)],
) -> reqwest::Response {
    let v: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post_form(c, path, token_page, &v).await
}

/// Sends the notice form; a recorded notice answers 303 to its confirmation
/// page, which is then read: the status and text of the page the person sees.
async fn send_notice(app: &TestApp, c: &Client, fields: &[(&'static str, String)]) -> (u16, String) {
    let r = post(app, c, "/notices", "/notices/new", fields).await;
    if r.status().as_u16() == 303 {
        let location = r.headers()["location"].to_str().unwrap().to_string();
        return app.get_text(c, &location).await;
    }
    let status = r.status().as_u16();
    (status, r.text().await.unwrap())
}

/// The text of the element with this id (up to the next tag).
fn text_of(html: &str, id: &str) -> String {
    let marker = format!("id=\"{id}\">");
    let at = html.find(&marker).unwrap_or_else(|| panic!("no #{id} in {html}")) + marker.len();
    let rest = html[at..].trim_start_matches("<strong>");
    rest.split('<').next().unwrap().trim().to_string()
}

async fn case_id(app: &TestApp, reference: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM cases WHERE reference = $1")
        .bind(reference)
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap()
}

/// Records a notice as `reporter`, has `officer` accept it; the case id and reference.
async fn open_case(
    app: &TestApp,
    reporter: &Client,
    officer: &Client,
    fields: &[(&'static str, String)],
) -> (i64, String) {
    let (status, body) = send_notice(app, reporter, fields).await;
    assert_eq!(status, 200, "{body}");
    let reference = text_of(&body, "notice-reference");
    let id = case_id(app, &reference).await;
    let r = app
        .post_form(officer, &format!("/notices/{id}/accept"), "/notices", &[])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    (id, reference)
}

fn rows(html: &str, attr: &str) -> usize {
    html.matches(attr).count()
}

fn no_store(r: &reqwest::Response) -> bool {
    r.headers()
        .get("cache-control")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("no-store"))
}

async fn get(app: &TestApp, c: &Client, path: &str) -> reqwest::Response {
    c.get(app.at(path)).send().await.unwrap()
}

async fn actor(app: &TestApp, login: &str) -> Actor {
    let (user_id, org_id, path): (i64, i64, String) = sqlx::query_as(
        "SELECT u.id, u.org_id, o.territory_path FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.login = $1",
    )
    .bind(login)
    .fetch_one(app.db().raw_pool())
    .await
    .unwrap();
    Actor {
        user_id,
        org_id,
        territory: TerritoryPath::parse(&path).unwrap(),
        roles: store::users::rows::roles_of(app.db().raw_pool(), user_id)
            .await
            .unwrap(),
    }
}

fn ctx(a: &Actor, now: i64) -> store::Ctx {
    store::Ctx::user(a.clone(), None, "test".into(), now)
}

// ---------------------------------------------------------------- tests

#[tokio::test]
async fn a_partners_notice_reaches_the_unit_and_opens_a_case() {
    let app = TestApp::spawn().await;
    let police = app.signed_in("police").await;
    let officer = app.signed_in("officer").await;

    let form = get(&app, &police, "/notices/new").await;
    assert_eq!(form.status().as_u16(), 200);
    assert!(no_store(&form));
    let form = form.text().await.unwrap();
    assert!(form.contains("Полтавський район") && form.contains("трудова експлуатація"));

    let fields = adult_notice(&app, "Тестовенко", "Ярина", "1993-02-11").await;
    let r = post(&app, &police, "/notices", "/notices/new", &fields).await;
    assert_eq!(
        r.status().as_u16(),
        303,
        "the notice is recorded and the confirmation is a page of its own (post/redirect/get)"
    );
    // Only the case id and a flash code go into the URL, nothing of the notice.
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let case_in_url: i64 = location
        .strip_prefix("/notices/")
        .and_then(|rest| rest.strip_suffix("?done=recorded"))
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("the confirmation's address {location}"));
    let r = get(&app, &police, &location).await;
    assert_eq!(r.status().as_u16(), 200);
    assert!(no_store(&r));
    let done = r.text().await.unwrap();
    let reference = text_of(&done, "notice-reference");
    assert!(domain::case::CaseRef::parse(&reference).is_some(), "{reference}");
    assert_eq!(text_of(&done, "notice-unit"), "Полтавська РВА");
    assert!(!done.contains("notice-children-service"));
    let id = case_id(&app, &reference).await;
    assert_eq!(case_in_url, id);
    // Nobody but the recording organisation is shown the confirmation.
    assert_eq!(get(&app, &officer, &location).await.status().as_u16(), 404);

    // The unit sees it among the incoming notices; the police see it as sent.
    let (_, list) = app.get_text(&officer, "/notices").await;
    assert!(list.contains(&format!("data-notice-id=\"{id}\"")) && list.contains(&reference));
    assert!(!list.contains("Тестовенко"), "notice lists carry no names");
    let (_, sent) = app.get_text(&police, "/notices").await;
    assert!(sent.contains(&reference) && sent.contains("Полтавська РВА"));
    assert!(
        !sent.contains("id=\"incoming\""),
        "a partner has no incoming notices"
    );

    // Another unit's case officer and the partner cannot open the case.
    let officer2 = app.signed_in("officer2").await;
    let (_, other) = app.get_text(&officer2, "/notices").await;
    assert!(!other.contains(&reference));
    assert_eq!(app.status(&officer2, &format!("/cases/{id}")).await, 404);
    assert_eq!(app.status(&police, &format!("/cases/{id}")).await, 404);
    let admin = app.signed_in("admin").await;
    let (status, page) = app.get_text(&admin, &format!("/cases/{id}")).await;
    assert_eq!(status, 404);
    assert!(!page.contains("Тестовенко"));
    let r = app
        .post_form(&officer2, &format!("/notices/{id}/accept"), "/notices", &[])
        .await;
    assert_eq!(r.status().as_u16(), 404);

    // The unit accepts; the case opens and its page shows the notice.
    let r = app
        .post_form(&officer, &format!("/notices/{id}/accept"), "/notices", &[])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(location, format!("/cases/{id}?done=accepted"));
    let r = get(&app, &officer, &location).await;
    assert_eq!(r.status().as_u16(), 200);
    assert!(no_store(&r));
    let page = r.text().await.unwrap();
    assert!(page.contains(&reference));
    assert!(page.contains("data-state=\"open\""));
    assert!(page.contains("Тестовенко Ярина") && page.contains("ТТ 000111"));
    assert!(
        page.contains("трудова експлуатація / примусова праця")
            && page.contains("залучення в боргову кабалу")
    );
    assert!(page.contains("Працювала без оплати на будівництві."));
    assert!(
        page.contains(
            "href=\"/cases/{id}/application/new\""
                .replace("{id}", &id.to_string())
                .as_str()
        )
    );

    // Accepting twice is a conflict, not a second case.
    let r = app
        .post_form(&officer, &format!("/notices/{id}/accept"), "/notices", &[])
        .await;
    assert_eq!(r.status().as_u16(), 409);

    // The view is in the audit trail under the reference, never the name.
    let viewed = app.audit(AuditAction::CaseViewed).await;
    assert!(viewed.iter().any(|r| r.actor_login.as_deref() == Some("officer")
        && r.subject_kind.as_deref() == Some("case")
        && r.subject_id.as_deref() == Some(reference.as_str())));
    let recorded = app.audit(AuditAction::NoticeRecorded).await;
    assert!(
        recorded
            .iter()
            .any(|r| r.subject_id.as_deref() == Some(reference.as_str()))
    );
    for row in store::audit::trail::list(app.db().raw_pool(), &Default::default(), 10_000)
        .await
        .unwrap()
        .0
    {
        assert!(
            !row.details.contains("Тестовенко") && !row.details.contains("ТТ 000111"),
            "{row:?}"
        );
    }
    let denials = app.audit(AuditAction::PermissionDenied).await;
    assert!(
        denials
            .iter()
            .any(|r| r.actor_login.as_deref() == Some("officer2")
                && r.subject_id.as_deref() == Some(reference.as_str()))
    );

    // The police see the notice's state change in their list.
    let (_, sent) = app.get_text(&police, "/notices").await;
    assert!(sent.contains("state-open"));
}

#[tokio::test]
async fn a_childs_notice_also_reaches_the_childrens_service_with_only_the_shared_fields() {
    let app = TestApp::spawn().await;
    let police = app.signed_in("police").await;
    let children = app.signed_in("children").await;
    let birth = today(&app)
        .saturating_sub(jiff::Span::new().years(14))
        .to_string();
    let mut fields = adult_notice(&app, "Дитинчук", "Тарас", &birth).await;
    set(&mut fields, "consent", "no");
    set(&mut fields, "is_child", "1");
    set(&mut fields, "sex", "male");
    let (status, done) = send_notice(&app, &police, &fields).await;
    assert_eq!(status, 200, "{done}");
    let reference = text_of(&done, "notice-reference");
    assert!(done.contains("id=\"notice-children-service\""), "{done}");
    assert!(done.contains("ССД ОВА"));
    let id = case_id(&app, &reference).await;
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM cases WHERE id = {id} AND person_id IS NOT NULL")
        )
        .await,
        1,
        "a child's notice keeps the child without consent"
    );

    // The children's service finds it in its inbox, by reference only.
    let (status, inbox) = app.get_text(&children, "/referrals").await;
    assert_eq!(status, 200);
    assert!(inbox.contains(&reference));
    assert!(!inbox.contains("Дитинчук"));
    let rid: i64 = sqlx::query_scalar("SELECT id FROM referrals WHERE case_id = $1")
        .bind(id)
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap();
    let r = get(&app, &children, &format!("/referrals/{rid}")).await;
    assert_eq!(r.status().as_u16(), 200);
    assert!(no_store(&r));
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"shared\""));
    assert!(page.contains("Дитинчук Тарас"), "the name is shared");
    assert!(page.contains("+380 50 123 45 67"), "contacts are shared");
    assert!(page.contains("вул. Уявна, 1"), "the address is shared");
    assert!(!page.contains("ТТ 000111"), "the document is not shared");
    assert!(
        !page.contains("Працювала без оплати"),
        "the circumstances are not shared"
    );
    assert!(
        !page.contains(&format!("href=\"/cases/{id}\"")),
        "the receiver gets no link to the case"
    );
    assert_eq!(app.status(&children, &format!("/cases/{id}")).await, 404);

    // Nobody else sees the referral.
    let police_view = app.status(&police, &format!("/referrals/{rid}")).await;
    assert_eq!(police_view, 404);
    let viewed = app.audit(AuditAction::ReferralViewed).await;
    assert!(viewed.iter().any(|r| r.actor_login.as_deref() == Some("children")
        && r.subject_id.as_deref() == Some(rid.to_string().as_str())));
}

#[tokio::test]
async fn an_adults_notice_without_consent_stores_no_person() {
    let app = TestApp::spawn().await;
    let police = app.signed_in("police").await;
    let officer = app.signed_in("officer").await;
    let persons_before = count(&app, "SELECT COUNT(*) FROM persons").await;
    let mut fields = adult_notice(&app, "Беззгодна", "Олена", "1985-05-05").await;
    set(&mut fields, "consent", "no");
    set(&mut fields, "age", "41");
    set(&mut fields, "birth_date", "");
    let (status, done) = send_notice(&app, &police, &fields).await;
    assert_eq!(status, 200, "{done}");
    assert!(!done.contains("Беззгодна"));
    let reference = text_of(&done, "notice-reference");
    let id = case_id(&app, &reference).await;
    assert_eq!(count(&app, "SELECT COUNT(*) FROM persons").await, persons_before);
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM cases WHERE id = {id} AND person_id IS NULL AND consent = 0")
        )
        .await,
        1
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM persons WHERE surname = 'Беззгодна'").await,
        0
    );

    let r = app
        .post_form(&officer, &format!("/notices/{id}/accept"), "/notices", &[])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, page) = app.get_text(&officer, &format!("/cases/{id}")).await;
    assert!(page.contains("id=\"no-person\""));
    assert!(!page.contains("Беззгодна"));

    // Sharing identifying fields of this case needs a consent reference.
    let path = format!("/cases/{id}/referrals/new");
    let ngo = app.org_id("БО «Світло надії»").await.to_string();
    let r = post(
        &app,
        &officer,
        &path,
        &path,
        &[
            ("org_id", ngo.clone()),
            ("purpose", "shelter".into()),
            ("fields", "contacts".into()),
        ],
    )
    .await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("id=\"consent_ref-error\""), "{body}");
    assert!(body.contains("id=\"fields-contacts\" name=\"fields\" value=\"contacts\""));
    let r = post(
        &app,
        &officer,
        &path,
        &path,
        &[
            ("org_id", ngo),
            ("purpose", "shelter".into()),
            ("fields", "facts".into()),
        ],
    )
    .await;
    assert_eq!(r.status().as_u16(), 303, "facts alone need no consent");
}

#[tokio::test]
async fn possible_duplicates_warn_and_recording_anyway_works() {
    let app = TestApp::spawn().await;
    let officer = app.signed_in("officer").await;
    let police = app.signed_in("police").await;
    let fields = adult_notice(&app, "Ковальчук", "Олександр", "1988-07-19").await;
    let (status, done) = send_notice(&app, &officer, &fields).await;
    assert_eq!(status, 200);
    let first = text_of(&done, "notice-reference");
    let first_id = case_id(&app, &first).await;
    let cases_before = count(&app, "SELECT COUNT(*) FROM cases").await;

    // The same person written in Latin letters, same birth date: a warning, nothing recorded.
    let mut latin = adult_notice(&app, "Kovalchuk", "Oleksandr", "1988-07-19").await;
    set(&mut latin, "citizenship", "Україна (латиницею)");
    let (status, page) = send_notice(&app, &officer, &latin).await;
    assert_eq!(status, 200);
    assert!(page.contains("id=\"duplicates\""), "{page}");
    assert!(page.contains(&format!("<a href=\"/cases/{first_id}\">{first}</a>")));
    assert!(page.contains("value=\"Kovalchuk\"") && page.contains("value=\"Україна (латиницею)\""));
    assert!(page.contains("name=\"confirm_duplicates\""));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM cases").await, cases_before);
    let warnings = app.audit(AuditAction::DuplicateWarning).await;
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].details.contains(&first) && !warnings[0].details.contains("Kovalchuk"));

    // The police cannot see the unit's case, so they get no hint of it.
    let (status, page) = send_notice(&app, &police, &latin).await;
    assert_eq!(status, 200);
    assert!(!page.contains("id=\"duplicates\"") && page.contains("notice-reference"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM cases").await, cases_before + 1);

    // Confirmed: recorded anyway.
    let mut confirmed = latin.clone();
    confirmed.push(("confirm_duplicates", "1".into()));
    let (status, done) = send_notice(&app, &officer, &confirmed).await;
    assert_eq!(status, 200);
    let second = text_of(&done, "notice-reference");
    assert_ne!(first, second);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM cases").await, cases_before + 2);
}

#[tokio::test]
async fn bad_input_is_shown_beside_the_fields_and_nothing_typed_is_lost() {
    let app = TestApp::spawn().await;
    let police = app.signed_in("police").await;
    let cases_before = count(&app, "SELECT COUNT(*) FROM cases").await;
    let future = today(&app).saturating_add(jiff::Span::new().days(3)).to_string();
    let fields: Vec<(&'static str, String)> = vec![
        ("identified_on", future.clone()),
        ("territory_id", String::new()),
        ("came_to_attention", "police".into()),
        ("forms", "begging".into()),
        ("sex", "female".into()),
        ("consent", "yes".into()),
        ("surname", "Помилкова".into()),
        ("given_name", "  ".into()),
        ("birth_date", "31.02.1990".into()),
        ("email", "не-пошта".into()),
        ("interpreter", "1".into()),
        ("circumstances", "Опис обставин, який не можна губити.".into()),
    ];
    let r = post(&app, &police, "/notices", "/notices/new", &fields).await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(no_store(&r));
    let page = r.text().await.unwrap();
    for field in [
        "identified_on",
        "territory_id",
        "given_name",
        "birth_date",
        "email",
        "language",
    ] {
        assert!(page.contains(&format!("id=\"{field}-error\"")), "{field}: {page}");
    }
    assert!(page.contains("Дата не може бути в майбутньому."));
    assert!(
        page.contains(
            "id=\"identified_on\" name=\"identified_on\" type=\"date\" value=\"{future}\""
                .replace("{future}", &future)
                .as_str()
        )
    );
    assert!(page.contains("value=\"Помилкова\""));
    assert!(page.contains("value=\"31.02.1990\""));
    assert!(page.contains("value=\"не-пошта\""));
    assert!(page.contains("Опис обставин, який не можна губити."));
    assert!(page.contains("value=\"begging\" checked"));
    assert!(page.contains("id=\"consent-yes\" name=\"consent\" value=\"yes\" checked"));
    assert!(page.contains("id=\"interpreter\" name=\"interpreter\" value=\"1\" checked"));
    // The first wrong field gets the focus.
    assert!(
        page.contains(
            "value=\"{future}\" aria-describedby"
                .replace("{future}", &future)
                .as_str()
        )
    );
    assert_eq!(page.matches(" autofocus").count(), 1);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM cases").await, cases_before);

    // English too.
    let r = police
        .post(app.at("/lang"))
        .form(&[
            ("lang", "en"),
            ("back", "/notices/new"),
            ("csrf_token", &app.csrf(&police, "/notices/new").await),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let (status, page) = send_notice(&app, &police, &fields).await;
    assert_eq!(status, 422);
    assert!(page.contains("The date cannot be in the future."), "{page}");
}

#[tokio::test]
async fn a_referrals_receiver_sees_the_shared_fields_only_while_it_is_open() {
    let app = TestApp::spawn().await;
    let officer = app.signed_in("officer").await;
    let ngo = app.signed_in("ngo").await;
    let fields = adult_notice(&app, "Направленко", "Ірина", "1990-10-10").await;
    let (id, reference) = open_case(&app, &officer, &officer, &fields).await;
    let ngo_org = app.org_id("БО «Світло надії»").await.to_string();
    let path = format!("/cases/{id}/referrals/new");

    // Bad input is refused beside the fields.
    let r = post(
        &app,
        &officer,
        &path,
        &path,
        &[
            ("purpose", "shelter".into()),
            ("message", "Потрібен притулок.".into()),
        ],
    )
    .await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("id=\"org_id-error\"") && body.contains("Потрібен притулок."));

    let send = |fields: Vec<(&'static str, String)>| {
        let (app, officer, path) = (&app, &officer, path.clone());
        async move { post(app, officer, &path, &path, &fields).await }
    };
    let due = today(&app).saturating_add(jiff::Span::new().days(10)).to_string();
    let r = send(vec![
        ("org_id", ngo_org.clone()),
        ("purpose", "shelter".into()),
        ("fields", "name".into()),
        ("fields", "contacts".into()),
        ("consent_ref", "згода від 01.03".into()),
        ("due_on", due),
        ("message", "Потрібен притулок на місяць.".into()),
    ])
    .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(
        r.headers()["location"],
        format!("/cases/{id}?done=referred").as_str()
    );
    let r = send(vec![
        ("org_id", ngo_org.clone()),
        ("purpose", "legal_aid".into()),
        ("fields", "facts".into()),
    ])
    .await;
    assert_eq!(r.status().as_u16(), 303);
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM referrals WHERE case_id = $1 ORDER BY id")
        .bind(id)
        .fetch_all(app.db().raw_pool())
        .await
        .unwrap();
    let (shelter, legal) = (ids[0], ids[1]);

    // The receiver sees only what was shared.
    let (_, inbox) = app.get_text(&ngo, "/referrals").await;
    assert!(inbox.contains(&format!("href=\"/referrals/{shelter}\"")) && inbox.contains(&reference));
    let (status, page) = app.get_text(&ngo, &format!("/referrals/{shelter}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Направленко Ірина") && page.contains("+380 50 123 45 67"));
    assert!(page.contains("Потрібен притулок на місяць."));
    for hidden in [
        "1990",
        "ТТ 000111",
        "вул. Уявна",
        "Працювала без оплати",
        "трудова експлуатація",
    ] {
        assert!(!page.contains(hidden), "{hidden} leaked");
    }
    let (_, page) = app.get_text(&ngo, &format!("/referrals/{legal}")).await;
    assert!(
        !page.contains("Направленко") && page.contains("трудова експлуатація"),
        "facts only"
    );

    // Accept, then answer (an answer is required).
    let rp = format!("/referrals/{shelter}");
    let r = app
        .post_form(&ngo, &format!("{rp}/accept"), &rp, &[("version", "1")])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let r = app
        .post_form(
            &ngo,
            &format!("{rp}/answer"),
            &rp,
            &[("version", "2"), ("answer", " ")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("id=\"answer-error\""));
    let r = app
        .post_form(
            &ngo,
            &format!("{rp}/answer"),
            &rp,
            &[("version", "2"), ("answer", "Надано місце в притулку.")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    // A stale form is a conflict that keeps what was typed.
    let r = app
        .post_form(
            &ngo,
            &format!("{rp}/answer"),
            &rp,
            &[("version", "2"), ("answer", "Друга відповідь.")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 409);
    let body = r.text().await.unwrap();
    assert!(body.contains("id=\"conflict\"") && body.contains("Друга відповідь."));

    // The unit sees the answer on the case page, then withdraws the referral.
    let (_, case_page) = app.get_text(&officer, &format!("/cases/{id}")).await;
    assert!(case_page.contains("Надано місце в притулку."));
    let (_, sender_view) = app.get_text(&officer, &rp).await;
    assert!(sender_view.contains(&format!("href=\"/cases/{id}\"")) && !sender_view.contains("id=\"shared\""));
    let r = app
        .post_form(&officer, &format!("{rp}/close"), &rp, &[("version", "3")])
        .await;
    assert_eq!(r.status().as_u16(), 303);

    // Closed: the receiver no longer sees it, and the try is audited.
    let (status, page) = app.get_text(&ngo, &rp).await;
    assert_eq!(status, 404);
    assert!(!page.contains("Направленко"));
    let r = app
        .post_form(&ngo, &format!("{rp}/answer"), "/referrals", &[("answer", "ще")])
        .await;
    assert_eq!(r.status().as_u16(), 404);
    let denied = app.audit(AuditAction::PermissionDenied).await;
    assert!(denied.iter().any(|r| r.actor_login.as_deref() == Some("ngo")
        && r.subject_kind.as_deref() == Some("referral")
        && r.subject_id.as_deref() == Some(shelter.to_string().as_str())));
    let (_, inbox) = app.get_text(&ngo, "/referrals?all=1").await;
    assert!(inbox.contains(&format!("data-referral-id=\"{shelter}\"")));
    assert!(
        !inbox.contains(&format!("href=\"/referrals/{shelter}\"")),
        "a closed referral is not linked"
    );

    // Declining needs a reason; afterwards the receiver is back in the inbox and locked out.
    let lp = format!("/referrals/{legal}");
    let r = app
        .post_form(
            &ngo,
            &format!("{lp}/decline"),
            &lp,
            &[("version", "1"), ("reason", "")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("id=\"reason-error\""));
    let r = app
        .post_form(
            &ngo,
            &format!("{lp}/decline"),
            &lp,
            &[("version", "1"), ("reason", "Немає юриста.")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(r.headers()["location"], "/referrals?done=referral-declined");
    assert_eq!(app.status(&ngo, &lp).await, 404);
    let denials = app
        .audit(AuditAction::PermissionDenied)
        .await
        .into_iter()
        .filter(|r| {
            r.actor_login.as_deref() == Some("ngo")
                && r.subject_id.as_deref() == Some(legal.to_string().as_str())
        })
        .count();
    assert_eq!(denials, 1);
    let (_, case_page) = app.get_text(&officer, &format!("/cases/{id}")).await;
    assert!(
        case_page.contains("Немає юриста.")
            && case_page.contains("state-declined")
            && case_page.contains("state-closed")
    );

    // An unknown action is not found.
    let r = app.post_form(&officer, &format!("{lp}/delete"), &lp, &[]).await;
    assert_eq!(r.status().as_u16(), 404);
}

#[tokio::test]
async fn the_case_list_filters_and_pages_and_shows_no_names() {
    let app = TestApp::spawn().await;
    let officer = app.signed_in("officer").await;
    let a = actor(&app, "officer").await;
    let now = app.state.clock.now_secs();
    let karlivka = territory(&app, "Карлівська міська територіальна громада").await;
    let mut ids = Vec::new();
    for i in 0..55 {
        let child = i % 5 == 0;
        let input = NoticeInput {
            person: Some(PersonInput {
                surname: format!("Спискова{i}"),
                given_name: "Анна".into(),
                patronymic: None,
                birth_date: None,
                document: None,
                phone: None,
                email: None,
                address: None,
            }),
            identified_on: today(&app),
            territory_id: karlivka,
            came_to_attention: CameToAttention::Hotline,
            forms: vec![if i % 3 == 0 { "begging" } else { "labour" }.into()],
            is_child: child,
            sex: Sex::Female,
            age: Some(if child { 15 } else { 30 }),
            citizenship: None,
            language: None,
            interpreter: false,
            consent: true,
            circumstances: None,
        };
        let mut tx = app.db().begin_system().await.unwrap();
        let o = store::cases::insert_notice(&mut tx, &ctx(&a, now), &input)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        ids.push((o.case_id, o.reference));
    }
    for (id, _) in ids.iter().take(10) {
        store::cases::accept_notice(app.db(), &ctx(&a, now), *id)
            .await
            .unwrap();
    }

    let base = format!("/cases?territory={karlivka}");
    let r = get(&app, &officer, &base).await;
    assert_eq!(r.status().as_u16(), 200);
    assert!(no_store(&r));
    let first = r.text().await.unwrap();
    assert_eq!(rows(&first, "data-case-id="), 50);
    assert!(first.contains(&ids[54].1), "newest first");
    assert!(!first.contains("Спискова"), "no names in the list");
    let next = next_href(&first).expect("a next page");
    assert!(next.contains(&format!("territory={karlivka}")) && next.contains("after="));
    let (_, second) = app.get_text(&officer, &next).await;
    assert_eq!(rows(&second, "data-case-id="), 5);
    assert!(second.contains(&ids[0].1));
    assert!(next_href(&second).is_none());
    assert!(!second.contains("Спискова"));

    let children = (0..55).filter(|i| i % 5 == 0).count();
    let begging = (0..55).filter(|i| i % 3 == 0).count();
    let (_, page) = app.get_text(&officer, &format!("{base}&child=yes")).await;
    assert_eq!(rows(&page, "data-case-id="), children);
    let (_, page) = app.get_text(&officer, &format!("{base}&form=begging")).await;
    assert_eq!(rows(&page, "data-case-id="), begging);
    let (_, page) = app.get_text(&officer, &format!("{base}&state=open")).await;
    assert_eq!(rows(&page, "data-case-id="), 10);
    let (_, page) = app
        .get_text(&officer, &format!("{base}&state=notice&child=no&form=labour"))
        .await;
    let expected = (10..55).filter(|i| i % 5 != 0 && i % 3 != 0).count();
    assert_eq!(rows(&page, "data-case-id="), expected);

    // The reference search goes through a POST; only a well-formed reference reaches a URL.
    let target = &ids[20];
    let r = app
        .post_form(
            &officer,
            "/cases/search",
            "/cases",
            &[("ref", target.1.to_lowercase().as_str())],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(location, format!("/cases?ref={}", target.1));
    let (_, page) = app.get_text(&officer, &location).await;
    assert_eq!(rows(&page, "data-case-id="), 1);
    assert!(page.contains(&format!("href=\"/cases/{}\"", target.0)));

    // A name is refused with a message and never looked up.
    let r = app
        .post_form(&officer, "/cases/search", "/cases", &[("ref", "Спискова20")])
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.headers().get("location").is_none());
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"ref-error\"") && page.contains("value=\"Спискова20\""));
    assert_eq!(rows(&page, "data-case-id="), 0);
    let (status, page) = app
        .get_text(
            &officer,
            "/cases?ref=%D0%A1%D0%BF%D0%B8%D1%81%D0%BA%D0%BE%D0%B2%D0%B020",
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(rows(&page, "data-case-id="), 0);

    // The list belongs to case officers.
    let police = app.signed_in("police").await;
    assert_eq!(app.status(&police, "/cases").await, 403);
    let analyst = app.signed_in("analyst").await;
    assert_eq!(app.status(&analyst, "/cases").await, 403);
    let r = app
        .post_form(&analyst, "/cases/search", "/", &[("ref", "Спискова20")])
        .await;
    assert_eq!(r.status().as_u16(), 403);
}

#[tokio::test]
async fn documents_are_checked_and_served_back_byte_for_byte() {
    let app = TestApp::spawn().await;
    let officer = app.signed_in("officer").await;
    let fields = adult_notice(&app, "Документенко", "Віра", "1979-01-15").await;
    let (id, _) = open_case(&app, &officer, &officer, &fields).await;
    let page = format!("/cases/{id}");
    let token = app.csrf(&officer, &page).await;
    let upload = |kind: &'static str, name: &'static str, bytes: Vec<u8>| {
        let form = reqwest::multipart::Form::new()
            .text("csrf_token", token.clone())
            .text("kind", kind)
            .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name));
        officer
            .post(app.at(&format!("{page}/documents")))
            .multipart(form)
            .send()
    };
    let r = upload("Заява", "run.exe", b"MZ\x90\x00".to_vec()).await.unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("id=\"file-error\"") && body.contains("value=\"Заява\""));
    let r = upload("Заява", "заява.pdf", b"MZ\x90\x00 not a pdf".to_vec())
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("id=\"file-error\""));
    let r = upload("", "заява.pdf", b"%PDF-1.7 x".to_vec()).await.unwrap();
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("id=\"kind-error\""));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM case_documents").await, 0);

    let pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n".to_vec();
    let r = upload("Заява", "заява Документенко.pdf", pdf.clone())
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(
        r.headers()["location"],
        format!("/cases/{id}?done=document").as_str()
    );
    let doc: i64 = sqlx::query_scalar("SELECT id FROM case_documents WHERE case_id = $1")
        .bind(id)
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap();
    let (_, case_page) = app.get_text(&officer, &page).await;
    assert!(case_page.contains(&format!("href=\"/cases/{id}/documents/{doc}\"")));
    let r = get(&app, &officer, &format!("{page}/documents/{doc}")).await;
    assert_eq!(r.status().as_u16(), 200);
    assert!(no_store(&r));
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let disposition = r.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(disposition.starts_with("attachment;") && disposition.contains(&format!("document-{doc}.pdf")));
    assert_eq!(r.bytes().await.unwrap().as_ref(), pdf.as_slice());
    assert!(
        app.audit(AuditAction::CaseDocumentDownloaded)
            .await
            .iter()
            .any(|r| r.actor_login.as_deref() == Some("officer"))
    );

    // Nobody outside the unit gets it.
    for login in ["officer2", "police", "admin"] {
        let c = app.signed_in(login).await;
        assert_eq!(
            app.status(&c, &format!("{page}/documents/{doc}")).await,
            404,
            "{login}"
        );
    }
}

#[tokio::test]
async fn facts_and_person_are_edited_and_a_stale_edit_keeps_what_was_typed() {
    let app = TestApp::spawn().await;
    let police = app.signed_in("police").await;
    let officer = app.signed_in("officer").await;
    let mut fields = adult_notice(&app, "Редагована", "Ліна", "").await;
    set(&mut fields, "consent", "no");
    set(&mut fields, "age", "33");
    let (id, _) = open_case(&app, &police, &officer, &fields).await;
    let edit = format!("/cases/{id}/edit");
    let (status, form) = app.get_text(&officer, &edit).await;
    assert_eq!(status, 200);
    assert!(
        form.contains("name=\"version\" value=\"2\""),
        "accepted once: version 2"
    );

    let facts = |version: &str, notes: &str| -> Vec<(&'static str, String)> {
        vec![
            ("version", version.into()),
            ("sex", "female".into()),
            ("age", "33".into()),
            ("came_to_attention", "police".into()),
            ("forms", "labour".into()),
            ("place_kind", "abroad".into()),
            ("country", "Польща".into()),
            ("notes", notes.into()),
        ]
    };
    // A problem beside its field.
    let mut bad = facts("2", "Нотатка");
    set(&mut bad, "country", "");
    let r = post(&app, &officer, &edit, &edit, &bad).await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("id=\"country-error\"") && body.contains("Нотатка"));

    let r = post(&app, &officer, &edit, &edit, &facts("2", "Перша нотатка")).await;
    assert_eq!(r.status().as_u16(), 303);
    let r = post(&app, &officer, &edit, &edit, &facts("2", "Застаріла нотатка")).await;
    assert_eq!(r.status().as_u16(), 409);
    let body = r.text().await.unwrap();
    assert!(body.contains("id=\"conflict\"") && body.contains("Застаріла нотатка"));
    assert!(
        body.contains("name=\"version\" value=\"3\""),
        "the form now carries the current version"
    );
    let (_, page) = app.get_text(&officer, &format!("/cases/{id}")).await;
    assert!(page.contains("Перша нотатка") && page.contains("Польща"));

    // The person is added once consent is given.
    let person = format!("/cases/{id}/person");
    let r = post(
        &app,
        &officer,
        &person,
        &person,
        &[("surname", "Редагована".into()), ("phone", "abc".into())],
    )
    .await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("id=\"given_name-error\"")
            && body.contains("id=\"phone-error\"")
            && body.contains("value=\"Редагована\"")
    );
    let r = post(
        &app,
        &officer,
        &person,
        &person,
        &[("surname", "Редагована".into()), ("given_name", "Ліна".into())],
    )
    .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, page) = app.get_text(&officer, &format!("/cases/{id}")).await;
    assert!(page.contains("Редагована Ліна"));

    // Close and reopen.
    let r = app
        .post_form(&officer, &format!("/cases/{id}/close"), "/cases", &[])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let r = app
        .post_form(&officer, &format!("/cases/{id}/close"), "/cases", &[])
        .await;
    assert_eq!(r.status().as_u16(), 409);
    let (_, page) = app.get_text(&officer, &format!("/cases/{id}")).await;
    assert!(page.contains("data-state=\"closed\"") && page.contains("id=\"reopen-case\""));
    let r = app
        .post_form(&officer, &format!("/cases/{id}/reopen"), "/cases", &[])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let police_edit = app.get_text(&police, &edit).await.0;
    assert_eq!(police_edit, 404);
}

#[tokio::test]
async fn a_notice_is_passed_on_to_another_unit_with_a_reason() {
    let app = TestApp::spawn().await;
    let police = app.signed_in("police").await;
    let officer = app.signed_in("officer").await;
    let officer2 = app.signed_in("officer2").await;
    let fields = adult_notice(&app, "Переданенко", "Ганна", "1991-09-09").await;
    let (status, done) = send_notice(&app, &police, &fields).await;
    assert_eq!(status, 200);
    let reference = text_of(&done, "notice-reference");
    let id = case_id(&app, &reference).await;
    let kremenchuk = app.org_id("Кременчуцька РВА").await.to_string();
    let path = format!("/notices/{id}/redirect");

    // Without a reason: refused beside the field, the chosen unit kept.
    let r = post(
        &app,
        &officer,
        &path,
        "/notices",
        &[("to_org_id", kremenchuk.clone()), ("reason", " ".into())],
    )
    .await;
    assert_eq!(r.status().as_u16(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"reason-error\""), "{page}");
    assert!(page.contains(&format!("<option value=\"{kremenchuk}\" selected>")));
    // Not a unit: refused too.
    let ngo = app.org_id("БО «Світло надії»").await.to_string();
    let r = post(
        &app,
        &officer,
        &path,
        "/notices",
        &[("to_org_id", ngo), ("reason", "Помилка".into())],
    )
    .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("id=\"to_org_id-error\""));

    let r = post(
        &app,
        &officer,
        &path,
        "/notices",
        &[
            ("to_org_id", kremenchuk),
            ("reason", "Особа перебуває в Кременчуці.".into()),
        ],
    )
    .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(r.headers()["location"], "/notices?done=redirected");
    let (_, mine) = app.get_text(&officer, "/notices").await;
    assert!(!mine.contains(&format!("data-notice-id=\"{id}\"")));
    assert_eq!(app.status(&officer, &format!("/cases/{id}")).await, 404);
    let (_, theirs) = app.get_text(&officer2, "/notices").await;
    assert!(theirs.contains(&format!("data-notice-id=\"{id}\"")));
    let (_, page) = app.get_text(&officer2, &format!("/cases/{id}")).await;
    assert!(page.contains("Особа перебуває в Кременчуці.") && page.contains("id=\"accept-notice\""));
    let (_, sent) = app.get_text(&police, "/notices").await;
    assert!(sent.contains("Кременчуцька РВА"));
}
