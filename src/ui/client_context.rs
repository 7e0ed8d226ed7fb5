//! The widget's one [`Client`], handed to components through context.

use leptos::prelude::*;

use crate::api::Client;

/// A `Copy` handle on the widget's client, so closures in views can reach it.
#[derive(Clone, Copy)]
pub struct ClientContext(StoredValue<Client, LocalStorage>);

impl ClientContext {
    /// Makes `client` the one the components below use.
    pub fn provide(client: Client) {
        provide_context(Self(StoredValue::new_local(client)));
    }

    /// The client provided by an enclosing [`crate::ui::App`].
    pub fn get() -> Client {
        expect_context::<Self>().0.get_value()
    }

    /// The handle itself, to move into closures.
    pub fn handle() -> Self {
        expect_context::<Self>()
    }

    /// The client behind a handle.
    pub fn client(self) -> Client {
        self.0.get_value()
    }
}
