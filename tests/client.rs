//! Browser tests of the client (Chrome and Firefox) against the sandboxes `scripts/test.sh` starts:
//! one with faults on and no throttling, one with Nexudus's limits in windows ten times shorter.
//! Every request crosses origins, so each also proves the CORS preflight with a bearer token passes.

#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;

use futures::future::join_all;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use wifi_desk::api::{
    AccessToken, ApiError, Auth, Client, CommandParameter, Field, ListQuery, Pacer, SortDirection,
    Told, WallClock,
};

wasm_bindgen_test_configure!(run_in_browser);

const SANDBOX: &str = match option_env!("WIFI_DESK_SANDBOX_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:18787",
};
const THROTTLED: &str = match option_env!("WIFI_DESK_THROTTLED_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:18788",
};

fn client() -> Client {
    Client::new(&format!("{SANDBOX}/api"))
}

async fn signed_in(email: &str) -> Client {
    let client = client();
    client.sign_in(email, "wifi-desk", None).await.unwrap();
    client
}

/// A code no other test or browser run uses.
fn unique_code(prefix: &str) -> String {
    format!("{prefix}-{}", (js_sys::Math::random() * 1e12) as u64)
}

fn new_token(code: &str) -> AccessToken {
    AccessToken {
        business_id: Some(1001),
        access_code: code.to_owned(),
        description: Some("Visitor — Ada Lovelace".into()),
        minutes_included: 120,
        minutes_left: 120,
        valid_from: Some(WallClock::parse("2030-05-01T09:00:00Z").unwrap()),
        valid_to: Some(WallClock::parse("2030-05-01T18:00:00Z").unwrap()),
        user_limit: Some(2),
        ..AccessToken::default()
    }
}

async fn how_many_with(client: &Client, code: &str) -> usize {
    let page = client
        .list(&ListQuery::new().filter(Field::AccessCode, code))
        .await
        .unwrap();
    page.records
        .iter()
        .filter(|t| t.access_code == code)
        .count()
}

#[wasm_bindgen_test]
async fn every_call_round_trips() {
    let admin = signed_in("admin@example.com").await;
    let code = unique_code("RT");
    let id = admin.create(&new_token(&code)).await.unwrap();

    let token = admin.get(id).await.unwrap();
    assert_eq!(
        (token.access_code.as_str(), token.user_limit),
        (code.as_str(), Some(2))
    );
    assert_eq!(
        token.valid_from.unwrap().to_string(),
        "2030-05-01T09:00:00Z",
        "wall clock, sent back as read"
    );
    assert_eq!(
        admin
            .find_code(&code.to_lowercase())
            .await
            .unwrap()
            .map(|t| t.id),
        Some(id)
    );
    assert_eq!(admin.find_code("NO-SUCH-CODE").await.unwrap(), None);
    let many = admin.get_many(&[id, 999_999]).await.unwrap();
    assert_eq!(many.iter().map(|t| t.id).collect::<Vec<_>>(), [id]);
    // A selection of a thousand, this code last: about 13 KB of ids, more than the 2,048 bytes of
    // query string the server's front takes in one request. Read in several, none refused.
    let mut selection: Vec<i64> = (0..999).map(|n| 1_000_000_000 + n).collect();
    selection.push(id);
    let asked = admin.requests_asked();
    let many = admin.get_many(&selection).await.unwrap();
    assert_eq!(many.iter().map(|t| t.id).collect::<Vec<_>>(), [id]);
    assert!(admin.requests_asked() - asked > 1);

    // An update changes only what it is asked to: the rest of the record is written back as it was.
    let written = admin.update(id, |t| t.minutes_left = 15).await.unwrap();
    assert_eq!(written.minutes_left, 15);
    let after = admin.get(id).await.unwrap();
    assert_eq!(after.minutes_left, 15);
    assert_eq!(after.description.as_deref(), Some("Visitor — Ada Lovelace"));
    assert_eq!(
        (after.user_limit, after.valid_to),
        (token.user_limit, token.valid_to)
    );

    let commands = admin.commands().await.unwrap();
    assert!(commands.iter().any(|c| c.key == "EXTEND_ONE_DAY"));
    assert!(commands.windows(2).all(|w| w[0].order <= w[1].order));
    let message = admin
        .run_command("EXTEND_ONE_DAY", &[id], Vec::new())
        .await
        .unwrap();
    assert!(message.contains("Extended 1 access token"), "{message}");
    assert_eq!(
        admin.get(id).await.unwrap().valid_to.unwrap().to_string(),
        "2030-05-02T18:00:00Z"
    );
    let hours = vec![CommandParameter {
        name: "Hours".into(),
        r#type: "int".into(),
        value: 6.into(),
    }];
    admin
        .run_command("EXTEND_HOURS", &[id], hours)
        .await
        .unwrap();
    assert_eq!(
        admin.get(id).await.unwrap().valid_to.unwrap().to_string(),
        "2030-05-03T00:00:00Z"
    );
    let failed = admin
        .run_command("FORGET_DEVICE", &[id, id], Vec::new())
        .await
        .unwrap_err();
    assert!(
        matches!(&failed, ApiError::CommandFailed(m) if m.contains("exactly one")),
        "{failed:?}"
    );

    admin.delete(id).await.unwrap();
    assert_eq!(admin.get(id).await.unwrap_err(), ApiError::NotFound);
    assert_eq!(admin.delete(id).await.unwrap_err(), ApiError::NotFound);
}

