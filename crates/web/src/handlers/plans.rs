//! The plan of measures: list, read, create and edit a plan, its goals, tasks
//! and measures; import a plan from .xlsx/.docx and export it.

use super::territory_options;
use crate::context::SignedIn;
use crate::error::{AppError, AppResult};
use crate::extract::Path;
use crate::form::{self, Again, see_other};
use crate::i18n::Tr;
use crate::state::AppState;
use crate::upload::{Limits, Upload, UploadedFile, read_multipart};
use crate::views::{Chrome, Errors, render};
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use domain::audit::SubjectKind;
use domain::plan::{HeadingForm, Indicator, MeasureForm, PlanForm};
use domain::plan_import::ImportProblem;
use domain::reporting::HalfYear;
use domain::{DomainError, FieldErrors};
pub use reports::plan::PlanFileKind;
use reports::plan::{PlanFileError, PlanGoal, PlanMeasure, PlanTable, PlanTask};
use serde::Deserialize;
use store::plan_service::{self, ImportOutcome, ImportRequest};
use store::plans::PlanTree;

/// The largest plan file the import accepts.
pub const MAX_IMPORT_BYTES: usize = 5 * 1024 * 1024;
/// The body limit of the upload route: the file plus the form's other fields.
const IMPORT_BODY_LIMIT: usize = MAX_IMPORT_BYTES + 256 * 1024;

const PLAN_FIELDS: &[&str] = &[
    "title",
    "territory_id",
    "owner_org_id",
    "year_from",
    "year_to",
    "act_number",
    "act_date",
    "file",
];
const MEASURE_FIELDS: &[&str] = &["text", "term", "executors", "indicators"];
const HEADING_FIELDS: &[&str] = &["text"];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plans", get(list_plans).post(create_plan))
        .route("/plans/new", get(new_plan))
        .route(
            "/plans/import",
            get(import_form)
                .post(import_upload)
                .layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT)),
        )
        .route("/plans/import/{upload_id}", post(import_mapped))
        .route("/plans/{id}", get(show_plan).post(update_plan))
        .route("/plans/{id}/edit", get(edit_plan))
        .route("/plans/{id}/export.xlsx", get(export_xlsx))
        .route("/plans/{id}/export.docx", get(export_docx))
        .route("/plans/{id}/goals", post(create_goal))
        .route("/plans/{id}/goals/new", get(new_goal))
        .route("/plans/{id}/goals/{goal_id}", post(update_goal))
        .route("/plans/{id}/goals/{goal_id}/edit", get(edit_goal))
        .route("/plans/{id}/goals/{goal_id}/tasks", post(create_task))
        .route("/plans/{id}/goals/{goal_id}/tasks/new", get(new_task))
        .route("/plans/{id}/tasks/{task_id}", post(update_task))
        .route("/plans/{id}/tasks/{task_id}/edit", get(edit_task))
        .route("/plans/{id}/tasks/{task_id}/measures", post(create_measure))
        .route("/plans/{id}/tasks/{task_id}/measures/new", get(new_measure))
        .route("/plans/{id}/measures/{measure_id}", post(update_measure))
        .route("/plans/{id}/measures/{measure_id}/edit", get(edit_measure))
        .route("/plans/{id}/measures/{measure_id}/move", post(move_measure))
        .route("/plans/{id}/measures/{measure_id}/retire", post(retire_measure))
        .route("/plans/{id}/measures/{measure_id}/restore", post(restore_measure))
}

// ---------------------------------------------------------------- helpers

/// `2023-09-04` → `04.09.2023`; anything else as it is.
fn dmy(date: &str) -> String {
    match date.parse::<jiff::civil::Date>() {
        Ok(d) => d.strftime("%d.%m.%Y").to_string(),
        Err(_) => date.to_string(),
    }
}

fn tr_of(state: &AppState, s: &SignedIn) -> Tr {
    Tr::new(state.i18n.clone(), s.ctx.lang)
}

/// "№ 609 від 04.09.2023", or what there is of it.
fn act_text(tr: &Tr, number: Option<&str>, date: Option<&str>) -> String {
    match (number.filter(|n| !n.is_empty()), date.filter(|d| !d.is_empty())) {
        (Some(n), Some(d)) => format!("№ {n} {} {}", tr.t("plan-act-of"), dmy(d)),
        (Some(n), None) => format!("№ {n}"),
        (None, Some(d)) => format!("{} {}", tr.t("plan-act-of"), dmy(d)),
        (None, None) => String::new(),
    }
}

