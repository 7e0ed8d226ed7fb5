//! The widget's options: where the API is, which business codes belong to, what the QR code holds,
//! how codes look, and what the widget is for on its page. Built with `Options::new(api_base)` and
//! the `with_*` methods, or read from a host element's attributes.

use crate::api::{Client, Pacer};
use crate::domain::code::CodeStyle;
use crate::domain::qr::{QrContent, Security};
use crate::domain::validity::Preset;

/// What the widget is for on its page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// The reception console.
    #[default]
    Console,
    /// One booking's code: found, issued or extended for it.
    Booking,
    /// One code shown to its visitor, read-only.
    Visitor,
    /// A mode the widget does not have (`mode="vistor"`): it says so, rather than guess and show
    /// visitors a staff sign-in.
    Unknown,
}

impl Mode {
    /// The mode named `text` (`console`, `booking`, `visitor`).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "console" => Some(Self::Console),
            "booking" => Some(Self::Booking),
            "visitor" => Some(Self::Visitor),
            _ => None,
        }
    }
}

/// Which record a booking or visitor widget is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    /// The code linked to this booking (`BookingGuid`).
    Booking(String),
    /// The code linked to this visitor (`VisitorGuid`).
    Visitor(String),
    /// The code with this record id.
    Token(i64),
}

/// Light or dark, when the host page sets it instead of following the reader's preference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    /// Dark text on a light background.
    Light,
    /// Light text on a dark background.
    Dark,
}

impl Theme {
    /// A stable name, for the `data-theme` attribute the stylesheet reads.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Light => "light",
            Self::Dark => "dark",
        }
    }
}

/// A guest network, as a voucher names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Network {
    /// Its name, as given.
    pub ssid: String,
    /// Its password, as given; `None` for an open network.
    pub password: Option<String>,
}

/// Everything the widget needs to know about its place.
#[derive(Clone, Debug)]
pub struct Options {
    /// Base URL of the API: Nexudus itself, the sandbox's `/api`, or a proxy path of the host page.
    pub api_base: String,
    /// The business new codes are issued for; issuing is disabled with a reason when unknown.
    pub business_id: Option<i64>,
    /// What the QR code holds.
    pub qr: QrContent,
    /// The guest network the voucher names, whatever the QR code holds: a visitor who cannot
    /// scan it joins by its name and password.
    pub network: Option<Network>,
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
    /// What the widget is for.
    pub mode: Mode,
    /// The booking, visitor or code a booking or visitor widget shows.
    pub subject: Option<Subject>,
    /// The validity a code issued for a booking gets.
    pub validity: Preset,
    /// Light or dark; `None` follows the reader's preference.
    pub theme: Option<Theme>,
    /// The language the host asked the widget's text to be in; see [`Options::text_lang`].
    pub lang: String,
    /// Keep the signed-in token in `sessionStorage` for this tab, so a reload stays signed in.
    /// Off unless the host page asks: by default the token lives in memory only.
    pub remember: bool,
    /// The business's time zone (an IANA name such as `Europe/London`), whose wall clock the codes'
    /// dates are on; `None`, the browser's own (see [`super::ClientContext::now`]).
    pub time_zone: Option<String>,
    /// Whether single keys act (`/` and `n` on the list, `p`, `e`, `s` and `r` on a code). On
    /// unless the host page turns them off: someone using speech input, whose words arrive as
    /// keys, may need to (WCAG 2.1.4).
    pub shortcuts: bool,
}

/// The languages the widget's text is written in, the first its fallback.
const WRITTEN_IN: [&str; 1] = ["en"];

impl Options {
    /// Options for the API at `api_base`: no business yet, the bare code in the QR code, 8-character
    /// codes, Nexudus's limits.
    pub fn new(api_base: impl Into<String>) -> Self {
        Self {
            api_base: api_base.into(),
            business_id: None,
            qr: QrContent::Code,
            network: None,
            code_style: CodeStyle::default(),
            pacer: Pacer::nexudus(),
            headers: Vec::new(),
            roles: None,
            mode: Mode::Console,
            subject: None,
            validity: Preset::OneDay,
            theme: None,
            lang: "en".to_owned(),
            remember: false,
            time_zone: None,
            shortcuts: true,
        }
    }

