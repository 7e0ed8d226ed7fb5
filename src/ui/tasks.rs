//! Work a component starts and that ends with it: when the component goes away its futures are
//! dropped, which aborts their requests, and none of them can touch its signals afterwards.

use std::future::Future;
use std::pin::Pin;

use futures::future::{AbortHandle, Abortable};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The futures of one component. Create it in the component's body.
#[derive(Clone, Copy)]
pub struct Tasks(StoredValue<Vec<AbortHandle>>);

impl Tasks {
    /// Tasks tied to the component being built: all are aborted when it is cleaned up.
    pub fn owned() -> Self {
        let handles = StoredValue::new(Vec::<AbortHandle>::new());
        on_cleanup(move || {
            handles.try_update_value(|all| all.drain(..).for_each(|h| h.abort()));
        });
        Self(handles)
    }

    /// Runs `work` until it finishes or the component goes away.
    pub fn spawn(self, work: impl Future<Output = ()> + 'static) {
        // Boxed here, so what follows is built once for all the widget's tasks, not once per task.
        self.spawn_boxed(Box::pin(work));
    }

    /// Runs `work` as [`Tasks::spawn`] does, first aborting the work last started with the same
    /// `slot`: for work a newer run makes moot (a list asked for again), whose requests, waiting
    /// their turn or on the wire, are dropped instead of spending the server's limits.
    pub fn spawn_instead(
        self,
        slot: StoredValue<Option<AbortHandle>>,
        work: impl Future<Output = ()> + 'static,
    ) {
        let handle = self.spawn_boxed(Box::pin(work));
        if let Some(before) = slot.try_update_value(|s| s.replace(handle)).flatten() {
            before.abort();
        }
    }

    fn spawn_boxed(self, work: Pin<Box<dyn Future<Output = ()>>>) -> AbortHandle {
        let (handle, registration) = AbortHandle::new_pair();
        self.0.try_update_value(|all| {
            all.retain(|h| !h.is_aborted());
            all.push(handle.clone());
        });
        spawn_local(async move {
            let _ = Abortable::new(work, registration).await;
        });
        handle
    }
}

/// Resolves at the first of `names` that `target` fires. The browser holds the promise's own
/// resolve function, not a Rust closure: dropped before then (its task aborted), the future
/// leaves nothing that could be called after it is gone.
pub(crate) fn next_event(target: &web_sys::EventTarget, names: &[&str]) -> JsFuture {
    JsFuture::from(js_sys::Promise::new(&mut |resolve, _| {
        let options = web_sys::AddEventListenerOptions::new();
        options.set_once(true);
        for name in names {
            let _ = target.add_event_listener_with_callback_and_add_event_listener_options(
                name, &resolve, &options,
            );
        }
    }))
}

/// A listener for `name` on a target, removed when this is dropped (with the task that holds it).
pub(crate) struct Listening {
    target: web_sys::EventTarget,
    name: &'static str,
    heard: wasm_bindgen::closure::Closure<dyn Fn()>,
}

impl Listening {
    pub(crate) fn new(
        target: &web_sys::EventTarget,
        name: &'static str,
        heard: impl Fn() + 'static,
    ) -> Self {
        let heard = wasm_bindgen::closure::Closure::<dyn Fn()>::new(heard);
        let _ = target.add_event_listener_with_callback(name, heard.as_ref().unchecked_ref());
        Self {
            target: target.clone(),
            name,
            heard,
        }
    }
}

impl Drop for Listening {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback(self.name, self.heard.as_ref().unchecked_ref());
    }
}

/// Resolves once the page is shown: at once if it is, else when its tab comes back to the front
/// (or its window is restored). Work nobody can see waits here instead of spending requests.
pub(crate) async fn page_shown() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    while document.hidden() {
        let _ = next_event(&document, &["visibilitychange"]).await;
    }
}
