//! The unit's payment register: the page for a period, its XLSX for the
//! accounting unit (with names only when asked, and then it says so), and the
//! reversal of a line.

use super::page::line_text;
use crate::context::SignedIn;
use crate::error::AppResult;
use crate::extract::Path;
use crate::form::{self, Again};
use crate::handlers::dmy;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::views::{Chrome, Errors, render};
use askama::Template;
use axum::Form;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use documents::payments::{
    RegisterLabels, RegisterLetter, RegisterRow, Ymd, register_letter_docx, register_xlsx,
};
use domain::FieldErrors;
use domain::payment::RegisterEntryKind;
use jiff::civil::Date;
use serde::Deserialize;
use store::dates::kyiv_date;
use store::payments::{self, Register, RegisterQuery, RegisterUse, ReversalForm};

pub struct LineView {
    pub id: i64,
    pub payment_id: i64,
    pub entered_on: String,
    pub reference: String,
    pub category: String,
    pub amount: String,
    pub negative: bool,
    pub state: String,
    pub note: String,
    pub reversible: bool,
}

#[derive(Template)]
#[template(path = "payment_register.html")]
struct RegisterPage {
    c: Chrome,
    unit: String,
    from: String,
    to: String,
    period: String,
    lines: Vec<LineView>,
    /// The address of the next page of lines, if there is one.
    next: Option<String>,
    /// Lines shown on the pages before this one.
    first: bool,
    line_count: i64,
    /// Payments less their reversals, over the whole period.
    net_count: i64,
    totals: Vec<(String, i64, String)>,
    total: String,
    query: String,
    /// The covering letter's defaults.
    signatory: String,
    today: String,
    errors: Errors,
}

fn period_text(from: Date, to: Date) -> String {
    format!("{}–{}", from.strftime("%d.%m.%Y"), to.strftime("%d.%m.%Y"))
}

