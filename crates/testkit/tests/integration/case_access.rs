//! Need-to-know on cases (SPEC §9, ADR 0007): every case URL, referral and
//! document is tried by a user of another unit, a partner without an open
//! referral, a partner after its referral closed, the administrator and the
//! analyst. Each gets 404 and each try leaves a `permission_denied` row; each
//! permitted view leaves its own audit row.

use domain::audit::AuditAction;
use oberih_testkit::TestApp;

async fn one(app: &TestApp, sql: &str) -> i64 {
    let (v,): (i64,) = sqlx::query_as(sql).fetch_one(app.db().raw_pool()).await.unwrap();
    v
}

async fn denials(app: &TestApp, login: &str) -> usize {
    app.audit(AuditAction::PermissionDenied)
        .await
        .into_iter()
        .filter(|r| r.actor_login.as_deref() == Some(login))
        .count()
}

async fn count(app: &TestApp, action: AuditAction, login: &str, subject: &str) -> usize {
    app.audit(action)
        .await
        .into_iter()
        .filter(|r| r.actor_login.as_deref() == Some(login) && r.subject_id.as_deref() == Some(subject))
        .count()
}

/// The ids the URLs are made of, from the demo data of `officer`'s unit.
struct Ids {
    case: i64,
    reference: String,
    granted: i64,
    refused: i64,
    open_procedure: i64,
    notice: i64,
    document: i64,
    referral: i64,
    /// Assistance of the case: a service sent to the legal aid centre as a
    /// referral, a stay, a payment and its register line.
    service: i64,
    service_referral: i64,
    stay: i64,
    payment: i64,
    line: i64,
}

