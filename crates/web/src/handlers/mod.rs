//! Handlers, named after what a person does, in one module per resource (a
//! folder where it is big). Each module has its route table, `routes()`;
//! [`routes`] merges them into the pages, which `crate::app` puts behind the
//! context middleware. `ops::routes()` (health, metrics, static files) is
//! merged outside it.
//!
//! | module | URLs |
//! |---|---|
//! | `home` | `/` |
//! | `auth` | `/sign-in`, `/sign-out`, `/lang`, `/account/sign-out-everywhere` |
//! | `account` | `/account`, `/account/password` |
//! | `organisations/` | `/organisations…` |
//! | `bodies` | `/bodies…` |
//! | `users` | `/users…` |
//! | `audit` | `/audit`, `/audit.xlsx`, `/audit/chain` |
//! | `plans/` | `/plans…`, but for `/plans/{id}/periods` |
//! | `reports/` | `/plans/{id}/periods`, `/periods…`, `/my-reports`, `/reports…` |
//! | `cases/` | `/notices…`, `/cases…`, but for the two below |
//! | `referrals/` | `/cases/{id}/referrals/new`, `/referrals…` |
//! | `procedures/` | `/cases/{id}/application…`, `/procedures…`, `/journal…`, `/deadlines` |
//! | `assistance/` | `/cases/{id}/assistance`, `/cases/{id}/assessment…`, `/cases/{id}/services…`, `/cases/{id}/stays…`, `/services…`, `/stays…`, `/assistance` |
//! | `payments/` | `/cases/{id}/payment…`, `/payments…`, `/settings/payment-rates…` |
//! | `settings/` | `/settings…`, but for the payment rates |
//! | `ops` | `/healthz`, `/metrics`, `/static/{name}` |
//! | `public/` | `/help`, `/help/job-check`, `/help/directory` (no sign-in; outside the context middleware, cookies removed, `Principal::Public`) |
//!
//! Each handler extracts who is asking, calls the store's permission-checked
//! operations (the public functions of `store::<aggregate>`: `organisations`,
//! `users`, `auth`, `plans`, `cases`, `procedures`, `settings`, `bodies`,
//! `audit`; the check, the change and its audit row happen there) or reads
//! reference data (`store::lookups`), and renders
//! the answer; errors travel as `crate::error::AppError`. The web crate
//! cannot reach the raw pool or act as the system (ADR 0010).
//!
//! What several resources share is here: the names of organisation kinds
//! and roles, the territory select, the half-year label, [`safe_back`], and
//! the presentation helpers of the case work (`cases` and `referrals`).

pub mod account;
pub mod assistance;
pub mod audit;
pub mod auth;
pub mod bodies;
pub mod cases;
pub mod home;
pub mod ops;
pub mod organisations;
pub mod payments;
pub mod plans;
pub mod procedures;
pub mod public;
pub mod referrals;
pub mod reports;
pub mod settings;
pub mod users;

use crate::i18n::Tr;
use crate::state::AppState;
use axum::Router;
use domain::DomainError;
use domain::case::SharedField;
use domain::organisation::OrgKind;
use domain::role::{Role, RoleSet};
use domain::territory::TerritoryPath;
use serde::Deserialize;
use store::cases::ExploitationForm;

/// Every page's routes (not `ops`): each resource's route table, merged.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(home::routes())
        .merge(auth::routes())
        .merge(account::routes())
        .merge(organisations::routes())
        .merge(bodies::routes())
        .merge(users::routes())
        .merge(audit::routes())
        .merge(plans::routes())
        .merge(reports::routes())
        .merge(cases::routes())
        .merge(referrals::routes())
        .merge(procedures::routes())
        .merge(assistance::routes())
        .merge(payments::routes())
        .merge(settings::routes())
}

/// A refusal for a page the actor may not open (audited), as its page.
pub(crate) async fn refuse_page(
    state: &AppState,
    s: &crate::context::SignedIn,
    page: &str,
) -> crate::error::AppError {
    store::access::deny_page(&state.db, &s.ctx.store_ctx(), page)
        .await
        .into()
}

/// `(code, translated name)` for every organisation kind, sorted by name.
pub fn kind_options(tr: &Tr) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = OrgKind::ALL
        .iter()
        .map(|k| (k.as_str().to_string(), tr.t(&format!("org-kind-{}", k.as_str()))))
        .collect();
    v.sort_by(|a, b| a.1.cmp(&b.1));
    v
}

pub fn kind_name(tr: &Tr, kind: &str) -> String {
    tr.t(&format!("org-kind-{kind}"))
}

pub fn role_name(tr: &Tr, role: Role) -> String {
    tr.t(&format!("role-{}", role.as_str()))
}

