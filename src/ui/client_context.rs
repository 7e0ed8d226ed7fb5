//! The widget's one [`Client`] and its [`Options`], handed to components through context.

use std::rc::Rc;

use chrono::NaiveDateTime;
use leptos::prelude::*;

use super::clock::{self, Zone};
use super::{HostEvent, Options};
use crate::api::{Client, Told};
use crate::domain::validity::Preset;

/// A `Copy` handle on the widget's client and options, so closures in views can reach them.
#[derive(Clone, Copy)]
pub struct ClientContext {
    /// Replaced only when the host page points the widget at another API.
    client: StoredValue<Client, LocalStorage>,
    /// The host page may change them while the widget is drawn (see [`crate::ui::Given`]).
    options: RwSignal<Options>,
    /// The time zone the options name, whose wall clock [`Self::now`] reads.
    zone: StoredValue<TimeZone, LocalStorage>,
    /// Whether the console shows something other than its list (a form being filled in, a code,
    /// a batch, a sheet of vouchers), which drawing the widget again would lose.
    away: RwSignal<bool>,
    /// What parts of the widget say about holding work that drawing it again would lose or cut
    /// short (a command on many codes running, a sign-in being typed, a booking's code being
    /// issued), by id, and whether it is a request leaving the view would cut off
    /// ([`Self::holding`]); asked at the moment a change would draw it again.
    holds: StoredValue<Vec<(u32, bool, Hold)>, LocalStorage>,
    /// Bumped when a part starts or stops saying so, for whoever waits on [`Self::in_use`].
    held: RwSignal<u32>,
    /// Roles the server said the account lacks (from 403 answers), so their actions are disabled
    /// with the reason instead of failing again.
    missing_roles: RwSignal<Vec<String>>,
    /// Whether the server refused the credentials (401) since the last sign-in: a session ended.
    refused: RwSignal<bool>,
    /// While a block of 409s holds requests back, the sentence that says so ([`Self::slowed`]).
    slowed: RwSignal<Option<String>>,
    /// The id of the listener keeping `refused` up to date on `client`.
    listener: StoredValue<u32>,
    /// The element the widget is embedded in, told what happens; none on a page of its own.
    host: StoredValue<Option<web_sys::EventTarget>, LocalStorage>,
    /// Whether the widget may move the focus: on a page of its own always; embedded in someone
    /// else's page only once the reader has used it, so loading the page never jumps to it.
    may_focus: StoredValue<bool>,
    /// Bumped each time the page is shown again (its tab brought back, the device woken): a
    /// timer may have slept with the device, and every clock reads the time afresh.
    shown: RwSignal<u32>,
}

/// A part's say in whether the widget is in use ([`ClientContext::hold_while`]).
type Hold = Rc<dyn Fn() -> bool>;

/// Keeps `refused` to what the server last said of `client`'s credentials: a refusal sets it, and
/// a success clears it (a page's token callback that recovered, a proxy that signs in again).
/// Keeps `slowed` saying why nothing happens while 409s hold requests back for seconds: the first
/// 409, a second's wait, passes unsaid. Returns the listener's id on the client.
fn hear(client: &Client, refused: RwSignal<bool>, slowed: RwSignal<Option<String>>) -> u32 {
    client.listen(move |told| match told {
        Told::Taken(taken) => {
            if refused.try_get_untracked() == Some(taken) {
                refused.try_set(!taken);
            }
        }
        Told::Held(seconds) if seconds > 1 => {
            let said = format!(
                "Nexudus asked this desk to slow down (too many requests on this account). \
                 Trying again in {seconds} seconds."
            );
            slowed.try_set(Some(said.clone()));
            set_timeout(
                move || {
                    // Unless a later hold said more meanwhile.
                    if slowed.try_get_untracked().flatten().as_ref() == Some(&said) {
                        slowed.try_set(None);
                    }
                },
                std::time::Duration::from_secs(u64::from(seconds)),
            );
        }
        // Nothing held any more: the credentials changed.
        Told::Held(0) => {
            slowed.try_set(None);
        }
        Told::Held(_) => {}
    })
}

