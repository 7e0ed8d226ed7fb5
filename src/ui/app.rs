//! The whole widget: sign-in, then the console.

use leptos::prelude::*;

use super::{ClientContext, Console, Options, SignIn};
use crate::api::Client;

/// The widget: asks the receptionist to sign in, then shows the console.
#[component]
pub fn App(
    /// Where the API is and how the desk works.
    options: Options,
) -> impl IntoView {
    let client = options.headers.iter().fold(
        Client::new(&options.api_base).with_pacer(options.pacer.clone()),
        |c, (name, value)| c.with_header(name, value),
    );
    ClientContext::provide(client, options);
    let desk = ClientContext::handle();
    let signed_in_as = RwSignal::new(None::<String>);
    let on_signed_in = Callback::new(move |email: String| signed_in_as.set(Some(email)));
    let on_sign_out = Callback::new(move |()| {
        desk.client().sign_out();
        signed_in_as.set(None);
    });
    view! {
        <div class="wifi-desk">
            <header class="wd-header">
                <h1 class="wd-title">"WiFi access codes"</h1>
            </header>
            {move || match signed_in_as.get() {
                Some(email) => view! { <Console email on_sign_out /> }.into_any(),
                None => view! { <SignIn on_signed_in /> }.into_any(),
            }}
        </div>
    }
}
