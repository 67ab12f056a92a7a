//! The Poltava plan of measures (seed 002, order No 609 of 04.09.2023) and a
//! reporting history for the demo: one half-year fully accepted, one under
//! review (submitted, late, one returned, missing), and the current one open.
//!
//! The plan comes from `data/poltava_plan_2023_2025.csv` through the same
//! writer the importer uses. The report texts are generated and say so
//! ("демо"). Loading twice adds nothing: the plan is found by its title.

use domain::plan::{MeasureInput, PlanInput};
use domain::plan_import::{ParsedGoal, ParsedMeasure, ParsedPlan, ParsedTask};
use domain::reporting::{Deadlines, HalfYear, PeriodState, ReportForm};
use domain::{DomainError, DomainResult};
use jiff::civil::date;
use store::dates::kyiv_date;
use store::error::OrInternal;
use store::plans::{self, reporting, rows as plan_rows, write_parsed};
use store::{Ctx, Db};

pub const PLAN_CSV: &str = include_str!("../../../data/poltava_plan_2023_2025.csv");
pub const PLAN_TITLE: &str = "Обласний план заходів щодо реалізації державної політики у сфері протидії торгівлі людьми на період до 2025 року";

/// The plan file read into goals → tasks → measures (executor short names as written).
pub fn parsed_plan() -> DomainResult<ParsedPlan> {
    let mut plan = ParsedPlan::default();
    let mut reader = csv::Reader::from_reader(PLAN_CSV.as_bytes());
    for (i, rec) in reader.records().enumerate() {
        let r = rec.map_err(|e| DomainError::Internal(format!("plan data: {e}")))?;
        let f = |n: usize| r.get(n).unwrap_or("").trim().to_string();
        let num = |n: usize| {
            f(n).parse::<u32>()
                .map_err(|_| DomainError::Internal(format!("plan data row {i}")))
        };
        let (goal_no, task_no, measure_no) = (num(0)?, num(2)?, num(4)?);
        if plan.goals.last().is_none_or(|g| g.number != goal_no) {
            plan.goals.push(ParsedGoal {
                row: i + 2,
                number: goal_no,
                text: f(1),
                tasks: Vec::new(),
            });
        }
        let goal = plan
            .goals
            .last_mut()
            .ok_or_else(|| DomainError::Internal("plan data".into()))?;
        if goal.tasks.last().is_none_or(|t| t.number != task_no) {
            goal.tasks.push(ParsedTask {
                row: i + 2,
                number: task_no,
                text: f(3),
                measures: Vec::new(),
            });
        }
        let task = goal
            .tasks
            .last_mut()
            .ok_or_else(|| DomainError::Internal("plan data".into()))?;
        task.measures.push(ParsedMeasure {
            row: i + 2,
            number: measure_no,
            text: f(5),
            term: f(6),
            executors: f(7)
                .split(';')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
        });
    }
    Ok(plan)
}

async fn org_id(db: &Db, short: &str) -> DomainResult<i64> {
    let id: Option<i64> =
        sqlx::query_scalar("SELECT id FROM organisations WHERE short_name = $1 OR name = $1")
            .bind(short)
            .fetch_optional(db.raw_pool())
            .await
            .or_internal()?;
    id.ok_or_else(|| DomainError::Internal(format!("demo plan: no organisation {short}")))
}

/// Unix second of a Kyiv civil date at a given hour.
fn at(y: i16, m: i8, d: i8, hour: i8) -> i64 {
    let dt = date(y, m, d).at(hour, 0, 0, 0);
    match jiff::tz::TimeZone::get("Europe/Kyiv").and_then(|tz| dt.to_zoned(tz)) {
        Ok(z) => z.timestamp().as_second(),
        Err(_) => 0,
    }
}

fn demo_text(org: &str, measure: &str, h: HalfYear, seed: usize) -> String {
    let half = if h.half == 1 {
        "І півріччя"
    } else {
        "ІІ півріччя"
    };
    let what: String = measure.chars().take(90).collect();
    let n = 3 + seed % 9;
    let people = 40 + (seed * 37) % 400;
    format!(
        "У {half} {} року {org} на виконання заходу («{what}…») провів {n} заходів, охоплено {people} осіб. \
         Інформацію розміщено на офіційному вебсайті та сторінках у соціальних мережах. (демо)",
        h.year
    )
}

