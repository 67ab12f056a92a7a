//! Permission-checked operations: the only way pages change or read protected data.
//!
//! Security role: each function takes the acting person's context, asks
//! `domain::policy` whether the action is allowed *for this record*, and either
//! does it — writing the audit row in the same transaction — or records a
//! `permission_denied` audit row and answers `NotFound`, so that nobody learns
//! whether a record they may not see exists.
//!
//! The command line acts as `Principal::System` (`Ctx::system`, behind the
//! crate's `system` feature, which the web crate cannot enable); an anonymous
//! visitor (`Principal::Public`) is refused every operation here.

use crate::error::OrInternal;
use crate::organisations::{self, OrgFilter, OrgListRow, Organisation};
use crate::users::{self, NewUser, User};
use crate::{Ctx, Db, Principal, audit, forms, password, sessions, territories};
use domain::audit::{AuditAction, SubjectKind};
use domain::organisation::{OrganisationForm, OrganisationInput};
use domain::policy::{Actor, Placement};
use domain::role::RoleSet;
use domain::territory::TerritoryPath;
use domain::user::UserForm;
use domain::{DomainError, DomainResult, FieldErrors};
use serde_json::json;

/// Whether the acting principal may do what `check` asks of a person: a
/// signed-in person when `check` says so, the system always, an anonymous
/// visitor never.
pub(crate) fn allowed(ctx: &Ctx, check: impl FnOnce(&Actor) -> bool) -> bool {
    match &ctx.principal {
        Principal::User(a) => check(a),
        Principal::System(_) => true,
        Principal::Public => false,
    }
}

/// Records that the actor was refused `what` on `subject`, and answers `NotFound`.
pub async fn deny(db: &Db, ctx: &Ctx, what: &str, subject: Option<(SubjectKind, String)>) -> DomainError {
    let result = audit::record_view(
        db,
        ctx,
        AuditAction::PermissionDenied,
        subject,
        json!({ "attempted": what }),
    )
    .await;
    match result {
        Ok(()) => DomainError::NotFound,
        Err(e) => e,
    }
}

/// Like [`deny`] but for whole pages a role may not open: answers `Forbidden`.
pub async fn deny_page(db: &Db, ctx: &Ctx, page: &str) -> DomainError {
    match deny(db, ctx, page, Some((SubjectKind::Page, page.to_string()))).await {
        DomainError::NotFound => DomainError::Forbidden,
        e => e,
    }
}

// ---------------------------------------------------------------- organisations

pub async fn list_organisations(
    db: &Db,
    ctx: &Ctx,
    f: &OrgFilter,
    limit: i64,
) -> DomainResult<(Vec<OrgListRow>, bool)> {
    if !allowed(ctx, Actor::may_view_directory) {
        return Err(deny_page(db, ctx, "organisations").await);
    }
    organisations::list(db.pool(), f, limit).await
}

pub struct OrganisationView {
    pub org: Organisation,
    /// Members are listed for people of the organisation itself and for administrators over it.
    pub members: Option<Vec<(User, RoleSet)>>,
    pub bodies: Vec<organisations::BodyRow>,
    pub may_edit: bool,
}

