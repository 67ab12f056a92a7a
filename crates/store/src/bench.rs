//! Synthetic data for load tests (`oberih bench-seed`): many organisations and
//! users on top of the demo data, inserted in batches. Never run on real data.

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