/// Loads the plan and its history once; returns the plan's id.
pub async fn load(db: &Db, now: i64) -> DomainResult<i64> {
    let existing: Option<i64> =
        sqlx::query_scalar("SELECT id FROM plans WHERE title = $1 ORDER BY id LIMIT 1")
            .bind(PLAN_TITLE)
            .fetch_optional(db.raw_pool())
            .await
            .or_internal()?;
    if let Some(id) = existing {
        return Ok(id);
    }
    let parsed = parsed_plan()?;
    let territory = store::reference::territories::find(db.raw_pool(), "Полтавська область")
        .await?
        .ok_or_else(|| DomainError::Internal("demo plan: territory".into()))?;
    let owner = org_id(db, "ДСЗН ОВА").await?;
    let mut matched: Vec<(String, i64)> = Vec::new();
    for (name, _) in parsed.executor_names() {
        let id = org_id(db, &name).await?;
        matched.push((name, id));
    }
    let input = PlanInput {
        title: PLAN_TITLE.to_string(),
        territory_id: territory.id,
        owner_org_id: owner,
        year_from: 2023,
        year_to: 2025,
        act_number: Some("609".into()),
        act_date: Some(date(2023, 9, 4)),
    };
    let created = at(2023, 9, 4, 12);
    let mut tx = db.begin_system().await.or_internal()?;
    let (plan_id, _) = write_parsed(&mut tx, &input, &territory.path()?, &parsed, &matched, created).await?;
    tx.commit().await.or_internal()?;
    add_demo_indicators(db, plan_id, created).await?;
    history(db, plan_id, now).await?;
    Ok(plan_id)
}

