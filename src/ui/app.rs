//! The whole widget: sign-in (unless the host page signs it in), then what it is for: the console,
//! one booking's code, or one code for its visitor.

use std::time::Duration;

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

#[cfg(feature = "console")]
use super::Console;
use super::{BookingView, ClientContext, HostEvent, Mode, Options, SignIn, Theme, VisitorView};
use crate::api::Client;

/// What a host page gives the widget, which it may change while the widget is on its page.
#[derive(Clone)]
pub struct Given {
    /// The options, from the element's attributes.
    pub options: Options,
    /// The client for their API: the same one for as long as the API stays the same.
    pub client: Client,
    /// Whether the host page gave `client` its credentials.
    pub by_host: bool,
    /// Counts the times the host page gave other credentials (a token, a callback).
    pub credentials: u32,
}

/// What a build without the console says where the console was asked for.
#[cfg(not(feature = "console"))]
const CONSOLE_LEFT_OUT: &str = "This is the booking portal's build of wifi-desk: it has the \
    booking and visitor modes only. Load the full build for the reception console.";

/// What the widget says when the page asks for a mode it does not have.
const UNKNOWN_MODE: &str = "This page asks for a kind of wifi-desk there is not: its mode must be \
    console, booking or visitor. Tell whoever runs the page.";