/// Bumps `shown` whenever the page is shown again after a while out of sight: its tab brought
/// back, or the device woken with the page in view, which a heartbeat tells by its timer firing
/// well after it was due (timers sleep with the device). Ended with its task, listener and all.
async fn woken(shown: RwSignal<u32>) {
    /// How often the heartbeat looks at the time, and how late it may be without a sleep.
    const BEAT_MS: u32 = 15_000;
    const LATE_MS: f64 = 10_000.0;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    // The last beat, or the last time the clocks were told to read the time: a tab brought back
    // is told by its event, and the beat held back while it was hidden, late, does not tell the
    // clocks again.
    let told = std::rc::Rc::new(std::cell::Cell::new(js_sys::Date::now()));
    let wake = {
        let (document, told) = (document.clone(), told.clone());
        move || {
            if !document.hidden() {
                told.set(js_sys::Date::now());
                shown.try_update(|n| *n = n.wrapping_add(1));
            }
        }
    };
    let _listening = super::tasks::Listening::new(&document, "visibilitychange", wake.clone());
    loop {
        gloo_timers::future::TimeoutFuture::new(BEAT_MS).await;
        let now = js_sys::Date::now();
        if now - told.get() > f64::from(BEAT_MS) + LATE_MS {
            wake();
        }
        told.set(now);
    }
}

/// Why a desk without a business cannot issue codes.
pub const NO_BUSINESS: &str = "This desk has no business set, so it cannot issue codes.";

