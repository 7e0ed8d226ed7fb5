//! What state an access code is in at a moment, in the receptionist's words and in CRM.COM's.

use chrono::{Duration, NaiveDateTime};
use wifi_desk_wire::AccessToken;

/// The state of a code. Declared in the order a code lives them, which is how a list sorts them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Not valid yet.
    Scheduled,
    /// Usable.
    Active,
    /// Usable, but ends within [`EXPIRING_SOON`] or has at most [`FEW_MINUTES`] left.
    ExpiringSoon,
    /// Its minutes are spent.
    UsedUp,
    /// Past its end.
    Expired,
}

/// How close to its end a code is "expiring soon".
pub const EXPIRING_SOON: Duration = Duration::hours(1);

/// Minutes left at or under which a code is "expiring soon".
pub const FEW_MINUTES: i64 = 15;

impl Status {
    /// Every status, in the order a list filter offers them.
    pub const ALL: [Status; 5] = [
        Status::Active,
        Status::ExpiringSoon,
        Status::Scheduled,
        Status::UsedUp,
        Status::Expired,
    ];

    /// The state of `token` at `now` (the business's wall clock).
    ///
    /// A code with no end date is valid until used up; one with no minutes included has no minute
    /// allowance to use up.
    pub fn of(token: &AccessToken, now: NaiveDateTime) -> Self {
        let from = token.valid_from.map(|w| w.local());
        let to = token.valid_to.map(|w| w.local());
        let metered = token.metered();
        if to.is_some_and(|to| to <= now) {
            Self::Expired
        } else if metered && token.minutes_left <= 0 {
            Self::UsedUp
        } else if from.is_some_and(|from| from > now) {
            Self::Scheduled
        } else if to.is_some_and(|to| to - now <= EXPIRING_SOON)
            || (metered && token.minutes_left <= FEW_MINUTES)
        {
            Self::ExpiringSoon
        } else {
            Self::Active
        }
    }

    /// A stable name, for CSS classes and filters.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scheduled => "scheduled",
            Self::Active => "active",
            Self::ExpiringSoon => "expiring-soon",
            Self::UsedUp => "used-up",
            Self::Expired => "expired",
        }
    }

    /// The word shown to a receptionist.
    pub fn label(self) -> &'static str {
        match self {
            Self::Scheduled => "Scheduled",
            Self::Active => "Active",
            Self::ExpiringSoon => "Expiring soon",
            Self::UsedUp => "Used up",
            Self::Expired => "Expired",
        }
    }

    /// A symbol shown beside the label, so the status never rests on colour alone.
    pub fn icon(self) -> &'static str {
        match self {
            Self::Scheduled => "◷",
            Self::Active => "●",
            Self::ExpiringSoon => "◔",
            Self::UsedUp => "○",
            Self::Expired => "✕",
        }
    }

    /// Whether a visitor can use the code now: CRM.COM's `EFFECTIVE`.
    pub fn is_effective(self) -> bool {
        matches!(self, Self::Active | Self::ExpiringSoon)
    }

    /// Whether the code will never work again as it is: expired, or its minutes used.
    pub fn has_ended(self) -> bool {
        matches!(self, Self::Expired | Self::UsedUp)
    }

    /// CRM.COM's life-cycle state: `EFFECTIVE` or `NOT_EFFECTIVE`.
    pub fn life_cycle(self) -> &'static str {
        if self.is_effective() {
            "EFFECTIVE"
        } else {
            "NOT_EFFECTIVE"
        }
    }
}

/// The code a booking's visitor should be given among `tokens` at `now`: a usable one first, then
/// one that starts later, then any other; among equals, the one valid longest.
pub fn most_useful(tokens: &[AccessToken], now: NaiveDateTime) -> Option<&AccessToken> {
    let rank = |t: &AccessToken| match Status::of(t, now) {
        Status::Active | Status::ExpiringSoon => 0,
        Status::Scheduled => 1,
        Status::UsedUp | Status::Expired => 2,
    };
    // No end date is valid longest.
    let end = |t: &AccessToken| t.valid_to.map_or(NaiveDateTime::MAX, |w| w.local());
    tokens
        .iter()
        .min_by(|a, b| rank(a).cmp(&rank(b)).then(end(b).cmp(&end(a))))
}

/// How recently a code must have connected to be "in use now".
pub const IN_USE: Duration = Duration::minutes(15);

/// Whether `token` connected within [`IN_USE`] before `now`.
pub fn in_use(token: &AccessToken, now: NaiveDateTime) -> bool {
    token
        .last_access
        .is_some_and(|at| now - at.local() < IN_USE)
}

