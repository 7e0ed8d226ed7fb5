//! Editing a code: its text, minutes, validity and devices, read from the server and written back
//! whole, with mistakes shown beside their fields and nothing typed lost on a failure.

use std::collections::HashMap;

use leptos::html;
use leptos::prelude::*;
use wifi_desk_wire::WallClock;

use super::{
    clock, focus_when_shown, point_out, report_failure, ClientContext, Field, HostEvent, Tasks,
};
use crate::api::{AccessToken, ApiError};
use crate::domain::{code, validity};

/// The fields as typed.
#[derive(Clone, Copy)]
struct Typed {
    access_code: RwSignal<String>,
    description: RwSignal<String>,
    minutes: RwSignal<String>,
    valid_from: RwSignal<String>,
    valid_to: RwSignal<String>,
    devices: RwSignal<String>,
}

impl Typed {
    fn new() -> Self {
        Self {
            access_code: RwSignal::new(String::new()),
            description: RwSignal::new(String::new()),
            minutes: RwSignal::new(String::new()),
            valid_from: RwSignal::new(String::new()),
            valid_to: RwSignal::new(String::new()),
            devices: RwSignal::new(String::new()),
        }
    }

    fn fill(self, t: &AccessToken) {
        let when = |w: Option<WallClock>| w.map(|w| clock::to_input(w.local())).unwrap_or_default();
        self.access_code.set(t.access_code.clone());
        self.description
            .set(t.description.clone().unwrap_or_default());
        self.minutes.set(t.minutes_included.to_string());
        self.valid_from.set(when(t.valid_from));
        self.valid_to.set(when(t.valid_to));
        self.devices.set(t.devices().to_string());
    }

    /// The change to apply to the stored record, or the problems by field.
    fn change(self, original: &AccessToken) -> Result<AccessToken, HashMap<String, String>> {
        let mut found = HashMap::new();
        // A code left as it was read is kept as the server has it: one made elsewhere
        // (`guest-42`) is neither rewritten nor refused for a change to its devices.
        let typed = self.access_code.get_untracked();
        let typed_code = if typed == original.access_code {
            typed
        } else {
            code::normalize(&typed)
        };
        if typed_code != original.access_code {
            if let Some(why) = code::problem(&typed_code) {
                found.insert("AccessCode".to_owned(), why.to_owned());
            }
        }
        let minutes = self.minutes.get_untracked().trim().parse::<i64>().ok();
        let devices = self.devices.get_untracked().trim().parse::<i64>().ok();
        if devices.is_none() {
            found.insert(
                "UserLimit".to_owned(),
                "Enter a number of devices.".to_owned(),
            );
        }
        // An empty date clears it: no start means valid now, no end means until used up.
        let date = |field: &'static str, text: String, found: &mut HashMap<String, String>| {
            let text = text.trim().to_owned();
            if text.is_empty() {
                return None;
            }
            let at = clock::from_input(&text);
            if at.is_none() {
                found.insert(field.to_owned(), "Enter a date and time.".to_owned());
            }
            at
        };
        let (from_text, to_text) = (
            self.valid_from.get_untracked(),
            self.valid_to.get_untracked(),
        );
        let from = date("ValidFrom", from_text.clone(), &mut found);
        let to = date("ValidTo", to_text.clone(), &mut found);
        // A code without a minute allowance may stay without one.
        let unmetered = !original.metered() && minutes == Some(0);
        for p in validity::check(from, to, minutes, devices) {
            if !(unmetered && p.field == "MinutesIncluded") {
                found
                    .entry(p.field.to_owned())
                    .or_insert_with(|| p.message.to_owned());
            }
        }
        if !found.is_empty() {
            return Err(found);
        }
        let mut token = original.clone();
        token.access_code = typed_code;
        let text = self.description.get_untracked();
        token.description = (!text.trim().is_empty()).then(|| text.trim().to_owned());
        let included = minutes.unwrap_or_default();
        token.minutes_left = validity::minutes_left_after(original, included);
        token.minutes_included = included;
        token.valid_from = written(original.valid_from, &from_text, from);
        token.valid_to = written(original.valid_to, &to_text, to);
        // No limit is shown as 1 device: left at 1, it stays no limit, not a change to write.
        token.user_limit = if devices == Some(original.devices()) {
            original.user_limit
        } else {
            devices
        };
        Ok(token)
    }
}

/// A date to save: the record's own when the field still shows it (the form shows minutes, and a
/// date left alone keeps its seconds), else `at` written the way the record wrote the date before
/// (with or without its `Z`).
fn written(
    before: Option<WallClock>,
    typed: &str,
    at: Option<chrono::NaiveDateTime>,
) -> Option<WallClock> {
    match before {
        Some(w) if clock::to_input(w.local()) == typed.trim() => Some(w),
        _ => at.map(|at| before.map_or_else(|| WallClock::new(at), |w| w.with_local(at))),
    }
}

