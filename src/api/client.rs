//! The HTTP side of the client: one [`Client`] per widget, with its auth source, timeout, pacer and
//! retry rules. Requests are aborted when the future that awaits them is dropped, so a view that goes
//! away takes its requests with it.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use futures::future::{select, Either};
use gloo_net::http::{Request, RequestBuilder};
use gloo_timers::future::TimeoutFuture;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortController;
use wifi_desk_wire::{AccessToken, Page, TokenGrant};

use super::error::unreadable;
use super::{ApiError, ListQuery, Pacer};

/// Where the bearer token comes from.
#[derive(Clone, Default)]
pub enum Auth {
    /// No `Authorization` header: a same-origin proxy adds credentials itself.
    #[default]
    None,
    /// A bearer token, kept in memory only.
    Bearer(String),
    /// A host function returning a token (or a promise of one), asked before each request and
    /// once more after a 401.
    Callback(js_sys::Function),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print the token, not even in a debug log.
        f.write_str(match self {
            Self::None => "Auth::None",
            Self::Bearer(_) => "Auth::Bearer(…)",
            Self::Callback(_) => "Auth::Callback(…)",
        })
    }
}

struct Inner {
    base: String,
    auth: RefCell<Auth>,
    pacer: RefCell<Pacer>,
    timeout_ms: u32,
    retries: u32,
}

/// The Nexudus AccessTokens client. Cheap to clone; clones share the token and the pacer.
#[derive(Clone)]
pub struct Client {
    inner: Rc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.inner.base)
            .field("auth", &*self.inner.auth.borrow())
            .finish()
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Verb {
    Get,
    Post,
}

/// Aborts the fetch it guards when dropped: on timeout, or when the caller stops waiting.
struct AbortOnDrop(Option<AbortController>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(controller) = &self.0 {
            controller.abort();
        }
    }
}

/// Waits `ms` milliseconds.
async fn sleep(ms: f64) {
    if ms > 0.0 {
        TimeoutFuture::new(ms.ceil() as u32).await;
    }
}

impl Client {
    /// A client for the API at `base` (e.g. `https://spaces.nexudus.com/api`, the sandbox's `/api`, or
    /// a proxy path), paced to Nexudus's limits, with a 20-second timeout.
    pub fn new(base: &str) -> Self {
        Self {
            inner: Rc::new(Inner {
                base: base.trim_end_matches('/').to_owned(),
                auth: RefCell::default(),
                pacer: RefCell::new(Pacer::nexudus()),
                timeout_ms: 20_000,
                retries: 3,
            }),
        }
    }

    /// The same client with another pacer; for a server with other limits, or tests.
    pub fn with_pacer(self, pacer: Pacer) -> Self {
        *self.inner.pacer.borrow_mut() = pacer;
        self
    }

    /// Replaces the auth source.
    pub fn set_auth(&self, auth: Auth) {
        *self.inner.auth.borrow_mut() = auth;
    }

    /// Whether requests carry credentials of the widget's own.
    pub fn has_credentials(&self) -> bool {
        !matches!(*self.inner.auth.borrow(), Auth::None)
    }

    /// Forgets the bearer token.
    pub fn sign_out(&self) {
        self.set_auth(Auth::None);
    }

