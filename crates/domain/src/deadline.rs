//! Deadlines of the status procedure (CMU resolution 417): how many days each
//! step may take, when a step falls due, and how urgent it is today.
//!
//! The rules:
//! * a deadline runs in calendar days from the day *after* the event, so a
//!   step due `N` days after an event on `E` is due on `E + N`;
//! * a deadline that falls on a day off moves to the next working day
//!   (Law "On Administrative Procedure");
//! * days off are Saturdays and Sundays plus the holidays in a calendar table
//!   the administrator keeps; the same table can mark a weekend day as a
//!   working day (a transferred working day).
//!
//! How many days each step takes is data, not code: a [`Rulebook`] is a
//! version of those numbers with the date it comes into force, so a change in
//! the resolution is entered by the administrator and applies to applications
//! registered from that date, while older applications keep their rules.

use crate::organisation::string_enum;
use crate::validation::FieldErrors;
use jiff::Span;
use jiff::civil::{Date, Weekday};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// How many days before the due date a step counts as at risk (SPEC).
pub const AT_RISK_DAYS: i32 = 2;

/// The shortest and longest step an administrator may enter, in days.
const DAYS_RANGE: std::ops::RangeInclusive<i32> = 1..=90;
/// The shortest and longest certificate validity an administrator may enter, in months.
const MONTHS_RANGE: std::ops::RangeInclusive<i32> = 1..=60;
/// How far [`Calendar::next_working_day_from`] looks before giving up.
const MAX_SEARCH_DAYS: usize = 366;

/// The steps of the procedure that have a deadline, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Step {
    /// The interview with the person, counted from registration of the application.
    Interview,
    /// The request to the police, counted from the interview.
    PoliceRequest,
    /// The police reply, counted from the request.
    PoliceReply,
    /// The decision on the status, counted from the police reply.
    Decision,
    /// Notifying the person of the decision, counted from the decision.
    Notification,
}

impl Step {
    pub const ALL: [Step; 5] = [
        Step::Interview,
        Step::PoliceRequest,
        Step::PoliceReply,
        Step::Decision,
        Step::Notification,
    ];

    /// The stored form, also used as the key in [`RulebookForm::days`].
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Interview => "interview",
            Step::PoliceRequest => "police_request",
            Step::PoliceReply => "police_reply",
            Step::Decision => "decision",
            Step::Notification => "notification",
        }
    }

    pub fn parse(s: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|step| step.as_str() == s)
    }

    /// The form field holding this step's days: `"days_"` + [`Step::as_str`].
    pub fn days_field(self) -> &'static str {
        match self {
            Step::Interview => "days_interview",
            Step::PoliceRequest => "days_police_request",
            Step::PoliceReply => "days_police_reply",
            Step::Decision => "days_decision",
            Step::Notification => "days_notification",
        }
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One rule: the step is due `days` calendar days after the previous step's event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub step: Step,
    pub days: i32,
}

/// A version of the rulebook, in force for applications registered on or
/// after `effective_from`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rulebook {
    pub id: i64,
    pub effective_from: Date,
    pub rules: Vec<Rule>,
    /// The "already identified" path: when the interview was not held because
    /// the police, a court or a foreign state already identified the person,
    /// the decision may follow without the police request.
    pub skip_police_if_identified: bool,
    /// Months a certificate is valid (SPEC: up to two years).
    pub certificate_months: i32,
}

impl Rulebook {
    /// The defaults of SPEC §4 (to be confirmed against the current edition of
    /// the resolution): interview 3 days, police request 3, police reply 10,
    /// decision 10, notification 3; the "already identified" path allowed;
    /// certificates valid 24 months. `id` is 0: it is not stored yet.
    pub fn defaults(effective_from: Date) -> Rulebook {
        let rule = |step, days| Rule { step, days };
        Rulebook {
            id: 0,
            effective_from,
            rules: vec![
                rule(Step::Interview, 3),
                rule(Step::PoliceRequest, 3),
                rule(Step::PoliceReply, 10),
                rule(Step::Decision, 10),
                rule(Step::Notification, 3),
            ],
            skip_police_if_identified: true,
            certificate_months: 24,
        }
    }

