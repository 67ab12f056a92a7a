//! The organisation directory: validation beside the field, keyset pages, filters, edits, import.

use oberih_testkit::TestApp;

pub(crate) async fn territory(app: &TestApp, name: &str) -> String {
    store::reference::territories::find(app.db().raw_pool(), name)
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string()
}

#[tokio::test]
async fn a_form_with_a_missing_field_keeps_what_was_typed_and_names_the_field() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let raion = territory(&app, "Полтавський район").await;
    let r = app
        .post_form(
            &admin,
            "/organisations",
            "/organisations/new",
            &[
                ("name", "  "),
                ("short_name", "ГО «Світанок»"),
                ("kind", "ngo"),
                ("territory_id", &raion),
                ("edrpou", "14360571"),
                ("email", "svitanok@example.org"),
                ("phone", "+38 (0532) 11-22-33"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("<p class=\"error\" id=\"name-error\">Заповніть це поле.</p>"),
        "{body}"
    );
    assert!(
        body.contains("<p class=\"error\" id=\"edrpou-error\">Контрольна цифра не збігається"),
        "{body}"
    );
    assert!(body.contains("value=\"ГО «Світанок»\""));
    assert!(body.contains("<option value=\"ngo\" selected>"));
    assert!(body.contains(&format!("<option value=\"{raion}\" selected>")));
    assert!(body.contains("value=\"svitanok@example.org\""));
    assert!(body.contains("value=\"14360571\""));
    // The first wrong field (in page order) takes the focus; only that one.
    assert_eq!(body.matches(" autofocus").count(), 1);
    assert!(
        body.contains("aria-describedby=\"name-error\" autofocus>"),
        "{body}"
    );
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM organisations WHERE short_name = $1")
        .bind("ГО «Світанок»")
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap();
    assert_eq!(n, 0, "nothing half-saved");

    let r = app
        .post_form(
            &admin,
            "/organisations",
            "/organisations/new",
            &[
                ("name", "Громадська організація «Світанок»"),
                ("short_name", "ГО «Світанок»"),
                ("kind", "ngo"),
                ("territory_id", &raion),
                ("edrpou", "14360570"),
                ("by_consent", "true"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, list) = app
        .get_text(
            &admin,
            "/organisations?q=%D1%81%D0%B2%D1%96%D1%82%D0%B0%D0%BD%D0%BE%D0%BA",
        )
        .await;
    assert!(
        list.contains("Громадська організація «Світанок»"),
        "search is case-insensitive in Cyrillic"
    );
    assert_eq!(list.matches("<td><a href=\"/organisations/").count(), 1);
}

#[tokio::test]
async fn the_list_pages_by_keyset_and_filters_by_kind_and_territory() {
    let app = TestApp::spawn().await;
    let csv: String = std::iter::once("name,kind,territory".to_string())
        .chain((0..70).map(|i| {
            format!(
                "Організація для сторінок {i:03},ngo,{}",
                if i % 2 == 0 {
                    "Лубенський район"
                } else {
                    "Хорольська міська територіальна громада"
                }
            )
        }))
        .collect::<Vec<_>>()
        .join("\n");
    let ctx = store::Ctx::system(oberih_testkit::clock_now());
    store::organisations::import::import(app.db(), &ctx, csv.as_bytes(), None)
        .await
        .unwrap();
    let c = app.signed_in("analyst").await;
    let lubny = territory(&app, "Лубенський район").await;

    let (_, page1) = app
        .get_text(&c, &format!("/organisations?kind=ngo&territory={lubny}"))
        .await;
    assert_eq!(page1.matches("Організація для сторінок").count(), 50);
    assert!(
        !page1.contains("Громадські організації"),
        "the collective NGO entry sits at oblast level"
    );
    let next = oberih_testkit::next_href(&page1).expect("a next page");
    let (_, page2) = app.get_text(&c, &next).await;
    assert_eq!(
        page2.matches("Організація для сторінок").count(),
        20,
        "70 in the raion and its hromada"
    );
    assert_eq!(oberih_testkit::next_href(&page2), None);
    assert!(page2.contains("Організація для сторінок 069"));
    assert!(!page2.contains("Організація для сторінок 000<"));

    // The hromada alone has half of them.
    let khorol = territory(&app, "Хорольська міська територіальна громада").await;
    let (_, h) = app
        .get_text(&c, &format!("/organisations?territory={khorol}"))
        .await;
    assert_eq!(h.matches("Організація для сторінок").count(), 35);
    // Police filter finds the main office only.
    let (_, p) = app.get_text(&c, "/organisations?kind=police").await;
    assert_eq!(p.matches("<td><a href=\"/organisations/").count(), 1);
    assert!(p.contains("Головне управління Національної поліції в Полтавській області"));
}

#[tokio::test]
async fn htmx_filtering_gets_only_the_results() {
    let app = TestApp::spawn().await;
    let c = app.signed_in("analyst").await;
    let r = c
        .get(app.at("/organisations?kind=police"))
        .header("hx-request", "true")
        .send()
        .await
        .unwrap();
    let body = r.text().await.unwrap();
    assert!(body.starts_with("<div id=\"org-results\">"), "{body}");
    assert!(!body.contains("<html"));
}

#[tokio::test]
async fn two_people_editing_one_organisation_the_second_save_is_a_conflict_and_keeps_the_text() {
    let app = TestApp::spawn().await;
    let a = app.signed_in("admin").await;
    let org = app.org_id("ПОЦЗ").await;
    let (_, form) = app.get_text(&a, &format!("/organisations/{org}/edit")).await;
    assert!(form.contains("name=\"version\" value=\"1\""));
    let oblast = territory(&app, "Полтавська область").await;
    let base = [
        ("name", "Полтавський обласний центр зайнятості"),
        ("kind", "employment_centre"),
        ("territory_id", oblast.as_str()),
        ("version", "1"),
    ];
    let mut first = base.to_vec();
    first.push(("phone", "+38 0532 11 11 11"));
    assert_eq!(
        app.post_form(&a, &format!("/organisations/{org}"), "/", &first)
            .await
            .status()
            .as_u16(),
        303
    );
    let mut second = base.to_vec();
    second.push(("address", "вул. Соборності, 1"));
    let r = app
        .post_form(&a, &format!("/organisations/{org}"), "/", &second)
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("хтось інший зберіг цю організацію"));
    assert!(
        body.contains("вул. Соборності, 1"),
        "the second person's text is kept"
    );
    assert!(body.contains("name=\"version\" value=\"2\""));
    let o = store::organisations::rows::get(app.db().raw_pool(), org)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(o.phone.as_deref(), Some("+38 0532 11 11 11"));
    assert_eq!(o.address, None);
}

#[tokio::test]
async fn an_import_with_any_bad_row_writes_nothing_and_names_every_problem() {
    let app = TestApp::spawn().await;
    let ctx = store::Ctx::system(oberih_testkit::clock_now());
    let (before,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM organisations")
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap();
    let csv = "name,kind,territory,edrpou,by_consent\n\
               ГО «Добра»,ngo,Полтавська область,,так\n\
               ,ngo,Полтавська область,,\n\
               ГО «Зла»,bakery,Марс,1234,можливо\n\
               ГО «Добра»,ngo,Полтавська область,,\n";
    let err = store::organisations::import::import(app.db(), &ctx, csv.as_bytes(), None)
        .await
        .unwrap_err();
    let store::organisations::import::ImportError::Rows(problems) = err else {
        panic!("row problems expected")
    };
    let got: Vec<(usize, &str, &str)> = problems
        .iter()
        .map(|p| (p.line, p.column.as_str(), p.message_id))
        .collect();
    assert!(got.contains(&(3, "name", "err-required")), "{got:?}");
    assert!(got.contains(&(4, "kind", "err-invalid-choice")), "{got:?}");
    assert!(got.contains(&(4, "territory", "err-required")), "{got:?}");
    assert!(got.contains(&(4, "edrpou", "err-edrpou-shape")), "{got:?}");
    assert!(got.contains(&(4, "by_consent", "err-import-bool")), "{got:?}");
    assert!(got.contains(&(5, "name", "err-import-duplicate")), "{got:?}");
    let (after,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM organisations")
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap();
    assert_eq!(before, after);

    for (bytes, message) in [
        (&b""[..], "err-import-empty"),
        (&b"name,kind\n"[..], "err-import-empty"),
        (&b"title,category\nx,y\n"[..], "err-import-columns"),
        (&[0xff, 0xfe, 0x00, 0x41][..], "err-import-not-utf8"),
    ] {
        match store::organisations::import::import(app.db(), &ctx, bytes, None).await {
            Err(store::organisations::import::ImportError::File(m)) => assert_eq!(m, message),
            other => panic!("{message}: {other:?}"),
        }
    }
    // Importing the demo file again changes nothing.
    let s =
        store::organisations::import::import(app.db(), &ctx, seed::demo::ORGANISATIONS_CSV.as_bytes(), None)
            .await
            .unwrap();
    assert_eq!((s.created, s.updated), (0, 0));
}
