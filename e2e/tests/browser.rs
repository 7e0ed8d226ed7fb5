//! The release bundles, served by the sandbox with Nexudus's real limits, used in headless Chromium
//! over WebDriver as a receptionist would: keyboard only. Screenshots go to `target/screenshots/`,
//! or with `WIFI_DESK_UPDATE_SCREENSHOTS=1` to the README's `docs/screenshots/`.
//! Every screen it reaches is scanned with axe-core for WCAG 2.1 A and AA violations.
//!
//! Needs `dist/` (`scripts/build.sh`: the full build and the portal's), Debian's chromium and chromium-driver, and
//! npm's axe-core in `node_modules/`; `scripts/test.sh` provides all four.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::OnceLock;
use std::time::Duration;

use fantoccini::elements::{Element, ShadowRoot};
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
        dist.join("index.html").exists() && dist.join("portal/index.html").exists(),
        "no bundles in {}: run `bash scripts/build.sh` first (scripts/test.sh does)",
        dist.display()
    );
    dist
}

/// A chromedriver child process and a WebDriver session on headless Chromium; both end on drop,
/// with the browser's profile, also when a test fails before closing its session.
struct Browser {
    client: Client,
    driver: Child,
    profile: PathBuf,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.start_kill();
        // Chromium outlives a chromedriver killed before the session was closed; its processes
        // are the ones started with this profile.
        let _ = std::process::Command::new("pkill")
            .arg("-f")
            .arg(format!("user-data-dir={}", self.profile.display()))
            .status();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
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
                    // `gc()`, to show a widget outlives the handle its page dropped.
                    "--js-flags=--expose-gc",
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
            driver,
            profile,
        }
    }

    /// Polls every 10 ms until the page's text contains `text`, for at most 15 s.
    async fn wait_for_text(&self, text: &str) -> String {
        self.wait_for_text_within(text, Duration::from_secs(15))
            .await
    }

    /// Polls every 10 ms until the page's text contains `text`, for at most `limit`.
    async fn wait_for_text_within(&self, text: &str, limit: Duration) -> String {
        let mut shown = String::new();
        for _ in 0..limit.as_millis() / 10 {
            if let Ok(body) = self.client.find(Locator::Css("body")).await {
                shown = body.text().await.unwrap_or_default();
                if shown.contains(text) {
                    return shown;
                }
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("waited {limit:?} for {text:?}; the page shows {shown:?}");
    }

    /// Polls every 10 ms until something matches `css`, for at most 15 s.
    async fn wait_for_css(&self, css: &str) {
        self.wait_until_css(css, true).await;
    }

    /// Polls every 10 ms until nothing matches `css`, for at most 15 s.
    async fn wait_until_gone(&self, css: &str) {
        self.wait_until_css(css, false).await;
    }

    async fn wait_until_css(&self, css: &str, present: bool) {
        for _ in 0..1500 {
            if self
                .client
                .find_all(Locator::Css(css))
                .await
                .is_ok_and(|found| found.is_empty() != present)
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let what = if present { "appear" } else { "go" };
        panic!("waited 15 s for {css} to {what}");
    }

    async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        // Every run's screenshots differ (times, codes): the README's are replaced only when asked.
        let update = std::env::var_os("WIFI_DESK_UPDATE_SCREENSHOTS").is_some_and(|v| v == "1");
        let dir = workspace().join(if update {
            "docs/screenshots"
        } else {
            "target/screenshots"
        });
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

/// The axe-core rule tags the scan holds the widget to: WCAG 2.0 and 2.1, levels A and AA.
const WCAG_TAGS: [&str; 4] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/// axe-core's browser build, as `scripts/setup.sh` installs it from `package.json`.
fn axe_source() -> &'static str {
    static SOURCE: OnceLock<String> = OnceLock::new();
    SOURCE.get_or_init(|| {
        let path = workspace().join("node_modules/axe-core/axe.min.js");
        std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "cannot read {} ({e}): run `bash scripts/setup.sh` to install axe-core from package.json",
                path.display()
            )
        })
    })
}

/// Fails, listing every violation with its rule, help, and each node's selector and markup,
/// unless the page as it is now meets WCAG 2.1 A and AA by axe-core's rules.
async fn assert_accessible(client: &Client, screen: &str) {
    let (version, violations) = axe_violations(client).await;
    assert!(
        violations.is_empty(),
        "{}",
        violation_report(screen, &version, &violations)
    );
    eprintln!("accessibility scan of {screen}: no WCAG 2.1 A or AA violations");
}

/// axe-core's version and its violations of [`WCAG_TAGS`] on the whole page.
///
/// axe goes in through WebDriver's execute, which the page's Content Security Policy does not
/// govern, so the scan works under any CSP.
async fn axe_violations(client: &Client) -> (String, Vec<serde_json::Value>) {
    let present = client
        .execute("return typeof window.axe === 'object';", vec![])
        .await
        .unwrap();
    if present != serde_json::json!(true) {
        client.execute(axe_source(), vec![]).await.unwrap();
    }
    let answer = client
        .execute_async(
            r#"
            const [tags, done] = arguments;
            axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
                .then((r) => done(JSON.stringify({
                    version: axe.version,
                    violations: r.violations.map((v) => ({
                        id: v.id,
                        impact: v.impact,
                        help: v.help,
                        helpUrl: v.helpUrl,
                        nodes: v.nodes.map((n) => ({
                            target: n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : String(t))),
                            html: n.html,
                            summary: n.failureSummary || '',
                        })),
                    })),
                })))
                .catch((e) => done(JSON.stringify({ error: String((e && e.stack) || e) })));
            "#,
            vec![serde_json::json!(WCAG_TAGS)],
        )
        .await
        .unwrap();
    let answer: serde_json::Value =
        serde_json::from_str(answer.as_str().expect("axe answers a JSON string")).unwrap();
    if let Some(error) = answer.get("error") {
        panic!(
            "axe-core could not scan the page: {}",
            error.as_str().unwrap_or_default()
        );
    }
    let version = answer["version"].as_str().unwrap_or("?").to_owned();
    (
        version,
        answer["violations"].as_array().cloned().unwrap_or_default(),
    )
}

