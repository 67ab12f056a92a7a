//! Identification and referral (SPEC §3): the identification notice and the
//! notice lists, the responsible unit's case list and case page (facts,
//! person, referrals, documents, history, procedures), the referral form, and
//! the partner's referral inbox and referral page.
//!
//! Security role: every page here is about victims of crime. Who may see and
//! change what is decided (and audited) in `store::cases`; these handlers add
//! no checks of their own beyond choosing which lists to ask for. Nothing
//! personal goes into a URL: redirects carry record ids and a flash code only,
//! the reference search is a POST and only a well-formed reference ever
//! reaches the query string. Nothing here logs case data. Every page is sent
//! with `Cache-Control: no-store` (`views::render`), and so are downloads.

use crate::context::SignedIn;
use crate::error::{AppError, AppResult};
use crate::extract::Path;
use crate::form::{self, Again, see_other};
use crate::i18n::Tr;
use crate::state::AppState;
use crate::upload::{Limits, read_multipart};
use crate::views::{Chrome, Errors, datetime, render};
use askama::Template;
use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use domain::case::{
    CameToAttention, CaseForm, CaseRef, CaseState, NoticeForm, PersonForm, PlaceKind, ReferralAction,
    ReferralForm, ReferralPurpose, Sex, SharedField, Side,
};
use domain::territory::TerritoryLevel;
use domain::{DomainError, FieldErrors};
use serde::Deserialize;
use store::cases::{self, CaseFilter, DuplicateHit, ExploitationForm, NoticeResult, ReferralActForm};

/// Cases per page of the case list.
const CASES_PER_PAGE: i64 = 50;
/// The body limit of the document upload: the largest file plus the other fields.
const DOCUMENT_BODY_LIMIT: usize = domain::reporting::MAX_ATTACHMENT_BYTES + 256 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/notices", get(list_notices).post(record_notice))
        .route("/notices/new", get(new_notice))
        .route("/notices/{id}", get(show_notice))
        .route("/notices/{id}/accept", post(accept_notice))
        .route("/notices/{id}/redirect", post(redirect_notice))
        .route("/cases", get(list_cases))
        .route("/cases/search", post(search_case))
        .route("/cases/{id}", get(show_case))
        .route("/cases/{id}/edit", get(edit_case).post(update_case))
        .route("/cases/{id}/person", get(edit_person).post(update_person))
        .route("/cases/{id}/close", post(close_case))
        .route("/cases/{id}/reopen", post(reopen_case))
        .route("/cases/{id}/referrals/new", get(new_referral).post(send_referral))
        .route(
            "/cases/{id}/documents",
            post(add_document).layer(DefaultBodyLimit::max(DOCUMENT_BODY_LIMIT)),
        )
        .route("/cases/{id}/documents/{doc_id}", get(download_document))
        .route("/referrals", get(referral_inbox))
        .route("/referrals/{id}", get(show_referral))
        .route("/referrals/{id}/{action}", post(act_on_referral))
}

// ---------------------------------------------------------------- helpers

/// An option of a select, a radio group or a checkbox list.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

fn opts(
    tr: &Tr,
    prefix: &str,
    codes: impl IntoIterator<Item = &'static str>,
    selected: &[String],
) -> Vec<Opt> {
    codes
        .into_iter()
        .map(|code| Opt {
            value: code.to_string(),
            label: tr.t(&format!("{prefix}-{code}")),
            selected: selected.iter().any(|s| s == code),
        })
        .collect()
}

fn one(v: &str) -> Vec<String> {
    vec![v.trim().to_string()]
}

/// A label and a value of a fact list.
pub struct Fact {
    pub label: String,
    pub value: String,
}

fn fact(tr: &Tr, key: &str, value: impl Into<String>) -> Fact {
    Fact {
        label: tr.t(key),
        value: value.into(),
    }
}

/// `2026-11-20` → `20.11.2026`; anything else as it is.
fn dmy(iso: &str) -> String {
    match domain::plan::parse_date(iso) {
        Some(d) => d.strftime("%d.%m.%Y").to_string(),
        None => iso.to_string(),
    }
}

fn dmy_opt(iso: Option<&str>) -> String {
    iso.map(dmy).unwrap_or_default()
}

fn yes_no(tr: &Tr, b: bool) -> String {
    tr.t(if b { "yes" } else { "no" })
}

fn named(tr: &Tr, prefix: &str, code: &str) -> String {
    tr.t(&format!("{prefix}-{code}"))
}

