//! The headings of a plan: its goals and their tasks, added and edited.

use super::{find_task, managed_tree, tr_of};
use crate::context::SignedIn;
use crate::error::{AppError, AppResult};
use crate::extract::Path;
use crate::form;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::views::{Chrome, Errors, render};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum_extra::extract::Form;
use domain::FieldErrors;
use domain::plan::HeadingForm;
use store::plans;
use store::plans::PlanTree;

const HEADING_FIELDS: &[&str] = &["text"];

#[derive(Template)]
#[template(path = "plan_heading_form.html")]
struct HeadingFormPage {
    c: Chrome,
    heading: String,
    lead: String,
    label: String,
    action: String,
    cancel: String,
    text: String,
    errors: Errors,
}

struct HeadingSpec {
    heading: String,
    lead: String,
    label: String,
    action: String,
    cancel: String,
}

fn heading_page(
    state: &AppState,
    s: &SignedIn,
    spec: HeadingSpec,
    text: String,
    errors: FieldErrors,
) -> Response {
    let c = Chrome::new(state, &s.ctx);
    let errors = Errors::new(&c.tr, errors).in_order(HEADING_FIELDS);
    render(
        errors.status(),
        &HeadingFormPage {
            heading: spec.heading,
            lead: spec.lead,
            label: spec.label,
            action: spec.action,
            cancel: spec.cancel,
            text,
            errors,
            c,
        },
    )
}

fn goal_spec(tr: &Tr, tree: &PlanTree, goal_id: Option<i64>) -> HeadingSpec {
    let id = tree.plan.id;
    HeadingSpec {
        heading: tr.t(if goal_id.is_some() {
            "plan-goal-edit"
        } else {
            "plan-goal-new"
        }),
        lead: tree.plan.title.clone(),
        label: tr.t("plan-field-goal-text"),
        action: match goal_id {
            Some(g) => format!("/plans/{id}/goals/{g}"),
            None => format!("/plans/{id}/goals"),
        },
        cancel: format!("/plans/{id}"),
    }
}

fn goal_lead(tr: &Tr, tree: &PlanTree, goal_id: i64) -> Option<String> {
    tree.goals
        .iter()
        .find(|g| g.goal.id == goal_id)
        .map(|g| format!("{} {}. {}", tr.t("plan-goal"), g.goal.number, g.goal.text))
}

fn task_spec(tr: &Tr, tree: &PlanTree, goal_id: i64, task_id: Option<i64>) -> HeadingSpec {
    let id = tree.plan.id;
    HeadingSpec {
        heading: tr.t(if task_id.is_some() {
            "plan-task-edit"
        } else {
            "plan-task-new"
        }),
        lead: goal_lead(tr, tree, goal_id).unwrap_or_default(),
        label: tr.t("plan-field-task-text"),
        action: match task_id {
            Some(t) => format!("/plans/{id}/tasks/{t}"),
            None => format!("/plans/{id}/goals/{goal_id}/tasks"),
        },
        cancel: format!("/plans/{id}"),
    }
}

pub async fn new_goal(State(state): State<AppState>, s: SignedIn, Path(id): Path<i64>) -> AppResult {
    let tree = managed_tree(&state, &s, id, "goal_create").await?;
    let tr = tr_of(&state, &s);
    Ok(heading_page(
        &state,
        &s,
        goal_spec(&tr, &tree, None),
        String::new(),
        FieldErrors::new(),
    ))
}

pub async fn create_goal(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Form(f): Form<HeadingForm>,
) -> AppResult {
    form::submit(
        &s,
        &format!("/plans/{id}?done=goal"),
        async |ctx| plans::add_goal(&state.db, &ctx, id, &f).await,
        async |again| {
            let e = again.invalid()?;
            let tree = managed_tree(&state, &s, id, "goal_create").await?;
            let tr = tr_of(&state, &s);
            Ok(heading_page(
                &state,
                &s,
                goal_spec(&tr, &tree, None),
                f.text.clone(),
                e,
            ))
        },
    )
    .await
}

