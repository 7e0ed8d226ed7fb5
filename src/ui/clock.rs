//! The browser's clock as the business's wall clock: the desk is where the space is.

use chrono::{NaiveDate, NaiveDateTime};

/// Now, on the local wall clock, to the second.
pub fn now() -> NaiveDateTime {
    let d = js_sys::Date::new_0();
    NaiveDate::from_ymd_opt(d.get_full_year() as i32, d.get_month() + 1, d.get_date())
        .and_then(|day| day.and_hms_opt(d.get_hours(), d.get_minutes(), d.get_seconds()))
        .unwrap_or_default()
}

/// A wall-clock time as a person reads it: `Mon 10 Mar, 14:30`.
pub fn show(at: NaiveDateTime) -> String {
    at.format("%a %-d %b %Y, %H:%M").to_string()
}

/// A wall-clock time for a table cell: `10 Mar, 14:30`.
pub fn show_short(at: NaiveDateTime) -> String {
    at.format("%-d %b, %H:%M").to_string()
}

/// The value of an `<input type="datetime-local">`.
pub fn to_input(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M").to_string()
}

/// Reads an `<input type="datetime-local">` value; empty or malformed is `None`.
pub fn from_input(value: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(value.trim(), "%Y-%m-%dT%H:%M").ok()
}
