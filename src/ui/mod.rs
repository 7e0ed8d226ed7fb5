//! The widget's Leptos components, one per file, and the little they share.

mod app;
mod client_context;
pub mod clock;
mod console;
mod download;
mod field;
mod issue_form;
mod options;
mod sign_in;
mod tasks;
mod token_detail;
mod token_table;

pub use app::{App, AppProps};
pub use client_context::ClientContext;
pub use console::Console;
pub use field::{focus_when_shown, Field};
pub use issue_form::IssueForm;
pub use options::Options;
pub use sign_in::SignIn;
pub use tasks::Tasks;
pub use token_detail::TokenDetail;
pub use token_table::TokenTable;
