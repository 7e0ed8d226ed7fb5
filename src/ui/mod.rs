//! The widget's Leptos components, one per file.

mod app;
mod client_context;
mod sign_in;
mod token_count;

pub use app::{App, AppProps};
pub use client_context::ClientContext;
pub use sign_in::SignIn;
pub use token_count::TokenCount;