#[wasm_bindgen_test]
async fn refused_writes_say_why() {
    let admin = signed_in("admin@example.com").await;
    let code = unique_code("DUP");
    let id = admin.create(&new_token(&code)).await.unwrap();
    let another = AccessToken {
        minutes_included: 30,
        minutes_left: 30,
        ..new_token(&code)
    };
    let duplicate = admin.create(&another).await.unwrap_err();
    assert_eq!(
        duplicate.field("AccessCode").as_deref(),
        Some("is already used by another access token")
    );
    assert_eq!(
        duplicate.to_string(),
        "Please check the access code: it is already used by another access token."
    );

    let mut bad = new_token(&unique_code("BAD"));
    bad.valid_to = Some(WallClock::parse("2030-04-30T09:00:00Z").unwrap());
    bad.minutes_left = -1;
    let invalid = admin.create(&bad).await.unwrap_err();
    assert_eq!(
        invalid.field("ValidTo").as_deref(),
        Some("must be later than ValidFrom")
    );
    assert_eq!(
        invalid.field("MinutesLeft").as_deref(),
        Some("must be zero or more")
    );

    let viewer = signed_in("viewer@example.com").await;
    assert_eq!(
        viewer
            .create(&new_token(&unique_code("V")))
            .await
            .unwrap_err(),
        ApiError::MissingRole("AccessToken-Create".into())
    );
    let reception = signed_in("reception@example.com").await;
    assert_eq!(
        reception.delete(id).await.unwrap_err(),
        ApiError::MissingRole("AccessToken-Delete".into())
    );
    admin.delete(id).await.unwrap();
}

#[wasm_bindgen_test]
async fn each_injected_fault_has_its_own_error() {
    let admin = signed_in("admin@example.com").await;
    let with_fault = |fault: &str| {
        let c = client()
            .with_header("X-Sandbox-Fault", fault)
            .with_retries(1);
        c.set_auth(Auth::Basic {
            email: "admin@example.com".into(),
            password: "wifi-desk".into(),
        });
        c
    };
    assert_eq!(with_fault("500").count().await, Err(ApiError::Server(500)));
    assert!(
        matches!(with_fault("malformed").count().await, Err(ApiError::Unreadable(e)) if e.starts_with("{\"Records\""))
    );
    assert_eq!(with_fault("html").count().await, Err(ApiError::Server(502)));
    assert!(matches!(
        with_fault("drop@GET").count().await,
        Err(ApiError::Network(_))
    ));
    // The same failure on a device the browser says is offline says so, not the server.
    let offline = js_sys::Function::new_no_args(
        "Object.defineProperty(navigator, 'onLine', { get: () => false, configurable: true });",
    );
    let online = js_sys::Function::new_no_args("delete navigator.onLine;");
    offline.call0(&JsValue::NULL).unwrap();
    let unreached = with_fault("drop@GET").count().await;
    online.call0(&JsValue::NULL).unwrap();
    assert_eq!(unreached, Err(ApiError::Offline));
    let slow = with_fault("slow=3000").with_timeout_ms(400);
    assert_eq!(slow.count().await, Err(ApiError::TimedOut(1)));
    // Without a fault the same credentials work: the errors above came from the faults.
    assert!(with_fault("slow=1").count().await.unwrap() >= 0);
    assert!(admin.count().await.is_ok());
}

/// A code is one business's: the same code in another business of the account does not stop a
/// create in this one, nor is taken for it.
#[wasm_bindgen_test]
async fn a_code_another_business_has_is_issued_in_this_one() {
    let admin = signed_in("admin@example.com").await;
    let code = unique_code("TWOBIZ");
    let mut elsewhere = new_token(&code);
    elsewhere.business_id = Some(1002);
    let there = admin.create(&elsewhere).await.unwrap();
    let here = admin.create(&new_token(&code)).await;
    admin.delete(there).await.unwrap();
    let here = here.unwrap();
    assert_ne!(here, there);
    admin.delete(here).await.unwrap();
}

/// A token no request can carry (a curly quote pasted with it, a line break) is refused as signed
/// out, a sentence, not thrown out of the request by the browser.
#[wasm_bindgen_test]
async fn a_token_no_header_can_carry_is_refused_not_thrown() {
    for token in ["\u{201C}abc\u{201D}", "abc\ndef", "\u{20AC}uro"] {
        let client = client();
        client.set_auth(Auth::Bearer(token.into()));
        assert_eq!(client.count().await, Err(ApiError::SignedOut), "{token:?}");
    }
    // A line break at the end (a token read from a file) is trimmed, as the browser would.
    let token = signed_in("viewer@example.com")
        .await
        .bearer_token()
        .unwrap();
    let client = client();
    client.set_auth(Auth::Bearer(format!("{token}\r\n")));
    assert!(client.count().await.is_ok());
}

/// A sign-in refused with 401 or 403 (a gateway in front of the API, say) is said as a refused
/// sign-in: not as a session that ended, nor as a role the account lacks.
#[wasm_bindgen_test]
async fn a_sign_in_refused_with_401_or_403_is_said_as_such() {
    for (fault, status) in [("401@POST/api/token", 401), ("403@POST/api/token", 403)] {
        let client = client().with_header("X-Sandbox-Fault", fault);
        let refused = client
            .sign_in("admin@example.com", "wifi-desk", None)
            .await
            .unwrap_err();
        assert!(
            matches!(refused, ApiError::Refused(s, _) if s == status),
            "{fault}: {refused:?}"
        );
        assert_eq!(
            refused.to_string(),
            "The server refused the request: it did not accept this sign-in."
        );
    }
    // A refresh refused with 401 is still a session that ended.
    let client = client().with_header("X-Sandbox-Fault", "401@POST/api/token");
    assert_eq!(
        client.refresh("any", "admin@example.com").await,
        Err(ApiError::SignedOut)
    );
}

/// A 404 to a request about no one record says the API is not at the widget's address: a wrong
/// `api-base` does not read as a code that no longer exists. A record's own 404 still does.
#[wasm_bindgen_test]
async fn a_wrong_api_address_is_said_as_such_not_as_a_code_gone() {
    let wrong = Client::new(&format!("{SANDBOX}/api/nexudus"));
    assert_eq!(
        wrong.sign_in("admin@example.com", "wifi-desk", None).await,
        Err(ApiError::NoApi)
    );
    wrong.set_auth(Auth::Basic {
        email: "admin@example.com".into(),
        password: "wifi-desk".into(),
    });
    assert_eq!(wrong.count().await, Err(ApiError::NoApi));
    assert!(matches!(wrong.commands().await, Err(ApiError::NoApi)));
    let token = AccessToken {
        business_id: Some(1001),
        access_code: wifi_desk::domain::code::generate(Default::default()),
        minutes_included: 60,
        minutes_left: 60,
        ..AccessToken::default()
    };
    assert_eq!(wrong.create(&token).await, Err(ApiError::NoApi));
    assert!(ApiError::NoApi.to_string().contains("api-base"));
    let admin = signed_in("admin@example.com").await;
    assert_eq!(admin.get(999_999_999).await, Err(ApiError::NotFound));
}

