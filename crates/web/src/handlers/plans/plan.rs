//! The plan itself: the list of plans, the plan page (goals, tasks,
//! measures, reporting periods) and the plan form (create, edit).

use super::{OrgOption, PLAN_FIELDS, PlanFormInput, act_text, dmy, plan_choices, refuse, refuse_page, tr_of};
use crate::context::SignedIn;
use crate::error::AppResult;
use crate::extract::Path;
use crate::form::{self, Again};
use crate::i18n::Tr;
use crate::state::AppState;
use crate::views::{Chrome, Errors, render};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum_extra::extract::Form;
use domain::FieldErrors;
use domain::plan::PlanForm;
use domain::reporting::HalfYear;
use serde::Deserialize;
use store::plans;
use store::plans::PlanTree;

/// The "(за згодою)" mark in the page's language.
fn executor_label(tr: &Tr, e: &store::plans::ExecutorRow) -> String {
    if e.by_consent.0 {
        format!("{} ({})", e.label(), tr.t("by-consent"))
    } else {
        e.label().to_string()
    }
}

// ---------------------------------------------------------------- list

pub struct PlanListRow {
    pub id: i64,
    pub title: String,
    pub territory: String,
    pub years: String,
    pub act: String,
}

#[derive(Template)]
#[template(path = "plan_list.html")]
struct PlanListPage {
    c: Chrome,
    rows: Vec<PlanListRow>,
    may_create: bool,
}

pub async fn list_plans(State(state): State<AppState>, s: SignedIn) -> AppResult {
    let c = Chrome::new(&state, &s.ctx);
    let tr = c.tr.clone();
    let ctx = s.ctx.store_ctx();
    let plans = plans::list_plans(&state.db, &ctx).await?;
    let rows = plans
        .into_iter()
        .map(|p| PlanListRow {
            act: act_text(&tr, p.act_number.as_deref(), p.act_date.as_deref()),
            territory: if tr.code() == "en" {
                p.territory_name_en
            } else {
                p.territory_name_uk
            },
            years: format!("{}–{}", p.year_from, p.year_to),
            id: p.id,
            title: p.title,
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &PlanListPage {
            rows,
            may_create: plans::may_create_plans(&ctx),
            c,
        },
    ))
}

// ---------------------------------------------------------------- the plan page

pub struct MeasureView {
    pub id: i64,
    pub number: Option<u32>,
    pub text: String,
    pub term: String,
    pub executors: Vec<String>,
    pub indicators: Vec<String>,
    pub first: bool,
    pub last: bool,
}

pub struct TaskView {
    pub id: i64,
    pub number: i64,
    pub text: String,
    pub measures: Vec<MeasureView>,
    /// How many table rows the task spans (at least one).
    pub rows: usize,
}

pub struct GoalView {
    pub id: i64,
    pub number: i64,
    pub text: String,
    pub tasks: Vec<TaskView>,
}

pub struct PeriodView {
    pub id: i64,
    pub label: String,
    pub state: String,
    pub due: String,
}

#[derive(Template)]
#[template(path = "plan_detail.html")]
struct PlanPage {
    c: Chrome,
    id: i64,
    title: String,
    territory: String,
    owner: String,
    years: String,
    act: String,
    goals: Vec<GoalView>,
    counts: String,
    may_manage: bool,
    /// Reviewers open a period's dashboard; others see the periods without links.
    may_review: bool,
    periods: Vec<PeriodView>,
    half_years: Vec<(String, String)>,
    flash: String,
}

fn half_label(tr: &Tr, h: HalfYear) -> String {
    crate::handlers::half_year_label(tr, i64::from(h.year), i64::from(h.half))
}

/// goals, tasks, measures in force, executor links of measures in force.
fn tree_counts(tree: &PlanTree) -> [usize; 4] {
    let tasks = tree.goals.iter().map(|g| g.tasks.len()).sum();
    let in_force = tree.measures().filter(|(_, _, m)| m.number.is_some());
    let (measures, links) = in_force.fold((0, 0), |(n, l), (_, _, m)| (n + 1, l + m.executors.len()));
    [tree.goals.len(), tasks, measures, links]
}

