//! Browser tests of the embedding surface: `mount` and its handle, the `<wifi-desk>` element, the
//! shadow root against hostile host CSS, events to the host page, and the booking and visitor modes
//! against the sandbox.

#![cfg(target_arch = "wasm32")]

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};
use wifi_desk::api::{AccessToken, Client, Field, ListQuery, WallClock};
use wifi_desk::embed::{define_element, mount, MountHandle};
use wifi_desk::ui::{clock, Mode, Options, Subject};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A fresh element on the page, holding some content of the host's own.
fn host() -> HtmlElement {
    let host: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    host.set_inner_html("<p class=\"mine\">The host's own text</p>");
    document().body().unwrap().append_child(&host).unwrap();
    host
}

/// `mount`'s options object.
fn options(pairs: &[(&str, &str)]) -> JsValue {
    let object = js_sys::Object::new();
    for (k, v) in pairs {
        js_sys::Reflect::set(&object, &(*k).into(), &(*v).into()).unwrap();
    }
    object.into()
}

/// A `<wifi-desk>` element for the sandbox's API, not on the page yet.
fn desk_element() -> HtmlElement {
    define_element(None);
    let element: HtmlElement = document()
        .create_element("wifi-desk")
        .unwrap()
        .unchecked_into();
    element.set_attribute("api-base", &api_base()).unwrap();
    element
}

/// What the widget drew: the element inside the shadow root it mounted into.
fn widget(host: &Element) -> Element {
    let shadow_host = if host.tag_name().eq_ignore_ascii_case("wifi-desk") {
        host.clone()
    } else {
        host.query_selector("[data-wifi-desk]")
            .unwrap()
            .expect("the widget's element")
    };
    shadow_host
        .shadow_root()
        .expect("an open shadow root")
        .last_element_child()
        .expect("the widget in it")
}

/// A viewer's console mounted into `host` with the widget's stylesheet, once it lists codes; with
/// the handle that keeps it.
async fn styled_viewer(host: &HtmlElement) -> (Element, MountHandle) {
    let token = token_for("viewer@example.com").await;
    let handle = mount(
        host.clone(),
        options(&[
            ("api-base", &api_base()),
            ("token", &token),
            ("stylesheet", &stylesheet_url()),
        ]),
    )
    .unwrap();
    let root = widget(host);
    wait_for(&root, "rows", |r| !rows(r).is_empty()).await;
    (root, handle)
}

/// The computed `property` of `element`, or of its `pseudo` element (`::after`), as the browser
/// gives it.
fn computed(element: &Element, pseudo: &str, property: &str) -> String {
    web_sys::window()
        .unwrap()
        .get_computed_style_with_pseudo_elt(element, pseudo)
        .unwrap()
        .unwrap()
        .get_property_value(property)
        .unwrap()
}

/// A bearer token for `email`, got without the widget.
async fn token_for(email: &str) -> String {
    signed_in(Client::new(&api_base()), email)
        .await
        .bearer_token()
        .unwrap()
}

/// A `<wifi-desk>` console on the page, given `email`'s token by the page, once it lists codes.
async fn token_element(email: &str) -> (HtmlElement, Element) {
    let element = desk_element();
    let token = token_for(email).await;
    js_sys::Reflect::set(&element, &"token".into(), &token.into()).unwrap();
    document().body().unwrap().append_child(&element).unwrap();
    let root = widget(&element);
    wait_for(&root, "the list", |r| !rows(r).is_empty()).await;
    (element, root)
}

/// A `<wifi-desk>` console on the page that staff signed in to with its form as `email`, once it
/// lists codes.
async fn staff_element(email: &str) -> (HtmlElement, Element) {
    let element = desk_element();
    document().body().unwrap().append_child(&element).unwrap();
    let root = widget(&element);
    wait_for(&root, "the sign-in form", |r| input(r, "Email").is_some()).await;
    sign_in(&root, email, "wifi-desk").await;
    wait_for(&root, "the list", |r| !rows(r).is_empty()).await;
    (element, root)
}

/// A code of this test's own that never ends (no end date, minutes left), for a visitor view to show
/// whatever other tests did to the sandbox's records.
async fn live_code(admin: &Client, what: &str) -> AccessToken {
    let mut token = AccessToken {
        business_id: Some(1001),
        access_code: wifi_desk::domain::code::generate(Default::default()),
        description: Some(marker(what)),
        minutes_included: 60,
        minutes_left: 60,
        ..AccessToken::default()
    };
    token.id = admin.create(&token).await.unwrap();
    token
}

/// Counts the `wifi-desk:ready` events `element` dispatches.
fn count_ready(element: &HtmlElement) -> Rc<std::cell::Cell<u32>> {
    let count: Rc<std::cell::Cell<u32>> = Rc::default();
    let keep = count.clone();
    let listener = Closure::<dyn FnMut()>::new(move || keep.set(keep.get() + 1));
    element
        .add_event_listener_with_callback("wifi-desk:ready", listener.as_ref().unchecked_ref())
        .unwrap();
    listener.forget();
    count
}

/// Events heard, as (type, JSON of the detail).
type Heard = Rc<RefCell<Vec<(String, String)>>>;

/// The `wifi-desk:<name>` events `target` hears, for each of `names`, from now on.
fn hear(target: &web_sys::EventTarget, names: &[&str]) -> Heard {
    let heard: Heard = Rc::default();
    for name in names {
        let keep = heard.clone();
        let listener =
            Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |e: web_sys::CustomEvent| {
                let detail = js_sys::JSON::stringify(&e.detail()).unwrap();
                keep.borrow_mut()
                    .push((e.type_(), detail.as_string().unwrap()));
            });
        target
            .add_event_listener_with_callback(
                &format!("wifi-desk:{name}"),
                listener.as_ref().unchecked_ref(),
            )
            .unwrap();
        listener.forget();
    }
    heard
}

/// Every `wifi-desk:*` event reaching the document.
fn listen() -> Heard {
    let names = [
        "ready",
        "signed-in",
        "issued",
        "updated",
        "revoked",
        "error",
    ];
    hear(&document(), &names)
}

#[wasm_bindgen_test]
async fn mount_and_unmount_leave_the_host_as_they_found_it() {
    let host = host();
    let before = host.inner_html();
    let mut handle: MountHandle =
        mount(host.clone(), options(&[("api-base", &api_base())])).unwrap();
    let root = widget(&host);
    wait_for(&root, "the sign-in form", |r| input(r, "Email").is_some()).await;
    let focused = document().active_element();
    assert!(
        focused.is_none_or(|f| !host.contains(Some(&f))),
        "loading the page does not move the focus into the widget"
    );
    assert!(
        text(&host).contains("The host's own text"),
        "the host's content stays"
    );
    handle.unmount();
    assert_eq!(host.inner_html(), before, "nothing of the widget is left");
    assert!(
        host.shadow_root().is_none(),
        "the host itself was never given a shadow root"
    );
}

#[wasm_bindgen_test]
async fn two_widgets_on_a_page_share_nothing() {
    let (a, b) = (host(), host());
    let _one = mount(a.clone(), options(&[("api-base", &api_base())])).unwrap();
    let _two = mount(b.clone(), options(&[("api-base", &api_base())])).unwrap();
    let first = widget(&a);
    let second = widget(&b);
    wait_for(&second, "the second form", |r| input(r, "Email").is_some()).await;
    sign_in(&first, "viewer@example.com", "wifi-desk").await;
    wait_for(&first, "the first signed in", |r| {
        text(r).contains("Signed in as viewer@example.com")
    })
    .await;
    assert!(
        input(&second, "Email").is_some(),
        "the second is still signed out"
    );
    assert_ne!(
        input(&first, "Search").map(|i| i.id()),
        input(&second, "Email").map(|i| i.id()),
    );
}

#[wasm_bindgen_test]
async fn the_element_mounts_on_connect_follows_its_attributes_and_unmounts_on_disconnect() {
    let admin = admin_client().await;
    let codes = [
        live_code(&admin, "element-first").await,
        live_code(&admin, "element-second").await,
    ];
    let element = desk_element();
    element.set_attribute("mode", "visitor").unwrap();
    element
        .set_attribute("token-id", &codes[0].id.to_string())
        .unwrap();
    let token = token_for("viewer@example.com").await;
    // The token is a property: it never appears in the DOM.
    js_sys::Reflect::set(&element, &"token".into(), &token.clone().into()).unwrap();
    document().body().unwrap().append_child(&element).unwrap();
    let grouped = |t: &AccessToken| wifi_desk::domain::reading::grouped(&t.access_code, 4);
    wait_for(&widget(&element), "the first code", |r| {
        text(r).contains(&grouped(&codes[0]))
    })
    .await;
    assert!(
        !element.outer_html().contains(&token),
        "no token in the DOM"
    );

    element
        .set_attribute("token-id", &codes[1].id.to_string())
        .unwrap();
    wait_for(&widget(&element), "the second code", |r| {
        text(r).contains(&grouped(&codes[1]))
    })
    .await;

    element.remove();
    // Let go once the task that took it off is over (it might have been moving it).
    gloo_timers::future::TimeoutFuture::new(0).await;
    let shadow = element.shadow_root().unwrap();
    assert_eq!(
        shadow.child_element_count(),
        0,
        "unmounted when taken off the page"
    );
}

#[wasm_bindgen_test]
async fn an_element_moved_on_the_page_keeps_its_widget_and_one_taken_off_lets_it_go() {
    let (element, root) = staff_element("viewer@example.com").await;

    // The page moves the element into another part of itself.
    let elsewhere = host();
    elsewhere.append_child(&element).unwrap();
    gloo_timers::future::TimeoutFuture::new(100).await;
    assert!(
        widget(&element).is_same_node(Some(&root)),
        "the same widget, not one drawn again"
    );
    assert!(
        text(&root).contains("Signed in as viewer@example.com") && !rows(&root).is_empty(),
        "still signed in, with its list: {}",
        text(&root)
    );

    elsewhere.remove();
    gloo_timers::future::TimeoutFuture::new(100).await;
    assert_eq!(
        element.shadow_root().unwrap().child_element_count(),
        0,
        "unmounted once off the page"
    );
}

#[wasm_bindgen_test]
async fn a_token_the_server_refuses_is_said_to_be_the_pages_and_a_new_one_carries_on() {
    let element = desk_element();
    js_sys::Reflect::set(&element, &"token".into(), &"expired-long-ago".into()).unwrap();
    document().body().unwrap().append_child(&element).unwrap();
    let root = widget(&element);
    let refused = "The server did not accept this page's sign-in";
    wait_for(&root, "the page's sign-in refused", |r| {
        text(r).contains(refused)
    })
    .await;
    assert!(
        input(&root, "Password").is_none(),
        "staff are not asked for a password the page's token stands for"
    );

    let token = token_for("viewer@example.com").await;
    js_sys::Reflect::set(&element, &"token".into(), &token.into()).unwrap();
    wait_for(&root, "the refusal gone", |r| !text(r).contains(refused)).await;
    // The list the refusal stopped is read again with the new token, with no Try again to press.
    wait_for(&root, "the list", |r| !rows(r).is_empty()).await;

    // Refused again, then signed out by staff: whoever signs in next starts afresh.
    js_sys::Reflect::set(&element, &"token".into(), &"expired-again".into()).unwrap();
    type_into(&root, "Search", "anything");
    wait_for(&root, "refused again", |r| text(r).contains(refused)).await;
    button(&root, "Sign out").click();
    wait_for(&root, "the sign-in form, with no refusal over it", |r| {
        input(r, "Password").is_some() && !text(r).contains(refused)
    })
    .await;
    element.remove();
}

#[wasm_bindgen_test]
async fn a_visitor_page_whose_token_was_refused_shows_the_code_once_given_a_new_one() {
    let admin = admin_client().await;
    let code = live_code(&admin, "renewed").await;
    let element = desk_element();
    element.set_attribute("mode", "visitor").unwrap();
    element
        .set_attribute("token-id", &code.id.to_string())
        .unwrap();
    js_sys::Reflect::set(&element, &"token".into(), &"expired-long-ago".into()).unwrap();
    document().body().unwrap().append_child(&element).unwrap();
    let root = widget(&element);
    wait_for(&root, "the page's sign-in refused", |r| {
        text(r).contains("The server did not accept this page's sign-in")
    })
    .await;
    let token = token_for("viewer@example.com").await;
    js_sys::Reflect::set(&element, &"token".into(), &token.into()).unwrap();
    let grouped = wifi_desk::domain::reading::grouped(&code.access_code, 4);
    wait_for(&root, "the code, read with the new token", |r| {
        text(r).contains(&grouped) && !text(r).contains("sign in again")
    })
    .await;
    element.remove();
}

#[wasm_bindgen_test]
async fn a_token_and_theme_given_as_the_element_goes_on_the_page_apply_at_once() {
    let token = token_for("viewer@example.com").await;
    let element = desk_element();
    document().body().unwrap().append_child(&element).unwrap();
    // In the same piece of script, once the widget is mounted.
    js_sys::Reflect::set(&element, &"token".into(), &token.into()).unwrap();
    element.set_attribute("theme", "dark").unwrap();
    let root = widget(&element);
    wait_for(&root, "the list", |r| !rows(r).is_empty()).await;
    assert!(input(&root, "Password").is_none(), "not asked to sign in");
    let drawn = root.query_selector(".wifi-desk").unwrap().unwrap();
    assert_eq!(drawn.get_attribute("data-theme").as_deref(), Some("dark"));
    element.remove();
}

#[wasm_bindgen_test]
async fn a_token_callback_renewing_an_expired_token_shows_no_refusal_meanwhile() {
    // The page's callback first hands out a token that has expired, then, asked again after the
    // server refused it, a fresh one: what a page renewing its token on demand does.
    let window = web_sys::window().unwrap();
    let fresh = token_for("viewer@example.com").await;
    js_sys::Reflect::set(&window, &"wdFreshToken".into(), &fresh.into()).unwrap();
    js_sys::Reflect::set(&window, &"wdTokenAsked".into(), &0.into()).unwrap();
    let callback = js_sys::Function::new_no_args(
        "globalThis.wdTokenAsked += 1; \
         return globalThis.wdTokenAsked === 1 ? 'expired-long-ago' : globalThis.wdFreshToken;",
    );
    let element = desk_element();
    js_sys::Reflect::set(&element, &"getToken".into(), &callback).unwrap();
    document().body().unwrap().append_child(&element).unwrap();
    // Anything the widget draws, however briefly, is seen.
    let shadow = element.shadow_root().unwrap();
    let watched = shadow.clone();
    let drawn = Texts::record(&shadow, move || watched.text_content().unwrap_or_default());

    let root = widget(&element);
    wait_for(&root, "the list", |r| !rows(r).is_empty()).await;
    assert!(
        !drawn.seen().iter().any(|t| t.contains("did not accept")),
        "no refusal was shown while the callback renewed the token"
    );
    element.remove();
}

