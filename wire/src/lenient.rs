//! Deserialisers that accept `null` (and a few other shapes Nexudus is known to send) for plain values.

use serde::{Deserialize, Deserializer};

/// Reads `null` as the type's default, for fields the API types as plain numbers or booleans.
pub fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// Reads the business of a record: a number (`BusinessId`), or in the older reference a `Business`
/// that is `null` or an object carrying an `Id`.
pub fn business_id<'de, D>(deserializer: D) -> Result<Option<i64>, D::Error>
where
    D: Deserializer<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Business {
        Id(i64),
        Record {
            #[serde(rename = "Id")]
            id: i64,
        },
        Other(serde::de::IgnoredAny),
    }
    Ok(match Option::<Business>::deserialize(deserializer)? {
        Some(Business::Id(id)) | Some(Business::Record { id }) => Some(id),
        Some(Business::Other(_)) | None => None,
    })
}
