//! Users, roles, `/api/token` (password, two-factor and refresh grants), bearer tokens and Basic auth.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, Query, State as AxumState};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, Secret, TOTP};
use wifi_desk_wire::{GrantError, TokenGrant};

use crate::error::ApiError;
use crate::State;

/// A role of the AccessTokens API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// List, find, batch get, commands list.
    List,
    /// Get one record.
    Read,
    /// Create.
    Create,
    /// Update and run commands.
    Edit,
    /// Delete.
    Delete,
}

impl Role {
    /// Every role, for a user who has them all.
    pub const ALL: [Role; 5] = [
        Role::List,
        Role::Read,
        Role::Create,
        Role::Edit,
        Role::Delete,
    ];

    /// The role's name as Nexudus writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::List => "AccessToken-List",
            Self::Read => "AccessToken-Read",
            Self::Create => "AccessToken-Create",
            Self::Edit => "AccessToken-Edit",
            Self::Delete => "AccessToken-Delete",
        }
    }
}

/// A demo account, printed at start and documented in the README.
#[derive(Clone, Debug)]
pub struct DemoUser {
    /// Sign-in email.
    pub email: &'static str,
    /// Sign-in password.
    pub password: &'static str,
    /// What the account may do.
    pub roles: &'static [Role],
    /// Base32 TOTP secret when two-factor is on.
    pub totp_secret: Option<&'static str>,
    /// Whether sign-in answers `must_reset_password`.
    pub must_reset_password: bool,
    /// Whether the account may use the API: without, it signs in and every call is refused 401,
    /// as Nexudus does.
    pub api_access: bool,
    /// Who this account is for.
    pub about: &'static str,
}

/// The demo accounts: one with every role, a receptionist without Delete, a read-only one, one with
/// two-factor on, one that must reset its password, and one without API access.
pub fn demo_users() -> Vec<DemoUser> {
    use Role::*;
    let user = |email, roles, about| DemoUser {
        email,
        password: "wifi-desk",
        roles,
        totp_secret: None,
        must_reset_password: false,
        api_access: true,
        about,
    };
    vec![
        user("admin@example.com", &Role::ALL, "every AccessToken role"),
        user(
            "reception@example.com",
            &[List, Read, Create, Edit],
            "receptionist: every role but Delete",
        ),
        user(
            "viewer@example.com",
            &[List, Read],
            "read-only: List and Read",
        ),
        DemoUser {
            totp_secret: Some("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"),
            ..user(
                "twofactor@example.com",
                &Role::ALL,
                "every role, two-factor on (code from GET /sandbox/totp?email=…)",
            )
        },
        DemoUser {
            must_reset_password: true,
            ..user(
                "reset@example.com",
                &Role::ALL,
                "must reset its password: sign-in is refused",
            )
        },
        DemoUser {
            api_access: false,
            ..user(
                "noapi@example.com",
                &Role::ALL,
                "no API access: signs in, every call is refused 401",
            )
        },
    ]
}

fn totp(secret: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().ok()?;
    TOTP::new(Algorithm::SHA1, 6, 1, 30, bytes).ok()
}

struct Account {
    email: String,
    password_hash: String,
    roles: Vec<Role>,
    totp: Option<TOTP>,
    must_reset_password: bool,
    api_access: bool,
}

struct Session {
    email: String,
    expires: Instant,
}

struct Refresh {
    email: String,
    client_id: String,
    expires: Instant,
}

/// The accounts and the tokens granted to them. Tokens are kept only as SHA-256 digests and looked up
/// by digest, so a guess is never compared byte by byte against a live token.
pub struct Users {
    accounts: Vec<Account>,
    sessions: Mutex<HashMap<[u8; 32], Session>>,
    refreshes: Mutex<HashMap<[u8; 32], Refresh>>,
}

const REFRESH_TTL: Duration = Duration::from_secs(15 * 24 * 3600);

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

fn new_secret() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>()).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| format!("cannot hash a demo password: {e}"))
}

/// Who made a request, once their credentials check out.
#[derive(Clone, Debug)]
pub struct Principal {
    /// The account's email.
    pub email: String,
    roles: Vec<Role>,
}

impl Principal {
    /// Refuses with 403 naming the role when the account lacks it.
    pub fn require(&self, role: Role) -> Result<(), ApiError> {
        if self.roles.contains(&role) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(role))
        }
    }
}

impl Users {
    /// The demo accounts with freshly hashed passwords.
    pub fn demo() -> Result<Self, String> {
        let accounts = demo_users()
            .into_iter()
            .map(|u| {
                Ok(Account {
                    email: u.email.to_owned(),
                    password_hash: hash_password(u.password)?,
                    roles: u.roles.to_vec(),
                    totp: u.totp_secret.and_then(totp),
                    must_reset_password: u.must_reset_password,
                    api_access: u.api_access,
                })
            })
            .collect::<Result<_, String>>()?;
        Ok(Self {
            accounts,
            sessions: Mutex::default(),
            refreshes: Mutex::default(),
        })
    }

    fn account(&self, email: &str) -> Option<&Account> {
        self.accounts
            .iter()
            .find(|a| a.email.eq_ignore_ascii_case(email.trim()))
    }

    fn check_password(&self, email: &str, password: &str) -> Option<&Account> {
        let account = self.account(email)?;
        let hash = PasswordHash::new(&account.password_hash).ok()?;
        Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .ok()?;
        Some(account)
    }

