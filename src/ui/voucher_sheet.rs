//! Many vouchers on one sheet, to print: an A4 grid to cut, or a strip for an 80 mm receipt printer.

use leptos::html;
use leptos::prelude::*;

use super::{ClientContext, Voucher};
use crate::api::AccessToken;
use crate::domain::reading;
use crate::domain::status::Status;

/// The paper the sheet is laid out for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SheetLayout {
    /// A grid of vouchers on A4 pages, to cut apart.
    A4,
    /// One voucher under another, 80 mm wide, for a receipt printer.
    Receipt,
}

impl SheetLayout {
    /// A stable name, for CSS classes and a `<select>`'s values.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::A4 => "a4",
            Self::Receipt => "receipt",
        }
    }

    /// The words a receptionist picks.
    pub fn label(self) -> &'static str {
        match self {
            Self::A4 => "A4 sheet, to cut",
            Self::Receipt => "80 mm receipt printer",
        }
    }
}

/// What is said of the codes left off a sheet because they have ended, `of` of them; of none
/// at all, that there are none (every one chosen revoked since).
pub fn left_off(ended: usize, of: usize) -> Option<String> {
    match ended {
        0 if of == 0 => Some(
            "None of the codes chosen exist any more: they were revoked. No vouchers to print."
                .to_owned(),
        ),
        0 => None,
        1 if of == 1 => Some(
            "This code cannot be used any more: it has expired or been used up. No voucher to print."
                .to_owned(),
        ),
        _ if ended == of => Some(format!(
            "None of these {of} codes can be used any more: each has expired or been used up. No \
             vouchers to print."
        )),
        1 => Some("1 code that has ended (expired or used up) is left off.".to_owned()),
        n => Some(format!(
            "{n} codes that have ended (expired or used up) are left off."
        )),
    }
}

/// A sheet of vouchers with its print button. A code that has ended is left off: its voucher
/// would send a visitor away with a code that does not work.
#[component]
pub fn VoucherSheet(
    /// The codes to print, in order.
    tokens: Vec<AccessToken>,
    /// Called to go back (Back, or Escape).
    on_back: Callback<()>,
    /// Where going back goes, as its button says.
    #[prop(default = "Back to list")]
    back: &'static str,
) -> impl IntoView {
    let layout = RwSignal::new(SheetLayout::A4);
    let heading = NodeRef::<html::H2>::new();
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if super::field::escape(&ev) {
            on_back.run(());
        }
    };
    let now = ClientContext::handle().now();
    let given = tokens.len();
    let tokens: Vec<AccessToken> = tokens
        .into_iter()
        .filter(|t| !Status::of(t, now).has_ended())
        .collect();
    let note = left_off(given - tokens.len(), given);
    let printable = !tokens.is_empty();
    let title = format!(
        "Vouchers: {}",
        reading::counted(tokens.len(), "code", "codes")
    );
    view! {
        <article class="wd-sheet-view" on:keydown=on_key aria-labelledby="wd-sheet-title">
            // The note is read with the heading, which takes the focus.
            <h2 id="wd-sheet-title" tabindex="-1" node_ref=heading
                aria-describedby=note.is_some().then_some("wd-left-off")>{title}</h2>
            {note.map(|note| view! { <p class="wd-hint wd-left-off" id="wd-left-off">{note}</p> })}
            <div class="wd-actions">
                <div class="wd-field">
                    <label for="wd-sheet-layout">"Layout"</label>
                    <select id="wd-sheet-layout" on:change=move |ev| {
                        let value = event_target_value(&ev);
                        layout.set(if value == SheetLayout::Receipt.as_str() { SheetLayout::Receipt } else { SheetLayout::A4 });
                    }>
                        {[SheetLayout::A4, SheetLayout::Receipt].into_iter().map(|l| view! {
                            <option value=l.as_str()>{l.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                {printable.then(|| view! {
                    <button type="button" class="wd-primary" on:click=super::print>"Print vouchers"</button>
                })}
                <button type="button" class="wd-secondary" on:click=move |_| on_back.run(())>{back}</button>
            </div>
            <div class=move || format!("wd-sheet wd-sheet-{} wd-printable", layout.get().as_str())>
                {tokens.into_iter().map(|t| view! { <Voucher token=t /> }).collect_view()}
            </div>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::left_off;

    #[test]
    fn codes_left_off_are_counted() {
        assert_eq!(left_off(0, 3), None);
        assert!(left_off(0, 0)
            .unwrap()
            .starts_with("None of the codes chosen exist"));
        assert_eq!(
            left_off(1, 3).as_deref(),
            Some("1 code that has ended (expired or used up) is left off.")
        );
        assert_eq!(
            left_off(2, 3).as_deref(),
            Some("2 codes that have ended (expired or used up) are left off.")
        );
        assert!(left_off(1, 1)
            .unwrap()
            .starts_with("This code cannot be used any more"));
        assert!(left_off(4, 4)
            .unwrap()
            .starts_with("None of these 4 codes can be used any more"));
    }
}