fn flash_text(tr: &Tr, done: &str) -> String {
    const KNOWN: &[&str] = &[
        "accepted",
        "redirected",
        "saved",
        "person",
        "closed",
        "reopened",
        "referred",
        "document",
        "referral-accepted",
        "referral-declined",
        "referral-answered",
        "referral-closed",
    ];
    if KNOWN.contains(&done) {
        tr.t(&format!("case-flash-{done}"))
    } else {
        String::new()
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

fn is_on(v: &str) -> bool {
    !v.trim().is_empty()
}

/// The names of the forms of exploitation in the page's language, in list order.
fn form_names(all: &[ExploitationForm], codes: &[String], lang: &str) -> Vec<String> {
    all.iter()
        .filter(|f| codes.contains(&f.code))
        .map(|f| f.name(lang).to_string())
        .collect()
}

fn form_opts(all: &[ExploitationForm], checked: &[String], lang: &str) -> Vec<Opt> {
    all.iter()
        .map(|f| Opt {
            value: f.code.clone(),
            label: f.name(lang).to_string(),
            selected: checked.contains(&f.code),
        })
        .collect()
}

/// Territories a person can stay in, for the notice: oblasts and their raions.
async fn stay_territories(state: &AppState, tr: &Tr, selected: &str) -> Result<Vec<Opt>, DomainError> {
    let all = state.territories().await?;
    Ok(all
        .iter()
        .filter(|t| t.level == TerritoryLevel::Oblast || t.level == TerritoryLevel::Raion)
        .map(|t| {
            let indent = if t.level == TerritoryLevel::Raion {
                "\u{a0}\u{a0}"
            } else {
                ""
            };
            let value = t.id.to_string();
            Opt {
                selected: value == selected.trim(),
                label: format!("{indent}{}", t.name(tr.code())),
                value,
            }
        })
        .collect())
}

/// Every territory below the country, for the case list filter.
async fn filter_territories(state: &AppState, tr: &Tr, selected: &str) -> Result<Vec<Opt>, DomainError> {
    let all = state.territories().await?;
    Ok(all
        .iter()
        .filter(|t| t.level != TerritoryLevel::Country)
        .map(|t| {
            let value = t.id.to_string();
            Opt {
                selected: value == selected.trim(),
                label: format!(
                    "{}{}",
                    "\u{a0}\u{a0}".repeat(t.depth().saturating_sub(1)),
                    t.name(tr.code())
                ),
                value,
            }
        })
        .collect())
}

/// A refusal for a page the actor may not open (audited), as its page.
async fn refuse_page(state: &AppState, s: &SignedIn, page: &str) -> AppError {
    store::service::deny_page(&state.db, &s.ctx.store_ctx(), page)
        .await
        .into()
}

// ---------------------------------------------------------------- the notice form

const NOTICE_FIELDS: &[&str] = &[
    "identified_on",
    "territory_id",
    "came_to_attention",
    "is_child",
    "sex",
    "age",
    "citizenship",
    "language",
    "consent",
    "surname",
    "given_name",
    "patronymic",
    "birth_date",
    "document",
    "phone",
    "email",
    "address",
    "forms",
    "circumstances",
];

/// What was typed into the notice form.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct NoticeFields {
    pub surname: String,
    pub given_name: String,
    pub patronymic: String,
    pub birth_date: String,
    pub document: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub identified_on: String,
    pub territory_id: String,
    pub came_to_attention: String,
    pub forms: Vec<String>,
    pub is_child: String,
    pub sex: String,
    pub age: String,
    pub citizenship: String,
    pub language: String,
    pub interpreter: String,
    pub consent: String,
    pub circumstances: String,
    pub confirm_duplicates: String,
}

impl NoticeFields {
    fn form(&self) -> NoticeForm {
        NoticeForm {
            person: PersonForm {
                surname: self.surname.clone(),
                given_name: self.given_name.clone(),
                patronymic: self.patronymic.clone(),
                birth_date: self.birth_date.clone(),
                document: self.document.clone(),
                phone: self.phone.clone(),
                email: self.email.clone(),
                address: self.address.clone(),
            },
            identified_on: self.identified_on.clone(),
            territory_id: self.territory_id.clone(),
            came_to_attention: self.came_to_attention.clone(),
            forms: self.forms.clone(),
            is_child: is_on(&self.is_child),
            sex: self.sex.clone(),
            age: self.age.clone(),
            citizenship: self.citizenship.clone(),
            language: self.language.clone(),
            interpreter: is_on(&self.interpreter),
            consent: self.consent.clone(),
            circumstances: self.circumstances.clone(),
        }
    }
}

/// A possible duplicate: the reference, linked only for those who may open the case.
pub struct DupLine {
    pub reference: String,
    pub href: Option<String>,
    pub state: String,
}

#[derive(Template)]
#[template(path = "notice_form.html")]
struct NoticeFormPage {
    c: Chrome,
    f: NoticeFields,
    child: bool,
    interpreter: bool,
    territories: Vec<Opt>,
    came: Vec<Opt>,
    sexes: Vec<Opt>,
    consents: Vec<Opt>,
    forms: Vec<Opt>,
    duplicates: Vec<DupLine>,
    errors: Errors,
}

async fn notice_form_page(
    state: &AppState,
    s: &SignedIn,
    f: NoticeFields,
    errors: FieldErrors,
    duplicates: &[DuplicateHit],
) -> AppResult {
    let c = Chrome::new(state, &s.ctx);
    let tr = c.tr.clone();
    let all_forms = store::reference::exploitation_forms(&state.db).await?;
    let territories = stay_territories(state, &tr, &f.territory_id).await?;
    let actor = &s.user.actor;
    let duplicates = duplicates
        .iter()
        .map(|h| DupLine {
            reference: h.reference.clone(),
            href: actor
                .may_work_case(h.unit_org_id)
                .then(|| format!("/cases/{}", h.case_id)),
            state: named(&tr, "case-state", &h.state),
        })
        .collect();
    let errors = Errors::new(&tr, errors).in_order(NOTICE_FIELDS);
    let status = errors.status();
    let page = NoticeFormPage {
        child: is_on(&f.is_child),
        interpreter: is_on(&f.interpreter),
        territories,
        came: opts(
            &tr,
            "case-came",
            CameToAttention::ALL.iter().map(|v| v.as_str()),
            &one(&f.came_to_attention),
        ),
        sexes: opts(&tr, "case-sex", Sex::ALL.iter().map(|v| v.as_str()), &one(&f.sex)),
        consents: opts(&tr, "notice-consent", ["yes", "no"], &one(&f.consent)),
        forms: form_opts(&all_forms, &f.forms, tr.code()),
        duplicates,
        errors,
        f,
        c,
    };
    Ok(render(status, &page))
}

pub async fn new_notice(State(state): State<AppState>, s: SignedIn) -> AppResult {
    if !s.user.actor.may_record_notice() {
        return Err(refuse_page(&state, &s, "notice_record").await);
    }
    let today = store::reporting::kyiv_date(s.ctx.now);
    let f = NoticeFields {
        identified_on: today.to_string(),
        ..NoticeFields::default()
    };
    notice_form_page(&state, &s, f, FieldErrors::new(), &[]).await
}

#[derive(Template)]
#[template(path = "notice_done.html")]
struct NoticeDonePage {
    c: Chrome,
    reference: String,
    unit_name: String,
    children_service: Option<String>,
}

/// Where a recorded notice's confirmation is shown: its id and a flash code
/// only, nothing of the notice itself.
const NOTICE_RECORDED: &str = "/notices/{id}?done=recorded";

pub async fn record_notice(
    State(state): State<AppState>,
    s: SignedIn,
    Form(f): Form<NoticeFields>,
) -> AppResult {
    let confirmed = is_on(&f.confirm_duplicates);
    let ctx = form::ctx(&s, NOTICE_RECORDED);
    match cases::record_notice(&state.db, &ctx, &f.form(), confirmed).await {
        Ok(NoticeResult::Recorded(o)) => Ok(see_other(&store::forms::fill(NOTICE_RECORDED, o.case_id))),
        Ok(NoticeResult::PossibleDuplicates(hits)) => {
            let f = NoticeFields {
                confirm_duplicates: String::new(),
                ..f
            };
            notice_form_page(&state, &s, f, FieldErrors::new(), &hits).await
        }
        Err(DomainError::Validation(e)) => notice_form_page(&state, &s, f, e, &[]).await,
        Err(e) => Err(e.into()),
    }
}

/// The confirmation of a recorded notice, for the organisation that recorded
/// it: the reference, the unit it went to, the children's service.
pub async fn show_notice(State(state): State<AppState>, s: SignedIn, Path(id): Path<i64>) -> AppResult {
    let o = cases::notice_outcome(&state.db, &s.ctx.store_ctx(), id).await?;
    Ok(render(
        StatusCode::OK,
        &NoticeDonePage {
            c: Chrome::new(&state, &s.ctx),
            reference: o.reference,
            unit_name: o.unit_name,
            children_service: o.children_service,
        },
    ))
}

// ---------------------------------------------------------------- notice lists

pub struct NoticeRow {
    pub id: i64,
    pub reference: String,
    pub identified_on: String,
    pub from: String,
    pub unit: String,
    pub state: String,
    pub state_code: String,
    pub child: bool,
    pub consent: bool,
    pub received: String,
}

fn notice_row(tr: &Tr, n: cases::NoticeLine) -> NoticeRow {
    NoticeRow {
        identified_on: dmy(&n.identified_on),
        state: named(tr, "case-state", n.state.as_str()),
        received: datetime(n.created_at),
        child: n.is_child.0,
        consent: n.consent.0,
        id: n.id,
        reference: n.reference,
        from: n.reported_by_org_name,
        unit: n.unit_name,
        state_code: n.state.as_str().to_string(),
    }
}

#[derive(Template)]
#[template(path = "notice_list.html")]
struct NoticesPage {
    c: Chrome,
    flash: String,
    incoming: Option<Vec<NoticeRow>>,
    sent: Option<Vec<NoticeRow>>,
    may_record: bool,
    units: Vec<(String, String)>,
    /// The notice whose redirect form came back with errors, and what was typed there.
    redirect_id: i64,
    redirect_unit: String,
    redirect_reason: String,
    errors: Errors,
}

const REDIRECT_FIELDS: &[&str] = &["to_org_id", "reason"];

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct RedirectFields {
    to_org_id: String,
    reason: String,
}

async fn notices_page(
    state: &AppState,
    s: &SignedIn,
    flash: &str,
    redirect: Option<(i64, RedirectFields, FieldErrors)>,
) -> AppResult {
    let ctx = s.ctx.store_ctx();
    let a = &s.user.actor;
    let officer = a.may_work_case(a.org_id);
    let recorder = a.may_record_notice();
    let c = Chrome::new(state, &s.ctx);
    let tr = c.tr.clone();
    let incoming = if officer {
        let lines = cases::incoming_notices(&state.db, &ctx).await?;
        Some(lines.into_iter().map(|n| notice_row(&tr, n)).collect())
    } else {
        None
    };
    // Someone who may do neither gets the refusal of the list they would see.
    let sent = if recorder || !officer {
        let lines = cases::notices_sent(&state.db, &ctx).await?;
        Some(lines.into_iter().map(|n| notice_row(&tr, n)).collect())
    } else {
        None
    };
    let units = if officer {
        cases::units(&state.db)
            .await?
            .into_iter()
            .filter(|(id, _)| *id != a.org_id)
            .map(|(id, name)| (id.to_string(), name))
            .collect()
    } else {
        Vec::new()
    };
    let (redirect_id, typed, errors) = redirect.unwrap_or((0, RedirectFields::default(), FieldErrors::new()));
    let errors = Errors::new(&tr, errors).in_order(REDIRECT_FIELDS);
    let status = errors.status();
    let page = NoticesPage {
        flash: flash_text(&tr, flash),
        incoming,
        sent,
        may_record: recorder,
        units,
        redirect_id,
        redirect_unit: typed.to_org_id,
        redirect_reason: typed.reason,
        errors,
        c,
    };
    Ok(render(status, &page))
}

pub async fn list_notices(
    State(state): State<AppState>,
    s: SignedIn,
    Query(q): Query<DoneQuery>,
) -> AppResult {
    notices_page(&state, &s, &q.done, None).await
}

pub async fn accept_notice(State(state): State<AppState>, s: SignedIn, Path(id): Path<i64>) -> AppResult {
    match cases::accept_notice(&state.db, &s.ctx.store_ctx(), id).await {
        Ok(()) => Ok(see_other(&format!("/cases/{id}?done=accepted"))),
        Err(DomainError::Conflict(_)) => Err(AppError::conflict("notice-err-not-waiting")),
        Err(e) => Err(e.into()),
    }
}

pub async fn redirect_notice(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Form(f): Form<RedirectFields>,
) -> AppResult {
    form::submit(
        &s,
        "/notices?done=redirected",
        async |ctx| cases::redirect_notice(&state.db, &ctx, id, &f.to_org_id, &f.reason).await,
        async |again| match again {
            Again::Invalid(e) => notices_page(&state, &s, "", Some((id, f.clone(), e))).await,
            Again::Stale(_) => Err(AppError::conflict("notice-err-not-waiting")),
        },
    )
    .await
}

// ---------------------------------------------------------------- the case list

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CaseListQuery {
    state: String,
    child: String,
    form: String,
    territory: String,
    #[serde(rename = "ref")]
    reference: String,
    after: String,
}

pub struct CaseListLine {
    pub id: i64,
    pub reference: String,
    pub identified_on: String,
    pub territory: String,
    pub sex: String,
    pub age: String,
    pub child: bool,
    pub state: String,
    pub state_code: String,
    pub next_step: String,
    pub next_due: String,
}

#[derive(Template)]
#[template(path = "case_list.html")]
struct CaseListPage {
    c: Chrome,
    lines: Vec<CaseListLine>,
    next_href: Option<String>,
    first_href: Option<String>,
    states: Vec<Opt>,
    childs: Vec<Opt>,
    forms: Vec<Opt>,
    territories: Vec<Opt>,
    reference: String,
    searched: bool,
    errors: Errors,
}

const SEARCH_FIELDS: &[&str] = &["ref"];

/// The case list. `typed_search` is a search string that was refused (it is
/// shown back in the search box, never looked up).
async fn case_list_page(
    state: &AppState,
    s: &SignedIn,
    q: CaseListQuery,
    typed_search: Option<String>,
) -> AppResult {
    let ctx = s.ctx.store_ctx();
    let c = Chrome::new(state, &s.ctx);
    let tr = c.tr.clone();
    let all_forms = store::reference::exploitation_forms(&state.db).await?;
    let mut errors = FieldErrors::new();
    let reference = match (&typed_search, q.reference.trim()) {
        (Some(_), _) => {
            errors.add("ref", "case-err-reference");
            None
        }
        (None, "") => None,
        (None, r) => {
            let parsed = CaseRef::parse(r);
            if parsed.is_none() {
                errors.add("ref", "case-err-reference");
            }
            parsed
        }
    };
    let filter = CaseFilter {
        state: CaseState::parse(q.state.trim()),
        child: match q.child.trim() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        },
        form: all_forms
            .iter()
            .find(|f| f.code == q.form.trim())
            .map(|f| f.code.clone()),
        territory_id: q.territory.trim().parse::<i64>().ok().filter(|t| *t > 0),
        reference: reference.clone(),
        after: q.after.trim().parse::<i64>().ok().filter(|a| *a > 0),
    };
    let (rows, more) = if errors.is_empty() {
        cases::list_cases(&state.db, &ctx, &filter, CASES_PER_PAGE).await?
    } else {
        // A refused search is not looked up; the page still belongs to case officers only.
        let a = &s.user.actor;
        if !a.may_work_case(a.org_id) {
            return Err(refuse_page(state, s, "cases").await);
        }
        (Vec::new(), false)
    };
    // Only codes, ids and a well-formed reference go into the links.
    let mut query: Vec<String> = Vec::new();
    if let Some(st) = filter.state {
        query.push(format!("state={}", st.as_str()));
    }
    if let Some(ch) = filter.child {
        query.push(format!("child={}", if ch { "yes" } else { "no" }));
    }
    if let Some(fc) = &filter.form {
        query.push(format!("form={}", urlencoding::encode(fc)));
    }
    if let Some(t) = filter.territory_id {
        query.push(format!("territory={t}"));
    }
    if let Some(r) = &filter.reference {
        query.push(format!("ref={}", urlencoding::encode(r.as_str())));
    }
    let next_href = more.then(|| rows.last()).flatten().map(|last| {
        let mut q = query.clone();
        q.push(format!("after={}", last.id));
        format!("/cases?{}", q.join("&"))
    });
    let first_href = filter.after.map(|_| {
        if query.is_empty() {
            "/cases".to_string()
        } else {
            format!("/cases?{}", query.join("&"))
        }
    });
    let lang = tr.code();
    let lines = rows
        .into_iter()
        .map(|l| CaseListLine {
            identified_on: dmy(&l.identified_on),
            territory: l.territory_name(lang).to_string(),
            sex: named(&tr, "case-sex", l.sex.as_str()),
            age: l.age.map(|a| a.to_string()).unwrap_or_default(),
            child: l.is_child.0,
            state: named(&tr, "case-state", l.state.as_str()),
            next_step: l
                .next_step
                .map(|st| named(&tr, "proc-step", st.as_str()))
                .unwrap_or_default(),
            next_due: dmy_opt(l.next_due_on.as_deref()),
            id: l.id,
            reference: l.reference,
            state_code: l.state.as_str().to_string(),
        })
        .collect();
    let errors = Errors::new(&tr, errors).in_order(SEARCH_FIELDS);
    let status = errors.status();
    let page = CaseListPage {
        lines,
        next_href,
        first_href,
        states: opts(
            &tr,
            "case-state",
            CaseState::ALL.iter().map(|v| v.as_str()),
            &one(q.state.as_str()),
        ),
        childs: opts(&tr, "case-child-filter", ["yes", "no"], &one(q.child.as_str())),
        forms: form_opts(&all_forms, &one(q.form.as_str()), lang),
        territories: filter_territories(state, &tr, &q.territory).await?,
        searched: filter.reference.is_some(),
        reference: typed_search.unwrap_or_else(|| q.reference.trim().to_string()),
        errors,
        c,
    };
    Ok(render(status, &page))
}

