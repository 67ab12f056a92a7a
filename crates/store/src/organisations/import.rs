//! Importing organisations from CSV (UTF-8, comma-separated, header row).
//!
//! All or nothing: every row is read and checked first; if any row has a
//! problem, nothing is written and every problem is reported with its line
//! number. Organisations already present (same name) are updated, so running
//! an import twice creates nothing new.

use crate::error::OrInternal;
use crate::reference::territories;
use crate::{Ctx, Db, audit, organisations};
use domain::DomainError;
use domain::audit::{AuditAction, SubjectKind};
use domain::organisation::{OrganisationForm, sort_key};
use domain::role::Permission;
use serde_json::json;
use std::collections::{HashMap, HashSet};

/// Largest file accepted.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;

/// One problem in the file: line number (the header is line 1), column, i18n message id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub line: usize,
    pub column: String,
    pub message_id: &'static str,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

#[derive(Debug)]
pub enum ImportError {
    /// The file as a whole cannot be read (not CSV, no header, empty, too big).
    File(&'static str),
    /// Some rows are wrong; nothing was written.
    Rows(Vec<RowProblem>),
    Domain(DomainError),
}

impl From<DomainError> for ImportError {
    fn from(e: DomainError) -> Self {
        ImportError::Domain(e)
    }
}

const KNOWN: &[&str] = &[
    "name",
    "name_uk",
    "short_name",
    "kind",
    "territory",
    "edrpou",
    "by_consent",
    "email",
    "phone",
    "address",
];

fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "" | "false" | "0" | "ні" | "no" => Some(false),
        "true" | "1" | "так" | "yes" | "за згодою" => Some(true),
        _ => None,
    }
}

/// Which of the optional contact columns the file has.
struct Columns {
    email: bool,
    phone: bool,
    address: bool,
}

struct Parsed {
    line: usize,
    input: domain::organisation::OrganisationInput,
    territory_path: domain::territory::TerritoryPath,
}

