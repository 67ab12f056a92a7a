//! The measures of a plan: add, edit (with the version check), move up or
//! down within the task, retire and restore.

use super::{OrgOption, find_task, managed_tree, org_options, tr_of};
use crate::context::SignedIn;
use crate::error::{AppError, AppResult};
use crate::extract::Path;
use crate::form::{self, Again, see_other};
use crate::i18n::Tr;
use crate::state::AppState;
use crate::views::{Chrome, Errors, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum_extra::extract::Form;
use domain::plan::{Indicator, MeasureForm};
use domain::{DomainError, FieldErrors};
use serde::Deserialize;
use store::plans;
use store::plans::PlanTree;

const MEASURE_FIELDS: &[&str] = &["text", "term", "executors", "indicators"];

/// The measure form as typed: executors come as repeated checkbox values.
#[derive(Deserialize, Default, Clone)]
pub struct MeasureFormInput {
    #[serde(default)]
    text: String,
    #[serde(default)]
    term: String,
    #[serde(default)]
    executors: Vec<String>,
    #[serde(default)]
    indicators: String,
    #[serde(default)]
    version: i64,
}

impl MeasureFormInput {
    fn to_domain(&self) -> MeasureForm {
        MeasureForm {
            text: self.text.clone(),
            term: self.term.clone(),
            executors: self.executors.clone(),
            indicators: self.indicators.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "plan_measure_form.html")]
struct MeasureFormPage {
    c: Chrome,
    heading: String,
    lead: String,
    action: String,
    cancel: String,
    form: MeasureForm,
    version: i64,
    orgs: Vec<OrgOption>,
    errors: Errors,
    conflict: bool,
}

struct MeasureSpec {
    heading: String,
    lead: String,
    action: String,
    cancel: String,
    version: i64,
}

async fn measure_page(
    state: &AppState,
    s: &SignedIn,
    spec: MeasureSpec,
    form: MeasureForm,
    errors: FieldErrors,
    conflict: bool,
) -> AppResult {
    let c = Chrome::new(state, &s.ctx);
    let orgs = org_options(state, &form.executors).await?;
    let errors = Errors::new(&c.tr, errors).in_order(MEASURE_FIELDS);
    let status = if conflict {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        errors.status()
    };
    Ok(render(
        status,
        &MeasureFormPage {
            heading: spec.heading,
            lead: spec.lead,
            action: spec.action,
            cancel: spec.cancel,
            version: spec.version,
            form,
            orgs,
            errors,
            conflict,
            c,
        },
    ))
}

fn task_lead(tr: &Tr, t: &store::plans::TaskNode) -> String {
    format!("{} {}) {}", tr.t("plan-task"), t.task.number, t.task.text)
}

fn new_measure_spec(tr: &Tr, tree: &PlanTree, task_id: i64) -> Option<MeasureSpec> {
    let id = tree.plan.id;
    let (_, t) = find_task(tree, task_id)?;
    Some(MeasureSpec {
        heading: tr.t("plan-measure-new"),
        lead: task_lead(tr, t),
        action: format!("/plans/{id}/tasks/{task_id}/measures"),
        cancel: format!("/plans/{id}#task-{task_id}"),
        version: 0,
    })
}

fn edit_measure_spec(tr: &Tr, tree: &PlanTree, measure_id: i64, version: i64) -> Option<MeasureSpec> {
    let id = tree.plan.id;
    let (_, t, _) = tree.measure(measure_id)?;
    Some(MeasureSpec {
        heading: tr.t("plan-measure-edit"),
        lead: task_lead(tr, t),
        action: format!("/plans/{id}/measures/{measure_id}"),
        cancel: format!("/plans/{id}#m-{measure_id}"),
        version,
    })
}

pub async fn new_measure(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, task_id)): Path<(i64, i64)>,
) -> AppResult {
    let tree = managed_tree(&state, &s, id, "measure_create").await?;
    let tr = tr_of(&state, &s);
    let spec = new_measure_spec(&tr, &tree, task_id).ok_or_else(AppError::not_found)?;
    measure_page(
        &state,
        &s,
        spec,
        MeasureForm::default(),
        FieldErrors::new(),
        false,
    )
    .await
}

