//! The reception console: what the signed-in receptionist sees, one view at a time.

use leptos::{html, prelude::*};

use super::{
    BatchIssue, ClientContext, EditForm, IssueForm, ListState, TokenDetail, TokenTable,
    VoucherSheet,
};
use crate::api::AccessToken;
use crate::domain::reading;

/// Which view the console shows.
#[derive(Clone, Debug, PartialEq)]
enum View {
    List,
    Issue,
    Detail {
        id: i64,
        announce: Option<String>,
        /// A code just issued: its record as created, drawn at once.
        issued: Option<Box<AccessToken>>,
    },
    Edit {
        id: i64,
    },
    Batch {
        template: Box<AccessToken>,
        count: u32,
    },
    Sheet {
        tokens: Vec<AccessToken>,
    },
}

/// The console: a header with who is signed in and the main actions, then the current view.
#[component]
pub fn Console(
    /// The signed-in account's email.
    #[prop(into)]
    email: Signal<String>,
    /// Called when the receptionist signs out.
    on_sign_out: Callback<()>,
) -> impl IntoView {
    let desk = ClientContext::handle();
    // Single-key shortcuts, unless the host page turned them off: a control without
    // `aria-keyshortcuts` has none (`field::shortcut`).
    let keys = desk.options().shortcuts;
    let view_now = RwSignal::new(View::List);
    // The list's choices outlive the table, which is drawn again on each return to it.
    let list = ListState::new();
    // A running batch is left only by its own Cancel: going elsewhere would abort a code on its
    // way, which the server may have issued.
    let batch_running = RwSignal::new(false);
    // Anywhere but the list, drawing the widget again would lose what is on screen.
    let away = desk.away();
    Effect::new(move |_| away.set(view_now.with(|v| *v != View::List)));
    on_cleanup(move || away.set(false));
    // Nor is a view left while a change, revoke or command in it is on its way: it would be cut
    // short, unseen.
    let working = move || desk.holding();
    let wait_for_work = move || {
        if batch_running.get() {
            Some(super::batch_issue::RUNNING.to_owned())
        } else {
            working().then(|| WAIT_FOR_WORK.to_owned())
        }
    };
    // Why no code may be issued here at all, whatever is under way.
    let cannot_issue = desk.cannot_issue();
    let cannot_issue = move || cannot_issue.get();
    // The reason on screen first, as the line below the buttons gives it.
    let issue_blocked = move || wait_for_work().or_else(cannot_issue);
    let group = desk.options().code_style.group();
    // The code said with it: what is read to the visitor next.
    let on_issued = Callback::new(move |token: AccessToken| {
        view_now.set(View::Detail {
            id: token.id,
            announce: Some(format!(
                "Code issued: {}.",
                reading::grouped(&token.access_code, group)
            )),
            issued: Some(Box::new(token)),
        })
    });
    let to_list = Callback::new(move |()| view_now.set(View::List));
    // A code is not opened from the list while the bulk bar's work runs: like Issue code and Sign
    // out, it would take the list, and that work, away. Its link stays as it is (a state on every
    // row would cost each row an effect), so what a press of it did not do is said aloud; emptied
    // first, so a second press is said again.
    // A String, as the console's other texts: a signal of a type of its own costs the bundle its code.
    let refused = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if !working() {
            refused.set(None);
        }
    });
    let on_open = Callback::new(move |id: i64| {
        if untrack(working) {
            refused.set(None);
            // Unless the work ended meanwhile (or the console went).
            request_animation_frame(move || {
                if refused.try_get_untracked().is_some() && untrack(working) {
                    refused.set(Some(WAIT_FOR_WORK.to_owned()));
                }
            });
            return;
        }
        view_now.set(View::Detail {
            id,
            announce: None,
            issued: None,
        })
    });
    let on_edit = Callback::new(move |id: i64| view_now.set(View::Edit { id }));
    // A code revoked from its detail leaves the list's selection: ticked, it would be revoked
    // again, and printed, from the bulk bar.
    let on_revoked = Callback::new(move |id: i64| list.forget(id));
    let on_batch = Callback::new(move |(template, count)| {
        view_now.set(View::Batch {
            template: Box::new(template),
            count,
        })
    });
    let on_print = Callback::new(move |tokens| view_now.set(View::Sheet { tokens }));
    // Keys on the list: "/" goes to Search, "n" issues a code (the controls announcing them).
    // Elsewhere a key pressed in the header bar (Escape on Sign out, say) is the view's, as if
    // pressed in it: the bar has no keys of its own there, and the view's say what to do.
    let view_root = NodeRef::<html::Div>::new();
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if view_now.with_untracked(|v| *v == View::List) {
            // Issue code's key, while the button is disabled, says why, as its title does.
            if let super::field::Pressed::Disabled(Some(why)) = super::field::shortcut(&ev) {
                super::field::say_afresh(refused, why, || {});
            }
        } else if let Some(view) = view_root.get_untracked() {
            super::field::forward_from(&ev, ".wd-bar", view.first_element_child());
        }
    };
    view! {
        <div class="wd-console" on:keydown=on_key>
            <div class="wd-bar">
                <p class="wd-signed-in">"Signed in as " <strong>{email}</strong></p>
                <Show when=move || view_now.with(|v| *v != View::Issue)>
                    <button type="button" class="wd-primary" aria-keyshortcuts=keys.then_some("n") disabled=move || issue_blocked().is_some()
                        title=issue_blocked
                        on:click=move |_| view_now.set(View::Issue)>"Issue code"</button>
                </Show>
                <button type="button" class="wd-secondary" disabled=move || wait_for_work().is_some()
                    title=wait_for_work on:click=move |_| on_sign_out.run(())>"Sign out"</button>
            </div>
            // Why Issue code and Sign out are disabled, where everyone can read it, not only in a
            // tooltip (a disabled button takes no focus).
            <p class="wd-hint wd-reasons">{issue_blocked}</p>
            <div class="wd-view" node_ref=view_root>{move || match view_now.get() {
                View::List => view! { <TokenTable on_open on_print state=list /> }.into_any(),
                View::Issue => view! { <IssueForm on_issued on_cancel=to_list on_batch /> }.into_any(),
                View::Batch { template, count } => view! {
                    <BatchIssue template=*template count on_back=to_list running=batch_running />
                }.into_any(),
                View::Sheet { tokens } => view! { <VoucherSheet tokens on_back=to_list /> }.into_any(),
                View::Detail { id, announce, issued } => view! {
                    <TokenDetail id announce=announce.unwrap_or_default() issued=issued.map(|t| *t) on_back=to_list on_edit on_revoked />
                }.into_any(),
                View::Edit { id } => view! {
                    <EditForm id
                        on_saved=Callback::new(move |()| view_now.set(View::Detail { id, announce: Some("Changes saved.".into()), issued: None }))
                        on_cancel=Callback::new(move |()| view_now.set(View::Detail { id, announce: None, issued: None })) />
                }.into_any(),
            }}</div>
            // Said, not shown: the line under the buttons already shows it.
            <p class="wd-visually-hidden" role="status" aria-live="polite">{move || refused.get()}</p>
        </div>
    }
}

/// Why a view may not be left while a change, revoke or command in it is on its way.
const WAIT_FOR_WORK: &str =
    "Wait for the work under way to finish: leaving now would cut it short.";