/// axe-core's violations as a list a person can fix from: rule, impact, help and its page, then
/// each failing node's selector, a short piece of its markup and what axe found wrong.
fn violation_report(screen: &str, version: &str, violations: &[serde_json::Value]) -> String {
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
    let mut out = format!(
        "accessibility scan of {screen}: {} WCAG 2.1 A/AA violation(s) (axe-core {version}, tags {})\n",
        violations.len(),
        WCAG_TAGS.join(", ")
    );
    for (i, v) in violations.iter().enumerate() {
        out += &format!(
            "\n{}. {} ({}): {}\n   {}\n",
            i + 1,
            text(&v["id"]),
            text(&v["impact"]),
            text(&v["help"]),
            text(&v["helpUrl"])
        );
        for node in v["nodes"].as_array().into_iter().flatten() {
            let target: Vec<String> = node["target"]
                .as_array()
                .into_iter()
                .flatten()
                .map(text)
                .collect();
            out += &format!("   - {}\n", target.join(", "));
            out += &format!("     {}\n", snippet(&text(&node["html"]), 160));
            for line in text(&node["summary"])
                .lines()
                .filter(|l| !l.trim().is_empty())
            {
                out += &format!("     {}\n", line.trim_end());
            }
        }
    }
    out
}

/// `html` on one line, cut to at most `max` characters.
fn snippet(html: &str, max: usize) -> String {
    let line = html.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line,
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
    assert_accessible(c, "the sign-in form").await;

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
    assert_accessible(c, "the sign-in form with a wrong password").await;

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
    assert_accessible(c, "the code list").await;

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
    assert_accessible(c, "the issue form").await;
    browser
        .type_keys(&format!("Visitor — Grace Hopper{ENTER}"))
        .await;
    let grouped = format!("{} {}", &code[..4], &code[4..]);
    browser
        .wait_for_text(&format!("Enter the code {grouped}, without spaces."))
        .await;
    let qr = c.find(Locator::Css("[role=img]")).await.unwrap();
    assert_eq!(
        qr.attr("aria-label").await.unwrap().as_deref(),
        Some(
            format!(
                "QR code to join the WiFi network “Guest WiFi”, then enter access code {grouped}"
            )
            .as_str()
        )
    );
    browser.screenshot("04-issued.png").await;
    assert_accessible(c, "a code's detail").await;

    // Tab reaches Print voucher, and Enter prints the voucher alone; the focus stays on the button.
    catch_print(c, None).await;
    browser.type_keys("\u{E004}").await;
    let on = c.active_element().await.unwrap().text().await.unwrap();
    assert_eq!(on, "Print voucher");
    browser.press('\u{E007}').await;
    let printed = caught_print(c).await;
    let printed_text = printed["text"].as_str().unwrap_or_default();
    assert!(printed_text.contains(&grouped), "printed: {printed}");
    assert!(
        !printed_text.contains("Top up") && !printed_text.contains("Access codes"),
        "the voucher alone: {printed}"
    );
    assert_eq!(printed["sheets"], 1, "the widget's stylesheet: {printed}");
    let still = c.active_element().await.unwrap().text().await.unwrap();
    assert_eq!(still, "Print voucher", "the focus stays where it was");

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

    // Revoking asks first, naming the code, and starts on the choice that keeps it; Escape keeps it.
    c.find(Locator::Css("tbody tr th button"))
        .await
        .unwrap()
        .send_keys(ENTER)
        .await
        .unwrap();
    browser
        .wait_for_text(&format!("Enter the code {grouped}, without spaces."))
        .await;
    c.find(Locator::XPath("//button[normalize-space()='Revoke']"))
        .await
        .unwrap()
        .send_keys(ENTER)
        .await
        .unwrap();
    browser
        .wait_for_text(&format!(
            "Revoke code {grouped}? Visitors using it lose access at once."
        ))
        .await;
    let focused = c.active_element().await.unwrap().text().await.unwrap();
    assert_eq!(
        focused, "Keep it",
        "the confirmation starts on keeping the code"
    );
    assert_accessible(c, "the revoke confirmation").await;
    browser.press('\u{E00C}').await;
    browser.wait_until_gone("[role=alertdialog]").await;
    c.find(Locator::XPath("//button[normalize-space()='Back to list']"))
        .await
        .unwrap()
        .send_keys(ENTER)
        .await
        .unwrap();
    browser.wait_for_text("Page 1 of").await;
    let first = c
        .find(Locator::Css("tbody tr th"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(first, grouped, "kept, not revoked");

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

/// Clicks the button named `name`.
async fn click_button(c: &Client, name: &str) {
    c.find(Locator::XPath(&format!(
        "//button[normalize-space()='{name}']"
    )))
    .await
    .unwrap_or_else(|e| panic!("no button {name}: {e}"))
    .click()
    .await
    .unwrap();
}

/// Picks the option with `value` in the `<select>` that `css` finds.
async fn choose(c: &Client, css: &str, value: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"))
        .select_by_value(value)
        .await
        .unwrap();
}

/// How many pixels wider than the window the page is, 0 when it fits.
async fn overflow(c: &Client) -> serde_json::Value {
    c.execute(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
        vec![],
    )
    .await
    .unwrap()
}

/// Keeps the next file the page offers (through `URL.createObjectURL`) instead of saving it.
async fn catch_download(c: &Client) {
    c.execute(
        "const keep = URL.createObjectURL.bind(URL); window.caught = null; \
         URL.createObjectURL = (blob) => { window.caught = blob; return keep(blob); }; \
         HTMLAnchorElement.prototype.click = function () {};",
        vec![],
    )
    .await
    .unwrap();
}

/// The text of the file the page offered since [`catch_download`].
async fn caught_download(c: &Client) -> String {
    let text = c
        .execute_async(
            "const done = arguments[0]; window.caught ? window.caught.text().then(done) : done(null);",
            vec![],
        )
        .await
        .unwrap();
    text.as_str().expect("a file was offered").to_owned()
}

/// Codes in a CSV export, read back with the csv crate.
fn csv_codes(text: &str) -> Vec<String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(&reader.headers().unwrap()[0], "Code");
    reader.records().map(|r| r.unwrap()[0].to_owned()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receptionist_issues_a_batch_prints_it_filters_selects_and_exports() {
    let sandbox = sandbox().await;
    let browser = Browser::start().await;
    let c = &browser.client;
    c.goto(&format!("{}/", sandbox.url())).await.unwrap();
    browser
        .wait_for_text("Use your Nexudus email and password.")
        .await;
    browser
        .type_keys(&format!("admin@example.com\u{E004}wifi-desk{ENTER}"))
        .await;
    browser.wait_for_text("Page 1 of").await;

    // A batch of 20 for a conference, paced at Nexudus's limits (the sandbox enforces them).
    click_button(c, "Issue code").await;
    browser.wait_for_text("Issue a code").await;
    browser.type_keys("Conference — day pass").await;
    let count = c.find(Locator::Css("input[name=Count]")).await.unwrap();
    count.clear().await.unwrap();
    // Enter pressed twice, as a hurried hand does: the second reaches whatever has the focus
    // once the batch has started, and must not cancel it.
    count.send_keys(&format!("20{ENTER}{ENTER}")).await.unwrap();
    browser.wait_for_text("of 20 issued").await;
    assert_accessible(c, "a batch being issued").await;
    let shown = browser
        .wait_for_text_within("Done: 20 of 20 issued.", Duration::from_secs(90))
        .await;
    assert!(!shown.contains("failed"), "{shown}");
    browser.screenshot("06-batch.png").await;
    assert_accessible(c, "a finished batch").await;

    catch_download(c).await;
    click_button(c, "Export CSV").await;
    browser
        .wait_for_text("Exported 20 codes to wifi-desk-codes-")
        .await;
    let batch = csv_codes(&caught_download(c).await);
    assert_eq!(batch.len(), 20, "one row per code of the batch");

    click_button(c, "Print vouchers").await;
    browser.wait_for_text("Vouchers: 20 codes").await;
    let vouchers = c
        .find_all(Locator::Css(".wd-sheet .wd-voucher"))
        .await
        .unwrap();
    assert_eq!(vouchers.len(), 20);
    browser.screenshot("07-voucher-sheet.png").await;
    assert_accessible(c, "a sheet of vouchers").await;
    // What each layout's print frame holds, to print on paper of its own size (below).
    let a4 = printed_sheet(c).await;
    choose(c, "#wd-sheet-layout", "receipt").await;
    browser.wait_for_css(".wd-sheet-receipt").await;
    assert_accessible(c, "a sheet of receipts").await;
    let receipt = printed_sheet(c).await;
    // Escape leaves the sheet for the batch, and the batch for the list.
    browser.press('\u{E00C}').await;
    browser.wait_for_text("Done: 20 of 20 issued.").await;
    browser.press('\u{E00C}').await;
    browser.wait_for_text("Page 1 of").await;

    // Find the batch, select it, and run a command on all of it.
    browser.type_keys("Conference").await;
    browser.wait_for_text("20 matches").await;
    choose(c, "#wd-status-filter", "effective").await;
    browser.wait_for_text("Page 1 of 1").await;
    c.find(Locator::Css("input[aria-label='Select all on this page']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser.wait_for_text("20 selected").await;
    // The commands are the server's, asked for once something is selected.
    browser
        .wait_for_css("#wd-command option[value=EXTEND_ONE_DAY]")
        .await;
    choose(c, "#wd-command", "EXTEND_ONE_DAY").await;
    browser.screenshot("08-selection.png").await;
    assert_accessible(c, "the bulk bar").await;
    // On a phone's width the bar and its widest command (with its parameter) fit the screen.
    choose(c, "#wd-command", "EXTEND_HOURS").await;
    browser.wait_for_text("Hours").await;
    c.set_window_size(360, 740).await.unwrap();
    assert_eq!(overflow(c).await, 0, "pixels wider than a 360 px window");
    c.set_window_size(1024, 768).await.unwrap();
    choose(c, "#wd-command", "EXTEND_ONE_DAY").await;
    click_button(c, "Run command").await;
    browser
        .wait_for_text("Extend validity by one day: 20 done, 0 failed.")
        .await;
    assert_accessible(c, "a command's outcome").await;

    // The filtered list, every page of it, as a spreadsheet.
    catch_download(c).await;
    click_button(c, "Export CSV").await;
    browser
        .wait_for_text("Exported 20 codes to wifi-desk-codes-")
        .await;
    let mut listed = csv_codes(&caught_download(c).await);
    let mut issued = batch.clone();
    listed.sort();
    issued.sort();
    assert_eq!(listed, issued, "the export holds the filtered list");

    // The sheets' paper, as Chromium prints their frames: A4 (595 × 842 pt) and a strip 80 mm
    // wide (227 pt), not the browser's default page.
    assert_eq!(paper_of(c, &a4, 190.0).await, (595, 842), "the A4 sheet");
    assert_eq!(
        paper_of(c, &receipt, 74.0).await,
        (227, 842),
        "the receipt strip"
    );
    c.clone().close().await.unwrap();
}

/// The document of the print frame that the sheet's Print vouchers makes.
async fn printed_sheet(c: &Client) -> String {
    catch_print(c, None).await;
    click_button(c, "Print vouchers").await;
    let printed = caught_print(c).await;
    printed["html"]
        .as_str()
        .expect("the frame's document")
        .to_owned()
}

/// A Chrome DevTools command, through chromedriver's `goog/cdp/execute`.
#[derive(Debug)]
struct Cdp(serde_json::Value);

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.0.to_string()))
    }
}

/// The size in points of the first page Chromium prints of `html`, a print frame's document, with
/// the page size its CSS asks for, as the print dialog uses it. The page's document is replaced by
/// it: on the sandbox's origin, whose stylesheet it links, as the frame was. On paper the sheet
/// fits the page's printable width, `printable_mm`, and a passphrase too long for a voucher's
/// width wraps inside it.
async fn paper_of(c: &Client, html: &str, printable_mm: f64) -> (i64, i64) {
    c.execute(
        "document.open(); document.write('<!DOCTYPE html>' + arguments[0]); document.close();",
        vec![html.into()],
    )
    .await
    .unwrap();
    // The stylesheet (an absolute address in the copy) has loaded once the sheet is a grid.
    let mut styled = false;
    for _ in 0..100 {
        let display = c
            .execute(
                "const s = document.querySelector('.wd-sheet'); \
                 return s && getComputedStyle(s).display;",
                vec![],
            )
            .await
            .unwrap();
        if display == "grid" {
            styled = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(styled, "the sheet's stylesheet did not load");
    let emulate = |params: serde_json::Value| {
        Cdp(serde_json::json!({ "cmd": "Emulation.setEmulatedMedia", "params": params }))
    };
    // Printed by a reader who prefers dark.
    let dark = [serde_json::json!({ "name": "prefers-color-scheme", "value": "dark" })];
    c.issue_cmd(emulate(
        serde_json::json!({ "media": "print", "features": dark }),
    ))
    .await
    .unwrap();
    let laid_out = c
        .execute(
            r#"
            for (const steps of document.querySelectorAll('.wd-voucher .wd-steps')) {
                const li = document.createElement('li');
                li.textContent = 'Password: ' + 'k3J9xQ7m'.repeat(8);
                steps.append(li);
            }
            const mm = 96 / 25.4;
            const vouchers = [...document.querySelectorAll('.wd-voucher')];
            const edges = [document.querySelector('.wd-sheet'), ...vouchers]
                .map(e => e.getBoundingClientRect().right);
            const copy = document.querySelector('.wd-print-copy');
            const muted = document.createElement('p');
            muted.className = 'wd-phonetic';
            copy.append(muted);
            return {
                scheme: getComputedStyle(copy).colorScheme,
                background: getComputedStyle(document.body).backgroundColor,
                muted: getComputedStyle(muted).color,
                right: Math.max(...edges) / mm,
                spilling: vouchers.filter(v => v.scrollWidth > v.clientWidth).length,
                vouchers: vouchers.length,
            };
            "#,
            vec![],
        )
        .await
        .unwrap();
    c.issue_cmd(emulate(serde_json::json!({ "media": "", "features": [] })))
        .await
        .unwrap();
    assert!(laid_out["vouchers"].as_u64() > Some(0), "{laid_out}");
    assert_eq!(laid_out["spilling"], 0, "vouchers wider than their box");
    // A reader who prefers dark gets paper's colours: white, and the light theme's grey.
    assert_eq!(
        (
            &laid_out["scheme"],
            &laid_out["background"],
            &laid_out["muted"]
        ),
        (
            &"light".into(),
            &"rgb(255, 255, 255)".into(),
            &"rgb(74, 83, 96)".into()
        ),
        "{laid_out}"
    );
    let right = laid_out["right"].as_f64().unwrap();
    assert!(
        right <= printable_mm + 0.5,
        "the sheet ends {right} mm across"
    );
    let pdf = c
        .issue_cmd(Cdp(serde_json::json!({
            "cmd": "Page.printToPDF",
            "params": { "preferCSSPageSize": true },
        })))
        .await
        .unwrap();
    use base64::Engine;
    let pdf = base64::engine::general_purpose::STANDARD
        .decode(pdf["data"].as_str().expect("a PDF"))
        .unwrap();
    let pdf = String::from_utf8_lossy(&pdf);
    let media = pdf.split("/MediaBox").nth(1).expect("a page");
    let numbers: Vec<f64> = media
        .trim_start()
        .trim_start_matches('[')
        .split(']')
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    match numbers[..] {
        [_, _, width, height] => (width.round() as i64, height.round() as i64),
        _ => panic!("no page size in {media:.40}"),
    }
}

/// The scan is not silent: on a page with known faults, under a Content Security Policy that
/// allows no script at all, it names each rule, selector and piece of markup.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_accessibility_scan_lists_each_violation_under_a_strict_csp() {
    let browser = Browser::start().await;
    let c = &browser.client;
    // No lang on <html>, an image with no text alternative, a button with no name.
    let page = concat!(
        "<!DOCTYPE html><html><head>",
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\">",
        "<title>Faulty voucher</title></head><body><main>",
        "<img src=\"qr.png\"><button type=\"button\"></button>",
        "</main></body></html>"
    );
    c.goto(&format!("data:text/html,{page}")).await.unwrap();
    let inline_ran = c
        .execute(
            "const s = document.createElement('script'); s.textContent = 'window.ran = true;'; \
             document.head.append(s); return window.ran === true;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        inline_ran,
        serde_json::json!(false),
        "the page's CSP is in force"
    );
    let (version, violations) = axe_violations(c).await;
    let report = violation_report("a faulty page", &version, &violations);
    eprintln!("{report}");
    let mut rules: Vec<&str> = violations.iter().filter_map(|v| v["id"].as_str()).collect();
    rules.sort_unstable();
    assert_eq!(
        rules,
        ["button-name", "html-has-lang", "image-alt"],
        "{report}"
    );
    for expected in [
        "a faulty page: 3 WCAG 2.1 A/AA violation(s)",
        "image-alt (critical): Images must have alternative text",
        "   - img\n     <img src=\"qr.png\">\n",
        "   - button\n     <button type=\"button\"></button>\n",
        "Fix any of the following:",
    ] {
        assert!(report.contains(expected), "{expected:?} not in\n{report}");
    }
    c.clone().close().await.unwrap();
}

/// Makes the next print frame under `host`'s shadow root (or the page's body) record what it would
/// print, its text and how many stylesheets it loaded, instead of opening the print dialog.
async fn catch_print(c: &Client, host: Option<&str>) {
    c.execute(
        "const root = arguments[0] ? document.querySelector(arguments[0]).shadowRoot : document.body; \
         window.printed = null; \
         new MutationObserver((records, observer) => { \
             for (const record of records) for (const node of record.addedNodes) { \
                 if (node.tagName !== 'IFRAME') continue; \
                 observer.disconnect(); \
                 node.addEventListener('load', () => { \
                     node.contentWindow.print = () => { const d = node.contentDocument; \
                         window.printed = { text: d.body.textContent, sheets: d.styleSheets.length, \
                             html: d.documentElement.outerHTML }; }; \
                 }, { capture: true }); \
                 return; \
             } \
         }).observe(root, { childList: true, subtree: true });",
        vec![host.into()],
    )
    .await
    .unwrap();
}

/// What the frame `catch_print` watched for printed, within ten seconds.
async fn caught_print(c: &Client) -> serde_json::Value {
    for _ in 0..100 {
        let printed = c.execute("return window.printed;", vec![]).await.unwrap();
        if !printed.is_null() {
            return printed;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("nothing was printed");
}

/// The open shadow root of the element matching `host` on the page.
async fn shadow_of(c: &Client, host: &str) -> ShadowRoot {
    c.find(Locator::Css(host))
        .await
        .unwrap_or_else(|e| panic!("no {host} on the page: {e}"))
        .shadow_root()
        .await
        .unwrap_or_else(|e| panic!("{host} has no open shadow root: {e}"))
}

/// The rendered text of the widget inside `host`'s shadow root (its last element child).
async fn widget_text(c: &Client, host: &str) -> String {
    let text = c
        .execute(
            "const el = document.querySelector(arguments[0]); \
             const widget = el && el.shadowRoot && el.shadowRoot.lastElementChild; \
             return widget ? widget.innerText : '';",
            vec![serde_json::json!(host)],
        )
        .await
        .unwrap();
    text.as_str().unwrap_or_default().to_owned()
}

/// Polls every 10 ms until the widget inside `host` shows `text`, for at most 15 s.
async fn wait_for_widget_text(c: &Client, host: &str, text: &str) -> String {
    let mut shown = String::new();
    for _ in 0..1500 {
        shown = widget_text(c, host).await;
        if shown.contains(text) {
            return shown;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("waited 15 s for {text:?} in {host}; it shows {shown:?}");
}

/// The button named `name` inside a widget's shadow root (CSS only there: WebDriver has no XPath
/// into a shadow root).
async fn shadow_button(root: &ShadowRoot, name: &str) -> Element {
    for button in root.find_all(Locator::Css("button")).await.unwrap() {
        if button.text().await.unwrap_or_default().trim() == name {
            return button;
        }
    }
    panic!("no button {name:?} in the shadow root");
}

/// `getComputedStyle(element)[property]`, as the page's own scripts would read it.
async fn computed_style(c: &Client, element: &Element, property: &str) -> String {
    let value = c
        .execute(
            "return getComputedStyle(arguments[0]).getPropertyValue(arguments[1]);",
            vec![
                serde_json::to_value(element).unwrap(),
                serde_json::json!(property),
            ],
        )
        .await
        .unwrap();
    value.as_str().unwrap_or_default().to_owned()
}

/// Signs in to the widget inside `host` as staff would: email, password, Enter.
async fn sign_in_to_widget(c: &Client, host: &str, email: &str) {
    let root = shadow_of(c, host).await;
    root.find(Locator::Css("input[name=email]"))
        .await
        .unwrap()
        .send_keys(email)
        .await
        .unwrap();
    root.find(Locator::Css("input[name=password]"))
        .await
        .unwrap()
        .send_keys(&format!("wifi-desk{ENTER}"))
        .await
        .unwrap();
}

/// The Content Security Policy violations the browser has reported to the sandbox.
async fn csp_reports(sandbox: &Sandbox) -> Vec<serde_json::Value> {
    reqwest::get(format!("{}/sandbox/csp-reports", sandbox.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// What a host page sees: two `<wifi-desk>` elements on a page with hostile CSS, served under the
/// strict CSP. Staff sign in to each inside its shadow root; the page hears what happened through
/// DOM events that carry no token; the host's CSS stays out while its theme gets in; the page scans
/// clean; and the browser reports no CSP violation, though it reports the one this test then makes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_page_embeds_two_widgets_under_a_strict_csp() {
    const BOOKING: &str = "wifi-desk.host-booking";
    const CONSOLE: &str = "wifi-desk.host-console";
    let sandbox = sandbox().await;
    let browser = Browser::start().await;
    let c = &browser.client;
    c.goto(&format!("{}/embed.html", sandbox.url()))
        .await
        .unwrap();
    for host in [BOOKING, CONSOLE] {
        wait_for_widget_text(c, host, "Use your Nexudus email and password.").await;
        // The widget is the shadow root's last element child, after the link to its stylesheet.
        let layout = c
            .execute(
                "const root = document.querySelector(arguments[0]).shadowRoot; \
                 const first = root.firstElementChild; \
                 return [root.mode, first.localName, first.getAttribute('rel'), \
                         new URL(first.href).pathname, root.lastElementChild.className];",
                vec![serde_json::json!(host)],
            )
            .await
            .unwrap();
        assert_eq!(
            layout,
            serde_json::json!(["open", "link", "stylesheet", "/core/wifi-desk.css", ""]),
            "{host}"
        );
    }
    // What the page hears: every wifi-desk:* event that reaches document, with its detail; and
    // every token the widgets are given or send, to show that no event carries one.
    c.execute(
        r#"
        window.heard = [];
        window.tokensSeen = [];
        const listening = new Set();
        const hear = (e) => window.heard.push({
            type: e.type,
            target: e.target && e.target.className,
            detail: JSON.parse(JSON.stringify(e.detail === undefined ? null : e.detail)),
        });
        const dispatch = EventTarget.prototype.dispatchEvent;
        EventTarget.prototype.dispatchEvent = function (event) {
            if (event.type.startsWith('wifi-desk:') && !listening.has(event.type)) {
                listening.add(event.type);
                document.addEventListener(event.type, hear);
            }
            return dispatch.call(this, event);
        };
        const fetch = window.fetch;
        window.fetch = function (input, init) {
            const headers = input instanceof Request ? input.headers : new Headers((init && init.headers) || {});
            const auth = headers.get('Authorization');
            if (auth) { window.tokensSeen.push(auth.replace(/^Bearer /, '')); }
            const url = input instanceof Request ? input.url : String(input);
            return fetch.call(this, input, init).then((response) => {
                if (!url.endsWith('/api/token') || !response.ok) { return response; }
                // Read before the widget gets the answer: it aborts its request once done, which
                // would cut a copy still being read.
                return response.clone().json().then((body) => {
                    for (const key of ['access_token', 'refresh_token']) {
                        if (body[key]) { window.tokensSeen.push(body[key]); }
                    }
                    return response;
                });
            });
        };
        "#,
        vec![],
    )
    .await
    .unwrap();

    // Front desk staff issue the booking's code in the booking widget.
    sign_in_to_widget(c, BOOKING, "reception@example.com").await;
    wait_for_widget_text(c, BOOKING, "This booking has no code yet.").await;
    let booking = shadow_of(c, BOOKING).await;
    shadow_button(&booking, "Issue a code for this booking")
        .await
        .send_keys(ENTER)
        .await
        .unwrap();
    let booking_text = wait_for_widget_text(c, BOOKING, "Enter the code ").await;
    assert!(
        booking_text.contains("Code issued for this booking."),
        "{booking_text}"
    );
    let qr = booking.find(Locator::Css("[role=img]")).await.unwrap();
    let label = qr.attr("aria-label").await.unwrap().unwrap_or_default();
    let grouped = label
        .strip_prefix("QR code to join the WiFi network “Guest WiFi”, then enter access code ")
        .unwrap_or_else(|| panic!("the voucher's QR code is named {label:?}"))
        .to_owned();
    let code: String = grouped.split_whitespace().collect();
    // The page printed as it is (its visitor's Ctrl+P): the widget's print rules leave its voucher
    // where it stands, not placed over the top of the page.
    let placed = c
        .execute(
            "const root = document.querySelector(arguments[0]).shadowRoot; \
             const part = root.querySelector('.wd-printable'); \
             const placed = []; \
             for (const sheet of root.styleSheets) for (const media of sheet.cssRules) { \
                 if (!(media instanceof CSSMediaRule) || !media.media.mediaText.includes('print')) continue; \
                 for (const rule of media.cssRules) { \
                     if (rule.selectorText && part.matches(rule.selectorText) && rule.style.position) \
                         placed.push(rule.selectorText + ': ' + rule.style.position); \
                 } \
             } \
             return placed;",
            vec![serde_json::json!(BOOKING)],
        )
        .await
        .unwrap();
    assert_eq!(
        placed,
        serde_json::json!([]),
        "print rules placing the voucher"
    );
    let shown = booking
        .find(Locator::Css(".wd-voucher .wd-code"))
        .await
        .unwrap()
        .prop("textContent")
        .await
        .unwrap()
        .unwrap_or_default();
    assert_eq!(shown, format!("Access code {grouped}"));

    // Print voucher prints the voucher alone, from a frame the page's policy allows, styled by the
    // widget's stylesheet. The frame's `print` is replaced before it is called: no dialog opens.
    catch_print(c, Some(BOOKING)).await;
    shadow_button(&booking, "Print voucher")
        .await
        .click()
        .await
        .unwrap();
    let printed = caught_print(c).await;
    let printed_text = printed["text"].as_str().unwrap_or_default();
    assert!(printed_text.contains(&grouped), "printed: {printed}");
    assert!(
        !printed_text.contains("Your booking is confirmed") && !printed_text.contains("Extend"),
        "the voucher alone: {printed}"
    );
    assert_eq!(
        printed["sheets"], 1,
        "the widget's stylesheet loaded in the frame"
    );

    let heard = c.execute("return window.heard;", vec![]).await.unwrap();
    let heard = heard.as_array().cloned().unwrap_or_default();
    eprintln!("the page heard {}", serde_json::Value::from(heard.clone()));
    let signed_in: Vec<_> = heard
        .iter()
        .filter(|e| e["type"] == "wifi-desk:signed-in")
        .collect();
    assert_eq!(signed_in.len(), 1, "{heard:?}");
    assert_eq!(
        signed_in[0]["target"], "host-booking",
        "retargeted to the host element"
    );
    assert_eq!(signed_in[0]["detail"]["email"], "reception@example.com");
    let issued: Vec<_> = heard
        .iter()
        .filter(|e| e["type"] == "wifi-desk:issued")
        .collect();
    assert_eq!(issued.len(), 1, "{heard:?}");
    assert_eq!(issued[0]["target"], "host-booking");
    assert_eq!(issued[0]["detail"]["code"], serde_json::json!(code));
    let id = issued[0]["detail"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("detail.id is not a whole number: {:?}", issued[0]));
    // The id is the record's, and the record is this booking's code.
    let record: serde_json::Value = reqwest::Client::new()
        .get(format!("{}/api/spaces/accesstokens/{id}", sandbox.url()))
        .basic_auth("reception@example.com", Some("wifi-desk"))
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(record["AccessCode"], serde_json::json!(code));
    assert_eq!(record["BookingGuid"], "demo-booking-1");

    // Then the console, as an administrator.
    sign_in_to_widget(c, CONSOLE, "admin@example.com").await;
    let console_text = wait_for_widget_text(c, CONSOLE, "Page 1 of").await;
    assert!(
        console_text.contains("Signed in as admin@example.com"),
        "{console_text}"
    );
    assert!(
        console_text.contains(&grouped),
        "the booking's code is in the list"
    );

    // No event the page heard carries a token the widgets were given or sent.
    let heard = c.execute("return window.heard;", vec![]).await.unwrap();
    let tokens = c
        .execute("return window.tokensSeen;", vec![])
        .await
        .unwrap();
    let tokens: Vec<String> = tokens
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t.as_str().map(str::to_owned))
        .collect();
    let distinct: std::collections::HashSet<&String> = tokens.iter().collect();
    assert_eq!(
        distinct.len(),
        4,
        "two sign-ins' access and refresh tokens were seen: {tokens:?}"
    );
    let everything = heard.to_string();
    for token in &tokens {
        assert!(
            token.len() >= 16,
            "a token too short to look for: {token:?}"
        );
        assert!(
            !everything.contains(token.as_str()),
            "an event carries a token: {everything}"
        );
    }
    // Each widget's wifi-desk:ready comes as it starts, before or after the listening above
    // begins, as fast as the page loads: what it did is heard after it, in order.
    let did: Vec<&serde_json::Value> = heard
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["type"] != "wifi-desk:ready")
        .collect();
    let types: Vec<&str> = did.iter().filter_map(|e| e["type"].as_str()).collect();
    assert_eq!(
        types,
        [
            "wifi-desk:signed-in",
            "wifi-desk:issued",
            "wifi-desk:signed-in"
        ],
        "{heard}"
    );
    assert_eq!(did[2]["target"], "host-console");
    assert_eq!(did[2]["detail"]["email"], "admin@example.com");
    // And none is kept where a page could read it later.
    let stored = c
        .execute(
            "return localStorage.length + sessionStorage.length + document.cookie.length;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(stored, serde_json::json!(0));

    // Both widgets in one picture: a taller window, from the top of the page.
    c.set_window_size(1024, 1500).await.unwrap();
    c.execute("window.scrollTo(0, 0);", vec![]).await.unwrap();
    browser.screenshot("09-embedded.png").await;

    // The host's `table { display: none }` stops at the shadow root; its theme passes through.
    let console = shadow_of(c, CONSOLE).await;
    let table = console.find(Locator::Css("table")).await.unwrap();
    assert_eq!(computed_style(c, &table, "display").await, "table");
    assert!(table.is_displayed().await.unwrap());
    // The console has the card's whole width, which holds its table: nothing scrolls sideways.
    let fits = c
        .execute(
            "const card = document.querySelector(arguments[0]).closest('.host-card'); \
             return [arguments[1].getBoundingClientRect().right <= card.getBoundingClientRect().right, \
                     document.documentElement.scrollWidth <= document.documentElement.clientWidth];",
            vec![
                serde_json::json!(CONSOLE),
                serde_json::to_value(&table).unwrap(),
            ],
        )
        .await
        .unwrap();
    assert_eq!(
        fits,
        serde_json::json!([true, true]),
        "the table inside its card, the page not wider than the window"
    );
    let issue = shadow_button(&console, "Issue code").await;
    assert_eq!(
        computed_style(c, &issue, "background-color").await,
        "rgb(106, 27, 154)",
        "--wifi-desk-accent from host.css"
    );
    // The host's `button { color: #c00; font-family: "Comic Sans MS" }` stays out as well.
    assert_ne!(computed_style(c, &issue, "color").await, "rgb(204, 0, 0)");
    let font = computed_style(c, &issue, "font-family").await;
    assert!(!font.contains("Comic Sans"), "{font}");

    // Nothing the page and its two widgets did broke the policy.
    let reports = csp_reports(&sandbox).await;
    assert_eq!(reports, Vec::<serde_json::Value>::new(), "CSP violations");
    eprintln!(
        "CSP violation reports after the embedded run: {}",
        reports.len()
    );

    // The policy and its reporting are live: an inline script is blocked and reported, once.
    let ran = c
        .execute(
            "const s = document.createElement('script'); s.textContent = 'window.inlineRan = true'; \
             document.head.append(s); return typeof window.inlineRan;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(ran, "undefined", "the page's CSP blocks inline script");
    let mut reports = Vec::new();
    for _ in 0..100 {
        reports = csp_reports(&sandbox).await;
        if !reports.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let still = c
        .execute("return typeof window.inlineRan;", vec![])
        .await
        .unwrap();
    assert_eq!(still, "undefined");
    assert_eq!(
        reports.len(),
        1,
        "one report for one inline script: {reports:?}"
    );
    let directive = reports[0]["csp-report"]["violated-directive"]
        .as_str()
        .unwrap_or_default();
    assert!(
        directive.contains("script-src"),
        "the report names script-src: {}",
        reports[0]
    );
    eprintln!("the blocked inline script was reported: {}", reports[0]);

    // Last, because axe itself adds a <style> (its CSSOM preload parses the page's stylesheets in
    // a document of its own), which this policy blocks and reports: those reports are the scan's.
    assert_accessible(c, "a host page embedding two widgets").await;
    let mut scan_reports = Vec::new();
    for _ in 0..30 {
        scan_reports = csp_reports(&sandbox).await.split_off(1);
        if !scan_reports.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    eprintln!("CSP reports caused by the accessibility scan: {scan_reports:?}");
    for report in &scan_reports {
        let report = &report["csp-report"];
        assert!(
            report["effective-directive"] == "style-src-elem"
                && report["blocked-uri"] == "inline"
                && report.get("source-file").is_none(),
            "a violation not from the scan's own stylesheet: {report}"
        );
    }

    // The dark theme meets the same rules (contrast above all): both widgets redraw in it, still
    // signed in, and are scanned again.
    c.execute(
        "for (const sel of arguments) document.querySelector(sel).setAttribute('theme', 'dark');",
        vec![serde_json::json!(BOOKING), serde_json::json!(CONSOLE)],
    )
    .await
    .unwrap();
    for host in [BOOKING, CONSOLE] {
        let mut drawn = serde_json::Value::Null;
        for _ in 0..150 {
            drawn = c
                .execute(
                    "const w = document.querySelector(arguments[0]).shadowRoot \
                         .querySelector('.wifi-desk'); \
                     return w && w.dataset.theme === 'dark' ? getComputedStyle(w).backgroundColor : null;",
                    vec![serde_json::json!(host)],
                )
                .await
                .unwrap();
            if !drawn.is_null() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(drawn, "rgb(21, 24, 29)", "{host} drawn in the dark theme");
    }
    wait_for_widget_text(c, CONSOLE, "Signed in as").await;
    assert_accessible(c, "the two embedded widgets in the dark theme").await;
    // And with the widget's own dark colours, where the page sets none.
    c.execute(
        "for (const sel of arguments) \
             document.querySelector(sel).style.setProperty('--wifi-desk-dark-accent', 'initial');",
        vec![serde_json::json!(BOOKING), serde_json::json!(CONSOLE)],
    )
    .await
    .unwrap();
    let issue = shadow_button(&shadow_of(c, CONSOLE).await, "Issue code").await;
    assert_eq!(
        computed_style(c, &issue, "background-color").await,
        "rgb(111, 177, 255)",
        "the dark theme's own accent"
    );
    assert_accessible(
        c,
        "the two embedded widgets in the widget's own dark colours",
    )
    .await;
    c.clone().close().await.unwrap();
}

/// The booking portal's build (`dist/portal/`, no console): a confirmation page loads it alone, its
/// booking widget issues and shows the booking's code under the strict CSP, and a console asked of
/// it says in a sentence that this build has none.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_booking_page_loads_the_portal_build_without_the_console() {
    const BOOKING: &str = "wifi-desk.host-booking";
    const CONSOLE: &str = "wifi-desk.host-console";
    let sandbox = sandbox().await;
    let browser = Browser::start().await;
    let c = &browser.client;
    c.goto(&format!("{}/portal/", sandbox.url())).await.unwrap();
    wait_for_widget_text(c, BOOKING, "Use your Nexudus email and password.").await;
    sign_in_to_widget(c, BOOKING, "reception@example.com").await;
    wait_for_widget_text(c, BOOKING, "This booking has no code yet.").await;
    let booking = shadow_of(c, BOOKING).await;
    shadow_button(&booking, "Issue a code for this booking")
        .await
        .click()
        .await
        .unwrap();
    let shown = wait_for_widget_text(c, BOOKING, "Enter the code ").await;
    assert!(shown.contains("Code issued for this booking."), "{shown}");
    let qr = booking.find(Locator::Css("[role=img]")).await.unwrap();
    let label = qr.attr("aria-label").await.unwrap().unwrap_or_default();
    assert!(
        label.starts_with("QR code to join the WiFi network “Guest WiFi”, then enter access code "),
        "{label}"
    );
    // On a phone, which is where a visitor opens a booking confirmation, it fits the screen.
    c.set_window_size(360, 740).await.unwrap();
    assert_eq!(overflow(c).await, 0, "pixels wider than a 360 px window");
    // The whole voucher in the picture: a taller window, from the top of the page.
    c.set_window_size(1024, 1200).await.unwrap();
    c.execute("window.scrollTo(0, 0);", vec![]).await.unwrap();
    browser.screenshot("10-portal.png").await;

    // A console on the same page gets a sentence, not a sign-in it could not follow.
    c.execute(
        "const card = document.createElement('section'); card.className = 'host-card'; \
         const desk = document.createElement('wifi-desk'); desk.className = 'host-console'; \
         desk.setAttribute('api-base', '/api'); desk.setAttribute('business-id', '1001'); \
         card.append(desk); document.querySelector('main').append(card);",
        vec![],
    )
    .await
    .unwrap();
    let said = wait_for_widget_text(c, CONSOLE, "the booking and visitor modes only").await;
    assert!(!said.contains("Sign in"), "{said}");

    // What the page downloaded: the portal's WebAssembly and stylesheet, never the full build's.
    let loaded = c
        .execute(
            "return performance.getEntriesByType('resource') \
                 .map((e) => new URL(e.name).pathname) \
                 .filter((p) => p.endsWith('.wasm') || p.endsWith('.css'));",
            vec![],
        )
        .await
        .unwrap();
    let loaded: Vec<&str> = loaded
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p.as_str())
        .collect();
    assert!(
        loaded.contains(&"/portal/core/wifi-desk_bg.wasm")
            && loaded.contains(&"/portal/core/wifi-desk.css"),
        "{loaded:?}"
    );
    assert!(!loaded.contains(&"/core/wifi-desk_bg.wasm"), "{loaded:?}");
    // And it is the smaller of the two builds.
    let size = |path: &str| std::fs::metadata(dist().join(path)).unwrap().len();
    assert!(
        size("portal/core/wifi-desk_bg.wasm") < size("core/wifi-desk_bg.wasm"),
        "the portal's wasm is smaller than the full build's"
    );

    let reports = csp_reports(&sandbox).await;
    assert_eq!(reports, Vec::<serde_json::Value>::new(), "CSP violations");
    // Last: the scan's own stylesheet is reported under this policy (see the embedding test).
    assert_accessible(c, "a booking page with the portal build").await;
    c.clone().close().await.unwrap();
}

/// `mount()` as a host page's own script calls it from the loader: the widget drawn in a shadow
/// root under the strict CSP, styled by the stylesheet beside the loader unless told another, the
/// visitor's code shown; and `unmount()` leaves the page's element as it was.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_pages_script_mounts_and_unmounts_the_widget_with_the_loader() {
    const MOUNTED: &str = "section.host-mounted [data-wifi-desk]";
    let sandbox = sandbox().await;
    let browser = Browser::start().await;
    let c = &browser.client;
    c.goto(&format!("{}/embed.html", sandbox.url()))
        .await
        .unwrap();
    wait_for_widget_text(c, "wifi-desk.host-console", "Use your Nexudus email").await;
    // The page's own module script: it imports the loader the page already loaded, and mounts.
    c.execute(
        "const card = document.createElement('section'); card.className = 'host-mounted'; \
         card.innerHTML = '<p class=\"mine\">The page\\'s own text</p>'; \
         document.querySelector('main').append(card); \
         return import('/wifi-desk.js').then((m) => { \
             window.mounted = m.mount(card, { apiBase: '/api', businessId: 1001 }); \
             return true; \
         });",
        vec![],
    )
    .await
    .unwrap();
    wait_for_widget_text(c, MOUNTED, "Use your Nexudus email and password.").await;
    let link = c
        .execute(
            "const root = document.querySelector(arguments[0]).shadowRoot; \
             return new URL(root.firstElementChild.href).pathname;",
            vec![serde_json::json!(MOUNTED)],
        )
        .await
        .unwrap();
    assert_eq!(link, serde_json::json!("/core/wifi-desk.css"));
    // Styled by it: Sign in is the accent colour, not the browser's grey.
    let root = shadow_of(c, MOUNTED).await;
    let sign_in = shadow_button(&root, "Sign in").await;
    for _ in 0..500 {
        if computed_style(c, &sign_in, "background-color").await == "rgb(11, 92, 173)" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        computed_style(c, &sign_in, "background-color").await,
        "rgb(11, 92, 173)",
        "the loader's stylesheet applies"
    );
    let left = c
        .execute(
            "window.mounted.unmount(); \
             const card = document.querySelector('section.host-mounted'); \
             return [card.children.length, card.firstElementChild.className];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        left,
        serde_json::json!([1, "mine"]),
        "the page's own content alone"
    );

    // A page that does not keep the handle: the browser frees it once nothing refers to it, and
    // the widget stays all the same, until the page takes its element away.
    const KEPT: &str = "section.handle-dropped [data-wifi-desk]";
    c.execute(
        "const card = document.createElement('section'); card.className = 'handle-dropped'; \
         document.querySelector('main').append(card); \
         return import('/wifi-desk.js').then((m) => { \
             m.mount(card, { apiBase: '/api', businessId: 1001 }); \
             return true; \
         });",
        vec![],
    )
    .await
    .unwrap();
    wait_for_widget_text(c, KEPT, "Use your Nexudus email and password.").await;
    for _ in 0..5 {
        c.execute("gc(); return true;", vec![]).await.unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let shown = c
        .execute(
            "const host = document.querySelector(arguments[0]); \
             return host && host.shadowRoot ? host.shadowRoot.textContent : '';",
            vec![serde_json::json!(KEPT)],
        )
        .await
        .unwrap();
    assert!(
        shown
            .as_str()
            .is_some_and(|t| t.contains("Use your Nexudus email")),
        "the widget outlives its handle: {shown}"
    );
    let reports = csp_reports(&sandbox).await;
    assert_eq!(reports, Vec::<serde_json::Value>::new(), "CSP violations");
    // Last: the scan's own stylesheet is reported under this policy (see the embedding test).
    assert_accessible(c, "a page whose script mounted the widget").await;
    c.clone().close().await.unwrap();
}