/// An account that signs in but may not use the API is told so, not asked to sign in again
/// (which would go round in a circle); a token the server once took, refused later, is a session
/// that ended.
#[wasm_bindgen_test]
async fn an_account_without_api_access_is_told_so_not_asked_to_sign_in_again() {
    let barred = client();
    barred
        .sign_in("noapi@example.com", "wifi-desk", None)
        .await
        .unwrap();
    let told = Rc::new(Cell::new(0));
    let heard = told.clone();
    barred.listen(move |t| {
        if matches!(t, Told::Taken(false)) {
            heard.set(heard.get() + 1);
        }
    });
    assert_eq!(barred.count().await, Err(ApiError::NoApiAccess));
    assert_eq!(barred.count().await, Err(ApiError::NoApiAccess));
    assert_eq!(told.get(), 0, "not told the session ended");

    let taken = client();
    taken
        .sign_in("admin@example.com", "wifi-desk", None)
        .await
        .unwrap();
    assert!(taken.count().await.is_ok());
    // The token, taken once, then refused as an expired one is: the session ended.
    taken.set_header("X-Sandbox-Fault", Some("401"));
    assert_eq!(taken.count().await, Err(ApiError::SignedOut));
}

#[wasm_bindgen_test]
async fn a_write_answered_cut_short_is_checked_not_taken_as_failed() {
    let admin = signed_in("admin@example.com").await;
    let cut = client().with_header(
        "X-Sandbox-Fault",
        "garbled@POST, garbled@PUT, garbled@DELETE",
    );
    cut.set_auth(Auth::Basic {
        email: "admin@example.com".into(),
        password: "wifi-desk".into(),
    });
    // Created, the answer unreadable: the code is looked up and is this create's.
    let code = unique_code("CUT");
    let id = cut.create(&new_token(&code)).await.unwrap();
    assert_eq!(
        admin.find_code(&code).await.unwrap().map(|t| t.id),
        Some(id)
    );
    assert_eq!(how_many_with(&admin, &code).await, 1);
    // Changed, the answer unreadable: not known, not failed, so no blind second change.
    let changed = cut.update(id, |t| t.minutes_included += 60).await;
    assert!(
        matches!(&changed, Err(e) if e.outcome_unknown() && e.kind() == "garbled"),
        "{changed:?}"
    );
    assert_eq!(
        admin.get(id).await.unwrap().minutes_included,
        180,
        "made once"
    );
    // Revoked, the answer unreadable: the code is asked for, and is gone.
    cut.delete(id).await.unwrap();
    assert_eq!(admin.get(id).await, Err(ApiError::NotFound));
}

#[wasm_bindgen_test]
async fn a_revoke_or_change_answered_404_by_a_proxy_is_not_taken_for_gone() {
    let admin = signed_in("admin@example.com").await;
    let code = unique_code("ROUTE");
    let id = admin.create(&new_token(&code)).await.unwrap();
    let proxied = faulty("not-routed@DELETE, not-routed@PUT");
    let refused = proxied.delete(id).await;
    assert!(
        matches!(refused, Err(ApiError::Refused(404, _))),
        "{refused:?}"
    );
    assert!(admin.get(id).await.is_ok(), "still there");
    // Nor is a change's 404 from the proxy taken for a code gone.
    let refused = proxied.update(id, |t| t.minutes_included += 60).await;
    assert!(
        matches!(&refused, Err(ApiError::Refused(404, _))),
        "{refused:?}"
    );
    assert_eq!(
        refused.unwrap_err().to_string(),
        "The server refused the request: the change did not get through, and the code is as it was."
    );
    // Gone indeed: the server's own 404, and the code cannot be read.
    admin.delete(id).await.unwrap();
    assert_eq!(admin.delete(id).await, Err(ApiError::NotFound));
    // A change whose code is revoked while it is on its way: the server's own 404 to the write,
    // and the code cannot be read.
    let slow = faulty("slow=800@PUT");
    let id = admin
        .create(&new_token(&unique_code("GONEPUT")))
        .await
        .unwrap();
    let (changed, ()) = futures::join!(slow.update(id, |t| t.minutes_included += 60), async {
        gloo_timers::future::TimeoutFuture::new(300).await;
        admin.delete(id).await.unwrap();
    });
    assert_eq!(changed, Err(ApiError::NotFound));
}

/// A create answered 500 after the API saved it is found and taken as created, not left issued
/// and unknown (a batch would issue another code in its place); one the API did not save stays
/// a failure.
#[wasm_bindgen_test]
async fn a_create_failing_after_it_was_saved_is_found() {
    let admin = signed_in("admin@example.com").await;
    let failing_after = faulty("500-after@POST");
    let code = unique_code("FAILAFTER");
    let id = failing_after.create(&new_token(&code)).await.unwrap();
    assert_eq!(
        admin.find_code(&code).await.unwrap().map(|t| t.id),
        Some(id)
    );
    let failing = faulty("500@POST");
    let code = unique_code("FAILED");
    assert_eq!(
        failing.create(&new_token(&code)).await,
        Err(ApiError::Server(500))
    );
    assert_eq!(admin.find_code(&code).await, Ok(None));
}

