//! What the list's filters keep, and how to ask the API for as few other records as possible.
//!
//! The API joins its filters with AND and has no status filter, so a status is asked for as the
//! ranges that contain it (one query, or two whose answers are merged), and every record that comes
//! back is checked exactly here. Dates are a day window on the business's wall clock.

use std::cmp::Ordering;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use wifi_desk_wire::{AccessToken, SortDirection};

use super::status::{Status, EXPIRING_SOON, FEW_MINUTES};
use crate::api::{Field, ListQuery};

/// A status filter: one status, or CRM.COM's two life-cycle states.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusFilter {
    /// Exactly this status.
    Is(Status),
    /// Usable now: active or expiring soon (`EFFECTIVE`).
    Effective,
    /// Not usable now: scheduled, used up or expired (`NOT_EFFECTIVE`).
    NotEffective,
}

impl StatusFilter {
    /// Every filter, in the order the list offers them.
    pub const ALL: [StatusFilter; 7] = [
        Self::Is(Status::Active),
        Self::Is(Status::ExpiringSoon),
        Self::Is(Status::Scheduled),
        Self::Is(Status::UsedUp),
        Self::Is(Status::Expired),
        Self::Effective,
        Self::NotEffective,
    ];

    /// A stable name, for a `<select>`'s values.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Is(s) => s.as_str(),
            Self::Effective => "effective",
            Self::NotEffective => "not-effective",
        }
    }

    /// The filter named `text` by [`Self::as_str`].
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == text)
    }

    /// The words a receptionist picks.
    pub fn label(self) -> &'static str {
        match self {
            Self::Is(s) => s.label(),
            Self::Effective => "Usable now (EFFECTIVE)",
            Self::NotEffective => "Not usable now (NOT_EFFECTIVE)",
        }
    }

    /// Whether a code in `status` passes.
    pub fn keeps(self, status: Status) -> bool {
        match self {
            Self::Is(s) => s == status,
            Self::Effective => status.is_effective(),
            Self::NotEffective => !status.is_effective(),
        }
    }

    /// The queries whose answers, merged, hold every code this filter keeps at `now` (and maybe
    /// some it does not). Filters without a range that contains them ask for everything.
    pub fn narrow(self, base: &ListQuery, now: NaiveDateTime) -> Vec<ListQuery> {
        let base = base.clone();
        match self {
            Self::Is(Status::Expired) => vec![base.to(Field::ValidTo, now)],
            Self::Is(Status::Scheduled) => vec![base.from(Field::ValidFrom, now)],
            Self::Is(Status::UsedUp) => vec![base
                .from(Field::MinutesIncluded, 1_i64)
                .to(Field::MinutesLeft, 0_i64)],
            Self::Is(Status::ExpiringSoon) => vec![
                base.clone()
                    .from(Field::ValidTo, now)
                    .to(Field::ValidTo, now + EXPIRING_SOON),
                base.from(Field::MinutesIncluded, 1_i64)
                    .to(Field::MinutesLeft, FEW_MINUTES),
            ],
            Self::Is(Status::Active) | Self::Effective | Self::NotEffective => vec![base],
        }
    }
}

/// Codes by their validity dates: those starting on or after one day, ending on or before another.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DateWindow {
    /// Keep codes whose validity starts on or after this day.
    pub starts_on_or_after: Option<NaiveDate>,
    /// Keep codes whose validity ends on or before this day.
    pub ends_on_or_before: Option<NaiveDate>,
}

impl DateWindow {
    /// Whether the window keeps everything.
    pub fn is_open(&self) -> bool {
        self.starts_on_or_after.is_none() && self.ends_on_or_before.is_none()
    }

    /// The first moment kept and the last, on the wall clock. A code that ends at midnight ends
    /// with the day before ("until end of day" codes do): the last moment kept is the midnight
    /// after the day.
    fn bounds(&self) -> (Option<NaiveDateTime>, Option<NaiveDateTime>) {
        (
            self.starts_on_or_after.map(|d| d.and_time(NaiveTime::MIN)),
            self.ends_on_or_before
                .and_then(|d| d.succ_opt())
                .map(|d| d.and_time(NaiveTime::MIN)),
        )
    }

    /// `query` with the window's ranges; the API then keeps exactly what [`Self::keeps`] does.
    pub fn apply(&self, query: ListQuery) -> ListQuery {
        let (start, end) = self.bounds();
        let query = match start {
            Some(start) => query.from(Field::ValidFrom, start),
            None => query,
        };
        match end {
            Some(end) => query.to(Field::ValidTo, end),
            None => query,
        }
    }

    /// Whether `token`'s validity lies in the window. A code without a start date (or end date)
    /// is outside a window that bounds it.
    pub fn keeps(&self, token: &AccessToken) -> bool {
        let (start, end) = self.bounds();
        let from = token.valid_from.map(|w| w.local());
        let to = token.valid_to.map(|w| w.local());
        start.is_none_or(|s| from.is_some_and(|f| f >= s))
            && end.is_none_or(|e| to.is_some_and(|t| t <= e))
    }
}

