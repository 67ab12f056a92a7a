//! The case's assistance page: the latest needs against the services that
//! answer them (a gap shows at a glance), earlier assessments, the stays in an
//! assistance institution with their limit and extensions, and the payment;
//! the steps of a service and of a stay are recorded from here.

use super::{service_state_name, stay_flag_class, stay_flag_name, urgency_name};
use crate::context::SignedIn;
use crate::error::{AppError, AppResult};
use crate::extract::Path;
use crate::form::{self, Again};
use crate::handlers::dmy;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::views::{Chrome, Errors, render};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use domain::FieldErrors;
use domain::assistance::{ExtensionForm, OutcomeForm, ServiceAction, StayFlag};
use serde::Deserialize;
use store::assistance::{self, EndStayForm, ServiceRow};
use store::dates::kyiv_date;

pub struct ServiceView {
    pub id: i64,
    pub version: i64,
    pub need: String,
    pub provider: String,
    pub planned: String,
    pub state: String,
    pub state_code: &'static str,
    pub ended: String,
    pub reason: String,
    pub referral_id: Option<i64>,
    pub overdue: bool,
    /// (action code, button label) of the steps open to the officer now.
    pub actions: Vec<(&'static str, String)>,
    /// The action whose form came back, what was typed, and the messages.
    pub failed: &'static str,
    pub typed_on: String,
    pub typed_reason: String,
    pub err_on: String,
    pub err_reason: String,
}

pub struct NeedView {
    pub code: String,
    pub name: String,
    pub urgency: String,
    pub urgency_code: &'static str,
    pub note: String,
    pub met: bool,
    /// Nothing answers it: no service planned, or every one not available.
    pub gap: bool,
    pub services: Vec<ServiceView>,
}

pub struct AssessmentView {
    pub on: String,
    pub by: String,
    pub note: String,
    pub needs: String,
}

pub struct ExtensionView {
    pub decision: String,
    pub reason: String,
    pub change: String,
}

pub struct StayView {
    pub id: i64,
    pub version: i64,
    pub institution: String,
    pub started: String,
    pub planned_end: String,
    pub limit: String,
    pub current_end: String,
    pub ended: String,
    pub end_note: String,
    pub note: String,
    pub flag: String,
    pub flag_class: &'static str,
    pub flag_code: &'static str,
    pub extensions: Vec<ExtensionView>,
    /// Which of this stay's forms came back ("extend", "end" or ""), with what was typed.
    pub failed: &'static str,
    pub typed: StayInput,
    pub errors: Errors,
}

pub struct PaymentLine {
    pub id: i64,
    pub applied: String,
    pub category: String,
    pub amount: String,
    pub state: String,
    pub state_code: &'static str,
}

#[derive(Template)]
#[template(path = "assistance_page.html")]
struct AssistancePage {
    c: Chrome,
    flash: String,
    case_id: i64,
    reference: String,
    is_open: bool,
    needs: Vec<NeedView>,
    other_services: Vec<ServiceView>,
    assessments: Vec<AssessmentView>,
    stays: Vec<StayView>,
    payments: Vec<PaymentLine>,
    may_pay: bool,
    today: String,
    /// A message for the whole page (a step no longer possible, a conflict).
    errors: Errors,
    conflict: bool,
}

/// A service's or a stay's form that came back.
enum Failed {
    Service(i64, ServiceAction, OutcomeForm),
    Stay(i64, &'static str, StayInput),
}

/// What the extension and end forms of a stay send.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct StayInput {
    pub version: String,
    pub decided_by: String,
    pub decision_no: String,
    pub decision_on: String,
    pub reason: String,
    pub new_end_on: String,
    pub ended_on: String,
    pub note: String,
}

const STAY_FIELDS: &[&str] = &[
    "decided_by",
    "decision_no",
    "decision_on",
    "reason",
    "new_end_on",
    "ended_on",
    "note",
];

fn service_view(
    tr: &Tr,
    s: &ServiceRow,
    today: &str,
    failed: Option<&Failed>,
    errors: &FieldErrors,
) -> ServiceView {
    let lang = tr.code();
    let by_referral = s.referral_id.is_some();
    let actions = s
        .state
        .actions()
        .into_iter()
        .filter(|a| !(by_referral && matches!(a, ServiceAction::Start | ServiceAction::Deliver)))
        .map(|a| (a.as_str(), tr.t(&format!("service-action-{}", a.as_str()))))
        .collect();
    let planned = match &s.planned_to {
        Some(t) => format!("{} – {}", dmy(&s.planned_from), dmy(t)),
        None => tr.t1("service-from", "date", dmy(&s.planned_from)),
    };
    let mut v = ServiceView {
        id: s.id,
        version: s.version,
        need: s.need(lang).to_string(),
        provider: s.provider_name.clone(),
        planned,
        state: service_state_name(tr, s.state),
        state_code: s.state.as_str(),
        ended: s.ended_on.as_deref().map(dmy).unwrap_or_default(),
        reason: s.end_reason.clone().unwrap_or_default(),
        referral_id: s.referral_id,
        overdue: s.overdue(today),
        actions,
        failed: "",
        typed_on: today.to_string(),
        typed_reason: String::new(),
        err_on: String::new(),
        err_reason: String::new(),
    };
    if let Some(Failed::Service(id, action, typed)) = failed
        && *id == s.id
    {
        v.failed = action.as_str();
        v.typed_on = typed.on.clone();
        v.typed_reason = typed.reason.clone();
        v.err_on = errors.get("on").map(|m| tr.t(m)).unwrap_or_default();
        v.err_reason = errors.get("reason").map(|m| tr.t(m)).unwrap_or_default();
    }
    v
}

async fn assistance_page(
    state: &AppState,
    s: &SignedIn,
    case_id: i64,
    flash: &str,
    failed: Option<Failed>,
    errors: FieldErrors,
    conflict: bool,
) -> AppResult {
    let ctx = s.ctx.store_ctx();
    let (case, a) = assistance::page(&state.db, &ctx, case_id).await?;
    let may_pay = store::payments::may_record(&ctx, case.unit_org_id);
    let payments = if may_pay {
        store::payments::of_case(&state.db, &ctx, case_id).await?
    } else {
        Vec::new()
    };
    let c = Chrome::new(state, &s.ctx);
    let tr = c.tr.clone();
    let lang = tr.code();
    let today = kyiv_date(ctx.now).to_string();
    // Errors of an inline form go beside its fields; a step no longer open is said at the top.
    let mut page_errors = FieldErrors::new();
    if let Some(m) = errors.get("action") {
        page_errors.add("action", m);
    }
    let needs = a
        .needs
        .iter()
        .map(|(n, services)| NeedView {
            code: n.need_code.clone(),
            name: n.name(lang).to_string(),
            urgency: urgency_name(&tr, n.urgency),
            urgency_code: n.urgency.as_str(),
            note: n.note.clone().unwrap_or_default(),
            met: services.iter().any(|s| s.state.meets_need()),
            gap: !services
                .iter()
                .any(|s| !matches!(s.state, domain::assistance::ServiceState::NotAvailable)),
            services: services
                .iter()
                .map(|sv| service_view(&tr, sv, &today, failed.as_ref(), &errors))
                .collect(),
        })
        .collect();
    let other_services = a
        .other_services
        .iter()
        .map(|sv| service_view(&tr, sv, &today, failed.as_ref(), &errors))
        .collect();
    let assessments = a
        .assessments
        .iter()
        .map(|(row, needs)| AssessmentView {
            on: dmy(&row.assessed_on),
            by: row.assessed_by_name.clone(),
            note: row.note.clone().unwrap_or_default(),
            needs: needs
                .iter()
                .map(|n| format!("{} ({})", n.name(lang), urgency_name(&tr, n.urgency)))
                .collect::<Vec<_>>()
                .join("; "),
        })
        .collect();
    let today_date = kyiv_date(ctx.now);
    let stays = a
        .stays
        .iter()
        .map(|(st, ext)| {
            let flag = if st.ended_on.is_none() {
                match (
                    store::dates::parse_date(&st.started_on),
                    store::dates::parse_date(&st.current_end_on),
                ) {
                    (Ok(start), Ok(end)) => StayFlag::of(start, end, st.extended.0, today_date),
                    _ => None,
                }
            } else {
                None
            };
            let (failed_form, typed, errs) = match &failed {
                Some(Failed::Stay(id, which, typed)) if *id == st.id => {
                    (*which, typed.clone(), errors.clone())
                }
                _ => ("", StayInput::default(), FieldErrors::new()),
            };
            StayView {
                id: st.id,
                version: st.version,
                institution: st.institution_name.clone(),
                started: dmy(&st.started_on),
                planned_end: dmy(&st.planned_end_on),
                limit: dmy(&st.limit_on),
                current_end: dmy(&st.current_end_on),
                ended: st.ended_on.as_deref().map(dmy).unwrap_or_default(),
                end_note: st.end_note.clone().unwrap_or_default(),
                note: st.note.clone().unwrap_or_default(),
                flag: flag.map(|f| stay_flag_name(&tr, f)).unwrap_or_default(),
                flag_class: flag.map(stay_flag_class).unwrap_or(""),
                flag_code: flag.map(|f| f.as_str()).unwrap_or(""),
                extensions: ext
                    .iter()
                    .map(|e| ExtensionView {
                        decision: tr.t1(
                            "stay-extension-decision",
                            "text",
                            format!("{}, № {}, {}", e.decided_by, e.decision_no, dmy(&e.decision_on)),
                        ),
                        reason: e.reason.clone(),
                        change: format!("{} → {}", dmy(&e.previous_end_on), dmy(&e.new_end_on)),
                    })
                    .collect(),
                failed: failed_form,
                typed,
                errors: Errors::new(&tr, errs).in_order(STAY_FIELDS),
            }
        })
        .collect();
    let payments = payments
        .iter()
        .map(|p| PaymentLine {
            id: p.id,
            applied: dmy(&p.applied_on),
            category: tr.t(&format!("payment-category-{}", p.category.as_str())),
            amount: p.amount().uk(),
            state: tr.t(&format!("payment-state-{}", p.state.as_str())),
            state_code: p.state.as_str(),
        })
        .collect();
    let status = if conflict {
        StatusCode::CONFLICT
    } else if !errors.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = AssistancePage {
        flash: if flash.is_empty() {
            String::new()
        } else {
            tr.t(&format!("assistance-flash-{flash}"))
        },
        case_id,
        reference: case.reference.clone(),
        is_open: case.state() == domain::case::CaseState::Open,
        needs,
        other_services,
        assessments,
        stays,
        payments,
        may_pay,
        today,
        errors: Errors::new(&tr, page_errors),
        conflict,
        c,
    };
    Ok(render(status, &page))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

const FLASHES: &[&str] = &[
    "assessed", "planned", "service", "stay", "extended", "ended", "payment",
];

pub async fn show_assistance(
    State(state): State<AppState>,
    s: SignedIn,
    Path(case_id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> AppResult {
    let flash = FLASHES.iter().find(|f| **f == q.done).copied().unwrap_or("");
    assistance_page(&state, &s, case_id, flash, None, FieldErrors::new(), false).await
}

/// Records a step of a service; its form comes back beside the service when refused.
pub async fn service_step(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, action)): Path<(i64, String)>,
    Form(f): Form<OutcomeForm>,
) -> AppResult {
    let Some(action) = ServiceAction::parse(&action) else {
        return Err(AppError::not_found());
    };
    let ctx = s.ctx.store_ctx();
    // The case the service belongs to, for the page to come back to (checked, audited on refusal).
    let case_id = match store::assistance::service_case(&state.db, &ctx, id).await? {
        Some(c) => c,
        None => return Err(AppError::not_found()),
    };
    form::submit(
        &s,
        &format!("/cases/{case_id}/assistance?done=service"),
        async |ctx| assistance::service_step(&state.db, &ctx, id, action, &f).await,
        async |again| {
            let (errors, conflict) = match again {
                Again::Invalid(e) => (e, false),
                Again::Stale(_) => (FieldErrors::new(), true),
            };
            let failed = Some(Failed::Service(id, action, f.clone()));
            assistance_page(&state, &s, case_id, "", failed, errors, conflict).await
        },
    )
    .await
}

async fn stay_case(state: &AppState, s: &SignedIn, id: i64) -> AppResult<i64> {
    match store::assistance::stay_case(&state.db, &s.ctx.store_ctx(), id).await? {
        Some(c) => Ok(c),
        None => Err(AppError::not_found()),
    }
}

/// Extends a stay; the form comes back beside the stay when refused.
pub async fn extend_stay(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Form(f): Form<StayInput>,
) -> AppResult {
    let case_id = stay_case(&state, &s, id).await?;
    let form = ExtensionForm {
        decided_by: f.decided_by.clone(),
        decision_no: f.decision_no.clone(),
        decision_on: f.decision_on.clone(),
        reason: f.reason.clone(),
        new_end_on: f.new_end_on.clone(),
        version: f.version.clone(),
    };
    form::submit(
        &s,
        &format!("/cases/{case_id}/assistance?done=extended"),
        async |ctx| assistance::extend_stay(&state.db, &ctx, id, &form).await,
        async |again| {
            let (errors, conflict) = match again {
                Again::Invalid(e) => (e, false),
                Again::Stale(_) => (FieldErrors::new(), true),
            };
            let failed = Some(Failed::Stay(id, "extend", f.clone()));
            assistance_page(&state, &s, case_id, "", failed, errors, conflict).await
        },
    )
    .await
}

/// Records the end of a stay.
pub async fn end_stay(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Form(f): Form<StayInput>,
) -> AppResult {
    let case_id = stay_case(&state, &s, id).await?;
    let form = EndStayForm {
        ended_on: f.ended_on.clone(),
        note: f.note.clone(),
        version: f.version.clone(),
    };
    form::submit(
        &s,
        &format!("/cases/{case_id}/assistance?done=ended"),
        async |ctx| assistance::end_stay(&state.db, &ctx, id, &form).await,
        async |again| {
            let (errors, conflict) = match again {
                Again::Invalid(e) => (e, false),
                Again::Stale(_) => (FieldErrors::new(), true),
            };
            let failed = Some(Failed::Stay(id, "end", f.clone()));
            assistance_page(&state, &s, case_id, "", failed, errors, conflict).await
        },
    )
    .await
}