#[wasm_bindgen_test]
async fn a_dropped_create_is_reconciled_without_a_duplicate() {
    let admin = signed_in("admin@example.com").await;
    let lost_answer = faulty("drop@POST");

    // The server created it but the answer was lost: the look-up finds it.
    let code = unique_code("DROP");
    let id = lost_answer.create(&new_token(&code)).await.unwrap();
    assert_eq!(
        admin.find_code(&code).await.unwrap().map(|t| t.id),
        Some(id)
    );
    // Another desk's create of the code is refused, with other terms or the same.
    let other = AccessToken {
        description: Some("Visitor — Grace Hopper".into()),
        ..new_token(&code)
    };
    for create in [other, new_token(&code)] {
        assert!(admin
            .create(&create)
            .await
            .unwrap_err()
            .field("AccessCode")
            .is_some());
    }
    assert_eq!(how_many_with(&admin, &code).await, 1);

    // A create whose outcome was not known, tried again by the same client with the same code
    // and terms, finds the code it made.
    let code = unique_code("LATE");
    let (unsure, made) = lost_create(&admin, &code).await;
    assert_eq!(unsure.create(&new_token(&code)).await, Ok(made));
    assert_eq!(how_many_with(&admin, &code).await, 1);

    // Tried again with other details, the code made by the lost create is given them: not
    // refused as taken, which would leave it issued with terms nobody wanted.
    let code = unique_code("CHANGED");
    let (unsure, made) = lost_create(&admin, &code).await;
    let wanted = wanted_for(&code);
    assert_eq!(unsure.create(&wanted).await, Ok(made));
    assert!(wanted.issued_as(&admin.get(made).await.unwrap()));
    assert_eq!(how_many_with(&admin, &code).await, 1);
    // Done with: a third create of the code is someone else's, refused.
    assert!(unsure
        .create(&new_token(&code))
        .await
        .unwrap_err()
        .field("AccessCode")
        .is_some());

    // A create still on its way, then one refused for another field: the first, landing later,
    // is still this client's, and the corrected one adopts it.
    let code = unique_code("QUEUED");
    let slow = faulty(&format!("queued=2500@POST/api/spaces, run={code}")).with_timeout_ms(500);
    assert_eq!(
        slow.create(&new_token(&code)).await,
        Err(ApiError::OutcomeUnknown(code.clone()))
    );
    slow.set_header(
        "X-Sandbox-Fault",
        Some(&format!("invalid=ValidTo@POST/api/spaces, run={code}")),
    );
    let refused = slow.create(&wanted_for(&code)).await.unwrap_err();
    assert!(refused.field("ValidTo").is_some(), "{refused:?}");
    slow.set_header("X-Sandbox-Fault", None);
    gloo_timers::future::sleep(std::time::Duration::from_millis(3_000)).await;
    let landed = admin
        .find_code(&code)
        .await
        .unwrap()
        .expect("the first landed")
        .id;
    assert_eq!(slow.create(&wanted_for(&code)).await, Ok(landed));
    assert!(wanted_for(&code).issued_as(&admin.get(landed).await.unwrap()));
    assert_eq!(how_many_with(&admin, &code).await, 1);

    // The request never arrived: the look-up finds nothing, and trying again makes exactly one.
    let never = faulty("drop-before@POST");
    let code = unique_code("LOST");
    assert_eq!(
        never.create(&new_token(&code)).await,
        Err(ApiError::NotCreated)
    );
    assert_eq!(how_many_with(&admin, &code).await, 0);
    admin.create(&new_token(&code)).await.unwrap();
    assert_eq!(how_many_with(&admin, &code).await, 1);
}

/// A code changed to one another record has is refused before the change is sent, as a create's
/// is, whether or not the server would refuse it (here every PUT would fail, so one sent shows).
#[wasm_bindgen_test]
async fn a_code_renamed_to_one_taken_is_refused_before_sending() {
    let admin = signed_in("admin@example.com").await;
    let (a, b) = (unique_code("RENAME"), unique_code("TAKEN"));
    let id = admin.create(&new_token(&a)).await.unwrap();
    admin.create(&new_token(&b)).await.unwrap();
    let failing = faulty("500@PUT/api/spaces");
    let refused = failing
        .update(id, |t| t.access_code = b.to_lowercase())
        .await
        .unwrap_err();
    assert!(refused.field("AccessCode").is_some(), "{refused:?}");
    // Its own code, in another case, is not someone else's: sent (and failing here).
    let sent = failing
        .update(id, |t| t.access_code = a.to_lowercase())
        .await;
    assert_eq!(sent.unwrap_err(), ApiError::Server(500));
    assert_eq!(admin.get(id).await.unwrap().access_code, a);
}

/// A refusal whose envelope names the fields at fault, answered 200 rather than 400, still names
/// them: the forms show it beside the field, not as a failure of the server.
#[wasm_bindgen_test]
async fn fields_refused_in_a_200_are_named() {
    let admin = signed_in("admin@example.com").await;
    let code = unique_code("REFUSED200");
    let long = AccessToken {
        description: Some("d".repeat(300)),
        ..new_token(&code)
    };
    let refused = faulty("refused-as-200@POST/api/spaces")
        .create(&long)
        .await
        .unwrap_err();
    assert!(refused.field("Description").is_some(), "{refused:?}");
    assert_eq!(how_many_with(&admin, &code).await, 0);

    let id = admin.create(&new_token(&code)).await.unwrap();
    let refused = faulty("refused-as-200@PUT/api/spaces")
        .update(id, |t| t.description = Some("d".repeat(300)))
        .await
        .unwrap_err();
    assert!(refused.field("Description").is_some(), "{refused:?}");
    assert_eq!(
        admin.get(id).await.unwrap().description,
        new_token(&code).description
    );
}

/// A client whose create of `code` was carried out but whose outcome it could not learn (the
/// answer lost, the look-up failing), its faults then taken away; and the id the code was made with.
async fn lost_create(admin: &Client, code: &str) -> (Client, i64) {
    let unsure = faulty(&format!(
        "drop@POST/api/spaces/accesstokens, 500@GET/api/spaces/accesstokens#2, run={code}"
    ))
    .with_retries(0);
    assert_eq!(
        unsure.create(&new_token(code)).await,
        Err(ApiError::OutcomeUnknown(code.to_owned()))
    );
    unsure.set_header("X-Sandbox-Fault", None);
    let made = admin.find_code(code).await.unwrap().unwrap().id;
    (unsure, made)
}

/// `new_token(code)` with other details, as a receptionist might correct them before trying again.
fn wanted_for(code: &str) -> AccessToken {
    AccessToken {
        description: Some("Visitor — Ada Lovelace, room 3".into()),
        minutes_included: 480,
        minutes_left: 480,
        ..new_token(code)
    }
}

/// An admin client whose requests get `fault` from the sandbox.
fn faulty(fault: &str) -> Client {
    let client = client().with_header("X-Sandbox-Fault", fault);
    client.set_auth(Auth::Basic {
        email: "admin@example.com".into(),
        password: "wifi-desk".into(),
    });
    client
}

