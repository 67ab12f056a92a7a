//! Synthetic data for load tests (`oberih bench-seed`): many organisations and
//! users on top of the demo data, inserted in batches, and (`--plan`) a plan of
//! 40 measures × 20 executors with 10 half-years of reports. Never run on real data.

use anyhow::{Context, Result};
use domain::organisation::{OrgKind, sort_key};
use domain::territory::TerritoryLevel;
use store::Db;
use store::placeholders;

const BATCH: usize = 400;

pub async fn seed(db: &Db, orgs: usize, users: usize) -> Result<()> {
    let now = jiff::Timestamp::now().as_second();
    crate::demo::load(db, now)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let territories = store::reference::territories::list_all(db.raw_pool())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let oblast_and_below: Vec<_> = territories
        .iter()
        .filter(|t| t.level != TerritoryLevel::Country)
        .collect();
    let hash =
        store::auth::password::hash_now("bench-password-not-for-use").map_err(|e| anyhow::anyhow!("{e}"))?;

    let mut org_ids = Vec::with_capacity(orgs);
    let mut tx = db.begin_system().await?;
    for chunk_start in (0..orgs).step_by(BATCH) {
        let chunk: Vec<usize> = (chunk_start..(chunk_start + BATCH).min(orgs)).collect();
        let mut sql = String::from(
            "INSERT INTO organisations (name, name_key, search_key, short_name, kind, territory_id, territory_path, \
             by_consent, created_at, updated_at) VALUES ",
        );
        let cols = 10;
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let b = i * cols;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6,
                    b + 7,
                    b + 8,
                    b + 9,
                    b + 10
                )
            })
            .collect();
        sql += &values.join(", ");
        sql += " RETURNING id";
        let mut q = sqlx::query_as::<_, (i64,)>(&sql);
        for n in &chunk {
            let name = format!("Навантажувальна організація № {n:06}");
            let t = oblast_and_below[n % oblast_and_below.len()];
            let kind = OrgKind::ALL[n % OrgKind::ALL.len()];
            q = q
                .bind(name.clone())
                .bind(sort_key(&name))
                .bind(sort_key(&format!("{name} НО-{n}")))
                .bind(format!("НО-{n}"))
                .bind(kind.as_str())
                .bind(t.id)
                .bind(t.path.clone())
                .bind(store::flag(n % 7 == 0))
                .bind(now)
                .bind(now);
        }
        let ids = q.fetch_all(&mut *tx).await.context("inserting organisations")?;
        org_ids.extend(ids.into_iter().map(|(id,)| id));
    }
    tx.commit().await?;
    println!("organisations: {} added", org_ids.len());

    let mut tx = db.begin_system().await?;
    for chunk_start in (0..users).step_by(BATCH) {
        let chunk: Vec<usize> = (chunk_start..(chunk_start + BATCH).min(users)).collect();
        let cols = 7;
        let mut sql = String::from(
            "INSERT INTO users (org_id, login, full_name, password_hash, created_at, updated_at, password_changed_at) VALUES ",
        );
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let b = i * cols;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6,
                    b + 7
                )
            })
            .collect();
        sql += &values.join(", ");
        sql += " RETURNING id";
        let mut q = sqlx::query_as::<_, (i64,)>(&sql);
        for n in &chunk {
            let org = org_ids.get(n % org_ids.len().max(1)).copied().unwrap_or(1);
            q = q
                .bind(org)
                .bind(format!("bench-{n:06}"))
                .bind(format!("Користувач навантаження {n:06}"))
                .bind(hash.clone())
                .bind(now)
                .bind(now)
                .bind(now);
        }
        let ids = q.fetch_all(&mut *tx).await.context("inserting users")?;
        let mut rsql = String::from("INSERT INTO user_roles (user_id, role) VALUES ");
        rsql += &(0..ids.len())
            .map(|i| format!("(${}, 'executor')", i + 1))
            .collect::<Vec<_>>()
            .join(", ");
        let mut rq = sqlx::query(&rsql);
        for (id,) in &ids {
            rq = rq.bind(*id);
        }
        rq.execute(&mut *tx).await.context("inserting roles")?;
    }
    tx.commit().await?;
    println!("users: {users} added");
    Ok(())
}

// ---------------------------------------------------------------- a plan with history

/// Title of the synthetic plan of `oberih bench-seed --plan`.
pub const PLAN_TITLE: &str =
    "Навантажувальний план заходів щодо протидії торгівлі людьми (синтетичний, для вимірювань)";

/// Size of the synthetic plan: goals × (one task each) × measures per task, executors per measure,
/// half-year periods (the last one open).
pub const PLAN_GOALS: usize = 4;
pub const PLAN_MEASURES_PER_TASK: usize = 10;
pub const PLAN_EXECUTORS: usize = 20;
pub const PLAN_PERIODS: usize = 10;

const GOALS: [&str; PLAN_GOALS] = [
    "Запобігання торгівлі людьми, підвищення рівня обізнаності населення щодо ризиків потрапляння в ситуацію торгівлі людьми",
    "Виявлення осіб, які постраждали від торгівлі людьми, та надання їм допомоги і захисту",
    "Притягнення до відповідальності осіб, причетних до торгівлі людьми, та посилення взаємодії органів влади",
    "Удосконалення системи моніторингу, координації та партнерства у сфері протидії торгівлі людьми",
];

const TASKS: [&str; PLAN_GOALS] = [
    "Забезпечення проведення інформаційно-просвітницької роботи з питань протидії торгівлі людьми серед різних груп населення",
    "Забезпечення функціонування національного механізму взаємодії суб'єктів, які здійснюють заходи у сфері протидії торгівлі людьми",
    "Посилення спроможності правоохоронних органів і суб'єктів взаємодії щодо протидії торгівлі людьми",
    "Забезпечення збору, узагальнення та аналізу інформації про стан протидії торгівлі людьми в області",
];

