//! The consolidated documents of a period (.docx and .xlsx): every measure
//! with what its executors reported, and the summary tables.

use super::{date_text, pct, state_name};
use crate::context::SignedIn;
use crate::error::{AppError, AppResult};
use crate::extract::Path;
use crate::handlers::half_year_label;
use crate::i18n::Tr;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::reporting::{Tally, figure_text};
use store::dates::kyiv_date;
use store::plans;
use store::plans::PlanTree;

fn consolidated(tr: &Tr, data: &plans::ConsolidatedData) -> documents::consolidated::Consolidated {
    use documents::consolidated::*;
    let d = &data.dashboard;
    let plan = &d.tree.plan;
    let mut goals = Vec::new();
    for g in &d.tree.goals {
        let mut tasks = Vec::new();
        for t in &g.tasks {
            let mut measures = Vec::new();
            for m in &t.measures {
                let entries: Vec<ConsEntry> = data
                    .rows
                    .iter()
                    .filter(|r| r.measure_id == m.m.id)
                    .map(|r| {
                        let state = r.state();
                        let shown = state.handed_in();
                        ConsEntry {
                            executor: r.org_name.clone(),
                            status: state_name(tr, state),
                            submitted_on: r
                                .first_submitted_at
                                .map(|t| kyiv_date(t).strftime("%d.%m.%Y").to_string())
                                .unwrap_or_default(),
                            late: if r.late.0 {
                                tr.t("report-late")
                            } else {
                                String::new()
                            },
                            accepted_on: r
                                .accepted_at
                                .map(|t| kyiv_date(t).strftime("%d.%m.%Y").to_string())
                                .unwrap_or_default(),
                            text: if shown { r.body.clone() } else { String::new() },
                            figures: if shown {
                                m.indicators
                                    .iter()
                                    .filter_map(|ind| {
                                        data.figures
                                            .iter()
                                            .find(|(rid, iid, _)| *rid == r.id && *iid == ind.id)
                                            .map(|(_, _, v)| {
                                                (format!("{}, {}", ind.name, ind.unit), figure_text(*v))
                                            })
                                    })
                                    .collect()
                            } else {
                                Vec::new()
                            },
                            links: if shown {
                                r.links.lines().map(str::to_string).collect()
                            } else {
                                Vec::new()
                            },
                        }
                    })
                    .collect();
                if entries.is_empty() && m.number.is_none() {
                    continue;
                }
                measures.push(ConsMeasure {
                    number: PlanTree::measure_code(g, m),
                    text: m.m.text.clone(),
                    term: m.m.term.clone(),
                    entries,
                });
            }
            tasks.push(ConsTask {
                number: t.task.number as u32,
                text: t.task.text.clone(),
                measures,
            });
        }
        goals.push(ConsGoal {
            number: g.goal.number as u32,
            text: g.goal.text.clone(),
            tasks,
        });
    }
    let summary = |name: String, t: &Tally| SummaryRow {
        name,
        expected: t.expected,
        submitted: t.submitted,
        on_time: t.on_time,
        completeness: pct(t.completeness_permille()),
        timeliness: pct(t.timeliness_permille()),
    };
    let approved_by = match (&plan.act_number, &plan.act_date) {
        (Some(n), Some(date)) => {
            let mut a = fluent_bundle::FluentArgs::new();
            a.set("number", n.clone());
            a.set("date", date_text(date));
            tr.args("cons-approved-by", &a)
        }
        _ => String::new(),
    };
    Consolidated {
        addressee: String::new(),
        title: format!("{} «{}»", tr.t("cons-title"), plan.title),
        period: format!(
            "{} {}",
            tr.t("cons-for"),
            half_year_label(tr, d.period.year, d.period.half)
        ),
        approved_by,
        compiled: format!("{} {}", tr.t("cons-compiled"), d.today.strftime("%d.%m.%Y")),
        goals,
        summary_title: tr.t("cons-summary"),
        summary_headings: [
            tr.t("cons-h-name"),
            tr.t("dash-expected"),
            tr.t("dash-submitted"),
            tr.t("dash-on-time"),
            tr.t("dash-completeness"),
            tr.t("dash-timeliness"),
        ],
        summary_by_executor: d
            .by_executor
            .iter()
            .map(|(_, n, t)| summary(n.clone(), t))
            .collect(),
        summary_by_goal: d
            .by_goal
            .iter()
            .map(|(n, text, t)| summary(format!("{} {n}. {text}", tr.t("goal")), t))
            .collect(),
        summary_total: summary(tr.t("total"), &d.total),
        labels: ConsLabels {
            goal: tr.t("goal"),
            task: tr.t("task"),
            term: tr.t("term"),
            no_report: tr.t("cons-no-report"),
            sheet: tr.t("cons-sheet"),
            xlsx_headings: [
                tr.t("cons-x-goal"),
                tr.t("cons-x-task"),
                tr.t("cons-x-measure-no"),
                tr.t("cons-x-measure"),
                tr.t("term"),
                tr.t("cons-x-executor"),
                tr.t("cons-x-status"),
                tr.t("cons-x-submitted"),
                tr.t("cons-x-late"),
                tr.t("cons-x-accepted"),
                tr.t("cons-x-text"),
            ],
            figures: tr.t("cons-figures"),
            links: tr.t("cons-links"),
            by_executor: tr.t("dash-by-executor"),
            by_goal: tr.t("dash-by-goal"),
            total: tr.t("total"),
        },
        signatory: plan.owner_name.clone(),
    }
}

fn file_response(bytes: Vec<u8>, content_type: &str, file_name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        Body::from(bytes),
    )
        .into_response()
}

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn consolidated_file(state: AppState, s: SignedIn, id: i64, docx: bool) -> AppResult {
    let format = if docx { "docx" } else { "xlsx" };
    let data = plans::consolidated(&state.db, &s.ctx.store_ctx(), id, format).await?;
    let tr = Tr::new(state.i18n.clone(), s.ctx.lang);
    let doc = consolidated(&tr, &data);
    let name = format!(
        "report-{}-{}.{format}",
        data.dashboard.tree.plan.id,
        data.dashboard.period.half_year().code()
    );
    let built = tokio::task::spawn_blocking(move || {
        if docx {
            documents::consolidated::consolidated_docx(&doc)
        } else {
            documents::consolidated::consolidated_xlsx(&doc)
        }
    })
    .await;
    match built {
        Ok(Ok(bytes)) => Ok(file_response(bytes, if docx { DOCX } else { XLSX }, &name)),
        Ok(Err(e)) => Err(AppError::failed("consolidated_report", e)),
        Err(e) => Err(AppError::failed("consolidated_report", e)),
    }
}

pub async fn consolidated_docx(State(state): State<AppState>, s: SignedIn, Path(id): Path<i64>) -> AppResult {
    consolidated_file(state, s, id, true).await
}

pub async fn consolidated_xlsx(State(state): State<AppState>, s: SignedIn, Path(id): Path<i64>) -> AppResult {
    consolidated_file(state, s, id, false).await
}
