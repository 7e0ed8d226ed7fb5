//! The HTTP side of the client: one [`Client`] per widget, with its auth source, timeout, pacer and
//! retry rules. Requests are aborted when the future that awaits them is dropped, so a view that goes
//! away takes its requests with it.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::future::Future;
use std::rc::Rc;

use base64::Engine;
use futures::future::{select, Either};
use gloo_net::http::{Request, RequestBuilder};
use gloo_timers::future::TimeoutFuture;
use serde::de::DeserializeOwned;
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortController;
use wifi_desk_wire::{
    AccessToken, ActionResult, Command, CommandParameter, FieldError, Page, RunCommand, TokenGrant,
};

use super::error::{garbled, unreadable};
use super::query::{ids_queries, order_seen, Spelling, MAX_PAGE_SIZE};
use super::{ApiError, Field, ListQuery, Pacer};

/// Where the credentials come from.
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
    /// HTTP Basic with the account's email and password, which Nexudus still accepts.
    Basic {
        /// Account email.
        email: String,
        /// Account password.
        password: String,
    },
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print a secret, not even in a debug log.
        f.write_str(match self {
            Self::None => "Auth::None",
            Self::Bearer(_) => "Auth::Bearer(…)",
            Self::Callback(_) => "Auth::Callback(…)",
            Self::Basic { .. } => "Auth::Basic(…)",
        })
    }
}

struct Inner {
    base: String,
    auth: RefCell<Auth>,
    pacer: RefCell<Pacer>,
    headers: RefCell<Vec<(String, String)>>,
    timeout_ms: Cell<u32>,
    retries: Cell<u32>,
    /// Codes being created right now, lower-cased.
    creating: RefCell<HashSet<String>>,
    /// Codes this client sent a create for whose outcome it does not know, lower-cased, with the
    /// terms of each create sent and when ([`steady_ms`]): found later with any of them, such a
    /// record is this client's, not someone else's.
    unsure: RefCell<HashMap<String, Vec<(f64, AccessToken)>>>,
    /// 409 answers seen, for the pacing benchmark and diagnostics.
    throttled: Cell<u32>,
    /// Requests on the wire now.
    in_flight: Cell<u32>,
    /// Requests asked of this client so far, counted before pacing.
    asked: Cell<u32>,
    /// The email it signed in with, until it signs out.
    account: RefCell<Option<String>>,
    /// The credentials' generation of a token [`Client::sign_in`] got, until the server first
    /// takes it: refused then, the account may not use the API ([`ApiError::NoApiAccess`]).
    untried: Cell<Option<u32>>,
    /// Told, after each answer about them, whether the server took the credentials, and when a
    /// 409 holds requests back ([`Client::listen`]).
    listeners: RefCell<Vec<(u32, Heard)>>,
    /// The id the next listener gets.
    next_listener: Cell<u32>,
    /// Counts changes of credentials: an answer to a request sent with earlier ones says nothing
    /// about the ones in use now.
    generation: Cell<u32>,
    /// Numbers requests in the order they are sent.
    sent: Cell<u64>,
    /// The number of the request whose answer last told the listeners: an answer to an earlier
    /// request, arriving late, says less about the credentials than the one told.
    told: Cell<u64>,
    /// How `dir=` is spelt: learnt from the first answer in the wrong order, or refused.
    spelling: Cell<Spelling>,
    /// Set once an answer came back in the order asked for, or a refused list was refused or
    /// answered alike in every spelling: a later refusal of a list is not about how `dir` is spelt.
    spelling_settled: Cell<bool>,
    /// Fields whose order no spelling changed: the server does not read `dir` for them.
    dir_unread: RefCell<HashSet<Field>>,
}

/// What a client tells its listeners ([`Client::listen`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Told {
    /// Whether the server took the credentials: `false` when it refused them (after asking a host
    /// callback again), `true` for a success.
    Taken(bool),
    /// A 409 holds requests back for about this many seconds before one is sent again; 0 when
    /// the credentials changed and nothing is held.
    Held(u32),
}

/// A listener ([`Client::listen`]).
type Heard = Rc<dyn Fn(Told)>;

/// Requests on the wire at once: under the 6 connections a browser opens to one host, so the browser
/// never queues a request and then lets it go at a moment the pacer did not choose.
const MAX_IN_FLIGHT: u32 = 4;

/// Counts a request in flight until dropped.
struct InFlight<'a>(&'a Cell<u32>);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get().saturating_sub(1));
    }
}

/// A request that got no answer: [`ApiError::Offline`] when the browser says this device is
/// offline, so that a person knows it is their connection; else [`ApiError::Network`], which a server
/// down and one refusing this page (CORS) share: the browser does not tell them apart.
fn unreached(error: gloo_net::Error) -> ApiError {
    let online = web_sys::window().is_none_or(|w| w.navigator().on_line());
    if online {
        ApiError::Network(error.to_string())
    } else {
        ApiError::Offline
    }
}

/// Asked just before a request is sent: `true` ends it unsent.
type Stop<'a> = Option<&'a dyn Fn() -> bool>;

/// How often a request that may be stopped, waiting for its turn, asks whether to stop.
pub const STOP_CHECK_MS: f64 = 100.0;

/// The Nexudus AccessTokens client. Cheap to clone; clones share credentials, pacer and counters.
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

#[derive(Clone, Copy, Debug, PartialEq)]
enum Verb {
    Get,
    Post,
    Put,
    Delete,
}

/// The AccessToken role a request needs, by its method and where it goes: the one a 403 refusing
/// it means is missing.
fn role_for(verb: Verb, url: &str) -> &'static str {
    match verb {
        Verb::Delete => "AccessToken-Delete",
        Verb::Put => "AccessToken-Edit",
        Verb::Post if path_of(url).ends_with("/runcommand") => "AccessToken-Edit",
        Verb::Post => "AccessToken-Create",
        // One code by its id; the list, codes by their ids and the commands need List.
        Verb::Get if by_id(url) => "AccessToken-Read",
        Verb::Get => "AccessToken-List",
    }
}

/// `url` without its query.
fn path_of(url: &str) -> &str {
    url.split('?').next().unwrap_or(url)
}

/// Whether `url` names one record by its id (`…/accesstokens/123`).
fn by_id(url: &str) -> bool {
    let last = path_of(url).rsplit('/').next().unwrap_or_default();
    !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit())
}

