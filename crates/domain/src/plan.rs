//! The regional plan of measures: operational goals → tasks → measures, each
//! measure with its term, executors and optional indicators (SPEC §2, seed 002).

use crate::validation::{FieldErrors, max_chars, optional, required};
use jiff::civil::Date;
use std::fmt;

/// The term of a measure as plans write it. Kept as typed; the parsed form
/// lets the plan show and sort terms, and the import check them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// "2023-2025", "2023–2025 роки".
    Years { from: i16, to: i16 },
    /// "2024", "2024 рік".
    Year(i16),
    /// "до 2025 року".
    By(i16),
    /// "постійно".
    Permanent,
    /// Nothing written (one measure of the Poltava plan has no term).
    Unspecified,
    /// Anything else plans write ("щокварталу", "IV квартал 2024 року"): kept as written.
    Other(String),
}

fn year(s: &str) -> Option<i16> {
    let s = s.trim();
    if s.len() == 4 && s.chars().all(|c| c.is_ascii_digit()) {
        s.parse().ok().filter(|y| (1991..=2100).contains(y))
    } else {
        None
    }
}

impl Term {
    pub fn parse(text: &str) -> Term {
        let t = text.trim();
        if t.is_empty() {
            return Term::Unspecified;
        }
        let lower = t.to_lowercase();
        let stripped = lower
            .trim_end_matches('.')
            .trim_end_matches(" роки")
            .trim_end_matches(" рр")
            .trim_end_matches(" рік")
            .trim_end_matches(" року")
            .trim();
        if stripped == "постійно" {
            return Term::Permanent;
        }
        if let Some(rest) = stripped.strip_prefix("до ")
            && let Some(y) = year(rest)
        {
            return Term::By(y);
        }
        if let Some(y) = year(stripped) {
            return Term::Year(y);
        }
        for sep in ['-', '–', '—'] {
            if let Some((a, b)) = stripped.split_once(sep)
                && let (Some(from), Some(to)) = (year(a), year(b))
                && from <= to
            {
                return Term::Years { from, to };
            }
        }
        Term::Other(t.to_string())
    }

    /// Whether the term covers (part of) a calendar year; open-ended and
    /// unparsed terms count as covering it.
    pub fn covers_year(&self, y: i16) -> bool {
        match self {
            Term::Years { from, to } => (*from..=*to).contains(&y),
            Term::Year(one) => *one == y,
            Term::By(last) => y <= *last,
            Term::Permanent | Term::Unspecified | Term::Other(_) => true,
        }
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Term::Years { from, to } => write!(f, "{from}-{to}"),
            Term::Year(y) => write!(f, "{y}"),
            Term::By(y) => write!(f, "до {y} року"),
            Term::Permanent => f.write_str("постійно"),
            Term::Unspecified => Ok(()),
            Term::Other(s) => f.write_str(s),
        }
    }
}

pub const MAX_TEXT: usize = 4000;
pub const MAX_TITLE: usize = 500;

/// What the coordinator types for the plan itself.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PlanForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub territory_id: String,
    #[serde(default)]
    pub owner_org_id: String,
    #[serde(default)]
    pub year_from: String,
    #[serde(default)]
    pub year_to: String,
    #[serde(default)]
    pub act_number: String,
    #[serde(default)]
    pub act_date: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlanInput {
    pub title: String,
    pub territory_id: i64,
    pub owner_org_id: i64,
    pub year_from: i16,
    pub year_to: i16,
    pub act_number: Option<String>,
    pub act_date: Option<Date>,
}

fn id_field(errors: &mut FieldErrors, field: &'static str, value: &str) -> i64 {
    match value.trim() {
        "" => {
            errors.add(field, "err-required");
            0
        }
        v => match v.parse::<i64>() {
            Ok(id) if id > 0 => id,
            _ => {
                errors.add(field, "err-invalid-choice");
                0
            }
        },
    }
}

