//! The semiannual reporting cycle: half-year periods, their deadlines, the
//! life of one executor's report on one measure, and the figures the
//! coordinator hands on (completeness and timeliness).

use crate::organisation::string_enum;
use crate::validation::{FieldErrors, max_chars};
use jiff::civil::{Date, date};
use std::fmt;

/// A reporting half-year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HalfYear {
    pub year: i16,
    /// 1 (January–June) or 2 (July–December).
    pub half: i8,
}

/// When reports are due, as days of the month after the half-year ends.
/// The Poltava order says the 15th for executors and the 20th for the consolidation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    pub executor_day: i8,
    pub consolidation_day: i8,
}

impl Default for Deadlines {
    fn default() -> Self {
        Deadlines {
            executor_day: 15,
            consolidation_day: 20,
        }
    }
}

impl HalfYear {
    pub fn new(year: i16, half: i8) -> Option<HalfYear> {
        ((1..=2).contains(&half) && (2000..=2100).contains(&year)).then_some(HalfYear { year, half })
    }

    /// The half-year that contains `day`.
    pub fn containing(day: Date) -> HalfYear {
        HalfYear {
            year: day.year(),
            half: if day.month() <= 6 { 1 } else { 2 },
        }
    }

    pub fn previous(self) -> HalfYear {
        if self.half == 2 {
            HalfYear {
                year: self.year,
                half: 1,
            }
        } else {
            HalfYear {
                year: self.year - 1,
                half: 2,
            }
        }
    }

    pub fn next(self) -> HalfYear {
        if self.half == 1 {
            HalfYear {
                year: self.year,
                half: 2,
            }
        } else {
            HalfYear {
                year: self.year + 1,
                half: 1,
            }
        }
    }

    pub fn starts_on(self) -> Date {
        date(self.year, if self.half == 1 { 1 } else { 7 }, 1)
    }

    pub fn ends_on(self) -> Date {
        if self.half == 1 {
            date(self.year, 6, 30)
        } else {
            date(self.year, 12, 31)
        }
    }

    fn month_after(self) -> (i16, i8) {
        if self.half == 1 {
            (self.year, 7)
        } else {
            (self.year + 1, 1)
        }
    }

    /// The last day on which an executor's report is on time.
    pub fn executor_due(self, d: Deadlines) -> Date {
        let (y, m) = self.month_after();
        date(y, m, d.executor_day.clamp(1, 28))
    }

    /// The day by which the coordinator hands on the consolidated report.
    pub fn consolidation_due(self, d: Deadlines) -> Date {
        let (y, m) = self.month_after();
        date(y, m, d.consolidation_day.clamp(1, 28))
    }

    /// "2026-H1": the form used in file names and forms.
    pub fn code(self) -> String {
        format!("{}-H{}", self.year, self.half)
    }

    pub fn parse_code(s: &str) -> Option<HalfYear> {
        let (y, h) = s.trim().split_once("-H")?;
        HalfYear::new(y.parse().ok()?, h.parse().ok()?)
    }
}

impl fmt::Display for HalfYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

string_enum! {
    /// Whether executors may report in a period.
    PeriodState {
        Open => "open",
        Closed => "closed",
    }
}

string_enum! {
    /// The life of one report (one measure × one executor × one period).
    ReportState {
        Draft => "draft",
        Submitted => "submitted",
        Returned => "returned",
        Accepted => "accepted",
    }
}

string_enum! {
    /// What someone does to a report.
    ReportAction {
        Save => "save",
        Submit => "submit",
        Return => "return",
        Accept => "accept",
    }
}

string_enum! {
    /// The reminders an executor's report gets (`report_reminders.kind`), each at most once.
    ReminderKind {
        DueSoon => "due_soon",
        Overdue => "overdue",
    }
}

/// Why a transition was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot {action} a report that is {from} in a period that is {period}")]
pub struct IllegalTransition {
    pub from: ReportState,
    pub action: ReportAction,
    pub period: PeriodState,
}

impl IllegalTransition {
    pub fn message_id(self) -> &'static str {
        if self.period == PeriodState::Closed {
            "err-period-closed"
        } else {
            "err-report-transition"
        }
    }
}