    /// The days allowed for `step`; `None` when this version has no rule for it.
    pub fn days(&self, step: Step) -> Option<i32> {
        self.rules.iter().find(|r| r.step == step).map(|r| r.days)
    }

    /// When `step` falls due if the previous event happened on `event`;
    /// `None` when this version has no rule for the step.
    pub fn due(&self, cal: &Calendar, step: Step, event: Date) -> Option<Date> {
        self.days(step).map(|days| due_date(cal, event, days))
    }
}

/// Picks the rulebook in force for an application registered on
/// `registered_on`: the one with the latest `effective_from` on or before that
/// day (on a tie, the highest id, i.e. the latest correction). `None` if no
/// version was in force yet.
pub fn in_force(books: &[Rulebook], registered_on: Date) -> Option<&Rulebook> {
    books
        .iter()
        .filter(|b| b.effective_from <= registered_on)
        .max_by_key(|b| (b.effective_from, b.id))
}

/// An administrator's new rulebook version, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RulebookForm {
    /// `YYYY-MM-DD`.
    pub effective_from: String,
    /// [`Step::as_str`] → the days typed for it. Keys that are not a step are ignored.
    pub days: BTreeMap<String, String>,
    pub skip_police_if_identified: bool,
    pub certificate_months: String,
}

impl RulebookForm {
    /// Checks the form: a date in force, every step with 1 to 90 days, a
    /// certificate validity of 1 to 60 months. Returns the date, the rules in
    /// step order, the "already identified" flag and the months; or the field
    /// errors (`effective_from`, `days_<step>`, `certificate_months`).
    pub fn validate(&self) -> Result<(Date, Vec<Rule>, bool, i32), FieldErrors> {
        let mut errors = FieldErrors::new();

        let effective_from = parse_date(&mut errors, "effective_from", &self.effective_from);

        let mut rules = Vec::with_capacity(Step::ALL.len());
        for step in Step::ALL {
            let typed = self.days.get(step.as_str()).map_or("", String::as_str);
            if let Some(days) = parse_in_range(
                &mut errors,
                step.days_field(),
                typed,
                &DAYS_RANGE,
                "err-days-range",
            ) {
                rules.push(Rule { step, days });
            }
        }

        let months = parse_in_range(
            &mut errors,
            "certificate_months",
            &self.certificate_months,
            &MONTHS_RANGE,
            "err-months-range",
        );

        match (effective_from, months) {
            (Some(date), Some(months)) if errors.is_empty() => {
                Ok((date, rules, self.skip_police_if_identified, months))
            }
            _ => Err(errors),
        }
    }
}

/// A `YYYY-MM-DD` date, or `err-required` / `err-date` on `field`.
fn parse_date(errors: &mut FieldErrors, field: &'static str, typed: &str) -> Option<Date> {
    let typed = typed.trim();
    if typed.is_empty() {
        errors.add(field, "err-required");
        return None;
    }
    // jiff also accepts a date with a time; the form asks for the date alone.
    let shaped = typed.len() == 10
        && typed.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    match typed.parse::<Date>() {
        Ok(date) if shaped => Some(date),
        _ => {
            errors.add(field, "err-date");
            None
        }
    }
}

/// A whole number within `range`, or `err-required` / `out_of_range` on `field`.
fn parse_in_range(
    errors: &mut FieldErrors,
    field: &'static str,
    typed: &str,
    range: &std::ops::RangeInclusive<i32>,
    out_of_range: &'static str,
) -> Option<i32> {
    let typed = typed.trim();
    if typed.is_empty() {
        errors.add(field, "err-required");
        return None;
    }
    match typed.parse::<i32>() {
        Ok(n) if range.contains(&n) => Some(n),
        _ => {
            errors.add(field, out_of_range);
            None
        }
    }
}

