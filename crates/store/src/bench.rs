//! Synthetic data for load tests (`oberih bench-seed`): many organisations and
//! users on top of the demo data, inserted in batches, and (`--plan`) a plan of
//! 40 measures × 20 executors with 10 half-years of reports. Never run on real data.

use crate::Db;
use anyhow::{Context, Result};
use domain::organisation::{OrgKind, sort_key};

const BATCH: usize = 400;

pub async fn seed(db: &Db, orgs: usize, users: usize) -> Result<()> {
    let now = jiff::Timestamp::now().as_second();
    crate::demo::load(db, now)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let territories = crate::territories::list_all(db.pool())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let oblast_and_below: Vec<_> = territories.iter().filter(|t| t.level != "country").collect();
    let hash = crate::password::hash_now("bench-password-not-for-use").map_err(|e| anyhow::anyhow!("{e}"))?;

    let mut org_ids = Vec::with_capacity(orgs);
    let mut tx = db.begin().await?;
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
                .bind(crate::flag(n % 7 == 0))
                .bind(now)
                .bind(now);
        }
        let ids = q.fetch_all(&mut *tx).await.context("inserting organisations")?;
        org_ids.extend(ids.into_iter().map(|(id,)| id));
    }
    tx.commit().await?;
    println!("organisations: {} added", org_ids.len());

    let mut tx = db.begin().await?;
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
    ctx: &crate::Ctx,
    oblast: &crate::territories::Territory,
) -> Result<Vec<i64>> {
    let like = format!("{}%", oblast.path);
    let mut ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM organisations WHERE territory_path LIKE $1 AND name NOT LIKE 'Навантажувальна організація%' \
         ORDER BY id LIMIT $2",
    )
    .bind(like)
    .bind(PLAN_EXECUTORS as i64)
    .fetch_all(db.pool())
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
        };
        ids.push(
            crate::service::create_organisation(db, ctx, &form)
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
    use crate::{Ctx, audit, plan_service, plans, reporting};
    use domain::audit::{AuditAction, SubjectKind};
    use domain::plan::{Indicator, MeasureInput, PlanInput};
    use domain::reporting::{Deadlines, HalfYear, PeriodState, ReportInput};
    use serde_json::json;

    let now = jiff::Timestamp::now().as_second();
    let started = std::time::Instant::now();
    if let Some(id) =
        sqlx::query_scalar::<_, i64>("SELECT id FROM plans WHERE title = $1 ORDER BY id LIMIT 1")
            .bind(PLAN_TITLE)
            .fetch_optional(db.pool())
            .await?
    {
        let periods: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM reporting_periods WHERE plan_id = $1 ORDER BY year, half")
                .bind(id)
                .fetch_all(db.pool())
                .await?;
        println!("plan: {id} exists");
        return Ok((id, periods));
    }
    let current = HalfYear::containing(reporting::kyiv_date(now));
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

    let oblast = crate::territories::find(db.pool(), "Полтавська область")
        .await
        .map_err(de)?
        .context("the demo territory Полтавська область")?;
    let owner = crate::demo::org_by_name(db, "ДСЗН ОВА").await.map_err(de)?.id;
    let executors = plan_executors(db, &sys, &oblast).await?;

    // The plan, its goals, tasks and measures.
    let mut tx = db.begin().await?;
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
    let plan_id = plans::insert_plan(&mut tx, &input, &path, created)
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
        let goal_id = plans::insert_goal(&mut tx, plan_id, Some(g as u32 + 1), goal)
            .await
            .map_err(de)?;
        let task_id = plans::insert_task(&mut tx, plan_id, goal_id, Some(g as u32 + 1), TASKS[g])
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
            plans::insert_measure(&mut tx, plan_id, task_id, &m, created)
                .await
                .map_err(de)?;
        }
    }
    let tree = plans::tree(&mut tx, plan_id)
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
        let period_id = plan_service::open_period(db, &ctx, plan_id, h, deadlines)
            .await
            .map_err(de)?;
        period_ids.push(period_id);
        let rows = reporting::reports_of_period(db.pool(), period_id, false)
            .await
            .map_err(de)?;
        let due = h.executor_due(deadlines);
        let today = reporting::kyiv_date(now);
        let mut tx = db.begin().await?;
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
                state: r.state.clone(),
                body: String::new(),
                links: String::new(),
                first_submitted_at: None,
                submitted_at: None,
                late: crate::Flag(false),
                accepted_at: None,
                return_comment: None,
                updated_at: opened,
                version: 1,
                plan_path: path.as_str().to_string(),
                period_state: PeriodState::Open.as_str().to_string(),
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
            plan_service::set_period_state(db, &ctx, period_id, PeriodState::Closed)
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

/// The executor's save or submission, as `plan_service::write_report` writes it.
async fn write(
    tx: &mut crate::Tx,
    row: &crate::reporting::ReportRow,
    input: &domain::reporting::ReportInput,
    due: jiff::civil::Date,
    at: i64,
    submit: bool,
    version: i64,
) -> domain::DomainResult<()> {
    use crate::{audit, reporting};
    use domain::audit::{AuditAction, SubjectKind};
    use domain::reporting::ReportState;
    let state = if submit {
        ReportState::Submitted
    } else {
        ReportState::Draft
    };
    let late = submit && domain::reporting::is_late(reporting::kyiv_date(at), due);
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
        &crate::Ctx::system(at),
        action,
        Some((SubjectKind::Report, row.id.to_string())),
        serde_json::json!({ "late": late, "figures": input.figures.len() }),
    )
    .await
}

/// The coordinator's decision, as `plan_service::review_report` writes it.
async fn review(
    tx: &mut crate::Tx,
    id: i64,
    at: i64,
    accept: bool,
    version: i64,
) -> domain::DomainResult<()> {
    use crate::{audit, reporting};
    use domain::audit::{AuditAction, SubjectKind};
    use domain::reporting::ReportState;
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
        &crate::Ctx::system(at),
        action,
        Some((SubjectKind::Report, id.to_string())),
        serde_json::json!({}),
    )
    .await
}
