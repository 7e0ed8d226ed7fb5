//! One booking's code, for the staff who handle the booking: found by the booking (or visitor, or
//! record id), shown with its QR code and voucher; issued for it when there is none; extended,
//! rather than issued twice, when there is one.

use leptos::prelude::*;

use super::token_detail::{has_now, NOT_KEPT};
use super::{clock, reasons, ClientContext, HostEvent, Subject, Tasks, Voucher};
use crate::api::{AccessToken, ApiError, Client, Field, ListQuery};
use crate::domain::status::{self, Status};
use crate::domain::{code, validity};

/// Every code linked to `subject`.
pub(super) async fn codes_for(
    client: &Client,
    subject: &Subject,
) -> Result<Vec<AccessToken>, ApiError> {
    let by = |field: Field, guid: &str| ListQuery::new().size(100).filter(field, guid);
    match subject {
        Subject::Booking(guid) => Ok(client.list(&by(Field::BookingGuid, guid)).await?.records),
        Subject::Visitor(guid) => Ok(client.list(&by(Field::VisitorGuid, guid)).await?.records),
        Subject::Token(id) => Ok(vec![client.get(*id).await?]),
    }
}

/// The sentence for a widget that was not told which booking it is about.
pub(super) const NO_SUBJECT: &str =
    "This widget needs a booking: the page must give it a booking-guid, visitor-guid or token-id.";

/// Said of a code found by its id (`token-id`) that has ended: no other is issued in its place.
const BY_ID_ENDED: &str = "This code has ended. A new one is issued for a booking or a visitor, \
                           when the page gives this widget its booking-guid or visitor-guid.";

/// Said when a booking's code ends while it is shown.
const ENDED: &str = "This booking's code has ended.";

/// Moves the focus to `action` if it is on the page and enabled, or else to `heading`; not when
/// the widget may not take the focus, nor once the host page has taken it away (`try_`).
pub(super) fn focus_on(
    action: NodeRef<leptos::html::Button>,
    heading: NodeRef<leptos::html::H2>,
    desk: ClientContext,
) {
    if !desk.may_focus() {
        return;
    }
    let action = action
        .try_get_untracked()
        .flatten()
        .filter(|b| b.is_connected() && !b.disabled());
    match action {
        Some(b) => {
            let _ = b.focus();
        }
        None => {
            if let Some(h) = heading.try_get_untracked().flatten() {
                let _ = h.focus();
            }
        }
    }
}

/// Whether the focus is in the view headed by `heading`: what has it may be about to be drawn over
/// (a code ended), and the focus, left to fall to the page's body, is to go on in the view.
pub(super) fn focus_in_view(heading: NodeRef<leptos::html::H2>) -> bool {
    let Some(view) = heading
        .try_get_untracked()
        .flatten()
        .and_then(|h| h.parent_element())
    else {
        return false;
    };
    super::field::focused_where(&view).is_some_and(|f| view.contains(Some(&f)))
}

/// Says `sentence` through `region` once the view headed by `heading` is drawn anew (a code shown
/// ended), and, if the focus was in the view and fell out of it with what went, moves it to
/// `action` or the heading ([`focus_on`]).
pub(super) fn say_ended(
    sentence: String,
    region: RwSignal<Option<String>>,
    action: NodeRef<leptos::html::Button>,
    heading: NodeRef<leptos::html::H2>,
    desk: ClientContext,
) {
    let was_in = focus_in_view(heading);
    request_animation_frame(move || {
        // `try_`: the widget may have been taken away meanwhile.
        if region.try_set(Some(sentence)).is_none() && was_in && !focus_in_view(heading) {
            focus_on(action, heading, desk);
        }
    });
}