#[wasm_bindgen_test]
async fn a_token_callback_that_recovers_takes_the_refusal_back() {
    // The page's callback hands out whatever the page holds now.
    let window = web_sys::window().unwrap();
    js_sys::Reflect::set(&window, &"wdHeldToken".into(), &"expired-long-ago".into()).unwrap();
    let callback = js_sys::Function::new_no_args("return globalThis.wdHeldToken;");
    let element = desk_element();
    js_sys::Reflect::set(&element, &"getToken".into(), &callback).unwrap();
    document().body().unwrap().append_child(&element).unwrap();
    let root = widget(&element);
    let refused = "The server did not accept this page's sign-in";
    wait_for(
        &root,
        "the page's sign-in refused, and the list not read",
        |r| text(r).contains(refused) && text(r).contains("Try again"),
    )
    .await;

    let token = token_for("viewer@example.com").await;
    js_sys::Reflect::set(&window, &"wdHeldToken".into(), &token.into()).unwrap();
    button(&root, "Try again").click();
    wait_for(&root, "the list, and no refusal", |r| {
        !rows(r).is_empty() && !text(r).contains(refused)
    })
    .await;
    element.remove();
}

#[wasm_bindgen_test]
async fn the_pages_token_does_not_come_back_over_staff_who_signed_out_or_in() {
    let (element, root) = token_element("viewer@example.com").await;

    // Staff sign out; an attribute change does not sign the page's account back in.
    button(&root, "Sign out").click();
    wait_for(&root, "the sign-in form", |r| {
        input(r, "Password").is_some()
    })
    .await;
    element.set_attribute("theme", "dark").unwrap();
    gloo_timers::future::TimeoutFuture::new(300).await;
    assert!(
        input(&root, "Password").is_some(),
        "still signed out: {}",
        text(&root)
    );

    // Staff sign in as themselves; the page then withdraws its token: theirs stays.
    sign_in(&root, "reception@example.com", "wifi-desk").await;
    wait_for(&root, "their console", |r| {
        text(r).contains("Signed in as reception@example.com") && !rows(r).is_empty()
    })
    .await;
    js_sys::Reflect::set(&element, &"token".into(), &JsValue::NULL).unwrap();
    element.set_attribute("lang", "en-GB").unwrap();
    type_into(&root, "Search", "a");
    gloo_timers::future::TimeoutFuture::new(500).await;
    assert!(
        text(&root).contains("Signed in as reception@example.com")
            && input(&root, "Password").is_none()
            && !text(&root).contains("not signed in"),
        "still signed in as themselves: {}",
        text(&root)
    );
    element.remove();
}

#[wasm_bindgen_test]
async fn a_token_given_after_the_element_is_on_the_page_signs_it_in_and_taking_it_away_out() {
    let element = desk_element();
    document().body().unwrap().append_child(&element).unwrap();
    wait_for(&widget(&element), "the sign-in form", |r| {
        input(r, "Email").is_some()
    })
    .await;
    let token = token_for("reception@example.com").await;
    js_sys::Reflect::set(&element, &"token".into(), &token.clone().into()).unwrap();
    wait_for(&widget(&element), "the console", |r| {
        text(r).contains("Signed in as")
    })
    .await;
    assert!(
        !element.outer_html().contains(&token),
        "no token in the DOM"
    );
    js_sys::Reflect::set(&element, &"token".into(), &JsValue::NULL).unwrap();
    wait_for(&widget(&element), "the sign-in form again", |r| {
        input(r, "Email").is_some()
    })
    .await;
    element.remove();
}

/// `<wifi-desk hidden>` is hidden, as any element the page hides: the widget's `display` does not
/// override the page's `hidden`.
#[wasm_bindgen_test]
async fn a_widget_the_page_hides_is_hidden() {
    let element = desk_element();
    element
        .set_attribute("stylesheet", &stylesheet_url())
        .unwrap();
    document().body().unwrap().append_child(&element).unwrap();
    let root = widget(&element);
    wait_for(&root, "the sign-in form, styled", |r| {
        input(r, "Email").is_some() && computed(&element, "", "display") == "block"
    })
    .await;
    element.set_attribute("hidden", "").unwrap();
    assert_eq!(computed(&element, "", "display"), "none");
    element.remove_attribute("hidden").unwrap();
    assert_eq!(computed(&element, "", "display"), "block");
    element.remove();
}

/// A page that hands its credentials over to its own server (`auth="proxy"`), whether or not it
/// takes its token away: the token is not sent on to the proxy, which adds its own.
#[wasm_bindgen_test]
async fn a_page_token_is_not_sent_on_to_a_proxy() {
    let (element, root) = token_element("reception@example.com").await;
    // The token is left set beside `auth`.
    element.set_attribute("auth", "proxy").unwrap();
    // No proxy adds credentials here: the next request goes without any, and is refused.
    type_into(&root, "Search", "a");
    wait_for(&root, "the page's sign-in refused", |r| {
        alert(r).contains("did not accept this page's sign-in")
    })
    .await;
    element.remove();
}

#[wasm_bindgen_test]
async fn staff_who_signed_in_with_the_widget_stay_signed_in_when_an_attribute_changes() {
    let element = desk_element();
    document().body().unwrap().append_child(&element).unwrap();
    let root = widget(&element);
    wait_for(&root, "the sign-in form", |r| input(r, "Email").is_some()).await;
    sign_in(&root, "reception@example.com", "wifi-desk").await;
    wait_for(&root, "the console", |r| text(r).contains("Signed in as")).await;

    // The theme applies as the widget stands, as soon as the page's change is handled.
    element.set_attribute("theme", "dark").unwrap();
    let drawn = root.query_selector(".wifi-desk").unwrap().unwrap();
    wait_for(&root, "the dark theme", |_| {
        drawn.get_attribute("data-theme").as_deref() == Some("dark")
    })
    .await;
    wait_for(&root, "the console, still signed in", |r| {
        text(r).contains("Signed in as reception@example.com")
    })
    .await;
    assert!(
        input(&root, "Password").is_none(),
        "not asked to sign in again"
    );

    button(&root, "Sign out").click();
    wait_for(&root, "the sign-in form", |r| input(r, "Email").is_some()).await;
    element.set_attribute("theme", "light").unwrap();
    let root = widget(&element);
    wait_for(&root, "the sign-in form after signing out", |r| {
        input(r, "Email").is_some()
    })
    .await;
    element.remove();
}

/// A `<wifi-desk>` console on the page, signed in by the host page as reception.
async fn console_element() -> (HtmlElement, Element) {
    let element = desk_element();
    element.set_attribute("business-id", "1001").unwrap();
    let token = token_for("reception@example.com").await;
    js_sys::Reflect::set(&element, &"token".into(), &token.into()).unwrap();
    document().body().unwrap().append_child(&element).unwrap();
    let root = widget(&element);
    wait_for(&root, "the console", |r| !rows(r).is_empty()).await;
    (element, root)
}

#[wasm_bindgen_test]
async fn an_attribute_change_waits_for_a_sign_in_being_typed() {
    let element = desk_element();
    document().body().unwrap().append_child(&element).unwrap();
    let root = widget(&element);
    wait_for(&root, "the sign-in form", |r| input(r, "Email").is_some()).await;
    // Once the page has been told the widget is drawn.
    gloo_timers::future::TimeoutFuture::new(100).await;
    let ready = count_ready(&element);
    type_into(&root, "Email", "reception@example.com");
    type_into(&root, "Password", "wifi-");
    // The page sets up its network name late, while staff are typing.
    element.set_attribute("ssid", "Lobby").unwrap();
    gloo_timers::future::TimeoutFuture::new(300).await;
    assert_eq!(
        input(&root, "Password").map(|p| p.value()).as_deref(),
        Some("wifi-"),
        "what is typed is kept"
    );
    assert_eq!(ready.get(), 0, "the change waits");
    type_into(&root, "Password", "wifi-desk");
    button(&root, "Sign in").click();
    wait_for(&root, "signed in, and the change applied", |r| {
        text(r).contains("Signed in as") && ready.get() == 1
    })
    .await;
    element.remove();
}

#[wasm_bindgen_test]
async fn a_host_page_renewing_its_token_or_theme_interrupts_no_batch() {
    let (element, root) = console_element().await;
    let tag = marker("batch-renewed");
    start_batch(&root, &tag, "4").await;
    wait_for(&root, "the first code", |r| {
        text(r).contains("1 of 4 issued")
    })
    .await;

    // What a page does every so often: a fresh token, and the reader's theme.
    let heard = listen();
    let renewed = token_for("reception@example.com").await;
    js_sys::Reflect::set(&element, &"token".into(), &renewed.into()).unwrap();
    element.set_attribute("theme", "dark").unwrap();
    element.set_attribute("lang", "en-GB").unwrap();
    let drawn = root.query_selector(".wifi-desk").unwrap().unwrap();
    wait_for(&root, "the theme and language", |_| {
        drawn.get_attribute("data-theme").as_deref() == Some("dark")
            && drawn.get_attribute("lang").as_deref() == Some("en-GB")
    })
    .await;
    assert!(
        widget(&element).is_same_node(Some(&root)),
        "the widget is not drawn again"
    );
    wait_for(&root, "the page told the change is applied", |_| {
        heard
            .borrow()
            .iter()
            .any(|(kind, _)| kind == "wifi-desk:ready")
    })
    .await;
    wait_for(&root, "the batch to finish", |r| {
        text(r).contains("Done: 4 of 4 issued.")
    })
    .await;
    let admin = admin_client().await;
    let issued = admin
        .list(&ListQuery::new().filter(Field::Description, &tag))
        .await
        .unwrap();
    assert_eq!(issued.records.len(), 4, "every code issued, once");
    element.remove();
}

#[wasm_bindgen_test]
async fn a_change_that_draws_the_widget_again_waits_for_the_console_to_be_back_at_its_list() {
    let admin = admin_client().await;
    let code = live_code(&admin, "redrawn").await;
    let (element, root) = console_element().await;
    open_issue_form(&root).await;
    type_into(&root, "Description", "Half typed");
    let ready = count_ready(&element);

    // The host page turns the widget into one code's visitor view.
    element.set_attribute("mode", "visitor").unwrap();
    element
        .set_attribute("token-id", &code.id.to_string())
        .unwrap();
    gloo_timers::future::TimeoutFuture::new(300).await;
    assert_eq!(
        input(&root, "Description").map(|i| i.value()).as_deref(),
        Some("Half typed"),
        "the form being filled in is kept"
    );

    button(&root, "Cancel").click();
    let grouped = wifi_desk::domain::reading::grouped(&code.access_code, 4);
    wait_for(&widget(&element), "the visitor view", |r| {
        text(r).contains(&grouped) && input(r, "Search").is_none()
    })
    .await;
    gloo_timers::future::TimeoutFuture::new(300).await;
    assert_eq!(
        ready.get(),
        1,
        "the page is told once the change is on it, once"
    );
    element.remove();
}

#[wasm_bindgen_test]
async fn a_change_that_draws_the_widget_again_waits_for_a_question_on_many_codes() {
    let (element, root) = console_element().await;
    tick(&root, "Select all on this page");
    wait_for(&root, "the bulk bar", |r| text(r).contains("selected")).await;
    button(&root, "Revoke selected").click();
    wait_for(&root, "the question", |r| {
        !all(r, "[role=alertdialog]").is_empty()
    })
    .await;

    element.set_attribute("ssid", "Another network").unwrap();
    gloo_timers::future::TimeoutFuture::new(300).await;
    assert!(
        !all(&root, "[role=alertdialog]").is_empty(),
        "the question stays until it is answered"
    );
    let search = input(&root, "Search").unwrap();
    button(&root, "Keep them").click();
    // Nor are the codes ticked lost to it: it waits until the selection is cleared.
    gloo_timers::future::TimeoutFuture::new(300).await;
    assert!(
        input(&root, "Search").is_some_and(|s| s.is_same_node(Some(&search)))
            && text(&root).contains("selected"),
        "the list and its selection are kept"
    );
    button(&root, "Clear selection").click();
    wait_for(&root, "the widget drawn again", |r| {
        input(r, "Search").is_some_and(|s| !s.is_same_node(Some(&search))) && !rows(r).is_empty()
    })
    .await;
    element.remove();
}

/// The second sandbox the test command starts: another API, as far as the widget can tell.
const OTHER_SANDBOX: &str = match option_env!("WIFI_DESK_THROTTLED_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:18788",
};

#[wasm_bindgen_test]
async fn pointed_at_another_api_the_widget_asks_to_sign_in_there() {
    let (element, root) = staff_element("viewer@example.com").await;

    // Pointed elsewhere and straight back: still the same API, and the same session.
    element
        .set_attribute("api-base", &format!("{OTHER_SANDBOX}/api"))
        .unwrap();
    element.set_attribute("api-base", &api_base()).unwrap();
    gloo_timers::future::TimeoutFuture::new(300).await;
    assert!(
        text(&root).contains("Signed in as viewer@example.com")
            && input(&root, "Password").is_none(),
        "still signed in: {}",
        text(&root)
    );

    // The session is the first API's: the other one never issued its token.
    element
        .set_attribute("api-base", &format!("{OTHER_SANDBOX}/api"))
        .unwrap();
    wait_for(&root, "the sign-in form for the other API", |r| {
        input(r, "Password").is_some()
    })
    .await;
    sign_in(&root, "viewer@example.com", "wifi-desk").await;
    wait_for(&root, "the list", |r| !rows(r).is_empty()).await;
    // A code only the other API has is found.
    let other = signed_in(
        Client::new(&format!("{OTHER_SANDBOX}/api")),
        "admin@example.com",
    )
    .await;
    let only_there = live_code(&other, "only-there").await;
    type_into(&root, "Search", only_there.description.as_deref().unwrap());
    wait_for(&root, "the other API's code", |r| {
        rows(r).len() == 1
            && text(r).contains(&wifi_desk::domain::reading::grouped(
                &only_there.access_code,
                4,
            ))
    })
    .await;
    element.remove();
}

#[wasm_bindgen_test]
async fn events_tell_the_host_what_happened_and_never_carry_the_token() {
    let heard = listen();
    let token = token_for("reception@example.com").await;
    let host = host();
    let _handle = mount(
        host.clone(),
        options(&[
            ("api-base", &api_base()),
            ("business-id", "1001"),
            ("token", &token),
        ]),
    )
    .unwrap();
    let root = widget(&host);
    wait_for(&root, "the console", |r| !rows(r).is_empty()).await;
    let code = open_issue_form(&root).await;
    type_into(&root, "Description", &marker("events"));
    button(&root, "Issue code").click();
    wait_for(&root, "the new code", |r| !qr_name(r).is_empty()).await;
    revoke_and_confirm(&root).await;
    wait_for(&root, "the refusal", |r| {
        text(r).contains("AccessToken-Delete")
    })
    .await;

    let heard = heard.borrow().clone();
    let kinds: Vec<&str> = heard.iter().map(|(k, _)| k.as_str()).collect();
    assert!(kinds.contains(&"wifi-desk:ready"), "{kinds:?}");
    let issued = heard
        .iter()
        .find(|(k, _)| k == "wifi-desk:issued")
        .expect("an issued event");
    let detail: serde_json::Value = serde_json::from_str(&issued.1).unwrap();
    assert_eq!(detail["code"], serde_json::json!(code));
    let stored = admin_client()
        .await
        .find_code(&code)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(detail["id"], serde_json::json!(stored.id));
    let refused = heard
        .iter()
        .find(|(k, _)| k == "wifi-desk:error")
        .expect("an error event");
    let detail: serde_json::Value = serde_json::from_str(&refused.1).unwrap();
    assert_eq!(detail["kind"], "missing-role");
    assert!(detail["message"]
        .as_str()
        .unwrap()
        .contains("AccessToken-Delete"));
    for (kind, detail) in &heard {
        assert!(!detail.contains(&token), "{kind} carries the token");
    }
}