pub fn role_names(tr: &Tr, roles: &RoleSet) -> String {
    roles
        .iter()
        .map(|r| role_name(tr, r))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A page of this site to return to: a single-slash path (with its query and
/// fragment) of the characters a browser sends in an address, or else the home
/// page. A tab, a space, a backslash or a second slash would let a browser read
/// the rest as another host.
pub fn safe_back(back: &str) -> &str {
    let safe_char = |c: char| c.is_ascii_alphanumeric() || "/?=&-_.~%+,:;#".contains(c);
    let mut chars = back.chars();
    let single_slash = chars.next() == Some('/') && chars.next() != Some('/');
    if single_slash && back.len() <= 2000 && back.chars().all(safe_char) {
        back
    } else {
        "/"
    }
}

/// `(id, indented name)` for the territory selects, optionally only those inside `within`.
pub async fn territory_options(
    state: &AppState,
    tr: &Tr,
    within: Option<&TerritoryPath>,
) -> Result<Vec<(String, String)>, DomainError> {
    let all = state.territories().await?;
    Ok(all
        .iter()
        .filter(|t| within.is_none_or(|w| t.path().is_ok_and(|p| w.contains(&p))))
        .map(|t| {
            let indent = "\u{a0}\u{a0}".repeat(t.depth());
            (t.id.to_string(), format!("{indent}{}", t.name(tr.code())))
        })
        .collect())
}

/// "І півріччя 2026 року" / "H1 2026".
pub fn half_year_label(tr: &Tr, year: i64, half: i64) -> String {
    let mut args = fluent_bundle::FluentArgs::new();
    args.set("year", year);
    args.set("half", half);
    tr.args("half-year", &args)
}

// ---------------------------------------------------------------- shared by cases and referrals

/// An option of a select, a radio group or a checkbox list.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

fn opts(
    tr: &Tr,
    prefix: &str,
    codes: impl IntoIterator<Item = &'static str>,
    selected: &[String],
) -> Vec<Opt> {
    codes
        .into_iter()
        .map(|code| Opt {
            value: code.to_string(),
            label: tr.t(&format!("{prefix}-{code}")),
            selected: selected.iter().any(|s| s == code),
        })
        .collect()
}

fn one(v: &str) -> Vec<String> {
    vec![v.trim().to_string()]
}

/// A label and a value of a fact list.
pub struct Fact {
    pub label: String,
    pub value: String,
}

fn fact(tr: &Tr, key: &str, value: impl Into<String>) -> Fact {
    Fact {
        label: tr.t(key),
        value: value.into(),
    }
}

/// `2026-11-20` → `20.11.2026`; anything else as it is.
fn dmy(iso: &str) -> String {
    match domain::plan::parse_date(iso) {
        Some(d) => d.strftime("%d.%m.%Y").to_string(),
        None => iso.to_string(),
    }
}

fn dmy_opt(iso: Option<&str>) -> String {
    iso.map(dmy).unwrap_or_default()
}

fn yes_no(tr: &Tr, b: bool) -> String {
    tr.t(if b { "yes" } else { "no" })
}

fn named(tr: &Tr, prefix: &str, code: &str) -> String {
    tr.t(&format!("{prefix}-{code}"))
}

fn flash_text(tr: &Tr, done: &str) -> String {
    const KNOWN: &[&str] = &[
        "accepted",
        "redirected",
        "saved",
        "person",
        "closed",
        "reopened",
        "referred",
        "document",
        "referral-accepted",
        "referral-declined",
        "referral-answered",
        "referral-closed",
    ];
    if KNOWN.contains(&done) {
        tr.t(&format!("case-flash-{done}"))
    } else {
        String::new()
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

/// The names of the forms of exploitation in the page's language, in list order.
fn form_names(all: &[ExploitationForm], codes: &[String], lang: &str) -> Vec<String> {
    all.iter()
        .filter(|f| codes.contains(&f.code))
        .map(|f| f.name(lang).to_string())
        .collect()
}

fn shared_names(tr: &Tr, fields: &[SharedField]) -> Vec<String> {
    fields
        .iter()
        .map(|f| named(tr, "referral-field", f.as_str()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_back() {
        assert_eq!(safe_back("/organisations?kind=ngo"), "/organisations?kind=ngo");
        assert_eq!(safe_back("//evil.example"), "/");
        assert_eq!(safe_back("https://evil.example"), "/");
        assert_eq!(safe_back("/\\evil"), "/");
        assert_eq!(safe_back("/\t/evil.example"), "/");
        assert_eq!(safe_back("/ /evil.example"), "/");
        assert_eq!(safe_back("/\n/evil.example"), "/");
        assert_eq!(safe_back("/"), "/");
        assert_eq!(safe_back("/cases?state=open&page=2"), "/cases?state=open&page=2");
        assert_eq!(safe_back("/audit?q=%D0%9F"), "/audit?q=%D0%9F");
        assert_eq!(safe_back("/plans/1?done=moved#m-7"), "/plans/1?done=moved#m-7");
    }
}