/// Why actions are disabled, as one line everyone can read, not only in a tooltip: the reasons
/// [`ClientContext::lacks`] gives, those that apply.
pub fn reasons<const N: usize>(lacking: [Signal<Option<String>>; N]) -> impl Fn() -> String {
    move || {
        lacking
            .iter()
            .filter_map(|l| l.get())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl ClientContext {
    /// Makes `client` and `options` the ones the components below use.
    pub fn provide(client: Client, options: Options) {
        Self::provide_for_host(client, options, None);
    }

    /// Like [`Self::provide`], and what happens is told to `host` as DOM events.
    pub fn provide_for_host(client: Client, options: Options, host: Option<web_sys::EventTarget>) {
        let mut zone = TimeZone::default();
        zone.follow(&options);
        let refused = RwSignal::new(false);
        let slowed = RwSignal::new(None);
        // The client may outlive the widget and serve another: it stops telling this one when
        // it goes.
        let listener = StoredValue::new(hear(&client, refused, slowed));
        let client = StoredValue::new_local(client);
        on_cleanup(move || {
            if let (Some(id), Some(client)) = (listener.try_get_value(), client.try_get_value()) {
                client.forget_listener(id);
            }
        });
        let shown = RwSignal::new(0u32);
        super::Tasks::owned().spawn(woken(shown));
        provide_context(Self {
            shown,
            listener,
            client,
            options: RwSignal::new(options),
            zone: StoredValue::new_local(zone),
            away: RwSignal::new(false),
            holds: StoredValue::new_local(Vec::new()),
            held: RwSignal::new(0),
            missing_roles: RwSignal::new(Vec::new()),
            refused,
            slowed,
            may_focus: StoredValue::new(host.is_none()),
            host: StoredValue::new_local(host),
        });
    }

    /// Whether the widget is embedded in a host page.
    pub fn embedded(self) -> bool {
        self.host.with_value(Option::is_some)
    }

    /// The reader used the widget: from now on it moves the focus to what appears.
    pub fn used(self) {
        self.may_focus.set_value(true);
    }

    /// Whether the widget may move the focus now: never once it is gone (a frame may outlive it).
    pub fn may_focus(self) -> bool {
        self.may_focus.try_get_value().unwrap_or(false)
    }

    /// Tells the host page what happened, once the widget has done what follows from it: the
    /// page's listener may take the widget away (to show its own confirmation, say), and the
    /// widget's next step would then meet values that are gone.
    pub fn tell(self, event: HostEvent) {
        // Nothing to tell once the widget is gone (a timer may outlive it).
        if self.host.try_with_value(Option::is_some) == Some(true) {
            // Read again when it is sent: a listener may have taken the widget away meanwhile,
            // and the element may hold another widget by then, whose event this is not.
            queue_microtask(move || {
                if let Some(Some(host)) = self.host.try_with_value(Clone::clone) {
                    event.dispatch(&host);
                }
            });
        }
    }

    /// The handle provided by an enclosing [`crate::ui::App`].
    pub fn handle() -> Self {
        expect_context::<Self>()
    }

    /// The client behind a handle.
    pub fn client(self) -> Client {
        self.client.get_value()
    }

    /// Issues `token` through the client and tells the host page when it is issued. Whether the
    /// try may be repeated as it was (its outcome unknown) is the answer's to say
    /// ([`crate::api::ApiError::may_have_landed`]).
    pub async fn issue(self, token: &crate::api::AccessToken) -> Result<i64, crate::api::ApiError> {
        let result = self.client().create(token).await;
        if let Ok(id) = &result {
            self.tell(HostEvent::Issued {
                id: *id,
                code: token.access_code.clone(),
            });
        }
        result
    }

    /// Tells the host page about a failure, and remembers a role the server said is missing. (That
    /// it refused the credentials the client tells by itself: see `hear_refusals`.)
    pub fn learn(self, error: &crate::api::ApiError) {
        self.tell(HostEvent::Error {
            kind: error.kind(),
            message: error.to_string(),
        });
        if let crate::api::ApiError::MissingRole(role) = error {
            if role.starts_with("AccessToken-") {
                self.missing_roles.update(|roles| {
                    if !roles.contains(role) {
                        roles.push(role.clone());
                    }
                });
            }
        }
    }

    /// Someone signed in: roles the server refused the last account are that account's, not theirs.
    pub fn signed_in(self) {
        self.missing_roles.update(Vec::clear);
        self.refused.set(false);
    }

    /// Other credentials came: the server's refusal of the last ones no longer holds.
    pub fn refusal_forgotten(self) {
        self.refused.set(false);
    }

    /// Whether the server has refused the credentials since the last sign-in (its session ended).
    pub fn refused(self) -> bool {
        self.refused.get()
    }

    /// Runs `again` each time credentials are taken after a refusal (staff signed in again, the
    /// page gave new ones, its callback recovered), so what failed for the refusal (a list, a
    /// code's read) is asked for again instead of staying an error.
    pub fn when_taken_again(self, again: impl Fn() + 'static) {
        // One effect for every caller's closure, not one built per caller.
        self.when_taken_again_boxed(Box::new(again));
    }

    fn when_taken_again_boxed(self, again: Box<dyn Fn()>) {
        let refused = self.refused;
        Effect::new(move |was: Option<bool>| {
            let now = refused.get();
            if was == Some(true) && !now {
                untrack(&again);
            }
            now
        });
    }

    /// Why this desk may not issue codes at all, if it may not: the role it lacks, or no business
    /// to issue them for.
    pub fn cannot_issue(self) -> Signal<Option<String>> {
        let no_create = self.lacks("AccessToken-Create");
        let options = self.options;
        Signal::derive(move || {
            no_create.get().or_else(|| {
                options
                    .with(|o| o.business_id.is_none())
                    .then(|| NO_BUSINESS.to_owned())
            })
        })
    }

    /// Why an action needing `role` cannot be done, when the account lacks it: the host page
    /// said which roles it has and this is not one, or the server refused it before.
    pub fn lacks(self, role: &'static str) -> Signal<Option<String>> {
        let (roles, options) = (self.missing_roles, self.options);
        Signal::derive(move || {
            let undeclared = options.with(|o| {
                o.roles
                    .as_ref()
                    .is_some_and(|r| !r.iter().any(|d| d == role))
            });
            (undeclared || roles.with(|r| r.iter().any(|m| m == role)))
                .then(|| format!("Needs the {role} role, which this account does not have."))
        })
    }

    /// The options behind a handle, as they are now (a component reads them when it is drawn).
    pub fn options(self) -> Options {
        self.options.get_untracked()
    }

    /// Reads the options, and runs the reactive code doing so again when the host changes them.
    pub fn options_with<R>(self, read: impl FnOnce(&Options) -> R) -> R {
        self.options.with(read)
    }

    /// The host page changed the options.
    pub fn set_options(self, options: Options) {
        self.zone.update_value(|z| z.follow(&options));
        self.options.set(options);
    }

    /// Makes the reactive code running now run again when the page is shown again: its timers may
    /// have slept with the device, for hours.
    pub fn track_shown(self) {
        self.shown.track();
    }

    /// Now on the business's wall clock: in the time zone the options name, or the browser's.
    pub fn now(self) -> NaiveDateTime {
        self.zone
            .with_value(|z| clock::wall_clock_at(z.zone.as_deref(), js_sys::Date::now()))
    }

    /// Milliseconds until the business's wall clock reads `then`; see [`clock::real_wait`].
    pub fn real_wait(self, then: NaiveDateTime) -> f64 {
        self.zone
            .with_value(|z| clock::real_wait(z.zone.as_deref(), js_sys::Date::now(), then))
    }

    /// `hours` after `from` on the business's wall clock; see [`clock::hours_later`].
    pub fn hours_later(self, from: NaiveDateTime, hours: u32) -> NaiveDateTime {
        self.zone
            .with_value(|z| clock::hours_later(z.zone.as_deref(), js_sys::Date::now(), from, hours))
    }

    /// `preset`'s window from now on the business's wall clock; see [`clock::window`].
    pub fn window(self, preset: Preset) -> (NaiveDateTime, NaiveDateTime) {
        self.zone
            .with_value(|z| clock::window(z.zone.as_deref(), preset, js_sys::Date::now()))
    }

    /// While 409s hold the widget's requests back for seconds, a sentence that says so.
    pub fn slowed(self) -> Option<String> {
        self.slowed.get()
    }

    /// The host page pointed the widget at another API: this client is the one to use from now.
    pub fn set_client(self, client: Client) {
        self.client
            .with_value(|before| before.forget_listener(self.listener.get_value()));
        self.listener
            .set_value(hear(&client, self.refused, self.slowed));
        self.slowed.set(None);
        self.client.set_value(client);
    }

    /// Whether the console is away from its list; see [`Self::in_use`].
    pub fn away(self) -> RwSignal<bool> {
        self.away
    }

    /// Holds a host page's change that would draw the widget again while `busy` says so, and no
    /// longer once the component calling this goes away; see [`Self::in_use`].
    pub fn hold_while(self, busy: impl Fn() -> bool + 'static) {
        self.hold(false, Rc::new(busy));
    }

    /// Holds as [`Self::hold_while`] does, and holds the console in the calling view too while
    /// `busy` says a request of the view's is on its way: leaving it would cut that off, unseen.
    pub fn hold_view_while(self, busy: impl Fn() -> bool + 'static) {
        self.hold(true, Rc::new(busy));
    }

    fn hold(self, view: bool, busy: Hold) {
        let (holds, held) = (self.holds, self.held);
        let id = held.get_untracked();
        holds.update_value(|all| all.push((id, view, busy)));
        held.update(|n| *n += 1);
        on_cleanup(move || {
            holds.try_update_value(|all| all.retain(|(hold, ..)| *hold != id));
            held.try_update(|n| *n += 1);
        });
    }

    /// Whether drawing the widget again would lose something: the console is away from its list,
    /// or a part holds work ([`Self::hold_while`]). A host page's change that needs it waits;
    /// read in reactive code, it runs that again when the answer may change.
    pub fn in_use(self) -> bool {
        self.away.get() || self.held_by(false)
    }

    /// Whether a view holds a request on its way ([`Self::hold_view_while`]): a change, revoke or
    /// command that leaving the view would cut short. Reactive, as [`Self::in_use`].
    pub fn holding(self) -> bool {
        self.held_by(true)
    }

    /// Whether any hold says so, or only views' (`views`).
    fn held_by(self, views: bool) -> bool {
        self.held.track();
        // Copied out, so a part asked cannot find the list borrowed.
        let holds: Vec<Hold> = self.holds.with_value(|all| {
            all.iter()
                .filter(|(_, view, _)| *view || !views)
                .map(|(.., busy)| busy.clone())
                .collect()
        });
        holds.iter().any(|busy| busy())
    }
}

/// The time zone a widget's options name, as last asked: the name, and the zone read from it.
/// A name the browser does not know leaves the zone that was (the browser's clock at first), with
/// one warning in the console for whoever set the page up.
#[derive(Default)]
struct TimeZone {
    asked: Option<String>,
    zone: Option<Rc<Zone>>,
}

impl TimeZone {
    fn follow(&mut self, options: &Options) {
        if self.asked == options.time_zone {
            return;
        }
        self.asked.clone_from(&options.time_zone);
        match options.time_zone.as_deref().map(Zone::new) {
            None => self.zone = None,
            Some(Ok(zone)) => self.zone = Some(Rc::new(zone)),
            Some(Err(why)) => web_sys::console::warn_1(
                &format!("wifi-desk: time-zone: {why} It is not used.").into(),
            ),
        }
    }
}
