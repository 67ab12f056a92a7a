//! Cases, identification notices, referrals and case documents (SPEC §3):
//! the permission-checked operations; the rows and the queries the status
//! procedure shares are in `rows`.
//!
//! Security role: a case is worked only by the case officers of its
//! responsible unit (`Actor::may_work_case`); a partner reaches a case only
//! through an open referral to its organisation, and then only the fields the
//! referral shares; administrators and analysts reach none. Every view and
//! every change writes an audit row naming the case by its pseudonymous
//! reference, in the same transaction as the change; every refusal writes a
//! `permission_denied` row and answers `NotFound`. Nothing here logs a
//! person's data.

sql_mod!(rows);

pub use crate::reference::forms::ExploitationForm;
use rows::*;
pub use rows::{CaseRow, DuplicateHit, PersonRow, ReferralRow, UNIT_KINDS, case_for_unit, case_subject};

use crate::access::{allowed, deny, deny_page};
use crate::codes::{Code, OptCode};
use crate::dates::kyiv_date;
use crate::error::{OrInternal, conflict_on_unique, keys};
use crate::organisations::{self};
use crate::reference::territories;
use crate::{Ctx, Db, Flag, Tx, assistance, audit, flag, forms, procedures};
use domain::audit::{AuditAction, SubjectKind};
use domain::case::{CaseEventKind, PlaceKind, Sex};
use domain::case::{
    CaseForm, CaseRef, CaseState, NoticeForm, NoticeInput, PersonForm, PersonInput, ReferralAction,
    ReferralForm, ReferralInput, ReferralPurpose, SharedField, Side, validate_reason,
};
use domain::deadline::Step;
use domain::names::person_key;
use domain::organisation::OrgKind;
use domain::policy::Actor;
use domain::{DomainError, DomainResult, FieldErrors};
use serde_json::json;
use sqlx::{Any, Executor, FromRow};

// ---------------------------------------------------------------- rows

// ---------------------------------------------------------------- routing

/// The reference prefix: `UA` and the oblast's code from its KATOTTG code, `UA00` when unknown.
async fn reference_prefix(tx: &mut Tx, territory_id: i64) -> DomainResult<String> {
    let mut at = Some(territory_id);
    while let Some(tid) = at {
        let Some(t) = territories::get(&mut **tx, tid).await? else {
            break;
        };
        if let Some(code) = t
            .code
            .as_deref()
            .and_then(|c| domain::katottg::Katottg::parse(c).ok())
        {
            return Ok(format!("UA{}", code.oblast_code()));
        }
        at = t.parent_id;
    }
    Ok("UA00".into())
}

async fn next_reference(tx: &mut Tx, territory_id: i64, year: i16) -> DomainResult<CaseRef> {
    let prefix = reference_prefix(tx, territory_id).await?;
    let updated = sqlx::query("UPDATE case_counters SET last = last + 1 WHERE prefix = $1 AND year = $2")
        .bind(&prefix)
        .bind(i64::from(year))
        .execute(&mut **tx)
        .await
        .or_internal()?;
    if updated.rows_affected() == 0 {
        sqlx::query("INSERT INTO case_counters (prefix, year, last) VALUES ($1, $2, 1)")
            .bind(&prefix)
            .bind(i64::from(year))
            .execute(&mut **tx)
            .await
            .map_err(conflict_on_unique("case_counter", keys::CASE_COUNTERS))?;
    }
    let (last,): (i64,) = sqlx::query_as("SELECT last FROM case_counters WHERE prefix = $1 AND year = $2")
        .bind(&prefix)
        .bind(i64::from(year))
        .fetch_one(&mut **tx)
        .await
        .or_internal()?;
    Ok(CaseRef::new(&prefix, year, last))
}

// ---------------------------------------------------------------- duplicates

// ---------------------------------------------------------------- notices

/// What happened to a recorded notice.
#[derive(Debug, Clone)]
pub struct NoticeOutcome {
    pub case_id: i64,
    pub reference: String,
    pub unit_name: String,
    /// The children's service the child's notice was also sent to.
    pub children_service: Option<String>,
}

/// Either the notice was recorded, or possible duplicates are shown first
/// (the person confirms and sends again — a warning, not a block).
#[derive(Debug, Clone)]
pub enum NoticeResult {
    Recorded(NoticeOutcome),
    PossibleDuplicates(Vec<DuplicateHit>),
}

async fn insert_person(tx: &mut Tx, p: &PersonInput, now: i64) -> DomainResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO persons (surname, given_name, patronymic, birth_date, name_key, document, phone, email, \
         address, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(&p.surname)
    .bind(&p.given_name)
    .bind(&p.patronymic)
    .bind(p.birth_date.map(|d| d.to_string()))
    .bind(person_key(&p.surname, &p.given_name))
    .bind(&p.document)
    .bind(&p.phone)
    .bind(&p.email)
    .bind(&p.address)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .or_internal()?;
    Ok(id)
}

async fn set_forms(tx: &mut Tx, case_id: i64, unit_org_id: i64, forms: &[String]) -> DomainResult<()> {
    sqlx::query("DELETE FROM case_forms WHERE case_id = $1")
        .bind(case_id)
        .execute(&mut **tx)
        .await
        .or_internal()?;
    for f in forms {
        sqlx::query("INSERT INTO case_forms (case_id, form_code, unit_org_id) VALUES ($1, $2, $3)")
            .bind(case_id)
            .bind(f)
            .bind(unit_org_id)
            .execute(&mut **tx)
            .await
            .or_internal()?;
    }
    Ok(())
}

