//! Commands, throttling, CORS, injected faults and serving the widget, over HTTP.

mod common;

use std::time::{Duration, Instant};

use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use wifi_desk_sandbox::{Config, Limits};

async fn run(api: &Api, bearer: &str, command: Value) -> Value {
    let r = api
        .http
        .post(api.url(&format!("{TOKENS}/runcommand")))
        .bearer_auth(bearer)
        .json(&command)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "a command answers 200 even when it fails"
    );
    body(r).await
}

async fn record(api: &Api, bearer: &str, id: i64) -> Value {
    body(
        api.get(&format!("{TOKENS}/{id}"))
            .bearer_auth(bearer)
            .send()
            .await
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn commands_are_listed_and_run() {
    let api = start(unthrottled()).await;
    let admin = api.admin().await;
    let commands: Vec<wifi_desk_wire::Command> = serde_json::from_value(
        body(
            api.get(&format!("{TOKENS}/commands"))
                .bearer_auth(&admin)
                .send()
                .await
                .unwrap(),
        )
        .await,
    )
    .unwrap();
    let keys: Vec<_> = commands.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "EXTEND_ONE_DAY",
            "EXTEND_HOURS",
            "ADD_MINUTES",
            "RESET_MINUTES",
            "EXPIRE_NOW",
            "FORGET_DEVICE"
        ]
    );
    let hours = &commands[1].requires_parameters[0];
    assert_eq!(
        (hours.name.as_str(), hours.r#type.as_str()),
        ("Hours", "int")
    );
    assert!(commands[5].applies_only_to_one_entity);

    let window = json!({"ValidFrom": "2030-01-01T09:00:00Z", "ValidTo": "2030-01-02T09:00:00Z", "MinutesLeft": 10});
    let a = api
        .create(&admin, token_with("CMD-A", window.clone()))
        .await;
    let b = api.create(&admin, token_with("CMD-B", window)).await;

    let ok = run(
        &api,
        &admin,
        json!({"Key": "EXTEND_ONE_DAY", "Ids": [a, b], "Parameters": []}),
    )
    .await;
    assert_eq!(ok["WasSuccessful"], true, "{ok}");
    assert_eq!(
        record(&api, &admin, b).await["ValidTo"],
        "2030-01-03T09:00:00Z"
    );

    // "No end" as .NET's last second stays within four-digit years, which the contract writes.
    let last = json!({"ValidTo": "9999-12-31T23:59:59Z", "MinutesLeft": 10});
    let c = api.create(&admin, token_with("CMD-C", last)).await;
    let ok = run(
        &api,
        &admin,
        json!({"Key": "EXTEND_ONE_DAY", "Ids": [c], "Parameters": []}),
    )
    .await;
    assert_eq!(ok["WasSuccessful"], true, "{ok}");
    assert_eq!(
        record(&api, &admin, c).await["ValidTo"],
        "9999-12-31T23:59:59Z"
    );

    let ok = run(&api, &admin, json!({"Key": "EXTEND_HOURS", "Ids": [a], "Parameters": [{"Name": "Hours", "Type": "int", "Value": 5}]})).await;
    assert_eq!(ok["WasSuccessful"], true);
    assert_eq!(
        record(&api, &admin, a).await["ValidTo"],
        "2030-01-03T14:00:00Z"
    );

    run(&api, &admin, json!({"Key": "ADD_MINUTES", "Ids": [a], "Parameters": [{"Name": "Minutes", "Type": "int", "Value": "30"}]})).await;
    let r = record(&api, &admin, a).await;
    assert_eq!(
        (r["MinutesIncluded"].as_i64(), r["MinutesLeft"].as_i64()),
        (Some(90), Some(40))
    );

    run(
        &api,
        &admin,
        json!({"Key": "RESET_MINUTES", "Ids": [a], "Parameters": []}),
    )
    .await;
    assert_eq!(record(&api, &admin, a).await["MinutesLeft"], 90);

    run(
        &api,
        &admin,
        json!({"Key": "EXPIRE_NOW", "Ids": [b], "Parameters": []}),
    )
    .await;
    let expired: wifi_desk_wire::AccessToken =
        serde_json::from_value(record(&api, &admin, b).await).unwrap();
    let now = chrono::Local::now().naive_local();
    assert!(expired.valid_to.unwrap().local() <= now);
    assert!(expired.valid_from.unwrap().local() < expired.valid_to.unwrap().local());

    let before = record(&api, &admin, a).await;
    for (command, says) in [
        (json!({"Key": "NO_SUCH", "Ids": [a]}), "There is no command"),
        (
            json!({"Key": "EXPIRE_NOW", "Ids": [a, 424242]}),
            "no access token with Id 424242",
        ),
        (
            json!({"Key": "EXTEND_HOURS", "Ids": [a], "Parameters": []}),
            "needs Hours",
        ),
        (
            json!({"Key": "EXTEND_HOURS", "Ids": [a], "Parameters": [{"Name": "Hours", "Type": "int", "Value": "lots"}]}),
            "needs Hours",
        ),
        (
            json!({"Key": "FORGET_DEVICE", "Ids": [a, b]}),
            "exactly one",
        ),
        (json!({"Key": "EXPIRE_NOW", "Ids": []}), "at least one"),
    ] {
        let failed = run(&api, &admin, command.clone()).await;
        assert_eq!(failed["WasSuccessful"], false, "{command}");
        assert!(
            failed["Message"].as_str().unwrap().contains(says),
            "{command}: {failed}"
        );
    }
    assert_eq!(
        record(&api, &admin, a).await,
        before,
        "a failed command changes nothing"
    );

    let r = api
        .http
        .post(api.url(&format!("{TOKENS}/runcommand")))
        .bearer_auth(&admin)
        .json(&json!({"Key": 5}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::BAD_REQUEST,
        "a malformed command body"
    );
}

#[tokio::test]
async fn throttling_answers_409_with_retry_after() {
    let api = start(Config {
        limits: Limits::nexudus(),
        ..Config::default()
    })
    .await;
    let admin = api.admin().await;
    let first = api.get(TOKENS).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let second = api.get(TOKENS).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(
        second.status(),
        StatusCode::CONFLICT,
        "two requests within 100 ms"
    );
    assert_eq!(second.headers()["retry-after"], "1");
    assert_eq!(second.text().await.unwrap(), "", "empty body");
    tokio::time::sleep(Duration::from_millis(110)).await;
    assert_eq!(
        api.get(TOKENS)
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
}

/// Two desks signed in as the same person hold two tokens, and share the account's limits.
#[tokio::test]
async fn the_limits_are_an_accounts_whichever_token_it_signed_in_with() {
    // Three writes a minute: the three sign-ins (no account yet, so counted together) fit.
    let api = start(Config {
        limits: Limits::parse("writes=3/1m").unwrap(),
        ..Config::default()
    })
    .await;
    let (first_desk, second_desk) = (api.admin().await, api.admin().await);
    let reception = api.bearer("reception@example.com").await;
    assert_ne!(first_desk, second_desk);
    api.create(&first_desk, token("DESK-1")).await;
    api.create(&first_desk, token("DESK-2")).await;
    api.create(&second_desk, token("DESK-3")).await;
    for (desk, code) in [(&first_desk, "DESK-4"), (&second_desk, "DESK-5")] {
        let refused = api.try_create(desk, &token(code)).await;
        assert_eq!(refused.status(), StatusCode::CONFLICT, "{code}");
    }
    // Another person's limits are their own.
    api.create(&reception, token("DESK-6")).await;
}

#[tokio::test]
async fn writes_have_their_own_limit_and_a_refused_write_writes_nothing() {
    let limits = Limits::parse("writes=3/1m").unwrap();
    let api = start(Config {
        limits,
        ..Config::default()
    })
    .await;
    let admin = api.admin().await;
    for i in 0..3 {
        api.create(&admin, token(&format!("W{i}"))).await;
    }
    let r = api.try_create(&admin, &token("W3")).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    // Nexudus says a second, whatever the wait: the minute's writes are still spent after it.
    assert_eq!(r.headers()["retry-after"], "1");
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let again = api.try_create(&admin, &token("W3")).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert_eq!(
        api.total(&admin).await,
        3,
        "reads still pass; the refused write made nothing"
    );
}

#[tokio::test]
async fn cors_allows_loopback_and_listed_origins_with_preflight() {
    let api = start(Config {
        allow_origins: vec!["https://portal.example.com".into()],
        ..unthrottled()
    })
    .await;
    let preflight = |origin: &'static str| {
        api.http
            .request(reqwest::Method::OPTIONS, api.url(TOKENS))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization,content-type",
            )
            .send()
    };
    for origin in [
        "http://127.0.0.1:5173",
        "http://localhost:8000",
        "https://portal.example.com",
    ] {
        let r = preflight(origin).await.unwrap();
        assert!(r.status().is_success(), "{origin}");
        assert_eq!(r.headers()["access-control-allow-origin"], origin);
        let headers = r.headers()["access-control-allow-headers"]
            .to_str()
            .unwrap()
            .to_ascii_lowercase();
        assert!(
            headers.contains("authorization") && headers.contains("content-type"),
            "{headers}"
        );
    }
    let r = preflight("https://elsewhere.example.net").await.unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());

    // A 409 must expose Retry-After to the page's script.
    let admin = api.admin().await;
    let r = api
        .get(TOKENS)
        .bearer_auth(&admin)
        .header("origin", "http://127.0.0.1:5173")
        .send()
        .await
        .unwrap();
    let exposed = r.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(exposed.contains("retry-after"));
}

