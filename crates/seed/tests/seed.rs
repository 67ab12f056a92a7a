//! Every seed path, run on the backend under test (SQLite by default,
//! PostgreSQL when `OBERIH_TEST_DATABASE_URL` is set, as `.ci/run` does): the
//! demo data set (twice: it must not double), and each benchmark seed at a
//! small size on top of it.
#![allow(clippy::unwrap_used)] // a failed seed or query should fail the test loudly

use oberih_seed as seed;
use testkit::{TestDb, test_start};

async fn count(t: &TestDb, table: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(t.db.raw_pool())
        .await
        .unwrap();
    n
}

async fn with_demo() -> TestDb {
    let t = TestDb::fresh().await.unwrap();
    seed::demo::load(&t.db, test_start().as_second()).await.unwrap();
    t
}

#[tokio::test]
async fn the_demo_data_set_loads_the_poltava_plan_accounts_and_cases_and_a_second_load_adds_nothing() {
    let t = TestDb::fresh().await.unwrap();
    let now = test_start().as_second();
    let accounts = seed::demo::load(&t.db, now).await.unwrap();
    assert!(
        accounts.iter().any(|a| a.login == "officer"),
        "the case officer's account"
    );
    assert!(
        accounts.iter().any(|a| a.login == "admin"),
        "the administrator's account"
    );
    let tables = [
        "organisations",
        "users",
        "plans",
        "plan_measures",
        "cases",
        "procedures",
        "referrals",
    ];
    let mut first = Vec::new();
    for table in tables {
        let n = count(&t, table).await;
        assert!(n > 0, "the demo data has rows in {table}");
        first.push(n);
    }
    let plans: Vec<(String,)> = sqlx::query_as("SELECT title FROM plans")
        .fetch_all(t.db.raw_pool())
        .await
        .unwrap();
    assert!(
        plans.iter().any(|p| p.0 == seed::demo_plan::PLAN_TITLE),
        "the Poltava plan of seed 002"
    );

    seed::demo::load(&t.db, now + 3600).await.unwrap();
    for (table, before) in tables.iter().zip(&first) {
        assert_eq!(
            count(&t, table).await,
            *before,
            "a second load added rows to {table}"
        );
    }
}

#[tokio::test]
async fn the_benchmark_seed_adds_exactly_the_organisations_and_users_asked_for() {
    let t = with_demo().await;
    let (orgs, users) = (count(&t, "organisations").await, count(&t, "users").await);
    seed::bench::seed(&t.db, 120, 450).await.unwrap();
    assert_eq!(count(&t, "organisations").await, orgs + 120);
    assert_eq!(count(&t, "users").await, users + 450);
}

#[tokio::test]
async fn the_case_seed_adds_cases_with_persons_and_procedures_for_the_demo_officer() {
    let t = with_demo().await;
    let before = count(&t, "cases").await;
    let seeded = seed::bench::seed_cases(&t.db, 300).await.unwrap();
    assert_eq!(seeded.cases, 300);
    assert_eq!(count(&t, "cases").await, before + 300);
    assert!(
        seeded.persons > 0 && seeded.procedures > 0,
        "{} persons, {} procedures",
        seeded.persons,
        seeded.procedures
    );
    assert!(seeded.officer_cases > 0, "the officer's unit has cases");
}

#[tokio::test]
async fn the_plan_seed_makes_a_plan_of_the_announced_size_with_its_periods() {
    let t = with_demo().await;
    let (plan_id, periods) = seed::bench::seed_plan(&t.db).await.unwrap();
    assert_eq!(periods.len(), seed::bench::PLAN_PERIODS);
    let (measures,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM plan_measures WHERE plan_id = $1")
        .bind(plan_id)
        .fetch_one(t.db.raw_pool())
        .await
        .unwrap();
    let goals = i64::try_from(seed::bench::PLAN_GOALS).unwrap();
    assert!(measures >= goals, "{measures} measures");
}

#[tokio::test]
async fn the_audit_seed_seals_and_verifies_every_row_it_adds() {
    let t = with_demo().await;
    let timing = seed::bench::audit_timing(&t.db, 500).await.unwrap();
    assert!(timing.rows >= 500, "{} rows", timing.rows);
    assert!(timing.sealed >= 500, "{} sealed", timing.sealed);
    assert!(timing.entries > 0);
}

#[tokio::test]
async fn the_driver_comparison_measures_both_drivers_on_both_workloads() {
    let t = with_demo().await;
    seed::bench::seed_cases(&t.db, 50).await.unwrap();
    let timings = seed::bench_driver::compare(&t.db, &t.url, 1, 2).await.unwrap();
    for workload in ["organisations list", "case page"] {
        for driver in ["Any", "native"] {
            assert!(
                timings
                    .iter()
                    .any(|m| m.workload.starts_with(workload) && m.driver == driver && m.per_sec > 0.0),
                "{workload} through {driver}: {:?}",
                timings.iter().map(|m| (m.workload, m.driver)).collect::<Vec<_>>()
            );
        }
    }
}