/// A date as people type it: `2023-09-04` (the browser's date field) or `04.09.2023`.
pub fn parse_date(value: &str) -> Option<Date> {
    let v = value.trim();
    if let Ok(d) = v.parse::<Date>() {
        return Some(d);
    }
    let mut parts = v.split('.');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

impl PlanForm {
    pub fn validate(&self) -> Result<PlanInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = required(&mut e, "title", &self.title);
        max_chars(&mut e, "title", &title, MAX_TITLE);
        let territory_id = id_field(&mut e, "territory_id", &self.territory_id);
        let owner_org_id = id_field(&mut e, "owner_org_id", &self.owner_org_id);
        let year_from = match year(&self.year_from) {
            Some(y) => y,
            None => {
                e.add(
                    "year_from",
                    if self.year_from.trim().is_empty() {
                        "err-required"
                    } else {
                        "err-year"
                    },
                );
                0
            }
        };
        let year_to = match year(&self.year_to) {
            Some(y) if y >= year_from => y,
            Some(_) => {
                e.add("year_to", "err-year-order");
                0
            }
            None => {
                e.add(
                    "year_to",
                    if self.year_to.trim().is_empty() {
                        "err-required"
                    } else {
                        "err-year"
                    },
                );
                0
            }
        };
        let act_number = optional(&self.act_number);
        if let Some(n) = &act_number {
            max_chars(&mut e, "act_number", n, 50);
        }
        let act_date = match optional(&self.act_date) {
            None => None,
            Some(d) => match parse_date(&d) {
                Some(d) => Some(d),
                None => {
                    e.add("act_date", "err-date");
                    None
                }
            },
        };
        e.into_result(PlanInput {
            title,
            territory_id,
            owner_org_id,
            year_from,
            year_to,
            act_number,
            act_date,
        })
    }
}

/// The text of a goal or a task.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct HeadingForm {
    #[serde(default)]
    pub text: String,
}

impl HeadingForm {
    pub fn validate(&self) -> Result<String, FieldErrors> {
        let mut e = FieldErrors::new();
        let text = required(&mut e, "text", &self.text);
        max_chars(&mut e, "text", &text, MAX_TEXT);
        e.into_result(text)
    }
}

/// One indicator of a measure: what is counted, in what unit, and the target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    pub name: String,
    pub unit: String,
    pub target: Option<String>,
}

impl Indicator {
    /// The line the measure form shows for this indicator: `name | unit | target`.
    pub fn to_line(&self) -> String {
        match &self.target {
            Some(t) => format!("{} | {} | {}", self.name, self.unit, t),
            None => format!("{} | {}", self.name, self.unit),
        }
    }
}

/// What the coordinator types for a measure. Executors come as organisation ids
/// (checkboxes); indicators as lines `name | unit | target`.
#[derive(Debug, Clone, Default)]
pub struct MeasureForm {
    pub text: String,
    pub term: String,
    pub executors: Vec<String>,
    pub indicators: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MeasureInput {
    pub text: String,
    pub term: String,
    pub executors: Vec<i64>,
    pub indicators: Vec<Indicator>,
}

impl MeasureForm {
    pub fn validate(&self) -> Result<MeasureInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let text = required(&mut e, "text", &self.text);
        max_chars(&mut e, "text", &text, MAX_TEXT);
        let term = self.term.trim().to_string();
        max_chars(&mut e, "term", &term, 100);
        let mut executors = Vec::new();
        for v in &self.executors {
            match v.trim().parse::<i64>() {
                Ok(id) if id > 0 => {
                    if !executors.contains(&id) {
                        executors.push(id)
                    }
                }
                _ => e.add("executors", "err-invalid-choice"),
            }
        }
        if executors.is_empty() {
            e.add("executors", "err-executors-required");
        }
        let mut indicators = Vec::new();
        for line in self.indicators.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let parts: Vec<&str> = line.split('|').map(str::trim).collect();
            match parts.as_slice() {
                [name, unit] if !name.is_empty() && !unit.is_empty() => indicators.push(Indicator {
                    name: name.to_string(),
                    unit: unit.to_string(),
                    target: None,
                }),
                [name, unit, target] if !name.is_empty() && !unit.is_empty() => indicators.push(Indicator {
                    name: name.to_string(),
                    unit: unit.to_string(),
                    target: optional(target),
                }),
                _ => e.add("indicators", "err-indicator-line"),
            }
            if line.chars().count() > 300 {
                e.add("indicators", "err-too-long");
            }
        }
        e.into_result(MeasureInput {
            text,
            term,
            executors,
            indicators,
        })
    }
}

