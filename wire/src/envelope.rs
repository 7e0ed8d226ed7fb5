//! The page envelope of a list and the action envelope of a write.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::lenient::null_as_default;
use crate::sort::SortDirection;

/// One page of a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(
    rename_all = "PascalCase",
    default,
    bound(deserialize = "T: Deserialize<'de>", serialize = "T: Serialize")
)]
pub struct Page<T> {
    /// The records on this page.
    #[serde(deserialize_with = "null_as_default")]
    pub records: Vec<T>,
    /// Records on this page.
    #[serde(deserialize_with = "null_as_default")]
    pub current_page_size: i64,
    /// This page's number, from 1.
    #[serde(deserialize_with = "null_as_default")]
    pub current_page: i64,
    /// The field the list is sorted by.
    pub current_order_field: Option<String>,
    /// The direction of the sort, a number or `"ASC"`/`"DESC"`.
    pub current_sort_direction: SortDirection,
    /// 1-based position of the first record on this page.
    #[serde(deserialize_with = "null_as_default")]
    pub first_item: i64,
    /// 1-based position of the last record on this page.
    #[serde(deserialize_with = "null_as_default")]
    pub last_item: i64,
    /// Whether a later page exists.
    #[serde(deserialize_with = "null_as_default")]
    pub has_next_page: bool,
    /// Whether an earlier page exists.
    #[serde(deserialize_with = "null_as_default")]
    pub has_previous_page: bool,
    /// This page's number, from 1.
    #[serde(deserialize_with = "null_as_default")]
    pub page_number: i64,
    /// The page size asked for.
    #[serde(deserialize_with = "null_as_default")]
    pub page_size: i64,
    /// Records matching the query over all pages.
    #[serde(deserialize_with = "null_as_default")]
    pub total_items: i64,
    /// Pages in all.
    #[serde(deserialize_with = "null_as_default")]
    pub total_pages: i64,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Self {
            records: Vec::new(),
            current_page_size: 0,
            current_page: 0,
            current_order_field: None,
            current_sort_direction: SortDirection::default(),
            first_item: 0,
            last_item: 0,
            has_next_page: false,
            has_previous_page: false,
            page_number: 0,
            page_size: 0,
            total_items: 0,
            total_pages: 0,
        }
    }
}

/// The answer to a create, update, delete or command.
///
/// A validation failure comes as HTTP 400 whose body may still say `"Status": 500`, and a failed
/// command as HTTP 200: `WasSuccessful` is the field that tells.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ActionResult {
    /// A status the server reports inside the body; not always the HTTP status.
    #[serde(deserialize_with = "null_as_default")]
    pub status: i64,
    /// Whether the action happened.
    #[serde(deserialize_with = "null_as_default")]
    pub was_successful: bool,
    /// A sentence from the server.
    pub message: Option<String>,
    /// The record the action touched, when there is one.
    pub value: Option<ActionValue>,
    /// Admin-UI hint, unused here.
    #[serde(deserialize_with = "null_as_default")]
    pub open_in_dialog: bool,
    /// Admin-UI hint, unused here.
    #[serde(rename = "RedirectURL")]
    pub redirect_url: Option<String>,
    /// Admin-UI hint, never run.
    pub java_script: Option<String>,
    /// What was wrong, per property.
    pub errors: Option<Vec<FieldError>>,
}

impl ActionResult {
    /// The id of the record created or changed, if the server named one.
    pub fn id(&self) -> Option<i64> {
        self.value.as_ref().and_then(|v| v.id)
    }

    /// The per-property errors, empty when there are none.
    pub fn field_errors(&self) -> &[FieldError] {
        self.errors.as_deref().unwrap_or_default()
    }

    /// What the server said of a failure: its message, or without one the properties it refused
    /// and why ("Hours must be 1 or more"), as a command's refusal may say it.
    pub fn said(&self) -> String {
        match self.message.as_deref().map(str::trim) {
            Some(message) if !message.is_empty() => message.to_owned(),
            _ => self
                .field_errors()
                .iter()
                .map(|e| format!("{} {}", e.property_name, e.message.trim()))
                .collect::<Vec<_>>()
                .join("; "),
        }
    }
}

/// `Value` of an action result.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ActionValue {
    /// The record's id.
    pub id: Option<i64>,
}

/// One property that failed validation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct FieldError {
    /// The value that was refused, as sent.
    pub attempted_value: Option<Value>,
    /// Why, e.g. "may not be null or empty".
    #[serde(deserialize_with = "null_as_default")]
    pub message: String,
    /// The record field, e.g. `AccessCode`.
    #[serde(deserialize_with = "null_as_default")]
    pub property_name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_says_its_message_or_else_what_it_refused() {
        let refused: ActionResult = serde_json::from_str(
            r#"{"WasSuccessful": false, "Message": null,
                "Errors": [{"PropertyName": "Hours", "Message": "must be 1 or more"}]}"#,
        )
        .unwrap();
        assert_eq!(refused.said(), "Hours must be 1 or more");
        let told: ActionResult =
            serde_json::from_str(r#"{"WasSuccessful": false, "Message": "Command error"}"#)
                .unwrap();
        assert_eq!(told.said(), "Command error");
        assert_eq!(ActionResult::default().said(), "");
    }
}