fn counts_text(tr: &Tr, n: [usize; 4]) -> String {
    [
        ("plan-count-goals", n[0]),
        ("plan-count-tasks", n[1]),
        ("plan-count-measures", n[2]),
        ("plan-count-links", n[3]),
    ]
    .iter()
    .map(|(id, v)| tr.tn(id, "count", *v as i64))
    .collect::<Vec<_>>()
    .join(" · ")
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: String,
}

pub async fn show_plan(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Query(dq): Query<DoneQuery>,
) -> AppResult {
    let c = Chrome::new(&state, &s.ctx);
    let tr = c.tr.clone();
    let v = plans::view_plan(&state.db, &s.ctx.store_ctx(), id).await?;
    let counts = tree_counts(&v.tree);
    let goals = v
        .tree
        .goals
        .iter()
        .map(|g| GoalView {
            id: g.goal.id,
            number: g.goal.number,
            text: g.goal.text.clone(),
            tasks: g
                .tasks
                .iter()
                .map(|t| {
                    let n = t.measures.len();
                    TaskView {
                        id: t.task.id,
                        number: t.task.number,
                        text: t.task.text.clone(),
                        rows: n.max(1),
                        measures: t
                            .measures
                            .iter()
                            .enumerate()
                            .map(|(i, m)| MeasureView {
                                id: m.m.id,
                                number: m.number,
                                text: m.m.text.clone(),
                                term: m.m.term.clone(),
                                executors: m.executors.iter().map(|e| executor_label(&tr, e)).collect(),
                                indicators: m
                                    .indicators
                                    .iter()
                                    .map(|i| match &i.target {
                                        Some(t) => format!("{} ({}): {}", i.name, i.unit, t),
                                        None => format!("{} ({})", i.name, i.unit),
                                    })
                                    .collect(),
                                first: i == 0,
                                last: i + 1 == n,
                            })
                            .collect(),
                    }
                })
                .collect(),
        })
        .collect();
    let periods: Vec<PeriodView> = v
        .periods
        .iter()
        .map(|p| PeriodView {
            id: p.id,
            label: half_label(&tr, p.half_year()),
            state: tr.t(&format!("plan-period-{}", p.state().as_str())),
            due: dmy(&p.executor_due),
        })
        .collect();
    let mut half_years = Vec::new();
    if v.may_manage {
        let mut h = HalfYear::containing(store::dates::kyiv_date(s.ctx.now));
        for _ in 0..3 {
            if !v.periods.iter().any(|p| p.half_year() == h) {
                half_years.push((h.code(), half_label(&tr, h)));
            }
            h = h.previous();
        }
    }
    let flash = match dq.done.as_str() {
        "created" => tr.t("plan-flash-created"),
        "saved" => tr.t("flash-saved"),
        "imported" => format!("{} {}", tr.t("plan-flash-imported"), counts_text(&tr, counts)),
        "goal" => tr.t("plan-flash-goal"),
        "task" => tr.t("plan-flash-task"),
        "measure-added" => tr.t("plan-flash-measure-added"),
        "measure-saved" => tr.t("plan-flash-measure-saved"),
        "moved" => tr.t("plan-flash-moved"),
        "retired" => tr.t("plan-flash-retired"),
        "restored" => tr.t("plan-flash-restored"),
        _ => String::new(),
    };
    let p = &v.tree.plan;
    Ok(render(
        StatusCode::OK,
        &PlanPage {
            id,
            title: p.title.clone(),
            territory: if tr.code() == "en" {
                p.territory_name_en.clone()
            } else {
                p.territory_name_uk.clone()
            },
            owner: p.owner_name.clone(),
            years: format!("{}–{}", p.year_from, p.year_to),
            act: act_text(&tr, p.act_number.as_deref(), p.act_date.as_deref()),
            counts: counts_text(&tr, counts),
            goals,
            may_manage: v.may_manage,
            may_review: v.may_review,
            periods,
            half_years,
            flash,
            c,
        },
    ))
}

// ---------------------------------------------------------------- plan form

#[derive(Template)]
#[template(path = "plan_form.html")]
struct PlanFormPage {
    c: Chrome,
    heading: String,
    action: String,
    cancel: String,
    form: PlanForm,
    version: i64,
    territories: Vec<(String, String)>,
    orgs: Vec<OrgOption>,
    errors: Errors,
    conflict: bool,
}

struct PlanSpec {
    heading: String,
    action: String,
    cancel: String,
    version: i64,
}

