//! The journal of applications for a date range: the page and the XLSX workbook.

use super::{date_text, file_response, opt_date};
use crate::context::SignedIn;
use crate::error::{AppError, AppResult};
use crate::form::see_other;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::views::{Chrome, Errors, render};
use askama::Template;
use axum::extract::{Query, State};
use domain::FieldErrors;
use fluent_bundle::FluentArgs;
use jiff::civil::Date;
use serde::Deserialize;
use store::dates::kyiv_date;
use store::procedures::{self, ProcedureRow};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[derive(Deserialize, Default, Clone)]
pub struct RangeQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// The dates of a journal query: this year by default; the errors beside the fields.
fn journal_range(q: &RangeQuery, today: Date) -> (Date, Date, FieldErrors) {
    let mut e = FieldErrors::new();
    let year = today.year();
    let start = Date::new(year, 1, 1).unwrap_or(today);
    let end = Date::new(year, 12, 31).unwrap_or(today);
    let mut read = |field: &'static str, typed: &str, default: Date| {
        if typed.trim().is_empty() {
            return default;
        }
        domain::plan::parse_date(typed).unwrap_or_else(|| {
            e.add(field, "err-date");
            default
        })
    };
    let from = read("from", &q.from, start);
    let to = read("to", &q.to, end);
    if e.is_empty() && to < from {
        e.add("to", "journal-err-order");
    }
    (from, to, e)
}

/// One journal row as the page and the workbook show it.
fn journal_row(tr: &Tr, p: &ProcedureRow) -> documents::cases::JournalRow {
    let interview = match (
        p.no_interview_reason.map(|r| r.as_str()),
        p.interview_on.as_deref(),
    ) {
        (Some(reason), on) => format!(
            "{} ({})",
            tr.t(&format!("proc-no-interview-{reason}")),
            opt_date(on)
        ),
        (None, on) => opt_date(on),
    };
    let police_reply = match (p.police_reply_on.as_deref(), p.proceedings_found) {
        (Some(on), Some(0)) => format!("{} — {}", date_text(on), tr.t("journal-police-none")),
        (Some(on), Some(_)) => format!(
            "{} — {}",
            date_text(on),
            tr.t1(
                "journal-police-found",
                "number",
                p.proceedings_ref.clone().unwrap_or_default()
            )
        ),
        (Some(on), None) => date_text(on),
        (None, _) => String::new(),
    };
    let decision = match p.decision.map(|d| d.as_str()) {
        Some("granted") => {
            let mut a = FluentArgs::new();
            a.set("date", opt_date(p.decided_on.as_deref()));
            a.set("number", p.certificate_no.clone().unwrap_or_default());
            tr.args("journal-decision-granted", &a)
        }
        Some("refused") => tr.t1(
            "journal-decision-refused",
            "date",
            opt_date(p.decided_on.as_deref()),
        ),
        _ => String::new(),
    };
    documents::cases::JournalRow {
        number: p.journal_number(),
        registered_on: date_text(&p.registered_on),
        applicant: p.applicant.clone(),
        representative: p.representative.clone().unwrap_or_default(),
        case_reference: p.case_reference.clone(),
        interview,
        police_request: opt_date(p.police_request_on.as_deref()),
        police_reply,
        decision,
        notified: opt_date(p.notified_on.as_deref()),
        official: p.registered_by_name.clone(),
    }
}

pub struct JournalLine {
    pub id: i64,
    pub case_id: i64,
    pub row: documents::cases::JournalRow,
    /// The steps so far, in one line.
    pub steps: String,
}

fn steps_line(tr: &Tr, r: &documents::cases::JournalRow) -> String {
    [
        ("journal-col-interview", &r.interview),
        ("journal-col-police-request", &r.police_request),
        ("journal-col-police-reply", &r.police_reply),
        ("journal-col-notified", &r.notified),
    ]
    .iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| format!("{}: {v}", tr.t(k)))
    .collect::<Vec<_>>()
    .join("; ")
}

#[derive(Template)]
#[template(path = "journal.html")]
struct JournalPage {
    c: Chrome,
    from: String,
    to: String,
    /// The range as the download link carries it (`yyyy-mm-dd`), when the dates were read.
    xlsx_href: Option<String>,
    lines: Vec<JournalLine>,
    errors: Errors,
}