#[wasm_bindgen_test]
async fn the_host_pages_css_does_not_reach_the_widget_nor_the_widgets_css_the_page() {
    let style = document().create_element("style").unwrap();
    style.set_text_content(Some(
        "* { all: unset } table { display: none } body { direction: rtl }",
    ));
    document().head().unwrap().append_child(&style).unwrap();
    let outside: HtmlElement = document()
        .create_element("button")
        .unwrap()
        .unchecked_into();
    document().body().unwrap().append_child(&outside).unwrap();
    let window = web_sys::window().unwrap();
    let outside_style = |prop: &str| {
        window
            .get_computed_style(&outside)
            .unwrap()
            .unwrap()
            .get_property_value(prop)
            .unwrap()
    };
    let (padding, cursor) = (outside_style("padding-top"), outside_style("cursor"));

    let url = stylesheet_url();

    let token = token_for("viewer@example.com").await;
    let host = host();
    let _handle = mount(
        host.clone(),
        options(&[
            ("api-base", &api_base()),
            ("token", &token),
            ("stylesheet", &url),
        ]),
    )
    .unwrap();
    let root = widget(&host);
    wait_for(&root, "rows", |r| !rows(r).is_empty()).await;
    let table = root.query_selector("table").unwrap().unwrap();
    let computed = window.get_computed_style(&table).unwrap().unwrap();
    assert_eq!(
        computed.get_property_value("display").unwrap(),
        "table",
        "the page's table rule stays outside"
    );
    // The widget's own rule (`border-collapse: collapse`) applies once its stylesheet loads.
    wait_for(&root, "the widget's own styles", |_| {
        computed.get_property_value("border-collapse").unwrap() == "collapse"
    })
    .await;
    assert_eq!(
        (outside_style("padding-top"), outside_style("cursor")),
        (padding, cursor),
        "the widget's rules stay inside"
    );
    // Its English reads left to right on a right-to-left page.
    let drawn = root.query_selector(".wifi-desk").unwrap().unwrap();
    assert_eq!(self::computed(&drawn, "", "direction"), "ltr");
    style.remove();
    outside.remove();
}

