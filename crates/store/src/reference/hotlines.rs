//! The hotlines the public pages list (`data/reference/hotlines.csv`,
//! compiled in: they change with a release, not at run time, and a public
//! page must not need the database to show them).

use std::sync::LazyLock;

/// One hotline: its number as dialled, its Ukrainian name and what it is
/// for, in English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hotline {
    pub number: String,
    pub name_uk: String,
    pub purpose_en: String,
}

impl Hotline {
    /// What a person reads in `lang`.
    pub fn name(&self, lang: &str) -> &str {
        crate::localized(lang, &self.name_uk, &self.purpose_en)
    }

    /// The number for a `tel:` link: digits only.
    pub fn dial(&self) -> String {
        self.number.chars().filter(char::is_ascii_digit).collect()
    }
}

pub const HOTLINES_CSV: &str = include_str!("../../../../data/reference/hotlines.csv");

static HOTLINES: LazyLock<Vec<Hotline>> = LazyLock::new(|| parse(HOTLINES_CSV));

/// Every hotline, in the file's order.
pub fn hotlines() -> &'static [Hotline] {
    &HOTLINES
}

/// Rows with a number and a name; a malformed row is skipped (a test keeps
/// the file whole).
fn parse(text: &str) -> Vec<Hotline> {
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .filter_map(Result::ok)
        .filter_map(|r| {
            let number = r.get(0)?.trim().to_string();
            let name_uk = r.get(1)?.trim().to_string();
            let purpose_en = capitalised(r.get(2).unwrap_or("").trim());
            (!number.is_empty() && !name_uk.is_empty()).then_some(Hotline {
                number,
                name_uk,
                purpose_en,
            })
        })
        .collect()
}

/// The file writes the purposes as phrases ("government hotline on …");
/// a page shows them as names.
fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_of_the_file_is_a_hotline() {
        let rows = HOTLINES_CSV
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .count();
        assert_eq!(hotlines().len(), rows);
        let numbers: Vec<&str> = hotlines().iter().map(|h| h.number.as_str()).collect();
        for n in ["1547", "116 123", "116 111", "102", "112", "527"] {
            assert!(numbers.contains(&n), "{n} missing");
        }
        let h = hotlines().iter().find(|h| h.number == "116 123");
        assert_eq!(h.map(Hotline::dial).as_deref(), Some("116123"));
    }
}
