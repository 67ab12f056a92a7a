//! Importing a plan from an .xlsx/.docx file: the upload form, reading the
//! file's table, and the mapping form for executor names that match no
//! organisation (the file waits meanwhile as an upload).

use super::{
    MAX_IMPORT_BYTES, OrgOption, PLAN_FIELDS, PlanFileKind, PlanFormInput, plan_choices, refuse_page, tr_of,
};
use crate::context::SignedIn;
use crate::error::{AppError, AppResult};
use crate::extract::Path;
use crate::form::{self, see_other};
use crate::i18n::Tr;
use crate::state::AppState;
use crate::upload::{Limits, Upload, UploadedFile, read_multipart};
use crate::views::{Chrome, Errors, render};
use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use documents::plan::PlanFileError;
use domain::plan::PlanForm;
use domain::plan_import::ImportProblem;
use domain::{DomainError, FieldErrors};
use store::plans::{self, ImportOutcome, ImportRequest};

fn merge(into: &mut FieldErrors, from: &FieldErrors) {
    for (k, v) in from.iter() {
        if into.get(k).is_none() {
            into.add(k, v);
        }
    }
}

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
    match store::blocking::run(move || documents::plan::read_plan_table(&name, &copy)).await {
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
    if !plans::may_create_plans(&s.ctx.store_ctx()) {
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
    if !plans::may_create_plans(&ctx) {
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
    match plans::import_plan(&state.db, &ctx, req).await {
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
                store::plans::uploads::insert(&state.db, s.user.actor.user_id, &name, &bytes, s.ctx.now)
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
    if !plans::may_create_plans(&ctx) {
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
        store::plans::uploads::get(&state.db, upload_id, s.user.actor.user_id, s.ctx.now).await?
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
    match plans::import_plan(&state.db, &ctx, req).await {
        Ok(ImportOutcome::Imported { plan_id, .. }) => {
            store::plans::uploads::delete(&state.db, upload_id, s.user.actor.user_id).await?;
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
