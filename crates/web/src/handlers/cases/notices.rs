//! The identification notice: the form, recording it (with the check for
//! possible duplicates) and its confirmation; the notice lists of the unit
//! that receives notices and of the organisation that sent them, with
//! accepting and redirecting a notice.

use super::{form_opts, refuse_page};
use crate::context::SignedIn;
use crate::error::{AppError, AppResult};
use crate::extract::Path;
use crate::form::{self, Again, see_other};
use crate::handlers::{DoneQuery, Opt, dmy, flash_text, named, one, opts};
use crate::i18n::Tr;
use crate::state::AppState;
use crate::views::{Chrome, Errors, datetime, render};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum_extra::extract::Form;
use domain::case::{CameToAttention, NoticeForm, PersonForm, Sex};
use domain::territory::TerritoryLevel;
use domain::{DomainError, FieldErrors};
use serde::Deserialize;
use store::cases::{self, DuplicateHit, NoticeResult};

fn is_on(v: &str) -> bool {
    !v.trim().is_empty()
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
    let all_forms = store::lookups::exploitation_forms(&state.db).await?;
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
    let today = store::dates::kyiv_date(s.ctx.now);
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