/// `e` as it is about the request: a 404 is a record that does not exist only for a request
/// about one record (read, changed or revoked by its id; a command on records by their ids). To
/// any other (signing in, a list, a create, the commands) it says the API is not at this
/// address: a wrong `api-base`, or a proxy that does not pass the path on.
fn about(verb: Verb, url: &str, e: ApiError) -> ApiError {
    let one_record = match verb {
        Verb::Put => true,
        Verb::Post => path_of(url).ends_with("/runcommand"),
        Verb::Get | Verb::Delete => by_id(url),
    };
    match e {
        ApiError::NotFound if !one_record => ApiError::NoApi,
        e => e,
    }
}

/// Aborts the fetch it guards when dropped: on timeout, or when the caller stops waiting.
struct AbortOnDrop(Option<AbortController>);

impl AbortOnDrop {
    /// The request was answered: dropping no longer aborts it.
    fn disarm(&mut self) {
        self.0 = None;
    }
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(controller) = &self.0 {
            controller.abort();
        }
    }
}

/// Releases a code from the set being created, however the create ends.
struct Creating<'a>(&'a RefCell<HashSet<String>>, String);

impl Drop for Creating<'_> {
    fn drop(&mut self) {
        self.0.borrow_mut().remove(&self.1);
    }
}

/// Waits `ms` milliseconds.
async fn sleep(ms: f64) {
    if ms > 0.0 {
        TimeoutFuture::new(ms.ceil() as u32).await;
    }
}

const TOKENS: &str = "/spaces/accesstokens";

impl Client {
    /// A client for the API at `base` (e.g. `https://spaces.nexudus.com/api`, the sandbox's `/api`, or
    /// a proxy path), paced to Nexudus's limits, with a 20-second timeout and 3 retries for reads
    /// that met a network failure or a gateway error.
    pub fn new(base: &str) -> Self {
        Self {
            inner: Rc::new(Inner {
                base: base.trim_end_matches('/').to_owned(),
                auth: RefCell::default(),
                pacer: RefCell::new(Pacer::nexudus()),
                headers: RefCell::default(),
                timeout_ms: Cell::new(20_000),
                retries: Cell::new(3),
                creating: RefCell::default(),
                unsure: RefCell::default(),
                throttled: Cell::new(0),
                in_flight: Cell::new(0),
                asked: Cell::new(0),
                account: RefCell::default(),
                untried: Cell::new(None),
                listeners: RefCell::default(),
                next_listener: Cell::new(0),
                generation: Cell::new(0),
                sent: Cell::new(0),
                told: Cell::new(0),
                spelling: Cell::default(),
                spelling_settled: Cell::new(false),
                dir_unread: RefCell::default(),
            }),
        }
    }

    /// How many milliseconds from now until this client's pacer would have let `reads` reads and
    /// `writes` writes go, taken in turns: the least time they can take, whatever the network.
    pub fn time_to_send(&self, reads: u32, writes: u32) -> f64 {
        (self.inner.pacer.borrow()).time_to_send(steady_ms(), reads, writes)
    }

    /// The same client with another pacer: for a server with other limits, or none.
    pub fn with_pacer(self, pacer: Pacer) -> Self {
        *self.inner.pacer.borrow_mut() = pacer;
        self
    }

    /// The same client with another timeout per request, in milliseconds.
    pub fn with_timeout_ms(self, ms: u32) -> Self {
        self.inner.timeout_ms.set(ms);
        self
    }

    /// The same client retrying reads at most `n` times after network failures and gateway errors
    /// (a 409 is waited out as its pacer says, [`Pacer::after_409`]).
    pub fn with_retries(self, n: u32) -> Self {
        self.inner.retries.set(n);
        self
    }

    /// The same client sending one more header on every request (a proxy's, or the sandbox's
    /// `X-Sandbox-Fault` in tests).
    pub fn with_header(self, name: &str, value: &str) -> Self {
        self.inner
            .headers
            .borrow_mut()
            .push((name.to_owned(), value.to_owned()));
        self
    }

    /// Sets, replaces or (with `None`) stops sending one header on the requests that follow, for
    /// a header whose value changes while the client lives.
    pub fn set_header(&self, name: &str, value: Option<&str>) {
        let mut headers = self.inner.headers.borrow_mut();
        headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        if let Some(value) = value {
            headers.push((name.to_owned(), value.to_owned()));
        }
    }

    /// Replaces the auth source.
    pub fn set_auth(&self, auth: Auth) {
        self.replace_auth(auth);
        // Credentials from elsewhere: whose they are is not known here, nor whether the account
        // whose requests a 409 held back is theirs.
        self.inner.account.take();
        self.release_holds();
    }

    /// Ends the 409 holds, which were another account's (or credentials'), and says so.
    fn release_holds(&self) {
        self.inner.pacer.borrow_mut().release();
        self.tell(Told::Held(0));
    }

    /// Tells the listeners how long a request of its kind (`write` or not) is held back now, to
    /// the nearest second.
    fn tell_held(&self, write: bool) {
        let left = self.inner.pacer.borrow().wait_before(steady_ms(), write);
        self.tell(Told::Held((left / 1000.0).round() as u32));
    }

    /// Takes up a session signed in earlier: `token` for `account`, the email it was signed in
    /// with when known (a token the host page kept for the tab, say).
    pub fn resume(&self, token: String, account: Option<String>) {
        self.set_auth(Auth::Bearer(token));
        *self.inner.account.borrow_mut() = account;
    }

    fn replace_auth(&self, auth: Auth) {
        *self.inner.auth.borrow_mut() = auth;
        self.inner
            .generation
            .set(self.inner.generation.get().wrapping_add(1));
    }

    /// Whether `other` is this client (a clone of it), not another with the same settings.
    pub fn same(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }

    /// Whether requests carry credentials of the widget's own.
    pub fn has_credentials(&self) -> bool {
        !matches!(*self.inner.auth.borrow(), Auth::None)
    }

    /// The bearer token in use, if the client holds one: only for a host page that opted in to
    /// keeping it (in `sessionStorage`); never logged.
    pub fn bearer_token(&self) -> Option<String> {
        match &*self.inner.auth.borrow() {
            Auth::Bearer(token) => Some(token.clone()),
            _ => None,
        }
    }

    /// Forgets the credentials.
    pub fn sign_out(&self) {
        self.set_auth(Auth::None);
    }

    /// The email this client signed in with ([`Client::sign_in`]), until it signs out.
    pub fn account(&self) -> Option<String> {
        self.inner.account.borrow().clone()
    }

    /// Calls `heard` after each request whose outcome says whether the server takes the
    /// credentials ([`Told::Taken`]), and when a 409 holds requests back ([`Told::Held`]).
    /// Returns an id for [`Client::forget_listener`].
    pub fn listen(&self, heard: impl Fn(Told) + 'static) -> u32 {
        let id = self.inner.next_listener.get();
        self.inner.next_listener.set(id + 1);
        self.inner.listeners.borrow_mut().push((id, Rc::new(heard)));
        id
    }

