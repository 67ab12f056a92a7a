//! Dates as the records keep them: a civil date in Kyiv for a moment, and a
//! stored `YYYY-MM-DD` read back.

use domain::{DomainError, DomainResult};
use jiff::civil::Date;

/// The civil date in Kyiv of a unix second: deadlines are Kyiv days.
pub fn kyiv_date(unix: i64) -> Date {
    let ts = jiff::Timestamp::from_second(unix).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    match jiff::tz::TimeZone::get("Europe/Kyiv") {
        Ok(tz) => ts.to_zoned(tz).date(),
        Err(_) => ts.to_zoned(jiff::tz::TimeZone::UTC).date(),
    }
}

pub fn parse_date(s: &str) -> DomainResult<Date> {
    s.parse().map_err(|_| DomainError::Internal("stored date".into()))
}
