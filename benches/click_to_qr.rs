//! Click-to-QR benchmark: how long a receptionist waits from pressing "Issue code" to the new code's
//! QR code on screen, in a release build signed in to a sandbox, against a baseline in the same run:
//! the request no page can do without, creating the code, sent with `fetch` from the same page, and
//! nothing else. The widget's time holds all it does besides: the client's checks and its pacing
//! under Nexudus's limits, JSON, drawing the detail and encoding the QR code. Twice: on
//! loopback, and with every answer 100 ms late (the sandbox's `slow=` fault), as from a server
//! across the internet. Alternating runs; prints the medians, their spread and the ratio, and
//! asserts only that each QR code is the code just issued. Run it with `bash scripts/bench-qr.sh`.

#![cfg(target_arch = "wasm32")]

#[path = "../tests/common/mod.rs"]
mod common;

use common::*;
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::Element;
use wifi_desk::api::{AccessToken, Client};
use wifi_desk::domain::{code, reading};

wasm_bindgen_test_configure!(run_in_browser);

const WARM_UP: usize = 2;
/// Timed runs of each side, `WIFI_DESK_BENCH_RUNS` when given.
const RUNS: Option<&str> = option_env!("WIFI_DESK_BENCH_RUNS");
/// The answers' delay in the second round, in milliseconds.
const DISTANT_MS: u32 = 100;
/// Before each timed run, longer than the pacer's spacing, so neither side waits for the requests
/// of the run before (a person takes longer than this between two codes).
const PAUSE_MS: u32 = 400;

#[wasm_bindgen(inline_js = r#"
export function now() { return performance.now(); }

// Resolves with performance.now() at the first change of the DOM under root after which selector
// matches: the moment the element is in the document.
export function appeared(root, selector) {
    return new Promise(resolve => {
        const observer = new MutationObserver(() => {
            if (root.querySelector(selector)) {
                observer.disconnect();
                resolve(performance.now());
            }
        });
        observer.observe(root, { childList: true, subtree: true, attributes: true });
    });
}

// The request behind issuing one code, sent as plainly as a page can: the time from sending it to
// having read the answer's body.
export async function bare(api, bearer, body, fault) {
    const start = performance.now();
    const headers = { "Authorization": "Bearer " + bearer };
    if (fault) headers["X-Sandbox-Fault"] = fault;
    const created = await fetch(api + "/spaces/accesstokens", {
        method: "POST",
        headers: { ...headers, "Content-Type": "application/json" },
        body,
    });
    const id = (await created.json()).Value.Id;
    return { ms: performance.now() - start, id };
}
"#)]
extern "C" {
    fn now() -> f64;
    fn appeared(root: &Element, selector: &str) -> js_sys::Promise;
    fn bare(api: &str, bearer: &str, body: &str, fault: Option<String>) -> js_sys::Promise;
}

fn say(line: &str) {
    web_sys::console::log_1(&line.into());
}

fn median(times: &mut [f64]) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// One code through the widget: from the press of "Issue code" on the form to its QR code drawn.
async fn through_the_widget(root: &Element) -> f64 {
    let code = open_issue_form(root).await;
    TimeoutFuture::new(PAUSE_MS).await;
    let shown = JsFuture::from(appeared(root, "[role=img] svg"));
    let start = now();
    button(root, "Issue code").click();
    let end = shown.await.unwrap().as_f64().unwrap();
    let grouped = reading::grouped(&code, 4);
    assert_eq!(qr_name(root), joining_qr_name(&grouped));
    button(root, "Back to list").click();
    wait_for(root, "the list", |r| input(r, "Search").is_some()).await;
    end - start
}

/// The same create with `fetch`, asking for `fault` if any.
async fn bare_requests(bearer: &str, fault: Option<String>) -> f64 {
    let token = AccessToken {
        business_id: Some(1001),
        access_code: code::generate(Default::default()),
        minutes_included: 60,
        minutes_left: 60,
        user_limit: Some(1),
        ..AccessToken::default()
    };
    // The body the client sends: the record without the fields the server sets.
    let mut body = serde_json::to_value(&token).unwrap();
    if let serde_json::Value::Object(fields) = &mut body {
        fields.retain(|name, _| !AccessToken::SERVER_SET_FIELDS.contains(&name.as_str()));
    }
    let body = body.to_string();
    TimeoutFuture::new(PAUSE_MS).await;
    let done = JsFuture::from(bare(&api_base(), bearer, &body, fault))
        .await
        .unwrap();
    let id = js_sys::Reflect::get(&done, &"id".into()).unwrap();
    assert!(id.as_f64().is_some_and(|id| id > 0.0), "created: {id:?}");
    js_sys::Reflect::get(&done, &"ms".into())
        .unwrap()
        .as_f64()
        .unwrap()
}

/// One round: the console signed in with `fault` on each request (none on loopback), the runs
/// alternating between it and plain `fetch`.
async fn round(name: &str, fault: Option<String>, runs: usize) {
    let options = match &fault {
        Some(fault) => desk().with_header("X-Sandbox-Fault", fault),
        None => desk(),
    };
    let root = console_as(options, "reception@example.com").await;
    let client = Client::new(&api_base());
    client
        .sign_in("reception@example.com", "wifi-desk", None)
        .await
        .unwrap();
    let bearer = client.bearer_token().unwrap();

    let (mut widget, mut plain) = (Vec::new(), Vec::new());
    for run in 0..WARM_UP + runs {
        let (w, p) = if run % 2 == 0 {
            let w = through_the_widget(&root).await;
            (w, bare_requests(&bearer, fault.clone()).await)
        } else {
            let p = bare_requests(&bearer, fault.clone()).await;
            (through_the_widget(&root).await, p)
        };
        if run >= WARM_UP {
            widget.push(w);
            plain.push(p);
        }
    }
    root.remove();
    let spread = |t: &[f64]| {
        let (lo, hi) = t
            .iter()
            .fold((f64::MAX, 0f64), |(lo, hi), &x| (lo.min(x), hi.max(x)));
        format!("{lo:.1}–{hi:.1}")
    };
    let (w_spread, p_spread) = (spread(&widget), spread(&plain));
    let (w, p) = (median(&mut widget), median(&mut plain));
    say(&format!(
        "click to QR, {name}, median of {runs}: wifi-desk {w:.1} ms ({w_spread}), the create \
         alone with fetch {p:.1} ms ({p_spread}); ratio {:.2}; the widget's own part {:.1} ms",
        w / p,
        w - p
    ));
}

#[wasm_bindgen_test]
async fn click_to_qr() {
    let runs: usize = RUNS.map_or(15, |r| r.parse().expect("WIFI_DESK_BENCH_RUNS is a count"));
    round("loopback", None, runs).await;
    round(
        &format!("answers {DISTANT_MS} ms late"),
        Some(format!("slow={DISTANT_MS}")),
        runs,
    )
    .await;
}
