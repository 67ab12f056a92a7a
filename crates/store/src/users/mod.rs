//! People's accounts: the permission-checked operations (view, create,
//! update, roles, disable, reset a password), the counts on an administrator's
//! home page, and the rows (`rows`, crate-private SQL).

sql_mod!(rows);

pub(crate) use rows::*;
pub use rows::{NewUser, User};

use crate::access::{allowed, deny, deny_page};
use crate::auth::{password, sessions};
use crate::error::OrInternal;
use crate::organisations::{OrgFilter, OrgListRow, Organisation, rows as organisations};
use crate::{Ctx, Db, audit, forms};
use domain::audit::{AuditAction, SubjectKind};
use domain::policy::Placement;
use domain::role::RoleSet;
use domain::territory::TerritoryPath;
use domain::user::UserForm;
use domain::{DomainError, DomainResult, FieldErrors};
use serde_json::json;

pub struct UserView {
    pub user: User,
    pub roles: RoleSet,
    pub may_manage: bool,
}

async fn user_placement(db: &Db, user_id: i64) -> DomainResult<Option<(User, TerritoryPath)>> {
    match rows::get(db.pool(), user_id).await? {
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
    let roles = rows::roles_of(db.pool(), user_id).await?;
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
/// Creates an account with its roles, for the system's own seeding (the demo
/// accounts): refused to anyone but the system.
#[cfg(feature = "system")]
pub async fn seed_user(db: &Db, ctx: &Ctx, new: &NewUser<'_>, roles: &RoleSet) -> DomainResult<i64> {
    if !ctx.is_system() {
        return Err(DomainError::Forbidden);
    }
    insert_user(db, ctx, new, roles).await
}

pub(crate) async fn insert_user(db: &Db, ctx: &Ctx, new: &NewUser<'_>, roles: &RoleSet) -> DomainResult<i64> {
    let mut tx = forms::begin(db, ctx).await?;
    let id = rows::insert(&mut tx, new, roles, ctx.now).await?;
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
    let old_roles = rows::roles_of(db.pool(), user_id).await?;
    let mut tx = db.begin().await.or_internal()?;
    rows::update_profile(
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
        rows::set_roles(&mut tx, user_id, &input.roles).await?;
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
    let old = rows::roles_of(db.pool(), user_id).await?;
    let mut tx = db.begin().await.or_internal()?;
    rows::set_roles(&mut tx, user_id, &set).await?;
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
    rows::set_disabled(&mut tx, user_id, disabled, ctx.now).await?;
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
    rows::set_password(&mut tx, user_id, &hash, must_change, ctx.now).await?;
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

/// Accounts without roles and disabled accounts within the administrator's
/// territory, for the home page of someone who manages users.
pub async fn user_counts(db: &Db, ctx: &Ctx) -> DomainResult<(i64, i64)> {
    let Some(actor) = ctx
        .actor()
        .filter(|a| a.has(domain::role::Permission::ManageUsers))
    else {
        return Err(deny_page(db, ctx, "user_counts").await);
    };
    rows::admin_counts(db.pool(), &actor.territory).await
}