/// Imports `bytes`. Rows without a `territory` column value use `default_territory`
/// (a KATOTTG code or a territory name).
pub async fn import(
    db: &Db,
    ctx: &Ctx,
    bytes: &[u8],
    default_territory: Option<&str>,
) -> Result<ImportSummary, ImportError> {
    if !crate::access::allowed(ctx, |a| a.has(Permission::ManageOrganisations)) {
        return Err(ImportError::Domain(
            crate::access::deny_page(db, ctx, "organisations_import").await,
        ));
    }
    if bytes.is_empty() {
        return Err(ImportError::File("err-import-empty"));
    }
    if bytes.len() > MAX_BYTES {
        return Err(ImportError::File("err-import-too-big"));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| ImportError::File("err-import-not-utf8"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|_| ImportError::File("err-import-not-csv"))?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let name_col = col("name").or_else(|| col("name_uk"));
    let mut problems = Vec::new();
    if name_col.is_none() || col("kind").is_none() {
        return Err(ImportError::File("err-import-columns"));
    }
    for h in &headers {
        if !KNOWN.contains(&h.as_str()) {
            problems.push(RowProblem {
                line: 1,
                column: h.clone(),
                message_id: "err-import-unknown-column",
            });
        }
    }
    let default_territory = match default_territory {
        Some(t) => Some(
            territories::find(db.pool(), t)
                .await?
                .ok_or(ImportError::File("err-import-default-territory"))?,
        ),
        None => None,
    };
    let columns = Columns {
        email: col("email").is_some(),
        phone: col("phone").is_some(),
        address: col("address").is_some(),
    };
    let mut parsed = Vec::new();
    let mut seen = HashSet::new();
    let mut known: HashMap<String, Option<territories::Territory>> = HashMap::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(_) => {
                problems.push(RowProblem {
                    line,
                    column: String::new(),
                    message_id: "err-import-row-shape",
                });
                continue;
            }
        };
        let get = |c: Option<usize>| c.and_then(|c| record.get(c)).unwrap_or("").trim().to_string();
        let by_consent_raw = get(col("by_consent"));
        let by_consent = parse_bool(&by_consent_raw).unwrap_or_else(|| {
            problems.push(RowProblem {
                line,
                column: "by_consent".into(),
                message_id: "err-import-bool",
            });
            false
        });
        let territory_raw = get(col("territory"));
        let territory = if territory_raw.is_empty() {
            default_territory.clone()
        } else {
            // Files name a handful of territories over and over: look each up once.
            match known.get(&territory_raw) {
                Some(t) => t.clone(),
                None => {
                    let t = territories::find(db.pool(), &territory_raw).await?;
                    known.insert(territory_raw.clone(), t.clone());
                    t
                }
            }
        };
        let territory_id = territory.as_ref().map(|t| t.id.to_string()).unwrap_or_default();
        let territory_path = territory.map(|t| t.path()).transpose()?;
        let form = OrganisationForm {
            name: get(name_col),
            short_name: get(col("short_name")),
            kind: get(col("kind")),
            territory_id,
            edrpou: get(col("edrpou")),
            by_consent,
            email: get(col("email")),
            phone: get(col("phone")),
            address: get(col("address")),
            ..Default::default()
        };
        let input = form.validate();
        if let Err(errors) = &input {
            for (field, m) in errors.iter() {
                let column = if field == "territory_id" {
                    "territory"
                } else {
                    field
                };
                problems.push(RowProblem {
                    line,
                    column: column.into(),
                    message_id: m,
                });
            }
        }
        if !form.name.trim().is_empty() && !seen.insert(sort_key(&form.name)) {
            problems.push(RowProblem {
                line,
                column: "name".into(),
                message_id: "err-import-duplicate",
            });
        }
        if let Some(a) = ctx.actor()
            && let Some(p) = &territory_path
            && !a.may_create_organisation_in(p)
        {
            problems.push(RowProblem {
                line,
                column: "territory".into(),
                message_id: "err-invalid-choice",
            });
        }
        if let (Ok(input), Some(territory_path)) = (input, territory_path) {
            parsed.push(Parsed {
                line,
                input,
                territory_path,
            });
        }
    }
    if parsed.is_empty() && problems.is_empty() {
        return Err(ImportError::File("err-import-empty"));
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.line);
        return Err(ImportError::Rows(problems));
    }

    let mut summary = ImportSummary::default();
    let mut tx = db.begin().await.or_internal()?;
    for p in &parsed {
        let input = &p.input;
        let existing = organisations::find_by_name(&mut *tx, &input.name).await?;
        let result = match existing {
            None => {
                let id = organisations::insert(&mut tx, input, &p.territory_path, ctx.now).await;
                id.map(|id| {
                    summary.created += 1;
                    Some(id)
                })
            }
            Some(o) => {
                // What the file does not carry stays as it is: the public
                // listing (kept on the form only), and the contacts when the
                // file has no column for them.
                let mut kept = input.clone();
                kept.public_listing = o.public_listing.0;
                kept.public_offer = o.public_offer.clone();
                if !columns.email {
                    kept.email = o.email.clone();
                }
                if !columns.phone {
                    kept.phone = o.phone.clone();
                }
                if !columns.address {
                    kept.address = o.address.clone();
                }
                let input = &kept;
                let same = o.short_name == input.short_name
                    && o.kind == input.kind
                    && o.territory_id == input.territory_id
                    && o.edrpou == input.edrpou.as_ref().map(|e| e.to_string())
                    && o.by_consent.0 == input.by_consent
                    && o.email == input.email
                    && o.phone == input.phone
                    && o.address == input.address;
                if same {
                    summary.unchanged += 1;
                    Ok(None)
                } else {
                    organisations::update(&mut tx, o.id, o.version, input, &p.territory_path, ctx.now)
                        .await
                        .map(|()| {
                            summary.updated += 1;
                            None
                        })
                }
            }
        };
        match result {
            Ok(Some(id)) => {
                audit::record(
                    &mut *tx,
                    ctx,
                    AuditAction::OrganisationCreated,
                    Some((SubjectKind::Organisation, id.to_string())),
                    json!({ "import_line": p.line }),
                )
                .await?;
            }
            Ok(None) => {}
            Err(DomainError::Validation(errors)) => {
                // A value taken by an organisation outside the file (e.g. an EDRPOU): report it, write nothing.
                let problems = errors
                    .iter()
                    .map(|(field, m)| RowProblem {
                        line: p.line,
                        column: field.into(),
                        message_id: m,
                    })
                    .collect();
                return Err(ImportError::Rows(problems));
            }
            Err(e) => return Err(e.into()),
        }
    }
    audit::record(
        &mut *tx,
        ctx,
        AuditAction::OrganisationsImported,
        None,
        json!({ "created": summary.created, "updated": summary.updated, "unchanged": summary.unchanged }),
    )
    .await?;
    tx.commit().await.or_internal()?;
    Ok(summary)
}
