//! What any signed-in page may read without a permission check: the
//! territory tree, the forms of exploitation, the directory of organisations
//! for a select, the current version of a record whose save lost a race, the
//! receiver of a referral (no content), and ending one's own session. None of
//! it is about a person, so these reads leave no audit row. This module sits
//! above the aggregates whose rows it reads; none of them imports it.

use crate::Db;
use crate::auth::sessions;
use crate::organisations::rows::{self as organisations, OrgFilter, OrgListRow};
use crate::plans::rows as plans;
use crate::reference::ExploitationForm;
use crate::reference::forms;
use crate::reference::territories::{self, Territory};
use domain::DomainResult;

/// The most organisations a select lists.
const SELECT_LIMIT: i64 = 5000;

/// Every territory, in tree order.
pub async fn territories(db: &Db) -> DomainResult<Vec<Territory>> {
    territories::list_all(db.pool()).await
}

/// One territory.
pub async fn territory(db: &Db, id: i64) -> DomainResult<Option<Territory>> {
    territories::get(db.pool(), id).await
}

/// The forms of exploitation, in their listed order.
pub async fn exploitation_forms(db: &Db) -> DomainResult<Vec<ExploitationForm>> {
    forms::exploitation_forms(db.pool()).await
}

/// The kinds of need an assessment chooses from, in their listed order.
pub async fn need_kinds(db: &Db) -> DomainResult<Vec<ExploitationForm>> {
    forms::need_kinds(db.pool()).await
}

/// Every active organisation, for a select.
pub async fn organisations(db: &Db) -> DomainResult<Vec<OrgListRow>> {
    Ok(
        organisations::list(db.pool(), &OrgFilter::default(), SELECT_LIMIT)
            .await?
            .0,
    )
}

/// The stored version of an organisation, after a save was refused as stale.
pub async fn organisation_version(db: &Db, id: i64) -> DomainResult<Option<i64>> {
    Ok(organisations::get(db.pool(), id).await?.map(|o| o.version))
}

/// The stored version of a plan, after a save was refused as stale.
pub async fn plan_version(db: &Db, id: i64) -> DomainResult<Option<i64>> {
    Ok(plans::get(db.pool(), id).await?.map(|p| p.version))
}

/// The organisation a referral was sent to (no content of it).
pub async fn referral_receiver(db: &Db, id: i64) -> DomainResult<Option<i64>> {
    Ok(crate::cases::rows::referral(db.pool(), id)
        .await?
        .map(|r| r.to_org_id))
}

/// Ends a session by its hash (signing in again from the same browser).
pub async fn end_session(db: &Db, id_hash: &str) -> DomainResult<()> {
    sessions::delete(db.pool(), id_hash).await
}
