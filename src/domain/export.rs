//! The list as CSV, for a spreadsheet: one row per code, written by the `csv` crate.

use chrono::format::{Item, Numeric};
use chrono::NaiveDateTime;
use wifi_desk_wire::forms::{self, text, zero};
use wifi_desk_wire::{AccessToken, WallClock};

use super::status::Status;

const HEADER: [&str; 12] = [
    "Code",
    "Description",
    "Status",
    "Minutes included",
    "Minutes left",
    "Valid from",
    "Valid to",
    "Devices",
    "Last access",
    "Booking",
    "Visitor",
    "Id",
];

/// A spreadsheet runs a cell that starts with `= + - @` (or a tab or carriage return) as a formula;
/// such text from a description is written with a leading apostrophe so it stays text.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// A code a spreadsheet would read as a number and show as another (`04213` as 4213, `12345E67` as
/// 1.2345E+71, `123456789012` as 1.23457E+11) is written as a formula that gives its text,
/// `="04213"`, shown as written by Excel, LibreOffice and Google Sheets. Such a code holds nothing
/// but digits and an E, so the formula is nothing but the text.
fn code_cell(code: &str) -> String {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (mantissa, exponent) = match code.split_once(['E', 'e']) {
        Some((m, e)) => (m, Some(e)),
        None => (code, None),
    };
    let number = digits(mantissa) && exponent.is_none_or(digits);
    // Up to 11 digits with no leading zero are shown as they are.
    let changed =
        exponent.is_some() || code.len() > 11 || (code.len() > 1 && code.starts_with('0'));
    if number && changed {
        format!("=\"{code}\"")
    } else {
        cell(code)
    }
}

fn when(at: Option<WallClock>) -> String {
    // `%Y-%m-%d %H:%M`
    const FORM: &[Item<'static>] = &[
        zero(Numeric::Year),
        text("-"),
        zero(Numeric::Month),
        text("-"),
        zero(Numeric::Day),
        text(" "),
        zero(Numeric::Hour),
        text(":"),
        zero(Numeric::Minute),
    ];
    at.map(|w| forms::write(w.local(), FORM))
        .unwrap_or_default()
}

/// UTF-8's byte order mark: without it Excel reads a CSV file in the computer's legacy code page,
/// and "Visitor — Ada" shows as "Visitor â€” Ada".
const BOM: &str = "\u{FEFF}";

