//! Assistance of a case (SPEC §5) as the case officer works it: the case's
//! assistance page with each need against its services and the shelter stays
//! (`page`, where the steps of a service and of a stay are recorded), the
//! forms that create an assessment, a service and a stay (`forms`), and the
//! unit's list of what needs attention (`list`). The provider's side of a
//! service is on its referral page (`super::referrals`).
//!
//! Security role: every page here shows case data, so it is answered with
//! `Cache-Control: no-store` (`views::render`); the checks and audit rows are
//! in `store::assistance`. URLs carry only ids and action names.

pub mod forms;
pub mod list;
pub mod page;

use crate::i18n::Tr;
use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};
use domain::assistance::{NeedUrgency, ServiceState, StayFlag};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cases/{id}/assistance", get(page::show_assistance))
        .route("/cases/{id}/assessment/new", get(forms::new_assessment))
        .route("/cases/{id}/assessments", post(forms::record_assessment))
        .route("/cases/{id}/services/new", get(forms::new_service))
        .route("/cases/{id}/services", post(forms::plan_service))
        .route("/cases/{id}/stays/new", get(forms::new_stay))
        .route("/cases/{id}/stays", post(forms::record_stay))
        .route("/services/{id}/steps/{action}", post(page::service_step))
        .route("/stays/{id}/extend", post(page::extend_stay))
        .route("/stays/{id}/end", post(page::end_stay))
        .route("/assistance", get(list::show_list))
}

fn urgency_name(tr: &Tr, u: NeedUrgency) -> String {
    tr.t(&format!("need-urgency-{}", u.as_str()))
}

fn service_state_name(tr: &Tr, s: ServiceState) -> String {
    tr.t(&format!("service-state-{}", s.as_str()))
}

fn stay_flag_name(tr: &Tr, f: StayFlag) -> String {
    tr.t(&format!("stay-flag-{}", f.as_str()))
}

/// The CSS class of a stay flag (red past the end or the limit, amber near it; the text says it too).
fn stay_flag_class(f: StayFlag) -> &'static str {
    match f {
        StayFlag::EndingSoon => "urgency-due-soon",
        StayFlag::PastEnd | StayFlag::BeyondLimit => "urgency-overdue",
    }
}
