//! The plan of measures: the demo plan on its page, export and import round trips,
//! files that cannot be imported, who may change a plan, and editing measures.

use documents::plan::{PlanGoal, PlanMeasure, PlanTable, PlanTask};
use domain::audit::AuditAction;
use oberih_testkit::TestApp;
use reqwest::Client;

const DEMO_TITLE: &str = "Обласний план заходів щодо реалізації державної політики у сфері протидії торгівлі людьми на період до 2025 року";

async fn demo_plan_id(app: &TestApp) -> i64 {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM plans WHERE title = $1")
        .bind(DEMO_TITLE)
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap();
    id
}

async fn count(app: &TestApp, table: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap();
    n
}

/// Rows of plans, goals, tasks, measures, executor links and uploads.
async fn plan_rows(app: &TestApp) -> [i64; 5] {
    [
        count(app, "plans").await,
        count(app, "plan_goals").await,
        count(app, "plan_tasks").await,
        count(app, "plan_measures").await,
        count(app, "measure_executors").await,
    ]
}

type Shape = Vec<(
    i64,
    String,
    Vec<(i64, String, Vec<(String, String, Vec<i64>, bool)>)>,
)>;

/// A plan as a comparable shape: goals, tasks, measures (text, term, executor ids, in force).
async fn shape(app: &TestApp, plan_id: i64) -> Shape {
    let mut tx = app.db().begin_system().await.unwrap();
    let tree = store::plans::rows::tree(&mut tx, plan_id).await.unwrap().unwrap();
    tx.commit().await.unwrap();
    tree.goals
        .iter()
        .map(|g| {
            let tasks = g
                .tasks
                .iter()
                .map(|t| {
                    let ms = t
                        .measures
                        .iter()
                        .map(|m| {
                            (
                                m.m.text.clone(),
                                m.m.term.clone(),
                                m.executors.iter().map(|e| e.org_id).collect(),
                                m.number.is_some(),
                            )
                        })
                        .collect();
                    (t.task.number, t.task.text.clone(), ms)
                })
                .collect();
            (g.goal.number, g.goal.text.clone(), tasks)
        })
        .collect()
}

async fn territory_id(app: &TestApp, name: &str) -> String {
    store::reference::territories::find(app.db().raw_pool(), name)
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string()
}