impl ReportState {
    /// The state machine. The executor saves and submits drafts and returned
    /// reports; the coordinator accepts or returns submitted ones. Nothing
    /// changes in a closed period.
    pub fn apply(self, action: ReportAction, period: PeriodState) -> Result<ReportState, IllegalTransition> {
        use ReportAction as A;
        use ReportState as S;
        let refused = IllegalTransition {
            from: self,
            action,
            period,
        };
        if period == PeriodState::Closed {
            return Err(refused);
        }
        match (self, action) {
            (S::Draft, A::Save) => Ok(S::Draft),
            (S::Returned, A::Save) => Ok(S::Returned),
            (S::Draft | S::Returned, A::Submit) => Ok(S::Submitted),
            (S::Submitted, A::Accept) => Ok(S::Accepted),
            (S::Submitted, A::Return) => Ok(S::Returned),
            _ => Err(refused),
        }
    }

    /// The executor can still change the text.
    pub fn editable(self) -> bool {
        matches!(self, ReportState::Draft | ReportState::Returned)
    }

    /// Counted as submitted for completeness (the executor has handed it in at least once).
    pub fn handed_in(self) -> bool {
        !matches!(self, ReportState::Draft)
    }
}

/// Whether a submission at `day` (civil date in Kyiv) is late for `due`.
pub fn is_late(day: Date, due: Date) -> bool {
    day > due
}

/// Where a report stands for the person who must write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Urgency {
    Overdue,
    DueSoon,
    Later,
    Done,
}

/// Days before the deadline at which a report counts as due soon (and a reminder goes out).
pub const DUE_SOON_DAYS: i32 = 7;

pub fn urgency(state: ReportState, due: Date, today: Date) -> Urgency {
    if state.handed_in() && state != ReportState::Returned {
        return Urgency::Done;
    }
    if today > due {
        Urgency::Overdue
    } else if (due - today).get_days() <= DUE_SOON_DAYS {
        Urgency::DueSoon
    } else {
        Urgency::Later
    }
}

/// Expected, submitted, on time, accepted: the coordinator's four counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub expected: u32,
    pub submitted: u32,
    pub on_time: u32,
    pub accepted: u32,
    pub returned: u32,
}

impl Tally {
    pub fn add(&mut self, state: ReportState, late: bool) {
        self.add_many(state, late, 1);
    }

    /// Adds `n` reports in the same state and lateness.
    pub fn add_many(&mut self, state: ReportState, late: bool, n: u32) {
        self.expected += n;
        if state.handed_in() {
            self.submitted += n;
            if !late {
                self.on_time += n;
            }
        }
        match state {
            ReportState::Accepted => self.accepted += n,
            ReportState::Returned => self.returned += n,
            _ => {}
        }
    }

    /// Submitted ÷ expected, in per mille (to stay in integers); `None` when nothing is expected.
    pub fn completeness_permille(&self) -> Option<u32> {
        (self.expected > 0).then(|| (self.submitted * 1000 + self.expected / 2) / self.expected)
    }

    /// On time ÷ expected, in per mille.
    pub fn timeliness_permille(&self) -> Option<u32> {
        (self.expected > 0).then(|| (self.on_time * 1000 + self.expected / 2) / self.expected)
    }
}

/// "87,5 %": per mille as Ukrainian documents write a percentage; "—" for nothing expected.
pub fn percent(permille: Option<u32>) -> String {
    match permille {
        None => "—".to_string(),
        Some(p) if p % 10 == 0 => format!("{} %", p / 10),
        Some(p) => format!("{},{} %", p / 10, p % 10),
    }
}

pub const MAX_REPORT_TEXT: usize = 20_000;

