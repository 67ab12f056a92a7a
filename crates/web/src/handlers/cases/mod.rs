//! Identification (SPEC §3): the identification notice and the notice lists
//! (`notices`), the responsible unit's case list and search (`list`), the case
//! page with closing and reopening (`page`), editing the facts (`facts`) and
//! the person (`person`), and the case's documents (`documents`). The
//! referral form, the partner's inbox and the referral page are in
//! `super::referrals`; the status procedure in `super::procedures`. This
//! module holds the route table and the helpers those files share.
//!
//! Security role: every page here is about victims of crime. Who may see and
//! change what is decided (and audited) in `store::cases`; these handlers add
//! no checks of their own beyond choosing which lists to ask for. Nothing
//! personal goes into a URL: redirects carry record ids and a flash code only,
//! the reference search is a POST and only a well-formed reference ever
//! reaches the query string. Nothing here logs case data. Every page is sent
//! with `Cache-Control: no-store` (`views::render`), and so are downloads.

pub mod documents;
pub mod facts;
pub mod list;
pub mod notices;
pub mod page;
pub mod person;

use super::Opt;
pub(super) use super::refuse_page;
use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use store::cases::ExploitationForm;

/// The body limit of the document upload: the largest file plus the other fields.
const DOCUMENT_BODY_LIMIT: usize = domain::reporting::MAX_ATTACHMENT_BYTES + 256 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/notices",
            get(notices::list_notices).post(notices::record_notice),
        )
        .route("/notices/new", get(notices::new_notice))
        .route("/notices/{id}", get(notices::show_notice))
        .route("/notices/{id}/accept", post(notices::accept_notice))
        .route("/notices/{id}/redirect", post(notices::redirect_notice))
        .route("/cases", get(list::list_cases))
        .route("/cases/search", post(list::search_case))
        .route("/cases/{id}", get(page::show_case))
        .route("/cases/{id}/edit", get(facts::edit_case).post(facts::update_case))
        .route(
            "/cases/{id}/person",
            get(person::edit_person).post(person::update_person),
        )
        .route("/cases/{id}/close", post(page::close_case))
        .route("/cases/{id}/reopen", post(page::reopen_case))
        .route(
            "/cases/{id}/documents",
            post(documents::add_document).layer(DefaultBodyLimit::max(DOCUMENT_BODY_LIMIT)),
        )
        .route(
            "/cases/{id}/documents/{doc_id}",
            get(documents::download_document),
        )
}

// ---------------------------------------------------------------- helpers

fn form_opts(all: &[ExploitationForm], checked: &[String], lang: &str) -> Vec<Opt> {
    all.iter()
        .map(|f| Opt {
            value: f.code.clone(),
            label: f.name(lang).to_string(),
            selected: checked.contains(&f.code),
        })
        .collect()
}
