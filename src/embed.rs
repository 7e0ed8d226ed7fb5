//! Embedding: `mount(element, options)` for a host page, and the `<wifi-desk>` custom element that
//! calls it. The widget draws inside a shadow root with its own stylesheet, so the host page's CSS
//! and the widget's cannot change each other, and it tells the page what happened with DOM events.
//! Nothing here is inline script or style: it works under a strict Content Security Policy.

use std::any::Any;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

use crate::api::{Auth, Client};
use leptos::prelude::{ArcRwSignal, Set, WithUntracked};

use crate::ui::{App, AppProps, Given, HostEvent, Options};

#[wasm_bindgen(inline_js = r#"
const ATTRIBUTES = ['api-base', 'business-id', 'mode', 'booking-guid', 'visitor-guid', 'token-id',
    'ssid', 'security', 'wifi-password', 'hidden-ssid', 'qr', 'portal-url', 'code-style', 'validity', 'roles',
    'theme', 'lang', 'remember', 'time-zone', 'shortcuts', 'auth', 'stylesheet'];

export function defineElement(mount, stylesheet) {
    if (customElements.get('wifi-desk')) {
        return;
    }
    customElements.define('wifi-desk', class extends HTMLElement {
        #token = null;
        #getToken = null;
        static get observedAttributes() { return ATTRIBUTES; }
        // Credentials come as properties, never attributes, so they are not in the DOM. Setting
        // one, before or after the element is on the page, signs the widget in (or out).
        get token() { return this.#token; }
        set token(value) {
            if (value !== this.#token) { this.#token = value; this.attributeChangedCallback(); }
        }
        get getToken() { return this.#getToken; }
        set getToken(value) {
            if (value !== this.#getToken) { this.#getToken = value; this.attributeChangedCallback(); }
        }
        options() {
            const options = { stylesheet };
            for (const name of ATTRIBUTES) {
                if (this.hasAttribute(name)) { options[name] = this.getAttribute(name); }
            }
            if (this.#token) { options.token = this.#token; }
            if (this.#getToken) { options.getToken = this.#getToken; }
            return options;
        }
        connectedCallback() {
            // A property set on the element before this class was defined shadows the accessor.
            for (const name of ['token', 'getToken']) {
                if (Object.prototype.hasOwnProperty.call(this, name)) {
                    const value = this[name];
                    delete this[name];
                    this[name] = value;
                }
            }
            if (!this.handle) { this.handle = mount(this, this.options()); }
        }
        disconnectedCallback() {
            // Moved, not removed (taken out and put back by the same piece of script, before its
            // microtasks run, as a page reordering its content does): the widget stays as it is,
            // signed in, with its work.
            queueMicrotask(() => {
                if (!this.isConnected && this.handle) { this.handle.unmount(); this.handle = null; }
            });
        }
        attributeChangedCallback() {
            if (this.handle) { this.handle.update(this.options()); }
        }
    });
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = defineElement)]
    fn define_element_js(mount: &JsValue, stylesheet: Option<String>);
}

/// Defines the `<wifi-desk>` custom element, whose attributes are [`mount`]'s options
/// (`api-base`, `business-id`, `mode`, …) and whose `token` or `getToken` property gives it
/// credentials. `stylesheet` is the URL of the widget's CSS, loaded into each element's shadow root.
#[wasm_bindgen(js_name = defineElement)]
pub fn define_element(stylesheet: Option<String>) {
    let mount =
        Closure::<dyn Fn(HtmlElement, JsValue) -> JsValue>::new(|host, options| {
            match mount(host, options) {
                Ok(handle) => JsValue::from(handle),
                Err(e) => wasm_bindgen::throw_val(e.into()),
            }
        });
    define_element_js(mount.as_ref(), stylesheet);
    // The element class calls it for as long as the page lives.
    mount.forget();
}

/// A mounted widget: [`MountHandle::unmount`] takes it away, [`MountHandle::update`] changes its
/// options.
#[wasm_bindgen]
pub struct MountHandle {
    mounted: Option<Mounted>,
}

struct Mounted {
    /// The page's element the widget was mounted on, where its events are dispatched.
    host: HtmlElement,
    /// The element whose shadow root holds the widget: the host itself for `<wifi-desk>`, else a
    /// wrapper added to it.
    shadow_host: HtmlElement,
    root: ShadowRoot,
    /// Leptos's handle on the mounted view; dropping it cleans the view up and aborts its requests.
    view: Box<dyn Any>,
    client: Client,
    signed_in: bool,
    options: Options,
    stylesheet: Option<String>,
    /// The stylesheet's `<link>` in the shadow root, once drawn.
    link: Option<web_sys::Element>,
    /// Waiting on `link` for a new stylesheet to load, to tell the page `ready`.
    styled: Option<(js_sys::Function, gloo_timers::callback::Timeout)>,
    /// What the drawn widget follows when the host page changes its options or credentials.
    given: ArcRwSignal<Given>,
    /// The `token`, `getToken` and `auth` last given, as given, to tell when they change.
    credentials: [JsValue; 3],
    /// The API before the last change of `api-base`, its client, and whether the page's
    /// credentials were that client's.
    earlier: Option<(String, Client, bool)>,
}

/// Mounts the widget in `host` with `options` (a plain object: the attribute names of
/// `<wifi-desk>`, or their camelCase, plus `token`, `getToken`, `auth: "proxy"` and `stylesheet`).
/// Several widgets on one page share nothing.
#[wasm_bindgen]
pub fn mount(host: HtmlElement, options: JsValue) -> Result<MountHandle, JsError> {
    let read = Settings(options);
    let options = Options::from_settings(|name| read.text(name));
    let client = options.client();
    let signed_in = read.give_auth(&client);
    let stylesheet = read.text("stylesheet");
    let document = host
        .owner_document()
        .ok_or_else(|| JsError::new("the element is not in a document"))?;
    let shadow_host = if host.tag_name().eq_ignore_ascii_case("wifi-desk") {
        host.clone()
    } else {
        let wrapper: HtmlElement = document
            .create_element("div")
            .map_err(|_| JsError::new("could not create the widget's element"))?
            .unchecked_into();
        let _ = wrapper.set_attribute("data-wifi-desk", "");
        host.append_child(&wrapper)
            .map_err(|_| JsError::new("could not add the widget to the element"))?;
        wrapper
    };
    let root = match shadow_host.shadow_root() {
        Some(root) => root,
        None => shadow_host
            .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
            .map_err(|_| JsError::new("the element cannot hold a shadow root"))?,
    };
    let mut mounted = Mounted {
        host,
        shadow_host,
        root,
        view: Box::new(()),
        given: ArcRwSignal::new(Given {
            options: options.clone(),
            client: client.clone(),
            by_host: signed_in,
            credentials: 0,
        }),
        credentials: read.credentials(),
        earlier: None,
        styled: None,
        client,
        signed_in,
        options,
        stylesheet,
        link: None,
    };
    mounted.draw()?;
    Ok(MountHandle {
        mounted: Some(mounted),
    })
}

#[wasm_bindgen]
impl MountHandle {
    /// Removes everything the widget added to the page and cancels its requests.
    pub fn unmount(&mut self) {
        if let Some(mut mounted) = self.mounted.take() {
            mounted.clear();
            if mounted.shadow_host != mounted.host {
                mounted.shadow_host.remove();
            }
        }
    }

    /// Gives the widget new options or credentials. It stays signed in while the API is the same,
    /// and is drawn again only when it is to show or do something else (see [`App`]'s `given`).
    pub fn update(&mut self, options: JsValue) -> Result<(), JsError> {
        let Some(mounted) = self.mounted.as_mut() else {
            return Err(JsError::new("the widget is not mounted"));
        };
        let read = Settings(options);
        let options = Options::from_settings(|name| read.text(name));
        let moved = options.api_base != mounted.options.api_base;
        if moved {
            // Back to the API before (perhaps before the widget took the change up): its client,
            // without the page's credentials it held then (the page gives its own again below).
            let back = mounted
                .earlier
                .take()
                .filter(|(base, ..)| *base == options.api_base)
                .map(|(_, client, by_host)| {
                    if by_host {
                        client.sign_out();
                    }
                    client
                });
            let next = back.unwrap_or_else(|| options.client());
            let left = std::mem::replace(&mut mounted.client, next);
            mounted.earlier = Some((mounted.options.api_base.clone(), left, mounted.signed_in));
            mounted.signed_in = false;
        }
        let credentials = read.credentials();
        let renewed = credentials
            .iter()
            .zip(&mounted.credentials)
            .any(|(now, before)| !js_sys::Object::is(now, before));
        mounted.credentials = credentials;
        // Credentials go to the client only when the page gives others (or for another API): an
        // attribute change does not put the page's token back over a session staff signed in to
        // since. Taken away, the widget signs out of them (`App`), unless staff signed in since.
        if renewed || moved {
            mounted.signed_in = read.give_auth(&mounted.client);
        }
        let by_host = mounted.signed_in;
        mounted.options = options.clone();
        if let Some(url) = read.text("stylesheet") {
            if mounted.stylesheet.as_ref() != Some(&url) {
                mounted.style_with(&url)?;
                mounted.ready_when_styled();
            }
            mounted.stylesheet = Some(url);
        }
        let count = mounted.given.with_untracked(|g| g.credentials) + u32::from(renewed);
        mounted.given.set(Given {
            options,
            client: mounted.client.clone(),
            by_host,
            credentials: count,
        });
        Ok(())
    }
}

impl Mounted {
    /// Fills the shadow root: the stylesheet, then the widget.
    fn draw(&mut self) -> Result<(), JsError> {
        let document = self
            .host
            .owner_document()
            .ok_or_else(|| JsError::new("the element is not in a document"))?;
        let fail = |_| JsError::new("could not draw the widget");
        if let Some(url) = self.stylesheet.clone() {
            self.style_with(&url)?;
        }
        let container: HtmlElement = document
            .create_element("div")
            .map_err(fail)?
            .unchecked_into();
        self.root.append_child(&container).map_err(fail)?;
        // Drawn before its stylesheet has loaded, the widget would show unstyled for a moment, and
        // a page told `ready` would measure or reveal it so: it stays hidden, and the page is told
        // once it is styled (`ready_when_styled`), not by the view.
        let ready_once_styled = self.link.is_some();
        container.set_hidden(ready_once_styled);
        let options = self.options.clone();
        // The widget's own client, signed in or not, kept while the API stays the same.
        let client = Some(self.client.clone());
        let signed_in_by_host = self.signed_in;
        let host: web_sys::EventTarget = self.host.clone().into();
        let given = self.given.read_only();
        self.view = Box::new(leptos::mount::mount_to(container, move || {
            App(AppProps {
                options,
                client,
                signed_in_by_host,
                host: Some(host),
                given: Some(given),
                ready_once_styled,
            })
        }));
        if ready_once_styled {
            self.ready_when_styled();
        }
        Ok(())
    }

    /// Points the shadow root's stylesheet at `url`, adding its `<link>` first in the root if there
    /// is none yet.
    fn style_with(&mut self, url: &str) -> Result<(), JsError> {
        let fail = |_| JsError::new("could not load the widget's stylesheet");
        let link = match &self.link {
            Some(link) => link.clone(),
            None => {
                let link = self
                    .host
                    .owner_document()
                    .ok_or_else(|| JsError::new("the element is not in a document"))?
                    .create_element("link")
                    .map_err(fail)?;
                link.set_attribute("rel", "stylesheet").map_err(fail)?;
                self.root
                    .insert_before(&link, self.root.first_child().as_ref())
                    .map_err(fail)?;
                self.link = Some(link.clone());
                link
            }
        };
        link.set_attribute("href", url).map_err(fail)
    }

    /// Once the stylesheet just linked has loaded (or failed to, or kept the widget waiting
    /// [`STYLE_WAIT_MS`]), shows the widget if it was hidden until then (first drawn) and tells
    /// the page `ready`: the widget is on screen as styled, and no view tells a stylesheet alone.
    fn ready_when_styled(&mut self) {
        self.stop_waiting_for_style();
        let Some(link) = self.link.clone() else {
            return;
        };
        let (host, root) = (self.host.clone(), self.root.clone());
        // Whichever comes first; the others, should they come later, are not told again.
        let mut pending = true;
        let told = Closure::<dyn FnMut()>::new(move || {
            if std::mem::take(&mut pending) {
                if let Some(widget) = root.last_element_child() {
                    let _ = widget.remove_attribute("hidden");
                }
                HostEvent::Ready.dispatch(&host);
            }
        })
        .into_js_value();
        let told: js_sys::Function = told.unchecked_into();
        for kind in ["load", "error"] {
            let _ = link.add_event_listener_with_callback(kind, &told);
        }
        let late = told.clone();
        let deadline = gloo_timers::callback::Timeout::new(STYLE_WAIT_MS, move || {
            let _ = late.call0(&JsValue::NULL);
        });
        self.styled = Some((told, deadline));
    }

    /// Stops waiting for a stylesheet: another replaced it, or the widget goes. Dropping the
    /// deadline cancels it.
    fn stop_waiting_for_style(&mut self) {
        if let (Some(link), Some((told, _deadline))) = (&self.link, self.styled.take()) {
            for kind in ["load", "error"] {
                let _ = link.remove_event_listener_with_callback(kind, &told);
            }
        }
    }

    /// Takes the widget out of its shadow root, cleaning up its view and requests.
    fn clear(&mut self) {
        self.stop_waiting_for_style();
        // Dropping Leptos's handle unmounts the view; its cleanups abort its requests.
        self.view = Box::new(());
        self.link = None;
        while let Some(child) = self.root.first_child() {
            let _ = self.root.remove_child(&child);
        }
    }
}

/// How long a widget waits for its stylesheet before it shows, and is told, unstyled.
const STYLE_WAIT_MS: u32 = 3_000;

/// `mount`'s options object, read by attribute name or its camelCase.
struct Settings(JsValue);

impl Settings {
    fn get(&self, name: &str) -> Option<JsValue> {
        let camel: String = name
            .split('-')
            .enumerate()
            .map(|(i, part)| {
                let mut chars = part.chars();
                match (i, chars.next()) {
                    (0, _) | (_, None) => part.to_owned(),
                    (_, Some(first)) => std::iter::once(first.to_ascii_uppercase())
                        .chain(chars)
                        .collect(),
                }
            })
            .collect();
        let found = [name, camel.as_str()].into_iter().find_map(|key| {
            js_sys::Reflect::get(&self.0, &key.into())
                .ok()
                .filter(|v| !v.is_undefined() && !v.is_null())
        });
        found
    }

    /// The credentials given, as they apply: `token`, `getToken` and `auth` (undefined when
    /// absent); with `auth: "proxy"` that alone, so a page renewing a token its proxy does not
    /// need changes nothing.
    fn credentials(&self) -> [JsValue; 3] {
        if self.proxied() {
            return [JsValue::UNDEFINED, JsValue::UNDEFINED, "proxy".into()];
        }
        ["token", "getToken", "auth"].map(|name| self.get(name).unwrap_or(JsValue::UNDEFINED))
    }

    /// Whether the page's own server adds the credentials (`auth: "proxy"`).
    fn proxied(&self) -> bool {
        self.text("auth")
            .is_some_and(|auth| auth.trim().eq_ignore_ascii_case("proxy"))
    }

    /// A setting as text: strings as they are, numbers and booleans written out.
    fn text(&self, name: &str) -> Option<String> {
        let value = self.get(name)?;
        value
            .as_string()
            .or_else(|| value.as_f64().map(|n| n.to_string()))
            .or_else(|| value.as_bool().map(|b| b.to_string()))
    }

    /// Gives `client` the credentials the host page passed, if any; whether it is then signed in.
    /// `auth: "proxy"` means the page's own server adds them, so none are sent from here: not a
    /// token the page gave before, nor one it still gives beside it.
    fn give_auth(&self, client: &Client) -> bool {
        if self.proxied() {
            client.set_auth(Auth::None);
            true
        } else if let Some(callback) = self
            .get("getToken")
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        {
            client.set_auth(Auth::Callback(callback));
            true
        } else if let Some(token) = self.text("token").filter(|t| !t.trim().is_empty()) {
            client.set_auth(Auth::Bearer(token));
            true
        } else {
            false
        }
    }
}
