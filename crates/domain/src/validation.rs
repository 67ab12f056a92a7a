//! Field-level validation results. Messages are Fluent message ids (for
//! example `err-required`), so the web layer shows them in the user's language
//! beside the field they belong to.

use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(BTreeMap<&'static str, &'static str>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records the first problem found for `field`; later ones for the same field are ignored.
    /// One message for one field: the whole answer of a check that can fail one way.
    pub fn one(field: &'static str, message_id: &'static str) -> Self {
        let mut e = Self::new();
        e.add(field, message_id);
        e
    }

    pub fn add(&mut self, field: &'static str, message_id: &'static str) {
        self.0.entry(field).or_insert(message_id);
    }

    pub fn get(&self, field: &str) -> Option<&'static str> {
        self.0.get(field).copied()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
        self.0.iter().map(|(k, v)| (*k, *v))
    }

    /// `Ok(value)` when no errors were recorded, otherwise the errors.
    pub fn into_result<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.0.is_empty() { Ok(value) } else { Err(self) }
    }
}

/// A checkbox of a submitted form: ticked when its value is anything but blank
/// (an unticked box is not sent at all). For `#[serde(deserialize_with)]`.
pub fn checkbox<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let v = <String as serde::Deserialize>::deserialize(d)?;
    Ok(!v.trim().is_empty())
}

/// Trims and returns the text, or records `err-required` when it is empty.
pub fn required(errors: &mut FieldErrors, field: &'static str, value: &str) -> String {
    let v = value.trim();
    if v.is_empty() {
        errors.add(field, "err-required");
    }
    v.to_string()
}

/// Trims; `None` for an empty value.
pub fn optional(value: &str) -> Option<String> {
    let v = value.trim();
    if v.is_empty() { None } else { Some(v.to_string()) }
}

/// Checks a maximum length in characters (not bytes: Ukrainian letters are two bytes each).
pub fn max_chars(errors: &mut FieldErrors, field: &'static str, value: &str, max: usize) {
    if value.chars().count() > max {
        errors.add(field, "err-too-long");
    }
}

/// A deliberately modest e-mail check: something@something.something, no spaces.
pub fn looks_like_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !value.chars().any(char::is_whitespace)
        && !domain.contains('@')
}

/// Phone numbers as people write them: digits, spaces, +, -, brackets; 5 to 20 digits.
pub fn looks_like_phone(value: &str) -> bool {
    let digits = value.chars().filter(char::is_ascii_digit).count();
    (5..=20).contains(&digits)
        && value
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | ','))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_error_per_field_wins() {
        let mut e = FieldErrors::new();
        e.add("name", "err-required");
        e.add("name", "err-too-long");
        assert_eq!(e.get("name"), Some("err-required"));
        assert!(e.into_result(()).is_err());
    }

    #[test]
    fn max_chars_counts_letters_not_bytes() {
        let mut e = FieldErrors::new();
        max_chars(&mut e, "n", "Полтава", 7);
        assert!(e.is_empty());
        max_chars(&mut e, "n", "Полтава!", 7);
        assert_eq!(e.get("n"), Some("err-too-long"));
    }

    #[test]
    fn email_and_phone_shapes() {
        assert!(looks_like_email("dszn@adm-pl.gov.ua"));
        assert!(!looks_like_email("dszn@gov"));
        assert!(!looks_like_email("a b@x.ua"));
        assert!(looks_like_phone("+38 (0532) 56-02-21"));
        assert!(!looks_like_phone("phone"));
    }
}