    /// The language the widget's text is in, for its `lang` attribute: the one asked for when the
    /// text is written in it (a regional tag such as `en-GB` is kept), English otherwise. Only
    /// English is written so far, and text marked with the page's language would be read aloud by a
    /// screen reader with that language's voice and rules.
    pub fn text_lang(&self) -> &str {
        let primary = self.lang.split('-').next().unwrap_or_default();
        if WRITTEN_IN.iter().any(|w| primary.eq_ignore_ascii_case(w)) {
            &self.lang
        } else {
            WRITTEN_IN[0]
        }
    }

    /// Whether the widget must be drawn again to follow `next`: it shows or does something else.
    /// The theme, the language and the declared roles apply to what is on screen as it is, and the
    /// pacer belongs to the client, which `next` does not replace.
    pub fn redraws(&self, next: &Self) -> bool {
        let Self {
            api_base,
            business_id,
            qr,
            network,
            code_style,
            pacer: _,
            headers,
            roles: _,
            mode,
            subject,
            validity,
            theme: _,
            lang: _,
            remember,
            time_zone,
            shortcuts,
        } = self;
        (api_base, business_id, qr, network, code_style, headers)
            != (
                &next.api_base,
                &next.business_id,
                &next.qr,
                &next.network,
                &next.code_style,
                &next.headers,
            )
            || (mode, subject, validity, remember, time_zone, shortcuts)
                != (
                    &next.mode,
                    &next.subject,
                    &next.validity,
                    &next.remember,
                    &next.time_zone,
                    &next.shortcuts,
                )
    }

    /// Takes from `next` what applies to the widget as it stands (see [`Self::redraws`]); whether
    /// that changed anything.
    pub fn apply_in_place(&mut self, next: &Self) -> bool {
        let changed =
            (self.theme, &self.lang, &self.roles) != (next.theme, &next.lang, &next.roles);
        self.theme = next.theme;
        self.lang.clone_from(&next.lang);
        self.roles.clone_from(&next.roles);
        changed
    }

    /// Without single-key shortcuts (see [`Options::shortcuts`]).
    pub fn without_shortcuts(mut self) -> Self {
        self.shortcuts = false;
        self
    }

    /// A client for these options: their API, pacer and headers, no credentials yet.
    pub fn client(&self) -> Client {
        self.headers.iter().fold(
            Client::new(&self.api_base).with_pacer(self.pacer.clone()),
            |c, (name, value)| c.with_header(name, value),
        )
    }

    /// The widget's purpose: the console, one booking's code, or one code for its visitor.
    pub fn with_mode(mut self, mode: Mode, subject: Option<Subject>) -> Self {
        self.mode = mode;
        self.subject = subject;
        self
    }

    /// Dates on the wall clock of `zone`, an IANA name such as `Europe/London`.
    pub fn with_time_zone(mut self, zone: &str) -> Self {
        self.time_zone = Some(zone.to_owned());
        self
    }

    /// Issue codes for this business.
    pub fn with_business(mut self, id: i64) -> Self {
        self.business_id = Some(id);
        self
    }

    /// What the QR code holds.
    pub fn with_qr(mut self, qr: QrContent) -> Self {
        if let QrContent::Join {
            ssid, passphrase, ..
        } = &qr
        {
            self.network = Some(Network {
                ssid: ssid.clone(),
                password: passphrase.clone(),
            });
        }
        self.qr = qr;
        self
    }

