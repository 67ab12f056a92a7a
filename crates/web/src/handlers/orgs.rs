//! The directory of organisations: browse, read, create, edit.

use super::{kind_name, kind_options, role_names};
use crate::context::SignedIn;
use crate::error::AppResult;
use crate::extract::Path;
use crate::form::{self, Again};
use crate::i18n::Tr;
use crate::state::AppState;
use crate::views::{Chrome, Errors, render};
use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use domain::organisation::OrganisationForm;
use domain::policy::Placement;
use domain::role::Permission;
use domain::territory::TerritoryPath;
use domain::{DomainError, FieldErrors};
use serde::Deserialize;
use store::organisations::OrgFilter;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/organisations",
            get(list_organisations).post(create_organisation),
        )
        .route("/organisations/new", get(new_organisation))
        .route(
            "/organisations/{id}",
            get(show_organisation).post(update_organisation),
        )
        .route("/organisations/{id}/edit", get(edit_organisation))
}

pub const PAGE_SIZE: i64 = 50;

/// The organisation form's fields in page order.
const ORG_FIELDS: &[&str] = &[
    "name",
    "short_name",
    "kind",
    "territory_id",
    "edrpou",
    "email",
    "phone",
    "address",
];

pub struct OrgRow {
    pub id: i64,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: String,
    pub territory: String,
    pub edrpou: String,
    pub by_consent: bool,
}

#[derive(Template)]
#[template(path = "orgs_list.html")]
struct OrgsPage {
    c: Chrome,
    may_create: bool,
    flash: String,
    q: String,
    kind: String,
    territory: String,
    kinds: Vec<(String, String)>,
    territories: Vec<(String, String)>,
    rows: Vec<OrgRow>,
    first_page: bool,
    first_href: String,
    next_href: Option<String>,
}

#[derive(Template)]
#[template(path = "orgs_rows_partial.html")]
struct OrgsRowsPartial {
    c: Chrome,
    rows: Vec<OrgRow>,
    first_page: bool,
    first_href: String,
    next_href: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    territory: String,
    #[serde(default)]
    after: String,
    #[serde(default)]
    done: String,
}

fn href(q: &str, kind: &str, territory: &str, after: Option<&str>) -> String {
    let mut parts = Vec::new();
    for (k, v) in [
        ("q", q),
        ("kind", kind),
        ("territory", territory),
        ("after", after.unwrap_or("")),
    ] {
        if !v.is_empty() {
            parts.push(format!("{k}={}", urlencoding::encode(v)));
        }
    }
    if parts.is_empty() {
        "/organisations".into()
    } else {
        format!("/organisations?{}", parts.join("&"))
    }
}

/// `(id, indented name)` for the territory selects, optionally only those inside `within`.
pub async fn territory_options(
    state: &AppState,
    tr: &Tr,
    within: Option<&TerritoryPath>,
) -> Result<Vec<(String, String)>, DomainError> {
    let all = state.territories().await?;
    Ok(all
        .iter()
        .filter(|t| within.is_none_or(|w| t.path().is_ok_and(|p| w.contains(&p))))
        .map(|t| {
            let indent = "\u{a0}\u{a0}".repeat(t.depth());
            (t.id.to_string(), format!("{indent}{}", t.name(tr.code())))
        })
        .collect())
}

