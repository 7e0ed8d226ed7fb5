//! How long a code is valid: the presets a receptionist picks from, and the checks before sending.

use chrono::{Duration, NaiveDateTime, NaiveTime, Timelike};

/// A validity preset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Preset {
    /// One hour from now.
    OneHour,
    /// Four hours from now.
    FourHours,
    /// Until midnight tonight.
    EndOfDay,
    /// 24 hours from now.
    OneDay,
    /// Seven days from now.
    OneWeek,
    /// Fourteen days from now: Space Invoices' default token lifetime (1,209,600 s).
    TwoWeeks,
}

impl Preset {
    /// Every preset, in the order the form offers them.
    pub const ALL: [Preset; 6] = [
        Preset::OneHour,
        Preset::FourHours,
        Preset::EndOfDay,
        Preset::OneDay,
        Preset::OneWeek,
        Preset::TwoWeeks,
    ];

    /// The words on the form.
    pub fn label(self) -> &'static str {
        match self {
            Self::OneHour => "1 hour",
            Self::FourHours => "4 hours",
            Self::EndOfDay => "Until end of day",
            Self::OneDay => "1 day",
            Self::OneWeek => "1 week",
            Self::TwoWeeks => "2 weeks",
        }
    }

    /// A stable name, for form values.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OneHour => "1h",
            Self::FourHours => "4h",
            Self::EndOfDay => "eod",
            Self::OneDay => "1d",
            Self::OneWeek => "1w",
            Self::TwoWeeks => "2w",
        }
    }

    /// The preset named by [`Self::as_str`].
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == text.trim())
    }

    /// How many hours an hour preset lasts; `None` for the others, which count days on the clock.
    pub fn hours(self) -> Option<u32> {
        match self {
            Self::OneHour => Some(1),
            Self::FourHours => Some(4),
            _ => None,
        }
    }

    /// The window from `now` (the business's wall clock), whole minutes, counted on the clock.
    /// Across a change of the clocks an hour preset's end must also be that many real hours
    /// away: the widget's clock takes the later of the two.
    pub fn window(self, now: NaiveDateTime) -> (NaiveDateTime, NaiveDateTime) {
        let from = now
            .with_second(0)
            .unwrap_or(now)
            .with_nanosecond(0)
            .unwrap_or(now);
        let to = match self {
            Self::OneHour | Self::FourHours => {
                from + Duration::hours(self.hours().map_or(0, i64::from))
            }
            Self::EndOfDay => (from.date() + Duration::days(1)).and_time(NaiveTime::MIN),
            Self::OneDay => from + Duration::days(1),
            Self::OneWeek => from + Duration::days(7),
            Self::TwoWeeks => from + Duration::days(14),
        };
        (from, to)
    }
}

/// A problem with what was typed, with the field it belongs beside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The API's name of the field, e.g. `ValidTo`.
    pub field: &'static str,
    /// The sentence to show beside it.
    pub message: &'static str,
}

/// Moves the end of `token`'s validity `by` later, from `now` if it already ended (so an extended
/// code is usable again); a code with no end stays without one.
pub fn extend(token: &mut wifi_desk_wire::AccessToken, by: Duration, now: NaiveDateTime) {
    extend_to(token, now, |from| from + by);
}

/// Moves the end of `token`'s validity to `later(from)`, where `from` is its end, or `now` if it
/// already ended; a code with no end stays without one. For an extension in hours across a change
/// of the clocks (`clock::hours_later`). It goes no later than the last second of year 9999, which
/// some systems write for "no end".
pub fn extend_to(
    token: &mut wifi_desk_wire::AccessToken,
    now: NaiveDateTime,
    later: impl FnOnce(NaiveDateTime) -> NaiveDateTime,
) {
    if let Some(to) = token.valid_to {
        let latest = wifi_desk_wire::WallClock::latest();
        token.valid_to = Some(to.with_local(later(to.local().max(now)).min(latest)));
    }
}

/// The window of a code whose create may have landed unanswered, to send it again as it was, so a
/// code that landed is found rather than made twice; none once that window has ended ("until end
/// of day" tried again after midnight), when a window is taken from now: made, the code would
/// never work, and the form would refuse its end beside a date field the preset keeps hidden.
pub fn window_again(
    sent: &wifi_desk_wire::AccessToken,
    now: NaiveDateTime,
) -> Option<(NaiveDateTime, NaiveDateTime)> {
    let (from, to) = (sent.valid_from?.local(), sent.valid_to?.local());
    (to > now).then_some((from, to))
}

