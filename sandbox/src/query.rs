//! The list query: `page`, `size`, `orderby`, `dir`, every `AccessToken_<Field>` filter, every
//! `from_`/`to_` range, `Id`, `UniqueId`, and `id=[…]` for several records by id.
//!
//! Names are matched without regard to case, as the ASP.NET API behind Nexudus does. Text filters
//! match a part of the value (case-insensitive); GUIDs match whole; numbers match exactly; a date
//! matches its whole day, or its minute when a time is given.

use rusqlite::types::Value;
use wifi_desk_wire::{SortDirection, WallClock};

use crate::error::ApiError;

/// How a field is filtered.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// Whole number, exact.
    Int,
    /// Text, part of the value.
    Text,
    /// Identifier, whole value.
    Guid,
    /// Wall-clock date and time.
    Date,
}

/// Fields a list can be filtered on with `AccessToken_<Field>`, their column and kind.
const FILTERS: &[(&str, &str, Kind)] = &[
    ("Business", "BusinessId", Kind::Int),
    ("BusinessId", "BusinessId", Kind::Int),
    ("AccessCode", "AccessCode", Kind::Text),
    ("Description", "Description", Kind::Text),
    ("MinutesIncluded", "MinutesIncluded", Kind::Int),
    ("ValidFrom", "ValidFrom", Kind::Date),
    ("ValidTo", "ValidTo", Kind::Date),
    ("UserLimit", "UserLimit", Kind::Int),
    ("MinutesLeft", "MinutesLeft", Kind::Int),
    ("MacAddress", "MacAddress", Kind::Text),
    ("BookingGuid", "BookingGuid", Kind::Guid),
    ("VisitorGuid", "VisitorGuid", Kind::Guid),
    ("LastAccess", "LastAccess", Kind::Date),
    ("SystemId", "SystemId", Kind::Text),
];

/// Fields with `from_AccessToken_<Field>` / `to_AccessToken_<Field>` ranges.
const RANGES: &[(&str, Kind)] = &[
    ("CreatedOn", Kind::Date),
    ("UpdatedOn", Kind::Date),
    ("MinutesIncluded", Kind::Int),
    ("ValidFrom", Kind::Date),
    ("ValidTo", Kind::Date),
    ("UserLimit", Kind::Int),
    ("MinutesLeft", Kind::Int),
    ("LastAccess", Kind::Date),
];

/// Columns a list can be ordered by.
pub const ORDER_FIELDS: &[&str] = &[
    "Id",
    "UniqueId",
    "BusinessId",
    "AccessCode",
    "Description",
    "MinutesIncluded",
    "MinutesLeft",
    "ValidFrom",
    "ValidTo",
    "UserLimit",
    "MacAddress",
    "BookingGuid",
    "VisitorGuid",
    "LastAccess",
    "SystemId",
    "CreatedOn",
    "UpdatedOn",
    "UpdatedBy",
];

/// Largest page the API serves.
pub const MAX_PAGE_SIZE: i64 = 1000;

/// A parsed list request.
#[derive(Debug, PartialEq)]
pub struct ListQuery {
    /// Page number from 1.
    pub page: i64,
    /// Records per page, 1..=1000.
    pub size: i64,
    /// Column to order by.
    pub order: &'static str,
    /// Direction of the order.
    pub dir: SortDirection,
    /// SQL conditions joined with AND, and their values.
    pub conditions: Vec<String>,
    /// Values bound to the conditions' placeholders, in order.
    pub values: Vec<Value>,
    /// `id=[…]`: answer with a bare array of these records.
    pub batch: Option<Vec<i64>>,
}

fn bad(text: String) -> ApiError {
    ApiError::BadRequest(text)
}