/// Records an identification notice and routes it to the responsible unit of
/// the person's territory; a child's notice also goes to the children's service.
/// `confirmed` is the person's answer to a possible-duplicates warning.
pub async fn record_notice(
    db: &Db,
    ctx: &Ctx,
    form: &NoticeForm,
    confirmed: bool,
) -> DomainResult<NoticeResult> {
    if !allowed(ctx, Actor::may_record_notice) {
        return Err(deny_page(db, ctx, "notice_record").await);
    }
    let today = kyiv_date(ctx.now);
    let input = form.validate(today, &form_codes(db).await?)?;
    if !confirmed && let Some(p) = &input.person {
        let hits = possible_duplicates(db, ctx, p).await?;
        if !hits.is_empty() {
            audit::record_view(
                db,
                ctx,
                AuditAction::DuplicateWarning,
                None,
                json!({ "cases": hits.iter().map(|h| h.reference.clone()).collect::<Vec<_>>() }),
            )
            .await?;
            return Ok(NoticeResult::PossibleDuplicates(hits));
        }
    }
    let mut tx = forms::begin(db, ctx).await?;
    let outcome = insert_notice(&mut tx, ctx, &input).await?;
    forms::commit(tx, ctx, outcome.case_id).await?;
    Ok(NoticeResult::Recorded(outcome))
}

/// Writes a validated notice (used by `record_notice` and the demo data).
pub async fn insert_notice(tx: &mut Tx, ctx: &Ctx, input: &NoticeInput) -> DomainResult<NoticeOutcome> {
    let (Some(user_id), Some(org_id)) = actor_ids(ctx) else {
        return Err(DomainError::Internal("a notice needs an actor".into()));
    };
    if territories::get(&mut **tx, input.territory_id).await?.is_none() {
        let mut e = FieldErrors::new();
        e.add("territory_id", "err-choice");
        return Err(e.into());
    }
    let Some(unit) = responsible_unit(tx, input.territory_id).await? else {
        let mut e = FieldErrors::new();
        e.add("territory_id", "err-no-responsible-unit");
        return Err(e.into());
    };
    let reference = next_reference(tx, input.territory_id, input.identified_on.year()).await?;
    let person_id = match &input.person {
        Some(p) => Some(insert_person(tx, p, ctx.now).await?),
        None => None,
    };
    let (case_id,): (i64,) = sqlx::query_as(
        "INSERT INTO cases (reference, state, unit_org_id, territory_id, person_id, reported_by_org_id, \
         reported_by_user_id, identified_on, came_to_attention, consent, sex, age, is_child, citizenship, language, \
         interpreter, circumstances, created_at, updated_at) \
         VALUES ($1, 'notice', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17) RETURNING id",
    )
    .bind(reference.as_str())
    .bind(unit.id)
    .bind(input.territory_id)
    .bind(person_id)
    .bind(org_id)
    .bind(user_id)
    .bind(input.identified_on.to_string())
    .bind(input.came_to_attention.as_str())
    .bind(flag(input.consent))
    .bind(input.sex.as_str())
    .bind(input.age.map(i64::from))
    .bind(flag(input.is_child))
    .bind(&input.citizenship)
    .bind(&input.language)
    .bind(flag(input.interpreter))
    .bind(&input.circumstances)
    .bind(ctx.now)
    .fetch_one(&mut **tx)
    .await
    .map_err(conflict_on_unique("case_reference", keys::CASES_REFERENCE))?;
    set_forms(tx, case_id, unit.id, &input.forms).await?;
    add_event(tx, ctx, case_id, "recorded", Some(unit.id), None).await?;
    let mut children_service = None;
    if input.is_child
        && let Some(cs) = nearest_org(tx, input.territory_id, &[OrgKind::ChildrenService]).await?
    {
        let referral = ReferralInput {
            org_id: cs.id,
            purpose: ReferralPurpose::ChildrenService,
            fields: vec![
                SharedField::Name,
                SharedField::BirthDate,
                SharedField::Contacts,
                SharedField::Address,
                SharedField::Facts,
            ],
            consent_ref: None,
            due_on: None,
            message: None,
        };
        insert_referral(tx, ctx, case_id, unit.id, &referral).await?;
        children_service = Some(cs.short_name.clone().unwrap_or(cs.name.clone()));
    }
    audit::record(
        &mut **tx,
        ctx,
        AuditAction::NoticeRecorded,
        case_subject(reference.as_str()),
        json!({ "unit": unit.id, "child": input.is_child, "consent": input.consent,
                "children_service": children_service.is_some() }),
    )
    .await?;
    Ok(NoticeOutcome {
        case_id,
        reference: reference.as_str().to_string(),
        unit_name: unit.short_name.clone().unwrap_or(unit.name),
        children_service,
    })
}

/// One line of a notice list: no personal data.
#[derive(Debug, Clone, FromRow)]
pub struct NoticeLine {
    pub id: i64,
    pub reference: String,
    #[sqlx(try_from = "Code<CaseState>")]
    pub state: CaseState,
    pub identified_on: String,
    pub unit_name: String,
    pub reported_by_org_name: String,
    #[sqlx(try_from = "i64")]
    pub is_child: Flag,
    #[sqlx(try_from = "i64")]
    pub consent: Flag,
    pub created_at: i64,
}

const NOTICE_LINE: &str = "SELECT c.id, c.reference, c.state, c.identified_on, COALESCE(u.short_name, u.name) AS unit_name, \
    COALESCE(r.short_name, r.name) AS reported_by_org_name, c.is_child, c.consent, c.created_at \
    FROM cases c JOIN organisations u ON u.id = c.unit_org_id JOIN organisations r ON r.id = c.reported_by_org_id";

/// Notices waiting for the actor's unit to accept or redirect them.
pub async fn incoming_notices(db: &Db, ctx: &Ctx) -> DomainResult<Vec<NoticeLine>> {
    let Some(actor) = ctx.actor().filter(|a| a.works_cases()) else {
        return Err(deny_page(db, ctx, "notices_incoming").await);
    };
    sqlx::query_as(&format!(
        "{NOTICE_LINE} WHERE c.unit_org_id = $1 AND c.state = 'notice' ORDER BY c.id LIMIT 200"
    ))
    .bind(actor.org_id)
    .fetch_all(db.pool())
    .await
    .or_internal()
}

