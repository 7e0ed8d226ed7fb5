//! The release bundle, served by the sandbox with Nexudus's real limits, used in headless Chromium
//! over WebDriver as a receptionist would: keyboard only. Screenshots go to `docs/screenshots/`.
//! Every screen it reaches is scanned with axe-core for WCAG 2.1 A and AA violations.
//!
//! Needs `dist/` (`trunk build --release --offline`), Debian's chromium and chromium-driver, and
//! npm's axe-core in `node_modules/`; `scripts/test.sh` provides all four.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::OnceLock;
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
        for _ in 0..1500 {
            if self
                .client
                .find_all(Locator::Css(css))
                .await
                .is_ok_and(|found| !found.is_empty())
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("waited 15 s for {css}");
    }

    /// Polls every 10 ms until nothing matches `css`, for at most 15 s.
    async fn wait_until_gone(&self, css: &str) {
        for _ in 0..1500 {
            if self
                .client
                .find_all(Locator::Css(css))
                .await
                .is_ok_and(|found| found.is_empty())
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("waited 15 s for {css} to go");
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
        .wait_for_text(&format!("Enter the code {grouped}."))
        .await;
    let qr = c.find(Locator::Css("[role=img]")).await.unwrap();
    assert_eq!(
        qr.attr("aria-label").await.unwrap().as_deref(),
        Some(format!("QR code for access code {grouped}").as_str())
    );
    browser.screenshot("04-issued.png").await;
    assert_accessible(c, "a code's detail").await;

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
        .wait_for_text(&format!("Enter the code {grouped}."))
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
    count.send_keys(&format!("20{ENTER}")).await.unwrap();
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
    c.find(Locator::Css("#wd-sheet-layout"))
        .await
        .unwrap()
        .select_by_value("receipt")
        .await
        .unwrap();
    browser.wait_for_css(".wd-sheet-receipt").await;
    browser.press('\u{E00C}').await;
    browser.wait_for_text("Page 1 of").await;

    // Find the batch, select it, and run a command on all of it.
    browser.type_keys("Conference").await;
    browser.wait_for_text("20 matches").await;
    c.find(Locator::Css("#wd-status-filter"))
        .await
        .unwrap()
        .select_by_value("effective")
        .await
        .unwrap();
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
    c.find(Locator::Css("#wd-command"))
        .await
        .unwrap()
        .select_by_value("EXTEND_ONE_DAY")
        .await
        .unwrap();
    browser.screenshot("08-selection.png").await;
    assert_accessible(c, "the bulk bar").await;
    click_button(c, "Run command").await;
    browser
        .wait_for_text("Extend validity by one day: 20 done, 0 failed.")
        .await;

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
    c.clone().close().await.unwrap();
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