pub async fn list_organisations(
    State(state): State<AppState>,
    s: SignedIn,
    Query(q): Query<ListQuery>,
) -> AppResult {
    let c = Chrome::new(&state, &s.ctx);
    let tr = c.tr.clone();
    let within = match q.territory.parse::<i64>() {
        Ok(id) => store::reference::territory(&state.db, id)
            .await?
            .map(|t| t.path())
            .transpose()?,
        Err(_) => None,
    };
    let kind = domain::organisation::OrgKind::parse(&q.kind).map(|k| k.as_str().to_string());
    let filter = OrgFilter {
        kind: kind.clone(),
        within,
        text: Some(q.q.trim().to_string()).filter(|t| !t.is_empty()),
        after_key: Some(q.after.clone()).filter(|a| !a.is_empty()),
    };
    let (list, more) =
        store::service::list_organisations(&state.db, &s.ctx.store_ctx(), &filter, PAGE_SIZE).await?;
    let next_href = if more {
        list.last()
            .map(|o| href(&q.q, &q.kind, &q.territory, Some(&o.name_key)))
    } else {
        None
    };
    let rows: Vec<OrgRow> = list
        .into_iter()
        .map(|o| OrgRow {
            kind: kind_name(&tr, o.kind.as_str()),
            territory: o.territory_name(tr.code()).to_string(),
            edrpou: o.edrpou.clone().unwrap_or_default(),
            id: o.id,
            name: o.name,
            short_name: o.short_name,
            by_consent: o.by_consent.0,
        })
        .collect();
    let first_page = q.after.is_empty();
    let first_href = href(&q.q, &q.kind, &q.territory, None);
    // htmx asks for the results only when a filter changes.
    if s.ctx.htmx && s.ctx.path == "/organisations" {
        return Ok(render(
            StatusCode::OK,
            &OrgsRowsPartial {
                c,
                rows,
                first_page,
                first_href,
                next_href,
            },
        ));
    }
    let territories = territory_options(&state, &tr, None).await?;
    let flash = match q.done.as_str() {
        "imported" => tr.t("flash-imported"),
        _ => String::new(),
    };
    Ok(render(
        StatusCode::OK,
        &OrgsPage {
            may_create: s.user.actor.has(Permission::ManageOrganisations),
            flash,
            q: q.q,
            kind: kind.unwrap_or_default(),
            territory: q.territory,
            kinds: kind_options(&tr),
            territories,
            rows,
            first_page,
            first_href,
            next_href,
            c,
        },
    ))
}

pub struct MemberRow {
    pub id: i64,
    pub name: String,
    pub login: String,
    pub roles: String,
    pub disabled: bool,
}

#[derive(Template)]
#[template(path = "org_detail.html")]
struct OrgPage {
    c: Chrome,
    org: store::organisations::Organisation,
    kind: String,
    territory: String,
    bodies: Vec<(String, String)>,
    members: Option<Vec<MemberRow>>,
    may_edit: bool,
    may_add_user: bool,
    flash: String,
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: String,
}

pub async fn show_organisation(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Query(dq): Query<DoneQuery>,
) -> AppResult {
    let c = Chrome::new(&state, &s.ctx);
    let tr = c.tr.clone();
    let v = store::service::view_organisation(&state.db, &s.ctx.store_ctx(), id).await?;
    let path = v.org.path()?;
    let may_add_user = s.user.actor.may_manage_user(
        None,
        &Placement {
            org_id: v.org.id,
            territory: &path,
        },
    );
    let members = v.members.map(|ms| {
        ms.into_iter()
            .map(|(u, r)| MemberRow {
                id: u.id,
                name: u.full_name,
                login: u.login,
                roles: role_names(&tr, &r),
                disabled: u.disabled.0,
            })
            .collect()
    });
    let bodies = v
        .bodies
        .into_iter()
        .map(|b| (b.name, tr.t(&format!("body-kind-{}", b.kind))))
        .collect();
    let flash = match dq.done.as_str() {
        "created" => tr.t("flash-org-created"),
        "saved" => tr.t("flash-saved"),
        _ => String::new(),
    };
    Ok(render(
        StatusCode::OK,
        &OrgPage {
            kind: kind_name(&tr, v.org.kind.as_str()),
            territory: v.org.territory_name(tr.code()).to_string(),
            org: v.org,
            bodies,
            members,
            may_edit: v.may_edit,
            may_add_user,
            flash,
            c,
        },
    ))
}

/// The organisation form as typed (checkbox absent means "no").
#[derive(Deserialize, Default, Clone)]
pub struct OrgFormInput {
    #[serde(default)]
    name: String,
    #[serde(default)]
    short_name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    territory_id: String,
    #[serde(default)]
    edrpou: String,
    #[serde(default)]
    by_consent: Option<String>,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    version: i64,
}