/// Notices the actor's organisation recorded: reference, state and unit only.
pub async fn notices_sent(db: &Db, ctx: &Ctx) -> DomainResult<Vec<NoticeLine>> {
    let Some(actor) = ctx.actor().filter(|a| a.may_record_notice()) else {
        return Err(deny_page(db, ctx, "notices_sent").await);
    };
    sqlx::query_as(&format!(
        "{NOTICE_LINE} WHERE c.reported_by_org_id = $1 ORDER BY c.id DESC LIMIT 100"
    ))
    .bind(actor.org_id)
    .fetch_all(db.pool())
    .await
    .or_internal()
}

/// What the organisation that recorded a notice is shown of it afterwards,
/// on the confirmation page: the reference, the unit it went to, and the
/// children's service a child's notice was also sent to. Only the recording
/// organisation sees it; anyone else is refused (audited) with `NotFound`.
pub async fn notice_outcome(db: &Db, ctx: &Ctx, case_id: i64) -> DomainResult<NoticeOutcome> {
    let row: Option<(String, i64, String)> = sqlx::query_as(
        "SELECT c.reference, c.reported_by_org_id, COALESCE(u.short_name, u.name) \
         FROM cases c JOIN organisations u ON u.id = c.unit_org_id WHERE c.id = $1",
    )
    .bind(case_id)
    .fetch_optional(db.pool())
    .await
    .or_internal()?;
    let (reference, unit_name) = match row {
        Some((reference, by, unit)) if allowed(ctx, |a| a.may_record_notice() && a.org_id == by) => {
            (reference, unit)
        }
        Some((reference, _, _)) => return Err(deny(db, ctx, "notice_view", case_subject(&reference)).await),
        None => {
            return Err(deny(
                db,
                ctx,
                "notice_view",
                Some((SubjectKind::Case, format!("#{case_id}"))),
            )
            .await);
        }
    };
    let children_service: Option<(String,)> = sqlx::query_as(
        "SELECT COALESCE(o.short_name, o.name) FROM referrals r JOIN organisations o ON o.id = r.to_org_id \
         WHERE r.case_id = $1 AND r.purpose = $2 ORDER BY r.id LIMIT 1",
    )
    .bind(case_id)
    .bind(ReferralPurpose::ChildrenService.as_str())
    .fetch_optional(db.pool())
    .await
    .or_internal()?;
    Ok(NoticeOutcome {
        case_id,
        reference,
        unit_name,
        children_service: children_service.map(|(n,)| n),
    })
}

/// The unit accepts a notice: the case opens.
pub async fn accept_notice(db: &Db, ctx: &Ctx, id: i64) -> DomainResult<()> {
    accept_notice_after(db, ctx, id, std::future::ready(())).await
}

/// [`accept_notice`] with `between` run after the permission is decided and
/// before the write — for the test that moves the notice to another unit in
/// that moment and shows the write refused.
#[cfg(feature = "system")]
pub async fn accept_notice_racing(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    between: impl std::future::Future<Output = ()>,
) -> DomainResult<()> {
    accept_notice_after(db, ctx, id, between).await
}

async fn accept_notice_after(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    between: impl std::future::Future<Output = ()>,
) -> DomainResult<()> {
    let c = case_for_unit(db, ctx, id, "notice_accept").await?;
    between.await;
    let mut tx = db.begin().await.or_internal()?;
    // The write carries the fact the permission was decided on: the unit.
    let done = sqlx::query(
        "UPDATE cases SET state = 'open', opened_at = $2, updated_at = $2, version = version + 1 \
         WHERE id = $1 AND state = 'notice' AND unit_org_id = $3",
    )
    .bind(id)
    .bind(ctx.now)
    .bind(c.unit_org_id)
    .execute(&mut *tx)
    .await
    .or_internal()?;
    if done.rows_affected() == 0 {
        drop(tx);
        return Err(unit_changed_or_conflict(db, ctx, &c, "notice_accept").await);
    }
    add_event(&mut tx, ctx, id, "accepted", None, None).await?;
    audit::record(
        &mut *tx,
        ctx,
        AuditAction::NoticeAccepted,
        case_subject(&c.reference),
        json!({}),
    )
    .await?;
    tx.commit().await.or_internal()
}

/// Why a guarded write to a notice changed nothing: the notice went to another
/// unit after the permission was decided (refused and audited, like any case
/// the actor may not work), or it is no longer waiting (a conflict).
async fn unit_changed_or_conflict(db: &Db, ctx: &Ctx, decided: &CaseRow, what: &str) -> DomainError {
    match get(db.pool(), decided.id).await {
        Ok(Some(now)) if now.unit_org_id != decided.unit_org_id => {
            deny(db, ctx, what, case_subject(&decided.reference)).await
        }
        Ok(_) => DomainError::Conflict("notice_not_waiting"),
        Err(e) => e,
    }
}

