//! The procedure that establishes a person's status as affected by
//! trafficking (SPEC §4, CMU resolution 417): journal → interview → police
//! request and reply → conclusion → decision → notification, then extension,
//! termination or appeal.
//!
//! The state machine decides which step may follow which; the deadlines of the
//! steps come from the rulebook (`deadline`), which also says whether the
//! "already identified" path may skip the police request.

use crate::deadline::{Rulebook, Step};
use crate::organisation::string_enum;
use crate::plan::parse_date;
use crate::validation::{FieldErrors, max_chars, optional, required};
use jiff::civil::Date;
use std::fmt;

string_enum! {
    ProcState {
        /// Registered in the journal; the interview comes next.
        Registered => "registered",
        /// Interview held (or recorded why not); the police request comes next.
        Interviewed => "interviewed",
        PoliceRequested => "police_requested",
        PoliceAnswered => "police_answered",
        Concluded => "concluded",
        Granted => "granted",
        Refused => "refused",
        /// Decided and the person told; later events may still follow.
        Notified => "notified",
        /// A granted status ended (expired, terminated).
        Terminated => "terminated",
    }
}

string_enum! {
    /// Why no interview was held (CMU 417).
    NoInterviewReason {
        AlreadyIdentified => "already_identified",
        MentalState => "mental_state",
        YoungAge => "young_age",
    }
}

string_enum! {
    ProcAction {
        RecordInterview => "interview",
        RecordNoInterview => "no_interview",
        RequestPolice => "police_request",
        RecordPoliceReply => "police_reply",
        Conclude => "conclusion",
        Grant => "grant",
        Refuse => "refuse",
        Notify => "notify",
        Extend => "extend",
        Terminate => "terminate",
        RecordAppeal => "appeal",
        RecordAppealOutcome => "appeal_outcome",
    }
}

string_enum! {
    Decision {
        Granted => "granted",
        Refused => "refused",
    }
}

string_enum! {
    AppealOutcome {
        Upheld => "upheld",
        Overturned => "overturned",
    }
}

/// What the state machine needs to know about one procedure besides its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Facts {
    pub no_interview: Option<NoInterviewReason>,
    pub decision: Option<Decision>,
    pub appeal_lodged: bool,
    pub appeal_outcome: Option<AppealOutcome>,
}

/// Why an action is not possible now; shown to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("this step is not possible in the procedure's current state")]
    NotNow,
}

impl TransitionError {
    pub fn message_id(self) -> &'static str {
        "err-step-not-now"
    }
}

/// The state after `action`, or why it cannot happen.
///
/// The police request can be skipped only on the "already identified" path
/// and only when the rulebook in force allows it. A decision needs a
/// conclusion; a notification a decision. After notification a granted status
/// may be extended or terminated, a refusal appealed; an overturned refusal
/// lets the unit decide again.
pub fn apply(
    state: ProcState,
    action: ProcAction,
    facts: &Facts,
    rules: &Rulebook,
) -> Result<ProcState, TransitionError> {
    use ProcAction as A;
    use ProcState as S;
    let skip_police =
        facts.no_interview == Some(NoInterviewReason::AlreadyIdentified) && rules.skip_police_if_identified;
    let next = match (state, action) {
        (S::Registered, A::RecordInterview | A::RecordNoInterview) => S::Interviewed,
        (S::Interviewed, A::RequestPolice) => S::PoliceRequested,
        (S::PoliceRequested, A::RecordPoliceReply) => S::PoliceAnswered,
        (S::PoliceAnswered, A::Conclude) => S::Concluded,
        (S::Interviewed, A::Conclude) if skip_police => S::Concluded,
        (S::Concluded, A::Grant) => S::Granted,
        (S::Concluded, A::Refuse) => S::Refused,
        (S::Granted | S::Refused, A::Notify) => S::Notified,
        (S::Notified, A::Extend | A::Terminate) if facts.decision == Some(Decision::Granted) => {
            if action == A::Extend {
                S::Notified
            } else {
                S::Terminated
            }
        }
        (S::Notified, A::RecordAppeal)
            if facts.decision == Some(Decision::Refused) && !facts.appeal_lodged =>
        {
            S::Notified
        }
        (S::Notified, A::RecordAppealOutcome)
            if facts.decision == Some(Decision::Refused)
                && facts.appeal_lodged
                && facts.appeal_outcome.is_none() =>
        {
            S::Notified
        }
        (S::Notified, A::Grant)
            if facts.decision == Some(Decision::Refused)
                && facts.appeal_outcome == Some(AppealOutcome::Overturned) =>
        {
            S::Granted
        }
        _ => return Err(TransitionError::NotNow),
    };
    Ok(next)
}

