//! The directory of organisations: browse and filter (`list`), read one
//! with its bodies and members (`page`), create and edit (`edit`).

pub mod edit;
pub mod list;
pub mod page;

use crate::state::AppState;
use axum::Router;
use axum::routing::get;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/organisations",
            get(list::list_organisations).post(edit::create_organisation),
        )
        .route("/organisations/new", get(edit::new_organisation))
        .route(
            "/organisations/{id}",
            get(page::show_organisation).post(edit::update_organisation),
        )
        .route("/organisations/{id}/edit", get(edit::edit_organisation))
}
