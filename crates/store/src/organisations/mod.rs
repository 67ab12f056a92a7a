//! Organisations: the permission-checked operations on them (list, view,
//! create, update), their rows (`rows`, crate-private SQL) and the import of
//! an organisation register (`import`).
//!
//! Security role: every public function here takes the acting principal's
//! context, decides with `domain::policy` on the record it reads, and writes
//! its audit row in the transaction that makes the change.

pub mod import;
sql_mod!(rows);

pub(crate) use rows::*;
pub use rows::{BodyRow, OrgFilter, OrgListRow, Organisation, PublicHelp};

use crate::access::{allowed, deny, deny_page};
use crate::error::OrInternal;
use crate::reference::territories;
use crate::users::rows::{self as users, User};
use crate::{Ctx, Db, audit, forms};
use domain::audit::{AuditAction, SubjectKind};
use domain::organisation::{OrganisationForm, OrganisationInput};
use domain::policy::{Actor, Placement};
use domain::role::RoleSet;
use domain::territory::TerritoryPath;
use domain::{DomainError, DomainResult, FieldErrors};
use serde_json::json;

/// The most organisations the public directory shows at once.
pub const PUBLIC_DIRECTORY_LIMIT: i64 = 500;

/// The public directory of help: the organisations their administrators
/// listed, within the territory `within` (a territory id; all when `None`),
/// with only what a visitor may read. Open to every principal — it is the
/// one read of this aggregate a `Principal::Public` may make, and it is not
/// audited, since the visitor must leave no trace (ADR 0013).
pub async fn public_directory(db: &Db, _ctx: &Ctx, within: Option<i64>) -> DomainResult<Vec<PublicHelp>> {
    let path = match within {
        Some(id) => match territories::get(db.pool(), id).await? {
            Some(t) => Some(t.path()?),
            None => return Ok(Vec::new()),
        },
        None => None,
    };
    rows::public_listed(db.pool(), path.as_ref(), PUBLIC_DIRECTORY_LIMIT).await
}

pub async fn list_organisations(
    db: &Db,
    ctx: &Ctx,
    f: &OrgFilter,
    limit: i64,
) -> DomainResult<(Vec<OrgListRow>, bool)> {
    if !allowed(ctx, Actor::may_view_directory) {
        return Err(deny_page(db, ctx, "organisations").await);
    }
    rows::list(db.pool(), f, limit).await
}

pub struct OrganisationView {
    pub org: Organisation,
    /// Members are listed for people of the organisation itself and for administrators over it.
    pub members: Option<Vec<(User, RoleSet)>>,
    pub bodies: Vec<rows::BodyRow>,
    pub may_edit: bool,
}

pub async fn view_organisation(db: &Db, ctx: &Ctx, id: i64) -> DomainResult<OrganisationView> {
    if !allowed(ctx, Actor::may_view_directory) {
        return Err(deny_page(db, ctx, "organisation").await);
    }
    let org = rows::get(db.pool(), id).await?.ok_or(DomainError::NotFound)?;
    let path = org.path()?;
    let at = Placement {
        org_id: org.id,
        territory: &path,
    };
    let members = if allowed(ctx, |a| a.may_view_user(&at)) {
        Some(members_with_roles(db, org.id).await?)
    } else {
        None
    };
    let may_edit = allowed(ctx, |a| a.may_manage_organisation(&at));
    let bodies = rows::bodies_of(db.pool(), org.id).await?;
    Ok(OrganisationView {
        org,
        members,
        bodies,
        may_edit,
    })
}

/// The users of an organisation with their roles: two queries, whatever the size.
pub async fn members_with_roles(db: &Db, org_id: i64) -> DomainResult<Vec<(User, RoleSet)>> {
    let list = users::list_by_org(db.pool(), org_id, 500).await?;
    let roles = users::roles_of_many(db.pool(), org_id).await?;
    Ok(list
        .into_iter()
        .map(|u| {
            let set = RoleSet::from_stored(roles.iter().filter(|(id, _)| *id == u.id).map(|(_, r)| *r));
            (u, set)
        })
        .collect())
}

