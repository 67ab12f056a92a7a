//! `/help`: the hotlines, and the way to the job-offer check.

use super::{PublicChrome, Visitor, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use store::reference::Hotline;

#[derive(Template)]
#[template(path = "public_help.html")]
struct HelpPage {
    c: PublicChrome,
    hotlines: &'static [Hotline],
}

pub async fn page(State(state): State<AppState>, v: Visitor) -> Response {
    render(
        StatusCode::OK,
        &HelpPage {
            c: PublicChrome::new(&state, &v),
            hotlines: store::reference::hotlines(),
        },
    )
}