/// A server that reads `dir` as another document spells it still lists newest first: the client
/// sees the answer in the opposite order, asks in the other spellings, and keeps the one that works.
#[wasm_bindgen_test]
async fn a_server_reading_dir_another_way_still_lists_newest_first() {
    let admin = signed_in("admin@example.com").await;
    let prefix = unique_code("DIR");
    for n in 1..=3 {
        admin
            .create(&new_token(&format!("{prefix}-{n}")))
            .await
            .unwrap();
    }
    let ids = |client: Client, dir: SortDirection| {
        let query = ListQuery::new()
            .filter(Field::AccessCode, &prefix)
            .order_by(Field::Id, dir);
        async move {
            let before = client.requests_asked();
            let page = client.list(&query).await.unwrap();
            let ids: Vec<i64> = page.records.iter().map(|t| t.id).collect();
            (ids, client.requests_asked() - before)
        }
    };
    let sorted = |ids: &[i64], dir: SortDirection| {
        ids.len() == 3
            && ids.windows(2).all(|p| match dir {
                SortDirection::Ascending => p[0] < p[1],
                SortDirection::Descending => p[0] > p[1],
            })
    };
    use SortDirection::{Ascending, Descending};
    // Words first, then 1/-1, then 0/1: the server reading 0/1 is found on the third try.
    // A server that refuses the words (400) is asked in numbers too.
    for (fault, tries) in [
        ("signed-dir@GET", 2),
        ("zero-one-dir@GET", 3),
        ("signed-only-dir@GET", 2),
    ] {
        let client = faulty(fault);
        let (newest, asked) = ids(client.clone(), Descending).await;
        assert!(sorted(&newest, Descending), "{fault}: {newest:?}");
        assert_eq!(
            asked, tries,
            "{fault}: asked again in each spelling until one worked"
        );
        for dir in [Ascending, Descending] {
            let (got, asked) = ids(client.clone(), dir).await;
            assert!(sorted(&got, dir), "{fault} {dir:?}: {got:?}");
            assert_eq!(asked, 1, "{fault} {dir:?}: the spelling was kept");
        }
    }
    // A server that reads no spelling: tried once, then lists are asked for once each.
    let client = faulty("unread-dir@GET");
    let (got, asked) = ids(client.clone(), Descending).await;
    assert!(sorted(&got, Ascending), "the server's own order: {got:?}");
    assert_eq!(asked, 3);
    assert_eq!(ids(client, Descending).await.1, 1, "not tried again");
    // A list refused in every spelling: the refusal is about something else, and is taken as it
    // is after that.
    let client = faulty("500@GET/api/spaces/accesstokens");
    for tries in [3, 1] {
        let query = ListQuery::new().order_by(Field::Id, Descending);
        let before = client.requests_asked();
        let refused = client.list(&query).await;
        assert_eq!(refused.unwrap_err(), ApiError::Server(500));
        assert_eq!(client.requests_asked() - before, tries);
    }
}

#[wasm_bindgen_test]
async fn a_create_sent_twice_or_behind_a_failing_gateway_is_one_code() {
    let admin = signed_in("admin@example.com").await;
    // The browser sent the create again: the first made the code, the second was refused as a
    // duplicate of it. Or a proxy gave up waiting (504) though the API made the code. Either way
    // the code made is found, and there is one.
    for (prefix, fault) in [
        ("RESENT", "resent@POST"),
        ("GATEWAY", "gateway-timeout@POST"),
    ] {
        let code = unique_code(prefix);
        let id = faulty(fault).create(&new_token(&code)).await.unwrap();
        assert_eq!(
            admin.find_code(&code).await.unwrap().map(|t| t.id),
            Some(id),
            "{fault}"
        );
        assert_eq!(how_many_with(&admin, &code).await, 1, "{fault}");
    }

    // Sent twice, and the look-up that would find the code made fails: not known, so the code is
    // not given up for someone else's (a batch would issue another and leave this one); tried
    // again, it is found, and there is one.
    let code = unique_code("RESENTUNREAD");
    let unread = faulty(&format!("resent@POST, 500@GET/api/spaces#2, run={code}"));
    assert_eq!(
        unread.create(&new_token(&code)).await,
        Err(ApiError::OutcomeUnknown(code.clone()))
    );
    unread.set_header("X-Sandbox-Fault", None);
    let id = unread.create(&new_token(&code)).await.unwrap();
    assert_eq!(
        admin.find_code(&code).await.unwrap().map(|t| t.id),
        Some(id)
    );
    assert_eq!(how_many_with(&admin, &code).await, 1);

    // A proxy's 502 for a create that never reached the API: not issued, safe to try again.
    let code = unique_code("BADGATE");
    assert_eq!(
        faulty("html@POST").create(&new_token(&code)).await,
        Err(ApiError::NotCreated)
    );
    assert_eq!(how_many_with(&admin, &code).await, 0);
}

/// A short code typed by hand is part of many others: the one with exactly that code is found
/// however many come before it.
#[wasm_bindgen_test]
async fn a_code_is_found_behind_more_partial_matches_than_a_page_holds() {
    let admin = signed_in("admin@example.com")
        .await
        .with_pacer(Pacer::unlimited());
    let code = unique_code("PART");
    for i in 0..55 {
        admin
            .create(&new_token(&format!("{code}{i}")))
            .await
            .unwrap();
    }
    // Made last, it comes after the others in the server's order (by id).
    let id = admin.create(&new_token(&code)).await.unwrap();
    assert_eq!(
        admin.find_code(&code).await.unwrap().map(|t| t.id),
        Some(id)
    );
    // And a second code alike is refused before it is sent.
    let asked = admin.requests_asked();
    let refused = admin.create(&new_token(&code)).await.unwrap_err();
    assert!(refused.field("AccessCode").is_some(), "{refused:?}");
    assert_eq!(
        admin.requests_asked() - asked,
        2,
        "two pages read, no create sent"
    );
}

