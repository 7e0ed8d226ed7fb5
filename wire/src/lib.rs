//! The JSON records of the Nexudus Spaces AccessTokens API.
//!
//! Both the widget's client and the sandbox use these types, so both are held to the literal example
//! bodies of the API documents (see `tests/seeds.rs`). Parsing is tolerant as the contract asks: unknown
//! fields are ignored, `null` is accepted wherever a value may be missing, both spellings of the sort
//! direction and of the business field are read, and dates keep the business's wall clock.

mod command;
mod envelope;
pub mod forms;
mod grant;
mod lenient;
mod sort;
mod token;
mod wall_clock;

pub use command::{Command, CommandParameter, ParameterSpec, RunCommand};
pub use envelope::{ActionResult, ActionValue, FieldError, Page};
pub use grant::{GrantError, TokenGrant};
pub use sort::SortDirection;
pub use token::AccessToken;
pub use wall_clock::{WallClock, WallClockError};

/// The body of a 404 from Nexudus: the JSON string `"Not found"`.
pub const NOT_FOUND_BODY: &str = "\"Not found\"";

/// The body of a 500 from Nexudus.
pub const SERVER_ERROR_BODY: &str = r#"{"Message":"An error has occurred."}"#;
