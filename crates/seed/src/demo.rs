//! The demonstration data set: Poltava oblast, its four raions and some
//! hromadas, every organisation that executes the Poltava plan (seed 002),
//! a coordination council, a multidisciplinary group and one account per role.
//!
//! Loading is idempotent: running it again creates nothing twice. The people
//! named here are fictional (each name is marked "демо").

use domain::role::{Role, RoleSet};
use domain::territory::TerritoryLevel;
use domain::{DomainError, DomainResult};
use store::auth::password;
use store::error::OrInternal;
use store::organisations::{self, import as org_import};
use store::reference::territories::{self, NewTerritory};
use store::{Ctx, Db, bodies, users};

pub const TERRITORIES_CSV: &str = include_str!("../../../data/territories.csv");
pub const ORGANISATIONS_CSV: &str = include_str!("../../../data/organisations.csv");
/// Which demo organisations the public directory of help lists, with their
/// (invented) contacts and what they offer.
pub const PUBLIC_HELP_CSV: &str = include_str!("../../../data/public_help.csv");
pub const BODIES_CSV: &str = include_str!("../../../data/bodies.csv");
pub const USERS_CSV: &str = include_str!("../../../data/demo_users.csv");
pub const POLTAVA_EXECUTORS_CSV: &str = include_str!("../../../data/reference/poltava_executors.csv");

/// The password of every demo account. Printed by `oberih demo`; never use it elsewhere.
pub const DEMO_PASSWORD: &str = "oberih-demo-2026";

#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub login: String,
    pub full_name: String,
    pub org: String,
    pub roles: Vec<Role>,
}

fn records(src: &str) -> DomainResult<Vec<csv::StringRecord>> {
    csv::Reader::from_reader(src.as_bytes())
        .records()
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| DomainError::Internal(format!("demo data: {e}")))
}

fn field(r: &csv::StringRecord, i: usize) -> &str {
    r.get(i).unwrap_or("").trim()
}

async fn load_territories(db: &Db) -> DomainResult<()> {
    let mut tx = db.begin_system().await.or_internal()?;
    for r in records(TERRITORIES_CSV)? {
        let level =
            TerritoryLevel::parse(field(&r, 0)).ok_or_else(|| DomainError::Internal("demo level".into()))?;
        let parent = match field(&r, 1) {
            "" => None,
            name => Some(
                territories::find(&mut *tx, name)
                    .await?
                    .ok_or_else(|| DomainError::Internal(format!("demo parent {name}")))?,
            ),
        };
        let code = Some(field(&r, 2)).filter(|c| !c.is_empty());
        territories::ensure(
            &mut tx,
            NewTerritory {
                parent: parent.as_ref(),
                level,
                code,
                name_uk: field(&r, 3),
                name_en: field(&r, 4),
            },
        )
        .await?;
    }
    tx.commit().await.or_internal()
}

/// Finds an organisation by its short name or full name.
pub async fn org_by_name(db: &Db, name: &str) -> DomainResult<organisations::Organisation> {
    organisations::rows::find_by_any_name(db.raw_pool(), name)
        .await?
        .ok_or_else(|| DomainError::Internal(format!("no organisation {name}")))
}

async fn load_bodies(db: &Db, ctx: &Ctx) -> DomainResult<()> {
    for r in records(BODIES_CSV)? {
        let name = field(&r, 1);
        let exists: Option<(i64,)> = sqlx::query_as("SELECT id FROM bodies WHERE name = $1")
            .bind(name)
            .fetch_optional(db.raw_pool())
            .await
            .or_internal()?;
        if exists.is_some() {
            continue;
        }
        let territory = territories::find(db.raw_pool(), field(&r, 2))
            .await?
            .ok_or_else(|| DomainError::Internal("demo body territory".into()))?;
        let mut members = Vec::new();
        for m in field(&r, 3).split(';').filter(|m| !m.trim().is_empty()) {
            members.push(org_by_name(db, m.trim()).await?.id.to_string());
        }
        let form = bodies::BodyForm {
            kind: field(&r, 0).to_string(),
            name: name.to_string(),
            territory_id: territory.id.to_string(),
            members,
        };
        bodies::create(db, ctx, &form).await?;
    }
    Ok(())
}

