//! The rules deadlines are counted by: the rulebook of deadlines (a new
//! version takes effect from its date) and the calendar of days off and
//! working days.

use super::DoneQuery;
use crate::context::SignedIn;
use crate::error::AppResult;
use crate::form::{self, see_other};
use crate::i18n::Tr;
use crate::state::AppState;
use crate::views::{Chrome, Errors, datetime, render};
use askama::Template;
use axum::extract::{Query, State};
use axum_extra::extract::Form;
use domain::FieldErrors;
use domain::deadline::{Rulebook, RulebookForm, Step, in_force};
use jiff::civil::Date;
use serde::Deserialize;
use store::dates::kyiv_date;
use store::settings::{self, CalendarDayForm, HOLIDAY, WORKING};

const RULEBOOK_FIELDS: &[&str] = &[
    "effective_from",
    "days_interview",
    "days_police_request",
    "days_police_reply",
    "days_decision",
    "days_notification",
    "skip_police_if_identified",
    "certificate_months",
    "note",
];
const CALENDAR_FIELDS: &[&str] = &["day", "kind", "note"];

/// The years the calendar page moves between.
const YEARS: std::ops::RangeInclusive<i16> = 2000..=2100;

// ---------------------------------------------------------------- helpers

/// `2012-05-23` → `23.05.2012`.
fn dmy(d: Date) -> String {
    d.strftime("%d.%m.%Y").to_string()
}

fn step_name(tr: &Tr, step: Step) -> String {
    tr.t(&format!("settings-step-{}", step.as_str()))
}

/// "Who, when" of a stored setting; the system when nobody is named.
fn entered(tr: &Tr, who: Option<&str>, at: i64) -> String {
    let who = who.map_or_else(|| tr.t("settings-system-author"), str::to_string);
    format!("{who}, {}", datetime(at))
}

// ---------------------------------------------------------------- the rulebook

/// One version as a table row.
pub struct VersionView {
    pub id: i64,
    pub effective_from: String,
    pub days: Vec<String>,
    pub identified: String,
    pub months: i32,
    pub note: String,
    pub entered: String,
    pub in_force: bool,
    pub upcoming: bool,
}

/// One step's days on the form.
pub struct DaysField {
    pub field: &'static str,
    pub label: String,
    pub value: String,
}

/// The new-version form as typed.
#[derive(Default)]
struct RulebookTyped {
    form: RulebookForm,
    note: String,
}

impl RulebookTyped {
    /// Reads the posted pairs: `days_<step>` fields go into the form's map by step.
    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut t = RulebookTyped::default();
        for (k, v) in pairs {
            match k.as_str() {
                "effective_from" => t.form.effective_from = v,
                "certificate_months" => t.form.certificate_months = v,
                "skip_police_if_identified" => t.form.skip_police_if_identified = !v.is_empty(),
                "note" => t.note = v,
                other => {
                    if let Some(step) = other.strip_prefix("days_").and_then(Step::parse) {
                        t.form.days.insert(step.as_str().to_string(), v);
                    }
                }
            }
        }
        t
    }

    /// The form prefilled from a version (the date left for the administrator).
    fn from_book(book: &Rulebook) -> Self {
        RulebookTyped {
            form: RulebookForm {
                effective_from: String::new(),
                days: book
                    .rules
                    .iter()
                    .map(|r| (r.step.as_str().to_string(), r.days.to_string()))
                    .collect(),
                skip_police_if_identified: book.skip_police_if_identified,
                certificate_months: book.certificate_months.to_string(),
            },
            note: String::new(),
        }
    }
}

#[derive(Template)]
#[template(path = "settings_rulebook.html")]
struct RulebookPage {
    c: Chrome,
    steps: Vec<String>,
    versions: Vec<VersionView>,
    days: Vec<DaysField>,
    effective_from: String,
    skip: bool,
    months: String,
    note: String,
    errors: Errors,
    flash: String,
}

