//! The release bundle, served by the sandbox with Nexudus's real limits, used in headless Chromium
//! over WebDriver as a receptionist would: keyboard only. Screenshots go to `docs/screenshots/`.
//!
//! Needs `dist/` (`trunk build --release --offline`) and Debian's chromium and chromium-driver;
//! `scripts/test.sh` provides all three.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use tokio::process::{Child, Command};
use wifi_desk_sandbox::{Config, Limits, Sandbox};

const ENTER: &str = "\u{E007}";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn dist() -> PathBuf {
    let dist = std::env::var_os("WIFI_DESK_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("dist"));
    assert!(
        dist.join("index.html").exists(),
        "no bundle in {}: run `trunk build --release --offline` first (scripts/test.sh does)",
        dist.display()
    );
    dist
}

/// A chromedriver child process and a WebDriver session on headless Chromium; both end on drop.
struct Browser {
    client: Client,
    _driver: Child,
    _profile: PathBuf,
}

impl Browser {
    async fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver =
            Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into()))
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .kill_on_drop(true)
                .spawn()
                .expect(
                    "chromedriver runs (apt-get install chromium-driver; scripts/setup.sh does)",
                );
        let url = format!("http://127.0.0.1:{port}");
        for _ in 0..100 {
            if reqwest::get(format!("{url}/status")).await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile =
            std::env::temp_dir().join(format!("wifi-desk-e2e-{}-{port}", std::process::id()));
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--window-size=1024,768",
                    format!("--user-data-dir={}", profile.display()),
                ]
            }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&url)
            .await
            .expect("a WebDriver session on headless Chromium");
        Self {
            client,
            _driver: driver,
            _profile: profile,
        }
    }

    /// Polls every 10 ms until the page's text contains `text`, for at most 15 s.
    async fn wait_for_text(&self, text: &str) -> String {
        let mut shown = String::new();
        for _ in 0..1500 {
            if let Ok(body) = self.client.find(Locator::Css("body")).await {
                shown = body.text().await.unwrap_or_default();
                if shown.contains(text) {
                    return shown;
                }
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("waited 15 s for {text:?}; the page shows {shown:?}");
    }

    async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        let dir = workspace().join("docs/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), png).unwrap();
    }

    /// Types into whatever has the focus, as a keyboard would.
    async fn type_keys(&self, keys: &str) {
        self.client
            .active_element()
            .await
            .unwrap()
            .send_keys(keys)
            .await
            .unwrap();
    }

    /// Presses one key on whatever has the focus (the Actions API: any element, not only inputs).
    async fn press(&self, key: char) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        self.client.perform_actions(keys).await.unwrap();
    }

    async fn focused_name(&self) -> String {
        let el = self.client.active_element().await.unwrap();
        el.attr("name").await.unwrap().unwrap_or_default()
    }
}

async fn sandbox() -> Sandbox {
    let config = Config {
        dist: Some(dist()),
        seed: 20,
        limits: Limits::nexudus(),
        ..Config::default()
    };
    Sandbox::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receptionist_signs_in_with_the_keyboard_and_sees_the_count() {
    let sandbox = sandbox().await;
    let browser = Browser::start().await;
    let c = &browser.client;
    c.goto(&format!("{}/", sandbox.url())).await.unwrap();
    browser
        .wait_for_text("Use your Nexudus email and password.")
        .await;
    browser.screenshot("01-sign-in.png").await;

    // Keyboard only: the email field has the focus; type, Tab, type, Enter.
    assert_eq!(
        browser.focused_name().await,
        "email",
        "the form starts in the email field"
    );
    browser.type_keys("admin@example.com\u{E004}").await;
    assert_eq!(browser.focused_name().await, "password");
    browser.type_keys(&format!("not-it{ENTER}")).await;
    browser
        .wait_for_text("That email and password do not match an account.")
        .await;
    browser.screenshot("02-wrong-password.png").await;

    let password = c.find(Locator::Css("input[name=password]")).await.unwrap();
    password.clear().await.unwrap();
    password
        .send_keys(&format!("wifi-desk{ENTER}"))
        .await
        .unwrap();
    let shown = browser.wait_for_text("Page 1 of").await;
    assert!(shown.contains("Signed in as admin@example.com"), "{shown}");
    assert_eq!(
        browser.focused_name().await,
        "search",
        "the list starts in Search"
    );
    // The count on screen is what the sandbox holds.
    let status = c
        .find(Locator::Css("[role=status]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let total: usize = status
        .strip_suffix(" codes")
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in {status:?}"));
    assert!(
        (15..=20).contains(&total),
        "seeded 20 (a repeated code is skipped), shown {total}"
    );
    browser.screenshot("03-signed-in.png").await;

    // The token never reaches the URL or storage.
    let url = c.current_url().await.unwrap();
    assert!(url.query().is_none() && url.fragment().is_none(), "{url}");
    let stored = c
        .execute(
            "return localStorage.length + sessionStorage.length + document.cookie.length;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(stored, serde_json::json!(0));

    // Issue a code without the mouse: Enter on the button, type, Enter.
    let issue = c
        .find(Locator::XPath("//button[normalize-space()='Issue code']"))
        .await
        .unwrap();
    issue.send_keys(ENTER).await.unwrap();
    browser.wait_for_text("Issue a code").await;
    assert_eq!(
        browser.focused_name().await,
        "Description",
        "the form starts at the description"
    );
    let code = c
        .find(Locator::Css("input[name=AccessCode]"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap();
    browser
        .type_keys(&format!("Visitor — Grace Hopper{ENTER}"))
        .await;
    let grouped = format!("{} {}", &code[..4], &code[4..]);
    browser
        .wait_for_text(&format!("Enter the code {grouped}."))
        .await;
    let qr = c.find(Locator::Css("[role=img]")).await.unwrap();
    assert_eq!(
        qr.attr("aria-label").await.unwrap().as_deref(),
        Some(format!("QR code for access code {grouped}").as_str())
    );
    browser.screenshot("04-issued.png").await;

    // Escape goes back to the list, where the new code is first.
    browser.press('\u{E00C}').await;
    browser.wait_for_text("Page 1 of").await;
    let first = c
        .find(Locator::Css("tbody tr th"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(first, grouped, "newest first");
    browser.screenshot("05-list.png").await;

    c.find(Locator::XPath("//button[normalize-space()='Sign out']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait_for_text("Use your Nexudus email and password.")
        .await;
    assert_eq!(
        browser.focused_name().await,
        "email",
        "signed out, back at the first field"
    );
    c.clone().close().await.unwrap();
}