/// The contrast ratio of two computed colours (`rgb(r, g, b)`), by WCAG 2.1's relative luminance.
fn contrast(a: &str, b: &str) -> f64 {
    let luminance = |colour: &str| {
        let channels: Vec<f64> = colour
            .trim_start_matches("rgba(")
            .trim_start_matches("rgb(")
            .trim_end_matches(')')
            .split(',')
            .take(3)
            .map(|c| c.trim().parse::<f64>().unwrap() / 255.0)
            .map(|c| {
                if c <= 0.03928 {
                    c / 12.92
                } else {
                    ((c + 0.055) / 1.055).powf(2.4)
                }
            })
            .collect();
        0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    };
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// A button that keeps the focus while it cannot act (the pager at its first page, a button at
/// work) is readable, its focus ring as bright as any: not faded.
#[wasm_bindgen_test]
async fn a_button_that_cannot_act_now_stays_readable_with_its_focus_ring() {
    let host = host();
    let (root, _handle) = styled_viewer(&host).await;
    let previous = button(&root, "Previous page");
    assert_eq!(
        previous.get_attribute("aria-disabled").as_deref(),
        Some("true")
    );
    wait_for(&root, "the widget's own styles", |_| {
        computed(&previous, "", "cursor") == "not-allowed"
    })
    .await;
    assert_eq!(computed(&previous, "", "opacity"), "1");
    let drawn = root.query_selector(".wifi-desk").unwrap().unwrap();
    let ratio = contrast(
        &computed(&previous, "", "color"),
        &computed(&drawn, "", "background-color"),
    );
    assert!(ratio >= 4.5, "text at {ratio:.2}:1");
}

#[wasm_bindgen_test]
async fn the_list_reads_as_one_named_table_whose_sort_arrows_and_hints_are_drawn_to_be_read() {
    let host = host();
    let (root, _handle) = styled_viewer(&host).await;
    let table = root.query_selector("table").unwrap().unwrap();
    wait_for(&root, "the widget's own styles", |_| {
        computed(&table, "", "border-collapse") == "collapse"
    })
    .await;

    // The table is named by the list's heading; the region that scrolls it has a name of its own,
    // so a screen reader does not list two landmarks called alike.
    let shadow: web_sys::ShadowRoot = root.parent_node().unwrap().unchecked_into();
    let labelled = table
        .get_attribute("aria-labelledby")
        .expect("a named table");
    let heading = shadow.get_element_by_id(&labelled).expect("its name");
    assert_eq!(text(&heading), "Access codes");
    let region = root.query_selector("[role=region]").unwrap().unwrap();
    assert!(region.get_attribute("aria-labelledby").is_none());
    let region_name = region.get_attribute("aria-label").unwrap_or_default();
    assert!(
        !region_name.is_empty() && region_name != "Access codes",
        "{region_name}"
    );

    // A sorted column's arrow is drawn with empty alternative text: `aria-sort` says the order.
    sort_by(&root, "Code");
    wait_for(&root, "sorted", |r| {
        !all(r, "th[aria-sort=ascending]").is_empty()
    })
    .await;
    let sort = root
        .query_selector("th[aria-sort=ascending] .wd-sort")
        .unwrap()
        .unwrap();
    let arrow = computed(&sort, "::after", "content");
    assert!(arrow.contains('▲') && arrow.contains("/ \"\""), "{arrow}");

    // The hint in Search is as readable as the widget's other muted text.
    let search = input(&root, "Search").unwrap();
    let count = root.query_selector(".wd-count").unwrap().unwrap();
    assert_eq!(
        (
            computed(&search, "::placeholder", "color"),
            computed(&search, "::placeholder", "opacity")
        ),
        (computed(&count, "", "color"), "1".to_owned())
    );
    host.remove();
}

#[wasm_bindgen_test]
async fn text_from_the_api_is_shown_as_typed() {
    let admin = admin_client().await;
    let tag = marker("xss");
    let description = format!("<img src=x onerror=alert(1)> {tag}");
    let mut token = AccessToken {
        business_id: Some(1001),
        access_code: wifi_desk::domain::code::generate(Default::default()),
        description: Some(description.clone()),
        minutes_included: 60,
        minutes_left: 60,
        ..AccessToken::default()
    };
    token.id = admin.create(&token).await.unwrap();
    let host = host();
    let bearer = token_for("viewer@example.com").await;
    let _handle = mount(
        host.clone(),
        options(&[("api-base", &api_base()), ("token", &bearer)]),
    )
    .unwrap();
    let root = widget(&host);
    type_into(&root, "Search", &tag);
    wait_for(&root, "the code", |r| rows(r).len() == 1).await;
    assert!(text(&root).contains(&description), "shown as typed");
    assert!(
        root.query_selector("img").unwrap().is_none(),
        "never parsed as markup"
    );
}

#[wasm_bindgen_test]
async fn a_host_callback_that_fails_leaves_a_clear_signed_out_state() {
    let host = host();
    let throwing = js_sys::Function::new_no_args("throw new Error('no session');");
    let object = options(&[("api-base", &api_base())]);
    js_sys::Reflect::set(&object, &"getToken".into(), &throwing).unwrap();
    let _handle = mount(host.clone(), object).unwrap();
    let root = widget(&host);
    wait_for(&root, "the sentence", |r| text(r).contains("not signed in")).await;
}

#[wasm_bindgen_test]
async fn options_given_as_numbers_are_read_as_written() {
    let token = token_for("admin@example.com").await;
    let host = host();
    let object = options(&[("api-base", &api_base()), ("token", &token)]);
    js_sys::Reflect::set(&object, &"businessId".into(), &JsValue::from_f64(1001.0)).unwrap();
    let _handle = mount(host.clone(), object).unwrap();
    let root = widget(&host);
    wait_for(&root, "the console", |r| text(r).contains("Signed in as")).await;
    let issue: web_sys::HtmlButtonElement = button(&root, "Issue code").unchecked_into();
    assert!(
        !issue.disabled(),
        "business 1001 was read: {}",
        issue.title()
    );
}

#[wasm_bindgen_test]
async fn the_widget_says_its_text_is_english_on_a_page_in_another_language() {
    let lang_of = |asked: &str| {
        let host = host();
        let handle = mount(
            host.clone(),
            options(&[("api-base", &api_base()), ("lang", asked)]),
        )
        .unwrap();
        let drawn = widget(&host).query_selector(".wifi-desk").unwrap();
        (
            drawn.expect("the widget's element").get_attribute("lang"),
            handle,
        )
    };
    let (german, _a) = lang_of("de");
    assert_eq!(
        german.as_deref(),
        Some("en"),
        "English text on a German page is marked English, for screen readers"
    );
    let (british, _b) = lang_of("en-GB");
    assert_eq!(
        british.as_deref(),
        Some("en-GB"),
        "a region of English is kept"
    );
}

/// Booking mode for `guid`, mounted with a client signed in as reception and kept by the test (to
/// set fault headers and count requests), once it says the booking has no code yet.
async fn booking_without_a_code(guid: &str) -> (Client, Element) {
    let client = signed_in(Client::new(&api_base()), "reception@example.com").await;
    let booking = Options::new(api_base())
        .with_business(1001)
        .with_guest_network("Guest WiFi")
        .with_mode(Mode::Booking, Some(Subject::Booking(guid.to_owned())));
    let root = mount_signed_in(booking, client.clone());
    wait_for(&root, "no code yet", |r| {
        text(r).contains("This booking has no code yet.")
    })
    .await;
    (client, root)
}

/// A code linked to `guid`, made without the widget.
async fn booking_code(admin: &Client, guid: &str) -> Option<AccessToken> {
    admin
        .list(&ListQuery::new().filter(Field::BookingGuid, guid))
        .await
        .unwrap()
        .records
        .into_iter()
        .next()
}

#[wasm_bindgen_test]
async fn booking_mode_offers_a_new_code_when_the_bookings_code_ends_while_shown() {
    let guid = format!("{}-booking", marker("ends"));
    let client = signed_in(Client::new(&api_base()), "reception@example.com").await;
    ending_soon(|t| t.booking_guid = Some(guid.clone())).await;
    let booking = Options::new(api_base())
        .with_business(1001)
        .with_guest_network("Guest WiFi")
        .with_mode(Mode::Booking, Some(Subject::Booking(guid)));
    let root = mount_signed_in(booking, client);
    wait_for(&root, "its voucher", |r| !qr_name(r).is_empty()).await;
    // On Extend, the button staff are likeliest to be on as a code ends.
    button(&root, "Extend by 1 day").focus().unwrap();
    let region = all(&root, ".wd-booking [role=status]").remove(0);
    let watched = region.clone();
    let said = Texts::record(&region, move || text(&watched));
    wait_for(&root, "the sentence when it ends", |r| {
        text(r).contains("This booking's code has ended.")
    })
    .await;
    assert!(qr_name(&root).is_empty(), "its QR code gone");
    let issue = button(&root, "Issue a code for this booking");
    assert!(issue.is_connected());
    // Said in the live region that was there all along, and the focus, which was on Extend, is
    // on what took its place, not on the page's body.
    wait_for(&root, "it said", |_| {
        said.seen()
            .iter()
            .any(|t| t == "This booking's code has ended.")
    })
    .await;
    assert_focus_on(&issue);
}

#[wasm_bindgen_test]
async fn a_visitors_code_ending_while_shown_is_said_and_the_focus_stays_in_the_widget() {
    let ending = ending_soon(|t| t.description = Some(marker("visitor ends"))).await;
    let visitor = Options::new(api_base())
        .with_guest_network("Guest WiFi")
        .with_mode(Mode::Visitor, Some(Subject::Token(ending.id)));
    let root = mount_signed_in(
        visitor,
        signed_in(Client::new(&api_base()), "viewer@example.com").await,
    );
    wait_for(&root, "its voucher", |r| !qr_name(r).is_empty()).await;
    button(&root, "Print").focus().unwrap();
    let region = all(&root, ".wd-visitor [role=status]").remove(0);
    let watched = region.clone();
    let said = Texts::record(&region, move || text(&watched));
    wait_for(&root, "the sentence when it ends", |_| {
        said.seen()
            .iter()
            .any(|t| t.starts_with("Your WiFi code ended on"))
    })
    .await;
    assert!(qr_name(&root).is_empty(), "its QR code gone");
    assert_focus_on(&all(&root, "h2").remove(0));
}

/// A live code that ends 8 s from now (time to draw it first), then `adjust`ed, made by the admin.
async fn ending_soon(adjust: impl FnOnce(&mut AccessToken)) -> AccessToken {
    let now = clock::now();
    let mut ending = AccessToken {
        business_id: Some(1001),
        access_code: wifi_desk::domain::code::generate(Default::default()),
        minutes_included: 60,
        minutes_left: 60,
        valid_from: Some(WallClock::new(now - chrono::Duration::hours(1))),
        valid_to: Some(WallClock::new(now + chrono::Duration::seconds(8))),
        ..AccessToken::default()
    };
    adjust(&mut ending);
    ending.id = admin_client().await.create(&ending).await.unwrap();
    ending
}

/// Fails unless `element` has the focus, saying what has it.
fn assert_focus_on(element: &Element) {
    assert!(
        focused().is_some_and(|f| f.is_same_node(Some(element))),
        "focus on {:?}",
        focused().map(|f| f.outer_html())
    );
}

#[wasm_bindgen_test]
async fn booking_mode_finds_issues_and_extends_instead_of_issuing_twice() {
    let admin = admin_client().await;
    let guid = format!("{}-booking", marker("b"));
    let token = token_for("reception@example.com").await;
    let host = host();
    let settings = [
        ("api-base", api_base()),
        ("business-id", "1001".to_owned()),
        ("mode", "booking".to_owned()),
        ("booking-guid", guid.clone()),
        ("validity", "4h".to_owned()),
        ("token", token.clone()),
    ];
    let pairs: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut handle = mount(host.clone(), options(&pairs)).unwrap();
    let root = widget(&host);
    wait_for(&root, "no code yet", |r| {
        text(r).contains("This booking has no code yet.")
    })
    .await;
    button(&root, "Issue a code for this booking").click();
    wait_for(&root, "the code", |r| !qr_name(r).is_empty()).await;
    let issued = booking_code(&admin, &guid)
        .await
        .expect("linked to the booking");
    let window =
        (issued.valid_to.unwrap().local() - issued.valid_from.unwrap().local()).num_minutes();
    assert_eq!(window, 240, "the booking's validity preset");
    assert!(text(&root).contains(&wifi_desk::domain::reading::grouped(&issued.access_code, 4)));
    assert!(
        all(&root, "button")
            .iter()
            .all(|b| text(b) != "Issue a code for this booking"),
        "a live code is extended, not issued again"
    );

    // Found again on the next visit, and extended.
    handle.unmount();
    let host = self::host();
    let _again = mount(host.clone(), options(&pairs)).unwrap();
    let root = widget(&host);
    wait_for(&root, "the code found", |r| !qr_name(r).is_empty()).await;
    button(&root, "Extend by 1 day").click();
    wait_for(&root, "extended", |r| {
        text(r).contains("Extended by 1 day.")
    })
    .await;
    let after = admin.get(issued.id).await.unwrap();
    assert_eq!(
        after.valid_to.map(|w| w.local()),
        issued
            .valid_to
            .map(|w| w.local() + chrono::Duration::days(1))
    );
    // Its minutes were its window's: a day more of one is a day more of the other.
    assert_eq!(
        (after.minutes_included, after.minutes_left),
        (240 + 1440, 240 + 1440)
    );
    let linked = admin
        .list(&ListQuery::new().filter(Field::BookingGuid, guid.as_str()))
        .await
        .unwrap();
    assert_eq!(linked.records.len(), 1, "one code for the booking");

    // Its voucher prints alone: the code, not the hint or the buttons beside it.
    let caught = catch_print(&root.parent_node().unwrap());
    button(&root, "Print voucher").click();
    let frame = printed_frame(caught, "Print voucher").await;
    let printed = frame.content_document().unwrap().body().unwrap();
    let printed = text(&printed);
    assert!(printed.contains(&wifi_desk::domain::reading::grouped(&issued.access_code, 4)));
    assert!(!printed.contains("Need more time?"), "{printed}");
    assert!(!printed.contains("Extend by 1 day"), "{printed}");
}

/// Fails unless, half a second on, the client has been asked for `more` requests since `asked`.
async fn assert_requests(client: &Client, asked: u32, more: u32, what: &str) {
    gloo_timers::future::TimeoutFuture::new(500).await;
    assert_eq!(client.requests_asked() - asked, more, "{what}");
}

/// Now in UTC, from the browser's clock.
fn utc_now() -> chrono::NaiveDateTime {
    let d = js_sys::Date::new_0();
    chrono::NaiveDate::from_ymd_opt(
        d.get_utc_full_year() as i32,
        d.get_utc_month() + 1,
        d.get_utc_date(),
    )
    .and_then(|day| day.and_hms_opt(d.get_utc_hours(), d.get_utc_minutes(), d.get_utc_seconds()))
    .unwrap()
}

/// A zone's wall clock, whatever the browser's own; a name the browser does not know is refused.
#[wasm_bindgen_test]
fn a_time_zone_gives_its_wall_clock() {
    // POSIX names: Etc/GMT-14 is fourteen hours ahead of UTC.
    for (name, hours) in [("Etc/GMT-14", 14), ("Etc/GMT+12", -12), ("UTC", 0)] {
        let zone = clock::Zone::new(name).unwrap();
        let off = zone.now() - (utc_now() + chrono::Duration::hours(hours));
        assert!(off.num_seconds().abs() <= 2, "{name}: {off}");
    }
    let refused = clock::Zone::new("Mars/Olympus_Mons").err().unwrap();
    assert!(refused.contains("not a time zone"), "{refused}");
}

/// A `time-zone` the browser does not know is said once in the console, for whoever set the page
/// up, and the widget works on the browser's clock.
#[wasm_bindgen_test]
async fn a_time_zone_the_browser_does_not_know_is_warned_of_once() {
    /// `console.warn` recording what it is given, put back as it was when dropped.
    struct Warnings {
        console: JsValue,
        original: JsValue,
        said: js_sys::Array,
        _record: Closure<dyn Fn(JsValue)>,
    }
    impl Drop for Warnings {
        fn drop(&mut self) {
            js_sys::Reflect::set(&self.console, &"warn".into(), &self.original).unwrap();
        }
    }
    let console = js_sys::Reflect::get(&js_sys::global(), &"console".into()).unwrap();
    let said = js_sys::Array::new();
    let record = {
        let said = said.clone();
        Closure::<dyn Fn(JsValue)>::new(move |what: JsValue| {
            said.push(&what);
        })
    };
    let warnings = Warnings {
        original: js_sys::Reflect::get(&console, &"warn".into()).unwrap(),
        console,
        said,
        _record: record,
    };
    js_sys::Reflect::set(&warnings.console, &"warn".into(), warnings._record.as_ref()).unwrap();
    let host = host();
    let mut handle = mount(
        host.clone(),
        options(&[
            ("api-base", &api_base()),
            ("time-zone", "Mars/Olympus_Mons"),
        ]),
    )
    .unwrap();
    wait_for(&widget(&host), "the sign-in form", |r| {
        input(r, "Email").is_some()
    })
    .await;
    let about_it: Vec<String> = warnings
        .said
        .iter()
        .filter_map(|w| w.as_string())
        .filter(|w| w.contains("Mars/Olympus_Mons"))
        .collect();
    drop(warnings);
    assert_eq!(about_it.len(), 1, "{about_it:?}");
    assert!(about_it[0].contains("It is not used."), "{about_it:?}");
    handle.unmount();
}

/// What is shown changes when the clock reaches it, in real time across the nights the clocks
/// change: not an hour late on the night they go forward.
#[wasm_bindgen_test]
fn a_wait_for_the_clock_is_in_real_time_across_a_change_of_the_clocks() {
    let at = |text: &str| chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
    let london = clock::Zone::new("Europe/London").unwrap();
    let new_york = clock::Zone::new("America/New_York").unwrap();
    const MINUTE: f64 = 60_000.0;
    for (zone, utc, then, want) in [
        // Forward at 01:00 GMT: from 00:59, 02:00 is a minute away.
        (&london, "2025-03-30T00:59:00Z", "2025-03-30 02:00", MINUTE),
        // 01:30 is skipped: it passes when the clocks go forward.
        (&london, "2025-03-30T00:59:00Z", "2025-03-30 01:30", MINUTE),
        // Back at 02:00 EDT: from 01:30 EDT, 02:30 comes after 01:30 EST.
        (
            &new_york,
            "2025-11-02T05:30:00Z",
            "2025-11-02 02:30",
            120.0 * MINUTE,
        ),
        // Any other night, and a time passed.
        (
            &london,
            "2025-06-01T10:00:00Z",
            "2025-06-01 12:00",
            60.0 * MINUTE,
        ),
        (&london, "2025-06-01T10:00:00Z", "2025-06-01 10:00", 0.0),
    ] {
        let waited = clock::real_wait(Some(zone), js_sys::Date::parse(utc), at(then));
        assert!(
            (waited - want).abs() <= 1000.0,
            "from {utc} until {then}: {waited} ms, not {want}"
        );
    }
}

/// +1 hour moves a code's end an hour on the clock and at least an hour in real time, across the
/// nights the clocks change: not to a time the clocks skip.
#[wasm_bindgen_test]
fn an_hour_later_is_a_real_hour_when_the_clocks_change() {
    let at = |text: &str| chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
    let london = clock::Zone::new("Europe/London").unwrap();
    let new_york = clock::Zone::new("America/New_York").unwrap();
    for (zone, utc, from, want) in [
        // Forward at 01:00 GMT: 01:30 never comes; an hour after 00:30 is 02:30.
        (
            &london,
            "2025-03-30T00:30:00Z",
            "2025-03-30 00:30",
            "2025-03-30 02:30",
        ),
        // The same from the day before, the end still to come.
        (
            &london,
            "2025-03-29T12:00:00Z",
            "2025-03-30 00:30",
            "2025-03-30 02:30",
        ),
        // Back at 02:00 EDT: an hour after 01:30 EDT is 01:30 EST; on the clock, 02:30.
        (
            &new_york,
            "2025-11-02T05:30:00Z",
            "2025-11-02 01:30",
            "2025-11-02 02:30",
        ),
        // Any other night.
        (
            &london,
            "2025-06-01T10:00:00Z",
            "2025-06-01 12:00",
            "2025-06-01 13:00",
        ),
    ] {
        let later = clock::hours_later(Some(zone), js_sys::Date::parse(utc), at(from), 1);
        assert_eq!(later, at(want), "an hour after {from}, at {utc}");
    }
}

/// An hour preset ends that many real hours later and at least that many on the clock, across the
/// nights the clocks change.
#[wasm_bindgen_test]
fn the_hour_presets_last_their_hours_when_the_clocks_change() {
    use wifi_desk::domain::validity::Preset;
    let at = |text: &str| chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
    let london = clock::Zone::new("Europe/London").unwrap();
    let new_york = clock::Zone::new("America/New_York").unwrap();
    for (zone, utc, preset, from, to) in [
        // Forward at 01:00 GMT: 04:30 on the clock would be three real hours away.
        (
            &london,
            "2025-03-30T00:30:00Z",
            Preset::FourHours,
            "2025-03-30 00:30",
            "2025-03-30 05:30",
        ),
        // 01:30 does not exist that night.
        (
            &london,
            "2025-03-30T00:30:00Z",
            Preset::OneHour,
            "2025-03-30 00:30",
            "2025-03-30 02:30",
        ),
        // Back at 02:00 EDT: an hour after 01:30 EDT is 01:30 EST, no later on the clock.
        (
            &new_york,
            "2025-11-02T05:30:00Z",
            Preset::OneHour,
            "2025-11-02 01:30",
            "2025-11-02 02:30",
        ),
        // Any other night, and the seconds dropped.
        (
            &london,
            "2025-06-01T10:00:42Z",
            Preset::OneHour,
            "2025-06-01 11:00",
            "2025-06-01 12:00",
        ),
        // Days count on the clock.
        (
            &london,
            "2025-03-29T12:00:00Z",
            Preset::OneDay,
            "2025-03-29 12:00",
            "2025-03-30 12:00",
        ),
    ] {
        let window = clock::window(Some(zone), preset, js_sys::Date::parse(utc));
        assert_eq!(window, (at(from), at(to)), "{preset:?} from {utc}");
    }
}

/// Widgets on one page for spaces in other time zones, opened wherever the visitor is: each issues
/// its code from now on its own space's wall clock, and one that names no zone uses the browser's.
#[wasm_bindgen_test]
async fn each_widget_issues_on_the_wall_clock_of_its_spaces_time_zone() {
    let tag = marker("zone");
    let token = token_for("reception@example.com").await;
    let booking = |guid: &str, zone: Option<&str>| {
        let mut pairs = vec![
            ("api-base", api_base()),
            ("business-id", "1001".to_owned()),
            ("ssid", "Guest WiFi".to_owned()),
            ("mode", "booking".to_owned()),
            ("booking-guid", guid.to_owned()),
            ("token", token.clone()),
        ];
        // The camelCase of the `time-zone` attribute, as a script would write it.
        pairs.extend(zone.map(|z| ("timeZone", z.to_owned())));
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let host = host();
        let handle = mount(host.clone(), options(&pairs)).unwrap();
        (handle, widget(&host))
    };
    let spaces = [
        (Some("Etc/GMT-14"), Some(14)),
        (Some("Etc/GMT+12"), Some(-12)),
        // Drawn last, and naming no zone: the others keep theirs.
        (None, None),
    ];
    let widgets: Vec<_> = spaces
        .iter()
        .enumerate()
        .map(|(n, (zone, _))| {
            let guid = format!("{tag}-{n}");
            let (handle, root) = booking(&guid, *zone);
            (guid, handle, root)
        })
        .collect();
    let admin = admin_client().await;
    for ((guid, _handle, root), (zone, hours)) in widgets.iter().zip(spaces) {
        wait_for(root, "no code yet", |r| {
            text(r).contains("This booking has no code yet.")
        })
        .await;
        button(root, "Issue a code for this booking").click();
        wait_for(root, "the code", |r| !qr_name(r).is_empty()).await;
        let issued = booking_code(&admin, guid).await.unwrap();
        let there = match hours {
            Some(h) => utc_now() + chrono::Duration::hours(h),
            None => clock::now(),
        };
        let off = issued.valid_from.unwrap().local() - there;
        assert!(
            off.num_minutes().abs() <= 1,
            "{zone:?}: starts {off} from now there"
        );
    }
}

/// A create that lands after booking mode gave up waiting and looked for it: Issue, offered again,
/// sends the code it tried with the same terms, and the booking keeps one code.
#[wasm_bindgen_test]
async fn booking_mode_issuing_again_after_a_create_that_landed_late_is_one_code() {
    let guid = format!("{}-booking", marker("late"));
    let (client, root) = booking_without_a_code(&guid).await;
    let client = client.with_timeout_ms(1500);
    // Carried out 4 s after it arrives: the widget gives up at 1.5 s and looks the code up first.
    client.set_header(
        "X-Sandbox-Fault",
        Some("queued=4000@POST/api/spaces/accesstokens"),
    );
    let issue = "Issue a code for this booking";
    button(&root, issue).click();
    wait_for(&root, "the sentence", |r| {
        text(r).contains("it is not known whether the code was issued")
    })
    .await;
    client.set_header("X-Sandbox-Fault", None);
    wait_for(&root, "Issue offered again", |r| {
        all(r, "button").iter().any(|b| text(b) == issue)
    })
    .await;
    let admin = admin_client().await;
    let mut landed = None;
    for _ in 0..100 {
        landed = booking_code(&admin, &guid).await;
        if landed.is_some() {
            break;
        }
        gloo_timers::future::TimeoutFuture::new(100).await;
    }
    let landed = landed.expect("the create landed late");
    button(&root, issue).click();
    wait_for(&root, "the code, or a refusal", |r| {
        !qr_name(r).is_empty() || !alert(r).is_empty()
    })
    .await;
    let grouped = wifi_desk::domain::reading::grouped(&landed.access_code, 4);
    assert!(qr_name(&root).contains(&grouped), "{}", text(&root));
    let linked = admin
        .list(&ListQuery::new().filter(Field::BookingGuid, &guid))
        .await
        .unwrap()
        .records;
    assert_eq!(linked.len(), 1, "one code for the booking: {linked:?}");
}

#[wasm_bindgen_test]
async fn booking_mode_reads_its_codes_again_when_an_issue_has_no_known_outcome() {
    let guid = format!("{}-booking", marker("unknown"));
    let (client, root) = booking_without_a_code(&guid).await;
    // The create is carried out but its answer is lost, and looking the code up fails too.
    lose_the_create(&client, &guid);
    button(&root, "Issue a code for this booking").click();
    wait_for(&root, "the sentence", |r| {
        text(r).contains("it is not known whether the code was issued")
    })
    .await;
    // The booking's codes were asked for again (and failed here too): Issue is not offered again
    // for a code that may exist.
    wait_for(&root, "the read again, failed", |r| {
        all(r, "button").iter().any(|b| text(b) == "Try again")
    })
    .await;
    assert!(
        all(&root, "button")
            .iter()
            .all(|b| text(b) != "Issue a code for this booking"),
        "{}",
        text(&root)
    );
    // The focus follows what replaced the button pressed.
    let on = |name: &'static str| move |_: &Element| focused().is_some_and(|f| text(&f) == name);
    wait_for(&root, "the focus on Try again", on("Try again")).await;
    client.set_header("X-Sandbox-Fault", None);
    button(&root, "Try again").click();
    wait_for(&root, "the code that was issued", |r| {
        !qr_name(r).is_empty()
    })
    .await;
    wait_for(&root, "the focus on Print voucher", on("Print voucher")).await;
    let admin = admin_client().await;
    let linked = admin
        .list(&ListQuery::new().filter(Field::BookingGuid, &guid))
        .await
        .unwrap()
        .records;
    assert_eq!(linked.len(), 1, "one code for the booking");
}

#[wasm_bindgen_test]
async fn booking_mode_draws_what_it_issued_and_extended_without_reading_the_list_again() {
    let guid = format!("{}-booking", marker("drawn"));
    let (client, root) = booking_without_a_code(&guid).await;
    // From here every read is answered a second late: one sent after a write stays on the wire.
    client.set_header("X-Sandbox-Fault", Some("late=1000@GET"));
    let asked = client.requests_asked();
    button(&root, "Issue a code for this booking").click();
    wait_for(&root, "the code", |r| !qr_name(r).is_empty()).await;
    assert_requests(
        &client,
        asked,
        2,
        "the look-up of the new code, its create, and no read after it",
    )
    .await;
    let admin = admin_client().await;
    let issued = booking_code(&admin, &guid)
        .await
        .expect("linked to the booking");
    assert!(qr_name(&root).contains(&wifi_desk::domain::reading::grouped(&issued.access_code, 4)));

    let asked = client.requests_asked();
    button(&root, "Extend by 1 day").click();
    wait_for(&root, "extended", |r| {
        text(r).contains("Extended by 1 day.")
    })
    .await;
    assert_requests(
        &client,
        asked,
        3,
        "the extend's read, its write and the code read back, and no list",
    )
    .await;
    let until = issued.valid_to.unwrap().local() + chrono::Duration::days(1);
    let valid = text(&all(&root, ".wd-voucher .wd-valid")[0]);
    assert!(valid.ends_with(&clock::show(until)), "{valid}");

    // Extended again, the same sentence is said again: the live region is emptied first (a text
    // that stays the same is not read out).
    let region = all(&root, ".wd-message")[0].clone();
    let watched = region.clone();
    let said = Texts::record(&region, move || text(&watched));
    button(&root, "Extend by 1 day").click();
    wait_for(&root, "extended again", |_| {
        said.seen().iter().any(|t| t == "Extended by 1 day.")
    })
    .await;
    let said = said.seen();
    assert_eq!(said.first().map(String::as_str), Some(""), "{said:?}");
}

#[wasm_bindgen_test]
async fn booking_mode_says_when_the_server_did_not_keep_an_extends_minutes() {
    let guid = format!("{}-booking", marker("extend-kept"));
    let (client, root) = booking_without_a_code(&guid).await;
    button(&root, "Issue a code for this booking").click();
    wait_for(&root, "the code", |r| !qr_name(r).is_empty()).await;
    let issued = booking_code(&admin_client().await, &guid).await.unwrap();
    // A server where MinutesLeft is read-only moves the end and keeps the minutes left: the
    // visitor would run out a day early, and reception hears so.
    client.set_header(
        "X-Sandbox-Fault",
        Some("read-only-minutes@PUT/api/spaces/accesstokens"),
    );
    button(&root, "Extend by 1 day").click();
    let until = issued.valid_to.unwrap().local() + chrono::Duration::days(1);
    let sentence = format!(
        "The server did not keep all of the change. It has: Valid until {}; {} minutes left.",
        clock::show(until),
        issued.minutes_left
    );
    wait_for(&root, "what the server kept", |r| {
        all(r, ".wd-message").first().map(text) == Some(sentence.clone())
    })
    .await;
    assert!(shows_the_end(&root, until), "{}", text(&root));
}

/// A booking's code issued by the widget, then extended under `fault` (set on the widget's client
/// and taken away once the loss is said): the widget, the code as issued, and its end extended
/// once.
async fn an_extend_lost(tag: &str, fault: &str) -> (Element, AccessToken, chrono::NaiveDateTime) {
    let guid = format!("{}-booking", marker(tag));
    let (client, root) = booking_without_a_code(&guid).await;
    button(&root, "Issue a code for this booking").click();
    wait_for(&root, "the code", |r| !qr_name(r).is_empty()).await;
    let issued = booking_code(&admin_client().await, &guid).await.unwrap();
    client.set_header("X-Sandbox-Fault", Some(fault));
    button(&root, "Extend by 1 day").click();
    wait_for(&root, "the sentence", |r| {
        text(r).contains("it is not known whether the code was extended")
    })
    .await;
    client.set_header("X-Sandbox-Fault", None);
    let until = issued.valid_to.unwrap().local() + chrono::Duration::days(1);
    (root, issued, until)
}

/// Whether the widget shows the code ending `until`.
fn shows_the_end(root: &Element, until: chrono::NaiveDateTime) -> bool {
    all(root, ".wd-voucher .wd-valid")
        .first()
        .is_some_and(|v| text(v).ends_with(&clock::show(until)))
}

/// Fails unless the server has `issued` ending `until`.
async fn assert_ends(issued: &AccessToken, until: chrono::NaiveDateTime) {
    let stored = admin_client().await.get(issued.id).await.unwrap();
    assert_eq!(
        stored.valid_to.map(|w| w.local()),
        Some(until),
        "extended once"
    );
}

#[wasm_bindgen_test]
async fn booking_mode_shows_an_extend_whose_answer_was_lost_as_the_server_has_it() {
    // The change is made; its answer never comes back.
    let (root, issued, until) =
        an_extend_lost("extend-lost", "drop@PUT/api/spaces/accesstokens").await;
    wait_for(&root, "the code as the server has it", |r| {
        shows_the_end(r, until)
    })
    .await;
    assert_ends(&issued, until).await;
}

#[wasm_bindgen_test]
async fn booking_mode_waits_for_the_codes_read_after_a_lost_extend_before_extending_again() {
    // The change is made, its answer lost, and the codes read after it come three seconds late.
    let (root, issued, until) = an_extend_lost(
        "settling",
        "drop@PUT/api/spaces/accesstokens, late=3000@GET/api/spaces/accesstokens",
    )
    .await;
    // Pressed again before the codes are back: not a blind second day.
    let extend = button(&root, "Extend by 1 day");
    assert_eq!(
        extend.get_attribute("aria-disabled").as_deref(),
        Some("true")
    );
    extend.click();
    wait_for(&root, "the code as the server has it", |r| {
        shows_the_end(r, until)
            && button(r, "Extend by 1 day")
                .get_attribute("aria-disabled")
                .as_deref()
                == Some("false")
    })
    .await;
    gloo_timers::future::TimeoutFuture::new(500).await;
    assert_ends(&issued, until).await;
}

#[wasm_bindgen_test]
async fn booking_mode_disables_issue_with_the_reason_without_a_business_or_the_role() {
    let guid = format!("{}-booking", marker("cannot-issue"));
    let client = signed_in(Client::new(&api_base()), "reception@example.com").await;
    let subject = Some(Subject::Booking(guid));
    for (options, reason) in [
        (
            Options::new(api_base()).with_mode(Mode::Booking, subject.clone()),
            "This desk has no business set, so it cannot issue codes.",
        ),
        (
            Options::new(api_base())
                .with_business(1001)
                .with_roles(["AccessToken-List", "AccessToken-Edit"])
                .with_mode(Mode::Booking, subject.clone()),
            "Needs the AccessToken-Create role, which this account does not have.",
        ),
    ] {
        let root = mount_signed_in(options, client.clone());
        wait_for(&root, "no code yet", |r| {
            text(r).contains("This booking has no code yet.")
        })
        .await;
        let issue = button(&root, "Issue a code for this booking");
        assert!(issue.has_attribute("disabled"), "{reason}");
        assert!(text(&root).contains(reason), "{}", text(&root));
    }
}

#[wasm_bindgen_test]
async fn booking_mode_keeps_the_focus_off_the_body_when_a_role_is_found_missing() {
    let guid = format!("{}-booking", marker("role-found-missing"));
    let client = signed_in(Client::new(&api_base()), "viewer@example.com").await;
    let booking = Options::new(api_base())
        .with_business(1001)
        .with_mode(Mode::Booking, Some(Subject::Booking(guid)));
    let root = mount_signed_in(booking, client);
    wait_for(&root, "no code yet", |r| {
        text(r).contains("This booking has no code yet.")
    })
    .await;
    press_button(&root, "Issue a code for this booking");
    wait_for(&root, "the refusal", |r| {
        text(r).contains("AccessToken-Create role needed")
    })
    .await;
    // Issue is disabled now: the focus goes to the heading, not to the page's body.
    wait_for(&root, "the focus on the heading", |_| {
        focused().is_some_and(|f| f.id() == "wd-booking-title")
    })
    .await;
}

#[wasm_bindgen_test]
async fn booking_mode_offers_no_extend_for_a_code_with_no_end() {
    let guid = format!("{}-booking", marker("no-end"));
    let admin = admin_client().await;
    let client = signed_in(Client::new(&api_base()), "reception@example.com").await;
    let token = AccessToken {
        business_id: Some(1001),
        access_code: wifi_desk::domain::code::generate(Default::default()),
        booking_guid: Some(guid.clone()),
        minutes_included: 120,
        minutes_left: 120,
        ..AccessToken::default()
    };
    admin.create(&token).await.unwrap();
    let booking = Options::new(api_base())
        .with_business(1001)
        .with_mode(Mode::Booking, Some(Subject::Booking(guid)));
    let root = mount_signed_in(booking, client);
    wait_for(&root, "its voucher", |r| !qr_name(r).is_empty()).await;
    assert!(
        text(&root).contains("This code has no end date: it works until its minutes are used up."),
        "{}",
        text(&root)
    );
    let buttons: Vec<String> = all(&root, "button").iter().map(text).collect();
    assert_eq!(buttons, ["Print voucher"], "nothing to extend");
    // No business here, but no Issue button either: nothing is said of issuing.
    assert!(!text(&root).contains("cannot issue"), "{}", text(&root));
}

#[wasm_bindgen_test]
async fn booking_mode_moves_the_focus_to_what_appears_and_keeps_it_on_extend() {
    let guid = format!("{}-booking", marker("focus"));
    let (_client, root) = booking_without_a_code(&guid).await;
    press_button(&root, "Issue a code for this booking");
    wait_for(&root, "the code", |r| !qr_name(r).is_empty()).await;
    let print = button(&root, "Print voucher");
    assert!(
        focused().is_some_and(|f| f.is_same_node(Some(&print))),
        "the focus moves to the new code's first action, not to the page: {:?}",
        focused().map(|f| f.tag_name())
    );

    let extend = button(&root, "Extend by 1 day");
    extend.focus().unwrap();
    extend.click();
    wait_for(&root, "extended", |r| {
        text(r).contains("Extended by 1 day.")
    })
    .await;
    assert!(
        extend.is_connected(),
        "the button acted on is kept, not drawn anew"
    );
    assert!(
        focused().is_some_and(|f| f.is_same_node(Some(&extend))),
        "the focus stays on Extend: {:?}",
        focused().map(|f| f.tag_name())
    );
}

/// A code made without the widget, valid from two days ago until yesterday.
async fn ended_yesterday(admin: &Client) -> AccessToken {
    let now = clock::now();
    let mut ended = AccessToken {
        business_id: Some(1001),
        access_code: wifi_desk::domain::code::generate(Default::default()),
        minutes_included: 60,
        minutes_left: 60,
        valid_from: Some(WallClock::new(now - chrono::Duration::days(2))),
        valid_to: Some(WallClock::new(now - chrono::Duration::days(1))),
        ..AccessToken::default()
    };
    ended.id = admin.create(&ended).await.unwrap();
    ended
}

#[wasm_bindgen_test]
async fn visitor_mode_says_a_code_has_ended_instead_of_showing_it() {
    let admin = admin_client().await;
    let now = clock::now();
    let bearer = token_for("viewer@example.com").await;
    let show = |id: i64| {
        let host = host();
        let handle = mount(
            host.clone(),
            options(&[
                ("api-base", &api_base()),
                ("mode", "visitor"),
                ("token-id", &id.to_string()),
                ("token", &bearer),
            ]),
        )
        .unwrap();
        (widget(&host), handle)
    };
    let expired = ended_yesterday(&admin).await;
    let (root, _a) = show(expired.id);
    wait_for(&root, "the sentence", |r| text(r).contains("ended on")).await;
    assert!(text(&root).contains("Ask at reception for a new one."));
    assert!(
        qr_name(&root).is_empty(),
        "no QR code for a code that ended"
    );
    assert!(!text(&root).contains(&wifi_desk::domain::reading::grouped(
        &expired.access_code,
        4
    )));
    assert!(all(&root, "button").is_empty(), "nothing to print");

    let mut used_up = AccessToken {
        access_code: wifi_desk::domain::code::generate(Default::default()),
        minutes_left: 0,
        valid_to: Some(WallClock::new(now + chrono::Duration::days(1))),
        ..expired
    };
    used_up.id = admin.create(&used_up).await.unwrap();
    let (root, _b) = show(used_up.id);
    wait_for(&root, "the sentence", |r| {
        text(r).contains("used all its minutes")
    })
    .await;
    assert!(qr_name(&root).is_empty());

    // A code that ends while the visitor looks at it: the page says so then, without a reload.
    let mut ending = AccessToken {
        access_code: wifi_desk::domain::code::generate(Default::default()),
        minutes_left: 60,
        valid_to: Some(WallClock::new(clock::now() + chrono::Duration::seconds(8))),
        ..used_up
    };
    ending.id = admin.create(&ending).await.unwrap();
    let (root, _c) = show(ending.id);
    wait_for(&root, "its QR code", |r| !qr_name(r).is_empty()).await;
    wait_for(&root, "the sentence when it ends", |r| {
        text(r).contains("ended on")
    })
    .await;
    assert!(qr_name(&root).is_empty(), "its QR code gone");
}

#[wasm_bindgen_test]
async fn visitor_mode_tries_again_after_a_failed_read() {
    let admin = admin_client().await;
    let guid = format!("{}-visitor", marker("v-retry"));
    let now = clock::now();
    let token = AccessToken {
        business_id: Some(1001),
        access_code: wifi_desk::domain::code::generate(Default::default()),
        visitor_guid: Some(guid.clone()),
        valid_from: Some(WallClock::new(now)),
        valid_to: Some(WallClock::new(now + chrono::Duration::hours(2))),
        ..AccessToken::default()
    };
    admin.create(&token).await.unwrap();
    let client = signed_in(Client::new(&api_base()), "viewer@example.com").await;
    client.set_header("X-Sandbox-Fault", Some("500@GET/api/spaces/accesstokens"));
    let visitor = Options::new(api_base()).with_mode(Mode::Visitor, Some(Subject::Visitor(guid)));
    let root = mount_signed_in(visitor, client.clone());
    wait_for(&root, "the failure, and a way on", |r| {
        !alert(r).is_empty() && all(r, "button").iter().any(|b| text(b) == "Try again")
    })
    .await;
    client.set_header("X-Sandbox-Fault", None);
    press_button(&root, "Try again");
    wait_for(&root, "the code", |r| !qr_name(r).is_empty()).await;
    wait_for(&root, "the focus on Print", |_| {
        focused().is_some_and(|f| text(&f) == "Print")
    })
    .await;
}

#[wasm_bindgen_test]
async fn visitor_mode_shows_one_code_and_nothing_else() {
    let admin = admin_client().await;
    let guid = format!("{}-visitor", marker("v"));
    let now = clock::now();
    let mut token = AccessToken {
        business_id: Some(1001),
        access_code: wifi_desk::domain::code::generate(Default::default()),
        visitor_guid: Some(guid.clone()),
        minutes_included: 60,
        minutes_left: 60,
        valid_from: Some(WallClock::new(now)),
        valid_to: Some(WallClock::new(now + chrono::Duration::hours(2))),
        ..AccessToken::default()
    };
    token.id = admin.create(&token).await.unwrap();
    let host = host();
    let _handle = mount(
        host.clone(),
        options(&[
            ("api-base", &api_base()),
            ("mode", "visitor"),
            ("visitor-guid", &guid),
            ("auth", "proxy"),
            ("token", ""),
        ]),
    )
    .unwrap();
    let root = widget(&host);
    // Told a proxy adds the credentials, but none does here: the visitor reads why, not a blank.
    wait_for(&root, "a sentence", |r| !alert(r).is_empty()).await;

    let bearer = token_for("viewer@example.com").await;
    let host = self::host();
    let _handle = mount(
        host.clone(),
        options(&[
            ("api-base", &api_base()),
            ("mode", "visitor"),
            ("visitor-guid", &guid),
            ("token", &bearer),
        ]),
    )
    .unwrap();
    let root = widget(&host);
    wait_for(&root, "the code", |r| !qr_name(r).is_empty()).await;
    assert!(text(&root).contains(&wifi_desk::domain::reading::grouped(&token.access_code, 4)));
    let buttons: Vec<String> = all(&root, "button").iter().map(text).collect();
    assert_eq!(buttons, ["Print"], "nothing else is reachable");
    assert!(input(&root, "Search").is_none());
}

#[wasm_bindgen_test]
async fn a_failed_list_offers_to_try_again() {
    let token = token_for("viewer@example.com").await;
    // The host's callback fails the first time it is asked, as a page whose session is still
    // loading might, then gives the token.
    let make = js_sys::Function::new_with_args(
        "token",
        "let asked = 0; return () => { asked += 1; if (asked === 1) { throw new Error('not yet'); } return token; };",
    );
    let get_token = make.call1(&JsValue::NULL, &token.into()).unwrap();
    let object = options(&[("api-base", &api_base())]);
    js_sys::Reflect::set(&object, &"getToken".into(), &get_token).unwrap();
    let host = host();
    let _handle = mount(host.clone(), object).unwrap();
    let root = widget(&host);
    wait_for(&root, "the failure", |r| text(r).contains("not signed in")).await;
    button(&root, "Try again").click();
    wait_for(&root, "the list", |r| !rows(r).is_empty()).await;
    assert!(
        all(&root, "button").iter().all(|b| text(b) != "Try again"),
        "gone once it worked"
    );
}

/// The widget's stylesheet as a URL, as the bundle's `core/wifi-desk.css` would be linked.
fn stylesheet_url() -> String {
    let parts = js_sys::Array::of1(&include_str!("../style/wifi-desk.css").into());
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type("text/css");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &bag).unwrap();
    web_sys::Url::create_object_url_with_blob(&blob).unwrap()
}

