//! A decision that allows a change is re-made in the write that makes it: a
//! record moved between the permission read and the write is not changed.

use crate::procedures::ctx_of;
use domain::audit::AuditAction;
use oberih_testkit::TestApp;

/// The login of a case officer of the unit.
async fn case_officer_of(app: &TestApp, unit: i64) -> String {
    let (login,): (String,) = sqlx::query_as(
        "SELECT u.login FROM users u JOIN user_roles r ON r.user_id = u.id \
         WHERE u.org_id = $1 AND r.role = 'case_officer' ORDER BY u.id LIMIT 1",
    )
    .bind(unit)
    .fetch_one(app.db().raw_pool())
    .await
    .expect("the unit has a case officer");
    login
}

/// A notice waiting for its unit, that unit's case officer, and another unit.
async fn waiting_notice(app: &TestApp) -> (i64, String, String, i64) {
    let (id, reference, unit): (i64, String, i64) = sqlx::query_as(
        "SELECT id, reference, unit_org_id FROM cases WHERE state = 'notice' ORDER BY id LIMIT 1",
    )
    .fetch_one(app.db().raw_pool())
    .await
    .expect("the demo has a notice waiting");
    let login = case_officer_of(app, unit).await;
    let (other,): (i64,) = sqlx::query_as(
        "SELECT DISTINCT c.unit_org_id FROM cases c WHERE c.unit_org_id <> $1 ORDER BY c.unit_org_id LIMIT 1",
    )
    .bind(unit)
    .fetch_one(app.db().raw_pool())
    .await
    .expect("another unit");
    (id, reference, login, other)
}

async fn state_and_unit(app: &TestApp, id: i64) -> (String, i64) {
    sqlx::query_as("SELECT state, unit_org_id FROM cases WHERE id = $1")
        .bind(id)
        .fetch_one(app.db().raw_pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_notice_moved_to_another_unit_between_the_check_and_the_write_is_not_accepted() {
    let app = TestApp::spawn().await;
    let (id, reference, officer, other_unit) = waiting_notice(&app).await;
    let ctx = ctx_of(&app, &officer).await;
    let pool = app.db().raw_pool().clone();
    let moved = async move {
        sqlx::query("UPDATE cases SET unit_org_id = $1 WHERE id = $2")
            .bind(other_unit)
            .bind(id)
            .execute(&pool)
            .await
            .unwrap();
    };
    let r = store::cases::accept_notice_racing(app.db(), &ctx, id, moved).await;
    assert!(matches!(r, Err(domain::DomainError::NotFound)), "refused: {r:?}");
    assert_eq!(
        state_and_unit(&app, id).await,
        ("notice".to_string(), other_unit),
        "not opened"
    );
    let denied = app.audit(AuditAction::PermissionDenied).await;
    assert!(
        denied
            .iter()
            .any(|a| a.subject_id.as_deref() == Some(reference.as_str())
                && a.details.contains("notice_accept")),
        "the refusal is audited by the case reference"
    );
    assert!(
        !app.audit(AuditAction::NoticeAccepted)
            .await
            .iter()
            .any(|a| a.subject_id.as_deref() == Some(reference.as_str())),
        "no acceptance recorded for the notice"
    );

    // The unit it went to may accept it; the seam itself changes nothing.
    let new_officer = case_officer_of(&app, other_unit).await;
    let ctx2 = ctx_of(&app, &new_officer).await;
    store::cases::accept_notice_racing(app.db(), &ctx2, id, std::future::ready(()))
        .await
        .unwrap();
    assert_eq!(state_and_unit(&app, id).await, ("open".to_string(), other_unit));
}
