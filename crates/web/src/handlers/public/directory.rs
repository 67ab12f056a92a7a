//! `/help/directory`: where to turn, by territory — the organisations their
//! administrators listed for the public, what they offer and how to reach
//! them (`store::organisations::public_directory`, as `Principal::Public`).

use super::{PublicChrome, Visitor, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use store::organisations::PublicHelp;
use store::reference::Hotline;

#[derive(Deserialize, Default)]
pub struct DirectoryQuery {
    #[serde(default)]
    t: String,
}

/// The organisations of one territory, as the page groups them.
struct Group {
    territory: String,
    entries: Vec<Entry>,
}

struct Entry {
    name: String,
    kind: String,
    offer: String,
    phone: Option<String>,
    dial: Option<String>,
    email: Option<String>,
    address: Option<String>,
}

#[derive(Template)]
#[template(path = "public_directory.html")]
struct DirectoryPage {
    c: PublicChrome,
    territories: Vec<(String, String)>,
    chosen: String,
    groups: Vec<Group>,
    count: i64,
    capped: bool,
    hotlines: &'static [Hotline],
}

pub async fn page(
    State(state): State<AppState>,
    v: Visitor,
    q: Result<Query<DirectoryQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let c = PublicChrome::new(&state, &v);
    let q = q.map(|q| q.0).unwrap_or_default();
    let lang = c.tr.code();
    let Ok(all) = state.territories().await else {
        return super::message(
            &c.tr,
            StatusCode::SERVICE_UNAVAILABLE,
            "pub-unavailable-title",
            "pub-unavailable-body",
        );
    };
    // An id we do not know (or not a number) is the whole directory, not an error.
    let within =
        q.t.trim()
            .parse::<i64>()
            .ok()
            .filter(|id| all.iter().any(|t| t.id == *id));
    let listed = match store::organisations::public_directory(&state.db, &v.store_ctx, within).await {
        Ok(l) => l,
        Err(_) => {
            return super::message(
                &c.tr,
                StatusCode::SERVICE_UNAVAILABLE,
                "pub-unavailable-title",
                "pub-unavailable-body",
            );
        }
    };
    let territories = all
        .iter()
        .filter(|t| t.depth() <= 2)
        .map(|t| {
            (
                t.id.to_string(),
                format!("{}{}", "\u{a0}\u{a0}".repeat(t.depth()), t.name(lang)),
            )
        })
        .collect();
    let count = listed.len() as i64;
    let capped = count >= store::organisations::PUBLIC_DIRECTORY_LIMIT;
    let mut groups: Vec<Group> = Vec::new();
    for o in listed {
        let entry = entry(&c, &o);
        let territory = o.territory_name(lang).to_string();
        match groups.last_mut() {
            Some(g) if g.territory == territory => g.entries.push(entry),
            _ => groups.push(Group {
                territory,
                entries: vec![entry],
            }),
        }
    }
    render(
        StatusCode::OK,
        &DirectoryPage {
            c,
            territories,
            chosen: within.map(|w| w.to_string()).unwrap_or_default(),
            groups,
            count,
            capped,
            hotlines: store::reference::hotlines(),
        },
    )
}

fn entry(c: &PublicChrome, o: &PublicHelp) -> Entry {
    Entry {
        name: o.name.clone(),
        kind: crate::handlers::kind_name(&c.tr, o.kind.as_str()),
        offer: o.public_offer.clone().unwrap_or_default(),
        dial: o
            .phone
            .as_ref()
            .map(|p| p.chars().filter(|ch| ch.is_ascii_digit() || *ch == '+').collect()),
        phone: o.phone.clone(),
        email: o.email.clone(),
        address: o.address.clone(),
    }
}
