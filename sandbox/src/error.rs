//! The error answers of the contract, with the bodies Nexudus sends.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use wifi_desk_wire::{ActionResult, FieldError, NOT_FOUND_BODY, SERVER_ERROR_BODY};

use crate::auth::Role;

/// Why a request failed.
#[derive(Debug)]
pub enum ApiError {
    /// No credentials, or ones that are wrong or expired: 401.
    Unauthorized,
    /// Signed in without the role the call needs: 403 naming it.
    Forbidden(Role),
    /// No such record: 404 with the JSON string `"Not found"`.
    NotFound,
    /// The request itself is malformed (not JSON, wrong shape, out-of-range query): 400 with a sentence.
    BadRequest(String),
    /// The record failed validation: 400 with the action envelope and its per-property errors.
    Invalid(Vec<FieldError>),
    /// Anything else: 500 with the documented body.
    Internal(String),
}

impl ApiError {
    /// One property that failed validation.
    pub fn field(
        property: &str,
        message: &str,
        attempted: Option<serde_json::Value>,
    ) -> FieldError {
        FieldError {
            attempted_value: attempted,
            message: message.to_owned(),
            property_name: property.to_owned(),
        }
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Internal(e.to_string())
    }
}

fn json(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body,
    )
        .into_response()
}

fn message(text: &str) -> String {
    serde_json::json!({ "Message": text }).to_string()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            Self::Unauthorized => {
                let mut r = json(
                    StatusCode::UNAUTHORIZED,
                    message("Authorization has been denied for this request."),
                );
                // Bearer, not Basic: a Basic challenge makes browsers pop up their own login box.
                r.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    axum::http::HeaderValue::from_static("Bearer"),
                );
                r
            }
            Self::Forbidden(role) => json(
                StatusCode::FORBIDDEN,
                message(&format!(
                    "You do not have the {} role needed for this request.",
                    role.as_str()
                )),
            ),
            Self::NotFound => json(StatusCode::NOT_FOUND, NOT_FOUND_BODY.to_owned()),
            Self::BadRequest(text) => json(StatusCode::BAD_REQUEST, message(&text)),
            Self::Invalid(errors) => {
                let summary = errors
                    .first()
                    .map(|e| format!("{}: {}", e.property_name, e.message))
                    .unwrap_or_default();
                // Nexudus answers a validation failure with HTTP 400 and "Status": 500 in the body.
                let body = ActionResult {
                    status: 500,
                    was_successful: false,
                    message: Some(summary),
                    errors: Some(errors),
                    ..ActionResult::default()
                };
                json(
                    StatusCode::BAD_REQUEST,
                    serde_json::to_string(&body).unwrap_or_default(),
                )
            }
            Self::Internal(detail) => {
                eprintln!("wifi-desk-sandbox: internal error: {detail}");
                json(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    SERVER_ERROR_BODY.to_owned(),
                )
            }
        }
    }
}

/// The longest query string the API takes, in bytes: IIS's default (`maxQueryString`), which
/// ASP.NET APIs such as Nexudus's commonly run behind. A client reading many records by id must
/// split them over several requests.
pub const MAX_QUERY_STRING: usize = 2048;

/// Refuses a request whose query string is longer than [`MAX_QUERY_STRING`] with 414, as the
/// front server does before the API sees it: nothing is carried out or counted.
pub async fn query_too_long(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    match request.uri().query() {
        Some(query) if query.len() > MAX_QUERY_STRING => (
            StatusCode::URI_TOO_LONG,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "The request's query string is too long.",
        )
            .into_response(),
        _ => next.run(request).await,
    }
}

/// Unknown paths under `/api` answer as Nexudus does for a missing record.
pub async fn api_not_found() -> ApiError {
    ApiError::NotFound
}

/// A successful action envelope.
pub fn action_ok(message: String, id: Option<i64>) -> Response {
    let body = ActionResult {
        status: 200,
        was_successful: true,
        message: Some(message),
        value: id.map(|id| wifi_desk_wire::ActionValue { id: Some(id) }),
        ..ActionResult::default()
    };
    json(
        StatusCode::OK,
        serde_json::to_string(&body).unwrap_or_default(),
    )
}

/// A command that ran but failed: HTTP 200 with `WasSuccessful: false`, as Nexudus does.
pub fn action_failed(message: String) -> Response {
    let body = ActionResult {
        status: 500,
        was_successful: false,
        message: Some(message),
        ..ActionResult::default()
    };
    json(
        StatusCode::OK,
        serde_json::to_string(&body).unwrap_or_default(),
    )
}