async fn rulebook_page(
    state: &AppState,
    s: &SignedIn,
    typed: Option<RulebookTyped>,
    errors: FieldErrors,
    flash: String,
) -> AppResult {
    let rows = settings::list_rulebooks(&state.db, &s.ctx.store_ctx()).await?;
    let c = Chrome::new(state, &s.ctx);
    let tr = c.tr.clone();
    let today = kyiv_date(s.ctx.now);
    let books: Vec<Rulebook> = rows.iter().map(|r| r.book.clone()).collect();
    let current = in_force(&books, today).cloned();
    let current_id = current.as_ref().map(|b| b.id);
    let versions = rows
        .iter()
        .rev()
        .map(|r| VersionView {
            id: r.book.id,
            effective_from: dmy(r.book.effective_from),
            days: Step::ALL
                .iter()
                .map(|step| {
                    r.book
                        .days(*step)
                        .map_or_else(|| "—".to_string(), |d| d.to_string())
                })
                .collect(),
            identified: tr.t(if r.book.skip_police_if_identified {
                "yes"
            } else {
                "no"
            }),
            months: r.book.certificate_months,
            note: r.note.clone().unwrap_or_default(),
            entered: entered(&tr, r.created_by.as_deref(), r.created_at),
            in_force: Some(r.book.id) == current_id,
            upcoming: r.book.effective_from > today,
        })
        .collect();
    let typed = typed
        .unwrap_or_else(|| RulebookTyped::from_book(&current.unwrap_or_else(|| Rulebook::defaults(today))));
    let days = Step::ALL
        .iter()
        .map(|step| DaysField {
            field: step.days_field(),
            label: tr.t1("settings-field-days", "step", step_name(&tr, *step)),
            value: typed.form.days.get(step.as_str()).cloned().unwrap_or_default(),
        })
        .collect();
    let errors = Errors::new(&tr, errors).in_order(RULEBOOK_FIELDS);
    Ok(render(
        errors.status(),
        &RulebookPage {
            steps: Step::ALL.iter().map(|step| step_name(&tr, *step)).collect(),
            versions,
            days,
            effective_from: typed.form.effective_from,
            skip: typed.form.skip_police_if_identified,
            months: typed.form.certificate_months,
            note: typed.note,
            errors,
            flash,
            c,
        },
    ))
}

pub async fn show_rulebook(
    State(state): State<AppState>,
    s: SignedIn,
    Query(q): Query<DoneQuery>,
) -> AppResult {
    let flash = if q.done == "created" {
        Tr::new(state.i18n.clone(), s.ctx.lang).t("settings-flash-rulebook")
    } else {
        String::new()
    };
    rulebook_page(&state, &s, None, FieldErrors::new(), flash).await
}

