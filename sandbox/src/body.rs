//! Reading a JSON body with a size limit and a sentence for each way it can be wrong.

use axum::extract::{FromRequest, Request};
use serde_json::{Map, Value};

use crate::error::ApiError;

/// Largest body accepted; an access token is a few hundred bytes.
pub const MAX_BODY: usize = 64 * 1024;

/// A request body that is a JSON object.
pub struct JsonObject(pub Map<String, Value>);

impl<S: Send + Sync> FromRequest<S> for JsonObject {
    type Rejection = ApiError;

    async fn from_request(request: Request, _: &S) -> Result<Self, ApiError> {
        let bytes = axum::body::to_bytes(request.into_body(), MAX_BODY)
            .await
            .map_err(|_| {
                ApiError::BadRequest(format!(
                    "The request body is larger than {} KiB.",
                    MAX_BODY / 1024
                ))
            })?;
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(map)) => Ok(Self(map)),
            Ok(_) => Err(ApiError::BadRequest(
                "The request body must be a JSON object.".into(),
            )),
            Err(e) => Err(ApiError::BadRequest(format!(
                "The request body is not valid JSON: {e}."
            ))),
        }
    }
}
