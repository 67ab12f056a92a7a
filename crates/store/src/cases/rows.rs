//! The rows of cases, persons and referrals, and the queries the case
//! operations (the module above) and the status procedure share: reading a
//! case, its person and a referral, finding the responsible unit and the
//! police, possible duplicates, writing a referral and a case event. The
//! callers check permission; a read that needs the unit's officer says so
//! (`case_for_unit`).

use crate::access::{allowed, deny};
use crate::codes::{Code, CodeList, OptCode};
use crate::error::OrInternal;
use crate::organisations::{self, Organisation};
use crate::reference::forms::exploitation_forms;
use crate::reference::territories;
use crate::{Ctx, Db, Flag, Tx, audit};
use domain::audit::{AuditAction, SubjectKind};
use domain::case::{CameToAttention, PlaceKind, PersonInput, ReferralInput, ReferralPurpose, ReferralState, SharedField, Sex, CaseState, Side};
use domain::policy::ReferralFacts;
use domain::names::{person_key, similar};
use domain::organisation::OrgKind;
use domain::{DomainError, DomainResult};
use serde_json::json;
use sqlx::{Any, Executor, FromRow};

/// The audit subject of a case: its reference, never a person.
pub fn case_subject(reference: &str) -> Option<(SubjectKind, String)> {
    Some((SubjectKind::Case, reference.to_string()))
}

pub(crate) fn referral_subject(id: i64) -> Option<(SubjectKind, String)> {
    Some((SubjectKind::Referral, id.to_string()))
}

pub(crate) fn actor_ids(ctx: &Ctx) -> (Option<i64>, Option<i64>) {
    ctx.actor()
        .map_or((None, None), |a| (Some(a.user_id), Some(a.org_id)))
}

#[derive(Debug, Clone, FromRow)]
pub struct CaseRow {
    pub id: i64,
    pub reference: String,
    #[sqlx(try_from = "Code<CaseState>")]
    pub state: CaseState,
    pub unit_org_id: i64,
    pub unit_name: String,
    pub territory_id: i64,
    pub territory_name_uk: String,
    pub territory_name_en: String,
    pub person_id: Option<i64>,
    pub reported_by_org_id: i64,
    pub reported_by_org_name: String,
    pub reported_by_user_id: i64,
    pub identified_on: String,
    #[sqlx(try_from = "Code<CameToAttention>")]
    pub came_to_attention: CameToAttention,
    #[sqlx(try_from = "i64")]
    pub consent: Flag,
    #[sqlx(try_from = "Code<Sex>")]
    pub sex: Sex,
    pub age: Option<i64>,
    #[sqlx(try_from = "i64")]
    pub is_child: Flag,
    pub citizenship: Option<String>,
    pub language: Option<String>,
    #[sqlx(try_from = "i64")]
    pub interpreter: Flag,
    #[sqlx(try_from = "i64")]
    pub idp: Flag,
    pub legal_representative: Option<String>,
    #[sqlx(try_from = "OptCode<PlaceKind>")]
    pub place_kind: Option<PlaceKind>,
    pub country: Option<String>,
    pub period_from: Option<String>,
    pub period_to: Option<String>,
    pub recruitment: Option<String>,
    pub proceedings_ref: Option<String>,
    pub circumstances: Option<String>,
    pub notes: Option<String>,
    pub opened_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
}

impl CaseRow {
    pub fn state(&self) -> CaseState {
        self.state
    }

    pub fn territory_name(&self, lang: &str) -> &str {
        crate::localized(lang, &self.territory_name_uk, &self.territory_name_en)
    }
}

