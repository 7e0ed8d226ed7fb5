//! The list query: page, size, order, filters and ranges, as a query string the API cannot misread.

use chrono::{NaiveDateTime, Timelike};
use wifi_desk_wire::{forms, AccessToken, SortDirection, WallClock};

use super::ApiError;

/// A field of an access token, as the API names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// Record id.
    Id,
    /// Record UUID.
    UniqueId,
    /// The business (space).
    Business,
    /// The code.
    AccessCode,
    /// Free text.
    Description,
    /// Minutes included.
    MinutesIncluded,
    /// Minutes left.
    MinutesLeft,
    /// Start of validity.
    ValidFrom,
    /// End of validity.
    ValidTo,
    /// Devices at once.
    UserLimit,
    /// Device MAC address.
    MacAddress,
    /// Booking link.
    BookingGuid,
    /// Visitor link.
    VisitorGuid,
    /// Last connection.
    LastAccess,
    /// External id.
    SystemId,
    /// Creation time.
    CreatedOn,
    /// Last change.
    UpdatedOn,
}

impl Field {
    /// The record property's name, used to order a list.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Id => "Id",
            Self::UniqueId => "UniqueId",
            Self::Business => "BusinessId",
            Self::AccessCode => "AccessCode",
            Self::Description => "Description",
            Self::MinutesIncluded => "MinutesIncluded",
            Self::MinutesLeft => "MinutesLeft",
            Self::ValidFrom => "ValidFrom",
            Self::ValidTo => "ValidTo",
            Self::UserLimit => "UserLimit",
            Self::MacAddress => "MacAddress",
            Self::BookingGuid => "BookingGuid",
            Self::VisitorGuid => "VisitorGuid",
            Self::LastAccess => "LastAccess",
            Self::SystemId => "SystemId",
            Self::CreatedOn => "CreatedOn",
            Self::UpdatedOn => "UpdatedOn",
        }
    }

    /// The equality filter's parameter, where the API documents one.
    fn filter_param(self) -> Option<String> {
        match self {
            Self::Id | Self::UniqueId => Some(self.as_str().to_owned()),
            Self::Business => Some("AccessToken_Business".to_owned()),
            Self::CreatedOn | Self::UpdatedOn => None,
            other => Some(format!("AccessToken_{}", other.as_str())),
        }
    }

    /// Where `token` stands in an order by this field, for the fields every server orders alike:
    /// numbers and dates (missing ones have no place). Text has none: a server orders it by its
    /// own collation (case, accents), which the widget cannot know.
    pub fn rank(self, token: &AccessToken) -> Option<i64> {
        let at = |w: Option<WallClock>| w.map(|w| w.local().and_utc().timestamp());
        match self {
            Self::Id => Some(token.id),
            Self::Business => token.business(),
            Self::MinutesIncluded => Some(token.minutes_included),
            Self::MinutesLeft => Some(token.minutes_left),
            Self::UserLimit => Some(token.devices()),
            Self::ValidFrom => at(token.valid_from),
            Self::ValidTo => at(token.valid_to),
            Self::LastAccess => at(token.last_access),
            Self::CreatedOn => at(token.created_on),
            Self::UpdatedOn => at(token.updated_on),
            Self::UniqueId
            | Self::AccessCode
            | Self::Description
            | Self::MacAddress
            | Self::BookingGuid
            | Self::VisitorGuid
            | Self::SystemId => None,
        }
    }

    /// Whether the API has `from_`/`to_` ranges on the field, and of which kind.
    fn range(self) -> Option<RangeKind> {
        match self {
            Self::CreatedOn
            | Self::UpdatedOn
            | Self::ValidFrom
            | Self::ValidTo
            | Self::LastAccess => Some(RangeKind::Date),
            Self::MinutesIncluded | Self::UserLimit | Self::MinutesLeft => Some(RangeKind::Number),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum RangeKind {
    Date,
    Number,
}

/// The order `records` are in by `field`, when they show one: every change of [`Field::rank`]
/// from one record to the next goes the same way, and at least one does. `None` for a list
/// too short or too even to tell, for one in no order, and for a text field.
pub fn order_seen(records: &[AccessToken], field: Field) -> Option<SortDirection> {
    let ranks: Vec<i64> = records.iter().filter_map(|t| field.rank(t)).collect();
    let (mut up, mut down) = (false, false);
    for pair in ranks.windows(2) {
        up |= pair[0] < pair[1];
        down |= pair[0] > pair[1];
    }
    match (up, down) {
        (true, false) => Some(SortDirection::Ascending),
        (false, true) => Some(SortDirection::Descending),
        _ => None,
    }
}

/// How `dir=` is spelt. The documents give three ways (see `NEXUDUS-API.md`), and the numbers of
/// two of them read `1` in opposite directions; the client starts with the words and learns from
/// the order of the answers which one the server reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Spelling {
    /// `Ascending`, `Descending`: the support pages and the one example answer.
    #[default]
    Words,
    /// `1`, `-1`: developers.nexudus.com.
    Signed,
    /// `0`, `1`: learn.nexudus.com.
    ZeroOne,
}

impl Spelling {
    /// Every spelling, in the order they are tried.
    pub const ALL: [Self; 3] = [Self::Words, Self::Signed, Self::ZeroOne];

    /// `dir` spelt this way.
    pub fn spell(self, dir: SortDirection) -> &'static str {
        match (self, dir) {
            (Self::Words, dir) => dir.as_str(),
            (Self::Signed, SortDirection::Ascending) => "1",
            (Self::Signed, SortDirection::Descending) => "-1",
            (Self::ZeroOne, SortDirection::Ascending) => "0",
            (Self::ZeroOne, SortDirection::Descending) => "1",
        }
    }
}

