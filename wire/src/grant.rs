//! `/api/token`: the OAuth2 answer and its errors.

use serde::{Deserialize, Serialize};

/// A bearer token granted by `/api/token`. Its `Debug` output leaves the tokens out, so a log or
/// a failed assertion never shows them.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TokenGrant {
    /// The bearer token.
    pub access_token: String,
    /// Always `bearer`.
    pub token_type: String,
    /// Seconds until the bearer token expires (604799 on Nexudus).
    pub expires_in: i64,
    /// Exchanged for a new bearer token with the refresh grant.
    pub refresh_token: Option<String>,
}

impl std::fmt::Debug for TokenGrant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenGrant")
            .field("access_token", &"…")
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| "…"))
            .finish()
    }
}

/// A 400 from `/api/token`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GrantError {
    /// `invalid_grant`, `two_factor_auth_check`, `must_reset_password` or `unsupported_grant_type`.
    pub error: String,
    /// A sentence, when the server gives one.
    pub error_description: Option<String>,
}

impl GrantError {
    /// Wrong email or password (or an expired refresh token).
    pub const INVALID_GRANT: &'static str = "invalid_grant";
    /// The account has two-factor on and the code was missing or wrong.
    pub const TWO_FACTOR: &'static str = "two_factor_auth_check";
    /// The password must be changed in Nexudus first.
    pub const MUST_RESET_PASSWORD: &'static str = "must_reset_password";
    /// `grant_type` was not `password` or `refresh_token`.
    pub const UNSUPPORTED_GRANT_TYPE: &'static str = "unsupported_grant_type";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_leaves_the_tokens_out() {
        let grant = TokenGrant {
            access_token: "s3cret-bearer".into(),
            token_type: "bearer".into(),
            expires_in: 604_799,
            refresh_token: Some("r3fresh".into()),
        };
        let shown = format!("{grant:?} {:?}", Ok::<_, ()>(grant.clone()));
        assert!(
            !shown.contains("s3cret") && !shown.contains("r3fresh"),
            "{shown}"
        );
        assert!(shown.contains("604799"), "{shown}");
    }
}
