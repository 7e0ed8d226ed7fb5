//! The list query: page, size, order, direction and filters, as a query string the API cannot misread.

use wifi_desk_wire::SortDirection;

use super::ApiError;

/// A list, find or range request for `GET /spaces/accesstokens`.
#[derive(Clone, Debug, PartialEq)]
pub struct ListQuery {
    page: u32,
    size: u32,
    order_by: Option<String>,
    dir: Option<SortDirection>,
    params: Vec<(String, String)>,
}

/// Largest page the API serves.
pub const MAX_PAGE_SIZE: u32 = 1000;

impl Default for ListQuery {
    fn default() -> Self {
        Self {
            page: 1,
            size: 25,
            order_by: None,
            dir: None,
            params: Vec::new(),
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

    /// Records per page, 1 to 1000; anything else is refused by [`ListQuery::to_query_string`].
    pub fn size(mut self, size: u32) -> Self {
        self.size = size;
        self
    }

    /// Order by a record field, e.g. `ValidTo`.
    pub fn order_by(mut self, field: &str, dir: SortDirection) -> Self {
        self.order_by = Some(field.to_owned());
        self.dir = Some(dir);
        self
    }

    /// `AccessToken_<field>=value`.
    pub fn filter(mut self, field: &str, value: &str) -> Self {
        self.params
            .push((format!("AccessToken_{field}"), value.to_owned()));
        self
    }

    /// The query string, percent-encoded, without the leading `?`.
    pub fn to_query_string(&self) -> Result<String, ApiError> {
        if !(1..=MAX_PAGE_SIZE).contains(&self.size) {
            return Err(ApiError::Refused(
                400,
                format!(
                    "a page holds 1 to {MAX_PAGE_SIZE} records, not {}",
                    self.size
                ),
            ));
        }
        if self.page == 0 {
            return Err(ApiError::Refused(400, "pages are numbered from 1".into()));
        }
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair("page", &self.page.to_string());
        q.append_pair("size", &self.size.to_string());
        if let Some(field) = &self.order_by {
            q.append_pair("orderby", field);
        }
        if let Some(dir) = self.dir {
            q.append_pair("dir", dir.as_str());
        }
        for (name, value) in &self.params {
            q.append_pair(name, value);
        }
        Ok(q.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_order() {
        assert_eq!(
            ListQuery::new().to_query_string().unwrap(),
            "page=1&size=25"
        );
        let q = ListQuery::new()
            .page(2)
            .size(1000)
            .order_by("ValidTo", SortDirection::Descending);
        assert_eq!(
            q.to_query_string().unwrap(),
            "page=2&size=1000&orderby=ValidTo&dir=Descending"
        );
    }

    #[test]
    fn values_are_percent_encoded() {
        let q = ListQuery::new().filter("Description", "Ada & Co = 50% #1");
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
}
