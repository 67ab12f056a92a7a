//! Assistance after identification (SPEC §5; Law 3739-VI art. 16): the needs
//! assessment, the individual plan of services, and stays in an assistance
//! institution with their three-month limit.
//!
//! The kinds of need are data (the `need_kinds` table); this module knows
//! only their codes. Time is always a parameter.

use crate::case::ReferralPurpose;
use crate::deadline::certificate_valid_until;
use crate::organisation::string_enum;
use crate::plan::parse_date;
use crate::validation::{FieldErrors, max_chars, optional};
use jiff::ToSpan;
use jiff::civil::Date;
use std::fmt;

/// How long a stay in an assistance institution lasts without an extension.
pub const STAY_LIMIT_MONTHS: i32 = 3;

/// A stay this close to its end (in days) is on the officer's list.
pub const STAY_ENDING_SOON_DAYS: i32 = 14;

/// The longest note on a need, a service or a stay.
pub const NOTE_MAX: usize = 2000;

string_enum! {
    /// How soon a need must be met.
    NeedUrgency {
        Urgent => "urgent",
        Soon => "soon",
        Routine => "routine",
    }
}

string_enum! {
    /// Where a service of the individual plan stands.
    ServiceState {
        /// In the plan; nobody has been asked yet.
        Planned => "planned",
        /// Sent to another organisation as a referral, not yet accepted.
        Referred => "referred",
        InProgress => "in_progress",
        Delivered => "delivered",
        /// The person did not want it.
        Refused => "refused",
        /// Nobody could give it (the provider declined, or none exists nearby).
        NotAvailable => "not_available",
    }
}

string_enum! {
    /// What is done to a service.
    ServiceAction {
        Start => "start",
        Deliver => "deliver",
        Refuse => "refuse",
        Unavailable => "unavailable",
    }
}

impl ServiceState {
    /// Delivered, refused and not available are ends: nothing follows.
    pub fn is_end(self) -> bool {
        matches!(self, Self::Delivered | Self::Refused | Self::NotAvailable)
    }

    /// Whether the need it answers is met.
    pub fn meets_need(self) -> bool {
        self == Self::Delivered
    }

    /// The state after `action`, if the action is possible now. A referred
    /// service moves on when its provider accepts the referral, so the
    /// officer cannot start it by hand; the ends need a reason (see
    /// [`OutcomeForm::validate`]).
    pub fn apply(self, action: ServiceAction) -> Option<ServiceState> {
        use ServiceAction as A;
        use ServiceState as S;
        match (self, action) {
            (S::Planned, A::Start) => Some(S::InProgress),
            (S::Planned | S::Referred | S::InProgress, A::Deliver) => Some(S::Delivered),
            (S::Planned | S::Referred | S::InProgress, A::Refuse) => Some(S::Refused),
            (S::Planned | S::Referred | S::InProgress, A::Unavailable) => Some(S::NotAvailable),
            _ => None,
        }
    }

    /// The actions the officer can take now.
    pub fn actions(self) -> Vec<ServiceAction> {
        ServiceAction::ALL
            .iter()
            .copied()
            .filter(|a| self.apply(*a).is_some())
            .collect()
    }
}

/// The referral purpose that asks for a service answering `need`.
pub fn referral_purpose_for(need: &str) -> ReferralPurpose {
    match need {
        "medical" => ReferralPurpose::Medical,
        "psychological" => ReferralPurpose::Psychological,
        "legal_aid" => ReferralPurpose::LegalAid,
        "social_support" | "financial" => ReferralPurpose::SocialServices,
        "accommodation" => ReferralPurpose::Shelter,
        "employment" | "education" => ReferralPurpose::Employment,
        _ => ReferralPurpose::Other,
    }
}

fn day_not_after(e: &mut FieldErrors, field: &'static str, value: &str, today: Date) -> Option<Date> {
    let v = value.trim();
    if v.is_empty() {
        e.add(field, "err-required");
        return None;
    }
    match parse_date(v) {
        None => {
            e.add(field, "err-date");
            None
        }
        Some(d) if d > today => {
            e.add(field, "err-future-date");
            None
        }
        Some(d) => Some(d),
    }
}

fn any_day(e: &mut FieldErrors, field: &'static str, value: &str, required: bool) -> Option<Date> {
    let v = value.trim();
    if v.is_empty() {
        if required {
            e.add(field, "err-required");
        }
        return None;
    }
    let d = parse_date(v);
    if d.is_none() {
        e.add(field, "err-date");
    }
    d
}

fn text(e: &mut FieldErrors, field: &'static str, value: &str, max: usize, required: bool) -> Option<String> {
    let t = value.trim();
    max_chars(e, field, t, max);
    if required && t.is_empty() {
        e.add(field, "err-required");
    }
    optional(t)
}

