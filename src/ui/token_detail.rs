//! One code as a visitor needs it: large and grouped for reading aloud, its QR code, and the voucher
//! to print; with the desk's quick actions: extend, top up, revoke.

use chrono::{Duration, NaiveDateTime};
use leptos::html;
use leptos::prelude::*;

use super::{clock, reasons, ClientContext, HostEvent, Tasks, Voucher};
use crate::api::{AccessToken, ApiError};
use crate::domain::status;
use crate::domain::{reading, validity};

/// The detail of one access code.
#[component]
pub fn TokenDetail(
    /// The code's record id.
    id: i64,
    /// A sentence to announce when the detail opens, e.g. "Code issued: K7QM 3XPD."
    #[prop(optional, into)]
    announce: Option<String>,
    /// The record as just created: drawn at once, and replaced by the server's copy only where
    /// that differs in what is shown, so the voucher is not drawn twice.
    #[prop(default = None)]
    issued: Option<AccessToken>,
    /// Called to go back to the list (Back, or Escape).
    on_back: Callback<()>,
    /// Called with the id to edit the code.
    on_edit: Callback<i64>,
    /// Called with the id once the code is gone: revoked here, or found revoked already.
    on_revoked: Callback<i64>,
) -> impl IntoView {
    let desk = ClientContext::handle();
    // Single-key shortcuts, unless the host page turned them off: a control without
    // `aria-keyshortcuts` has none (`field::shortcut`).
    let keys = desk.options().shortcuts;
    let tasks = Tasks::owned();
    let token = RwSignal::new(issued.map(Ok::<_, ApiError>));
    // What the detail draws: drawn again only when that changes, not when the server's copy of a
    // code just issued merely adds who issued it, so the voucher and the focus stay put.
    let drawn = Memo::new_with_compare(
        move |_| token.get(),
        |old, new| match (old, new) {
            (Some(Some(Ok(old))), Some(Some(Ok(new)))) => !shown_alike(old, new),
            // A failure after another keeps its Try again, and the focus on it; only its
            // sentence changes (read from `token`).
            (Some(Some(Err(old))), Some(Some(Err(new)))) => {
                (*old == ApiError::NotFound) != (*new == ApiError::NotFound)
            }
            (old, new) => old != new,
        },
    );
    // Empty as the detail is drawn, the sentence a moment later: screen readers read what changes
    // in a live region already on the page, not what a new one starts with.
    let message = RwSignal::new(None);
    if announce.is_some() {
        set_timeout(
            move || {
                if message.try_get_untracked() == Some(None) {
                    message.try_set(announce);
                }
            },
            ANNOUNCE_AFTER,
        );
    }
    let busy = RwSignal::new(false);
    // The console is not left while a request of this view's is on its way: it would be cut off.
    desk.hold_view_while(move || busy.get());
    let spelled = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let revoked = RwSignal::new(false);
    let heading = NodeRef::<html::H2>::new();
    let keep = NodeRef::<html::Button>::new();
    let revoke_button = NodeRef::<html::Button>::new();

    // Bumped as each change or revoke made here starts: a change's read-back that comes after it
    // is not to be announced.
    let changes = StoredValue::new(0u32);
    // Set once a change made here may have changed the code (written, or its answer lost) or a
    // revoke started: a read that set out before is older than what is shown. A change refused
    // changed nothing, and the first read still lands.
    let changed_here = StoredValue::new(false);
    // Try again pressed, and its answer not come yet.
    let retrying = RwSignal::new(false);
    let read = move || {
        tasks.spawn(async move {
            let read = desk.client().get(id).await;
            if let Err(e) = &read {
                desk.learn(e);
            }
            // A code just issued exists: a failed read leaves it as created.
            let keep_created = read.is_err() && token.with_untracked(|t| matches!(t, Some(Ok(_))));
            if !changed_here.get_value() && !keep_created {
                token.set(Some(read));
            }
            retrying.try_set(false);
        });
    };
    read();
    desk.when_taken_again(move || {
        if token.with_untracked(|t| matches!(t, Some(Err(ApiError::SignedOut)))) {
            read();
        }
    });
    // The focus goes to the heading as the view opens, while the code is still being read (the
    // link or form that had it is gone; Escape and the keys work from there), and again when the
    // code is read or fails to be read, which may take away what had it (Try again). Not when a
    // change made here redraws the code: the button pressed keeps the focus.
    let appeared = Memo::new(move |_| {
        drawn.with(|t| match t {
            None => 0_u8,
            // Gone, apart from other failures: Try again, which had the focus, goes with it.
            Some(Err(ApiError::NotFound)) => 3,
            Some(Err(_)) => 1,
            Some(Ok(_)) => 2,
        })
    });
    Effect::new(move |_| {
        // Read, not only tracked: a memo nobody reads is not brought up to date, and a second
        // change of it would go unseen.
        let _ = appeared.get();
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    let dialog = NodeRef::<html::Dialog>::new();
    super::modal(dialog, keep);
    // Closing the dialog gives the focus back to Revoke, or to the heading once the revoke was
    // tried, so the keyboard never lands on the page's body.
    let close_dialog = move |to_heading: bool| {
        // Closed first: while it is modal, the rest is inert and cannot take the focus.
        if let Some(dialog) = dialog.get_untracked() {
            dialog.close();
        }
        confirming.set(false);
        let _ = match (to_heading, revoke_button.get_untracked()) {
            (false, Some(b)) => b.focus(),
            _ => heading.get_untracked().map_or(Ok(()), |h| h.focus()),
        };
    };

    // Runs one change on the record and announces the outcome.
    // `edit` is given the business's "now", for changes that extend from it, and the desk, whose
    // clock an extension in hours follows across a change of the clocks.
    let change = move |done: &'static str,
                       edit: fn(&mut AccessToken, NaiveDateTime, ClientContext)| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        changes.update_value(|n| *n += 1);
        let mine = changes.get_value();
        // Emptied first: the same sentence twice would not be read out again.
        message.set(None);
        tasks.spawn(async move {
            let now = desk.now();
            let mut before = None;
            let mut sent = None;
            let result = desk
                .client()
                .update(id, |t| {
                    before = Some(t.clone());
                    edit(t, now, desk);
                    sent = Some(t.clone());
                })
                .await;
            match result {
                Ok(written) => {
                    changed_here.set_value(true);
                    desk.tell(HostEvent::Updated {
                        id,
                        code: written.access_code.clone(),
                    });
                    token.set(Some(Ok(written.clone())));
                    busy.set(false);
                    // Who changed it and when are the server's to say, and so is what it kept: the
                    // code is read back and the sentence says what the server has. A failed read
                    // leaves what was written. A change or revoke started here meanwhile says its own.
                    let read = desk.client().get(id).await.ok();
                    if changes.get_value() != mine || revoked.get_untracked() {
                        return;
                    }
                    let has = match read {
                        Some(read) => {
                            token.set(Some(Ok(read.clone())));
                            read
                        }
                        None => written.clone(),
                    };
                    let kept = before
                        .as_ref()
                        .is_none_or(|before| validity::kept(before, &written, &has));
                    let said = if kept { done } else { NOT_KEPT };
                    message.set(Some(format!("{said} {}.", has_now(&has))));
                }
                // Lost on the way back, the change may have been made: the code is read again and
                // shown as the server has it, so pressing again is a choice, not a blind retry
                // that would add the time or minutes twice.
                // Unless the read before the write failed: then nothing was sent, and the error
                // says what went wrong (below).
                Err(e) if e.outcome_unknown() && sent.is_some() => {
                    desk.learn(&e);
                    changed_here.set_value(true);
                    match desk.client().get(id).await {
                        Ok(read) => {
                            // Made after all: the page hears of it as it would have.
                            if let (Some(before), Some(sent)) = (&before, &sent) {
                                if validity::landed(before, sent, &read) {
                                    desk.tell(HostEvent::Updated {
                                        id,
                                        code: read.access_code.clone(),
                                    });
                                }
                            }
                            message.set(Some(format!(
                                "{UNKNOWN} It is shown as the server has it now."
                            )));
                            token.set(Some(Ok(read)));
                        }
                        Err(_) => message.set(Some(format!(
                            "{UNKNOWN} Check the code before trying again."
                        ))),
                    }
                    busy.set(false);
                }
                // Revoked elsewhere: the code is shown as gone, not left with its voucher and
                // its buttons (the heading takes the focus, as the view changes).
                Err(ApiError::NotFound) => {
                    desk.learn(&ApiError::NotFound);
                    // Ticked, it would be revoked and printed again from the bulk bar.
                    on_revoked.run(id);
                    busy.set(false);
                    changed_here.set_value(true);
                    if changes.get_value() == mine {
                        token.set(Some(Err(ApiError::NotFound)));
                    }
                }
                Err(e) => {
                    desk.learn(&e);
                    message.set(Some(e.to_string()));
                    busy.set(false);
                    // The role found missing disables the button pressed, which would drop the
                    // focus to the page's body: it goes to the heading, by the sentence.
                    if matches!(e, ApiError::MissingRole(_)) && desk.may_focus() {
                        if let Some(h) = heading.try_get_untracked().flatten() {
                            let _ = h.focus();
                        }
                    }
                }
            }
        });
    };
    let revoke = move || {
        // A second "Yes, revoke" while the first is on its way would answer "not found".
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        changes.update_value(|n| *n += 1);
        changed_here.set_value(true);
        // Emptied first: a second try that fails alike would not be read out again.
        message.set(None);
        // The question is answered: it goes at once, the focus to the heading, so Keep it or
        // Escape cannot seem to keep a code that is on its way out.
        close_dialog(true);
        let gone = move || {
            let code = token.with_untracked(|t| match t {
                Some(Ok(t)) => t.access_code.clone(),
                _ => String::new(),
            });
            desk.tell(HostEvent::Revoked { id, code });
            close_dialog(true);
            revoked.set(true);
            message.set(Some("Code revoked. Visitors using it lose access.".into()));
        };
        tasks.spawn(async move {
            let result = desk.client().delete(id).await;
            if matches!(result, Ok(()) | Err(ApiError::NotFound)) {
                on_revoked.run(id);
            }
            match result {
                Ok(()) => gone(),
                // Revoked elsewhere already: gone all the same, and said so.
                Err(ApiError::NotFound) => {
                    desk.learn(&ApiError::NotFound);
                    close_dialog(true);
                    revoked.set(true);
                    message.set(Some(ApiError::NotFound.to_string()));
                }
                Err(e) => {
                    desk.learn(&e);
                    close_dialog(true);
                    // Lost on the way back, and the read that was to tell failed too.
                    message.set(Some(if e.outcome_unknown() {
                        "The server's answer was lost, and it is not known whether the \
                         code was revoked. Look for it in the list before trying again."
                            .to_owned()
                    } else {
                        e.to_string()
                    }));
                }
            }
            busy.set(false);
        });
    };
    // Escape goes back (or closes the dialog); on a code, "p" prints its voucher, "s" spells it
    // out, "e" edits it and "r" asks to revoke it, as their buttons do.
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        // Nothing is left while a change or revoke is on its way (it would be cut off unseen),
        // nor while an input method is composing, which Escape cancels.
        let leave = || {
            if confirming.get_untracked() {
                close_dialog(false)
            } else {
                on_back.run(())
            }
        };
        if super::field::leave_on_escape(&ev, busy.get_untracked(), message, WAIT, leave) {
            return;
        }
        // Outside the dialog: the keys the code's buttons announce. One whose button is disabled
        // says why, as the button shows it, rather than nothing.
        if !confirming.get_untracked() {
            if let super::field::Pressed::Disabled(why) = super::field::shortcut(&ev) {
                let why = match why {
                    _ if busy.get_untracked() => WAIT.to_owned(),
                    Some(why) => why,
                    None => "That cannot be done with this code now.".to_owned(),
                };
                super::field::say_afresh(message, why, || {});
            }
        }
    };

    let group = desk.options().code_style.group();
    let no_edit = desk.lacks("AccessToken-Edit");
    let no_delete = desk.lacks("AccessToken-Delete");

    // The status changes as the clock reaches the code's start, end or an hour before it.
    let now = clock::ticking(move |at| {
        token.with(|t| match t {
            Some(Ok(t)) => status::next_change([t], at),
            _ => None,
        })
    });
    let details = move |t: AccessToken| {
        let (status_class, status) = super::token_table::live_status(t.clone(), now, "wd-status");
        let when = |w: Option<wifi_desk_wire::WallClock>, none: &'static str| {
            w.map(|w| clock::show(w.local()))
                .unwrap_or_else(|| none.to_owned())
        };
        let has_end = t.valid_to.is_some();
        // No minutes included means no minute limit: a top-up would set one.
        let metered = t.metered();
        let spoken = t.access_code.clone();
        view! {
            <div class="wd-printable"><Voucher token=t.clone() spelled=spelled /></div>
            <dl class="wd-facts">
                <dt>"Status"</dt>
                <dd class=status_class>{status}</dd>
                <dt>"Description"</dt><dd>{t.description.clone().unwrap_or_else(|| "—".into())}</dd>
                <dt>"Minutes"</dt><dd>{if metered { format!("{} left of {}", t.minutes_left, t.minutes_included) } else { "No limit".to_owned() }}</dd>
                <dt>"Devices"</dt><dd>{t.devices()}</dd>
                <dt>"Last changed"</dt>
                <dd>{move || token.with(|t| match t {
                    Some(Ok(t)) => format!("{} by {}", when(t.updated_on, "—"), t.updated_by.as_deref().unwrap_or("—")),
                    _ => String::new(),
                })}</dd>
            </dl>
            <div class="wd-actions" role="group" aria-label="Actions">
                <button type="button" class="wd-primary" aria-keyshortcuts=keys.then_some("p") on:click=super::print>"Print voucher"</button>
                <button type="button" aria-keyshortcuts=keys.then_some("e") disabled=move || busy.get() || no_edit.get().is_some() title=move || no_edit.get()
                    on:click=move |_| on_edit.run(id)>"Edit"</button>
                <button type="button" aria-keyshortcuts=keys.then_some("s") on:click=move |_| {
                        spelled.update(|s| *s = !*s);
                        // Said too: it is drawn away from the button, and "s" leaves the focus where it
                        // was. Turned off, it is no longer shown there either.
                        let spelling = reading::phonetic(&spoken, group);
                        if spelled.get_untracked() {
                            super::field::say_afresh(message, spelling, || {});
                        } else if message.with_untracked(|m| m.as_deref() == Some(spelling.as_str())) {
                            message.set(None);
                        }
                    }
                    aria-pressed=move || spelled.get().to_string()>"Spell it out"</button>
                <button type="button" disabled=move || !has_end || no_edit.get().is_some()
                    aria-disabled=move || busy.get().to_string() title=move || unless(has_end, NO_END, no_edit.get())
                    on:click=move |_| change("Extended by 1 hour.", |t, now, desk| validity::extend_to(t, now, |from| desk.hours_later(from, 1)))>"+1 hour"</button>
                <button type="button" disabled=move || !has_end || no_edit.get().is_some()
                    aria-disabled=move || busy.get().to_string() title=move || unless(has_end, NO_END, no_edit.get())
                    on:click=move |_| change("Extended by 1 day.", |t, now, _| validity::extend(t, Duration::days(1), now))>"+1 day"</button>
                <button type="button" disabled=move || !metered || no_edit.get().is_some()
                    aria-disabled=move || busy.get().to_string() title=move || unless(metered, NO_LIMIT, no_edit.get())
                    on:click=move |_| change("Topped up by 60 minutes.", |t, _, _| {
                        t.minutes_included += 60;
                        t.minutes_left += 60;
                    })>"Top up 60 minutes"</button>
                <button type="button" class="wd-danger" aria-keyshortcuts=keys.then_some("r") node_ref=revoke_button disabled=move || busy.get() || no_delete.get().is_some()
                    title=move || no_delete.get() on:click=move |_| confirming.set(true)>"Revoke"</button>
            </div>
            // Disabled actions say why where everyone can read it, not only in a tooltip.
            <p class="wd-hint wd-reasons">{reasons([no_edit, no_delete, cannot(has_end, NO_END, no_edit), cannot(metered, NO_LIMIT, no_edit)])}</p>
        }
    };

    view! {
        <article class="wd-detail" on:keydown=on_key aria-labelledby="wd-detail-title">
            <h2 id="wd-detail-title" tabindex="-1" node_ref=heading>"Access code"</h2>
            <p class="wd-message" role="status" aria-live="polite">{move || message.get()}</p>
            {move || match (drawn.get(), revoked.get()) {
                (_, true) => view! { <p>"This code no longer exists."</p> }.into_any(),
                (None, _) => view! { <p>"Loading the code…"</p> }.into_any(),
                // A code that is gone stays gone; any other failure may pass.
                (Some(Err(e)), _) => {
                    let again = (e != ApiError::NotFound).then(|| view! {
                        <button type="button" on:click=move |_| {
                            retrying.set(true);
                            read();
                        }>"Try again"</button>
                    });
                    // Emptied while it tries again, so the same failure again is said again.
                    let said = move || token.with(|t| match t {
                        Some(Err(e)) => e.to_string(),
                        _ => String::new(),
                    });
                    view! {
                        <p class="wd-error" role="alert">{move || (!retrying.get()).then(said)}</p>
                        {again}
                    }.into_any()
                }
                (Some(Ok(t)), _) => details(t).into_any(),
            }}
            <Show when=move || confirming.get()>
                <dialog class="wd-confirm" role="alertdialog" aria-labelledby="wd-confirm-text" node_ref=dialog
                    on:cancel=move |ev: leptos::ev::Event| { ev.prevent_default(); close_dialog(false); }>
                    <p id="wd-confirm-text">{move || token.with(|t| match t {
                        Some(Ok(t)) => format!("Revoke code {}? Visitors using it lose access at once.", reading::grouped(&t.access_code, group)),
                        _ => "Revoke this code?".to_owned(),
                    })}</p>
                    <button type="button" class="wd-danger" aria-disabled=move || busy.get().to_string()
                        on:click=move |_| revoke()>"Yes, revoke"</button>
                    <button type="button" node_ref=keep on:click=move |_| if !busy.get_untracked() { close_dialog(false) }>"Keep it"</button>
                </dialog>
            </Show>
            <button type="button" class="wd-secondary" aria-disabled=move || busy.get().to_string()
                on:click=move |_| if !busy.get_untracked() { on_back.run(()) }>"Back to list"</button>
        </article>
    }
}