/// Minutes in the day [`extend_booking`] adds.
pub const DAY_MINUTES: i64 = 24 * 60;

/// Extends a booking's code by a day from `now` if it ended: its end, and for a code with a minute
/// limit its minutes too, since a booking's code has as many minutes as its window and a visitor
/// would otherwise run out of minutes before the day is over. Returns what a lost answer is judged
/// by ([`landed`]): the end and the minutes included, not the minutes left, which a server may
/// keep read-only while it moves the end all the same.
pub fn extend_booking(
    token: &mut wifi_desk_wire::AccessToken,
    now: NaiveDateTime,
) -> wifi_desk_wire::AccessToken {
    extend(token, Duration::days(1), now);
    let mut judged = token.clone();
    if token.metered() {
        token.minutes_included += DAY_MINUTES;
        token.minutes_left += DAY_MINUTES;
        judged.minutes_included = token.minutes_included;
    }
    judged
}

/// Minutes left once a code's minutes included become `included`: changed by as much, never
/// below zero, so raising the allowance tops the code up and lowering it takes minutes away.
pub fn minutes_left_after(token: &wifi_desk_wire::AccessToken, included: i64) -> i64 {
    (token.minutes_left + included - token.minutes_included).max(0)
}

/// Applies an edit to `now`, the record as the server has it when the edit is saved: `edited` is
/// what the form made of `opened`, the record it showed. Only the fields the edit changed are
/// written, so a change made elsewhere meanwhile (another desk's Extend or Top up) is kept, not
/// undone by the values the form was opened with. A new allowance changes the minutes left by as
/// much, from what is left now: minutes used meanwhile stay used.
pub fn apply_edit(
    opened: &wifi_desk_wire::AccessToken,
    edited: &wifi_desk_wire::AccessToken,
    now: &mut wifi_desk_wire::AccessToken,
) {
    if edited.access_code != opened.access_code {
        now.access_code.clone_from(&edited.access_code);
    }
    if edited.description != opened.description {
        now.description.clone_from(&edited.description);
    }
    if edited.minutes_included != opened.minutes_included {
        now.minutes_left = minutes_left_after(now, edited.minutes_included);
        now.minutes_included = edited.minutes_included;
    }
    if edited.valid_from != opened.valid_from {
        now.valid_from = edited.valid_from;
    }
    if edited.valid_to != opened.valid_to {
        now.valid_to = edited.valid_to;
    }
    if edited.user_limit != opened.user_limit {
        now.user_limit = edited.user_limit;
    }
}

/// A new code's end that has passed already (at `now`): issued, it would never work.
pub fn ended(to: Option<NaiveDateTime>, now: NaiveDateTime) -> Option<Problem> {
    to.filter(|to| *to <= now).map(|_| Problem {
        field: "ValidTo",
        message: "This has passed: a code ending then would not work. Choose a later time.",
    })
}

/// Checks validity, minutes and devices before anything is sent.
pub fn check(
    from: Option<NaiveDateTime>,
    to: Option<NaiveDateTime>,
    minutes: Option<i64>,
    devices: Option<i64>,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    if let (Some(from), Some(to)) = (from, to) {
        if to <= from {
            problems.push(Problem {
                field: "ValidTo",
                message: "Must be later than “Valid from”.",
            });
        }
    }
    match minutes {
        None => problems.push(Problem {
            field: "MinutesIncluded",
            message: "Enter the minutes of access.",
        }),
        Some(m) if m <= 0 => problems.push(Problem {
            field: "MinutesIncluded",
            message: "Must be at least 1 minute.",
        }),
        Some(_) => {}
    }
    if devices.is_some_and(|d| d < 1) {
        problems.push(Problem {
            field: "UserLimit",
            message: "At least 1 device.",
        });
    }
    problems
}

