//! What the QR code holds: a `WIFI:` string that joins the guest network, a captive-portal login
//! URL with the code in it, or the bare code. Rendered as SVG by the `qrcode` crate.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// How the guest network is secured, as the `WIFI:` join string names it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Security {
    /// An open network; the code is typed at the captive portal.
    #[default]
    Open,
    /// WPA/WPA2/WPA3 with a network passphrase.
    Wpa,
    /// WEP with a key.
    Wep,
}

impl Security {
    /// The `T:` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "nopass",
            Self::Wpa => "WPA",
            Self::Wep => "WEP",
        }
    }

    /// Reads the names routers and their documentation give: `open`, `nopass`, `none` and `owe`
    /// (Enhanced Open, no passphrase); `wpa…` with any version or suffix (`WPA2-PSK`, `WPA3`),
    /// `psk…` (`psk2`, OpenWrt's name for WPA2 Personal) and `sae…` (WPA3 Personal), which phones
    /// join as WPA; and `wep`, whatever their case. `None` for any other word.
    pub fn parse(word: &str) -> Option<Self> {
        let word = word.trim().to_ascii_lowercase();
        match word.as_str() {
            "open" | "nopass" | "none" | "owe" => Some(Self::Open),
            "wep" => Some(Self::Wep),
            _ if ["wpa", "psk", "sae"].iter().any(|p| word.starts_with(p)) => Some(Self::Wpa),
            _ => None,
        }
    }
}

/// What the QR code shown with an access code contains.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QrContent {
    /// Joins the guest network; the visitor then types the code at the portal.
    Join {
        /// Network name.
        ssid: String,
        /// Security.
        security: Security,
        /// Network passphrase, for WPA, or key, for WEP.
        passphrase: Option<String>,
        /// Whether the network hides its name: a phone then looks for it by name.
        hidden: bool,
    },
    /// Opens the captive portal's login page; `{code}` in the template is replaced by the code.
    Portal {
        /// e.g. `https://portal.example.com/login?code={code}`.
        template: String,
    },
    /// The code itself.
    Code,
}

impl QrContent {
    /// The text the QR code encodes for `code`.
    pub fn payload(&self, code: &str) -> String {
        match self {
            Self::Join {
                ssid,
                security,
                passphrase,
                hidden,
            } => wifi_join(ssid, *security, passphrase.as_deref(), *hidden),
            Self::Portal { template } => portal_url(template, code),
            Self::Code => code.to_owned(),
        }
    }

    /// The QR code's accessible name: what scanning it does, and the code (as `grouped` for
    /// reading) it goes with. A QR code that joins the network does not hold the code.
    pub fn name(&self, grouped: &str) -> String {
        match self {
            Self::Join { ssid, .. } => format!(
                "QR code to join the WiFi network “{ssid}”, then enter access code {grouped}"
            ),
            Self::Portal { .. } => {
                format!("QR code to open the WiFi login page with access code {grouped}")
            }
            Self::Code => format!("QR code for access code {grouped}"),
        }
    }
}

/// Escapes `\ ; , : "` with a backslash, as the `WIFI:` format requires. A name or password of
/// hex digits alone ("12345678") is not put in double quotes, though ZXing's description of the
/// format suggests it: iPhones then take the quotes as part of it and cannot join.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | ';' | ',' | ':' | '"') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `WIFI:T:…;S:…;P:…;H:true;;`, the string phone cameras offer to join: the passphrase for a
/// protected network, `H:true` for a hidden one.
pub fn wifi_join(ssid: &str, security: Security, passphrase: Option<&str>, hidden: bool) -> String {
    let mut join = format!("WIFI:T:{};S:{};", security.as_str(), escape(ssid));
    if let (Security::Wpa | Security::Wep, Some(pass)) = (security, passphrase) {
        join.push_str(&format!("P:{};", escape(pass)));
    }
    if hidden {
        join.push_str("H:true;");
    }
    join.push(';');
    join
}

/// Characters left as they are in a URL component: RFC 3986's unreserved ones.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The login URL with the code percent-encoded wherever `{code}` stands.
pub fn portal_url(template: &str, code: &str) -> String {
    template.replace("{code}", &utf8_percent_encode(code, COMPONENT).to_string())
}