/// What the executor types into a report.
#[derive(Debug, Clone, Default)]
pub struct ReportForm {
    pub text: String,
    pub links: String,
    /// (indicator id, value as typed).
    pub figures: Vec<(i64, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReportInput {
    pub text: String,
    pub links: Vec<String>,
    pub figures: Vec<(i64, Option<f64>)>,
}

/// A figure that is not a non-negative number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotAFigure;

/// A figure as people type it: "12", "12,5", "1 200".
pub fn parse_figure(value: &str) -> Result<Option<f64>, NotAFigure> {
    let v: String = value.trim().chars().filter(|c| !c.is_whitespace()).collect();
    if v.is_empty() {
        return Ok(None);
    }
    let v = v.replace(',', ".");
    match v.parse::<f64>() {
        Ok(n) if n.is_finite() && n >= 0.0 => Ok(Some(n)),
        _ => Err(NotAFigure),
    }
}

impl ReportForm {
    /// Checks what is typed. `submitting` adds the rules for handing the report in:
    /// the text may not be empty.
    pub fn validate(&self, submitting: bool) -> Result<ReportInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let text = self.text.trim().replace("\r\n", "\n");
        if submitting && text.is_empty() {
            e.add("text", "err-report-text-required");
        }
        max_chars(&mut e, "text", &text, MAX_REPORT_TEXT);
        let mut links = Vec::new();
        for l in self.links.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if !(l.starts_with("https://") || l.starts_with("http://")) || l.contains(char::is_whitespace) {
                e.add("links", "err-link");
            } else if l.len() > 500 {
                e.add("links", "err-too-long");
            } else {
                links.push(l.to_string());
            }
        }
        if links.len() > 20 {
            e.add("links", "err-too-many-links");
        }
        let mut figures = Vec::new();
        for (id, v) in &self.figures {
            match parse_figure(v) {
                Ok(n) => figures.push((*id, n)),
                Err(NotAFigure) => e.add("figures", "err-figure"),
            }
        }
        e.into_result(ReportInput { text, links, figures })
    }
}

/// The return comment: the coordinator must say what to fix.
pub fn validate_return_comment(comment: &str) -> Result<String, FieldErrors> {
    let mut e = FieldErrors::new();
    let c = comment.trim().to_string();
    if c.is_empty() {
        e.add("comment", "err-return-comment-required");
    }
    max_chars(&mut e, "comment", &c, 2000);
    e.into_result(c)
}

/// Formats a figure the Ukrainian way: "12", "12,5".
pub fn figure_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}").replace('.', ",")
    }
}

/// Attachments: what may be uploaded to a report.
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_ATTACHMENTS: usize = 10;

/// The file types a report may carry, by extension, with their content type.
pub fn attachment_type(file_name: &str) -> Option<&'static str> {
    let ext = file_name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "pdf" => "application/pdf",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "odt" => "application/vnd.oasis.opendocument.text",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        _ => return None,
    })
}

