//! What the browser tests share: mounting the widget, finding things as a person does, waiting.

#![allow(dead_code)]

use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement};
use wifi_desk::api::Client;
use wifi_desk::ui::{App, AppProps, Options};

/// The sandbox the test command started; the fallback is its default address.
pub const SANDBOX: &str = match option_env!("WIFI_DESK_SANDBOX_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:18787",
};

pub fn api_base() -> String {
    format!("{SANDBOX}/api")
}

/// Mounts the widget in a fresh element of the page and returns that element.
pub fn mount(api_base: String) -> Element {
    mount_with(
        Options::new(api_base)
            .with_business(1001)
            .with_guest_network("Guest WiFi"),
    )
}

pub fn mount_with(options: Options) -> Element {
    mount_app(options, None, false)
}

/// Mounts the widget with a client the test signed in and keeps, as a host page that signs the
/// widget in does.
pub fn mount_signed_in(options: Options, client: Client) -> Element {
    mount_app(options, Some(client), true)
}

/// Mounts the widget with a client the test signed in with an email and keeps, as staff who signed
/// in with the widget's own form (the session is the widget's, not the host page's).
pub fn mount_with_session(options: Options, client: Client) -> Element {
    mount_app(options, Some(client), false)
}

fn mount_app(options: Options, client: Option<Client>, signed_in_by_host: bool) -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(host.clone().unchecked_into(), move || {
        App(AppProps {
            options,
            client,
            signed_in_by_host,
            host: None,
            given: None,
            ready_once_styled: false,
        })
    });
    handle.forget();
    host
}

/// Polls every 10 ms until `condition` holds, failing after 10 s with what was awaited and the text shown.
pub async fn wait_for(root: &Element, what: &str, condition: impl Fn(&Element) -> bool) {
    for _ in 0..1000 {
        if condition(root) {
            return;
        }
        TimeoutFuture::new(10).await;
    }
    panic!("waited 10 s for {what}; the widget shows: {:?}", text(root));
}

/// The element that has the focus, if any.
pub fn focused() -> Option<Element> {
    web_sys::window()?.document()?.active_element()
}

pub fn text(root: &Element) -> String {
    root.text_content().unwrap_or_default()
}

pub fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into().ok())
        .collect()
}

/// The control whose label reads `label`, as a person finds it: by `for`, or inside the label.
pub fn control(root: &Element, label: &str) -> Option<Element> {
    let label = all(root, "label")
        .into_iter()
        .find(|l| l.text_content().unwrap_or_default().trim() == label)?;
    match label.get_attribute("for") {
        Some(id) => root.query_selector(&format!("#{id}")).ok().flatten(),
        None => label.query_selector("input, select").ok().flatten(),
    }
}

/// The input whose label reads `label`.
pub fn input(root: &Element, label: &str) -> Option<HtmlInputElement> {
    control(root, label).map(|i| i.unchecked_into())
}