pub async fn create_measure(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, task_id)): Path<(i64, i64)>,
    Form(f): Form<MeasureFormInput>,
) -> AppResult {
    let form = f.to_domain();
    form::submit(
        &s,
        &format!("/plans/{id}?done=measure-added#m-{{id}}"),
        async |ctx| plans::create_measure(&state.db, &ctx, id, task_id, &form).await,
        async |again| {
            let e = again.invalid()?;
            let tree = managed_tree(&state, &s, id, "measure_create").await?;
            let tr = tr_of(&state, &s);
            let spec = new_measure_spec(&tr, &tree, task_id).ok_or_else(AppError::not_found)?;
            measure_page(&state, &s, spec, form.clone(), e, false).await
        },
    )
    .await
}

pub async fn edit_measure(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, measure_id)): Path<(i64, i64)>,
) -> AppResult {
    let tree = managed_tree(&state, &s, id, "measure_update").await?;
    let tr = tr_of(&state, &s);
    let Some((_, _, m)) = tree.measure(measure_id) else {
        return Err(AppError::not_found());
    };
    let form = MeasureForm {
        text: m.m.text.clone(),
        term: m.m.term.clone(),
        executors: m.executors.iter().map(|e| e.org_id.to_string()).collect(),
        indicators: m
            .indicators
            .iter()
            .map(|i| {
                Indicator {
                    name: i.name.clone(),
                    unit: i.unit.clone(),
                    target: i.target.clone(),
                }
                .to_line()
            })
            .collect::<Vec<_>>()
            .join("\n"),
    };
    let spec = edit_measure_spec(&tr, &tree, measure_id, m.m.version).ok_or_else(AppError::not_found)?;
    measure_page(&state, &s, spec, form, FieldErrors::new(), false).await
}

pub async fn update_measure(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, measure_id)): Path<(i64, i64)>,
    Form(f): Form<MeasureFormInput>,
) -> AppResult {
    let form = f.to_domain();
    form::submit(
        &s,
        &format!("/plans/{id}?done=measure-saved#m-{measure_id}"),
        async |ctx| plans::update_measure(&state.db, &ctx, id, measure_id, f.version, &form).await,
        async |again| {
            let (errors, conflict) = match again {
                Again::Invalid(e) => (e, false),
                Again::Stale(_) => (FieldErrors::new(), true),
            };
            let tree = managed_tree(&state, &s, id, "measure_update").await?;
            let tr = tr_of(&state, &s);
            // On a conflict the form offers the current version to save over; otherwise the one typed against.
            let version = if conflict {
                tree.measure(measure_id)
                    .map(|(_, _, m)| m.m.version)
                    .unwrap_or(f.version)
            } else {
                f.version
            };
            let spec = edit_measure_spec(&tr, &tree, measure_id, version).ok_or_else(AppError::not_found)?;
            measure_page(&state, &s, spec, form.clone(), errors, conflict).await
        },
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct MoveInput {
    #[serde(default)]
    direction: String,
}

pub async fn move_measure(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, measure_id)): Path<(i64, i64)>,
    Form(f): Form<MoveInput>,
) -> AppResult {
    let up = f.direction != "down";
    form::submit(
        &s,
        &format!("/plans/{id}?done=moved#m-{measure_id}"),
        async |ctx| plans::move_measure(&state.db, &ctx, id, measure_id, up).await,
        async |again| Err(DomainError::Validation(again.invalid()?).into()),
    )
    .await
}

async fn set_retired(state: AppState, s: SignedIn, id: i64, measure_id: i64, retired: bool) -> AppResult {
    plans::set_measure_retired(&state.db, &s.ctx.store_ctx(), id, measure_id, retired).await?;
    let done = if retired { "retired" } else { "restored" };
    Ok(see_other(&format!("/plans/{id}?done={done}#m-{measure_id}")))
}

pub async fn retire_measure(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, measure_id)): Path<(i64, i64)>,
) -> AppResult {
    set_retired(state, s, id, measure_id, true).await
}

pub async fn restore_measure(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, measure_id)): Path<(i64, i64)>,
) -> AppResult {
    set_retired(state, s, id, measure_id, false).await
}
