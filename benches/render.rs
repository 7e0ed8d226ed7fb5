//! Rendering benchmark: the code table's 1000 rows as the widget renders them (`TokenRows`, release
//! build) against a plain-JavaScript page that builds the same rows with DOM calls, in the same
//! headless Chromium run. Both get the same 1000 records and format their own texts (grouped code,
//! dates, minutes, status, "In use now"); each run is timed from just before building to after the
//! rows are in the document and a layout is forced. Prints the medians of alternating runs, their
//! spread and the ratio; asserts only that both tables hold the same 1000 rows.
//! Run it with `bash scripts/bench-render.sh`.

#![cfg(target_arch = "wasm32")]

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDateTime, Timelike};
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};
use wifi_desk::api::{AccessToken, Client};
use wifi_desk::domain::code::CodeStyle;
use wifi_desk::ui::{clock, ClientContext, Options, Selection, TokenRows};
use wifi_desk_wire::WallClock;

wasm_bindgen_test_configure!(run_in_browser);

const ROWS: usize = 1000;
const WARM_UP: usize = 3;
/// Timed runs of each side, `WIFI_DESK_BENCH_RUNS` when given.
const RUNS: Option<&str> = option_env!("WIFI_DESK_BENCH_RUNS");
/// Between runs, so each starts on a settled page.
const PAUSE_MS: u32 = 50;
/// Never contacted: `TokenRows` sends no request.
const API: &str = "http://127.0.0.1:9/api";

#[wasm_bindgen(inline_js = r#"
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const HOUR = 3600000;
const READ_WHOLE = 6;
const FEW_MINUTES = 15;
const IN_USE_MINUTES = 15;

// Wall-clock times travel as milliseconds of a naive date-time (read with the UTC getters).
function wallNow() {
    const d = new Date();
    return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds());
}
function two(n) { return n < 10 ? "0" + n : "" + n; }
function short(ms) {
    const d = new Date(ms);
    return d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + ", " + two(d.getUTCHours()) + ":" + two(d.getUTCMinutes());
}
function grouped(code, group) {
    const chars = Array.from(code);
    if (group === 0 || chars.length <= READ_WHOLE) return code;
    // As even as they can be, the longer first (reading::grouped).
    const count = Math.ceil(chars.length / group);
    const size = Math.floor(chars.length / count), longer = chars.length % count;
    const parts = [];
    for (let n = 0, at = 0; n < count; n++) {
        const end = at + size + (n < longer ? 1 : 0);
        parts.push(chars.slice(at, end).join(""));
        at = end;
    }
    return parts.join(" ");
}
function status(t, now) {
    const metered = t.included > 0;
    if (t.to !== null && t.to <= now) return "expired";
    if (metered && t.left <= 0) return "used-up";
    if (t.from !== null && t.from > now) return "scheduled";
    if ((t.to !== null && t.to - now <= HOUR) || (metered && t.left <= FEW_MINUTES)) return "expiring-soon";
    return "active";
}
const LABELS = { "scheduled": "Scheduled", "active": "Active", "expiring-soon": "Expiring soon", "used-up": "Used up", "expired": "Expired" };
const ICONS = { "scheduled": "\u25f7", "active": "\u25cf", "expiring-soon": "\u25d4", "used-up": "\u25cb", "expired": "\u2715" };

function cell(tr, text) {
    const td = document.createElement("td");
    td.textContent = text;
    tr.appendChild(td);
}

export function prepare(json, selected) {
    return { records: JSON.parse(json), selected: new Set(selected) };
}

