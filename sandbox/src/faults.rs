//! Injected faults, only when the sandbox was started with `--faults`: a request carrying
//! `X-Sandbox-Fault` gets the failure it names, so the widget's error paths can be tested.
//!
//! | value | answer |
//! | --- | --- |
//! | `500` | 500 with the documented body; nothing is done |
//! | `401` | 401 as for a token that has expired; nothing is done |
//! | `403` | 403 whose body names no role, as the contract leaves it open; nothing is done |
//! | `409=MS` | 409 with `Retry-After: 1` and an empty body for MS milliseconds from the first request it matches, then the normal answer: an account whose requests another desk has spent, which Nexudus keeps refusing though it says to retry in a second; nothing is done |
//! | `409-said=MS` | as `409=MS`, but `Retry-After` says how long the block has left, in seconds: a limit of an hour or a day spent, said |
//! | `slow=MS` | the normal answer, MS milliseconds late: the request waits before it is carried out |
//! | `queued=MS` | the request is carried out MS milliseconds after it arrives, even if the client has given up waiting and closed the connection meanwhile, as behind a busy proxy: a create that lands after its client looked for it |
//! | `late=MS` | the request is carried out at once, its answer delivered MS milliseconds later, as a slow network would: it shows the record as it was before what happened meanwhile |
//! | `malformed` | 200 with a body cut off mid-JSON; nothing is done |
//! | `garbled` | the request is carried out, then answered 200 with a body cut off mid-JSON, as a proxy that cuts an answer short would |
//! | `html` | 502 with an HTML error page, as a proxy in front of the API would send; nothing is done |
//! | `not-routed` | 404 with an HTML page, as a proxy that does not pass the request's method on would send; nothing is done |
//! | `drop` | the request is carried out, then the connection is closed with no answer |
//! | `drop-before` | the connection is closed with no answer and nothing is done |
//! | `500-after` | the request is carried out, then answered 500 with the documented body, as an API that fails after saving would |
//! | `gateway-timeout` | the request is carried out, then answered 504 with an HTML page, as a proxy in front of the API that stopped waiting for it would |
//! | `resent` | the request is carried out twice and the second answer sent, as when a browser sends a request again because its kept-alive connection closed before the first answer |
//! | `signed-dir` | a list's `dir` read as developers.nexudus.com spells it, `1` ascending and `-1` descending; any other value is not read (ascending) |
//! | `zero-one-dir` | a list's `dir` read as learn.nexudus.com spells it, `0` ascending and `1` descending; any other value is not read (ascending) |
//! | `signed-only-dir` | as `signed-dir`, but any other value of `dir` is refused (400) |
//! | `unread-dir` | a list's `dir` not read at all (ascending) |
//! | `invalid=FIELD` | 400 refusing FIELD (`ValidTo`, say) as a validation failure would, with the action envelope and its `Errors`; nothing is done |
//! | `refused-as-200` | a request the API refuses as invalid (400 with the action envelope and its `Errors`) answered 200 with the same body, `WasSuccessful: false`, as a command's refusal is (the envelope says whether it worked, not the status); nothing is done |
//! | `half-done` | a command on several codes is carried out on the first alone, then answered as failed (200, `WasSuccessful: false`), as a server that stops part way would |
//! | `read-only-minutes` | an update is carried out but keeps the code's `MinutesLeft`, as a server where that field is read-only (the admin help pages say so) would |
//! | `more-pages` | the normal answer, but a page of a list says it has a next page, always: a list longer than any client reads |
//! | `used-while-paged=N` | a list's pages hold N records at most, and once a page is answered its first code is used (its `LastAccess` set to now), as when visitors connect while a client reads a long list page by page |
//! | `revoked-while-paged=N` | a list's pages hold N records at most, and once the first page with records is answered its first code is revoked, once for each value of the header, as when another desk revokes a code while a client reads a long list page by page: the codes after it move one place up, and one moves onto the page the client has read |
//!
//! A fault may name the one method it applies to, e.g. `drop@POST`, and a path prefix after it, e.g.
//! `500@POST/api/spaces`: other requests carrying the same header are answered normally, so a client
//! can lose its create and still look the code up, or sign in and then fail to create. Several
//! faults are separated by commas; a request gets the first that applies to it, so a client can
//! lose its create and fail to look the code up too (`drop@POST/api/spaces, 500@GET/api/spaces`).
//!
//! A target may end in `#N`: the fault then applies from the Nth request it matches that carries
//! the same header on, the ones before are answered normally. `drop@POST/api/spaces,
//! drop@GET/api/spaces#2, run=K7Q` lets a client's first look-up through (the one it makes before
//! a create) and loses the create and every look-up after it. An entry `run=…` is ignored; it makes
//! the header one run's own, so its counts start at zero.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::Request;
use axum::http::{header, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{action_failed, ApiError};

/// The request header that asks for a fault.
pub const HEADER: &str = "x-sandbox-fault";

/// Marks a response whose connection must be closed instead of answered.
#[derive(Clone, Copy, Debug)]
pub struct DropConnection;

/// Marks an update that keeps the stored `MinutesLeft` (the `read-only-minutes` fault).
#[derive(Clone, Copy, Debug)]
pub struct ReadOnlyMinutes;

/// Asks the list for pages of `size` records at most, and for what happens to a page's first code
/// once the page is read (the `used-while-paged=N` and `revoked-while-paged=N` faults).
#[derive(Clone, Debug)]
pub struct WhilePaged {
    pub size: i64,
    pub meanwhile: Meanwhile,
}

/// What happens to the first code of a page once it is read.
#[derive(Clone, Debug)]
pub enum Meanwhile {
    /// Used: its `LastAccess` set to now.
    Used,
    /// Revoked, the first time for this value of the fault header.
    Revoked(String),
}

impl Meanwhile {
    /// Whether the code is revoked now: true once for each value of the header.
    pub fn revokes(&self) -> bool {
        static DONE: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());
        match self {
            Self::Used => false,
            Self::Revoked(run) => DONE
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert(run.clone()),
        }
    }
}

