//! The case page: the facts, the person, referrals, documents, history and
//! procedures of one case; closing and reopening it.

use crate::context::SignedIn;
use crate::error::{AppError, AppResult};
use crate::extract::Path;
use crate::form::see_other;
use crate::handlers::{
    DoneQuery, Fact, dmy, dmy_opt, fact, flash_text, form_names, named, shared_names, yes_no,
};
use crate::i18n::Tr;
use crate::state::AppState;
use crate::views::{Chrome, Errors, datetime, render};
use askama::Template;
use axum::extract::{Query, State};
use domain::case::CaseState;
use domain::{DomainError, FieldErrors};
use store::cases;

pub struct ReferralLine {
    pub id: i64,
    pub to: String,
    pub purpose: String,
    pub fields: String,
    pub state: String,
    pub state_code: String,
    pub due: String,
    pub sent: String,
    pub outcome: String,
}

pub struct EventLine {
    pub at: String,
    pub what: String,
    pub who: String,
    pub note: String,
}

pub struct DocLine {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub size: String,
    pub at: String,
    pub by: String,
}

pub struct ProcLine {
    pub id: i64,
    pub number: String,
    pub registered_on: String,
    pub state: String,
    pub next: String,
}

#[derive(Template)]
#[template(path = "case_detail.html")]
struct CasePage {
    c: Chrome,
    flash: String,
    id: i64,
    reference: String,
    state: String,
    state_code: String,
    is_notice: bool,
    is_open: bool,
    is_closed: bool,
    facts: Vec<Fact>,
    forms: Vec<String>,
    circumstances: String,
    notes: String,
    person: Option<Vec<Fact>>,
    consent: bool,
    referrals: Vec<ReferralLine>,
    events: Vec<EventLine>,
    documents: Vec<DocLine>,
    procedures: Vec<ProcLine>,
    /// Each current need with whether it is met (`yes`), in work (`work`) or a gap (`gap`).
    needs: Vec<(String, &'static str, String)>,
    /// Open stays with their end and flag, and the payment's state and amount.
    stays: Vec<String>,
    payments: Vec<(i64, String)>,
    doc_kind: String,
    errors: Errors,
}

const DOCUMENT_FIELDS: &[&str] = &["kind", "file"];

fn referral_outcome(tr: &Tr, r: &cases::ReferralRow) -> String {
    let mut parts = Vec::new();
    if let Some(reason) = &r.decline_reason {
        parts.push(format!("{}: {reason}", tr.t("referral-decline-reason")));
    }
    if let Some(found) = r.proceedings_found {
        let mut s = format!(
            "{}: {}",
            tr.t("referral-proceedings-found"),
            yes_no(tr, found != 0)
        );
        if let Some(p) = &r.proceedings_ref {
            s.push_str(&format!(" ({p})"));
        }
        parts.push(s);
    }
    if let Some(a) = &r.answer {
        parts.push(format!("{}: {a}", tr.t("referral-answer")));
    }
    parts.join(" · ")
}

fn person_facts(tr: &Tr, p: &cases::PersonRow) -> Vec<Fact> {
    let mut v = vec![fact(tr, "person-name", p.full_name())];
    let mut add = |key: &str, value: &Option<String>| {
        if let Some(x) = value.as_deref().filter(|x| !x.is_empty()) {
            v.push(fact(tr, key, x));
        }
    };
    add("person-birth-date", &p.birth_date.as_deref().map(dmy));
    add("person-document", &p.document);
    add("person-phone", &p.phone);
    add("person-email", &p.email);
    add("person-address", &p.address);
    v
}

pub(super) async fn case_page(
    state: &AppState,
    s: &SignedIn,
    id: i64,
    flash: &str,
    errors: FieldErrors,
    doc_kind: String,
) -> AppResult {
    let v = cases::case_view(&state.db, &s.ctx.store_ctx(), id).await?;
    let all_forms = store::lookups::exploitation_forms(&state.db).await?;
    let c = Chrome::new(state, &s.ctx);
    let tr = c.tr.clone();
    let lang = tr.code();
    let k = &v.case;
    let cstate = k.state();
    let mut facts = vec![
        fact(&tr, "case-unit", k.unit_name.clone()),
        fact(&tr, "case-territory", k.territory_name(lang)),
        fact(&tr, "case-reported-by", k.reported_by_org_name.clone()),
        fact(&tr, "case-identified-on", dmy(&k.identified_on)),
        fact(
            &tr,
            "case-came-to-attention",
            named(&tr, "case-came", k.came_to_attention.as_str()),
        ),
        fact(&tr, "case-consent", yes_no(&tr, k.consent.0)),
        fact(&tr, "case-child", yes_no(&tr, k.is_child.0)),
        fact(&tr, "case-sex", named(&tr, "case-sex", k.sex.as_str())),
        fact(
            &tr,
            "case-age",
            k.age.map(|a| a.to_string()).unwrap_or_else(|| "—".into()),
        ),
    ];
    let mut opt = |key: &str, value: Option<String>| {
        if let Some(x) = value.filter(|x| !x.is_empty()) {
            facts.push(fact(&tr, key, x));
        }
    };
    opt("case-citizenship", k.citizenship.clone());
    opt(
        "case-language",
        k.language.clone().map(|l| {
            if k.interpreter.0 {
                format!("{l} ({})", tr.t("case-interpreter-needed"))
            } else {
                l
            }
        }),
    );
    opt("case-idp", k.idp.0.then(|| tr.t("yes")));
    opt("case-legal-representative", k.legal_representative.clone());
    opt(
        "case-place",
        k.place_kind.map(|p| named(&tr, "case-place", p.as_str())),
    );
    opt("case-country", k.country.clone());
    let period = match (k.period_from.as_deref(), k.period_to.as_deref()) {
        (None, None) => None,
        (from, to) => Some(format!("{} – {}", dmy_opt(from), dmy_opt(to))),
    };
    opt("case-period", period);
    opt("case-recruitment", k.recruitment.clone());
    opt("case-proceedings-ref", k.proceedings_ref.clone());
    opt("case-opened-at", k.opened_at.map(datetime));
    opt("case-closed-at", k.closed_at.map(datetime));
    let referrals = v
        .referrals
        .iter()
        .map(|r| ReferralLine {
            id: r.id,
            to: r.to_org_name.clone(),
            purpose: named(&tr, "referral-purpose", r.purpose().as_str()),
            fields: shared_names(&tr, &r.shared()).join(", "),
            state: named(&tr, "referral-state", r.state().as_str()),
            state_code: r.state().as_str().to_string(),
            due: dmy_opt(r.due_on.as_deref()),
            sent: datetime(r.created_at),
            outcome: referral_outcome(&tr, r),
        })
        .collect();
    let events = v
        .events
        .iter()
        .map(|e| {
            let mut who = e.user_name.clone().unwrap_or_default();
            if let Some(o) = &e.org_name {
                who = if who.is_empty() {
                    o.clone()
                } else {
                    format!("{who}, {o}")
                };
            }
            let mut what = named(&tr, "case-event", e.kind.as_str());
            if let Some(to) = &e.to_org_name {
                what.push_str(&format!(" → {to}"));
            }
            EventLine {
                at: datetime(e.at),
                what,
                who,
                note: e.note.clone().unwrap_or_default(),
            }
        })
        .collect();
    let documents = v
        .documents
        .iter()
        .map(|d| DocLine {
            id: d.id,
            kind: d.kind.clone(),
            name: d.file_name.clone(),
            size: format!("{:.1} KB", d.size as f64 / 1024.0),
            at: datetime(d.uploaded_at),
            by: d.uploaded_by_name.clone(),
        })
        .collect();
    let procedures = v
        .procedures
        .iter()
        .map(|p| ProcLine {
            id: p.id,
            number: format!("{}/{}", p.journal_no, p.journal_year),
            registered_on: dmy(&p.registered_on),
            state: named(&tr, "proc-state", p.state.as_str()),
            next: match (p.next_step, p.next_due_on.as_deref()) {
                (Some(st), Some(due)) => format!(
                    "{} {} {}",
                    named(&tr, "proc-step", st.as_str()),
                    tr.t("case-due-by"),
                    dmy(due)
                ),
                (Some(st), None) => named(&tr, "proc-step", st.as_str()),
                _ => String::new(),
            },
        })
        .collect();
    let ctx = s.ctx.store_ctx();
    // The assistance summary: for a case the unit works (a notice has none yet).
    let (needs, stays) = if cstate == CaseState::Notice {
        (Vec::new(), Vec::new())
    } else {
        let a = store::assistance::of_case(&state.db, &ctx, id).await?;
        let today = store::dates::kyiv_date(ctx.now);
        let needs = a
            .needs
            .iter()
            .map(|(n, services)| {
                let met = services.iter().any(|x| x.state.meets_need());
                let gap = !services
                    .iter()
                    .any(|x| x.state != domain::assistance::ServiceState::NotAvailable);
                let (code, text) = if met {
                    ("yes", tr.t("need-met"))
                } else if gap {
                    ("gap", tr.t("need-gap"))
                } else {
                    ("work", tr.t("need-in-work"))
                };
                (format!("{} — {}", n.name(lang), text), code, n.need_code.clone())
            })
            .collect();
        let stays = a
            .stays
            .iter()
            .filter(|(st, _)| st.ended_on.is_none())
            .map(|(st, _)| {
                let flag = match (
                    store::dates::parse_date(&st.started_on),
                    store::dates::parse_date(&st.current_end_on),
                ) {
                    (Ok(b), Ok(e)) => domain::assistance::StayFlag::of(b, e, st.extended.0, today),
                    _ => None,
                };
                let mut t = format!(
                    "{} — {} {}",
                    st.institution_name,
                    tr.t("stay-until"),
                    dmy(&st.current_end_on)
                );
                if let Some(f) = flag {
                    t.push_str(&format!(" ({})", tr.t(&format!("stay-flag-{}", f.as_str()))));
                }
                t
            })
            .collect();
        (needs, stays)
    };
    let payments = if cstate != CaseState::Notice && store::payments::may_record(&ctx, k.unit_org_id) {
        store::payments::of_case(&state.db, &ctx, id)
            .await?
            .iter()
            .map(|p| {
                (
                    p.id,
                    format!(
                        "{} — {}",
                        p.amount().uk(),
                        tr.t(&format!("payment-state-{}", p.state.as_str()))
                    ),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let errors = Errors::new(&tr, errors).in_order(DOCUMENT_FIELDS);
    let status = errors.status();
    let page = CasePage {
        needs,
        stays,
        payments,
        flash: flash_text(&tr, flash),
        id: k.id,
        reference: k.reference.clone(),
        state: named(&tr, "case-state", cstate.as_str()),
        state_code: cstate.as_str().to_string(),
        is_notice: cstate == CaseState::Notice,
        is_open: cstate == CaseState::Open,
        is_closed: cstate == CaseState::Closed,
        forms: form_names(&all_forms, &v.forms, lang),
        circumstances: k.circumstances.clone().unwrap_or_default(),
        notes: k.notes.clone().unwrap_or_default(),
        person: v.person.as_ref().map(|p| person_facts(&tr, p)),
        consent: k.consent.0 || k.is_child.0,
        facts,
        referrals,
        events,
        documents,
        procedures,
        doc_kind,
        errors,
        c,
    };
    Ok(render(status, &page))
}

pub async fn show_case(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> AppResult {
    case_page(&state, &s, id, &q.done, FieldErrors::new(), String::new()).await
}

async fn set_closed(state: AppState, s: SignedIn, id: i64, closed: bool) -> AppResult {
    match cases::set_closed(&state.db, &s.ctx.store_ctx(), id, closed).await {
        Ok(()) => Ok(see_other(&format!(
            "/cases/{id}?done={}",
            if closed { "closed" } else { "reopened" }
        ))),
        Err(DomainError::Conflict(_)) => Err(AppError::conflict("case-err-state")),
        Err(e) => Err(e.into()),
    }
}

pub async fn close_case(State(state): State<AppState>, s: SignedIn, Path(id): Path<i64>) -> AppResult {
    set_closed(state, s, id, true).await
}

pub async fn reopen_case(State(state): State<AppState>, s: SignedIn, Path(id): Path<i64>) -> AppResult {
    set_closed(state, s, id, false).await
}
