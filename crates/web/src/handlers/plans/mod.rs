//! The plan of measures: the plan itself, its list and its form (`plan`),
//! its goals and tasks (`headings`) and measures (`measures`); importing a
//! plan from .xlsx/.docx (`import`) and exporting it (`export`). This module
//! holds the route table and what those files share.

pub mod export;
pub mod headings;
pub mod import;
pub mod measures;
pub mod plan;

use crate::context::SignedIn;
use crate::error::{AppError, AppResult};
pub(super) use crate::handlers::refuse_page;
use crate::handlers::territory_options;
use crate::i18n::Tr;
use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use domain::audit::SubjectKind;
use domain::plan::PlanForm;
use serde::Deserialize;
use store::plans;
use store::plans::PlanTree;

// What the CLI's `plan import` and `plan export` use (`web::handlers::plans::…`).
pub use documents::plan::PlanFileKind;
pub use export::{kind_for_name, plan_file};
pub use import::{problem_lines, read_rows};

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

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plans", get(plan::list_plans).post(plan::create_plan))
        .route("/plans/new", get(plan::new_plan))
        .route(
            "/plans/import",
            get(import::import_form)
                .post(import::import_upload)
                .layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT)),
        )
        .route("/plans/import/{upload_id}", post(import::import_mapped))
        .route("/plans/{id}", get(plan::show_plan).post(plan::update_plan))
        .route("/plans/{id}/edit", get(plan::edit_plan))
        .route("/plans/{id}/export.xlsx", get(export::export_xlsx))
        .route("/plans/{id}/export.docx", get(export::export_docx))
        .route("/plans/{id}/goals", post(headings::create_goal))
        .route("/plans/{id}/goals/new", get(headings::new_goal))
        .route("/plans/{id}/goals/{goal_id}", post(headings::update_goal))
        .route("/plans/{id}/goals/{goal_id}/edit", get(headings::edit_goal))
        .route("/plans/{id}/goals/{goal_id}/tasks", post(headings::create_task))
        .route("/plans/{id}/goals/{goal_id}/tasks/new", get(headings::new_task))
        .route("/plans/{id}/tasks/{task_id}", post(headings::update_task))
        .route("/plans/{id}/tasks/{task_id}/edit", get(headings::edit_task))
        .route(
            "/plans/{id}/tasks/{task_id}/measures",
            post(measures::create_measure),
        )
        .route(
            "/plans/{id}/tasks/{task_id}/measures/new",
            get(measures::new_measure),
        )
        .route(
            "/plans/{id}/measures/{measure_id}",
            post(measures::update_measure),
        )
        .route(
            "/plans/{id}/measures/{measure_id}/edit",
            get(measures::edit_measure),
        )
        .route(
            "/plans/{id}/measures/{measure_id}/move",
            post(measures::move_measure),
        )
        .route(
            "/plans/{id}/measures/{measure_id}/retire",
            post(measures::retire_measure),
        )
        .route(
            "/plans/{id}/measures/{measure_id}/restore",
            post(measures::restore_measure),
        )
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

/// Records a refusal on a plan and answers its page (404).
async fn refuse(state: &AppState, s: &SignedIn, what: &str, plan_id: i64) -> AppError {
    store::access::deny(
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
    let list = store::lookups::organisations(&state.db).await?;
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

/// The plan, for a form page that only its managers may open.
async fn managed_tree(state: &AppState, s: &SignedIn, id: i64, what: &str) -> AppResult<PlanTree> {
    let v = plans::view_plan(&state.db, &s.ctx.store_ctx(), id).await?;
    if !v.may_manage {
        return Err(refuse(state, s, what, id).await);
    }
    Ok(v.tree)
}

fn find_task(tree: &PlanTree, task_id: i64) -> Option<(i64, &store::plans::TaskNode)> {
    tree.goals
        .iter()
        .flat_map(|g| g.tasks.iter().map(move |t| (g.goal.id, t)))
        .find(|(_, t)| t.task.id == task_id)
}
