//! One organisation's page: its details, the bodies it belongs to and, for
//! those who may see them, its members.

use crate::context::SignedIn;
use crate::error::AppResult;
use crate::extract::Path;
use crate::handlers::{kind_name, role_names};
use crate::state::AppState;
use crate::views::{Chrome, render};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use domain::policy::Placement;
use serde::Deserialize;

pub struct MemberRow {
    pub id: i64,
    pub name: String,
    pub login: String,
    pub roles: String,
    pub disabled: bool,
}

#[derive(Template)]
#[template(path = "org_detail.html")]
struct OrgPage {
    c: Chrome,
    org: store::organisations::Organisation,
    kind: String,
    territory: String,
    bodies: Vec<(String, String)>,
    members: Option<Vec<MemberRow>>,
    may_edit: bool,
    may_add_user: bool,
    flash: String,
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: String,
}

pub async fn show_organisation(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Query(dq): Query<DoneQuery>,
) -> AppResult {
    let c = Chrome::new(&state, &s.ctx);
    let tr = c.tr.clone();
    let v = store::organisations::view_organisation(&state.db, &s.ctx.store_ctx(), id).await?;
    let path = v.org.path()?;
    let may_add_user = s.user.actor.may_manage_user(
        None,
        &Placement {
            org_id: v.org.id,
            territory: &path,
        },
    );
    let members = v.members.map(|ms| {
        ms.into_iter()
            .map(|(u, r)| MemberRow {
                id: u.id,
                name: u.full_name,
                login: u.login,
                roles: role_names(&tr, &r),
                disabled: u.disabled.0,
            })
            .collect()
    });
    let bodies = v
        .bodies
        .into_iter()
        .map(|b| (b.name, tr.t(&format!("body-kind-{}", b.kind))))
        .collect();
    let flash = match dq.done.as_str() {
        "created" => tr.t("flash-org-created"),
        "saved" => tr.t("flash-saved"),
        _ => String::new(),
    };
    Ok(render(
        StatusCode::OK,
        &OrgPage {
            kind: kind_name(&tr, v.org.kind.as_str()),
            territory: v.org.territory_name(tr.code()).to_string(),
            org: v.org,
            bodies,
            members,
            may_edit: v.may_edit,
            may_add_user,
            flash,
            c,
        },
    ))
}
