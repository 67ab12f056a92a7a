//! The driver question of ADR 0002, measured: the same query definitions run
//! through sqlx's `Any` driver (what the store uses) and through the native
//! pool of the backend (what an enum of native pools behind one query
//! definition would use, as vaultwarden does with Diesel's `MultiConnection`),
//! side by side on the same database, in interleaved rounds.
//!
//! Two workloads, the ones the issue names: the first page of the
//! organisations list (one query, 51 rows) and the case page (the seven
//! queries `cases::case_view` sends for one case). Every column of every row is
//! decoded on both sides, so the comparison includes the `Any` driver's
//! conversion of each value.

use anyhow::{Context, Result};
use sqlx::Row;
use std::sync::Arc;
use std::time::{Duration, Instant};
use store::{Backend, Db};

/// One parameter of a query.
#[derive(Debug, Clone)]
enum Bind {
    Int(i64),
}

/// A workload: queries sent one after the other, as a page sends them.
struct Workload {
    label: &'static str,
    queries: Vec<(String, Vec<Bind>)>,
}

/// The measured cost of one workload through one driver.
#[derive(Debug, Clone)]
pub struct DriverTiming {
    pub workload: &'static str,
    pub driver: &'static str,
    pub concurrency: usize,
    /// Median, 99th percentile (µs per workload).
    pub p50_us: f64,
    pub p99_us: f64,
    /// Workloads per second across all tasks.
    pub per_sec: f64,
}

fn workloads(case_id: i64) -> Vec<Workload> {
    use store::{cases, organisations, procedures};
    let one = |sql: String| (sql, vec![Bind::Int(case_id)]);
    vec![
        Workload {
            label: "organisations list, first page",
            queries: vec![(
                format!("{} WHERE 1 = 1 ORDER BY o.name_key LIMIT 51", organisations::rows::LIST_SELECT),
                Vec::new(),
            )],
        },
        Workload {
            label: "case page (7 queries)",
            queries: vec![
                one(format!("{} WHERE c.id = $1", cases::rows::CASE_SELECT)),
                one("SELECT f.form_code FROM case_forms f JOIN exploitation_forms e ON e.code = f.form_code \
                     WHERE f.case_id = $1 ORDER BY e.position"
                    .into()),
                one("SELECT id, surname, given_name, patronymic, birth_date, document, phone, email, address \
                     FROM persons WHERE id = (SELECT person_id FROM cases WHERE id = $1)"
                    .into()),
                one(format!("{} WHERE r.case_id = $1 ORDER BY r.id", cases::rows::REFERRAL_SELECT)),
                one("SELECT e.at, e.kind, u.full_name AS user_name, COALESCE(o.short_name, o.name) AS org_name, \
                     COALESCE(t.short_name, t.name) AS to_org_name, e.note FROM case_events e \
                     LEFT JOIN users u ON u.id = e.user_id LEFT JOIN organisations o ON o.id = e.org_id \
                     LEFT JOIN organisations t ON t.id = e.to_org_id WHERE e.case_id = $1 ORDER BY e.id"
                    .into()),
                one("SELECT d.id, d.kind, d.file_name, d.size, d.uploaded_at, u.full_name AS uploaded_by_name \
                     FROM case_documents d JOIN users u ON u.id = d.uploaded_by WHERE d.case_id = $1 ORDER BY d.id"
                    .into()),
                one(format!("{} WHERE p.case_id = $1 ORDER BY p.id", procedures::SELECT)),
            ],
        },
    ]
}

/// Decodes every column of a row as an integer, or else as text (what the
/// store's row types do, column by column); returns a checksum so nothing is
/// optimised away.
fn decode_all<R: Row>(row: &R) -> usize
where
    usize: sqlx::ColumnIndex<R>,
    for<'r> Option<i64>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    let mut n = 0;
    for i in 0..row.columns().len() {
        if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
            n += usize::from(v.is_some());
        } else if let Ok(v) = row.try_get::<Option<String>, _>(i) {
            n += v.map_or(0, |s| s.len());
        }
    }
    n
}