/// Normalises an organisation's name for matching executors of an imported
/// plan: case, quotes, apostrophes, dashes and spacing do not matter, nor the
/// "(за згодою)" mark.
pub fn executor_key(name: &str) -> String {
    let lower = name.to_lowercase().replace("(за згодою)", " ");
    let mut out = String::with_capacity(lower.len());
    let mut space = false;
    for c in lower.chars() {
        let c = match c {
            '«' | '»' | '"' | '„' | '“' | '”' | '\'' | '’' | 'ʼ' | '`' => continue,
            '–' | '—' => '-',
            c if c.is_whitespace() || c == ',' || c == '.' => ' ',
            c => c,
        };
        if c == ' ' {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out
}

/// Whether an executor's name says it takes part by consent.
pub fn says_by_consent(name: &str) -> bool {
    name.to_lowercase().contains("за згодою")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_read_as_plans_write_them() {
        assert_eq!(Term::parse("2023-2025"), Term::Years { from: 2023, to: 2025 });
        assert_eq!(
            Term::parse("2023–2025 роки"),
            Term::Years { from: 2023, to: 2025 }
        );
        assert_eq!(Term::parse("постійно"), Term::Permanent);
        assert_eq!(Term::parse("Постійно."), Term::Permanent);
        assert_eq!(Term::parse("до 2025 року"), Term::By(2025));
        assert_eq!(Term::parse("2024 рік"), Term::Year(2024));
        assert_eq!(Term::parse(""), Term::Unspecified);
        assert_eq!(Term::parse("щокварталу"), Term::Other("щокварталу".into()));
        assert_eq!(Term::parse("2025-2023"), Term::Other("2025-2023".into()));
        assert!(Term::parse("до 2025 року").covers_year(2024));
        assert!(!Term::parse("2023-2024").covers_year(2025));
    }

    #[test]
    fn a_measure_needs_text_and_an_executor_and_well_formed_indicators() {
        let e = MeasureForm::default().validate().unwrap_err();
        assert_eq!(e.get("text"), Some("err-required"));
        assert_eq!(e.get("executors"), Some("err-executors-required"));
        let f = MeasureForm {
            text: "Захід".into(),
            term: "постійно".into(),
            executors: vec!["3".into(), "3".into(), "5".into()],
            indicators: "Кількість заходів | од. | 12\nОхоплено осіб|осіб\n".into(),
        };
        let m = f.validate().unwrap();
        assert_eq!(m.executors, vec![3, 5]);
        assert_eq!(m.indicators.len(), 2);
        assert_eq!(m.indicators[0].target.as_deref(), Some("12"));
        assert_eq!(m.indicators[1].target, None);
        let bad = MeasureForm {
            indicators: "лише назва".into(),
            ..f
        };
        assert_eq!(
            bad.validate().unwrap_err().get("indicators"),
            Some("err-indicator-line")
        );
    }

    #[test]
    fn a_plan_needs_ordered_years_and_a_real_date() {
        let f = PlanForm {
            title: "План".into(),
            territory_id: "2".into(),
            owner_org_id: "4".into(),
            year_from: "2025".into(),
            year_to: "2023".into(),
            act_number: "609".into(),
            act_date: "31.02.2023".into(),
        };
        let e = f.validate().unwrap_err();
        assert_eq!(e.get("year_to"), Some("err-year-order"));
        assert_eq!(e.get("act_date"), Some("err-date"));
        let ok = PlanForm {
            year_from: "2023".into(),
            year_to: "2025".into(),
            act_date: "04.09.2023".into(),
            ..f
        }
        .validate()
        .unwrap();
        assert_eq!(ok.act_date, Some(jiff::civil::date(2023, 9, 4)));
    }

    #[test]
    fn executor_names_match_despite_quotes_case_and_consent_marks() {
        assert_eq!(
            executor_key("БО «Світло надії» (за згодою)"),
            executor_key("бо \"світло  надії\"")
        );
        assert_eq!(executor_key("  ГУНП. "), "гунп");
        assert!(says_by_consent("органи місцевого самоврядування (за згодою)"));
    }
}