/// Whether the server kept a change: `read` is the code read back after `written` replaced
/// `before`. Only what the change touched counts: dates to the second (a server may keep less),
/// the minutes included exactly, and minutes left raised at all (they fall while the code is
/// used, so they may be a little lower than written and still kept).
pub fn kept(
    before: &wifi_desk_wire::AccessToken,
    written: &wifi_desk_wire::AccessToken,
    read: &wifi_desk_wire::AccessToken,
) -> bool {
    let second = |w: Option<wifi_desk_wire::WallClock>| w.map(|w| w.local().and_utc().timestamp());
    let date = |of: fn(&wifi_desk_wire::AccessToken) -> Option<wifi_desk_wire::WallClock>| {
        second(of(written)) == second(of(before)) || second(of(read)) == second(of(written))
    };
    date(|t| t.valid_from)
        && date(|t| t.valid_to)
        && (written.minutes_included == before.minutes_included
            || read.minutes_included == written.minutes_included)
        && (written.minutes_left <= before.minutes_left || read.minutes_left > before.minutes_left)
}

/// Whether a change whose answer was lost was made: `read`, read after it, has what it touched
/// (as [`kept`] judges), and it touched something, so that is not simply `before` again.
pub fn landed(
    before: &wifi_desk_wire::AccessToken,
    sent: &wifi_desk_wire::AccessToken,
    read: &wifi_desk_wire::AccessToken,
) -> bool {
    kept(before, sent, read) && !kept(before, sent, before)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bookings_code_extended_gets_a_day_of_minutes_and_is_judged_by_its_end() {
        let at = |t: &str| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M").unwrap();
        let before = wifi_desk_wire::AccessToken {
            valid_from: Some(wifi_desk_wire::WallClock::new(at("2025-03-10 10:00"))),
            valid_to: Some(wifi_desk_wire::WallClock::new(at("2025-03-10 14:00"))),
            minutes_included: 240,
            minutes_left: 100,
            ..Default::default()
        };
        let mut written = before.clone();
        let judged = extend_booking(&mut written, at("2025-03-10 13:30"));
        assert_eq!(
            written.valid_to.map(|w| w.local()),
            Some(at("2025-03-11 14:00"))
        );
        assert_eq!(
            (written.minutes_included, written.minutes_left),
            (1680, 1540)
        );
        // Read back from a server that keeps minutes left as they were: the extend landed.
        let read = wifi_desk_wire::AccessToken {
            minutes_left: 100,
            ..written.clone()
        };
        assert!(landed(&before, &judged, &read));
        assert!(landed(&before, &judged, &written));
        assert!(!landed(&before, &judged, &before), "not made");
        // Without a minute limit, the end alone.
        let mut unmetered = wifi_desk_wire::AccessToken {
            minutes_included: 0,
            ..before.clone()
        };
        extend_booking(&mut unmetered, at("2025-03-10 13:30"));
        assert_eq!(unmetered.minutes_included, 0);
    }

    #[test]
    fn an_edit_writes_what_it_changed_and_keeps_what_changed_elsewhere() {
        let at = |t: &str| {
            Some(wifi_desk_wire::WallClock::new(
                NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M").unwrap(),
            ))
        };
        let opened = wifi_desk_wire::AccessToken {
            access_code: "ABCD".into(),
            description: Some("Desk 4".into()),
            valid_from: at("2025-03-10 10:00"),
            valid_to: at("2025-03-10 14:00"),
            minutes_included: 240,
            minutes_left: 200,
            user_limit: Some(1),
            ..Default::default()
        };
        // Meanwhile another desk extended it by a day and topped it up, and it was used.
        let elsewhere = wifi_desk_wire::AccessToken {
            valid_to: at("2025-03-11 14:00"),
            minutes_left: 250,
            ..opened.clone()
        };
        // The form changed the description only.
        let edited = wifi_desk_wire::AccessToken {
            description: Some("Desk 5".into()),
            ..opened.clone()
        };
        let mut now = elsewhere.clone();
        apply_edit(&opened, &edited, &mut now);
        assert_eq!(
            now,
            wifi_desk_wire::AccessToken {
                description: Some("Desk 5".into()),
                ..elsewhere.clone()
            }
        );
        // A new allowance moves the minutes left now by as much; a new end and device count are
        // written over the ones the server has.
        let edited = wifi_desk_wire::AccessToken {
            minutes_included: 300,
            valid_to: at("2025-03-12 09:00"),
            user_limit: Some(3),
            ..opened.clone()
        };
        let mut now = elsewhere.clone();
        apply_edit(&opened, &edited, &mut now);
        assert_eq!(
            (
                now.minutes_included,
                now.minutes_left,
                now.valid_to,
                now.user_limit
            ),
            (300, 310, at("2025-03-12 09:00"), Some(3))
        );
        assert_eq!(now.description, opened.description);
    }

    #[test]
    fn a_change_is_kept_when_what_it_touched_reads_back() {
        let at = |t: &str| {
            Some(wifi_desk_wire::WallClock::new(
                NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S").unwrap(),
            ))
        };
        let before = wifi_desk_wire::AccessToken {
            valid_to: at("2025-03-10 12:00:00"),
            minutes_included: 60,
            minutes_left: 30,
            ..Default::default()
        };
        // +1 hour, read back to the second, while the code was used and the description edited.
        let written = wifi_desk_wire::AccessToken {
            valid_to: at("2025-03-10 13:00:00"),
            ..before.clone()
        };
        let read = wifi_desk_wire::AccessToken {
            minutes_left: 29,
            description: Some("edited elsewhere".into()),
            ..written.clone()
        };
        assert!(kept(&before, &written, &read));
        assert!(!kept(&before, &written, &before), "the end not moved");
        // Top up: minutes left raised, a little less than written after use; or not raised.
        let topped = wifi_desk_wire::AccessToken {
            minutes_included: 120,
            minutes_left: 90,
            ..before.clone()
        };
        let used = wifi_desk_wire::AccessToken {
            minutes_left: 89,
            ..topped.clone()
        };
        assert!(kept(&before, &topped, &used));
        let left_kept = wifi_desk_wire::AccessToken {
            minutes_left: 30,
            ..topped.clone()
        };
        assert!(
            !kept(&before, &topped, &left_kept),
            "minutes left not raised"
        );
        let included_kept = wifi_desk_wire::AccessToken {
            minutes_included: 60,
            ..used
        };
        assert!(
            !kept(&before, &topped, &included_kept),
            "minutes included not raised"
        );
    }

    #[test]
    fn a_lost_change_landed_when_what_it_touched_reads_back_changed() {
        let before = wifi_desk_wire::AccessToken {
            minutes_included: 60,
            minutes_left: 30,
            ..Default::default()
        };
        let topped = wifi_desk_wire::AccessToken {
            minutes_left: 90,
            ..before.clone()
        };
        assert!(landed(&before, &topped, &topped), "read back as sent");
        assert!(!landed(&before, &topped, &before), "read back as it was");
        // A change that touched nothing cannot be told from one that was not made.
        assert!(!landed(&before, &before, &before));
    }

    #[test]
    fn a_lost_create_is_sent_again_in_its_window_until_that_window_ends() {
        let at = |t: &str| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M").unwrap();
        let (from, to) = Preset::EndOfDay.window(at("2025-03-10 23:56"));
        let sent = wifi_desk_wire::AccessToken {
            valid_from: Some(wifi_desk_wire::WallClock::new(from)),
            valid_to: Some(wifi_desk_wire::WallClock::new(to)),
            ..Default::default()
        };
        assert_eq!(
            window_again(&sent, at("2025-03-10 23:59")),
            Some((from, to))
        );
        assert_eq!(window_again(&sent, at("2025-03-11 00:02")), None);
        let open = wifi_desk_wire::AccessToken {
            valid_to: None,
            ..sent
        };
        assert_eq!(window_again(&open, at("2025-03-10 23:59")), None);
    }

    #[test]
    fn extending_starts_from_now_once_ended_and_leaves_no_end_alone() {
        let at = |t: &str| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M").unwrap();
        let now = at("2025-03-10 12:00");
        let with_end = |end: Option<&str>| wifi_desk_wire::AccessToken {
            valid_to: end.map(|e| wifi_desk_wire::WallClock::new(at(e))),
            ..Default::default()
        };
        let extended = |end: Option<&str>| {
            let mut t = with_end(end);
            extend(&mut t, Duration::days(1), now);
            t.valid_to.map(|w| w.local())
        };
        assert_eq!(
            extended(Some("2025-03-10 18:00")),
            Some(at("2025-03-11 18:00"))
        );
        assert_eq!(
            extended(Some("2025-03-09 08:00")),
            Some(at("2025-03-11 12:00")),
            "ended: from now"
        );
        assert_eq!(extended(None), None, "valid until used up stays so");
        // "No end" written as the last second of year 9999 is kept, not written as year 10000.
        assert_eq!(
            extended(Some("9999-12-31 12:00")),
            Some(wifi_desk_wire::WallClock::latest())
        );
    }

    #[test]
    fn minutes_left_follow_the_allowance() {
        let token = wifi_desk_wire::AccessToken {
            minutes_included: 60,
            minutes_left: 20,
            ..Default::default()
        };
        assert_eq!(minutes_left_after(&token, 120), 80, "topped up by 60");
        assert_eq!(minutes_left_after(&token, 60), 20, "unchanged");
        assert_eq!(minutes_left_after(&token, 30), 0, "never below zero");
    }

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn presets_from_a_plain_afternoon() {
        let now = at("2025-03-10 14:37:42");
        let to = |p: Preset| p.window(now).1;
        assert_eq!(
            Preset::OneHour.window(now).0,
            at("2025-03-10 14:37:00"),
            "whole minutes"
        );
        assert_eq!(to(Preset::OneHour), at("2025-03-10 15:37:00"));
        assert_eq!(to(Preset::FourHours), at("2025-03-10 18:37:00"));
        assert_eq!(to(Preset::EndOfDay), at("2025-03-11 00:00:00"));
        assert_eq!(to(Preset::OneDay), at("2025-03-11 14:37:00"));
        assert_eq!(to(Preset::OneWeek), at("2025-03-17 14:37:00"));
        assert_eq!(to(Preset::TwoWeeks), at("2025-03-24 14:37:00"));
    }

    #[test]
    fn presets_across_midnight_and_month_ends() {
        let late = at("2025-01-31 22:30:00");
        assert_eq!(Preset::FourHours.window(late).1, at("2025-02-01 02:30:00"));
        assert_eq!(Preset::EndOfDay.window(late).1, at("2025-02-01 00:00:00"));
        assert_eq!(Preset::OneWeek.window(late).1, at("2025-02-07 22:30:00"));
        let leap = at("2024-02-28 23:59:59");
        assert_eq!(Preset::EndOfDay.window(leap).1, at("2024-02-29 00:00:00"));
        assert_eq!(Preset::OneDay.window(leap).1, at("2024-02-29 23:59:00"));
        let new_year = at("2025-12-31 23:00:00");
        assert_eq!(
            Preset::TwoWeeks.window(new_year).1,
            at("2026-01-14 23:00:00")
        );
        assert_eq!(
            Preset::EndOfDay.window(new_year).1,
            at("2026-01-01 00:00:00")
        );
        for p in Preset::ALL {
            let (from, to) = p.window(at("2025-06-30 23:59:30"));
            assert!(to > from, "{p:?}");
        }
    }

    #[test]
    fn two_weeks_is_space_invoices_default_ttl() {
        let (from, to) = Preset::TwoWeeks.window(at("2025-03-10 09:00:00"));
        assert_eq!((to - from).num_seconds(), 1_209_600);
    }

    #[test]
    fn a_new_code_cannot_end_before_now() {
        let now = at("2025-03-10 09:00:00");
        assert_eq!(
            ended(Some(at("2025-03-10 08:59:59")), now).unwrap().field,
            "ValidTo"
        );
        assert!(ended(Some(now), now).is_some(), "ending now is ending");
        assert_eq!(ended(Some(at("2025-03-10 09:00:01")), now), None);
        assert_eq!(ended(None, now), None, "no end date: valid until used up");
    }

    #[test]
    fn checks_before_sending() {
        let from = at("2025-03-10 09:00:00");
        assert!(check(
            Some(from),
            Some(from + Duration::hours(1)),
            Some(60),
            Some(1)
        )
        .is_empty());
        assert!(
            check(None, None, Some(60), None).is_empty(),
            "no dates, no limit: fine"
        );
        let problems = check(Some(from), Some(from), Some(0), Some(0));
        let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
        assert_eq!(fields, ["ValidTo", "MinutesIncluded", "UserLimit"]);
        assert_eq!(
            check(None, None, None, None)[0].message,
            "Enter the minutes of access."
        );
    }
}
