//! Organisations: the directory every signed-in user can browse, kept by administrators.

use crate::codes::Code;
use crate::error::{OrInternal, keys, violates};
use crate::reference::territories::path_range;
use domain::organisation::{BodyKind, OrgKind, OrganisationInput, sort_key};
use domain::territory::TerritoryPath;
use domain::{DomainError, DomainResult, FieldErrors};
use sqlx::{Any, Executor, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct Organisation {
    pub id: i64,
    pub name: String,
    pub name_key: String,
    pub short_name: Option<String>,
    #[sqlx(try_from = "Code<OrgKind>")]
    pub kind: OrgKind,
    pub territory_id: i64,
    pub territory_path: String,
    pub territory_name_uk: String,
    pub territory_name_en: String,
    pub edrpou: Option<String>,
    #[sqlx(try_from = "i64")]
    pub by_consent: crate::Flag,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    #[sqlx(try_from = "i64")]
    pub public_listing: crate::Flag,
    pub public_offer: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
}

impl Organisation {
    pub fn path(&self) -> DomainResult<TerritoryPath> {
        TerritoryPath::parse(&self.territory_path).ok_or_else(|| DomainError::Internal("org path".into()))
    }

    pub fn territory_name(&self, lang: &str) -> &str {
        crate::localized(lang, &self.territory_name_uk, &self.territory_name_en)
    }
}

const SELECT: &str = "SELECT o.id, o.name, o.name_key, o.short_name, o.kind, o.territory_id, o.territory_path, \
    t.name_uk AS territory_name_uk, t.name_en AS territory_name_en, o.edrpou, o.by_consent, o.email, o.phone, \
    o.address, o.public_listing, o.public_offer, o.created_at, o.updated_at, o.version \
    FROM organisations o JOIN territories t ON t.id = o.territory_id";

pub async fn get<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    id: i64,
) -> DomainResult<Option<Organisation>> {
    sqlx::query_as(&format!("{SELECT} WHERE o.id = $1"))
        .bind(id)
        .fetch_optional(exec)
        .await
        .or_internal()
}

pub async fn find_by_name<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    name: &str,
) -> DomainResult<Option<Organisation>> {
    sqlx::query_as(&format!("{SELECT} WHERE o.name_key = $1"))
        .bind(sort_key(name))
        .fetch_optional(exec)
        .await
        .or_internal()
}

/// The organisation a person names on the command line: by its short name or
/// its full name as written; the oldest when several match.
pub async fn find_by_any_name<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    name: &str,
) -> DomainResult<Option<Organisation>> {
    sqlx::query_as(&format!("{SELECT} WHERE o.short_name = $1 OR o.name = $1 ORDER BY o.id LIMIT 1"))
        .bind(name)
        .fetch_optional(exec)
        .await
        .or_internal()
}

/// The member organisations of a council or group, by name (one query).
pub async fn members_of_body<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    body_id: i64,
) -> DomainResult<Vec<Organisation>> {
    sqlx::query_as(&format!(
        "{SELECT} WHERE o.id IN (SELECT org_id FROM body_members WHERE body_id = $1) ORDER BY o.name_key"
    ))
    .bind(body_id)
    .fetch_all(exec)
    .await
    .or_internal()
}

/// What a line of the directory shows: fewer columns than [`Organisation`], because
/// every value is copied out of the database and a page holds fifty lines.
#[derive(Debug, Clone, FromRow)]
pub struct OrgListRow {
    pub id: i64,
    pub name: String,
    pub name_key: String,
    pub short_name: Option<String>,
    #[sqlx(try_from = "Code<OrgKind>")]
    pub kind: OrgKind,
    pub territory_name_uk: String,
    pub territory_name_en: String,
    pub edrpou: Option<String>,
    #[sqlx(try_from = "i64")]
    pub by_consent: crate::Flag,
}

impl OrgListRow {
    pub fn territory_name(&self, lang: &str) -> &str {
        crate::localized(lang, &self.territory_name_uk, &self.territory_name_en)
    }
}