/// The unit hands a notice to another responsible unit, with a reason.
pub async fn redirect_notice(db: &Db, ctx: &Ctx, id: i64, to_org_id: &str, reason: &str) -> DomainResult<()> {
    let c = case_for_unit(db, ctx, id, "notice_redirect").await?;
    let mut e = FieldErrors::new();
    let reason = match validate_reason("reason", reason) {
        Ok(r) => r,
        Err(errs) => {
            for (f, m) in errs.iter() {
                e.add(f, m);
            }
            String::new()
        }
    };
    let to = match to_org_id.trim().parse::<i64>() {
        Ok(oid) => organisations::get(db.pool(), oid).await?,
        Err(_) => None,
    };
    let to = match to {
        Some(o) if o.id != c.unit_org_id && UNIT_KINDS.contains(&o.kind) => Some(o),
        _ => {
            e.add("to_org_id", "err-choice");
            None
        }
    };
    let Some(to) = e.is_empty().then_some(to).flatten() else {
        return Err(e.into());
    };
    let mut tx = db.begin().await.or_internal()?;
    let done = sqlx::query(
        "UPDATE cases SET unit_org_id = $2, updated_at = $3, version = version + 1 \
         WHERE id = $1 AND state = 'notice' AND unit_org_id = $4",
    )
    .bind(id)
    .bind(to.id)
    .bind(ctx.now)
    .bind(c.unit_org_id)
    .execute(&mut *tx)
    .await
    .or_internal()?;
    if done.rows_affected() == 0 {
        drop(tx);
        return Err(unit_changed_or_conflict(db, ctx, &c, "notice_redirect").await);
    }
    // The new unit now stands behind the notice's referrals (a child's, to the
    // children's service), and its list finds the case by form.
    for sql in [
        "UPDATE referrals SET from_org_id = $2 WHERE case_id = $1",
        "UPDATE case_forms SET unit_org_id = $2 WHERE case_id = $1",
    ] {
        sqlx::query(sql)
            .bind(id)
            .bind(to.id)
            .execute(&mut *tx)
            .await
            .or_internal()?;
    }
    add_event(&mut tx, ctx, id, "redirected", Some(to.id), Some(&reason)).await?;
    audit::record(
        &mut *tx,
        ctx,
        AuditAction::NoticeRedirected,
        case_subject(&c.reference),
        json!({ "to_org": to.id }),
    )
    .await?;
    tx.commit().await.or_internal()
}

/// Organisations a notice can be redirected to.
pub async fn units(db: &Db) -> DomainResult<Vec<(i64, String)>> {
    sqlx::query_as(
        "SELECT id, COALESCE(short_name, name) FROM organisations WHERE kind IN ($1, $2, $3) ORDER BY name_key",
    )
    .bind(UNIT_KINDS[0].as_str())
    .bind(UNIT_KINDS[1].as_str())
    .bind(UNIT_KINDS[2].as_str())
    .fetch_all(db.pool())
    .await
    .or_internal()
}

// ---------------------------------------------------------------- the case list

/// Filters of the case list; `after` is the keyset cursor (the last id shown).
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub state: Option<CaseState>,
    pub child: Option<bool>,
    pub form: Option<String>,
    pub territory_id: Option<i64>,
    pub reference: Option<CaseRef>,
    pub after: Option<i64>,
}

/// One line of the case list: no name, no birth date.
#[derive(Debug, Clone, FromRow)]
pub struct CaseLine {
    pub id: i64,
    pub reference: String,
    #[sqlx(try_from = "Code<CaseState>")]
    pub state: CaseState,
    pub identified_on: String,
    #[sqlx(try_from = "Code<Sex>")]
    pub sex: Sex,
    pub age: Option<i64>,
    #[sqlx(try_from = "i64")]
    pub is_child: Flag,
    pub territory_name_uk: String,
    pub territory_name_en: String,
    #[sqlx(try_from = "OptCode<Step>")]
    pub next_step: Option<Step>,
    pub next_due_on: Option<String>,
}

impl CaseLine {
    pub fn territory_name(&self, lang: &str) -> &str {
        crate::localized(lang, &self.territory_name_uk, &self.territory_name_en)
    }
}

/// The unit's cases, newest first, `limit` per page (keyset-paged by id).
/// Returns the lines and whether there are more.
pub async fn list_cases(
    db: &Db,
    ctx: &Ctx,
    f: &CaseFilter,
    limit: i64,
) -> DomainResult<(Vec<CaseLine>, bool)> {
    let Some(actor) = ctx.actor().filter(|a| a.works_cases()) else {
        return Err(deny_page(db, ctx, "cases").await);
    };
    // Filtered by a form, the list walks the (unit, form, case) index newest
    // first, so a rare form costs no more than a common one; otherwise the
    // (unit, id) index of cases.
    let (from, key) = if f.form.is_some() {
        (
            // `+ 0` keeps PostgreSQL's generic plan from merge-joining with the cases'
            // primary key walked backwards (thousands of rows for a rare form): each
            // form row looks its case up by id instead (docs/BENCHMARKS.md).
            "FROM case_forms cf JOIN cases c ON c.id = cf.case_id + 0 JOIN territories t ON t.id = c.territory_id \
             WHERE cf.unit_org_id = $1 AND c.unit_org_id = $1",
            "cf.case_id",
        )
    } else {
        (
            "FROM cases c JOIN territories t ON t.id = c.territory_id WHERE c.unit_org_id = $1",
            "c.id",
        )
    };
    let mut sql = format!(
        "SELECT c.id, c.reference, c.state, c.identified_on, c.sex, c.age, c.is_child, \
         t.name_uk AS territory_name_uk, t.name_en AS territory_name_en, \
         (SELECT p.next_step FROM procedures p WHERE p.case_id = c.id ORDER BY p.id DESC LIMIT 1) AS next_step, \
         (SELECT p.next_due_on FROM procedures p WHERE p.case_id = c.id ORDER BY p.id DESC LIMIT 1) AS next_due_on \
         {from}"
    );
    let mut n = 1;
    let mut next = || {
        n += 1;
        n
    };
    if f.state.is_some() {
        sql.push_str(&format!(" AND c.state = ${}", next()));
    }
    if f.child.is_some() {
        sql.push_str(&format!(" AND c.is_child = ${}", next()));
    }
    if f.form.is_some() {
        sql.push_str(&format!(" AND cf.form_code = ${}", next()));
    }
    if f.territory_id.is_some() {
        sql.push_str(&format!(" AND c.territory_id = ${}", next()));
    }
    if f.reference.is_some() {
        sql.push_str(&format!(" AND c.reference = ${}", next()));
    }
    if f.after.is_some() {
        sql.push_str(&format!(" AND {key} < ${}", next()));
    }
    sql.push_str(&format!(" ORDER BY {key} DESC LIMIT ${}", next()));
    let mut q = sqlx::query_as::<_, CaseLine>(&sql).bind(actor.org_id);
    if let Some(s) = f.state {
        q = q.bind(s.as_str());
    }
    if let Some(c) = f.child {
        q = q.bind(flag(c));
    }
    if let Some(form) = &f.form {
        q = q.bind(form.clone());
    }
    if let Some(t) = f.territory_id {
        q = q.bind(t);
    }
    if let Some(r) = &f.reference {
        q = q.bind(r.as_str().to_string());
    }
    if let Some(a) = f.after {
        q = q.bind(a);
    }
    let mut rows = q.bind(limit + 1).fetch_all(db.pool()).await.or_internal()?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit.max(0) as usize);
    Ok((rows, more))
}

