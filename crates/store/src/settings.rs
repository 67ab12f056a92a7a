//! The settings an administrator keeps: the rulebook of deadlines (versioned),
//! the calendar of days off and transferred working days, and the DOCX
//! templates that replace the shipped ones.
//!
//! Security role: every change here moves deadlines or the wording of official
//! documents, so each operation asks `domain::policy` (`may_manage_settings`)
//! first, answers a refusal with a `permission_denied` row and `Forbidden`, and
//! writes its audit row in the same transaction as the change. The reads the
//! status procedure makes (`rulebooks`, `calendar`, `template_bytes`) are in
//! `rules`, below both.
//!
//! A change of the rulebook or the calendar re-derives the next due date of
//! every open procedure in the same transaction
//! (`procedures::recompute_open_deadlines`). Templates are checked and the
//! shipped defaults built by `documents::cases`.

use crate::access::{allowed, deny_page};
use crate::codes::Code;
use crate::error::OrInternal;
use crate::procedures::recompute_open_deadlines;
pub use crate::rules::{HOLIDAY, RulebookRow, WORKING};
use crate::rules::{rulebook_rows, template_bytes};
use crate::{Ctx, Db, Tx, audit, flag, forms};
use documents::cases::{TemplateKind, TemplateProblem, check_template};
use domain::audit::{AuditAction, SubjectKind};
use domain::deadline::{DayKind, Rulebook, RulebookForm};
use domain::policy::Actor;
use domain::validation::max_chars;
use domain::{DomainError, DomainResult, FieldErrors};
use jiff::civil::{Date, date};
use serde_json::json;
use sqlx::FromRow;

/// The day CMU resolution № 417 was adopted: the first rulebook version starts then.
pub const DEFAULT_RULEBOOK_FROM: Date = date(2012, 5, 23);

/// The note on the rulebook version [`ensure_default_rulebook`] puts in place.
pub const DEFAULT_RULEBOOK_NOTE: &str =
    "Типові строки з SPEC §4 — підлягають звірці з чинною редакцією постанови № 417";

/// The longest note on a rulebook version or a calendar day, in characters.
pub const MAX_NOTE_CHARS: usize = 500;

/// The largest template file accepted.
pub const MAX_TEMPLATE_BYTES: usize = 5 * 1024 * 1024;

/// The longest template file name kept, in characters.
const MAX_FILE_NAME_CHARS: usize = 200;

/// Whether the actor may open the settings pages (the navigation offers the link).
pub fn may_manage_settings(ctx: &Ctx) -> bool {
    allowed(ctx, Actor::may_manage_settings)
}

/// Refuses a settings page to anyone but an administrator, with a `permission_denied` row.
async fn guard(db: &Db, ctx: &Ctx, page: &str) -> DomainResult<()> {
    if may_manage_settings(ctx) {
        Ok(())
    } else {
        Err(deny_page(db, ctx, page).await)
    }
}

/// The settings index page: nothing to read, but a refusal is recorded all the same.
pub async fn open_settings(db: &Db, ctx: &Ctx) -> DomainResult<()> {
    guard(db, ctx, "settings").await
}

fn user_id(ctx: &Ctx) -> Option<i64> {
    ctx.actor().map(|a| a.user_id)
}

/// `YYYY-MM-DD` exactly (jiff would also take a date with a time).
fn strict_date(typed: &str) -> Option<Date> {
    let shaped = typed.len() == 10
        && typed.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if shaped { typed.parse().ok() } else { None }
}

// ---------------------------------------------------------------- the rulebook