pub const LIST_SELECT: &str = "SELECT o.id, o.name, o.name_key, o.short_name, o.kind, t.name_uk AS territory_name_uk, \
    t.name_en AS territory_name_en, o.edrpou, o.by_consent FROM organisations o JOIN territories t ON t.id = o.territory_id";

#[derive(Debug, Clone, Default)]
pub struct OrgFilter {
    pub kind: Option<String>,
    pub within: Option<TerritoryPath>,
    /// Part of the name or short name, any case.
    pub text: Option<String>,
    /// Keyset: organisations whose sort key comes after this one.
    pub after_key: Option<String>,
}

/// One page of organisations in name order; reads `limit + 1` rows to know whether more follow.
pub async fn list<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    f: &OrgFilter,
    limit: i64,
) -> DomainResult<(Vec<OrgListRow>, bool)> {
    let mut sql = format!("{LIST_SELECT} WHERE 1 = 1");
    let mut binds: Vec<String> = Vec::new();
    let mut push = |sql: &mut String, cond: &str, v: String| {
        binds.push(v);
        *sql += &cond.replace('?', &format!("${}", binds.len()));
    };
    if let Some(k) = &f.kind {
        push(&mut sql, " AND o.kind = ?", k.clone());
    }
    if let Some(p) = &f.within {
        let (lo, hi) = path_range(p);
        push(&mut sql, " AND o.territory_path >= ?", lo);
        push(&mut sql, " AND o.territory_path < ?", hi);
    }
    if let Some(t) = &f.text {
        let needle = format!("%{}%", escape_like(&sort_key(t)));
        push(&mut sql, " AND o.search_key LIKE ? ESCAPE '\\'", needle);
    }
    if let Some(a) = &f.after_key {
        push(&mut sql, " AND o.name_key > ?", a.clone());
    }
    sql += &format!(" ORDER BY o.name_key LIMIT {}", limit + 1);
    let mut q = sqlx::query_as::<_, OrgListRow>(&sql);
    for b in binds {
        q = q.bind(b);
    }
    let mut rows = q.fetch_all(exec).await.or_internal()?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    Ok((rows, more))
}

/// Name and short name together, for "contains" search in any case.
fn search_key(o: &OrganisationInput) -> String {
    sort_key(&format!("{} {}", o.name, o.short_name.as_deref().unwrap_or("")))
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// A name or EDRPOU already in use as its field's error; any other failure
/// (another unique constraint too) as `Internal`.
fn map_unique(e: sqlx::Error) -> DomainError {
    let field = if violates(&e, &keys::ORGANISATIONS_EDRPOU) {
        ("edrpou", "err-edrpou-taken")
    } else if violates(&e, &keys::ORGANISATIONS_NAME) {
        ("name", "err-name-taken")
    } else {
        return crate::error::internal(e);
    };
    let mut errors = FieldErrors::new();
    errors.add(field.0, field.1);
    DomainError::Validation(errors)
}

/// Inserts an organisation; a name or EDRPOU already in use is a field error.
pub async fn insert(
    tx: &mut crate::Tx,
    o: &OrganisationInput,
    territory_path: &TerritoryPath,
    now: i64,
) -> DomainResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO organisations (name, name_key, short_name, kind, territory_id, territory_path, edrpou, by_consent, \
         email, phone, address, created_at, updated_at, search_key, public_listing, public_offer) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14, $15) RETURNING id",
    )
    .bind(o.name.clone())
    .bind(sort_key(&o.name))
    .bind(o.short_name.clone())
    .bind(o.kind.as_str())
    .bind(o.territory_id)
    .bind(territory_path.as_str())
    .bind(o.edrpou.as_ref().map(|e| e.to_string()))
    .bind(crate::flag(o.by_consent))
    .bind(o.email.clone())
    .bind(o.phone.clone())
    .bind(o.address.clone())
    .bind(now)
    .bind(search_key(o))
    .bind(crate::flag(o.public_listing))
    .bind(o.public_offer.clone())
    .fetch_one(&mut **tx)
    .await
    .map_err(map_unique)?;
    Ok(id)
}