/// How long a new detail's live region is on the page, empty, before its sentence is put in it.
const ANNOUNCE_AFTER: std::time::Duration = std::time::Duration::from_millis(100);

/// What a change lost on its way back says.
const UNKNOWN: &str =
    "The server's answer was lost, and it is not known whether the change was made.";

/// What a change says when the server's copy read back is not what was written.
pub(super) const NOT_KEPT: &str = "The server did not keep all of the change. It has:";

/// A code's end and minutes, as the detail's changes announce them.
pub(super) fn has_now(t: &AccessToken) -> String {
    let until = t.valid_to.map_or_else(
        || "No end date".to_owned(),
        |w| format!("Valid until {}", clock::show(w.local())),
    );
    if t.metered() {
        format!("{until}; {} minutes left", t.minutes_left)
    } else {
        format!("{until}; no minute limit")
    }
}

/// Why Escape and the code's keys wait while a change or revoke is on its way.
const WAIT: &str = "Wait: a change to this code is on its way.";
/// Why +1 hour and +1 day are disabled for a code without an end.
const NO_END: &str = "No end date: nothing to extend.";
/// Why Top up is disabled for a code without a minute limit.
const NO_LIMIT: &str = "No minute limit: nothing to top up.";

/// Why a quick action is disabled, if it is: the role it needs (`no_edit`), or `why` unless it is
/// `possible` for this code.
fn unless(possible: bool, why: &str, no_edit: Option<String>) -> Option<String> {
    no_edit.or_else(|| (!possible).then(|| why.to_owned()))
}

/// `why` a quick action is disabled, for the line of reasons: unless it is `possible`, or the
/// missing role (said there already) disables it anyway.
fn cannot(
    possible: bool,
    why: &'static str,
    no_edit: Signal<Option<String>>,
) -> Signal<Option<String>> {
    Signal::derive(move || (!possible && no_edit.get().is_none()).then(|| why.to_owned()))
}

/// Whether two copies of a record look the same in the detail and on its voucher, who changed it
/// last aside.
fn shown_alike(a: &AccessToken, b: &AccessToken) -> bool {
    let shown = |t: &AccessToken| {
        (
            t.access_code.clone(),
            t.description.clone(),
            t.minutes_included,
            t.minutes_left,
            t.valid_from,
            t.valid_to,
            t.devices(),
        )
    };
    shown(a) == shown(b)
}
