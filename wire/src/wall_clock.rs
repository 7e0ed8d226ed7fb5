//! Dates as Nexudus sends them: the space's local wall clock, often with a literal `Z` that does not
//! mean UTC. They are kept as written and sent back in the same form, never shifted by an offset.

use std::fmt;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::forms;

/// A date and time on the business's wall clock, remembering how the server wrote its suffix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WallClock {
    local: NaiveDateTime,
    suffix: Suffix,
}

/// What followed the time in the text it was read from; written back unchanged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Suffix {
    None,
    Z,
    /// An explicit offset in seconds east of UTC, e.g. `+01:00`.
    Offset(i32),
}

/// A date that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WallClockError(String);

impl fmt::Display for WallClockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "“{}” is not a date and time", self.0)
    }
}

impl std::error::Error for WallClockError {}

impl WallClock {
    /// A wall-clock time written with the `Z` suffix, the form the API's examples use.
    pub fn new(local: NaiveDateTime) -> Self {
        Self {
            local,
            suffix: Suffix::Z,
        }
    }

    /// The date and time on the business's wall clock.
    pub fn local(&self) -> NaiveDateTime {
        self.local
    }

    /// The same suffix, another wall-clock time: how an edited date is written back.
    pub fn with_local(self, local: NaiveDateTime) -> Self {
        Self { local, ..self }
    }

    /// Reads `2025-01-15T10:30:00Z`, with or without the `Z`, fractions of a second, seconds, or an
    /// explicit offset (kept, not applied); a date alone means its midnight.
    pub fn parse(text: &str) -> Result<Self, WallClockError> {
        let fail = || WallClockError(text.chars().take(40).collect());
        let trimmed = text.trim();
        let (body, suffix) = split_suffix(trimmed).ok_or_else(fail)?;
        let local = forms::read(body, forms::SECOND)
            .or_else(|| forms::read(body, forms::MINUTE))
            .or_else(|| forms::read(body, forms::SECOND_SPACED))
            .or_else(|| forms::read_day(body, forms::DAY).map(|d| d.and_time(NaiveTime::MIN)))
            .ok_or_else(fail)?;
        // chrono reads signed years to ±262,143, where adding a day overflows; the contract's
        // dates, as .NET's, have four digits. Kept within them, one such date does not make a
        // whole page of records unreadable.
        let local = local.clamp(Self::earliest(), Self::latest());
        Ok(Self { local, suffix })
    }

    /// The first moment of year 1, the earliest time a date of four-digit years holds.
    fn earliest() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(1, 1, 1).map_or(NaiveDateTime::MIN, |d| d.and_time(NaiveTime::MIN))
    }

    /// The latest time a date of four-digit years holds (.NET's `DateTime.MaxValue`, to the
    /// second), as some systems write "no end": a code extended past it keeps it.
    pub fn latest() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(9999, 12, 31)
            .and_then(|d| d.and_hms_opt(23, 59, 59))
            .unwrap_or(NaiveDateTime::MAX)
    }

    /// The form the list filters take: `YYYY-MM-DDTHH:mm`.
    pub fn to_filter_string(&self) -> String {
        forms::write(self.local, forms::MINUTE)
    }
}

fn split_suffix(text: &str) -> Option<(&str, Suffix)> {
    if let Some(body) = text.strip_suffix(['Z', 'z']) {
        return Some((body, Suffix::Z));
    }
    // An offset is the last `+hh:mm` / `-hh:mm` after the time (dates also contain '-').
    if let Some(t) = text.find('T').or_else(|| text.find(' ')) {
        if let Some(pos) = text[t..].rfind(['+', '-']).map(|p| p + t) {
            let (body, offset) = text.split_at(pos);
            let sign = if offset.starts_with('-') { -1 } else { 1 };
            let digits: String = offset[1..].chars().filter(|c| *c != ':').collect();
            if digits.len() != 4 || !digits.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let hours: i32 = digits[..2].parse().ok()?;
            let minutes: i32 = digits[2..].parse().ok()?;
            return Some((body, Suffix::Offset(sign * (hours * 3600 + minutes * 60))));
        }
    }
    Some((text, Suffix::None))
}