#[tokio::test]
async fn a_409_fault_refuses_for_its_time_then_answers() {
    let api = start(Config {
        faults: true,
        ..unthrottled()
    })
    .await;
    let admin = api.admin().await;
    let create = || {
        api.http
            .post(api.url(TOKENS))
            .bearer_auth(&admin)
            .header("x-sandbox-fault", "409=1500@POST, run=block")
            .json(&token("BLOCKED-1"))
            .send()
    };
    let started = Instant::now();
    let refused = create().await.unwrap();
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert_eq!(refused.headers()["retry-after"], "1");
    assert_eq!(refused.text().await.unwrap(), "");
    // A second later, as Retry-After says, the block still holds.
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    assert_eq!(create().await.unwrap().status(), StatusCode::CONFLICT);
    assert!(
        api.codes(&admin, "AccessToken_AccessCode=BLOCKED-1")
            .await
            .is_empty(),
        "a refused create makes nothing; reads are not blocked"
    );
    // The block runs from when the first create reached the server, a little after `started`.
    tokio::time::sleep(Duration::from_millis(1_700).saturating_sub(started.elapsed())).await;
    assert_eq!(create().await.unwrap().status(), StatusCode::OK);
    assert_eq!(
        api.codes(&admin, "AccessToken_AccessCode=BLOCKED-1").await,
        ["BLOCKED-1"]
    );
}