/// Updates an organisation if nobody changed it since `version` was read.
pub async fn update(
    tx: &mut crate::Tx,
    id: i64,
    version: i64,
    o: &OrganisationInput,
    territory_path: &TerritoryPath,
    now: i64,
) -> DomainResult<()> {
    let done = sqlx::query(
        "UPDATE organisations SET name = $1, name_key = $2, short_name = $3, kind = $4, territory_id = $5, \
         territory_path = $6, edrpou = $7, by_consent = $8, email = $9, phone = $10, address = $11, updated_at = $12, \
         version = version + 1, search_key = $15, public_listing = $16, public_offer = $17 WHERE id = $13 AND version = $14",
    )
    .bind(o.name.clone())
    .bind(sort_key(&o.name))
    .bind(o.short_name.clone())
    .bind(o.kind.as_str())
    .bind(o.territory_id)
    .bind(territory_path.as_str())
    .bind(o.edrpou.as_ref().map(|e| e.to_string()))
    .bind(crate::flag(o.by_consent))
    .bind(o.email.clone())
    .bind(o.phone.clone())
    .bind(o.address.clone())
    .bind(now)
    .bind(id)
    .bind(version)
    .bind(search_key(o))
    .bind(crate::flag(o.public_listing))
    .bind(o.public_offer.clone())
    .execute(&mut **tx)
    .await
    .map_err(map_unique)?;
    if done.rows_affected() == 0 {
        return Err(DomainError::Conflict("organisation changed"));
    }
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct BodyRow {
    pub id: i64,
    #[sqlx(try_from = "Code<BodyKind>")]
    pub kind: BodyKind,
    pub name: String,
    pub territory_id: i64,
}

/// The coordination councils and multidisciplinary groups an organisation belongs to.
pub async fn bodies_of<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    org_id: i64,
) -> DomainResult<Vec<BodyRow>> {
    sqlx::query_as(
        "SELECT b.id, b.kind, b.name, b.territory_id FROM bodies b JOIN body_members m ON m.body_id = b.id \
         WHERE m.org_id = $1 ORDER BY b.name",
    )
    .bind(org_id)
    .fetch_all(exec)
    .await
    .or_internal()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(escape_like("50%_a\\"), "50\\%\\_a\\\\");
    }
}

/// One organisation of the public directory of help: what a visitor may
/// read, and nothing else (no id, no EDRPOU, no members).
#[derive(Debug, Clone, FromRow)]
pub struct PublicHelp {
    pub name: String,
    #[sqlx(try_from = "Code<OrgKind>")]
    pub kind: OrgKind,
    pub territory_path: String,
    pub territory_name_uk: String,
    pub territory_name_en: String,
    pub public_offer: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
}

impl PublicHelp {
    pub fn territory_name(&self, lang: &str) -> &str {
        crate::localized(lang, &self.territory_name_uk, &self.territory_name_en)
    }
}

/// The listed organisations within `within` (all when `None`), by territory
/// then name, at most `limit` (the partial index `organisations_public`).
pub async fn public_listed<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    within: Option<&TerritoryPath>,
    limit: i64,
) -> DomainResult<Vec<PublicHelp>> {
    let (lo, hi) = within.map(path_range).unwrap_or_else(|| (String::new(), "\u{10ffff}".into()));
    sqlx::query_as(
        "SELECT o.name, o.kind, o.territory_path, t.name_uk AS territory_name_uk, t.name_en AS territory_name_en, \
         o.public_offer, o.phone, o.email, o.address FROM organisations o JOIN territories t ON t.id = o.territory_id \
         WHERE o.public_listing = 1 AND o.territory_path >= $1 AND o.territory_path < $2 \
         ORDER BY o.territory_path, o.name_key LIMIT $3",
    )
    .bind(lo)
    .bind(hi)
    .bind(limit)
    .fetch_all(exec)
    .await
    .or_internal()
}