/// One end of a range: a number, or a wall-clock time (sent as `YYYY-MM-DDTHH:mm`).
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub enum Bound {
    /// For minutes and user limits.
    Number(i64),
    /// For dates, on the business's wall clock.
    At(NaiveDateTime),
}

impl From<i64> for Bound {
    fn from(n: i64) -> Self {
        Self::Number(n)
    }
}

impl From<NaiveDateTime> for Bound {
    fn from(at: NaiveDateTime) -> Self {
        Self::At(at)
    }
}

impl From<WallClock> for Bound {
    fn from(at: WallClock) -> Self {
        Self::At(at.local())
    }
}

impl Bound {
    fn kind(self) -> RangeKind {
        match self {
            Self::Number(_) => RangeKind::Number,
            Self::At(_) => RangeKind::Date,
        }
    }

    /// The bound as sent: dates to the minute, which the API takes. An upper bound with seconds
    /// is rounded up, so what it keeps is never less than asked (a code ending at 12:00:40 is
    /// within `to` 12:00:50); the client checks each record it gets exactly.
    fn text(self, upper: bool) -> String {
        match self {
            Self::Number(n) => n.to_string(),
            Self::At(at) => {
                let minute = at.with_second(0).and_then(|m| m.with_nanosecond(0));
                let minute = match minute {
                    Some(m) if upper && m < at => m + chrono::Duration::minutes(1),
                    Some(m) => m,
                    None => at,
                };
                forms::write(minute, forms::MINUTE)
            }
        }
    }
}

/// A list, find or range request for `GET /spaces/accesstokens`.
#[derive(Clone, Debug, PartialEq)]
pub struct ListQuery {
    page: u32,
    size: u32,
    order: Option<(Field, SortDirection)>,
    filters: Vec<(Field, String)>,
    ranges: Vec<(&'static str, Field, Bound)>,
}

/// Largest page the API serves.
pub const MAX_PAGE_SIZE: u32 = 1000;

impl Default for ListQuery {
    fn default() -> Self {
        Self {
            page: 1,
            size: 25,
            order: None,
            filters: Vec::new(),
            ranges: Vec::new(),
        }
    }
}

impl ListQuery {
    /// The first page of 25, in the API's default order.
    pub fn new() -> Self {
        Self::default()
    }