const MEASURES: [&str; PLAN_MEASURES_PER_TASK] = [
    "Проведення інформаційно-просвітницьких заходів (лекцій, бесід, тренінгів, круглих столів) для учнівської та студентської молоді, батьків і педагогічних працівників щодо ризиків потрапляння в ситуацію торгівлі людьми, безпечного працевлаштування за кордоном і користування мережею Інтернет",
    "Розміщення на офіційних вебсайтах, сторінках у соціальних мережах, у засобах масової інформації та в місцях масового перебування людей інформаційних матеріалів щодо протидії торгівлі людьми, номерів гарячих ліній та порядку звернення по допомогу",
    "Проведення навчань для працівників органів соціального захисту, служб у справах дітей, центрів соціальних служб, закладів охорони здоров'я і освіти з питань виявлення осіб, які постраждали від торгівлі людьми, та їх переадресації до суб'єктів взаємодії",
    "Забезпечення розгляду заяв про встановлення статусу особи, яка постраждала від торгівлі людьми, у визначені законодавством строки та надання таким особам соціальних послуг, правової, медичної і психологічної допомоги",
    "Проведення профілактичних заходів серед внутрішньо переміщених осіб, осіб, які повернулися з-за кордону, та інших вразливих груп населення щодо ризиків трудової та сексуальної експлуатації в умовах воєнного стану",
    "Здійснення перевірок суб'єктів господарювання, що надають послуги з посередництва у працевлаштуванні за кордоном, щодо дотримання вимог законодавства про зайнятість населення та запобігання торгівлі людьми",
    "Забезпечення проведення спільних засідань, нарад і робочих зустрічей суб'єктів взаємодії з питань протидії торгівлі людьми, обміну інформацією про виявлені випадки та узгодження дій у конкретних справах",
    "Залучення громадських і благодійних організацій, міжнародних партнерів до реалізації програм реабілітації осіб, які постраждали від торгівлі людьми, їх соціальної адаптації, професійного навчання та працевлаштування",
    "Проведення у закладах загальної середньої та професійної освіти тематичних тижнів, конкурсів, переглядів відеоматеріалів і виховних годин, присвячених Європейському дню боротьби з торгівлею людьми",
    "Узагальнення інформації про виконання заходів плану суб'єктами взаємодії, підготовка аналітичних матеріалів і пропозицій щодо удосконалення роботи та подання їх до Міністерства соціальної політики",
];

const REPORT_TAIL: &str = "Заходи проведено із залученням представників органів місцевого самоврядування, центрів надання \
    адміністративних послуг і громадських організацій. Інформацію про проведені заходи розміщено на офіційному \
    вебсайті та сторінках у соціальних мережах; матеріали передано до обласного координаційного центру. \
    Проблемних питань, що потребують вирішення на обласному рівні, не виникало.";

fn report_text(org: &str, measure: &str, h: domain::reporting::HalfYear, seed: usize) -> String {
    let half = if h.half == 1 {
        "І півріччі"
    } else {
        "ІІ півріччі"
    };
    let what: String = measure.chars().take(110).collect();
    let events = 2 + seed % 11;
    let people = 35 + (seed * 37) % 900;
    let materials = 10 + (seed * 13) % 300;
    format!(
        "У {half} {} року {org} на виконання заходу («{what}…») провів {events} заходів, якими охоплено \
         {people} осіб, поширено {materials} примірників інформаційних матеріалів. {REPORT_TAIL}",
        h.year
    )
}

/// Unix second of a Kyiv civil date at a given hour.
fn kyiv_at(day: jiff::civil::Date, hour: i8) -> i64 {
    let dt = day.at(hour, 0, 0, 0);
    match jiff::tz::TimeZone::get("Europe/Kyiv").and_then(|tz| dt.to_zoned(tz)) {
        Ok(z) => z.timestamp().as_second(),
        Err(_) => 0,
    }
}

fn days(n: i64) -> jiff::Span {
    jiff::Span::new().days(n)
}

fn de(e: domain::DomainError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

/// The executors of the synthetic plan: the first organisations of Poltava oblast
/// (the demo has 20), completed with new ones when there are fewer.
async fn plan_executors(
    db: &Db,
    ctx: &store::Ctx,
    oblast: &store::reference::territories::Territory,
) -> Result<Vec<i64>> {
    let like = format!("{}%", oblast.path);
    let mut ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM organisations WHERE territory_path LIKE $1 AND name NOT LIKE 'Навантажувальна організація%' \
         ORDER BY id LIMIT $2",
    )
    .bind(like)
    .bind(PLAN_EXECUTORS as i64)
    .fetch_all(db.raw_pool())
    .await?;
    let mut n = 0;
    while ids.len() < PLAN_EXECUTORS {
        n += 1;
        let form = domain::organisation::OrganisationForm {
            name: format!("Виконавець навантажувального плану № {n:02}"),
            short_name: format!("ВНП-{n:02}"),
            kind: "ngo".into(),
            territory_id: oblast.id.to_string(),
            edrpou: String::new(),
            by_consent: true,
            email: String::new(),
            phone: String::new(),
            address: String::new(),
            ..Default::default()
        };
        ids.push(
            store::organisations::create_organisation(db, ctx, &form)
                .await
                .map_err(de)?,
        );
    }
    Ok(ids)
}