// ------------------------------------------------------------------ needs

/// One line of the assessment form: a kind of need, ticked or not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NeedLineForm {
    pub code: String,
    pub selected: bool,
    pub urgency: String,
    pub note: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssessmentForm {
    pub assessed_on: String,
    pub note: String,
    pub lines: Vec<NeedLineForm>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedInput {
    pub code: String,
    pub urgency: NeedUrgency,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentInput {
    pub assessed_on: Date,
    pub note: Option<String>,
    pub needs: Vec<NeedInput>,
}

impl AssessmentForm {
    /// At least one need, each a known kind with its urgency; the date not in
    /// the future. Errors on a line are keyed `urgency` / `need_note` / `needs`
    /// (the form shows them beside the list; the line is named in the message).
    pub fn validate(&self, today: Date, known: &[String]) -> Result<AssessmentInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let assessed_on = day_not_after(&mut e, "assessed_on", &self.assessed_on, today);
        let note = text(&mut e, "note", &self.note, NOTE_MAX, false);
        let mut needs: Vec<NeedInput> = Vec::new();
        for line in self.lines.iter().filter(|l| l.selected) {
            let code = line.code.trim();
            if !known.iter().any(|k| k == code) {
                e.add("needs", "err-choice");
                continue;
            }
            if needs.iter().any(|n| n.code == code) {
                continue;
            }
            let urgency = match NeedUrgency::parse(line.urgency.trim()) {
                Some(u) => u,
                None => {
                    e.add("urgency", "err-need-urgency");
                    NeedUrgency::Routine
                }
            };
            max_chars(&mut e, "need_note", line.note.trim(), NOTE_MAX);
            needs.push(NeedInput {
                code: code.to_string(),
                urgency,
                note: optional(&line.note),
            });
        }
        if needs.is_empty() && e.get("needs").is_none() {
            e.add("needs", "err-need-one");
        }
        e.into_result(AssessmentInput {
            assessed_on: assessed_on.unwrap_or(today),
            note,
            needs,
        })
    }
}

// --------------------------------------------------------------- services

/// A service of the individual plan as the officer types it. When the
/// provider is another organisation, the referral's fields come with it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct ServiceForm {
    pub need: String,
    pub provider_org_id: String,
    pub planned_from: String,
    pub planned_to: String,
    pub note: String,
    /// Shared fields of the referral (another provider only).
    pub fields: Vec<String>,
    pub consent_ref: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceInput {
    pub need: String,
    pub provider_org_id: i64,
    pub planned_from: Date,
    pub planned_to: Option<Date>,
    pub note: Option<String>,
}

impl ServiceForm {
    pub fn validate(&self, known_needs: &[String]) -> Result<ServiceInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let need = self.need.trim();
        if need.is_empty() {
            e.add("need", "err-required");
        } else if !known_needs.iter().any(|k| k == need) {
            e.add("need", "err-choice");
        }
        let provider_org_id = match self.provider_org_id.trim().parse::<i64>() {
            Ok(id) if id > 0 => id,
            _ => {
                e.add("provider_org_id", "err-required");
                0
            }
        };
        let planned_from = any_day(&mut e, "planned_from", &self.planned_from, true);
        let planned_to = any_day(&mut e, "planned_to", &self.planned_to, false);
        if let (Some(f), Some(t)) = (planned_from, planned_to)
            && t < f
        {
            e.add("planned_to", "err-end-before-start");
        }
        let note = text(&mut e, "note", &self.note, NOTE_MAX, false);
        e.into_result(ServiceInput {
            need: need.to_string(),
            provider_org_id,
            planned_from: planned_from.unwrap_or(Date::MIN),
            planned_to,
            note,
        })
    }
}

/// What ends a service: the date, and a reason for every end but delivery
/// (where it is what was done, optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct OutcomeForm {
    pub on: String,
    pub reason: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeInput {
    pub on: Date,
    pub reason: Option<String>,
}

impl OutcomeForm {
    pub fn validate(&self, action: ServiceAction, today: Date) -> Result<OutcomeInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let on = day_not_after(&mut e, "on", &self.on, today);
        let needs_reason = matches!(action, ServiceAction::Refuse | ServiceAction::Unavailable);
        let reason = text(&mut e, "reason", &self.reason, NOTE_MAX, needs_reason);
        e.into_result(OutcomeInput {
            on: on.unwrap_or(today),
            reason,
        })
    }
}

// ------------------------------------------------------------ shelter stays

