//! The Nexudus AccessTokens client: the only way the widget talks to a server. Components never build
//! URLs, parse JSON or guess what an error means; they call this and get records or an [`ApiError`].

mod client;
mod error;
mod pacer;
mod query;

pub use client::{Auth, Client, Told};
pub use error::ApiError;
pub use pacer::{Limit, Pacer};
pub use query::{Bound, Field, ListQuery};
pub use wifi_desk_wire::{
    AccessToken, Command, CommandParameter, Page, SortDirection, TokenGrant, WallClock,
};
