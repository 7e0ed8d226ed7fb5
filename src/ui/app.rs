//! The whole widget: sign-in (unless the host page signs it in), then what it is for: the console,
//! one booking's code, or one code for its visitor.

use leptos::prelude::*;

#[cfg(feature = "console")]
use super::Console;
use super::{BookingView, ClientContext, HostEvent, Mode, Options, SignIn, VisitorView};
use crate::api::{Auth, Client};

/// What a build without the console says where the console was asked for.
#[cfg(not(feature = "console"))]
const CONSOLE_LEFT_OUT: &str = "This is the booking portal's build of wifi-desk: it has the \
    booking and visitor modes only. Load the full build for the reception console.";

/// Where an opted-in token is kept for the tab, one per API.
fn storage_key(options: &Options) -> String {
    format!("wifi-desk:token:{}", options.api_base)
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
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
) -> impl IntoView {
    let client = client.unwrap_or_else(|| options.client());
    let account = client.account();
    // A token kept for the tab, unless the client signed in already.
    let remembered = (options.remember && !client.has_credentials())
        .then(|| {
            session_storage()?
                .get_item(&storage_key(&options))
                .ok()
                .flatten()
        })
        .flatten();
    if let Some(token) = &remembered {
        client.set_auth(Auth::Bearer(token.clone()));
    }
    let (mode, lang, theme) = (options.mode, options.text_lang().to_owned(), options.theme);
    let key = StoredValue::new(storage_key(&options));
    let remember = options.remember;
    let has_credentials = client.has_credentials();
    ClientContext::provide_for_host(client, options, host);
    let desk = ClientContext::handle();
    // Credentials the client already holds (the host's, or a token kept for the tab and restored
    // when the widget was first drawn) sign it in as well.
    let signed_in_as = RwSignal::new(account.or_else(|| {
        (signed_in_by_host || has_credentials).then(|| "this page's account".to_owned())
    }));
    let on_signed_in = Callback::new(move |email: String| {
        if remember {
            if let (Some(storage), Some(token)) = (session_storage(), desk.client().bearer_token())
            {
                let _ = storage.set_item(&key.get_value(), &token);
            }
        }
        desk.signed_in();
        desk.tell(HostEvent::SignedIn {
            email: Some(email.clone()),
        });
        signed_in_as.set(Some(email));
    });
    // Only the console offers signing out.
    #[cfg(feature = "console")]
    let on_sign_out = Callback::new(move |()| {
        desk.client().sign_out();
        if let Some(storage) = session_storage() {
            let _ = storage.remove_item(&key.get_value());
        }
        signed_in_as.set(None);
    });
    Effect::new(move |_| desk.tell(HostEvent::Ready));
    // Embedded, the widget sits under the host page's own headings: it starts at level 2.
    let title = (!desk.embedded()).then(|| {
        view! {
            <header class="wd-header">
                <h1 class="wd-title">"WiFi access codes"</h1>
            </header>
        }
    });
    view! {
        <div class="wifi-desk" part="widget" lang=lang data-theme=theme.map(|t| t.as_str())
            on:pointerdown=move |_| desk.used() on:keydown=move |_| desk.used()>
            {title}
            {move || match (signed_in_as.get(), mode) {
                #[cfg(not(feature = "console"))]
                (_, Mode::Console) => view! {
                    <p class="wd-error" role="alert">{CONSOLE_LEFT_OUT}</p>
                }.into_any(),
                (None, _) => view! { <SignIn on_signed_in /> }.into_any(),
                #[cfg(feature = "console")]
                (Some(email), Mode::Console) => view! { <Console email on_sign_out /> }.into_any(),
                (Some(_), Mode::Booking) => view! { <BookingView /> }.into_any(),
                (Some(_), Mode::Visitor) => view! { <VisitorView /> }.into_any(),
            }}
        </div>
    }
}
