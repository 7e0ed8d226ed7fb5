//! The fixed forms dates are written and read in, as chrono's format items: the forms of strftime
//! strings such as `%Y-%m-%dT%H:%M`, built once as items, so the widget's bundle holds no strftime
//! parser (`StrftimeItems`) and no formatter instantiated for it.
//!
//! Each form is spelt out whole, though they share their date: built from shared pieces, chrono's
//! writer and reader are built again for a chained iterator (2 KB gzip more in the widget), or
//! the pieces are joined on every call (0.6 KB more, measured).

use chrono::format::{self, Fixed, Item, Numeric, Pad, Parsed};
use chrono::{NaiveDate, NaiveDateTime};

/// A number padded with zeros: `%Y`, `%m`, `%d`, `%H`, `%M`, `%S`.
pub const fn zero(n: Numeric) -> Item<'static> {
    Item::Numeric(n, Pad::Zero)
}

/// A number without padding: `%-d`.
pub const fn bare(n: Numeric) -> Item<'static> {
    Item::Numeric(n, Pad::None)
}

/// Text written and read as it is.
pub const fn text(t: &'static str) -> Item<'static> {
    Item::Literal(t)
}

/// `%Y-%m-%d`: a day.
pub const DAY: &[Item<'static>] = &[
    zero(Numeric::Year),
    text("-"),
    zero(Numeric::Month),
    text("-"),
    zero(Numeric::Day),
];

/// `%Y-%m-%dT%H:%M`: the API's filters and ranges, and `<input type="datetime-local">`.
pub const MINUTE: &[Item<'static>] = &[
    zero(Numeric::Year),
    text("-"),
    zero(Numeric::Month),
    text("-"),
    zero(Numeric::Day),
    text("T"),
    zero(Numeric::Hour),
    text(":"),
    zero(Numeric::Minute),
];

/// `%Y-%m-%dT%H:%M:%S%.f`: the API's records.
pub const SECOND: &[Item<'static>] = &[
    zero(Numeric::Year),
    text("-"),
    zero(Numeric::Month),
    text("-"),
    zero(Numeric::Day),
    text("T"),
    zero(Numeric::Hour),
    text(":"),
    zero(Numeric::Minute),
    text(":"),
    zero(Numeric::Second),
    Item::Fixed(Fixed::Nanosecond),
];

/// `%Y-%m-%d %H:%M:%S%.f`: a record's date with a space for the `T`.
pub const SECOND_SPACED: &[Item<'static>] = &[
    zero(Numeric::Year),
    text("-"),
    zero(Numeric::Month),
    text("-"),
    zero(Numeric::Day),
    text(" "),
    zero(Numeric::Hour),
    text(":"),
    zero(Numeric::Minute),
    text(":"),
    zero(Numeric::Second),
    Item::Fixed(Fixed::Nanosecond),
];

/// `at` written in the form `items`.
pub fn write(at: NaiveDateTime, items: &[Item<'_>]) -> String {
    at.format_with_items(items.iter()).to_string()
}

/// `text` read in the form `items`, all of it; seconds left out are zero.
pub fn read(text: &str, items: &[Item<'_>]) -> Option<NaiveDateTime> {
    let mut parsed = Parsed::new();
    format::parse(&mut parsed, text, items.iter()).ok()?;
    parsed.to_naive_datetime_with_offset(0).ok()
}

/// `text` read as a day in the form `items`, all of it.
pub fn read_day(text: &str, items: &[Item<'_>]) -> Option<NaiveDate> {
    let mut parsed = Parsed::new();
    format::parse(&mut parsed, text, items.iter()).ok()?;
    parsed.to_naive_date().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each form writes and reads what its strftime string does.
    #[test]
    fn each_form_is_its_strftime_string() {
        let forms = [
            (DAY, "%Y-%m-%d"),
            (MINUTE, "%Y-%m-%dT%H:%M"),
            (SECOND, "%Y-%m-%dT%H:%M:%S%.f"),
            (SECOND_SPACED, "%Y-%m-%d %H:%M:%S%.f"),
        ];
        let times = [
            "2026-01-02T03:04:05",
            "2026-11-28T23:59:59.250",
            "0999-12-31T00:00:00.000001",
            "2024-02-29T12:30:00",
        ];
        for (items, strftime) in forms {
            for time in times {
                let at: NaiveDateTime = time.parse().unwrap();
                let written = write(at, items);
                assert_eq!(written, at.format(strftime).to_string(), "{strftime}");
                let back = NaiveDateTime::parse_from_str(&written, strftime)
                    .or_else(|_| {
                        NaiveDate::parse_from_str(&written, strftime)
                            .map(|d| d.and_hms_opt(0, 0, 0).unwrap())
                    })
                    .unwrap();
                if items == DAY {
                    assert_eq!(read_day(&written, items), Some(back.date()));
                } else {
                    assert_eq!(read(&written, items), Some(back), "{strftime} {written}");
                }
            }
        }
        for odd in [
            "",
            "2026-13-01T00:00",
            "2026-01-01T00:00 and more",
            "2026-1-1T9:05",
            "x",
        ] {
            let strftime = NaiveDateTime::parse_from_str(odd, "%Y-%m-%dT%H:%M").ok();
            assert_eq!(read(odd, MINUTE), strftime, "{odd}");
        }
    }
}