/// The "(за згодою)" mark in the page's language.
fn executor_label(tr: &Tr, e: &store::plans::ExecutorRow) -> String {
    if e.by_consent.0 {
        format!("{} ({})", e.label(), tr.t("by-consent"))
    } else {
        e.label().to_string()
    }
}

fn merge(into: &mut FieldErrors, from: &FieldErrors) {
    for (k, v) in from.iter() {
        if into.get(k).is_none() {
            into.add(k, v);
        }
    }
}

/// Records a refusal on a plan and answers its page (404).
async fn refuse(state: &AppState, s: &SignedIn, what: &str, plan_id: i64) -> AppError {
    store::service::deny(
        &state.db,
        &s.ctx.store_ctx(),
        what,
        Some((SubjectKind::Plan, plan_id.to_string())),
    )
    .await
    .into()
}

/// An organisation in a select or a checkbox list.
pub struct OrgOption {
    pub id: String,
    pub name: String,
    pub short_name: Option<String>,
    pub checked: bool,
}

async fn org_options(state: &AppState, checked: &[String]) -> AppResult<Vec<OrgOption>> {
    let list = store::reference::organisations(&state.db).await?;
    Ok(list
        .into_iter()
        .map(|o| {
            let id = o.id.to_string();
            OrgOption {
                checked: checked.contains(&id),
                id,
                name: o.name,
                short_name: o.short_name,
            }
        })
        .collect())
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
    let plans = plan_service::list_plans(&state.db, &ctx).await?;
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
            may_create: plan_service::may_create_plans(&ctx),
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
    super::half_year_label(tr, i64::from(h.year), i64::from(h.half))
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
    let v = plan_service::view_plan(&state.db, &s.ctx.store_ctx(), id).await?;
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
        let mut h = HalfYear::containing(store::reporting::kyiv_date(s.ctx.now));
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

/// The plan form as typed.
#[derive(Deserialize, Default, Clone)]
pub struct PlanFormInput {
    #[serde(default)]
    title: String,
    #[serde(default)]
    territory_id: String,
    #[serde(default)]
    owner_org_id: String,
    #[serde(default)]
    year_from: String,
    #[serde(default)]
    year_to: String,
    #[serde(default)]
    act_number: String,
    #[serde(default)]
    act_date: String,
    #[serde(default)]
    version: i64,
}

impl PlanFormInput {
    fn to_domain(&self) -> PlanForm {
        PlanForm {
            title: self.title.clone(),
            territory_id: self.territory_id.clone(),
            owner_org_id: self.owner_org_id.clone(),
            year_from: self.year_from.clone(),
            year_to: self.year_to.clone(),
            act_number: self.act_number.clone(),
            act_date: self.act_date.clone(),
        }
    }

    /// Sets a field by its form name (multipart and the mapping form come as pairs).
    fn set(&mut self, name: &str, value: String) {
        match name {
            "title" => self.title = value,
            "territory_id" => self.territory_id = value,
            "owner_org_id" => self.owner_org_id = value,
            "year_from" => self.year_from = value,
            "year_to" => self.year_to = value,
            "act_number" => self.act_number = value,
            "act_date" => self.act_date = value,
            "version" => self.version = value.trim().parse().unwrap_or(0),
            _ => {}
        }
    }
}

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

/// What the plan's detail fields need: the territory and organisation choices.
async fn plan_choices(
    state: &AppState,
    s: &SignedIn,
    tr: &Tr,
    owner: &str,
) -> AppResult<(Vec<(String, String)>, Vec<OrgOption>)> {
    let territories = territory_options(state, tr, Some(&s.user.actor.territory)).await?;
    let orgs = org_options(state, &[owner.to_string()]).await?;
    Ok((territories, orgs))
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

async fn refuse_page(state: &AppState, s: &SignedIn, page: &str) -> AppError {
    store::service::deny_page(&state.db, &s.ctx.store_ctx(), page)
        .await
        .into()
}

pub async fn new_plan(State(state): State<AppState>, s: SignedIn) -> AppResult {
    if !plan_service::may_create_plans(&s.ctx.store_ctx()) {
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
        async |ctx| plan_service::create_plan(&state.db, &ctx, &form).await,
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
    let v = plan_service::view_plan(&state.db, &s.ctx.store_ctx(), id).await?;
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
        async |ctx| plan_service::update_plan(&state.db, &ctx, id, f.version, &form).await,
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
                let current = store::reference::plan_version(&state.db, id).await?;
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

// ---------------------------------------------------------------- goals and tasks

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

/// The plan, for a form page that only its managers may open.
async fn managed_tree(state: &AppState, s: &SignedIn, id: i64, what: &str) -> AppResult<PlanTree> {
    let v = plan_service::view_plan(&state.db, &s.ctx.store_ctx(), id).await?;
    if !v.may_manage {
        return Err(refuse(state, s, what, id).await);
    }
    Ok(v.tree)
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
        async |ctx| plan_service::add_goal(&state.db, &ctx, id, &f).await,
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
        async |ctx| plan_service::edit_goal(&state.db, &ctx, id, goal_id, &f).await,
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
        async |ctx| plan_service::add_task(&state.db, &ctx, id, goal_id, &f).await,
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

fn find_task(tree: &PlanTree, task_id: i64) -> Option<(i64, &store::plans::TaskNode)> {
    tree.goals
        .iter()
        .flat_map(|g| g.tasks.iter().map(move |t| (g.goal.id, t)))
        .find(|(_, t)| t.task.id == task_id)
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
        async |ctx| plan_service::edit_task(&state.db, &ctx, id, task_id, &f).await,
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

// ---------------------------------------------------------------- measures

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
        async |ctx| plan_service::create_measure(&state.db, &ctx, id, task_id, &form).await,
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
        async |ctx| plan_service::update_measure(&state.db, &ctx, id, measure_id, f.version, &form).await,
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
        async |ctx| plan_service::move_measure(&state.db, &ctx, id, measure_id, up).await,
        async |again| Err(DomainError::Validation(again.invalid()?).into()),
    )
    .await
}

async fn set_retired(state: AppState, s: SignedIn, id: i64, measure_id: i64, retired: bool) -> AppResult {
    plan_service::set_measure_retired(&state.db, &s.ctx.store_ctx(), id, measure_id, retired).await?;
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

// ---------------------------------------------------------------- export

/// The plan as the documents print it: measures in force only, numbered; executors by their
/// full organisation names (so an import of the file matches them exactly); terms as stored.
pub fn plan_table(tree: &PlanTree, tr: &Tr) -> PlanTable {
    let p = &tree.plan;
    let act = act_text(tr, p.act_number.as_deref(), p.act_date.as_deref());
    let subtitle = if act.is_empty() {
        format!("{}–{}", p.year_from, p.year_to)
    } else {
        format!(
            "{}–{} · {} {}",
            p.year_from,
            p.year_to,
            tr.t("plan-approved-by"),
            act
        )
    };
    PlanTable {
        title: p.title.clone(),
        subtitle,
        headings: [
            tr.t("plan-col-task"),
            tr.t("plan-col-measure"),
            tr.t("plan-col-term"),
            tr.t("plan-col-executors"),
        ],
        goals: tree
            .goals
            .iter()
            .map(|g| PlanGoal {
                number: u32::try_from(g.goal.number).unwrap_or(0),
                text: g.goal.text.clone(),
                tasks: g
                    .tasks
                    .iter()
                    .map(|t| PlanTask {
                        number: u32::try_from(t.task.number).unwrap_or(0),
                        text: t.task.text.clone(),
                        measures: t
                            .measures
                            .iter()
                            .filter_map(|m| {
                                m.number.map(|n| PlanMeasure {
                                    number: n,
                                    text: m.m.text.clone(),
                                    term: m.m.term.clone(),
                                    executors: m.executors.iter().map(|e| e.name.clone()).collect(),
                                })
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The kind of file a name asks for: `.xlsx` or `.docx`, in any case.
pub fn kind_for_name(file_name: &str) -> Option<PlanFileKind> {
    let lower = file_name.to_lowercase();
    if lower.ends_with(".xlsx") {
        Some(PlanFileKind::Xlsx)
    } else if lower.ends_with(".docx") {
        Some(PlanFileKind::Docx)
    } else {
        None
    }
}

/// The plan as a file: its bytes, content type and a safe ASCII file name.
pub fn plan_file(
    tree: &PlanTree,
    tr: &Tr,
    kind: PlanFileKind,
) -> Result<(Vec<u8>, &'static str, String), reports::ReportError> {
    let table = plan_table(tree, tr);
    let id = tree.plan.id;
    Ok(match kind {
        PlanFileKind::Xlsx => (
            reports::plan::plan_xlsx(&table)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            format!("plan-{id}.xlsx"),
        ),
        PlanFileKind::Docx => (
            reports::plan::plan_docx(&table)?,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            format!("plan-{id}.docx"),
        ),
    })
}

async fn export(state: AppState, s: SignedIn, id: i64, kind: PlanFileKind) -> AppResult {
    let tr = tr_of(&state, &s);
    let ctx = s.ctx.store_ctx();
    let v = plan_service::view_plan(&state.db, &ctx, id).await?;
    let (bytes, content_type, name) =
        plan_file(&v.tree, &tr, kind).map_err(|e| AppError::failed("plan_export", e))?;
    let format = if kind == PlanFileKind::Xlsx {
        "xlsx"
    } else {
        "docx"
    };
    plan_service::note_plan_export(&state.db, &ctx, id, format).await?;
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

pub async fn export_xlsx(State(state): State<AppState>, s: SignedIn, Path(id): Path<i64>) -> AppResult {
    export(state, s, id, PlanFileKind::Xlsx).await
}

pub async fn export_docx(State(state): State<AppState>, s: SignedIn, Path(id): Path<i64>) -> AppResult {
    export(state, s, id, PlanFileKind::Docx).await
}

// ---------------------------------------------------------------- import

/// The message id for a file that cannot be read as a plan table.
pub fn file_error_id(e: &PlanFileError) -> &'static str {
    match e {
        PlanFileError::Empty => "err-import-empty",
        PlanFileError::NotAPlanFile => "plan-err-not-plan-file",
        PlanFileError::Mismatch {
            claimed: PlanFileKind::Xlsx,
        } => "plan-err-not-xlsx",
        PlanFileError::Mismatch {
            claimed: PlanFileKind::Docx,
        } => "plan-err-not-docx",
        PlanFileError::NoTable => "plan-err-no-table",
        PlanFileError::Damaged(_) => "plan-err-damaged",
        PlanFileError::TooLarge(_) => "plan-err-unpacks-too-large",
    }
}

/// Reads the plan table of a file into numbered rows of cell texts, or names
/// what is wrong. The file is parsed on a blocking thread, a few at a time
/// (`store::blocking`); a server too busy to parse it says so.
pub async fn read_rows(file_name: &str, bytes: &[u8]) -> Result<Vec<(usize, Vec<String>)>, &'static str> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err("plan-err-too-big");
    }
    let (name, copy) = (file_name.to_string(), bytes.to_vec());
    match store::blocking::run(move || reports::plan::read_plan_table(&name, &copy)).await {
        Ok(Ok((_, rows))) => Ok(rows.into_iter().map(|r| (r.row, r.cells)).collect()),
        Ok(Err(e)) => Err(file_error_id(&e)),
        Err(_) => Err("plan-err-busy"),
    }
}

/// Each problem as a line a person reads: "Рядок 7: …".
pub fn problem_lines(tr: &Tr, problems: &[ImportProblem]) -> Vec<String> {
    problems
        .iter()
        .map(|p| {
            // The organisation import's message of the same id speaks of CSV columns.
            let id = if p.message_id == "err-import-columns" {
                "plan-err-columns"
            } else {
                p.message_id
            };
            let mut msg = tr.t(id);
            if let Some(d) = &p.detail {
                msg = format!("{msg} «{d}»");
            }
            if p.row > 0 {
                format!("{}: {msg}", tr.t1("plan-import-row", "row", p.row))
            } else {
                msg
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "plan_import.html")]
struct ImportPage {
    c: Chrome,
    form: PlanForm,
    territories: Vec<(String, String)>,
    orgs: Vec<OrgOption>,
    errors: Errors,
    problems: Vec<String>,
    /// A file had been chosen: browsers do not keep it, so the page asks for it again.
    file_lost: bool,
}

async fn import_page(
    state: &AppState,
    s: &SignedIn,
    form: PlanForm,
    errors: FieldErrors,
    problems: Vec<String>,
    file_lost: bool,
) -> AppResult {
    let c = Chrome::new(state, &s.ctx);
    let tr = c.tr.clone();
    let (territories, orgs) = plan_choices(state, s, &tr, &form.owner_org_id).await?;
    let failed = !errors.is_empty() || !problems.is_empty();
    let status = if failed {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(
        status,
        &ImportPage {
            form,
            territories,
            orgs,
            errors: Errors::new(&tr, errors).in_order(PLAN_FIELDS),
            problems,
            file_lost,
            c,
        },
    ))
}

pub async fn import_form(State(state): State<AppState>, s: SignedIn) -> AppResult {
    if !plan_service::may_create_plans(&s.ctx.store_ctx()) {
        return Err(refuse_page(&state, &s, "plan_import").await);
    }
    let form = PlanForm {
        owner_org_id: s.user.actor.org_id.to_string(),
        ..Default::default()
    };
    import_page(&state, &s, form, FieldErrors::new(), Vec::new(), false).await
}

/// One executor name of the file that matches no organisation, on the mapping form.
pub struct UnmatchedView {
    pub index: usize,
    pub name: String,
    pub rows: String,
    pub chosen: String,
    pub missing: bool,
}

#[derive(Template)]
#[template(path = "plan_import_map.html")]
struct MappingPage {
    c: Chrome,
    upload_id: i64,
    file_name: String,
    form: PlanForm,
    territories: Vec<(String, String)>,
    orgs: Vec<OrgOption>,
    errors: Errors,
    unmatched: Vec<UnmatchedView>,
}

#[expect(clippy::too_many_arguments, reason = "one page with its parts")]
async fn mapping_page(
    state: &AppState,
    s: &SignedIn,
    upload_id: i64,
    file_name: String,
    form: PlanForm,
    errors: FieldErrors,
    unmatched: &[(String, Vec<usize>)],
    chosen: &[(String, String)],
    show_missing: bool,
) -> AppResult {
    let c = Chrome::new(state, &s.ctx);
    let tr = c.tr.clone();
    let (territories, orgs) = plan_choices(state, s, &tr, &form.owner_org_id).await?;
    let unmatched: Vec<UnmatchedView> = unmatched
        .iter()
        .enumerate()
        .map(|(index, (name, rows))| {
            let chosen = chosen
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            UnmatchedView {
                index,
                missing: show_missing,
                rows: rows.iter().map(|r| r.to_string()).collect::<Vec<_>>().join(", "),
                name: name.clone(),
                chosen,
            }
        })
        .collect();
    let failed = !errors.is_empty() || show_missing;
    let status = if failed {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(
        status,
        &MappingPage {
            upload_id,
            file_name,
            form,
            territories,
            orgs,
            errors: Errors::new(&tr, errors).in_order(PLAN_FIELDS),
            unmatched,
            c,
        },
    ))
}

/// Where an imported plan is shown.
const IMPORTED: &str = "/plans/{id}?done=imported";

/// Reads the multipart upload: the plan's details and the file (at most [`MAX_IMPORT_BYTES`]).
async fn read_upload(mp: Multipart) -> AppResult<(PlanFormInput, Upload)> {
    let upload = read_multipart(
        mp,
        Limits {
            file_bytes: MAX_IMPORT_BYTES,
        },
    )
    .await?;
    let mut input = PlanFormInput::default();
    for (name, value) in &upload.fields {
        input.set(name, value.clone());
    }
    Ok((input, upload))
}

pub async fn import_upload(State(state): State<AppState>, s: SignedIn, mp: Multipart) -> AppResult {
    let ctx = form::ctx(&s, IMPORTED);
    if !plan_service::may_create_plans(&ctx) {
        return Err(refuse_page(&state, &s, "plan_import").await);
    }
    let (input, upload) = read_upload(mp).await?;
    let form = input.to_domain();
    let file = upload.file.clone().unwrap_or_default();
    let had_file = !file.is_empty();
    let rows = if upload.too_big {
        Err("plan-err-too-big")
    } else if file.is_empty() {
        Err("plan-err-file-required")
    } else {
        read_rows(&file.name, &file.bytes).await
    };
    let rows = match rows {
        Ok(r) => r,
        Err(id) => {
            let mut errors = FieldErrors::new();
            errors.add("file", id);
            if let Err(e) = form.validate() {
                merge(&mut errors, &e);
            }
            return import_page(&state, &s, form, errors, Vec::new(), had_file).await;
        }
    };
    let req = ImportRequest {
        form: &form,
        rows: &rows,
        mapping: &[],
    };
    match plan_service::import_plan(&state.db, &ctx, req).await {
        Ok(ImportOutcome::Imported { plan_id, .. }) => Ok(see_other(&store::forms::fill(IMPORTED, plan_id))),
        Ok(ImportOutcome::Problems(p)) => {
            let tr = tr_of(&state, &s);
            let lines = problem_lines(&tr, &p);
            let mut errors = FieldErrors::new();
            errors.add("file", "plan-err-file-problems");
            import_page(&state, &s, form, errors, lines, true).await
        }
        Ok(ImportOutcome::Unmatched(unmatched)) => {
            // The next step of the same form: the file waits (for a while) as an upload, and
            // the mapping form carries this form's token on to the import that creates the plan.
            let UploadedFile { name, bytes } = file;
            let upload_id =
                store::plan_uploads::insert(&state.db, s.user.actor.user_id, &name, &bytes, s.ctx.now)
                    .await?;
            mapping_page(
                &state,
                &s,
                upload_id,
                name,
                form,
                FieldErrors::new(),
                &unmatched,
                &[],
                false,
            )
            .await
        }
        Err(DomainError::Validation(e)) => import_page(&state, &s, form, e, Vec::new(), had_file).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn import_mapped(
    State(state): State<AppState>,
    s: SignedIn,
    Path(upload_id): Path<i64>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> AppResult {
    let ctx = form::ctx(&s, IMPORTED);
    if !plan_service::may_create_plans(&ctx) {
        return Err(refuse_page(&state, &s, "plan_import").await);
    }
    let mut input = PlanFormInput::default();
    let mut names: Vec<(usize, String)> = Vec::new();
    let mut maps: Vec<(usize, String)> = Vec::new();
    for (k, v) in pairs {
        if let Some(i) = k.strip_prefix("name_").and_then(|i| i.parse::<usize>().ok()) {
            names.push((i, v));
        } else if let Some(i) = k.strip_prefix("map_").and_then(|i| i.parse::<usize>().ok()) {
            maps.push((i, v));
        } else {
            input.set(&k, v);
        }
    }
    // (name as written, chosen organisation id as typed)
    let chosen: Vec<(String, String)> = names
        .iter()
        .map(|(i, n)| {
            let v = maps
                .iter()
                .find(|(j, _)| j == i)
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            (n.clone(), v)
        })
        .collect();
    let mapping: Vec<(String, i64)> = chosen
        .iter()
        .filter_map(|(n, v)| v.trim().parse::<i64>().ok().map(|id| (n.clone(), id)))
        .collect();
    let form = input.to_domain();
    let Some(upload) =
        store::plan_uploads::get(&state.db, upload_id, s.user.actor.user_id, s.ctx.now).await?
    else {
        return Err(AppError::not_found());
    };
    let rows = match read_rows(&upload.file_name, &upload.content).await {
        Ok(r) => r,
        Err(id) => {
            let mut errors = FieldErrors::new();
            errors.add("file", id);
            return import_page(&state, &s, form, errors, Vec::new(), true).await;
        }
    };
    let req = ImportRequest {
        form: &form,
        rows: &rows,
        mapping: &mapping,
    };
    match plan_service::import_plan(&state.db, &ctx, req).await {
        Ok(ImportOutcome::Imported { plan_id, .. }) => {
            store::plan_uploads::delete(&state.db, upload_id, s.user.actor.user_id).await?;
            Ok(see_other(&store::forms::fill(IMPORTED, plan_id)))
        }
        Ok(ImportOutcome::Unmatched(unmatched)) => {
            mapping_page(
                &state,
                &s,
                upload_id,
                upload.file_name,
                form,
                FieldErrors::new(),
                &unmatched,
                &chosen,
                true,
            )
            .await
        }
        Ok(ImportOutcome::Problems(p)) => {
            let tr = tr_of(&state, &s);
            let lines = problem_lines(&tr, &p);
            let mut errors = FieldErrors::new();
            errors.add("file", "plan-err-file-problems");
            import_page(&state, &s, form, errors, lines, true).await
        }
        Err(DomainError::Validation(e)) => {
            // The names still to map are those the person saw; keep their choices.
            let unmatched: Vec<(String, Vec<usize>)> = names_with_rows(&rows, &chosen);
            mapping_page(
                &state,
                &s,
                upload_id,
                upload.file_name,
                form,
                e,
                &unmatched,
                &chosen,
                false,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The rows each of the given names appears on (for re-showing the mapping form).
fn names_with_rows(rows: &[(usize, Vec<String>)], chosen: &[(String, String)]) -> Vec<(String, Vec<usize>)> {
    let all = domain::plan_import::parse_rows(rows)
        .map(|p| p.executor_names())
        .unwrap_or_default();
    chosen
        .iter()
        .map(|(n, _)| {
            let r = all
                .iter()
                .find(|(m, _)| m == n)
                .map(|(_, r)| r.clone())
                .unwrap_or_default();
            (n.clone(), r)
        })
        .collect()
}
