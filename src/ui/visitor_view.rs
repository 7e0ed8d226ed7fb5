//! One code shown to its visitor: large, with its QR code and the steps to get online, printable;
//! nothing else is reachable from it.

use leptos::prelude::*;

use super::booking_view::{codes_for, focus_on, say_ended, NO_SUBJECT};
use super::{clock, ClientContext, Tasks, Voucher};
use crate::api::{AccessToken, ApiError};
use crate::domain::status::{self, Status};

/// What a visitor reads when their code has ended (`status`).
fn ended(token: &AccessToken, status: Status) -> String {
    match status {
        Status::UsedUp => {
            "Your WiFi code has used all its minutes. Ask at reception to top it up.".to_owned()
        }
        _ => match token.valid_to {
            Some(to) => format!(
                "Your WiFi code ended on {}. Ask at reception for a new one.",
                clock::show(to.local())
            ),
            None => "Your WiFi code has ended. Ask at reception for a new one.".to_owned(),
        },
    }
}

/// A visitor's code, read-only.
#[component]
pub fn VisitorView() -> impl IntoView {
    let desk = ClientContext::handle();
    let tasks = Tasks::owned();
    let subject = desk.options().subject;
    let codes = RwSignal::new(None::<Result<Vec<AccessToken>, ApiError>>);
    let has_subject = subject.is_some();
    // Where the focus goes once a code read again after "Try again" is drawn: its Print button,
    // or the heading, never the page's body.
    let first_action = NodeRef::<leptos::html::Button>::new();
    let heading = NodeRef::<leptos::html::H2>::new();
    let loading = StoredValue::new(None);
    let load = subject.map(|subject| {
        let subject = StoredValue::new(subject);
        Callback::new(move |asked: bool| {
            let subject = subject.get_value();
            tasks.spawn_instead(loading, async move {
                let found = codes_for(&desk.client(), &subject).await;
                if let Err(e) = &found {
                    desk.learn(e);
                }
                codes.set(Some(found));
                if asked {
                    request_animation_frame(move || focus_on(first_action, heading, desk));
                }
            });
        })
    });
    if let Some(load) = load {
        load.run(false);
        desk.when_taken_again(move || {
            if codes.with_untracked(|c| matches!(c, Some(Err(ApiError::SignedOut)))) {
                load.run(false);
            }
        });
    }
    // Which code to give, and whether it still works, change when one starts or ends.
    let now = clock::ticking(move |at| {
        codes.with(|c| match c {
            Some(Ok(all)) => status::next_start_or_end(all, at),
            _ => None,
        })
    });
    // Said when the code shown ends (the clock passes its end): its voucher goes, with the Print
    // button the focus may be on.
    let told = RwSignal::new(None::<String>);
    let live_shown = StoredValue::new(false);
    let shown = move || {
        let was_live = live_shown.get_value();
        live_shown.set_value(false);
        match codes.get() {
            _ if !has_subject => {
                view! { <p class="wd-error" role="alert">{NO_SUBJECT}</p> }.into_any()
            }
            None => view! { <p>"Loading your WiFi code…"</p> }.into_any(),
            Some(Err(e)) => view! {
                <p class="wd-error" role="alert">{e.to_string()}</p>
                // Read again on request: a visitor on a booking confirmation should not have to
                // reload the page.
                {load.map(|load| view! {
                    <button type="button" class="wd-primary" node_ref=first_action
                        on:click=move |_| load.run(true)>"Try again"</button>
                })}
            }
            .into_any(),
            Some(Ok(all)) => {
                let now = now.get();
                let code = status::most_useful(&all, now);
                let code = code.map(|t| (t.clone(), Status::of(t, now)));
                match code {
                    // A code that no longer works is not shown as one that does.
                    Some((t, status)) if status.has_ended() => {
                        let sentence = ended(&t, status);
                        if was_live {
                            say_ended(sentence.clone(), told, first_action, heading, desk);
                        }
                        view! { <p>{sentence}</p> }.into_any()
                    }
                    Some((t, _)) => {
                        live_shown.set_value(true);
                        view! {
                            <Voucher token=t />
                            <button type="button" class="wd-primary" node_ref=first_action on:click=super::print>"Print"</button>
                        }
                        .into_any()
                    }
                    None => {
                        view! { <p>"There is no WiFi code for this visit yet. Ask at reception."</p> }
                            .into_any()
                    }
                }
            }
        }
    };
    view! {
        <section class="wd-visitor" aria-labelledby="wd-visitor-title">
            <h2 id="wd-visitor-title" tabindex="-1" node_ref=heading>"Your WiFi code"</h2>
            <p class="wd-visually-hidden" role="status" aria-live="polite">{move || told.get()}</p>
            <div class="wd-printable">{shown}</div>
        </section>
    }
}