/// Writes a version and its rules; returns its id.
async fn insert_rulebook(
    tx: &mut Tx,
    book: &Rulebook,
    note: Option<&str>,
    created_by: Option<i64>,
    now: i64,
) -> DomainResult<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO rulebooks (effective_from, skip_police_if_identified, certificate_months, note, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(book.effective_from.to_string())
    .bind(flag(book.skip_police_if_identified))
    .bind(i64::from(book.certificate_months))
    .bind(note)
    .bind(created_by)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .or_internal()?;
    for rule in &book.rules {
        sqlx::query("INSERT INTO rulebook_rules (rulebook_id, step, days) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(rule.step.as_str())
            .bind(i64::from(rule.days))
            .execute(&mut **tx)
            .await
            .or_internal()?;
    }
    Ok(id)
}

fn book_details(book: &Rulebook) -> serde_json::Value {
    let days: serde_json::Map<String, serde_json::Value> = book
        .rules
        .iter()
        .map(|r| (r.step.as_str().to_string(), json!(r.days)))
        .collect();
    json!({
        "effective_from": book.effective_from.to_string(),
        "days": days,
        "skip_police_if_identified": book.skip_police_if_identified,
        "certificate_months": book.certificate_months,
    })
}

/// Puts the default rulebook ([`Rulebook::defaults`] from [`DEFAULT_RULEBOOK_FROM`])
/// in place when there is no version at all. Idempotent: called at start-up.
pub async fn ensure_default_rulebook(db: &Db, now: i64) -> DomainResult<()> {
    let mut tx = db.begin().await.or_internal()?;
    let any: Option<i64> = sqlx::query_scalar("SELECT id FROM rulebooks LIMIT 1")
        .fetch_optional(&mut *tx)
        .await
        .or_internal()?;
    if any.is_some() {
        return tx.commit().await.or_internal();
    }
    let book = Rulebook::defaults(DEFAULT_RULEBOOK_FROM);
    let id = insert_rulebook(&mut tx, &book, Some(DEFAULT_RULEBOOK_NOTE), None, now).await?;
    let mut details = book_details(&book);
    details["default"] = json!(true);
    audit::record(
        &mut *tx,
        &Ctx::internal(now),
        AuditAction::RulebookCreated,
        Some((SubjectKind::Rulebook, id.to_string())),
        details,
    )
    .await?;
    tx.commit().await.or_internal()
}

/// Every version for the settings page, with note, author and time.
pub async fn list_rulebooks(db: &Db, ctx: &Ctx) -> DomainResult<Vec<RulebookRow>> {
    guard(db, ctx, "settings_rulebook").await?;
    rulebook_rows(db.pool()).await
}

/// Adds a rulebook version. Validation errors name the fields of the form
/// (`effective_from`, `days_<step>`, `certificate_months`, `note`); a second
/// version from the same day is refused on `effective_from`
/// (`err-rulebook-date-taken`): a correction is entered with its own date.
pub async fn create_rulebook(db: &Db, ctx: &Ctx, form: &RulebookForm, note: &str) -> DomainResult<i64> {
    guard(db, ctx, "settings_rulebook").await?;
    let note = note.trim();
    let validated = form.validate();
    let mut errors = validated.as_ref().err().cloned().unwrap_or_default();
    max_chars(&mut errors, "note", note, MAX_NOTE_CHARS);
    let (effective_from, rules, skip, months) = match validated {
        Ok(v) if errors.is_empty() => v,
        _ => return Err(errors.into()),
    };
    let book = Rulebook {
        id: 0,
        effective_from,
        rules,
        skip_police_if_identified: skip,
        certificate_months: months,
    };
    let mut tx = forms::begin(db, ctx).await?;
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM rulebooks WHERE effective_from = $1")
        .bind(effective_from.to_string())
        .fetch_optional(&mut *tx)
        .await
        .or_internal()?;
    if taken.is_some() {
        let mut e = FieldErrors::new();
        e.add("effective_from", "err-rulebook-date-taken");
        return Err(e.into());
    }
    let note = (!note.is_empty()).then_some(note);
    let id = insert_rulebook(&mut tx, &book, note, user_id(ctx), ctx.now).await?;
    audit::record(
        &mut *tx,
        ctx,
        AuditAction::RulebookCreated,
        Some((SubjectKind::Rulebook, id.to_string())),
        book_details(&book),
    )
    .await?;
    recompute_open_deadlines(&mut tx).await?;
    forms::commit(tx, ctx, id).await?;
    Ok(id)
}

// ---------------------------------------------------------------- the calendar

/// One stored calendar entry.
#[derive(Debug, Clone, FromRow)]
pub struct CalendarDayRow {
    /// `YYYY-MM-DD`.
    pub day: String,
    #[sqlx(try_from = "Code<DayKind>")]
    pub kind: DayKind,
    pub note: Option<String>,
    pub created_by: Option<String>,
    pub created_at: i64,
}

/// A calendar day as the administrator typed it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CalendarDayForm {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// [`HOLIDAY`] or [`WORKING`].
    pub kind: String,
    pub note: String,
}