async fn load_users(db: &Db, ctx: &Ctx) -> DomainResult<Vec<DemoAccount>> {
    let mut accounts = Vec::new();
    let mut hash: Option<String> = None;
    for r in records(USERS_CSV)? {
        let login = field(&r, 0).to_string();
        let org = org_by_name(db, field(&r, 2)).await?;
        let roles: Vec<Role> = field(&r, 3)
            .split(';')
            .filter_map(|x| Role::parse(x.trim()))
            .collect();
        let set =
            RoleSet::new(roles.clone()).map_err(|e| DomainError::Internal(format!("demo roles: {e}")))?;
        accounts.push(DemoAccount {
            login: login.clone(),
            full_name: field(&r, 1).to_string(),
            org: org.name.clone(),
            roles,
        });
        if users::rows::find_by_login(db.raw_pool(), &login).await?.is_some() {
            continue;
        }
        // One hash for all demo accounts: they share the printed demo password anyway.
        let h = match &hash {
            Some(h) => h.clone(),
            None => {
                let h = password::hash(DEMO_PASSWORD.to_string()).await?;
                hash = Some(h.clone());
                h
            }
        };
        let new = users::NewUser {
            org_id: org.id,
            login: &login,
            full_name: field(&r, 1),
            email: None,
            password_hash: &h,
            must_change_password: false,
        };
        store::users::seed_user(db, ctx, &new, &set).await?;
    }
    Ok(accounts)
}

/// Loads (or completes) the demo data set and returns the demo accounts.
pub async fn load(db: &Db, now: i64) -> DomainResult<Vec<DemoAccount>> {
    let accounts = load_before_assistance(db, now).await?;
    crate::demo_assistance::load(db, now).await?;
    load_public_help(db).await?;
    Ok(accounts)
}

/// Lists the organisations of `data/public_help.csv` in the public directory
/// (idempotent). A name the demo does not hold is an error: the file and
/// `organisations.csv` must agree.
async fn load_public_help(db: &Db) -> DomainResult<()> {
    let mut reader = csv::Reader::from_reader(PUBLIC_HELP_CSV.as_bytes());
    for (i, r) in reader.records().enumerate() {
        let r = r.map_err(|e| DomainError::Internal(format!("public_help.csv row {}: {e}", i + 2)))?;
        let field = |n: usize| {
            r.get(n)
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let done = sqlx::query(
            "UPDATE organisations SET public_listing = 1, phone = COALESCE($2, phone), email = COALESCE($3, email), \
             address = COALESCE($4, address), public_offer = $5 WHERE name = $1 \
             AND (public_listing = 0 OR public_offer IS NULL OR public_offer <> $5)",
        )
        .bind(field(0))
        .bind(field(1))
        .bind(field(2))
        .bind(field(3))
        .bind(field(4))
        .execute(db.raw_pool())
        .await
        .map_err(|e| DomainError::Internal(format!("public_help.csv row {}: {e}", i + 2)))?;
        if done.rows_affected() == 0 {
            let listed: Option<(i64,)> =
                sqlx::query_as("SELECT id FROM organisations WHERE name = $1 AND public_listing = 1")
                    .bind(field(0))
                    .fetch_optional(db.raw_pool())
                    .await
                    .map_err(|e| DomainError::Internal(e.to_string()))?;
            if listed.is_none() {
                return Err(DomainError::Internal(format!(
                    "public_help.csv row {}: no such organisation",
                    i + 2
                )));
            }
        }
    }
    Ok(())
}

/// The demo without its assistance and payments: the data a database of
/// migrations 0001–0004 could hold (the migration test copies it into one).
pub async fn load_before_assistance(db: &Db, now: i64) -> DomainResult<Vec<DemoAccount>> {
    let ctx = Ctx {
        request_id: "demo".into(),
        ..Ctx::system(now)
    };
    load_territories(db).await?;
    match org_import::import(db, &ctx, ORGANISATIONS_CSV.as_bytes(), None).await {
        Ok(_) => {}
        Err(org_import::ImportError::Domain(e)) => return Err(e),
        Err(e) => return Err(DomainError::Internal(format!("demo organisations: {e:?}"))),
    }
    load_bodies(db, &ctx).await?;
    let accounts = load_users(db, &ctx).await?;
    crate::demo_plan::load(db, now).await?;
    crate::demo_cases::load(db, now).await?;
    Ok(accounts)
}