pub async fn view_organisation(db: &Db, ctx: &Ctx, id: i64) -> DomainResult<OrganisationView> {
    if !allowed(ctx, Actor::may_view_directory) {
        return Err(deny_page(db, ctx, "organisation").await);
    }
    let org = organisations::get(db.pool(), id)
        .await?
        .ok_or(DomainError::NotFound)?;
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
    let bodies = organisations::bodies_of(db.pool(), org.id).await?;
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
    let id = organisations::insert(&mut tx, &input, &path, ctx.now).await?;
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
    let org = organisations::get(db.pool(), id).await?;
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
    organisations::update(&mut tx, id, version, &input, &new_path, ctx.now).await?;
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

// ---------------------------------------------------------------- users

pub struct UserView {
    pub user: User,
    pub roles: RoleSet,
    pub may_manage: bool,
}

async fn user_placement(db: &Db, user_id: i64) -> DomainResult<Option<(User, TerritoryPath)>> {
    match users::get(db.pool(), user_id).await? {
        Some(u) => {
            let p = TerritoryPath::parse(&u.org_territory_path)
                .ok_or_else(|| DomainError::Internal("path".into()))?;
            Ok(Some((u, p)))
        }
        None => Ok(None),
    }
}

pub async fn view_user(db: &Db, ctx: &Ctx, user_id: i64) -> DomainResult<UserView> {
    let subject = Some((SubjectKind::User, user_id.to_string()));
    let Some((user, path)) = user_placement(db, user_id).await? else {
        return Err(deny(db, ctx, "user_view", subject).await);
    };
    let at = Placement {
        org_id: user.org_id,
        territory: &path,
    };
    if !allowed(ctx, |a| a.may_view_user(&at)) {
        return Err(deny(db, ctx, "user_view", subject).await);
    }
    let roles = users::roles_of(db.pool(), user_id).await?;
    let may_manage = allowed(ctx, |a| a.may_manage_user(Some(user_id), &at));
    Ok(UserView {
        user,
        roles,
        may_manage,
    })
}

/// Checks that the actor may manage this user; otherwise records the denial.
async fn managed_user(db: &Db, ctx: &Ctx, user_id: i64, what: &str) -> DomainResult<User> {
    let subject = Some((SubjectKind::User, user_id.to_string()));
    let Some((user, path)) = user_placement(db, user_id).await? else {
        return Err(deny(db, ctx, what, subject).await);
    };
    if !allowed(ctx, |a| {
        a.may_manage_user(
            Some(user_id),
            &Placement {
                org_id: user.org_id,
                territory: &path,
            },
        )
    }) {
        return Err(deny(db, ctx, what, subject).await);
    }
    Ok(user)
}

/// Checks that the actor may place a user in organisation `org_id`.
async fn org_for_new_user(db: &Db, ctx: &Ctx, org_id: i64) -> DomainResult<Organisation> {
    let invalid = || {
        let mut e = FieldErrors::new();
        e.add("org_id", "err-invalid-choice");
        DomainError::Validation(e)
    };
    let org = organisations::get(db.pool(), org_id).await?.ok_or_else(invalid)?;
    let path = org.path()?;
    if !allowed(ctx, |a| {
        a.may_manage_user(
            None,
            &Placement {
                org_id,
                territory: &path,
            },
        )
    }) {
        return Err(invalid());
    }
    Ok(org)
}

pub async fn create_user(
    db: &Db,
    ctx: &Ctx,
    form: &UserForm,
    must_change_password: bool,
) -> DomainResult<i64> {
    if !allowed(ctx, |a| a.has(domain::role::Permission::ManageUsers)) {
        return Err(deny_page(db, ctx, "user_create").await);
    }
    let input = form.validate(true)?;
    org_for_new_user(db, ctx, input.org_id).await?;
    let hash = password::hash(form.password.clone()).await?;
    let new = NewUser {
        org_id: input.org_id,
        login: &input.login,
        full_name: &input.full_name,
        email: input.email.as_deref(),
        password_hash: &hash,
        must_change_password,
    };
    insert_user(db, ctx, &new, &input.roles).await
}

/// Stores a user with roles and its `user_created` audit row in one transaction.
/// Callers check permission first (`create_user`; the demo loader acts as the system).
pub(crate) async fn insert_user(db: &Db, ctx: &Ctx, new: &NewUser<'_>, roles: &RoleSet) -> DomainResult<i64> {
    let mut tx = forms::begin(db, ctx).await?;
    let id = users::insert(&mut tx, new, roles, ctx.now).await?;
    audit::record(
        &mut *tx,
        ctx,
        AuditAction::UserCreated,
        Some((SubjectKind::User, id.to_string())),
        json!({ "login": new.login, "org_id": new.org_id, "roles": roles.to_string() }),
    )
    .await?;
    forms::commit(tx, ctx, id).await?;
    Ok(id)
}

/// Changes name, e-mail, organisation and roles of a user.
pub async fn update_user(db: &Db, ctx: &Ctx, user_id: i64, form: &UserForm) -> DomainResult<()> {
    let user = managed_user(db, ctx, user_id, "user_update").await?;
    let mut form = form.clone();
    form.login = user.login.clone();
    let input = form.validate(false)?;
    if input.org_id != user.org_id {
        org_for_new_user(db, ctx, input.org_id).await?;
    }
    let old_roles = users::roles_of(db.pool(), user_id).await?;
    let mut tx = db.begin().await.or_internal()?;
    users::update_profile(
        &mut tx,
        user_id,
        &input.full_name,
        input.email.as_deref(),
        ctx.now,
    )
    .await?;
    if input.org_id != user.org_id {
        sqlx::query("UPDATE users SET org_id = $1 WHERE id = $2")
            .bind(input.org_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await
            .or_internal()?;
        sessions::delete_all_for_user(&mut *tx, user_id).await?;
    }
    audit::record(
        &mut *tx,
        ctx,
        AuditAction::UserUpdated,
        Some((SubjectKind::User, user_id.to_string())),
        json!({ "org_id": input.org_id, "org_changed": input.org_id != user.org_id }),
    )
    .await?;
    if old_roles != input.roles {
        users::set_roles(&mut tx, user_id, &input.roles).await?;
        audit::record(
            &mut *tx,
            ctx,
            AuditAction::UserRolesChanged,
            Some((SubjectKind::User, user_id.to_string())),
            json!({ "from": old_roles.to_string(), "to": input.roles.to_string() }),
        )
        .await?;
    }
    tx.commit().await.or_internal()
}

pub async fn set_user_roles(db: &Db, ctx: &Ctx, user_id: i64, roles: &[String]) -> DomainResult<()> {
    managed_user(db, ctx, user_id, "user_roles").await?;
    let mut e = FieldErrors::new();
    let Some(set) = domain::user::parse_roles(&mut e, roles) else {
        return Err(DomainError::Validation(e));
    };
    let old = users::roles_of(db.pool(), user_id).await?;
    let mut tx = db.begin().await.or_internal()?;
    users::set_roles(&mut tx, user_id, &set).await?;
    audit::record(
        &mut *tx,
        ctx,
        AuditAction::UserRolesChanged,
        Some((SubjectKind::User, user_id.to_string())),
        json!({ "from": old.to_string(), "to": set.to_string() }),
    )
    .await?;
    tx.commit().await.or_internal()
}

/// Disables (and signs out everywhere) or re-enables a user.
pub async fn set_user_disabled(db: &Db, ctx: &Ctx, user_id: i64, disabled: bool) -> DomainResult<()> {
    managed_user(
        db,
        ctx,
        user_id,
        if disabled { "user_disable" } else { "user_enable" },
    )
    .await?;
    let mut tx = db.begin().await.or_internal()?;
    users::set_disabled(&mut tx, user_id, disabled, ctx.now).await?;
    let ended = if disabled {
        sessions::delete_all_for_user(&mut *tx, user_id).await?
    } else {
        0
    };
    audit::record(
        &mut *tx,
        ctx,
        if disabled {
            AuditAction::UserDisabled
        } else {
            AuditAction::UserEnabled
        },
        Some((SubjectKind::User, user_id.to_string())),
        json!({ "sessions_ended": ended }),
    )
    .await?;
    tx.commit().await.or_internal()
}

/// Sets a new password (temporary when `must_change`: to be changed at next sign-in); their sessions end.
pub async fn reset_password(
    db: &Db,
    ctx: &Ctx,
    user_id: i64,
    new_password: String,
    must_change: bool,
) -> DomainResult<()> {
    let user = managed_user(db, ctx, user_id, "user_password_reset").await?;
    if let Err(m) = domain::user::check_password(&new_password, &user.login) {
        let mut e = FieldErrors::new();
        e.add("password", m);
        return Err(DomainError::Validation(e));
    }
    let hash = password::hash(new_password).await?;
    let mut tx = db.begin().await.or_internal()?;
    users::set_password(&mut tx, user_id, &hash, must_change, ctx.now).await?;
    sessions::delete_all_for_user(&mut *tx, user_id).await?;
    audit::record(
        &mut *tx,
        ctx,
        AuditAction::PasswordReset,
        Some((SubjectKind::User, user_id.to_string())),
        json!({}),
    )
    .await?;
    tx.commit().await.or_internal()
}

/// Organisations a new user may be placed in by this actor (for the form's list).
pub async fn organisations_for_user_form(db: &Db, ctx: &Ctx) -> DomainResult<Vec<OrgListRow>> {
    if !allowed(ctx, |a| a.has(domain::role::Permission::ManageUsers)) {
        return Err(deny_page(db, ctx, "user_create").await);
    }
    let within = ctx.actor().map(|a| a.territory.clone());
    let (list, _) = organisations::list(
        db.pool(),
        &OrgFilter {
            within,
            ..Default::default()
        },
        5000,
    )
    .await?;
    Ok(list)
}

// ---------------------------------------------------------------- audit log

pub async fn read_audit_log(
    db: &Db,
    ctx: &Ctx,
    f: &audit::AuditFilter,
    limit: i64,
) -> DomainResult<(Vec<audit::AuditRow>, bool)> {
    if !allowed(ctx, Actor::may_read_audit_log) {
        return Err(deny_page(db, ctx, "audit_log").await);
    }
    audit::list(db.pool(), f, limit).await
}

/// The rows for an export of the audit log (at most `limit`); the export itself is audited.
pub async fn export_audit_log(
    db: &Db,
    ctx: &Ctx,
    f: &audit::AuditFilter,
    limit: i64,
) -> DomainResult<Vec<audit::AuditRow>> {
    if !allowed(ctx, Actor::may_read_audit_log) {
        return Err(deny_page(db, ctx, "audit_log_export").await);
    }
    let (rows, _) = audit::list(db.pool(), f, limit).await?;
    audit::record_view(
        db,
        ctx,
        AuditAction::AuditLogExported,
        None,
        json!({
            "rows": rows.len(),
            "login": f.login,
            "action": f.action.map(|a| a.as_str()),
            "from": f.from,
            "until": f.until,
        }),
    )
    .await?;
    Ok(rows)
}

// ---------------------------------------------------------------- home page counts

/// Accounts without roles and disabled accounts within the administrator's
/// territory, for the home page of someone who manages users.
pub async fn user_counts(db: &Db, ctx: &Ctx) -> DomainResult<(i64, i64)> {
    let Some(actor) = ctx
        .actor()
        .filter(|a| a.has(domain::role::Permission::ManageUsers))
    else {
        return Err(deny_page(db, ctx, "user_counts").await);
    };
    users::admin_counts(db.pool(), &actor.territory).await
}

/// What the auditor's home page counts: refusals in the last week, failed and
/// locked sign-ins in the last day.
pub struct SecurityCounts {
    pub denied: i64,
    pub failed: i64,
    pub locked: i64,
}

pub async fn security_counts(db: &Db, ctx: &Ctx) -> DomainResult<SecurityCounts> {
    if !ctx
        .actor()
        .is_some_and(|a| a.has(domain::role::Permission::ReadAuditLog))
    {
        return Err(deny_page(db, ctx, "security_counts").await);
    }
    let week_ago = ctx.now - 7 * 24 * 3600;
    let day_ago = ctx.now - 24 * 3600;
    Ok(SecurityCounts {
        denied: audit::count_since(db.pool(), AuditAction::PermissionDenied, week_ago).await?,
        failed: audit::count_since(db.pool(), AuditAction::SignInFailed, day_ago).await?,
        locked: audit::count_since(db.pool(), AuditAction::SignInLocked, day_ago).await?,
    })
}

// ---------------------------------------------------------------- refused requests

/// Records a request the web edge refused before any handler ran (`reason`
/// is a short constant such as `csrf`, `malformed_path` or `nul_byte`;
/// `path` is the address without its query, which never carries personal data).
pub async fn record_refusal(db: &Db, ctx: &Ctx, reason: &'static str, path: &str) -> DomainResult<()> {
    audit::record_view(
        db,
        ctx,
        AuditAction::RequestRefused,
        Some((SubjectKind::Page, path.chars().take(200).collect())),
        json!({ "reason": reason }),
    )
    .await
}
