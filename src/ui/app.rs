//! The whole widget: sign-in, then the console.

use leptos::prelude::*;

use super::{ClientContext, SignIn, TokenCount};
use crate::api::{Client, Pacer};

/// The widget: asks the receptionist to sign in, then shows what the account can see.
#[component]
pub fn App(
    /// Base URL of the API: Nexudus itself, the sandbox's `/api`, or a proxy path of the host page.
    #[prop(into)]
    api_base: String,
    /// Request pacing; Nexudus's published limits when not given.
    #[prop(optional)]
    pacer: Option<Pacer>,
) -> impl IntoView {
    let client = Client::new(&api_base).with_pacer(pacer.unwrap_or_else(Pacer::nexudus));
    ClientContext::provide(client);
    let client = ClientContext::handle();
    let signed_in_as = RwSignal::new(None::<String>);
    let on_signed_in = Callback::new(move |email: String| signed_in_as.set(Some(email)));
    let on_sign_out = Callback::new(move |()| {
        client.client().sign_out();
        signed_in_as.set(None);
    });
    view! {
        <div class="wifi-desk">
            <header class="wd-header">
                <h1 class="wd-title">"WiFi access codes"</h1>
            </header>
            {move || match signed_in_as.get() {
                Some(email) => view! { <TokenCount email on_sign_out /> }.into_any(),
                None => view! { <SignIn on_signed_in /> }.into_any(),
            }}
        </div>
    }
}