/// The actions open in a state, in the order a page offers them.
pub fn possible(state: ProcState, facts: &Facts, rules: &Rulebook) -> Vec<ProcAction> {
    ProcAction::ALL
        .iter()
        .copied()
        .filter(|a| apply(state, *a, facts, rules).is_ok())
        .collect()
}

/// The next step with a deadline, if the procedure is waiting for one.
/// The police reply is awaited from the police; every other step from the unit.
pub fn next_step(state: ProcState, facts: &Facts, rules: &Rulebook) -> Option<Step> {
    match state {
        ProcState::Registered => Some(Step::Interview),
        ProcState::Interviewed => {
            let skip = facts.no_interview == Some(NoInterviewReason::AlreadyIdentified)
                && rules.skip_police_if_identified;
            Some(if skip { Step::Decision } else { Step::PoliceRequest })
        }
        ProcState::PoliceRequested => Some(Step::PoliceReply),
        ProcState::PoliceAnswered | ProcState::Concluded => Some(Step::Decision),
        ProcState::Granted | ProcState::Refused => Some(Step::Notification),
        ProcState::Notified | ProcState::Terminated => None,
    }
}

// ---------------------------------------------------------------- forms

fn day(e: &mut FieldErrors, field: &'static str, value: &str, today: Date, not_before: Option<Date>) -> Date {
    let v = value.trim();
    if v.is_empty() {
        e.add(field, "err-required");
        return today;
    }
    match parse_date(v) {
        None => {
            e.add(field, "err-date");
            today
        }
        Some(d) if d > today => {
            e.add(field, "err-future-date");
            today
        }
        Some(d) if not_before.is_some_and(|nb| d < nb) => {
            e.add(field, "err-before-previous-step");
            d
        }
        Some(d) => d,
    }
}

/// Registering an application in the journal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplicationForm {
    pub registered_on: String,
    pub applicant: String,
    pub representative: String,
    /// The language of an applicant who does not speak Ukrainian, and the interpreter's name.
    pub language: String,
    pub interpreter: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    pub registered_on: Date,
    pub applicant: String,
    pub representative: Option<String>,
    pub language: Option<String>,
    pub interpreter: Option<String>,
}

impl ApplicationForm {
    pub fn validate(&self, today: Date) -> Result<Application, FieldErrors> {
        let mut e = FieldErrors::new();
        let registered_on = day(&mut e, "registered_on", &self.registered_on, today, None);
        let applicant = required(&mut e, "applicant", &self.applicant);
        max_chars(&mut e, "applicant", &applicant, 300);
        max_chars(&mut e, "representative", self.representative.trim(), 300);
        max_chars(&mut e, "language", self.language.trim(), 100);
        max_chars(&mut e, "interpreter", self.interpreter.trim(), 300);
        let interpreter = optional(&self.interpreter);
        let language = optional(&self.language);
        if interpreter.is_some() && language.is_none() {
            e.add("language", "err-language-for-interpreter");
        }
        e.into_result(Application {
            registered_on,
            applicant,
            representative: optional(&self.representative),
            language,
            interpreter,
        })
    }
}

/// One step of the procedure as typed: its date and what the step needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepForm {
    pub on: String,
    /// Interview: the account of events (questionnaire); conclusion: its text; refusal: grounds; appeal: court.
    pub text: String,
    pub consent: bool,
    pub non_disclosure: bool,
    pub no_interview_reason: String,
    pub proceedings_found: String,
    pub proceedings_ref: String,
    pub certificate_no: String,
    pub appeal_outcome: String,
}