/// The calendar of days off: weekends, plus the holidays and transferred
/// working days the administrator enters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    holidays: BTreeSet<Date>,
    working_days: BTreeSet<Date>,
}

impl Calendar {
    /// `holidays` are days off even on a weekday; `working_days` are working
    /// days even on a weekend (transferred working days). A date in both is a
    /// working day: the explicit transfer is the more specific decision.
    pub fn new(
        holidays: impl IntoIterator<Item = Date>,
        working_days: impl IntoIterator<Item = Date>,
    ) -> Self {
        Calendar {
            holidays: holidays.into_iter().collect(),
            working_days: working_days.into_iter().collect(),
        }
    }

    /// Only Saturdays and Sundays are days off.
    pub fn weekends_only() -> Self {
        Calendar::default()
    }

    pub fn is_day_off(&self, d: Date) -> bool {
        if self.working_days.contains(&d) {
            return false;
        }
        self.holidays.contains(&d) || matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
    }

    /// `d` itself when it is a working day, otherwise the first working day
    /// after it. Looks at most a year ahead (a calendar with no working day in
    /// a year is a data error, not a reason to hang) and then returns the last
    /// day it looked at; likewise at the end of jiff's date range.
    pub fn next_working_day_from(&self, d: Date) -> Date {
        let mut day = d;
        for _ in 0..MAX_SEARCH_DAYS {
            if !self.is_day_off(day) {
                return day;
            }
            match day.tomorrow() {
                Ok(next) => day = next,
                Err(_) => return day,
            }
        }
        day
    }
}

/// `d` moved by `days` calendar days, stopping at the ends of jiff's date range.
fn add_days(d: Date, days: i32) -> Date {
    match Span::new().try_days(days) {
        Ok(span) => d.saturating_add(span),
        Err(_) if days < 0 => Date::MIN,
        Err(_) => Date::MAX,
    }
}

/// The due date of a step whose previous event happened on `event`: the
/// count starts the day after the event, so `event + days`, then moved off
/// days off to the next working day.
pub fn due_date(cal: &Calendar, event: Date, days: i32) -> Date {
    cal.next_working_day_from(add_days(event, days))
}

string_enum! {
    /// How a step stands against its due date, for highlighting in lists.
    Urgency {
        OnTime => "on_time",
        AtRisk => "at_risk",
        Overdue => "overdue",
    }
}

string_enum! {
    /// What a calendar entry makes of its day (`calendar_days.kind`): a day
    /// off on a weekday, or a working day on a weekend (a transferred working day).
    DayKind {
        Holiday => "holiday",
        Working => "working",
    }
}

/// Overdue when today is past the due date; at risk when the due date is today
/// or at most `at_risk_days` days away ([`AT_RISK_DAYS`] by SPEC); otherwise on time.
pub fn urgency(due: Date, today: Date, at_risk_days: i32) -> Urgency {
    if today > due {
        Urgency::Overdue
    } else if due <= add_days(today, at_risk_days) {
        Urgency::AtRisk
    } else {
        Urgency::OnTime
    }
}