/// What a list is ordered by: a field the API orders, or the status, which only the widget
/// works out (from the dates, the minutes and the clock).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// A record field, ordered by the server when it can.
    Field(Field),
    /// The status, in the order a code lives them: scheduled, active, expiring soon, used up,
    /// expired.
    Status,
}

impl From<Field> for SortKey {
    fn from(field: Field) -> Self {
        Self::Field(field)
    }
}

/// Sorts `records` by `key` as the API would by a field (missing values first when ascending),
/// or by status at `now`, breaking ties by id so the order is stable across merged answers.
pub fn sort(records: &mut [AccessToken], key: SortKey, dir: SortDirection, now: NaiveDateTime) {
    records.sort_by(|a, b| {
        let by_key = match key {
            SortKey::Field(field) => compare(a, b, field),
            SortKey::Status => Status::of(a, now).cmp(&Status::of(b, now)),
        };
        let order = by_key.then(a.id.cmp(&b.id));
        match dir {
            SortDirection::Ascending => order,
            SortDirection::Descending => order.reverse(),
        }
    });
}

fn compare(a: &AccessToken, b: &AccessToken, field: Field) -> Ordering {
    let text = |t: &AccessToken| -> Option<String> {
        match field {
            Field::AccessCode => Some(t.access_code.to_lowercase()),
            Field::Description => t.description.as_ref().map(|d| d.to_lowercase()),
            Field::MacAddress => t.mac_address.clone(),
            Field::BookingGuid => t.booking_guid.clone(),
            Field::VisitorGuid => t.visitor_guid.clone(),
            Field::SystemId => t.system_id.clone(),
            Field::UniqueId => t.unique_id.clone(),
            _ => None,
        }
    };
    text(a)
        .cmp(&text(b))
        .then_with(|| field.rank(a).cmp(&field.rank(b)))
}

/// The codes of `records` that pass `status` and `dates` at `now`.
pub fn keep(
    records: Vec<AccessToken>,
    status: Option<StatusFilter>,
    dates: DateWindow,
    now: NaiveDateTime,
) -> Vec<AccessToken> {
    records
        .into_iter()
        .filter(|t| status.is_none_or(|f| f.keeps(Status::of(t, now))) && dates.keeps(t))
        .collect()
}

#[cfg(test)]
mod tests {
    use wifi_desk_wire::WallClock;

    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    fn token(
        id: i64,
        from: Option<&str>,
        to: Option<&str>,
        included: i64,
        left: i64,
    ) -> AccessToken {
        AccessToken {
            id,
            access_code: format!("CODE{id}"),
            valid_from: from.map(|t| WallClock::new(at(t))),
            valid_to: to.map(|t| WallClock::new(at(t))),
            minutes_included: included,
            minutes_left: left,
            ..AccessToken::default()
        }
    }

    const NOW: &str = "2025-03-10 12:00";

    /// One code in each status at NOW, plus one valid until used up.
    fn one_of_each() -> Vec<AccessToken> {
        vec![
            token(
                1,
                Some("2025-03-10 09:00"),
                Some("2025-03-11 09:00"),
                600,
                600,
            ),
            token(
                2,
                Some("2025-03-10 09:00"),
                Some("2025-03-10 12:30"),
                600,
                600,
            ),
            token(
                3,
                Some("2025-03-11 09:00"),
                Some("2025-03-12 09:00"),
                600,
                600,
            ),
            token(4, Some("2025-03-10 09:00"), Some("2025-03-11 09:00"), 60, 0),
            token(
                5,
                Some("2025-03-09 09:00"),
                Some("2025-03-10 11:00"),
                600,
                600,
            ),
            token(6, None, None, 0, 0),
        ]
    }

    fn ids(records: &[AccessToken]) -> Vec<i64> {
        records.iter().map(|t| t.id).collect()
    }

    #[test]
    fn each_status_filter_keeps_exactly_its_codes() {
        let now = at(NOW);
        let kept = |f| ids(&keep(one_of_each(), Some(f), DateWindow::default(), now));
        assert_eq!(kept(StatusFilter::Is(Status::Active)), [1, 6]);
        assert_eq!(kept(StatusFilter::Is(Status::ExpiringSoon)), [2]);
        assert_eq!(kept(StatusFilter::Is(Status::Scheduled)), [3]);
        assert_eq!(kept(StatusFilter::Is(Status::UsedUp)), [4]);
        assert_eq!(kept(StatusFilter::Is(Status::Expired)), [5]);
        assert_eq!(kept(StatusFilter::Effective), [1, 2, 6]);
        assert_eq!(kept(StatusFilter::NotEffective), [3, 4, 5]);
        assert_eq!(
            ids(&keep(one_of_each(), None, DateWindow::default(), now)).len(),
            6
        );
    }

