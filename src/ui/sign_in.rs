//! The sign-in form: email and password, then a two-factor code when the account asks for one.

use leptos::html;
use leptos::prelude::*;

use super::{focus_when_shown, point_out, ClientContext, Field, HostEvent, Tasks};
use crate::api::ApiError;

/// Signs a receptionist in with the password grant and keeps the bearer token in the client's memory.
#[component]
pub fn SignIn(
    /// Called with the email once the account is signed in.
    on_signed_in: Callback<String>,
    /// Whether a session ended and is to be taken up again, over what is on screen: the form
    /// says so, and starts with the email that was signed in.
    #[prop(optional)]
    again: bool,
) -> impl IntoView {
    let client = ClientContext::handle();
    let tasks = Tasks::owned();
    let known = again.then(|| client.client().account()).flatten();
    let email = RwSignal::new(known.clone().unwrap_or_default());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let needs_code = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let code_input = NodeRef::<html::Input>::new();
    // Sign-in errors are about the whole form, said once in the alert below it; a field left
    // empty at the last press is marked too, while it stays empty.
    let left_empty = RwSignal::new(false);
    let empty_error = move |value: RwSignal<String>, sentence: &'static str| {
        Signal::derive(move || {
            (left_empty.get() && value.with(|v| v.trim().is_empty())).then(|| sentence.to_owned())
        })
    };
    let email_error = empty_error(email, "Enter your email.");
    let password_error = empty_error(password, "Enter your password.");
    let code_error = empty_error(code, "Enter the code.");
    let form = NodeRef::<html::Form>::new();
    let email_input = NodeRef::<html::Input>::new();
    let password_input = NodeRef::<html::Input>::new();
    // The form is where the receptionist starts (and returns after signing out): focus its first
    // field, or the password when the email is known.
    focus_when_shown(if known.is_some() {
        password_input
    } else {
        email_input
    });
    // And the code field once it is asked for (it is drawn after the answer that asks for it).
    focus_when_shown(code_input);
    // Asked for one account, the code is not asked of another: the email changed, the step goes.
    Effect::new(move |before: Option<String>| {
        let now = email.get();
        if before.is_some_and(|b| b.trim() != now.trim()) {
            needs_code.set(false);
            code.set(String::new());
        }
        now
    });

    // What is typed, or a sign-in on its way, is not lost to the host page drawing the widget
    // again: its change waits.
    client.hold_while(move || {
        busy.get()
            || password.with(|p| !p.is_empty())
            || code.with(|c| !c.is_empty())
            || email.with(|e| !e.trim().is_empty() && Some(e) != known.as_ref())
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // One request at a time: a double click or a repeated Enter does not sign in twice.
        if busy.get_untracked() {
            return;
        }
        let (e, p, c) = (
            email.get_untracked(),
            password.get_untracked(),
            code.get_untracked(),
        );
        if e.trim().is_empty() || p.is_empty() {
            left_empty.set(true);
            point_out(form, problem, "Enter your email and password.".into());
            return;
        }
        // Asked for, the code is not sent empty: that is not a code refused.
        if needs_code.get_untracked() && c.trim().is_empty() {
            left_empty.set(true);
            point_out(form, problem, ApiError::TwoFactorRequired.to_string());
            return;
        }
        left_empty.set(false);
        busy.set(true);
        problem.set(None);
        tasks.spawn(async move {
            let totp = needs_code.get_untracked().then_some(c);
            let result = client.client().sign_in(&e, &p, totp.as_deref()).await;
            busy.set(false);
            // The page hears of a failed sign-in as of any other (`wrong-password`, `network`…);
            // being asked for a two-factor code is a step, not a failure, unless one was refused.
            match result {
                Ok(_) => on_signed_in.run(e.trim().to_owned()),
                Err(ApiError::TwoFactorRequired) => {
                    let asked_before = needs_code.get_untracked();
                    needs_code.set(true);
                    if asked_before {
                        client.tell(HostEvent::Error {
                            kind: ApiError::TwoFactorRequired.kind(),
                            message: CODE_REFUSED.to_owned(),
                        });
                        // Refused, it goes: the next is typed into an empty field.
                        code.set(String::new());
                    }
                    problem.set(Some(if asked_before {
                        CODE_REFUSED.into()
                    } else {
                        ApiError::TwoFactorRequired.to_string()
                    }));
                    // Asked again, the field is already drawn: back to it.
                    if let Some(input) = code_input.get_untracked().filter(|_| asked_before) {
                        let _ = input.focus();
                    }
                }
                Err(error) => {
                    client.learn(&error);
                    problem.set(Some(error.to_string()));
                }
            }
        });
    };

    view! {
        <form class="wd-sign-in" on:submit=submit novalidate=true aria-labelledby="wd-sign-in-title" node_ref=form>
            <h2 id="wd-sign-in-title">{if again { "Sign in again" } else { "Sign in" }}</h2>
            // Said as it appears when the session ends mid-task: the focus jumping to Password
            // would not say why.
            <p class="wd-hint" role=again.then_some("alert")>{if again {
                "Your session has ended. Sign in to carry on: what you were doing stays as it is."
            } else {
                "Use your Nexudus email and password."
            }}</p>
            <Field label="Email" name="email" value=email error=email_error kind="email"
                autocomplete="username" node_ref=email_input />
            <Field label="Password" name="password" value=password error=password_error kind="password"
                autocomplete="current-password" node_ref=password_input />
            <Show when=move || needs_code.get()>
                <Field label="Two-factor code" name="totp" value=code error=code_error
                    inputmode="numeric" autocomplete="one-time-code" node_ref=code_input />
            </Show>
            <p class="wd-error" role="alert">{move || problem.get()}</p>
            <button type="submit" class="wd-primary" aria-disabled=move || busy.get().to_string()>
                {move || if busy.get() { "Signing in…" } else { "Sign in" }}
            </button>
        </form>
    }
}

/// Said when the two-factor code typed was not accepted.
const CODE_REFUSED: &str =
    "That code was not accepted. Enter the current six-digit code from your authenticator app.";