// The page a developer would write by hand: the same table, one row per record, with a listener
// on each checkbox and code button.
export function renderPlain(host, data, group, onOpen) {
    const now = wallNow();
    const selected = data.selected;
    const table = document.createElement("table");
    table.className = "wd-table";
    const tbody = document.createElement("tbody");
    for (const t of data.records) {
        const s = status(t, now);
        const code = grouped(t.code, group);
        const tr = document.createElement("tr");
        tr.setAttribute("class", "wd-row wd-status-" + s);

        const pick = document.createElement("td");
        pick.setAttribute("class", "wd-pick");
        const box = document.createElement("input");
        box.setAttribute("type", "checkbox");
        box.setAttribute("aria-label", "Select " + code);
        box.checked = selected.has(t.id);
        box.addEventListener("change", () => {
            if (box.checked) selected.add(t.id); else selected.delete(t.id);
        });
        pick.appendChild(box);
        tr.appendChild(pick);

        const th = document.createElement("th");
        th.setAttribute("scope", "row");
        const button = document.createElement("button");
        button.setAttribute("class", "wd-code-link");
        button.setAttribute("type", "button");
        button.setAttribute("data-id", String(t.id));
        button.textContent = code;
        button.addEventListener("click", () => onOpen(t.id));
        th.appendChild(button);
        tr.appendChild(th);

        cell(tr, t.description === null ? "" : t.description);

        const minutes = document.createElement("td");
        if (t.included > 0) {
            const bar = document.createElement("progress");
            bar.setAttribute("max", "" + t.included);
            bar.setAttribute("value", "" + Math.max(t.left, 0));
            bar.setAttribute("aria-hidden", "true");
            minutes.appendChild(bar);
            minutes.appendChild(document.createTextNode(" " + t.left + " of " + t.included));
        } else {
            minutes.textContent = "No limit";
        }
        tr.appendChild(minutes);

        cell(tr, t.from === null ? "\u2014" : short(t.from));
        cell(tr, t.to === null ? "Until used up" : short(t.to));
        cell(tr, "" + (t.limit === null ? 1 : t.limit));
        let last = "Never";
        if (t.last !== null) {
            last = Math.trunc((now - t.last) / 60000) < IN_USE_MINUTES ? "In use now" : short(t.last);
        }
        cell(tr, last);

        const state = document.createElement("td");
        const icon = document.createElement("span");
        icon.setAttribute("aria-hidden", "true");
        icon.textContent = ICONS[s];
        state.appendChild(icon);
        state.appendChild(document.createTextNode(" " + LABELS[s]));
        tr.appendChild(state);

        tbody.appendChild(tr);
    }
    table.appendChild(tbody);
    host.appendChild(table);
}

export function now() { return performance.now(); }
"#)]
extern "C" {
    type PlainData;
    fn prepare(json: &str, selected: Vec<f64>) -> PlainData;
    #[wasm_bindgen(js_name = renderPlain)]
    fn render_plain(host: &HtmlElement, data: &PlainData, group: usize, on_open: &JsValue);
    fn now() -> f64;
}

/// Picks from `list` by a cheap deterministic mix of `i`, so neighbouring rows differ.
fn pick<T: Copy>(list: &[T], i: usize, salt: usize) -> T {
    list[(i * 7919 + salt * 104_729) % list.len()]
}

/// The 1000 records both sides render, and the ids selected. Dates are whole minutes around
/// `anchor` (now), at least 5 minutes from every status boundary, so both sides' clocks agree on
/// every status for the length of the benchmark.
fn records(anchor: NaiveDateTime) -> (Vec<AccessToken>, BTreeMap<i64, AccessToken>) {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    const NAMES: &[&str] = &[
        "Ada Lovelace",
        "Zoë Kowalski",
        "Room 4 workshop",
        "Café guests",
        "Dr. Nakamura (board)",
        "Jürgen & team",
        "Delivery",
        "Hot desk, 2nd floor",
    ];
    let minutes = |m: i64| WallClock::new(anchor + Duration::minutes(m));
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let tokens: Vec<AccessToken> = (0..ROWS)
        .map(|i| {
            let length = match i % 10 {
                0 | 5 => 5,
                7 => 10,
                _ => 8,
            };
            let access_code: String = (0..length)
                .map(|_| {
                    if length == 5 {
                        char::from(b'0' + (next() % 10) as u8)
                    } else {
                        char::from(ALPHABET[(next() % ALPHABET.len() as u64) as usize])
                    }
                })
                .collect();
            let included = pick(&[0, 30, 60, 120, 240, 1440], i, 1);
            let left = if included == 0 {
                0
            } else {
                included - (next() % (included as u64 + 20)) as i64
            };
            AccessToken {
                id: 100_000 - i as i64,
                access_code,
                description: pick(&[None, Some(0), Some(1), Some(2), Some(3), Some(4)], i, 2)
                    .map(|k| format!("{} {}", NAMES[(k + i) % NAMES.len()], i + 1)),
                minutes_included: included,
                minutes_left: left,
                valid_from: pick(
                    &[
                        None,
                        Some(-3000),
                        Some(-600),
                        Some(-130),
                        Some(-20),
                        Some(25),
                    ],
                    i,
                    3,
                )
                .map(minutes),
                valid_to: pick(
                    &[
                        None,
                        Some(-2000),
                        Some(-25),
                        Some(35),
                        Some(100),
                        Some(1500),
                    ],
                    i,
                    4,
                )
                .map(minutes),
                user_limit: pick(&[None, Some(1), Some(2), Some(5)], i, 5),
                last_access: pick(&[None, Some(-1), Some(-8), Some(-40), Some(-2000)], i, 6)
                    .map(minutes),
                updated_on: Some(minutes(-(i as i64))),
                ..AccessToken::default()
            }
        })
        .collect();
    let selected = tokens
        .iter()
        .step_by(37)
        .map(|t| (t.id, t.clone()))
        .collect();
    (tokens, selected)
}

