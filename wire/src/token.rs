//! The AccessToken record.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::lenient::{business_id, null_as_default};
use crate::wall_clock::{optional, WallClock};

/// One WiFi access code and its allowance, every field of both reference versions.
///
/// Reading ignores unknown fields and accepts `null` anywhere; writing produces the current reference's
/// field names, so a record read and written back loses nothing the API lets a client set.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AccessToken {
    /// Unique record identifier; 0 for a record not yet created.
    #[serde(deserialize_with = "null_as_default")]
    pub id: i64,
    /// UUID of the record.
    pub unique_id: Option<String>,
    /// The business (space) the code belongs to; `Business` in the older reference.
    #[serde(alias = "Business", deserialize_with = "business_id")]
    pub business_id: Option<i64>,
    /// The code a visitor types at the captive portal.
    #[serde(deserialize_with = "null_as_default")]
    pub access_code: String,
    /// Free text, e.g. the visitor's name.
    pub description: Option<String>,
    /// Minutes of access included.
    #[serde(deserialize_with = "null_as_default")]
    pub minutes_included: i64,
    /// Minutes of access still left (read-only in the admin pages).
    #[serde(deserialize_with = "null_as_default")]
    pub minutes_left: i64,
    /// From when the code may be used.
    #[serde(deserialize_with = "optional")]
    pub valid_from: Option<WallClock>,
    /// Until when the code may be used.
    #[serde(deserialize_with = "optional")]
    pub valid_to: Option<WallClock>,
    /// How many devices may use the code at once; `None` means one.
    pub user_limit: Option<i64>,
    /// MAC address of the device that used the code.
    pub mac_address: Option<String>,
    /// The booking the code was issued for.
    pub booking_guid: Option<String>,
    /// The visitor the code was issued for.
    pub visitor_guid: Option<String>,
    /// When the code was last used to connect.
    #[serde(deserialize_with = "optional")]
    pub last_access: Option<WallClock>,
    /// When the record was created.
    #[serde(deserialize_with = "optional")]
    pub created_on: Option<WallClock>,
    /// When the record was last changed.
    #[serde(deserialize_with = "optional")]
    pub updated_on: Option<WallClock>,
    /// Email of whoever last changed the record.
    pub updated_by: Option<String>,
    /// Whether the record was recently created.
    #[serde(deserialize_with = "null_as_default")]
    pub is_new: bool,
    /// External system identifier.
    pub system_id: Option<String>,
    /// The server's own name for the record.
    pub to_string_text: Option<String>,
    /// Opaque to the widget; kept so a write-back does not drop it.
    pub localization_details: Option<Value>,
    /// Opaque to the widget; kept so a write-back does not drop it.
    pub custom_fields: Option<Value>,
}

impl AccessToken {
    /// Fields the server sets itself: a create leaves them out, and the server ignores them in a
    /// write.
    pub const SERVER_SET_FIELDS: &'static [&'static str] = &[
        "Id",
        "UniqueId",
        "LastAccess",
        "CreatedOn",
        "UpdatedOn",
        "UpdatedBy",
        "IsNew",
        "ToStringText",
        "LocalizationDetails",
        "CustomFields",
    ];

    /// Whether the code has a minute allowance to use up: none included means no minute limit.
    pub fn metered(&self) -> bool {
        self.minutes_included > 0
    }

    /// How many devices may use the code at once (no limit set means one).
    pub fn devices(&self) -> i64 {
        self.user_limit.unwrap_or(1)
    }
}
