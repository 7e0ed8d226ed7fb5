//! Many vouchers on one sheet, to print: an A4 grid to cut, or a strip for an 80 mm receipt printer.

use leptos::html;
use leptos::prelude::*;

use super::Voucher;
use crate::api::AccessToken;
use crate::domain::reading;

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

/// A sheet of vouchers with its print button.
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
    let title = format!(
        "Vouchers: {}",
        reading::counted(tokens.len(), "code", "codes")
    );
    view! {
        <article class="wd-sheet-view" on:keydown=on_key aria-labelledby="wd-sheet-title">
            <h2 id="wd-sheet-title" tabindex="-1" node_ref=heading>{title}</h2>
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
                <button type="button" class="wd-primary" on:click=super::print>"Print vouchers"</button>
                <button type="button" class="wd-secondary" on:click=move |_| on_back.run(())>{back}</button>
            </div>
            <div class=move || format!("wd-sheet wd-sheet-{} wd-printable", layout.get().as_str())>
                {tokens.into_iter().map(|t| view! { <Voucher token=t /> }).collect_view()}
            </div>
        </article>
    }
}