/// The seed has no indicators; the demo gives two measures some, so reports carry figures.
async fn add_demo_indicators(db: &Db, plan_id: i64, now: i64) -> DomainResult<()> {
    let mut tx = db.begin_system().await.or_internal()?;
    let tree = plan_rows::tree(&mut tx, plan_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let picks = [
        (
            1u32,
            1u32,
            "Поширено інформаційних матеріалів | од. | 500\nОхоплено осіб | осіб | 2000",
        ),
        (1, 4, "Проведено заходів у закладах освіти | од. | 40"),
    ];
    for (g, n, lines) in picks {
        let Some((_, _, m)) = tree
            .measures()
            .find(|(goal, _, m)| goal.goal.number == i64::from(g) && m.number == Some(n))
        else {
            continue;
        };
        let form = domain::plan::MeasureForm {
            text: m.m.text.clone(),
            term: m.m.term.clone(),
            executors: m.executors.iter().map(|e| e.org_id.to_string()).collect(),
            indicators: lines.to_string(),
        };
        let input: MeasureInput = form.validate().map_err(DomainError::Validation)?;
        plan_rows::update_measure(&mut tx, plan_id, m.m.id, m.m.version, &input, &m.indicators, now).await?;
    }
    tx.commit().await.or_internal()
}

/// Three half-years before and including today's: accepted, under review, open.
async fn history(db: &Db, plan_id: i64, now: i64) -> DomainResult<()> {
    let current = HalfYear::containing(kyiv_date(now));
    let review = current.previous();
    let accepted = review.previous();
    let d = Deadlines::default();
    let coordinator = Ctx {
        request_id: "demo".into(),
        ..Ctx::system(now)
    };
    for (k, h) in [accepted, review, current].into_iter().enumerate() {
        let opened = at(h.starts_on().year(), h.starts_on().month(), 1, 9).min(now);
        let ctx = Ctx {
            now: opened,
            ..coordinator.clone()
        };
        let period_id = plans::open_period(db, &ctx, plan_id, h, d).await?;
        let rows = reporting::reports_of_period(db.raw_pool(), period_id, false).await?;
        let mut tx = db.begin_system().await.or_internal()?;
        let tree = plan_rows::tree(&mut tx, plan_id)
            .await?
            .ok_or(DomainError::NotFound)?;
        tx.commit().await.or_internal()?;
        let due = h.executor_due(d);
        // In the period under review the demo executor's organisation (ПОЦЗ) has its report
        // returned to act on, and the police (also an executor) one not handed in, now late.
        let (mut pocz_seen, mut police_seen) = (false, false);
        for (i, r) in rows.iter().enumerate() {
            let pocz_first = k == 1 && r.org_label() == "ПОЦЗ" && !pocz_seen;
            pocz_seen |= pocz_first;
            let police_first = k == 1 && r.org_label() == "ГУНП" && !police_seen;
            police_seen |= police_first;
            let Some((_, _, m)) = tree.measure(r.measure_id) else {
                continue;
            };
            let figures: Vec<(i64, String)> = m
                .indicators
                .iter()
                .enumerate()
                .map(|(j, ind)| (ind.id, format!("{}", 10 + (i * 7 + j * 13) % 90)))
                .collect();
            let form = ReportForm {
                text: demo_text(r.org_label(), &m.m.text, h, i),
                links: String::new(),
                figures,
            };
            // What happens to this report in the demo story.
            let (submit_on, outcome) = match k {
                0 => (
                    Some(
                        due.checked_sub(jiff::Span::new().days((i % 10) as i64))
                            .unwrap_or(due),
                    ),
                    "accept",
                ),
                1 if pocz_first => (
                    Some(due.checked_sub(jiff::Span::new().days(2)).unwrap_or(due)),
                    "return",
                ),
                1 if police_first => (None, "missing"),
                1 => match i % 10 {
                    0 | 1 => (None, "missing"),
                    2 | 3 => (
                        Some(
                            due.checked_add(jiff::Span::new().days(3 + (i % 5) as i64))
                                .unwrap_or(due),
                        ),
                        "late",
                    ),
                    5..=7 => (
                        Some(due.checked_sub(jiff::Span::new().days(1)).unwrap_or(due)),
                        "accept",
                    ),
                    _ => (
                        Some(due.checked_sub(jiff::Span::new().days(4)).unwrap_or(due)),
                        "submitted",
                    ),
                },
                _ => match i % 6 {
                    0 => (
                        Some(
                            kyiv_date(now)
                                .checked_sub(jiff::Span::new().days(3))
                                .unwrap_or(due),
                        ),
                        "submitted",
                    ),
                    1 => (None, "draft"),
                    _ => (None, "missing"),
                },
            };
            let when =
                |day: jiff::civil::Date, hour: i8| at(day.year(), day.month(), day.day(), hour).min(now);
            match (submit_on, outcome) {
                (None, "missing") => {}
                (None, _) => {
                    let c = Ctx {
                        now: now - 3600,
                        ..coordinator.clone()
                    };
                    plans::write_report(db, &c, r.id, 1, &form, false).await?;
                }
                (Some(day), outcome) => {
                    let c = Ctx {
                        now: when(day, 11),
                        ..coordinator.clone()
                    };
                    plans::write_report(db, &c, r.id, 1, &form, true).await?;
                    let review_day = day.checked_add(jiff::Span::new().days(3)).unwrap_or(day);
                    let c = Ctx {
                        now: when(review_day, 15),
                        ..coordinator.clone()
                    };
                    match outcome {
                        "accept" => {
                            plans::review_report(db, &c, r.id, 2, true, "").await?;
                        }
                        "return" => {
                            plans::review_report(
                                db,
                                &c,
                                r.id,
                                2,
                                false,
                                "Додайте, будь ласка, кількість охоплених осіб і посилання на публікації. (демо)",
                            )
                            .await?;
                        }
                        _ => {}
                    }
                }
            }
        }
        if k == 0 {
            let c = Ctx {
                now: at(due.year(), due.month(), 20, 10).min(now),
                ..coordinator.clone()
            };
            plans::set_period_state(db, &c, period_id, PeriodState::Closed).await?;
        }
    }
    Ok(())
}
