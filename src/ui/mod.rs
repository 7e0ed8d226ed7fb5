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
pub use field::{focus_when_shown, modal, report_failure, Field};
pub use host::HostEvent;
pub use issue_form::IssueForm;
pub use options::{Mode, Options, Subject, Theme};
pub use print::{print, FRAME_CLASS as PRINT_FRAME_CLASS};
pub use sign_in::SignIn;
pub use tasks::Tasks;
pub use token_detail::TokenDetail;
pub use token_table::{ListState, Selection, TokenRows, TokenTable};
pub use visitor_view::VisitorView;
pub use voucher::Voucher;
pub use voucher_sheet::{SheetLayout, VoucherSheet};

/// How long a create that may have landed ([`crate::api::ApiError::may_have_landed`]) is repeated
/// as it was sent, when it is tried again: later, a try is a new code with its own times.
pub(crate) const REPEAT_FOR_MS: f64 = 10.0 * 60.0 * 1000.0;
