//! The partner's referral inbox: the open referrals to the organisation, or all of them.

use crate::context::SignedIn;
use crate::error::AppResult;
use crate::handlers::{dmy_opt, flash_text, named};
use crate::state::AppState;
use crate::views::{Chrome, datetime, render};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use store::cases;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InboxQuery {
    all: String,
    done: String,
}

pub struct InboxLine {
    pub id: i64,
    pub reference: String,
    pub from: String,
    pub purpose: String,
    pub state: String,
    pub state_code: String,
    pub open: bool,
    pub due: String,
    pub received: String,
}

#[derive(Template)]
#[template(path = "referral_inbox.html")]
struct InboxPage {
    c: Chrome,
    flash: String,
    all: bool,
    lines: Vec<InboxLine>,
}

pub async fn referral_inbox(
    State(state): State<AppState>,
    s: SignedIn,
    Query(q): Query<InboxQuery>,
) -> AppResult {
    let all = q.all == "1";
    let rows = cases::referral_inbox(&state.db, &s.ctx.store_ctx(), !all).await?;
    let c = Chrome::new(&state, &s.ctx);
    let tr = c.tr.clone();
    let lines = rows
        .into_iter()
        .map(|r| {
            let st = r.state();
            InboxLine {
                id: r.id,
                purpose: named(&tr, "referral-purpose", r.purpose().as_str()),
                state: named(&tr, "referral-state", st.as_str()),
                state_code: st.as_str().to_string(),
                open: st.is_open(),
                due: dmy_opt(r.due_on.as_deref()),
                received: datetime(r.created_at),
                reference: r.case_reference,
                from: r.from_org_name,
            }
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &InboxPage {
            flash: flash_text(&tr, &q.done),
            all,
            lines,
            c,
        },
    ))
}
