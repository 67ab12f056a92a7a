//! The public pages (issue 12): every public route runs as a visitor
//! (`Principal::Public`) even when a signed-in person's browser sends its
//! session, reaches no protected record, stores nothing and sets no cookie;
//! the job-offer check adds up its red flags; the pages have their own rate
//! limit, a CSP without script and caching headers.

use crate::orgs::territory;
use oberih_testkit::{TestApp, backend_name};
use web::handlers::public::{CSP, PATHS};

/// The number of rows of every table of the schema, by table.
async fn row_counts(app: &TestApp) -> Vec<(String, i64)> {
    let sql = if backend_name() == "postgres" {
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() \
         AND table_type = 'BASE TABLE' ORDER BY 1"
    } else {
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"
    };
    let tables: Vec<(String,)> = sqlx::query_as(sql).fetch_all(app.db().raw_pool()).await.unwrap();
    assert!(
        tables.len() > 20,
        "the schema's tables were found: {}",
        tables.len()
    );
    let mut out = Vec::new();
    for (t,) in tables {
        let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {t}"))
            .fetch_one(app.db().raw_pool())
            .await
            .unwrap();
        out.push((t, n));
    }
    out
}

/// Surnames of the demo people and every case reference: none may appear on a public page.
async fn protected_words(app: &TestApp) -> Vec<String> {
    let mut words: Vec<String> = seed::demo_cases::DEMO_PEOPLE_CSV
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .map(str::to_string)
        .filter(|s| !s.is_empty())
        .collect();
    let refs: Vec<(String,)> = sqlx::query_as("SELECT reference FROM cases")
        .fetch_all(app.db().raw_pool())
        .await
        .unwrap();
    assert!(
        !refs.is_empty() && words.len() > 10,
        "the demo holds cases and people"
    );
    words.extend(refs.into_iter().map(|r| r.0));
    words
}

async fn full_name(app: &TestApp, login: &str) -> String {
    let (n,): (String,) = sqlx::query_as("SELECT full_name FROM users WHERE login = $1")
        .bind(login)
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap();
    n
}

#[tokio::test]
async fn every_public_route_runs_as_a_visitor_even_with_a_session_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let officer = app.signed_in("officer").await;
    let name = full_name(&app, "officer").await;
    let words = protected_words(&app).await;
    let before = row_counts(&app).await;
    let anonymous = app.client();
    for client in [&officer, &anonymous] {
        for path in PATHS {
            for lang in ["", "?lang=en", "?lang=uk"] {
                let r = client.get(app.at(&format!("{path}{lang}"))).send().await.unwrap();
                assert_eq!(r.status().as_u16(), 200, "{path}{lang}");
                let h = r.headers().clone();
                assert!(
                    h.get("set-cookie").is_none(),
                    "{path}: a public page sets no cookie"
                );
                assert_eq!(h.get("content-security-policy").unwrap(), CSP, "{path}");
                assert!(!CSP.contains("script-src"), "no script may run on a public page");
                assert_eq!(h.get("cache-control").unwrap(), "public, max-age=300", "{path}");
                let body = r.text().await.unwrap();
                assert!(
                    !body.contains(&name),
                    "{path}: the officer's name on a public page"
                );
                assert!(
                    !body.contains("/sign-out"),
                    "{path}: a public page knows of no session"
                );
                assert!(!body.contains("csrf_token"), "{path}: nor of a CSRF token");
                for w in &words {
                    assert!(!body.contains(w.as_str()), "{path}: {w} on a public page");
                }
            }
        }
        // The job check's result: the same, and never cached.
        let r = client
            .post(app.at("/help/job-check"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("flag=pay&flag=messenger&flag=contract")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200);
        assert!(r.headers().get("set-cookie").is_none());
        assert_eq!(r.headers().get("cache-control").unwrap(), "no-store");
        let body = r.text().await.unwrap();
        assert!(body.contains("data-risk=\"high\""));
        assert!(!body.contains(&name));
    }
    // Still signed in: the public pages did not touch the session.
    let (status, home) = app.get_text(&officer, "/").await;
    assert_eq!(status, 200);
    assert!(home.contains(&name));
    // Not one row more (or less) in any table: no audit row, no session, no token.
    assert_eq!(row_counts(&app).await, before);
}