/// The records as the plain page receives them: naive wall-clock times in milliseconds.
fn as_json(tokens: &[AccessToken]) -> String {
    let ms = |w: Option<WallClock>| w.map(|w| w.local().and_utc().timestamp_millis());
    let rows: Vec<Value> = tokens
        .iter()
        .map(|t| {
            json!({
                "id": t.id,
                "code": t.access_code,
                "description": t.description,
                "included": t.minutes_included,
                "left": t.minutes_left,
                "from": ms(t.valid_from),
                "to": ms(t.valid_to),
                "limit": t.user_limit,
                "last": ms(t.last_access),
            })
        })
        .collect();
    Value::Array(rows).to_string()
}

/// A fresh element in the document to render into.
fn fresh_host() -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    host
}

/// What a table showed, for comparing the two sides.
struct Shown {
    rows: usize,
    /// Each row's markup, without the comments Leptos uses as markers.
    markup: Vec<String>,
    /// Each checkbox's state: a property, not in the markup.
    checked: Vec<bool>,
}

fn shown(host: &Element) -> Shown {
    let rows = host.query_selector_all("tbody > tr").unwrap();
    let mut markup = Vec::new();
    for i in 0..rows.length() {
        let row: Element = rows.item(i).unwrap().unchecked_into();
        let mut html = row.outer_html();
        while let Some(start) = html.find("<!--") {
            let end = html[start..]
                .find("-->")
                .map_or(html.len(), |e| start + e + 3);
            html.replace_range(start..end, "");
        }
        markup.push(html);
    }
    let boxes = host.query_selector_all("input[type=checkbox]").unwrap();
    let checked = (0..boxes.length())
        .map(|i| {
            boxes
                .item(i)
                .unwrap()
                .unchecked_into::<HtmlInputElement>()
                .checked()
        })
        .collect();
    Shown {
        rows: rows.length() as usize,
        markup,
        checked,
    }
}

/// One side's run: the time to build and mount the rows, the time until a forced layout is done
/// (both from the same start, in ms), and what the table showed.
struct Run {
    built: f64,
    laid_out: f64,
    shown: Shown,
}

/// Renders the widget's rows into a fresh element of the page, then removes them.
fn run_widget(tokens: Vec<AccessToken>, selected: BTreeMap<i64, AccessToken>) -> Run {
    let host = fresh_host();
    let client = Client::new(API);
    let options = Options::new(API).with_code_style(CodeStyle::default());
    let started = now();
    let handle = leptos::mount::mount_to(host.clone(), move || {
        ClientContext::provide(client, options);
        let selection: Selection = RwSignal::new(selected);
        let tokens = Signal::from(RwSignal::new(tokens));
        let on_open = Callback::new(|_id: i64| {});
        view! {
            <table class="wd-table"><tbody><TokenRows tokens selection on_open /></tbody></table>
        }
    });
    let built = now() - started;
    let _ = host.offset_height();
    let laid_out = now() - started;
    let shown = shown(&host);
    drop(handle);
    host.remove();
    Run {
        built,
        laid_out,
        shown,
    }
}

/// Renders the plain page's rows into a fresh element of the page, then removes them.
fn run_plain(data: &PlainData, on_open: &JsValue) -> Run {
    let host = fresh_host();
    let group = CodeStyle::default().group();
    let started = now();
    render_plain(&host, data, group, on_open);
    let built = now() - started;
    let _ = host.offset_height();
    let laid_out = now() - started;
    let shown = shown(&host);
    host.remove();
    Run {
        built,
        laid_out,
        shown,
    }
}

/// Times of one kind, sorted.
struct Times(Vec<f64>);