#[wasm_bindgen_test]
async fn a_widget_first_drawn_shows_and_is_told_ready_once_its_stylesheet_has_loaded() {
    let host = host();
    let ready = count_ready(&host);
    let _handle = mount(
        host.clone(),
        options(&[("api-base", &api_base()), ("stylesheet", &stylesheet_url())]),
    )
    .unwrap();
    let shadow: web_sys::ShadowRoot = widget(&host).get_root_node().unchecked_into();
    let link: web_sys::HtmlLinkElement = shadow.first_element_child().unwrap().unchecked_into();
    let container: HtmlElement = shadow.last_element_child().unwrap().unchecked_into();
    // Not shown unstyled meanwhile, nor told.
    assert!(link.sheet().is_none(), "the stylesheet is still loading");
    assert!(container.hidden(), "hidden until it is styled");
    wait_for(&widget(&host), "the page told", |_| ready.get() >= 1).await;
    assert!(
        link.sheet().is_some(),
        "told once the stylesheet has loaded"
    );
    assert!(!container.hidden(), "shown then");
    gloo_timers::future::TimeoutFuture::new(200).await;
    assert_eq!(ready.get(), 1, "told once");
    host.remove();
}

#[wasm_bindgen_test]
async fn a_new_stylesheet_alone_is_told_once_it_is_on_screen() {
    let element = desk_element();
    element
        .set_attribute("stylesheet", &stylesheet_url())
        .unwrap();
    document().body().unwrap().append_child(&element).unwrap();
    let root = widget(&element);
    wait_for(&root, "the sign-in form", |r| input(r, "Email").is_some()).await;
    gloo_timers::future::TimeoutFuture::new(200).await;
    let ready = count_ready(&element);
    element
        .set_attribute("stylesheet", &stylesheet_url())
        .unwrap();
    wait_for(&root, "the page told", |_| ready.get() == 1).await;
    gloo_timers::future::TimeoutFuture::new(200).await;
    assert_eq!(ready.get(), 1, "told once");
    element.remove();
}

