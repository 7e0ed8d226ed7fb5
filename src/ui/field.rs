//! A labelled input with its error beside it, the same way everywhere in the widget.

use std::sync::atomic::{AtomicUsize, Ordering};

use std::collections::HashMap;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::ClientContext;
use crate::api::ApiError;

/// Makes every field's id unique on the page, even with several widgets on it.
static NEXT_ID: AtomicUsize = AtomicUsize::new(0);

/// Moves the focus to `input` as soon as it is on the page: where the receptionist starts typing
/// in each view.
///
/// Embedded in a host page, the widget does not take the focus until the reader has used it.
pub fn focus_when_shown(input: NodeRef<leptos::html::Input>) {
    let allowed = move || use_context::<ClientContext>().is_none_or(|desk| desk.may_focus());
    Effect::new(move |_| {
        if let Some(input) = input.get().filter(|_| allowed()) {
            let _ = input.focus();
        }
    });
}

/// The element with the focus where `node` is drawn: in its shadow root when embedded, else in the
/// page (its body when nothing has it). Read so, not by `:focus`, which matches nothing while the
/// page itself is not focused (another window in front).
pub(crate) fn focused_where(node: &web_sys::Node) -> Option<web_sys::Element> {
    let root = node.get_root_node();
    match root.dyn_ref::<web_sys::ShadowRoot>() {
        Some(shadow) => shadow.active_element(),
        None => root.dyn_ref::<web_sys::Document>()?.active_element(),
    }
}

/// Opens `dialog` as a modal dialog once it is drawn, with the focus on `keep` (the choice that
/// changes nothing): the rest of the widget and the page are inert behind it, so Tab cannot leave
/// it for a button that still acts. The dialog's `cancel` (Escape, wherever the focus is) is to
/// close it the component's way, giving the focus back, not the browser's.
pub fn modal(dialog: NodeRef<leptos::html::Dialog>, keep: NodeRef<leptos::html::Button>) {
    Effect::new(move |_| {
        if let Some(dialog) = dialog.get().filter(|d| !d.open()) {
            let _ = dialog.show_modal();
        }
        if let Some(keep) = keep.get() {
            let _ = keep.focus();
        }
    });
}

/// A text-like input with a visible label and, when there is one, its error announced with it.
#[component]
pub fn Field(
    /// The visible label, which is also the input's accessible name.
    label: &'static str,
    /// The API property the field edits, e.g. `AccessCode`; ties server errors to it.
    name: &'static str,
    /// What is typed.
    value: RwSignal<String>,
    /// The error to show beside it, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// The input's `type`.
    #[prop(default = "text")]
    kind: &'static str,
    /// The input's `inputmode`, for the right on-screen keyboard.
    #[prop(optional)]
    inputmode: Option<&'static str>,
    /// The input's `autocomplete`, so password managers and one-time codes fill it.
    #[prop(optional)]
    autocomplete: Option<&'static str>,
    /// A hint under the label.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// Reference to the input, to move focus to it.
    #[prop(optional)]
    node_ref: NodeRef<leptos::html::Input>,
) -> impl IntoView {
    let id = format!("wd-{}-{name}", NEXT_ID.fetch_add(1, Ordering::Relaxed));
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="wd-field">
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <small id=hint_id.clone() class="wd-hint">{h}</small> })}
            <input
                id=id
                node_ref=node_ref
                type=kind
                name=name
                inputmode=inputmode
                autocomplete=autocomplete
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            <span class="wd-field-error" id=error_id>{move || error.get()}</span>
        </div>
    }
}