/// The first moment after `now` at which the passing of time alone changes what is shown of any of
/// `tokens`: a status (at a code's start, [`EXPIRING_SOON`] before its end, at its end) or
/// [`in_use`] ending. `None` when nothing shown changes until the records do.
pub fn next_change<'a>(
    tokens: impl IntoIterator<Item = &'a AccessToken>,
    now: NaiveDateTime,
) -> Option<NaiveDateTime> {
    first_after(tokens, now, |t| {
        let to = t.valid_to.map(|w| w.local());
        [
            t.valid_from.map(|w| w.local()),
            to.map(|to| to - EXPIRING_SOON),
            to,
            t.last_access.map(|w| w.local() + IN_USE),
        ]
    })
}

/// When a list of `tokens` read at `read_at` is to be read again: at the first change of what is
/// shown after `read_at` ([`next_change`]), and at `latest` at the latest. Reckoned from the
/// reading, not from now, so a change that passed meanwhile (the device asleep) is due at once.
pub fn read_again_at<'a>(
    tokens: impl IntoIterator<Item = &'a AccessToken>,
    read_at: NaiveDateTime,
    latest: NaiveDateTime,
) -> NaiveDateTime {
    next_change(tokens, read_at).map_or(latest, |at| at.min(latest))
}

/// The first start or end of any of `tokens` after `now`: the only moments at which
/// [`most_useful`] can pick another code or its code can end.
pub fn next_start_or_end<'a>(
    tokens: impl IntoIterator<Item = &'a AccessToken>,
    now: NaiveDateTime,
) -> Option<NaiveDateTime> {
    first_after(tokens, now, |t| {
        [t.valid_from, t.valid_to, None, None].map(|w| w.map(|w| w.local()))
    })
}

/// The earliest of the `moments` of every token that comes after `now`.
fn first_after<'a>(
    tokens: impl IntoIterator<Item = &'a AccessToken>,
    now: NaiveDateTime,
    moments: impl Fn(&AccessToken) -> [Option<NaiveDateTime>; 4],
) -> Option<NaiveDateTime> {
    tokens
        .into_iter()
        .flat_map(moments)
        .flatten()
        .filter(|&at| at > now)
        .min()
}

#[cfg(test)]
mod tests {
    use wifi_desk_wire::WallClock;

    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    fn token(from: Option<&str>, to: Option<&str>, included: i64, left: i64) -> AccessToken {
        AccessToken {
            valid_from: from.map(|t| WallClock::new(at(t))),
            valid_to: to.map(|t| WallClock::new(at(t))),
            minutes_included: included,
            minutes_left: left,
            ..AccessToken::default()
        }
    }

    const NOW: &str = "2025-03-10 12:00";

    #[test]
    fn boundaries_of_validity() {
        let now = at(NOW);
        let s = |from, to| Status::of(&token(from, to, 600, 600), now);
        assert_eq!(
            s(Some("2025-03-10 12:00"), Some("2025-03-11 12:00")),
            Status::Active,
            "starts now"
        );
        assert_eq!(
            s(Some("2025-03-10 12:01"), Some("2025-03-11 12:00")),
            Status::Scheduled
        );
        assert_eq!(
            s(None, Some("2025-03-10 12:00")),
            Status::Expired,
            "ends now"
        );
        assert_eq!(s(None, Some("2025-03-10 12:01")), Status::ExpiringSoon);
        assert_eq!(
            s(None, Some("2025-03-10 13:00")),
            Status::ExpiringSoon,
            "exactly an hour left"
        );
        assert_eq!(s(None, Some("2025-03-10 13:01")), Status::Active);
        assert_eq!(
            s(None, None),
            Status::Active,
            "no dates: valid until used up"
        );
    }

    #[test]
    fn boundaries_of_minutes() {
        let now = at(NOW);
        let s = |included, left| Status::of(&token(None, None, included, left), now);
        assert_eq!(s(60, 0), Status::UsedUp);
        assert_eq!(s(60, -3), Status::UsedUp);
        assert_eq!(s(60, FEW_MINUTES), Status::ExpiringSoon);
        assert_eq!(s(60, FEW_MINUTES + 1), Status::Active);
        assert_eq!(s(0, 0), Status::Active, "no minute allowance to use up");
    }

    #[test]
    fn expired_wins_over_used_up_and_scheduled() {
        let now = at(NOW);
        assert_eq!(
            Status::of(&token(None, Some("2025-03-09 12:00"), 60, 0), now),
            Status::Expired
        );
        assert_eq!(
            Status::of(
                &token(Some("2025-03-11 09:00"), Some("2025-03-12 09:00"), 60, 0),
                now
            ),
            Status::UsedUp
        );
    }

    #[test]
    fn the_most_useful_code_is_usable_then_scheduled_then_longest() {
        let now = at(NOW);
        let expired = token(None, Some("2025-03-09 12:00"), 60, 60);
        let scheduled = token(Some("2025-03-11 09:00"), Some("2025-03-12 09:00"), 60, 60);
        let short = token(None, Some("2025-03-10 18:00"), 60, 60);
        let long = token(None, Some("2025-03-12 18:00"), 60, 60);
        let pick = |all: &[AccessToken]| most_useful(all, now).cloned();
        assert_eq!(
            pick(&[expired.clone(), scheduled.clone()]),
            Some(scheduled.clone())
        );
        assert_eq!(
            pick(&[scheduled.clone(), short.clone()]),
            Some(short.clone())
        );
        assert_eq!(pick(&[short, long.clone(), expired.clone()]), Some(long));
        assert_eq!(pick(std::slice::from_ref(&expired)), Some(expired));
        assert_eq!(pick(&[]), None);
    }