#[tokio::test]
async fn faults_are_injected_only_when_enabled() {
    let plain = start(unthrottled()).await;
    let admin = plain.admin().await;
    let r = plain
        .get(TOKENS)
        .bearer_auth(&admin)
        .header("x-sandbox-fault", "500")
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "without --faults the header is ignored"
    );

    let api = start(Config {
        faults: true,
        ..unthrottled()
    })
    .await;
    let admin = api.admin().await;
    let ask = |fault: &'static str| {
        api.get(TOKENS)
            .bearer_auth(&admin)
            .header("x-sandbox-fault", fault)
            .send()
    };

    let r = ask("500").await.unwrap();
    assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(body(r).await, json!({"Message": "An error has occurred."}));

    let r = ask("malformed").await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(serde_json::from_str::<Value>(&r.text().await.unwrap()).is_err());

    // A list that never ends: every page says there is another, and is otherwise as it was.
    let r = ask("more-pages").await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let page = body(r).await;
    assert_eq!(page["HasNextPage"], json!(true));
    assert!(page["Records"].is_array() && page["TotalItems"].is_number());
    let r = api
        .get(&format!("{TOKENS}/999999"))
        .bearer_auth(&admin)
        .header("x-sandbox-fault", "more-pages")
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::NOT_FOUND,
        "other answers pass as they were"
    );
    assert_eq!(body(r).await, json!("Not found"));

    // Pages of two, whose first code is used once the page is read.
    for code in ["PAGED-1", "PAGED-2", "PAGED-3"] {
        let made = api
            .http
            .post(api.url(TOKENS))
            .bearer_auth(&admin)
            .json(&token(code))
            .send()
            .await
            .unwrap();
        assert_eq!(made.status(), StatusCode::OK);
    }
    let page = body(ask("used-while-paged=2").await.unwrap()).await;
    assert_eq!(page["Records"].as_array().map(Vec::len), Some(2), "{page}");
    assert_eq!(page["PageSize"], json!(2));
    assert_eq!(page["HasNextPage"], json!(true));
    let first = &page["Records"][0];
    assert_eq!(first["LastAccess"], Value::Null, "{first}");
    let now = api
        .get(&format!("{TOKENS}/{}", first["Id"]))
        .bearer_auth(&admin);
    let now = body(now.send().await.unwrap()).await;
    assert!(now["LastAccess"].is_string(), "used once read: {now}");
    let r = ask("used-while-paged=none").await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);

    // Pages of two, whose first code is revoked once the first page is read: once a header value.
    let read = |record: &Value| {
        api.get(&format!("{TOKENS}/{}", record["Id"]))
            .bearer_auth(&admin)
            .send()
    };
    let page = body(ask("revoked-while-paged=2, run=server-test").await.unwrap()).await;
    assert_eq!(page["Records"].as_array().map(Vec::len), Some(2), "{page}");
    let gone = read(&page["Records"][0]).await.unwrap();
    assert_eq!(gone.status(), StatusCode::NOT_FOUND, "revoked once read");
    let again = body(ask("revoked-while-paged=2, run=server-test").await.unwrap()).await;
    assert_ne!(again["Records"][0]["Id"], page["Records"][0]["Id"]);
    assert_eq!(
        again["TotalItems"].as_i64(),
        page["TotalItems"].as_i64().map(|n| n - 1)
    );
    let kept = read(&again["Records"][0]).await.unwrap();
    assert_eq!(
        kept.status(),
        StatusCode::OK,
        "one code revoked, not one a page"
    );
    let r = ask("revoked-while-paged=0").await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);

    let r = ask("html").await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_GATEWAY);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));

    let started = Instant::now();
    assert_eq!(ask("slow=300").await.unwrap().status(), StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(300));

    // `late`: carried out on arrival, answered later; the answer misses what happened meanwhile.
    let started = Instant::now();
    let late = tokio::spawn(
        api.get(&format!("{TOKENS}?AccessToken_AccessCode=LATE-1"))
            .bearer_auth(&admin)
            .header("x-sandbox-fault", "late=1500")
            .send(),
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    let created = api
        .http
        .post(api.url(TOKENS))
        .bearer_auth(&admin)
        .json(&token("LATE-1"))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::OK);
    let late = late.await.unwrap().unwrap();
    assert!(started.elapsed() >= Duration::from_millis(1500));
    assert_eq!(body(late).await["Records"], json!([]));
    assert_eq!(
        api.codes(&admin, "AccessToken_AccessCode=LATE-1").await,
        ["LATE-1"]
    );

    assert_eq!(
        ask("sideways").await.unwrap().status(),
        StatusCode::BAD_REQUEST
    );
    for timed in ["slow=soon", "late=", "queued=1s", "409=x"] {
        let refused = ask(timed).await.unwrap();
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "{timed}");
        assert!(refused.text().await.unwrap().contains("needs milliseconds"));
    }

    // A dropped create: the record is written, the answer never comes.
    let dropped = api
        .http
        .post(api.url(TOKENS))
        .bearer_auth(&admin)
        .header("x-sandbox-fault", "drop")
        .json(&token("DROPPED-1"))
        .send()
        .await;
    assert!(dropped.is_err(), "no response: {dropped:?}");
    assert_eq!(
        api.codes(&admin, "AccessToken_AccessCode=DROPPED-1").await,
        ["DROPPED-1"]
    );

    // An answer cut short: the create is done, the 200's body cannot be read.
    let garbled = api
        .http
        .post(api.url(TOKENS))
        .bearer_auth(&admin)
        .header("x-sandbox-fault", "garbled")
        .json(&token("GARBLED-1"))
        .send()
        .await
        .unwrap();
    assert_eq!(garbled.status(), StatusCode::OK);
    assert!(serde_json::from_str::<Value>(&garbled.text().await.unwrap()).is_err());
    assert_eq!(
        api.codes(&admin, "AccessToken_AccessCode=GARBLED-1").await,
        ["GARBLED-1"]
    );

    // A proxy that stopped waiting: the create is done, the answer is a 504 page.
    let gateway = api
        .http
        .post(api.url(TOKENS))
        .bearer_auth(&admin)
        .header("x-sandbox-fault", "gateway-timeout")
        .json(&token("GATEWAY-1"))
        .send()
        .await
        .unwrap();
    assert_eq!(gateway.status(), StatusCode::GATEWAY_TIMEOUT);
    assert!(gateway
        .text()
        .await
        .unwrap()
        .contains("504 Gateway Timeout"));
    assert_eq!(
        api.codes(&admin, "AccessToken_AccessCode=GATEWAY-1").await,
        ["GATEWAY-1"]
    );

    // Sent twice, as a browser resends: the first create is done, the second is refused as a
    // duplicate, and that refusal is the answer.
    let resent = api
        .http
        .post(api.url(TOKENS))
        .bearer_auth(&admin)
        .header("x-sandbox-fault", "resent")
        .json(&token("RESENT-1"))
        .send()
        .await
        .unwrap();
    assert_eq!(resent.status(), StatusCode::BAD_REQUEST);
    assert!(body(resent).await.to_string().contains("already used"));
    assert_eq!(
        api.codes(&admin, "AccessToken_AccessCode=RESENT-1").await,
        ["RESENT-1"]
    );

    // Several faults: each request gets the first that applies to it.
    let both = "drop@POST/api/spaces, 500@GET/api/spaces";
    let dropped = api
        .http
        .post(api.url(TOKENS))
        .bearer_auth(&admin)
        .header("x-sandbox-fault", both)
        .json(&token("DROPPED-2"))
        .send()
        .await;
    assert!(dropped.is_err(), "the create's answer is lost: {dropped:?}");
    assert_eq!(
        ask(both).await.unwrap().status(),
        StatusCode::INTERNAL_SERVER_ERROR,
        "and so is the look-up"
    );
    // From the second request an entry matches, for this header alone.
    let counted = "500@GET#2, run=counted";
    assert_eq!(ask(counted).await.unwrap().status(), StatusCode::OK);
    assert_eq!(
        ask(counted).await.unwrap().status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(
        ask(counted).await.unwrap().status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(
        ask("500@GET#2, run=another").await.unwrap().status(),
        StatusCode::OK,
        "another run counts from zero"
    );
    assert_eq!(
        ask("500@DELETE, slow=1").await.unwrap().status(),
        StatusCode::OK,
        "a fault for another method is passed over"
    );
}

/// A queued request is carried out though its client gave up waiting and closed the connection.
#[tokio::test]
async fn a_queued_create_lands_after_its_client_gave_up() {
    let api = start(Config {
        faults: true,
        ..unthrottled()
    })
    .await;
    let admin = api.admin().await;
    let sent = api
        .http
        .post(api.url(TOKENS))
        .bearer_auth(&admin)
        .header("x-sandbox-fault", "queued=600")
        .timeout(Duration::from_millis(100))
        .json(&token("QUEUED-1"))
        .send()
        .await;
    assert!(sent.is_err(), "the client gave up: {sent:?}");
    assert!(api
        .codes(&admin, "AccessToken_AccessCode=QUEUED-1")
        .await
        .is_empty());
    let mut landed = Vec::new();
    for _ in 0..50 {
        landed = api.codes(&admin, "AccessToken_AccessCode=QUEUED-1").await;
        if !landed.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(landed, ["QUEUED-1"]);
}

/// A server that stops part way: the first code is changed, the answer says the command failed.
#[tokio::test]
async fn a_half_done_command_changes_the_first_code_and_fails() {
    let api = start(Config {
        faults: true,
        ..unthrottled()
    })
    .await;
    let admin = api.admin().await;
    let window = json!({"ValidFrom": "2030-01-01T09:00:00", "ValidTo": "2030-01-02T09:00:00"});
    let a = api
        .create(&admin, token_with("HALF-A", window.clone()))
        .await;
    let b = api.create(&admin, token_with("HALF-B", window)).await;
    let send = |ids: Vec<i64>| {
        api.http
            .post(api.url(&format!("{TOKENS}/runcommand")))
            .bearer_auth(&admin)
            .header("x-sandbox-fault", "half-done")
            .json(&json!({"Key": "EXTEND_ONE_DAY", "Ids": ids, "Parameters": []}))
            .send()
    };
    let r = send(vec![a, b]).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let answer = body(r).await;
    assert_eq!(answer["WasSuccessful"], json!(false), "{answer}");
    let ends = |t: Value| t["ValidTo"].as_str().unwrap().to_owned();
    assert!(ends(record(&api, &admin, a).await).starts_with("2030-01-03T09:00"));
    assert!(ends(record(&api, &admin, b).await).starts_with("2030-01-02T09:00"));
    // One code alone is carried out as asked.
    let answer = body(send(vec![b]).await.unwrap()).await;
    assert_eq!(answer["WasSuccessful"], json!(true), "{answer}");
    assert!(ends(record(&api, &admin, b).await).starts_with("2030-01-03T09:00"));
}

/// Sets a code's minutes (included and left) to 120 with an update, asking for `fault`, and
/// returns them as the server has them afterwards.
async fn set_minutes(api: &Api, admin: &str, id: i64, fault: Option<&str>) -> (Value, Value) {
    let mut changed = record(api, admin, id).await;
    changed["MinutesIncluded"] = json!(120);
    changed["MinutesLeft"] = json!(120);
    let mut put = api
        .http
        .put(api.url(TOKENS))
        .bearer_auth(admin)
        .json(&changed);
    if let Some(fault) = fault {
        put = put.header("x-sandbox-fault", fault);
    }
    assert_eq!(put.send().await.unwrap().status(), StatusCode::OK);
    let now = record(api, admin, id).await;
    (now["MinutesIncluded"].clone(), now["MinutesLeft"].clone())
}

/// A server where `MinutesLeft` is read-only: an update changes the rest and keeps it.
#[tokio::test]
async fn a_read_only_minutes_fault_keeps_minutes_left() {
    let api = start(Config {
        faults: true,
        ..unthrottled()
    })
    .await;
    let admin = api.admin().await;
    let id = api.create(&admin, token("KEEP-LEFT")).await;
    let fault = Some("read-only-minutes");
    assert_eq!(
        set_minutes(&api, &admin, id, fault).await,
        (json!(120), json!(60))
    );
    assert_eq!(
        set_minutes(&api, &admin, id, None).await,
        (json!(120), json!(120))
    );
}

/// The three ways the documents spell `dir`, each read by a server that reads only its own.
#[tokio::test]
async fn a_fault_reads_dir_as_one_document_spells_it() {
    let api = start(Config {
        faults: true,
        ..unthrottled()
    })
    .await;
    let admin = api.admin().await;
    for code in ["DIR-A", "DIR-B", "DIR-C"] {
        api.create(&admin, token(code)).await;
    }
    let codes = |fault: &'static str, dir: &'static str| {
        let (api, admin) = (&api, &admin);
        async move {
            let r = api
                .get(&format!(
                    "{TOKENS}?AccessToken_AccessCode=DIR-&orderby=Id&dir={dir}"
                ))
                .bearer_auth(admin)
                .header("x-sandbox-fault", fault)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{fault} dir={dir}");
            body(r).await["Records"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["AccessCode"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
                .join(" ")
        }
    };
    let (up, down) = ("DIR-A DIR-B DIR-C", "DIR-C DIR-B DIR-A");
    for (fault, dir, want) in [
        ("signed-dir", "-1", down),
        ("signed-dir", "1", up),
        ("signed-dir", "Descending", up),
        ("zero-one-dir", "1", down),
        ("zero-one-dir", "0", up),
        ("zero-one-dir", "-1", up),
        ("zero-one-dir", "Descending", up),
        ("unread-dir", "Descending", up),
        ("unread-dir", "-1", up),
        ("signed-only-dir", "-1", down),
        ("signed-only-dir", "1", up),
        ("slow=1", "Descending", down),
    ] {
        assert_eq!(codes(fault, dir).await, want, "{fault} dir={dir}");
    }
    let r = api
        .get(TOKENS)
        .bearer_auth(&admin)
        .header("x-sandbox-fault", "sideways-dir")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = api
        .get(&format!("{TOKENS}?orderby=Id&dir=Descending"))
        .bearer_auth(&admin)
        .header("x-sandbox-fault", "signed-only-dir")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST, "words refused");
}

#[tokio::test]
async fn serves_the_widget_from_dist() {
    let dir = std::env::temp_dir().join(format!("wifi-desk-dist-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>wifi-desk</title>",
    )
    .unwrap();
    std::fs::write(dir.join("app.js"), "export {}").unwrap();
    let api = start(Config {
        dist: Some(dir.clone()),
        ..unthrottled()
    })
    .await;
    let answer = api.get("/").send().await.unwrap();
    assert_eq!(
        answer.headers()["content-security-policy"],
        wifi_desk_sandbox::csp::POLICY,
        "pages are served under the strict policy an integrator may have"
    );
    let page = answer.text().await.unwrap();
    assert!(page.contains("<title>wifi-desk</title>"));
    let js = api.get("/app.js").send().await.unwrap();
    assert!(js.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("javascript"));
    let deep = api
        .get("/tokens/42")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        deep.contains("<title>wifi-desk</title>"),
        "client-side routes get the page"
    );
    assert_eq!(
        api.get("/sandbox/health")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "ok"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn keeps_the_browsers_reports_of_blocked_content() {
    let api = start(unthrottled()).await;
    let none: serde_json::Value = api
        .get("/sandbox/csp-reports")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(none, serde_json::json!([]));
    let report = serde_json::json!({"csp-report": {"violated-directive": "script-src-elem", "blocked-uri": "inline"}});
    let sent = api
        .http
        .post(api.url("/sandbox/csp-reports"))
        .header("Content-Type", "application/csp-report")
        .body(report.to_string())
        .send()
        .await
        .unwrap();
    assert!(sent.status().is_success());
    let kept: serde_json::Value = api
        .get("/sandbox/csp-reports")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(kept, serde_json::json!([report]));
}