    /// Stops calling the listener `id` ([`Client::listen`]).
    pub fn forget_listener(&self, id: u32) {
        self.inner
            .listeners
            .borrow_mut()
            .retain(|(listener, _)| *listener != id);
    }

    /// Tells every listener, each called with no borrow held, so that it may listen or forget.
    fn tell(&self, told: Told) {
        let listeners: Vec<Heard> = (self.inner.listeners.borrow().iter())
            .map(|(_, heard)| heard.clone())
            .collect();
        for heard in listeners {
            heard(told);
        }
    }

    /// How many 409 (throttled) answers this client has met.
    pub fn throttled_count(&self) -> u32 {
        self.inner.throttled.get()
    }

    /// How many of this client's requests are on the wire now (sent, not yet answered).
    pub fn in_flight(&self) -> u32 {
        self.inner.in_flight.get()
    }

    /// How many requests (and retries) this client has been asked to send so far, counted as
    /// they are asked for, before the pacer holds them back.
    pub fn requests_asked(&self) -> u32 {
        self.inner.asked.get()
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
        // Another account than the one a 409 held back: its requests are not spent, and its
        // sign-in is not to wait for the other's. Not signed in, the first account's token stays
        // in use, and its holds come back (unless other credentials came meanwhile).
        let another = (self.inner.account.borrow().as_deref())
            .is_some_and(|account| !account.eq_ignore_ascii_case(email.trim()));
        let generation = self.inner.generation.get();
        let held = another.then(|| {
            let held = self.inner.pacer.borrow().holds();
            self.release_holds();
            held
        });
        let grant = match self.grant(form.finish(), None).await.map_err(refused_grant) {
            Ok(grant) => grant,
            Err(e) => {
                let held = held.filter(|_| self.inner.generation.get() == generation);
                if let Some(held) = held {
                    for (until, write) in held {
                        self.inner.pacer.borrow_mut().hold(until, write);
                    }
                    self.tell_held(true);
                }
                return Err(e);
            }
        };
        *self.inner.account.borrow_mut() = Some(email.trim().to_owned());
        self.inner.untried.set(Some(self.inner.generation.get()));
        Ok(grant)
    }

