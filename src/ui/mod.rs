//! The widget's Leptos components, one per file, and the little they share.

use leptos::prelude::*;

mod app;
mod batch_issue;
mod booking_view;
mod bulk_bar;
mod client_context;
pub mod clock;
mod console;
mod download;
mod edit_form;
mod field;
mod host;
mod issue_form;
mod options;
mod print;
mod sign_in;
mod tasks;
mod token_detail;
mod token_table;
mod visitor_view;
mod voucher;
mod voucher_sheet;

pub use app::{App, AppProps, Given};
pub use batch_issue::{BatchIssue, MAX_BATCH};
pub use booking_view::BookingView;
pub use bulk_bar::BulkBar;
pub use client_context::{reasons, ClientContext};
pub use console::Console;
pub use edit_form::EditForm;
pub use field::{focus_when_shown, modal, point_out, report_failure, Field};
pub use host::HostEvent;
pub use issue_form::IssueForm;
pub use options::{Mode, Network, Options, Subject, Theme};
pub use print::{print, FRAME_CLASS as PRINT_FRAME_CLASS};
pub use sign_in::SignIn;
pub use tasks::Tasks;
pub use token_detail::TokenDetail;
pub use token_table::{ListState, Selection, TokenRows, TokenTable};
pub use visitor_view::VisitorView;
pub use voucher::Voucher;
pub use voucher_sheet::{SheetLayout, VoucherSheet};

/// A create that may have landed ([`crate::api::ApiError::may_have_landed`]), kept for ten minutes
/// so that trying it again sends it as it was: the client then recognises the record if it did.
/// Later, or after any other answer, a try is a new code with its own times.
pub(crate) struct Tried<T: Send + Sync + 'static>(StoredValue<Option<(T, f64)>>);

impl<T: Send + Sync + 'static> Clone for Tried<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Tried<T> {}

impl<T: Clone + Send + Sync + 'static> Tried<T> {
    const FOR_MS: f64 = 10.0 * 60.0 * 1000.0;

    pub(crate) fn new() -> Self {
        Self(StoredValue::new(None))
    }

    /// `what` is being sent now.
    pub(crate) fn sent(self, what: T) {
        self.0.set_value(Some((what, js_sys::Date::now())));
    }

    /// Nothing to repeat.
    pub(crate) fn forget(self) {
        self.0.set_value(None);
    }

    /// The answer came: kept only if the create may have landed.
    pub(crate) fn answered<V>(self, result: &Result<V, crate::api::ApiError>) {
        if !matches!(result, Err(e) if e.may_have_landed()) {
            self.forget();
        }
    }

    /// What was sent, if it may have landed and was sent within the last ten minutes.
    pub(crate) fn recent(self) -> Option<T> {
        self.0
            .get_value()
            .filter(|(_, at)| js_sys::Date::now() - at < Self::FOR_MS)
            .map(|(what, _)| what)
    }
}
