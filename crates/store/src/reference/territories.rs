//! Territories: country → oblast → raion → hromada, with materialised paths.

use crate::codes::Code;
use crate::error::OrInternal;
use domain::territory::{TerritoryLevel, TerritoryPath};
use domain::{DomainError, DomainResult};
use sqlx::{Any, Executor, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct Territory {
    pub id: i64,
    pub parent_id: Option<i64>,
    #[sqlx(try_from = "Code<TerritoryLevel>")]
    pub level: TerritoryLevel,
    pub code: Option<String>,
    pub name_uk: String,
    pub name_en: String,
    pub path: String,
}

impl Territory {
    pub fn path(&self) -> DomainResult<TerritoryPath> {
        TerritoryPath::parse(&self.path).ok_or_else(|| DomainError::Internal("territory path".into()))
    }

    /// Depth below the country (0 for the country), for indenting lists.
    pub fn depth(&self) -> usize {
        self.path.matches('/').count().saturating_sub(2)
    }

    pub fn name(&self, lang: &str) -> &str {
        crate::localized(lang, &self.name_uk, &self.name_en)
    }
}

const COLUMNS: &str = "id, parent_id, level, code, name_uk, name_en, path";

pub async fn get<'e, E: Executor<'e, Database = Any>>(exec: E, id: i64) -> DomainResult<Option<Territory>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM territories WHERE id = $1"))
        .bind(id)
        .fetch_optional(exec)
        .await
        .or_internal()
}

/// Finds a territory by KATOTTG code or by exact Ukrainian or English name.
pub async fn find<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    code_or_name: &str,
) -> DomainResult<Option<Territory>> {
    let key = code_or_name.trim();
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM territories WHERE code = $1 OR name_uk = $1 OR name_en = $1 ORDER BY path LIMIT 1"
    ))
    .bind(key)
    .fetch_optional(exec)
    .await
    .or_internal()
}

/// Finds a child of `parent` by Ukrainian name (for idempotent loading).
pub async fn find_child(
    tx: &mut crate::Tx,
    parent_id: Option<i64>,
    name_uk: &str,
) -> DomainResult<Option<Territory>> {
    let q = match parent_id {
        Some(_) => {
            format!("SELECT {COLUMNS} FROM territories WHERE parent_id = $1 AND name_uk = $2")
        }
        None => format!(
            "SELECT {COLUMNS} FROM territories WHERE parent_id IS NULL AND name_uk = $2 AND $1 IS NULL"
        ),
    };
    sqlx::query_as(&q)
        .bind(parent_id)
        .bind(name_uk)
        .fetch_optional(&mut **tx)
        .await
        .or_internal()
}

pub struct NewTerritory<'a> {
    pub parent: Option<&'a Territory>,
    pub level: TerritoryLevel,
    pub code: Option<&'a str>,
    pub name_uk: &'a str,
    pub name_en: &'a str,
}

/// Inserts a territory (or returns the existing child of the same name) and its path.
pub async fn ensure(tx: &mut crate::Tx, t: NewTerritory<'_>) -> DomainResult<Territory> {
    if let Some(existing) = find_child(tx, t.parent.map(|p| p.id), t.name_uk).await? {
        return Ok(existing);
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO territories (parent_id, level, code, name_uk, name_en, path) VALUES ($1, $2, $3, $4, $5, '/') RETURNING id",
    )
    .bind(t.parent.map(|p| p.id))
    .bind(t.level.as_str())
    .bind(t.code)
    .bind(t.name_uk)
    .bind(t.name_en)
    .fetch_one(&mut **tx)
    .await
    .or_internal()?;
    let path = match t.parent {
        Some(p) => p.path()?.child(id),
        None => TerritoryPath::root(id),
    };
    sqlx::query("UPDATE territories SET path = $1 WHERE id = $2")
        .bind(path.as_str())
        .bind(id)
        .execute(&mut **tx)
        .await
        .or_internal()?;
    get(&mut **tx, id).await?.ok_or(DomainError::NotFound)
}

/// The half-open range of path strings inside `p`: every descendant path starts
/// with `p` (which ends in `/`), and `/` + 1 is `0`.
pub fn path_range(p: &TerritoryPath) -> (String, String) {
    let lo = p.as_str().to_string();
    let hi = format!("{}0", &lo[..lo.len() - 1]);
    (lo, hi)
}

/// Every territory, in tree order (a deployment holds at most a few thousand).
pub async fn list_all<'e, E: Executor<'e, Database = Any>>(exec: E) -> DomainResult<Vec<Territory>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM territories ORDER BY path"))
        .fetch_all(exec)
        .await
        .or_internal()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_range_covers_descendants_only() {
        let p = TerritoryPath::root(1).child(5);
        let (lo, hi) = path_range(&p);
        for inside in ["/1/5/", "/1/5/7/", "/1/5/99/3/"] {
            assert!(inside >= lo.as_str() && inside < hi.as_str(), "{inside}");
        }
        for outside in ["/1/", "/1/51/", "/1/6/", "/1/4/"] {
            assert!(!(outside >= lo.as_str() && outside < hi.as_str()), "{outside}");
        }
    }
}