/// Longest `slow=` delay honoured, so no test can hang the server.
const MAX_DELAY: Duration = Duration::from_secs(30);

/// Middleware applying the fault a request asks for.
pub async fn inject(request: Request, next: Next) -> Response {
    let Some(faults) = request
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
    else {
        return next.run(request).await;
    };
    // Owned, so nothing borrows the request (whose body is not `Sync`) across an await.
    let (verb, path) = (
        request.method().to_string(),
        request.uri().path().to_owned(),
    );
    let chosen = faults.split(',').enumerate().find_map(|(n, entry)| {
        if entry.trim().starts_with("run=") {
            return None;
        }
        let (fault, target) = match entry.trim().split_once('@') {
            Some((fault, target)) => (fault.trim(), Some(target.trim())),
            None => (entry.trim(), None),
        };
        let (target, from) = match target.and_then(|t| t.rsplit_once('#')) {
            Some((target, from)) => (Some(target), from.trim().parse::<u32>().unwrap_or(1)),
            None => (target, 1),
        };
        let applies = target.is_none_or(|target| {
            let (method, prefix) = target.split_at(target.find('/').unwrap_or(target.len()));
            method.eq_ignore_ascii_case(&verb) && path.starts_with(prefix)
        });
        if !applies {
            return None;
        }
        let (count, first) = matched(&faults, n);
        (count >= from).then(|| (fault.to_owned(), first))
    });
    let Some((fault, first)) = chosen else {
        return next.run(request).await;
    };
    let fault = fault.as_str();
    // The faults that take a time: `NAME=MS`.
    let timed = |name: &str| {
        let ms = fault.strip_prefix(name)?.strip_prefix('=')?;
        Some(ms.parse::<u64>().map(Duration::from_millis).map_err(|_| {
            ApiError::BadRequest(format!(
                "{HEADER}: “{fault}” needs milliseconds, e.g. {name}=2000"
            ))
            .into_response()
        }))
    };
    for (name, said) in [("409", false), ("409-said", true)] {
        let Some(block) = timed(name) else {
            continue;
        };
        let block = match block {
            Ok(block) => block,
            Err(refused) => return refused,
        };
        return match block.checked_sub(first.elapsed()) {
            Some(left) if said => crate::limits::too_many_for(left.as_secs_f64().ceil() as u64),
            Some(_) => crate::limits::too_many(),
            None => next.run(request).await,
        };
    }
    if let Some(wait) = timed("queued") {
        let wait = match wait {
            Ok(wait) => wait,
            Err(refused) => return refused,
        };
        // A task of its own: a client that closes the connection drops this handler, not it.
        let work = tokio::spawn(async move {
            tokio::time::sleep(wait.min(MAX_DELAY)).await;
            next.run(request).await
        });
        return work.await.unwrap_or_else(|_| {
            ApiError::Internal("the queued request failed".into()).into_response()
        });
    }
    for (name, before) in [("slow", true), ("late", false)] {
        let wait = match timed(name) {
            None => continue,
            Some(Ok(wait)) => wait,
            Some(Err(refused)) => return refused,
        };
        let delay = tokio::time::sleep(wait.min(MAX_DELAY));
        return if before {
            delay.await;
            next.run(request).await
        } else {
            let response = next.run(request).await;
            delay.await;
            response
        };
    }
    if let Some(field) = fault.strip_prefix("invalid=") {
        return ApiError::Invalid(vec![wifi_desk_wire::FieldError {
            property_name: field.trim().to_owned(),
            message: "is not accepted here".to_owned(),
            attempted_value: None,
        }])
        .into_response();
    }
    for (name, meanwhile) in [
        ("used-while-paged=", Meanwhile::Used),
        ("revoked-while-paged=", Meanwhile::Revoked(faults.clone())),
    ] {
        let Some(size) = fault.strip_prefix(name) else {
            continue;
        };
        let Some(size) = size.trim().parse::<i64>().ok().filter(|n| *n > 0) else {
            return ApiError::BadRequest(format!(
                "{HEADER}: “{fault}” needs a page size, e.g. {name}2"
            ))
            .into_response();
        };
        let mut request = request;
        request
            .extensions_mut()
            .insert(WhilePaged { size, meanwhile });
        return next.run(request).await;
    }
    if let Some(reading) = fault.strip_suffix("-dir") {
        let mut request = request;
        match read_dir(request.uri(), reading) {
            Ok(uri) => *request.uri_mut() = uri,
            Err(why) => return ApiError::BadRequest(why).into_response(),
        }
        return next.run(request).await;
    }
    match fault {
        "500" => ApiError::Internal("injected fault".into()).into_response(),
        "401" => ApiError::Unauthorized.into_response(),
        // A refusal that names no role: the contract says only "403: a missing role".
        "403" => (StatusCode::FORBIDDEN, "Forbidden").into_response(),
        "malformed" => cut_short(),
        "garbled" => {
            next.run(request).await;
            cut_short()
        }
        "html" => gateway_page(StatusCode::BAD_GATEWAY, "The upstream server did not answer."),
        "not-routed" => gateway_page(StatusCode::NOT_FOUND, "No route for this request."),
        "drop" => {
            let mut response = next.run(request).await;
            response.extensions_mut().insert(DropConnection);
            response
        }
        "more-pages" => {
            let response = next.run(request).await;
            let (parts, body) = response.into_parts();
            let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
                return ApiError::Internal("the answer could not be read".into()).into_response();
            };
            let mut page: serde_json::Value = match serde_json::from_slice(&bytes) {
                Ok(page) => page,
                Err(_) => return Response::from_parts(parts, bytes.into()),
            };
            if let Some(fields) = page.as_object_mut().filter(|f| f.contains_key("Records")) {
                fields.insert("HasNextPage".into(), true.into());
            }
            let mut response = axum::Json(page).into_response();
            *response.status_mut() = parts.status;
            response
        }
        "500-after" => {
            next.run(request).await;
            ApiError::Internal("injected fault, after the request was carried out".into())
                .into_response()
        }
        "gateway-timeout" => {
            next.run(request).await;
            gateway_page(StatusCode::GATEWAY_TIMEOUT, "The upstream server did not answer in time.")
        }
        "resent" => {
            let (parts, body) = request.into_parts();
            let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
                return ApiError::BadRequest("the request could not be read".into()).into_response();
            };
            let again = |bytes: axum::body::Bytes| {
                let mut copy = Request::new(axum::body::Body::from(bytes));
                *copy.method_mut() = parts.method.clone();
                *copy.uri_mut() = parts.uri.clone();
                *copy.version_mut() = parts.version;
                *copy.headers_mut() = parts.headers.clone();
                *copy.extensions_mut() = parts.extensions.clone();
                copy
            };
            next.clone().run(again(bytes.clone())).await;
            next.run(again(bytes)).await
        }
        "half-done" => {
            let (parts, body) = request.into_parts();
            let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
                return ApiError::BadRequest("the request could not be read".into()).into_response();
            };
            let mut command: serde_json::Value =
                serde_json::from_slice(&bytes).unwrap_or_default();
            let ids = command.get("Ids").and_then(|i| i.as_array()).cloned();
            let Some([first, _, ..]) = ids.as_deref() else {
                return next.run(Request::from_parts(parts, bytes.into())).await;
            };
            command["Ids"] = serde_json::Value::Array(vec![first.clone()]);
            let mut request = Request::from_parts(parts, command.to_string().into());
            request.headers_mut().remove(header::CONTENT_LENGTH);
            next.run(request).await;
            action_failed(format!(
                "The command stopped after access token {first}; the others were not changed."
            ))
        }
        "refused-as-200" => {
            let mut response = next.run(request).await;
            if response.status() == StatusCode::BAD_REQUEST {
                *response.status_mut() = StatusCode::OK;
            }
            response
        }
        "read-only-minutes" => {
            let mut request = request;
            request.extensions_mut().insert(ReadOnlyMinutes);
            next.run(request).await
        }
        "drop-before" => {
            let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
            response.extensions_mut().insert(DropConnection);
            response
        }
        other => ApiError::BadRequest(format!(
            "{HEADER}: unknown fault “{other}”; use 500, 500-after, 401, 403, 409=MS, 409-said=MS, slow=MS, queued=MS, late=MS, malformed, garbled, html, not-routed, gateway-timeout, resent, drop, drop-before, invalid=FIELD, refused-as-200, half-done, read-only-minutes, more-pages, used-while-paged=N, revoked-while-paged=N, signed-dir, signed-only-dir, zero-one-dir or unread-dir, optionally @METHOD"
        ))
        .into_response(),
    }
}

