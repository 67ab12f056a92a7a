//! The unit's deadlines: the next step of each open procedure, most urgent
//! first, as a page and as the home page's short list.

use super::{date_text, step_name, urgency_class, urgency_code, urgency_text};
use crate::context::SignedIn;
use crate::error::AppResult;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::views::{Chrome, render};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use domain::DomainError;
use jiff::civil::Date;
use serde::Deserialize;
use store::dates::kyiv_date;
use store::procedures::{self, DeadlineLine};

pub struct DeadlineItem {
    pub procedure_id: i64,
    pub reference: String,
    pub journal_number: String,
    pub step: String,
    pub due: String,
    pub urgency: &'static str,
    pub urgency_class: &'static str,
    pub urgency_text: String,
}

fn deadline_item(tr: &Tr, l: &DeadlineLine, today: Date) -> DeadlineItem {
    let u = l.urgency(today);
    DeadlineItem {
        procedure_id: l.procedure_id,
        reference: l.reference.clone(),
        journal_number: format!("{}/{}", l.journal_no, l.journal_year),
        step: step_name(tr, l.next_step),
        due: date_text(&l.next_due_on),
        urgency: urgency_code(u),
        urgency_class: urgency_class(u),
        urgency_text: urgency_text(tr, u),
    }
}

/// The case officer's most urgent steps for the home page (the first `n`), and whether there are more.
pub async fn home_deadlines(
    state: &AppState,
    s: &SignedIn,
    tr: &Tr,
    n: i64,
) -> Result<(Vec<DeadlineItem>, bool), DomainError> {
    let ctx = s.ctx.store_ctx();
    let (rows, more) = procedures::deadline_list(&state.db, &ctx, None, n).await?;
    let today = kyiv_date(ctx.now);
    Ok((rows.iter().map(|l| deadline_item(tr, l, today)).collect(), more))
}

#[derive(Template)]
#[template(path = "deadlines.html")]
struct DeadlinesPage {
    c: Chrome,
    items: Vec<DeadlineItem>,
    next_href: Option<String>,
    first_page: bool,
}

#[derive(Deserialize, Default)]
pub struct AfterQuery {
    #[serde(default)]
    after_due: String,
    #[serde(default)]
    after_id: String,
}

const DEADLINES_PAGE: i64 = 50;

pub async fn show_deadlines(
    State(state): State<AppState>,
    s: SignedIn,
    Query(q): Query<AfterQuery>,
) -> AppResult {
    let ctx = s.ctx.store_ctx();
    // A cursor that does not read starts from the first page.
    let after = match (
        domain::plan::parse_date(&q.after_due),
        q.after_id.trim().parse::<i64>(),
    ) {
        (Some(d), Ok(id)) => Some((d.to_string(), id)),
        _ => None,
    };
    let first_page = after.is_none();
    let (rows, more) = procedures::deadline_list(&state.db, &ctx, after, DEADLINES_PAGE).await?;
    let c = Chrome::new(&state, &s.ctx);
    let tr = c.tr.clone();
    let today = kyiv_date(ctx.now);
    let next_href = if more {
        rows.last().map(|l| {
            format!(
                "/deadlines?after_due={}&after_id={}",
                l.next_due_on, l.procedure_id
            )
        })
    } else {
        None
    };
    let items = rows.iter().map(|l| deadline_item(&tr, l, today)).collect();
    Ok(render(
        StatusCode::OK,
        &DeadlinesPage {
            c,
            items,
            next_href,
            first_page,
        },
    ))
}
