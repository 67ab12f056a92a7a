//! KATOTTG (Кодифікатор адміністративно-територіальних одиниць та територій
//! територіальних громад) codes: `UA` followed by 17 digits.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Katottg(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a KATOTTG code is UA followed by 17 digits")]
pub struct KatottgError;

impl Katottg {
    pub fn parse(input: &str) -> Result<Self, KatottgError> {
        let s = input.trim().to_ascii_uppercase();
        let digits = s.strip_prefix("UA").ok_or(KatottgError)?;
        if digits.len() != 17 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(KatottgError);
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The two-digit code of the first-level unit (oblast), e.g. `53` for Poltava.
    pub fn oblast_code(&self) -> &str {
        &self.0[2..4]
    }
}

impl fmt::Display for Katottg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_normalises_case() {
        let k = Katottg::parse(" ua71020010000037786 ").map(|k| k.to_string());
        assert_eq!(k.as_deref(), Ok("UA71020010000037786"));
        assert_eq!(
            Katottg::parse("UA53000000000000000").map(|k| k.oblast_code().to_string()),
            Ok("53".to_string())
        );
    }

    #[test]
    fn rejects_other_shapes() {
        for bad in [
            "",
            "53000000000000000",
            "UA5300000000000000",
            "UA530000000000000000",
            "UAx3000000000000000",
        ] {
            assert_eq!(Katottg::parse(bad), Err(KatottgError), "{bad}");
        }
    }
}
