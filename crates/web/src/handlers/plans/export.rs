//! A plan as a document: the table the .xlsx and .docx files print, and
//! their download (audited as an export).

use super::{PlanFileKind, act_text, tr_of};
use crate::context::SignedIn;
use crate::error::{AppError, AppResult};
use crate::extract::Path;
use crate::i18n::Tr;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use documents::plan::{PlanGoal, PlanMeasure, PlanTable, PlanTask};
use store::plans;
use store::plans::PlanTree;

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
) -> Result<(Vec<u8>, &'static str, String), documents::ReportError> {
    let table = plan_table(tree, tr);
    let id = tree.plan.id;
    Ok(match kind {
        PlanFileKind::Xlsx => (
            documents::plan::plan_xlsx(&table)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            format!("plan-{id}.xlsx"),
        ),
        PlanFileKind::Docx => (
            documents::plan::plan_docx(&table)?,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            format!("plan-{id}.docx"),
        ),
    })
}

async fn export(state: AppState, s: SignedIn, id: i64, kind: PlanFileKind) -> AppResult {
    let tr = tr_of(&state, &s);
    let ctx = s.ctx.store_ctx();
    let v = plans::view_plan(&state.db, &ctx, id).await?;
    let (bytes, content_type, name) =
        plan_file(&v.tree, &tr, kind).map_err(|e| AppError::failed("plan_export", e))?;
    let format = if kind == PlanFileKind::Xlsx {
        "xlsx"
    } else {
        "docx"
    };
    plans::note_plan_export(&state.db, &ctx, id, format).await?;
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