pub async fn list_cases(
    State(state): State<AppState>,
    s: SignedIn,
    Query(q): Query<CaseListQuery>,
) -> AppResult {
    case_list_page(&state, &s, q, None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SearchFields {
    #[serde(rename = "ref")]
    reference: String,
}

/// The reference search is posted, so that whatever is typed stays out of
/// URLs; only a well-formed reference is passed on to the list.
pub async fn search_case(
    State(state): State<AppState>,
    s: SignedIn,
    Form(f): Form<SearchFields>,
) -> AppResult {
    match CaseRef::parse(&f.reference) {
        Some(r) => Ok(see_other(&format!(
            "/cases?ref={}",
            urlencoding::encode(r.as_str())
        ))),
        None => case_list_page(&state, &s, CaseListQuery::default(), Some(f.reference)).await,
    }
}

// ---------------------------------------------------------------- the case page

pub struct ReferralLine {
    pub id: i64,
    pub to: String,
    pub purpose: String,
    pub fields: String,
    pub state: String,
    pub state_code: String,
    pub due: String,
    pub sent: String,
    pub outcome: String,
}

pub struct EventLine {
    pub at: String,
    pub what: String,
    pub who: String,
    pub note: String,
}

pub struct DocLine {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub size: String,
    pub at: String,
    pub by: String,
}

pub struct ProcLine {
    pub id: i64,
    pub number: String,
    pub registered_on: String,
    pub state: String,
    pub next: String,
}

#[derive(Template)]
#[template(path = "case_detail.html")]
struct CasePage {
    c: Chrome,
    flash: String,
    id: i64,
    reference: String,
    state: String,
    state_code: String,
    is_notice: bool,
    is_open: bool,
    is_closed: bool,
    facts: Vec<Fact>,
    forms: Vec<String>,
    circumstances: String,
    notes: String,
    person: Option<Vec<Fact>>,
    consent: bool,
    referrals: Vec<ReferralLine>,
    events: Vec<EventLine>,
    documents: Vec<DocLine>,
    procedures: Vec<ProcLine>,
    doc_kind: String,
    errors: Errors,
}

const DOCUMENT_FIELDS: &[&str] = &["kind", "file"];

fn referral_outcome(tr: &Tr, r: &cases::ReferralRow) -> String {
    let mut parts = Vec::new();
    if let Some(reason) = &r.decline_reason {
        parts.push(format!("{}: {reason}", tr.t("referral-decline-reason")));
    }
    if let Some(found) = r.proceedings_found {
        let mut s = format!(
            "{}: {}",
            tr.t("referral-proceedings-found"),
            yes_no(tr, found != 0)
        );
        if let Some(p) = &r.proceedings_ref {
            s.push_str(&format!(" ({p})"));
        }
        parts.push(s);
    }
    if let Some(a) = &r.answer {
        parts.push(format!("{}: {a}", tr.t("referral-answer")));
    }
    parts.join(" · ")
}

fn shared_names(tr: &Tr, fields: &[SharedField]) -> Vec<String> {
    fields
        .iter()
        .map(|f| named(tr, "referral-field", f.as_str()))
        .collect()
}

fn person_facts(tr: &Tr, p: &cases::PersonRow) -> Vec<Fact> {
    let mut v = vec![fact(tr, "person-name", p.full_name())];
    let mut add = |key: &str, value: &Option<String>| {
        if let Some(x) = value.as_deref().filter(|x| !x.is_empty()) {
            v.push(fact(tr, key, x));
        }
    };
    add("person-birth-date", &p.birth_date.as_deref().map(dmy));
    add("person-document", &p.document);
    add("person-phone", &p.phone);
    add("person-email", &p.email);
    add("person-address", &p.address);
    v
}

async fn case_page(
    state: &AppState,
    s: &SignedIn,
    id: i64,
    flash: &str,
    errors: FieldErrors,
    doc_kind: String,
) -> AppResult {
    let v = cases::case_view(&state.db, &s.ctx.store_ctx(), id).await?;
    let all_forms = store::reference::exploitation_forms(&state.db).await?;
    let c = Chrome::new(state, &s.ctx);
    let tr = c.tr.clone();
    let lang = tr.code();
    let k = &v.case;
    let cstate = k.state();
    let mut facts = vec![
        fact(&tr, "case-unit", k.unit_name.clone()),
        fact(&tr, "case-territory", k.territory_name(lang)),
        fact(&tr, "case-reported-by", k.reported_by_org_name.clone()),
        fact(&tr, "case-identified-on", dmy(&k.identified_on)),
        fact(
            &tr,
            "case-came-to-attention",
            named(&tr, "case-came", k.came_to_attention.as_str()),
        ),
        fact(&tr, "case-consent", yes_no(&tr, k.consent.0)),
        fact(&tr, "case-child", yes_no(&tr, k.is_child.0)),
        fact(&tr, "case-sex", named(&tr, "case-sex", k.sex.as_str())),
        fact(
            &tr,
            "case-age",
            k.age.map(|a| a.to_string()).unwrap_or_else(|| "—".into()),
        ),
    ];
    let mut opt = |key: &str, value: Option<String>| {
        if let Some(x) = value.filter(|x| !x.is_empty()) {
            facts.push(fact(&tr, key, x));
        }
    };
    opt("case-citizenship", k.citizenship.clone());
    opt(
        "case-language",
        k.language.clone().map(|l| {
            if k.interpreter.0 {
                format!("{l} ({})", tr.t("case-interpreter-needed"))
            } else {
                l
            }
        }),
    );
    opt("case-idp", k.idp.0.then(|| tr.t("yes")));
    opt("case-legal-representative", k.legal_representative.clone());
    opt(
        "case-place",
        k.place_kind.map(|p| named(&tr, "case-place", p.as_str())),
    );
    opt("case-country", k.country.clone());
    let period = match (k.period_from.as_deref(), k.period_to.as_deref()) {
        (None, None) => None,
        (from, to) => Some(format!("{} – {}", dmy_opt(from), dmy_opt(to))),
    };
    opt("case-period", period);
    opt("case-recruitment", k.recruitment.clone());
    opt("case-proceedings-ref", k.proceedings_ref.clone());
    opt("case-opened-at", k.opened_at.map(datetime));
    opt("case-closed-at", k.closed_at.map(datetime));
    let referrals = v
        .referrals
        .iter()
        .map(|r| ReferralLine {
            id: r.id,
            to: r.to_org_name.clone(),
            purpose: named(&tr, "referral-purpose", r.purpose().as_str()),
            fields: shared_names(&tr, &r.shared()).join(", "),
            state: named(&tr, "referral-state", r.state().as_str()),
            state_code: r.state().as_str().to_string(),
            due: dmy_opt(r.due_on.as_deref()),
            sent: datetime(r.created_at),
            outcome: referral_outcome(&tr, r),
        })
        .collect();
    let events = v
        .events
        .iter()
        .map(|e| {
            let mut who = e.user_name.clone().unwrap_or_default();
            if let Some(o) = &e.org_name {
                who = if who.is_empty() {
                    o.clone()
                } else {
                    format!("{who}, {o}")
                };
            }
            let mut what = named(&tr, "case-event", e.kind.as_str());
            if let Some(to) = &e.to_org_name {
                what.push_str(&format!(" → {to}"));
            }
            EventLine {
                at: datetime(e.at),
                what,
                who,
                note: e.note.clone().unwrap_or_default(),
            }
        })
        .collect();
    let documents = v
        .documents
        .iter()
        .map(|d| DocLine {
            id: d.id,
            kind: d.kind.clone(),
            name: d.file_name.clone(),
            size: format!("{:.1} KB", d.size as f64 / 1024.0),
            at: datetime(d.uploaded_at),
            by: d.uploaded_by_name.clone(),
        })
        .collect();
    let procedures = v
        .procedures
        .iter()
        .map(|p| ProcLine {
            id: p.id,
            number: format!("{}/{}", p.journal_no, p.journal_year),
            registered_on: dmy(&p.registered_on),
            state: named(&tr, "proc-state", p.state.as_str()),
            next: match (p.next_step, p.next_due_on.as_deref()) {
                (Some(st), Some(due)) => format!(
                    "{} {} {}",
                    named(&tr, "proc-step", st.as_str()),
                    tr.t("case-due-by"),
                    dmy(due)
                ),
                (Some(st), None) => named(&tr, "proc-step", st.as_str()),
                _ => String::new(),
            },
        })
        .collect();
    let errors = Errors::new(&tr, errors).in_order(DOCUMENT_FIELDS);
    let status = errors.status();
    let page = CasePage {
        flash: flash_text(&tr, flash),
        id: k.id,
        reference: k.reference.clone(),
        state: named(&tr, "case-state", cstate.as_str()),
        state_code: cstate.as_str().to_string(),
        is_notice: cstate == CaseState::Notice,
        is_open: cstate == CaseState::Open,
        is_closed: cstate == CaseState::Closed,
        forms: form_names(&all_forms, &v.forms, lang),
        circumstances: k.circumstances.clone().unwrap_or_default(),
        notes: k.notes.clone().unwrap_or_default(),
        person: v.person.as_ref().map(|p| person_facts(&tr, p)),
        consent: k.consent.0 || k.is_child.0,
        facts,
        referrals,
        events,
        documents,
        procedures,
        doc_kind,
        errors,
        c,
    };
    Ok(render(status, &page))
}

pub async fn show_case(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> AppResult {
    case_page(&state, &s, id, &q.done, FieldErrors::new(), String::new()).await
}

async fn set_closed(state: AppState, s: SignedIn, id: i64, closed: bool) -> AppResult {
    match cases::set_closed(&state.db, &s.ctx.store_ctx(), id, closed).await {
        Ok(()) => Ok(see_other(&format!(
            "/cases/{id}?done={}",
            if closed { "closed" } else { "reopened" }
        ))),
        Err(DomainError::Conflict(_)) => Err(AppError::conflict("case-err-state")),
        Err(e) => Err(e.into()),
    }
}

pub async fn close_case(State(state): State<AppState>, s: SignedIn, Path(id): Path<i64>) -> AppResult {
    set_closed(state, s, id, true).await
}

pub async fn reopen_case(State(state): State<AppState>, s: SignedIn, Path(id): Path<i64>) -> AppResult {
    set_closed(state, s, id, false).await
}

// ---------------------------------------------------------------- editing the facts

const CASE_FIELDS: &[&str] = &[
    "sex",
    "age",
    "is_child",
    "legal_representative",
    "citizenship",
    "language",
    "came_to_attention",
    "forms",
    "place_kind",
    "country",
    "period_from",
    "period_to",
    "recruitment",
    "proceedings_ref",
    "notes",
];

/// The case's facts as the edit form shows them first.
fn case_form_of(k: &cases::CaseRow, forms: Vec<String>) -> CaseForm {
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    CaseForm {
        sex: k.sex.as_str().to_string(),
        age: k.age.map(|a| a.to_string()).unwrap_or_default(),
        citizenship: s(&k.citizenship),
        language: s(&k.language),
        interpreter: k.interpreter.0,
        idp: k.idp.0,
        is_child: k.is_child.0,
        legal_representative: s(&k.legal_representative),
        forms,
        place_kind: k.place_kind.map(|p| p.as_str().to_string()).unwrap_or_default(),
        country: s(&k.country),
        period_from: s(&k.period_from),
        period_to: s(&k.period_to),
        recruitment: s(&k.recruitment),
        came_to_attention: k.came_to_attention.as_str().to_string(),
        proceedings_ref: s(&k.proceedings_ref),
        notes: s(&k.notes),
        version: k.version.to_string(),
    }
}

#[derive(Template)]
#[template(path = "case_edit.html")]
struct CaseEditPage {
    c: Chrome,
    id: i64,
    reference: String,
    f: CaseForm,
    interpreter: bool,
    idp: bool,
    child: bool,
    sexes: Vec<Opt>,
    came: Vec<Opt>,
    places: Vec<Opt>,
    forms: Vec<Opt>,
    errors: Errors,
    conflict: bool,
}

async fn case_edit_page(
    state: &AppState,
    s: &SignedIn,
    id: i64,
    reference: String,
    f: CaseForm,
    errors: FieldErrors,
    conflict: bool,
) -> AppResult {
    let c = Chrome::new(state, &s.ctx);
    let tr = c.tr.clone();
    let all_forms = store::reference::exploitation_forms(&state.db).await?;
    let errors = Errors::new(&tr, errors).in_order(CASE_FIELDS);
    let status = if conflict {
        StatusCode::CONFLICT
    } else {
        errors.status()
    };
    let page = CaseEditPage {
        id,
        reference,
        interpreter: f.interpreter,
        idp: f.idp,
        child: f.is_child,
        sexes: opts(&tr, "case-sex", Sex::ALL.iter().map(|v| v.as_str()), &one(&f.sex)),
        came: opts(
            &tr,
            "case-came",
            CameToAttention::ALL.iter().map(|v| v.as_str()),
            &one(&f.came_to_attention),
        ),
        places: opts(
            &tr,
            "case-place",
            PlaceKind::ALL.iter().map(|v| v.as_str()),
            &one(&f.place_kind),
        ),
        forms: form_opts(&all_forms, &f.forms, tr.code()),
        f,
        errors,
        conflict,
        c,
    };
    Ok(render(status, &page))
}

pub async fn edit_case(State(state): State<AppState>, s: SignedIn, Path(id): Path<i64>) -> AppResult {
    let (k, forms, _) = cases::case_for_edit(&state.db, &s.ctx.store_ctx(), id).await?;
    let f = case_form_of(&k, forms);
    case_edit_page(&state, &s, id, k.reference, f, FieldErrors::new(), false).await
}

pub async fn update_case(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Form(f): Form<CaseForm>,
) -> AppResult {
    form::submit(
        &s,
        &format!("/cases/{id}?done=saved"),
        async |ctx| cases::update_case(&state.db, &ctx, id, &f).await,
        async |again| {
            let k = cases::case_for_unit(&state.db, &s.ctx.store_ctx(), id, "case_update").await?;
            match again {
                Again::Invalid(e) => case_edit_page(&state, &s, id, k.reference, f.clone(), e, false).await,
                Again::Stale(_) => {
                    // Someone saved first: keep what was typed, against the current version.
                    let f = CaseForm {
                        version: k.version.to_string(),
                        ..f.clone()
                    };
                    case_edit_page(&state, &s, id, k.reference, f, FieldErrors::new(), true).await
                }
            }
        },
    )
    .await
}

// ---------------------------------------------------------------- the person

const PERSON_FIELDS: &[&str] = &[
    "surname",
    "given_name",
    "patronymic",
    "birth_date",
    "document",
    "phone",
    "email",
    "address",
];

/// The person's data as the form shows them first.
fn person_form_of(p: &cases::PersonRow) -> PersonForm {
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    PersonForm {
        surname: p.surname.clone(),
        given_name: p.given_name.clone(),
        patronymic: s(&p.patronymic),
        birth_date: s(&p.birth_date),
        document: s(&p.document),
        phone: s(&p.phone),
        email: s(&p.email),
        address: s(&p.address),
    }
}

#[derive(Template)]
#[template(path = "case_person.html")]
struct PersonPage {
    c: Chrome,
    id: i64,
    reference: String,
    f: PersonForm,
    had_person: bool,
    errors: Errors,
}

fn person_page(
    state: &AppState,
    s: &SignedIn,
    id: i64,
    reference: String,
    f: PersonForm,
    had: bool,
    e: FieldErrors,
) -> Response {
    let c = Chrome::new(state, &s.ctx);
    let errors = Errors::new(&c.tr, e).in_order(PERSON_FIELDS);
    let status = errors.status();
    render(
        status,
        &PersonPage {
            id,
            reference,
            f,
            had_person: had,
            errors,
            c,
        },
    )
}

pub async fn edit_person(State(state): State<AppState>, s: SignedIn, Path(id): Path<i64>) -> AppResult {
    let (k, _, p) = cases::case_for_edit(&state.db, &s.ctx.store_ctx(), id).await?;
    let f = p.as_ref().map(person_form_of).unwrap_or_default();
    Ok(person_page(
        &state,
        &s,
        id,
        k.reference,
        f,
        p.is_some(),
        FieldErrors::new(),
    ))
}

pub async fn update_person(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Form(f): Form<PersonForm>,
) -> AppResult {
    form::submit(
        &s,
        &format!("/cases/{id}?done=person"),
        async |ctx| cases::update_person(&state.db, &ctx, id, &f).await,
        async |again| {
            let e = again.invalid()?;
            let k = cases::case_for_unit(&state.db, &s.ctx.store_ctx(), id, "person_update").await?;
            Ok(person_page(
                &state,
                &s,
                id,
                k.reference,
                f.clone(),
                k.person_id.is_some(),
                e,
            ))
        },
    )
    .await
}

// ---------------------------------------------------------------- a new referral

const REFERRAL_FIELDS: &[&str] = &["org_id", "purpose", "fields", "consent_ref", "due_on", "message"];

/// A shared-field checkbox with what sharing it means.
pub struct SharedOpt {
    pub value: String,
    pub label: String,
    pub hint: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "referral_form.html")]
struct ReferralFormPage {
    c: Chrome,
    id: i64,
    reference: String,
    f: ReferralForm,
    orgs: Vec<Opt>,
    purposes: Vec<Opt>,
    shared: Vec<SharedOpt>,
    needs_consent: bool,
    errors: Errors,
}

async fn referral_form_page(
    state: &AppState,
    s: &SignedIn,
    k: &cases::CaseRow,
    f: ReferralForm,
    errors: FieldErrors,
) -> AppResult {
    let c = Chrome::new(state, &s.ctx);
    let tr = c.tr.clone();
    let list = store::reference::organisations(&state.db).await?;
    let orgs = list
        .into_iter()
        .filter(|o| o.id != k.unit_org_id)
        .map(|o| {
            let value = o.id.to_string();
            Opt {
                selected: value == f.org_id.trim(),
                label: match &o.short_name {
                    Some(sn) => format!("{} ({sn})", o.name),
                    None => o.name,
                },
                value,
            }
        })
        .collect();
    let shared = SharedField::ALL
        .iter()
        .map(|sf| SharedOpt {
            value: sf.as_str().to_string(),
            label: named(&tr, "referral-field", sf.as_str()),
            hint: tr.t(&format!("referral-field-{}-hint", sf.as_str())),
            checked: f.fields.iter().any(|x| x == sf.as_str()),
        })
        .collect();
    let errors = Errors::new(&tr, errors).in_order(REFERRAL_FIELDS);
    let status = errors.status();
    let page = ReferralFormPage {
        id: k.id,
        reference: k.reference.clone(),
        orgs,
        purposes: opts(
            &tr,
            "referral-purpose",
            ReferralPurpose::ALL.iter().map(|v| v.as_str()),
            &one(&f.purpose),
        ),
        shared,
        needs_consent: !k.consent.0 && !k.is_child.0,
        f,
        errors,
        c,
    };
    Ok(render(status, &page))
}

pub async fn new_referral(State(state): State<AppState>, s: SignedIn, Path(id): Path<i64>) -> AppResult {
    let k = cases::case_for_unit(&state.db, &s.ctx.store_ctx(), id, "referral_form").await?;
    referral_form_page(&state, &s, &k, ReferralForm::default(), FieldErrors::new()).await
}

pub async fn send_referral(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Form(f): Form<ReferralForm>,
) -> AppResult {
    form::submit(
        &s,
        &format!("/cases/{id}?done=referred"),
        async |ctx| cases::send_referral(&state.db, &ctx, id, &f).await.map(|_| ()),
        async |again| {
            let e = again.invalid()?;
            let k = cases::case_for_unit(&state.db, &s.ctx.store_ctx(), id, "referral_send").await?;
            referral_form_page(&state, &s, &k, f.clone(), e).await
        },
    )
    .await
}

// ---------------------------------------------------------------- documents

pub async fn add_document(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> AppResult {
    let limits = Limits {
        file_bytes: domain::reporting::MAX_ATTACHMENT_BYTES,
    };
    let upload = read_multipart(multipart, limits).await?;
    let kind = upload.field("kind").to_string();
    if upload.too_big {
        let mut e = FieldErrors::new();
        e.add("file", "err-file-too-big");
        return case_page(&state, &s, id, "", e, kind).await;
    }
    let (name, bytes) = upload.file_or_empty();
    form::submit(
        &s,
        &format!("/cases/{id}?done=document"),
        async |ctx| {
            cases::add_document(&state.db, &ctx, id, &kind, name, bytes)
                .await
                .map(|_| ())
        },
        async |again| case_page(&state, &s, id, "", again.invalid()?, kind.clone()).await,
    )
    .await
}

pub async fn download_document(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, doc_id)): Path<(i64, i64)>,
) -> AppResult {
    let (file_name, content_type, bytes) = cases::document(&state.db, &s.ctx.store_ctx(), id, doc_id).await?;
    // An ASCII fallback name, and the stored name (any letters) for browsers that read filename*.
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .filter(|e| e.chars().all(|c| c.is_ascii_alphanumeric()))
        .unwrap_or_default();
    let disposition = format!(
        "attachment; filename=\"document-{doc_id}.{ext}\"; filename*=UTF-8''{}",
        urlencoding::encode(&file_name)
    );
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        Body::from(bytes),
    )
        .into_response())
}

