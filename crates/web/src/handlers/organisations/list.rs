//! The list of organisations: filtered by text, kind and territory, paged
//! by name; htmx asks for the rows only when a filter changes.

use crate::context::SignedIn;
use crate::error::AppResult;
use crate::handlers::{kind_name, kind_options, territory_options};
use crate::state::AppState;
use crate::views::{Chrome, render};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use domain::role::Permission;
use serde::Deserialize;
use store::organisations::OrgFilter;

pub const PAGE_SIZE: i64 = 50;

pub struct OrgRow {
    pub id: i64,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: String,
    pub territory: String,
    pub edrpou: String,
    pub by_consent: bool,
}

#[derive(Template)]
#[template(path = "orgs_list.html")]
struct OrgsPage {
    c: Chrome,
    may_create: bool,
    flash: String,
    q: String,
    kind: String,
    territory: String,
    kinds: Vec<(String, String)>,
    territories: Vec<(String, String)>,
    rows: Vec<OrgRow>,
    first_page: bool,
    first_href: String,
    next_href: Option<String>,
}

#[derive(Template)]
#[template(path = "orgs_rows_partial.html")]
struct OrgsRowsPartial {
    c: Chrome,
    rows: Vec<OrgRow>,
    first_page: bool,
    first_href: String,
    next_href: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    territory: String,
    #[serde(default)]
    after: String,
    #[serde(default)]
    done: String,
}

fn href(q: &str, kind: &str, territory: &str, after: Option<&str>) -> String {
    let mut parts = Vec::new();
    for (k, v) in [
        ("q", q),
        ("kind", kind),
        ("territory", territory),
        ("after", after.unwrap_or("")),
    ] {
        if !v.is_empty() {
            parts.push(format!("{k}={}", urlencoding::encode(v)));
        }
    }
    if parts.is_empty() {
        "/organisations".into()
    } else {
        format!("/organisations?{}", parts.join("&"))
    }
}

pub async fn list_organisations(
    State(state): State<AppState>,
    s: SignedIn,
    Query(q): Query<ListQuery>,
) -> AppResult {
    let c = Chrome::new(&state, &s.ctx);
    let tr = c.tr.clone();
    let within = match q.territory.parse::<i64>() {
        Ok(id) => store::lookups::territory(&state.db, id)
            .await?
            .map(|t| t.path())
            .transpose()?,
        Err(_) => None,
    };
    let kind = domain::organisation::OrgKind::parse(&q.kind).map(|k| k.as_str().to_string());
    let filter = OrgFilter {
        kind: kind.clone(),
        within,
        text: Some(q.q.trim().to_string()).filter(|t| !t.is_empty()),
        after_key: Some(q.after.clone()).filter(|a| !a.is_empty()),
    };
    let (list, more) =
        store::organisations::list_organisations(&state.db, &s.ctx.store_ctx(), &filter, PAGE_SIZE).await?;
    let next_href = if more {
        list.last()
            .map(|o| href(&q.q, &q.kind, &q.territory, Some(&o.name_key)))
    } else {
        None
    };
    let rows: Vec<OrgRow> = list
        .into_iter()
        .map(|o| OrgRow {
            kind: kind_name(&tr, o.kind.as_str()),
            territory: o.territory_name(tr.code()).to_string(),
            edrpou: o.edrpou.clone().unwrap_or_default(),
            id: o.id,
            name: o.name,
            short_name: o.short_name,
            by_consent: o.by_consent.0,
        })
        .collect();
    let first_page = q.after.is_empty();
    let first_href = href(&q.q, &q.kind, &q.territory, None);
    // htmx asks for the results only when a filter changes.
    if s.ctx.htmx && s.ctx.path == "/organisations" {
        return Ok(render(
            StatusCode::OK,
            &OrgsRowsPartial {
                c,
                rows,
                first_page,
                first_href,
                next_href,
            },
        ));
    }
    let territories = territory_options(&state, &tr, None).await?;
    let flash = match q.done.as_str() {
        "imported" => tr.t("flash-imported"),
        _ => String::new(),
    };
    Ok(render(
        StatusCode::OK,
        &OrgsPage {
            may_create: s.user.actor.has(Permission::ManageOrganisations),
            flash,
            q: q.q,
            kind: kind.unwrap_or_default(),
            territory: q.territory,
            kinds: kind_options(&tr),
            territories,
            rows,
            first_page,
            first_href,
            next_href,
            c,
        },
    ))
}