/// Where an opted-in token is kept for the tab, one per API; `what` is `token`, or `account` for
/// the email it was signed in with, so the widget drawn again says whose it is.
fn storage_key(what: &str, api: &str) -> String {
    format!("wifi-desk:{what}:{api}")
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// Forgets the token kept for the tab for the API at `api`, if any; with `only`, only while
/// that token is the one kept (another widget on the page may have kept its own since).
fn forget_kept(api: &str, only: Option<&str>) {
    let Some(storage) = session_storage() else {
        return;
    };
    let kept = storage.get_item(&storage_key("token", api)).ok().flatten();
    if only.is_some_and(|only| kept.as_deref() != Some(only)) {
        return;
    }
    for what in ["token", "account"] {
        let _ = storage.remove_item(&storage_key(what, api));
    }
}

/// Signs `client` in with a token kept for the tab, when the options keep one and the client has
/// no credentials yet, as the account it was kept for; the token, if it did. Not over the page's
/// own credentials, a proxy's (`auth="proxy"`, which leaves the client none) among them.
fn restore(client: &Client, options: &Options, by_host: bool) -> Option<String> {
    if !options.remember || by_host || client.has_credentials() {
        return None;
    }
    let storage = session_storage()?;
    let kept = |what| {
        storage
            .get_item(&storage_key(what, &options.api_base))
            .ok()
            .flatten()
    };
    let token = kept("token")?;
    client.resume(token.clone(), kept("account"));
    Some(token)
}

/// Whether the page opts in to keeping the token for the tab now (a change that waits has not
/// reached the options yet), and the tokens this widget kept or took up, by API: all forgotten
/// when the page takes `remember` away, not only the one for the API it is on; each only while
/// it is still the one kept, as another widget on the page may keep its own for the same API.
struct Kept {
    on: bool,
    tokens: Vec<(String, String)>,
}

impl Kept {
    fn note(&mut self, api: &str, token: String) {
        self.tokens.retain(|(a, _)| a != api);
        self.tokens.push((api.to_owned(), token));
    }
}

/// The first heading drawn to take the focus, or else the first control, in what the widget
/// shows (not the form taking an ended session up again, nor the bar of who is signed in).
fn first_control(root: web_sys::HtmlDivElement) -> Option<web_sys::Element> {
    let found = root
        .query_selector_all(
            "h2[tabindex='-1'], input:not([type=hidden]), select, textarea, button:not(:disabled), a[href]",
        )
        .ok()?;
    let found: Vec<web_sys::Element> = (0..found.length())
        .filter_map(|i| found.item(i)?.dyn_into().ok())
        .filter(|e: &web_sys::Element| e.closest(".wd-again, .wd-bar").ok().flatten().is_none())
        .collect();
    found
        .iter()
        .find(|e| e.tag_name().eq_ignore_ascii_case("h2"))
        .or(found.first())
        .cloned()
}

/// What the widget calls credentials the host page gave without saying whose they are.
const PAGE_ACCOUNT: &str = "this page's account";

/// Follows what the host page gives: credentials, the theme, the language and the roles apply as
/// the widget stands; a change that draws it again waits while it is in use
/// ([`ClientContext::in_use`]). The page is told `ready` once a change is on it; not for what
/// changes nothing, or a page that sets its attributes again when told would be told for ever.
fn follow(
    given: ArcReadSignal<Given>,
    desk: ClientContext,
    signed_in_as: RwSignal<Option<String>>,
    by_host: RwSignal<bool>,
    drawing: RwSignal<u32>,
    kept: StoredValue<Kept, LocalStorage>,
) {
    // Each run hands the next what the page had given: its credentials' count, and whether it
    // gave them (`by_host` is whether the client holds them now: staff may have signed in with
    // their own since).
    let first = given.with_untracked(|g| (g.credentials, g.by_host));
    Effect::new(move |last: Option<(u32, bool)>| {
        let (credentials, gave) = last.unwrap_or(first);
        let next = given.get();
        let mut options = desk.options();
        let new_client = !desk.client().same(&next.client);
        let redraw = new_client || options.redraws(&next.options);
        // Only a change that waits watches whether the widget is in use, so its comings and
        // goings do not run this again otherwise.
        let wait = redraw && untrack(move || desk.in_use());
        if wait {
            desk.in_use();
        }
        let mut changed = false;
        let renewed = next.credentials != credentials;
        if renewed {
            // New credentials (a renewed token): a refusal of the old ones no longer holds.
            desk.refusal_forgotten();
            changed = true;
        }
        if new_client && !wait {
            // Another API: what the last one refused or said of the account is not this one's.
            if let Some(token) = restore(&next.client, &next.options, next.by_host) {
                kept.update_value(|k| k.note(&next.options.api_base, token));
            }
            let signed_in = next.by_host || next.client.has_credentials();
            desk.set_client(next.client.clone());
            desk.signed_in();
            by_host.set(next.by_host);
            signed_in_as.set(
                next.client
                    .account()
                    .or_else(|| signed_in.then(|| PAGE_ACCOUNT.to_owned())),
            );
            changed = true;
        } else if !new_client {
            if next.by_host && (renewed || !gave) && !by_host.get_untracked() {
                // The page signs the widget in, over whoever was: its credentials now.
                by_host.set(true);
                signed_in_as.set(Some(
                    desk.client()
                        .account()
                        .unwrap_or_else(|| PAGE_ACCOUNT.to_owned()),
                ));
                changed = true;
            } else if !next.by_host && gave && by_host.get_untracked() {
                // The page took its credentials away.
                desk.client().sign_out();
                by_host.set(false);
                signed_in_as.set(None);
                changed = true;
            }
        }
        if options.apply_in_place(&next.options) {
            changed = true;
        }
        let was = kept.with_value(|k| k.on);
        kept.update_value(|k| k.on = next.options.remember);
        if was && !next.options.remember {
            // The page no longer opts in: the token lives in memory only from now on, even while
            // the change waits to be drawn; so does one kept for an API the widget was on before.
            let tokens = kept.try_update_value(|k| std::mem::take(&mut k.tokens));
            for (api, token) in tokens.unwrap_or_default() {
                forget_kept(&api, Some(&token));
            }
        }
        if redraw && !wait {
            desk.set_options(next.options);
            drawing.update(|n| *n += 1);
            changed = true;
        } else if changed {
            desk.set_options(options);
        }
        if changed {
            // After the views have followed the change.
            set_timeout(move || desk.tell(HostEvent::Ready), Duration::ZERO);
        }
        // A client change still waiting has not taken up what the page gave with it.
        (
            next.credentials,
            if new_client && wait {
                gave
            } else {
                next.by_host
            },
        )
    });
}

/// The widget: asks staff to sign in, then shows what the options say it is for.
#[component]
pub fn App(
    /// Where the API is and how the desk works.
    options: Options,
    /// The client to use; without one the widget makes its own from the options. It starts
    /// signed in when the client signed in with an email already (the widget drawn again after
    /// staff signed in with it) or the host page gave it credentials; otherwise staff sign in.
    #[prop(optional)]
    client: Option<Client>,
    /// Whether the host page gave `client` its credentials (a token, a callback, or a proxy that
    /// adds them).
    #[prop(optional)]
    signed_in_by_host: bool,
    /// The element to tell what happens, as DOM events.
    #[prop(optional)]
    host: Option<web_sys::EventTarget>,
    /// What the host page gives the widget from now on, starting with `options`, `client` and
    /// `signed_in_by_host`. The theme, the language, the roles and the credentials apply as the
    /// widget stands (a page that renews its token every hour interrupts nothing); other changes
    /// draw it again, but not over a console away from its list (a form being filled in, a batch
    /// running): they wait until it is back there.
    #[prop(optional)]
    given: Option<ArcReadSignal<Given>>,
    /// Whether the page is told `ready` first by whoever draws the widget, once its stylesheet
    /// has loaded ([`crate::embed`]), not as soon as it is drawn.
    #[prop(optional)]
    ready_once_styled: bool,
) -> impl IntoView {
    let client = client.unwrap_or_else(|| options.client());
    let restored = restore(&client, &options, signed_in_by_host);
    let kept = StoredValue::new_local(Kept {
        on: options.remember,
        tokens: restored
            .map(|token| (options.api_base.clone(), token))
            .into_iter()
            .collect(),
    });
    let account = client.account();
    let has_credentials = client.has_credentials();
    ClientContext::provide_for_host(client, options, host);
    let desk = ClientContext::handle();
    // Credentials the client already holds (the host's, or a token kept for the tab and restored
    // when the widget was first drawn) sign it in as well.
    let signed_in_as = RwSignal::new(
        account.or_else(|| (signed_in_by_host || has_credentials).then(|| PAGE_ACCOUNT.to_owned())),
    );
    // Bumped when the host page's change needs the widget drawn again.
    let drawing = RwSignal::new(0_u32);
    // Whether the credentials are the host page's, which only it can renew.
    let by_host = RwSignal::new(signed_in_by_host);
    if let Some(given) = given {
        follow(given, desk, signed_in_as, by_host, drawing, kept);
    }
    // The element focused before a session ended, given the focus back once it is taken up again.
    let focus_before = StoredValue::new_local(None::<web_sys::Element>);
    let root = NodeRef::<html::Div>::new();
    let on_signed_in = Callback::new(move |email: String| {
        by_host.set(false);
        // The form goes. Taking an ended session up again, the focus goes back where it was
        // or, when nothing there is focused any more (the session ended before staff used the
        // widget), to the first control on screen; signing in, to the first control of what
        // appears, unless it took the focus itself: never to the page's body.
        let again = untrack(|| desk.refused());
        let before = again
            .then(|| focus_before.get_value())
            .flatten()
            .filter(|e| e.is_connected());
        set_timeout(
            move || {
                // `try_`: the host page may have taken the widget away since.
                let Some(drawn) = root.try_get_untracked().flatten() else {
                    return;
                };
                // Only when the focus went with the form, to the page's body: not when what
                // appeared took it, nor when staff went on to the host page meanwhile.
                let document = drawn.owner_document();
                let body = document.as_ref().and_then(|d| d.body());
                let lost = (document.as_ref().and_then(|d| d.active_element()))
                    .is_none_or(|f| f.is_same_node(body.as_ref().map(|b| b.as_ref())));
                if !lost || !(again || desk.may_focus()) {
                    return;
                }
                let target = before.or_else(|| first_control(drawn));
                if let Some(target) = target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = target.focus();
                }
            },
            Duration::ZERO,
        );
        let options = desk.options();
        if kept.with_value(|k| k.on) {
            if let (Some(storage), Some(token)) = (session_storage(), desk.client().bearer_token())
            {
                let _ = storage.set_item(&storage_key("token", &options.api_base), &token);
                let _ = storage.set_item(&storage_key("account", &options.api_base), &email);
                kept.update_value(|k| k.note(&options.api_base, token));
            }
        }
        desk.signed_in();
        desk.tell(HostEvent::SignedIn {
            email: Some(email.clone()),
        });
        // The same account again (its session had ended) carries on with what is on screen.
        if signed_in_as.with_untracked(|now| now.as_ref() != Some(&email)) {
            signed_in_as.set(Some(email));
        }
    });
    // A session of the widget's own that the server ended is taken up again over what is on
    // screen, so nothing typed or shown is lost to it.
    let session_ended =
        move || desk.refused() && !by_host.get() && signed_in_as.with(Option::is_some);
    // The host page's credentials only it can renew: the widget says so, and the page hears it
    // as a `signed-out` error event.
    let host_refused = move || desk.refused() && by_host.get();
    // Only the console offers signing out.
    #[cfg(feature = "console")]
    let on_sign_out = Callback::new(move |()| {
        desk.client().sign_out();
        // Whoever signs in next starts afresh: no refusal of the credentials just let go, and
        // the page's only if it gives them again.
        desk.refusal_forgotten();
        by_host.set(false);
        forget_kept(&desk.options().api_base, None);
        signed_in_as.set(None);
    });
    if !ready_once_styled {
        Effect::new(move |_| desk.tell(HostEvent::Ready));
    }
    // Signed in or not, and as whom: another account taking up an ended session changes the name
    // shown, not what is on screen.
    let signed_in = Memo::new(move |_| signed_in_as.with(Option::is_some));
    #[cfg(feature = "console")]
    let email = Signal::derive(move || signed_in_as.get().unwrap_or_default());
    // Embedded, the widget sits under the host page's own headings: it starts at level 2.
    let title = (!desk.embedded()).then(|| {
        view! {
            <header class="wd-header">
                <h1 class="wd-title">"WiFi access codes"</h1>
            </header>
        }
    });
    view! {
        <div class="wifi-desk" part="widget" node_ref=root
            lang=move || desk.options_with(|o| o.text_lang().to_owned())
            // English, left to right, on a right-to-left page too.
            dir="ltr"
            data-theme=move || desk.options_with(|o| o.theme.map(Theme::as_str))
            on:pointerdown=move |_| desk.used() on:keydown=move |_| desk.used()
            on:focusin=move |ev| {
                let focused = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
                if let Some(focused) = focused.filter(|f| f.closest(".wd-again").ok().flatten().is_none()) {
                    focus_before.set_value(Some(focused));
                }
            }>
            {title}
            <Show when=session_ended>
                <div class="wd-again">
                    <SignIn on_signed_in again=true />
                </div>
            </Show>
            <Show when=host_refused>
                <p class="wd-error" role="alert">"The server did not accept this page's sign-in, \
                    so codes cannot be shown or changed here. Reload the page, and if it happens \
                    again, tell whoever runs it."</p>
            </Show>
            {move || match (signed_in.get(), drawing.with(|_| desk.options().mode)) {
                (_, Mode::Unknown) => view! {
                    <p class="wd-error" role="alert">{UNKNOWN_MODE}</p>
                }.into_any(),
                #[cfg(not(feature = "console"))]
                (_, Mode::Console) => view! {
                    <p class="wd-error" role="alert">{CONSOLE_LEFT_OUT}</p>
                }.into_any(),
                (false, _) => view! { <SignIn on_signed_in /> }.into_any(),
                #[cfg(feature = "console")]
                (true, Mode::Console) => view! { <Console email on_sign_out /> }.into_any(),
                (true, Mode::Booking) => view! { <BookingView /> }.into_any(),
                (true, Mode::Visitor) => view! { <VisitorView /> }.into_any(),
            }}
            // After the view, so each view's own status region comes first.
            <p class="wd-message wd-slowed" role="status" aria-live="polite">{move || desk.slowed()}</p>
        </div>
    }
}