// ---------------------------------------------------------------- the partner's inbox

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InboxQuery {
    all: String,
    done: String,
}

pub struct InboxLine {
    pub id: i64,
    pub reference: String,
    pub from: String,
    pub purpose: String,
    pub state: String,
    pub state_code: String,
    pub open: bool,
    pub due: String,
    pub received: String,
}

#[derive(Template)]
#[template(path = "referral_inbox.html")]
struct InboxPage {
    c: Chrome,
    flash: String,
    all: bool,
    lines: Vec<InboxLine>,
}

pub async fn referral_inbox(
    State(state): State<AppState>,
    s: SignedIn,
    Query(q): Query<InboxQuery>,
) -> AppResult {
    let all = q.all == "1";
    let rows = cases::referral_inbox(&state.db, &s.ctx.store_ctx(), !all).await?;
    let c = Chrome::new(&state, &s.ctx);
    let tr = c.tr.clone();
    let lines = rows
        .into_iter()
        .map(|r| {
            let st = r.state();
            InboxLine {
                id: r.id,
                purpose: named(&tr, "referral-purpose", r.purpose().as_str()),
                state: named(&tr, "referral-state", st.as_str()),
                state_code: st.as_str().to_string(),
                open: st.is_open(),
                due: dmy_opt(r.due_on.as_deref()),
                received: datetime(r.created_at),
                reference: r.case_reference,
                from: r.from_org_name,
            }
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &InboxPage {
            flash: flash_text(&tr, &q.done),
            all,
            lines,
            c,
        },
    ))
}