/// The last day a stay that starts on `start` may last without an extension.
pub fn stay_limit(start: Date) -> Date {
    certificate_valid_until(start, STAY_LIMIT_MONTHS)
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct StayForm {
    pub institution_org_id: String,
    pub started_on: String,
    pub planned_end_on: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StayInput {
    pub institution_org_id: i64,
    pub started_on: Date,
    pub planned_end_on: Date,
    pub note: Option<String>,
}

impl StayForm {
    /// The planned end lies between the start and the three-month limit; a
    /// longer stay needs an extension, recorded with its decision.
    pub fn validate(&self, today: Date) -> Result<StayInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let institution_org_id = match self.institution_org_id.trim().parse::<i64>() {
            Ok(id) if id > 0 => id,
            _ => {
                e.add("institution_org_id", "err-required");
                0
            }
        };
        let started_on = day_not_after(&mut e, "started_on", &self.started_on, today);
        let planned_end_on = any_day(&mut e, "planned_end_on", &self.planned_end_on, false);
        let planned_end_on = match (started_on, planned_end_on) {
            (Some(s), Some(end)) if end < s => {
                e.add("planned_end_on", "err-end-before-start");
                end
            }
            (Some(s), Some(end)) if end > stay_limit(s) => {
                e.add("planned_end_on", "err-stay-beyond-limit");
                end
            }
            (Some(s), None) => stay_limit(s),
            (_, Some(end)) => end,
            (None, None) => today,
        };
        let note = text(&mut e, "note", &self.note, NOTE_MAX, false);
        e.into_result(StayInput {
            institution_org_id,
            started_on: started_on.unwrap_or(today),
            planned_end_on,
            note,
        })
    }
}

/// An extension of a stay: the decision behind it and why.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct ExtensionForm {
    pub decided_by: String,
    pub decision_no: String,
    pub decision_on: String,
    pub reason: String,
    pub new_end_on: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionInput {
    pub decided_by: String,
    pub decision_no: String,
    pub decision_on: Date,
    pub reason: String,
    pub new_end_on: Date,
}

impl ExtensionForm {
    /// Every field is required; the new end comes after the current one.
    pub fn validate(&self, today: Date, current_end: Date) -> Result<ExtensionInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let decided_by = text(&mut e, "decided_by", &self.decided_by, 300, true);
        let decision_no = text(&mut e, "decision_no", &self.decision_no, 100, true);
        let decision_on = day_not_after(&mut e, "decision_on", &self.decision_on, today);
        let reason = text(&mut e, "reason", &self.reason, NOTE_MAX, true);
        let new_end_on = any_day(&mut e, "new_end_on", &self.new_end_on, true);
        if new_end_on.is_some_and(|d| d <= current_end) {
            e.add("new_end_on", "err-extension-not-later");
        }
        e.into_result(ExtensionInput {
            decided_by: decided_by.unwrap_or_default(),
            decision_no: decision_no.unwrap_or_default(),
            decision_on: decision_on.unwrap_or(today),
            reason: reason.unwrap_or_default(),
            new_end_on: new_end_on.unwrap_or(current_end),
        })
    }
}

/// What the officer must look at about a stay today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StayFlag {
    /// Within [`STAY_ENDING_SOON_DAYS`] of its end.
    EndingSoon,
    /// Past its (possibly extended) end and not ended.
    PastEnd,
    /// Past the three-month limit with no extension on record.
    BeyondLimit,
}

impl StayFlag {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::EndingSoon => "ending_soon",
            Self::PastEnd => "past_end",
            Self::BeyondLimit => "beyond_limit",
        }
    }

    /// The most pressing flag of an open stay, if any.
    pub fn of(start: Date, end: Date, extended: bool, today: Date) -> Option<StayFlag> {
        if !extended && today > stay_limit(start) {
            Some(Self::BeyondLimit)
        } else if today > end {
            Some(Self::PastEnd)
        } else if today >= end.saturating_sub(STAY_ENDING_SOON_DAYS.days()) {
            Some(Self::EndingSoon)
        } else {
            None
        }
    }
}