fn find<'a, T: Copy>(table: &'a [(&'a str, T)], name: &str) -> Option<(&'a str, T)> {
    table
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .copied()
}

fn int(param: &str, text: &str) -> Result<i64, ApiError> {
    text.trim()
        .parse()
        .map_err(|_| bad(format!("{param}: “{text}” is not a whole number.")))
}

fn date(param: &str, text: &str) -> Result<WallClock, ApiError> {
    WallClock::parse(text).map_err(|_| {
        bad(format!(
            "{param}: “{text}” is not a date; use YYYY-MM-DD or YYYY-MM-DDTHH:mm."
        ))
    })
}

/// The form dates are stored in, so that text order is time order.
pub fn stored(at: chrono::NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%S").to_string()
}

fn has_time(text: &str) -> bool {
    text.contains('T') || text.trim().contains(' ')
}

impl ListQuery {
    /// Reads a query string, refusing what the API would refuse with a sentence saying why.
    pub fn parse(query: &str) -> Result<Self, ApiError> {
        let mut q = ListQuery {
            page: 1,
            size: 25,
            order: "Id",
            dir: SortDirection::Ascending,
            conditions: Vec::new(),
            values: Vec::new(),
            batch: None,
        };
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            let lower = name.to_ascii_lowercase();
            if value.trim().is_empty() && lower != "page" && lower != "size" {
                continue;
            }
            match lower.as_str() {
                "page" => {
                    q.page = int("page", &value)?;
                    if q.page < 1 {
                        return Err(bad(format!(
                            "page: pages are numbered from 1, not {}.",
                            q.page
                        )));
                    }
                }
                "size" => {
                    q.size = int("size", &value)?;
                    if !(1..=MAX_PAGE_SIZE).contains(&q.size) {
                        return Err(bad(format!(
                            "size: a page holds 1 to {MAX_PAGE_SIZE} records, not {}.",
                            q.size
                        )));
                    }
                }
                "orderby" => {
                    q.order = ORDER_FIELDS
                        .iter()
                        .find(|f| f.eq_ignore_ascii_case(value.trim()))
                        .ok_or_else(|| {
                            bad(format!(
                                "orderby: “{value}” is not a field of an access token."
                            ))
                        })?;
                }
                "dir" => {
                    q.dir = SortDirection::parse(&value).ok_or_else(|| {
                        bad(format!(
                            "dir: “{value}” is not a direction; use Ascending or Descending."
                        ))
                    })?;
                }
                "id" if value.trim_start().starts_with('[') => {
                    let ids: Vec<i64> = serde_json::from_str(&value).map_err(|_| {
                        bad(format!(
                            "id: “{value}” is not a list of ids such as [1,2,3]."
                        ))
                    })?;
                    q.batch = Some(ids);
                }
                "id" => q.push("Id = ?", Value::Integer(int("Id", &value)?)),
                "uniqueid" => q.push(
                    "UniqueId = ? COLLATE NOCASE",
                    Value::Text(value.trim().into()),
                ),
                _ => q.filter_or_range(&name, &value)?,
            }
        }
        Ok(q)
    }

    fn push(&mut self, condition: &str, value: Value) {
        self.conditions.push(condition.to_owned());
        self.values.push(value);
    }

    fn filter_or_range(&mut self, name: &str, value: &str) -> Result<(), ApiError> {
        let lower = name.to_ascii_lowercase();
        if let Some(field) = lower.strip_prefix("accesstoken_") {
            let (_, (column, kind)) = FILTERS
                .iter()
                .map(|(n, c, k)| (*n, (*c, *k)))
                .find(|(n, _)| n.eq_ignore_ascii_case(field))
                .ok_or_else(|| {
                    bad(format!(
                        "{name}: an access token has no field “{field}” to filter on."
                    ))
                })?;
            return self.filter(name, column, kind, value);
        }
        for (prefix, op) in [("from_accesstoken_", ">="), ("to_accesstoken_", "<=")] {
            if let Some(field) = lower.strip_prefix(prefix) {
                let (column, kind) = find(RANGES, field)
                    .ok_or_else(|| bad(format!("{name}: “{field}” has no range filter.")))?;
                let bound = match kind {
                    Kind::Int => Value::Integer(int(name, value)?),
                    _ => {
                        let at = date(name, value)?.local();
                        Value::Text(match (op, has_time(value)) {
                            (">=", _) => stored(at),
                            // An upper bound includes the whole minute, or the whole day.
                            (_, true) => format!("{}:59.999", at.format("%Y-%m-%dT%H:%M")),
                            (_, false) => format!("{}T23:59:59.999", at.format("%Y-%m-%d")),
                        })
                    }
                };
                self.push(&format!("{column} {op} ?"), bound);
                return Ok(());
            }
        }
        // Other parameters (a cache-buster, say) are none of the list's business.
        Ok(())
    }

    fn filter(
        &mut self,
        name: &str,
        column: &str,
        kind: Kind,
        value: &str,
    ) -> Result<(), ApiError> {
        match kind {
            Kind::Int => self.push(&format!("{column} = ?"), Value::Integer(int(name, value)?)),
            Kind::Guid => self.push(
                &format!("{column} = ? COLLATE NOCASE"),
                Value::Text(value.trim().into()),
            ),
            Kind::Text => {
                let escaped = value
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_");
                self.push(
                    &format!("{column} LIKE ? ESCAPE '\\'"),
                    Value::Text(format!("%{escaped}%")),
                );
            }
            Kind::Date => {
                let at = date(name, value)?.local();
                let prefix = if has_time(value) {
                    at.format("%Y-%m-%dT%H:%M").to_string()
                } else {
                    at.format("%Y-%m-%d").to_string()
                };
                self.push(
                    &format!("substr({column}, 1, {}) = ?", prefix.len()),
                    Value::Text(prefix),
                );
            }
        }
        Ok(())
    }

    /// The WHERE clause, `1` when there are no conditions.
    pub fn where_clause(&self) -> String {
        if self.conditions.is_empty() {
            "1".into()
        } else {
            self.conditions.join(" AND ")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(query: &str) -> String {
        match ListQuery::parse(query) {
            Err(ApiError::BadRequest(text)) => text,
            other => panic!("{query}: expected a 400, got {other:?}"),
        }
    }

    #[test]
    fn defaults() {
        let q = ListQuery::parse("").unwrap();
        assert_eq!(
            (q.page, q.size, q.order, q.dir),
            (1, 25, "Id", SortDirection::Ascending)
        );
        assert_eq!(q.where_clause(), "1");
    }

    #[test]
    fn size_and_page_bounds_say_why() {
        assert_eq!(ListQuery::parse("size=1000").unwrap().size, 1000);
        assert_eq!(
            err("size=1001"),
            "size: a page holds 1 to 1000 records, not 1001."
        );
        assert_eq!(
            err("size=0"),
            "size: a page holds 1 to 1000 records, not 0."
        );
        assert_eq!(err("page=0"), "page: pages are numbered from 1, not 0.");
        assert_eq!(err("page=two"), "page: “two” is not a whole number.");
    }

    #[test]
    fn order_and_direction_spellings() {
        let q = ListQuery::parse("orderBy=validto&dir=-1").unwrap();
        assert_eq!((q.order, q.dir), ("ValidTo", SortDirection::Descending));
        assert_eq!(
            ListQuery::parse("dir=Descending").unwrap().dir,
            SortDirection::Descending
        );
        assert_eq!(
            ListQuery::parse("dir=ASC").unwrap().dir,
            SortDirection::Ascending
        );
        assert!(err("orderby=Password").contains("not a field"));
        assert!(err("dir=up").contains("not a direction"));
    }

    #[test]
    fn filters_become_bound_conditions() {
        let q = ListQuery::parse(
            "AccessToken_Description=50%25_off&AccessToken_MinutesLeft=0&AccessToken_BookingGuid=AB-1&AccessToken_ValidTo=2025-01-15",
        )
        .unwrap();
        assert_eq!(
            q.conditions,
            [
                "Description LIKE ? ESCAPE '\\'",
                "MinutesLeft = ?",
                "BookingGuid = ? COLLATE NOCASE",
                "substr(ValidTo, 1, 10) = ?"
            ]
        );
        assert_eq!(q.values[0], Value::Text("%50\\%\\_off%".into()));
        assert_eq!(q.values[3], Value::Text("2025-01-15".into()));
        assert!(err("AccessToken_Password=x").contains("no field"));
        assert!(err("AccessToken_UserLimit=lots").contains("not a whole number"));
    }

    #[test]
    fn ranges_include_their_last_minute_or_day() {
        let q = ListQuery::parse(
            "from_AccessToken_ValidFrom=2025-01-15T10:30&to_AccessToken_ValidFrom=2025-01-15T11:00&to_AccessToken_CreatedOn=2025-01-20&from_AccessToken_MinutesLeft=5",
        )
        .unwrap();
        assert_eq!(
            q.values,
            [
                Value::Text("2025-01-15T10:30:00".into()),
                Value::Text("2025-01-15T11:00:59.999".into()),
                Value::Text("2025-01-20T23:59:59.999".into()),
                Value::Integer(5)
            ]
        );
        assert!(err("from_AccessToken_Description=a").contains("no range"));
        assert!(err("to_AccessToken_ValidTo=soon").contains("not a date"));
    }

    #[test]
    fn batch_and_single_ids() {
        assert_eq!(
            ListQuery::parse("id=[1,2,3]").unwrap().batch,
            Some(vec![1, 2, 3])
        );
        assert_eq!(ListQuery::parse("Id=7").unwrap().conditions, ["Id = ?"]);
        assert!(err("id=[1,x]").contains("list of ids"));
    }
}