// ---------------------------------------------------------------- one referral

const ACT_FIELDS: &[&str] = &[
    "action",
    "reason",
    "proceedings_found",
    "proceedings_ref",
    "answer",
];

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ActFields {
    pub reason: String,
    pub answer: String,
    pub proceedings_found: String,
    pub proceedings_ref: String,
    pub version: String,
}

#[derive(Template)]
#[template(path = "referral_detail.html")]
struct ReferralPage {
    c: Chrome,
    flash: String,
    id: i64,
    case_id: i64,
    reference: String,
    facts: Vec<Fact>,
    /// What the receiver sees of the case: only the shared fields.
    shared: Option<Vec<Fact>>,
    shared_forms: Vec<String>,
    state: String,
    state_code: String,
    is_receiver: bool,
    police_request: bool,
    may_accept: bool,
    may_decline: bool,
    may_answer: bool,
    may_close: bool,
    version: i64,
    f: ActFields,
    errors: Errors,
    conflict: bool,
}

fn shared_facts(tr: &Tr, sc: &cases::SharedCase) -> Vec<Fact> {
    let mut v = vec![
        fact(tr, "case-child", yes_no(tr, sc.is_child)),
        fact(tr, "case-sex", named(tr, "case-sex", sc.sex.as_str())),
        fact(
            tr,
            "case-age",
            sc.age.map(|a| a.to_string()).unwrap_or_else(|| "—".into()),
        ),
    ];
    let mut add = |key: &str, value: Option<String>| {
        if let Some(x) = value.filter(|x| !x.is_empty()) {
            v.push(fact(tr, key, x));
        }
    };
    add("person-name", sc.name.clone());
    add("person-birth-date", sc.birth_date.as_deref().map(dmy));
    add("person-phone", sc.phone.clone());
    add("person-email", sc.email.clone());
    add("person-address", sc.address.clone());
    add("person-document", sc.document.clone());
    if let Some((kind, country)) = &sc.place {
        add("case-place", kind.map(|p| named(tr, "case-place", p.as_str())));
        add("case-country", country.clone());
    }
    if let Some((from, to)) = &sc.period
        && (from.is_some() || to.is_some())
    {
        add(
            "case-period",
            Some(format!(
                "{} – {}",
                dmy_opt(from.as_deref()),
                dmy_opt(to.as_deref())
            )),
        );
    }
    add("case-notes", sc.notes.clone());
    v
}

