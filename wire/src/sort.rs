//! The sort direction, which the Nexudus documents spell four ways.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Ascending or descending order of a list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SortDirection {
    /// Smallest first; the API's default.
    #[default]
    Ascending,
    /// Largest first.
    Descending,
}

impl SortDirection {
    /// The word sent in `dir=`. The documents disagree (see `NEXUDUS-API.md`): the words are the
    /// spelling of the support pages and of the one example answer (seed 000), and unlike the
    /// numbers, which two documents read in opposite ways, they cannot be taken backwards.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ascending => "Ascending",
            Self::Descending => "Descending",
        }
    }

    /// Reads any documented spelling: `Ascending`/`Descending`, `ASC`/`DESC`, or a number.
    ///
    /// Numbers are ambiguous between the documents ("1 ascending, -1 descending" against "0 ascending,
    /// 1 descending"); this follows developers.nexudus.com for 1 and -1, and reads 0 as ascending,
    /// which both documents that use it agree on.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "ascending" | "asc" | "1" | "0" => Some(Self::Ascending),
            "descending" | "desc" | "-1" => Some(Self::Descending),
            _ => None,
        }
    }

    /// The number used in the page envelope's `CurrentSortDirection`.
    pub fn as_number(self) -> i32 {
        match self {
            Self::Ascending => 1,
            Self::Descending => -1,
        }
    }
}

impl Serialize for SortDirection {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i32(self.as_number())
    }
}

impl<'de> Deserialize<'de> for SortDirection {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(i64),
            Text(String),
        }
        let text = match Option::<Raw>::deserialize(deserializer)? {
            None => return Ok(Self::default()),
            Some(Raw::Number(n)) => n.to_string(),
            Some(Raw::Text(t)) => t,
        };
        Self::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown sort direction “{text}”")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_spelling() {
        for (text, want) in [
            ("Ascending", SortDirection::Ascending),
            ("Descending", SortDirection::Descending),
            ("ASC", SortDirection::Ascending),
            ("desc", SortDirection::Descending),
            ("1", SortDirection::Ascending),
            ("-1", SortDirection::Descending),
            ("0", SortDirection::Ascending),
        ] {
            assert_eq!(SortDirection::parse(text), Some(want), "{text}");
        }
        assert_eq!(SortDirection::parse("sideways"), None);
    }

    #[test]
    fn json_number_string_and_null() {
        let read = |j: &str| serde_json::from_str::<SortDirection>(j);
        assert_eq!(read("1").unwrap(), SortDirection::Ascending);
        assert_eq!(read("-1").unwrap(), SortDirection::Descending);
        assert_eq!(read("\"ASC\"").unwrap(), SortDirection::Ascending);
        assert_eq!(read("\"DESC\"").unwrap(), SortDirection::Descending);
        assert_eq!(read("null").unwrap(), SortDirection::Ascending);
        assert!(read("\"up\"").is_err());
    }
}
