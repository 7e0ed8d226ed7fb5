//! Issuing many codes with the same settings: one after another at the pace the API allows, with a
//! progress bar, the time left and a cancel; then their vouchers or a CSV of them.

use std::collections::HashSet;

use leptos::html;
use leptos::prelude::*;

use super::token_table::export_csv;
use super::{ClientContext, HostEvent, Tasks, VoucherSheet};
use crate::api::{AccessToken, ApiError};
use crate::domain::progress::Milestones;
use crate::domain::{code, reading, validity};

/// The most codes one batch issues.
pub const MAX_BATCH: u32 = 500;

/// Why a batch stopped at a code whose end had passed.
const PASSED: &str = "The codes' end has passed: a code issued now would never work.";

/// Why Escape waits while a batch runs.
pub(super) const RUNNING: &str = "Wait for the batch to finish, or cancel it.";
/// The same once Cancel is pressed, while the code on its way is answered.
const STOPPING: &str = "Wait: the batch is stopping.";

/// Fresh codes tried for one voucher when the server says a code is taken.
const TRIES: usize = 3;

/// Issues `count` codes like `template` and reports on them.
#[component]
pub fn BatchIssue(
    /// The settings every code gets; its code is replaced by a generated one.
    template: AccessToken,
    /// How many codes to issue.
    count: u32,
    /// Called to go back to the list (Back, or Escape once finished).
    on_back: Callback<()>,
    /// Set while the codes are being issued, for the console to keep its way out closed: leaving
    /// would abort a code on its way.
    #[prop(optional)]
    running: RwSignal<bool>,
) -> impl IntoView {
    let desk = ClientContext::handle();
    let tasks = Tasks::owned();
    let style = desk.options().code_style;
    let issued = RwSignal::new(Vec::<AccessToken>::new());
    let failures = RwSignal::new(Vec::<String>::new());
    running.set(true);
    let cancelled = RwSignal::new(false);
    // Why the batch stopped before its end, when an answer would have come for every code left.
    let stopped = RwSignal::new(None::<String>);
    let left_ms = RwSignal::new(None::<f64>);
    // Bumped when the progress is to be said (`Milestones`), not at every code.
    let milestone = RwSignal::new(0_u32);
    let exported = RwSignal::new(None::<String>);
    // The codes' vouchers are a sheet drawn here, so going back from it finds the batch as it was
    // (its CSV still to export).
    let sheet = RwSignal::new(false);
    let heading = NodeRef::<html::H2>::new();
    let outcome = NodeRef::<html::P>::new();

    Effect::new(move |_| {
        // While it runs, the focus is on its heading, Cancel a Tab away: not on Cancel, which an
        // Enter pressed twice or held to issue the batch would press. Then on the outcome, read
        // as it takes the focus, not from a live region that the focus moving would cut off.
        if running.get() {
            if let Some(h) = heading.get() {
                let _ = h.focus();
            }
        } else if let Some(o) = outcome.get() {
            let _ = o.focus();
        }
    });

    tasks.spawn(async move {
        let client = desk.client();
        let started = js_sys::Date::now();
        // The soonest the whole batch can be done, a look-up and a create each, as the pacer
        // holds them back (60 creates a minute): reckoned once, as the pacer's bookings are
        // copied to reckon it.
        let paced_end = started + client.time_to_send(count, count);
        let mut milestones = Milestones::new(count as usize);
        let mut taken = HashSet::new();
        // Every code ends when the template does.
        let end = template.valid_to.map(|w| w.local());
        let ended = move || validity::ended(end, desk.now()).is_some();
        // Vouchers in a row that failed on their codes alone, and on the server (an error of
        // its own, or no answer).
        let (mut codes_refused, mut server_failed) = (0, 0);
        'codes: for n in 0..count {
            let mut outcome = Err(ApiError::NotCreated);
            let mut token = template.clone();
            let mut fresh = true;
            // A try whose code may exist (its answer lost, or a 500 that may have come after
            // saving), kept though a later try is stopped before it finds out (`NotCreated`):
            // said when the batch is cancelled or out of time, not dropped.
            let mut unsure = None;
            let unsettled = |unsure: Option<ApiError>| {
                if let Some(e) = unsure {
                    failures.update(|f| f.push(e.to_string()));
                }
            };
            for _ in 0..TRIES {
                if cancelled.get_untracked() {
                    unsettled(unsure);
                    break 'codes;
                }
                // A batch outlasting its codes' end (until the end of the day, started late)
                // stops: a code ending before it is issued would never work.
                if ended() {
                    unsettled(unsure);
                    stopped.set(Some(PASSED.to_owned()));
                    break 'codes;
                }
                if fresh {
                    token.access_code = loop {
                        let c = code::generate(style);
                        if taken.insert(c.clone()) {
                            break c;
                        }
                    };
                }
                // Cancel reaches a create still waiting for its turn: it is not sent (NotCreated,
                // and the next try sees Cancel). So does the codes' end passing while it waits.
                let stop = || cancelled.get_untracked() || ended();
                outcome = client
                    .create_unless(&token, &stop)
                    .await
                    .map(|id| AccessToken {
                        id,
                        ..token.clone()
                    });
                // A code already taken on the server: another code. A create that never arrived,
                // or may have (no answer, a 500 that may have come after saving): the same code
                // and terms again, so that if it did arrive after all, the client finds it and it
                // is on the sheet, instead of a second code issued and the first left unknown.
                // Anything else stops this voucher.
                if let Err(e @ (ApiError::OutcomeUnknown(_) | ApiError::Server(500))) = &outcome {
                    unsure = Some(e.clone());
                }
                fresh = match &outcome {
                    // Named as the client names it, whatever the server's case.
                    Err(e) if e.field("AccessCode").is_some() => true,
                    Err(e) if e.may_have_landed() || *e == ApiError::Server(500) => false,
                    _ => break,
                };
            }
            // Its tries spent on a code that may exist: said as not known, not as not issued.
            if let (Err(ApiError::NotCreated), Some(e)) = (&outcome, &unsure) {
                outcome = Err(e.clone());
            }
            match outcome {
                Ok(token) => {
                    (codes_refused, server_failed) = (0, 0);
                    desk.tell(HostEvent::Issued {
                        id: token.id,
                        code: token.access_code.clone(),
                    });
                    issued.update(|all| all.push(token))
                }
                Err(e) => {
                    desk.learn(&e);
                    // The same answer would come for every code left. A 409 reaching here
                    // outlasted the client's waiting: the account's requests are spent. Codes
                    // refused for themselves (taken, each of a voucher's tries) may be bad luck
                    // where visitor codes are many: the next voucher tries codes of its own, and
                    // the batch stops when it fails so too, as it would for codes of a form the
                    // server does not take. So for a server failing (each voucher tried three
                    // times): a second voucher in a row stops the batch, before it spends the
                    // day's writes.
                    let code_refused = e.field("AccessCode").is_some();
                    codes_refused = if code_refused { codes_refused + 1 } else { 0 };
                    let failing = matches!(e, ApiError::Server(_) | ApiError::OutcomeUnknown(_))
                        || e.outcome_unknown();
                    server_failed = if failing { server_failed + 1 } else { 0 };
                    let same_for_all = matches!(
                        e,
                        ApiError::MissingRole(_)
                            | ApiError::SignedOut
                            | ApiError::NoApiAccess
                            | ApiError::NoApi
                            | ApiError::Invalid(_)
                            | ApiError::Spent(_)
                    );
                    let stop =
                        (same_for_all && (!code_refused || codes_refused > 1)) || server_failed > 1;
                    failures.update(|f| f.push(e.to_string()));
                    if stop {
                        stopped.set(Some(e.to_string()));
                        break;
                    }
                }
            }
            // As long as the codes so far took each, and no sooner than the pacer allows: the
            // first codes go quickly, before the minute's writes run out, and would promise too
            // little.
            let now = js_sys::Date::now();
            let done = f64::from(n + 1);
            let per_code = (now - started) / done;
            let rest = f64::from(count) - done;
            left_ms.set(Some((per_code * rest).max(paced_end - now)));
            if milestones.due(n as usize + 1, now) {
                milestone.update(|m| *m += 1);
            }
        }
        running.set(false);
    });

    let finished = move || issued.with(Vec::len) + failures.with(Vec::len);
    let status = move || {
        let done = issued.with(Vec::len);
        let failed = failures.with(Vec::len);
        let failed_text = if failed > 0 {
            format!(", {failed} failed")
        } else {
            String::new()
        };
        if running.get() {
            let left = left_ms
                .get()
                .map(|ms| format!(", about {} left", time_left(ms)))
                .unwrap_or_default();
            format!("{done} of {count} issued{failed_text}{left}.")
        } else if cancelled.get() {
            format!("Cancelled: {done} of {count} issued{failed_text}.")
        } else if let Some(why) = stopped.get() {
            let untried = (count as usize).saturating_sub(done + failed);
            format!("Stopped: {done} of {count} issued{failed_text}, {untried} not tried. {why}")
        } else {
            format!("Done: {done} of {count} issued{failed_text}.")
        }
    };
    // While it runs, Escape says how to stop it: leaving would cut off a code on its way.
    let waiting = RwSignal::new(None::<String>);
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let wait = if cancelled.get_untracked() {
            STOPPING
        } else {
            RUNNING
        };
        super::field::leave_on_escape(&ev, running.get_untracked(), waiting, wait, || {
            on_back.run(())
        });
    };

    let batch = move || {
        view! {
            <article class="wd-batch" on:keydown=on_key aria-labelledby="wd-batch-title">
                <h2 id="wd-batch-title" tabindex="-1" node_ref=heading>{format!("Issuing {}", reading::counted(count as usize, "code", "codes"))}</h2>
                // Read on demand by its value text; its live region below says it now and then.
                <progress max=count value=move || finished() as u32 aria-label="Codes tried" aria-valuetext=status></progress>
                <Show when=move || running.get()>
                    <p class="wd-message" aria-hidden="true">{status}</p>
                </Show>
                <p class="wd-visually-hidden" role="status" aria-live="polite">
                    {move || running.get().then(|| {
                        milestone.track();
                        untrack(status)
                    })}
                </p>
                <p class="wd-visually-hidden" role="status" aria-live="polite">
                    {move || waiting.get().filter(|_| running.get())}
                </p>
                <Show when=move || !running.get()>
                    <p class="wd-message wd-outcome" tabindex="-1" node_ref=outcome>{status}</p>
                </Show>
                <Show when=move || running.get()>
                    // Still focusable once pressed (aria-disabled, not disabled), so the focus
                    // stays on it until the code on its way is answered.
                    <button type="button" class="wd-danger"
                        aria-disabled=move || cancelled.get().to_string()
                        on:click=move |_| cancelled.set(true)>
                        {move || if cancelled.get() { "Cancelling…" } else { "Cancel" }}
                    </button>
                </Show>
                <Show when=move || !running.get()>
                    <div class="wd-actions">
                        <button type="button" class="wd-primary" disabled=move || issued.with(Vec::is_empty)
                            on:click=move |_| sheet.set(true)>"Print vouchers"</button>
                        <button type="button" disabled=move || issued.with(Vec::is_empty)
                            on:click=move |_| exported.set(Some(issued.with_untracked(|all| export_csv(all, desk.now())).unwrap_or_else(|e| e)))>
                            "Export CSV"
                        </button>
                        <button type="button" class="wd-secondary" on:click=move |_| on_back.run(())>"Back to list"</button>
                    </div>
                    <p class="wd-message" role="status" aria-live="polite">{move || exported.get()}</p>
                </Show>
                <ul class="wd-outcomes" aria-label="Problems">
                    {move || failures.get().into_iter().map(|why| view! { <li class="wd-error">{why}</li> }).collect_view()}
                </ul>
            </article>
        }
    };
    view! {
        <Show when=move || sheet.get() fallback=batch>
            <VoucherSheet tokens=issued.get_untracked() back="Back to the batch"
                on_back=Callback::new(move |()| sheet.set(false)) />
        </Show>
    }
}

/// "40 s", "3 min".
fn time_left(ms: f64) -> String {
    let seconds = (ms / 1000.0).ceil() as i64;
    if seconds < 90 {
        format!("{seconds} s")
    } else {
        format!("{} min", (seconds + 30) / 60)
    }
}
