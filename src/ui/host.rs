//! What the widget tells the page it is embedded in: DOM events on the host element, bubbling out
//! of the shadow root (`composed`), whose details carry ids, codes and sentences, never a token.

use wasm_bindgen::JsValue;

/// Something the host page may want to act on.
#[derive(Clone, Debug, PartialEq)]
pub enum HostEvent {
    /// The widget is mounted and drawn (again after each change of its options).
    Ready,
    /// Staff signed in with the widget's form; a host that gives credentials knows it did.
    SignedIn {
        /// The account's email, when it signed in with one.
        email: Option<String>,
    },
    /// A code was issued.
    Issued {
        /// Its record id.
        id: i64,
        /// The code.
        code: String,
    },
    /// A code was changed (edited, extended, topped up, or by a command).
    Updated {
        /// Its record id.
        id: i64,
        /// The code.
        code: String,
    },
    /// A code was revoked.
    Revoked {
        /// Its record id.
        id: i64,
        /// The code.
        code: String,
    },
    /// Something failed; what staff were told.
    Error {
        /// A stable name for the kind of failure (`network`, `missing-role`, …).
        kind: &'static str,
        /// The sentence shown.
        message: String,
    },
}

impl HostEvent {
    /// The event's type, e.g. `wifi-desk:issued`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Ready => "wifi-desk:ready",
            Self::SignedIn { .. } => "wifi-desk:signed-in",
            Self::Issued { .. } => "wifi-desk:issued",
            Self::Updated { .. } => "wifi-desk:updated",
            Self::Revoked { .. } => "wifi-desk:revoked",
            Self::Error { .. } => "wifi-desk:error",
        }
    }

    /// The event's `detail`: a plain object of its fields.
    fn detail(&self) -> JsValue {
        let detail = js_sys::Object::new();
        let set = |key: &str, value: JsValue| {
            let _ = js_sys::Reflect::set(&detail, &key.into(), &value);
        };
        match self {
            Self::Ready => {}
            Self::SignedIn { email } => set(
                "email",
                email.as_deref().map_or(JsValue::NULL, JsValue::from),
            ),
            Self::Issued { id, code } | Self::Updated { id, code } | Self::Revoked { id, code } => {
                set("id", JsValue::from(*id as f64));
                set("code", JsValue::from(code.as_str()));
            }
            Self::Error { kind, message } => {
                set("kind", JsValue::from(*kind));
                set("message", JsValue::from(message.as_str()));
            }
        }
        detail.into()
    }

    /// Dispatches the event on `target`, bubbling and crossing shadow roots.
    pub fn dispatch(&self, target: &web_sys::EventTarget) {
        let init = web_sys::CustomEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        init.set_detail(&self.detail());
        if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(self.name(), &init) {
            let _ = target.dispatch_event(&event);
        }
    }
}