pub const CASE_SELECT: &str = "SELECT c.id, c.reference, c.state, c.unit_org_id, \
    COALESCE(u.short_name, u.name) AS unit_name, c.territory_id, t.name_uk AS territory_name_uk, \
    t.name_en AS territory_name_en, c.person_id, c.reported_by_org_id, \
    COALESCE(r.short_name, r.name) AS reported_by_org_name, c.reported_by_user_id, c.identified_on, \
    c.came_to_attention, c.consent, c.sex, c.age, c.is_child, c.citizenship, c.language, c.interpreter, c.idp, \
    c.legal_representative, c.place_kind, c.country, c.period_from, c.period_to, c.recruitment, \
    c.proceedings_ref, c.circumstances, c.notes, c.opened_at, c.closed_at, c.created_at, c.updated_at, c.version \
    FROM cases c JOIN organisations u ON u.id = c.unit_org_id JOIN organisations r ON r.id = c.reported_by_org_id \
    JOIN territories t ON t.id = c.territory_id";

pub async fn get<'e, E: Executor<'e, Database = Any>>(exec: E, id: i64) -> DomainResult<Option<CaseRow>> {
    sqlx::query_as(&format!("{CASE_SELECT} WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(exec)
        .await
        .or_internal()
}

#[derive(Debug, Clone, FromRow)]
pub struct PersonRow {
    pub id: i64,
    pub surname: String,
    pub given_name: String,
    pub patronymic: Option<String>,
    pub birth_date: Option<String>,
    pub document: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
}

impl PersonRow {
    pub fn full_name(&self) -> String {
        match &self.patronymic {
            Some(p) => format!("{} {} {}", self.surname, self.given_name, p),
            None => format!("{} {}", self.surname, self.given_name),
        }
    }
}

pub async fn person<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    id: i64,
) -> DomainResult<Option<PersonRow>> {
    sqlx::query_as(
        "SELECT id, surname, given_name, patronymic, birth_date, document, phone, email, address \
         FROM persons WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(exec)
    .await
    .or_internal()
}

pub async fn forms_of<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    case_id: i64,
) -> DomainResult<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT f.form_code FROM case_forms f JOIN exploitation_forms e ON e.code = f.form_code \
         WHERE f.case_id = $1 ORDER BY e.position",
    )
    .bind(case_id)
    .fetch_all(exec)
    .await
    .or_internal()?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub(crate) async fn form_codes(db: &Db) -> DomainResult<Vec<String>> {
    Ok(exploitation_forms(db.pool())
        .await?
        .into_iter()
        .map(|f| f.code)
        .collect())
}

/// The organisation of `kinds` nearest to a territory: at the territory itself,
/// then up its ancestors.
pub(crate) async fn nearest_org(
    tx: &mut Tx,
    territory_id: i64,
    kinds: &[OrgKind],
) -> DomainResult<Option<Organisation>> {
    let mut at = Some(territory_id);
    while let Some(tid) = at {
        for kind in kinds {
            let id: Option<(i64,)> = sqlx::query_as(
                "SELECT id FROM organisations WHERE territory_id = $1 AND kind = $2 ORDER BY id LIMIT 1",
            )
            .bind(tid)
            .bind(kind.as_str())
            .fetch_optional(&mut **tx)
            .await
            .or_internal()?;
            if let Some((id,)) = id {
                return organisations::get(&mut **tx, id).await;
            }
        }
        at = territories::get(&mut **tx, tid).await?.and_then(|t| t.parent_id);
    }
    Ok(None)
}

/// The kinds of organisation that can be a responsible unit (raion, or the oblast's department).
pub const UNIT_KINDS: [OrgKind; 3] = [
    OrgKind::RaionAdministration,
    OrgKind::SocialProtectionDepartment,
    OrgKind::OblastAdministration,
];

/// The responsible unit for a person staying in a territory.
pub async fn responsible_unit(tx: &mut Tx, territory_id: i64) -> DomainResult<Option<Organisation>> {
    nearest_org(tx, territory_id, &UNIT_KINDS).await
}

/// The police organisation that answers the unit's requests.
pub async fn police_for(tx: &mut Tx, territory_id: i64) -> DomainResult<Option<Organisation>> {
    nearest_org(tx, territory_id, &[OrgKind::Police]).await
}