// ---------------------------------------------------------------- the case page

#[derive(Debug, Clone, FromRow)]
pub struct CaseEventRow {
    pub at: i64,
    #[sqlx(try_from = "Code<CaseEventKind>")]
    pub kind: CaseEventKind,
    pub user_name: Option<String>,
    pub org_name: Option<String>,
    pub to_org_name: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, FromRow)]
pub struct DocumentRow {
    pub id: i64,
    pub kind: String,
    pub file_name: String,
    pub size: i64,
    pub uploaded_at: i64,
    pub uploaded_by_name: String,
}

/// Everything the unit sees of one case.
#[derive(Debug, Clone)]
pub struct CaseView {
    pub case: CaseRow,
    pub forms: Vec<String>,
    pub person: Option<PersonRow>,
    pub referrals: Vec<ReferralRow>,
    pub events: Vec<CaseEventRow>,
    pub documents: Vec<DocumentRow>,
    pub procedures: Vec<procedures::ProcedureRow>,
}

/// The case page; the view itself is recorded in the audit trail.
pub async fn case_view(db: &Db, ctx: &Ctx, id: i64) -> DomainResult<CaseView> {
    let case = case_for_unit(db, ctx, id, "case_view").await?;
    // Read first, without the write lock; the view is recorded after.
    let mut tx = db.begin_read().await.or_internal()?;
    let forms = forms_of(&mut *tx, id).await?;
    let person = match case.person_id {
        Some(pid) => person(&mut *tx, pid).await?,
        None => None,
    };
    let referrals = referrals_of_case(&mut *tx, id).await?;
    let events = sqlx::query_as(
        "SELECT e.at, e.kind, u.full_name AS user_name, COALESCE(o.short_name, o.name) AS org_name, \
         COALESCE(t.short_name, t.name) AS to_org_name, e.note FROM case_events e \
         LEFT JOIN users u ON u.id = e.user_id LEFT JOIN organisations o ON o.id = e.org_id \
         LEFT JOIN organisations t ON t.id = e.to_org_id WHERE e.case_id = $1 ORDER BY e.id",
    )
    .bind(id)
    .fetch_all(&mut *tx)
    .await
    .or_internal()?;
    let documents = sqlx::query_as(
        "SELECT d.id, d.kind, d.file_name, d.size, d.uploaded_at, u.full_name AS uploaded_by_name \
         FROM case_documents d JOIN users u ON u.id = d.uploaded_by WHERE d.case_id = $1 ORDER BY d.id",
    )
    .bind(id)
    .fetch_all(&mut *tx)
    .await
    .or_internal()?;
    let procedures = procedures::of_case(&mut *tx, id).await?;
    tx.commit().await.or_internal()?;
    audit::record_view(
        db,
        ctx,
        AuditAction::CaseViewed,
        case_subject(&case.reference),
        json!({}),
    )
    .await?;
    Ok(CaseView {
        case,
        forms,
        person,
        referrals,
        events,
        documents,
        procedures,
    })
}

/// The facts form of a case, as stored (for the edit page; audited as a view).
pub async fn case_for_edit(
    db: &Db,
    ctx: &Ctx,
    id: i64,
) -> DomainResult<(CaseRow, Vec<String>, Option<PersonRow>)> {
    let case = case_for_unit(db, ctx, id, "case_edit").await?;
    // Read first, without the write lock; the view is recorded after.
    let mut tx = db.begin_read().await.or_internal()?;
    let forms = forms_of(&mut *tx, id).await?;
    let person = match case.person_id {
        Some(pid) => person(&mut *tx, pid).await?,
        None => None,
    };
    tx.commit().await.or_internal()?;
    audit::record_view(
        db,
        ctx,
        AuditAction::CaseViewed,
        case_subject(&case.reference),
        json!({ "page": "edit" }),
    )
    .await?;
    Ok((case, forms, person))
}

pub async fn update_case(db: &Db, ctx: &Ctx, id: i64, form: &CaseForm) -> DomainResult<()> {
    let case = case_for_unit(db, ctx, id, "case_update").await?;
    let (facts, version) = form.validate(&form_codes(db).await?)?;
    let mut tx = db.begin().await.or_internal()?;
    let done = sqlx::query(
        "UPDATE cases SET sex = $3, age = $4, citizenship = $5, language = $6, interpreter = $7, idp = $8, \
         is_child = $9, legal_representative = $10, place_kind = $11, country = $12, period_from = $13, \
         period_to = $14, recruitment = $15, came_to_attention = $16, proceedings_ref = $17, notes = $18, \
         updated_at = $19, version = version + 1 WHERE id = $1 AND version = $2",
    )
    .bind(id)
    .bind(version)
    .bind(facts.sex.as_str())
    .bind(facts.age.map(i64::from))
    .bind(&facts.citizenship)
    .bind(&facts.language)
    .bind(flag(facts.interpreter))
    .bind(flag(facts.idp))
    .bind(flag(facts.is_child))
    .bind(&facts.legal_representative)
    .bind(facts.place_kind.map(|p| p.as_str()))
    .bind(&facts.country)
    .bind(facts.period_from.map(|d| d.to_string()))
    .bind(facts.period_to.map(|d| d.to_string()))
    .bind(&facts.recruitment)
    .bind(facts.came_to_attention.as_str())
    .bind(&facts.proceedings_ref)
    .bind(&facts.notes)
    .bind(ctx.now)
    .execute(&mut *tx)
    .await
    .or_internal()?;
    if done.rows_affected() == 0 {
        return Err(DomainError::Conflict("stale"));
    }
    set_forms(&mut tx, id, case.unit_org_id, &facts.forms).await?;
    audit::record(
        &mut *tx,
        ctx,
        AuditAction::CaseUpdated,
        case_subject(&case.reference),
        json!({}),
    )
    .await?;
    tx.commit().await.or_internal()
}

