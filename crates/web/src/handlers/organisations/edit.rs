//! Creating and editing an organisation, with the version check: someone
//! who saved first is not overwritten.

use crate::context::SignedIn;
use crate::error::AppResult;
use crate::extract::Path;
use crate::form::{self, Again};
use crate::handlers::{kind_options, territory_options};
use crate::i18n::Tr;
use crate::state::AppState;
use crate::views::{Chrome, Errors, render};
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use domain::FieldErrors;
use domain::organisation::OrganisationForm;
use domain::role::Permission;
use serde::Deserialize;

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
    "public_listing",
    "public_offer",
];

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
    public_listing: Option<String>,
    #[serde(default)]
    public_offer: String,
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
            public_listing: self.public_listing.as_deref() == Some("true"),
            public_offer: self.public_offer.clone(),
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
        let e = store::access::deny_page(&state.db, &s.ctx.store_ctx(), "organisation_create").await;
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
        async |ctx| store::organisations::create_organisation(&state.db, &ctx, &form).await,
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
    let v = store::organisations::view_organisation(&state.db, &s.ctx.store_ctx(), id).await?;
    if !v.may_edit {
        let e = store::access::deny(
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
        public_listing: o.public_listing.0,
        public_offer: o.public_offer.unwrap_or_default(),
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
        async |ctx| store::organisations::update_organisation(&state.db, &ctx, id, f.version, &form).await,
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
                let current = store::lookups::organisation_version(&state.db, id).await?;
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