/// A possibly known person: shown as the case reference the user may open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateHit {
    pub case_id: i64,
    pub reference: String,
    pub state: String,
    /// The case's responsible unit: only its case officers may open the case.
    pub unit_org_id: i64,
}

/// Persons with the same birth date and a similar name in cases the actor can
/// see: the unit's cases for a case officer, cases of open referrals for a partner.
pub async fn possible_duplicates(
    db: &Db,
    ctx: &Ctx,
    person: &PersonInput,
) -> DomainResult<Vec<DuplicateHit>> {
    let (Some(birth), Some(actor)) = (person.birth_date, ctx.actor()) else {
        return Ok(Vec::new());
    };
    let rows: Vec<(i64, String, String, String, String, i64)> = sqlx::query_as(&format!(
        "SELECT c.id, c.reference, c.state, p.name_key, c.state, c.unit_org_id FROM persons p \
         JOIN cases c ON c.person_id = p.id \
         WHERE p.birth_date = $1 AND (c.unit_org_id = $2 OR EXISTS (SELECT 1 FROM referrals r \
           WHERE r.case_id = c.id AND r.to_org_id = $2 AND r.state IN ({}))) \
         ORDER BY c.id LIMIT 200",
        open_referral_states()
    ))
    .bind(birth.to_string())
    .bind(actor.org_id)
    .fetch_all(db.pool())
    .await
    .or_internal()?;
    let key = person_key(&person.surname, &person.given_name);
    let mut hits: Vec<DuplicateHit> = rows
        .into_iter()
        .filter(|r| similar(&key, &r.3))
        .filter(|r| actor.may_work_case(r.5) || actor.has(domain::role::Permission::ViewReferredCases))
        .map(|r| DuplicateHit {
            case_id: r.0,
            reference: r.1,
            state: r.2,
            unit_org_id: r.5,
        })
        .collect();
    hits.dedup_by(|a, b| a.case_id == b.case_id);
    Ok(hits)
}

