//! Assistance at benchmark size (`oberih bench-seed --cases N --assistance
//! --payments P`): every open case of the demo `officer`'s unit gets a needs
//! assessment with one or two needs, services for most of them (some late),
//! one case in thirty a stay in an assistance institution, and P cases a
//! granted status with a one-time payment approved this year, entered in the
//! register (one in twenty reversed). Bulk inserts, no audit rows: the data a
//! unit accumulates over years, for the list and the register benchmarks.

use anyhow::{Context, Result};
use store::Db;
use store::placeholders;

/// What was added.
#[derive(Debug, Clone)]
pub struct AssistanceSeeded {
    pub assessments: i64,
    pub unanswered: i64,
    pub services: i64,
    pub stays: usize,
    pub payments: usize,
    pub lines: usize,
}

pub async fn seed_assistance(db: &Db, payments: usize) -> Result<AssistanceSeeded> {
    let started = std::time::Instant::now();
    let now = jiff::Timestamp::now().as_second();
    let today = store::dates::kyiv_date(now);
    let (officer, unit): (i64, i64) = sqlx::query_as("SELECT id, org_id FROM users WHERE login = 'officer'")
        .fetch_one(db.raw_pool())
        .await
        .context("the demo officer")?;
    let pool = db.raw_pool();
    let mut tx = db.begin_system().await?;
    // Assessments: every open case of the unit that has none.
    sqlx::query(
        "INSERT INTO need_assessments (case_id, unit_org_id, assessed_on, assessed_by, created_at) \
         SELECT c.id, c.unit_org_id, c.identified_on, $2, c.created_at FROM cases c WHERE c.unit_org_id = $1 \
         AND c.state = 'open' AND NOT EXISTS (SELECT 1 FROM need_assessments a WHERE a.case_id = c.id)",
    )
    .bind(unit)
    .bind(officer)
    .execute(&mut *tx)
    .await?;
    // Needs: legal aid for each, medical help for one in three.
    for (need, urgency, every) in [("legal_aid", "soon", 1), ("medical", "urgent", 3)] {
        sqlx::query(&format!(
            "INSERT INTO assessed_needs (assessment_id, need_code, urgency) SELECT a.id, '{need}', '{urgency}' \
             FROM need_assessments a WHERE a.unit_org_id = $1 AND a.id % {every} = 0 AND NOT EXISTS \
             (SELECT 1 FROM assessed_needs n WHERE n.assessment_id = a.id AND n.need_code = '{need}')"
        ))
        .bind(unit)
        .execute(&mut *tx)
        .await?;
    }
    // The current needs: one in ten with nothing planned, half of the rest met.
    sqlx::query(
        "INSERT INTO current_needs (case_id, need_code, unit_org_id, assessment_id, urgency, answered, met) \
         SELECT a.case_id, n.need_code, a.unit_org_id, a.id, n.urgency, \
         CASE WHEN a.case_id % 10 = 0 THEN 0 ELSE 1 END, CASE WHEN a.case_id % 10 >= 5 THEN 1 ELSE 0 END \
         FROM assessed_needs n JOIN need_assessments a ON a.id = n.assessment_id WHERE a.unit_org_id = $1 \
         AND NOT EXISTS (SELECT 1 FROM current_needs x WHERE x.case_id = a.case_id AND x.need_code = n.need_code)",
    )
    .bind(unit)
    .execute(&mut *tx)
    .await?;
    // Services for the answered needs: delivered where met, otherwise planned — one in seven past its date.
    sqlx::query(
        "INSERT INTO services (case_id, unit_org_id, need_code, provider_org_id, planned_from, planned_to, state, \
         ended_on, created_by, created_at, updated_at) \
         SELECT n.case_id, n.unit_org_id, n.need_code, n.unit_org_id, a.assessed_on, \
         CASE WHEN n.met = 0 AND n.case_id % 7 <> 0 THEN '2099-12-31' ELSE a.assessed_on END, \
         CASE WHEN n.met = 1 THEN 'delivered' ELSE 'planned' END, \
         CASE WHEN n.met = 1 THEN a.assessed_on ELSE NULL END, $2, a.created_at, a.created_at \
         FROM current_needs n JOIN need_assessments a ON a.id = n.assessment_id \
         WHERE n.unit_org_id = $1 AND n.answered = 1 AND NOT EXISTS \
         (SELECT 1 FROM services s WHERE s.case_id = n.case_id AND s.need_code = n.need_code)",
    )
    .bind(unit)
    .bind(officer)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;

    // Stays: one open case in thirty, started up to 120 days ago, half of them ended.
    let stay_cases: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM cases WHERE unit_org_id = $1 AND state = 'open' AND id % 30 = 0 AND NOT EXISTS \
         (SELECT 1 FROM shelter_stays s WHERE s.case_id = cases.id) ORDER BY id",
    )
    .bind(unit)
    .fetch_all(pool)
    .await?;
    let shelter: i64 = sqlx::query_scalar("SELECT id FROM organisations WHERE short_name = 'ПОЦСС'")
        .fetch_one(pool)
        .await?;
    let mut tx = db.begin_system().await?;
    for chunk in stay_cases.chunks(500) {
        let sql = format!(
            "INSERT INTO shelter_stays (case_id, unit_org_id, institution_org_id, started_on, planned_end_on, \
             limit_on, current_end_on, ended_on, created_by, created_at, updated_at) VALUES {}",
            placeholders(chunk.len(), 11)
        );
        let mut q = sqlx::query(&sql);
        for (id,) in chunk {
            let start = today.saturating_sub(jiff::Span::new().days(id % 120));
            let limit = domain::assistance::stay_limit(start);
            let ended = (id % 60 == 0).then(|| limit.to_string());
            q = q
                .bind(*id)
                .bind(unit)
                .bind(shelter)
                .bind(start.to_string())
                .bind(limit.to_string())
                .bind(limit.to_string())
                .bind(limit.to_string())
                .bind(ended)
                .bind(officer)
                .bind(now)
                .bind(now);
        }
        q.execute(&mut *tx).await?;
    }
    tx.commit().await?;

    // Payments: P open cases with a person get a granted status and a payment
    // approved this year (spread over its days so far), entered in the register.
    let year = i64::from(today.year());
    let year_start = jiff::civil::Date::new(today.year(), 1, 1)?;
    let days = (today - year_start).get_days().max(1) as i64;
    let (mins, mult): (i64, i64) = sqlx::query_as(
        "SELECT m.id, k.id FROM payment_minimums m, payment_multipliers k ORDER BY m.effective_from DESC, \
         k.effective_from DESC LIMIT 1",
    )
    .fetch_one(pool)
    .await?;
    let minimum: i64 = sqlx::query_scalar("SELECT working_age FROM payment_minimums WHERE id = $1")
        .bind(mins)
        .fetch_one(pool)
        .await?;
    let factor: i64 = sqlx::query_scalar("SELECT factor FROM payment_multipliers WHERE id = $1")
        .bind(mult)
        .fetch_one(pool)
        .await?;
    let candidates: Vec<(i64,)> = sqlx::query_as(
        "SELECT c.id FROM cases c WHERE c.unit_org_id = $1 AND c.state = 'open' AND c.person_id IS NOT NULL \
         AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.case_id = c.id) ORDER BY c.id DESC LIMIT $2",
    )
    .bind(unit)
    .bind(payments as i64)
    .fetch_all(pool)
    .await?;
    let mut next_no: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(journal_no), 0) + 1 FROM procedures WHERE unit_org_id = $1 AND journal_year = $2",
    )
    .bind(unit)
    .bind(year)
    .fetch_one(pool)
    .await?;
    let mut lines = 0;
    let mut tx = db.begin_system().await?;
    for (k, chunk) in candidates.chunks(500).enumerate() {
        // The granted statuses.
        let sql = format!(
            "INSERT INTO procedures (case_id, unit_org_id, journal_year, journal_no, registered_on, applicant, \
             registered_by, state, decision, decided_on, certificate_no, valid_until, last_step_on, created_at, \
             updated_at) VALUES {} RETURNING id, case_id",
            placeholders(chunk.len(), 15)
        );
        let mut q = sqlx::query_as::<_, (i64, i64)>(&sql);
        for (i, (case_id,)) in chunk.iter().enumerate() {
            let n = (k * 500 + i) as i64;
            let applied = year_start.saturating_add(jiff::Span::new().days(n % days));
            let decided = applied.saturating_sub(jiff::Span::new().days(7));
            let valid = decided.saturating_add(jiff::Span::new().years(2));
            q = q
                .bind(*case_id)
                .bind(unit)
                .bind(year)
                .bind(next_no)
                .bind(decided.to_string())
                .bind("Синтетична заява")
                .bind(officer)
                .bind("notified")
                .bind("granted")
                .bind(decided.to_string())
                .bind(next_no.to_string())
                .bind(valid.to_string())
                .bind(decided.to_string())
                .bind(now)
                .bind(now);
            next_no += 1;
        }
        let procs = q.fetch_all(&mut *tx).await.context("inserting procedures")?;
        // Their payments, approved on the application day.
        let sql = format!(
            "INSERT INTO payments (case_id, unit_org_id, procedure_id, applied_on, applicant, category, minimums_id, \
             multiplier_id, minimum, factor, amount, due_on, state, approved_on, last_step_on, created_by, \
             created_at, updated_at) VALUES {} RETURNING id, applied_on",
            placeholders(procs.len(), 18)
        );
        let mut q = sqlx::query_as::<_, (i64, String)>(&sql);
        for (i, (pid, case_id)) in procs.iter().enumerate() {
            let n = (k * 500 + i) as i64;
            let applied = year_start.saturating_add(jiff::Span::new().days(n % days));
            q = q
                .bind(*case_id)
                .bind(unit)
                .bind(*pid)
                .bind(applied.to_string())
                .bind("person")
                .bind("working_age")
                .bind(mins)
                .bind(mult)
                .bind(minimum)
                .bind(factor)
                .bind(minimum * factor)
                .bind(domain::payment::due_on(applied).to_string())
                .bind("approved")
                .bind(applied.to_string())
                .bind(applied.to_string())
                .bind(officer)
                .bind(now)
                .bind(now);
        }
        let pays = q.fetch_all(&mut *tx).await.context("inserting payments")?;
        let sql = format!(
            "INSERT INTO payment_register (unit_org_id, payment_id, kind, entered_on, category, amount, created_by, \
             created_at) VALUES {} RETURNING id, payment_id, entered_on",
            placeholders(pays.len(), 8)
        );
        let mut q = sqlx::query_as::<_, (i64, i64, String)>(&sql);
        for (pay, applied) in &pays {
            q = q
                .bind(unit)
                .bind(*pay)
                .bind("payment")
                .bind(applied.clone())
                .bind("working_age")
                .bind(minimum * factor)
                .bind(officer)
                .bind(now);
        }
        let entered = q.fetch_all(&mut *tx).await.context("inserting register lines")?;
        lines += entered.len();
        let reversed: Vec<&(i64, i64, String)> = entered.iter().filter(|l| l.0 % 20 == 0).collect();
        if !reversed.is_empty() {
            let sql = format!(
                "INSERT INTO payment_register (unit_org_id, payment_id, kind, reverses_id, entered_on, category, \
                 amount, reason, created_by, created_at) VALUES {}",
                placeholders(reversed.len(), 10)
            );
            let mut q = sqlx::query(&sql);
            for (line, pay, entered_on) in &reversed {
                q = q
                    .bind(unit)
                    .bind(*pay)
                    .bind("reversal")
                    .bind(*line)
                    .bind(entered_on.clone())
                    .bind("working_age")
                    .bind(-(minimum * factor))
                    .bind("Синтетичне сторно")
                    .bind(officer)
                    .bind(now);
            }
            q.execute(&mut *tx).await?;
            lines += reversed.len();
        }
    }
    tx.commit().await?;
    let count = |sql: &'static str| async move {
        sqlx::query_scalar::<_, i64>(sql)
            .bind(unit)
            .fetch_one(db.raw_pool())
            .await
    };
    let seeded = AssistanceSeeded {
        assessments: count("SELECT COUNT(*) FROM need_assessments WHERE unit_org_id = $1").await?,
        unanswered: count("SELECT COUNT(*) FROM current_needs WHERE unit_org_id = $1 AND answered = 0")
            .await?,
        services: count("SELECT COUNT(*) FROM services WHERE unit_org_id = $1").await?,
        stays: stay_cases.len(),
        payments: candidates.len(),
        lines,
    };
    println!(
        "assistance: {} assessments ({} needs with nothing planned), {} services, {} stays, {} payments, \
         {} register lines in {:.1} s",
        seeded.assessments,
        seeded.unanswered,
        seeded.services,
        seeded.stays,
        seeded.payments,
        seeded.lines,
        started.elapsed().as_secs_f64()
    );
    Ok(seeded)
}