#[wasm_bindgen_test]
async fn a_page_that_sets_its_attributes_again_when_told_ready_is_told_once() {
    let element = desk_element();
    element.set_attribute("ssid", "Guests").unwrap();
    document().body().unwrap().append_child(&element).unwrap();
    let root = widget(&element);
    wait_for(&root, "the sign-in form", |r| input(r, "Email").is_some()).await;
    gloo_timers::future::TimeoutFuture::new(200).await;
    // A page that, told `ready`, sets what it wants shown again (the same network, the same
    // token) changes nothing: it is not told again, or it would be told for ever.
    let ready = count_ready(&element);
    let again = {
        let element = element.clone();
        Closure::<dyn Fn()>::new(move || {
            element.set_attribute("ssid", "Visitors").unwrap();
            js_sys::Reflect::set(&element, &"token".into(), &JsValue::NULL).unwrap();
        })
    };
    element
        .add_event_listener_with_callback("wifi-desk:ready", again.as_ref().unchecked_ref())
        .unwrap();
    element.set_attribute("ssid", "Visitors").unwrap();
    wait_for(&root, "the page told", |_| ready.get() >= 1).await;
    gloo_timers::future::TimeoutFuture::new(500).await;
    assert_eq!(ready.get(), 1, "told once");
    element.remove();
}

#[wasm_bindgen_test]
async fn the_host_themes_the_widget_through_custom_properties_parts_and_theme() {
    let style = document().create_element("style").unwrap();
    style.set_text_content(Some(
        "wifi-desk.themed { --wifi-desk-accent: rgb(106, 27, 154); } \
         wifi-desk.themed.both { --wifi-desk-dark-accent: rgb(206, 147, 216); } \
         wifi-desk.themed::part(voucher) { border-color: rgb(0, 128, 0); }",
    ));
    document().head().unwrap().append_child(&style).unwrap();
    let admin = admin_client().await;
    let code = live_code(&admin, "themed").await;
    let element = desk_element();
    element.set_class_name("themed both");
    for (name, value) in [
        ("mode", "visitor".to_owned()),
        ("token-id", code.id.to_string()),
        ("theme", "dark".to_owned()),
        ("stylesheet", stylesheet_url()),
    ] {
        element.set_attribute(name, &value).unwrap();
    }
    let token = token_for("viewer@example.com").await;
    js_sys::Reflect::set(&element, &"token".into(), &token.into()).unwrap();
    document().body().unwrap().append_child(&element).unwrap();
    let root = widget(&element);
    wait_for(&root, "the voucher", |r| !qr_name(r).is_empty()).await;
    let window = web_sys::window().unwrap();
    let computed = |selector: &str, property: &str| {
        let node = root.query_selector(selector).unwrap().unwrap();
        window
            .get_computed_style(&node)
            .unwrap()
            .unwrap()
            .get_property_value(property)
            .unwrap()
    };
    wait_for(&root, "the stylesheet", |_| {
        computed(".wifi-desk", "background-color") == "rgb(21, 24, 29)"
    })
    .await;
    assert_eq!(
        computed(".wd-voucher", "border-top-color"),
        "rgb(0, 128, 0)",
        "::part(voucher)"
    );
    assert_eq!(
        computed("button", "background-color"),
        "rgb(206, 147, 216)",
        "--wifi-desk-dark-accent in the dark theme"
    );
    // A colour set for the light theme alone does not reach the dark one, where it may not read.
    element.set_class_name("themed");
    assert_eq!(
        computed("button", "background-color"),
        "rgb(111, 177, 255)",
        "the dark theme's own accent"
    );
    element.set_attribute("theme", "light").unwrap();
    let root = widget(&element);
    wait_for(&root, "the light theme", |r| {
        let node = r.query_selector("button").unwrap();
        node.and_then(|n| window.get_computed_style(&n).unwrap())
            .and_then(|s| s.get_property_value("background-color").ok())
            .as_deref()
            == Some("rgb(106, 27, 154)")
    })
    .await;
    element.remove();
    style.remove();
}

/// The tab's storage, emptied of what other tests kept, and the key a token for the sandbox's API
/// is kept under.
fn no_kept_token() -> (web_sys::Storage, String) {
    let storage = web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap();
    storage.clear().unwrap();
    (storage, format!("wifi-desk:token:{}", api_base()))
}

/// A widget whose page opts in to keeping the token, once staff signed in with its form as a
/// viewer and the token is kept: the tab's storage, the token's key, the widget's host and its
/// handle.
async fn kept_after_signing_in() -> (web_sys::Storage, String, HtmlElement, MountHandle) {
    let (storage, key) = no_kept_token();
    let host = host();
    let handle =
        signed_in_with_form(&host, &[("api-base", &api_base()), ("remember", "session")]).await;
    assert!(
        storage.get_item(&key).unwrap().is_some(),
        "kept for the tab"
    );
    (storage, key, host, handle)
}

/// The widget mounted in `host` with `pairs`, once staff signed in with its form as a viewer.
async fn signed_in_with_form(host: &HtmlElement, pairs: &[(&str, &str)]) -> MountHandle {
    let handle = mount(host.clone(), options(pairs)).unwrap();
    let root = widget(host);
    wait_for(&root, "the form", |r| input(r, "Email").is_some()).await;
    sign_in(&root, "viewer@example.com", "wifi-desk").await;
    wait_for(&root, "signed in", |r| text(r).contains("Signed in as")).await;
    handle
}

#[wasm_bindgen_test]
async fn the_token_is_kept_for_the_tab_only_when_the_host_opts_in() {
    let (storage, key) = no_kept_token();

    let plain = host();
    let _plain = signed_in_with_form(&plain, &[("api-base", &api_base())]).await;
    assert_eq!(storage.length().unwrap(), 0, "memory only by default");

    let kept = host();
    let mut first =
        signed_in_with_form(&kept, &[("api-base", &api_base()), ("remember", "session")]).await;
    assert!(
        storage
            .get_item(&key)
            .unwrap()
            .is_some_and(|t| !t.is_empty()),
        "kept for the tab"
    );
    first.unmount();

    // A reload: a new widget with the same options starts signed in.
    let again = host();
    let mut second = mount(
        again.clone(),
        options(&[("api-base", &api_base()), ("remember", "session")]),
    )
    .unwrap();
    let root = widget(&again);
    wait_for(&root, "the list, no sign-in", |r| !rows(r).is_empty()).await;
    assert!(
        text(&root).contains("Signed in as viewer@example.com"),
        "whose session it is, not \"this page's account\": {}",
        text(&root)
    );
    // Drawn again with other options, it stays signed in with the token it restored.
    second
        .update(options(&[
            ("api-base", &api_base()),
            ("remember", "session"),
            ("theme", "dark"),
        ]))
        .unwrap();
    let root = widget(&again);
    wait_for(&root, "the list after a redraw", |r| !rows(r).is_empty()).await;
    button(&root, "Sign out").click();
    wait_for(&root, "signed out", |r| input(r, "Email").is_some()).await;
    assert_eq!(
        storage.length().unwrap(),
        0,
        "signing out forgets it, and whose it was"
    );
}

/// The page taking `remember` away forgets every token the widget kept, also one kept for the
/// API it was on before.
#[wasm_bindgen_test]
async fn taking_remember_away_forgets_the_token_kept_for_an_api_left_before() {
    let (storage, _, host, mut handle) = kept_after_signing_in().await;
    // Another API (the same server under another name), then no more keeping.
    let other = api_base().replace("127.0.0.1", "localhost");
    handle
        .update(options(&[("api-base", &other), ("remember", "session")]))
        .unwrap();
    wait_for(&widget(&host), "asked to sign in there", |r| {
        input(r, "Email").is_some()
    })
    .await;
    handle.update(options(&[("api-base", &other)])).unwrap();
    wait_for(&widget(&host), "no token kept", |_| {
        (0..storage.length().unwrap())
            .filter_map(|i| storage.key(i).unwrap())
            .all(|k| !k.starts_with("wifi-desk:"))
    })
    .await;
    handle.unmount();
}

/// A widget whose page takes `remember` away forgets the tokens it kept, not one another widget on
/// the page has kept for the same API since.
#[wasm_bindgen_test]
async fn taking_remember_away_leaves_another_widgets_kept_token() {
    let (storage, key, host, mut handle) = kept_after_signing_in().await;
    // Another widget takes the kept token up; its staff sign out and in again, and it keeps
    // its own.
    let other = self::host();
    let _other = mount(
        other.clone(),
        options(&[("api-base", &api_base()), ("remember", "session")]),
    )
    .unwrap();
    let theirs = widget(&other);
    wait_for(&theirs, "the token taken up", |r| !rows(r).is_empty()).await;
    button(&theirs, "Sign out").click();
    wait_for(&theirs, "signed out", |r| input(r, "Email").is_some()).await;
    sign_in(&theirs, "viewer@example.com", "wifi-desk").await;
    wait_for(&theirs, "its token kept", |_| {
        storage.get_item(&key).unwrap().is_some()
    })
    .await;
    let theirs = storage.get_item(&key).unwrap();
    handle
        .update(options(&[("api-base", &api_base())]))
        .unwrap();
    wait_for(&widget(&host), "the list after the change", |r| {
        !rows(r).is_empty()
    })
    .await;
    gloo_timers::future::TimeoutFuture::new(300).await;
    assert_eq!(storage.get_item(&key).unwrap(), theirs);
    handle.unmount();
    storage.clear().unwrap();
}