/// Writes the person's data (creating the person when the notice had none).
pub async fn update_person(db: &Db, ctx: &Ctx, id: i64, form: &PersonForm) -> DomainResult<()> {
    let case = case_for_unit(db, ctx, id, "person_update").await?;
    let mut e = FieldErrors::new();
    let p = form.validate_into(&mut e, kyiv_date(ctx.now));
    let p = e.into_result(p)?;
    let mut tx = db.begin().await.or_internal()?;
    match case.person_id {
        Some(pid) => {
            sqlx::query(
                "UPDATE persons SET surname = $2, given_name = $3, patronymic = $4, birth_date = $5, name_key = $6, \
                 document = $7, phone = $8, email = $9, address = $10, updated_at = $11 WHERE id = $1",
            )
            .bind(pid)
            .bind(&p.surname)
            .bind(&p.given_name)
            .bind(&p.patronymic)
            .bind(p.birth_date.map(|d| d.to_string()))
            .bind(person_key(&p.surname, &p.given_name))
            .bind(&p.document)
            .bind(&p.phone)
            .bind(&p.email)
            .bind(&p.address)
            .bind(ctx.now)
            .execute(&mut *tx)
            .await
            .or_internal()?;
        }
        None => {
            let pid = insert_person(&mut tx, &p, ctx.now).await?;
            sqlx::query(
                "UPDATE cases SET person_id = $2, updated_at = $3, version = version + 1 WHERE id = $1",
            )
            .bind(id)
            .bind(pid)
            .bind(ctx.now)
            .execute(&mut *tx)
            .await
            .or_internal()?;
        }
    }
    audit::record(
        &mut *tx,
        ctx,
        AuditAction::PersonUpdated,
        case_subject(&case.reference),
        json!({}),
    )
    .await?;
    tx.commit().await.or_internal()
}

/// Closes an open case, or reopens a closed one.
pub async fn set_closed(db: &Db, ctx: &Ctx, id: i64, closed: bool) -> DomainResult<()> {
    let case = case_for_unit(db, ctx, id, if closed { "case_close" } else { "case_reopen" }).await?;
    let (from, to, action) = if closed {
        ("open", "closed", AuditAction::CaseClosed)
    } else {
        ("closed", "open", AuditAction::CaseReopened)
    };
    let mut tx = db.begin().await.or_internal()?;
    let done = sqlx::query(
        "UPDATE cases SET state = $3, closed_at = $4, updated_at = $5, version = version + 1 WHERE id = $1 AND state = $2",
    )
    .bind(id)
    .bind(from)
    .bind(to)
    .bind(closed.then_some(ctx.now))
    .bind(ctx.now)
    .execute(&mut *tx)
    .await
    .or_internal()?;
    if done.rows_affected() == 0 {
        return Err(DomainError::Conflict("case_state"));
    }
    add_event(&mut tx, ctx, id, to, None, None).await?;
    audit::record(&mut *tx, ctx, action, case_subject(&case.reference), json!({})).await?;
    tx.commit().await.or_internal()
}

// ---------------------------------------------------------------- documents

/// Most documents a case keeps, and the largest one.
pub const MAX_CASE_DOCUMENTS: i64 = 50;

pub async fn add_document(
    db: &Db,
    ctx: &Ctx,
    case_id: i64,
    kind: &str,
    file_name: &str,
    bytes: &[u8],
) -> DomainResult<i64> {
    let case = case_for_unit(db, ctx, case_id, "case_document_add").await?;
    let mut e = FieldErrors::new();
    let kind = kind.trim();
    if kind.is_empty() {
        e.add("kind", "err-required");
    }
    domain::validation::max_chars(&mut e, "kind", kind, 100);
    let name: String = file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let content_type = domain::reporting::attachment_type(&name);
    if name.is_empty() || bytes.is_empty() {
        e.add("file", "err-required");
    } else if content_type.is_none() {
        e.add("file", "err-file-type");
    } else if bytes.len() > domain::reporting::MAX_ATTACHMENT_BYTES {
        e.add("file", "err-file-too-big");
    } else if !content_type.is_some_and(|t| domain::reporting::content_matches(t, bytes)) {
        e.add("file", "err-file-content");
    }
    let content_type = e.is_empty().then_some(content_type).flatten();
    let Some(content_type) = content_type else {
        return Err(e.into());
    };
    let mut tx = forms::begin(db, ctx).await?;
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM case_documents WHERE case_id = $1")
        .bind(case_id)
        .fetch_one(&mut *tx)
        .await
        .or_internal()?;
    if count >= MAX_CASE_DOCUMENTS {
        let mut e = FieldErrors::new();
        e.add("file", "err-too-many-files");
        return Err(e.into());
    }
    let user = ctx.actor().map(|a| a.user_id);
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO case_documents (case_id, kind, file_name, content_type, size, bytes, uploaded_by, uploaded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(case_id)
    .bind(kind)
    .bind(&name)
    .bind(content_type)
    .bind(bytes.len() as i64)
    .bind(bytes.to_vec())
    .bind(user)
    .bind(ctx.now)
    .fetch_one(&mut *tx)
    .await
    .or_internal()?;
    audit::record(
        &mut *tx,
        ctx,
        AuditAction::CaseDocumentAdded,
        case_subject(&case.reference),
        json!({ "document": id, "size": bytes.len() }),
    )
    .await?;
    forms::commit(tx, ctx, id).await?;
    Ok(id)
}

/// A stored document: (file name, content type, bytes). The download is audited.
pub async fn document(
    db: &Db,
    ctx: &Ctx,
    case_id: i64,
    doc_id: i64,
) -> DomainResult<(String, String, Vec<u8>)> {
    let case = case_for_unit(db, ctx, case_id, "case_document_download").await?;
    let row: Option<(String, String, Vec<u8>)> = sqlx::query_as(
        "SELECT file_name, content_type, bytes FROM case_documents WHERE id = $1 AND case_id = $2",
    )
    .bind(doc_id)
    .bind(case_id)
    .fetch_optional(db.pool())
    .await
    .or_internal()?;
    let Some(row) = row else {
        return Err(deny(db, ctx, "case_document_download", case_subject(&case.reference)).await);
    };
    audit::record_view(
        db,
        ctx,
        AuditAction::CaseDocumentDownloaded,
        case_subject(&case.reference),
        json!({ "document": doc_id }),
    )
    .await?;
    Ok(row)
}

// ---------------------------------------------------------------- referrals

async fn referrals_of_case<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    case_id: i64,
) -> DomainResult<Vec<ReferralRow>> {
    sqlx::query_as(&format!("{REFERRAL_SELECT} WHERE r.case_id = $1 ORDER BY r.id"))
        .bind(case_id)
        .fetch_all(exec)
        .await
        .or_internal()
}

