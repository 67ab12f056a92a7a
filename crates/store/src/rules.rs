//! What the status procedure reads from the settings: the rulebook versions
//! of deadlines, the calendar of days off and the document template in use.
//!
//! These reads take an executor and check nothing: deadlines are computed
//! from them for every case, and their callers check their own permission.
//! They sit below both the procedures, which read them, and the settings,
//! which change them and then re-derive the procedures' deadlines, so neither
//! of those imports the other in a circle.

use crate::codes::{self, OptCode};
use crate::dates::parse_date;
use crate::error::OrInternal;
use documents::cases::{TemplateKind, default_template};
use domain::deadline::{Calendar, DayKind, Rule, Rulebook, Step};
use domain::{DomainError, DomainResult};
use sqlx::{Any, Executor, FromRow};

/// A rulebook version with what the settings page shows beside it.
#[derive(Debug, Clone)]
pub struct RulebookRow {
    pub book: Rulebook,
    pub note: Option<String>,
    /// The full name of the administrator who entered it (none for the default).
    pub created_by: Option<String>,
    pub created_at: i64,
}

/// One line of the rulebook join: a version's columns and one of its rules.
#[derive(FromRow)]
struct BookLine {
    id: i64,
    effective_from: String,
    skip_police_if_identified: i64,
    certificate_months: i64,
    note: Option<String>,
    created_by: Option<String>,
    created_at: i64,
    #[sqlx(try_from = "OptCode<Step>")]
    step: Option<Step>,
    days: Option<i64>,
}

/// Every version with its rules, ordered by `effective_from`, then id: one query.
pub(crate) async fn rulebook_rows<'e, E: Executor<'e, Database = Any>>(exec: E) -> DomainResult<Vec<RulebookRow>> {
    let lines: Vec<BookLine> = sqlx::query_as(
        "SELECT b.id, b.effective_from, b.skip_police_if_identified, b.certificate_months, b.note, \
         u.full_name AS created_by, b.created_at, r.step, r.days FROM rulebooks b \
         LEFT JOIN users u ON u.id = b.created_by LEFT JOIN rulebook_rules r ON r.rulebook_id = b.id \
         ORDER BY b.effective_from, b.id",
    )
    .fetch_all(exec)
    .await
    .or_internal()?;
    let mut rows: Vec<RulebookRow> = Vec::new();
    for l in lines {
        if rows.last().is_none_or(|r| r.book.id != l.id) {
            rows.push(RulebookRow {
                book: Rulebook {
                    id: l.id,
                    effective_from: parse_date(&l.effective_from)?,
                    rules: Vec::new(),
                    skip_police_if_identified: l.skip_police_if_identified != 0,
                    certificate_months: i32::try_from(l.certificate_months)
                        .map_err(|_| DomainError::Internal("certificate months".into()))?,
                },
                note: l.note,
                created_by: l.created_by,
                created_at: l.created_at,
            });
        }
        let (Some(step), Some(days), Some(row)) = (l.step, l.days, rows.last_mut()) else {
            continue;
        };
        let days = i32::try_from(days).map_err(|_| DomainError::Internal("rule days".into()))?;
        row.book.rules.push(Rule { step, days });
    }
    for r in &mut rows {
        r.book.rules.sort_by_key(|rule| rule.step);
    }
    Ok(rows)
}

/// All rulebook versions with their rules, ordered by `effective_from`, then id.
/// No permission check: deadlines are computed from them for every case.
pub async fn rulebooks<'e, E: Executor<'e, Database = Any>>(exec: E) -> DomainResult<Vec<Rulebook>> {
    Ok(rulebook_rows(exec).await?.into_iter().map(|r| r.book).collect())
}

/// A calendar entry's kind as stored ([`DayKind`]'s codes).
pub const HOLIDAY: &str = "holiday";

pub const WORKING: &str = "working";

/// The calendar of days off: weekends plus the holidays and transferred working days stored.
/// No permission check: deadlines are computed from it for every case.
pub async fn calendar<'e, E: Executor<'e, Database = Any>>(exec: E) -> DomainResult<Calendar> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT day, kind FROM calendar_days")
        .fetch_all(exec)
        .await
        .or_internal()?;
    let mut holidays = Vec::new();
    let mut working = Vec::new();
    for (day, kind) in rows {
        let d = parse_date(&day)?;
        match codes::decode::<DayKind>(&kind)? {
            DayKind::Holiday => holidays.push(d),
            DayKind::Working => working.push(d),
        }
    }
    Ok(Calendar::new(holidays, working))
}

/// The template in use for `kind`: the stored one (`true`) or the shipped default (`false`).
/// No permission check: the certificate and letter downloads check their own.
pub async fn template_bytes<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    kind: TemplateKind,
) -> DomainResult<(Vec<u8>, bool)> {
    let stored: Option<Vec<u8>> = sqlx::query_scalar("SELECT bytes FROM document_templates WHERE kind = $1")
        .bind(kind.as_str())
        .fetch_optional(exec)
        .await
        .or_internal()?;
    match stored {
        Some(bytes) => Ok((bytes, true)),
        None => default_template(kind).map(|b| (b, false)).map_err(|e| {
            tracing::error!(error = %e, kind = kind.as_str(), "the shipped template could not be built");
            DomainError::Internal("default template".into())
        }),
    }
}