pub async fn edit_goal(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, goal_id)): Path<(i64, i64)>,
) -> AppResult {
    let tree = managed_tree(&state, &s, id, "goal_update").await?;
    let tr = tr_of(&state, &s);
    let Some(g) = tree.goals.iter().find(|g| g.goal.id == goal_id) else {
        return Err(AppError::not_found());
    };
    let text = g.goal.text.clone();
    Ok(heading_page(
        &state,
        &s,
        goal_spec(&tr, &tree, Some(goal_id)),
        text,
        FieldErrors::new(),
    ))
}

pub async fn update_goal(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, goal_id)): Path<(i64, i64)>,
    Form(f): Form<HeadingForm>,
) -> AppResult {
    form::submit(
        &s,
        &format!("/plans/{id}?done=goal"),
        async |ctx| plans::edit_goal(&state.db, &ctx, id, goal_id, &f).await,
        async |again| {
            let e = again.invalid()?;
            let tree = managed_tree(&state, &s, id, "goal_update").await?;
            let tr = tr_of(&state, &s);
            Ok(heading_page(
                &state,
                &s,
                goal_spec(&tr, &tree, Some(goal_id)),
                f.text.clone(),
                e,
            ))
        },
    )
    .await
}

pub async fn new_task(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, goal_id)): Path<(i64, i64)>,
) -> AppResult {
    let tree = managed_tree(&state, &s, id, "task_create").await?;
    let tr = tr_of(&state, &s);
    if !tree.goals.iter().any(|g| g.goal.id == goal_id) {
        return Err(AppError::not_found());
    }
    Ok(heading_page(
        &state,
        &s,
        task_spec(&tr, &tree, goal_id, None),
        String::new(),
        FieldErrors::new(),
    ))
}

pub async fn create_task(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, goal_id)): Path<(i64, i64)>,
    Form(f): Form<HeadingForm>,
) -> AppResult {
    form::submit(
        &s,
        &format!("/plans/{id}?done=task"),
        async |ctx| plans::add_task(&state.db, &ctx, id, goal_id, &f).await,
        async |again| {
            let e = again.invalid()?;
            let tree = managed_tree(&state, &s, id, "task_create").await?;
            let tr = tr_of(&state, &s);
            Ok(heading_page(
                &state,
                &s,
                task_spec(&tr, &tree, goal_id, None),
                f.text.clone(),
                e,
            ))
        },
    )
    .await
}

pub async fn edit_task(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, task_id)): Path<(i64, i64)>,
) -> AppResult {
    let tree = managed_tree(&state, &s, id, "task_update").await?;
    let tr = tr_of(&state, &s);
    let Some((goal_id, t)) = find_task(&tree, task_id) else {
        return Err(AppError::not_found());
    };
    let text = t.task.text.clone();
    Ok(heading_page(
        &state,
        &s,
        task_spec(&tr, &tree, goal_id, Some(task_id)),
        text,
        FieldErrors::new(),
    ))
}

pub async fn update_task(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, task_id)): Path<(i64, i64)>,
    Form(f): Form<HeadingForm>,
) -> AppResult {
    form::submit(
        &s,
        &format!("/plans/{id}?done=task"),
        async |ctx| plans::edit_task(&state.db, &ctx, id, task_id, &f).await,
        async |again| {
            let e = again.invalid()?;
            let tree = managed_tree(&state, &s, id, "task_update").await?;
            let tr = tr_of(&state, &s);
            let goal_id = find_task(&tree, task_id).map(|(g, _)| g).unwrap_or(0);
            Ok(heading_page(
                &state,
                &s,
                task_spec(&tr, &tree, goal_id, Some(task_id)),
                f.text.clone(),
                e,
            ))
        },
    )
    .await
}