/// A validated step, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepInput {
    Interview {
        on: Date,
        account: String,
        consent: bool,
        non_disclosure: bool,
    },
    NoInterview {
        on: Date,
        reason: NoInterviewReason,
        note: Option<String>,
    },
    PoliceRequest {
        on: Date,
        note: Option<String>,
    },
    PoliceReply {
        on: Date,
        found: bool,
        proceedings_ref: Option<String>,
    },
    Conclusion {
        on: Date,
        text: String,
    },
    Grant {
        on: Date,
        certificate_no: String,
    },
    Refuse {
        on: Date,
        grounds: String,
    },
    Notify {
        on: Date,
        note: Option<String>,
    },
    Extend {
        on: Date,
    },
    Terminate {
        on: Date,
        reason: String,
    },
    Appeal {
        on: Date,
        note: Option<String>,
    },
    AppealOutcome {
        on: Date,
        outcome: AppealOutcome,
        note: Option<String>,
    },
}

impl StepInput {
    pub fn on(&self) -> Date {
        match self {
            StepInput::Interview { on, .. }
            | StepInput::NoInterview { on, .. }
            | StepInput::PoliceRequest { on, .. }
            | StepInput::PoliceReply { on, .. }
            | StepInput::Conclusion { on, .. }
            | StepInput::Grant { on, .. }
            | StepInput::Refuse { on, .. }
            | StepInput::Notify { on, .. }
            | StepInput::Extend { on }
            | StepInput::Terminate { on, .. }
            | StepInput::Appeal { on, .. }
            | StepInput::AppealOutcome { on, .. } => *on,
        }
    }
}

impl StepForm {
    /// `previous` is the date of the procedure's last step: a step cannot come before it.
    pub fn validate(
        &self,
        action: ProcAction,
        today: Date,
        previous: Date,
    ) -> Result<StepInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let on = day(&mut e, "on", &self.on, today, Some(previous));
        let text = self.text.trim().to_string();
        max_chars(&mut e, "text", &text, 8000);
        let note = optional(&self.text);
        let input = match action {
            ProcAction::RecordInterview => {
                if text.is_empty() {
                    e.add("text", "err-required");
                }
                if !self.consent {
                    e.add("consent", "err-interview-consent");
                }
                StepInput::Interview {
                    on,
                    account: text,
                    consent: self.consent,
                    non_disclosure: self.non_disclosure,
                }
            }
            ProcAction::RecordNoInterview => {
                let reason = NoInterviewReason::parse(self.no_interview_reason.trim());
                if reason.is_none() {
                    e.add("no_interview_reason", "err-required");
                }
                StepInput::NoInterview {
                    on,
                    reason: reason.unwrap_or(NoInterviewReason::MentalState),
                    note,
                }
            }
            ProcAction::RequestPolice => StepInput::PoliceRequest { on, note },
            ProcAction::RecordPoliceReply => {
                let found = match self.proceedings_found.trim() {
                    "yes" => true,
                    "no" => false,
                    _ => {
                        e.add("proceedings_found", "err-required");
                        false
                    }
                };
                let proceedings_ref = optional(&self.proceedings_ref);
                max_chars(&mut e, "proceedings_ref", self.proceedings_ref.trim(), 100);
                if found && proceedings_ref.is_none() {
                    e.add("proceedings_ref", "err-required");
                }
                StepInput::PoliceReply {
                    on,
                    found,
                    proceedings_ref,
                }
            }
            ProcAction::Conclude => {
                if text.is_empty() {
                    e.add("text", "err-required");
                }
                StepInput::Conclusion { on, text }
            }
            ProcAction::Grant => {
                let no = required(&mut e, "certificate_no", &self.certificate_no);
                max_chars(&mut e, "certificate_no", &no, 50);
                StepInput::Grant {
                    on,
                    certificate_no: no,
                }
            }
            ProcAction::Refuse => {
                if text.is_empty() {
                    e.add("text", "err-required");
                }
                StepInput::Refuse { on, grounds: text }
            }
            ProcAction::Notify => StepInput::Notify { on, note },
            ProcAction::Extend => StepInput::Extend { on },
            ProcAction::Terminate => {
                if text.is_empty() {
                    e.add("text", "err-required");
                }
                StepInput::Terminate { on, reason: text }
            }
            ProcAction::RecordAppeal => StepInput::Appeal { on, note },
            ProcAction::RecordAppealOutcome => {
                let outcome = AppealOutcome::parse(self.appeal_outcome.trim());
                if outcome.is_none() {
                    e.add("appeal_outcome", "err-required");
                }
                StepInput::AppealOutcome {
                    on,
                    outcome: outcome.unwrap_or(AppealOutcome::Upheld),
                    note,
                }
            }
        };
        e.into_result(input)
    }
}

