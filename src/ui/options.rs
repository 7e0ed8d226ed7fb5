//! The widget's options: where the API is, which business codes belong to, what the QR code holds
//! and how codes look. Built with `Options::new(api_base)` and the `with_*` methods.

use crate::api::Pacer;
use crate::domain::code::CodeStyle;
use crate::domain::qr::{QrContent, Security};

/// Everything the widget needs to know about its place.
#[derive(Clone, Debug)]
pub struct Options {
    /// Base URL of the API: Nexudus itself, the sandbox's `/api`, or a proxy path of the host page.
    pub api_base: String,
    /// The business new codes are issued for; issuing is disabled with a reason when unknown.
    pub business_id: Option<i64>,
    /// What the QR code holds.
    pub qr: QrContent,
    /// How generated codes look.
    pub code_style: CodeStyle,
    /// Request pacing; Nexudus's published limits by default.
    pub pacer: Pacer,
    /// Headers sent with every request, e.g. one a same-origin proxy expects.
    pub headers: Vec<(String, String)>,
    /// The roles the signed-in staff have, when the host page knows them (Nexudus has no call
    /// that lists them): actions needing another are disabled with the reason from the start.
    /// `None` means unknown: a role is learned missing from the first refusal.
    pub roles: Option<Vec<String>>,
}

impl Options {
    /// Options for the API at `api_base`: no business yet, the bare code in the QR code, 8-character
    /// codes, Nexudus's limits.
    pub fn new(api_base: impl Into<String>) -> Self {
        Self {
            api_base: api_base.into(),
            business_id: None,
            qr: QrContent::Code,
            code_style: CodeStyle::default(),
            pacer: Pacer::nexudus(),
            headers: Vec::new(),
            roles: None,
        }
    }

    /// Issue codes for this business.
    pub fn with_business(mut self, id: i64) -> Self {
        self.business_id = Some(id);
        self
    }

    /// What the QR code holds.
    pub fn with_qr(mut self, qr: QrContent) -> Self {
        self.qr = qr;
        self
    }

    /// A QR code that joins this open guest network.
    pub fn with_guest_network(self, ssid: &str) -> Self {
        self.with_qr(QrContent::Join {
            ssid: ssid.to_owned(),
            security: Security::Open,
            passphrase: None,
        })
    }

    /// How generated codes look.
    pub fn with_code_style(mut self, style: CodeStyle) -> Self {
        self.code_style = style;
        self
    }

    /// One more header on every request.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// The roles staff have (e.g. `AccessToken-List`, `AccessToken-Create`); the others' actions
    /// are disabled with the reason before anything is refused.
    pub fn with_roles<R: Into<String>>(mut self, roles: impl IntoIterator<Item = R>) -> Self {
        self.roles = Some(roles.into_iter().map(Into::into).collect());
        self
    }

    /// Another pacer.
    pub fn with_pacer(mut self, pacer: Pacer) -> Self {
        self.pacer = pacer;
        self
    }

    /// Reads the options from a host element's `data-*` attributes: `data-api-base` (default `/api`),
    /// `data-business-id`, `data-ssid`, `data-portal-url` (with `{code}`), `data-code-style`
    /// (`visitor` for 5 digits), `data-roles` (the staff's roles, separated by spaces or commas).
    pub fn from_attributes(get: impl Fn(&str) -> Option<String>) -> Self {
        let mut options = Self::new(get("data-api-base").unwrap_or_else(|| "/api".to_owned()));
        if let Some(id) = get("data-business-id").and_then(|v| v.trim().parse().ok()) {
            options = options.with_business(id);
        }
        if let Some(template) = get("data-portal-url").filter(|t| t.contains("{code}")) {
            options = options.with_qr(QrContent::Portal { template });
        } else if let Some(ssid) = get("data-ssid").filter(|s| !s.trim().is_empty()) {
            options = options.with_guest_network(&ssid);
        }
        if let Some(roles) = get("data-roles") {
            options = options.with_roles(
                roles
                    .split([' ', ','])
                    .filter(|r| !r.is_empty())
                    .map(str::to_owned),
            );
        }
        if get("data-code-style").as_deref() == Some("visitor") {
            options = options.with_code_style(CodeStyle::VISITOR);
        }
        options
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn read(pairs: &[(&str, &str)]) -> Options {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Options::from_attributes(|name| map.get(name).cloned())
    }

    #[test]
    fn attributes_become_options() {
        let o = read(&[]);
        assert_eq!(
            (o.api_base.as_str(), o.business_id, &o.qr),
            ("/api", None, &QrContent::Code)
        );
        let o = read(&[
            ("data-api-base", "https://x.example/api"),
            ("data-business-id", "1001"),
            ("data-ssid", "Guest"),
        ]);
        assert_eq!(o.business_id, Some(1001));
        assert_eq!(o.qr.payload("A"), "WIFI:T:nopass;S:Guest;;");
        let o = read(&[
            ("data-portal-url", "https://p.example/?c={code}"),
            ("data-ssid", "Guest"),
        ]);
        assert_eq!(
            o.qr.payload("A1"),
            "https://p.example/?c=A1",
            "the portal wins over the join string"
        );
        assert_eq!(
            read(&[("data-code-style", "visitor")]).code_style,
            CodeStyle::VISITOR
        );
        assert_eq!(read(&[("data-business-id", "many")]).business_id, None);
        assert_eq!(read(&[]).roles, None, "unknown unless the host says");
        assert_eq!(
            read(&[("data-roles", "AccessToken-List, AccessToken-Read")]).roles,
            Some(vec![
                "AccessToken-List".to_owned(),
                "AccessToken-Read".to_owned()
            ])
        );
    }
}
