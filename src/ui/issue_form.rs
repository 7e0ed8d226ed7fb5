//! The issue form: a generated code, a description, minutes, validity and devices; checked before
//! sending, with the server's errors shown beside their fields and nothing typed ever lost.

use std::collections::HashMap;

use leptos::html;
use leptos::prelude::*;
use wifi_desk_wire::WallClock;

use super::{
    clock, focus_when_shown, point_out, report_failure, ClientContext, Field, Tasks, MAX_BATCH,
};
use crate::api::{AccessToken, ApiError};
use crate::domain::code::{self, CodeStyle};
use crate::domain::reading;
use crate::domain::validity::{self, Preset};

/// Issues one access code.
#[component]
pub fn IssueForm(
    /// Called with the new code's record, as sent and with the id the server gave it, once it is
    /// issued.
    on_issued: Callback<AccessToken>,
    /// Called when the receptionist gives up (Cancel or Escape).
    on_cancel: Callback<()>,
    /// Called with the settings and the number of codes when more than one is asked for.
    on_batch: Callback<(AccessToken, u32)>,
) -> impl IntoView {
    let desk = ClientContext::handle();
    let tasks = Tasks::owned();
    let options = desk.options();
    let style: CodeStyle = options.code_style;
    let business = options.business_id;

    let access_code = RwSignal::new(code::generate(style));
    let description = RwSignal::new(String::new());
    let minutes = RwSignal::new("60".to_owned());
    let preset = RwSignal::new(Some(Preset::OneDay));
    let (start, end) = desk.window(Preset::OneDay);
    let valid_from = RwSignal::new(clock::to_input(start));
    let valid_to = RwSignal::new(clock::to_input(end));
    // The custom dates the form last filled in itself: while they are as it left them, choosing
    // Custom dates fills them from the preset chosen before.
    let seeded = StoredValue::new((clock::to_input(start), clock::to_input(end)));
    let devices = RwSignal::new("1".to_owned());
    let how_many = RwSignal::new("1".to_owned());
    let errors = RwSignal::new(HashMap::<String, String>::new());
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // Said, not shown: a new code, or why Escape waits.
    let renewed = RwSignal::new(None::<String>);
    // The console is not left while a request of this view's is on its way: it would be cut off.
    desk.hold_view_while(move || busy.get());
    // The last code sent without a known success, with the preset it was sent with: sent again
    // from the same preset, it keeps the times it was sent with, so the server's record of an
    // earlier try (its answer lost) is recognised as this code, not refused as another's.
    let tried = super::Tried::<(Preset, AccessToken)>::new();
    let description_input = NodeRef::<html::Input>::new();
    let form = NodeRef::<html::Form>::new();
    let error =
        move |field: &'static str| Signal::derive(move || errors.with(|e| e.get(field).cloned()));

    // The code is ready; the receptionist starts with who it is for.
    focus_when_shown(description_input);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // One request at a time: a double click or a repeated Enter issues one code.
        if busy.get_untracked() {
            return;
        }
        let mut found = HashMap::new();
        let count = how_many.get_untracked().trim().parse::<u32>().ok();
        if !count.is_some_and(|n| (1..=MAX_BATCH).contains(&n)) {
            found.insert(
                "Count".to_owned(),
                format!("Enter a number from 1 to {MAX_BATCH}."),
            );
        }
        let batch = count.filter(|n| *n > 1);
        let typed_code = code::normalize(&access_code.get_untracked());
        // A batch generates a code for each voucher; the one shown is not used.
        if let (None, Some(why)) = (batch, code::problem(&typed_code)) {
            found.insert("AccessCode".to_owned(), why.to_owned());
        }
        let minutes_value = minutes.get_untracked().trim().parse::<i64>().ok();
        let devices_value = devices.get_untracked().trim().parse::<i64>().ok();
        if devices_value.is_none() {
            found.insert(
                "UserLimit".to_owned(),
                "Enter a number of devices.".to_owned(),
            );
        }
        let (from, to) = match preset.get_untracked() {
            Some(p) => {
                let earlier = match tried.recent() {
                    Some((was, sent)) if was == p && sent.access_code == typed_code => {
                        validity::window_again(&sent, desk.now())
                    }
                    _ => None,
                };
                let (from, to) = earlier.unwrap_or_else(|| desk.window(p));
                (Some(from), Some(to))
            }
            None => (
                clock::from_input(&valid_from.get_untracked()),
                clock::from_input(&valid_to.get_untracked()),
            ),
        };
        if preset.get_untracked().is_none() {
            if from.is_none() {
                found.insert("ValidFrom".to_owned(), "Enter a date and time.".to_owned());
            }
            if to.is_none() {
                found.insert("ValidTo".to_owned(), "Enter a date and time.".to_owned());
            }
        }
        let ended = validity::ended(to, desk.now());
        for p in validity::check(from, to, minutes_value, devices_value)
            .into_iter()
            .chain(ended)
        {
            found
                .entry(p.field.to_owned())
                .or_insert_with(|| p.message.to_owned());
        }
        let Some(business_id) = business else {
            problem.set(Some("This desk has no business set, so it cannot issue codes. Ask whoever set it up to add one.".into()));
            return;
        };
        if !found.is_empty() {
            errors.set(found);
            point_out(form, problem, "Please check the highlighted fields.".into());
            return;
        }
        errors.set(HashMap::new());
        problem.set(None);
        access_code.set(typed_code.clone());
        let text = description.get_untracked();
        let minutes_value = minutes_value.unwrap_or_default();
        let token = AccessToken {
            business_id: Some(business_id),
            access_code: typed_code,
            description: (!text.trim().is_empty()).then(|| text.trim().to_owned()),
            minutes_included: minutes_value,
            minutes_left: minutes_value,
            valid_from: from.map(WallClock::new),
            valid_to: to.map(WallClock::new),
            user_limit: devices_value,
            ..AccessToken::default()
        };
        if let Some(n) = batch {
            on_batch.run((token, n));
            return;
        }
        busy.set(true);
        // Custom dates are typed: a repeat sends them as they are.
        match preset.get_untracked() {
            Some(p) => tried.sent((p, token.clone())),
            None => tried.forget(),
        }
        tasks.spawn(async move {
            let result = desk.issue(&token).await;
            busy.set(false);
            tried.answered(&result);
            match result {
                Ok(id) => on_issued.run(AccessToken { id, ..token }),
                Err(e) => {
                    let e = on_this_form(e);
                    // Dates refused that a preset chose are shown as the dates sent, to be seen
                    // and changed: hidden, their error would be beside nothing.
                    let dates = ["ValidFrom", "ValidTo"];
                    if preset.get_untracked().is_some()
                        && dates.iter().any(|f| e.field(f).is_some())
                    {
                        let shown = |w: Option<WallClock>| {
                            w.map(|w| clock::to_input(w.local())).unwrap_or_default()
                        };
                        let (from, to) = (shown(token.valid_from), shown(token.valid_to));
                        valid_from.set(from.clone());
                        valid_to.set(to.clone());
                        seeded.set_value((from, to));
                        preset.set(None);
                    }
                    report_failure(desk, &e, errors, problem, form)
                }
            }
        });
    };

    // Leaving while the code is being issued would abort a request the server may have carried
    // out, and the next try would issue a second code: Escape and Cancel wait for the answer.
    // Said, not done silently: a key that did nothing would seem lost.
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        super::field::leave_on_escape(&ev, busy.get_untracked(), renewed, ISSUING, || {
            on_cancel.run(())
        });
    };

    view! {
        <form class="wd-issue" node_ref=form on:submit=submit on:keydown=on_key novalidate=true aria-labelledby="wd-issue-title">
            <h2 id="wd-issue-title">"Issue a code"</h2>
            <div class="wd-code-row">
                <Field label="Access code" name="AccessCode" value=access_code error=error("AccessCode")
                    hint="Letters and digits; generated, and yours to change." />
                <button type="button" class="wd-secondary" on:click=move |_| {
                    let fresh = code::generate(style);
                    // What was said of the code replaced is not said of this one: beside it,
                    // nor in the alert when it was all the alert said.
                    let mut only = false;
                    errors.update(|e| {
                        only = e.remove("AccessCode").is_some() && e.is_empty();
                    });
                    if only {
                        problem.set(None);
                    }
                    renewed.set(Some(format!("New code: {}.", reading::grouped(&fresh, style.group()))));
                    access_code.set(fresh);
                }>
                    "New code"
                </button>
                // The field changes under the button: said, as the button's only word of it.
                <p class="wd-visually-hidden" aria-live="polite">{move || renewed.get()}</p>
            </div>
            <Field label="Description" name="Description" value=description error=error("Description")
                node_ref=description_input hint="Who or what it is for, e.g. a visitor's name." />
            <Field label="Minutes" name="MinutesIncluded" value=minutes error=error("MinutesIncluded")
                kind="number" inputmode="numeric" />
            <div class="wd-field">
                <label for="wd-valid-for">"Valid for"</label>
                <select id="wd-valid-for" on:change=move |ev| {
                    let chosen = Preset::parse(&event_target_value(&ev));
                    // Custom dates start from the window chosen until now, to be adjusted; dates
                    // typed before are kept.
                    let untouched = seeded.with_value(|(from, to)| {
                        valid_from.get_untracked() == *from && valid_to.get_untracked() == *to
                    });
                    if let (None, Some(was), true) = (chosen, preset.get_untracked(), untouched) {
                        let (start, end) = desk.window(was);
                        let (start, end) = (clock::to_input(start), clock::to_input(end));
                        valid_from.set(start.clone());
                        valid_to.set(end.clone());
                        seeded.set_value((start, end));
                    }
                    preset.set(chosen);
                }>
                    {Preset::ALL.into_iter().map(|p| view! {
                        // Properties, not attributes: an attribute no longer moves the choice
                        // once the list has been used, and the form may change it (a date refused).
                        <option value=p.as_str() prop:selected=move || preset.get() == Some(p)>{p.label()}</option>
                    }).collect_view()}
                    <option value="custom" prop:selected=move || preset.get().is_none()>"Custom dates"</option>
                </select>
            </div>
            <Show when=move || preset.get().is_none()>
                <Field label="Valid from" name="ValidFrom" value=valid_from error=error("ValidFrom") kind="datetime-local" />
                <Field label="Valid to" name="ValidTo" value=valid_to error=error("ValidTo") kind="datetime-local" />
            </Show>
            <Field label="Devices" name="UserLimit" value=devices error=error("UserLimit")
                kind="number" inputmode="numeric" hint="How many devices may use the code at once." />
            <Field label="Number of codes" name="Count" value=how_many error=error("Count")
                kind="number" inputmode="numeric" hint="More than one issues a batch with these settings, each with its own code." />
            <p class="wd-error" role="alert">{move || problem.get()}</p>
            <div class="wd-actions">
                <button type="submit" class="wd-primary" aria-disabled=move || busy.get().to_string()>
                    {move || if busy.get() { "Issuing…" } else { "Issue code" }}
                </button>
                <button type="button" class="wd-secondary" disabled=move || busy.get()
                    on:click=move |_| on_cancel.run(())>"Cancel"</button>
            </div>
        </form>
    }
}

