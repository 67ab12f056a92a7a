//! Money: an integer number of kopiykas, never a float.

use std::fmt;

/// An amount in kopiykas (1 hryvnia = 100 kopiykas).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(i64);

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_kopiykas(k: i64) -> Self {
        Self(k)
    }

    /// Whole hryvnias (the subsistence minimums are set in whole hryvnias).
    pub const fn from_hryvnias(h: i64) -> Self {
        Self(h * 100)
    }

    pub const fn kopiykas(self) -> i64 {
        self.0
    }

    /// The amount as a number of hryvnias, for a spreadsheet cell (exact to
    /// the kopiyka for any amount this system handles: well below 2^53).
    pub fn as_hryvnias_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// `multiplier` × this amount; `None` on overflow.
    pub fn times(self, multiplier: i64) -> Option<Money> {
        self.0.checked_mul(multiplier).map(Money)
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    pub fn negated(self) -> Money {
        Money(-self.0)
    }

    /// Ukrainian form: `9 588,00 грн` (groups of three digits separated by a
    /// no-break space, a decimal comma, a no-break space before the unit).
    pub fn uk(self) -> String {
        format!("{}\u{a0}грн", self.number_uk())
    }

    /// `9 588,00` without the unit.
    pub fn number_uk(self) -> String {
        let sign = if self.0 < 0 { "−" } else { "" };
        let abs = self.0.unsigned_abs();
        let whole = (abs / 100).to_string();
        let mut grouped = String::with_capacity(whole.len() + whole.len() / 3 * 2);
        for (i, ch) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                grouped.push('\u{a0}');
            }
            grouped.push(ch);
        }
        format!("{sign}{grouped},{:02}", abs % 100)
    }

    /// Parses `9588`, `9 588,00`, `9588.5` (hryvnias, at most two decimals).
    pub fn parse_hryvnias(s: &str) -> Option<Money> {
        let t: String = s
            .trim()
            .trim_end_matches("грн")
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
            .map(|c| if c == ',' { '.' } else { c })
            .collect();
        if t.is_empty() || t.starts_with('-') {
            return None;
        }
        let (whole, frac) = match t.split_once('.') {
            Some((w, f)) => (w, f),
            None => (t.as_str(), ""),
        };
        if whole.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || frac.len() > 2
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || whole.len() > 12
        {
            return None;
        }
        let w: i64 = whole.parse().ok()?;
        let f: i64 = if frac.is_empty() {
            0
        } else {
            format!("{frac:0<2}").parse().ok()?
        };
        w.checked_mul(100)?.checked_add(f).map(Money)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.uk())
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money(iter.map(|m| m.0).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(s: String) -> String {
        s.replace('\u{a0}', " ")
    }

    #[test]
    fn shown_in_the_ukrainian_way() {
        assert_eq!(plain(Money::from_hryvnias(9588).uk()), "9 588,00 грн");
        assert_eq!(plain(Money::from_kopiykas(5).uk()), "0,05 грн");
        assert_eq!(plain(Money::from_hryvnias(1_234_567).uk()), "1 234 567,00 грн");
        assert_eq!(plain(Money::from_hryvnias(-7083).uk()), "−7 083,00 грн");
        assert_eq!(plain(Money::from_hryvnias(100).uk()), "100,00 грн");
    }

    #[test]
    fn parsed_from_what_people_type() {
        assert_eq!(Money::parse_hryvnias("9588"), Some(Money::from_hryvnias(9588)));
        assert_eq!(
            Money::parse_hryvnias("9 588,00"),
            Some(Money::from_hryvnias(9588))
        );
        assert_eq!(
            Money::parse_hryvnias("2563.5"),
            Some(Money::from_kopiykas(256_350))
        );
        for bad in ["", "-5", "1,234", "abc", "1.2.3", "9999999999999"] {
            assert_eq!(Money::parse_hryvnias(bad), None, "{bad}");
        }
    }
}
