//! The home page: my organisation, who is in it, what is waiting for me.

use super::{kind_name, role_name, role_names};
use crate::context::SignedIn;
use crate::error::AppResult;
use crate::state::AppState;
use crate::views::{Chrome, render};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use domain::role::{Permission, Role};
use store::organisations::Organisation;

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home))
}

pub struct Waiting {
    pub href: String,
    pub text: String,
}

pub struct Member {
    pub name: String,
    pub roles: String,
    pub disabled: bool,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    full_name: String,
    roles: Vec<(String, String)>,
    org: Organisation,
    org_kind: String,
    org_territory: String,
    members: Vec<Member>,
    waiting: Vec<Waiting>,
    /// The case officer's most urgent procedure steps (empty for other roles).
    deadlines: Vec<super::procedures::DeadlineItem>,
    can: Vec<String>,
}

/// How many procedure steps the home page lists before pointing to /deadlines.
const HOME_DEADLINES: i64 = 5;

/// After this many days without a verification of the audit log's seal, the auditor is reminded.
const SEAL_STALE_DAYS: i64 = 30;

pub async fn home(State(state): State<AppState>, s: SignedIn) -> AppResult {
    let c = Chrome::new(&state, &s.ctx);
    let tr = c.tr.clone();
    let actor = &s.user.actor;
    let store_ctx = s.ctx.store_ctx();
    let view = store::organisations::view_organisation(&state.db, &store_ctx, actor.org_id).await?;
    let members = view
        .members
        .unwrap_or_default()
        .into_iter()
        .map(|(u, r)| Member {
            name: u.full_name,
            roles: role_names(&tr, &r),
            disabled: u.disabled.0,
        })
        .collect();

    let mut waiting = Vec::new();
    if s.user.must_change_password {
        waiting.push(Waiting {
            href: "/account".into(),
            text: tr.t("waiting-change-password"),
        });
    }
    if actor.has(Permission::ManageUsers) {
        let (no_roles, disabled) = store::users::user_counts(&state.db, &s.ctx.store_ctx()).await?;
        if no_roles > 0 {
            waiting.push(Waiting {
                href: "/organisations".into(),
                text: tr.tn("waiting-users-no-roles", "count", no_roles),
            });
        }
        if disabled > 0 {
            waiting.push(Waiting {
                href: "/organisations".into(),
                text: tr.tn("waiting-users-disabled", "count", disabled),
            });
        }
    }
    if actor.has(Permission::SubmitReports) {
        // In-app reminders: before the deadline (due soon), after it (overdue), and returned reports.
        let lines = super::reports::my_lines(&state, &s, &tr).await?;
        let count =
            |pred: &dyn Fn(&super::reports::MyLine) -> bool| lines.iter().filter(|l| pred(l)).count() as i64;
        let overdue = count(&|l| l.urgency == "overdue");
        let returned = count(&|l| l.state_code == "returned" && l.urgency != "overdue");
        let soon = count(&|l| l.urgency == "due-soon" && l.state_code != "returned");
        for (n, key) in [
            (overdue, "waiting-reports-overdue"),
            (returned, "waiting-reports-returned"),
            (soon, "waiting-reports-due-soon"),
        ] {
            if n > 0 {
                waiting.push(Waiting {
                    href: "/my-reports".into(),
                    text: tr.tn(key, "count", n),
                });
            }
        }
    }
    if actor.has(Permission::ReviewReports) {
        let queues = store::plans::review_queues(&state.db, &store_ctx).await?;
        for (period_id, year, half, n) in queues {
            waiting.push(Waiting {
                href: format!("/periods/{period_id}"),
                text: format!(
                    "{}: {}",
                    super::half_year_label(&tr, year, half),
                    tr.tn("waiting-review-queue", "count", n)
                ),
            });
        }
    }
    if actor.has(Permission::ReadCaseContent) || actor.has(Permission::ViewReferredCases) {
        let (notices, referrals) = store::cases::waiting_counts(&state.db, &store_ctx).await?;
        if notices > 0 {
            waiting.push(Waiting {
                href: "/notices".into(),
                text: tr.tn("waiting-notices", "count", notices),
            });
        }
        if referrals > 0 {
            waiting.push(Waiting {
                href: "/referrals".into(),
                text: tr.tn("waiting-referrals", "count", referrals),
            });
        }
    }
    if actor.has(Permission::ReadCaseContent) {
        // The unit's assistance list: needs with nothing planned, late services, stays near their end.
        if let Some((needs, services, stays)) = store::assistance::home_counts(&state.db, &store_ctx).await? {
            for (n, key) in [
                (needs, "waiting-needs"),
                (services, "waiting-services"),
                (stays, "waiting-stays"),
            ] {
                if n > 0 {
                    waiting.push(Waiting {
                        href: "/assistance".into(),
                        text: tr.tn(key, "count", n),
                    });
                }
            }
        }
        let payments = store::payments::pending_count(&state.db, &store_ctx).await?;
        if payments > 0 {
            waiting.push(Waiting {
                href: "/assistance#payments-h".into(),
                text: tr.tn("waiting-payments", "count", payments),
            });
        }
    }
    if actor.has(Permission::ReadAuditLog) {
        let store::audit::SecurityCounts {
            denied,
            failed,
            locked,
        } = store::audit::security_counts(&state.db, &s.ctx.store_ctx()).await?;
        if denied > 0 {
            waiting.push(Waiting {
                href: "/audit?action=permission_denied".into(),
                text: tr.tn("waiting-denials", "count", denied),
            });
        }
        if failed > 0 {
            waiting.push(Waiting {
                href: "/audit?action=sign_in_failed".into(),
                text: tr.tn("waiting-failed-sign-ins", "count", failed),
            });
        }
        if locked > 0 {
            waiting.push(Waiting {
                href: "/audit?action=sign_in_locked".into(),
                text: tr.tn("waiting-locked", "count", locked),
            });
        }
        // The seal: never verified, broken at the last verification, or not verified for a month.
        let seal = match store::audit::chain::last_verification(&state.db).await? {
            None => Some(tr.t("waiting-seal-never")),
            Some((_, problems)) if problems > 0 => Some(tr.tn("waiting-seal-broken", "count", problems)),
            Some((at, _)) if s.ctx.now - at > SEAL_STALE_DAYS * 24 * 3600 => {
                Some(tr.tn("waiting-seal-stale", "days", (s.ctx.now - at) / (24 * 3600)))
            }
            Some(_) => None,
        };
        if let Some(text) = seal {
            waiting.push(Waiting {
                href: "/audit/chain".into(),
                text,
            });
        }
    }

    let mut deadlines = Vec::new();
    if actor.has(Permission::RunStatusProcedure) {
        // The unit's open procedures, most urgent first; the full list is /deadlines.
        deadlines = super::procedures::home_deadlines(&state, &s, &tr, HOME_DEADLINES)
            .await?
            .0;
    }

    let roles: Vec<(String, String)> = actor
        .roles
        .iter()
        .map(|r| (r.as_str().to_string(), role_name(&tr, r)))
        .collect();
    let can = actor
        .roles
        .iter()
        .map(|r: Role| tr.t(&format!("role-{}-can", r.as_str())))
        .collect();
    let org_kind = kind_name(&tr, view.org.kind.as_str());
    let org_territory = view.org.territory_name(tr.code()).to_string();
    Ok(render(
        StatusCode::OK,
        &HomePage {
            full_name: s.user.full_name.clone(),
            roles,
            org: view.org,
            org_kind,
            org_territory,
            members,
            waiting,
            deadlines,
            can,
            c,
        },
    ))
}