#[wasm_bindgen_test]
async fn a_code_someone_else_holds_is_never_taken_for_the_one_issued() {
    let admin = signed_in("admin@example.com").await;
    let code = unique_code("HELD");
    let held = admin.create(&new_token(&code)).await.unwrap();
    let other = AccessToken {
        description: Some("Visitor — Grace Hopper".into()),
        ..new_token(&code)
    };
    // Looked up before it is sent: refused, and nothing sent (one request, the look-up).
    let never = faulty("drop-before@POST");
    for create in [other, new_token(&code)] {
        let asked = never.requests_asked();
        let refused = never.create(&create).await.unwrap_err();
        assert_eq!(
            refused.field("AccessCode").as_deref(),
            Some("is already used by another access token")
        );
        assert_eq!(never.requests_asked() - asked, 1, "no create sent");
    }
    admin.delete(held).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_revoke_without_an_answer_is_checked() {
    let admin = signed_in("admin@example.com").await;
    let made = |prefix: &'static str| {
        let admin = admin.clone();
        async move {
            admin
                .create(&new_token(&unique_code(prefix)))
                .await
                .unwrap()
        }
    };
    // Done behind a gateway that then answered 504: the code is gone, so it was revoked.
    let id = made("REVOKE-504").await;
    assert_eq!(faulty("gateway-timeout@DELETE").delete(id).await, Ok(()));
    assert_eq!(admin.get(id).await.unwrap_err(), ApiError::NotFound);

    // A 502 from a proxy the revoke never got past: the code is still there.
    let id = made("REVOKE-502").await;
    assert_eq!(
        faulty("html@DELETE").delete(id).await,
        Err(ApiError::NotRevoked)
    );
    assert!(admin.get(id).await.is_ok());

    // No answer, and the read that was to tell fails too: not known.
    let lost = faulty("drop@DELETE, 500@GET").with_retries(0);
    assert!(matches!(lost.delete(id).await, Err(ApiError::Network(_))));
    assert_eq!(admin.get(id).await.unwrap_err(), ApiError::NotFound);
}

#[wasm_bindgen_test]
async fn a_double_submit_creates_one_code() {
    let admin = signed_in("admin@example.com").await;
    let code = unique_code("TWICE");
    let token = new_token(&code);
    let (first, second) = futures::join!(admin.create(&token), admin.create(&token));
    assert!(first.is_ok(), "{first:?}");
    assert_eq!(second, Err(ApiError::InProgress));
    assert_eq!(how_many_with(&admin, &code).await, 1);
}

#[wasm_bindgen_test]
async fn a_burst_of_409s_is_absorbed_by_retries() {
    // Unpaced on purpose, against a sandbox that throttles: the server refuses, the client waits.
    let client = Client::new(&format!("{THROTTLED}/api"))
        .with_pacer(Pacer::unlimited())
        .with_retries(4);
    client
        .sign_in("admin@example.com", "wifi-desk", None)
        .await
        .unwrap();
    let counts = join_all((0..5).map(|_| client.count())).await;
    assert!(counts.iter().all(Result::is_ok), "{counts:?}");
    assert!(client.throttled_count() > 0, "the burst met the limit");
}

/// However many requests wait, at most four are on the wire at once: under the six connections a
/// browser opens to one host, so the browser never queues one to send at a moment the pacer did
/// not choose.
#[wasm_bindgen_test]
async fn at_most_four_requests_are_in_flight() {
    // Unpaced, each answer a second late: without the bound all eight would be on the wire.
    let client = faulty("slow=1000@GET").with_pacer(Pacer::unlimited());
    let done = Cell::new(false);
    let most = Cell::new(0);
    let (counts, ()) = futures::join!(
        async {
            let counts = join_all((0..8).map(|_| client.count())).await;
            done.set(true);
            counts
        },
        async {
            while !done.get() {
                most.set(most.get().max(client.in_flight()));
                gloo_timers::future::TimeoutFuture::new(20).await;
            }
        }
    );
    assert!(counts.iter().all(Result::is_ok), "{counts:?}");
    assert_eq!(most.get(), 4, "the most requests in flight at once");
}

/// Nexudus answers 409 with `Retry-After: 1` for as long as the account's requests are spent, a
/// minute when another desk's bulk work spent them. The client waits such a block out, its reads
/// not held back by a write's 409s, and gives up only after a window's worth of waiting.
#[wasm_bindgen_test]
async fn a_block_longer_than_retry_after_is_waited_out() {
    let admin = signed_in("admin@example.com").await;
    let code = unique_code("BLOCKED");
    let blocked = faulty(&format!("409=5000@POST/api/spaces, run={code}"));
    let started = js_sys::Date::now();
    let token = new_token(&code);
    let create = blocked.create(&token);
    let read = async {
        // While the create waits, a read of the same client is not held back.
        gloo_timers::future::sleep(std::time::Duration::from_millis(1_500)).await;
        let asked = js_sys::Date::now();
        blocked.count().await.unwrap();
        js_sys::Date::now() - asked
    };
    let (created, read_ms) = futures::join!(create, read);
    assert!(created.is_ok(), "{created:?}");
    assert!(js_sys::Date::now() - started >= 5_000.0);
    assert!(read_ms < 1_000.0, "the read waited {read_ms} ms");
    assert!(
        blocked.throttled_count() >= 3,
        "{}",
        blocked.throttled_count()
    );
    assert_eq!(how_many_with(&admin, &code).await, 1);

    // A block longer than the pacer's window (6.3 s here) is not waited out.
    let code = unique_code("SPENT");
    let spent = faulty(&format!("409=60000@POST/api/spaces, run={code}"))
        .with_pacer(Pacer::nexudus().scaled(10));
    let started = js_sys::Date::now();
    let refused = spent.create(&new_token(&code)).await.unwrap_err();
    let waited = js_sys::Date::now() - started;
    assert_eq!(
        refused,
        ApiError::Spent(None),
        "after waits of 1, 2 and 4 s"
    );
    assert!((6_300.0..20_000.0).contains(&waited), "{waited}");
    assert_eq!(how_many_with(&admin, &code).await, 0);

    // A server that says how long the block lasts: not waited out past the window either, and
    // the person is told how long the server said.
    let code = unique_code("SAID");
    let said = faulty(&format!("409-said=3600000@POST/api/spaces, run={code}"))
        .with_pacer(Pacer::nexudus().scaled(10));
    let started = js_sys::Date::now();
    let refused = said.create(&new_token(&code)).await.unwrap_err();
    let waited = js_sys::Date::now() - started;
    assert_eq!(refused, ApiError::Spent(Some(3_600)));
    assert!(refused.to_string().ends_with("Try again in about an hour."));
    assert!((6_300.0..20_000.0).contains(&waited), "{waited}");
    assert_eq!(how_many_with(&admin, &code).await, 0);
}