/// A plan of 4 goals × 1 task × 10 measures, each with 20 executors (half of the
/// measures with two indicators), and 10 half-year periods up to the current one:
/// in the 9 closed ones every report is written and handed in (about one in eight
/// late, one in nine returned once and handed in again, one in fifty left returned,
/// the rest accepted); in the open one a mix. Written through the `plans` and
/// `reporting` functions, one transaction per period, with report events and audit
/// rows as the services write them. Needs the demo data (`seed` loads it). Returns
/// the plan's id and its periods, oldest first. Running it twice adds nothing.
pub async fn seed_plan(db: &Db) -> Result<(i64, Vec<i64>)> {
    use domain::audit::{AuditAction, SubjectKind};
    use domain::plan::{Indicator, MeasureInput, PlanInput};
    use domain::reporting::{Deadlines, HalfYear, PeriodState, ReportInput};
    use serde_json::json;
    use store::Ctx;
    use store::audit::trail as audit;
    use store::plans::{self, reporting, rows as plan_rows};

    let now = jiff::Timestamp::now().as_second();
    let started = std::time::Instant::now();
    if let Some(id) =
        sqlx::query_scalar::<_, i64>("SELECT id FROM plans WHERE title = $1 ORDER BY id LIMIT 1")
            .bind(PLAN_TITLE)
            .fetch_optional(db.raw_pool())
            .await?
    {
        let periods: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM reporting_periods WHERE plan_id = $1 ORDER BY year, half")
                .bind(id)
                .fetch_all(db.raw_pool())
                .await?;
        println!("plan: {id} exists");
        return Ok((id, periods));
    }
    let current = HalfYear::containing(store::dates::kyiv_date(now));
    let mut halves = vec![current];
    while halves.len() < PLAN_PERIODS {
        let h = halves[halves.len() - 1].previous();
        halves.push(h);
    }
    halves.reverse();
    let first = halves[0];
    let created = kyiv_at(first.starts_on(), 12).min(now);
    let sys = Ctx {
        request_id: "bench".into(),
        ..Ctx::system(created)
    };

    let oblast = store::reference::territories::find(db.raw_pool(), "Полтавська область")
        .await
        .map_err(de)?
        .context("the demo territory Полтавська область")?;
    let owner = crate::demo::org_by_name(db, "ДСЗН ОВА").await.map_err(de)?.id;
    let executors = plan_executors(db, &sys, &oblast).await?;

    // The plan, its goals, tasks and measures.
    let mut tx = db.begin_system().await?;
    let input = PlanInput {
        title: PLAN_TITLE.into(),
        territory_id: oblast.id,
        owner_org_id: owner,
        year_from: first.year,
        year_to: current.year,
        act_number: Some("777".into()),
        act_date: Some(first.starts_on()),
    };
    let path = oblast.path().map_err(de)?;
    let plan_id = plan_rows::insert_plan(&mut tx, &input, &path, created)
        .await
        .map_err(de)?;
    audit::record(
        &mut *tx,
        &sys,
        AuditAction::PlanCreated,
        Some((SubjectKind::Plan, plan_id.to_string())),
        json!({}),
    )
    .await
    .map_err(de)?;
    for (g, goal) in GOALS.iter().enumerate() {
        let goal_id = plan_rows::insert_goal(&mut tx, plan_id, Some(g as u32 + 1), goal)
            .await
            .map_err(de)?;
        let task_id = plan_rows::insert_task(&mut tx, plan_id, goal_id, Some(g as u32 + 1), TASKS[g])
            .await
            .map_err(de)?;
        for (j, text) in MEASURES.iter().enumerate() {
            let indicators = if j % 2 == 0 {
                vec![
                    Indicator {
                        name: "Проведено заходів".into(),
                        unit: "од.".into(),
                        target: Some("20".into()),
                    },
                    Indicator {
                        name: "Охоплено осіб".into(),
                        unit: "осіб".into(),
                        target: Some("1000".into()),
                    },
                ]
            } else {
                Vec::new()
            };
            // Rotate the executors so that each measure lists them in another order.
            let mut ex = executors.clone();
            ex.rotate_left((g * PLAN_MEASURES_PER_TASK + j) % executors.len());
            let m = MeasureInput {
                text: format!(
                    "{text}, зокрема в територіальних громадах області (ціль {}, захід {})",
                    g + 1,
                    j + 1
                ),
                term: format!("{}–{} роки", first.year, current.year),
                executors: ex,
                indicators,
            };
            plan_rows::insert_measure(&mut tx, plan_id, task_id, &m, created)
                .await
                .map_err(de)?;
        }
    }
    let tree = plan_rows::tree(&mut tx, plan_id)
        .await
        .map_err(de)?
        .context("the new plan")?;
    tx.commit().await?;

    let deadlines = Deadlines::default();
    let mut period_ids = Vec::with_capacity(halves.len());
    let mut reports = 0usize;
    for (k, h) in halves.iter().copied().enumerate() {
        let open_now = h == current;
        let opened = kyiv_at(h.starts_on(), 9).min(now);
        let ctx = Ctx {
            now: opened,
            ..sys.clone()
        };
        let period_id = plans::open_period(db, &ctx, plan_id, h, deadlines)
            .await
            .map_err(de)?;
        period_ids.push(period_id);
        let rows = reporting::reports_of_period(db.raw_pool(), period_id, false)
            .await
            .map_err(de)?;
        let due = h.executor_due(deadlines);
        let today = store::dates::kyiv_date(now);
        let mut tx = db.begin_system().await?;
        for (i, r) in rows.iter().enumerate() {
            let Some((_, _, m)) = tree.measure(r.measure_id) else {
                continue;
            };
            let seed = i + 7 * k;
            let input = ReportInput {
                text: report_text(r.org_label(), &m.m.text, h, seed),
                links: if i % 4 == 0 {
                    vec![format!("https://example.org/novyny/{}-{}", period_id, r.id)]
                } else {
                    Vec::new()
                },
                figures: m
                    .indicators
                    .iter()
                    .enumerate()
                    .map(|(j, ind)| (ind.id, Some((3 + (seed * 7 + j * 131) % 400) as f64)))
                    .collect(),
            };
            // (first submission day, what follows): "accept", "return-accept", "return", "submit", "draft", "none".
            let (submit_day, story) = if open_now {
                let day = today.checked_sub(days(1 + (i % 30) as i64)).unwrap_or(today);
                match i % 10 {
                    0..=2 => (day, "submit"),
                    3 => (day, "accept"),
                    4 => (day, "return"),
                    5 => (day, "draft"),
                    _ => (day, "none"),
                }
            } else {
                let late = seed % 8 == 3;
                let day = if late {
                    due.checked_add(days(1 + (seed % 6) as i64)).unwrap_or(due)
                } else {
                    due.checked_sub(days((seed % 14) as i64)).unwrap_or(due)
                };
                let story = if seed % 50 == 7 {
                    "return"
                } else if seed % 9 == 4 {
                    "return-accept"
                } else {
                    "accept"
                };
                (day, story)
            };
            if story == "none" {
                continue;
            }
            let when = |day: jiff::civil::Date, hour: i8| kyiv_at(day, hour).min(now);
            // Only the id is read by `reporting::write_report`; the rest describes the fresh report.
            let row = reporting::ReportRow {
                id: r.id,
                period_id,
                plan_id,
                measure_id: r.measure_id,
                org_id: r.org_id,
                org_name: r.org_name.clone(),
                state: r.state,
                body: String::new(),
                links: String::new(),
                first_submitted_at: None,
                submitted_at: None,
                late: store::Flag(false),
                accepted_at: None,
                return_comment: None,
                updated_at: opened,
                version: 1,
                plan_path: path.as_str().to_string(),
                period_state: PeriodState::Open,
                executor_due: due.to_string(),
                year: i64::from(h.year),
                half: i64::from(h.half),
            };
            let mut version = row.version;
            let t0 = when(submit_day, 10 + (i % 8) as i8);
            if story == "draft" {
                write(&mut tx, &row, &input, due, t0, false, version)
                    .await
                    .map_err(de)?;
                reports += 1;
                continue;
            }
            write(&mut tx, &row, &input, due, t0, true, version)
                .await
                .map_err(de)?;
            version += 1;
            let r1 = when(
                submit_day
                    .checked_add(days(2 + (i % 4) as i64))
                    .unwrap_or(submit_day),
                15,
            );
            match story {
                "accept" => review(&mut tx, r.id, r1, true, version).await.map_err(de)?,
                "return" => review(&mut tx, r.id, r1, false, version).await.map_err(de)?,
                "return-accept" => {
                    review(&mut tx, r.id, r1, false, version).await.map_err(de)?;
                    version += 1;
                    let day2 = submit_day
                        .checked_add(days(5 + (i % 4) as i64))
                        .unwrap_or(submit_day);
                    write(&mut tx, &row, &input, due, when(day2, 11), true, version)
                        .await
                        .map_err(de)?;
                    version += 1;
                    let r2 = when(day2.checked_add(days(2)).unwrap_or(day2), 16);
                    review(&mut tx, r.id, r2, true, version).await.map_err(de)?;
                }
                _ => {}
            }
            reports += 1;
        }
        tx.commit().await?;
        if !open_now {
            let closed = kyiv_at(
                h.consolidation_due(deadlines).checked_add(days(5)).unwrap_or(due),
                10,
            )
            .min(now);
            let ctx = Ctx {
                now: closed,
                ..sys.clone()
            };
            plans::set_period_state(db, &ctx, period_id, PeriodState::Closed)
                .await
                .map_err(de)?;
        }
        println!(
            "period {} ({}): {} reports, {} written",
            period_id,
            h.code(),
            rows.len(),
            reports
        );
        reports = 0;
    }
    println!(
        "plan: {plan_id} with {} measures × {} executors, {} periods (ids {}), in {:.1} s",
        PLAN_GOALS * PLAN_MEASURES_PER_TASK,
        executors.len(),
        period_ids.len(),
        period_ids
            .iter()
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(","),
        started.elapsed().as_secs_f64()
    );
    Ok((plan_id, period_ids))
}

