//! The widget's one [`Client`] and its [`Options`], handed to components through context.

use leptos::prelude::*;

use super::Options;
use crate::api::Client;

/// A `Copy` handle on the widget's client and options, so closures in views can reach them.
#[derive(Clone, Copy)]
pub struct ClientContext {
    client: StoredValue<Client, LocalStorage>,
    options: StoredValue<Options>,
}

impl ClientContext {
    /// Makes `client` and `options` the ones the components below use.
    pub fn provide(client: Client, options: Options) {
        provide_context(Self {
            client: StoredValue::new_local(client),
            options: StoredValue::new(options),
        });
    }

    /// The handle provided by an enclosing [`crate::ui::App`].
    pub fn handle() -> Self {
        expect_context::<Self>()
    }

    /// The client behind a handle.
    pub fn client(self) -> Client {
        self.client.get_value()
    }

    /// The options behind a handle.
    pub fn options(self) -> Options {
        self.options.get_value()
    }
}