/// The pools of one database: the store's `Any` pool and the native one.
#[derive(Clone)]
enum Native {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

async fn run_any(db: &Db, w: &Workload) -> Result<usize> {
    let mut n = 0;
    for (sql, binds) in &w.queries {
        let mut q = sqlx::query(sql);
        for Bind::Int(v) in binds {
            q = q.bind(*v);
        }
        for row in q.fetch_all(db.raw_pool()).await? {
            n += decode_all(&row);
        }
    }
    Ok(n)
}

async fn run_native(native: &Native, w: &Workload) -> Result<usize> {
    let mut n = 0;
    for (sql, binds) in &w.queries {
        match native {
            Native::Sqlite(pool) => {
                let mut q = sqlx::query(sql);
                for Bind::Int(v) in binds {
                    q = q.bind(*v);
                }
                for row in q.fetch_all(pool).await? {
                    n += decode_all(&row);
                }
            }
            Native::Postgres(pool) => {
                let mut q = sqlx::query(sql);
                for Bind::Int(v) in binds {
                    q = q.bind(*v);
                }
                for row in q.fetch_all(pool).await? {
                    n += decode_all(&row);
                }
            }
        }
    }
    Ok(n)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1e6
}

/// Runs `iterations` of `w` on `concurrency` tasks through one driver.
async fn measure(
    db: &Db,
    native: &Native,
    w: &Arc<Workload>,
    use_native: bool,
    iterations: usize,
    concurrency: usize,
) -> Result<(Vec<Duration>, Duration)> {
    let per_task = iterations.div_ceil(concurrency);
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let (db, native, w) = (db.clone(), native.clone(), w.clone());
        tasks.spawn(async move {
            let mut times = Vec::with_capacity(per_task);
            for _ in 0..per_task {
                let t = Instant::now();
                let n = if use_native {
                    run_native(&native, &w).await?
                } else {
                    run_any(&db, &w).await?
                };
                std::hint::black_box(n);
                times.push(t.elapsed());
            }
            Ok::<_, anyhow::Error>(times)
        });
    }
    let mut all = Vec::with_capacity(per_task * concurrency);
    while let Some(r) = tasks.join_next().await {
        all.extend(r??);
    }
    let wall = started.elapsed();
    all.sort();
    Ok((all, wall))
}

/// Compares the two drivers on `url` (the database `db` is connected to),
/// `rounds` interleaved rounds of `iterations` workloads each, sequentially
/// and on 8 tasks. The pools get the same size.
pub async fn compare(db: &Db, url: &str, rounds: usize, iterations: usize) -> Result<Vec<DriverTiming>> {
    let native = match db.backend() {
        Backend::Sqlite => {
            use std::str::FromStr;
            let opts = sqlx::sqlite::SqliteConnectOptions::from_str(url)?
                .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
                .busy_timeout(Duration::from_secs(5))
                .foreign_keys(true)
                .synchronous(sqlx::sqlite::SqliteSynchronous::Normal);
            Native::Sqlite(
                sqlx::sqlite::SqlitePoolOptions::new()
                    .max_connections(8)
                    .connect_with(opts)
                    .await?,
            )
        }
        Backend::Postgres => Native::Postgres(
            sqlx::postgres::PgPoolOptions::new()
                .max_connections(8)
                .connect(url)
                .await?,
        ),
    };
    let (case_id,): (i64,) = sqlx::query_as(
        "SELECT c.id FROM cases c WHERE EXISTS (SELECT 1 FROM procedures p WHERE p.case_id = c.id) \
         AND c.person_id IS NOT NULL ORDER BY c.id LIMIT 1",
    )
    .fetch_one(db.raw_pool())
    .await
    .context("a case with a person and a procedure (run the demo or bench-seed --cases first)")?;
    let mut out = Vec::new();
    for w in workloads(case_id).into_iter().map(Arc::new) {
        // Same rows through both drivers, or the comparison means nothing.
        let (a, n) = (run_any(db, &w).await?, run_native(&native, &w).await?);
        anyhow::ensure!(
            a == n,
            "{}: the drivers decoded different rows ({a} vs {n})",
            w.label
        );
        for concurrency in [1, 8] {
            // Warm-up, then interleaved rounds: Any, native, Any, native …
            measure(db, &native, &w, false, iterations / 4, concurrency).await?;
            measure(db, &native, &w, true, iterations / 4, concurrency).await?;
            let mut samples: [(Vec<Duration>, Duration); 2] =
                [(Vec::new(), Duration::ZERO), (Vec::new(), Duration::ZERO)];
            for _ in 0..rounds {
                for (k, use_native) in [(0, false), (1, true)] {
                    let (times, wall) = measure(db, &native, &w, use_native, iterations, concurrency).await?;
                    samples[k].0.extend(times);
                    samples[k].1 += wall;
                }
            }
            for (k, driver) in [(0, "Any"), (1, "native")] {
                let (times, wall) = &mut samples[k];
                times.sort();
                out.push(DriverTiming {
                    workload: w.label,
                    driver,
                    concurrency,
                    p50_us: percentile(times, 0.5),
                    p99_us: percentile(times, 0.99),
                    per_sec: times.len() as f64 / wall.as_secs_f64(),
                });
            }
        }
    }
    match native {
        Native::Sqlite(p) => p.close().await,
        Native::Postgres(p) => p.close().await,
    }
    Ok(out)
}
