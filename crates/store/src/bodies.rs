//! Coordination councils and multidisciplinary groups: named bodies with member organisations.

use crate::codes::Code;
use crate::error::{OrInternal, keys, violates};
use crate::reference::territories;
use crate::{Ctx, Db, audit, forms, organisations};
use domain::audit::{AuditAction, SubjectKind};
use domain::organisation::BodyKind;
use domain::policy::Actor;
use domain::role::Permission;
use domain::validation::{max_chars, required};
use domain::{DomainError, DomainResult, FieldErrors};
use serde_json::json;
use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct Body {
    pub id: i64,
    #[sqlx(try_from = "Code<BodyKind>")]
    pub kind: BodyKind,
    pub name: String,
    pub territory_id: i64,
    pub territory_name_uk: String,
    pub territory_name_en: String,
    pub members: i64,
}

impl Body {
    pub fn territory_name(&self, lang: &str) -> &str {
        crate::localized(lang, &self.territory_name_uk, &self.territory_name_en)
    }
}

const SELECT: &str = "SELECT b.id, b.kind, b.name, b.territory_id, t.name_uk AS territory_name_uk, \
    t.name_en AS territory_name_en, (SELECT COUNT(*) FROM body_members m WHERE m.body_id = b.id) AS members \
    FROM bodies b JOIN territories t ON t.id = b.territory_id";

/// Every body, by name (a deployment has tens of them, not thousands).
pub async fn list(db: &Db, ctx: &Ctx) -> DomainResult<Vec<Body>> {
    if !crate::access::allowed(ctx, Actor::may_view_directory) {
        return Err(crate::access::deny_page(db, ctx, "bodies").await);
    }
    sqlx::query_as(&format!("{SELECT} ORDER BY b.name"))
        .fetch_all(db.pool())
        .await
        .or_internal()
}

pub struct BodyView {
    pub body: Body,
    pub members: Vec<organisations::Organisation>,
}

pub async fn view(db: &Db, ctx: &Ctx, id: i64) -> DomainResult<BodyView> {
    if !crate::access::allowed(ctx, Actor::may_view_directory) {
        return Err(crate::access::deny_page(db, ctx, "body").await);
    }
    let body: Body = sqlx::query_as(&format!("{SELECT} WHERE b.id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await
        .or_internal()?
        .ok_or(DomainError::NotFound)?;
    let members = organisations::members_of_body(db.pool(), id).await?;
    Ok(BodyView { body, members })
}

/// What an administrator typed into the new-body form.
#[derive(Debug, Clone, Default)]
pub struct BodyForm {
    pub kind: String,
    pub name: String,
    pub territory_id: String,
    pub members: Vec<String>,
}

/// Creates a body with its members; every member must exist.
pub async fn create(db: &Db, ctx: &Ctx, form: &BodyForm) -> DomainResult<i64> {
    if !crate::access::allowed(ctx, |a| a.has(Permission::ManageOrganisations)) {
        return Err(crate::access::deny_page(db, ctx, "body_create").await);
    }
    let mut e = FieldErrors::new();
    let name = required(&mut e, "name", &form.name);
    max_chars(&mut e, "name", &name, 300);
    let kind = BodyKind::parse(form.kind.trim());
    if kind.is_none() {
        e.add(
            "kind",
            if form.kind.trim().is_empty() {
                "err-required"
            } else {
                "err-invalid-choice"
            },
        );
    }
    let territory = match form.territory_id.trim().parse::<i64>() {
        Ok(id) => territories::get(db.pool(), id).await?,
        Err(_) => None,
    };
    let territory = territory.filter(|t| {
        t.path()
            .is_ok_and(|p| crate::access::allowed(ctx, |a| a.territory.contains(&p)))
    });
    if territory.is_none() {
        e.add(
            "territory_id",
            if form.territory_id.trim().is_empty() {
                "err-required"
            } else {
                "err-invalid-choice"
            },
        );
    }
    let mut members = Vec::new();
    for m in &form.members {
        match m.parse::<i64>() {
            Ok(id) if organisations::get(db.pool(), id).await?.is_some() => members.push(id),
            _ => e.add("members", "err-invalid-choice"),
        }
    }
    members.sort_unstable();
    members.dedup();
    if members.is_empty() {
        e.add("members", "err-members-empty");
    }
    let (Some(kind), Some(territory)) = (kind, territory) else {
        return Err(DomainError::Validation(e));
    };
    if !e.is_empty() {
        return Err(DomainError::Validation(e));
    }
    let mut tx = forms::begin(db, ctx).await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO bodies (kind, name, territory_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(kind.as_str())
    .bind(&name)
    .bind(territory.id)
    .bind(ctx.now)
    .fetch_one(&mut *tx)
    .await
    .map_err(|err| {
        if violates(&err, &keys::BODIES_NAME) {
            let mut f = FieldErrors::new();
            f.add("name", "err-body-name-taken");
            DomainError::Validation(f)
        } else {
            crate::error::internal(err)
        }
    })?;
    for org_id in &members {
        sqlx::query("INSERT INTO body_members (body_id, org_id) VALUES ($1, $2)")
            .bind(id)
            .bind(org_id)
            .execute(&mut *tx)
            .await
            .or_internal()?;
    }
    audit::record(
        &mut *tx,
        ctx,
        AuditAction::BodyCreated,
        Some((SubjectKind::Body, id.to_string())),
        json!({ "kind": kind.as_str(), "members": members }),
    )
    .await?;
    forms::commit(tx, ctx, id).await?;
    Ok(id)
}
