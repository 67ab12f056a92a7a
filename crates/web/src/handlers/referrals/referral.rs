//! One referral: its page (for the sender and for the receiver, who sees
//! only the shared fields) and acting on it.

use crate::context::SignedIn;
use crate::error::{AppError, AppResult};
use crate::extract::Path;
use crate::form::{self, Again};
use crate::handlers::{
    DoneQuery, Fact, dmy, dmy_opt, fact, flash_text, form_names, named, shared_names, yes_no,
};
use crate::i18n::Tr;
use crate::state::AppState;
use crate::views::{Chrome, Errors, datetime, render};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum_extra::extract::Form;
use domain::FieldErrors;
use domain::case::{ReferralAction, ReferralPurpose, Side};
use serde::Deserialize;
use store::cases::{self, ReferralActForm};

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
    /// The service of an individual plan this referral asks for, if it is one:
    /// (need, state code, state, planned dates), and whether the receiver records its delivery now.
    service: Option<(String, &'static str, String, String)>,
    may_deliver: bool,
    service_version: i64,
    today: String,
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
    let all_forms = store::lookups::exploitation_forms(&state.db).await?;
    let shared_forms = v
        .shared
        .as_ref()
        .and_then(|sc| sc.forms.as_ref())
        .map(|codes| form_names(&all_forms, codes, tr.code()))
        .unwrap_or_default();
    let ctx = s.ctx.store_ctx();
    let svc = store::assistance::service_for_referral(&state.db, &ctx, id).await?;
    let may_deliver = v.is_receiver
        && svc
            .as_ref()
            .is_some_and(|x| x.state == domain::assistance::ServiceState::InProgress);
    let service_version = svc.as_ref().map(|x| x.version).unwrap_or(0);
    let service = svc.map(|x| {
        let planned = match &x.planned_to {
            Some(t) => format!("{} – {}", dmy(&x.planned_from), dmy(t)),
            None => dmy(&x.planned_from),
        };
        (
            x.need(tr.code()).to_string(),
            x.state.as_str(),
            tr.t(&format!("service-state-{}", x.state.as_str())),
            planned,
        )
    });
    let errors = Errors::new(&tr, errors).in_order(ACT_FIELDS);
    let status = if conflict {
        StatusCode::CONFLICT
    } else {
        errors.status()
    };
    let page = ReferralPage {
        service,
        may_deliver,
        service_version,
        today: store::dates::kyiv_date(ctx.now).to_string(),
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
        && store::lookups::referral_receiver(&state.db, id)
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

/// The provider records that the service this referral asks for was delivered.
pub async fn record_delivery(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Form(f): Form<domain::assistance::OutcomeForm>,
) -> AppResult {
    form::submit(
        &s,
        &format!("/referrals/{id}?done=referral-answered"),
        async |ctx| store::assistance::record_delivery(&state.db, &ctx, id, &f).await,
        async |again| {
            let (errors, conflict) = match again {
                Again::Invalid(e) => (e, false),
                Again::Stale(_) => (FieldErrors::new(), true),
            };
            let typed = ActFields {
                answer: f.reason.clone(),
                ..ActFields::default()
            };
            referral_page(&state, &s, id, "", typed, errors, conflict).await
        },
    )
    .await
}
