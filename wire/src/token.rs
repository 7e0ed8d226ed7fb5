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
    /// The business (space) the code belongs to; see [`AccessToken::business`].
    #[serde(deserialize_with = "business_id")]
    pub business_id: Option<i64>,
    /// `Business`, the older reference's name for it, as read; never written. A record may carry
    /// both (a navigation left `null` beside the id), so the two are read apart: as one field, a
    /// record with both would be refused as a duplicate, and the page with it.
    #[serde(
        rename = "Business",
        deserialize_with = "business_id",
        skip_serializing
    )]
    pub older_business_id: Option<i64>,
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

    /// The business (space) the code belongs to, under either reference's name.
    pub fn business(&self) -> Option<i64> {
        self.business_id.or(self.older_business_id)
    }

    /// Whether the code has a minute allowance to use up: none included means no minute limit.
    pub fn metered(&self) -> bool {
        self.minutes_included > 0
    }

    /// How many devices may use the code at once (no limit set means one).
    pub fn devices(&self) -> i64 {
        self.user_limit.unwrap_or(1)
    }

    /// Whether `stored`, read from the server, is this record as a create would write it: the
    /// same code (ignoring case) with the same terms. A create the server refuses because the code
    /// exists already then had its effect: the first copy of a request the browser sent twice, or
    /// one whose answer was lost and which was sent again.
    pub fn issued_as(&self, stored: &AccessToken) -> bool {
        let text = |t: &Option<String>| t.as_deref().map(str::trim).unwrap_or_default().to_owned();
        // To the second: a server may keep less than the fractions sent.
        let time = |t: &Option<WallClock>| t.map(|t| t.local().and_utc().timestamp());
        self.access_code
            .trim()
            .eq_ignore_ascii_case(stored.access_code.trim())
            && text(&self.description) == text(&stored.description)
            && self.minutes_included == stored.minutes_included
            && time(&self.valid_from) == time(&stored.valid_from)
            && time(&self.valid_to) == time(&stored.valid_to)
            && self.devices() == stored.devices()
            && text(&self.booking_guid).eq_ignore_ascii_case(&text(&stored.booking_guid))
            && text(&self.visitor_guid).eq_ignore_ascii_case(&text(&stored.visitor_guid))
            && (self.business().is_none() || self.business() == stored.business())
    }

    /// Gives this record, read from the server, the terms of `asked`, a create's record: what
    /// [`AccessToken::issued_as`] compares. Minutes used meanwhile stay used.
    pub fn take_terms(&mut self, asked: &AccessToken) {
        let used = (self.minutes_included - self.minutes_left).max(0);
        self.description = asked.description.clone();
        self.minutes_included = asked.minutes_included;
        self.minutes_left = (asked.minutes_left - used).max(0);
        self.valid_from = asked.valid_from;
        self.valid_to = asked.valid_to;
        self.user_limit = asked.user_limit;
        self.booking_guid = asked.booking_guid.clone();
        self.visitor_guid = asked.visitor_guid.clone();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Option<WallClock> {
        Some(WallClock::parse(text).unwrap())
    }

    fn sent() -> AccessToken {
        AccessToken {
            access_code: "K7QM3X".into(),
            description: Some("Ada, room 2".into()),
            minutes_included: 240,
            minutes_left: 240,
            valid_from: at("2026-11-28T09:15:42.250Z"),
            valid_to: at("2026-11-28T13:15:42Z"),
            booking_guid: Some("b-1".into()),
            ..AccessToken::default()
        }
    }

    #[test]
    fn a_record_with_both_spellings_of_its_business_is_read() {
        let read = |json: &str| serde_json::from_str::<AccessToken>(json).map(|t| t.business());
        let both = r#"{"Id": 1, "BusinessId": 5, "Business": null, "AccessCode": "A"}"#;
        assert_eq!(read(both).unwrap(), Some(5));
        let older_first = r#"{"Business": {"Id": 6}, "BusinessId": null}"#;
        assert_eq!(read(older_first).unwrap(), Some(6));
        assert_eq!(read(r#"{"Business": 7}"#).unwrap(), Some(7));
        assert_eq!(read(r#"{"BusinessId": 8}"#).unwrap(), Some(8));
        // Written back in the current reference's name alone.
        let written = serde_json::to_value(AccessToken {
            business_id: Some(5),
            older_business_id: Some(5),
            ..AccessToken::default()
        })
        .unwrap();
        assert_eq!(written["BusinessId"], 5);
        assert!(written.get("Business").is_none());
    }

    #[test]
    fn a_create_is_recognised_in_the_record_it_wrote() {
        let stored = AccessToken {
            id: 812,
            unique_id: Some("3f2c".into()),
            business_id: Some(1_401_123),
            // The server's forms of the same values: case, spaces, seconds, one device spelled out.
            access_code: "k7qm3x".into(),
            description: Some(" Ada, room 2 ".into()),
            valid_from: at("2026-11-28T09:15:42"),
            user_limit: Some(1),
            booking_guid: Some("B-1".into()),
            updated_by: Some("reception@example.com".into()),
            ..sent()
        };
        assert!(sent().issued_as(&stored));
        let business = AccessToken {
            business_id: Some(1_401_123),
            ..sent()
        };
        assert!(business.issued_as(&stored));
    }

    #[test]
    fn another_record_with_the_code_is_not_the_create() {
        let stored = AccessToken { id: 812, ..sent() };
        let differs: [fn(&mut AccessToken); 8] = [
            |t| t.access_code = "K7QM3Y".into(),
            |t| t.description = Some("Grace".into()),
            |t| t.description = None,
            |t| t.minutes_included = 60,
            |t| t.valid_from = at("2026-11-28T09:15:43Z"),
            |t| t.valid_to = None,
            |t| t.user_limit = Some(2),
            |t| t.booking_guid = None,
        ];
        for (n, differ) in differs.iter().enumerate() {
            let mut other = stored.clone();
            differ(&mut other);
            assert!(!sent().issued_as(&other), "difference {n}");
        }
        let elsewhere = AccessToken {
            business_id: Some(7),
            ..stored
        };
        let here = AccessToken {
            business_id: Some(1_401_123),
            ..sent()
        };
        assert!(!here.issued_as(&elsewhere));
    }

    #[test]
    fn a_record_takes_a_creates_terms_and_keeps_its_own() {
        let mut stored = AccessToken {
            id: 812,
            unique_id: Some("3f2c".into()),
            business_id: Some(1_401_123),
            minutes_left: 230,
            visitor_guid: Some("v-9".into()),
            mac_address: Some("02:00:00:00:00:07".into()),
            updated_by: Some("reception@example.com".into()),
            ..sent()
        };
        let asked = AccessToken {
            description: Some("Ada, room 3".into()),
            minutes_included: 480,
            minutes_left: 480,
            valid_to: at("2026-11-28T17:15:42Z"),
            user_limit: Some(2),
            booking_guid: None,
            ..sent()
        };
        assert!(!asked.issued_as(&stored));
        stored.take_terms(&asked);
        assert!(asked.issued_as(&stored));
        assert_eq!(stored.minutes_left, 470, "the 10 minutes used stay used");
        assert_eq!(stored.visitor_guid, None);
        assert_eq!(
            (stored.id, stored.unique_id.as_deref(), stored.business_id),
            (812, Some("3f2c"), Some(1_401_123))
        );
        assert_eq!(stored.mac_address.as_deref(), Some("02:00:00:00:00:07"));
    }
}