    /// Page number, from 1.
    pub fn page(mut self, page: u32) -> Self {
        self.page = page;
        self
    }

    /// Records per page, 1 to 1000; anything else is refused before sending.
    pub fn size(mut self, size: u32) -> Self {
        self.size = size;
        self
    }

    /// Order by a field.
    pub fn order_by(mut self, field: Field, dir: SortDirection) -> Self {
        self.order = Some((field, dir));
        self
    }

    /// Only records whose `field` matches `value` (text fields match a part of the value).
    pub fn filter(mut self, field: Field, value: impl Into<String>) -> Self {
        self.filters.push((field, value.into()));
        self
    }

    /// Only records whose `field` is at least `bound`.
    pub fn from(self, field: Field, bound: impl Into<Bound>) -> Self {
        self.bounded("from_", field, bound.into())
    }

    /// Only records whose `field` is at most `bound`.
    pub fn to(self, field: Field, bound: impl Into<Bound>) -> Self {
        self.bounded("to_", field, bound.into())
    }

    /// One bound on `field` at `end`: given two (a status's range and a date filter's), the
    /// tighter holds, as both together would. Sent twice under one name, a server may read one
    /// of them only, or fail on the pair.
    fn bounded(mut self, end: &'static str, field: Field, bound: Bound) -> Self {
        // A bound of another kind (a programming error) is kept apart, for the query to refuse.
        let alike = |held: &Bound| {
            matches!(
                (held, bound),
                (Bound::Number(_), Bound::Number(_)) | (Bound::At(_), Bound::At(_))
            )
        };
        let given = (self.ranges.iter_mut()).find(|(e, f, b)| *e == end && *f == field && alike(b));
        match given {
            Some((_, _, held)) => {
                let tighter = if end == "from_" {
                    bound > *held
                } else {
                    bound < *held
                };
                if tighter {
                    *held = bound;
                }
            }
            None => self.ranges.push((end, field, bound)),
        }
        self
    }

    /// The field and direction asked for, if any.
    pub fn order(&self) -> Option<(Field, SortDirection)> {
        self.order
    }

    /// The query string, percent-encoded, without the leading `?`, with `dir` in words.
    pub fn to_query_string(&self) -> Result<String, ApiError> {
        self.spelt(Spelling::Words)
    }

