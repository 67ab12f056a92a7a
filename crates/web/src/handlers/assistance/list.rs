//! The unit's assistance list: needs with nothing planned, services past
//! their planned date, stays near or past their end, and payments waiting —
//! case references only.

use super::{service_state_name, stay_flag_class, stay_flag_name, urgency_name};
use crate::context::SignedIn;
use crate::error::AppResult;
use crate::handlers::dmy;
use crate::state::AppState;
use crate::views::{Chrome, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;

pub struct NeedLine {
    pub case_id: i64,
    pub reference: String,
    pub need: String,
    pub urgency: String,
    pub urgency_code: &'static str,
    pub assessed_on: String,
}

pub struct ServiceLine {
    pub case_id: i64,
    pub reference: String,
    pub need: String,
    pub provider: String,
    pub planned_to: String,
    pub state: String,
}

pub struct StayLine {
    pub case_id: i64,
    pub reference: String,
    pub institution: String,
    pub end: String,
    pub limit: String,
    pub flag: String,
    pub flag_code: &'static str,
    pub flag_class: &'static str,
}

pub struct PaymentLine {
    pub id: i64,
    pub reference: String,
    pub state: String,
    pub due: String,
    pub overdue: bool,
    pub amount: String,
}

#[derive(Template)]
#[template(path = "assistance_list.html")]
struct ListPage {
    c: Chrome,
    needs: Vec<NeedLine>,
    services: Vec<ServiceLine>,
    stays: Vec<StayLine>,
    payments: Vec<PaymentLine>,
    runs_payments: bool,
    /// How many of each there are (up to `COUNT_CAP`): needs, services, stays, payments.
    totals: [String; 4],
    /// What a section says when it shows fewer lines than there are.
    more: [String; 4],
}

pub async fn show_list(State(state): State<AppState>, s: SignedIn) -> AppResult {
    let ctx = s.ctx.store_ctx();
    let l = store::assistance::unit_list(&state.db, &ctx).await?;
    let pending = store::payments::pending(&state.db, &ctx).await?;
    let pending_total = store::payments::pending_count(&state.db, &ctx).await?;
    let c = Chrome::new(&state, &s.ctx);
    let tr = c.tr.clone();
    let lang = tr.code();
    let today = store::dates::kyiv_date(ctx.now).to_string();
    let cap = store::assistance::COUNT_CAP;
    let shown = [l.needs.len(), l.services.len(), l.stays.len(), pending.len()];
    let all = [l.counts.0, l.counts.1, l.counts.2, pending_total];
    let total_text = |n: i64| {
        if n >= cap {
            format!("{cap}+")
        } else {
            n.to_string()
        }
    };
    let totals = all.map(total_text);
    let mut more: [String; 4] = Default::default();
    for i in 0..4 {
        if (shown[i] as i64) < all[i] {
            let mut a = fluent_bundle::FluentArgs::new();
            a.set("shown", shown[i] as i64);
            a.set("all", total_text(all[i]));
            more[i] = tr.args("assistance-list-more", &a);
        }
    }
    let page = ListPage {
        totals,
        more,
        needs: l
            .needs
            .iter()
            .map(|n| NeedLine {
                case_id: n.case_id,
                reference: n.reference.clone(),
                need: n.name(lang).to_string(),
                urgency: urgency_name(&tr, n.urgency),
                urgency_code: n.urgency.as_str(),
                assessed_on: dmy(&n.assessed_on),
            })
            .collect(),
        services: l
            .services
            .iter()
            .map(|sv| ServiceLine {
                case_id: sv.case_id,
                reference: sv.reference.clone(),
                need: sv.need(lang).to_string(),
                provider: sv.provider_name.clone(),
                planned_to: dmy(&sv.planned_to),
                state: service_state_name(&tr, sv.state),
            })
            .collect(),
        stays: l
            .stays
            .iter()
            .filter_map(|st| {
                let f = st.flag?;
                Some(StayLine {
                    case_id: st.case_id,
                    reference: st.reference.clone(),
                    institution: st.institution_name.clone(),
                    end: dmy(&st.current_end_on),
                    limit: dmy(&st.limit_on),
                    flag: stay_flag_name(&tr, f),
                    flag_code: f.as_str(),
                    flag_class: stay_flag_class(f),
                })
            })
            .collect(),
        payments: pending
            .iter()
            .map(|p| PaymentLine {
                id: p.id,
                reference: p.reference.clone(),
                state: tr.t(&format!("payment-state-{}", p.state.as_str())),
                due: dmy(&p.due_on),
                overdue: p.due_on < today,
                amount: p.amount().uk(),
            })
            .collect(),
        runs_payments: store::payments::may_record_any(&ctx),
        c,
    };
    Ok(render(StatusCode::OK, &page))
}
