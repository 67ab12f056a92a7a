//! Staff accounts: create, edit roles, disable, reset a password.

use super::{role_name, role_names};
use crate::context::SignedIn;
use crate::error::AppResult;
use crate::extract::Path;
use crate::form;
use crate::form::see_other;
use crate::state::AppState;
use crate::views::{Chrome, Errors, datetime, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use domain::FieldErrors;
use domain::role::{Permission, Role};
use domain::user::UserForm;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/users", post(create_user))
        .route("/users/new", get(new_user))
        .route("/users/{id}", get(show_user).post(update_user))
        .route("/users/{id}/edit", get(edit_user))
        .route("/users/{id}/disable", post(disable_user))
        .route("/users/{id}/enable", post(enable_user))
        .route("/users/{id}/password", post(reset_password))
}

#[derive(Deserialize, Default, Clone)]
pub struct UserFormInput {
    #[serde(default)]
    login: String,
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    org_id: String,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    password: String,
}

impl UserFormInput {
    fn to_domain(&self) -> UserForm {
        UserForm {
            login: self.login.clone(),
            full_name: self.full_name.clone(),
            email: self.email.clone(),
            org_id: self.org_id.clone(),
            roles: self.roles.clone(),
            password: self.password.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "user_form.html")]
struct UserFormPage {
    c: Chrome,
    heading: String,
    action: String,
    cancel: String,
    editing: bool,
    form: UserForm,
    orgs: Vec<(String, String)>,
    roles: Vec<(String, String, bool)>,
    errors: Errors,
}

async fn form_page(
    state: &AppState,
    s: &SignedIn,
    editing: Option<i64>,
    form: UserForm,
    errors: FieldErrors,
) -> AppResult {
    let c = Chrome::new(state, &s.ctx);
    let tr = c.tr.clone();
    let orgs = store::users::organisations_for_user_form(&state.db, &s.ctx.store_ctx())
        .await?
        .into_iter()
        .map(|o| (o.id.to_string(), o.name))
        .collect();
    let roles = Role::ALL
        .iter()
        .map(|r| {
            (
                r.as_str().to_string(),
                role_name(&tr, *r),
                form.roles.iter().any(|x| x == r.as_str()),
            )
        })
        .collect();
    let (heading, action, cancel) = match editing {
        Some(id) => (tr.t("users-edit"), format!("/users/{id}"), format!("/users/{id}")),
        None => (
            tr.t("nav-new-user"),
            "/users".to_string(),
            "/organisations".to_string(),
        ),
    };
    let errors = Errors::new(&tr, errors).in_order(&["login", "full_name", "email", "org_id", "password"]);
    Ok(render(
        errors.status(),
        &UserFormPage {
            heading,
            action,
            cancel,
            editing: editing.is_some(),
            form,
            orgs,
            roles,
            errors,
            c,
        },
    ))
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    org: String,
}

pub async fn new_user(State(state): State<AppState>, s: SignedIn, Query(q): Query<NewQuery>) -> AppResult {
    if !s.user.actor.has(Permission::ManageUsers) {
        let e = store::access::deny_page(&state.db, &s.ctx.store_ctx(), "user_create").await;
        return Err(e.into());
    }
    let form = UserForm {
        org_id: q.org,
        ..Default::default()
    };
    form_page(&state, &s, None, form, FieldErrors::new()).await
}

pub async fn create_user(
    State(state): State<AppState>,
    s: SignedIn,
    Form(f): Form<UserFormInput>,
) -> AppResult {
    let form = f.to_domain();
    form::submit(
        &s,
        "/users/{id}?done=created",
        async |ctx| store::users::create_user(&state.db, &ctx, &form, true).await,
        async |again| {
            // The password is never sent back to the browser.
            let form = UserForm {
                password: String::new(),
                ..form.clone()
            };
            form_page(&state, &s, None, form, again.invalid()?).await
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "user_detail.html")]
struct UserPage {
    c: Chrome,
    user: store::users::User,
    roles: String,
    last_sign_in: String,
    may_manage: bool,
    flash: String,
    errors: Errors,
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: String,
}

async fn user_page(state: &AppState, s: &SignedIn, id: i64, flash: &str, errors: FieldErrors) -> AppResult {
    let c = Chrome::new(state, &s.ctx);
    let tr = c.tr.clone();
    let v = store::users::view_user(&state.db, &s.ctx.store_ctx(), id).await?;
    let flash = match flash {
        "" => String::new(),
        key => tr.t(&format!("flash-user-{key}")),
    };
    let errors = Errors::new(&tr, errors).in_order(&["password"]);
    Ok(render(
        errors.status(),
        &UserPage {
            roles: role_names(&tr, &v.roles),
            last_sign_in: v.user.last_sign_in_at.map(datetime).unwrap_or_else(|| "—".into()),
            user: v.user,
            may_manage: v.may_manage,
            flash,
            errors,
            c,
        },
    ))
}

pub async fn show_user(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> AppResult {
    let flash = match q.done.as_str() {
        "created" | "saved" | "disabled" | "enabled" | "password" => q.done.clone(),
        _ => String::new(),
    };
    user_page(&state, &s, id, &flash, FieldErrors::new()).await
}

pub async fn edit_user(State(state): State<AppState>, s: SignedIn, Path(id): Path<i64>) -> AppResult {
    let v = store::users::view_user(&state.db, &s.ctx.store_ctx(), id).await?;
    if !v.may_manage {
        let e = store::access::deny(
            &state.db,
            &s.ctx.store_ctx(),
            "user_edit",
            Some((domain::audit::SubjectKind::User, id.to_string())),
        )
        .await;
        return Err(e.into());
    }
    let form = UserForm {
        login: v.user.login,
        full_name: v.user.full_name,
        email: v.user.email.unwrap_or_default(),
        org_id: v.user.org_id.to_string(),
        roles: v.roles.iter().map(|r| r.as_str().to_string()).collect(),
        password: String::new(),
    };
    form_page(&state, &s, Some(id), form, FieldErrors::new()).await
}

pub async fn update_user(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Form(f): Form<UserFormInput>,
) -> AppResult {
    let form = f.to_domain();
    form::submit(
        &s,
        &format!("/users/{id}?done=saved"),
        async |ctx| store::users::update_user(&state.db, &ctx, id, &form).await,
        async |again| form_page(&state, &s, Some(id), form.clone(), again.invalid()?).await,
    )
    .await
}

pub async fn disable_user(State(state): State<AppState>, s: SignedIn, Path(id): Path<i64>) -> AppResult {
    store::users::set_user_disabled(&state.db, &s.ctx.store_ctx(), id, true).await?;
    Ok(see_other(&format!("/users/{id}?done=disabled")))
}

pub async fn enable_user(State(state): State<AppState>, s: SignedIn, Path(id): Path<i64>) -> AppResult {
    store::users::set_user_disabled(&state.db, &s.ctx.store_ctx(), id, false).await?;
    Ok(see_other(&format!("/users/{id}?done=enabled")))
}

#[derive(Deserialize)]
pub struct PasswordInput {
    #[serde(default)]
    password: String,
}

pub async fn reset_password(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Form(f): Form<PasswordInput>,
) -> AppResult {
    form::submit(
        &s,
        &format!("/users/{id}?done=password"),
        async |ctx| store::users::reset_password(&state.db, &ctx, id, f.password, true).await,
        async |again| user_page(&state, &s, id, "", again.invalid()?).await,
    )
    .await
}