async fn referral_page(
    state: &AppState,
    s: &SignedIn,
    id: i64,
    flash: &str,
    f: ActFields,
    errors: FieldErrors,
    conflict: bool,
) -> AppResult {
    let v = cases::referral_view(&state.db, &s.ctx.store_ctx(), id).await?;
    let c = Chrome::new(state, &s.ctx);
    let tr = c.tr.clone();
    let r = &v.referral;
    let st = r.state();
    let side = if v.is_receiver {
        Side::Receiver
    } else {
        Side::Sender
    };
    let can = |a: ReferralAction| r.purpose().next_state(st, a, side).is_some();
    let mut facts = vec![
        fact(&tr, "referral-from", r.from_org_name.clone()),
        fact(&tr, "referral-to", r.to_org_name.clone()),
        fact(
            &tr,
            "referral-purpose",
            named(&tr, "referral-purpose", r.purpose().as_str()),
        ),
        fact(
            &tr,
            "referral-shared-fields",
            shared_names(&tr, &r.shared()).join(", "),
        ),
        fact(&tr, "referral-sent", datetime(r.created_at)),
    ];
    let mut add = |key: &str, value: Option<String>| {
        if let Some(x) = value.filter(|x| !x.is_empty()) {
            facts.push(fact(&tr, key, x));
        }
    };
    add("referral-consent-ref", r.consent_ref.clone());
    add("referral-due-on", r.due_on.as_deref().map(dmy));
    add("referral-message", r.message.clone());
    add("referral-decline-reason", r.decline_reason.clone());
    add(
        "referral-proceedings-found",
        r.proceedings_found.map(|p| yes_no(&tr, p != 0)),
    );
    add("referral-proceedings-ref", r.proceedings_ref.clone());
    add("referral-answer", r.answer.clone());
    add("referral-closed-at", r.closed_at.map(datetime));
    let all_forms = store::reference::exploitation_forms(&state.db).await?;
    let shared_forms = v
        .shared
        .as_ref()
        .and_then(|sc| sc.forms.as_ref())
        .map(|codes| form_names(&all_forms, codes, tr.code()))
        .unwrap_or_default();
    let errors = Errors::new(&tr, errors).in_order(ACT_FIELDS);
    let status = if conflict {
        StatusCode::CONFLICT
    } else {
        errors.status()
    };
    let page = ReferralPage {
        flash: flash_text(&tr, flash),
        id: r.id,
        case_id: r.case_id,
        reference: r.case_reference.clone(),
        facts,
        shared: v.shared.as_ref().map(|sc| shared_facts(&tr, sc)),
        shared_forms,
        state: named(&tr, "referral-state", st.as_str()),
        state_code: st.as_str().to_string(),
        is_receiver: v.is_receiver,
        police_request: r.purpose() == ReferralPurpose::PoliceRequest,
        may_accept: can(ReferralAction::Accept),
        may_decline: can(ReferralAction::Decline),
        may_answer: can(ReferralAction::Answer),
        may_close: can(ReferralAction::Close),
        version: r.version,
        f,
        errors,
        conflict,
        c,
    };
    Ok(render(status, &page))
}