    /// Exchanges a refresh token for a new bearer token (and keeps it). `client_id` must be the one
    /// used at sign-in: the email, when none was sent.
    pub async fn refresh(
        &self,
        refresh_token: &str,
        client_id: &str,
    ) -> Result<TokenGrant, ApiError> {
        let form = form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "refresh_token")
            .append_pair("refresh_token", refresh_token)
            .finish();
        match self.grant(form, Some(client_id)).await {
            // A spent, expired or foreign refresh token: sign in again.
            Err(ApiError::WrongPassword) => Err(ApiError::SignedOut),
            other => other,
        }
    }

    /// Asks the token endpoint for a grant; sent again after a 409 ([`Client::wait_out`]), which
    /// granted nothing.
    async fn grant(&self, form: String, client_id: Option<&str>) -> Result<TokenGrant, ApiError> {
        let url = format!("{}/token", self.inner.base);
        let mut throttled = Throttling::default();
        let body = loop {
            let mut request =
                Request::post(&url).header("Content-Type", "application/x-www-form-urlencoded");
            if let Some(client_id) = client_id {
                request = request.header("client_id", client_id);
            }
            let number = Cell::new(0);
            let sent = self.exchange(request, Verb::Post, Some(form.clone()), None, &number);
            match sent.await {
                Err(ApiError::Throttled(seconds)) => {
                    self.wait_out(true, seconds, &mut throttled)?;
                }
                other => break other.map_err(|e| about(Verb::Post, &url, e))?,
            }
        };
        // No excerpt of this answer is kept: it may hold a token.
        let grant: TokenGrant = serde_json::from_str(&body)
            .ok()
            .filter(|g: &TokenGrant| !g.access_token.is_empty())
            .ok_or_else(|| ApiError::Unreadable("the sign-in answer".into()))?;
        // The same account's new token: what it signed in as stays.
        self.replace_auth(Auth::Bearer(grant.access_token.clone()));
        Ok(grant)
    }

    /// One page of access tokens.
    ///
    /// A page ordered by a number or a date is checked: the documents spell `dir` three ways
    /// ([`Spelling`]), and a server that reads it another way than it is spelt answers in the
    /// opposite order, so "newest first" would show the oldest codes, or refuses the value. Such
    /// an answer is asked for again in the other spellings, and the one that gives the order asked
    /// for (or, after a refusal, is taken) is kept for every list after it.
    pub async fn list(&self, query: &ListQuery) -> Result<Page<AccessToken>, ApiError> {
        let inner = &self.inner;
        let spelt = inner.spelling.get();
        let first = self.list_spelt(query, spelt).await;
        let Some((field, wanted)) = query.order() else {
            return first;
        };
        // What the first answer says of the spelling: `Some(order)` for an answer in the opposite
        // order, `None` for a refusal that may be of the value (a 400, or the 500 a server's
        // unreadable value can cause) while the spelling is not settled.
        let backwards = match &first {
            Ok(page) => match order_seen(&page.records, field) {
                Some(seen) if seen != wanted => Some(seen),
                seen => {
                    inner
                        .spelling_settled
                        .set(inner.spelling_settled.get() || seen.is_some());
                    return first;
                }
            },
            Err(e) if refuses_spelling(e) && !inner.spelling_settled.get() => None,
            Err(_) => return first,
        };
        if inner.dir_unread.borrow().contains(&field) {
            return first;
        }
        // Every other spelling gave the same order too: the server does not read `dir` on this
        // field, and asking again would only cost requests.
        let mut unread = backwards.is_some();
        for other in Spelling::ALL.into_iter().filter(|s| *s != spelt) {
            match self.list_spelt(query, other).await {
                Ok(again) => {
                    let seen = order_seen(&again.records, field);
                    if seen == Some(wanted) || (backwards.is_none() && seen.is_none()) {
                        inner.spelling.set(other);
                        inner.spelling_settled.set(seen.is_some());
                        return Ok(again);
                    }
                    unread &= seen == backwards;
                }
                // A value refused is not the spelling read: the answers that came back decide.
                Err(e) if refuses_spelling(&e) => {}
                // Signed out, throttled, offline: nothing learnt, and the first answer stands.
                Err(_) => return first,
            }
        }
        if unread {
            inner.dir_unread.borrow_mut().insert(field);
        }
        if backwards.is_none() {
            // Refused whatever the spelling: the refusal is about something else.
            inner.spelling_settled.set(true);
        }
        first
    }

    async fn list_spelt(
        &self,
        query: &ListQuery,
        spelling: Spelling,
    ) -> Result<Page<AccessToken>, ApiError> {
        self.get_json(&format!("{TOKENS}?{}", query.spelt(spelling)?))
            .await
    }

    /// Whether the server reads `dir` on lists ordered by `field`, as far as this client has seen:
    /// `false` once every spelling of it came back in the same order.
    pub fn reads_dir(&self, field: Field) -> bool {
        !self.inner.dir_unread.borrow().contains(&field)
    }

    /// How many access tokens the account can see.
    pub async fn count(&self) -> Result<i64, ApiError> {
        Ok(self.list(&ListQuery::new().size(1)).await?.total_items)
    }

    /// One access token.
    pub async fn get(&self, id: i64) -> Result<AccessToken, ApiError> {
        self.get_json(&format!("{TOKENS}/{id}")).await
    }

    /// Several access tokens by id, in as few requests as URLs of a length servers take allow
    /// ([`MAX_IDS_QUERY`](super::query::MAX_IDS_QUERY)); ids that do not exist are left out.
    pub async fn get_many(&self, ids: &[i64]) -> Result<Vec<AccessToken>, ApiError> {
        let mut found = Vec::with_capacity(ids.len());
        for query in ids_queries(ids) {
            let part: Vec<AccessToken> = self.get_json(&format!("{TOKENS}?{query}")).await?;
            found.extend(part);
        }
        Ok(found)
    }

    /// The access token with exactly this code (ignoring case), if there is one.
    pub async fn find_code(&self, code: &str) -> Result<Option<AccessToken>, ApiError> {
        self.find_code_in(code, None).await
    }

    /// [`Client::find_code`] among the codes of `business` when given: a code is one business's
    /// (another may have the same), and an account may see several.
    pub async fn find_code_in(
        &self,
        code: &str,
        business: Option<i64>,
    ) -> Result<Option<AccessToken>, ApiError> {
        let code = code.trim();
        // The API's filter matches a part of the code; the exact one is picked here. A short code
        // typed by hand ("GUEST1") is part of many others ("GUEST10", "GUEST100"…): past the first
        // few matches, the rest are read in the largest pages, never stopping short of the end,
        // where a code missed would pass for one that does not exist.
        let mut query = ListQuery::new()
            .size(MATCHES)
            .filter(Field::AccessCode, code);
        if let Some(business) = business {
            query = query.filter(Field::Business, business.to_string());
        }
        for page in 1..=MATCH_PAGES {
            let found = self.list(&query).await?;
            if let Some(exact) = found
                .records
                .into_iter()
                .find(|t| t.access_code.trim().eq_ignore_ascii_case(code))
            {
                return Ok(Some(exact));
            }
            if !found.has_next_page {
                return Ok(None);
            }
            // The first page of the largest size holds the small one read already.
            query = query.size(MAX_PAGE_SIZE).page(page);
        }
        Err(ApiError::BadQuery(format!(
            "more codes than can be read contain {code}"
        )))
    }

    /// Issues a new access token and returns its id.
    ///
    /// The code is looked up first: one that exists is refused as taken (unless it is this
    /// client's own, from a create whose answer was lost: then it is given the terms asked for
    /// now, if they differ, and its id returned; see [`ADOPT_MS`]), whether or not the server
    /// would refuse it. The create is then sent once. When no answer comes (a dropped connection,
    /// a timeout, a gateway error) the code is looked up again: found with the terms sent, it was created;
    /// found with others, it is taken; missing after a timeout or a gateway's timeout, the server
    /// may still be at work and the answer is [`ApiError::OutcomeUnknown`]; missing otherwise,
    /// [`ApiError::NotCreated`], and trying again is safe. A create refused as a duplicate is
    /// looked up too: found with the terms sent, it is the one created (a create the browser sent
    /// twice). So is one answered 500, which an API may send after saving: found with the terms
    /// sent, it was created; else the 500 stands. A look-up after sending that fails makes it `OutcomeUnknown`; the one before, its
    /// own error (nothing was sent), but for a missing List role, which leaves it to the server.
    pub async fn create(&self, token: &AccessToken) -> Result<i64, ApiError> {
        self.create_unless(token, &|| false).await
    }

    /// [`Client::create`], unless `stop` says so before the create is sent: it is asked every
    /// [`STOP_CHECK_MS`] while the pacer holds the create back and just before sending. Stopped,
    /// nothing is sent and the answer is [`ApiError::NotCreated`]. A cancelled batch sends no code
    /// that was still waiting its turn.
    pub async fn create_unless(
        &self,
        token: &AccessToken,
        stop: &dyn Fn() -> bool,
    ) -> Result<i64, ApiError> {
        let stop = Some(stop);
        let code = token.access_code.trim().to_owned();
        // Codes are ASCII letters and digits; the server compares them ignoring case.
        let key = code.to_ascii_lowercase();
        if !self.inner.creating.borrow_mut().insert(key.clone()) {
            return Err(ApiError::InProgress);
        }
        let _creating = Creating(&self.inner.creating, key.clone());
        if stop.is_some_and(|stop| stop()) {
            return Err(ApiError::NotCreated);
        }
        // A record found with the code is this client's own only when it sent a create for the
        // code before (its answer lost) or just now, with the terms found: another desk's record
        // with the same code and terms is someone else's code, never taken for this one.
        let sent_before = self
            .inner
            .unsure
            .borrow()
            .get(&key)
            .cloned()
            .unwrap_or_default();
        // Looked up first: a code that exists already is refused here, whether or not the
        // server would refuse a second record with it. An account that may not list codes
        // leaves that to the server. A look-up held back by 409s is stopped too.
        let found = match select(
            Box::pin(self.find_code_in(&code, token.business())),
            Box::pin(stopped(stop)),
        )
        .await
        {
            Either::Left((found, _)) => found,
            Either::Right(_) => return Err(ApiError::NotCreated),
        };
        match found {
            Ok(Some(stored)) => {
                return match self.adopt(stored, token, &sent_before).await {
                    Some(adopted) => self.settled(&key, adopted),
                    None => Err(code_taken(&code)),
                };
            }
            Ok(None) | Err(ApiError::MissingRole(_)) => {}
            Err(e) => return Err(e),
        }
        let mut body =
            serde_json::to_value(token).map_err(|e| ApiError::BadQuery(e.to_string()))?;
        if let Value::Object(fields) = &mut body {
            fields.retain(|name, _| !AccessToken::SERVER_SET_FIELDS.contains(&name.as_str()));
        }
        let mut sent = sent_before.clone();
        sent.push((steady_ms(), token.clone()));
        self.inner
            .unsure
            .borrow_mut()
            .insert(key.clone(), sent.clone());
        // A success without the new record's id was done all the same: looked up, as below.
        let written = self
            .write(Verb::Post, TOKENS, Some(body), stop)
            .await
            .and_then(|result| result.id().ok_or_else(|| garbled("no Id in the answer")));
        let outcome = match written {
            Ok(id) => Ok(id),
            // No answer, one that cannot be read, or a gateway's: the code is looked up. Found
            // with terms sent, it is this client's; found with others, someone else issued it
            // meanwhile. Not found after a timeout or a gateway's timeout, the API may still be
            // at work: not known.
            // So is a create the API failed (500): perhaps after it saved the record (while
            // telling the network of the code, say). Not found, or not looked up, the failure
            // stands, and the create stays unsure: sent again, a record that lands is this one.
            Err(e) if e.outcome_unknown() || e == ApiError::Server(500) => {
                match self.find_code_in(&code, token.business()).await {
                    Ok(Some(stored)) => match self.adopt(stored, token, &sent).await {
                        Some(adopted) => return self.settled(&key, adopted),
                        None => Err(code_taken(&code)),
                    },
                    Ok(None) | Err(_) if e == ApiError::Server(500) => Err(e),
                    Ok(None) if matches!(e, ApiError::TimedOut(_) | ApiError::Server(504)) => {
                        Err(ApiError::OutcomeUnknown(code))
                    }
                    Ok(None) => Err(ApiError::NotCreated),
                    Err(_) => Err(ApiError::OutcomeUnknown(code)),
                }
            }
            // Refused as a code that exists: it may exist because of this very create. A browser
            // sends a request again, unseen by script, when the kept-alive connection it went on
            // closes before an answer; the server then carried out the first copy and refused the
            // second. Or an earlier create of this client's, its answer lost, landed meanwhile.
            // Found with terms sent, the code is the one asked for.
            // A look-up that fails says nothing: it may be this create's, and a repeat of it
            // will be recognised.
            Err(e) if e.field("AccessCode").is_some() => {
                match self.find_code_in(&code, token.business()).await {
                    Ok(Some(stored)) => match self.adopt(stored, token, &sent).await {
                        Some(adopted) => return self.settled(&key, adopted),
                        None => Err(e),
                    },
                    Ok(None) => Err(e),
                    Err(_) => Err(ApiError::OutcomeUnknown(code)),
                }
            }
            Err(e) => Err(e),
        };
        // Known to exist, or refused for a code that exists: a later create of the code is a
        // new one. Refused for another field, this create made nothing, but an earlier one may
        // still land and is still recognised. Otherwise this create may still land too.
        let mut unsure = self.inner.unsure.borrow_mut();
        match &outcome {
            Err(e @ ApiError::Invalid(_)) if e.field("AccessCode").is_none() => {
                if sent_before.is_empty() {
                    unsure.remove(&key);
                } else {
                    unsure.insert(key, sent_before);
                }
            }
            Ok(_) | Err(ApiError::Invalid(_)) => {
                unsure.remove(&key);
            }
            Err(_) => {}
        }
        outcome
    }

    /// `stored`, the record found with a code being created, as this client's own: its id when
    /// it has the terms asked for now and this client sent a create for the code, and after it is
    /// given them when it has the terms of an earlier create of this client's whose answer was
    /// lost (tried again with other details, the first would otherwise stay issued, unknown to
    /// anyone, and this one be refused), sent within [`ADOPT_MS`] and never used. `None` when it
    /// is someone else's, or may have been handed out meanwhile.
    async fn adopt(
        &self,
        stored: AccessToken,
        asked: &AccessToken,
        sent: &[(f64, AccessToken)],
    ) -> Option<Result<i64, ApiError>> {
        if sent.is_empty() {
            return None;
        }
        let id = stored.id;
        if asked.issued_as(&stored) {
            return Some(Ok(id));
        }
        let now = steady_ms();
        let recent = |at: f64| now - at < ADOPT_MS;
        let ours = sent
            .iter()
            .any(|(at, earlier)| recent(*at) && earlier.issued_as(&stored));
        if !ours || stored.last_access.is_some() {
            return None;
        }
        Some(self.update(id, |t| t.take_terms(asked)).await.map(|_| id))
    }

    /// The outcome of a create whose code was found to be this client's: done, it is no longer
    /// unsure; not done (its terms could not be written), a later create of the code still finds
    /// it as this client's.
    fn settled(&self, key: &str, adopted: Result<i64, ApiError>) -> Result<i64, ApiError> {
        if adopted.is_ok() {
            self.inner.unsure.borrow_mut().remove(key);
        }
        adopted
    }

    /// Changes an access token: reads the current record, applies `change`, and writes the whole
    /// record back, so no field the change did not touch is cleared. Returns the record as written.
    /// A 404 to the write is [`ApiError::NotFound`] only if the code cannot be read either, as for
    /// [`Client::delete`].
    pub fn update<'a>(
        &'a self,
        id: i64,
        change: impl FnOnce(&mut AccessToken) + 'a,
    ) -> impl Future<Output = Result<AccessToken, ApiError>> + 'a {
        // The work is one function for every change passed, not one per caller's closure.
        self.update_with(id, Box::new(change))
    }

    async fn update_with(
        &self,
        id: i64,
        change: Box<dyn FnOnce(&mut AccessToken) + '_>,
    ) -> Result<AccessToken, ApiError> {
        let mut token = self.get(id).await?;
        let was = token.access_code.clone();
        change(&mut token);
        // A code changed is looked up first, as a create's is: one another record has is refused
        // here, whether or not the server would let two records share it. An account that may
        // not list codes leaves that to the server.
        let code = token.access_code.trim();
        if !code.eq_ignore_ascii_case(was.trim()) {
            match self.find_code_in(code, token.business()).await {
                Ok(Some(other)) if other.id != id => return Err(code_taken(code)),
                Ok(_) | Err(ApiError::MissingRole(_)) => {}
                Err(e) => return Err(e),
            }
        }
        token.id = id;
        // Written in the current reference's name, whichever the record was read with.
        token.business_id = token.business();
        let body = serde_json::to_value(&token).map_err(|e| ApiError::BadQuery(e.to_string()))?;
        match self.write(Verb::Put, TOKENS, Some(body), None).await {
            Ok(_) => Ok(token),
            Err(ApiError::NotFound) => Err(self.gone_or_not_through(id, "change").await),
            Err(e) => Err(e),
        }
    }

    /// Deletes (revokes) an access token.
    ///
    /// When no answer comes (a dropped connection, a timeout, a gateway error) the code is asked
    /// for: gone means it was deleted, still there means [`ApiError::NotRevoked`] and trying again
    /// is safe. If that read fails too, the first error stands: whether it was deleted is not known.
    ///
    /// A 404 is [`ApiError::NotFound`], revoked already, only if the code cannot be read either:
    /// a proxy that does not pass DELETE on answers 404 for a code that is still there, which is
    /// then refused, not taken for revoked.
    pub async fn delete(&self, id: i64) -> Result<(), ApiError> {
        match self
            .write(Verb::Delete, &format!("{TOKENS}/{id}"), None, None)
            .await
        {
            Ok(_) => Ok(()),
            Err(ApiError::NotFound) => Err(self.gone_or_not_through(id, "revoke").await),
            Err(e) if e.outcome_unknown() => match self.get(id).await {
                Err(ApiError::NotFound) => Ok(()),
                Ok(_) => Err(ApiError::NotRevoked),
                Err(_) => Err(e),
            },
            Err(e) => Err(e),
        }
    }

    /// What a 404 to a write to code `id` (a `change` or a `revoke`) means: [`ApiError::NotFound`]
    /// only if the code cannot be read either. A proxy that does not pass the method on answers
    /// 404 for a code that is there, which is not to be shown as gone: the write is refused, the
    /// code as it was (or, the read failing too, not known to be gone).
    async fn gone_or_not_through(&self, id: i64, write: &str) -> ApiError {
        match self.get(id).await {
            Err(ApiError::NotFound) => ApiError::NotFound,
            Ok(_) => ApiError::Refused(
                404,
                format!("the {write} did not get through, and the code is as it was"),
            ),
            Err(_) => ApiError::Refused(
                404,
                format!("the {write} did not get through, and the code could not be read to check"),
            ),
        }
    }

    /// The commands the server offers for access tokens, in menu order.
    pub async fn commands(&self) -> Result<Vec<Command>, ApiError> {
        let mut commands: Vec<Command> = self.get_json(&format!("{TOKENS}/commands")).await?;
        commands.sort_by_key(|c| c.order);
        Ok(commands)
    }

    /// Runs a command on records and returns the server's message. A 200 with `WasSuccessful: false`
    /// is [`ApiError::CommandFailed`].
    pub async fn run_command(
        &self,
        key: &str,
        ids: &[i64],
        parameters: Vec<CommandParameter>,
    ) -> Result<String, ApiError> {
        let run = RunCommand {
            key: key.to_owned(),
            ids: ids.to_vec(),
            parameters,
        };
        let body = serde_json::to_value(&run).map_err(|e| ApiError::BadQuery(e.to_string()))?;
        let result = self
            .action(
                Verb::Post,
                &format!("{TOKENS}/runcommand"),
                Some(body),
                None,
            )
            .await?;
        if result.was_successful {
            Ok(result.message.unwrap_or_default())
        } else {
            Err(ApiError::CommandFailed(result.said()))
        }
    }

    /// A write to a record ([`Client::action`]). A 200 whose body says it failed is an error: the
    /// fields it names wrong, as a 400's are ([`ApiError::Invalid`]), so they are shown beside
    /// the fields, or else its message ([`ApiError::CommandFailed`]).
    async fn write(
        &self,
        verb: Verb,
        path: &str,
        body: Option<Value>,
        stop: Stop<'_>,
    ) -> Result<ActionResult, ApiError> {
        let result = self.action(verb, path, body, stop).await?;
        if result.was_successful {
            Ok(result)
        } else if !result.field_errors().is_empty() {
            Err(ApiError::Invalid(result.field_errors().to_vec()))
        } else {
            Err(ApiError::CommandFailed(result.said()))
        }
    }

    /// A request answered with the action envelope, sent again only when the server answered 409
    /// ([`Client::waiting_out_409s`]). An answer that cannot be read may have been carried out
    /// ([`ApiError::Garbled`]): callers check, as for an answer lost, rather than send it again.
    async fn action(
        &self,
        verb: Verb,
        path: &str,
        body: Option<Value>,
        stop: Stop<'_>,
    ) -> Result<ActionResult, ApiError> {
        let url = format!("{}{path}", self.inner.base);
        let body = body.map(|b| b.to_string());
        let text = self.waiting_out_409s(verb, &url, body, stop).await?;
        serde_json::from_str(&text).map_err(|_| garbled(&text))
    }

    /// A GET, sent again after 409s ([`Client::waiting_out_409s`]), and after gateway errors and
    /// network failures up to the client's number of retries.
    async fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        let url = format!("{}{path}", self.inner.base);
        let mut attempt = 0;
        loop {
            match self.waiting_out_409s(Verb::Get, &url, None, None).await {
                Ok(body) => return parse(&body),
                Err(e) if e.is_transient() && attempt < self.inner.retries.get() => {
                    attempt += 1;
                    sleep(backoff(attempt)).await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// [`Client::authorized`], sent again after each 409 for as long as [`Client::wait_out`]
    /// says: a 409 did nothing, so sending again cannot do anything twice.
    async fn waiting_out_409s(
        &self,
        verb: Verb,
        url: &str,
        body: Option<String>,
        stop: Stop<'_>,
    ) -> Result<String, ApiError> {
        let mut throttled = Throttling::default();
        loop {
            match self.authorized(verb, url, body.clone(), stop).await {
                Err(ApiError::Throttled(seconds)) => {
                    self.wait_out(verb != Verb::Get, seconds, &mut throttled)?;
                }
                answer => return answer,
            }
        }
    }

    /// After a 409 to a request (a write or not), the `tries`-th in a row having waited `waited`
    /// ms for it (`throttled`): holds this client's requests of that kind for as long as the pacer
    /// says ([`Pacer::after_409`]), the request then sent again, or gives up
    /// ([`ApiError::Spent`], with how long the server said to wait when it said longer than was
    /// waited). The hold, not a sleep here, keeps every request of the kind back, and a request
    /// that may be stopped (a batch's create) is stopped while it waits.
    fn wait_out(
        &self,
        write: bool,
        seconds: u32,
        throttled: &mut Throttling,
    ) -> Result<(), ApiError> {
        throttled.tries += 1;
        let asked = f64::from(seconds) * 1000.0;
        throttled.longest_asked = throttled.longest_asked.max(asked);
        let wait =
            (self.inner.pacer.borrow()).after_409(write, asked, throttled.tries, throttled.waited);
        let Some(wait) = wait else {
            let said = (throttled.longest_asked > throttled.waited)
                .then(|| (throttled.longest_asked / 1000.0).ceil() as u32);
            return Err(ApiError::Spent(said));
        };
        throttled.waited += wait;
        // Up to a quarter second more, so that desks throttled together do not come back together.
        let until = steady_ms() + wait + js_sys::Math::random() * 250.0;
        self.inner.pacer.borrow_mut().hold(until, write);
        // How long the request waits now: an earlier, longer hold may keep it back longer.
        self.tell_held(write);
        Ok(())
    }

    /// Sends with the current credentials. After a 401 it sends once more with the credentials in
    /// use then, when a host callback may give a fresh token or when they were replaced while the
    /// request was on its way (a 401 means nothing was done, so sending again is safe).
    ///
    /// The listeners ([`Client::listen`]) hear the answer only when it is about the
    /// credentials in use now and no later request's answer has been told already: a token that
    /// expired or was renewed while a slow request was on its way is judged by the newest answer.
    async fn authorized(
        &self,
        verb: Verb,
        url: &str,
        body: Option<String>,
        stop: Stop<'_>,
    ) -> Result<String, ApiError> {
        let callback = matches!(*self.inner.auth.borrow(), Auth::Callback(_));
        let generation = self.inner.generation.get();
        let mut sent = self.attempt(verb, url, body.clone(), stop).await;
        if sent.refused() && (callback || self.inner.generation.get() != generation) {
            sent = self.attempt(verb, url, body, stop).await;
        }
        let Attempt { number, answer, .. } = sent;
        // A 403 whose body names no role (only the contract's "a missing role") is about the
        // role this request needs: the widget then disables what the account may not do.
        let answer = answer.map_err(|e| match e {
            ApiError::MissingRole(named) if !named.starts_with("AccessToken-") => {
                ApiError::MissingRole(role_for(verb, url).to_owned())
            }
            e => about(verb, url, e),
        });
        // A token just granted by signing in, refused at its first use: not a session that
        // ended, but an account that may not use the API. Taken once, it is a session like any.
        // Judged only by an answer to a request sent with those credentials.
        let untried =
            number.is_some() && self.inner.untried.get() == Some(self.inner.generation.get());
        let answer = match answer {
            Err(ApiError::SignedOut) if untried => Err(ApiError::NoApiAccess),
            answer => {
                // An answer the API gives only past its check of the token: not a 404 or another
                // refusal, which a proxy or gateway in front of it may give.
                let past_the_token = matches!(
                    answer,
                    Ok(_)
                        | Err(ApiError::MissingRole(_)
                            | ApiError::Invalid(_)
                            | ApiError::Refused(400, _)
                            | ApiError::Throttled(_))
                );
                if untried && past_the_token {
                    self.inner.untried.set(None);
                }
                answer
            }
        };
        let taken = match &answer {
            Ok(_) => Some(true),
            Err(ApiError::SignedOut) => Some(false),
            Err(_) => None,
        };
        let newest = number.filter(|n| *n > self.inner.told.get());
        if let (Some(taken), Some(number)) = (taken, newest) {
            self.inner.told.set(number);
            self.tell(Told::Taken(taken));
        }
        answer
    }

    /// One request with the credentials in use now.
    async fn attempt(
        &self,
        verb: Verb,
        url: &str,
        body: Option<String>,
        stop: Stop<'_>,
    ) -> Attempt {
        let generation = self.inner.generation.get();
        let number = Cell::new(0);
        let answer = match self.request(verb, url).await {
            Ok(request) => self.exchange(request, verb, body, stop, &number).await,
            // The host's callback gave no token: nothing was sent. What it says is the newest.
            Err(e) => {
                self.inner.sent.set(self.inner.sent.get() + 1);
                return Attempt {
                    number: Some(self.inner.sent.get()),
                    answer: Err(e),
                    sent: false,
                };
            }
        };
        let current = self.inner.generation.get() == generation;
        Attempt {
            number: Some(number.get()).filter(|n| current && *n > 0),
            answer,
            sent: true,
        }
    }

    async fn request(&self, verb: Verb, url: &str) -> Result<RequestBuilder, ApiError> {
        let builder = match verb {
            Verb::Get => Request::get(url),
            Verb::Post => Request::post(url).header("Content-Type", "application/json"),
            Verb::Put => Request::put(url).header("Content-Type", "application/json"),
            Verb::Delete => Request::delete(url),
        }
        // Live records, never the HTTP cache's copy. This also keeps the browser from holding a
        // read of a URL back until an earlier read of the same URL is answered (Chrome's cache
        // lock): a change to a code would otherwise wait for a slow read-back of it.
        .cache(web_sys::RequestCache::NoStore);
        let auth = self.inner.auth.borrow().clone();
        let value = match auth {
            Auth::None => return Ok(builder),
            // Trimmed as the browser trims a header's value: a token read from a file or an
            // answer often ends with a line break.
            Auth::Bearer(token) => format!("Bearer {}", token.trim()),
            // A promise that never settles must not hold every request forever: no token in
            // the request's time is no token.
            Auth::Callback(callback) => {
                let asked = Box::pin(from_host(&callback));
                let gave_up = TimeoutFuture::new(self.inner.timeout_ms.get());
                let token = match select(asked, gave_up).await {
                    Either::Left((token, _)) => token,
                    Either::Right(_) => None,
                };
                format!("Bearer {}", token.ok_or(ApiError::SignedOut)?.trim())
            }
            Auth::Basic { email, password } => format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{email}:{password}"))
            ),
        };
        // A header the browser would refuse (a curly quote or a line break in a page's token)
        // would throw out of the request rather than fail it: such a token is refused here.
        if !value.bytes().all(|b| (b' '..=b'~').contains(&b)) {
            return Err(ApiError::SignedOut);
        }
        Ok(builder.header("Authorization", &value))
    }

    /// One request and its answer body, paced, timed and abortable. A non-success status is an error.
    async fn exchange(
        &self,
        mut builder: RequestBuilder,
        verb: Verb,
        body: Option<String>,
        stop: Stop<'_>,
        sent_as: &Cell<u64>,
    ) -> Result<String, ApiError> {
        let write = verb != Verb::Get;
        self.inner.asked.set(self.inner.asked.get() + 1);
        // Checked at the moment of sending, not booked ahead: a late timer cannot bunch requests.
        loop {
            if stop.is_some_and(|stop| stop()) {
                return Err(ApiError::NotCreated);
            }
            let now = steady_ms();
            let wait = self.inner.pacer.borrow().wait_before(now, write);
            if wait <= 0.0 && self.inner.in_flight.get() < MAX_IN_FLIGHT {
                self.inner.pacer.borrow_mut().record(now, write);
                break;
            }
            // A request that may be stopped looks again soon, so stopping is not held up.
            let step = if stop.is_some() {
                STOP_CHECK_MS
            } else {
                f64::MAX
            };
            sleep(wait.max(2.0).min(step)).await;
        }
        self.inner.in_flight.set(self.inner.in_flight.get() + 1);
        // Numbered as it goes out, after its wait: what it says of the credentials is as new as
        // the moment it reached the server.
        self.inner.sent.set(self.inner.sent.get() + 1);
        sent_as.set(self.inner.sent.get());
        let _in_flight = InFlight(&self.inner.in_flight);
        for (name, value) in self.inner.headers.borrow().iter() {
            builder = builder.header(name, value);
        }
        let controller = AbortController::new().ok();
        let mut guard = AbortOnDrop(controller.clone());
        let builder = builder.abort_signal(controller.as_ref().map(|c| c.signal()).as_ref());
        let request = match body {
            Some(body) => builder.body(body),
            None => builder.build(),
        }
        .map_err(unreached)?;

        let timeout_ms = self.inner.timeout_ms.get();
        let send = async {
            let response = request.send().await.map_err(unreached)?;
            let status = response.status();
            let retry_after = response.headers().get("retry-after");
            let text = response.text().await.map_err(unreached)?;
            Ok::<_, ApiError>((status, retry_after, text))
        };
        let outcome = match select(Box::pin(send), TimeoutFuture::new(timeout_ms)).await {
            Either::Left((outcome, _)) => {
                // Answered: nothing left to abort, and a copy of the answer the page may still
                // be reading (a host's fetch hook) must not be cut.
                guard.disarm();
                outcome
            }
            Either::Right(((), _)) => Err(ApiError::TimedOut(timeout_ms.div_ceil(1000))),
        };
        drop(guard);
        let (status, retry_after, text) = outcome?;
        if (200..300).contains(&status) {
            return Ok(text);
        }
        let error = ApiError::from_response(status, retry_after.as_deref(), &text);
        if matches!(error, ApiError::Throttled(_)) {
            self.inner.throttled.set(self.inner.throttled.get() + 1);
        }
        Err(error)
    }
}

/// A request's answer, and its number ([`Inner::sent`]) while the credentials it was sent with
/// are still the ones in use (`None` once they were replaced).
struct Attempt {
    number: Option<u64>,
    answer: Result<String, ApiError>,
    /// Whether it reached the wire: not when the host's callback gave no token.
    sent: bool,
}

impl Attempt {
    /// Whether the server refused the credentials (a 401); not a callback that gave none.
    fn refused(&self) -> bool {
        self.sent && matches!(self.answer, Err(ApiError::SignedOut))
    }
}

/// Whether `e` may be a server's refusal of how `dir` is spelt: a 400, or the 500 with which a
/// server can answer a value it cannot read.
/// A sign-in refused with 401 or 403 (by a gateway in front of the API, say): not a session that
/// ended, nor a role missing from an account that is not signed in yet.
fn refused_grant(e: ApiError) -> ApiError {
    match e {
        ApiError::SignedOut => ApiError::Refused(401, SIGN_IN_REFUSED.into()),
        ApiError::MissingRole(_) => ApiError::Refused(403, SIGN_IN_REFUSED.into()),
        e => e,
    }
}

/// Why a sign-in answered 401 or 403 failed, as the server did not say.
const SIGN_IN_REFUSED: &str = "it did not accept this sign-in";

fn refuses_spelling(e: &ApiError) -> bool {
    matches!(
        e,
        ApiError::Invalid(_) | ApiError::Refused(400, _) | ApiError::Server(500)
    )
}

/// The 409s one request has had in a row: how many, how long it waited them out (ms), and the
/// longest the server said to wait (ms).
#[derive(Default)]
struct Throttling {
    tries: u32,
    waited: f64,
    longest_asked: f64,
}

/// The refusal of a code another record has, as the server words it.
fn code_taken(code: &str) -> ApiError {
    ApiError::Invalid(vec![FieldError {
        property_name: "AccessCode".into(),
        message: "is already used by another access token".into(),
        attempted_value: Some(Value::String(code.to_owned())),
    }])
}

/// Milliseconds on a clock that only goes forward (the page's own, from its start), for pacing and
/// holds: the wall clock steps back or forward when it is set (a correction from the network, a
/// laptop waking), and pacing on it would hold every request as long, or let a burst through.
fn steady_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// Records asked for when looking a code up; the filter matches parts of codes, so a few extra.
const MATCHES: u32 = 50;

/// How long after a create whose answer was lost its record is still given other terms asked for
/// the same code (15 minutes): a retry at the desk comes within that. Later, the code may have
/// been handed out as it was, and is refused as taken instead.
pub const ADOPT_MS: f64 = 15.0 * 60_000.0;

/// Pages read at most when looking a code up: the first of [`MATCHES`], then of the largest size.
const MATCH_PAGES: u32 = 6;

/// How long to wait before retry number `attempt` after a network failure or gateway error:
/// doubling from half a second, with up to a quarter second of jitter so that clients that failed
/// together do not come back together.
fn backoff(attempt: u32) -> f64 {
    250.0 * f64::from(1u32 << attempt.min(6)) + js_sys::Math::random() * 250.0
}

/// Ends once `stop` says so, asked every [`STOP_CHECK_MS`]; never without one.
async fn stopped(stop: Stop<'_>) {
    loop {
        if stop.is_some_and(|stop| stop()) {
            return;
        }
        sleep(STOP_CHECK_MS).await;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_needs_the_role_of_what_it_does() {
        let base = "https://spaces.nexudus.com/api/spaces/accesstokens";
        for (verb, url, role) in [
            (
                Verb::Get,
                format!("{base}?page=1&size=25"),
                "AccessToken-List",
            ),
            (Verb::Get, format!("{base}?Id=[1,2]"), "AccessToken-List"),
            (Verb::Get, format!("{base}/commands"), "AccessToken-List"),
            (Verb::Get, format!("{base}/1401"), "AccessToken-Read"),
            (Verb::Post, base.to_owned(), "AccessToken-Create"),
            (Verb::Post, format!("{base}/runcommand"), "AccessToken-Edit"),
            (Verb::Put, base.to_owned(), "AccessToken-Edit"),
            (Verb::Delete, format!("{base}/1401"), "AccessToken-Delete"),
        ] {
            assert_eq!(role_for(verb, &url), role, "{verb:?} {url}");
        }
    }
}