/// The last day a certificate issued on `issued` is valid: the validity runs
/// from the day of issue for `months` months, so it ends the day before the
/// same day of the month `months` later (issued 2026-03-10 for 24 months:
/// valid until 2028-03-09).
///
/// When that month has no such day (issued on 29 February, or on the 31st),
/// the period ends on the last day of that month: 2024-02-29 for 24 months is
/// valid until 2026-02-28, not one day less. `months` is expected to be
/// positive ([`RulebookForm::validate`] keeps it within 1..=60); the result
/// stops at the ends of jiff's date range.
pub fn certificate_valid_until(issued: Date, months: i32) -> Date {
    let later = match Span::new().try_months(months) {
        Ok(span) => issued.saturating_add(span),
        Err(_) if months < 0 => Date::MIN,
        Err(_) => Date::MAX,
    };
    if later.day() == issued.day() {
        add_days(later, -1)
    } else {
        // jiff clamped to the end of a shorter month: that day is the last one.
        later
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn defaults() -> Rulebook {
        Rulebook::defaults(date(2026, 1, 1))
    }

    #[test]
    fn steps_round_trip_and_name_their_fields() {
        for step in Step::ALL {
            assert_eq!(Step::parse(step.as_str()), Some(step));
            assert_eq!(step.days_field(), format!("days_{}", step.as_str()));
        }
        assert_eq!(Step::parse("appeal"), None);
        assert!(
            Step::ALL.windows(2).all(|w| w[0] < w[1]),
            "ALL is in procedure order"
        );
    }

    #[test]
    fn default_rules_give_the_spec_dates() {
        let cal = Calendar::weekends_only();
        let book = defaults();
        // Registered Wed 4 March: interview by Sat 7 → moved to Mon 9 March.
        assert_eq!(
            book.due(&cal, Step::Interview, date(2026, 3, 4)),
            Some(date(2026, 3, 9))
        );
        // Registered Mon 2 March: interview by Thu 5 March.
        assert_eq!(
            book.due(&cal, Step::Interview, date(2026, 3, 2)),
            Some(date(2026, 3, 5))
        );
        // Interview Thu 5 March: police request by Sun 8 → Mon 9 March.
        assert_eq!(
            book.due(&cal, Step::PoliceRequest, date(2026, 3, 5)),
            Some(date(2026, 3, 9))
        );
        // Police request Mon 9 March: reply by Thu 19 March.
        assert_eq!(
            book.due(&cal, Step::PoliceReply, date(2026, 3, 9)),
            Some(date(2026, 3, 19))
        );
        // Reply Thu 19 March: decision by Sun 29 → Mon 30 March.
        assert_eq!(
            book.due(&cal, Step::Decision, date(2026, 3, 19)),
            Some(date(2026, 3, 30))
        );
        // Decision Mon 30 March: notification by Thu 2 April.
        assert_eq!(
            book.due(&cal, Step::Notification, date(2026, 3, 30)),
            Some(date(2026, 4, 2))
        );
        assert!(book.skip_police_if_identified);
        assert_eq!(book.certificate_months, 24);
        assert_eq!(book.id, 0);
    }

    #[test]
    fn a_step_without_a_rule_has_no_due_date() {
        let mut book = defaults();
        book.rules.retain(|r| r.step != Step::PoliceReply);
        assert_eq!(book.days(Step::PoliceReply), None);
        assert_eq!(
            book.due(&Calendar::weekends_only(), Step::PoliceReply, date(2026, 3, 2)),
            None
        );
        assert_eq!(book.days(Step::Decision), Some(10));
    }

    #[test]
    fn the_count_starts_the_day_after_the_event() {
        let cal = Calendar::weekends_only();
        // Mon 2 March + 1 day = Tue 3 March, not Mon itself.
        assert_eq!(due_date(&cal, date(2026, 3, 2), 1), date(2026, 3, 3));
    }

    #[test]
    fn a_deadline_on_a_saturday_or_sunday_moves_to_monday() {
        let cal = Calendar::weekends_only();
        // Wed 4 March + 3 = Sat 7 March → Mon 9 March.
        assert_eq!(date(2026, 3, 7).weekday(), Weekday::Saturday);
        assert_eq!(due_date(&cal, date(2026, 3, 4), 3), date(2026, 3, 9));
        // Thu 5 March + 3 = Sun 8 March → Mon 9 March.
        assert_eq!(due_date(&cal, date(2026, 3, 5), 3), date(2026, 3, 9));
    }

    #[test]
    fn a_deadline_on_a_holiday_moves_to_the_next_working_day() {
        // Mon 9 March 2026 entered as a holiday.
        let cal = Calendar::new([date(2026, 3, 9)], []);
        assert!(cal.is_day_off(date(2026, 3, 9)));
        // Fri 6 March + 3 = Mon 9 March (holiday) → Tue 10 March.
        assert_eq!(due_date(&cal, date(2026, 3, 6), 3), date(2026, 3, 10));
    }

    #[test]
    fn a_holiday_followed_by_a_weekend_moves_past_both() {
        // Fri 1 May 2026 a holiday, then Sat 2 and Sun 3.
        let cal = Calendar::new([date(2026, 5, 1)], []);
        assert_eq!(date(2026, 5, 1).weekday(), Weekday::Friday);
        // Tue 28 April + 3 = Fri 1 May → Mon 4 May.
        assert_eq!(due_date(&cal, date(2026, 4, 28), 3), date(2026, 5, 4));
    }

    #[test]
    fn a_transferred_working_saturday_is_not_moved() {
        let cal = Calendar::new([], [date(2026, 3, 7)]);
        assert!(!cal.is_day_off(date(2026, 3, 7)));
        assert!(cal.is_day_off(date(2026, 3, 8)), "the Sunday stays a day off");
        assert_eq!(due_date(&cal, date(2026, 3, 4), 3), date(2026, 3, 7));
        // Marked both ways: the transfer wins.
        let both = Calendar::new([date(2026, 3, 7)], [date(2026, 3, 7)]);
        assert!(!both.is_day_off(date(2026, 3, 7)));
    }

    #[test]
    fn a_calendar_without_working_days_does_not_hang() {
        let every_day = (0..400).map(|i| add_days(date(2026, 1, 1), i));
        let cal = Calendar::new(every_day, []);
        let start = date(2026, 1, 1);
        assert_eq!(cal.next_working_day_from(start), add_days(start, 366));
        let last = Calendar::new([Date::MAX], []);
        assert_eq!(last.next_working_day_from(Date::MAX), Date::MAX);
    }

    #[test]
    fn in_force_picks_by_registration_date() {
        let old = Rulebook {
            id: 1,
            ..Rulebook::defaults(date(2025, 1, 1))
        };
        let mut new = Rulebook {
            id: 2,
            ..Rulebook::defaults(date(2026, 12, 1))
        };
        new.rules[0].days = 5;
        let books = [new.clone(), old.clone()];
        assert_eq!(in_force(&books, date(2026, 12, 1)), Some(&new));
        assert_eq!(in_force(&books, date(2027, 6, 1)), Some(&new));
        assert_eq!(in_force(&books, date(2026, 11, 30)), Some(&old));
        assert_eq!(in_force(&books, date(2024, 12, 31)), None);
        assert_eq!(in_force(&[], date(2026, 12, 1)), None);
    }

    #[test]
    fn in_force_prefers_the_latest_correction_on_the_same_date() {
        let first = Rulebook {
            id: 3,
            ..Rulebook::defaults(date(2026, 12, 1))
        };
        let corrected = Rulebook {
            id: 7,
            certificate_months: 12,
            ..Rulebook::defaults(date(2026, 12, 1))
        };
        let books = [corrected.clone(), first];
        assert_eq!(in_force(&books, date(2026, 12, 5)), Some(&corrected));
    }

    #[test]
    fn urgency_boundaries() {
        let due = date(2026, 3, 10);
        assert_eq!(
            urgency(due, date(2026, 3, 10), AT_RISK_DAYS),
            Urgency::AtRisk,
            "due today"
        );
        assert_eq!(
            urgency(due, date(2026, 3, 8), AT_RISK_DAYS),
            Urgency::AtRisk,
            "in 2 days"
        );
        assert_eq!(
            urgency(due, date(2026, 3, 7), AT_RISK_DAYS),
            Urgency::OnTime,
            "in 3 days"
        );
        assert_eq!(
            urgency(due, date(2026, 3, 11), AT_RISK_DAYS),
            Urgency::Overdue,
            "yesterday"
        );
        assert_eq!(Urgency::AtRisk.as_str(), "at_risk");
        assert_eq!(Urgency::parse("overdue"), Some(Urgency::Overdue));
        assert_eq!(Urgency::OnTime.to_string(), "on_time");
    }

    fn good_form() -> RulebookForm {
        RulebookForm {
            effective_from: "2026-12-01".into(),
            days: Step::ALL
                .into_iter()
                .map(|s| (s.as_str().to_string(), " 10 ".to_string()))
                .collect(),
            skip_police_if_identified: false,
            certificate_months: "24".into(),
        }
    }

    #[test]
    fn a_complete_form_becomes_a_rulebook_version() {
        let (from, rules, skip, months) = good_form().validate().unwrap();
        assert_eq!(from, date(2026, 12, 1));
        assert_eq!(rules.iter().map(|r| r.step).collect::<Vec<_>>(), Step::ALL);
        assert!(rules.iter().all(|r| r.days == 10));
        assert!(!skip);
        assert_eq!(months, 24);
    }

    #[test]
    fn form_errors_name_the_field_and_the_problem() {
        let mut form = good_form();
        form.effective_from = "01.12.2026".into();
        form.days.insert("interview".into(), "0".into());
        form.days.insert("police_reply".into(), "91".into());
        form.days.insert("decision".into(), "ten".into());
        form.days.remove("notification");
        form.days.insert("appeal".into(), "5".into());
        form.certificate_months = "61".into();
        let errors = form.validate().unwrap_err();
        assert_eq!(errors.get("effective_from"), Some("err-date"));
        assert_eq!(errors.get("days_interview"), Some("err-days-range"));
        assert_eq!(errors.get("days_police_request"), None);
        assert_eq!(errors.get("days_police_reply"), Some("err-days-range"));
        assert_eq!(errors.get("days_decision"), Some("err-days-range"));
        assert_eq!(errors.get("days_notification"), Some("err-required"));
        assert_eq!(errors.get("certificate_months"), Some("err-months-range"));
        assert_eq!(errors.iter().count(), 6, "unknown keys are ignored");
    }

    #[test]
    fn form_range_edges_and_empty_fields() {
        let mut form = good_form();
        form.days.insert("interview".into(), "1".into());
        form.days.insert("decision".into(), "90".into());
        form.certificate_months = "60".into();
        assert!(form.validate().is_ok());
        form.certificate_months = "0".into();
        assert_eq!(
            form.validate().unwrap_err().get("certificate_months"),
            Some("err-months-range")
        );
        let empty = RulebookForm::default();
        let errors = empty.validate().unwrap_err();
        assert_eq!(errors.get("effective_from"), Some("err-required"));
        assert_eq!(errors.get("certificate_months"), Some("err-required"));
        assert!(
            Step::ALL
                .iter()
                .all(|s| errors.get(s.days_field()) == Some("err-required"))
        );
        let mut bad_day = good_form();
        bad_day.effective_from = "2026-02-30".into();
        assert_eq!(
            bad_day.validate().unwrap_err().get("effective_from"),
            Some("err-date")
        );
        bad_day.effective_from = "2026-12-01T00:00".into();
        assert_eq!(
            bad_day.validate().unwrap_err().get("effective_from"),
            Some("err-date")
        );
    }

    #[test]
    fn certificate_validity() {
        assert_eq!(certificate_valid_until(date(2026, 3, 10), 24), date(2028, 3, 9));
        assert_eq!(certificate_valid_until(date(2026, 1, 1), 12), date(2026, 12, 31));
        // Issued on 29 February: two years later there is no 29 February, so
        // the validity ends on the 28th (the last day of that February).
        assert_eq!(certificate_valid_until(date(2024, 2, 29), 24), date(2026, 2, 28));
        // Four years later there is one: the day before it.
        assert_eq!(certificate_valid_until(date(2024, 2, 29), 48), date(2028, 2, 28));
        // Issued 1 March 2027, valid a year: until 29 February 2028.
        assert_eq!(certificate_valid_until(date(2027, 3, 1), 12), date(2028, 2, 29));
        // Issued on the 31st, a month into April: until 30 April.
        assert_eq!(certificate_valid_until(date(2026, 3, 31), 1), date(2026, 4, 30));
    }
}