/// The open states of a referral as an SQL list (`'sent', …`), from the domain's rule.
pub(crate) fn open_referral_states() -> String {
    ReferralState::ALL
        .iter()
        .filter(|s| s.is_open())
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Loads a case the actor's unit works, or records the refusal and answers `NotFound`.
pub async fn case_for_unit(db: &Db, ctx: &Ctx, id: i64, what: &str) -> DomainResult<CaseRow> {
    match get(db.pool(), id).await? {
        Some(c) if allowed(ctx, |a| a.may_work_case(c.unit_org_id)) => Ok(c),
        Some(c) => Err(deny(db, ctx, what, case_subject(&c.reference)).await),
        None => Err(deny(db, ctx, what, Some((SubjectKind::Case, format!("#{id}")))).await),
    }
}

#[derive(Debug, Clone, FromRow)]
pub struct ReferralRow {
    pub id: i64,
    pub case_id: i64,
    pub case_reference: String,
    pub from_org_id: i64,
    pub from_org_name: String,
    pub to_org_id: i64,
    pub to_org_name: String,
    #[sqlx(try_from = "Code<ReferralPurpose>")]
    pub purpose: ReferralPurpose,
    #[sqlx(try_from = "CodeList<SharedField>")]
    pub fields: Vec<SharedField>,
    pub consent_ref: Option<String>,
    pub due_on: Option<String>,
    pub message: Option<String>,
    #[sqlx(try_from = "Code<ReferralState>")]
    pub state: ReferralState,
    pub decline_reason: Option<String>,
    pub answer: Option<String>,
    pub proceedings_found: Option<i64>,
    pub proceedings_ref: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub closed_at: Option<i64>,
    pub version: i64,
}

impl ReferralRow {
    pub fn state(&self) -> ReferralState {
        self.state
    }

    pub fn purpose(&self) -> ReferralPurpose {
        self.purpose
    }

    pub fn shared(&self) -> Vec<SharedField> {
        self.fields.clone()
    }

    pub fn shares(&self, f: SharedField) -> bool {
        self.shared().contains(&f)
    }
}

pub const REFERRAL_SELECT: &str = "SELECT r.id, r.case_id, c.reference AS case_reference, r.from_org_id, \
    COALESCE(f.short_name, f.name) AS from_org_name, r.to_org_id, COALESCE(t.short_name, t.name) AS to_org_name, \
    r.purpose, r.fields, r.consent_ref, r.due_on, r.message, r.state, r.decline_reason, r.answer, \
    r.proceedings_found, r.proceedings_ref, r.created_at, r.updated_at, r.closed_at, r.version \
    FROM referrals r JOIN cases c ON c.id = r.case_id JOIN organisations f ON f.id = r.from_org_id \
    JOIN organisations t ON t.id = r.to_org_id";

pub async fn referral<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    id: i64,
) -> DomainResult<Option<ReferralRow>> {
    sqlx::query_as(&format!("{REFERRAL_SELECT} WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(exec)
        .await
        .or_internal()
}

/// Inserts a referral (the caller checked permission and writes the audit row).
pub async fn insert_referral(
    tx: &mut Tx,
    ctx: &Ctx,
    case_id: i64,
    from_org_id: i64,
    r: &ReferralInput,
) -> DomainResult<i64> {
    let fields = r.fields.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(",");
    let user = ctx
        .actor()
        .map(|a| a.user_id)
        .ok_or_else(|| DomainError::Internal("a referral needs an actor".into()))?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO referrals (case_id, from_org_id, to_org_id, purpose, fields, consent_ref, due_on, message, state, \
         created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'sent', $9, $10, $10) RETURNING id",
    )
    .bind(case_id)
    .bind(from_org_id)
    .bind(r.org_id)
    .bind(r.purpose.as_str())
    .bind(fields)
    .bind(&r.consent_ref)
    .bind(r.due_on.map(|d| d.to_string()))
    .bind(&r.message)
    .bind(user)
    .bind(ctx.now)
    .fetch_one(&mut **tx)
    .await
    .or_internal()?;
    add_event(tx, ctx, case_id, "referred", Some(r.org_id), None).await?;
    let reference = case_reference(tx, case_id).await?;
    audit::record(
        &mut **tx,
        ctx,
        AuditAction::ReferralSent,
        referral_subject(id),
        json!({ "case": reference, "to_org": r.org_id, "purpose": r.purpose.as_str(),
                "fields": r.fields.iter().map(|f| f.as_str()).collect::<Vec<_>>() }),
    )
    .await?;
    Ok(id)
}

pub(crate) async fn case_reference(tx: &mut Tx, case_id: i64) -> DomainResult<String> {
    let (r,): (String,) = sqlx::query_as("SELECT reference FROM cases WHERE id = $1")
        .bind(case_id)
        .fetch_one(&mut **tx)
        .await
        .or_internal()?;
    Ok(r)
}

pub(crate) async fn add_event(
    tx: &mut Tx,
    ctx: &Ctx,
    case_id: i64,
    kind: &str,
    to_org_id: Option<i64>,
    note: Option<&str>,
) -> DomainResult<()> {
    let (user, org) = actor_ids(ctx);
    sqlx::query(
        "INSERT INTO case_events (case_id, at, user_id, org_id, kind, to_org_id, note) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(case_id)
    .bind(ctx.now)
    .bind(user)
    .bind(org)
    .bind(kind)
    .bind(to_org_id)
    .bind(note)
    .execute(&mut **tx)
    .await
    .or_internal()?;
    Ok(())
}

/// The side of a referral the principal stands on (`domain::policy::Actor::referral_side`):
/// the system acts as the sender; an anonymous visitor stands on neither.
pub(crate) fn referral_side(ctx: &Ctx, r: &ReferralRow) -> Option<Side> {
    match &ctx.principal {
        crate::Principal::User(a) => a.referral_side(&ReferralFacts {
            from_org_id: r.from_org_id,
            to_org_id: r.to_org_id,
            state: r.state(),
        }),
        crate::Principal::System(_) => Some(Side::Sender),
        crate::Principal::Public => None,
    }
}
