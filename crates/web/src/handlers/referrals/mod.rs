//! Referrals (SPEC §3): the referral form a case officer sends from a case
//! (`send`), the partner's referral inbox (`inbox`), and one referral with
//! the actions on it: accept, decline, answer, close (`referral`).
//!
//! Security role: every page here is about victims of crime. Who may send,
//! see and act on a referral is decided (and audited) in `store::cases`; the
//! receiver sees only the fields the sender shared. These handlers add no
//! checks of their own. Redirects carry record ids and a flash code only.
//! Nothing here logs case data. Every page is sent with
//! `Cache-Control: no-store` (`views::render`).

pub mod inbox;
pub mod referral;
pub mod send;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/cases/{id}/referrals/new",
            get(send::new_referral).post(send::send_referral),
        )
        .route("/referrals", get(inbox::referral_inbox))
        .route("/referrals/{id}", get(referral::show_referral))
        .route("/referrals/{id}/delivered", post(referral::record_delivery))
        .route("/referrals/{id}/{action}", post(referral::act_on_referral))
}