/// A token kept for the tab is not taken up over a proxy that adds the credentials
/// (`auth="proxy"`): it would be sent beside them, as the page's.
#[wasm_bindgen_test]
async fn a_kept_token_is_not_taken_up_behind_a_proxy() {
    let (storage, key) = no_kept_token();
    storage
        .set_item(&key, &token_for("viewer@example.com").await)
        .unwrap();
    let host = host();
    let mut handle = mount(
        host.clone(),
        options(&[
            ("api-base", &api_base()),
            ("remember", "session"),
            ("auth", "proxy"),
        ]),
    )
    .unwrap();
    // No proxy adds credentials here: the list is refused, not read with the kept token.
    wait_for(&widget(&host), "the page's sign-in refused", |r| {
        alert(r).contains("did not accept this page's sign-in")
    })
    .await;
    handle.unmount();
    storage.clear().unwrap();
}

/// A mode misspelt by the page (`mode="vistor"`) is said, not taken for the console: visitors are
/// not shown a staff sign-in.
#[wasm_bindgen_test]
async fn a_mode_the_widget_does_not_have_is_said_not_guessed() {
    let element = desk_element();
    element.set_attribute("mode", "vistor").unwrap();
    element.set_attribute("token-id", "1").unwrap();
    document().body().unwrap().append_child(&element).unwrap();
    let root = widget(&element);
    wait_for(&root, "a sentence", |r| !alert(r).is_empty()).await;
    assert!(
        alert(&root).contains("its mode must be console, booking or visitor"),
        "{}",
        alert(&root)
    );
    assert!(input(&root, "Email").is_none(), "no sign-in form");
    element.set_attribute("mode", "visitor").unwrap();
    wait_for(&root, "the visitor's view asking for a sign-in", |r| {
        !alert(r).contains("its mode must be")
    })
    .await;
    element.remove();
}

/// Staff signing in to a booking's widget with its form: the form goes, and the focus goes on to
/// what appears (its heading), not to the page's body.
#[wasm_bindgen_test]
async fn signing_in_to_a_booking_moves_the_focus_to_what_appears() {
    let guid = format!("booking-{}", marker("focus"));
    let element = desk_element();
    for (name, value) in [
        ("mode", "booking"),
        ("booking-guid", guid.as_str()),
        ("business-id", "1001"),
    ] {
        element.set_attribute(name, value).unwrap();
    }
    document().body().unwrap().append_child(&element).unwrap();
    let root = widget(&element);
    wait_for(&root, "the sign-in form", |r| input(r, "Email").is_some()).await;
    type_into(&root, "Email", "reception@example.com");
    type_into(&root, "Password", "wifi-desk");
    let password = input(&root, "Password").unwrap();
    password.focus().unwrap();
    // Enter in the password field, as staff sign in.
    press(&password, "Enter");
    button(&root, "Sign in").click();
    wait_for(&root, "the booking", |r| {
        text(r).contains("This booking has no code yet.")
    })
    .await;
    let shadow: web_sys::ShadowRoot = root.get_root_node().unchecked_into();
    wait_for(&root, "the focus on the booking's heading", |_| {
        shadow
            .active_element()
            .is_some_and(|f| f.is_connected() && f.tag_name().eq_ignore_ascii_case("h2"))
    })
    .await;
    element.remove();
}

#[wasm_bindgen_test]
async fn a_kept_session_that_ended_unused_is_taken_up_with_the_focus_in_the_widget() {
    let storage = web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap();
    let key = format!("wifi-desk:token:{}", api_base());
    storage
        .set_item(&key, "a-token-the-server-no-longer-takes")
        .unwrap();
    let host = host();
    let _handle = mount(
        host.clone(),
        options(&[("api-base", &api_base()), ("remember", "session")]),
    )
    .unwrap();
    let root = widget(&host);
    // The page loads with the kept token, which the server refuses before staff touch anything.
    wait_for(&root, "the way to sign in again", |r| {
        text(r).contains("Sign in again")
    })
    .await;
    let shadow: web_sys::ShadowRoot = root.get_root_node().unchecked_into();
    assert!(
        shadow.active_element().is_none(),
        "the page's load does not move the focus"
    );
    type_into(&root, "Email", "viewer@example.com");
    type_into(&root, "Password", "wifi-desk");
    input(&root, "Password").unwrap().focus().unwrap();
    button(&root, "Sign in").click();
    wait_for(&root, "the session taken up again", |r| {
        input(r, "Password").is_none()
    })
    .await;
    wait_for(&root, "the focus on what is shown", |_| {
        shadow.active_element().is_some_and(|f| f.is_connected())
    })
    .await;
    // The list that the refusal had stopped is read again, not left saying to sign in.
    wait_for(&root, "the list", |r| !rows(r).is_empty()).await;
    assert!(!text(&root).contains("Please sign in again"));
    storage.remove_item(&key).unwrap();
}

#[wasm_bindgen_test]
async fn printing_from_a_host_page_prints_the_voucher_alone() {
    let admin = admin_client().await;
    let code = live_code(&admin, "printed").await;
    let stylesheet = stylesheet_url();
    let host = host();
    let _handle = mount(
        host.clone(),
        options(&[
            ("api-base", &api_base()),
            ("mode", "visitor"),
            ("token-id", &code.id.to_string()),
            ("stylesheet", &stylesheet),
            ("token", &token_for("viewer@example.com").await),
        ]),
    )
    .unwrap();
    let root = widget(&host);
    wait_for(&root, "the voucher", |r| !qr_name(r).is_empty()).await;
    let shadow = root.parent_node().unwrap();
    let printed = catch_print(&shadow);
    // The page's own print is never the fallback here: it would print the host's page.
    let window = web_sys::window().unwrap();
    let page_print = js_sys::Reflect::get(&window, &"print".into()).unwrap();
    let count = js_sys::Function::new_no_args("window.pagePrints = (window.pagePrints || 0) + 1;");
    js_sys::Reflect::set(&window, &"print".into(), &count).unwrap();
    // Pressed twice at once: one frame, printed once.
    button(&root, "Print").click();
    button(&root, "Print").click();
    let frame = printed_frame(printed, "Print").await;
    assert!(
        frame.is_connected(),
        "the first press's frame is the one printed"
    );
    let frames = shadow
        .unchecked_ref::<web_sys::ShadowRoot>()
        .query_selector_all("iframe");
    assert_eq!(frames.unwrap().length(), 1, "one frame");
    js_sys::Reflect::set(&window, &"print".into(), &page_print).unwrap();
    let page_prints = js_sys::Reflect::get(&window, &"pagePrints".into()).unwrap();
    assert!(
        page_prints.is_undefined(),
        "the page printed {page_prints:?} times"
    );
    assert_eq!(frame.class_name(), wifi_desk::ui::PRINT_FRAME_CLASS);
    assert_eq!(frame.get_attribute("aria-hidden").as_deref(), Some("true"));
    assert_eq!(
        window
            .get_computed_style(&frame)
            .unwrap()
            .unwrap()
            .get_property_value("visibility")
            .unwrap(),
        "hidden",
        "the frame stays out of sight"
    );

    let inside = frame.content_document().unwrap();
    let body = inside.body().unwrap();
    let printed_text = body.text_content().unwrap_or_default();
    let grouped = wifi_desk::domain::reading::grouped(&code.access_code, 4);
    assert!(printed_text.contains(&grouped), "{printed_text}");
    assert!(body
        .query_selector(".wd-voucher .wd-qr svg")
        .unwrap()
        .is_some());
    assert!(
        body.query_selector("button").unwrap().is_none(),
        "no buttons on paper"
    );
    assert!(
        !printed_text.contains("The host's own text"),
        "nothing of the host page"
    );
    let links = inside.query_selector_all("link[rel=stylesheet]").unwrap();
    assert_eq!(links.length(), 1, "the widget's stylesheet, and only it");
    let link: web_sys::HtmlLinkElement = links.item(0).unwrap().unchecked_into();
    assert_eq!(link.href(), stylesheet);
    let sheets = js_sys::Reflect::get(&inside, &"styleSheets".into()).unwrap();
    let loaded = js_sys::Reflect::get(&sheets, &"length".into()).unwrap();
    assert_eq!(loaded.as_f64(), Some(1.0), "loaded before printing");

    let after = web_sys::Event::new("afterprint").unwrap();
    frame
        .content_window()
        .unwrap()
        .dispatch_event(&after)
        .unwrap();
    assert!(
        frame.parent_node().is_none(),
        "the frame goes after printing"
    );
    host.remove();
}

#[wasm_bindgen_test]
async fn two_widgets_on_a_page_each_print_their_own_voucher_at_once() {
    let viewer = token_for("viewer@example.com").await;
    print_two_at_once(|code| {
        let viewer = viewer.clone();
        async move {
            let host = host();
            let handle = mount(
                host.clone(),
                options(&[
                    ("api-base", &api_base()),
                    ("mode", "visitor"),
                    ("token-id", &code.id.to_string()),
                    ("token", &viewer),
                ]),
            )
            .unwrap();
            (widget(&host), host, Some(handle))
        }
    })
    .await;
}

#[wasm_bindgen_test]
async fn two_widgets_drawn_in_the_page_each_print_their_own_voucher_at_once() {
    print_two_at_once(|code| async move {
        let options =
            Options::new(api_base()).with_mode(Mode::Visitor, Some(Subject::Token(code.id)));
        let viewer = signed_in(Client::new(&api_base()), "viewer@example.com").await;
        let root = mount_signed_in(options, viewer);
        (root.clone(), root.unchecked_into(), None)
    })
    .await;
}

/// Shows two codes' vouchers in two widgets drawn by `draw` (giving the element each is drawn in,
/// the element to remove after and the handle to keep), presses Print in both at once, and checks
/// each prints its own, from beside itself.
async fn print_two_at_once<F, D>(draw: D)
where
    D: Fn(AccessToken) -> F,
    F: std::future::Future<Output = (Element, HtmlElement, Option<MountHandle>)>,
{
    let admin = admin_client().await;
    let mut shown = Vec::new();
    for what in ["first printed", "second printed"] {
        let code = live_code(&admin, what).await;
        let (root, host, handle) = draw(code.clone()).await;
        wait_for(&root, "the voucher", |r| !qr_name(r).is_empty()).await;
        shown.push((code, root, host, handle));
    }
    let caught: Vec<_> = shown
        .iter()
        .map(|(_, root, ..)| catch_print(root))
        .collect();
    // The second is pressed while the first's print is still being prepared.
    for (_, root, ..) in &shown {
        button(root, "Print").click();
    }
    for ((code, root, ..), caught) in shown.iter().zip(caught) {
        let frame = printed_frame(caught, "Print").await;
        let printed = text(&frame.content_document().unwrap().body().unwrap());
        let grouped = wifi_desk::domain::reading::grouped(&code.access_code, 4);
        assert!(printed.contains(&grouped), "{grouped} in {printed}");
        assert!(
            root.contains(Some(&frame)),
            "each frame beside its own widget"
        );
    }
    for (_, _, host, _) in shown {
        host.remove();
    }
}

/// Uncaught errors and rejected promises on the page from now on, as text: a panic in the widget's
/// wasm, say.
fn page_errors() -> Rc<RefCell<Vec<String>>> {
    let seen: Rc<RefCell<Vec<String>>> = Rc::default();
    for kind in ["error", "unhandledrejection"] {
        let keep = seen.clone();
        let listener = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
            let what = js_sys::Reflect::get(&e, &"error".into())
                .ok()
                .filter(|v| !v.is_undefined())
                .or_else(|| js_sys::Reflect::get(&e, &"reason".into()).ok())
                .and_then(|v| js_sys::JSON::stringify(&v).ok())
                .and_then(|v| v.as_string());
            keep.borrow_mut().push(format!("{}: {what:?}", e.type_()));
        });
        web_sys::window()
            .unwrap()
            .add_event_listener_with_callback(kind, listener.as_ref().unchecked_ref())
            .unwrap();
        listener.forget();
    }
    seen
}

/// Finds `code` in the console's list by its description and opens its detail.
async fn open_by_description(root: &Element, code: &AccessToken) {
    wait_for(root, "the list", |r| input(r, "Search").is_some()).await;
    type_into(root, "Search", code.description.as_deref().unwrap());
    wait_for(root, "the code", |r| rows(r).len() == 1).await;
    open_first_code(root).await;
}

/// Presses `press` with the page set to take the widget `handle` drew in `host` away, from its
/// listener, the moment `host` hears `event`, as a portal putting its own confirmation in the
/// widget's place would; then waits for what the widget had still to do: no error reaches the page.
async fn taken_away_on(host: &HtmlElement, event: &str, handle: MountHandle, press: &HtmlElement) {
    let heard = Rc::new(std::cell::Cell::new(false));
    let (mut handle, took) = (Some(handle), heard.clone());
    let listener = Closure::<dyn FnMut()>::new(move || {
        took.set(true);
        if let Some(mut widget) = handle.take() {
            widget.unmount();
        }
    });
    host.add_event_listener_with_callback(event, listener.as_ref().unchecked_ref())
        .unwrap();
    listener.forget();
    let errors = page_errors();
    press.click();
    for _ in 0..1000 {
        if heard.get() {
            break;
        }
        gloo_timers::future::TimeoutFuture::new(10).await;
    }
    assert!(heard.get(), "the page heard {event}");
    gloo_timers::future::TimeoutFuture::new(300).await;
    assert!(errors.borrow().is_empty(), "{:?}", errors.borrow());
}

#[wasm_bindgen_test]
async fn a_host_that_takes_the_widget_away_as_it_hears_of_a_code_breaks_nothing() {
    let admin = admin_client().await;
    let guid = format!("{}-booking", marker("away"));
    let token = token_for("reception@example.com").await;
    let settings = [
        ("api-base", api_base()),
        ("business-id", "1001".to_owned()),
        ("mode", "booking".to_owned()),
        ("booking-guid", guid.clone()),
        ("token", token),
    ];
    let pairs: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let host = host();
    let handle = mount(host.clone(), options(&pairs)).unwrap();
    let root = widget(&host);
    wait_for(&root, "no code yet", |r| {
        text(r).contains("This booking has no code yet.")
    })
    .await;
    // A portal that puts its own confirmation in the widget's place the moment it hears of the code.
    // (The widget moves the focus on the next frame after telling the page.)
    let issue = button(&root, "Issue a code for this booking");
    taken_away_on(&host, "wifi-desk:issued", handle, &issue).await;
    assert!(host.query_selector("[data-wifi-desk]").unwrap().is_none());
    // And the page's next widget works: it finds the code.
    let again = self::host();
    let _next = mount(again.clone(), options(&pairs)).unwrap();
    let root = widget(&again);
    wait_for(&root, "the code found", |r| !qr_name(r).is_empty()).await;
    assert!(booking_code(&admin, &guid).await.is_some());
}