pub async fn show_journal(
    State(state): State<AppState>,
    s: SignedIn,
    Query(q): Query<RangeQuery>,
) -> AppResult {
    let ctx = s.ctx.store_ctx();
    let c = Chrome::new(&state, &s.ctx);
    let tr = c.tr.clone();
    let (from, to, e) = journal_range(&q, kyiv_date(ctx.now));
    let (lines, xlsx_href, shown_from, shown_to) = if e.is_empty() {
        let rows = procedures::journal(&state.db, &ctx, from, to, "page").await?;
        let lines = rows
            .iter()
            .map(|p| {
                let row = journal_row(&tr, p);
                JournalLine {
                    id: p.id,
                    case_id: p.case_id,
                    steps: steps_line(&tr, &row),
                    row,
                }
            })
            .collect();
        (
            lines,
            Some(format!("/journal.xlsx?from={from}&to={to}")),
            from.to_string(),
            to.to_string(),
        )
    } else {
        // Bad dates answer with the form only to those who may see the journal at all.
        if !s.user.actor.may_run_procedure(s.user.actor.org_id) {
            let e = store::access::deny_page(&state.db, &ctx, "journal").await;
            return Err(e.into());
        }
        (Vec::new(), None, q.from.clone(), q.to.clone())
    };
    let errors = Errors::new(&tr, e).in_order(&["from", "to"]);
    let page = JournalPage {
        from: shown_from,
        to: shown_to,
        xlsx_href,
        lines,
        c,
        errors,
    };
    Ok(render(page.errors.status(), &page))
}

pub async fn download_journal(
    State(state): State<AppState>,
    s: SignedIn,
    Query(q): Query<RangeQuery>,
) -> AppResult {
    let ctx = s.ctx.store_ctx();
    let (from, to, e) = journal_range(&q, kyiv_date(ctx.now));
    if !e.is_empty() {
        // Bad dates in a download link: the journal page says what is wrong beside the fields.
        let mut back = String::from("/journal?");
        back.push_str(&format!(
            "from={}&to={}",
            urlencoding::encode(&q.from),
            urlencoding::encode(&q.to)
        ));
        return Ok(see_other(&back));
    }
    let rows = procedures::journal(&state.db, &ctx, from, to, "xlsx").await?;
    let tr = Tr::new(state.i18n.clone(), s.ctx.lang);
    let mut a = FluentArgs::new();
    a.set("from", from.strftime("%d.%m.%Y").to_string());
    a.set("to", to.strftime("%d.%m.%Y").to_string());
    let labels = documents::cases::JournalLabels {
        sheet: tr.t("journal-sheet"),
        title: tr.args("journal-xlsx-title", &a),
        unit: s.user.org_name.clone(),
        columns: [
            tr.t("journal-col-number"),
            tr.t("journal-col-registered"),
            tr.t("journal-col-applicant"),
            tr.t("journal-col-representative"),
            tr.t("journal-col-reference"),
            tr.t("journal-col-interview"),
            tr.t("journal-col-police-request"),
            tr.t("journal-col-police-reply"),
            tr.t("journal-col-decision"),
            tr.t("journal-col-notified"),
            tr.t("journal-col-official"),
        ],
    };
    let data: Vec<documents::cases::JournalRow> = rows.iter().map(|p| journal_row(&tr, p)).collect();
    let built = tokio::task::spawn_blocking(move || documents::cases::journal_xlsx(&labels, &data)).await;
    let name = format!("journal-{from}-{to}.xlsx");
    match built {
        Ok(Ok(bytes)) => Ok(file_response(bytes, XLSX, &name)),
        Ok(Err(e)) => Err(AppError::failed("journal_xlsx", e)),
        Err(e) => Err(AppError::failed("journal_xlsx", e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_journal_defaults_to_this_year_and_checks_its_dates() {
        let today = date(2026, 5, 7);
        let (f, t, e) = journal_range(&RangeQuery::default(), today);
        assert_eq!((f, t), (date(2026, 1, 1), date(2026, 12, 31)));
        assert!(e.is_empty());
        let q = RangeQuery {
            from: "31.02.2026".into(),
            to: "2026-03-01".into(),
        };
        assert_eq!(journal_range(&q, today).2.get("from"), Some("err-date"));
        let q = RangeQuery {
            from: "2026-03-02".into(),
            to: "01.03.2026".into(),
        };
        assert_eq!(journal_range(&q, today).2.get("to"), Some("journal-err-order"));
    }
}
