//! The list query: page, size, order, filters and ranges, as a query string the API cannot misread.

use chrono::NaiveDateTime;
use wifi_desk_wire::{SortDirection, WallClock};

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

/// One end of a range: a number, or a wall-clock time (sent as `YYYY-MM-DDTHH:mm`).
#[derive(Clone, Copy, Debug, PartialEq)]
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

    fn text(self) -> String {
        match self {
            Self::Number(n) => n.to_string(),
            Self::At(at) => at.format("%Y-%m-%dT%H:%M").to_string(),
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
    pub fn from(mut self, field: Field, bound: impl Into<Bound>) -> Self {
        self.ranges.push(("from_", field, bound.into()));
        self
    }

    /// Only records whose `field` is at most `bound`.
    pub fn to(mut self, field: Field, bound: impl Into<Bound>) -> Self {
        self.ranges.push(("to_", field, bound.into()));
        self
    }

    /// The query string, percent-encoded, without the leading `?`.
    pub fn to_query_string(&self) -> Result<String, ApiError> {
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
            q.append_pair("dir", dir.as_str());
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
                &bound.text(),
            );
        }
        Ok(q.finish())
    }
}

/// The query string for several records by id: `id=[1,2,3]`, percent-encoded.
pub fn ids_query(ids: &[i64]) -> String {
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
    fn every_range_in_the_documented_form() {
        let q = ListQuery::new()
            .from(Field::ValidFrom, at("2025-01-15 10:30:59"))
            .to(
                Field::ValidTo,
                WallClock::parse("2025-01-16T08:00:00Z").unwrap(),
            )
            .from(Field::CreatedOn, at("2025-01-01 00:00:00"))
            .to(Field::UpdatedOn, at("2025-02-01 00:00:00"))
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
}