async fn plan_form_page(
    state: &AppState,
    s: &SignedIn,
    spec: PlanSpec,
    form: PlanForm,
    errors: FieldErrors,
    conflict: bool,
) -> AppResult {
    let c = Chrome::new(state, &s.ctx);
    let tr = c.tr.clone();
    let (territories, orgs) = plan_choices(state, s, &tr, &form.owner_org_id).await?;
    let status = if errors.is_empty() && !conflict {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(
        status,
        &PlanFormPage {
            heading: spec.heading,
            action: spec.action,
            cancel: spec.cancel,
            version: spec.version,
            form,
            territories,
            orgs,
            errors: Errors::new(&tr, errors).in_order(PLAN_FIELDS),
            conflict,
            c,
        },
    ))
}

fn new_plan_spec(tr: &Tr) -> PlanSpec {
    PlanSpec {
        heading: tr.t("plan-new"),
        action: "/plans".into(),
        cancel: "/plans".into(),
        version: 0,
    }
}

fn edit_plan_spec(tr: &Tr, id: i64, version: i64) -> PlanSpec {
    PlanSpec {
        heading: tr.t("plan-edit"),
        action: format!("/plans/{id}"),
        cancel: format!("/plans/{id}"),
        version,
    }
}

pub async fn new_plan(State(state): State<AppState>, s: SignedIn) -> AppResult {
    if !plans::may_create_plans(&s.ctx.store_ctx()) {
        return Err(refuse_page(&state, &s, "plan_create").await);
    }
    let tr = tr_of(&state, &s);
    let form = PlanForm {
        owner_org_id: s.user.actor.org_id.to_string(),
        ..Default::default()
    };
    plan_form_page(&state, &s, new_plan_spec(&tr), form, FieldErrors::new(), false).await
}

pub async fn create_plan(
    State(state): State<AppState>,
    s: SignedIn,
    Form(f): Form<PlanFormInput>,
) -> AppResult {
    let tr = tr_of(&state, &s);
    let form = f.to_domain();
    form::submit(
        &s,
        "/plans/{id}?done=created",
        async |ctx| plans::create_plan(&state.db, &ctx, &form).await,
        async |again| {
            plan_form_page(
                &state,
                &s,
                new_plan_spec(&tr),
                form.clone(),
                again.invalid()?,
                false,
            )
            .await
        },
    )
    .await
}

pub async fn edit_plan(State(state): State<AppState>, s: SignedIn, Path(id): Path<i64>) -> AppResult {
    let tr = tr_of(&state, &s);
    let v = plans::view_plan(&state.db, &s.ctx.store_ctx(), id).await?;
    if !v.may_manage {
        return Err(refuse(&state, &s, "plan_edit", id).await);
    }
    let p = v.tree.plan;
    let form = PlanForm {
        title: p.title,
        territory_id: p.territory_id.to_string(),
        owner_org_id: p.owner_org_id.to_string(),
        year_from: p.year_from.to_string(),
        year_to: p.year_to.to_string(),
        act_number: p.act_number.unwrap_or_default(),
        act_date: p.act_date.unwrap_or_default(),
    };
    plan_form_page(
        &state,
        &s,
        edit_plan_spec(&tr, id, p.version),
        form,
        FieldErrors::new(),
        false,
    )
    .await
}

pub async fn update_plan(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Form(f): Form<PlanFormInput>,
) -> AppResult {
    let tr = tr_of(&state, &s);
    let form = f.to_domain();
    form::submit(
        &s,
        &format!("/plans/{id}?done=saved"),
        async |ctx| plans::update_plan(&state.db, &ctx, id, f.version, &form).await,
        async |again| match again {
            Again::Invalid(e) => {
                plan_form_page(
                    &state,
                    &s,
                    edit_plan_spec(&tr, id, f.version),
                    form.clone(),
                    e,
                    false,
                )
                .await
            }
            Again::Stale(_) => {
                let current = store::lookups::plan_version(&state.db, id).await?;
                let version = current.unwrap_or(f.version);
                plan_form_page(
                    &state,
                    &s,
                    edit_plan_spec(&tr, id, version),
                    form.clone(),
                    FieldErrors::new(),
                    true,
                )
                .await
            }
        },
    )
    .await
}
