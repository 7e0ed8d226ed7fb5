//! Pacing benchmark: issues 100 codes through the client against a sandbox enforcing Nexudus's
//! limits in windows `WIFI_DESK_BENCH_SCALE` times shorter, and prints the achieved write rate as a
//! fraction of the fastest the limits allow, the 409s the client met and absorbed, the 409s that
//! reached the caller, and duplicates. Run it with `bash scripts/bench-pacing.sh`.

#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;
use wifi_desk::api::{AccessToken, ApiError, Client, Field, ListQuery, Pacer};

wasm_bindgen_test_configure!(run_in_browser);

const SANDBOX: &str = match option_env!("WIFI_DESK_BENCH_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:18789",
};
const SCALE: &str = match option_env!("WIFI_DESK_BENCH_SCALE") {
    Some(scale) => scale,
    None => "10",
};
const CODES: usize = 100;

/// The fastest `n` writes can go under the published limits (60 writes per window, 1 request per
/// window/600), worked out from the limits alone, not from the pacer under test.
fn fastest_ms(n: usize, scale: f64) -> f64 {
    let window = 60_000.0 / scale;
    let spacing = 100.0 / scale;
    let full_windows = ((n - 1) / 60) as f64;
    full_windows * window + ((n - 1) % 60) as f64 * spacing
}

/// How many records have codes starting with `run`, and how many of them repeat a code.
async fn created_with(client: &Client, run: &str) -> (usize, usize) {
    let query = ListQuery::new().size(1000).filter(Field::AccessCode, run);
    let page = client.list(&query).await.unwrap();
    let mut codes: Vec<&str> = page
        .records
        .iter()
        .map(|t| t.access_code.as_str())
        .collect();
    let created = codes.len();
    codes.sort_unstable();
    codes.dedup();
    (created, created - codes.len())
}

fn say(line: &str) {
    web_sys::console::log_1(&line.into());
}

#[wasm_bindgen_test]
async fn issue_100_codes_under_the_limits() {
    let scale: u32 = SCALE
        .parse()
        .expect("WIFI_DESK_BENCH_SCALE is a whole number");
    let client = Client::new(&format!("{SANDBOX}/api")).with_pacer(Pacer::nexudus().scaled(scale));
    client
        .sign_in("admin@example.com", "wifi-desk", None)
        .await
        .unwrap();
    let run = format!("BENCH{}", (js_sys::Math::random() * 1e9) as u64);

    let mut reached_caller = 0;
    let mut failed = Vec::new();
    let started = js_sys::Date::now();
    for i in 0..CODES {
        let token = AccessToken {
            business_id: Some(1001),
            access_code: format!("{run}-{i:03}"),
            minutes_included: 60,
            minutes_left: 60,
            ..AccessToken::default()
        };
        match client.create(&token).await {
            Ok(_) => {}
            Err(ApiError::Spent(_)) => reached_caller += 1,
            Err(e) => failed.push(e.detail()),
        }
    }
    let elapsed = js_sys::Date::now() - started;

    let (created, duplicates) = created_with(&client, &run).await;

    let fastest = fastest_ms(CODES, f64::from(scale));
    say(&format!(
        "pacing benchmark: {CODES} creates, Nexudus limits with windows {scale}x shorter"
    ));
    say(&format!(
        "  elapsed {elapsed:.0} ms; fastest the limits allow {fastest:.0} ms"
    ));
    say(&format!(
        "  write rate: {:.3} of the allowed rate",
        fastest / elapsed
    ));
    say(&format!(
        "  409s met and absorbed by the client: {}; 409s reaching the caller: {reached_caller}",
        client.throttled_count()
    ));
    say(&format!(
        "  records created: {created}; duplicates: {duplicates}; failures: {}",
        failed.len()
    ));
    assert!(failed.is_empty(), "creates failed: {failed:?}");
}

/// Two desks signed in as the same person (two tokens, one account's limits), each issuing half
/// the codes at once: each desk's pacer sees only its own requests, so the server refuses what
/// the other desk's spent, and the client waits those 409s out.
#[wasm_bindgen_test]
async fn two_desks_of_one_account_issue_100_codes() {
    let scale: u32 = SCALE
        .parse()
        .expect("WIFI_DESK_BENCH_SCALE is a whole number");
    let run = format!("DESKS{}", (js_sys::Math::random() * 1e9) as u64);
    let desk = || async {
        let client =
            Client::new(&format!("{SANDBOX}/api")).with_pacer(Pacer::nexudus().scaled(scale));
        client
            .sign_in("reception@example.com", "wifi-desk", None)
            .await
            .unwrap();
        client
    };
    let desks = [desk().await, desk().await];
    let started = js_sys::Date::now();
    let issue = |n: usize| {
        let (client, run) = (&desks[n], run.clone());
        async move {
            let mut outcomes = Vec::new();
            for i in 0..CODES / 2 {
                let token = AccessToken {
                    business_id: Some(1001),
                    access_code: format!("{run}-{n}-{i:03}"),
                    minutes_included: 60,
                    minutes_left: 60,
                    ..AccessToken::default()
                };
                outcomes.push(client.create(&token).await);
            }
            (outcomes, js_sys::Date::now() - started)
        }
    };
    let (first, second) = futures::join!(issue(0), issue(1));
    let elapsed = first.1.max(second.1);
    let outcomes: Vec<_> = first.0.into_iter().chain(second.0).collect();
    let throttled = outcomes
        .iter()
        .filter(|o| matches!(o, Err(ApiError::Spent(_))))
        .count();
    let failed: Vec<String> = outcomes
        .iter()
        .filter_map(|o| o.as_ref().err())
        .filter(|e| !matches!(e, ApiError::Spent(_)))
        .map(ApiError::detail)
        .collect();

    let (created, duplicates) = created_with(&desks[0], &run).await;

    let fastest = fastest_ms(CODES, f64::from(scale));
    say(&format!(
        "two desks, one account: {CODES} creates, 50 each at once, windows {scale}x shorter"
    ));
    say(&format!(
        "  elapsed {elapsed:.0} ms (the later desk); fastest the limits allow {fastest:.0} ms; \
         write rate {:.3} of the allowed rate",
        fastest / elapsed
    ));
    say(&format!(
        "  409s met and waited out: {} and {}; creates given up on after waiting: {throttled}",
        desks[0].throttled_count(),
        desks[1].throttled_count()
    ));
    say(&format!(
        "  records created: {created}; duplicates: {}; other failures: {}; each desk done at \
         {:.0} and {:.0} ms",
        duplicates,
        failed.len(),
        first.1,
        second.1
    ));
    assert!(failed.is_empty(), "creates failed: {failed:?}");
    assert_eq!(duplicates, 0, "duplicates");
}