    /// Signs in with the password grant (and a two-factor code when the account asks for one) and
    /// keeps the bearer token for later calls.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        totp: Option<&str>,
    ) -> Result<TokenGrant, ApiError> {
        let mut form = form_urlencoded::Serializer::new(String::new());
        form.append_pair("grant_type", "password")
            .append_pair("username", email.trim())
            .append_pair("password", password);
        if let Some(code) = totp.map(str::trim).filter(|c| !c.is_empty()) {
            form.append_pair("totp", code);
        }
        let url = format!("{}/token", self.inner.base);
        let request =
            Request::post(&url).header("Content-Type", "application/x-www-form-urlencoded");
        let body = self
            .exchange(request, Verb::Post, Some(form.finish()))
            .await?;
        let grant: TokenGrant = parse(&body)?;
        if grant.access_token.is_empty() {
            return Err(unreadable(&body));
        }
        self.set_auth(Auth::Bearer(grant.access_token.clone()));
        Ok(grant)
    }

    /// One page of access tokens.
    pub async fn list(&self, query: &ListQuery) -> Result<Page<AccessToken>, ApiError> {
        let path = format!("/spaces/accesstokens?{}", query.to_query_string()?);
        self.get_json(&path).await
    }

    /// How many access tokens the account can see.
    pub async fn count(&self) -> Result<i64, ApiError> {
        Ok(self.list(&ListQuery::new().size(1)).await?.total_items)
    }

    /// A GET with retries on throttling, gateway errors and network failures, honouring `Retry-After`.
    async fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        let url = format!("{}{path}", self.inner.base);
        let mut attempt = 0;
        loop {
            let result = self.authorized(Verb::Get, &url, None).await;
            match result {
                Ok(body) => return parse(&body),
                Err(e) if e.is_transient() && attempt < self.inner.retries => {
                    attempt += 1;
                    let wait = match e {
                        ApiError::Throttled(seconds) => f64::from(seconds) * 1000.0,
                        _ => 250.0 * f64::from(1u32 << attempt),
                    };
                    sleep(wait).await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Sends with the current credentials; with a host callback, asks it again once after a 401.
    async fn authorized(
        &self,
        verb: Verb,
        url: &str,
        body: Option<String>,
    ) -> Result<String, ApiError> {
        let callback = matches!(*self.inner.auth.borrow(), Auth::Callback(_));
        let first = self
            .exchange(self.request(verb, url).await?, verb, body.clone())
            .await;
        match first {
            Err(ApiError::SignedOut) if callback => {
                self.exchange(self.request(verb, url).await?, verb, body)
                    .await
            }
            other => other,
        }
    }

    async fn request(&self, verb: Verb, url: &str) -> Result<RequestBuilder, ApiError> {
        let builder = match verb {
            Verb::Get => Request::get(url),
            Verb::Post => Request::post(url).header("Content-Type", "application/json"),
        };
        let auth = self.inner.auth.borrow().clone();
        let token = match auth {
            Auth::None => return Ok(builder),
            Auth::Bearer(token) => token,
            Auth::Callback(callback) => from_host(&callback).await.ok_or(ApiError::SignedOut)?,
        };
        Ok(builder.header("Authorization", &format!("Bearer {token}")))
    }

    /// One request and its answer body, paced, timed and abortable. A non-success status is an error.
    async fn exchange(
        &self,
        builder: RequestBuilder,
        verb: Verb,
        body: Option<String>,
    ) -> Result<String, ApiError> {
        let wait = self
            .inner
            .pacer
            .borrow_mut()
            .reserve(js_sys::Date::now(), verb != Verb::Get);
        sleep(wait).await;
        let controller = AbortController::new().ok();
        let guard = AbortOnDrop(controller.clone());
        let builder = builder.abort_signal(controller.as_ref().map(|c| c.signal()).as_ref());
        let request = match body {
            Some(body) => builder.body(body),
            None => builder.build(),
        }
        .map_err(|e| ApiError::Network(e.to_string()))?;

        let timeout_ms = self.inner.timeout_ms;
        let send = async {
            let response = request
                .send()
                .await
                .map_err(|e| ApiError::Network(e.to_string()))?;
            let status = response.status();
            let retry_after = response.headers().get("retry-after");
            let text = response
                .text()
                .await
                .map_err(|e| ApiError::Network(e.to_string()))?;
            Ok::<_, ApiError>((status, retry_after, text))
        };
        let outcome = match select(Box::pin(send), TimeoutFuture::new(timeout_ms)).await {
            Either::Left((outcome, _)) => outcome,
            Either::Right(((), _)) => Err(ApiError::TimedOut(timeout_ms / 1000)),
        };
        drop(guard);
        let (status, retry_after, text) = outcome?;
        if (200..300).contains(&status) {
            Ok(text)
        } else {
            Err(ApiError::from_response(
                status,
                retry_after.as_deref(),
                &text,
            ))
        }
    }
}

/// Asks the host's callback for a token; a throw, a rejection or an empty answer means none.
async fn from_host(callback: &js_sys::Function) -> Option<String> {
    let value = callback.call0(&JsValue::NULL).ok()?;
    let value = match value.dyn_into::<js_sys::Promise>() {
        Ok(promise) => wasm_bindgen_futures::JsFuture::from(promise).await.ok()?,
        Err(value) => value,
    };
    value.as_string().filter(|t| !t.trim().is_empty())
}

fn parse<T: DeserializeOwned>(body: &str) -> Result<T, ApiError> {
    serde_json::from_str(body).map_err(|_| unreadable(body))
}
