//! The forms that create assistance records: a needs assessment, a service
//! of the individual plan (sent as a referral when another organisation
//! provides it), and a stay in an assistance institution.

use crate::context::SignedIn;
use crate::error::AppResult;
use crate::extract::Path;
use crate::form;
use crate::handlers::{Opt, shared_names};
use crate::state::AppState;
use crate::views::{Chrome, Errors, render};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use domain::FieldErrors;
use domain::assistance::{AssessmentForm, NeedLineForm, NeedUrgency, ServiceForm, StayForm};
use domain::case::SharedField;
use serde::Deserialize;
use store::assistance;
use store::dates::kyiv_date;

// ---------------------------------------------------------------- assessment

pub struct NeedChoice {
    pub code: String,
    pub name: String,
    pub selected: bool,
    pub urgency: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "assessment_form.html")]
struct AssessmentPage {
    c: Chrome,
    case_id: i64,
    reference: String,
    today: String,
    assessed_on: String,
    note: String,
    needs: Vec<NeedChoice>,
    urgencies: Vec<(&'static str, String)>,
    errors: Errors,
}

const ASSESSMENT_FIELDS: &[&str] = &["assessed_on", "needs", "urgency", "need_note", "note"];

/// What the assessment form sends: `need` for each ticked kind,
/// `urgency_<code>` and `note_<code>` beside each, the date and a note.
fn assessment_form(pairs: &[(String, String)]) -> AssessmentForm {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut lines: Vec<NeedLineForm> = Vec::new();
    for (k, v) in pairs {
        if k == "need" && !lines.iter().any(|l| &l.code == v) {
            lines.push(NeedLineForm {
                code: v.clone(),
                selected: true,
                urgency: get(&format!("urgency_{v}")),
                note: get(&format!("note_{v}")),
            });
        }
    }
    AssessmentForm {
        assessed_on: get("assessed_on"),
        note: get("note"),
        lines,
    }
}

async fn assessment_page(
    state: &AppState,
    s: &SignedIn,
    case_id: i64,
    typed: Option<&[(String, String)]>,
    errors: FieldErrors,
) -> AppResult {
    let ctx = s.ctx.store_ctx();
    let (case, current) = assistance::page_case(&state.db, &ctx, case_id).await?;
    let kinds = store::lookups::need_kinds(&state.db).await?;
    let c = Chrome::new(state, &s.ctx);
    let tr = c.tr.clone();
    let today = kyiv_date(ctx.now).to_string();
    let form = typed.map(assessment_form);
    let needs = kinds
        .iter()
        .map(|k| {
            // A reassessment starts from the needs of the latest one.
            let (selected, urgency, note) = match &form {
                Some(f) => match f.lines.iter().find(|l| l.code == k.code) {
                    Some(l) => (true, l.urgency.clone(), l.note.clone()),
                    None => (false, String::new(), String::new()),
                },
                None => match current.iter().find(|n| n.need_code == k.code) {
                    Some(n) => (
                        true,
                        n.urgency.as_str().to_string(),
                        n.note.clone().unwrap_or_default(),
                    ),
                    None => (false, String::new(), String::new()),
                },
            };
            NeedChoice {
                code: k.code.clone(),
                name: k.name(tr.code()).to_string(),
                selected,
                urgency,
                note,
            }
        })
        .collect();
    let errors = Errors::new(&tr, errors).in_order(ASSESSMENT_FIELDS);
    let page = AssessmentPage {
        case_id,
        reference: case.reference,
        assessed_on: form
            .as_ref()
            .map(|f| f.assessed_on.clone())
            .unwrap_or_else(|| today.clone()),
        note: form.as_ref().map(|f| f.note.clone()).unwrap_or_default(),
        today,
        needs,
        urgencies: NeedUrgency::ALL
            .iter()
            .map(|u| (u.as_str(), tr.t(&format!("need-urgency-{}", u.as_str()))))
            .collect(),
        errors,
        c,
    };
    Ok(render(page.errors.status(), &page))
}

pub async fn new_assessment(
    State(state): State<AppState>,
    s: SignedIn,
    Path(case_id): Path<i64>,
) -> AppResult {
    assessment_page(&state, &s, case_id, None, FieldErrors::new()).await
}

pub async fn record_assessment(
    State(state): State<AppState>,
    s: SignedIn,
    Path(case_id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult {
    let form = assessment_form(&pairs);
    form::submit(
        &s,
        &format!("/cases/{case_id}/assistance?done=assessed"),
        async |ctx| assistance::assess(&state.db, &ctx, case_id, &form).await,
        async |again| {
            let e = again.invalid()?;
            assessment_page(&state, &s, case_id, Some(&pairs), e).await
        },
    )
    .await
}

// ------------------------------------------------------------------ service

#[derive(Template)]
#[template(path = "service_form.html")]
struct ServicePage {
    c: Chrome,
    case_id: i64,
    reference: String,
    needs: Vec<Opt>,
    providers: Vec<Opt>,
    fields: Vec<Opt>,
    form: ServiceForm,
    errors: Errors,
}

const SERVICE_FIELDS: &[&str] = &[
    "need",
    "provider_org_id",
    "planned_from",
    "planned_to",
    "note",
    "fields",
    "consent_ref",
    "message",
];

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NeedQuery {
    need: String,
}

async fn service_page(
    state: &AppState,
    s: &SignedIn,
    case_id: i64,
    typed: Option<ServiceForm>,
    need: &str,
    errors: FieldErrors,
) -> AppResult {
    let ctx = s.ctx.store_ctx();
    let (case, current) = assistance::page_case(&state.db, &ctx, case_id).await?;
    let orgs = store::lookups::organisations(&state.db).await?;
    let c = Chrome::new(state, &s.ctx);
    let tr = c.tr.clone();
    let lang = tr.code();
    let form = typed.unwrap_or_else(|| ServiceForm {
        need: need.to_string(),
        planned_from: kyiv_date(ctx.now).to_string(),
        fields: vec![SharedField::Facts.as_str().to_string()],
        ..ServiceForm::default()
    });
    let needs = current
        .iter()
        .map(|n| Opt {
            value: n.need_code.clone(),
            label: n.name(lang).to_string(),
            selected: n.need_code == form.need,
        })
        .collect();
    // The unit itself first: a service it gives needs no referral.
    let mut providers: Vec<Opt> = Vec::with_capacity(orgs.len());
    providers.push(Opt {
        value: case.unit_org_id.to_string(),
        label: format!("{} ({})", case.unit_name, tr.t("service-own-unit")),
        selected: form.provider_org_id == case.unit_org_id.to_string(),
    });
    providers.extend(orgs.iter().filter(|o| o.id != case.unit_org_id).map(|o| Opt {
        value: o.id.to_string(),
        label: o.name.clone(),
        selected: form.provider_org_id == o.id.to_string(),
    }));
    let fields = SharedField::ALL
        .iter()
        .map(|f| Opt {
            value: f.as_str().to_string(),
            label: shared_names(&tr, &[*f]).join(""),
            selected: form.fields.iter().any(|x| x == f.as_str()),
        })
        .collect();
    let errors = Errors::new(&tr, errors).in_order(SERVICE_FIELDS);
    let page = ServicePage {
        case_id,
        reference: case.reference.clone(),
        needs,
        providers,
        fields,
        form,
        errors,
        c,
    };
    Ok(render(page.errors.status(), &page))
}

pub async fn new_service(
    State(state): State<AppState>,
    s: SignedIn,
    Path(case_id): Path<i64>,
    Query(q): Query<NeedQuery>,
) -> AppResult {
    service_page(&state, &s, case_id, None, &q.need, FieldErrors::new()).await
}

pub async fn plan_service(
    State(state): State<AppState>,
    s: SignedIn,
    Path(case_id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let form = ServiceForm {
        need: get("need"),
        provider_org_id: get("provider_org_id"),
        planned_from: get("planned_from"),
        planned_to: get("planned_to"),
        note: get("note"),
        fields: pairs
            .iter()
            .filter(|(k, _)| k == "fields")
            .map(|(_, v)| v.clone())
            .collect(),
        consent_ref: get("consent_ref"),
        message: get("message"),
    };
    form::submit(
        &s,
        &format!("/cases/{case_id}/assistance?done=planned"),
        async |ctx| assistance::plan_service(&state.db, &ctx, case_id, &form).await,
        async |again| {
            let e = again.invalid()?;
            service_page(&state, &s, case_id, Some(form.clone()), "", e).await
        },
    )
    .await
}

// --------------------------------------------------------------------- stay

#[derive(Template)]
#[template(path = "stay_form.html")]
struct StayPage {
    c: Chrome,
    case_id: i64,
    reference: String,
    institutions: Vec<Opt>,
    form: StayForm,
    errors: Errors,
}

const STAY_FIELDS: &[&str] = &["institution_org_id", "started_on", "planned_end_on", "note"];

async fn stay_page(
    state: &AppState,
    s: &SignedIn,
    case_id: i64,
    typed: Option<StayForm>,
    errors: FieldErrors,
) -> AppResult {
    let ctx = s.ctx.store_ctx();
    let (case, _) = assistance::page_case(&state.db, &ctx, case_id).await?;
    let orgs = store::lookups::organisations(&state.db).await?;
    let c = Chrome::new(state, &s.ctx);
    let tr = c.tr.clone();
    let today = kyiv_date(ctx.now).to_string();
    let form = typed.unwrap_or_else(|| StayForm {
        started_on: today.clone(),
        ..StayForm::default()
    });
    let institutions = orgs
        .iter()
        .map(|o| Opt {
            value: o.id.to_string(),
            label: o.name.clone(),
            selected: form.institution_org_id == o.id.to_string(),
        })
        .collect();
    let errors = Errors::new(&tr, errors).in_order(STAY_FIELDS);
    let page = StayPage {
        case_id,
        reference: case.reference,
        institutions,
        form,
        errors,
        c,
    };
    Ok(render(page.errors.status(), &page))
}

pub async fn new_stay(State(state): State<AppState>, s: SignedIn, Path(case_id): Path<i64>) -> AppResult {
    stay_page(&state, &s, case_id, None, FieldErrors::new()).await
}

pub async fn record_stay(
    State(state): State<AppState>,
    s: SignedIn,
    Path(case_id): Path<i64>,
    Form(f): Form<StayForm>,
) -> AppResult {
    form::submit(
        &s,
        &format!("/cases/{case_id}/assistance?done=stay"),
        async |ctx| assistance::record_stay(&state.db, &ctx, case_id, &f).await,
        async |again| {
            let e = again.invalid()?;
            stay_page(&state, &s, case_id, Some(f.clone()), e).await
        },
    )
    .await
}