/// The unit refers an open case to an organisation.
pub async fn send_referral(db: &Db, ctx: &Ctx, case_id: i64, form: &ReferralForm) -> DomainResult<i64> {
    let case = case_for_unit(db, ctx, case_id, "referral_send").await?;
    if case.state() != CaseState::Open {
        let mut e = FieldErrors::new();
        e.add("org_id", "err-case-not-open");
        return Err(e.into());
    }
    let needs_consent = !case.consent.0 && !case.is_child.0;
    let input = form.validate(kyiv_date(ctx.now), needs_consent)?;
    if organisations::get(db.pool(), input.org_id).await?.is_none() {
        let mut e = FieldErrors::new();
        e.add("org_id", "err-choice");
        return Err(e.into());
    }
    let mut tx = forms::begin(db, ctx).await?;
    let id = insert_referral(&mut tx, ctx, case_id, case.unit_org_id, &input).await?;
    forms::commit(tx, ctx, id).await?;
    Ok(id)
}

/// One line of a partner's inbox: the case reference, never a name.
pub async fn referral_inbox(db: &Db, ctx: &Ctx, open_only: bool) -> DomainResult<Vec<ReferralRow>> {
    let Some(actor) = ctx.actor().filter(|a| a.receives_referrals()) else {
        return Err(deny_page(db, ctx, "referrals").await);
    };
    let filter = if open_only {
        format!(" AND r.state IN ({})", open_referral_states())
    } else {
        String::new()
    };
    sqlx::query_as(&format!(
        "{REFERRAL_SELECT} WHERE r.to_org_id = $1{filter} ORDER BY r.id DESC LIMIT 200"
    ))
    .bind(actor.org_id)
    .fetch_all(db.pool())
    .await
    .or_internal()
}