/// The executor's save or submission, as `plans::write_report` writes it.
async fn write(
    tx: &mut store::Tx,
    row: &store::plans::reporting::ReportRow,
    input: &domain::reporting::ReportInput,
    due: jiff::civil::Date,
    at: i64,
    submit: bool,
    version: i64,
) -> domain::DomainResult<()> {
    use domain::audit::{AuditAction, SubjectKind};
    use domain::reporting::ReportState;
    use store::audit::trail as audit;
    use store::plans::reporting;
    let state = if submit {
        ReportState::Submitted
    } else {
        ReportState::Draft
    };
    let late = submit && domain::reporting::is_late(store::dates::kyiv_date(at), due);
    reporting::write_report(tx, row, version, input, state, late, None, at).await?;
    if submit {
        reporting::add_event(tx, row.id, at, None, "submit", None).await?;
    }
    let action = if submit {
        AuditAction::ReportSubmitted
    } else {
        AuditAction::ReportSaved
    };
    audit::record(
        &mut **tx,
        &store::Ctx::system(at),
        action,
        Some((SubjectKind::Report, row.id.to_string())),
        serde_json::json!({ "late": late, "figures": input.figures.len() }),
    )
    .await
}

/// The coordinator's decision, as `plans::review_report` writes it.
async fn review(
    tx: &mut store::Tx,
    id: i64,
    at: i64,
    accept: bool,
    version: i64,
) -> domain::DomainResult<()> {
    use domain::audit::{AuditAction, SubjectKind};
    use domain::reporting::ReportState;
    use store::audit::trail as audit;
    use store::plans::reporting;
    let comment = (!accept).then_some(
        "Додайте, будь ласка, кількість охоплених осіб з розподілом за статтю та віком і посилання на публікації.",
    );
    let state = if accept {
        ReportState::Accepted
    } else {
        ReportState::Returned
    };
    reporting::review_report(tx, id, version, state, comment, None, at).await?;
    reporting::add_event(
        tx,
        id,
        at,
        None,
        if accept { "accept" } else { "return" },
        comment,
    )
    .await?;
    let action = if accept {
        AuditAction::ReportAccepted
    } else {
        AuditAction::ReportReturned
    };
    audit::record(
        &mut **tx,
        &store::Ctx::system(at),
        action,
        Some((SubjectKind::Report, id.to_string())),
        serde_json::json!({}),
    )
    .await
}

// ---------------------------------------------------------------- many cases

/// What [`seed_cases`] wrote, and keys for deep pages of the demo `officer`'s lists.
#[derive(Debug, Clone)]
pub struct CasesSeeded {
    pub cases: usize,
    pub persons: usize,
    pub procedures: usize,
    /// Cases of the demo `officer`'s unit (Полтавська РВА), demo cases included.
    pub officer_cases: i64,
    /// Procedures of that unit with a next step (the deadline list).
    pub officer_deadlines: i64,
    /// A case id about 90 % down the officer's case list (`/cases?after=ID`).
    pub deep_case: Option<i64>,
    /// `(next_due_on, id)` about 90 % down the officer's deadline list.
    pub deep_deadline: Option<(String, i64)>,
}

