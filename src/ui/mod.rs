//! The widget's Leptos components, one per file, and the little they share.

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
mod sign_in;
mod tasks;
mod token_detail;
mod token_table;
mod visitor_view;
mod voucher;
mod voucher_sheet;

pub use app::{App, AppProps};
pub use batch_issue::{BatchIssue, MAX_BATCH};
pub use booking_view::BookingView;
pub use bulk_bar::BulkBar;
pub use client_context::{reasons, ClientContext};
pub use console::Console;
pub use edit_form::EditForm;
pub use field::{focus_when_shown, report_failure, Field};
pub use host::HostEvent;
pub use issue_form::IssueForm;
pub use options::{Mode, Options, Subject, Theme};
pub use sign_in::SignIn;
pub use tasks::Tasks;
pub use token_detail::TokenDetail;
pub use token_table::{Selection, TokenRows, TokenTable};
pub use visitor_view::VisitorView;
pub use voucher::Voucher;
pub use voucher_sheet::{SheetLayout, VoucherSheet};

/// Opens the browser's print dialog; the print stylesheet prints the `.wd-printable` part alone.
pub fn print() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}