impl CalendarDayForm {
    /// The day, its kind and the note; or errors on `day`, `kind`, `note`.
    /// A working-day mark is only for a Saturday or a Sunday (every other day
    /// is a working day already): `err-calendar-working-weekday`.
    pub fn validate(&self) -> Result<(Date, &'static str, Option<String>), FieldErrors> {
        let mut errors = FieldErrors::new();
        let typed = self.day.trim();
        let day = if typed.is_empty() {
            errors.add("day", "err-required");
            None
        } else {
            let d = strict_date(typed);
            if d.is_none() {
                errors.add("day", "err-date");
            }
            d
        };
        let kind = match self.kind.trim() {
            HOLIDAY => Some(HOLIDAY),
            WORKING => Some(WORKING),
            "" => {
                errors.add("kind", "err-required");
                None
            }
            _ => {
                errors.add("kind", "err-invalid-choice");
                None
            }
        };
        if let (Some(d), Some(WORKING)) = (day, kind)
            && !matches!(
                d.weekday(),
                jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
            )
        {
            errors.add("kind", "err-calendar-working-weekday");
        }
        let note = self.note.trim();
        max_chars(&mut errors, "note", note, MAX_NOTE_CHARS);
        match (day, kind) {
            (Some(d), Some(k)) if errors.is_empty() => {
                Ok((d, k, (!note.is_empty()).then(|| note.to_string())))
            }
            _ => Err(errors),
        }
    }
}

/// The stored days of one year, in date order.
pub async fn calendar_days(db: &Db, ctx: &Ctx, year: i16) -> DomainResult<Vec<CalendarDayRow>> {
    guard(db, ctx, "settings_calendar").await?;
    sqlx::query_as(
        "SELECT c.day, c.kind, c.note, u.full_name AS created_by, c.created_at FROM calendar_days c \
         LEFT JOIN users u ON u.id = c.created_by WHERE c.day >= $1 AND c.day <= $2 ORDER BY c.day",
    )
    .bind(format!("{year:04}-01-01"))
    .bind(format!("{year:04}-12-31"))
    .fetch_all(db.pool())
    .await
    .or_internal()
}

/// Marks a day as a holiday or a working day, or changes its mark or note. Returns the day.
pub async fn set_calendar_day(db: &Db, ctx: &Ctx, form: &CalendarDayForm) -> DomainResult<Date> {
    guard(db, ctx, "settings_calendar").await?;
    let (day, kind, note) = form.validate()?;
    let key = day.to_string();
    let mut tx = forms::begin(db, ctx).await?;
    let before: Option<String> = sqlx::query_scalar("SELECT kind FROM calendar_days WHERE day = $1")
        .bind(&key)
        .fetch_optional(&mut *tx)
        .await
        .or_internal()?;
    sqlx::query(
        "INSERT INTO calendar_days (day, kind, note, created_by, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, note = excluded.note, \
         created_by = excluded.created_by, created_at = excluded.created_at",
    )
    .bind(&key)
    .bind(kind)
    .bind(note.as_deref())
    .bind(user_id(ctx))
    .bind(ctx.now)
    .execute(&mut *tx)
    .await
    .or_internal()?;
    audit::record(
        &mut *tx,
        ctx,
        AuditAction::CalendarChanged,
        Some((SubjectKind::Calendar, key.clone())),
        json!({ "change": "set", "kind": kind, "before": before }),
    )
    .await?;
    recompute_open_deadlines(&mut tx).await?;
    forms::commit(tx, ctx, day.year()).await?;
    Ok(day)
}

/// Removes a day's mark (it becomes an ordinary weekday or weekend day again).
/// Removing a day that has no mark changes nothing and writes no audit row.
pub async fn remove_calendar_day(db: &Db, ctx: &Ctx, day: &str) -> DomainResult<Date> {
    guard(db, ctx, "settings_calendar").await?;
    let Some(d) = strict_date(day.trim()) else {
        let mut e = FieldErrors::new();
        e.add("day", "err-date");
        return Err(e.into());
    };
    let key = d.to_string();
    let mut tx = db.begin().await.or_internal()?;
    let before: Option<String> = sqlx::query_scalar("SELECT kind FROM calendar_days WHERE day = $1")
        .bind(&key)
        .fetch_optional(&mut *tx)
        .await
        .or_internal()?;
    if before.is_none() {
        tx.commit().await.or_internal()?;
        return Ok(d);
    }
    sqlx::query("DELETE FROM calendar_days WHERE day = $1")
        .bind(&key)
        .execute(&mut *tx)
        .await
        .or_internal()?;
    audit::record(
        &mut *tx,
        ctx,
        AuditAction::CalendarChanged,
        Some((SubjectKind::Calendar, key)),
        json!({ "change": "removed", "before": before }),
    )
    .await?;
    recompute_open_deadlines(&mut tx).await?;
    tx.commit().await.or_internal()?;
    Ok(d)
}