impl Times {
    fn of(runs: &[Run], time: fn(&Run) -> f64) -> Self {
        let mut times: Vec<f64> = runs.iter().map(time).collect();
        times.sort_by(f64::total_cmp);
        Self(times)
    }

    fn median(&self) -> f64 {
        let (t, n) = (&self.0, self.0.len());
        if n % 2 == 1 {
            t[n / 2]
        } else {
            (t[n / 2 - 1] + t[n / 2]) / 2.0
        }
    }

    /// The value below which a fraction `q` of the times lie, by nearest rank.
    fn quantile(&self, q: f64) -> f64 {
        self.0[((self.0.len() as f64 - 1.0) * q).round() as usize]
    }

    fn spread(&self) -> String {
        format!(
            "min {:.1}, quartiles {:.1}–{:.1}, max {:.1} ms",
            self.0[0],
            self.quantile(0.25),
            self.quantile(0.75),
            self.0[self.0.len() - 1]
        )
    }
}

fn say(line: &str) {
    web_sys::console::log_1(&line.into());
}

/// Fails unless both sides showed `ROWS` rows with the same markup and checkbox states.
fn same_table(widget: &Shown, plain: &Shown, run: usize) {
    assert_eq!(
        (widget.rows, plain.rows),
        (ROWS, ROWS),
        "rows in run {run} (wifi-desk, plain JS)"
    );
    if let Some(i) = (0..ROWS).find(|&i| widget.markup[i] != plain.markup[i]) {
        panic!(
            "row {i} differs in run {run}:\n  wifi-desk: {}\n  plain JS:  {}",
            widget.markup[i], plain.markup[i]
        );
    }
    if let Some(i) = (0..ROWS).find(|&i| widget.checked[i] != plain.checked[i]) {
        panic!("row {i}'s checkbox differs in run {run}");
    }
}

#[wasm_bindgen_test]
async fn render_1000_rows() {
    let anchor = clock::now().with_second(0).unwrap();
    let (tokens, selected) = records(anchor);
    let data = prepare(
        &as_json(&tokens),
        selected.keys().map(|&id| id as f64).collect(),
    );
    let on_open = Closure::<dyn Fn(f64)>::new(|_id: f64| {}).into_js_value();
    let runs: usize = RUNS.map_or(15, |r| {
        r.parse().expect("WIFI_DESK_BENCH_RUNS is a whole number")
    });

    let mut widget_runs = Vec::new();
    let mut plain_runs = Vec::new();
    for run in 0..WARM_UP + runs {
        // Alternate which side goes first, so neither always meets a freshly collected heap.
        let (widget, plain) = if run % 2 == 0 {
            let w = run_widget(tokens.clone(), selected.clone());
            TimeoutFuture::new(PAUSE_MS).await;
            (w, run_plain(&data, &on_open))
        } else {
            let p = run_plain(&data, &on_open);
            TimeoutFuture::new(PAUSE_MS).await;
            (run_widget(tokens.clone(), selected.clone()), p)
        };
        same_table(&widget.shown, &plain.shown, run);
        if run >= WARM_UP {
            widget_runs.push(widget);
            plain_runs.push(plain);
        }
        TimeoutFuture::new(PAUSE_MS).await;
    }

    let widget = Times::of(&widget_runs, |r| r.laid_out);
    let plain = Times::of(&plain_runs, |r| r.laid_out);
    let widget_built = Times::of(&widget_runs, |r| r.built);
    let plain_built = Times::of(&plain_runs, |r| r.built);
    say(&format!(
        "render {ROWS} rows: wifi-desk {:.1} ms, plain JS {:.1} ms (median of {runs}), ratio {:.2}",
        widget.median(),
        plain.median(),
        widget.median() / plain.median()
    ));
    say(&format!("  wifi-desk {}", widget.spread()));
    say(&format!("  plain JS  {}", plain.spread()));
    say(&format!(
        "  of which building the rows, before layout: wifi-desk {:.1} ms, plain JS {:.1} ms, ratio {:.2}",
        widget_built.median(),
        plain_built.median(),
        widget_built.median() / plain_built.median()
    ));
    say(&format!(
        "  both: {ROWS} rows with the same markup (Leptos's marker comments aside) and checkbox \
         states in every run; {WARM_UP} warm-up runs each, then {runs} each, alternating; texts \
         formatted by each side"
    ));
}