/// The plan details an import form carries.
async fn details(app: &TestApp, title: &str) -> Vec<(String, String)> {
    let oblast = territory_id(app, "Полтавська область").await;
    let owner = app.org_id("ДСЗН ОВА").await.to_string();
    [
        ("title", title.to_string()),
        ("territory_id", oblast),
        ("owner_org_id", owner),
        ("year_from", "2023".to_string()),
        ("year_to", "2025".to_string()),
        ("act_number", "609".to_string()),
        ("act_date", "2023-09-04".to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// POSTs the import form as multipart/form-data; the CSRF token goes in the header, as htmx sends it.
async fn upload(
    app: &TestApp,
    client: &Client,
    fields: &[(String, String)],
    file_name: &str,
    bytes: &[u8],
) -> reqwest::Response {
    let token = app.csrf(client, "/plans").await;
    let boundary = "----oberih-test-boundary-7d1f";
    let mut body: Vec<u8> = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    client
        .post(app.at("/plans/import"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("x-csrf-token", token)
        .body(body)
        .send()
        .await
        .unwrap()
}

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

/// `/plans/12?done=imported` → 12.
fn plan_id_of(location: &str) -> i64 {
    location
        .strip_prefix("/plans/")
        .and_then(|r| r.split('?').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("not a plan address: {location}"))
}

async fn download(app: &TestApp, client: &Client, path: &str) -> Vec<u8> {
    let r = client.get(app.at(path)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200, "{path}");
    let cd = r
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(cd.starts_with("attachment; filename=\"plan-"), "{cd}");
    r.bytes().await.unwrap().to_vec()
}

/// A small plan table for files built in the tests.
fn small_table(headings: [&str; 4], measure_text: &str, executor: &str) -> PlanTable {
    PlanTable {
        title: "План".into(),
        subtitle: String::new(),
        headings: headings.map(str::to_string),
        goals: vec![PlanGoal {
            number: 1,
            text: "Інформування населення".into(),
            tasks: vec![PlanTask {
                number: 1,
                text: "Просвіта".into(),
                measures: vec![
                    PlanMeasure {
                        number: 1,
                        text: "Інформаційні акції".into(),
                        term: "2023-2025".into(),
                        executors: vec!["ГУНП".into()],
                    },
                    PlanMeasure {
                        number: 2,
                        text: measure_text.into(),
                        term: "постійно".into(),
                        executors: vec![executor.into()],
                    },
                ],
            }],
        }],
    }
}

const HEADINGS: [&str; 4] = [
    "Найменування завдання",
    "Найменування заходу",
    "Строк виконання",
    "Виконавці",
];

#[tokio::test]
async fn the_demo_carries_the_whole_poltava_plan() {
    let app = TestApp::spawn().await;
    let id = demo_plan_id(&app).await;
    // Seed 002 as recounted in data/poltava_plan_2023_2025.md.
    let counts = store::plans::rows::counts(app.db().raw_pool(), id).await.unwrap();
    assert_eq!(counts, [4, 4, 30, 156]);

    let executor = app.signed_in("executor").await;
    let (status, list) = app.get_text(&executor, "/plans").await;
    assert_eq!(status, 200);
    assert!(
        list.contains(&format!("<a href=\"/plans/{id}\">{DEMO_TITLE}</a>")),
        "{list}"
    );
    assert!(list.contains("№ 609 від 04.09.2023"));
    assert!(
        !list.contains("href=\"/plans/import\""),
        "the executor may not import"
    );

    let (status, page) = app.get_text(&executor, &format!("/plans/{id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("id=\"plan-table\""));
    assert_eq!(page.matches("data-measure-id=").count(), 30);
    assert_eq!(page.matches("<tr class=\"goal\"").count(), 4);
    assert!(
        page.contains("4 оперативні цілі · 4 завдання · 30 заходів · 156 зв"),
        "{page}"
    );
    assert!(page.contains(
        "Оперативна ціль 1. Інформування населення про державну політику у сфері протидії торгівлі людьми"
    ));
    let known = "3. Проведення інформаційних акцій з надання безоплатної вторинної правничої допомоги в тому числі \
                 розповсюдження друкованої продукції";
    let at = page.find(known).expect("the measure is on the page");
    let row_end = page[at..].find("</tr>").unwrap() + at;
    assert!(
        page[at..row_end].contains("<td>2023-2025</td>"),
        "{}",
        &page[at..row_end]
    );
    assert!(
        page[at..row_end].contains("ОМС (за згодою)"),
        "{}",
        &page[at..row_end]
    );
    assert!(page.contains("id=\"periods\""));
    // Reading is not managing: no edit buttons for the executor.
    assert!(!page.contains("/measures/new"));
    assert!(!page.contains("id=\"open-period\""));

    // The demo has opened the current half-year and the two before it: nothing left to offer.
    let coordinator = app.signed_in("coordinator").await;
    let (_, page) = app.get_text(&coordinator, &format!("/plans/{id}")).await;
    assert!(page.contains(&format!("/plans/{id}/goals/new")));
    assert!(!page.contains("id=\"open-period\""));
    assert_eq!(page.matches("<a href=\"/periods/").count(), 3);
}

#[tokio::test]
async fn the_coordinator_creates_a_plan_and_may_open_its_periods() {
    let app = TestApp::spawn().await;
    let coordinator = app.signed_in("coordinator").await;
    let mut f = details(&app, "План на 2026 рік").await;
    f.retain(|(k, _)| k != "year_to");
    f.push(("year_to".into(), "2020".into()));
    let fields: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = app.post_form(&coordinator, "/plans", "/plans/new", &fields).await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("id=\"year_to-error\""), "{body}");
    assert!(body.contains(">План на 2026 рік</textarea>"));
    let mut fields = fields;
    fields.retain(|(k, _)| *k != "year_to");
    fields.push(("year_to", "2026"));
    let r = app.post_form(&coordinator, "/plans", "/plans/new", &fields).await;
    assert_eq!(r.status().as_u16(), 303);
    let id = plan_id_of(&location(&r));
    let (_, page) = app.get_text(&coordinator, &location(&r)).await;
    assert!(page.contains("План створено."));
    assert!(page.contains("id=\"open-period\""));
    assert!(
        page.contains(
            "action=\"/plans/{id}/periods\""
                .replace("{id}", &id.to_string())
                .as_str()
        )
    );
    let today = store::dates::kyiv_date(oberih_testkit::clock_now());
    let h = domain::reporting::HalfYear::containing(today);
    for code in [h.code(), h.previous().code(), h.previous().previous().code()] {
        assert!(page.contains(&format!("<option value=\"{code}\">")), "{code}");
    }
    assert_eq!(app.audit(AuditAction::PlanCreated).await.len(), 1);
}

#[tokio::test]
async fn a_plan_exported_as_xlsx_or_docx_imports_back_as_the_same_plan() {
    let app = TestApp::spawn().await;
    let id = demo_plan_id(&app).await;
    let demo = shape(&app, id).await;
    let coordinator = app.signed_in("coordinator").await;
    for (ext, name) in [("xlsx", "План заходів.xlsx"), ("docx", "План заходів.docx")] {
        let bytes = download(&app, &coordinator, &format!("/plans/{id}/export.{ext}")).await;
        let title = format!("Імпортований план ({ext})");
        let r = upload(&app, &coordinator, &details(&app, &title).await, name, &bytes).await;
        assert_eq!(r.status().as_u16(), 303, "{ext}: {}", r.text().await.unwrap());
        let new_id = plan_id_of(&location(&r));
        assert_ne!(new_id, id);
        assert_eq!(shape(&app, new_id).await, demo, "{ext}");
        let (_, page) = app.get_text(&coordinator, &location(&r)).await;
        assert!(
            page.contains("План імпортовано: 4 оперативні цілі · 4 завдання · 30 заходів"),
            "{page}"
        );
        assert!(page.contains(&title));
        let imported = app.audit(AuditAction::PlanImported).await;
        assert_eq!(
            imported[0].subject_id.as_deref(),
            Some(new_id.to_string().as_str())
        );
    }
    let exports = app.audit(AuditAction::PlanExported).await;
    assert_eq!(exports.len(), 2);
}

#[tokio::test]
async fn files_that_cannot_be_imported_are_refused_with_their_reason_and_nothing_is_written() {
    let app = TestApp::spawn_with(|c| c.server.max_body_bytes = 16 * 1024 * 1024).await;
    let coordinator = app.signed_in("coordinator").await;
    let fields = details(&app, "Новий план").await;
    let before = plan_rows(&app).await;

    let bad_row = documents::plan::plan_xlsx(&small_table(HEADINGS, "", "ГУНП")).unwrap();
    let wrong_columns = documents::plan::plan_xlsx(&small_table(
        ["Назва", "Кількість", "Примітка", "Інше"],
        "Захід",
        "ГУНП",
    ))
    .unwrap();
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec();
    let too_big = vec![b'x'; 5 * 1024 * 1024 + 10];
    let cases: Vec<(&str, &str, Vec<u8>, &str)> = vec![
        ("a bad row", "plan.xlsx", bad_row, "Рядок 7: Немає тексту заходу."),
        (
            "wrong columns",
            "plan.xlsx",
            wrong_columns,
            "Не знайдено рядка заголовка з чотирма стовпцями",
        ),
        ("an empty file", "plan.xlsx", Vec::new(), "Файл порожній."),
        (
            "a picture named .xlsx",
            "plan.xlsx",
            png.clone(),
            "Файл має розширення .xlsx, але він не є таблицею Excel.",
        ),
        (
            "a picture",
            "plan.png",
            png,
            "Це не таблиця .xlsx і не документ .docx.",
        ),
        (
            "a file over the limit",
            "plan.xlsx",
            too_big,
            "Файл завеликий: не більше 5 МБ.",
        ),
    ];
    for (what, name, bytes, message) in cases {
        let r = upload(&app, &coordinator, &fields, name, &bytes).await;
        assert_eq!(r.status().as_u16(), 422, "{what}");
        let body = r.text().await.unwrap();
        assert!(body.contains(message), "{what}: {body}");
        assert!(body.contains("id=\"file-error\""), "{what}");
        // What was typed stays.
        assert!(body.contains(">Новий план</textarea>"), "{what}");
        assert!(body.contains("value=\"2023-09-04\""), "{what}");
        assert_eq!(plan_rows(&app).await, before, "{what}: nothing written");
    }
    assert_eq!(count(&app, "plan_uploads").await, 0);
}

#[tokio::test]
async fn an_unknown_executor_is_mapped_by_the_person_and_then_the_plan_is_imported() {
    let app = TestApp::spawn().await;
    let coordinator = app.signed_in("coordinator").await;
    let fields = details(&app, "План громади").await;
    let before = plan_rows(&app).await;
    let file =
        documents::plan::plan_xlsx(&small_table(HEADINGS, "Навчання", "Благодійний фонд «Надія»")).unwrap();
    let r = upload(&app, &coordinator, &fields, "plan.xlsx", &file).await;
    assert_eq!(r.status().as_u16(), 200);
    let body = r.text().await.unwrap();
    assert!(body.contains("«Благодійний фонд «Надія»»"), "{body}");
    assert!(body.contains("рядки: 7"), "{body}");
    assert_eq!(
        plan_rows(&app).await,
        before,
        "nothing written before the mapping"
    );
    assert_eq!(count(&app, "plan_uploads").await, 1);
    let action = body
        .split("action=\"/plans/import/")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_string();
    let path = format!("/plans/import/{action}");

    // The upload is its sender's only.
    let upload_id: i64 = action.parse().unwrap();
    let now = oberih_testkit::clock_now();
    let admin = app.user_id("admin").await;
    assert!(
        store::plans::uploads::get(app.db(), upload_id, admin, now)
            .await
            .unwrap()
            .is_none()
    );
    let mine = app.user_id("coordinator").await;
    assert!(
        store::plans::uploads::get(app.db(), upload_id, mine, now)
            .await
            .unwrap()
            .is_some()
    );
    let mut form: Vec<(&str, String)> = fields.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    form.push(("name_0", "Благодійний фонд «Надія»".into()));

    // Without a choice the form comes back with the message beside the select.
    let token = app.csrf(&coordinator, "/plans").await;
    let mut empty = form.clone();
    empty.push(("map_0", String::new()));
    empty.push(("csrf_token", token.clone()));
    let r = coordinator.post(app.at(&path)).form(&empty).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("id=\"map_0-error\""));
    assert_eq!(plan_rows(&app).await, before);

    let ngo = app.org_id("ГО").await;
    let mut chosen = form.clone();
    chosen.push(("map_0", ngo.to_string()));
    chosen.push(("csrf_token", token));
    let r = coordinator
        .post(app.at(&path))
        .form(&chosen)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let new_id = plan_id_of(&location(&r));
    let s = shape(&app, new_id).await;
    assert_eq!(s.len(), 1);
    let measures = &s[0].2[0].2;
    assert_eq!(measures.len(), 2);
    assert_eq!(measures[1].0, "Навчання");
    assert_eq!(measures[1].2, vec![ngo]);
    assert_eq!(
        count(&app, "plan_uploads").await,
        0,
        "the upload is removed once imported"
    );
}

#[tokio::test]
async fn only_those_who_manage_the_plan_may_change_it_and_each_refusal_is_audited() {
    let app = TestApp::spawn().await;
    let id = demo_plan_id(&app).await;
    let before = shape(&app, id).await;
    let rows_before = plan_rows(&app).await;
    let (measure_id,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM plan_measures WHERE plan_id = $1")
        .bind(id)
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap();
    let (task_id,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM plan_tasks WHERE plan_id = $1")
        .bind(id)
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap();
    let executor = app.signed_in("executor").await;
    let denied_before = app.audit(AuditAction::PermissionDenied).await.len();
    let f = details(&app, "Чужий план").await;
    let plan_form: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let org = app.org_id("ПОЦЗ").await.to_string();
    type Attempt<'a> = (String, Vec<(&'a str, &'a str)>, u16);
    let attempts: Vec<Attempt> = vec![
        ("/plans".into(), plan_form.clone(), 403),
        (
            format!("/plans/{id}"),
            [plan_form.clone(), vec![("version", "1")]].concat(),
            404,
        ),
        (
            format!("/plans/{id}/tasks/{task_id}/measures"),
            vec![("text", "Захід"), ("term", "2025"), ("executors", &org)],
            404,
        ),
        (
            format!("/plans/{id}/measures/{measure_id}"),
            vec![("text", "Інший текст"), ("executors", &org), ("version", "1")],
            404,
        ),
        (
            format!("/plans/{id}/measures/{measure_id}/move"),
            vec![("direction", "down")],
            404,
        ),
        (format!("/plans/{id}/measures/{measure_id}/retire"), vec![], 404),
        (format!("/plans/{id}/goals"), vec![("text", "Ціль")], 404),
    ];
    let n = attempts.len();
    for (path, fields, status) in attempts {
        let r = app.post_form(&executor, &path, "/plans", &fields).await;
        assert_eq!(r.status().as_u16(), status, "{path}");
    }
    let file = download(&app, &executor, &format!("/plans/{id}/export.xlsx")).await;
    let r = upload(&app, &executor, &f, "plan.xlsx", &file).await;
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(app.status(&executor, "/plans/import").await, 403);
    assert_eq!(app.status(&executor, "/plans/new").await, 403);
    assert_eq!(
        app.status(&executor, &format!("/plans/{id}/measures/{measure_id}/edit"))
            .await,
        404
    );

    let denied = app.audit(AuditAction::PermissionDenied).await;
    assert_eq!(denied.len(), denied_before + n + 4);
    let executor_id = app.user_id("executor").await;
    assert!(
        denied[..n + 4]
            .iter()
            .all(|d| d.actor_user_id == Some(executor_id))
    );
    assert_eq!(shape(&app, id).await, before);
    assert_eq!(plan_rows(&app).await, rows_before);
}

#[tokio::test]
async fn the_coordinator_adds_moves_retires_and_restores_a_measure() {
    let app = TestApp::spawn().await;
    let id = demo_plan_id(&app).await;
    let coordinator = app.signed_in("coordinator").await;
    let (task_id,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM plan_tasks WHERE plan_id = $1")
        .bind(id)
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap();
    let dszn = app.org_id("ДСЗН ОВА").await.to_string();
    let police = app.org_id("ГУНП").await.to_string();
    let new_path = format!("/plans/{id}/tasks/{task_id}/measures/new");
    assert_eq!(app.status(&coordinator, &new_path).await, 200);

    // An empty text: 422, the message beside the field, the executors still checked.
    let r = app
        .post_form(
            &coordinator,
            &format!("/plans/{id}/tasks/{task_id}/measures"),
            &new_path,
            &[
                ("text", "  "),
                ("term", "2025"),
                ("executors", &dszn),
                ("executors", &police),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("<p class=\"error\" id=\"text-error\">Заповніть це поле.</p>"),
        "{body}"
    );
    assert!(body.contains(&format!("value=\"{dszn}\" checked")), "{body}");
    assert!(body.contains(&format!("value=\"{police}\" checked")));
    assert!(body.contains("value=\"2025\""));

    let text = "Проведення тренінгу для фахівців громад щодо виявлення постраждалих";
    let r = app
        .post_form(
            &coordinator,
            &format!("/plans/{id}/tasks/{task_id}/measures"),
            &new_path,
            &[
                ("text", text),
                ("term", "2025"),
                ("executors", &dszn),
                ("executors", &police),
                ("indicators", "Кількість тренінгів | од. | 4"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (mid,): (i64,) = sqlx::query_as("SELECT id FROM plan_measures WHERE text = $1")
        .bind(text)
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap();
    let (_, page) = app.get_text(&coordinator, &format!("/plans/{id}")).await;
    assert!(
        page.contains(&format!("10. {text}")),
        "the tenth measure of task 1"
    );
    assert!(page.contains("Кількість тренінгів (од.): 4"));
    assert_eq!(page.matches("data-measure-id=").count(), 31);

    let r = app
        .post_form(
            &coordinator,
            &format!("/plans/{id}/measures/{mid}/move"),
            "/plans",
            &[("direction", "up")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, page) = app.get_text(&coordinator, &format!("/plans/{id}")).await;
    assert!(page.contains(&format!("9. {text}")), "moved up one place");

    let r = app
        .post_form(
            &coordinator,
            &format!("/plans/{id}/measures/{mid}/retire"),
            "/plans",
            &[],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, page) = app.get_text(&coordinator, &format!("/plans/{id}")).await;
    let row = format!("<tr id=\"m-{mid}\" data-measure-id=\"{mid}\" class=\"disabled retired\">");
    assert!(page.contains(&row), "still shown, greyed");
    assert!(page.contains(&format!("<span class=\"badge\">знято</span> {text}")));
    assert_eq!(page.matches("data-measure-id=").count(), 31);
    let old_ninth = shape(&app, id).await[0].2[0].2[9].0.clone();
    assert!(
        page.contains(&format!("9. {old_ninth}")),
        "the others keep their numbers"
    );
    assert_eq!(
        store::plans::rows::counts(app.db().raw_pool(), id).await.unwrap()[2],
        30
    );

    let r = app
        .post_form(
            &coordinator,
            &format!("/plans/{id}/measures/{mid}/restore"),
            "/plans",
            &[],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, page) = app.get_text(&coordinator, &format!("/plans/{id}")).await;
    assert!(page.contains(&format!("9. {text}")));
    assert!(page.contains(&format!("10. {old_ninth}")));

    // Saving over a version someone else changed keeps what was typed and says so.
    let r = app
        .post_form(
            &coordinator,
            &format!("/plans/{id}/measures/{mid}"),
            "/plans",
            &[
                ("text", "Змінений текст заходу"),
                ("executors", &dszn),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("хтось інший змінив цей захід"), "{body}");
    assert!(body.contains(">Змінений текст заходу</textarea>"));
    assert!(
        shape(&app, id).await[0].2[0].2.iter().any(|m| m.0 == text),
        "not saved"
    );

    // Goals and tasks: text only, numbered after the last.
    let r = app
        .post_form(
            &coordinator,
            &format!("/plans/{id}/goals"),
            &format!("/plans/{id}/goals/new"),
            &[("text", "")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("id=\"text-error\""));
    let r = app
        .post_form(
            &coordinator,
            &format!("/plans/{id}/goals"),
            &format!("/plans/{id}/goals/new"),
            &[("text", "Підтримка громад")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, page) = app.get_text(&coordinator, &format!("/plans/{id}")).await;
    assert!(page.contains("Оперативна ціль 5. Підтримка громад"));

    for action in [
        AuditAction::MeasureCreated,
        AuditAction::MeasureMoved,
        AuditAction::MeasureRetired,
        AuditAction::MeasureRestored,
    ] {
        let rows = app.audit(action).await;
        assert_eq!(rows.len(), 1, "{action:?}");
        assert_eq!(rows[0].subject_id.as_deref(), Some(mid.to_string().as_str()));
        assert_eq!(rows[0].actor_user_id, Some(app.user_id("coordinator").await));
    }
}
