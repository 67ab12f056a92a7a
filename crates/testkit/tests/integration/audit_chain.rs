//! The seal over the audit trail (SPEC §9): every row is sealed into a hash
//! chain; verification finds a changed or removed row, a removed entry, a row
//! behind the end of the chain, and — with an anchor written down earlier — a
//! chain rewritten in full. The tampering here is done the way a database
//! owner would: with the append-only triggers switched off.

use domain::audit::AuditAction;
use domain::audit_chain::Anchor;
use oberih_testkit::{TestApp, backend_name};
use store::audit::chain::{self as audit_chain, Problem};
use store::{Backend, Db};

fn now() -> i64 {
    oberih_testkit::clock_now()
}

async fn exec(db: &Db, sql: &str) {
    sqlx::query(sql)
        .execute(db.raw_pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn count(db: &Db, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(db.raw_pool()).await.unwrap();
    n
}

/// What someone who owns the database can do: switch the append-only triggers off.
async fn switch_off_the_triggers(db: &Db) {
    match db.backend() {
        Backend::Sqlite => {
            for t in [
                "audit_log_no_update",
                "audit_log_no_delete",
                "audit_chain_no_update",
                "audit_chain_no_delete",
            ] {
                exec(db, &format!("DROP TRIGGER {t}")).await;
            }
        }
        Backend::Postgres => {
            exec(db, "ALTER TABLE audit_log DISABLE TRIGGER USER").await;
            exec(db, "ALTER TABLE audit_chain DISABLE TRIGGER USER").await;
        }
    }
}

/// The chain entry sealing an audit row.
async fn entry_of(db: &Db, audit_id: i64) -> i64 {
    count(
        db,
        &format!("SELECT seq FROM audit_chain WHERE audit_id = {audit_id}"),
    )
    .await
}

#[tokio::test]
async fn the_auditor_verifies_the_chain_and_an_anchor_taken_earlier() {
    let app = TestApp::spawn().await;
    let db = app.db();
    let officer = app.signed_in("officer").await;
    assert_eq!(app.status(&officer, "/cases").await, 200);
    let auditor = app.signed_in("auditor").await;
    // Everything written so far is old enough to seal.
    app.state.clock.advance(30);

    let r = app
        .post_form(&auditor, "/audit/chain", "/audit/chain", &[("anchors", "")])
        .await;
    assert_eq!(r.status().as_u16(), 200);
    let body = r.text().await.unwrap();
    assert!(body.contains("Ланцюжок цілий"), "{body}");
    // Every audit row written before the verification is sealed, once.
    let rows = count(db, "SELECT COUNT(*) FROM audit_log").await;
    let verified = app.audit(AuditAction::AuditChainVerified).await;
    assert_eq!(verified.len(), 1);
    let entries = count(
        db,
        &format!(
            "SELECT COUNT(*) FROM audit_chain WHERE audit_id <> {}",
            verified[0].id
        ),
    )
    .await;
    assert_eq!(entries, rows - 1, "all but the verification's own row");
    assert!(body.contains(&format!("Перевірено {entries} запис")), "{body}");
    assert!(
        verified[0].details.contains(&format!("\"entries\":{entries}")),
        "{}",
        verified[0].details
    );
    assert!(verified[0].details.contains("\"problems\":0"));

    // The page shows the end of the chain as an anchor; it is the chain's last entry.
    // (The server's own sealer may take the verification's row in meanwhile.)
    let before = audit_chain::head(db).await.unwrap();
    assert!(before.seq == entries || before.seq == entries + 1);
    let (_, page) = app.get_text(&auditor, "/audit/chain").await;
    let head = audit_chain::head(db).await.unwrap();
    let anchor = head.anchor().unwrap().to_string();
    assert!(
        page.contains(&anchor) || page.contains(&before.anchor().unwrap().to_string()),
        "{page}"
    );

    // More work, more seals; the anchor taken earlier still matches.
    assert_eq!(app.status(&officer, "/deadlines").await, 200);
    app.state.clock.advance(30);
    let r = app
        .post_form(
            &auditor,
            "/audit/chain",
            "/audit/chain",
            &[("anchors", &format!("\n{anchor}\n"))],
        )
        .await;
    let body = r.text().await.unwrap();
    assert!(body.contains("Ланцюжок цілий"), "{body}");
    assert!(body.contains("Звірено якорів: 1."), "{body}");
    assert!(audit_chain::head(db).await.unwrap().seq > head.seq);
}

#[tokio::test]
async fn a_changed_or_removed_row_is_found_at_its_entry() {
    let app = TestApp::spawn().await;
    let db = app.db();
    app.signed_in("officer").await;
    app.signed_in("analyst").await;
    app.signed_in("admin").await;
    audit_chain::seal_pending(db, now() + 60, 0).await.unwrap();
    assert!(audit_chain::verify(db, now() + 60, &[]).await.unwrap().intact());

    switch_off_the_triggers(db).await;
    let sign_ins = app.audit(AuditAction::SignIn).await;
    assert_eq!(sign_ins.len(), 3);
    let (changed, removed) = (sign_ins[1].id, sign_ins[0].id);
    exec(
        db,
        &format!("UPDATE audit_log SET ip = '10.9.9.9' WHERE id = {changed}"),
    )
    .await;
    exec(db, &format!("DELETE FROM audit_log WHERE id = {removed}")).await;

    let v = audit_chain::verify(db, now() + 60, &[]).await.unwrap();
    assert!(!v.intact());
    assert_eq!(
        v.problems,
        vec![
            Problem::Changed {
                seq: entry_of(db, changed).await,
                audit_id: changed
            },
            Problem::RowMissing {
                seq: entry_of(db, removed).await,
                audit_id: removed
            },
        ],
        "on {}",
        backend_name()
    );

    // A row removed with its entry (the next entry no longer chains to what is
    // before it), and an end of the chain that no longer names the last entry.
    let gone = entry_of(db, sign_ins[2].id).await;
    let next_row = count(
        db,
        &format!("SELECT audit_id FROM audit_chain WHERE seq = {}", gone + 1),
    )
    .await;
    exec(db, &format!("DELETE FROM audit_chain WHERE seq = {gone}")).await;
    exec(
        db,
        &format!("DELETE FROM audit_log WHERE id = {}", sign_ins[2].id),
    )
    .await;
    exec(db, "UPDATE audit_chain_head SET seq = seq + 5 WHERE id = 1").await;
    let v = audit_chain::verify(db, now() + 60, &[]).await.unwrap();
    assert!(
        v.problems
            .contains(&Problem::EntriesMissing { from: gone, to: gone }),
        "{:?}",
        v.problems
    );
    assert!(
        v.problems.contains(&Problem::Changed {
            seq: gone + 1,
            audit_id: next_row
        }),
        "{:?}",
        v.problems
    );
    assert!(
        v.problems
            .iter()
            .any(|p| matches!(p, Problem::HeadMismatch { .. })),
        "{:?}",
        v.problems
    );
}

#[tokio::test]
async fn a_chain_rewritten_in_full_or_cut_short_is_caught_by_an_anchor() {
    let app = TestApp::spawn().await;
    let db = app.db();
    app.signed_in("officer").await;
    audit_chain::seal_pending(db, now() + 60, 0).await.unwrap();
    let early: Anchor = audit_chain::head(db).await.unwrap().anchor().unwrap();
    app.signed_in("analyst").await;
    audit_chain::seal_pending(db, now() + 60, 0).await.unwrap();
    let late: Anchor = audit_chain::head(db).await.unwrap().anchor().unwrap();
    assert!(late.seq > early.seq);

    // Change a row sealed before the early anchor, then seal everything again
    // from scratch: the chain is consistent in itself.
    switch_off_the_triggers(db).await;
    let first_sign_in = app.audit(AuditAction::SignIn).await.last().unwrap().id;
    exec(
        db,
        &format!("UPDATE audit_log SET ip = '10.9.9.9' WHERE id = {first_sign_in}"),
    )
    .await;
    // (In one transaction, so the server's own sealer sees the chain before or after.)
    let mut tx = db.begin_system().await.unwrap();
    sqlx::query("DELETE FROM audit_chain")
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query(
        "UPDATE audit_chain_head SET seq = 0, last_audit_id = 0, \
         hash = '0000000000000000000000000000000000000000000000000000000000000000' WHERE id = 1",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    audit_chain::seal_pending(db, now() + 60, 0).await.unwrap();
    assert!(audit_chain::verify(db, now() + 60, &[]).await.unwrap().intact());
    // The anchors written down earlier are not.
    let v = audit_chain::verify(db, now() + 60, &[early.clone(), late.clone()])
        .await
        .unwrap();
    assert_eq!(
        v.problems,
        vec![
            Problem::AnchorMismatch {
                anchor: early.clone()
            },
            Problem::AnchorMismatch { anchor: late.clone() }
        ]
    );

    // Cut short: the last entries go, and the end of the chain is set back.
    let (seq, hash): (i64, String) = sqlx::query_as(&format!(
        "SELECT seq, hash FROM audit_chain WHERE seq = {}",
        early.seq
    ))
    .fetch_one(db.raw_pool())
    .await
    .unwrap();
    // The end moves far ahead too, so the rows of the removed entries are not sealed again.
    let mut tx = db.begin_system().await.unwrap();
    sqlx::query(&format!("DELETE FROM audit_chain WHERE seq > {seq}"))
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query("UPDATE audit_chain_head SET seq = $1, hash = $2, last_audit_id = 1000000 WHERE id = 1")
        .bind(seq)
        .bind(&hash)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let taken_now = Anchor { seq, hash };
    let v = audit_chain::verify(db, now() + 60, &[taken_now, late.clone()])
        .await
        .unwrap();
    assert_eq!(v.problems, vec![Problem::AnchorBeyondEnd { anchor: late }]);
}

#[tokio::test]
async fn rows_that_commit_late_are_sealed_and_a_row_slipped_in_behind_the_end_is_reported() {
    let app = TestApp::spawn().await;
    let db = app.db();
    app.signed_in("officer").await;
    // The app's own now, after the sign-in: its rows are older than this
    // (`now()` starts when first called, and a slow start-up — a loaded
    // PostgreSQL — put the sign-in's row more than the settling time after it).
    let t = app.state.clock.now_secs();
    let max = count(db, "SELECT MAX(id) FROM audit_log").await;
    let insert = |id: i64, at: i64| {
        format!("INSERT INTO audit_log (id, at, action, details) VALUES ({id}, {at}, 'sign_out', '{{}}')")
    };
    // A row with a higher id commits first and is sealed; the one with a lower id commits later.
    exec(db, &insert(max + 50, t - 100)).await;
    audit_chain::seal_pending(db, t + 10, 5).await.unwrap();
    assert_eq!(audit_chain::head(db).await.unwrap().last_audit_id, max + 50);
    exec(db, &insert(max + 20, t - 100)).await;
    // A row younger than the settling time waits (dated ahead, so it stays young).
    exec(db, &insert(max + 60, t + 3600)).await;
    audit_chain::seal_pending(db, t + 10, 5).await.unwrap();
    assert!(entry_of(db, max + 20).await > entry_of(db, max + 50).await);
    assert_eq!(
        count(
            db,
            &format!("SELECT COUNT(*) FROM audit_chain WHERE audit_id = {}", max + 60)
        )
        .await,
        0
    );
    let v = audit_chain::verify(db, t + 10, &[]).await.unwrap();
    assert!(v.intact(), "{:?}", v.problems);
    assert_eq!(v.waiting, 1);

    // A row put in far behind the end of the chain, dated in the past, is never sealed: reported.
    exec(db, &insert(max + 10_000, t - 100)).await;
    audit_chain::seal_pending(db, t + 20, 5).await.unwrap();
    exec(db, &insert(max + 30, t - 3600)).await;
    let v = audit_chain::verify(db, t + 20, &[]).await.unwrap();
    assert_eq!(v.problems, vec![Problem::Unsealed { audit_id: max + 30 }]);
}

#[tokio::test]
async fn two_sealers_at_once_seal_every_row_once() {
    let app = TestApp::spawn().await;
    let db = app.db();
    for login in ["officer", "analyst", "admin", "auditor", "police"] {
        app.signed_in(login).await;
    }
    let (a, b) = tokio::join!(
        audit_chain::seal_pending(db, now() + 60, 0),
        audit_chain::seal_pending(db, now() + 60, 0)
    );
    let rows = count(db, "SELECT COUNT(*) FROM audit_log").await;
    let sealed = count(db, "SELECT COUNT(*) FROM audit_chain").await;
    assert_eq!(sealed, rows);
    assert!(a.unwrap() + b.unwrap() <= rows as u64);
    assert!(audit_chain::verify(db, now() + 60, &[]).await.unwrap().intact());
}

/// Writers that read before they write, and sealers, all at once: on SQLite a
/// deferred transaction could not wait for the write lock ("database is
/// locked" at once), so every transaction takes it at its start.
#[tokio::test]
async fn writers_and_sealers_at_once_all_succeed() {
    let app = TestApp::spawn().await;
    let db = app.db();
    let open = |s: &'static str| crate::procedures::open_case(&app, s);
    let seal = || audit_chain::seal_pending(db, now() + 60, 0);
    let (c1, c2, c3, c4, c5, c6, s1, s2, s3) = tokio::join!(
        open("Паралельна-Один"),
        open("Паралельна-Два"),
        open("Паралельна-Три"),
        open("Паралельна-Чотири"),
        open("Паралельна-П'ять"),
        open("Паралельна-Шість"),
        seal(),
        seal(),
        seal()
    );
    let ids = [c1.0, c2.0, c3.0, c4.0, c5.0, c6.0];
    assert_eq!(ids.iter().collect::<std::collections::BTreeSet<_>>().len(), 6);
    for s in [s1, s2, s3] {
        s.unwrap();
    }
    let v = audit_chain::verify(db, now() + 60, &[]).await.unwrap();
    assert!(v.intact(), "{:?}", v.problems);
    assert_eq!(v.entries, count(db, "SELECT COUNT(*) FROM audit_log").await);
}

#[tokio::test]
async fn only_the_auditor_reaches_the_seal_and_a_bad_anchor_is_shown_beside_the_field() {
    let app = TestApp::spawn().await;
    for login in ["admin", "officer", "analyst"] {
        let c = app.signed_in(login).await;
        let before = app.audit(AuditAction::PermissionDenied).await.len();
        assert_eq!(app.status(&c, "/audit/chain").await, 403, "{login}");
        let r = app.post_form(&c, "/audit/chain", "/", &[("anchors", "")]).await;
        assert_eq!(r.status().as_u16(), 403, "{login}");
        assert_eq!(app.audit(AuditAction::PermissionDenied).await.len(), before + 2);
    }
    assert!(app.audit(AuditAction::AuditChainVerified).await.is_empty());

    let auditor = app.signed_in("auditor").await;
    let typed = "12:abc\nне якір";
    let r = app
        .post_form(&auditor, "/audit/chain", "/audit/chain", &[("anchors", typed)])
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    let error = body
        .split("id=\"anchors-error\"")
        .nth(1)
        .expect("an error beside the field");
    assert!(error.contains("Рядок 1:"), "{error}");
    assert!(
        body.contains(">12:abc\nне якір</textarea>"),
        "what was typed is kept: {body}"
    );
    assert!(app.audit(AuditAction::AuditChainVerified).await.is_empty());
}

#[tokio::test]
async fn the_auditors_home_asks_for_a_verification_never_made_a_month_old_or_broken() {
    let app = TestApp::spawn().await;
    let db = app.db();
    let auditor = app.signed_in("auditor").await;
    let (_, home) = app.get_text(&auditor, "/").await;
    assert!(home.contains("Печатку журналу аудиту ще не перевіряли"), "{home}");
    assert!(home.contains("href=\"/audit/chain\""), "{home}");
    // Nobody else is asked.
    let analyst = app.signed_in("analyst").await;
    assert!(!app.get_text(&analyst, "/").await.1.contains("Печатку журналу"));

    app.state.clock.advance(30);
    let r = app
        .post_form(&auditor, "/audit/chain", "/audit/chain", &[("anchors", "")])
        .await;
    assert_eq!(r.status().as_u16(), 200);
    let (_, home) = app.get_text(&auditor, "/").await;
    assert!(!home.contains("Печатку журналу аудиту"), "{home}");

    // A month and a day later (sessions have long expired: sign in again).
    app.state.clock.advance(31 * 24 * 3600);
    let auditor = app.signed_in("auditor").await;
    let (_, home) = app.get_text(&auditor, "/").await;
    assert!(
        home.contains("Печатку журналу аудиту не перевіряли 31 день"),
        "{home}"
    );

    // A verification that finds a changed row.
    switch_off_the_triggers(db).await;
    let first = app.audit(AuditAction::SignIn).await.last().unwrap().id;
    exec(
        db,
        &format!("UPDATE audit_log SET ip = '10.9.9.9' WHERE id = {first}"),
    )
    .await;
    let r = app
        .post_form(&auditor, "/audit/chain", "/audit/chain", &[("anchors", "")])
        .await;
    let body = r.text().await.unwrap();
    assert!(
        body.contains("data-problem=\"audit-chain-problem-changed\""),
        "{body}"
    );
    let (_, home) = app.get_text(&auditor, "/").await;
    assert!(
        home.contains("Остання перевірка печатки журналу аудиту знайшла 1 проблему"),
        "{home}"
    );
}