/// The QR code of `payload` as an SVG document (medium error correction, quiet zone included).
/// It holds only the squares' geometry: no text of the payload.
pub fn svg(payload: &str) -> Result<String, String> {
    let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M)
        .map_err(|e| format!("the QR code cannot hold this: {e}"))?;
    Ok(code
        .render::<svg::Color<'_>>()
        .min_dimensions(192, 192)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build())
}

#[cfg(test)]
mod tests {
    use qrcode::Color;

    use super::*;

    /// Reads a QR code back as a phone would, from its modules.
    fn decode(payload: &str) -> String {
        let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M).unwrap();
        let width = code.width();
        let colors = code.to_colors();
        let (scale, quiet) = (4, 4);
        let size = (width + 2 * quiet) * scale;
        read_image(size, |x, y| {
            let (mx, my) = (x / scale, y / scale);
            let inside =
                (quiet..quiet + width).contains(&mx) && (quiet..quiet + width).contains(&my);
            inside && colors[(my - quiet) * width + (mx - quiet)] == Color::Dark
        })
    }

    /// Reads the one QR code in a square image `size` pixels wide, dark where `dark` says.
    fn read_image(size: usize, dark: impl Fn(usize, usize) -> bool) -> String {
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(size, size, |x, y| {
            if dark(x, y) {
                0
            } else {
                255
            }
        });
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1);
        grids[0].decode().unwrap().1
    }

    #[test]
    fn join_strings_escape_what_the_format_reserves() {
        assert_eq!(
            wifi_join("Guest", Security::Open, None, false),
            "WIFI:T:nopass;S:Guest;;"
        );
        assert_eq!(
            wifi_join(
                r#"Café; "Hub", 2:B\C"#,
                Security::Wpa,
                Some("p;a,s:s"),
                false
            ),
            r#"WIFI:T:WPA;S:Café\; \"Hub\"\, 2\:B\\C;P:p\;a\,s\:s;;"#
        );
        assert_eq!(
            wifi_join("Guest", Security::Wpa, None, false),
            "WIFI:T:WPA;S:Guest;;"
        );
        assert_eq!(
            wifi_join("Guest", Security::Wep, Some("k:1"), true),
            r"WIFI:T:WEP;S:Guest;P:k\:1;H:true;;"
        );
        assert_eq!(
            wifi_join("Guest", Security::Open, Some("unused"), true),
            "WIFI:T:nopass;S:Guest;H:true;;"
        );
        // Hex digits alone are written as they are: quoted, iPhones would keep the quotes.
        assert_eq!(
            wifi_join("CAFE", Security::Wpa, Some("12345678"), false),
            "WIFI:T:WPA;S:CAFE;P:12345678;;"
        );
        assert_eq!(
            wifi_join("Cafe 2025", Security::Wpa, Some("2025-guest"), false),
            "WIFI:T:WPA;S:Cafe 2025;P:2025-guest;;"
        );
    }

    #[test]
    fn security_is_read_in_the_words_routers_use() {
        for (word, security) in [
            ("open", Some(Security::Open)),
            ("NoPass", Some(Security::Open)),
            ("none", Some(Security::Open)),
            ("OWE", Some(Security::Open)),
            ("WPA", Some(Security::Wpa)),
            ("wpa2-psk", Some(Security::Wpa)),
            ("WPA3", Some(Security::Wpa)),
            ("psk2", Some(Security::Wpa)),
            ("SAE", Some(Security::Wpa)),
            (" wep ", Some(Security::Wep)),
            ("wap2", None),
            ("", None),
        ] {
            assert_eq!(Security::parse(word), security, "{word:?}");
        }
    }

    #[test]
    fn portal_urls_carry_the_code_encoded() {
        let template = "https://portal.example.com/login?code={code}&src=desk";
        assert_eq!(
            portal_url(template, "K7QM3XPD"),
            "https://portal.example.com/login?code=K7QM3XPD&src=desk"
        );
        assert_eq!(
            portal_url(template, "a b&c/é"),
            "https://portal.example.com/login?code=a%20b%26c%2F%C3%A9&src=desk"
        );
        assert_eq!(
            portal_url("https://p.example/{code}/{code}", "A-1"),
            "https://p.example/A-1/A-1"
        );
    }

    #[test]
    fn each_content_gives_its_payload() {
        let join = QrContent::Join {
            ssid: "Guest".into(),
            security: Security::Open,
            passphrase: None,
            hidden: false,
        };
        assert_eq!(join.payload("ABCD"), "WIFI:T:nopass;S:Guest;;");
        let portal = QrContent::Portal {
            template: "https://p.example/?c={code}".into(),
        };
        assert_eq!(portal.payload("ABCD"), "https://p.example/?c=ABCD");
        assert_eq!(QrContent::Code.payload("ABCD"), "ABCD");
    }

    #[test]
    fn the_qr_codes_name_says_what_scanning_it_does_and_names_the_code() {
        let join = QrContent::Join {
            ssid: "Guest WiFi".into(),
            security: Security::Wpa,
            passphrase: Some("secret".into()),
            hidden: false,
        };
        assert_eq!(
            join.name("K7QM 3XPD"),
            "QR code to join the WiFi network “Guest WiFi”, then enter access code K7QM 3XPD"
        );
        let portal = QrContent::Portal {
            template: "https://p.example/?c={code}".into(),
        };
        assert_eq!(
            portal.name("K7QM 3XPD"),
            "QR code to open the WiFi login page with access code K7QM 3XPD"
        );
        assert_eq!(
            QrContent::Code.name("K7QM 3XPD"),
            "QR code for access code K7QM 3XPD"
        );
    }

    #[test]
    fn the_qr_code_reads_back_as_its_payload() {
        for payload in [
            "K7QM3XPD".to_owned(),
            wifi_join("Café; Guest", Security::Wpa, Some("secret,pass"), true),
            portal_url("https://portal.example.com/login?code={code}", "84213"),
        ] {
            assert_eq!(decode(&payload), payload);
        }
    }

    /// Reads the widget's SVG back as a camera would see it drawn: its background, and each
    /// square of its path (`M{x} {y}h{side}v{side}H{x}V{y}`) in the path's fill. Checks the
    /// quiet zone of four modules a reader needs around the symbol.
    fn read_svg(svg: &str) -> String {
        let after = |text: &str| svg.split(text).nth(1).unwrap().split('"').next().unwrap();
        let size: usize = after("width=\"").parse().unwrap();
        assert_eq!(after("<rect x=\"0\" y=\"0\" width=\""), size.to_string());
        assert_eq!(
            after(&format!("height=\"{size}\" fill=\"")),
            "#ffffff",
            "a white background"
        );
        assert_eq!(after("<path fill=\""), "#000000", "black squares");
        let mut dark = vec![false; size * size];
        let (mut first, mut last) = (size, 0);
        for square in after(" d=\"").split('M').filter(|m| !m.is_empty()) {
            let numbers: Vec<usize> = square
                .split(|c: char| !c.is_ascii_digit())
                .filter(|n| !n.is_empty())
                .map(|n| n.parse().unwrap())
                .collect();
            let (x, y, side) = (numbers[0], numbers[1], numbers[2]);
            first = first.min(x.min(y) / side);
            last = last.max((x.max(y) + side) / side);
            for row in y..y + side {
                dark[row * size + x..row * size + x + side].fill(true);
            }
        }
        let side = size / (last + 4);
        assert!(first >= 4 && size - last * side >= 4 * side, "quiet zone");
        read_image(size, |x, y| dark[y * size + x])
    }

    #[test]
    fn the_svg_drawn_reads_back_as_its_payload() {
        let payload = wifi_join("Café; Guest", Security::Wpa, Some("secret,pass"), false);
        assert_eq!(read_svg(&svg(&payload).unwrap()), payload);
    }

    #[test]
    fn svg_is_geometry_only() {
        let svg = svg("K7QM3XPD").unwrap();
        assert!(svg.contains("<svg") && svg.contains("<path"), "{svg}");
        assert!(!svg.contains("K7QM3XPD"), "no payload text in the markup");
        // Compact: all dark modules in one path, not an element per module.
        assert_eq!(svg.matches("<path").count(), 1);
        assert!(svg.matches("<rect").count() <= 1, "a background at most");
        assert!(self::svg(&"x".repeat(3000))
            .unwrap_err()
            .contains("cannot hold"));
    }
}