    #[test]
    fn words_icons_and_crm_states() {
        for status in Status::ALL {
            assert!(!status.label().is_empty() && !status.icon().is_empty());
        }
        let icons: std::collections::HashSet<_> = Status::ALL.iter().map(|s| s.icon()).collect();
        assert_eq!(icons.len(), 5, "each status has its own symbol");
        assert_eq!(Status::Active.life_cycle(), "EFFECTIVE");
        assert_eq!(Status::ExpiringSoon.life_cycle(), "EFFECTIVE");
        for s in [Status::Scheduled, Status::UsedUp, Status::Expired] {
            assert_eq!(s.life_cycle(), "NOT_EFFECTIVE");
        }
        for s in [Status::Active, Status::ExpiringSoon, Status::Scheduled] {
            assert!(!s.has_ended(), "{s:?} may still be used");
        }
        assert!(Status::UsedUp.has_ended() && Status::Expired.has_ended());
    }

    #[test]
    fn in_use_for_a_quarter_of_an_hour_after_a_connection() {
        let mut t = token(None, None, 0, 0);
        let now = at(NOW);
        assert!(!in_use(&t, now), "never connected");
        t.last_access = Some(WallClock::new(at("2025-03-10 11:46")));
        assert!(in_use(&t, now));
        assert!(!in_use(&t, at("2025-03-10 12:01")), "15 minutes on");
    }

    #[test]
    fn the_next_change_is_where_what_is_shown_changes() {
        let mut used = token(Some("2025-03-10 10:00"), Some("2025-03-10 14:00"), 0, 0);
        used.last_access = Some(WallClock::new(at("2025-03-10 12:50")));
        let later = token(Some("2025-03-10 13:30"), None, 0, 0);
        let both = [used.clone(), later.clone()];
        let next = |now| next_change(&both, at(now));
        // 12:50 + 15 min, the start of `later`, an hour before the end, the end.
        assert_eq!(next("2025-03-10 12:00"), Some(at("2025-03-10 13:00")));
        assert_eq!(next("2025-03-10 13:00"), Some(at("2025-03-10 13:05")));
        assert_eq!(next("2025-03-10 13:05"), Some(at("2025-03-10 13:30")));
        assert_eq!(next("2025-03-10 13:30"), Some(at("2025-03-10 14:00")));
        assert_eq!(next("2025-03-10 14:00"), None, "both as they will stay");
        assert_eq!(next_change(&[], at(NOW)), None);
        let forever = token(None, None, 60, 30);
        assert_eq!(next_change([&forever], at(NOW)), None);

        // Each change is real: what is shown a second before differs from what is shown at it.
        let shown = |t: &AccessToken, now| (Status::of(t, now), in_use(t, now));
        let mut now = at("2025-03-10 09:00");
        let mut changes = 0;
        while let Some(then) = next_change(&both, now) {
            let before = then - Duration::seconds(1);
            assert!(
                both.iter().any(|t| shown(t, before) != shown(t, then)),
                "nothing changes at {then}"
            );
            assert!(
                both.iter().all(|t| shown(t, now) == shown(t, before)),
                "something changed between {now} and {then}"
            );
            now = then;
            changes += 1;
        }
        assert_eq!(changes, 5, "10:00, 13:00, 13:05, 13:30, 14:00");

        // The code a visitor is given changes only where one starts or ends.
        let starts_or_ends = |now| next_start_or_end(&both, at(now));
        assert_eq!(
            starts_or_ends("2025-03-10 09:00"),
            Some(at("2025-03-10 10:00"))
        );
        assert_eq!(
            starts_or_ends("2025-03-10 12:00"),
            Some(at("2025-03-10 13:30"))
        );
        assert_eq!(
            starts_or_ends("2025-03-10 13:30"),
            Some(at("2025-03-10 14:00"))
        );
        assert_eq!(starts_or_ends("2025-03-10 14:00"), None);

        // A list read at 12:58 is due again at 13:00, when `used` stops being in use, however
        // late the wait is set (a device asleep since); without a change sooner, 5 minutes on.
        let again = |read| read_again_at(&both, at(read), at(read) + Duration::minutes(5));
        assert_eq!(again("2025-03-10 12:58"), at("2025-03-10 13:00"));
        assert_eq!(again("2025-03-10 12:50"), at("2025-03-10 12:55"));
        assert_eq!(
            again("2025-03-10 14:00"),
            at("2025-03-10 14:05"),
            "none left"
        );
    }
}