/// The facts after a step, so the next transition sees them.
pub fn facts_after(facts: &Facts, step: &StepInput) -> Facts {
    let mut f = *facts;
    match step {
        StepInput::NoInterview { reason, .. } => f.no_interview = Some(*reason),
        StepInput::Grant { .. } => {
            f.decision = Some(Decision::Granted);
        }
        StepInput::Refuse { .. } => f.decision = Some(Decision::Refused),
        StepInput::Appeal { .. } => f.appeal_lodged = true,
        StepInput::AppealOutcome { outcome, .. } => f.appeal_outcome = Some(*outcome),
        _ => {}
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn rules(skip: bool) -> Rulebook {
        let mut r = Rulebook::defaults(date(2020, 1, 1));
        r.skip_police_if_identified = skip;
        r
    }

    fn walk(
        actions: &[ProcAction],
        facts: &mut Facts,
        rules: &Rulebook,
    ) -> Result<ProcState, (usize, TransitionError)> {
        let mut s = ProcState::Registered;
        for (i, a) in actions.iter().enumerate() {
            s = apply(s, *a, facts, rules).map_err(|e| (i, e))?;
            match a {
                ProcAction::Grant => facts.decision = Some(Decision::Granted),
                ProcAction::Refuse => facts.decision = Some(Decision::Refused),
                ProcAction::RecordAppeal => facts.appeal_lodged = true,
                _ => {}
            }
        }
        Ok(s)
    }

    #[test]
    fn the_whole_path_to_a_certificate() {
        use ProcAction::*;
        let s = walk(
            &[
                RecordInterview,
                RequestPolice,
                RecordPoliceReply,
                Conclude,
                Grant,
                Notify,
                Extend,
                Terminate,
            ],
            &mut Facts::default(),
            &rules(true),
        );
        assert_eq!(s, Ok(ProcState::Terminated));
    }

    #[test]
    fn a_decision_before_the_police_reply_is_refused() {
        use ProcAction::*;
        let r = rules(true);
        let f = Facts::default();
        for s in [
            ProcState::Registered,
            ProcState::Interviewed,
            ProcState::PoliceRequested,
        ] {
            for a in [Conclude, Grant, Refuse] {
                assert_eq!(apply(s, a, &f, &r), Err(TransitionError::NotNow), "{s} {a}");
            }
        }
    }

    #[test]
    fn the_already_identified_path_skips_the_police_only_when_the_rulebook_allows() {
        let f = Facts {
            no_interview: Some(NoInterviewReason::AlreadyIdentified),
            ..Default::default()
        };
        assert_eq!(
            apply(ProcState::Interviewed, ProcAction::Conclude, &f, &rules(true)),
            Ok(ProcState::Concluded)
        );
        assert_eq!(
            apply(ProcState::Interviewed, ProcAction::Conclude, &f, &rules(false)),
            Err(TransitionError::NotNow)
        );
        assert_eq!(
            next_step(ProcState::Interviewed, &f, &rules(true)),
            Some(Step::Decision)
        );
        assert_eq!(
            next_step(ProcState::Interviewed, &f, &rules(false)),
            Some(Step::PoliceRequest)
        );
        let other = Facts {
            no_interview: Some(NoInterviewReason::YoungAge),
            ..Default::default()
        };
        assert_eq!(
            apply(ProcState::Interviewed, ProcAction::Conclude, &other, &rules(true)),
            Err(TransitionError::NotNow),
            "only an earlier identification replaces the police request"
        );
    }

    /// Every state × action: exactly the listed transitions are legal.
    #[test]
    fn every_illegal_transition_is_refused() {
        use ProcAction as A;
        use ProcState as S;
        let r = rules(true);
        let granted = Facts {
            decision: Some(Decision::Granted),
            ..Default::default()
        };
        let refused = Facts {
            decision: Some(Decision::Refused),
            ..Default::default()
        };
        // `None`: legal whatever the facts; `Some(f)`: legal only with those facts.
        let legal: &[(S, A, Option<&Facts>)] = &[
            (S::Registered, A::RecordInterview, None),
            (S::Registered, A::RecordNoInterview, None),
            (S::Interviewed, A::RequestPolice, None),
            (S::PoliceRequested, A::RecordPoliceReply, None),
            (S::PoliceAnswered, A::Conclude, None),
            (S::Concluded, A::Grant, None),
            (S::Concluded, A::Refuse, None),
            (S::Granted, A::Notify, None),
            (S::Refused, A::Notify, None),
            (S::Notified, A::Extend, Some(&granted)),
            (S::Notified, A::Terminate, Some(&granted)),
            (S::Notified, A::RecordAppeal, Some(&refused)),
        ];
        let mut allowed = 0;
        for facts in [&Facts::default(), &granted, &refused] {
            for s in S::ALL {
                for a in A::ALL {
                    let ok = apply(*s, *a, facts, &r).is_ok();
                    let expected = legal
                        .iter()
                        .any(|(ls, la, lf)| ls == s && la == a && lf.is_none_or(|f| f == facts));
                    assert_eq!(ok, expected, "{s} {a} {facts:?}");
                    allowed += usize::from(ok);
                }
            }
        }
        assert!(allowed > 0);
        // Terminated is final.
        for a in A::ALL {
            assert!(apply(S::Terminated, *a, &granted, &r).is_err());
        }
    }

    #[test]
    fn appeals_follow_a_refusal_once_and_an_overturned_one_can_be_granted() {
        use ProcAction as A;
        let r = rules(true);
        let mut f = Facts {
            decision: Some(Decision::Refused),
            ..Default::default()
        };
        assert!(
            apply(ProcState::Notified, A::RecordAppealOutcome, &f, &r).is_err(),
            "no appeal yet"
        );
        assert!(apply(ProcState::Notified, A::Grant, &f, &r).is_err());
        f.appeal_lodged = true;
        assert!(
            apply(ProcState::Notified, A::RecordAppeal, &f, &r).is_err(),
            "one appeal"
        );
        f.appeal_outcome = Some(AppealOutcome::Overturned);
        assert_eq!(
            apply(ProcState::Notified, A::Grant, &f, &r),
            Ok(ProcState::Granted)
        );
        f.appeal_outcome = Some(AppealOutcome::Upheld);
        assert!(apply(ProcState::Notified, A::Grant, &f, &r).is_err());
        assert!(
            apply(ProcState::Notified, A::Extend, &f, &r).is_err(),
            "a refusal has nothing to extend"
        );
    }

    #[test]
    fn step_forms_check_what_each_step_needs() {
        let today = date(2026, 11, 22);
        let prev = date(2026, 11, 10);
        let e = StepForm {
            on: "2026-11-09".into(),
            ..Default::default()
        }
        .validate(ProcAction::RecordInterview, today, prev)
        .unwrap_err();
        assert_eq!(e.get("on"), Some("err-before-previous-step"));
        assert_eq!(e.get("text"), Some("err-required"));
        assert_eq!(e.get("consent"), Some("err-interview-consent"));
        let e = StepForm {
            on: "2026-11-12".into(),
            proceedings_found: "yes".into(),
            ..Default::default()
        }
        .validate(ProcAction::RecordPoliceReply, today, prev)
        .unwrap_err();
        assert_eq!(e.get("proceedings_ref"), Some("err-required"));
        let ok = StepForm {
            on: "2026-11-12".into(),
            certificate_no: "17".into(),
            ..Default::default()
        }
        .validate(ProcAction::Grant, today, prev)
        .unwrap();
        assert_eq!(
            ok,
            StepInput::Grant {
                on: date(2026, 11, 12),
                certificate_no: "17".into()
            }
        );
        let e = StepForm {
            on: "2026-11-23".into(),
            ..Default::default()
        }
        .validate(ProcAction::Notify, today, prev)
        .unwrap_err();
        assert_eq!(e.get("on"), Some("err-future-date"));
    }

    #[test]
    fn an_interpreter_needs_a_language() {
        let e = ApplicationForm {
            registered_on: "2026-11-20".into(),
            applicant: "Заявник".into(),
            interpreter: "Перекладач".into(),
            ..Default::default()
        }
        .validate(date(2026, 11, 22))
        .unwrap_err();
        assert_eq!(e.get("language"), Some("err-language-for-interpreter"));
    }
}