fn category_name(tr: &Tr, c: domain::payment::PaymentCategory) -> String {
    tr.t(&format!("payment-category-{}", c.as_str()))
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct RegisterParams {
    from: String,
    to: String,
    names: String,
    after: String,
}

impl RegisterParams {
    fn query(&self) -> RegisterQuery {
        RegisterQuery {
            from: self.from.clone(),
            to: self.to.clone(),
            after: self.after.clone(),
        }
    }
}

pub async fn show_register(
    State(state): State<AppState>,
    s: SignedIn,
    Query(q): Query<RegisterParams>,
) -> AppResult {
    let ctx = s.ctx.store_ctx();
    let today = kyiv_date(ctx.now);
    let c = Chrome::new(&state, &s.ctx);
    let tr = c.tr.clone();
    let (period, errors) = match q.query().period(today) {
        Ok(p) => (p, FieldErrors::new()),
        Err(e) => (
            RegisterQuery::default().period(today).unwrap_or((today, today)),
            e,
        ),
    };
    let after = q.query().after_key();
    let r = payments::register(&state.db, &ctx, period.0, period.1, RegisterUse::Page { after }).await?;
    let lines = r
        .lines
        .iter()
        .map(|l| LineView {
            id: l.id,
            payment_id: l.payment_id,
            entered_on: dmy(&l.entered_on),
            reference: l.case_reference.clone(),
            category: category_name(&tr, l.category),
            amount: l.amount().uk(),
            negative: l.amount < 0,
            state: match l.kind {
                RegisterEntryKind::Reversal => tr.t("register-state-reversal"),
                RegisterEntryKind::Payment => tr.t(&format!("payment-state-{}", l.state.as_str())),
            },
            note: match l.kind {
                RegisterEntryKind::Reversal => reversal_note(&tr, l),
                RegisterEntryKind::Payment if l.reversed_by.is_some() => {
                    tr.t1("register-reversed-by", "line", l.reversed_by.unwrap_or_default())
                }
                RegisterEntryKind::Payment => String::new(),
            },
            reversible: l.kind == RegisterEntryKind::Payment && l.reversed_by.is_none(),
        })
        .collect();
    let page = RegisterPage {
        unit: r.unit_name.clone(),
        from: r.from.to_string(),
        to: r.to.to_string(),
        period: period_text(r.from, r.to),
        next: r
            .next
            .as_ref()
            .map(|k| format!("/payments/register?from={}&to={}&after={k}", r.from, r.to)),
        first: after.is_none(),
        line_count: r.line_count,
        net_count: r.totals.iter().map(|t| t.1).sum(),
        totals: r
            .totals
            .iter()
            .map(|(cat, n, m)| (category_name(&tr, *cat), *n, m.uk()))
            .collect(),
        total: r.total.uk(),
        query: format!("from={}&to={}", r.from, r.to),
        signatory: signature_name(&s.user.full_name),
        today: today.to_string(),
        lines,
        errors: Errors::new(&tr, errors),
        c,
    };
    let status = page.errors.status();
    Ok(render(
        if status == StatusCode::OK {
            StatusCode::OK
        } else {
            status
        },
        &page,
    ))
}

/// "Сторно рядка № 3 — reason".
fn reversal_note(tr: &Tr, l: &store::payments::RegisterLine) -> String {
    tr.t1(
        "register-reversal-note",
        "text",
        format!(
            "{} — {}",
            l.reverses_id.unwrap_or_default(),
            l.reason.clone().unwrap_or_default()
        ),
    )
}

fn ymd(iso: &str) -> Option<Ymd> {
    domain::plan::parse_date(iso).map(|d| Ymd(d.year(), d.month(), d.day()))
}

fn labels(tr: &Tr, r: &Register) -> RegisterLabels {
    let col = |k: &str| tr.t(&format!("register-col-{k}"));
    RegisterLabels {
        sheet: tr.t("register-sheet"),
        title: tr.t1("register-file-title", "period", period_text(r.from, r.to)),
        unit: r.unit_name.clone(),
        names_notice: tr.t("register-names-notice"),
        columns: [
            col("no"),
            col("entered"),
            col("case"),
            col("recipient"),
            col("category"),
            col("amount"),
            col("applied"),
            col("approved"),
            col("paid"),
            col("payment-ref"),
            col("state"),
            col("note"),
        ],
        totals_title: tr.t("register-totals"),
        totals_columns: [col("category"), tr.t("register-count"), col("amount")],
        total: tr.t("register-total"),
    }
}

/// The register of a period as XLSX; `names=1` adds the recipients' names
/// (the file says so at the top, and the download is audited as such).
pub async fn download_register(
    State(state): State<AppState>,
    s: SignedIn,
    Query(q): Query<RegisterParams>,
) -> AppResult {
    let ctx = s.ctx.store_ctx();
    let today = kyiv_date(ctx.now);
    let (from, to) = q.query().period(today).map_err(domain::DomainError::from)?;
    let with_names = q.names == "1";
    let r = payments::register(&state.db, &ctx, from, to, RegisterUse::Export { with_names }).await?;
    let tr = Tr::new(state.i18n.clone(), s.ctx.lang);
    let rows: Vec<RegisterRow> = r
        .lines
        .iter()
        .map(|l| RegisterRow {
            entered_on: ymd(&l.entered_on),
            case_reference: l.case_reference.clone(),
            recipient: l.recipient.clone().unwrap_or_default(),
            category: category_name(&tr, l.category),
            amount: l.amount,
            applied_on: ymd(&l.applied_on),
            approved_on: l.approved_on.as_deref().and_then(ymd),
            paid_on: l.paid_on.as_deref().and_then(ymd),
            payment_ref: l.payment_ref.clone().unwrap_or_default(),
            state: match l.kind {
                RegisterEntryKind::Reversal => tr.t("register-state-reversal"),
                RegisterEntryKind::Payment => tr.t(&format!("payment-state-{}", l.state.as_str())),
            },
            note: match l.kind {
                RegisterEntryKind::Reversal => reversal_note(&tr, l),
                RegisterEntryKind::Payment if l.reversed_by.is_some() => {
                    tr.t1("register-reversed-by", "line", l.reversed_by.unwrap_or_default())
                }
                RegisterEntryKind::Payment => String::new(),
            },
        })
        .collect();
    let totals: Vec<(String, i64, i64)> = r
        .totals
        .iter()
        .map(|(c, n, m)| (category_name(&tr, *c), *n, m.kopiykas()))
        .collect();
    let bytes = register_xlsx(&labels(&tr, &r), &rows, &totals, with_names)
        .map_err(|e| domain::DomainError::Internal(e.to_string()))?;
    let name = format!(
        "register-{}-{}{}.xlsx",
        r.from,
        r.to,
        if with_names { "-names" } else { "" }
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        Body::from(bytes),
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "payment_reversal.html")]
struct ReversalPage {
    c: Chrome,
    line_id: i64,
    line: String,
    reason: String,
    errors: Errors,
}

async fn reversal_page(
    state: &AppState,
    s: &SignedIn,
    line_id: i64,
    reason: String,
    errors: FieldErrors,
) -> AppResult {
    let ctx = s.ctx.store_ctx();
    let l = payments::register_entry(&state.db, &ctx, line_id).await?;
    let c = Chrome::new(state, &s.ctx);
    let tr = c.tr.clone();
    let page = ReversalPage {
        line_id,
        line: format!("{} — {}", l.case_reference, line_text(&tr, &l)),
        reason,
        errors: Errors::new(&tr, errors).in_order(&["reason"]),
        c,
    };
    Ok(render(page.errors.status(), &page))
}

pub async fn confirm_reversal(State(state): State<AppState>, s: SignedIn, Path(id): Path<i64>) -> AppResult {
    reversal_page(&state, &s, id, String::new(), FieldErrors::new()).await
}

pub async fn reverse(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Form(f): Form<ReversalForm>,
) -> AppResult {
    form::submit(
        &s,
        "/payments/{id}?done=reversed",
        async |ctx| payments::reverse(&state.db, &ctx, id, &f).await,
        async |again| match again {
            Again::Invalid(e) => reversal_page(&state, &s, id, f.reason.clone(), e).await,
            Again::Stale(_) => reversal_page(&state, &s, id, f.reason.clone(), FieldErrors::new()).await,
        },
    )
    .await
}

/// «Ім'я ПРІЗВИЩЕ» from a staff member's name as the account holds it
/// ("Ганна Демченко (демо)" → "Ганна ДЕМЧЕНКО"): the last word upper-cased,
/// anything in brackets left out. The form lets the person correct it.
fn signature_name(full_name: &str) -> String {
    let plain = full_name.split('(').next().unwrap_or("").trim();
    let mut words: Vec<String> = plain.split_whitespace().map(str::to_string).collect();
    if let Some(last) = words.last_mut() {
        *last = last.to_uppercase();
    }
    words.join(" ")
}

/// What the covering letter's form sends.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct LetterForm {
    from: String,
    to: String,
    addressee: String,
    number: String,
    date: String,
    position: String,
    signatory: String,
    executor: String,
}

