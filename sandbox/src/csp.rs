//! The widget's pages are served under a strict Content Security Policy, the one an integrator's
//! page may have, and the browser's reports of what it blocked are kept, so a test can show there
//! were none.

use axum::body::Bytes;
use axum::extract::State as AxumState;
use axum::Json;
use serde_json::Value;

use crate::State;

/// The policy on every page and file of the widget: no inline script or style, no eval, only the
/// compilation of WebAssembly; everything from this origin, the API included.
pub const POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; report-uri /sandbox/csp-reports";

/// `POST /sandbox/csp-reports`: a browser's report of a violation, kept as sent.
pub(crate) async fn record(AxumState(state): AxumState<State>, body: Bytes) -> &'static str {
    let report = serde_json::from_slice(&body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into_owned()));
    crate::lock(&state.csp_reports).push(report);
    "recorded"
}

/// `GET /sandbox/csp-reports`: every report received, oldest first.
pub(crate) async fn reports(AxumState(state): AxumState<State>) -> Json<Vec<Value>> {
    Json(crate::lock(&state.csp_reports).clone())
}
