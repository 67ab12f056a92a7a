//! Assistance and the one-time payment (SPEC §5, issue 11): amounts from the
//! versioned tables on the application date, one payment per granted status
//! (the page and the database), the register and its reversals, shelter stays
//! past their limit, and a service delivered through a referral.

use crate::procedures::{ctx_of, open_case};
use domain::DomainError;
use domain::assistance::{AssessmentForm, NeedLineForm, ServiceForm, StayForm};
use domain::payment::{ApplicationForm, MinimumsForm, PaymentAction, StepForm};
use jiff::ToSpan;
use jiff::civil::Date;
use oberih_testkit::TestApp;
use store::payments::{RegisterUse, ReversalForm};

fn today() -> Date {
    store::dates::kyiv_date(oberih_testkit::clock_now())
}

async fn one(app: &TestApp, sql: &str) -> i64 {
    let (v,): (i64,) = sqlx::query_as(sql).fetch_one(app.db().raw_pool()).await.unwrap();
    v
}

/// Puts a granted status on a case as the procedure would leave it (decided
/// on `decided_on`, valid two years), and sets the person's birth date.
/// Returns the procedure id.
async fn grant(app: &TestApp, case_id: i64, decided_on: Date, birth: Date) -> i64 {
    let pool = app.db().raw_pool();
    let (unit, person): (i64, i64) = sqlx::query_as("SELECT unit_org_id, person_id FROM cases WHERE id = $1")
        .bind(case_id)
        .fetch_one(pool)
        .await
        .unwrap();
    sqlx::query("UPDATE persons SET birth_date = $2 WHERE id = $1")
        .bind(person)
        .bind(birth.to_string())
        .execute(pool)
        .await
        .unwrap();
    let officer = app.user_id("officer").await;
    let no = one(app, "SELECT COALESCE(MAX(journal_no), 0) + 1000 FROM procedures").await;
    let until = decided_on.checked_add(2.years()).unwrap();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO procedures (case_id, unit_org_id, journal_year, journal_no, registered_on, applicant, \
         registered_by, state, decision, decided_on, certificate_no, valid_until, last_step_on, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'Заявниця', $6, 'notified', 'granted', $5, $7, $8, $5, 0, 0) RETURNING id",
    )
    .bind(case_id)
    .bind(unit)
    .bind(i64::from(decided_on.year()))
    .bind(no)
    .bind(decided_on.to_string())
    .bind(officer)
    .bind(format!("{no}/{}", decided_on.year()))
    .bind(until.to_string())
    .fetch_one(pool)
    .await
    .unwrap();
    id
}

fn application(on: Date) -> ApplicationForm {
    ApplicationForm {
        applied_on: on.to_string(),
        applicant: "person".into(),
        ..Default::default()
    }
}

async fn amount_of(app: &TestApp, payment: i64) -> (String, i64) {
    sqlx::query_as("SELECT category, amount FROM payments WHERE id = $1")
        .bind(payment)
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap()
}

fn d(y: i16, m: i8, day: i8) -> Date {
    jiff::civil::date(y, m, day)
}

