//! wifi-desk: issue and manage visitor WiFi access codes through the Nexudus Spaces AccessTokens API,
//! as a Leptos widget compiled to WebAssembly.
//!
//! Layers, data flowing one way: [`ui`] uses [`api`]; `api` never imports `ui`.

pub mod api;
pub mod domain;
pub mod embed;
pub mod ui;

use wasm_bindgen::prelude::*;

/// Mounts the widget full page on the element marked `data-wifi-desk-page`, if the page has one,
/// reading its options from the element's `data-*` attributes (see
/// [`ui::Options::from_attributes`]). Any other page, such as a host page that loads the bundle to
/// embed the widget (perhaps in an element it calls `wifi-desk`), or a test runner's, is left alone.
#[wasm_bindgen(start)]
pub fn start() {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("[data-wifi-desk-page]").ok().flatten())
    else {
        return;
    };
    let options = ui::Options::from_attributes(|name| root.get_attribute(name));
    let Ok(root) = root.dyn_into::<web_sys::HtmlElement>() else {
        return;
    };
    // The widget lives as long as the page: its handle is never dropped.
    leptos::mount::mount_to(root, move || {
        ui::App(ui::AppProps {
            options,
            client: None,
            signed_in_by_host: false,
            host: None,
            given: None,
            ready_once_styled: false,
        })
    })
    .forget();
}
