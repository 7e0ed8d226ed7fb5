//! One voucher: what a visitor needs to get online, as shown in the detail and printed alone or on
//! a sheet: the code grouped for reading, its QR code, the network, the steps and the validity.

use leptos::prelude::*;

use super::{clock, ClientContext, Network};
use crate::api::AccessToken;
use crate::domain::qr::{self, QrContent};
use crate::domain::reading;

/// A printable voucher for one code.
#[component]
pub fn Voucher(
    /// The code to print.
    token: AccessToken,
    /// Whether to spell the code out phonetically under it.
    #[prop(optional, into)]
    spelled: Signal<bool>,
) -> impl IntoView {
    let options = ClientContext::handle().options();
    let group = options.code_style.group();
    let grouped = reading::grouped(&token.access_code, group);
    let phonetic = reading::phonetic(&token.access_code, group);
    let svg = qr::svg(&options.qr.payload(&token.access_code));
    let qr_name = options.qr.name(&grouped);
    let name = format!("Voucher for {grouped}");
    let when = |w: Option<wifi_desk_wire::WallClock>, none: &'static str| {
        w.map(|w| clock::show(w.local()))
            .unwrap_or_else(|| none.to_owned())
    };
    let join = join_step(
        options.network.as_ref(),
        matches!(options.qr, QrContent::Join { .. }),
    );
    view! {
        <section class="wd-voucher" part="voucher" aria-label=name>
            <p class="wd-code" part="code"><span class="wd-visually-hidden">"Access code "</span>{grouped.clone()}</p>
            <Show when=move || spelled.get()>
                <p class="wd-phonetic">{phonetic.clone()}</p>
            </Show>
            {match svg {
                // The SVG is the QR crate's geometry only (tested to hold no text of the payload):
                // markup the widget built itself, never a user string.
                Ok(svg) => view! { <div class="wd-qr" part="qr" role="img" aria-label=qr_name inner_html=svg></div> }.into_any(),
                Err(why) => view! { <p class="wd-error">{why}</p> }.into_any(),
            }}
            <ol class="wd-steps">
                <li>{join}</li>
                <li>"Open any web page: the WiFi login page appears."</li>
                // The spaces are for reading: a captive portal compares what is typed as it is.
                <li>"Enter the code " <strong>{grouped.clone()}</strong> {grouped.contains(' ').then_some(", without spaces")} "."</li>
            </ol>
            <p class="wd-valid">"Valid " {when(token.valid_from, "from now")} " – " {when(token.valid_to, open_end(&token))}</p>
        </section>
    }
}

/// Until when a code with no end date works: a code with no minute limit either works until it is
/// revoked.
fn open_end(token: &AccessToken) -> &'static str {
    if token.metered() {
        "until its minutes are used up"
    } else {
        "until revoked"
    }
}

/// The voucher's first step: the network by its name, and its password, for a visitor who cannot
/// scan the QR code (a laptop); scanning is offered when the QR code `joins` the network.
fn join_step(network: Option<&Network>, joins: bool) -> String {
    let Some(network) = network else {
        return "Join the guest WiFi network.".to_owned();
    };
    let password = network
        .password
        .as_ref()
        .map(|p| format!(" with the password “{p}”"))
        .unwrap_or_default();
    let scan = if joins { " (or scan the QR code)" } else { "" };
    format!("Join the WiFi network “{}”{password}{scan}.", network.ssid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_with_no_end_works_until_used_up_or_revoked() {
        let metered = AccessToken {
            minutes_included: 60,
            ..AccessToken::default()
        };
        assert_eq!(open_end(&metered), "until its minutes are used up");
        assert_eq!(open_end(&AccessToken::default()), "until revoked");
    }

    #[test]
    fn the_first_step_names_the_network_and_its_password() {
        let lab = |password: Option<&str>| Network {
            ssid: "Lab".into(),
            password: password.map(str::to_owned),
        };
        assert_eq!(
            join_step(Some(&lab(Some("p w"))), true),
            "Join the WiFi network “Lab” with the password “p w” (or scan the QR code)."
        );
        assert_eq!(
            join_step(Some(&lab(None)), false),
            "Join the WiFi network “Lab”.",
            "a QR code holding the portal's address or the code does not join it"
        );
        assert_eq!(join_step(None, false), "Join the guest WiFi network.");
    }
}
