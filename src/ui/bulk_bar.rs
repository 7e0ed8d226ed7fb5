//! The bulk bar: what can be done to the selected codes at once (print their vouchers, revoke them,
//! run a server command with its parameters) with the outcome for each code.

use std::collections::HashMap;

use leptos::html;
use leptos::prelude::*;

use super::token_table::Selection;
use super::{point_out, reasons, ClientContext, HostEvent, Tasks};
use crate::api::{AccessToken, ApiError, Command};
use crate::domain::progress::Milestones;
use crate::domain::status::Status;
use crate::domain::{command, reading};

/// What was found wrong when Run command was pressed, before anything was sent.
#[derive(Clone, Copy, PartialEq)]
enum Wrong {
    /// No command chosen.
    Command,
    /// A command's value, by its place.
    Value(usize),
}

/// What became of one code.
#[derive(Clone)]
enum Fate {
    /// Done; the server's sentence, or "done".
    Done(String),
    /// Not done; why, as a sentence.
    Failed(String),
    /// The server may have done it; why that is not known, as the end of a sentence.
    Unknown(&'static str),
    /// Not tried: the command failed the same way on its own for codes before it, or the
    /// account's requests were spent.
    NotRun,
}

/// Why a code's outcome is not known: its answer was lost.
const NO_ANSWER: &str = "the answer was lost, so it is not known whether it was done";

impl Fate {
    /// The fate a request's result tells, `done` the sentence for a success.
    fn of<T>(result: &Result<T, ApiError>, done: impl FnOnce(&T) -> String) -> Self {
        match result {
            Ok(value) => Self::Done(done(value)),
            Err(e) if e.outcome_unknown() => Self::Unknown(NO_ANSWER),
            Err(e) => Self::Failed(e.to_string()),
        }
    }
}

/// One code's outcome: its grouped code and what became of it.
type Outcome = (String, Fate);

/// The actions on the selected codes.
#[component]
pub fn BulkBar(
    /// The selected codes; revoked ones leave it. The bar shows while there are any, and after a
    /// bulk action until the next one.
    selection: Selection,
    /// How many of the selected codes the list does not show now.
    #[prop(into)]
    unseen: Signal<usize>,
    /// Called after a change, so the list reloads.
    on_done: Callback<()>,
    /// Called with the selected codes to print their vouchers.
    on_print: Callback<Vec<AccessToken>>,
    /// Where the focus goes when Clear selection takes the bar (and itself) away.
    focus_after_clear: NodeRef<html::Input>,
) -> impl IntoView {
    let desk = ClientContext::handle();
    let tasks = Tasks::owned();
    let group = desk.options().code_style.group();
    let commands = RwSignal::new(Vec::<Command>::new());
    // The command picked, by key; which command that is follows from what is selected (below).
    let chosen_key = RwSignal::new(None::<String>);
    let values = RwSignal::new(Vec::<String>::new());
    let problem = RwSignal::new(None::<String>);
    // Why a command stopped short: the server refused a value typed. Shown beside the values and
    // describing them, not an alert: the report, which takes the focus, says it once.
    let refused = RwSignal::new(None::<String>);
    // Marked on its control and described by the alert until changed.
    let wrong = RwSignal::new(None::<Wrong>);
    let command_area = NodeRef::<html::Div>::new();
    let progress = RwSignal::new(None::<String>);
    let progress_said = RwSignal::new(None::<String>);
    let said = RwSignal::new(None::<String>);
    let outcomes = RwSignal::new(Vec::<Outcome>::new());
    let busy = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    // Drawing the widget again, or leaving the list, would cut a command short, or close the
    // question it asks first; drawing it again would also lose the codes ticked (and a command's
    // values typed for them): a host page's change waits until the selection is cleared.
    desk.hold_view_while(move || busy.get());
    desk.hold_while(move || confirming.get() || selection.with(|s| !s.is_empty()));
    let keep = NodeRef::<html::Button>::new();
    let revoke_button = NodeRef::<html::Button>::new();
    let report = NodeRef::<html::P>::new();
    let no_delete = desk.lacks("AccessToken-Delete");
    let no_edit = desk.lacks("AccessToken-Edit");
    let count = move || selection.with(|s| s.len());

    // The server's commands are asked for once, when the first code is selected; after a
    // failure, again at the next change of the selection; after a refusal of the credentials,
    // again when they are taken again.
    let asked = StoredValue::new(false);
    let signed_out = StoredValue::new(false);
    let ask = move || {
        asked.set_value(true);
        tasks.spawn(async move {
            match desk.client().commands().await {
                Ok(list) => {
                    problem.set(None);
                    commands.set(list);
                }
                Err(e) => {
                    desk.learn(&e);
                    signed_out.set_value(e == ApiError::SignedOut);
                    asked.set_value(e == ApiError::SignedOut);
                    problem.set(Some(format!("Commands are not available: {e}")));
                }
            }
        });
    };
    Effect::new(move |_| {
        if count() > 0 && !asked.get_value() {
            ask();
        }
    });
    desk.when_taken_again(move || {
        if signed_out.get_value() {
            signed_out.set_value(false);
            ask();
        }
    });
    let dialog = NodeRef::<html::Dialog>::new();
    super::modal(dialog, keep);

    let code_of = move |t: &AccessToken| reading::grouped(&t.access_code, group);
    // Closing the dialog gives the focus back to the button that opened it.
    let close_dialog = move || {
        // Closed first: while it is modal, the rest is inert and cannot take the focus.
        if let Some(dialog) = dialog.get_untracked() {
            dialog.close();
        }
        confirming.set(false);
        if let Some(b) = revoke_button.get_untracked() {
            let _ = b.focus();
        }
    };
    // After a bulk action the focus moves to its report, so it is read out and nothing is lost.
    // The report is not the live region the progress is told in, which would read it twice; the
    // focus moves once it is drawn, so there is something to read.
    // What is being done, shown at every step and said now and then (`Milestones`).
    let step = move |text: String, say: bool| {
        if say {
            progress_said.set(Some(text.clone()));
        }
        progress.set(Some(text));
    };
    let report_done = move |text: String| {
        progress.set(None);
        progress_said.set(None);
        said.set(Some(text));
        busy.set(false);
        request_animation_frame(move || {
            // `try_`: the host page may have taken the widget away since.
            if let Some(p) = report.try_get_untracked().flatten() {
                let _ = p.focus();
            }
        });
        on_done.run(());
    };
    let revoke = move || {
        close_dialog();
        busy.set(true);
        outcomes.set(Vec::new());
        said.set(None);
        let picked: Vec<AccessToken> = selection.with_untracked(|s| s.values().cloned().collect());
        tasks.spawn(async move {
            let client = desk.client();
            let total = picked.len();
            // Set once 409s outlasted the client's waiting: the account's requests are spent,
            // and each code left would wait as long for the same answer.
            let mut spent = false;
            let mut milestones = Milestones::new(total);
            for (done, t) in picked.into_iter().enumerate() {
                if spent {
                    outcomes.update(|o| o.push((code_of(&t), Fate::NotRun)));
                    continue;
                }
                step(
                    format!("Revoking {} of {total}…", done + 1),
                    milestones.due(done + 1, js_sys::Date::now()),
                );
                let result = client.delete(t.id).await;
                spent = matches!(result, Err(ApiError::Spent(_)));
                // Gone before its turn (revoked at another desk, or from its own detail): what
                // was asked holds, and it leaves the selection instead of failing every time.
                let gone = matches!(result, Err(ApiError::NotFound));
                match &result {
                    Ok(()) => desk.tell(HostEvent::Revoked {
                        id: t.id,
                        code: t.access_code.clone(),
                    }),
                    Err(e) => desk.learn(e),
                }
                if result.is_ok() || gone {
                    selection.update(|s| {
                        s.remove(&t.id);
                    });
                }
                let outcome = if gone {
                    Fate::Done("already revoked".to_owned())
                } else {
                    Fate::of(&result, |()| "revoked".to_owned())
                };
                outcomes.update(|o| o.push((code_of(&t), outcome)));
            }
            report_done(summary("Revoked", &outcomes.get_untracked()));
        });
    };
    let applicable = move || {
        let n = count();
        commands.with(|c| {
            c.iter()
                .filter(|c| c.applies_to(n))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    // Chosen only while it applies to what is selected: a command for one code is no longer
    // chosen once a second is ticked, so Run command never runs what the list does not offer.
    let chosen = Memo::new(move |_| {
        chosen_key.with(|key| {
            let key = key.as_deref()?;
            applicable().into_iter().find(|c| c.key == key)
        })
    });
    let run = move || {
        // Marked, said again at a second press alike, and the focus on what is to be put right;
        // what the server refused last time is not what is wrong now.
        let point_to = move |what: Wrong, why: String| {
            refused.set(None);
            wrong.set(Some(what));
            point_out(command_area, problem, why);
        };
        let Some(cmd) = chosen.get_untracked() else {
            point_to(Wrong::Command, "Choose a command first.".into());
            return;
        };
        let typed = values.get_untracked();
        let parameters: Result<Vec<_>, (usize, String)> = cmd
            .requires_parameters
            .iter()
            .enumerate()
            .map(|(i, spec)| {
                command::parameter(spec, typed.get(i).map_or("", String::as_str))
                    .map_err(|why| (i, why))
            })
            .collect();
        let parameters = match parameters {
            Ok(p) => p,
            Err((i, why)) => {
                point_to(Wrong::Value(i), why);
                return;
            }
        };
        wrong.set(None);
        problem.set(None);
        refused.set(None);
        busy.set(true);
        outcomes.set(Vec::new());
        said.set(None);
        let picked: Vec<AccessToken> = selection.with_untracked(|s| s.values().cloned().collect());
        step(format!("Running “{}”…", cmd.name), true);
        tasks.spawn(async move {
            let client = desk.client();
            let ids: Vec<i64> = picked.iter().map(|t| t.id).collect();
            // The codes as they are just before the command, to tell afterwards which ones a
            // command that failed part way changed (the selection may be older than that). A
            // failed read leaves the codes as they were selected; the command says what it meets.
            let before: HashMap<i64, AccessToken> = if picked.len() > 1 {
                by_id(
                    client
                        .get_many(&ids)
                        .await
                        .unwrap_or_else(|_| picked.clone()),
                )
            } else {
                HashMap::new()
            };
            let together = client.run_command(&cmd.key, &ids, parameters.clone()).await;
            // The server may have run it though its answer was lost (`Fate::Unknown`): running it
            // again could extend the codes twice. The list is read again after (`on_done`).
            let results: Vec<Outcome> = match together {
                // The server reports one outcome for the lot; one code at a time says which
                // failed. A server may stop part way: a code that changed since it was read before
                // the command may have been done already, and is not run again (it could be
                // extended twice).
                Err(ApiError::CommandFailed(lot)) if picked.len() > 1 => {
                    desk.learn(&ApiError::CommandFailed(lot.clone()));
                    let now = client.get_many(&ids).await.map(by_id);
                    if let Err(e) = &now {
                        desk.learn(e);
                    }
                    let mut each = Vec::new();
                    // Codes run alone that failed with the lot's own answer, while none was done:
                    // at two, for a command given values, the answer is about a value (one the
                    // server refuses, say), not about a code, and the rest are not run, each one
                    // more paced write. Only an answer naming one of the values says that: a code's
                    // own refusal (expired, say) is often worded alike for every code.
                    let may_stop = command::names_a_parameter(&lot, &cmd);
                    // A command the server lists for two or more codes only is not run on one:
                    // each code not seen changed failed with the lot.
                    let one_by_one = command::runs_alone_after_failing(&cmd, picked.len());
                    let mut as_the_lot = 0;
                    let mut any_done = false;
                    // Set once 409s outlasted the client's waiting: the account's requests are
                    // spent, and each code left would wait as long for the same answer.
                    let mut spent = false;
                    let total = picked.len();
                    let mut milestones = Milestones::new(total);
                    for (n, t) in picked.iter().enumerate() {
                        let fate = match &now {
                            Err(_) => Some(Fate::Unknown(UNREAD)),
                            Ok(now) => match (before.get(&t.id), now.get(&t.id)) {
                                (Some(then), Some(n)) if changed(then, n) => {
                                    Some(Fate::Unknown(CHANGED))
                                }
                                (_, Some(_)) => None,
                                // Gone before the command: it is the one the server refused.
                                (None, None) => Some(Fate::Failed(ApiError::NotFound.to_string())),
                                (Some(_), None) => Some(Fate::Unknown(GONE)),
                            },
                        };
                        let stop = spent || (may_stop && as_the_lot >= SAME_ANSWERS && !any_done);
                        let fate = fate.or(stop.then_some(Fate::NotRun)).or_else(|| {
                            (!one_by_one).then(|| {
                                Fate::Failed(ApiError::CommandFailed(lot.clone()).to_string())
                            })
                        });
                        if let Some(fate) = fate {
                            each.push((code_of(t), fate));
                            continue;
                        }
                        step(
                            format!("Running “{}” on each code: {} of {total}…", cmd.name, n + 1),
                            milestones.due(n + 1, js_sys::Date::now()),
                        );
                        let alone = client
                            .run_command(&cmd.key, &[t.id], parameters.clone())
                            .await;
                        match &alone {
                            Ok(_) => any_done = true,
                            Err(ApiError::CommandFailed(why)) if *why == lot => as_the_lot += 1,
                            Err(e) => {
                                spent = matches!(e, ApiError::Spent(_));
                                desk.learn(e);
                            }
                        }
                        each.push((code_of(t), Fate::of(&alone, |m| done_sentence(m))));
                    }
                    // Not run for a refused value; codes left when the requests ran out are said
                    // by the client's sentence.
                    if !spent && each.iter().any(|(_, f)| matches!(f, Fate::NotRun)) {
                        refused.set(Some(format!(
                            "Not run on the other codes: the server refused a value given, for the \
                             codes together and for {SAME_ANSWERS} of them on their own. {lot}"
                        )));
                    }
                    each
                }
                together => {
                    if let Err(e) = &together {
                        desk.learn(e);
                    }
                    let fate = Fate::of(&together, |m| done_sentence(m));
                    picked.iter().map(|t| (code_of(t), fate.clone())).collect()
                }
            };
            for (t, (_, outcome)) in picked.iter().zip(&results) {
                if matches!(outcome, Fate::Done(_)) {
                    desk.tell(HostEvent::Updated {
                        id: t.id,
                        code: t.access_code.clone(),
                    });
                }
            }
            let mut said = summary(&cmd.name, &results);
            if let Some(why) = refused.get_untracked() {
                said = format!("{said} {why}");
            }
            outcomes.set(results);
            report_done(said);
        });
    };
    // The codes are read again before they are printed: ticked earlier, they may have been
    // extended, topped up or revoked since, here or elsewhere.
    let print = move || {
        if busy.get_untracked() {
            return;
        }
        let ids: Vec<i64> = selection.with_untracked(|s| s.keys().copied().collect());
        busy.set(true);
        problem.set(None);
        tasks.spawn(async move {
            match desk.client().get_many(&ids).await {
                Ok(fresh) => {
                    // Codes that have ended are left off the sheet (it says so); when every one
                    // has, there is no sheet to show, and that is said here.
                    let at = desk.now();
                    let ended = fresh
                        .iter()
                        .filter(|t| Status::of(t, at).has_ended())
                        .count();
                    let every_one = (ended > 0 && ended == fresh.len())
                        .then(|| super::voucher_sheet::left_off(ended, ended))
                        .flatten();
                    // What the server has now is the selection: a code revoked since is left out.
                    // Only the codes read are: one ticked or unticked while they were read stays
                    // as it was left.
                    let now: std::collections::BTreeMap<_, _> =
                        fresh.into_iter().map(|t| (t.id, t)).collect();
                    selection.update(|selected| {
                        for id in &ids {
                            match (selected.contains_key(id), now.get(id)) {
                                (true, Some(t)) => {
                                    selected.insert(*id, t.clone());
                                }
                                (true, None) => {
                                    selected.remove(id);
                                }
                                (false, _) => {}
                            }
                        }
                    });
                    busy.set(false);
                    // Printed: what is still ticked, not a code unticked while it was read.
                    let ticked: Vec<AccessToken> = selection.with_untracked(|selected| {
                        (now.into_values())
                            .filter(|t| selected.contains_key(&t.id))
                            .collect()
                    });
                    match every_one {
                        Some(why) => problem.set(Some(why)),
                        None => on_print.run(ticked),
                    }
                }
                Err(e) => {
                    desk.learn(&e);
                    problem.set(Some(format!("The vouchers were not printed: {e}")));
                    busy.set(false);
                }
            }
        });
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if super::field::escape(&ev) && confirming.get_untracked() {
            close_dialog();
        }
    };

    // Stays while it has something to say, even once the selection is gone (all revoked, say).
    let shown = move || count() > 0 || busy.get() || outcomes.with(|o| !o.is_empty());
    view! {
        // Said as a row is ticked or unticked, the keyboard's only word of what it did: in a live
        // region on the page before the first tick, which the bar's own line is not.
        <p class="wd-visually-hidden wd-selected-said" aria-live="polite">
            {move || (count() > 0).then(|| format!("{} selected", count()))}
        </p>
        <Show when=shown>
        <section class="wd-bulk" aria-label="Selected codes" on:keydown=on_key>
            <p class="wd-bulk-count"><strong>{move || format!("{} selected", count())}</strong>
                {move || match unseen.get() {
                    0 => String::new(),
                    n => format!(", {n} of them not on this page"),
                }}
            </p>
            <div class="wd-actions">
                <button type="button" class="wd-print-selection" aria-disabled=move || busy.get().to_string()
                    disabled=move || count() == 0 on:click=move |_| print()>
                    "Print vouchers"
                </button>
                // Busy, it stays focusable (aria-disabled): the focus waits on it while the codes
                // are revoked, rather than falling to the page's body.
                <button type="button" class="wd-danger" node_ref=revoke_button
                    disabled=move || count() == 0 || no_delete.get().is_some()
                    aria-disabled=move || busy.get().to_string()
                    title=move || no_delete.get() on:click=move |_| if !busy.get_untracked() { confirming.set(true) }>"Revoke selected"</button>
                <button type="button" class="wd-secondary" on:click=move |_| {
                    selection.set(Default::default());
                    if let Some(input) = focus_after_clear.get_untracked() {
                        let _ = input.focus();
                    }
                }>
                    "Clear selection"
                </button>
            </div>
            <div class="wd-actions wd-command" node_ref=command_area>
                <div class="wd-field">
                    <label for="wd-command">"Command"</label>
                    <select id="wd-command"
                        aria-invalid=move || (wrong.get() == Some(Wrong::Command)).then_some("true")
                        aria-describedby=move || (wrong.get() == Some(Wrong::Command)).then_some(PROBLEM_ID)
                        on:change=move |ev| {
                        let key = event_target_value(&ev);
                        chosen_key.set(Some(key).filter(|k| !k.is_empty()));
                        // What was said of the last command's values is not of this one's.
                        values.set(Vec::new());
                        refused.set(None);
                        wrong.set(None);
                        problem.set(None);
                    }>
                        <option value="" selected=move || chosen.with(Option::is_none)>"Choose a command"</option>
                        {move || applicable().into_iter().map(|c| {
                            let key = c.key.clone();
                            view! {
                                <option value=c.key selected=move || chosen.with(|k| k.as_ref().is_some_and(|k| k.key == key))>
                                    {c.name}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                </div>
                {move || chosen.get().map(|c| c.requires_parameters.into_iter().enumerate().map(|(i, spec)| {
                    let id = format!("wd-command-{i}");
                    let kind = if command::is_number(&spec) { "number" } else { "text" };
                    view! {
                        <div class="wd-field">
                            <label for=id.clone()>{spec.name.clone()}</label>
                            <input id=id type=kind
                                aria-invalid=move || (refused.with(Option::is_some) || wrong.get() == Some(Wrong::Value(i))).then_some("true")
                                aria-describedby=move || if wrong.get() == Some(Wrong::Value(i)) {
                                    Some(PROBLEM_ID)
                                } else {
                                    refused.with(|r| r.is_some().then_some(REFUSED_ID))
                                }
                                prop:value=move || values.with(|v| v.get(i).cloned().unwrap_or_default())
                                on:input=move |ev| {
                                // What was said of the values typed is moot once they change.
                                problem.set(None);
                                refused.set(None);
                                wrong.set(None);
                                let text = event_target_value(&ev);
                                values.update(|v| {
                                    v.resize(v.len().max(i + 1), String::new());
                                    v[i] = text;
                                });
                            } />
                        </div>
                    }
                }).collect_view())}
                <button type="button" disabled=move || count() == 0 || no_edit.get().is_some()
                    aria-disabled=move || busy.get().to_string()
                    title=move || no_edit.get() on:click=move |_| if !busy.get_untracked() { run() }>"Run command"</button>
            </div>
            <p class="wd-field-error" id=REFUSED_ID>{move || refused.get()}</p>
            <p class="wd-hint wd-reasons">{reasons([no_edit, no_delete])}</p>
            <p class="wd-error" role="alert" id=PROBLEM_ID>{move || problem.get()}</p>
            <Show when=move || confirming.get()>
                // Named by the question alone: a name listing a page of codes would be read out
                // whole before the buttons. The codes are described only while they are few.
                <dialog class="wd-confirm" role="alertdialog" aria-labelledby="wd-bulk-confirm" node_ref=dialog
                    aria-describedby=move || (count() <= CODES_READ_OUT).then_some("wd-bulk-codes")
                    on:cancel=move |ev: leptos::ev::Event| { ev.prevent_default(); close_dialog(); }>
                    <p id="wd-bulk-confirm">{move || format!(
                        "Revoke {}? Visitors using them lose access at once.",
                        reading::counted(count(), "code", "codes"))}</p>
                    <p id="wd-bulk-codes" class="wd-confirm-codes">{move || {
                        selection.with(|s| s.values().map(code_of).collect::<Vec<_>>().join(", "))
                    }}</p>
                    <button type="button" class="wd-danger" on:click=move |_| revoke()>"Yes, revoke them"</button>
                    <button type="button" node_ref=keep on:click=move |_| close_dialog()>"Keep them"</button>
                </dialog>
            </Show>
            <p class="wd-message" aria-hidden="true">{move || progress.get()}</p>
            <p class="wd-visually-hidden" role="status" aria-live="polite">{move || progress_said.get()}</p>
            <p class="wd-message" tabindex="-1" node_ref=report>{move || said.get()}</p>
            <ul class="wd-outcomes" aria-label="Outcome per code">
                {move || outcomes.get().into_iter().map(|(code, outcome)| match outcome {
                    Fate::Done(done) => view! { <li>{code}": "{done}</li> }.into_any(),
                    Fate::Failed(why) => view! { <li class="wd-error">{code}": "{why}</li> }.into_any(),
                    Fate::Unknown(why) => view! { <li>{code}": "{why}</li> }.into_any(),
                    Fate::NotRun => view! { <li>{code}": not run"</li> }.into_any(),
                }).collect_view()}
            </ul>
        </section>
        </Show>
    }
}

/// The most codes the revoke dialog's description reads out; more are shown, not described.
const CODES_READ_OUT: usize = 10;

/// The bar's alert, which describes a value typed wrong.
const PROBLEM_ID: &str = "wd-command-problem";

/// The note saying which value the server refused, that the values' inputs are described by.
const REFUSED_ID: &str = "wd-command-refused";

/// How many codes run alone must fail with the answer the command had for the lot, none done,
/// before the rest are not run.
const SAME_ANSWERS: usize = 2;

/// Why a code's outcome is not known: the command failed for the lot after this code changed.
const CHANGED: &str =
    "changed while the command failed for the lot, so it is not known whether it was done";

/// Why a code's outcome is not known: it was there before the command and is gone after it.
const GONE: &str = "gone since the command failed for the lot, so it is not known whether it was \
                    done";

/// Why a code's outcome is not known: the command failed for the lot and the codes could not be
/// read again to see which it reached.
const UNREAD: &str = "the command failed for the lot and the code could not be read again, so it \
                      is not known whether it was done";

/// Whether the server's record `now` differs from `then`, as read before the command: written
/// since (a write moves `UpdatedOn`; two in the same second may share one, so the terms are
/// compared too), or given a device. Use alone (minutes left, last access) is no change.
fn changed(then: &AccessToken, now: &AccessToken) -> bool {
    now.updated_on != then.updated_on || !then.issued_as(now) || now.mac_address != then.mac_address
}

/// Codes by their id.
fn by_id(codes: Vec<AccessToken>) -> HashMap<i64, AccessToken> {
    codes.into_iter().map(|t| (t.id, t)).collect()
}

/// A command's message for one code, or "done" when the server said nothing.
fn done_sentence(message: &str) -> String {
    if message.trim().is_empty() {
        "done".to_owned()
    } else {
        message.trim().to_owned()
    }
}

/// "Revoked: 3 done, 1 failed.", and how many are not known, to be checked before trying again.
fn summary(what: &str, outcomes: &[Outcome]) -> String {
    let count = |f: fn(&Fate) -> bool| outcomes.iter().filter(|(_, o)| f(o)).count();
    let done = count(|o| matches!(o, Fate::Done(_)));
    let failed = count(|o| matches!(o, Fate::Failed(_)));
    let not_run = match count(|o| matches!(o, Fate::NotRun)) {
        0 => String::new(),
        n => format!(", {n} not run"),
    };
    match count(|o| matches!(o, Fate::Unknown(_))) {
        0 => format!("{what}: {done} done, {failed} failed{not_run}."),
        unknown => format!(
            "{what}: {done} done, {failed} failed{not_run}, {unknown} not known. The list shows \
             the codes as the server has them now; check them before trying again."
        ),
    }
}
