//! Editing the facts of a case (everything but the person), with the
//! version check: someone who saved first is not overwritten.

use super::form_opts;
use crate::context::SignedIn;
use crate::error::AppResult;
use crate::extract::Path;
use crate::form::{self, Again};
use crate::handlers::{Opt, one, opts};
use crate::state::AppState;
use crate::views::{Chrome, Errors, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum_extra::extract::Form;
use domain::FieldErrors;
use domain::case::{CameToAttention, CaseForm, PlaceKind, Sex};
use store::cases;

const CASE_FIELDS: &[&str] = &[
    "sex",
    "age",
    "is_child",
    "legal_representative",
    "citizenship",
    "language",
    "came_to_attention",
    "forms",
    "place_kind",
    "country",
    "period_from",
    "period_to",
    "recruitment",
    "proceedings_ref",
    "notes",
];

/// The case's facts as the edit form shows them first.
fn case_form_of(k: &cases::CaseRow, forms: Vec<String>) -> CaseForm {
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    CaseForm {
        sex: k.sex.as_str().to_string(),
        age: k.age.map(|a| a.to_string()).unwrap_or_default(),
        citizenship: s(&k.citizenship),
        language: s(&k.language),
        interpreter: k.interpreter.0,
        idp: k.idp.0,
        is_child: k.is_child.0,
        legal_representative: s(&k.legal_representative),
        forms,
        place_kind: k.place_kind.map(|p| p.as_str().to_string()).unwrap_or_default(),
        country: s(&k.country),
        period_from: s(&k.period_from),
        period_to: s(&k.period_to),
        recruitment: s(&k.recruitment),
        came_to_attention: k.came_to_attention.as_str().to_string(),
        proceedings_ref: s(&k.proceedings_ref),
        notes: s(&k.notes),
        version: k.version.to_string(),
    }
}

#[derive(Template)]
#[template(path = "case_edit.html")]
struct CaseEditPage {
    c: Chrome,
    id: i64,
    reference: String,
    f: CaseForm,
    interpreter: bool,
    idp: bool,
    child: bool,
    sexes: Vec<Opt>,
    came: Vec<Opt>,
    places: Vec<Opt>,
    forms: Vec<Opt>,
    errors: Errors,
    conflict: bool,
}

async fn case_edit_page(
    state: &AppState,
    s: &SignedIn,
    id: i64,
    reference: String,
    f: CaseForm,
    errors: FieldErrors,
    conflict: bool,
) -> AppResult {
    let c = Chrome::new(state, &s.ctx);
    let tr = c.tr.clone();
    let all_forms = store::lookups::exploitation_forms(&state.db).await?;
    let errors = Errors::new(&tr, errors).in_order(CASE_FIELDS);
    let status = if conflict {
        StatusCode::CONFLICT
    } else {
        errors.status()
    };
    let page = CaseEditPage {
        id,
        reference,
        interpreter: f.interpreter,
        idp: f.idp,
        child: f.is_child,
        sexes: opts(&tr, "case-sex", Sex::ALL.iter().map(|v| v.as_str()), &one(&f.sex)),
        came: opts(
            &tr,
            "case-came",
            CameToAttention::ALL.iter().map(|v| v.as_str()),
            &one(&f.came_to_attention),
        ),
        places: opts(
            &tr,
            "case-place",
            PlaceKind::ALL.iter().map(|v| v.as_str()),
            &one(&f.place_kind),
        ),
        forms: form_opts(&all_forms, &f.forms, tr.code()),
        f,
        errors,
        conflict,
        c,
    };
    Ok(render(status, &page))
}

pub async fn edit_case(State(state): State<AppState>, s: SignedIn, Path(id): Path<i64>) -> AppResult {
    let (k, forms, _) = cases::case_for_edit(&state.db, &s.ctx.store_ctx(), id).await?;
    let f = case_form_of(&k, forms);
    case_edit_page(&state, &s, id, k.reference, f, FieldErrors::new(), false).await
}

pub async fn update_case(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Form(f): Form<CaseForm>,
) -> AppResult {
    form::submit(
        &s,
        &format!("/cases/{id}?done=saved"),
        async |ctx| cases::update_case(&state.db, &ctx, id, &f).await,
        async |again| {
            let k = cases::case_for_unit(&state.db, &s.ctx.store_ctx(), id, "case_update").await?;
            match again {
                Again::Invalid(e) => case_edit_page(&state, &s, id, k.reference, f.clone(), e, false).await,
                Again::Stale(_) => {
                    // Someone saved first: keep what was typed, against the current version.
                    let f = CaseForm {
                        version: k.version.to_string(),
                        ..f.clone()
                    };
                    case_edit_page(&state, &s, id, k.reference, f, FieldErrors::new(), true).await
                }
            }
        },
    )
    .await
}