/// A code of this test's own (see [`live_code`]) that ends this time tomorrow, and that end.
async fn live_until_tomorrow(admin: &Client, what: &str) -> (AccessToken, chrono::NaiveDateTime) {
    let code = live_code(admin, what).await;
    let end = clock::now() + chrono::Duration::days(1);
    admin
        .update(code.id, |t| t.valid_to = Some(WallClock::new(end)))
        .await
        .unwrap();
    (code, end)
}

#[wasm_bindgen_test]
async fn a_host_that_takes_the_console_away_as_it_hears_of_a_change_breaks_nothing() {
    let admin = admin_client().await;
    let (code, end) = live_until_tomorrow(&admin, "change-away").await;
    let settings = [
        ("api-base", api_base()),
        ("business-id", "1001".to_owned()),
        ("token", token_for("admin@example.com").await),
    ];
    let pairs: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let host = host();
    let handle = mount(host.clone(), options(&pairs)).unwrap();
    let root = widget(&host);
    open_by_description(&root, &code).await;
    // The detail reads the code back after telling the page, from a widget that may be gone.
    taken_away_on(
        &host,
        "wifi-desk:updated",
        handle,
        &button(&root, "+1 hour"),
    )
    .await;
    let changed = admin.get(code.id).await.unwrap();
    assert_eq!(
        changed.valid_to.map(|w| w.local()),
        Some(WallClock::new(end + chrono::Duration::hours(1)).local()),
        "extended by an hour"
    );
}

#[wasm_bindgen_test]
async fn a_host_elements_id_does_not_draw_a_second_widget() {
    // A portal that names the place it mounts the widget after it: only the element it is given
    // holds a widget, not a second one in the page's own DOM, under the page's CSS.
    let named = host();
    named.set_id("wifi-desk");
    named.set_inner_html("");
    wifi_desk::start();
    gloo_timers::future::TimeoutFuture::new(200).await;
    let drawn = (named.child_element_count(), named.shadow_root().is_some());
    named.remove();
    assert_eq!(drawn, (0, false), "nothing drawn in #wifi-desk");
}

#[wasm_bindgen_test]
async fn booking_mode_for_a_code_by_its_id_issues_none_in_place_of_an_ended_one() {
    let admin = admin_client().await;
    let ended = ended_yesterday(&admin).await;
    let client = signed_in(Client::new(&api_base()), "reception@example.com").await;
    let booking = Options::new(api_base())
        .with_business(1001)
        .with_mode(Mode::Booking, Some(Subject::Token(ended.id)));
    let root = mount_signed_in(booking, client);
    wait_for(&root, "the sentence", |r| {
        text(r).contains("This code has ended.")
    })
    .await;
    assert!(
        all(&root, "button")
            .iter()
            .all(|b| !text(b).starts_with("Issue")),
        "no code issued linked to nothing: {}",
        text(&root)
    );
}

#[wasm_bindgen_test]
async fn booking_mode_tried_again_with_nothing_to_press_puts_the_focus_on_its_heading() {
    let admin = admin_client().await;
    let ended = ended_yesterday(&admin).await;
    let client = signed_in(Client::new(&api_base()), "reception@example.com").await;
    client.set_header("X-Sandbox-Fault", Some("500@GET/api/spaces/accesstokens"));
    let booking = Options::new(api_base())
        .with_business(1001)
        .with_mode(Mode::Booking, Some(Subject::Token(ended.id)));
    let root = mount_signed_in(booking, client.clone());
    wait_for(&root, "Try again", |r| {
        all(r, "button").iter().any(|b| text(b) == "Try again")
    })
    .await;
    client.set_header("X-Sandbox-Fault", None);
    press_button(&root, "Try again");
    // The code has ended and nothing is offered: the focus goes to the heading, not the body.
    wait_for(&root, "the focus on the heading", |r| {
        text(r).contains("This code has ended.")
            && focused().is_some_and(|f| text(&f) == "WiFi for this booking")
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_failed_sign_in_is_told_to_the_page_without_the_password() {
    let element = desk_element();
    let heard = hear(&element, &["error"]);
    document().body().unwrap().append_child(&element).unwrap();
    let root = widget(&element);
    wait_for(&root, "the sign-in form", |r| input(r, "Email").is_some()).await;
    let typed = "not-the-password-7431";
    sign_in(&root, "reception@example.com", typed).await;
    wait_for(&root, "the refusal", |r| !alert(r).trim().is_empty()).await;
    for _ in 0..100 {
        if !heard.borrow().is_empty() {
            break;
        }
        gloo_timers::future::TimeoutFuture::new(10).await;
    }
    let heard: Vec<String> = heard.borrow().iter().map(|(_, d)| d.clone()).collect();
    assert_eq!(heard.len(), 1, "{heard:?}");
    let detail: serde_json::Value = serde_json::from_str(&heard[0]).unwrap();
    assert_eq!(detail["kind"], "wrong-password");
    assert_eq!(detail["message"].as_str(), Some(alert(&root).trim()));
    assert!(!heard[0].contains(typed), "the password stays in the form");
    element.remove();
}

#[wasm_bindgen_test]
async fn the_host_pages_text_styles_and_colour_scheme_do_not_reach_the_widget() {
    // Inherited properties cross a shadow root; and a page's rule on every element, the widget's
    // own included, wins over the widget's `:host` rules.
    let style = document().create_element("style").unwrap();
    // And a root font size of the page's own, which `rem` would follow (62.5% is common).
    style.set_text_content(Some("* { all: unset } html { font-size: 10px }"));
    document().head().unwrap().append_child(&style).unwrap();
    let host = host();
    host.set_attribute(
        "style",
        "text-align: center; letter-spacing: 4px; white-space: nowrap; text-transform: uppercase; \
         font-style: italic; font-size: 30px; text-indent: 40px; word-spacing: 9px",
    )
    .unwrap();
    let (root, _handle) = styled_viewer(&host).await;
    let style_of = |e: &Element, prop: &str| computed(e, "", prop);
    let widget_root = root.query_selector(".wifi-desk").unwrap().unwrap();
    wait_for(&root, "the widget's own styles", |_| {
        style_of(&widget_root, "color-scheme") == "light dark"
    })
    .await;
    let line = root.query_selector("p").unwrap().unwrap();
    let seen: Vec<(&str, String)> = [
        "text-align",
        "letter-spacing",
        "white-space",
        "text-transform",
        "font-style",
        "font-size",
        "text-indent",
        "word-spacing",
    ]
    .into_iter()
    .map(|prop| (prop, style_of(&line, prop)))
    .collect();
    let heading = root.query_selector("h2").unwrap().unwrap();
    let heading_size = style_of(&heading, "font-size");
    style.remove();
    host.remove();
    assert_eq!(
        heading_size, "19.2px",
        "a heading 1.2 times the widget's text, whatever the page's root"
    );
    let expected = [
        ("text-align", "start"),
        ("letter-spacing", "normal"),
        ("white-space", "normal"),
        ("text-transform", "none"),
        ("font-style", "normal"),
        ("font-size", "16px"),
        ("text-indent", "0px"),
        ("word-spacing", "0px"),
    ];
    for ((prop, value), (_, want)) in seen.iter().zip(expected) {
        assert_eq!(
            value, want,
            "{prop} as the widget sets it, not as the page does"
        );
    }
}

#[wasm_bindgen_test]
async fn a_page_that_stops_opting_in_leaves_no_token_in_the_tab() {
    let (storage, key, host, mut handle) = kept_after_signing_in().await;
    handle
        .update(options(&[("api-base", &api_base())]))
        .unwrap();
    wait_for(&widget(&host), "the token forgotten", |_| {
        storage.get_item(&key).unwrap().is_none()
    })
    .await;
    // Still signed in, in memory.
    wait_for(&widget(&host), "the list after the redraw", |r| {
        !rows(r).is_empty()
    })
    .await;
    assert!(input(&widget(&host), "Email").is_none());
    handle.unmount();
}

/// The widget with `options` and a client the test holds (to set fault headers), drawn as a host
/// page's: it tells its events to the element it is in, which are returned as (type, detail).
fn mount_telling(options: Options, client: Client) -> (Element, Heard) {
    let host = host();
    let heard = hear(&host, &["issued", "updated", "revoked"]);
    let target: web_sys::EventTarget = host.clone().into();
    leptos::mount::mount_to(host.clone(), move || {
        wifi_desk::ui::App(wifi_desk::ui::AppProps {
            options,
            client: Some(client),
            signed_in_by_host: true,
            host: Some(target),
            given: None,
            ready_once_styled: false,
        })
    })
    .forget();
    (host.into(), heard)
}

/// Waits for the page to be told `kind` of `code`, and fails if it was told of anything else.
async fn told_once(root: &Element, heard: &Heard, kind: &str, code: &AccessToken) {
    wait_for(root, "the page told", |_| !told(heard, kind).is_empty()).await;
    assert_eq!(told(heard, kind), vec![(code.id, code.access_code.clone())]);
}

/// The events of `kind` heard, as (id, code).
fn told(heard: &Heard, kind: &str) -> Vec<(i64, String)> {
    heard
        .borrow()
        .iter()
        .filter(|(k, _)| k == kind)
        .map(|(_, detail)| {
            let d: serde_json::Value = serde_json::from_str(detail).unwrap();
            (
                d["id"].as_i64().unwrap(),
                d["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[wasm_bindgen_test]
async fn booking_mode_tells_the_page_of_writes_whose_answers_were_lost_once_it_sees_them() {
    let guid = format!("{}-booking", marker("told"));
    let client = signed_in(Client::new(&api_base()), "reception@example.com").await;
    let booking = Options::new(api_base())
        .with_business(1001)
        .with_mode(Mode::Booking, Some(Subject::Booking(guid.clone())));
    let (root, heard) = mount_telling(booking, client.clone());
    wait_for(&root, "no code yet", |r| {
        text(r).contains("This booking has no code yet.")
    })
    .await;
    // The create is carried out, its answer lost, and the look-ups after it fail too.
    lose_the_create(&client, &guid);
    button(&root, "Issue a code for this booking").click();
    wait_for(&root, "the read again, failed", |r| {
        all(r, "button").iter().any(|b| text(b) == "Try again")
    })
    .await;
    assert!(told(&heard, "wifi-desk:issued").is_empty(), "not known yet");
    client.set_header("X-Sandbox-Fault", None);
    button(&root, "Try again").click();
    wait_for(&root, "the code that was issued", |r| {
        !qr_name(r).is_empty()
    })
    .await;
    let admin = admin_client().await;
    let issued = booking_code(&admin, &guid).await.unwrap();
    told_once(&root, &heard, "wifi-desk:issued", &issued).await;

    // An extend carried out, its answer lost: the codes read again show it made.
    client.set_header("X-Sandbox-Fault", Some("drop@PUT/api/spaces/accesstokens"));
    button(&root, "Extend by 1 day").click();
    wait_for(&root, "the sentence", |r| {
        text(r).contains("it is not known whether the code was extended")
    })
    .await;
    client.set_header("X-Sandbox-Fault", None);
    told_once(&root, &heard, "wifi-desk:updated", &issued).await;
    // One lost before it was carried out is not told. The codes' read after it is held a second
    // at the server, meanwhile the code is changed there another way: the read shows that change
    // when it is done, and the extend not made.
    let live = root
        .query_selector(".wd-booking [role=status]")
        .unwrap()
        .unwrap();
    let said = {
        let live = live.clone();
        Texts::record(&live.clone().into(), move || text(&live))
    };
    let lost = "it is not known whether the code was extended";
    client.set_header(
        "X-Sandbox-Fault",
        Some("drop-before@PUT/api/spaces/accesstokens, slow=1000@GET/api/spaces/accesstokens"),
    );
    button(&root, "Extend by 1 day").click();
    wait_for(&root, "the sentence again", |_| {
        said.seen().iter().any(|t| t.contains(lost))
    })
    .await;
    let elsewhere = issued.valid_to.unwrap().local() + chrono::Duration::hours(25);
    admin
        .update(issued.id, |t| t.valid_to = Some(WallClock::new(elsewhere)))
        .await
        .unwrap();
    client.set_header("X-Sandbox-Fault", None);
    wait_for(&root, "the codes read again", |r| {
        all(r, ".wd-voucher .wd-valid")
            .first()
            .is_some_and(|v| text(v).ends_with(&clock::show(elsewhere)))
    })
    .await;
    gloo_timers::future::TimeoutFuture::new(100).await;
    assert_eq!(
        told(&heard, "wifi-desk:updated").len(),
        1,
        "{:?}",
        heard.borrow()
    );
}

#[wasm_bindgen_test]
async fn a_change_in_a_codes_detail_whose_answer_was_lost_is_told_once_read_back_made_and_a_revoke_told(
) {
    let admin = admin_client().await;
    let (code, _) = live_until_tomorrow(&admin, "detail-told").await;
    // An admin, who may revoke.
    let client = signed_in(Client::new(&api_base()), "admin@example.com").await;
    let (root, heard) = mount_telling(Options::new(api_base()).with_business(1001), client.clone());
    open_by_description(&root, &code).await;
    client.set_header("X-Sandbox-Fault", Some("drop@PUT/api/spaces/accesstokens"));
    button(&root, "+1 hour").click();
    wait_for(&root, "the code read back", |r| {
        text(r).contains("It is shown as the server has it now.")
    })
    .await;
    client.set_header("X-Sandbox-Fault", None);
    told_once(&root, &heard, "wifi-desk:updated", &code).await;
    // Revoked from its detail, the page hears which code went.
    revoke_and_confirm(&root).await;
    told_once(&root, &heard, "wifi-desk:revoked", &code).await;
}

#[wasm_bindgen_test]
async fn an_update_that_leaves_the_token_out_withdraws_it() {
    let token = token_for("reception@example.com").await;
    let host = host();
    let mut handle = mount(
        host.clone(),
        options(&[("api-base", &api_base()), ("token", &token)]),
    )
    .unwrap();
    wait_for(&widget(&host), "the console", |r| !rows(r).is_empty()).await;
    // The whole set of options, as README says, with the token left out.
    handle
        .update(options(&[("api-base", &api_base()), ("theme", "dark")]))
        .unwrap();
    wait_for(&widget(&host), "the sign-in form", |r| {
        input(r, "Email").is_some()
    })
    .await;
    assert!(
        rows(&widget(&host)).is_empty(),
        "no codes without credentials"
    );
    handle.unmount();
}

/// From now on `client`'s creates are carried out with their answers lost, and every look-up after
/// its first one fails the same way: a create whose outcome cannot be known (`run` keeps the
/// counts one test's own).
fn lose_the_create(client: &Client, run: &str) {
    client.set_header(
        "X-Sandbox-Fault",
        Some(&format!(
            "drop@POST/api/spaces/accesstokens, drop@GET/api/spaces/accesstokens#2, run={run}"
        )),
    );
}