async fn ids(app: &TestApp) -> Ids {
    let unit = app.org_id("Полтавська РВА").await;
    let granted = one(
        app,
        &format!(
            "SELECT MIN(id) FROM procedures WHERE unit_org_id = {unit} AND decision = 'granted' AND state = 'notified'"
        ),
    )
    .await;
    let case = one(
        app,
        &format!("SELECT case_id FROM procedures WHERE id = {granted}"),
    )
    .await;
    let (reference,): (String,) = sqlx::query_as("SELECT reference FROM cases WHERE id = $1")
        .bind(case)
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap();
    let refused = one(
        app,
        &format!("SELECT MIN(id) FROM procedures WHERE unit_org_id = {unit} AND decision = 'refused'"),
    )
    .await;
    let open_procedure = one(
        app,
        &format!("SELECT MIN(id) FROM procedures WHERE unit_org_id = {unit} AND state = 'registered'"),
    )
    .await;
    let notice = one(
        app,
        &format!("SELECT MIN(id) FROM cases WHERE unit_org_id = {unit} AND state = 'notice'"),
    )
    .await;

    // The unit adds a document and refers the case to the NGO.
    let officer = app.signed_in("officer").await;
    let token = app.csrf(&officer, &format!("/cases/{case}")).await;
    let pdf = b"%PDF-1.7\n% demo\n".to_vec();
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .text("kind", "Заява")
        .part(
            "file",
            reqwest::multipart::Part::bytes(pdf).file_name("zayava.pdf"),
        );
    let r = officer
        .post(app.at(&format!("/cases/{case}/documents")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert!(
        r.status().is_redirection() || r.status().is_success(),
        "{}",
        r.status()
    );
    let document = one(
        app,
        &format!("SELECT MAX(id) FROM case_documents WHERE case_id = {case}"),
    )
    .await;
    let ngo = app.org_id("БО «Світло надії»").await.to_string();
    let r = app
        .post_form(
            &officer,
            &format!("/cases/{case}/referrals/new"),
            &format!("/cases/{case}/referrals/new"),
            &[
                ("org_id", ngo.as_str()),
                ("purpose", "psychological"),
                ("fields", "name"),
                ("fields", "contacts"),
                ("consent_ref", "Згода від 01.11.2026"),
            ],
        )
        .await;
    assert!(r.status().is_redirection(), "referral sent: {}", r.status());
    let referral = one(
        app,
        &format!("SELECT MAX(id) FROM referrals WHERE case_id = {case}"),
    )
    .await;
    let (service, service_referral, stay, payment, line) = crate::assistance::assistance_of(app, case).await;
    Ids {
        service,
        service_referral,
        stay,
        payment,
        line,
        case,
        reference,
        granted,
        refused,
        open_procedure,
        notice,
        document,
        referral,
    }
}

fn case_gets(i: &Ids) -> Vec<String> {
    let c = i.case;
    vec![
        format!("/cases/{c}"),
        format!("/cases/{c}/edit"),
        format!("/cases/{c}/person"),
        format!("/cases/{c}/referrals/new"),
        format!("/cases/{c}/documents/{}", i.document),
        format!("/cases/{c}/application/new"),
        format!("/procedures/{}", i.granted),
        format!("/procedures/{}/certificate.docx", i.granted),
        format!("/procedures/{}/refusal.docx", i.refused),
        format!("/procedures/{}", i.open_procedure),
        format!("/cases/{c}/assistance"),
        format!("/cases/{c}/assessment/new"),
        format!("/cases/{c}/services/new"),
        format!("/cases/{c}/stays/new"),
        format!("/cases/{c}/payment/new"),
        format!("/payments/{}", i.payment),
        format!("/payments/register/lines/{}/reverse", i.line),
    ]
}

fn case_posts(i: &Ids) -> Vec<(String, Vec<(&'static str, &'static str)>)> {
    let c = i.case;
    vec![
        (
            format!("/cases/{c}/edit"),
            vec![
                ("sex", "female"),
                ("came_to_attention", "police"),
                ("version", "1"),
            ],
        ),
        (
            format!("/cases/{c}/person"),
            vec![("surname", "Підмінений"), ("given_name", "Хтось")],
        ),
        (format!("/cases/{c}/close"), vec![]),
        (format!("/cases/{c}/reopen"), vec![]),
        (
            format!("/cases/{c}/referrals/new"),
            vec![("org_id", "1"), ("purpose", "other"), ("fields", "facts")],
        ),
        (format!("/notices/{}/accept", i.notice), vec![]),
        (
            format!("/notices/{}/redirect", i.notice),
            vec![("to_org_id", "1"), ("reason", "х")],
        ),
        (
            format!("/cases/{c}/application"),
            vec![("registered_on", "2026-11-01"), ("applicant", "Хтось")],
        ),
        (
            format!("/procedures/{}/steps/interview", i.open_procedure),
            vec![
                ("on", "2026-11-20"),
                ("text", "х"),
                ("consent", "on"),
                ("version", "1"),
            ],
        ),
        (format!("/referrals/{}/close", i.referral), vec![]),
        (
            format!("/cases/{c}/assessments"),
            vec![
                ("assessed_on", "2026-03-01"),
                ("need", "medical"),
                ("urgency_medical", "urgent"),
            ],
        ),
        (
            format!("/cases/{c}/services"),
            vec![
                ("need", "legal_aid"),
                ("provider_org_id", "1"),
                ("planned_from", "2026-03-01"),
            ],
        ),
        (
            format!("/cases/{c}/stays"),
            vec![("institution_org_id", "1"), ("started_on", "2026-03-01")],
        ),
        (
            format!("/services/{}/steps/unavailable", i.service),
            vec![("on", "2026-03-01"), ("reason", "х")],
        ),
        (
            format!("/stays/{}/extend", i.stay),
            vec![
                ("decided_by", "х"),
                ("decision_no", "1"),
                ("decision_on", "2026-03-01"),
                ("reason", "х"),
                ("new_end_on", "2027-01-01"),
            ],
        ),
        (format!("/stays/{}/end", i.stay), vec![("ended_on", "2026-03-01")]),
        (
            format!("/cases/{c}/payments"),
            vec![("applied_on", "2026-03-01"), ("applicant", "person")],
        ),
        (
            format!("/payments/{}/steps/pay", i.payment),
            vec![("on", "2026-03-01"), ("payment_ref", "1")],
        ),
        (
            format!("/payments/register/lines/{}/reverse", i.line),
            vec![("reason", "х")],
        ),
        (
            format!("/referrals/{}/delivered", i.service_referral),
            vec![("on", "2026-03-01"), ("reason", "х")],
        ),
    ]
}

#[tokio::test]
async fn every_case_url_is_404_to_whoever_must_not_see_it_and_every_try_is_audited() {
    let app = TestApp::spawn().await;
    let i = ids(&app).await;
    let version_before = one(&app, &format!("SELECT version FROM cases WHERE id = {}", i.case)).await;
    let notice_state_before = one(
        &app,
        &format!(
            "SELECT COUNT(*) FROM cases WHERE id = {} AND state = 'notice'",
            i.notice
        ),
    )
    .await;

    // officer2: a case officer of another unit; children: a partner with no
    // referral on this case; admin and analyst: no case rights at all.
    for login in ["officer2", "children", "admin", "analyst"] {
        let client = app.signed_in(login).await;
        let before = denials(&app, login).await;
        let mut tries = 0;
        for url in case_gets(&i) {
            let (status, body) = app.get_text(&client, &url).await;
            assert_eq!(status, 404, "{login} GET {url}");
            assert!(
                !body.contains(&i.reference),
                "{login} GET {url}: the reference must not show"
            );
            assert!(!body.contains("Вигаданенко"), "{login} GET {url}: no name");
            tries += 1;
        }
        // The NGO's referral, seen by anybody but the NGO and the unit.
        let (status, _) = app.get_text(&client, &format!("/referrals/{}", i.referral)).await;
        assert_eq!(status, 404, "{login} GET the NGO's referral");
        tries += 1;
        for (url, fields) in case_posts(&i) {
            let r = app.post_form(&client, &url, "/", &fields).await;
            assert_eq!(r.status().as_u16(), 404, "{login} POST {url}");
            tries += 1;
        }
        let after = denials(&app, login).await;
        assert_eq!(after - before, tries, "{login}: every try is in the audit trail");
    }
    assert_eq!(
        one(&app, &format!("SELECT version FROM cases WHERE id = {}", i.case)).await,
        version_before,
        "nothing changed"
    );
    assert_eq!(
        one(
            &app,
            &format!(
                "SELECT COUNT(*) FROM cases WHERE id = {} AND state = 'notice'",
                i.notice
            )
        )
        .await,
        notice_state_before
    );
    assert_eq!(
        one(
            &app,
            &format!(
                "SELECT COUNT(*) FROM referrals WHERE id = {} AND state = 'sent'",
                i.referral
            )
        )
        .await,
        1,
        "the referral was not closed by an outsider"
    );

    // Whole pages of the unit are refused (403) to roles without case rights, and audited.
    for login in ["admin", "analyst"] {
        let client = app.signed_in(login).await;
        let before = denials(&app, login).await;
        let pages = [
            "/cases",
            "/deadlines",
            "/journal",
            "/journal.xlsx",
            "/assistance",
            "/payments/register",
            "/payments/register.xlsx",
        ];
        for url in pages {
            let status = app.status(&client, url).await;
            assert!(status == 403 || status == 404, "{login} GET {url}: {status}");
        }
        assert_eq!(
            denials(&app, login).await - before,
            pages.len(),
            "{login}: pages audited"
        );
    }

    // The NGO sees its open referral — only the shared fields — and nothing else of the case.
    let ngo = app.signed_in("ngo").await;
    let before = denials(&app, "ngo").await;
    let (status, body) = app.get_text(&ngo, &format!("/referrals/{}", i.referral)).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("Вигаданенко"),
        "the shared name is shown to the receiver"
    );
    // The demo person's birth date (1990-04-02) in either form; a bare "1990"
    // would also match a random token or request id on the page.
    assert!(
        !body.contains("02.04.1990") && !body.contains("1990-04-02"),
        "the birth date is not shared with the NGO"
    );
    assert_eq!(
        count(&app, AuditAction::ReferralViewed, "ngo", &i.referral.to_string()).await,
        1,
        "the NGO's view is audited"
    );
    for url in case_gets(&i) {
        assert_eq!(
            app.status(&ngo, &url).await,
            404,
            "ngo GET {url} with an open referral"
        );
    }
    assert_eq!(denials(&app, "ngo").await - before, case_gets(&i).len());

    // The unit closes the referral: from then on it is 404 to the NGO, and audited.
    let officer = app.signed_in("officer").await;
    let r = app
        .post_form(
            &officer,
            &format!("/referrals/{}/close", i.referral),
            &format!("/referrals/{}", i.referral),
            &[],
        )
        .await;
    assert!(r.status().is_redirection(), "closed: {}", r.status());
    let before = denials(&app, "ngo").await;
    let (status, body) = app.get_text(&ngo, &format!("/referrals/{}", i.referral)).await;
    assert_eq!(status, 404, "a closed referral is gone for the NGO");
    assert!(!body.contains("Вигаданенко"));
    for action in ["accept", "answer", "close"] {
        let r = app
            .post_form(
                &ngo,
                &format!("/referrals/{}/{action}", i.referral),
                "/",
                &[("answer", "х")],
            )
            .await;
        assert_eq!(r.status().as_u16(), 404, "ngo POST {action} after close");
    }
    assert_eq!(denials(&app, "ngo").await - before, 4);

    // Every permitted view of the unit is in the audit trail, by reference.
    let viewed_before = count(&app, AuditAction::CaseViewed, "officer", &i.reference).await;
    for url in case_gets(&i) {
        let status = app.status(&officer, &url).await;
        assert_eq!(status, 200, "officer GET {url}");
    }
    let viewed = count(&app, AuditAction::CaseViewed, "officer", &i.reference).await - viewed_before;
    assert!(
        viewed >= 5,
        "case, edit, person, procedure pages viewed: {viewed}"
    );
    assert!(count(&app, AuditAction::CaseDocumentDownloaded, "officer", &i.reference).await >= 1);
    assert!(count(&app, AuditAction::CertificateDownloaded, "officer", &i.reference).await >= 1);
}

/// The tables of subsistence minimums and the multiplier are the
/// administrator's: everyone else is refused the page and both forms (403,
/// audited), and nothing is added.
#[tokio::test]
async fn only_the_administrator_keeps_the_payment_rates() {
    let app = TestApp::spawn().await;
    let rows = |app: &TestApp| {
        let pool = app.db().raw_pool().clone();
        async move {
            let (m, k): (i64, i64) = sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM payment_minimums), (SELECT COUNT(*) FROM payment_multipliers)",
            )
            .fetch_one(&pool)
            .await
            .unwrap();
            (m, k)
        }
    };
    let before_rows = rows(&app).await;
    for login in ["officer", "coordinator", "analyst", "auditor", "legal"] {
        let client = app.signed_in(login).await;
        let before = denials(&app, login).await;
        assert_eq!(
            app.status(&client, "/settings/payment-rates").await,
            403,
            "{login}"
        );
        for (url, fields) in [
            (
                "/settings/payment-rates/minimums",
                vec![
                    ("effective_from", "2030-01-01"),
                    ("under_6", "1"),
                    ("child_6_18", "1"),
                    ("working_age", "1"),
                    ("lost_ability", "1"),
                    ("source", "х"),
                ],
            ),
            (
                "/settings/payment-rates/multipliers",
                vec![("effective_from", "2030-01-01"), ("factor", "9"), ("source", "х")],
            ),
        ] {
            let r = app.post_form(&client, url, "/", &fields).await;
            assert_eq!(r.status().as_u16(), 403, "{login} POST {url}");
        }
        assert_eq!(
            denials(&app, login).await - before,
            3,
            "{login}: each try audited"
        );
    }
    assert_eq!(rows(&app).await, before_rows, "nothing was added");
    let admin = app.signed_in("admin").await;
    let (status, page) = app.get_text(&admin, "/settings/payment-rates").await;
    assert_eq!(status, 200);
    assert!(
        page.replace('\u{a0}', " ").contains("3 512,00 грн"),
        "the 2026 minimum for 6–18 is listed"
    );
}
