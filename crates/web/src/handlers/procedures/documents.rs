//! The decision documents: the certificate and the refusal letter, filled
//! from the template and named by the case reference.

use super::{file_response, opt_date};
use crate::context::SignedIn;
use crate::error::{AppError, AppResult};
use crate::extract::Path;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use axum::extract::State;
use documents::cases::TemplateKind;
use std::collections::BTreeMap;
use store::dates::kyiv_date;
use store::procedures;

/// A file name made of the case reference only: ASCII letters, digits and dashes.
fn safe_name(reference: &str) -> String {
    reference
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// The certificate or refusal letter, filled from the template. The texts of
/// the document are Ukrainian whatever the page language: it is an official act.
async fn decision_file(state: AppState, s: SignedIn, id: i64, kind: TemplateKind) -> AppResult {
    let ctx = s.ctx.store_ctx();
    let d = procedures::decision_document(&state.db, &ctx, id, kind).await?;
    let tr = Tr::new(state.i18n.clone(), Lang::Uk);
    let p = &d.procedure;
    let mut values: BTreeMap<&str, String> = BTreeMap::new();
    values.insert("unit_name", d.unit.name.clone());
    values.insert("unit_address", d.unit.address.clone().unwrap_or_default());
    values.insert(
        "person_name",
        d.person
            .as_ref()
            .map_or_else(|| p.applicant.clone(), |x| x.full_name()),
    );
    values.insert(
        "person_birth_date",
        opt_date(d.person.as_ref().and_then(|x| x.birth_date.as_deref())),
    );
    values.insert("case_reference", d.case.reference.clone());
    values.insert("decision_date", opt_date(p.decided_on.as_deref()));
    values.insert("official_name", d.official_name.clone());
    values.insert("official_position", tr.t("doc-official-position"));
    match kind {
        TemplateKind::Certificate => {
            values.insert("certificate_no", p.certificate_no.clone().unwrap_or_default());
            values.insert("certificate_date", opt_date(p.decided_on.as_deref()));
            values.insert("valid_until", opt_date(p.valid_until.as_deref()));
        }
        TemplateKind::Refusal => {
            values.insert("letter_date", kyiv_date(ctx.now).strftime("%d.%m.%Y").to_string());
            values.insert("grounds", p.refusal_grounds.clone().unwrap_or_default());
            values.insert("appeal_notice", tr.t("doc-appeal-notice"));
        }
    }
    let values: BTreeMap<&'static str, String> = values
        .into_iter()
        .filter_map(|(k, v)| kind.placeholders().iter().find(|p| **p == k).map(|p| (*p, v)))
        .collect();
    let template = d.template;
    let built =
        tokio::task::spawn_blocking(move || documents::cases::fill_template(&template, &values)).await;
    let name = format!("{}-{}.docx", kind.as_str(), safe_name(&d.case.reference));
    match built {
        Ok(Ok(bytes)) => Ok(file_response(bytes, DOCX, &name)),
        Ok(Err(e)) => Err(AppError::failed("decision_template", e)),
        Err(e) => Err(AppError::failed("decision_template", e)),
    }
}

pub async fn download_certificate(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
) -> AppResult {
    decision_file(state, s, id, TemplateKind::Certificate).await
}

pub async fn download_refusal(State(state): State<AppState>, s: SignedIn, Path(id): Path<i64>) -> AppResult {
    decision_file(state, s, id, TemplateKind::Refusal).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_carry_only_the_reference() {
        assert_eq!(safe_name("UA53-2026-00017"), "UA53-2026-00017");
        assert_eq!(safe_name("UA53/2026 \"x\""), "UA53_2026__x_");
    }
}