impl OrgFormInput {
    fn to_domain(&self) -> OrganisationForm {
        OrganisationForm {
            name: self.name.clone(),
            short_name: self.short_name.clone(),
            kind: self.kind.clone(),
            territory_id: self.territory_id.clone(),
            edrpou: self.edrpou.clone(),
            by_consent: self.by_consent.as_deref() == Some("true"),
            email: self.email.clone(),
            phone: self.phone.clone(),
            address: self.address.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "org_form.html")]
struct OrgFormPage {
    c: Chrome,
    heading: String,
    action: String,
    cancel: String,
    form: OrganisationForm,
    version: i64,
    kinds: Vec<(String, String)>,
    territories: Vec<(String, String)>,
    errors: Errors,
    conflict: bool,
}

struct FormSpec {
    heading: String,
    action: String,
    cancel: String,
    version: i64,
}

async fn form_page(
    state: &AppState,
    s: &SignedIn,
    spec: FormSpec,
    form: OrganisationForm,
    errors: FieldErrors,
    conflict: bool,
) -> AppResult {
    let c = Chrome::new(state, &s.ctx);
    let tr = c.tr.clone();
    let territories = territory_options(state, &tr, Some(&s.user.actor.territory)).await?;
    let status = if errors.is_empty() && !conflict {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(
        status,
        &OrgFormPage {
            heading: spec.heading,
            action: spec.action,
            cancel: spec.cancel,
            version: spec.version,
            form,
            kinds: kind_options(&tr),
            territories,
            errors: Errors::new(&tr, errors).in_order(ORG_FIELDS),
            conflict,
            c,
        },
    ))
}

fn new_spec(tr: &Tr) -> FormSpec {
    FormSpec {
        heading: tr.t("orgs-new"),
        action: "/organisations".into(),
        cancel: "/organisations".into(),
        version: 0,
    }
}

pub async fn new_organisation(State(state): State<AppState>, s: SignedIn) -> AppResult {
    if !s.user.actor.has(Permission::ManageOrganisations) {
        let e = store::service::deny_page(&state.db, &s.ctx.store_ctx(), "organisation_create").await;
        return Err(e.into());
    }
    let tr = Tr::new(state.i18n.clone(), s.ctx.lang);
    form_page(
        &state,
        &s,
        new_spec(&tr),
        OrganisationForm::default(),
        FieldErrors::new(),
        false,
    )
    .await
}

pub async fn create_organisation(
    State(state): State<AppState>,
    s: SignedIn,
    Form(f): Form<OrgFormInput>,
) -> AppResult {
    let tr = Tr::new(state.i18n.clone(), s.ctx.lang);
    let form = f.to_domain();
    form::submit(
        &s,
        "/organisations/{id}?done=created",
        async |ctx| store::service::create_organisation(&state.db, &ctx, &form).await,
        async |again| form_page(&state, &s, new_spec(&tr), form.clone(), again.invalid()?, false).await,
    )
    .await
}

fn edit_spec(tr: &Tr, id: i64, version: i64) -> FormSpec {
    FormSpec {
        heading: tr.t("orgs-edit"),
        action: format!("/organisations/{id}"),
        cancel: format!("/organisations/{id}"),
        version,
    }
}

pub async fn edit_organisation(State(state): State<AppState>, s: SignedIn, Path(id): Path<i64>) -> AppResult {
    let tr = Tr::new(state.i18n.clone(), s.ctx.lang);
    let v = store::service::view_organisation(&state.db, &s.ctx.store_ctx(), id).await?;
    if !v.may_edit {
        let e = store::service::deny(
            &state.db,
            &s.ctx.store_ctx(),
            "organisation_edit",
            Some((domain::audit::SubjectKind::Organisation, id.to_string())),
        )
        .await;
        return Err(e.into());
    }
    let o = v.org;
    let form = OrganisationForm {
        name: o.name,
        short_name: o.short_name.unwrap_or_default(),
        kind: o.kind.as_str().to_string(),
        territory_id: o.territory_id.to_string(),
        edrpou: o.edrpou.unwrap_or_default(),
        by_consent: o.by_consent.0,
        email: o.email.unwrap_or_default(),
        phone: o.phone.unwrap_or_default(),
        address: o.address.unwrap_or_default(),
    };
    form_page(
        &state,
        &s,
        edit_spec(&tr, id, o.version),
        form,
        FieldErrors::new(),
        false,
    )
    .await
}

pub async fn update_organisation(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Form(f): Form<OrgFormInput>,
) -> AppResult {
    let tr = Tr::new(state.i18n.clone(), s.ctx.lang);
    let form = f.to_domain();
    form::submit(
        &s,
        &format!("/organisations/{id}?done=saved"),
        async |ctx| store::service::update_organisation(&state.db, &ctx, id, f.version, &form).await,
        async |again| match again {
            Again::Invalid(errors) => {
                form_page(
                    &state,
                    &s,
                    edit_spec(&tr, id, f.version),
                    form.clone(),
                    errors,
                    false,
                )
                .await
            }
            Again::Stale(_) => {
                // Someone saved first: keep what this person typed, offer the current version to save over.
                let current = store::reference::organisation_version(&state.db, id).await?;
                let version = current.unwrap_or(f.version);
                form_page(
                    &state,
                    &s,
                    edit_spec(&tr, id, version),
                    form.clone(),
                    FieldErrors::new(),
                    true,
                )
                .await
            }
        },
    )
    .await
}
