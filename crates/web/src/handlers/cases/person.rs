//! The person of a case: their name, birth date, document and contacts, edited.

use crate::context::SignedIn;
use crate::error::AppResult;
use crate::extract::Path;
use crate::form;
use crate::state::AppState;
use crate::views::{Chrome, Errors, render};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum_extra::extract::Form;
use domain::FieldErrors;
use domain::case::PersonForm;
use store::cases;

const PERSON_FIELDS: &[&str] = &[
    "surname",
    "given_name",
    "patronymic",
    "birth_date",
    "document",
    "phone",
    "email",
    "address",
];

/// The person's data as the form shows them first.
fn person_form_of(p: &cases::PersonRow) -> PersonForm {
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    PersonForm {
        surname: p.surname.clone(),
        given_name: p.given_name.clone(),
        patronymic: s(&p.patronymic),
        birth_date: s(&p.birth_date),
        document: s(&p.document),
        phone: s(&p.phone),
        email: s(&p.email),
        address: s(&p.address),
    }
}

#[derive(Template)]
#[template(path = "case_person.html")]
struct PersonPage {
    c: Chrome,
    id: i64,
    reference: String,
    f: PersonForm,
    had_person: bool,
    errors: Errors,
}

fn person_page(
    state: &AppState,
    s: &SignedIn,
    id: i64,
    reference: String,
    f: PersonForm,
    had: bool,
    e: FieldErrors,
) -> Response {
    let c = Chrome::new(state, &s.ctx);
    let errors = Errors::new(&c.tr, e).in_order(PERSON_FIELDS);
    let status = errors.status();
    render(
        status,
        &PersonPage {
            id,
            reference,
            f,
            had_person: had,
            errors,
            c,
        },
    )
}

pub async fn edit_person(State(state): State<AppState>, s: SignedIn, Path(id): Path<i64>) -> AppResult {
    let (k, _, p) = cases::case_for_edit(&state.db, &s.ctx.store_ctx(), id).await?;
    let f = p.as_ref().map(person_form_of).unwrap_or_default();
    Ok(person_page(
        &state,
        &s,
        id,
        k.reference,
        f,
        p.is_some(),
        FieldErrors::new(),
    ))
}

pub async fn update_person(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Form(f): Form<PersonForm>,
) -> AppResult {
    form::submit(
        &s,
        &format!("/cases/{id}?done=person"),
        async |ctx| cases::update_person(&state.db, &ctx, id, &f).await,
        async |again| {
            let e = again.invalid()?;
            let k = cases::case_for_unit(&state.db, &s.ctx.store_ctx(), id, "person_update").await?;
            Ok(person_page(
                &state,
                &s,
                id,
                k.reference,
                f.clone(),
                k.person_id.is_some(),
                e,
            ))
        },
    )
    .await
}
