//! Coordination councils and multidisciplinary groups.

use super::kind_name;
use crate::context::SignedIn;
use crate::error::AppResult;
use crate::extract::Path;
use crate::form;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::views::{Chrome, Errors, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum_extra::extract::Form;
use domain::FieldErrors;
use domain::organisation::BodyKind;
use domain::role::Permission;
use serde::Deserialize;
use store::bodies::BodyForm;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/bodies", get(list_bodies).post(create_body))
        .route("/bodies/new", get(new_body))
        .route("/bodies/{id}", get(show_body))
}

fn body_kind_name(tr: &Tr, kind: &str) -> String {
    tr.t(&format!("body-kind-{kind}"))
}

#[derive(Template)]
#[template(path = "bodies_list.html")]
struct BodiesPage {
    c: Chrome,
    may_create: bool,
    rows: Vec<(i64, String, String, String, i64)>,
}

pub async fn list_bodies(State(state): State<AppState>, s: SignedIn) -> AppResult {
    let c = Chrome::new(&state, &s.ctx);
    let tr = c.tr.clone();
    let rows = store::bodies::list(&state.db, &s.ctx.store_ctx())
        .await?
        .into_iter()
        .map(|b| {
            let territory = b.territory_name(tr.code()).to_string();
            (
                b.id,
                b.name,
                body_kind_name(&tr, b.kind.as_str()),
                territory,
                b.members,
            )
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &BodiesPage {
            may_create: s.user.actor.has(Permission::ManageOrganisations),
            rows,
            c,
        },
    ))
}

#[derive(Template)]
#[template(path = "body_detail.html")]
struct BodyPage {
    c: Chrome,
    name: String,
    kind: String,
    territory: String,
    members: Vec<(i64, String)>,
    flash: String,
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: String,
}

pub async fn show_body(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> AppResult {
    let c = Chrome::new(&state, &s.ctx);
    let tr = c.tr.clone();
    let v = store::bodies::view(&state.db, &s.ctx.store_ctx(), id).await?;
    let flash = if q.done == "created" {
        tr.t("flash-body-created")
    } else {
        String::new()
    };
    Ok(render(
        StatusCode::OK,
        &BodyPage {
            kind: body_kind_name(&tr, v.body.kind.as_str()),
            territory: v.body.territory_name(tr.code()).to_string(),
            name: v.body.name,
            members: v.members.into_iter().map(|o| (o.id, o.name)).collect(),
            flash,
            c,
        },
    ))
}

#[derive(Template)]
#[template(path = "body_form.html")]
struct BodyFormPage {
    c: Chrome,
    form: BodyForm,
    kinds: Vec<(String, String)>,
    territories: Vec<(String, String)>,
    orgs: Vec<(String, String, bool)>,
    errors: Errors,
}

async fn form_page(state: &AppState, s: &SignedIn, form: BodyForm, errors: FieldErrors) -> AppResult {
    let c = Chrome::new(state, &s.ctx);
    let tr = c.tr.clone();
    let territories = super::territory_options(state, &tr, Some(&s.user.actor.territory)).await?;
    let orgs = store::users::organisations_for_user_form(&state.db, &s.ctx.store_ctx())
        .await?
        .into_iter()
        .map(|o| {
            let id = o.id.to_string();
            let selected = form.members.contains(&id);
            let label = format!("{} — {}", o.name, kind_name(&tr, o.kind.as_str()));
            (id, label, selected)
        })
        .collect();
    let kinds = BodyKind::ALL
        .iter()
        .map(|k| (k.as_str().to_string(), body_kind_name(&tr, k.as_str())))
        .collect();
    let errors = Errors::new(&tr, errors).in_order(&["name", "kind", "territory_id", "members"]);
    Ok(render(
        errors.status(),
        &BodyFormPage {
            form,
            kinds,
            territories,
            orgs,
            errors,
            c,
        },
    ))
}

pub async fn new_body(State(state): State<AppState>, s: SignedIn) -> AppResult {
    if !s.user.actor.has(Permission::ManageOrganisations) {
        let e = store::access::deny_page(&state.db, &s.ctx.store_ctx(), "body_create").await;
        return Err(e.into());
    }
    form_page(&state, &s, BodyForm::default(), FieldErrors::new()).await
}

#[derive(Deserialize, Default)]
pub struct BodyInput {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    territory_id: String,
    #[serde(default)]
    members: Vec<String>,
}

pub async fn create_body(State(state): State<AppState>, s: SignedIn, Form(f): Form<BodyInput>) -> AppResult {
    let form = BodyForm {
        kind: f.kind,
        name: f.name,
        territory_id: f.territory_id,
        members: f.members,
    };
    form::submit(
        &s,
        "/bodies/{id}?done=created",
        async |ctx| store::bodies::create(&state.db, &ctx, &form).await,
        async |again| form_page(&state, &s, form.clone(), again.invalid()?).await,
    )
    .await
}