/// A failed write, shown on its form: the server's field errors beside their fields, and the
/// sentence in the form's alert. The host page is told too.
pub fn report_failure(
    desk: ClientContext,
    error: &ApiError,
    errors: RwSignal<HashMap<String, String>>,
    problem: RwSignal<Option<String>>,
    form: NodeRef<leptos::html::Form>,
) {
    let ApiError::Invalid(fields) = error else {
        desk.learn(error);
        point_out(form, problem, error.to_string());
        return;
    };
    // Beside its field when the form has one (named as the form names it); otherwise said in
    // the alert, where "the highlighted fields" would not count it.
    let (mut marked, mut shown, mut said) = (HashMap::new(), Vec::new(), Vec::new());
    for f in fields {
        let name = f.property_name.trim();
        match FORM_FIELDS
            .into_iter()
            .find(|n| n.eq_ignore_ascii_case(name))
        {
            Some(on_form) => {
                marked.insert(on_form.to_owned(), sentence(&f.message));
                shown.push(f.clone());
            }
            None => said.push(ApiError::refused_field(f)),
        }
    }
    errors.set(marked);
    if !shown.is_empty() {
        said.push(ApiError::Invalid(shown).to_string());
    }
    let said = said.join(" ");
    // The page is told the sentence shown.
    desk.tell(super::HostEvent::Error {
        kind: error.kind(),
        message: said.clone(),
    });
    point_out(form, problem, said);
}

/// The record's fields the issue and edit forms show, as they name them.
const FORM_FIELDS: [&str; 6] = [
    "AccessCode",
    "Description",
    "MinutesIncluded",
    "ValidFrom",
    "ValidTo",
    "UserLimit",
];

/// Says `sentence` in an alert and moves the focus to the first control marked wrong
/// (`aria-invalid`) in `area`, a form or a group of controls, whose label and error are read with
/// it (see [`say_afresh`]).
pub fn point_out<E>(area: NodeRef<E>, problem: RwSignal<Option<String>>, sentence: String)
where
    E: leptos::html::ElementType,
    E::Output: AsRef<web_sys::Element> + JsCast + Clone + 'static,
{
    say_afresh(problem, sentence, move || {
        let wrong = area
            .try_get_untracked()
            .flatten()
            .and_then(|a| {
                AsRef::<web_sys::Element>::as_ref(&a)
                    .query_selector("[aria-invalid=true]")
                    .ok()
                    .flatten()
            })
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(wrong) = wrong {
            let _ = wrong.focus();
        }
    });
}

/// Sets `problem`, an alert's text, to `sentence`, then runs `after`: emptied first and filled at
/// the next frame, so a second try that fails alike is read out again (a text that stays the same
/// is not). Nothing is done if the alert went meanwhile (a view left, the widget taken away).
pub fn say_afresh(
    problem: RwSignal<Option<String>>,
    sentence: String,
    after: impl FnOnce() + 'static,
) {
    problem.set(None);
    request_animation_frame(move || {
        if problem.try_set(Some(sentence)).is_none() {
            after();
        }
    });
}

/// A server message such as "may not be null" as a sentence beside its field.
fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => {
            let text: String = std::iter::once(first.to_ascii_uppercase())
                .chain(chars)
                .collect();
            if text.ends_with('.') {
                text
            } else {
                format!("{text}.")
            }
        }
        None => String::new(),
    }
}

/// Whether a key went to a field being typed in, where it is text and not a shortcut. A checkbox
/// (a row's, ticked with Space) or a radio button takes no text: keys pressed on one are shortcuts.
fn typing(ev: &web_sys::KeyboardEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|e| match e.tag_name().as_str() {
            "INPUT" => !matches!(
                e.get_attribute("type").as_deref(),
                Some("checkbox" | "radio" | "button" | "submit" | "reset")
            ),
            tag => matches!(tag, "SELECT" | "TEXTAREA"),
        })
}

/// Whether a key went to a confirmation dialog's buttons.
fn in_dialog(ev: &web_sys::KeyboardEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest("[role=alertdialog]").ok().flatten())
        .is_some()
}

/// Whether `ev` is Escape pressed to leave: not while an input method is composing, where
/// Escape cancels the composition (a visitor's name typed in Japanese, say), not the form. Safari
/// ends the composition before its keydown, which then says so only by the key code 229.
pub(crate) fn escape(ev: &web_sys::KeyboardEvent) -> bool {
    ev.key() == "Escape" && !ev.is_composing() && ev.key_code() != IME_KEY_CODE
}

