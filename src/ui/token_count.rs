//! The console's first view: who is signed in and how many access codes the account can see.

use leptos::html;
use leptos::prelude::*;

use super::ClientContext;

/// "This account can see N access codes".
#[component]
pub fn TokenCount() -> impl IntoView {
    let client = ClientContext::handle();
    let heading = NodeRef::<html::H2>::new();
    // Focus follows the receptionist to what just appeared, so a screen reader announces it.
    Effect::new(move |_| {
        if let Some(heading) = heading.get() {
            let _ = heading.focus();
        }
    });
    let count = LocalResource::new(move || {
        let client = client.client();
        async move { client.count().await }
    });
    view! {
        <section class="wd-list" aria-labelledby="wd-console-title">
            <h2 id="wd-console-title" tabindex="-1" node_ref=heading>"Access codes"</h2>
            <div aria-live="polite">
                <Suspense fallback=|| view! { <p class="wd-count">"Counting access codes…"</p> }>
                    {move || Suspend::new(async move {
                        match count.await {
                            Ok(n) => view! { <p class="wd-count">{count_sentence(n)}</p> }.into_any(),
                            Err(error) => view! {
                                <p class="wd-error" role="alert">{error.to_string()}</p>
                                <button type="button" on:click=move |_| count.refetch()>"Try again"</button>
                            }.into_any(),
                        }
                    })}
                </Suspense>
            </div>
        </section>
    }
}

/// The count as a sentence.
fn count_sentence(n: i64) -> String {
    match n {
        0 => "This account has no access codes yet.".into(),
        1 => "This account can see 1 access code.".into(),
        n => format!("This account can see {n} access codes."),
    }
}

#[cfg(test)]
mod tests {
    use super::count_sentence;

    #[test]
    fn counts_read_as_sentences() {
        assert_eq!(count_sentence(0), "This account has no access codes yet.");
        assert_eq!(count_sentence(1), "This account can see 1 access code.");
        assert_eq!(count_sentence(60), "This account can see 60 access codes.");
    }
}