/// A 409 holds back the requests of the account whose requests are spent, not another's: signing
/// in as someone else at the same widget is not kept waiting for the first account's block.
#[wasm_bindgen_test]
async fn another_account_signing_in_is_not_held_by_the_first_ones_409s() {
    let tag = unique_code("HELD");
    let client = client().with_header("X-Sandbox-Fault", &format!("409=60000@GET, run={tag}"));
    client
        .sign_in("admin@example.com", "wifi-desk", None)
        .await
        .unwrap();
    let held = Rc::new(Cell::new(None));
    let heard = held.clone();
    client.listen(move |told| {
        if let Told::Held(seconds) = told {
            heard.set(Some(seconds));
        }
    });
    let read = Box::pin(client.count());
    let other = Box::pin(async {
        // Waits of 1 and 2 s, then the third 409 holds every request for 4 s.
        for _ in 0..1000 {
            if client.throttled_count() >= 3 {
                break;
            }
            gloo_timers::future::TimeoutFuture::new(10).await;
        }
        assert_eq!(held.get(), Some(4), "the third 409 holds requests for 4 s");
        let started = js_sys::Date::now();
        let signed_in = client
            .sign_in("reception@example.com", "wifi-desk", None)
            .await;
        (signed_in, js_sys::Date::now() - started)
    });
    match futures::future::select(read, other).await {
        futures::future::Either::Right(((signed_in, took), _)) => {
            assert!(signed_in.is_ok(), "{signed_in:?}");
            assert!(took < 2_000.0, "the sign-in waited {took} ms");
            assert_eq!(client.account().as_deref(), Some("reception@example.com"));
        }
        futures::future::Either::Left((read, _)) => panic!("the read ended first: {read:?}"),
    };
}

/// A read is sent again after a failure that did nothing, but not after 409s it waited out already:
/// sent again from the start, it would wait as long again, and again, holding every other read.
#[wasm_bindgen_test]
async fn a_read_blocked_past_the_window_gives_up_after_one_wait() {
    let code = unique_code("READSPENT");
    let spent = faulty(&format!("409=60000@GET/api/spaces, run={code}"))
        .with_pacer(Pacer::nexudus().scaled(10));
    let started = js_sys::Date::now();
    let refused = spent
        .list(&ListQuery::new().filter(Field::AccessCode, &code))
        .await
        .unwrap_err();
    let waited = js_sys::Date::now() - started;
    assert_eq!(
        refused,
        ApiError::Spent(None),
        "after waits of 1, 2 and 4 s"
    );
    assert!((6_300.0..15_000.0).contains(&waited), "{waited}");
}

/// The wall clock set back (a correction from the network, a laptop waking) does not hold the
/// next request back by as much: the pacer's clock only goes forward.
#[wasm_bindgen_test]
async fn a_wall_clock_set_back_does_not_hold_requests_back() {
    let client = signed_in("viewer@example.com").await;
    client.count().await.unwrap();
    let set_back = js_sys::Function::new_no_args(
        "globalThis.wdDateNow = Date.now; Date.now = () => globalThis.wdDateNow() - 5000;",
    );
    let restore = js_sys::Function::new_no_args("Date.now = globalThis.wdDateNow;");
    set_back.call0(&JsValue::NULL).unwrap();
    let performance = web_sys::window().unwrap().performance().unwrap();
    let started = performance.now();
    let counted = client.count().await;
    let took = performance.now() - started;
    restore.call0(&JsValue::NULL).unwrap();
    counted.unwrap();
    assert!(took < 2_000.0, "held back {took} ms");
}

#[wasm_bindgen_test]
async fn a_paced_client_never_meets_a_409() {
    let client = Client::new(&format!("{THROTTLED}/api")).with_pacer(Pacer::nexudus().scaled(10));
    client
        .sign_in("reception@example.com", "wifi-desk", None)
        .await
        .unwrap();
    // The first cross-origin request waits for its CORS preflight and so reaches the server later
    // than the pacer noted; a 409 that causes is retried, but here the pacing alone is measured.
    client.count().await.unwrap();
    let before = client.throttled_count();
    // One after another, as bulk work runs; the burst test above covers requests side by side.
    for _ in 0..15 {
        client.count().await.unwrap();
    }
    assert_eq!(client.throttled_count() - before, 0);
}

#[wasm_bindgen_test]
async fn credentials_from_every_source() {
    let grant = client()
        .sign_in("admin@example.com", "wifi-desk", None)
        .await
        .unwrap();

    let basic = client();
    basic.set_auth(Auth::Basic {
        email: "admin@example.com".into(),
        password: "wifi-desk".into(),
    });
    assert!(basic.count().await.is_ok());

    // A host callback: asked again after a 401, so a stale token is replaced by a fresh one.
    let asked = Rc::new(Cell::new(0));
    let token = grant.access_token.clone();
    let counter = asked.clone();
    let callback = Closure::<dyn FnMut() -> JsValue>::new(move || {
        counter.set(counter.get() + 1);
        let answer = if counter.get() == 1 {
            "stale".to_owned()
        } else {
            token.clone()
        };
        let answer = JsValue::from(answer);
        js_sys::Promise::resolve(&answer).into()
    });
    let hosted = client();
    hosted.set_auth(Auth::Callback(callback.into_js_value().unchecked_into()));
    assert!(hosted.count().await.is_ok());
    assert_eq!(asked.get(), 2);

    let throwing = client();
    throwing.set_auth(Auth::Callback(js_sys::Function::new_no_args(
        "throw new Error('no session')",
    )));
    assert_eq!(throwing.count().await, Err(ApiError::SignedOut));
    // A promise that never settles is no token, once the request's time is up.
    let stuck = client().with_timeout_ms(300).with_retries(0);
    stuck.set_auth(Auth::Callback(js_sys::Function::new_no_args(
        "return new Promise(() => {})",
    )));
    assert_eq!(stuck.count().await, Err(ApiError::SignedOut));
    // An answer to a sign-in that cannot be read is not kept in the error: it may hold a token.
    let garbled = client().with_header("X-Sandbox-Fault", "malformed@POST/api/token");
    assert_eq!(
        garbled
            .sign_in("admin@example.com", "wifi-desk", None)
            .await,
        Err(ApiError::Unreadable("the sign-in answer".into()))
    );

    let refreshed = client();
    let renewed = refreshed
        .refresh(grant.refresh_token.as_deref().unwrap(), "admin@example.com")
        .await
        .unwrap();
    assert_ne!(renewed.access_token, grant.access_token);
    assert!(refreshed.count().await.is_ok());
    let spent = client()
        .refresh(grant.refresh_token.as_deref().unwrap(), "admin@example.com")
        .await;
    assert_eq!(spent.unwrap_err(), ApiError::SignedOut);
}