pub async fn add_rulebook_version(
    State(state): State<AppState>,
    s: SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult {
    let typed = RulebookTyped::from_pairs(pairs);
    form::submit(
        &s,
        "/settings/rulebook?done=created",
        async |ctx| settings::create_rulebook(&state.db, &ctx, &typed.form, &typed.note).await,
        async |again| {
            let typed = RulebookTyped {
                form: typed.form.clone(),
                note: typed.note.clone(),
            };
            rulebook_page(&state, &s, Some(typed), again.invalid()?, String::new()).await
        },
    )
    .await
}

// ---------------------------------------------------------------- the calendar

/// One marked day as a table row.
pub struct DayView {
    pub day: String,
    pub shown: String,
    pub weekday: String,
    pub holiday: bool,
    pub kind: String,
    pub note: String,
    pub entered: String,
}

#[derive(Template)]
#[template(path = "settings_calendar.html")]
struct CalendarPage {
    c: Chrome,
    year: i16,
    /// Neighbouring years to move to.
    years: Vec<i16>,
    days: Vec<DayView>,
    kinds: Vec<(&'static str, String)>,
    form: CalendarDayForm,
    errors: Errors,
    flash: String,
}

#[derive(Deserialize, Default)]
pub struct CalendarQuery {
    #[serde(default)]
    year: String,
    #[serde(default)]
    done: String,
}

/// The year asked for, or this year (Kyiv) when none or nonsense.
fn year_of(typed: &str, now: i64) -> i16 {
    typed
        .trim()
        .parse::<i16>()
        .ok()
        .filter(|y| YEARS.contains(y))
        .unwrap_or_else(|| kyiv_date(now).year())
}

async fn calendar_page(
    state: &AppState,
    s: &SignedIn,
    year: i16,
    form: CalendarDayForm,
    errors: FieldErrors,
    flash: String,
) -> AppResult {
    let rows = settings::calendar_days(&state.db, &s.ctx.store_ctx(), year).await?;
    let c = Chrome::new(state, &s.ctx);
    let tr = c.tr.clone();
    let days = rows
        .into_iter()
        .map(|r| {
            let parsed = r.day.parse::<Date>().ok();
            let holiday = r.kind.as_str() == HOLIDAY;
            DayView {
                shown: parsed.map_or_else(|| r.day.clone(), dmy),
                weekday: parsed
                    .map(|d| {
                        tr.t(&format!(
                            "settings-weekday-{}",
                            d.weekday().to_monday_one_offset()
                        ))
                    })
                    .unwrap_or_default(),
                kind: tr.t(if holiday {
                    "settings-kind-holiday"
                } else {
                    "settings-kind-working"
                }),
                holiday,
                day: r.day,
                note: r.note.unwrap_or_default(),
                entered: entered(&tr, r.created_by.as_deref(), r.created_at),
            }
        })
        .collect();
    let years = (year - 1..=year + 2)
        .filter(|y| *y != year && YEARS.contains(y))
        .collect();
    let errors = Errors::new(&tr, errors).in_order(CALENDAR_FIELDS);
    Ok(render(
        errors.status(),
        &CalendarPage {
            year,
            years,
            days,
            kinds: vec![
                (HOLIDAY, tr.t("settings-kind-holiday")),
                (WORKING, tr.t("settings-kind-working")),
            ],
            form,
            errors,
            flash,
            c,
        },
    ))
}

pub async fn show_calendar(
    State(state): State<AppState>,
    s: SignedIn,
    Query(q): Query<CalendarQuery>,
) -> AppResult {
    let tr = Tr::new(state.i18n.clone(), s.ctx.lang);
    let flash = match q.done.as_str() {
        "saved" => tr.t("settings-flash-day-saved"),
        "removed" => tr.t("settings-flash-day-removed"),
        _ => String::new(),
    };
    let year = year_of(&q.year, s.ctx.now);
    let form = CalendarDayForm {
        kind: HOLIDAY.to_string(),
        ..CalendarDayForm::default()
    };
    calendar_page(&state, &s, year, form, FieldErrors::new(), flash).await
}

/// The calendar form as typed; `year` is the year the page showed.
#[derive(Deserialize, Default)]
pub struct CalendarInput {
    #[serde(default)]
    day: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    year: String,
}

pub async fn mark_calendar_day(
    State(state): State<AppState>,
    s: SignedIn,
    Form(f): Form<CalendarInput>,
) -> AppResult {
    let form = CalendarDayForm {
        day: f.day,
        kind: f.kind,
        note: f.note,
    };
    form::submit(
        &s,
        "/settings/calendar?year={id}&done=saved",
        async |ctx| {
            settings::set_calendar_day(&state.db, &ctx, &form)
                .await
                .map(|day| day.year())
        },
        async |again| {
            let year = year_of(&f.year, s.ctx.now);
            calendar_page(&state, &s, year, form.clone(), again.invalid()?, String::new()).await
        },
    )
    .await
}

pub async fn unmark_calendar_day(
    State(state): State<AppState>,
    s: SignedIn,
    Form(f): Form<CalendarInput>,
) -> AppResult {
    let day = settings::remove_calendar_day(&state.db, &s.ctx.store_ctx(), &f.day).await?;
    Ok(see_other(&format!(
        "/settings/calendar?year={}&done=removed",
        day.year()
    )))
}
