//! Browser tests: the widget mounted in a real DOM (Chrome and Firefox), talking to the sandbox that
//! `scripts/test.sh` starts on loopback and names in `WIFI_DESK_SANDBOX_URL` at build time.

#![cfg(target_arch = "wasm32")]

use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};
use wifi_desk::api::{ApiError, Client, ListQuery, Pacer};
use wifi_desk::ui::{App, AppProps};

wasm_bindgen_test_configure!(run_in_browser);

/// The sandbox the test command started; the fallback is its default address.
const SANDBOX: &str = match option_env!("WIFI_DESK_SANDBOX_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:18787",
};

fn api_base() -> String {
    format!("{SANDBOX}/api")
}

/// Mounts the widget in a fresh element of the page and returns that element.
fn mount(api_base: String) -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(host.clone().unchecked_into(), move || {
        App(AppProps {
            api_base,
            pacer: Some(Pacer::nexudus()),
        })
    });
    handle.forget();
    host
}

/// Polls every 10 ms until `condition` holds, failing after 10 s with what was awaited and the text shown.
async fn wait_for(root: &Element, what: &str, condition: impl Fn(&Element) -> bool) {
    for _ in 0..1000 {
        if condition(root) {
            return;
        }
        TimeoutFuture::new(10).await;
    }
    panic!("waited 10 s for {what}; the widget shows: {:?}", text(root));
}

fn text(root: &Element) -> String {
    root.text_content().unwrap_or_default()
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into().ok())
        .collect()
}

/// The input whose label reads `label`, as a person finds it.
fn input(root: &Element, label: &str) -> Option<HtmlInputElement> {
    all(root, "label")
        .into_iter()
        .find(|l| l.text_content().unwrap_or_default().trim() == label)
        .and_then(|l| l.query_selector("input").ok().flatten())
        .map(|i| i.unchecked_into())
}

fn type_into(root: &Element, label: &str, value: &str) {
    let field = input(root, label).unwrap_or_else(|| panic!("no input labelled {label}"));
    field.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
    field.dispatch_event(&event).unwrap();
}

fn button(root: &Element, name: &str) -> HtmlElement {
    all(root, "button")
        .into_iter()
        .find(|b| b.text_content().unwrap_or_default().trim() == name)
        .unwrap_or_else(|| panic!("no button named {name}; the widget shows: {:?}", text(root)))
        .unchecked_into()
}

fn alert(root: &Element) -> String {
    all(root, "[role=alert]")
        .iter()
        .map(text)
        .collect::<Vec<_>>()
        .join(" ")
}

async fn sign_in(root: &Element, email: &str, password: &str) {
    type_into(root, "Email", email);
    type_into(root, "Password", password);
    button(root, "Sign in").click();
}

/// What the sandbox itself says the admin account can see, asked without the widget's client.
async fn total_from_sandbox() -> i64 {
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
    let page: serde_json::Value =
        gloo_net::http::Request::get(&format!("{SANDBOX}/api/spaces/accesstokens"))
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

#[wasm_bindgen_test]
async fn signs_in_and_shows_how_many_codes_the_account_sees() {
    let total = total_from_sandbox().await;
    assert!(total > 0, "the test sandbox has demo data");
    let root = mount(api_base());
    sign_in(&root, "admin@example.com", "wifi-desk").await;
    wait_for(&root, "the count", |r| text(r).contains("access codes.")).await;
    assert!(
        text(&root).contains(&format!("This account can see {total} access codes.")),
        "{}",
        text(&root)
    );
    assert!(text(&root).contains("Signed in as admin@example.com"));
    assert!(
        input(&root, "Password").is_none(),
        "the sign-in form is gone"
    );

    button(&root, "Sign out").click();
    wait_for(&root, "the sign-in form again", |r| {
        input(r, "Password").is_some()
    })
    .await;
    assert_eq!(
        input(&root, "Password").unwrap().value(),
        "",
        "signing out forgets the password"
    );
}

#[wasm_bindgen_test]
async fn a_wrong_password_reads_as_a_sentence_and_keeps_the_email() {
    let root = mount(api_base());
    sign_in(&root, "admin@example.com", "not-the-password").await;
    wait_for(&root, "the error", |r| !alert(r).is_empty()).await;
    assert_eq!(
        alert(&root),
        "That email and password do not match an account. Check them and try again."
    );
    assert_eq!(input(&root, "Email").unwrap().value(), "admin@example.com");
}

#[wasm_bindgen_test]
async fn an_empty_form_is_not_sent() {
    let root = mount(api_base());
    button(&root, "Sign in").click();
    wait_for(&root, "the error", |r| !alert(r).is_empty()).await;
    assert_eq!(alert(&root), "Enter your email and password.");
}

#[wasm_bindgen_test]
async fn two_factor_asks_for_the_code_then_signs_in() {
    let root = mount(api_base());
    sign_in(&root, "twofactor@example.com", "wifi-desk").await;
    wait_for(&root, "the two-factor field", |r| {
        input(r, "Two-factor code").is_some()
    })
    .await;
    assert_eq!(
        alert(&root),
        "Enter the six-digit code from your authenticator app."
    );

    let code: serde_json::Value = gloo_net::http::Request::get(&format!(
        "{SANDBOX}/sandbox/totp?email=twofactor%40example.com"
    ))
    .send()
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    type_into(&root, "Two-factor code", code["code"].as_str().unwrap());
    button(&root, "Sign in").click();
    wait_for(&root, "the console", |r| {
        text(r).contains("Signed in as twofactor@example.com")
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_server_that_is_down_reads_as_a_sentence() {
    // Port 9 (discard) has nothing listening on loopback.
    let root = mount("http://127.0.0.1:9/api".into());
    sign_in(&root, "admin@example.com", "wifi-desk").await;
    wait_for(&root, "the error", |r| !alert(r).is_empty()).await;
    assert_eq!(
        alert(&root),
        "Cannot reach the server. Check the connection and try again."
    );
    assert_eq!(
        input(&root, "Password").unwrap().value(),
        "wifi-desk",
        "nothing typed is lost"
    );
}

#[wasm_bindgen_test]
async fn the_client_signs_in_lists_and_is_refused_without_a_token() {
    let client = Client::new(&api_base());
    assert_eq!(client.count().await, Err(ApiError::SignedOut));
    assert_eq!(
        client
            .sign_in("viewer@example.com", "nope", None)
            .await
            .unwrap_err(),
        ApiError::WrongPassword
    );
    let grant = client
        .sign_in("viewer@example.com", "wifi-desk", None)
        .await
        .unwrap();
    assert_eq!(grant.token_type, "bearer");
    let page = client.list(&ListQuery::new().size(2)).await.unwrap();
    assert!(page.records.len() <= 2 && page.total_items >= page.records.len() as i64);
    assert_eq!(client.count().await.unwrap(), page.total_items);
    client.sign_out();
    assert_eq!(client.count().await, Err(ApiError::SignedOut));
}