pub fn fire(target: &Element, kind: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict(kind, &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

/// Picks the option with `value` in the select labelled `label`, or sets a date input to it.
pub fn choose(root: &Element, label: &str, value: &str) {
    let field = control(root, label).unwrap_or_else(|| panic!("no control labelled {label}"));
    if let Some(select) = field.dyn_ref::<web_sys::HtmlSelectElement>() {
        select.set_value(value);
        assert_eq!(select.value(), value, "{label} offers {value}");
    } else {
        field.unchecked_ref::<HtmlInputElement>().set_value(value);
    }
    fire(&field, "change");
}

/// Clicks the checkbox named `name` (its `aria-label`).
pub fn tick(root: &Element, name: &str) {
    root.query_selector(&format!("input[type=checkbox][aria-label='{name}']"))
        .unwrap()
        .unwrap_or_else(|| {
            panic!(
                "no checkbox named {name}; the widget shows: {:?}",
                text(root)
            )
        })
        .unchecked_into::<HtmlElement>()
        .click();
}

/// A word no other test or demo record uses, to find one test's records.
pub fn marker(what: &str) -> String {
    format!(
        "{what}-{}",
        js_sys::Math::random().to_bits() % 1_000_000_007
    )
}

pub fn type_into(root: &Element, label: &str, value: &str) {
    let field = input(root, label).unwrap_or_else(|| panic!("no input labelled {label}"));
    field.set_value(value);
    fire(&field, "input");
}

/// Focuses the button named `name` and clicks it, as someone tabbing to it and pressing it would:
/// where the focus goes next is then the widget's to decide.
pub fn press_button(root: &Element, name: &str) {
    let pressed = button(root, name);
    pressed.focus().unwrap();
    pressed.click();
}

/// Presses `key` on `target`, as the keyboard would.
pub fn press(target: &Element, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

pub fn button(root: &Element, name: &str) -> HtmlElement {
    all(root, "button")
        .into_iter()
        .find(|b| b.text_content().unwrap_or_default().trim() == name)
        .unwrap_or_else(|| panic!("no button named {name}; the widget shows: {:?}", text(root)))
        .unchecked_into()
}

pub fn alert(root: &Element) -> String {
    all(root, "[role=alert]")
        .iter()
        .map(text)
        .collect::<Vec<_>>()
        .join(" ")
}

pub async fn sign_in(root: &Element, email: &str, password: &str) {
    type_into(root, "Email", email);
    type_into(root, "Password", password);
    button(root, "Sign in").click();
}

/// What the sandbox itself says the admin account can see, asked without the widget's client.
pub async fn total_from_sandbox() -> i64 {
    let grant: serde_json::Value = gloo_net::http::Request::post(&format!("{SANDBOX}/api/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("grant_type=password&username=admin%40example.com&password=wifi-desk")
        .unwrap()
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let page: serde_json::Value = gloo_net::http::Request::get(&format!(
        "{SANDBOX}/api/spaces/accesstokens?AccessToken_Business={DESK_BUSINESS}"
    ))
    .header(
        "Authorization",
        &format!("Bearer {}", grant["access_token"].as_str().unwrap()),
    )
    .send()
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    page["TotalItems"].as_i64().unwrap()
}

pub async fn console_as(options: Options, email: &str) -> Element {
    let root = mount_with(options);
    sign_in(&root, email, "wifi-desk").await;
    wait_for(&root, "the console", |r| text(r).contains("Signed in as")).await;
    root
}

/// The business of [`desk`]'s codes, which it lists: the sandbox's demo business.
pub const DESK_BUSINESS: i64 = 1001;

/// How many codes the sandbox holds for [`DESK_BUSINESS`]: what a desk lists.
pub async fn desk_count(admin: &Client) -> i64 {
    let query = wifi_desk::api::ListQuery::new()
        .size(1)
        .filter(wifi_desk::api::Field::Business, DESK_BUSINESS.to_string());
    admin.list(&query).await.unwrap().total_items
}

pub fn desk() -> Options {
    Options::new(api_base())
        .with_business(DESK_BUSINESS)
        .with_guest_network("Guest WiFi")
}

pub async fn admin_client() -> Client {
    signed_in(Client::new(&api_base()), "admin@example.com").await
}

/// `client` signed in as the demo account `email`.
pub async fn signed_in(client: Client, email: &str) -> Client {
    client.sign_in(email, "wifi-desk", None).await.unwrap();
    client
}

/// The console mounted with `client`, which the test signed in and keeps (to set fault headers or
/// count requests), once it shows.
pub async fn console_with(client: &Client) -> Element {
    let root = mount_signed_in(desk(), client.clone());
    wait_for(&root, "the console", |r| text(r).contains("Signed in as")).await;
    root
}

/// Starts a batch of `count` codes described `tag` from the issue form.
pub async fn start_batch(root: &Element, tag: &str, count: &str) {
    open_issue_form(root).await;
    type_into(root, "Description", tag);
    type_into(root, "Number of codes", count);
    button(root, "Issue code").click();
}

pub async fn open_issue_form(root: &Element) -> String {
    button(root, "Issue code").click();
    wait_for(root, "the issue form", |r| {
        input(r, "Access code").is_some()
    })
    .await;
    input(root, "Access code").unwrap().value()
}

/// The name of the QR code on a voucher for `grouped` in a widget whose QR code joins the guest
/// network "Guest WiFi", as the tests' widgets do.
pub fn joining_qr_name(grouped: &str) -> String {
    format!("QR code to join the WiFi network “Guest WiFi”, then enter access code {grouped}")
}

pub fn qr_name(root: &Element) -> String {
    all(root, "[role=img]")
        .first()
        .and_then(|e| e.get_attribute("aria-label"))
        .unwrap_or_default()
}

/// Opens the first row's code and waits for its detail.
pub async fn open_first_code(root: &Element) {
    let link = rows(root)[0].query_selector("th button").unwrap().unwrap();
    link.unchecked_into::<HtmlElement>().click();
    wait_for(root, "the detail", |r| !qr_name(r).is_empty()).await;
}

/// Clicks Revoke and confirms.
pub async fn revoke_and_confirm(root: &Element) {
    button(root, "Revoke").click();
    wait_for(root, "the confirmation", |r| {
        !all(r, "[role=alertdialog]").is_empty()
    })
    .await;
    button(root, "Yes, revoke").click();
}

/// Clicks a column header's sort button.
pub fn sort_by(root: &Element, column: &str) {
    let header = all(root, "th button")
        .into_iter()
        .find(|b| text(b) == column);
    header
        .unwrap_or_else(|| panic!("no column {column}"))
        .unchecked_into::<HtmlElement>()
        .click();
}

pub fn rows(root: &Element) -> Vec<Element> {
    all(root, "tbody tr")
}

pub fn first_column(root: &Element) -> Vec<String> {
    rows(root)
        .iter()
        .map(|r| text(&r.query_selector("th").unwrap().unwrap()).replace(' ', ""))
        .collect()
}

/// Resolves with the first print frame that appears under `root` once the widget asks it to print;
/// its `print` is replaced, so no dialog opens. Start it before pressing the button. (A capturing
/// listener runs before the widget's own, however soon the widget prints once the frame loads.)
pub fn catch_print(root: &web_sys::Node) -> wasm_bindgen_futures::JsFuture {
    let watch = js_sys::Function::new_with_args(
        "root",
        "return new Promise(resolve => { \
            let first = true; \
            new MutationObserver((records, observer) => { \
                for (const record of records) for (const node of record.addedNodes) { \
                    if (!first || node.tagName !== 'IFRAME') continue; \
                    first = false; \
                    observer.disconnect(); \
                    node.addEventListener('load', () => { \
                        node.contentWindow.print = () => resolve(node); \
                    }, { capture: true }); \
                } \
            }).observe(root, { childList: true, subtree: true }); \
        });",
    );
    let promise: js_sys::Promise = watch
        .call1(&wasm_bindgen::JsValue::NULL, root)
        .unwrap()
        .unchecked_into();
    wasm_bindgen_futures::JsFuture::from(promise)
}

/// The frame `caught` resolves with, within ten seconds of pressing `button`.
pub async fn printed_frame(
    caught: wasm_bindgen_futures::JsFuture,
    button: &str,
) -> web_sys::HtmlIFrameElement {
    match futures::future::select(caught, TimeoutFuture::new(10_000)).await {
        futures::future::Either::Left((frame, _)) => frame.unwrap().unchecked_into(),
        futures::future::Either::Right(_) => panic!("{button} never printed"),
    }
}

/// Each text `read` gives as what is under `target` changes, from when it is made until dropped:
/// a sentence a live region held only for a moment is seen.
pub struct Texts {
    seen: std::rc::Rc<std::cell::RefCell<Vec<String>>>,
    observer: web_sys::MutationObserver,
    _on_change: wasm_bindgen::closure::Closure<dyn FnMut()>,
}

impl Texts {
    pub fn record(target: &web_sys::Node, read: impl Fn() -> String + 'static) -> Self {
        let seen = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
        let keep = seen.clone();
        let on_change = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
            keep.borrow_mut().push(read());
        });
        let observer = web_sys::MutationObserver::new(on_change.as_ref().unchecked_ref()).unwrap();
        let init = web_sys::MutationObserverInit::new();
        init.set_subtree(true);
        init.set_child_list(true);
        init.set_character_data(true);
        observer.observe_with_options(target, &init).unwrap();
        Self {
            seen,
            observer,
            _on_change: on_change,
        }
    }

    pub fn seen(&self) -> Vec<String> {
        self.seen.borrow().clone()
    }
}

impl Drop for Texts {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}