#[tokio::test]
async fn a_public_request_reaches_no_protected_page() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let (id,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM cases")
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap();
    // Protected pages send a visitor to sign in; nothing of them is shown.
    for path in [
        format!("/cases/{id}"),
        "/cases".into(),
        "/assistance".into(),
        "/audit".into(),
        "/help/../cases".into(),
        format!("/help/job-check/../../cases/{id}"),
    ] {
        let r = c.get(app.at(&path)).send().await.unwrap();
        let status = r.status().as_u16();
        assert!(
            status == 303 || status == 404,
            "{path}: {status} (a visitor must be sent to sign in or find nothing)"
        );
        if status == 303 {
            assert_eq!(r.headers().get("location").unwrap(), "/sign-in", "{path}");
        }
    }
    // Under /help there is nothing but the public pages.
    for path in ["/help/cases", &format!("/help/{id}"), "/help/job-check/1"] {
        let (status, _) = app.get_text(&c, path).await;
        assert_eq!(status, 404, "{path}");
    }
}

#[tokio::test]
async fn the_job_check_adds_up_its_flags_and_keeps_the_ticks() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let post = |body: &'static str| {
        let c = c.clone();
        let url = app.at("/help/job-check");
        async move {
            let r = c
                .post(url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let (s, high) = post("flag=pay&flag=messenger&flag=contract").await;
    assert_eq!(s, 200);
    assert!(high.contains("data-risk=\"high\"") && high.contains("Високий ризик"));
    assert!(high.contains("Ви позначили 3 ознаки."));
    for number in ["1547", "116 123", "527", "102"] {
        assert!(high.contains(number), "the result lists {number}");
    }
    // The ticks come back ticked, the others not.
    assert!(high.contains("value=\"pay\" checked"));
    assert!(high.contains("value=\"messenger\" checked"));
    assert!(!high.contains("value=\"debt\" checked"));
    let (_, medium) = post("flag=pay").await;
    assert!(medium.contains("data-risk=\"medium\""));
    // A grave flag alone is a high risk.
    let (_, grave) = post("flag=documents").await;
    assert!(grave.contains("data-risk=\"high\""));
    let (_, none) = post("").await;
    assert!(none.contains("data-risk=\"low\"") && none.contains("Ви не позначили жодної ознаки."));
    // Rubbish is ignored, repeats count once.
    let (s, junk) = post("flag=pay&flag=pay&flag=%00&flag=nonsense&name=%D0%86%D0%B2%D0%B0%D0%BD&%ZZ").await;
    assert_eq!(s, 200);
    assert!(junk.contains("data-risk=\"medium\"") && junk.contains("Ви позначили 1 ознаку."));
    // In English.
    let r = c
        .post(app.at("/help/job-check?lang=en"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("flag=pay&flag=messenger&flag=company")
        .send()
        .await
        .unwrap();
    let en = r.text().await.unwrap();
    assert!(en.contains("High risk") && en.contains("You ticked 3 signs."));
    assert!(
        en.contains("action=\"/help/job-check?lang=en\""),
        "the form keeps the language"
    );
    // The language switch in the middle of the questions keeps the ticks and gives no result yet.
    let r = c
        .post(app.at("/help/job-check?lang=en"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("flag=pay&switch=1")
        .send()
        .await
        .unwrap();
    let switched = r.text().await.unwrap();
    assert!(switched.contains("<html lang=\"en\">") && switched.contains("value=\"pay\" checked"));
    assert!(
        !switched.contains("data-risk="),
        "no result before the visitor asks"
    );
    // Too big a body: the questions again with a message, not an error page.
    let big = format!("flag=pay&pad={}", "x".repeat(8 * 1024));
    let r = c
        .post(app.at("/help/job-check"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 413);
    let body = r.text().await.unwrap();
    assert!(body.contains("Форму не вдалося прочитати") && body.contains("name=\"flag\""));
}

#[tokio::test]
async fn the_public_pages_have_their_own_rate_limit_per_address() {
    let app = TestApp::spawn_with(|c| c.security.public_requests_per_minute = 5).await;
    let c = app.client();
    let mut statuses = Vec::new();
    for _ in 0..8 {
        statuses.push(app.get_text(&c, "/help").await.0);
    }
    assert_eq!(statuses, vec![200, 200, 200, 200, 200, 429, 429, 429]);
    let r = c.get(app.at("/help/job-check")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 429);
    assert_eq!(r.headers().get("retry-after").unwrap(), "60");
    assert!(
        r.text().await.unwrap().contains("1547"),
        "the refusal still gives the hotline"
    );
    // The staff pages do not count against it.
    let (status, _) = app.get_text(&c, "/sign-in").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn the_directory_lists_only_what_an_administrator_marked_public() {
    let app = TestApp::spawn().await;
    let c = app.client();
    const POLICE: &str = "Головне управління Національної поліції в Полтавській області";
    let (status, all) = app.get_text(&c, "/help/directory").await;
    assert_eq!(status, 200);
    assert!(all.contains("Благодійна організація «Світло надії»"));
    assert!(all.contains("Кременчуцька районна військова адміністрація"));
    assert!(
        all.contains("href=\"tel:+380532000016\""),
        "a phone can be dialled"
    );
    assert!(
        !all.contains(POLICE),
        "an organisation nobody listed is not shown"
    );
    assert!(all.contains("7 організацій"));
    // One raion: only what sits in it.
    let kremenchuk = territory(&app, "Кременчуцький район").await;
    let (_, raion) = app.get_text(&c, &format!("/help/directory?t={kremenchuk}")).await;
    assert!(raion.contains("Кременчуцька районна військова адміністрація"));
    assert!(!raion.contains("Світло надії"));
    assert!(raion.contains(&format!("<option value=\"{kremenchuk}\" selected>")));
    // A raion with nobody listed: the hotlines instead.
    let lubny = territory(&app, "Лубенський район").await;
    let (_, empty) = app.get_text(&c, &format!("/help/directory?t={lubny}")).await;
    assert!(empty.contains("id=\"directory-empty\"") && empty.contains("1547"));
    // Not a number, or no such territory: the whole directory, not an error.
    for q in ["?t=abc", "?t=999999", "?t=", "?t=%00", "?x=1&t=1&t=2"] {
        let (status, body) = app.get_text(&c, &format!("/help/directory{q}")).await;
        assert_eq!(status, 200, "{q}");
        assert!(
            body.contains("7 організацій") || body.contains("організаці"),
            "{q}"
        );
    }

    // The administrator lists the police: an offer and a way to reach them are required.
    let admin = app.signed_in("admin").await;
    let police = app.org_id("ГУНП").await;
    let oblast = territory(&app, "Полтавська область").await;
    let base = [
        ("name", POLICE),
        ("kind", "police"),
        ("territory_id", oblast.as_str()),
        ("version", "1"),
        ("public_listing", "true"),
    ];
    let r = app
        .post_form(&admin, &format!("/organisations/{police}"), "/", &base)
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("id=\"public_offer-error\"") && body.contains("Опишіть, що організація пропонує людям")
    );
    assert!(
        body.contains("id=\"public_listing-error\"") && body.contains("вкажіть телефон, пошту або адресу")
    );
    assert!(
        body.contains(
            "id=\"public_listing\" name=\"public_listing\" type=\"checkbox\" value=\"true\" checked"
        ),
        "the tick is kept"
    );
    let long = "щ".repeat(domain::organisation::PUBLIC_OFFER_MAX + 1);
    let mut too_long = base.to_vec();
    too_long.extend([("public_offer", long.as_str()), ("phone", "+380 532 00 01 02")]);
    let r = app
        .post_form(&admin, &format!("/organisations/{police}"), "/", &too_long)
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("id=\"public_offer-error\"") && body.contains(&long),
        "the long text is kept"
    );
    let mut good = base.to_vec();
    good.extend([
        (
            "public_offer",
            "Прийом заяв про злочини, зокрема про торгівлю людьми. Цілодобово.",
        ),
        ("phone", "+380 532 00 01 02"),
    ]);
    let r = app
        .post_form(&admin, &format!("/organisations/{police}"), "/", &good)
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, listed) = app.get_text(&c, "/help/directory").await;
    assert!(listed.contains(POLICE) && listed.contains("8 організацій"));
    // And unlisted again.
    let unlist = [
        ("name", POLICE),
        ("kind", "police"),
        ("territory_id", oblast.as_str()),
        ("version", "2"),
        ("phone", "+380 532 00 01 02"),
    ];
    let r = app
        .post_form(&admin, &format!("/organisations/{police}"), "/", &unlist)
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, after) = app.get_text(&c, "/help/directory").await;
    assert!(!after.contains(POLICE));
}