pub async fn show_referral(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> AppResult {
    referral_page(
        &state,
        &s,
        id,
        &q.done,
        ActFields::default(),
        FieldErrors::new(),
        false,
    )
    .await
}

pub async fn act_on_referral(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, action)): Path<(i64, String)>,
    Form(f): Form<ActFields>,
) -> AppResult {
    let Some(action) = ReferralAction::parse(&action) else {
        return Err(AppError::not_found());
    };
    let form = ReferralActForm {
        reason: f.reason.clone(),
        answer: f.answer.clone(),
        proceedings_found: f.proceedings_found.clone(),
        proceedings_ref: f.proceedings_ref.clone(),
        version: f.version.clone(),
    };
    let done = format!("referral-{}", action_state(action));
    // A receiver no longer sees a referral once it is declined or closed: back to the inbox.
    let receiver_leaves = matches!(action, ReferralAction::Decline | ReferralAction::Close)
        && store::reference::referral_receiver(&state.db, id)
            .await
            .ok()
            .flatten()
            .is_some_and(|to_org| s.user.actor.may_handle_referral(to_org));
    let location = if receiver_leaves {
        format!("/referrals?done={done}")
    } else {
        format!("/referrals/{id}?done={done}")
    };
    form::submit(
        &s,
        &location,
        async |ctx| cases::act_on_referral(&state.db, &ctx, id, action, &form).await,
        async |again| {
            let (errors, conflict) = match again {
                Again::Invalid(e) => (e, false),
                Again::Stale(_) => (FieldErrors::new(), true),
            };
            referral_page(&state, &s, id, "", f.clone(), errors, conflict).await
        },
    )
    .await
}

/// The state an action leads to, as the flash code names it.
fn action_state(a: ReferralAction) -> &'static str {
    match a {
        ReferralAction::Accept => "accepted",
        ReferralAction::Decline => "declined",
        ReferralAction::Answer => "answered",
        ReferralAction::Close => "closed",
    }
}