/// A refusal as this form shows it: `MinutesLeft`, which it sends as the minutes typed, beside
/// Minutes (once, should both be refused), so that every error is beside a field it has.
fn on_this_form(error: ApiError) -> ApiError {
    let ApiError::Invalid(mut fields) = error else {
        return error;
    };
    let included = fields.iter().any(|f| f.property_name == "MinutesIncluded");
    fields.retain(|f| !(included && f.property_name == "MinutesLeft"));
    for f in &mut fields {
        if f.property_name == "MinutesLeft" {
            f.property_name = "MinutesIncluded".to_owned();
        }
    }
    ApiError::Invalid(fields)
}

/// Why Escape waits while the code is being issued.
const ISSUING: &str = "Wait: the code is being issued.";

#[cfg(test)]
mod tests {
    use super::*;
    use wifi_desk_wire::FieldError;

    fn refused(fields: &[&str]) -> ApiError {
        ApiError::Invalid(
            fields
                .iter()
                .map(|f| FieldError {
                    property_name: (*f).to_owned(),
                    message: "must be zero or more".to_owned(),
                    attempted_value: None,
                })
                .collect(),
        )
    }

    #[test]
    fn minutes_left_is_shown_beside_minutes() {
        assert_eq!(
            on_this_form(refused(&["MinutesLeft"])),
            refused(&["MinutesIncluded"])
        );
        assert_eq!(
            on_this_form(refused(&["MinutesIncluded", "MinutesLeft", "UserLimit"])),
            refused(&["MinutesIncluded", "UserLimit"])
        );
        assert_eq!(on_this_form(ApiError::NotFound), ApiError::NotFound);
    }
}