    #[test]
    fn narrowing_asks_for_ranges_that_hold_the_status() {
        let now = at(NOW);
        let base = ListQuery::new().size(1000);
        let texts = |f: StatusFilter| -> Vec<String> {
            f.narrow(&base, now)
                .iter()
                .map(|q| q.to_query_string().unwrap())
                .collect()
        };
        assert_eq!(
            texts(StatusFilter::Is(Status::Expired)),
            ["page=1&size=1000&to_AccessToken_ValidTo=2025-03-10T12%3A00"]
        );
        assert_eq!(
            texts(StatusFilter::Is(Status::Scheduled)),
            ["page=1&size=1000&from_AccessToken_ValidFrom=2025-03-10T12%3A00"]
        );
        assert_eq!(
            texts(StatusFilter::Is(Status::UsedUp)),
            ["page=1&size=1000&from_AccessToken_MinutesIncluded=1&to_AccessToken_MinutesLeft=0"]
        );
        let soon = texts(StatusFilter::Is(Status::ExpiringSoon));
        assert_eq!(soon.len(), 2, "by date or by minutes: two queries merged");
        assert!(soon[0].contains("to_AccessToken_ValidTo=2025-03-10T13%3A00"));
        assert!(soon[1].contains("to_AccessToken_MinutesLeft=15"));
        assert_eq!(texts(StatusFilter::Is(Status::Active)).len(), 1);
    }

    #[test]
    fn date_window_is_whole_days_on_the_wall_clock() {
        let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
        let window = DateWindow {
            starts_on_or_after: day("2025-03-10"),
            ends_on_or_before: day("2025-03-11"),
        };
        assert!(window.keeps(&token(
            1,
            Some("2025-03-10 00:00"),
            Some("2025-03-11 23:59"),
            0,
            0
        )));
        assert!(!window.keeps(&token(
            2,
            Some("2025-03-09 23:59"),
            Some("2025-03-11 09:00"),
            0,
            0
        )));
        assert!(
            window.keeps(&token(
                3,
                Some("2025-03-10 09:00"),
                Some("2025-03-12 00:00"),
                0,
                0
            )),
            "valid until the end of the 11th"
        );
        assert!(!window.keeps(&token(
            6,
            Some("2025-03-10 09:00"),
            Some("2025-03-12 00:01"),
            0,
            0
        )));
        assert!(
            !window.keeps(&token(4, None, Some("2025-03-11 09:00"), 0, 0)),
            "no start date"
        );
        assert!(DateWindow::default().keeps(&token(5, None, None, 0, 0)));
        assert_eq!(
            window.apply(ListQuery::new()).to_query_string().unwrap(),
            "page=1&size=25&from_AccessToken_ValidFrom=2025-03-10T00%3A00&to_AccessToken_ValidTo=2025-03-12T00%3A00"
        );
    }

    #[test]
    fn sorting_merged_answers_is_stable_and_puts_missing_values_first() {
        let now = at(NOW);
        let by = |field: Field| SortKey::from(field);
        let mut records = one_of_each();
        sort(
            &mut records,
            by(Field::ValidTo),
            SortDirection::Ascending,
            now,
        );
        assert_eq!(ids(&records), [6, 5, 2, 1, 4, 3]);
        sort(
            &mut records,
            by(Field::ValidTo),
            SortDirection::Descending,
            now,
        );
        assert_eq!(ids(&records), [3, 4, 1, 2, 5, 6]);
        sort(
            &mut records,
            by(Field::MinutesLeft),
            SortDirection::Ascending,
            now,
        );
        assert_eq!(ids(&records), [4, 6, 1, 2, 3, 5]);
        records[0].description = Some("b".into());
        records[1].description = Some("A".into());
        sort(
            &mut records,
            by(Field::Description),
            SortDirection::Ascending,
            now,
        );
        assert_eq!(ids(&records)[4..], [6, 4], "case does not matter");
    }

    #[test]
    fn sorting_by_status_follows_a_codes_life_and_the_clock() {
        let now = at(NOW);
        let mut records = one_of_each();
        records.reverse();
        sort(&mut records, SortKey::Status, SortDirection::Ascending, now);
        // Scheduled, active (by id), expiring soon, used up, expired.
        assert_eq!(ids(&records), [3, 1, 6, 2, 4, 5]);
        sort(
            &mut records,
            SortKey::Status,
            SortDirection::Descending,
            now,
        );
        assert_eq!(ids(&records), [5, 4, 2, 6, 1, 3]);
        // A day later the scheduled code is active, and all others but the unending one have
        // expired.
        sort(
            &mut records,
            SortKey::Status,
            SortDirection::Ascending,
            now + chrono::Duration::days(1),
        );
        assert_eq!(ids(&records), [3, 6, 1, 2, 4, 5]);
    }
}