#[tokio::test]
async fn amounts_follow_the_tables_in_force_on_the_application_date() {
    let app = TestApp::spawn().await;
    let officer = ctx_of(&app, "officer").await;
    // (application date, birth date, lost ability, expected category, kopiykas)
    let cases = [
        (d(2025, 6, 2), d(2021, 1, 1), false, "under_6", 768_900),
        (d(2025, 6, 2), d(2012, 1, 1), false, "child_6_18", 958_800),
        (d(2025, 6, 2), d(1990, 1, 1), false, "working_age", 908_400),
        (d(2025, 6, 2), d(1950, 1, 1), true, "lost_ability", 708_300),
        (d(2026, 1, 15), d(2021, 1, 1), false, "under_6", 845_100),
        (d(2026, 1, 15), d(2012, 1, 1), false, "child_6_18", 1_053_600),
        (d(2026, 1, 15), d(1990, 1, 1), false, "working_age", 998_400),
        (d(2026, 1, 15), d(1950, 1, 1), true, "lost_ability", 778_500),
        // Six on the application date: 6–18; six the day after: under 6.
        (d(2026, 1, 15), d(2020, 1, 15), false, "child_6_18", 1_053_600),
        (d(2026, 1, 15), d(2020, 1, 16), false, "under_6", 845_100),
    ];
    let mut made = Vec::new();
    for (i, (on, birth, lost, category, kop)) in cases.iter().enumerate() {
        let (case_id, _) = open_case(&app, &format!("Сумова{i}")).await;
        grant(&app, case_id, d(2025, 1, 10), *birth).await;
        let mut f = application(*on);
        if *lost {
            f.lost_ability = true;
            f.lost_ability_basis = "Пенсійне посвідчення № 123".into();
        }
        let id = store::payments::apply(app.db(), &officer, case_id, &f)
            .await
            .unwrap();
        assert_eq!(
            amount_of(&app, id).await,
            (category.to_string(), *kop),
            "case {i}: {on} born {birth}"
        );
        made.push((id, category.to_string(), *kop));
    }
    // The administrator adds minimums in force from 1 February 2026.
    let admin = ctx_of(&app, "admin").await;
    store::payments::add_minimums(
        app.db(),
        &admin,
        &MinimumsForm {
            effective_from: "2026-02-01".into(),
            under_6: "3000".into(),
            child_6_18: "3700".into(),
            working_age: "3500".into(),
            lost_ability: "2700".into(),
            source: "Тестовий рядок".into(),
        },
    )
    .await
    .unwrap();
    for (id, category, kop) in &made {
        assert_eq!(
            &amount_of(&app, *id).await,
            &(category.clone(), *kop),
            "no earlier payment changed"
        );
    }
    let (case_id, _) = open_case(&app, "Сумова-нова").await;
    grant(&app, case_id, d(2025, 1, 10), d(2021, 1, 1)).await;
    let id = store::payments::apply(app.db(), &officer, case_id, &application(d(2026, 2, 1)))
        .await
        .unwrap();
    assert_eq!(
        amount_of(&app, id).await,
        ("under_6".into(), 900_000),
        "3 × 3 000,00"
    );
    // A row with the same date is refused beside the date.
    let again = store::payments::add_minimums(
        app.db(),
        &admin,
        &MinimumsForm {
            effective_from: "2026-02-01".into(),
            under_6: "1".into(),
            child_6_18: "1".into(),
            working_age: "1".into(),
            lost_ability: "1".into(),
            source: "х".into(),
        },
    )
    .await;
    match again {
        Err(DomainError::Validation(e)) => assert_eq!(e.get("effective_from"), Some("err-rate-date-taken")),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn one_payment_per_status_by_the_page_and_by_the_database() {
    let app = TestApp::spawn().await;
    let officer = ctx_of(&app, "officer").await;
    let (case_id, _) = open_case(&app, "Одноразова").await;
    let procedure = grant(
        &app,
        case_id,
        today().checked_sub(20.days()).unwrap(),
        d(1990, 5, 5),
    )
    .await;
    let client = app.signed_in("officer").await;
    let form_page = format!("/cases/{case_id}/payment/new");
    let on = today().to_string();
    let fields = [("applied_on", on.as_str()), ("applicant", "person")];
    let r = app
        .post_form(
            &client,
            &format!("/cases/{case_id}/payments"),
            &form_page,
            &fields,
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/payments/"), "{location}");
    let (status, page) = app.get_text(&client, &location).await;
    assert_eq!(status, 200);
    assert!(
        page.replace('\u{a0}', " ").contains("9 984,00 грн"),
        "3 × 3 328,00 for a working-age person in 2026"
    );

    // A second application for the same status: refused beside the date, nothing written.
    let (status, page) = app.get_text(&client, &form_page).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("id=\"payment-exists\""),
        "the form says a payment exists"
    );
    let r = app
        .post_form(
            &client,
            &format!("/cases/{case_id}/payments"),
            &form_page,
            &fields,
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    // The form gives way to the reason, with a link to the payment there is.
    assert!(body.contains("id=\"payment-exists\""), "the reason is said");
    assert!(body.contains("одна виплата на один встановлений статус"));
    assert!(body.contains(&format!("href=\"{}\"", location.split('?').next().unwrap())));
    assert_eq!(
        one(
            &app,
            &format!("SELECT COUNT(*) FROM payments WHERE procedure_id = {procedure}")
        )
        .await,
        1
    );
    // The database refuses a second row for the status, whoever writes it.
    let direct = sqlx::query(
        "INSERT INTO payments (case_id, unit_org_id, procedure_id, applied_on, applicant, category, minimums_id, \
         multiplier_id, minimum, factor, amount, due_on, state, last_step_on, created_by, created_at, updated_at) \
         SELECT case_id, unit_org_id, procedure_id, applied_on, applicant, category, minimums_id, multiplier_id, \
         minimum, factor, amount, due_on, 'applied', last_step_on, created_by, created_at, updated_at \
         FROM payments WHERE procedure_id = $1",
    )
    .bind(procedure)
    .execute(app.db().raw_pool())
    .await;
    let e = direct.expect_err("a second payment for one status must fail in the database");
    assert!(store::error::is_unique_violation(&e), "{e}");

    // A case without a granted status: refused.
    let (bare, _) = open_case(&app, "Безстатусна").await;
    match store::payments::apply(app.db(), &officer, bare, &application(today())).await {
        Err(DomainError::Validation(e)) => assert_eq!(e.get("applied_on"), Some("err-payment-no-status")),
        other => panic!("{other:?}"),
    }
    // An expired status: refused too.
    let (old, _) = open_case(&app, "Прострочена").await;
    grant(&app, old, d(2023, 1, 10), d(1990, 5, 5)).await;
    match store::payments::apply(app.db(), &officer, old, &application(d(2025, 2, 1))).await {
        Err(DomainError::Validation(e)) => {
            assert_eq!(e.get("applied_on"), Some("err-payment-status-expired"))
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_register_only_grows_and_a_reversal_is_its_own_line() {
    let app = TestApp::spawn().await;
    let officer = ctx_of(&app, "officer").await;
    let (case_id, reference) = open_case(&app, "Реєстрова").await;
    grant(
        &app,
        case_id,
        today().checked_sub(30.days()).unwrap(),
        d(2015, 3, 3),
    )
    .await;
    let on = today().checked_sub(10.days()).unwrap();
    let id = store::payments::apply(app.db(), &officer, case_id, &application(on))
        .await
        .unwrap();
    let step = |action| StepForm {
        on: today().checked_sub(5.days()).unwrap().to_string(),
        payment_ref: if action == PaymentAction::Pay {
            "ПІ-77".into()
        } else {
            String::new()
        },
        ..Default::default()
    };
    // Paying before approval is not a step open now.
    assert!(
        store::payments::step(
            app.db(),
            &officer,
            id,
            PaymentAction::Pay,
            &step(PaymentAction::Pay)
        )
        .await
        .is_err()
    );
    store::payments::step(
        app.db(),
        &officer,
        id,
        PaymentAction::Approve,
        &step(PaymentAction::Approve),
    )
    .await
    .unwrap();
    store::payments::step(
        app.db(),
        &officer,
        id,
        PaymentAction::Pay,
        &step(PaymentAction::Pay),
    )
    .await
    .unwrap();
    let year = (d(today().year(), 1, 1), d(today().year(), 12, 31));
    let r = store::payments::register(
        app.db(),
        &officer,
        year.0,
        year.1,
        RegisterUse::Page { after: None },
    )
    .await
    .unwrap();
    let line = r
        .lines
        .iter()
        .find(|l| l.case_reference == reference)
        .expect("the line")
        .clone();
    let before_total = r.total.kopiykas();
    // The line can't be changed or deleted in the database.
    for sql in [
        format!("UPDATE payment_register SET amount = 1 WHERE id = {}", line.id),
        format!("DELETE FROM payment_register WHERE id = {}", line.id),
    ] {
        assert!(
            sqlx::query(&sql).execute(app.db().raw_pool()).await.is_err(),
            "{sql}"
        );
    }
    // A reversal without a reason is refused; with one it is a line of its own.
    match store::payments::reverse(app.db(), &officer, line.id, &ReversalForm::default()).await {
        Err(DomainError::Validation(e)) => assert_eq!(e.get("reason"), Some("err-required")),
        other => panic!("{other:?}"),
    }
    store::payments::reverse(
        app.db(),
        &officer,
        line.id,
        &ReversalForm {
            reason: "Помилка в категорії".into(),
        },
    )
    .await
    .unwrap();
    let r = store::payments::register(
        app.db(),
        &officer,
        year.0,
        year.1,
        RegisterUse::Page { after: None },
    )
    .await
    .unwrap();
    let mine: Vec<_> = r.lines.iter().filter(|l| l.case_reference == reference).collect();
    assert_eq!(mine.len(), 2, "the line and its reversal");
    assert_eq!(mine[1].amount, -mine[0].amount);
    assert_eq!(mine[1].reverses_id, Some(mine[0].id));
    assert_eq!(
        r.total.kopiykas(),
        before_total - line.amount,
        "the total follows"
    );
    // A second reversal of the same line is refused.
    match store::payments::reverse(
        app.db(),
        &officer,
        line.id,
        &ReversalForm {
            reason: "ще раз".into(),
        },
    )
    .await
    {
        Err(DomainError::Validation(e)) => assert_eq!(e.get("reason"), Some("err-line-reversed")),
        other => panic!("{other:?}"),
    }
    // The XLSX: the line with its amount as a number, the reversal, the total.
    let client = app.signed_in("officer").await;
    let resp = client
        .get(app.at(&format!("/payments/register.xlsx?from={}&to={}", year.0, year.1)))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let bytes = resp.bytes().await.unwrap().to_vec();
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    let rows: Vec<Vec<calamine::Data>> = range.rows().map(|r| r.to_vec()).collect();
    let amount = line.amount as f64 / 100.0;
    let lines_of_case: Vec<&Vec<calamine::Data>> = rows
        .iter()
        .filter(|r| r.get(2).is_some_and(|c| c.to_string() == reference))
        .collect();
    assert_eq!(lines_of_case.len(), 2);
    assert_eq!(lines_of_case[0][5], calamine::Data::Float(amount));
    assert_eq!(lines_of_case[1][5], calamine::Data::Float(-amount));
    assert!(
        matches!(lines_of_case[0][1], calamine::Data::DateTime(_)),
        "a real date: {:?}",
        lines_of_case[0][1]
    );
    let total_row = rows
        .iter()
        .find(|r| matches!(r.get(1), Some(calamine::Data::String(s)) if s == "Разом"))
        .expect("the total row");
    assert_eq!(
        total_row[5],
        calamine::Data::Float((before_total - line.amount) as f64 / 100.0)
    );
    // No name in the file without names; the download is audited.
    let all: String = rows
        .iter()
        .flatten()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join("|");
    assert!(!all.contains("Реєстрова"), "no name without names");
    let downloads = app
        .audit(domain::audit::AuditAction::PaymentRegisterDownloaded)
        .await;
    assert!(
        downloads
            .iter()
            .any(|r| r.details.contains("\"with_names\":false"))
    );

    // The covering letter to the accounting unit: the requisites and the totals, no name.
    let (_, page) = app.get_text(&client, "/payments/register").await;
    let csrf = oberih_testkit::csrf_in(&page).unwrap();
    let (from, to) = (year.0.to_string(), year.1.to_string());
    let resp = client
        .post(app.at("/payments/register/letter"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("from", from.as_str()),
            ("to", to.as_str()),
            ("addressee", "Відділу бухгалтерського обліку та звітності"),
            ("number", "01-15/482"),
            ("date", from.as_str()),
            ("position", "Начальник управління соціального захисту населення"),
            ("signatory", "Ганна ДЕМЧЕНКО"),
            ("executor", "Ганна Демченко, 0532 00 00 00"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let xml = crate::procedures::document_xml(&resp.bytes().await.unwrap());
    for wanted in [
        "Про реєстр виплат одноразової матеріальної допомоги",
        "Відділу бухгалтерського обліку та звітності",
        "№ 01-15/482 від ",
        "Начальник управління соціального захисту населення",
        "Ганна ДЕМЧЕНКО",
        "Виконавець: Ганна Демченко, 0532 00 00 00",
        "Разом",
    ] {
        assert!(xml.contains(wanted), "the letter says «{wanted}»");
    }
    assert!(!xml.contains("Реєстрова"), "no person's name in the letter");
}

#[tokio::test]
async fn a_stay_past_three_months_is_flagged_and_an_extension_needs_its_decision() {
    let app = TestApp::spawn().await;
    let officer = ctx_of(&app, "officer").await;
    let (case_id, reference) = open_case(&app, "Притулкова").await;
    let institution = app.org_id("БО «Світло надії»").await;
    let start = today().checked_sub(100.days()).unwrap();
    // A planned end beyond three months is refused beside the field.
    let beyond = StayForm {
        institution_org_id: institution.to_string(),
        started_on: start.to_string(),
        planned_end_on: start.checked_add(4.months()).unwrap().to_string(),
        note: String::new(),
    };
    match store::assistance::record_stay(app.db(), &officer, case_id, &beyond).await {
        Err(DomainError::Validation(e)) => assert_eq!(e.get("planned_end_on"), Some("err-stay-beyond-limit")),
        other => panic!("{other:?}"),
    }
    let stay = store::assistance::record_stay(
        app.db(),
        &officer,
        case_id,
        &StayForm {
            planned_end_on: String::new(),
            ..beyond
        },
    )
    .await
    .unwrap();
    let list = store::assistance::unit_list(app.db(), &officer).await.unwrap();
    let line = list
        .stays
        .iter()
        .find(|s| s.id == stay)
        .expect("on the officer's list");
    assert_eq!(line.flag, Some(domain::assistance::StayFlag::BeyondLimit));
    let client = app.signed_in("officer").await;
    let (_, page) = app.get_text(&client, "/assistance").await;
    assert!(page.contains(&reference) && page.contains("data-flag=\"beyond_limit\""));

    // An extension without a reason or a decision number: refused beside each field.
    let page_url = format!("/cases/{case_id}/assistance");
    let version = one(
        &app,
        &format!("SELECT version FROM shelter_stays WHERE id = {stay}"),
    )
    .await
    .to_string();
    let new_end = today().checked_add(60.days()).unwrap().to_string();
    let decided = today().to_string();
    let r = app
        .post_form(
            &client,
            &format!("/stays/{stay}/extend"),
            &page_url,
            &[
                ("version", version.as_str()),
                ("decided_by", "Начальник управління соціального захисту"),
                ("decision_no", ""),
                ("decision_on", decided.as_str()),
                ("reason", ""),
                ("new_end_on", new_end.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(
        body.contains(&format!("id=\"decision_no-{stay}-error\"")),
        "beside the number"
    );
    assert!(
        body.contains(&format!("id=\"reason-{stay}-error\"")),
        "beside the reason"
    );
    assert!(
        body.contains("Начальник управління соціального захисту"),
        "what was typed stays"
    );
    assert_eq!(
        one(
            &app,
            &format!("SELECT extended FROM shelter_stays WHERE id = {stay}")
        )
        .await,
        0,
        "nothing saved"
    );
    let r = app
        .post_form(
            &client,
            &format!("/stays/{stay}/extend"),
            &page_url,
            &[
                ("version", version.as_str()),
                ("decided_by", "Начальник управління соціального захисту"),
                ("decision_no", "17-од"),
                ("decision_on", decided.as_str()),
                ("reason", "Особа є свідком у кримінальному провадженні"),
                ("new_end_on", new_end.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let list = store::assistance::unit_list(app.db(), &officer).await.unwrap();
    assert!(list.stays.iter().all(|s| s.id != stay), "extended: off the list");
    let mine = app
        .audit(domain::audit::AuditAction::StayExtended)
        .await
        .into_iter()
        .filter(|r| r.details.contains(&format!("\"stay\":{stay}")))
        .count();
    assert_eq!(mine, 1, "the extension is audited");
}

/// The assistance of a case of `officer`'s unit for the access tests: a
/// service by the legal aid centre (sent as a referral), a stay, a payment
/// with its register line. Returns (service, its referral, stay, payment, line).
pub(crate) async fn assistance_of(app: &TestApp, case_id: i64) -> (i64, i64, i64, i64, i64) {
    let officer = ctx_of(app, "officer").await;
    store::assistance::assess(
        app.db(),
        &officer,
        case_id,
        &AssessmentForm {
            assessed_on: today().to_string(),
            note: String::new(),
            lines: vec![NeedLineForm {
                code: "legal_aid".into(),
                selected: true,
                urgency: "urgent".into(),
                note: String::new(),
            }],
        },
    )
    .await
    .unwrap();
    let legal = app
        .org_id("Регіональний центр з надання безоплатної вторинної правничої допомоги у Полтавській області")
        .await;
    let service = store::assistance::plan_service(
        app.db(),
        &officer,
        case_id,
        &ServiceForm {
            need: "legal_aid".into(),
            provider_org_id: legal.to_string(),
            planned_from: today().to_string(),
            fields: vec!["facts".into()],
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let referral = one(
        app,
        &format!("SELECT referral_id FROM services WHERE id = {service}"),
    )
    .await;
    let stay = store::assistance::record_stay(
        app.db(),
        &officer,
        case_id,
        &StayForm {
            institution_org_id: legal.to_string(),
            started_on: today().to_string(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let existing = sqlx::query_scalar::<_, i64>("SELECT id FROM payments WHERE case_id = $1")
        .bind(case_id)
        .fetch_optional(app.db().raw_pool())
        .await
        .unwrap();
    let payment = match existing {
        Some(p) => p,
        None => store::payments::apply(app.db(), &officer, case_id, &application(today()))
            .await
            .unwrap(),
    };
    let state: String = sqlx::query_scalar("SELECT state FROM payments WHERE id = $1")
        .bind(payment)
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap();
    if state == "applied" {
        store::payments::step(
            app.db(),
            &officer,
            payment,
            PaymentAction::Approve,
            &StepForm {
                on: today().to_string(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }
    let line = one(
        app,
        &format!("SELECT MIN(id) FROM payment_register WHERE payment_id = {payment}"),
    )
    .await;
    (service, referral, stay, payment, line)
}