/// Escape pressed to leave a view ([`escape`]): `leave` runs, unless the view is `busy` with a
/// request that leaving would cut off; then `wait` is said in `said` instead, emptied and filled
/// again so a second press is heard again. Whether it was such an Escape.
pub(crate) fn leave_on_escape(
    ev: &web_sys::KeyboardEvent,
    busy: bool,
    said: RwSignal<Option<String>>,
    wait: &str,
    leave: impl FnOnce(),
) -> bool {
    if !escape(ev) {
        return false;
    }
    if busy {
        say_afresh(said, wait.to_owned(), || {});
    } else {
        leave();
    }
    true
}

/// The key code browsers give a keydown that an input method handles.
const IME_KEY_CODE: u32 = 229;

/// Acts on a key shortcut within the element listening for it: the button that announces the key
/// with `aria-keyshortcuts` is pressed, if enabled, or the field that does is focused. The control
/// is the one source of what the key may do: a disabled button's key does nothing but say why, as
/// the button's title does ([`Pressed::Disabled`]), for the listener to tell. Keys typed into a
/// field, held down, with Ctrl, Alt or Meta, or inside a dialog (which asks for an answer first)
/// are left alone; letters ignore Caps Lock.
pub(crate) fn shortcut(ev: &web_sys::KeyboardEvent) -> Pressed {
    if typing(ev) || in_dialog(ev) || ev.ctrl_key() || ev.meta_key() || ev.alt_key() || ev.repeat()
    {
        return Pressed::Not;
    }
    let key = ev.key().to_ascii_lowercase();
    let Some(scope) = ev
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return Pressed::Not;
    };
    let Ok(announced) = scope.query_selector_all("[aria-keyshortcuts]") else {
        return Pressed::Not;
    };
    let control = (0..announced.length())
        .filter_map(|i| announced.item(i)?.dyn_into::<web_sys::HtmlElement>().ok())
        .find(|e| e.get_attribute("aria-keyshortcuts").as_deref() == Some(key.as_str()));
    let Some(control) = control else {
        return Pressed::Not;
    };
    // A key the widget used is not also the browser's (Firefox's find-as-you-type).
    ev.prevent_default();
    if control.matches(":disabled").unwrap_or(true) {
        let why = control
            .get_attribute("title")
            .filter(|t| !t.trim().is_empty());
        return Pressed::Disabled(why);
    }
    if control.tag_name() == "BUTTON" {
        control.click();
    } else {
        let _ = control.focus();
    }
    Pressed::Done
}

/// Hands a key pressed inside `from` (a selector: the header bar, say) to `to`, the view beside
/// it, as if pressed there: the view's own listener (Escape to go back, its shortcuts) then acts
/// on it, with the view as its scope. A key the view used is not also the browser's.
pub(crate) fn forward_from(ev: &web_sys::KeyboardEvent, from: &str, to: Option<web_sys::Element>) {
    let pressed_in = |ev: &web_sys::KeyboardEvent| {
        ev.target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest(from).ok().flatten())
            .is_some()
    };
    // One with Ctrl, Alt or Meta, or held down, is the browser's, here as in the view; the bar
    // has no field, so no input method composes in it.
    let plain = !(ev.ctrl_key() || ev.alt_key() || ev.meta_key() || ev.repeat());
    let Some(to) = to.filter(|_| plain && pressed_in(ev)) else {
        return;
    };
    // Heard by the view's own listener alone: not bubbling, the host page and the console do not
    // hear one key twice.
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(&ev.key());
    init.set_cancelable(true);
    let Ok(again) = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init)
    else {
        return;
    };
    if to.dispatch_event(&again) == Ok(false) {
        ev.prevent_default();
    }
}

/// What a key did as a shortcut ([`shortcut`]).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Pressed {
    /// Nothing: no control announces it, or it was typed or held.
    Not,
    /// Its control was pressed or focused.
    Done,
    /// Its control is disabled; why, when its title says.
    Disabled(Option<String>),
}
