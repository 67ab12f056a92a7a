//! EDRPOU (ЄДРПОУ): the 8-digit identification code of a Ukrainian legal
//! entity, whose last digit is a check digit. Built only through [`Edrpou::parse`].

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Edrpou(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EdrpouError {
    #[error("an EDRPOU code has exactly 8 digits")]
    Shape,
    #[error("the check digit does not match")]
    CheckDigit,
}

impl Edrpou {
    pub fn parse(input: &str) -> Result<Self, EdrpouError> {
        let s = input.trim();
        if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(EdrpouError::Shape);
        }
        let d: Vec<u32> = s.bytes().map(|b| u32::from(b - b'0')).collect();
        if check_digit(&d[..7]) != d[7] {
            return Err(EdrpouError::CheckDigit);
        }
        Ok(Self(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Edrpou {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The check digit of the first seven digits, by the State Statistics Service's
/// algorithm: weights 1..7 (or 7,1..6 for codes between 30000000 and 60000000);
/// if the sum mod 11 is 10, weights + 2 are used; a second 10 gives 0.
pub fn check_digit(first7: &[u32]) -> u32 {
    let value = first7.iter().fold(0u32, |acc, d| acc * 10 + d) * 10;
    let base: [u32; 7] = if (30_000_000..60_000_000).contains(&value) {
        [7, 1, 2, 3, 4, 5, 6]
    } else {
        [1, 2, 3, 4, 5, 6, 7]
    };
    let sum = |add: u32| -> u32 {
        first7
            .iter()
            .zip(base.iter())
            .map(|(d, w)| d * (w + add))
            .sum::<u32>()
            % 11
    };
    let first = sum(0);
    if first < 10 {
        return first;
    }
    let second = sum(2);
    if second < 10 { second } else { 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a valid code from seven digits, so tests don't depend on real registry entries.
    fn valid(first7: &str) -> String {
        let d: Vec<u32> = first7.bytes().map(|b| u32::from(b - b'0')).collect();
        format!("{first7}{}", check_digit(&d))
    }

    #[test]
    fn accepts_codes_with_matching_check_digit_in_both_weight_ranges() {
        for first7 in ["0000003", "1234567", "3000000", "4431234", "5999999", "9876543"] {
            let code = valid(first7);
            assert_eq!(Edrpou::parse(&code).map(|e| e.to_string()), Ok(code));
        }
    }

    #[test]
    fn known_published_codes_validate() {
        // Codes of two state-owned banks, printed on every payment form.
        for code in ["14360570", "00032129"] {
            assert!(Edrpou::parse(code).is_ok(), "{code}");
        }
    }

    #[test]
    fn rejects_a_wrong_check_digit() {
        let code = valid("1234567");
        let last = code.as_bytes()[7] - b'0';
        let wrong = format!("1234567{}", (last + 1) % 10);
        assert_eq!(Edrpou::parse(&wrong), Err(EdrpouError::CheckDigit));
    }

    #[test]
    fn rejects_wrong_shapes() {
        for bad in ["", "1234567", "123456789", "1234567a", "12 34567"] {
            assert_eq!(Edrpou::parse(bad), Err(EdrpouError::Shape), "{bad:?}");
        }
    }
}