/// The covering letter that sends the register of a period to the accounting
/// unit, as DOCX (totals only, no names). Sent by POST: its requisites stay out of the URL.
pub async fn download_letter(
    State(state): State<AppState>,
    s: SignedIn,
    Form(f): Form<LetterForm>,
) -> AppResult {
    let ctx = s.ctx.store_ctx();
    let today = kyiv_date(ctx.now);
    let q = RegisterQuery {
        from: f.from.clone(),
        to: f.to.clone(),
        after: String::new(),
    };
    let (from, to) = q.period(today).map_err(domain::DomainError::from)?;
    let r = payments::register(&state.db, &ctx, from, to, RegisterUse::Letter).await?;
    let tr = Tr::new(state.i18n.clone(), s.ctx.lang);
    let clip = |v: &str, n: usize| v.trim().chars().take(n).collect::<String>();
    let date = domain::plan::parse_date(f.date.trim())
        .map(|d| d.strftime("%d.%m.%Y").to_string())
        .unwrap_or_else(|| "____________".into());
    let number = match clip(&f.number, 50) {
        n if n.is_empty() => "________".to_string(),
        n => n,
    };
    let count: i64 = r.totals.iter().map(|t| t.1).sum();
    let letter = RegisterLetter {
        sender: r.unit_name.clone(),
        addressee: match clip(&f.addressee, 500) {
            a if a.is_empty() => tr.t("letter-addressee-default"),
            a => a,
        },
        number_and_date: tr.t1("letter-number-date", "text", format!("{number} від {date}")),
        subject: tr.t("letter-subject"),
        paragraphs: {
            let mut a = fluent_bundle::FluentArgs::new();
            a.set("from", r.from.strftime("%d.%m.%Y").to_string());
            a.set("to", r.to.strftime("%d.%m.%Y").to_string());
            let body = tr.args("letter-body", &a);
            let mut a = fluent_bundle::FluentArgs::new();
            a.set("count", count);
            a.set("sum", r.total.uk());
            vec![body, tr.args("letter-body-total", &a), tr.t("letter-body-term")]
        },
        totals_headings: [
            tr.t("register-col-category"),
            tr.t("register-count"),
            tr.t("register-col-amount"),
        ],
        totals: r
            .totals
            .iter()
            .map(|(c, n, m)| (category_name(&tr, *c), n.to_string(), m.number_uk()))
            .collect(),
        total: (tr.t("register-total"), count.to_string(), r.total.number_uk()),
        enclosure: {
            let mut a = fluent_bundle::FluentArgs::new();
            a.set("from", r.from.strftime("%d.%m.%Y").to_string());
            a.set("to", r.to.strftime("%d.%m.%Y").to_string());
            tr.args("letter-enclosure", &a)
        },
        position: clip(&f.position, 300),
        signatory: clip(&f.signatory, 200),
        executor: match clip(&f.executor, 300) {
            e if e.is_empty() => String::new(),
            e => format!("{} {e}", tr.t("letter-executor")),
        },
    };
    let bytes = register_letter_docx(&letter).map_err(|e| domain::DomainError::Internal(e.to_string()))?;
    let name = format!("register-letter-{}-{}.docx", r.from, r.to);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        Body::from(bytes),
    )
        .into_response())
}