/// The four raion administrations that own cases, the demo `officer`'s first.
const CASE_UNITS: [(&str, &str, &str); 4] = [
    ("Полтавська РВА", "Полтавський район", "officer"),
    ("Кременчуцька РВА", "Кременчуцький район", "officer2"),
    ("Лубенська РВА", "Лубенський район", "officer3"),
    ("Миргородська РВА", "Миргородський район", "officer4"),
];

/// Forms of exploitation with their weights (labour and sexual exploitation dominate, as in the statistics).
const CASE_FORMS: [(&str, u64); 14] = [
    ("labour", 400),
    ("sexual", 250),
    ("criminal_activity", 70),
    ("begging", 60),
    ("debt_bondage", 60),
    ("pornography", 40),
    ("armed_conflict", 30),
    ("slavery", 20),
    ("other", 20),
    ("sale_of_child", 15),
    ("adoption_for_profit", 10),
    ("organ_removal", 10),
    ("forced_pregnancy", 8),
    ("experiments", 7),
];

const GIVEN_NAMES: [(&str, &str); 8] = [
    ("Олена", "female"),
    ("Ірина", "female"),
    ("Наталія", "female"),
    ("Оксана", "female"),
    ("Андрій", "male"),
    ("Олег", "male"),
    ("Василь", "male"),
    ("Дмитро", "male"),
];

/// A reproducible pseudo-random number for (item, purpose): SplitMix64.
fn mix(i: usize, salt: u64) -> u64 {
    let mut z = (i as u64)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(salt.wrapping_mul(0xD1B5_4A32_D192_ED03));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn pick(i: usize, salt: u64, m: u64) -> u64 {
    mix(i, salt) % m.max(1)
}

fn weighted_form(i: usize, salt: u64) -> &'static str {
    let total: u64 = CASE_FORMS.iter().map(|f| f.1).sum();
    let mut r = pick(i, salt, total);
    for (code, w) in CASE_FORMS {
        if r < w {
            return code;
        }
        r -= w;
    }
    "other"
}

/// One synthetic case before it is written.
struct NewCase {
    reference: String,
    state: &'static str,
    unit: usize,
    territory_id: i64,
    person: Option<usize>,
    reporter: (i64, i64),
    identified_on: jiff::civil::Date,
    came: &'static str,
    consent: bool,
    sex: &'static str,
    age: i64,
    child: bool,
    foreign: bool,
    place_kind: &'static str,
    forms: Vec<&'static str>,
    created_at: i64,
}

