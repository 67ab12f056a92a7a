//! The territory tree: country → oblast → raion → hromada.
//!
//! Every territory carries a materialised path of ids (`/1/2/7/`), so "within
//! this territory" is a prefix test both here and in SQL.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TerritoryLevel {
    Country,
    Oblast,
    Raion,
    Hromada,
}

impl TerritoryLevel {
    pub const ALL: [TerritoryLevel; 4] = [Self::Country, Self::Oblast, Self::Raion, Self::Hromada];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Country => "country",
            Self::Oblast => "oblast",
            Self::Raion => "raion",
            Self::Hromada => "hromada",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// The level a child of this level has.
    pub fn child(self) -> Option<Self> {
        match self {
            Self::Country => Some(Self::Oblast),
            Self::Oblast => Some(Self::Raion),
            Self::Raion => Some(Self::Hromada),
            Self::Hromada => None,
        }
    }
}

impl fmt::Display for TerritoryLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A materialised territory path such as `/1/2/7/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TerritoryPath(String);

impl TerritoryPath {
    pub fn root(id: i64) -> Self {
        Self(format!("/{id}/"))
    }

    pub fn child(&self, id: i64) -> Self {
        Self(format!("{}{id}/", self.0))
    }

    /// Accepts only paths of the form `/n/.../`.
    pub fn parse(s: &str) -> Option<Self> {
        let inner = s.strip_prefix('/')?.strip_suffix('/')?;
        if inner.is_empty()
            || !inner
                .split('/')
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        Some(Self(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when `other` is this territory or lies inside it.
    pub fn contains(&self, other: &TerritoryPath) -> bool {
        other.0.starts_with(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containment_is_by_whole_segments() {
        let oblast = TerritoryPath::root(1).child(5);
        let raion = oblast.child(12);
        let other = TerritoryPath::root(1).child(51);
        assert!(oblast.contains(&raion));
        assert!(oblast.contains(&oblast));
        assert!(!raion.contains(&oblast));
        assert!(!oblast.contains(&other), "/1/5/ must not contain /1/51/");
    }

    #[test]
    fn parse_rejects_malformed_paths() {
        assert!(TerritoryPath::parse("/1/5/").is_some());
        for bad in ["", "/", "1/5/", "/1/5", "/1//5/", "/a/"] {
            assert!(TerritoryPath::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn levels_descend() {
        assert_eq!(TerritoryLevel::Oblast.child(), Some(TerritoryLevel::Raion));
        assert_eq!(TerritoryLevel::Hromada.child(), None);
        assert_eq!(TerritoryLevel::parse("raion"), Some(TerritoryLevel::Raion));
    }
}