/// A booking's code, with issue and extend for staff.
#[component]
pub fn BookingView() -> impl IntoView {
    let desk = ClientContext::handle();
    let tasks = Tasks::owned();
    let options = desk.options();
    let subject = options.subject.clone();
    let codes = RwSignal::new(None::<Result<Vec<AccessToken>, ApiError>>);
    let message = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // The codes read again after a write whose answer was lost: Issue and Extend wait for them,
    // so pressing again is a choice made on the codes as the server has them, not a blind retry.
    let settling = RwSignal::new(false);
    // Counts the writes answered: a read started before one would draw the codes as they were.
    let writes = StoredValue::new(0u32);
    // A code being issued or extended is not cut short by the host page drawing the widget again.
    desk.hold_while(move || busy.get() || settling.get());
    let reload = RwSignal::new(0u32);
    // Disabled with the reason: a role the account lacks, or no business to issue codes for.
    let no_create = desk.cannot_issue();
    let no_edit = desk.lacks("AccessToken-Edit");
    // When what the reader pressed goes away (Issue, Try again), the focus moves to the first
    // action of what appears instead (Print voucher, Try again), or to the heading where nothing
    // can be done (a code by its id that has ended), never to the page's body.
    let first_action = NodeRef::<leptos::html::Button>::new();
    let heading = NodeRef::<leptos::html::H2>::new();
    let focus_first_action =
        move || request_animation_frame(move || focus_on(first_action, heading, desk));

    // A create that may have landed (its answer lost): the next Issue sends it again as it was, so
    // the client finds the code it made instead of issuing a second one.
    let tried = super::Tried::<AccessToken>::new();
    // An extend whose answer was lost: the code as it was read before it, and as it would be had
    // it been made.
    let extending = StoredValue::new(None::<(AccessToken, AccessToken)>);
    // What a read of the booking's codes shows of writes whose answers were lost: one that landed
    // is told to the page as its answer would have been.
    let landed = move |found: &[AccessToken]| {
        // Not while Issue sends it again: that says its own.
        if let Some(sent) = tried.recent().filter(|_| !busy.get_untracked()) {
            if let Some(t) = found.iter().find(|t| t.access_code == sent.access_code) {
                tried.forget();
                desk.tell(HostEvent::Issued {
                    id: t.id,
                    code: t.access_code.clone(),
                });
            }
        }
        if let Some((before, wanted)) = extending.get_value() {
            extending.set_value(None);
            if let Some(t) = found.iter().find(|t| t.id == wanted.id) {
                if validity::landed(&before, &wanted, t) {
                    desk.tell(HostEvent::Updated {
                        id: t.id,
                        code: t.access_code.clone(),
                    });
                }
            }
        }
    };

    let find = subject.clone();
    // Asked again when credentials are taken again after a refusal; the focus moves only when
    // the reader asked (Try again).
    let renewed = RwSignal::new(0u32);
    desk.when_taken_again(move || {
        if codes.with_untracked(|c| matches!(c, Some(Err(ApiError::SignedOut)))) {
            renewed.update(|n| *n += 1);
        }
    });
    // The read under way: a newer one (Try again pressed twice) aborts it.
    let loading = StoredValue::new(None);
    Effect::new(move |asked: Option<u32>| {
        renewed.track();
        let now = reload.get();
        let again = asked.is_some_and(|asked| asked != now);
        let find = find.clone();
        let written = writes.get_value();
        tasks.spawn_instead(loading, async move {
            let found = match &find {
                Some(subject) => codes_for(&desk.client(), subject).await,
                None => Ok(Vec::new()),
            };
            settling.set(false);
            // A write answered meanwhile drew the codes as they are now: this read is older.
            if writes.get_value() != written {
                return;
            }
            match &found {
                Ok(all) => landed(all),
                Err(e) => desk.learn(e),
            }
            codes.set(Some(found));
            if again {
                focus_first_action();
            }
        });
        now
    });

    let link = StoredValue::new(subject.clone());
    // A write whose outcome is not known: said so, and the booking's codes read again to show
    // them as the server has them.
    let read_again = move |e: &ApiError, said: &str| {
        desk.learn(e);
        message.set(Some(said.to_owned()));
        settling.set(true);
        reload.update(|n| *n += 1);
    };
    // The role found missing disables the button pressed, which would drop the focus to the
    // page's body: it goes to what is left to press, or the heading.
    let refused_role = move |e: &ApiError| {
        if matches!(e, ApiError::MissingRole(_)) {
            focus_first_action();
        }
    };
    let send = move |mut token: AccessToken| {
        tried.sent(token.clone());
        tasks.spawn(async move {
            let result = desk.issue(&token).await;
            tried.answered(&result);
            match result {
                Ok(id) => {
                    writes.update_value(|n| *n += 1);
                    message.set(Some("Code issued for this booking.".into()));
                    // Drawn from the record as created: reading the list again would only wait
                    // for the pacer to say what this already knows.
                    token.id = id;
                    codes.update(|found| match found {
                        Some(Ok(all)) => all.push(token),
                        other => *other = Some(Ok(vec![token])),
                    });
                    focus_first_action();
                }
                // Booking mode has no list to look in: it reads the booking's codes again, which
                // shows the code if it was issued and offers Issue again if it was not.
                Err(e @ ApiError::OutcomeUnknown(_)) => read_again(
                    &e,
                    "The server's answer was lost, and it is not known whether the code was \
                     issued. This booking's codes are read again: if it was, it is shown here.",
                ),
                Err(e) => {
                    desk.learn(&e);
                    message.set(Some(e.to_string()));
                    refused_role(&e);
                }
            }
            busy.set(false);
        });
    };
    let issue = move || {
        let Some(business_id) = desk.options().business_id else {
            message.set(Some(super::client_context::NO_BUSINESS.into()));
            return;
        };
        if busy.get_untracked() || settling.get_untracked() {
            return;
        }
        busy.set(true);
        // Emptied first: the same sentence twice ("Extended by 1 day.") would not be read again.
        message.set(None);
        if let Some(token) = tried.recent() {
            // Sent again as it was, so the client finds it if it landed; unless its window has
            // passed meanwhile ("until end of day" tried again after midnight): made, it would
            // never work, so a new one is made for now.
            let end = token.valid_to.map(|w| w.local());
            if validity::ended(end, desk.now()).is_none() {
                send(token);
                return;
            }
            tried.forget();
        }
        let options = desk.options();
        let (from, to) = desk.window(options.validity);
        let minutes = (to - from).num_minutes().max(1);
        let mut token = AccessToken {
            business_id: Some(business_id),
            access_code: code::generate(options.code_style),
            minutes_included: minutes,
            minutes_left: minutes,
            valid_from: Some(wifi_desk_wire::WallClock::new(from)),
            valid_to: Some(wifi_desk_wire::WallClock::new(to)),
            user_limit: Some(1),
            ..AccessToken::default()
        };
        match link.get_value() {
            Some(Subject::Booking(guid)) => {
                token.booking_guid = Some(guid);
                token.description = Some("Booking".into());
            }
            Some(Subject::Visitor(guid)) => {
                token.visitor_guid = Some(guid);
                token.description = Some("Visitor".into());
            }
            _ => {}
        }
        send(token);
    };
    let extend = move |t: AccessToken| {
        if busy.get_untracked() || settling.get_untracked() {
            return;
        }
        busy.set(true);
        message.set(None);
        // What a lost extend before this one would have been is moot: this one says its own.
        extending.set_value(None);
        tasks.spawn(async move {
            let at = desk.now();
            let mut sent = None;
            let result = desk
                .client()
                .update(t.id, |now| {
                    let before = now.clone();
                    let judged = validity::extend_booking(now, at);
                    sent = Some((before, judged));
                })
                .await;
            match result {
                Ok(written) => {
                    writes.update_value(|n| *n += 1);
                    desk.tell(HostEvent::Updated {
                        id: written.id,
                        code: written.access_code.clone(),
                    });
                    // Drawn from the record as written, then read back, as the console's changes
                    // are: a server that keeps the minutes left read-only moves the end all the
                    // same, and the visitor would run out of minutes before the day is over. A
                    // failed read leaves what was written.
                    let draw = |has: &AccessToken| {
                        if let Some(Ok(all)) = codes.write().as_mut() {
                            for t in all.iter_mut().filter(|t| t.id == has.id) {
                                t.clone_from(has);
                            }
                        }
                    };
                    draw(&written);
                    let has = desk
                        .client()
                        .get(written.id)
                        .await
                        .unwrap_or(written.clone());
                    if has != written {
                        draw(&has);
                    }
                    let kept = sent
                        .as_ref()
                        .is_none_or(|(before, _)| validity::kept(before, &written, &has));
                    message.set(Some(if kept {
                        "Extended by 1 day.".into()
                    } else {
                        format!("{NOT_KEPT} {}.", has_now(&has))
                    }));
                }
                // Lost on the way back, the change may have been made: the codes are read again
                // and shown as the server has them, so pressing again is a choice, not a blind
                // retry that would add a second day.
                // Unless the read before the write failed: then nothing was sent.
                Err(e) if e.outcome_unknown() && sent.is_some() => {
                    extending.set_value(sent);
                    read_again(
                        &e,
                        "The server's answer was lost, and it is not known whether the \
                         code was extended. It is shown as the server has it now.",
                    )
                }
                Err(e) => {
                    desk.learn(&e);
                    message.set(Some(e.to_string()));
                    refused_role(&e);
                }
            }
            busy.set(false);
        });
    };

    let has_subject = subject.is_some();
    // A code found by its id links to no booking: one issued in its place would link to nothing,
    // and the page, asking for the same id, would show the ended one again and offer another.
    let by_id = matches!(subject, Some(Subject::Token(_)));
    // The code to show, and whether it has ended, change when a code starts or ends: a booking's
    // page left open offers a new code then rather than a voucher that no longer works.
    let now = clock::ticking(move |at| {
        codes.with(|c| match c {
            Some(Ok(all)) => status::next_start_or_end(all, at),
            _ => None,
        })
    });
    // Whether a code that works was shown last: when it ends, that is said, and a focus on its
    // buttons goes to what replaces them.
    let live_shown = StoredValue::new(false);
    let shown = move || {
        let now = now.get();
        let was_live = live_shown.get_value();
        live_shown.set_value(false);
        match codes.get() {
            _ if !has_subject => view! { <p class="wd-error" role="alert">{NO_SUBJECT}</p> }.into_any(),
            None => view! { <p>"Looking for this booking's code…"</p> }.into_any(),
            Some(Err(e)) => view! {
                <p class="wd-error" role="alert">{e.to_string()}</p>
                <button type="button" node_ref=first_action on:click=move |_| reload.update(|n| *n += 1)>"Try again"</button>
            }
            .into_any(),
            Some(Ok(all)) => match status::most_useful(&all, now).cloned() {
                Some(t) if !Status::of(&t, now).has_ended() => {
                    live_shown.set_value(true);
                    let again = t.clone();
                    // A code with no end has nothing to extend: saying "Extended" would be false.
                    let has_end = t.valid_to.is_some();
                    let hint = match (has_end, t.metered()) {
                        (true, _) => "Need more time? Extend this code rather than issuing a second one.",
                        (false, true) => "This code has no end date: it works until its minutes are used up.",
                        (false, false) => "This code has no end date and no minute limit: it works until it is revoked.",
                    };
                    view! {
                        <div class="wd-printable"><Voucher token=t /></div>
                        <p class="wd-hint">{hint}</p>
                        <div class="wd-actions">
                            <button type="button" class="wd-primary" node_ref=first_action on:click=super::print>"Print voucher"</button>
                            // Busy, it stays focusable: a disabled button drops the focus to the page.
                            {has_end.then(|| view! {
                                <button type="button" aria-disabled=move || (busy.get() || settling.get()).to_string()
                                    disabled=move || no_edit.get().is_some()
                                    title=move || no_edit.get()
                                    on:click=move |_| extend(again.clone())>"Extend by 1 day"</button>
                            })}
                        </div>
                        // Why a button is disabled, beside it, where everyone can read it.
                        {has_end.then(|| view! { <p class="wd-hint wd-reasons">{reasons([no_edit])}</p> })}
                    }
                    .into_any()
                }
                _ if by_id => {
                    if was_live {
                        say_ended(BY_ID_ENDED.to_owned(), message, first_action, heading, desk);
                    }
                    view! { <p>{BY_ID_ENDED}</p> }.into_any()
                }
                ended => {
                    let sentence = match ended {
                        Some(_) => ENDED,
                        // Gone (revoked elsewhere), found so by a read after a lost answer.
                        None => "This booking has no code yet.",
                    };
                    if was_live {
                        say_ended(sentence.to_owned(), message, first_action, heading, desk);
                    }
                    view! {
                        <p>{sentence}</p>
                        <div class="wd-actions">
                            <button type="button" class="wd-primary" node_ref=first_action
                                aria-disabled=move || (busy.get() || settling.get()).to_string()
                                disabled=move || no_create.get().is_some()
                                title=move || no_create.get()
                                on:click=move |_| issue()>"Issue a code for this booking"</button>
                        </div>
                        <p class="wd-hint wd-reasons">{reasons([no_create])}</p>
                    }
                    .into_any()
                }
            },
        }
    };
    view! {
        <section class="wd-booking" aria-labelledby="wd-booking-title">
            <h2 id="wd-booking-title" tabindex="-1" node_ref=heading>"WiFi for this booking"</h2>
            <p class="wd-message" role="status" aria-live="polite">{move || message.get()}</p>
            {shown}
        </section>
    }
}