/// Edits one access code.
#[component]
pub fn EditForm(
    /// The code's record id.
    id: i64,
    /// Called once the changes are saved.
    on_saved: Callback<()>,
    /// Called when the receptionist gives up (Cancel or Escape).
    on_cancel: Callback<()>,
) -> impl IntoView {
    let desk = ClientContext::handle();
    let tasks = Tasks::owned();
    let typed = Typed::new();
    let original = RwSignal::new(None::<Result<AccessToken, ApiError>>);
    let errors = RwSignal::new(HashMap::<String, String>::new());
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // The console is not left while a request of this view's is on its way: it would be cut off.
    desk.hold_view_while(move || busy.get());
    let description_input = NodeRef::<html::Input>::new();
    let form = NodeRef::<html::Form>::new();
    let error =
        move |field: &'static str| Signal::derive(move || errors.with(|e| e.get(field).cloned()));
    focus_when_shown(description_input);
    // Until the fields are here the heading holds the focus, which the Edit button pressed took
    // with it; a failed read leaves it there, by its message and Try again.
    let heading = NodeRef::<html::H2>::new();
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            if original.with_untracked(Option::is_none) && desk.may_focus() {
                let _ = h.focus();
            }
        }
    });

    // The record is read first; the fields appear once it is here. A failed read keeps its
    // message and a Try again (its button stays put while it tries, so the focus does too).
    let loading = RwSignal::new(false);
    let load = move || {
        if loading.get_untracked() {
            return;
        }
        loading.set(true);
        tasks.spawn(async move {
            let loaded = desk.client().get(id).await;
            match &loaded {
                Ok(t) => typed.fill(t),
                Err(e) => desk.learn(e),
            }
            original.set(Some(loaded));
            loading.set(false);
        });
    };
    load();
    desk.when_taken_again(move || {
        if original.with_untracked(|o| matches!(o, Some(Err(ApiError::SignedOut)))) {
            load();
        }
    });
    let loaded = move || original.with(|o| matches!(o, Some(Ok(_))));
    // A failure, and whether the code is gone: drawn again only when that changes, so a failure
    // after another keeps its alert, emptied while Try again tries and filled again, and Try
    // again keeps the focus.
    let failed = Memo::new(move |_| {
        original.with(|o| match o {
            Some(Err(e)) => Some(*e == ApiError::NotFound),
            _ => None,
        })
    });
    // Gone, Try again goes with the failure it answered: the heading takes the focus.
    Effect::new(move |_| {
        if failed.get() == Some(true) && desk.may_focus() {
            if let Some(h) = heading.get_untracked() {
                let _ = h.focus();
            }
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let Some(Ok(before)) = original.get_untracked() else {
            return;
        };
        let changed = match typed.change(&before) {
            Ok(t) => t,
            Err(found) => {
                errors.set(found);
                point_out(form, problem, "Please check the highlighted fields.".into());
                return;
            }
        };
        errors.set(HashMap::new());
        problem.set(None);
        busy.set(true);
        tasks.spawn(async move {
            // Written over the record as it is now on the server, and only what this form
            // changed: a field it does not show (a MAC address, a booking), or one changed
            // elsewhere since it opened (an Extend at another desk), is kept.
            let result = desk
                .client()
                .update(id, move |now| validity::apply_edit(&before, &changed, now))
                .await;
            busy.set(false);
            match result {
                Ok(saved) => {
                    desk.tell(HostEvent::Updated {
                        id,
                        code: saved.access_code,
                    });
                    on_saved.run(())
                }
                Err(e) => report_failure(desk, &e, errors, problem, form),
            }
        });
    };
    // Leaving while the change is being saved would abort a request the server may have carried
    // out, unseen: Escape and Cancel wait for the answer, as in the issue form.
    // Said, not done silently: a key that did nothing would seem lost.
    let waiting = RwSignal::new(None::<String>);
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        super::field::leave_on_escape(&ev, busy.get_untracked(), waiting, SAVING, || {
            on_cancel.run(())
        });
    };

    view! {
        <form class="wd-issue" node_ref=form on:submit=submit on:keydown=on_key novalidate=true aria-labelledby="wd-edit-title">
            <h2 id="wd-edit-title" tabindex="-1" node_ref=heading>"Edit the code"</h2>
            <p class="wd-message" role="status" aria-live="polite">
                {move || if original.with(Option::is_none) {
                    Some("Reading the code…".to_owned())
                } else {
                    waiting.get().filter(|_| busy.get())
                }}
            </p>
            {move || failed.get().map(|gone| {
                // Emptied while it tries again, so the same failure again is said again.
                let said = move || original.with(|o| match o {
                    Some(Err(e)) => e.to_string(),
                    _ => String::new(),
                });
                view! {
                    <p class="wd-error" role="alert">{move || (!loading.get()).then(said)}</p>
                    {(!gone).then(|| view! {
                        <button type="button" aria-disabled=move || loading.get().to_string()
                            on:click=move |_| load()>
                            {move || if loading.get() { "Trying again…" } else { "Try again" }}
                        </button>
                    })}
                }
            })}
            <Show when=loaded>
            <Field label="Access code" name="AccessCode" value=typed.access_code error=error("AccessCode") />
            <Field label="Description" name="Description" value=typed.description error=error("Description")
                node_ref=description_input />
            <Field label="Minutes" name="MinutesIncluded" value=typed.minutes error=error("MinutesIncluded")
                kind="number" inputmode="numeric" hint="Minutes included; the minutes left change by as much." />
            <Field label="Valid from" name="ValidFrom" value=typed.valid_from error=error("ValidFrom") kind="datetime-local"
                hint="Empty: valid from now." />
            <Field label="Valid to" name="ValidTo" value=typed.valid_to error=error("ValidTo") kind="datetime-local"
                hint="Empty: no end date." />
            <Field label="Devices" name="UserLimit" value=typed.devices error=error("UserLimit")
                kind="number" inputmode="numeric" />
            </Show>
            <p class="wd-error" role="alert">{move || problem.get()}</p>
            <div class="wd-actions">
                <Show when=loaded>
                    <button type="submit" class="wd-primary" aria-disabled=move || busy.get().to_string()>
                        {move || if busy.get() { "Saving…" } else { "Save changes" }}
                    </button>
                </Show>
                <button type="button" class="wd-secondary" disabled=move || busy.get()
                    on:click=move |_| on_cancel.run(())>"Cancel"</button>
            </div>
        </form>
    }
}

/// Why Escape waits while the changes are being saved.
const SAVING: &str = "Wait: the changes are being saved.";