/// A procedure of one synthetic case before it is written.
struct NewProcedure {
    state: &'static str,
    registered_on: jiff::civil::Date,
    last_step_on: jiff::civil::Date,
    next: Option<(&'static str, jiff::civil::Date)>,
    decision: Option<&'static str>,
}

fn clamp_date(d: jiff::civil::Date, lo: jiff::civil::Date, hi: jiff::civil::Date) -> jiff::civil::Date {
    d.max(lo).min(hi)
}

/// `n` synthetic cases on top of the demo data (`seed` loads it first), for the
/// case-list and deadline-list benchmarks (`oberih bench-seed --cases N`).
///
/// 40 % belong to the demo `officer`'s unit (Полтавська РВА), 20 % to each of
/// the other three raion administrations; the place of stay is the unit's raion
/// or one of its hromadas. Identification dates run from 2024-01-01 to today in
/// id order, so the newest cases have the highest ids, as in real use; the
/// references are `UA53-<year>-<sequence>` following the existing counters,
/// which are moved on. About 82 % of the cases are open, 12 % closed and 6 %
/// notices; about 10 % are children's; most persons consented, so about 87 %
/// have a person row (surname `Синтетичний-NNNNNN`); each case has 1–2 forms of
/// exploitation (labour and sexual exploitation most often). About 30 % have a
/// status procedure: on an open case mostly in a state with a next step, whose
/// due date lies between 30 days ago and 30 days ahead; on a closed case
/// notified or terminated. Journal numbers continue each unit's journal of the
/// year. Multi-row inserts of 500 rows, one transaction per 10,000 cases.
pub async fn seed_cases(db: &Db, n: usize) -> Result<CasesSeeded> {
    use jiff::civil::date;
    let started = std::time::Instant::now();
    let now = jiff::Timestamp::now().as_second();
    let today = store::dates::kyiv_date(now);
    const CASE_BATCH: usize = 500;
    const TX_CASES: usize = 10_000;
    const PREFIX: &str = "UA53";

    // The units, their officers, their raion and hromadas.
    let territories = store::reference::territories::list_all(db.raw_pool())
        .await
        .map_err(de)?;
    let mut units = Vec::new();
    for (org, raion, login) in CASE_UNITS {
        let org_id = crate::demo::org_by_name(db, org).await.map_err(de)?.id;
        let raion = territories
            .iter()
            .find(|t| t.name_uk == raion)
            .with_context(|| format!("the demo territory {raion}"))?;
        let places: Vec<i64> = territories
            .iter()
            .filter(|t| t.path.starts_with(&raion.path))
            .map(|t| t.id)
            .collect();
        let officer = user_of(db, login).await?;
        units.push((org_id, places, officer));
    }
    let police = user_of(db, "police").await?;
    let ngo = user_of(db, "ngo").await?;
    let hotline = user_of(db, "hotline").await?;

    // The next reference number of each year, and the next journal number of each unit and year.
    let first_day = date(2024, 1, 1);
    let span = (today - first_day).get_days().max(1) as usize;
    let mut seq: std::collections::BTreeMap<i16, i64> = std::collections::BTreeMap::new();
    for year in first_day.year()..=today.year() {
        let last: Option<i64> =
            sqlx::query_scalar("SELECT last FROM case_counters WHERE prefix = $1 AND year = $2")
                .bind(PREFIX)
                .bind(i64::from(year))
                .fetch_optional(db.raw_pool())
                .await?;
        seq.insert(year, last.unwrap_or(0));
    }
    let mut journal: std::collections::HashMap<(i64, i64), i64> = sqlx::query_as::<_, (i64, i64, i64)>(
        "SELECT unit_org_id, journal_year, MAX(journal_no) FROM procedures GROUP BY unit_org_id, journal_year",
    )
    .fetch_all(db.raw_pool())
    .await?
    .into_iter()
    .map(|(u, y, n)| ((u, y), n))
    .collect();

    let (mut persons, mut procedures, mut forms_written) = (0usize, 0usize, 0usize);
    for tx_start in (0..n).step_by(TX_CASES) {
        let mut tx = db.begin_system().await?;
        for start in (tx_start..(tx_start + TX_CASES).min(n)).step_by(CASE_BATCH) {
            let end = (start + CASE_BATCH).min(n);
            // Decide everything about the batch first.
            let mut batch = Vec::with_capacity(end - start);
            let mut procs: Vec<Option<NewProcedure>> = Vec::with_capacity(end - start);
            for i in start..end {
                let r = pick(i, 1, 100);
                let unit = match r {
                    0..40 => 0,
                    40..60 => 1,
                    60..80 => 2,
                    _ => 3,
                };
                let (_, places, officer) = &units[unit];
                let identified_on = first_day
                    .checked_add(days((i * span / n.max(1)) as i64))
                    .unwrap_or(today)
                    .min(today);
                let year = identified_on.year();
                let s = seq.entry(year).or_insert(0);
                *s += 1;
                let reference = domain::case::CaseRef::new(PREFIX, year, *s).as_str().to_string();
                let state = match pick(i, 2, 100) {
                    0..6 => "notice",
                    6..18 => "closed",
                    _ => "open",
                };
                let child = pick(i, 3, 100) < 10;
                let consent = child || pick(i, 4, 100) < 85;
                let sex = if pick(i, 5, 100) < 62 { "female" } else { "male" };
                let age = if child {
                    6 + pick(i, 6, 12)
                } else {
                    18 + pick(i, 6, 48)
                } as i64;
                let came = [
                    "police",
                    "hotline",
                    "ngo",
                    "employment_centre",
                    "border",
                    "self_referral",
                    "other",
                ][pick(i, 7, 7) as usize];
                let reporter = match came {
                    "police" | "border" => police,
                    "ngo" => ngo,
                    "hotline" => hotline,
                    _ => *officer,
                };
                let mut forms = vec![weighted_form(i, 8)];
                if pick(i, 9, 100) < 30 {
                    let second = weighted_form(i, 10);
                    if second != forms[0] {
                        forms.push(second);
                    }
                }
                let place_kind = ["ukraine", "abroad", "abroad", "both"][pick(i, 11, 4) as usize];
                let created_at = kyiv_at(identified_on, 10).min(now);
                // About 30 % of all cases: a procedure (never on a notice).
                let proc = (state != "notice" && pick(i, 12, 1000) < 316).then(|| {
                    let closed_like = state == "closed" || pick(i, 13, 100) < 12;
                    if closed_like {
                        let registered_on = clamp_date(
                            identified_on.checked_add(days(5)).unwrap_or(identified_on),
                            identified_on,
                            today,
                        );
                        let last = clamp_date(
                            registered_on.checked_add(days(40)).unwrap_or(registered_on),
                            registered_on,
                            today,
                        );
                        let terminated = pick(i, 14, 10) == 0;
                        NewProcedure {
                            state: if terminated { "terminated" } else { "notified" },
                            registered_on,
                            last_step_on: last,
                            next: None,
                            decision: Some(if pick(i, 15, 10) < 8 || terminated {
                                "granted"
                            } else {
                                "refused"
                            }),
                        }
                    } else {
                        let (st, step, decision) = [
                            ("registered", "interview", None),
                            ("interviewed", "police_request", None),
                            ("police_requested", "police_reply", None),
                            ("police_answered", "decision", None),
                            ("concluded", "decision", None),
                            ("granted", "notification", Some("granted")),
                            ("refused", "notification", Some("refused")),
                        ][pick(i, 16, 7) as usize];
                        let due = today
                            .checked_add(days(pick(i, 17, 61) as i64 - 30))
                            .unwrap_or(today);
                        let registered_on =
                            clamp_date(due.checked_sub(days(20)).unwrap_or(due), identified_on, today);
                        let last_step_on = if st == "registered" {
                            registered_on
                        } else {
                            clamp_date(due.checked_sub(days(7)).unwrap_or(due), registered_on, today)
                        };
                        NewProcedure {
                            state: st,
                            registered_on,
                            last_step_on,
                            next: Some((step, due)),
                            decision,
                        }
                    }
                });
                batch.push(NewCase {
                    reference,
                    state,
                    unit,
                    territory_id: places[pick(i, 18, places.len() as u64) as usize],
                    person: consent.then_some(i),
                    reporter,
                    identified_on,
                    came,
                    consent,
                    sex,
                    age,
                    child,
                    foreign: pick(i, 19, 100) < 3,
                    place_kind,
                    forms,
                    created_at,
                });
                procs.push(proc);
            }

            // Persons (those who consented, and every child).
            let with_person: Vec<&NewCase> = batch.iter().filter(|c| c.person.is_some()).collect();
            let mut person_ids = std::collections::HashMap::new();
            if !with_person.is_empty() {
                let sql = format!(
                    "INSERT INTO persons (surname, given_name, birth_date, name_key, created_at, updated_at) VALUES {} \
                     RETURNING id, surname",
                    placeholders(with_person.len(), 6)
                );
                let mut q = sqlx::query_as::<_, (i64, String)>(&sql);
                for c in &with_person {
                    let i = c.person.unwrap_or(0);
                    let surname = format!("Синтетичний-{i:06}");
                    let names: Vec<_> = GIVEN_NAMES.iter().filter(|g| g.1 == c.sex).collect();
                    let given = names[pick(i, 20, names.len() as u64) as usize].0;
                    let birth = c
                        .identified_on
                        .checked_sub(jiff::Span::new().years(c.age).days(pick(i, 21, 360) as i64))
                        .unwrap_or(c.identified_on);
                    q = q
                        .bind(surname.clone())
                        .bind(given)
                        .bind(birth.to_string())
                        .bind(domain::names::person_key(&surname, given))
                        .bind(c.created_at)
                        .bind(c.created_at);
                }
                for (id, surname) in q.fetch_all(&mut *tx).await.context("inserting persons")? {
                    person_ids.insert(surname, id);
                }
                persons += with_person.len();
            }

            // Cases.
            let cols = 22;
            let sql = format!(
                "INSERT INTO cases (reference, state, unit_org_id, territory_id, person_id, reported_by_org_id, \
                 reported_by_user_id, identified_on, came_to_attention, consent, sex, age, is_child, citizenship, \
                 language, interpreter, place_kind, country, opened_at, closed_at, created_at, updated_at) VALUES {} \
                 RETURNING id, reference",
                placeholders(batch.len(), cols)
            );
            let mut q = sqlx::query_as::<_, (i64, String)>(&sql);
            for c in &batch {
                let person_id = c
                    .person
                    .and_then(|i| person_ids.get(&format!("Синтетичний-{i:06}")).copied());
                let opened_at = (c.state != "notice").then_some(c.created_at + 86_400);
                let closed_at = (c.state == "closed").then(|| (c.created_at + 120 * 86_400).min(now));
                let country = match c.place_kind {
                    "ukraine" => None,
                    _ => Some(["PL", "DE", "CZ", "RU", "IT"][c.created_at as usize % 5]),
                };
                q = q
                    .bind(c.reference.clone())
                    .bind(c.state)
                    .bind(units[c.unit].0)
                    .bind(c.territory_id)
                    .bind(person_id)
                    .bind(c.reporter.1)
                    .bind(c.reporter.0)
                    .bind(c.identified_on.to_string())
                    .bind(c.came)
                    .bind(store::flag(c.consent))
                    .bind(c.sex)
                    .bind(c.age)
                    .bind(store::flag(c.child))
                    .bind(if c.foreign { "MD" } else { "UA" })
                    .bind(if c.foreign { "ro" } else { "uk" })
                    .bind(store::flag(c.foreign))
                    .bind(c.place_kind)
                    .bind(country)
                    .bind(opened_at)
                    .bind(closed_at)
                    .bind(c.created_at)
                    .bind(closed_at.or(opened_at).unwrap_or(c.created_at));
            }
            let case_ids: std::collections::HashMap<String, i64> = q
                .fetch_all(&mut *tx)
                .await
                .context("inserting cases")?
                .into_iter()
                .map(|(id, r)| (r, id))
                .collect();
            let id_of = |c: &NewCase| case_ids.get(&c.reference).copied().context("a new case's id");

            // Forms of exploitation.
            let mut pairs = Vec::new();
            for c in &batch {
                let id = id_of(c)?;
                pairs.extend(c.forms.iter().map(|f| (id, *f, units[c.unit].0)));
            }
            for chunk in pairs.chunks(CASE_BATCH) {
                let sql = format!(
                    "INSERT INTO case_forms (case_id, form_code, unit_org_id) VALUES {}",
                    placeholders(chunk.len(), 3)
                );
                let mut q = sqlx::query(&sql);
                for (id, f, unit) in chunk {
                    q = q.bind(*id).bind(*f).bind(*unit);
                }
                q.execute(&mut *tx).await.context("inserting case forms")?;
            }
            forms_written += pairs.len();

            // Procedures, numbered on in each unit's journal of the year.
            let with_proc: Vec<(&NewCase, &NewProcedure)> = batch
                .iter()
                .zip(&procs)
                .filter_map(|(c, p)| p.as_ref().map(|p| (c, p)))
                .collect();
            if !with_proc.is_empty() {
                let sql = format!(
                    "INSERT INTO procedures (case_id, unit_org_id, journal_year, journal_no, registered_on, applicant, \
                     registered_by, state, interview_on, decision, decided_on, last_step_on, next_step, next_due_on, \
                     created_at, updated_at) VALUES {}",
                    placeholders(with_proc.len(), 16)
                );
                let mut q = sqlx::query(&sql);
                for (c, p) in &with_proc {
                    let (unit_id, _, officer) = &units[c.unit];
                    let year = i64::from(p.registered_on.year());
                    let no = journal.entry((*unit_id, year)).or_insert(0);
                    *no += 1;
                    let past_interview = p.state != "registered";
                    let applicant = match c.person {
                        Some(i) => format!("Синтетичний-{i:06}"),
                        None => "Заявник (синтетичний)".to_string(),
                    };
                    let at = kyiv_at(p.registered_on, 11).min(now);
                    q = q
                        .bind(id_of(c)?)
                        .bind(*unit_id)
                        .bind(year)
                        .bind(*no)
                        .bind(p.registered_on.to_string())
                        .bind(applicant)
                        .bind(officer.0)
                        .bind(p.state)
                        .bind(past_interview.then(|| p.registered_on.to_string()))
                        .bind(p.decision)
                        .bind(p.decision.map(|_| p.last_step_on.to_string()))
                        .bind(p.last_step_on.to_string())
                        .bind(p.next.map(|n| n.0))
                        .bind(p.next.map(|n| n.1.to_string()))
                        .bind(at)
                        .bind(kyiv_at(p.last_step_on, 12).min(now).max(at));
                }
                q.execute(&mut *tx).await.context("inserting procedures")?;
                procedures += with_proc.len();
            }
        }
        tx.commit().await?;
        println!(
            "cases: {} of {n} written ({:.1} s)",
            (tx_start + TX_CASES).min(n),
            started.elapsed().as_secs_f64()
        );
    }

    // Move the reference counters on, so that later notices do not collide.
    let mut tx = db.begin_system().await?;
    for (year, last) in &seq {
        let done =
            sqlx::query("UPDATE case_counters SET last = $3 WHERE prefix = $1 AND year = $2 AND last < $3")
                .bind(PREFIX)
                .bind(i64::from(*year))
                .bind(*last)
                .execute(&mut *tx)
                .await?;
        if done.rows_affected() == 0 && *last > 0 {
            sqlx::query(
                "INSERT INTO case_counters (prefix, year, last) SELECT $1, $2, $3 \
                 WHERE NOT EXISTS (SELECT 1 FROM case_counters WHERE prefix = $1 AND year = $2)",
            )
            .bind(PREFIX)
            .bind(i64::from(*year))
            .bind(*last)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    if db.backend() == store::db::Backend::Postgres {
        // What autovacuum would do shortly after a bulk load; the benchmark should not depend on when.
        sqlx::query("ANALYZE").execute(db.raw_pool()).await?;
    }

    // Keys about 90 % down the officer's two lists, for the benchmark's deep pages.
    let officer_unit = units[0].0;
    let officer_cases: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases WHERE unit_org_id = $1")
        .bind(officer_unit)
        .fetch_one(db.raw_pool())
        .await?;
    let officer_deadlines: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM procedures WHERE unit_org_id = $1 AND next_due_on IS NOT NULL",
    )
    .bind(officer_unit)
    .fetch_one(db.raw_pool())
    .await?;
    let deep_case: Option<i64> =
        sqlx::query_scalar("SELECT id FROM cases WHERE unit_org_id = $1 ORDER BY id DESC LIMIT 1 OFFSET $2")
            .bind(officer_unit)
            .bind(officer_cases * 9 / 10)
            .fetch_optional(db.raw_pool())
            .await?;
    let deep_deadline: Option<(String, i64)> = sqlx::query_as(
        "SELECT next_due_on, id FROM procedures WHERE unit_org_id = $1 AND next_due_on IS NOT NULL \
         ORDER BY next_due_on, id LIMIT 1 OFFSET $2",
    )
    .bind(officer_unit)
    .bind(officer_deadlines * 9 / 10)
    .fetch_optional(db.raw_pool())
    .await?;
    let seeded = CasesSeeded {
        cases: n,
        persons,
        procedures,
        officer_cases,
        officer_deadlines,
        deep_case,
        deep_deadline,
    };
    println!(
        "cases: {n} added ({persons} persons, {forms_written} forms, {procedures} procedures) in {:.1} s; \
         officer's unit: {officer_cases} cases, {officer_deadlines} deadlines; deep keys: after={} after_due={} after_id={}",
        started.elapsed().as_secs_f64(),
        seeded.deep_case.map_or("-".into(), |i| i.to_string()),
        seeded.deep_deadline.as_ref().map_or("-", |d| d.0.as_str()),
        seeded
            .deep_deadline
            .as_ref()
            .map_or("-".into(), |d| d.1.to_string()),
    );
    Ok(seeded)
}

/// `(user id, organisation id)` of a demo login.
async fn user_of(db: &Db, login: &str) -> Result<(i64, i64)> {
    sqlx::query_as("SELECT id, org_id FROM users WHERE login = $1")
        .bind(login)
        .fetch_optional(db.raw_pool())
        .await?
        .with_context(|| format!("the demo user {login}"))
}

/// What `oberih bench-audit` measured (milliseconds).
#[derive(Debug, Clone)]
pub struct AuditTiming {
    pub rows: u64,
    /// The baseline: reading every audit row once, keyset-paged, without hashing.
    pub walk_ms: f64,
    /// Sealing every row into the chain from scratch.
    pub seal_ms: f64,
    pub sealed: u64,
    /// Verifying the whole chain (nothing left to seal).
    pub verify_ms: f64,
    pub entries: i64,
}

/// Adds `rows` synthetic audit rows (case views, an hour old), then times a
/// plain walk over the audit log, sealing it from scratch and verifying it.
/// Run on an empty or demo database only.
pub async fn audit_timing(db: &Db, rows: usize) -> Result<AuditTiming> {
    let now = jiff::Timestamp::now().as_second();
    const COLS: usize = 9;
    let per = 500;
    let mut tx = db.begin_system().await?;
    let mut done = 0;
    while done < rows {
        let n = per.min(rows - done);
        let sql = format!(
            "INSERT INTO audit_log (at, actor_user_id, actor_org_id, action, subject_kind, subject_id, ip, request_id, details) VALUES {}",
            placeholders(n, COLS)
        );
        let mut q = sqlx::query(&sql);
        for i in done..done + n {
            q = q
                .bind(now - 3600 + (i as i64 % 3000))
                .bind(1 + (i as i64 % 14))
                .bind(1 + (i as i64 % 40))
                .bind("case_viewed")
                .bind("case")
                .bind(format!("UA53-2026-{:05}", i % 100_000))
                .bind(format!("10.0.{}.{}", i % 250, i % 200))
                .bind(format!("{:016x}", mix(i, 7)))
                .bind("{\"via\":\"case_page\"}");
        }
        q.execute(&mut *tx).await?;
        done += n;
        if done % 50_000 == 0 {
            tx.commit().await?;
            tx = db.begin_system().await?;
        }
    }
    tx.commit().await?;

    let t = std::time::Instant::now();
    let (mut after, mut walked) = (0i64, 0u64);
    loop {
        let page: Vec<store::audit::chain::Row> = sqlx::query_as(&format!(
            "SELECT {} FROM audit_log a WHERE a.id > $1 ORDER BY a.id LIMIT 2000",
            store::audit::chain::ROW_COLUMNS
        ))
        .bind(after)
        .fetch_all(db.raw_pool())
        .await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        walked += page.len() as u64;
    }
    let walk_ms = t.elapsed().as_secs_f64() * 1000.0;

    let t = std::time::Instant::now();
    let sealed = store::audit::chain::seal_pending(db, now, 0).await.map_err(de)?;
    let seal_ms = t.elapsed().as_secs_f64() * 1000.0;

    let t = std::time::Instant::now();
    let v = store::audit::chain::verify(db, now, &[]).await.map_err(de)?;
    let verify_ms = t.elapsed().as_secs_f64() * 1000.0;
    anyhow::ensure!(v.intact(), "the chain is not intact: {:?}", v.problems);
    Ok(AuditTiming {
        rows: walked,
        walk_ms,
        seal_ms,
        sealed,
        verify_ms,
        entries: v.entries,
    })
}