// ---------------------------------------------------------------- document templates

/// A template an administrator put in place of the shipped one (without its bytes).
#[derive(Debug, Clone, FromRow)]
pub struct TemplateRow {
    #[sqlx(try_from = "Code<TemplateKind>")]
    pub kind: TemplateKind,
    pub file_name: String,
    pub size: i64,
    pub uploaded_by: Option<String>,
    pub uploaded_at: i64,
}

/// A kind of template and, if an administrator replaced the shipped one, what replaced it.
#[derive(Debug, Clone)]
pub struct TemplateInfo {
    pub kind: TemplateKind,
    pub replaced: Option<TemplateRow>,
}

/// Every kind of template with what replaced the shipped one, if anything.
pub async fn template_info(db: &Db, ctx: &Ctx) -> DomainResult<Vec<TemplateInfo>> {
    guard(db, ctx, "settings_templates").await?;
    let rows: Vec<TemplateRow> = sqlx::query_as(
        "SELECT t.kind, t.file_name, LENGTH(t.bytes) AS size, u.full_name AS uploaded_by, t.uploaded_at \
         FROM document_templates t LEFT JOIN users u ON u.id = t.uploaded_by ORDER BY t.kind",
    )
    .fetch_all(db.pool())
    .await
    .or_internal()?;
    Ok(TemplateKind::ALL
        .into_iter()
        .map(|kind| TemplateInfo {
            kind,
            replaced: rows.iter().find(|r| r.kind == kind).cloned(),
        })
        .collect())
}

/// The template in use for `kind`, for the administrator's download (see [`template_bytes`]).
pub async fn download_template(db: &Db, ctx: &Ctx, kind: TemplateKind) -> DomainResult<(Vec<u8>, bool)> {
    guard(db, ctx, "settings_templates").await?;
    template_bytes(db.pool(), kind).await
}

/// Why [`replace_template`] did not replace.
#[derive(Debug)]
pub enum TemplateError {
    /// Refused, not found, a field error (`file`: `err-required`,
    /// `err-template-too-big`) or a storage failure.
    Domain(DomainError),
    /// The file is not a template of this kind; [`problem_message`] says why in words.
    Refused(TemplateProblem),
}

impl From<DomainError> for TemplateError {
    fn from(e: DomainError) -> Self {
        TemplateError::Domain(e)
    }
}

/// The message id for a refused template, and the placeholder it is about
/// (as the message's `$name`, braces included).
pub fn problem_message(p: &TemplateProblem) -> (&'static str, Option<String>) {
    match p {
        TemplateProblem::NotDocx => ("err-template-not-docx", None),
        TemplateProblem::UnknownPlaceholder(written) => {
            ("err-template-unknown-placeholder", Some(written.clone()))
        }
        TemplateProblem::MissingPlaceholder(name) => (
            "err-template-missing-placeholder",
            Some(format!("{{{{{name}}}}}")),
        ),
        TemplateProblem::TooLarge(_) => ("err-template-unpacks-too-large", None),
    }
}