    /// A QR code that joins this open guest network.
    pub fn with_guest_network(self, ssid: &str) -> Self {
        self.with_qr(QrContent::Join {
            ssid: ssid.to_owned(),
            security: Security::Open,
            passphrase: None,
            hidden: false,
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

    /// Reads the options from a host element's `data-*` attributes: `data-api-base`, … (see
    /// [`Self::from_settings`] for the names without `data-`).
    pub fn from_attributes(get: impl Fn(&str) -> Option<String>) -> Self {
        Self::from_settings(|name| get(&format!("data-{name}")))
    }

    /// Reads the options by name, as a `<wifi-desk>` element's attributes or `mount`'s options
    /// give them: `api-base` (default `/api`), `business-id`, `mode` (`console`, `booking`,
    /// `visitor`), `booking-guid`, `visitor-guid`, `token-id`, `ssid`, `security` (`open`, `wpa`,
    /// `wep`, and the names routers give them: see [`Security::parse`]), `wifi-password`,
    /// `hidden-ssid` (`true` for a network that hides its name), `qr` (`join`, `portal`, `code`), `portal-url` (with `{code}`), `code-style`
    /// (`visitor` for 5 digits), `validity` (a preset: `1h`, `4h`, `eod`, `1d`, `1w`, `2w`),
    /// `roles` (separated by spaces or commas), `theme` (`light`, `dark`), `lang`, `remember`
    /// (`session` keeps the token in `sessionStorage`), `time-zone` (the business's, an IANA
    /// name such as `Europe/London`), and `shortcuts` (`off`: no single-key shortcuts). Values
    /// that cannot be read are ignored.
    pub fn from_settings(get: impl Fn(&str) -> Option<String>) -> Self {
        let text = |name: &str| {
            get(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        // A network's name and password are as given: spaces around them are theirs (WPA allows
        // them), and a phone joins nothing with them dropped.
        let exact = |name: &str| get(name).filter(|v| !v.trim().is_empty());
        // Keywords (`dark`, `session`, `WPA2`…) are read whatever their case.
        let word = |name: &str| text(name).map(|v| v.to_ascii_lowercase());
        let mut options = Self::new(text("api-base").unwrap_or_else(|| "/api".to_owned()));
        if let Some(id) = text("business-id").and_then(|v| v.parse().ok()) {
            options = options.with_business(id);
        }
        let portal = text("portal-url").filter(|t| t.contains("{code}"));
        // WPA, WPA2 and WPA3 join alike. A password alone means a protected network, and so
        // does one beside a word not known: taken for open, the password would be dropped from
        // every voucher and QR code, and nobody could join.
        let password = exact("wifi-password");
        let security = match word("security").and_then(|w| Security::parse(&w)) {
            Some(security) => security,
            None if password.is_some() => Security::Wpa,
            None => Security::Open,
        };
        let hidden = matches!(word("hidden-ssid").as_deref(), Some("true" | "yes" | "1"));
        options.network = exact("ssid").map(|ssid| Network {
            ssid,
            password: password.filter(|_| security != Security::Open),
        });
        let wanted = word("qr").unwrap_or_default();
        options.qr = match (wanted.as_str(), portal, &options.network) {
            ("code", _, _) => QrContent::Code,
            ("join", _, Some(network)) | ("", None, Some(network)) => QrContent::Join {
                ssid: network.ssid.clone(),
                security,
                passphrase: network.password.clone(),
                hidden,
            },
            (_, Some(template), _) => QrContent::Portal { template },
            _ => QrContent::Code,
        };
        if word("code-style").as_deref() == Some("visitor") {
            options = options.with_code_style(CodeStyle::VISITOR);
        }
        if let Some(roles) = text("roles") {
            options = options.with_roles(
                roles
                    .split([' ', ','])
                    .filter(|r| !r.is_empty())
                    .map(str::to_owned),
            );
        }
        let subject = text("booking-guid")
            .map(Subject::Booking)
            .or_else(|| text("visitor-guid").map(Subject::Visitor))
            .or_else(|| {
                text("token-id")
                    .and_then(|v| v.parse().ok())
                    .map(Subject::Token)
            });
        let mode = text("mode")
            .filter(|m| !m.trim().is_empty())
            .map_or(Mode::default(), |m| {
                Mode::parse(&m).unwrap_or(Mode::Unknown)
            });
        options = options.with_mode(mode, subject);
        if let Some(preset) = word("validity").and_then(|v| Preset::parse(&v)) {
            options.validity = preset;
        }
        options.theme = match word("theme").as_deref() {
            Some("light") => Some(Theme::Light),
            Some("dark") => Some(Theme::Dark),
            _ => None,
        };
        if let Some(lang) = text("lang") {
            options.lang = lang;
        }
        options.remember = word("remember").as_deref() == Some("session");
        options.time_zone = text("time-zone");
        options.shortcuts = word("shortcuts").as_deref() != Some("off");
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
    fn only_what_the_widget_shows_or_does_draws_it_again() {
        let base = [("data-business-id", "1001"), ("data-ssid", "Guest")];
        let now = read(&base);
        let with = |pair: (&'static str, &'static str)| {
            let mut pairs = base.to_vec();
            pairs.push(pair);
            read(&pairs)
        };
        for in_place in [
            ("data-theme", "dark"),
            ("data-lang", "fr"),
            ("data-roles", "AccessToken-List"),
        ] {
            assert!(
                !now.redraws(&with(in_place)),
                "{in_place:?} applies in place"
            );
        }
        for redrawn in [
            ("data-mode", "visitor"),
            ("data-token-id", "7"),
            ("data-api-base", "https://x.example/api"),
            ("data-wifi-password", "secret"),
            ("data-code-style", "visitor"),
            ("data-validity", "1w"),
            ("data-remember", "session"),
            ("data-shortcuts", "off"),
        ] {
            assert!(now.redraws(&with(redrawn)), "{redrawn:?} draws it again");
        }
        assert!(now.redraws(&read(&base[..1])), "another network");
        assert!(!now.redraws(&read(&base)), "the same options");
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
        assert!(o.shortcuts, "single keys act unless turned off");
        assert!(!read(&[("data-shortcuts", "OFF")]).shortcuts);
        assert!(read(&[("data-shortcuts", "on")]).shortcuts);
        assert_eq!(read(&[("data-business-id", "many")]).business_id, None);
        assert_eq!(read(&[]).mode, Mode::Console);
        assert_eq!(read(&[("data-mode", " ")]).mode, Mode::Console);
        assert_eq!(read(&[("data-mode", "vistor")]).mode, Mode::Unknown);
        let booking = read(&[
            ("data-mode", "booking"),
            ("data-booking-guid", "b-1"),
            ("data-validity", "4h"),
        ]);
        assert_eq!(
            (booking.mode, booking.subject, booking.validity),
            (
                Mode::Booking,
                Some(Subject::Booking("b-1".into())),
                Preset::FourHours
            )
        );
        let visitor = read(&[("data-mode", "Visitor"), ("data-token-id", "42")]);
        assert_eq!(
            (visitor.mode, visitor.subject),
            (Mode::Visitor, Some(Subject::Token(42)))
        );
        let wpa = read(&[
            ("data-ssid", "Lab"),
            ("data-security", "WPA"),
            ("data-wifi-password", "p;w"),
        ]);
        assert_eq!(wpa.qr.payload("A"), "WIFI:T:WPA;S:Lab;P:p\\;w;;");
        let bare = read(&[
            ("data-ssid", "Lab"),
            ("data-wifi-password", "pw"),
            ("data-qr", "code"),
        ]);
        assert_eq!(bare.qr, QrContent::Code, "asked for the bare code");
        assert_eq!(
            bare.network,
            Some(Network {
                ssid: "Lab".into(),
                password: Some("pw".into())
            }),
            "the network still named on the voucher"
        );
        assert!(!read(&[]).remember, "memory only unless asked");
        let join = |pairs: &[(&str, &str)]| {
            let mut all = vec![("data-ssid", "Lab")];
            all.extend_from_slice(pairs);
            read(&all).qr.payload("A")
        };
        assert_eq!(
            join(&[("data-security", "WPA2"), ("data-wifi-password", "pw")]),
            "WIFI:T:WPA;S:Lab;P:pw;;"
        );
        assert_eq!(
            join(&[("data-wifi-password", "pw")]),
            "WIFI:T:WPA;S:Lab;P:pw;;",
            "a password alone means a protected network"
        );
        assert_eq!(
            join(&[("data-security", "open"), ("data-wifi-password", "pw")]),
            "WIFI:T:nopass;S:Lab;;"
        );
        for router in ["psk2", "SAE", "WPA2-PSK"] {
            assert_eq!(
                join(&[("data-security", router), ("data-wifi-password", "pw")]),
                "WIFI:T:WPA;S:Lab;P:pw;;",
                "{router}"
            );
        }
        assert_eq!(
            join(&[("data-security", "wap2"), ("data-wifi-password", "pw")]),
            "WIFI:T:WPA;S:Lab;P:pw;;",
            "a word not known, beside a password, does not drop it"
        );
        let wep = read(&[
            ("data-ssid", "Lab"),
            ("data-security", "WEP"),
            ("data-wifi-password", "k"),
            ("data-hidden-ssid", "True"),
        ]);
        assert_eq!(wep.qr.payload("A"), "WIFI:T:WEP;S:Lab;P:k;H:true;;");
        assert_eq!(
            wep.network.and_then(|n| n.password).as_deref(),
            Some("k"),
            "the key on the voucher"
        );
        let spaced = read(&[
            ("data-ssid", "Guest "),
            ("data-wifi-password", " pass word "),
        ]);
        assert_eq!(
            spaced.qr.payload("A"),
            "WIFI:T:WPA;S:Guest ;P: pass word ;;",
            "a network's name and password as given"
        );
        assert_eq!(
            join(&[("data-wifi-password", "  ")]),
            "WIFI:T:nopass;S:Lab;;",
            "a blank password is none"
        );
        let shouted = read(&[
            ("data-theme", "Dark"),
            ("data-remember", "Session"),
            ("data-code-style", "VISITOR"),
        ]);
        assert_eq!(
            (shouted.theme, shouted.remember, shouted.code_style),
            (Some(Theme::Dark), true, CodeStyle::VISITOR),
            "keywords in any case"
        );
        let lang = |asked: &str| read(&[("data-lang", asked)]).text_lang().to_owned();
        assert_eq!(read(&[]).text_lang(), "en");
        assert_eq!(
            lang("en-GB"),
            "en-GB",
            "a region of a written language is kept"
        );
        assert_eq!(lang("EN"), "EN");
        assert_eq!(
            lang("de"),
            "en",
            "the text is English, whatever the page's language"
        );
        assert_eq!(lang("eng"), "en");
        assert_eq!(lang(""), "en");
        assert!(read(&[("data-remember", "session")]).remember);
        assert_eq!(
            read(&[]).time_zone,
            None,
            "the browser's clock unless named"
        );
        let zoned = read(&[("data-time-zone", " Europe/London ")]);
        assert_eq!(zoned.time_zone.as_deref(), Some("Europe/London"));
        assert!(
            read(&[]).redraws(&zoned),
            "every date shown follows the zone"
        );
        assert_eq!(read(&[("data-theme", "dark")]).theme, Some(Theme::Dark));
        // Keywords in any case, as the README says.
        assert_eq!(read(&[("data-theme", "DARK")]).theme, Some(Theme::Dark));
        for (typed, preset) in [("EOD", Preset::EndOfDay), (" 1W ", Preset::OneWeek)] {
            assert_eq!(
                read(&[("data-validity", typed)]).validity,
                preset,
                "{typed}"
            );
        }
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