/// What a receiver sees of a case through one open referral: only the shared fields.
#[derive(Debug, Clone)]
pub struct SharedCase {
    pub reference: String,
    pub is_child: bool,
    pub sex: Sex,
    pub age: Option<i64>,
    pub name: Option<String>,
    pub birth_date: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub document: Option<String>,
    pub forms: Option<Vec<String>>,
    pub place: Option<(Option<PlaceKind>, Option<String>)>,
    pub period: Option<(Option<String>, Option<String>)>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ReferralView {
    pub referral: ReferralRow,
    /// `None` for the sender, who has the whole case page.
    pub shared: Option<SharedCase>,
    pub is_receiver: bool,
}

/// A referral as its receiver (only while open) or its sender sees it. Audited.
pub async fn referral_view(db: &Db, ctx: &Ctx, id: i64) -> DomainResult<ReferralView> {
    let Some(r) = referral(db.pool(), id).await? else {
        return Err(deny(db, ctx, "referral_view", referral_subject(id)).await);
    };
    // The receiver sees the referral (and its answer) only while it is open.
    let Some(side) = referral_side(ctx, &r) else {
        return Err(deny(db, ctx, "referral_view", referral_subject(id)).await);
    };
    let sender = side == Side::Sender;
    // Read first, without the write lock; the view is recorded after.
    let mut tx = db.begin_read().await.or_internal()?;
    let shared = if sender {
        None
    } else {
        Some(shared_case(&mut tx, &r).await?)
    };
    tx.commit().await.or_internal()?;
    audit::record_view(
        db,
        ctx,
        AuditAction::ReferralViewed,
        referral_subject(id),
        json!({ "case": r.case_reference, "as": if sender { "sender" } else { "receiver" } }),
    )
    .await?;
    Ok(ReferralView {
        referral: r,
        shared,
        is_receiver: !sender,
    })
}

async fn shared_case(tx: &mut Tx, r: &ReferralRow) -> DomainResult<SharedCase> {
    let c = get(&mut **tx, r.case_id).await?.ok_or(DomainError::NotFound)?;
    let p = match c.person_id {
        Some(pid) => person(&mut **tx, pid).await?,
        None => None,
    };
    let has = |f| r.shares(f);
    // A person's field, only when the referral shares it.
    let pick =
        |f: SharedField, get: fn(&PersonRow) -> Option<String>| p.as_ref().filter(|_| has(f)).and_then(get);
    let forms = if has(SharedField::Facts) {
        Some(forms_of(&mut **tx, c.id).await?)
    } else {
        None
    };
    Ok(SharedCase {
        reference: c.reference.clone(),
        is_child: c.is_child.0,
        sex: c.sex,
        age: c.age,
        name: pick(SharedField::Name, |p| Some(p.full_name())),
        birth_date: pick(SharedField::BirthDate, |p| p.birth_date.clone()),
        phone: pick(SharedField::Contacts, |p| p.phone.clone()),
        email: pick(SharedField::Contacts, |p| p.email.clone()),
        address: pick(SharedField::Address, |p| p.address.clone()),
        document: pick(SharedField::Document, |p| p.document.clone()),
        forms,
        place: has(SharedField::Facts).then(|| (c.place_kind, c.country.clone())),
        period: has(SharedField::Facts).then(|| (c.period_from.clone(), c.period_to.clone())),
        notes: if has(SharedField::Notes) {
            c.notes.clone()
        } else {
            None
        },
    })
}

/// What the receiver (or sender) types when acting on a referral.
#[derive(Debug, Clone, Default)]
pub struct ReferralActForm {
    pub reason: String,
    pub answer: String,
    pub proceedings_found: String,
    pub proceedings_ref: String,
    pub version: String,
}

/// Accept, decline (with a reason), answer or close a referral. The police's
/// answer to a police request also records the police reply in the procedure.
pub async fn act_on_referral(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    action: ReferralAction,
    form: &ReferralActForm,
) -> DomainResult<()> {
    let what = format!("referral_{}", action.as_str());
    let Some(r) = referral(db.pool(), id).await? else {
        return Err(deny(db, ctx, &what, referral_subject(id)).await);
    };
    let Some(side) = referral_side(ctx, &r) else {
        return Err(deny(db, ctx, &what, referral_subject(id)).await);
    };
    let Some(next) = r.purpose().next_state(r.state(), action, side) else {
        let mut e = FieldErrors::new();
        e.add("action", "err-step-not-now");
        return Err(e.into());
    };
    let mut e = FieldErrors::new();
    let reason = (action == ReferralAction::Decline)
        .then(|| validate_reason("reason", &form.reason))
        .transpose()
        .unwrap_or_else(|errs| {
            for (f, m) in errs.iter() {
                e.add(f, m);
            }
            None
        });
    let mut found = None;
    let mut pref = None;
    let answer = domain::validation::optional(&form.answer);
    if action == ReferralAction::Answer {
        domain::validation::max_chars(&mut e, "answer", form.answer.trim(), 8000);
        if r.purpose() == ReferralPurpose::PoliceRequest {
            found = match form.proceedings_found.trim() {
                "yes" => Some(true),
                "no" => Some(false),
                _ => {
                    e.add("proceedings_found", "err-required");
                    None
                }
            };
            pref = domain::validation::optional(&form.proceedings_ref);
            if found == Some(true) && pref.is_none() {
                e.add("proceedings_ref", "err-required");
            }
            domain::validation::max_chars(&mut e, "proceedings_ref", form.proceedings_ref.trim(), 100);
        } else if answer.is_none() {
            e.add("answer", "err-required");
        }
    }
    if !e.is_empty() {
        return Err(e.into());
    }
    let version = form.version.trim().parse::<i64>().unwrap_or(r.version);
    let mut tx = db.begin().await.or_internal()?;
    let done = sqlx::query(
        "UPDATE referrals SET state = $3, decline_reason = COALESCE($4, decline_reason), \
         answer = COALESCE($5, answer), proceedings_found = COALESCE($6, proceedings_found), \
         proceedings_ref = COALESCE($7, proceedings_ref), closed_at = $8, updated_at = $9, version = version + 1 \
         WHERE id = $1 AND version = $2",
    )
    .bind(id)
    .bind(version)
    .bind(next.as_str())
    .bind(&reason)
    .bind(if action == ReferralAction::Answer { answer.clone() } else { None })
    .bind(found.map(flag))
    .bind(&pref)
    .bind((!next.is_open()).then_some(ctx.now))
    .bind(ctx.now)
    .execute(&mut *tx)
    .await
    .or_internal()?;
    if done.rows_affected() == 0 {
        return Err(DomainError::Conflict("stale"));
    }
    let audit_action = match action {
        ReferralAction::Accept => AuditAction::ReferralAccepted,
        ReferralAction::Decline => AuditAction::ReferralDeclined,
        ReferralAction::Answer => AuditAction::ReferralAnswered,
        ReferralAction::Close => AuditAction::ReferralClosed,
    };
    add_event(
        &mut tx,
        ctx,
        r.case_id,
        &format!("referral_{}", next.as_str()),
        Some(r.to_org_id),
        None,
    )
    .await?;
    audit::record(
        &mut *tx,
        ctx,
        audit_action,
        referral_subject(id),
        json!({ "case": r.case_reference, "state": next.as_str() }),
    )
    .await?;
    assistance::referral_moved(&mut tx, ctx, id, next, reason.as_deref()).await?;
    if let (ReferralAction::Answer, Some(found)) = (action, found) {
        procedures::police_replied(&mut tx, ctx, id, found, pref.as_deref(), kyiv_date(ctx.now)).await?;
    }
    tx.commit().await.or_internal()
}

/// For the home page: notices waiting for the actor's unit, and referrals sent
/// to the actor's organisation not yet accepted or declined. Counts only.
pub async fn waiting_counts(db: &Db, ctx: &Ctx) -> DomainResult<(i64, i64)> {
    let Some(actor) = ctx.actor() else {
        return Ok((0, 0));
    };
    let notices = if actor.works_cases() {
        sqlx::query_scalar("SELECT COUNT(*) FROM cases WHERE unit_org_id = $1 AND state = 'notice'")
            .bind(actor.org_id)
            .fetch_one(db.pool())
            .await
            .or_internal()?
    } else {
        0
    };
    let referrals = if actor.receives_referrals() {
        sqlx::query_scalar("SELECT COUNT(*) FROM referrals WHERE to_org_id = $1 AND state = 'sent'")
            .bind(actor.org_id)
            .fetch_one(db.pool())
            .await
            .or_internal()?
    } else {
        0
    };
    Ok((notices, referrals))
}