#[wasm_bindgen_test]
async fn a_client_knows_whom_it_signed_in_as_until_it_signs_out() {
    let client = client();
    assert_eq!(client.account(), None);
    assert!(client
        .sign_in("reception@example.com", "nope", None)
        .await
        .is_err());
    assert_eq!(client.account(), None, "a refused sign-in signs no one in");
    let grant = client
        .sign_in(" reception@example.com ", "wifi-desk", None)
        .await
        .unwrap();
    assert_eq!(client.account().as_deref(), Some("reception@example.com"));
    client
        .refresh(
            grant.refresh_token.as_deref().unwrap(),
            "reception@example.com",
        )
        .await
        .unwrap();
    assert_eq!(
        client.account().as_deref(),
        Some("reception@example.com"),
        "a refreshed token is the same account's"
    );
    client.set_auth(Auth::Bearer(grant.access_token));
    assert_eq!(
        client.account(),
        None,
        "credentials from elsewhere are nobody's here"
    );
    client
        .sign_in("admin@example.com", "wifi-desk", None)
        .await
        .unwrap();
    client.sign_out();
    assert_eq!(client.account(), None);
}

#[wasm_bindgen_test]
async fn a_request_is_aborted_when_its_caller_stops_waiting() {
    let admin = signed_in("admin@example.com").await;
    // The sandbox holds this create for a second before carrying it out.
    let slow = faulty("slow=1000@POST");
    let code = unique_code("ABANDONED");
    let token = new_token(&code);
    let create = Box::pin(slow.create(&token));
    let gave_up = Box::pin(gloo_timers::future::TimeoutFuture::new(200));
    // The caller stops waiting (a view going away drops its futures the same way).
    assert!(matches!(
        futures::future::select(create, gave_up).await,
        futures::future::Either::Right(_)
    ));
    gloo_timers::future::TimeoutFuture::new(1500).await;
    assert_eq!(
        how_many_with(&admin, &code).await,
        0,
        "the aborted request never reached the handler"
    );
}

/// What `client`'s listener hears, in order: `true` when the server took the credentials.
fn verdicts(client: &Client) -> Rc<std::cell::RefCell<Vec<bool>>> {
    let heard = Rc::new(std::cell::RefCell::new(Vec::new()));
    let keep = heard.clone();
    client.listen(move |told| {
        if let Told::Taken(taken) = told {
            keep.borrow_mut().push(taken)
        }
    });
    heard
}

#[wasm_bindgen_test]
async fn a_refusal_of_credentials_replaced_meanwhile_is_sent_again_with_the_new_ones() {
    let admin = signed_in("admin@example.com").await;
    let renewed = admin.bearer_token().unwrap();
    let client = client();
    client.set_auth(Auth::Bearer("an-expired-token".into()));
    let heard = verdicts(&client);
    // Refused at once, the refusal delivered late: by then the page has renewed the token.
    client.set_header("X-Sandbox-Fault", Some("late=800"));
    let (slow, ()) = futures::join!(client.count(), async {
        gloo_timers::future::TimeoutFuture::new(200).await;
        client.set_header("X-Sandbox-Fault", None);
        client.set_auth(Auth::Bearer(renewed.clone()));
    });
    assert!(slow.is_ok(), "{slow:?}");
    assert_eq!(
        *heard.borrow(),
        [true],
        "the old token's refusal is not told"
    );
}

#[wasm_bindgen_test]
async fn a_late_success_does_not_overrule_a_newer_refusal() {
    let client = signed_in("admin@example.com").await;
    // Taken once: a token refused before its first success is an account without API access.
    client.count().await.unwrap();
    let heard = verdicts(&client);
    // Sent while the token was good and answered late, after a newer request was refused.
    client.set_header("X-Sandbox-Fault", Some("late=800"));
    let (slow, refused) = futures::join!(client.count(), async {
        gloo_timers::future::TimeoutFuture::new(200).await;
        client.set_header("X-Sandbox-Fault", Some("401"));
        let refused = client.count().await;
        client.set_header("X-Sandbox-Fault", None);
        refused
    });
    assert!(slow.is_ok(), "{slow:?}");
    assert_eq!(refused, Err(ApiError::SignedOut));
    assert_eq!(
        *heard.borrow(),
        [false],
        "the newest answer is the one told"
    );
}

#[wasm_bindgen_test]
async fn a_refusal_naming_no_role_is_about_the_role_the_request_needs() {
    let admin = signed_in("admin@example.com").await;
    let id = admin
        .create(&new_token(&wifi_desk::domain::code::generate(
            Default::default(),
        )))
        .await
        .unwrap();
    for (fault, role) in [
        ("403@DELETE", "AccessToken-Delete"),
        ("403@PUT", "AccessToken-Edit"),
        ("403@GET", "AccessToken-Read"),
    ] {
        let refused = faulty(fault);
        let said = match fault {
            "403@DELETE" => refused.delete(id).await.unwrap_err(),
            "403@PUT" => refused.update(id, |_| {}).await.unwrap_err(),
            _ => refused.get(id).await.unwrap_err(),
        };
        assert_eq!(said, ApiError::MissingRole(role.into()), "{fault}");
    }
    let listed = faulty("403@GET").list(&ListQuery::new()).await.unwrap_err();
    assert_eq!(listed, ApiError::MissingRole("AccessToken-List".into()));
    admin.delete(id).await.unwrap();
}