impl fmt::Display for StayFlag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn known() -> Vec<String> {
        ["medical", "legal_aid", "accommodation"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    #[test]
    fn an_assessment_needs_a_need_with_its_urgency() {
        let today = date(2026, 3, 12);
        let mut f = AssessmentForm {
            assessed_on: "2026-03-12".into(),
            ..Default::default()
        };
        let e = f.validate(today, &known()).unwrap_err();
        assert_eq!(e.get("needs"), Some("err-need-one"));
        f.lines.push(NeedLineForm {
            code: "legal_aid".into(),
            selected: true,
            urgency: "".into(),
            note: "".into(),
        });
        assert_eq!(
            f.validate(today, &known()).unwrap_err().get("urgency"),
            Some("err-need-urgency")
        );
        f.lines[0].urgency = "urgent".into();
        let ok = f.validate(today, &known()).unwrap();
        assert_eq!(ok.needs[0].urgency, NeedUrgency::Urgent);
        f.lines.push(NeedLineForm {
            code: "flying".into(),
            selected: true,
            urgency: "soon".into(),
            note: "".into(),
        });
        assert_eq!(
            f.validate(today, &known()).unwrap_err().get("needs"),
            Some("err-choice")
        );
        f.lines.pop();
        f.assessed_on = "2026-03-13".into();
        assert_eq!(
            f.validate(today, &known()).unwrap_err().get("assessed_on"),
            Some("err-future-date")
        );
    }

    #[test]
    fn services_end_once_and_a_referred_one_is_started_by_its_provider() {
        use ServiceAction as A;
        use ServiceState as S;
        assert_eq!(S::Planned.apply(A::Start), Some(S::InProgress));
        assert_eq!(S::Referred.apply(A::Start), None);
        assert_eq!(S::InProgress.apply(A::Deliver), Some(S::Delivered));
        for end in [S::Delivered, S::Refused, S::NotAvailable] {
            assert!(end.actions().is_empty(), "{end}");
        }
        let today = date(2026, 3, 12);
        let f = OutcomeForm {
            on: "2026-03-12".into(),
            ..Default::default()
        };
        assert_eq!(
            f.validate(A::Refuse, today).unwrap_err().get("reason"),
            Some("err-required")
        );
        assert!(f.validate(A::Deliver, today).is_ok());
    }

    #[test]
    fn a_stay_lasts_three_months_unless_extended() {
        let start = date(2026, 1, 10);
        assert_eq!(stay_limit(start), date(2026, 4, 9));
        assert_eq!(stay_limit(date(2025, 11, 30)), date(2026, 2, 28));
        let today = date(2026, 3, 12);
        let f = StayForm {
            institution_org_id: "5".into(),
            started_on: "2026-01-10".into(),
            planned_end_on: "2026-04-10".into(),
            note: "".into(),
        };
        assert_eq!(
            f.validate(today).unwrap_err().get("planned_end_on"),
            Some("err-stay-beyond-limit")
        );
        let f = StayForm {
            planned_end_on: "".into(),
            ..f
        };
        assert_eq!(f.validate(today).unwrap().planned_end_on, date(2026, 4, 9));

        let end = date(2026, 4, 9);
        assert_eq!(StayFlag::of(start, end, false, date(2026, 3, 25)), None);
        assert_eq!(
            StayFlag::of(start, end, false, date(2026, 3, 26)),
            Some(StayFlag::EndingSoon)
        );
        assert_eq!(
            StayFlag::of(start, end, false, date(2026, 4, 9)),
            Some(StayFlag::EndingSoon)
        );
        assert_eq!(
            StayFlag::of(start, end, false, date(2026, 4, 10)),
            Some(StayFlag::BeyondLimit)
        );
        let extended = date(2026, 6, 30);
        assert_eq!(StayFlag::of(start, extended, true, date(2026, 4, 10)), None);
        assert_eq!(
            StayFlag::of(start, extended, true, date(2026, 7, 1)),
            Some(StayFlag::PastEnd)
        );
        // A stay planned shorter than the limit and not ended is past its end.
        assert_eq!(
            StayFlag::of(start, date(2026, 2, 1), false, date(2026, 2, 2)),
            Some(StayFlag::PastEnd)
        );
    }

    #[test]
    fn an_extension_needs_its_decision_and_a_reason() {
        let today = date(2026, 4, 1);
        let f = ExtensionForm {
            decided_by: "Начальник управління".into(),
            decision_no: "".into(),
            decision_on: "2026-04-01".into(),
            reason: "".into(),
            new_end_on: "2026-06-30".into(),
            version: "".into(),
        };
        let e = f.validate(today, date(2026, 4, 9)).unwrap_err();
        assert_eq!(e.get("decision_no"), Some("err-required"));
        assert_eq!(e.get("reason"), Some("err-required"));
        let f = ExtensionForm {
            decision_no: "12".into(),
            reason: "Свідок у кримінальному провадженні".into(),
            new_end_on: "2026-04-09".into(),
            ..f
        };
        assert_eq!(
            f.validate(today, date(2026, 4, 9)).unwrap_err().get("new_end_on"),
            Some("err-extension-not-later")
        );
        let f = ExtensionForm {
            new_end_on: "2026-06-30".into(),
            ..f
        };
        assert_eq!(
            f.validate(today, date(2026, 4, 9)).unwrap().new_end_on,
            date(2026, 6, 30)
        );
    }
}