/// Whether the bytes start as their type says (so a renamed executable is refused).
pub fn content_matches(content_type: &str, bytes: &[u8]) -> bool {
    match content_type {
        "application/pdf" => bytes.starts_with(b"%PDF"),
        "image/png" => bytes.starts_with(b"\x89PNG"),
        "image/jpeg" => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
        _ => bytes.starts_with(b"PK\x03\x04"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PeriodState::{Closed, Open};
    use ReportAction as A;
    use ReportState as S;

    #[test]
    fn half_years_have_their_dates_and_deadlines() {
        let h = HalfYear::new(2026, 1).unwrap();
        assert_eq!(h.starts_on(), date(2026, 1, 1));
        assert_eq!(h.ends_on(), date(2026, 6, 30));
        assert_eq!(h.executor_due(Deadlines::default()), date(2026, 7, 15));
        assert_eq!(h.consolidation_due(Deadlines::default()), date(2026, 7, 20));
        let h2 = HalfYear::new(2026, 2).unwrap();
        assert_eq!(h2.executor_due(Deadlines::default()), date(2027, 1, 15));
        assert_eq!(h2.next(), HalfYear::new(2027, 1).unwrap());
        assert_eq!(h.previous(), HalfYear::new(2025, 2).unwrap());
        assert_eq!(HalfYear::containing(date(2026, 11, 22)), h2);
        assert_eq!(HalfYear::parse_code("2026-H2"), Some(h2));
        assert_eq!(HalfYear::parse_code("2026-H3"), None);
        assert_eq!(HalfYear::new(2026, 0), None);
    }

    #[test]
    fn every_legal_transition_is_allowed_and_every_other_refused() {
        let legal = [
            (S::Draft, A::Save, S::Draft),
            (S::Returned, A::Save, S::Returned),
            (S::Draft, A::Submit, S::Submitted),
            (S::Returned, A::Submit, S::Submitted),
            (S::Submitted, A::Accept, S::Accepted),
            (S::Submitted, A::Return, S::Returned),
        ];
        for &from in S::ALL {
            for &action in A::ALL {
                let expected = legal
                    .iter()
                    .find(|(f, a, _)| *f == from && *a == action)
                    .map(|l| l.2);
                match expected {
                    Some(to) => assert_eq!(from.apply(action, Open), Ok(to), "{from} {action}"),
                    None => {
                        let err = from.apply(action, Open).unwrap_err();
                        assert_eq!(err.message_id(), "err-report-transition", "{from} {action}");
                    }
                }
                let closed = from.apply(action, Closed).unwrap_err();
                assert_eq!(closed.message_id(), "err-period-closed");
            }
        }
    }

    #[test]
    fn completeness_and_timeliness_count_what_the_coordinator_expects() {
        let mut t = Tally::default();
        t.add(S::Accepted, false);
        t.add(S::Submitted, true);
        t.add(S::Returned, false);
        t.add(S::Draft, false);
        assert_eq!(
            (t.expected, t.submitted, t.on_time, t.accepted, t.returned),
            (4, 3, 2, 1, 1)
        );
        assert_eq!(percent(t.completeness_permille()), "75 %");
        assert_eq!(percent(t.timeliness_permille()), "50 %");
        let mut u = Tally::default();
        for s in [S::Accepted, S::Draft, S::Draft] {
            u.add(s, false);
        }
        assert_eq!(percent(u.completeness_permille()), "33,3 %");
        assert_eq!(percent(Tally::default().completeness_permille()), "—");
    }

    #[test]
    fn urgency_puts_overdue_first() {
        let due = date(2026, 7, 15);
        assert_eq!(urgency(S::Draft, due, date(2026, 7, 16)), Urgency::Overdue);
        assert_eq!(urgency(S::Returned, due, date(2026, 7, 10)), Urgency::DueSoon);
        assert_eq!(urgency(S::Draft, due, date(2026, 6, 1)), Urgency::Later);
        assert_eq!(urgency(S::Submitted, due, date(2026, 8, 1)), Urgency::Done);
        assert!(Urgency::Overdue < Urgency::DueSoon);
        assert!(is_late(date(2026, 7, 16), due));
        assert!(!is_late(due, due));
    }

    #[test]
    fn a_report_is_checked_before_it_is_handed_in() {
        let f = ReportForm {
            text: "  ".into(),
            links: "https://example.org/a\nне посилання".into(),
            figures: vec![(1, "12,5".into()), (2, "багато".into())],
        };
        let e = f.validate(true).unwrap_err();
        assert_eq!(e.get("text"), Some("err-report-text-required"));
        assert_eq!(e.get("links"), Some("err-link"));
        assert_eq!(e.get("figures"), Some("err-figure"));
        let ok = ReportForm {
            text: "Проведено 12 заходів".into(),
            links: "https://example.org/a".into(),
            figures: vec![(1, "1 200".into()), (2, "".into())],
        }
        .validate(true)
        .unwrap();
        assert_eq!(ok.figures, vec![(1, Some(1200.0)), (2, None)]);
        assert!(
            ReportForm::default().validate(false).is_ok(),
            "an empty draft may be saved"
        );
        assert_eq!(figure_text(12.5), "12,5");
        assert_eq!(figure_text(1200.0), "1200");
    }

    #[test]
    fn attachments_must_be_what_they_say() {
        assert_eq!(attachment_type("звіт.PDF"), Some("application/pdf"));
        assert_eq!(attachment_type("run.exe"), None);
        assert!(content_matches("application/pdf", b"%PDF-1.7"));
        assert!(!content_matches("application/pdf", b"MZ\x90"));
    }
}