/// The codes as CSV with a header row, statuses as of `now`, marked as UTF-8 for spreadsheets.
pub fn to_csv(tokens: &[AccessToken], now: NaiveDateTime) -> Result<String, String> {
    let mut out = csv::Writer::from_writer(BOM.as_bytes().to_vec());
    let fail = |e: csv::Error| format!("the list could not be written as CSV: {e}");
    out.write_record(HEADER).map_err(fail)?;
    for t in tokens {
        out.write_record([
            code_cell(&t.access_code),
            cell(t.description.as_deref().unwrap_or_default()),
            Status::of(t, now).label().to_owned(),
            minutes(t, t.minutes_included),
            minutes(t, t.minutes_left),
            when(t.valid_from),
            when(t.valid_to),
            t.devices().to_string(),
            when(t.last_access),
            cell(t.booking_guid.as_deref().unwrap_or_default()),
            cell(t.visitor_guid.as_deref().unwrap_or_default()),
            t.id.to_string(),
        ])
        .map_err(fail)?;
    }
    let bytes = out.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

/// A count of minutes, or "No limit" for a code with none included, as the list and the detail
/// say: "0" left would read as used up.
fn minutes(t: &AccessToken, count: i64) -> String {
    if t.metered() {
        count.to_string()
    } else {
        "No limit".to_owned()
    }
}

/// The file name for an export made at `now`: `wifi-desk-codes-2025-03-10-1430.csv`.
pub fn file_name(now: NaiveDateTime) -> String {
    // `%Y-%m-%d-%H%M`
    const FORM: &[Item<'static>] = &[
        zero(Numeric::Year),
        text("-"),
        zero(Numeric::Month),
        text("-"),
        zero(Numeric::Day),
        text("-"),
        zero(Numeric::Hour),
        zero(Numeric::Minute),
    ];
    format!("wifi-desk-codes-{}.csv", forms::write(now, FORM))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    fn token(code: &str, description: &str) -> AccessToken {
        AccessToken {
            id: 7,
            access_code: code.into(),
            description: Some(description.into()),
            minutes_included: 60,
            minutes_left: 45,
            valid_from: Some(WallClock::new(at("2025-03-10 09:00"))),
            valid_to: Some(WallClock::new(at("2025-03-10 18:00"))),
            ..AccessToken::default()
        }
    }

    #[test]
    fn header_and_one_row() {
        let text = to_csv(
            &[token("K7QM3XPD", "Visitor — Ada")],
            at("2025-03-10 12:00"),
        )
        .unwrap();
        assert_eq!(
            text,
            "\u{FEFF}Code,Description,Status,Minutes included,Minutes left,Valid from,Valid to,Devices,Last access,Booking,Visitor,Id\n\
             K7QM3XPD,Visitor — Ada,Active,60,45,2025-03-10 09:00,2025-03-10 18:00,1,,,,7\n"
        );
    }

    #[test]
    fn a_code_without_a_minute_limit_says_so() {
        let unlimited = AccessToken {
            minutes_included: 0,
            minutes_left: 0,
            ..token("K7QM3XPD", "Visitor")
        };
        let text = to_csv(&[unlimited], at("2025-03-10 12:00")).unwrap();
        let row = csv::Reader::from_reader(text.as_bytes())
            .records()
            .next()
            .unwrap()
            .unwrap();
        assert_eq!(
            (&row[2], &row[3], &row[4]),
            ("Active", "No limit", "No limit")
        );
    }

    #[test]
    fn commas_quotes_and_new_lines_are_quoted() {
        let text = to_csv(
            &[token("A1", "Room 2, \"north\"\nside")],
            at("2025-03-10 12:00"),
        )
        .unwrap();
        assert!(
            text.contains("A1,\"Room 2, \"\"north\"\"\nside\",Active"),
            "{text}"
        );
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let row = reader.records().next().unwrap().unwrap();
        assert_eq!(&row[1], "Room 2, \"north\"\nside", "reads back as written");
    }

    #[test]
    fn formulas_stay_text() {
        for (typed, written) in [
            ("=1+1", "'=1+1"),
            ("+44 20", "'+44 20"),
            ("-5", "'-5"),
            ("@SUM(A1)", "'@SUM(A1)"),
        ] {
            let text = to_csv(&[token("A1", typed)], at("2025-03-10 12:00")).unwrap();
            let row = csv::Reader::from_reader(text.as_bytes())
                .records()
                .next()
                .unwrap()
                .unwrap();
            assert_eq!(&row[1], written);
        }
    }

    #[test]
    fn codes_a_spreadsheet_would_show_as_another_number_stay_text() {
        for (code, written) in [
            ("04213", "=\"04213\""),
            ("12345E67", "=\"12345E67\""),
            ("1e5", "=\"1e5\""),
            ("123456789012", "=\"123456789012\""),
            // Shown as written: a number as it is, or not a number at all.
            ("42137", "42137"),
            ("12345678901", "12345678901"),
            ("0", "0"),
            ("K7QM3XPD", "K7QM3XPD"),
            ("E5", "E5"),
            ("5E", "5E"),
            ("guest-042", "guest-042"),
            ("-042", "'-042"),
        ] {
            let text = to_csv(&[token(code, "")], at("2025-03-10 12:00")).unwrap();
            let row = csv::Reader::from_reader(text.as_bytes())
                .records()
                .next()
                .unwrap()
                .unwrap();
            assert_eq!(&row[0], written, "{code}");
        }
    }

    #[test]
    fn the_file_says_it_is_utf8_and_reads_back_without_the_mark() {
        let text = to_csv(&[token("A1", "Visitor — Ada")], at("2025-03-10 12:00")).unwrap();
        assert!(text.starts_with("\u{FEFF}Code,"));
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(&reader.headers().unwrap()[0], "Code");
    }

    #[test]
    fn names_say_when() {
        assert_eq!(
            file_name(at("2025-03-10 14:30")),
            "wifi-desk-codes-2025-03-10-1430.csv"
        );
    }
}
