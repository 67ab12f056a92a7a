//! `/help/job-check`: the red flags of a job offer, and the risk they add
//! up to (`domain::job_check`). The answers come in the body of a POST and
//! are forgotten once the page is rendered: no row, no log line, no URL.

use super::{PublicChrome, Visitor, render};
use crate::state::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use domain::job_check::{RedFlag, Risk};
use store::reference::Hotline;

/// One question of the check, as shown.
struct Question {
    code: &'static str,
    text: String,
    why: String,
    ticked: bool,
}

#[derive(Template)]
#[template(path = "public_job_check.html")]
struct CheckPage {
    c: PublicChrome,
    questions: Vec<Question>,
    /// The result, after a POST.
    result: Option<Outcome>,
    /// The form came back unreadable (too big, not a form).
    unreadable: bool,
    hotlines: &'static [Hotline],
}

struct Outcome {
    risk: &'static str,
    title: String,
    advice: String,
    flags: String,
}

fn questions(c: &PublicChrome, ticked: &[RedFlag]) -> Vec<Question> {
    RedFlag::ALL
        .iter()
        .map(|f| Question {
            code: f.as_str(),
            text: c.tr.t(&format!("pub-flag-{}", f.as_str())),
            why: c.tr.t(&format!("pub-flag-{}-why", f.as_str())),
            ticked: ticked.contains(f),
        })
        .collect()
}

pub async fn form(State(state): State<AppState>, v: Visitor) -> Response {
    let c = PublicChrome::new(&state, &v);
    render(
        StatusCode::OK,
        &CheckPage {
            questions: questions(&c, &[]),
            c,
            result: None,
            unreadable: false,
            hotlines: store::reference::hotlines(),
        },
    )
}

/// The result. The body is read as `flag=<code>` pairs; anything else in it
/// is ignored. A body over the limit, or one that is not a form, gives the
/// questions again with a message, not an error page.
pub async fn result(
    State(state): State<AppState>,
    v: Visitor,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    let c = PublicChrome::new(&state, &v);
    let Ok(body) = body else {
        return render(
            StatusCode::PAYLOAD_TOO_LARGE,
            &CheckPage {
                questions: questions(&c, &[]),
                c,
                result: None,
                unreadable: true,
                hotlines: store::reference::hotlines(),
            },
        );
    };
    let pairs: Vec<(String, String)> = crate::context::form_urlencoded_pairs(&body).collect();
    let flags = domain::job_check::flags_of(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    // The language switch of this page sends the ticks along (with
    // `switch=1`): the questions again, ticked as they were, in the other
    // language, and no result yet.
    if pairs.iter().any(|(k, v)| k == "switch" && v == "1") {
        return render(
            StatusCode::OK,
            &CheckPage {
                questions: questions(&c, &flags),
                c,
                result: None,
                unreadable: false,
                hotlines: store::reference::hotlines(),
            },
        );
    }
    let risk = domain::job_check::assess(&flags);
    let key = match risk {
        Risk::High => "pub-risk-high",
        Risk::Medium => "pub-risk-medium",
        Risk::Low => "pub-risk-low",
    };
    let outcome = Outcome {
        risk: risk.as_str(),
        title: c.tr.t(key),
        advice: c.tr.t(&format!("{key}-advice")),
        flags: c.tr.tn("pub-result-flags", "count", flags.len() as i64),
    };
    render(
        StatusCode::OK,
        &CheckPage {
            questions: questions(&c, &flags),
            c,
            result: Some(outcome),
            unreadable: false,
            hotlines: store::reference::hotlines(),
        },
    )
}