async fn territory_path_for(db: &Db, territory_id: i64) -> DomainResult<Option<TerritoryPath>> {
    match territories::get(db.pool(), territory_id).await? {
        Some(t) => Ok(Some(t.path()?)),
        None => Ok(None),
    }
}

fn invalid_territory() -> DomainError {
    let mut e = FieldErrors::new();
    e.add("territory_id", "err-invalid-choice");
    DomainError::Validation(e)
}

pub async fn create_organisation(db: &Db, ctx: &Ctx, form: &OrganisationForm) -> DomainResult<i64> {
    if !allowed(ctx, |a| a.has(domain::role::Permission::ManageOrganisations)) {
        return Err(deny_page(db, ctx, "organisation_create").await);
    }
    let input = form.validate()?;
    let path = territory_path_for(db, input.territory_id)
        .await?
        .ok_or_else(invalid_territory)?;
    if !allowed(ctx, |a| a.may_create_organisation_in(&path)) {
        // The territory is outside the administrator's reach: say so beside the field.
        return Err(invalid_territory());
    }
    let mut tx = forms::begin(db, ctx).await?;
    let id = rows::insert(&mut tx, &input, &path, ctx.now).await?;
    audit::record(
        &mut *tx,
        ctx,
        AuditAction::OrganisationCreated,
        Some((SubjectKind::Organisation, id.to_string())),
        json!({ "kind": input.kind.as_str(), "territory_id": input.territory_id }),
    )
    .await?;
    forms::commit(tx, ctx, id).await?;
    Ok(id)
}

pub async fn update_organisation(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    version: i64,
    form: &OrganisationForm,
) -> DomainResult<()> {
    let org = rows::get(db.pool(), id).await?;
    let Some(org) = org else {
        return Err(deny(
            db,
            ctx,
            "organisation_update",
            Some((SubjectKind::Organisation, id.to_string())),
        )
        .await);
    };
    let path = org.path()?;
    if !allowed(ctx, |a| {
        a.may_manage_organisation(&Placement {
            org_id: id,
            territory: &path,
        })
    }) {
        return Err(deny(
            db,
            ctx,
            "organisation_update",
            Some((SubjectKind::Organisation, id.to_string())),
        )
        .await);
    }
    let input = form.validate()?;
    let new_path = territory_path_for(db, input.territory_id)
        .await?
        .ok_or_else(invalid_territory)?;
    if !allowed(ctx, |a| a.may_create_organisation_in(&new_path)) {
        return Err(invalid_territory());
    }
    let mut tx = db.begin().await.or_internal()?;
    rows::update(&mut tx, id, version, &input, &new_path, ctx.now).await?;
    audit::record(
        &mut *tx,
        ctx,
        AuditAction::OrganisationUpdated,
        Some((SubjectKind::Organisation, id.to_string())),
        json!({ "changed": changed_fields(&org, &input) }),
    )
    .await?;
    tx.commit().await.or_internal()
}

fn changed_fields(old: &Organisation, new: &OrganisationInput) -> Vec<&'static str> {
    let mut v = Vec::new();
    if old.name != new.name {
        v.push("name");
    }
    if old.short_name != new.short_name {
        v.push("short_name");
    }
    if old.kind != new.kind {
        v.push("kind");
    }
    if old.territory_id != new.territory_id {
        v.push("territory_id");
    }
    if old.edrpou != new.edrpou.as_ref().map(|e| e.to_string()) {
        v.push("edrpou");
    }
    if old.by_consent.0 != new.by_consent {
        v.push("by_consent");
    }
    if old.email != new.email || old.phone != new.phone || old.address != new.address {
        v.push("contacts");
    }
    v
}