/// `uri` with its `dir` parameter as a server reading it `reading` understands it, in words, or
/// left out where such a server would not read it: `signed` (`1`, `-1`), `zero-one` (`0`, `1`),
/// `unread` (none), or `signed-only`, which refuses any other value. The error is the 400's sentence.
fn read_dir(uri: &Uri, reading: &str) -> Result<Uri, String> {
    let read = |value: &str| match (reading, value.trim()) {
        ("signed" | "signed-only", "1") | ("zero-one", "0") => Ok(Some("Ascending")),
        ("signed" | "signed-only", "-1") | ("zero-one", "1") => Ok(Some("Descending")),
        ("signed-only", other) => Err(format!("dir: “{other}” is not a direction; use 1 or -1.")),
        _ => Ok(None),
    };
    if !["signed", "signed-only", "zero-one", "unread"].contains(&reading) {
        return Err(format!(
            "{HEADER}: unknown fault “{reading}-dir”; use signed-dir, signed-only-dir, \
             zero-one-dir or unread-dir"
        ));
    }
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes()) {
        if !name.eq_ignore_ascii_case("dir") {
            query.append_pair(&name, &value);
        } else if let Some(dir) = read(&value)? {
            query.append_pair(&name, dir);
        }
    }
    format!("{}?{}", uri.path(), query.finish())
        .parse()
        .map_err(|_| "the request's address could not be read".to_owned())
}

/// A 200 whose JSON body stops mid-way.
fn cut_short() -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        r#"{"Records": [{"Id": 1, "AccessCode": "#,
    )
        .into_response()
}

/// The HTML error page a proxy in front of the API sends.
fn gateway_page(status: StatusCode, why: &str) -> Response {
    let title = format!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or_default()
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        format!(
            "<!DOCTYPE html><html><head><title>{title}</title></head>\
             <body><h1>{title}</h1><p>{why}</p></body></html>"
        ),
    )
        .into_response()
}

/// Counts the requests entry `n` of the header `faults` matched, this one included, and says when
/// the first of them came.
fn matched(faults: &str, n: usize) -> (u32, Instant) {
    static SEEN: Mutex<BTreeMap<(String, usize), (u32, Instant)>> = Mutex::new(BTreeMap::new());
    let mut seen = SEEN
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let (count, first) = seen
        .entry((faults.to_owned(), n))
        .or_insert((0, Instant::now()));
    *count += 1;
    (*count, *first)
}
