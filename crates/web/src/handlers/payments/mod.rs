//! The one-time financial assistance (SPEC §5; CMU 660) as the case officer
//! records it: the application (`application`), the payment's page with its
//! steps (`page`), the unit's register with its XLSX and reversals
//! (`register`), and the administrator's tables of subsistence minimums and
//! the multiplier (`rates`).
//!
//! Security role: payments are case data (`Cache-Control: no-store`); the
//! checks and audit rows are in `store::payments`. The register names
//! recipients only in the XLSX asked for with names, and says so on its face.

pub mod application;
pub mod page;
pub mod rates;
pub mod register;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cases/{id}/payment/new", get(application::new_payment))
        .route("/cases/{id}/payments", post(application::apply))
        .route("/payments/{id}", get(page::show_payment))
        .route("/payments/{id}/steps/{action}", post(page::payment_step))
        .route("/payments/register", get(register::show_register))
        .route("/payments/register.xlsx", get(register::download_register))
        .route("/payments/register/letter", post(register::download_letter))
        .route(
            "/payments/register/lines/{id}/reverse",
            get(register::confirm_reversal).post(register::reverse),
        )
        .route("/settings/payment-rates", get(rates::show_rates))
        .route("/settings/payment-rates/minimums", post(rates::add_minimums))
        .route("/settings/payment-rates/multipliers", post(rates::add_multiplier))
}