impl fmt::Display for WallClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&forms::write(self.local, forms::SECOND))?;
        match self.suffix {
            Suffix::None => Ok(()),
            Suffix::Z => f.write_str("Z"),
            Suffix::Offset(seconds) => {
                let sign = if seconds < 0 { '-' } else { '+' };
                let abs = seconds.abs();
                write!(f, "{sign}{:02}:{:02}", abs / 3600, abs % 3600 / 60)
            }
        }
    }
}

impl std::str::FromStr for WallClock {
    type Err = WallClockError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for WallClock {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for WallClock {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Reads an optional date where an empty string also means none.
pub(crate) fn optional<'de, D>(deserializer: D) -> Result<Option<WallClock>, D::Error>
where
    D: Deserializer<'de>,
{
    match Option::<String>::deserialize(deserializer)? {
        None => Ok(None),
        Some(text) if text.trim().is_empty() => Ok(None),
        Some(text) => WallClock::parse(&text)
            .map(Some)
            .map_err(serde::de::Error::custom),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f").unwrap()
    }

    #[test]
    fn years_are_kept_to_four_digits() {
        let read = |text: &str| WallClock::parse(text).unwrap();
        for text in ["+262142-12-31T23:59:59Z", "+10000-01-01T00:00:00Z"] {
            assert_eq!(read(text).local(), WallClock::latest(), "{text}");
            assert_eq!(read(text).to_string(), "9999-12-31T23:59:59Z");
        }
        assert_eq!(read("9999-12-31T23:59:59Z").local(), WallClock::latest());
        assert_eq!(
            read("0000-12-31T10:00:00").to_string(),
            "0001-01-01T00:00:00"
        );
        assert_eq!(read("0001-01-01").to_string(), "0001-01-01T00:00:00");
    }

    #[test]
    fn z_is_kept_as_wall_clock_and_written_back() {
        let d = WallClock::parse("2025-01-15T10:30:00Z").unwrap();
        assert_eq!(d.local(), at("2025-01-15 10:30:00"));
        assert_eq!(d.to_string(), "2025-01-15T10:30:00Z");
    }

    #[test]
    fn without_z_and_with_fractions() {
        let d = WallClock::parse("2025-01-15T10:30:00.1234567").unwrap();
        assert_eq!(d.local(), at("2025-01-15 10:30:00.1234567"));
        assert_eq!(d.to_string(), "2025-01-15T10:30:00.123456700");
        assert_eq!(
            WallClock::parse("2025-01-15T10:30").unwrap().to_string(),
            "2025-01-15T10:30:00"
        );
    }

    #[test]
    fn an_offset_is_kept_and_not_applied() {
        let d = WallClock::parse("2022-04-20T10:10:30+02:00").unwrap();
        assert_eq!(d.local(), at("2022-04-20 10:10:30"));
        assert_eq!(d.to_string(), "2022-04-20T10:10:30+02:00");
        let d = WallClock::parse("2022-04-20T10:10:30-05:30").unwrap();
        assert_eq!(d.to_string(), "2022-04-20T10:10:30-05:30");
    }

    #[test]
    fn a_date_alone_is_midnight() {
        let d = WallClock::parse("2025-03-01").unwrap();
        assert_eq!(d.local(), at("2025-03-01 00:00:00"));
    }

    #[test]
    fn garbage_is_an_error_with_the_text() {
        let e = WallClock::parse("next tuesday").unwrap_err();
        assert_eq!(e.to_string(), "“next tuesday” is not a date and time");
        assert!(WallClock::parse("2025-13-01T00:00:00Z").is_err());
        assert!(WallClock::parse("2025-01-01T00:00:00+0x:00").is_err());
    }

    #[test]
    fn filter_form_has_minutes_only() {
        let d = WallClock::parse("2025-01-15T10:30:59Z").unwrap();
        assert_eq!(d.to_filter_string(), "2025-01-15T10:30");
    }
}