    fn grant(&self, email: &str, client_id: String, ttl: Duration) -> TokenGrant {
        let access = new_secret();
        let refresh = new_secret();
        let now = Instant::now();
        crate::lock(&self.sessions).insert(
            digest(&access),
            Session {
                email: email.to_owned(),
                expires: now + ttl,
            },
        );
        crate::lock(&self.refreshes).insert(
            digest(&refresh),
            Refresh {
                email: email.to_owned(),
                client_id,
                expires: now + REFRESH_TTL,
            },
        );
        TokenGrant {
            access_token: access,
            token_type: "bearer".into(),
            expires_in: ttl.as_secs() as i64,
            refresh_token: Some(refresh),
        }
    }

    /// The account a live bearer token was granted to, without checking more: whose limits a
    /// request counts against.
    pub fn bearer_account(&self, headers: &HeaderMap) -> Option<String> {
        let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
        let (scheme, token) = value.split_once(' ')?;
        let email = scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| self.session_email(token))??;
        Some(email.to_ascii_lowercase())
    }

    /// Whose session the bearer token `token` is, while it lasts.
    fn session_email(&self, token: &str) -> Option<String> {
        let sessions = crate::lock(&self.sessions);
        let session = sessions.get(&digest(token.trim()))?;
        (session.expires > Instant::now()).then(|| session.email.clone())
    }

    /// Who the `Authorization` header names: a live bearer token or a right Basic email:password.
    pub fn authenticate(&self, headers: &HeaderMap) -> Result<Principal, ApiError> {
        let value = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or(ApiError::Unauthorized)?;
        let (scheme, credentials) = value.split_once(' ').ok_or(ApiError::Unauthorized)?;
        let account = if scheme.eq_ignore_ascii_case("bearer") {
            let email = self
                .session_email(credentials)
                .ok_or(ApiError::Unauthorized)?;
            self.account(&email)
        } else if scheme.eq_ignore_ascii_case("basic") {
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(credentials.trim())
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .ok_or(ApiError::Unauthorized)?;
            let (email, password) = decoded.split_once(':').ok_or(ApiError::Unauthorized)?;
            self.check_password(email, password)
        } else {
            None
        };
        let account = account
            .filter(|a| a.api_access)
            .ok_or(ApiError::Unauthorized)?;
        Ok(Principal {
            email: account.email.clone(),
            roles: account.roles.clone(),
        })
    }
}

impl FromRequestParts<State> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &State) -> Result<Self, ApiError> {
        state.users.authenticate(&parts.headers)
    }
}

fn grant_error(error: &str, description: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(GrantError {
            error: error.to_owned(),
            error_description: Some(description.to_owned()),
        }),
    )
        .into_response()
}

/// `POST /api/token`: form-encoded password or refresh grant.
pub async fn token_endpoint(
    AxumState(state): AxumState<State>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form_encoded = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !form_encoded {
        return grant_error(
            GrantError::UNSUPPORTED_GRANT_TYPE,
            "The request must be form-encoded (application/x-www-form-urlencoded).",
        );
    }
    let form: HashMap<String, String> = form_urlencoded::parse(&body).into_owned().collect();
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or_default();
    let ttl = state.config.token_ttl;
    let users = &state.users;
    match field("grant_type") {
        "password" => {
            let Some(account) = users.check_password(field("username"), field("password")) else {
                return grant_error(
                    GrantError::INVALID_GRANT,
                    "The user name or password is incorrect.",
                );
            };
            if let Some(totp) = &account.totp {
                let code = field("totp").trim();
                if code.is_empty() || !totp.check_current(code).unwrap_or(false) {
                    return grant_error(
                        GrantError::TWO_FACTOR,
                        "A valid two-factor authentication code is required.",
                    );
                }
            }
            if account.must_reset_password {
                return grant_error(
                    GrantError::MUST_RESET_PASSWORD,
                    "The password must be reset before signing in.",
                );
            }
            let client_id = headers
                .get("client_id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
                .or_else(|| form.get("client_id").cloned())
                .unwrap_or_else(|| account.email.clone());
            Json(users.grant(&account.email, client_id, ttl)).into_response()
        }
        "refresh_token" => {
            let client_id = headers
                .get("client_id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            let mut refreshes = crate::lock(&users.refreshes);
            let key = digest(field("refresh_token"));
            let valid = refreshes
                .get(&key)
                .is_some_and(|r| r.expires > Instant::now() && r.client_id == client_id);
            // A refresh token is used once: the grant below hands out its successor. A wrong
            // client_id does not spend it.
            let Some(refresh) = valid.then(|| refreshes.remove(&key)).flatten() else {
                return grant_error(
                    GrantError::INVALID_GRANT,
                    "The refresh token is invalid, expired, or was issued to another client_id.",
                );
            };
            drop(refreshes);
            Json(users.grant(&refresh.email, refresh.client_id, ttl)).into_response()
        }
        other => grant_error(
            GrantError::UNSUPPORTED_GRANT_TYPE,
            &format!("grant_type “{other}” is not supported; use password or refresh_token."),
        ),
    }
}

#[derive(serde::Deserialize)]
pub struct TotpQuery {
    email: String,
}

/// `GET /sandbox/totp?email=`: the current two-factor code of a demo account, so the two-factor
/// sign-in can be demonstrated and tested without an authenticator app. Sandbox only.
pub async fn current_totp(
    AxumState(state): AxumState<State>,
    Query(q): Query<TotpQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let totp = state
        .users
        .account(&q.email)
        .and_then(|a| a.totp.as_ref())
        .ok_or(ApiError::NotFound)?;
    let code = totp
        .generate_current()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(Json(serde_json::json!({ "code": code })))
}
