//! The responsible unit's case list with its filters, and the search by
//! reference (a POST, so that what is typed stays out of URLs).

use super::{form_opts, refuse_page};
use crate::context::SignedIn;
use crate::error::AppResult;
use crate::form::see_other;
use crate::handlers::{Opt, dmy, dmy_opt, named, one, opts};
use crate::i18n::Tr;
use crate::state::AppState;
use crate::views::{Chrome, Errors, render};
use askama::Template;
use axum::extract::{Query, State};
use axum_extra::extract::Form;
use domain::case::{CaseRef, CaseState};
use domain::territory::TerritoryLevel;
use domain::{DomainError, FieldErrors};
use serde::Deserialize;
use store::cases::{self, CaseFilter};

/// Cases per page of the case list.
const CASES_PER_PAGE: i64 = 50;

/// Every territory below the country, for the case list filter.
async fn filter_territories(state: &AppState, tr: &Tr, selected: &str) -> Result<Vec<Opt>, DomainError> {
    let all = state.territories().await?;
    Ok(all
        .iter()
        .filter(|t| t.level != TerritoryLevel::Country)
        .map(|t| {
            let value = t.id.to_string();
            Opt {
                selected: value == selected.trim(),
                label: format!(
                    "{}{}",
                    "\u{a0}\u{a0}".repeat(t.depth().saturating_sub(1)),
                    t.name(tr.code())
                ),
                value,
            }
        })
        .collect())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CaseListQuery {
    state: String,
    child: String,
    form: String,
    territory: String,
    #[serde(rename = "ref")]
    reference: String,
    after: String,
}

pub struct CaseListLine {
    pub id: i64,
    pub reference: String,
    pub identified_on: String,
    pub territory: String,
    pub sex: String,
    pub age: String,
    pub child: bool,
    pub state: String,
    pub state_code: String,
    pub next_step: String,
    pub next_due: String,
}

#[derive(Template)]
#[template(path = "case_list.html")]
struct CaseListPage {
    c: Chrome,
    lines: Vec<CaseListLine>,
    next_href: Option<String>,
    first_href: Option<String>,
    states: Vec<Opt>,
    childs: Vec<Opt>,
    forms: Vec<Opt>,
    territories: Vec<Opt>,
    reference: String,
    searched: bool,
    errors: Errors,
}

const SEARCH_FIELDS: &[&str] = &["ref"];

/// The case list. `typed_search` is a search string that was refused (it is
/// shown back in the search box, never looked up).
async fn case_list_page(
    state: &AppState,
    s: &SignedIn,
    q: CaseListQuery,
    typed_search: Option<String>,
) -> AppResult {
    let ctx = s.ctx.store_ctx();
    let c = Chrome::new(state, &s.ctx);
    let tr = c.tr.clone();
    let all_forms = store::lookups::exploitation_forms(&state.db).await?;
    let mut errors = FieldErrors::new();
    let reference = match (&typed_search, q.reference.trim()) {
        (Some(_), _) => {
            errors.add("ref", "case-err-reference");
            None
        }
        (None, "") => None,
        (None, r) => {
            let parsed = CaseRef::parse(r);
            if parsed.is_none() {
                errors.add("ref", "case-err-reference");
            }
            parsed
        }
    };
    let filter = CaseFilter {
        state: CaseState::parse(q.state.trim()),
        child: match q.child.trim() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        },
        form: all_forms
            .iter()
            .find(|f| f.code == q.form.trim())
            .map(|f| f.code.clone()),
        territory_id: q.territory.trim().parse::<i64>().ok().filter(|t| *t > 0),
        reference: reference.clone(),
        after: q.after.trim().parse::<i64>().ok().filter(|a| *a > 0),
    };
    let (rows, more) = if errors.is_empty() {
        cases::list_cases(&state.db, &ctx, &filter, CASES_PER_PAGE).await?
    } else {
        // A refused search is not looked up; the page still belongs to case officers only.
        let a = &s.user.actor;
        if !a.may_work_case(a.org_id) {
            return Err(refuse_page(state, s, "cases").await);
        }
        (Vec::new(), false)
    };
    // Only codes, ids and a well-formed reference go into the links.
    let mut query: Vec<String> = Vec::new();
    if let Some(st) = filter.state {
        query.push(format!("state={}", st.as_str()));
    }
    if let Some(ch) = filter.child {
        query.push(format!("child={}", if ch { "yes" } else { "no" }));
    }
    if let Some(fc) = &filter.form {
        query.push(format!("form={}", urlencoding::encode(fc)));
    }
    if let Some(t) = filter.territory_id {
        query.push(format!("territory={t}"));
    }
    if let Some(r) = &filter.reference {
        query.push(format!("ref={}", urlencoding::encode(r.as_str())));
    }
    let next_href = more.then(|| rows.last()).flatten().map(|last| {
        let mut q = query.clone();
        q.push(format!("after={}", last.id));
        format!("/cases?{}", q.join("&"))
    });
    let first_href = filter.after.map(|_| {
        if query.is_empty() {
            "/cases".to_string()
        } else {
            format!("/cases?{}", query.join("&"))
        }
    });
    let lang = tr.code();
    let lines = rows
        .into_iter()
        .map(|l| CaseListLine {
            identified_on: dmy(&l.identified_on),
            territory: l.territory_name(lang).to_string(),
            sex: named(&tr, "case-sex", l.sex.as_str()),
            age: l.age.map(|a| a.to_string()).unwrap_or_default(),
            child: l.is_child.0,
            state: named(&tr, "case-state", l.state.as_str()),
            next_step: l
                .next_step
                .map(|st| named(&tr, "proc-step", st.as_str()))
                .unwrap_or_default(),
            next_due: dmy_opt(l.next_due_on.as_deref()),
            id: l.id,
            reference: l.reference,
            state_code: l.state.as_str().to_string(),
        })
        .collect();
    let errors = Errors::new(&tr, errors).in_order(SEARCH_FIELDS);
    let status = errors.status();
    let page = CaseListPage {
        lines,
        next_href,
        first_href,
        states: opts(
            &tr,
            "case-state",
            CaseState::ALL.iter().map(|v| v.as_str()),
            &one(q.state.as_str()),
        ),
        childs: opts(&tr, "case-child-filter", ["yes", "no"], &one(q.child.as_str())),
        forms: form_opts(&all_forms, &one(q.form.as_str()), lang),
        territories: filter_territories(state, &tr, &q.territory).await?,
        searched: filter.reference.is_some(),
        reference: typed_search.unwrap_or_else(|| q.reference.trim().to_string()),
        errors,
        c,
    };
    Ok(render(status, &page))
}

pub async fn list_cases(
    State(state): State<AppState>,
    s: SignedIn,
    Query(q): Query<CaseListQuery>,
) -> AppResult {
    case_list_page(&state, &s, q, None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SearchFields {
    #[serde(rename = "ref")]
    reference: String,
}

/// The reference search is posted, so that whatever is typed stays out of
/// URLs; only a well-formed reference is passed on to the list.
pub async fn search_case(
    State(state): State<AppState>,
    s: SignedIn,
    Form(f): Form<SearchFields>,
) -> AppResult {
    match CaseRef::parse(&f.reference) {
        Some(r) => Ok(see_other(&format!(
            "/cases?ref={}",
            urlencoding::encode(r.as_str())
        ))),
        None => case_list_page(&state, &s, CaseListQuery::default(), Some(f.reference)).await,
    }
}