    /// The query string with `dir` spelt `spelling`.
    pub fn spelt(&self, spelling: Spelling) -> Result<String, ApiError> {
        if !(1..=MAX_PAGE_SIZE).contains(&self.size) {
            return Err(ApiError::BadQuery(format!(
                "a page holds 1 to {MAX_PAGE_SIZE} records, not {}",
                self.size
            )));
        }
        if self.page == 0 {
            return Err(ApiError::BadQuery("pages are numbered from 1".into()));
        }
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair("page", &self.page.to_string());
        q.append_pair("size", &self.size.to_string());
        if let Some((field, dir)) = self.order {
            q.append_pair("orderby", field.as_str());
            q.append_pair("dir", spelling.spell(dir));
        }
        for (field, value) in &self.filters {
            let param = field.filter_param().ok_or_else(|| {
                ApiError::BadQuery(format!("the list cannot be filtered on {}", field.as_str()))
            })?;
            q.append_pair(&param, value);
        }
        for (end, field, bound) in &self.ranges {
            if field.range() != Some(bound.kind()) {
                return Err(ApiError::BadQuery(format!(
                    "{} has no range of that kind",
                    field.as_str()
                )));
            }
            q.append_pair(
                &format!("{end}AccessToken_{}", field.as_str()),
                &bound.text(*end == "to_"),
            );
        }
        Ok(q.finish())
    }
}

/// The longest query string sent for records by id, in bytes. Servers cap it before the API
/// sees the request: IIS, which ASP.NET APIs commonly run behind, refuses one over 2,048 bytes by
/// default, and a thousand ids of ten digits in one list take about 13 KB.
pub const MAX_IDS_QUERY: usize = 2000;

/// The query strings for several records by id, `id=[1,2,3]` percent-encoded, each within
/// [`MAX_IDS_QUERY`]: as few as that allows, the ids in the order given.
pub fn ids_queries(ids: &[i64]) -> Vec<String> {
    // `id=%5B` and `%5D` around the list, `%2C` between ids; digits and `-` are sent as they are.
    const AROUND: usize = "id=%5B%5D".len();
    const BETWEEN: usize = "%2C".len();
    let mut queries = Vec::new();
    let mut start = 0;
    let mut length = AROUND;
    for (i, id) in ids.iter().enumerate() {
        let more = id.to_string().len() + if i > start { BETWEEN } else { 0 };
        if i > start && length + more > MAX_IDS_QUERY {
            queries.push(ids_query(&ids[start..i]));
            start = i;
            length = AROUND + id.to_string().len();
        } else {
            length += more;
        }
    }
    if start < ids.len() {
        queries.push(ids_query(&ids[start..]));
    }
    queries
}

fn ids_query(ids: &[i64]) -> String {
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    form_urlencoded::Serializer::new(String::new())
        .append_pair("id", &format!("[{list}]"))
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn defaults_and_order() {
        assert_eq!(
            ListQuery::new().to_query_string().unwrap(),
            "page=1&size=25"
        );
        let q = ListQuery::new()
            .page(2)
            .size(1000)
            .order_by(Field::ValidTo, SortDirection::Descending);
        assert_eq!(
            q.to_query_string().unwrap(),
            "page=2&size=1000&orderby=ValidTo&dir=Descending"
        );
        let q = ListQuery::new().order_by(Field::Business, SortDirection::Ascending);
        assert!(q
            .to_query_string()
            .unwrap()
            .ends_with("orderby=BusinessId&dir=Ascending"));
    }

    #[test]
    fn dir_in_each_documented_spelling() {
        let q = ListQuery::new().order_by(Field::Id, SortDirection::Descending);
        let dir = |s| q.spelt(s).unwrap().rsplit('=').next().unwrap().to_owned();
        assert_eq!(dir(Spelling::Words), "Descending");
        assert_eq!(dir(Spelling::Signed), "-1");
        assert_eq!(dir(Spelling::ZeroOne), "1");
        let up = SortDirection::Ascending;
        assert_eq!(Spelling::ALL.map(|s| s.spell(up)), ["Ascending", "1", "0"]);
        assert_eq!(q.to_query_string(), q.spelt(Spelling::Words));
    }

    #[test]
    fn the_order_an_answer_is_in() {
        let token = |id: i64, minutes: i64, ends: Option<&str>| AccessToken {
            id,
            minutes_left: minutes,
            valid_to: ends.map(|e| WallClock::parse(e).unwrap()),
            ..AccessToken::default()
        };
        let (up, down) = (
            Some(SortDirection::Ascending),
            Some(SortDirection::Descending),
        );
        let page = [
            token(3, 10, None),
            token(7, 10, Some("2030-01-01T09:00:00")),
            token(9, 40, Some("2030-01-02T09:00:00")),
        ];
        assert_eq!(order_seen(&page, Field::Id), up);
        // Ties are no evidence; missing dates have no place.
        assert_eq!(order_seen(&page, Field::MinutesLeft), up);
        assert_eq!(order_seen(&page, Field::ValidTo), up);
        let mut reversed = page.clone();
        reversed.reverse();
        assert_eq!(order_seen(&reversed, Field::Id), down);
        assert_eq!(order_seen(&reversed, Field::ValidTo), down);
        // Too short, too even, in no order, or text: nothing to tell.
        assert_eq!(order_seen(&page[..1], Field::Id), None);
        assert_eq!(order_seen(&page[..2], Field::MinutesLeft), None);
        let mixed = [page[1].clone(), page[0].clone(), page[2].clone()];
        assert_eq!(order_seen(&mixed, Field::Id), None);
        assert_eq!(order_seen(&page, Field::AccessCode), None);
    }

    #[test]
    fn every_filter_has_its_documented_name() {
        let cases = [
            (Field::Id, "Id"),
            (Field::UniqueId, "UniqueId"),
            (Field::Business, "AccessToken_Business"),
            (Field::AccessCode, "AccessToken_AccessCode"),
            (Field::Description, "AccessToken_Description"),
            (Field::MinutesIncluded, "AccessToken_MinutesIncluded"),
            (Field::ValidFrom, "AccessToken_ValidFrom"),
            (Field::ValidTo, "AccessToken_ValidTo"),
            (Field::UserLimit, "AccessToken_UserLimit"),
            (Field::MinutesLeft, "AccessToken_MinutesLeft"),
            (Field::MacAddress, "AccessToken_MacAddress"),
            (Field::BookingGuid, "AccessToken_BookingGuid"),
            (Field::VisitorGuid, "AccessToken_VisitorGuid"),
            (Field::LastAccess, "AccessToken_LastAccess"),
            (Field::SystemId, "AccessToken_SystemId"),
        ];
        for (field, param) in cases {
            let q = ListQuery::new()
                .filter(field, "x")
                .to_query_string()
                .unwrap();
            assert_eq!(q, format!("page=1&size=25&{param}=x"), "{field:?}");
        }
        assert!(ListQuery::new()
            .filter(Field::CreatedOn, "x")
            .to_query_string()
            .is_err());
    }

    #[test]
    fn an_upper_date_bound_keeps_the_whole_of_its_minute() {
        let q = |at: &str| {
            ListQuery::new()
                .from(Field::ValidTo, self::at(at))
                .to(Field::ValidTo, self::at(at))
                .to_query_string()
                .unwrap()
        };
        assert_eq!(
            q("2025-01-15 12:00:50"),
            "page=1&size=25&from_AccessToken_ValidTo=2025-01-15T12%3A00&to_AccessToken_ValidTo=2025-01-15T12%3A01"
        );
        assert_eq!(
            q("2025-01-31 23:59:01"),
            "page=1&size=25&from_AccessToken_ValidTo=2025-01-31T23%3A59&to_AccessToken_ValidTo=2025-02-01T00%3A00"
        );
        assert_eq!(
            q("2025-01-15 12:00:00"),
            "page=1&size=25&from_AccessToken_ValidTo=2025-01-15T12%3A00&to_AccessToken_ValidTo=2025-01-15T12%3A00"
        );
    }

    #[test]
    fn every_range_in_the_documented_form() {
        let q = ListQuery::new()
            .from(Field::ValidFrom, at("2025-01-15 10:30:59"))
            .to(
                Field::ValidTo,
                WallClock::parse("2025-01-16T08:00:00Z").unwrap(),
            )
            .from(Field::CreatedOn, at("2025-01-01 00:00:00"))
            .to(Field::UpdatedOn, at("2025-01-31 23:59:01"))
            .from(Field::LastAccess, at("2025-01-01 00:00:00"))
            .from(Field::MinutesIncluded, 60)
            .to(Field::MinutesLeft, 0)
            .from(Field::UserLimit, 2)
            .to_query_string()
            .unwrap();
        assert_eq!(
            q,
            "page=1&size=25&from_AccessToken_ValidFrom=2025-01-15T10%3A30&to_AccessToken_ValidTo=2025-01-16T08%3A00\
             &from_AccessToken_CreatedOn=2025-01-01T00%3A00&to_AccessToken_UpdatedOn=2025-02-01T00%3A00\
             &from_AccessToken_LastAccess=2025-01-01T00%3A00&from_AccessToken_MinutesIncluded=60\
             &to_AccessToken_MinutesLeft=0&from_AccessToken_UserLimit=2"
        );
        assert!(ListQuery::new()
            .from(Field::Description, 3)
            .to_query_string()
            .is_err());
        assert!(ListQuery::new()
            .from(Field::MinutesLeft, at("2025-01-01 00:00:00"))
            .to_query_string()
            .is_err());
        assert!(ListQuery::new()
            .to(Field::ValidTo, 5)
            .to_query_string()
            .is_err());
    }

    #[test]
    fn a_field_bounded_twice_at_one_end_is_sent_once_with_the_tighter_bound() {
        let q = ListQuery::new()
            .to(Field::ValidTo, at("2025-03-21 00:00:00"))
            .to(Field::ValidTo, at("2025-03-10 12:01:00"))
            .from(Field::ValidFrom, at("2025-03-01 00:00:00"))
            .from(Field::ValidFrom, at("2025-02-01 00:00:00"))
            .from(Field::MinutesIncluded, 1)
            .from(Field::MinutesIncluded, 60)
            .to(Field::MinutesLeft, 5)
            .to(Field::MinutesLeft, 0)
            .to_query_string()
            .unwrap();
        assert_eq!(
            q,
            "page=1&size=25&to_AccessToken_ValidTo=2025-03-10T12%3A01\
             &from_AccessToken_ValidFrom=2025-03-01T00%3A00&from_AccessToken_MinutesIncluded=60\
             &to_AccessToken_MinutesLeft=0"
        );
        // Bounds of two kinds on one field and end (a programming error) are both kept, and
        // the query refused for the wrong one, whichever comes first.
        assert!(ListQuery::new()
            .from(Field::ValidFrom, 5)
            .from(Field::ValidFrom, at("2025-03-01 00:00:00"))
            .to_query_string()
            .is_err());
        assert!(ListQuery::new()
            .to(Field::MinutesLeft, 0)
            .to(Field::MinutesLeft, at("2025-03-01 00:00:00"))
            .to_query_string()
            .is_err());
    }

    #[test]
    fn values_are_percent_encoded() {
        let q = ListQuery::new().filter(Field::Description, "Ada & Co = 50% #1");
        assert_eq!(
            q.to_query_string().unwrap(),
            "page=1&size=25&AccessToken_Description=Ada+%26+Co+%3D+50%25+%231"
        );
    }

    #[test]
    fn out_of_range_sizes_are_refused_before_sending() {
        assert!(ListQuery::new().size(1001).to_query_string().is_err());
        assert!(ListQuery::new().size(0).to_query_string().is_err());
        assert!(ListQuery::new().page(0).to_query_string().is_err());
    }

    #[test]
    fn several_ids() {
        assert_eq!(ids_query(&[1, 22, 333]), "id=%5B1%2C22%2C333%5D");
        assert_eq!(ids_query(&[]), "id=%5B%5D");
    }

    #[test]
    fn ids_are_asked_for_in_queries_a_server_takes() {
        let read = |query: &str| -> Vec<i64> {
            let (name, list) = form_urlencoded::parse(query.as_bytes()).next().unwrap();
            assert_eq!(name, "id");
            serde_json::from_str(&list).unwrap()
        };
        assert!(ids_queries(&[]).is_empty());
        assert_eq!(ids_queries(&[1, 2, 3]), ["id=%5B1%2C2%2C3%5D"]);
        // A thousand ids of ten digits, and of the longest: every one asked for once, in order,
        // each query within the limit and the queries as few as that allows.
        for ids in [
            (0..1000).map(|n| 1_414_000_000 + n).collect::<Vec<i64>>(),
            (0..1000).map(|n| i64::MIN + n).collect(),
        ] {
            let queries = ids_queries(&ids);
            assert!(queries.iter().all(|q| q.len() <= MAX_IDS_QUERY));
            let each = ids[0].to_string().len() + 3;
            let fit = (MAX_IDS_QUERY - 9 + 3) / each;
            assert_eq!(queries.len(), ids.len().div_ceil(fit), "{queries:?}");
            assert_eq!(
                queries.iter().flat_map(|q| read(q)).collect::<Vec<_>>(),
                ids
            );
        }
    }
}
