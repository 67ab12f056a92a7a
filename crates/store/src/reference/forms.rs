//! The forms of exploitation and the kinds of need (reference lists loaded at migration).

use crate::Db;
use crate::error::OrInternal;
use domain::{DomainError, DomainResult};
use sqlx::{Any, Executor, FromRow};

/// A form of exploitation from the reference list.
#[derive(Debug, Clone, FromRow)]
pub struct ExploitationForm {
    pub code: String,
    pub name_uk: String,
    pub name_en: String,
}

impl ExploitationForm {
    pub fn name(&self, lang: &str) -> &str {
        crate::localized(lang, &self.name_uk, &self.name_en)
    }
}

pub const EXPLOITATION_FORMS_CSV: &str = include_str!("../../../../data/reference/exploitation_forms.csv");

/// The kinds of need a needs assessment chooses from.
pub const NEED_KINDS_CSV: &str = include_str!("../../../../data/reference/need_kinds.csv");

/// Loads the reference list of forms of exploitation (idempotent; new codes
/// are added, names refreshed).
pub async fn ensure_reference(db: &Db) -> DomainResult<()> {
    let mut tx = db.begin().await.or_internal()?;
    load_list(&mut tx, "exploitation_forms", EXPLOITATION_FORMS_CSV).await?;
    tx.commit().await.or_internal()
}

/// Loads the reference list of kinds of need (migration 0007 and later).
pub async fn ensure_need_kinds(db: &Db) -> DomainResult<()> {
    let mut tx = db.begin().await.or_internal()?;
    load_list(&mut tx, "need_kinds", NEED_KINDS_CSV).await?;
    tx.commit().await.or_internal()
}

/// One list of `code,name_uk,name_en` rows into `table` (a constant above).
async fn load_list(tx: &mut crate::Tx, table: &'static str, csv_text: &str) -> DomainResult<()> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    for (i, r) in reader.records().enumerate() {
        let r = r.map_err(|e| DomainError::Internal(format!("{table}: {e}")))?;
        let (code, uk, en) = (
            r.get(0).unwrap_or(""),
            r.get(1).unwrap_or(""),
            r.get(2).unwrap_or(""),
        );
        let exists: Option<(String,)> = sqlx::query_as(&format!("SELECT code FROM {table} WHERE code = $1"))
            .bind(code)
            .fetch_optional(&mut **tx)
            .await
            .or_internal()?;
        let sql = if exists.is_some() {
            format!("UPDATE {table} SET name_uk = $2, name_en = $3, position = $4 WHERE code = $1")
        } else {
            format!("INSERT INTO {table} (code, name_uk, name_en, position) VALUES ($1, $2, $3, $4)")
        };
        sqlx::query(&sql)
            .bind(code)
            .bind(uk)
            .bind(en)
            .bind(i as i64)
            .execute(&mut **tx)
            .await
            .or_internal()?;
    }
    Ok(())
}

pub async fn exploitation_forms<'e, E: Executor<'e, Database = Any>>(
    exec: E,
) -> DomainResult<Vec<ExploitationForm>> {
    sqlx::query_as("SELECT code, name_uk, name_en FROM exploitation_forms ORDER BY position")
        .fetch_all(exec)
        .await
        .or_internal()
}

/// The kinds of need of an assessment, in their listed order (same shape as a form).
pub async fn need_kinds<'e, E: Executor<'e, Database = Any>>(exec: E) -> DomainResult<Vec<ExploitationForm>> {
    sqlx::query_as("SELECT code, name_uk, name_en FROM need_kinds ORDER BY position")
        .fetch_all(exec)
        .await
        .or_internal()
}