/// Puts an uploaded template in place of the current one for `kind`.
///
/// Order: permission (refusals audited), then the file's size, then
/// [`check_template`] (a DOCX with only known placeholders and the required
/// ones), and only then the write with its audit row.
pub async fn replace_template(
    db: &Db,
    ctx: &Ctx,
    kind: TemplateKind,
    file_name: &str,
    bytes: &[u8],
) -> Result<(), TemplateError> {
    guard(db, ctx, "settings_templates").await?;
    let mut e = FieldErrors::new();
    if bytes.is_empty() {
        e.add("file", "err-required");
    } else if bytes.len() > MAX_TEMPLATE_BYTES {
        e.add("file", "err-template-too-big");
    }
    if !e.is_empty() {
        return Err(DomainError::Validation(e).into());
    }
    let copy = bytes.to_vec();
    crate::blocking::run(move || check_template(kind, &copy))
        .await?
        .map_err(TemplateError::Refused)?;
    let uploader = user_id(ctx).ok_or(DomainError::Forbidden)?;
    let mut name: String = file_name.trim().chars().take(MAX_FILE_NAME_CHARS).collect();
    if name.is_empty() {
        name = format!("{}.docx", kind.as_str());
    }
    let mut tx = forms::begin(db, ctx).await?;
    let before: Option<String> = sqlx::query_scalar("SELECT kind FROM document_templates WHERE kind = $1")
        .bind(kind.as_str())
        .fetch_optional(&mut *tx)
        .await
        .or_internal()?;
    sqlx::query(
        "INSERT INTO document_templates (kind, file_name, bytes, uploaded_by, uploaded_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kind) DO UPDATE SET file_name = excluded.file_name, \
         bytes = excluded.bytes, uploaded_by = excluded.uploaded_by, uploaded_at = excluded.uploaded_at",
    )
    .bind(kind.as_str())
    .bind(&name)
    .bind(bytes.to_vec())
    .bind(uploader)
    .bind(ctx.now)
    .execute(&mut *tx)
    .await
    .or_internal()?;
    audit::record(
        &mut *tx,
        ctx,
        AuditAction::TemplateReplaced,
        Some((SubjectKind::Template, kind.as_str().to_string())),
        json!({ "size": bytes.len(), "replaced_upload": before.is_some() }),
    )
    .await?;
    forms::commit(tx, ctx, kind.as_str()).await?;
    Ok(())
}

/// Goes back to the shipped template for `kind`. Nothing to reset: no change, no audit row.
pub async fn reset_template(db: &Db, ctx: &Ctx, kind: TemplateKind) -> DomainResult<()> {
    guard(db, ctx, "settings_templates").await?;
    let mut tx = db.begin().await.or_internal()?;
    let done = sqlx::query("DELETE FROM document_templates WHERE kind = $1")
        .bind(kind.as_str())
        .execute(&mut *tx)
        .await
        .or_internal()?;
    if done.rows_affected() > 0 {
        audit::record(
            &mut *tx,
            ctx,
            AuditAction::TemplateReset,
            Some((SubjectKind::Template, kind.as_str().to_string())),
            json!({}),
        )
        .await?;
    }
    tx.commit().await.or_internal()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_s_kinds_are_the_stored_codes() {
        assert_eq!(
            [HOLIDAY, WORKING],
            [DayKind::Holiday.as_str(), DayKind::Working.as_str()]
        );
    }

    fn form(day: &str, kind: &str) -> CalendarDayForm {
        CalendarDayForm {
            day: day.into(),
            kind: kind.into(),
            note: String::new(),
        }
    }

    #[test]
    fn a_calendar_day_needs_a_date_and_a_kind() {
        let e = form("", "").validate().unwrap_err();
        assert_eq!(e.get("day"), Some("err-required"));
        assert_eq!(e.get("kind"), Some("err-required"));
        let e = form("24.08.2026", "day_off").validate().unwrap_err();
        assert_eq!(e.get("day"), Some("err-date"));
        assert_eq!(e.get("kind"), Some("err-invalid-choice"));
        assert_eq!(
            form("2026-02-30", HOLIDAY).validate().unwrap_err().get("day"),
            Some("err-date")
        );
        let (d, k, note) = form(" 2026-08-24 ", HOLIDAY).validate().unwrap();
        assert_eq!((d, k, note), (date(2026, 8, 24), HOLIDAY, None));
    }

    #[test]
    fn a_working_day_mark_is_for_weekends_only() {
        // Mon 24 August 2026.
        let e = form("2026-08-24", WORKING).validate().unwrap_err();
        assert_eq!(e.get("kind"), Some("err-calendar-working-weekday"));
        // Sat 29 August 2026.
        assert!(form("2026-08-29", WORKING).validate().is_ok());
    }

    #[test]
    fn a_long_note_is_refused() {
        let mut f = form("2026-08-24", HOLIDAY);
        f.note = "я".repeat(MAX_NOTE_CHARS + 1);
        assert_eq!(f.validate().unwrap_err().get("note"), Some("err-too-long"));
    }
}
