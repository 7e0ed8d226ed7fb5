//! The record endpoints over HTTP: list, find, ranges, paging, sorting, batch get, get one, create,
//! update, delete, and the validation and error bodies.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use wifi_desk_sandbox::Config;

#[tokio::test]
async fn create_read_update_delete_round_trip() {
    let api = start(unthrottled()).await;
    let admin = api.admin().await;
    let id = api
        .create(
            &admin,
            token_with(
                "K7QM-3XPD",
                json!({"Description": "Visitor — Ada", "ValidFrom": "2025-01-15T09:00:00Z",
                       "ValidTo": "2025-01-15T18:00:00Z", "UserLimit": 2, "BookingGuid": "b-1"}),
            ),
        )
        .await;

    let r = api
        .get(&format!("{TOKENS}/{id}"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let record = body(r).await;
    assert_eq!(record["AccessCode"], "K7QM-3XPD");
    assert_eq!(record["BusinessId"], 1001);
    assert_eq!(
        record["ValidFrom"], "2025-01-15T09:00:00Z",
        "wall clock kept, Z kept"
    );
    assert_eq!(record["UpdatedBy"], "admin@example.com");
    assert!(record["UniqueId"].as_str().unwrap().len() == 36);
    let parsed: wifi_desk_wire::AccessToken = serde_json::from_value(record.clone()).unwrap();
    assert_eq!(parsed.id, id);

    // A PUT is the whole record: what is left out is cleared.
    let mut changed = record.clone();
    changed["MinutesLeft"] = json!(30);
    changed.as_object_mut().unwrap().remove("Description");
    let r = api
        .http
        .put(api.url(TOKENS))
        .bearer_auth(&admin)
        .json(&changed)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let b = body(r).await;
    assert_eq!(
        (b["WasSuccessful"].as_bool(), b["Value"]["Id"].as_i64()),
        (Some(true), Some(id))
    );
    let after = body(
        api.get(&format!("{TOKENS}/{id}"))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(after["MinutesLeft"], 30);
    assert_eq!(after["Description"], Value::Null);
    assert_eq!(after["UserLimit"], 2);

    let r = api
        .http
        .delete(api.url(&format!("{TOKENS}/{id}")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        body(r).await["Message"],
        "The record was deleted successfully."
    );
    for r in [
        api.get(&format!("{TOKENS}/{id}"))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap(),
        api.http
            .delete(api.url(&format!("{TOKENS}/{id}")))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap(),
        api.get(&format!("{TOKENS}/not-a-number"))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap(),
    ] {
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert_eq!(r.text().await.unwrap(), "\"Not found\"");
    }
    let mut gone = record;
    gone["Id"] = json!(id);
    let r = api
        .http
        .put(api.url(TOKENS))
        .bearer_auth(&admin)
        .json(&gone)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::NOT_FOUND,
        "update of a deleted record"
    );
}

async fn refused(api: &Api, admin: &str, body_text: &str) -> (StatusCode, Value) {
    let r = api
        .http
        .post(api.url(TOKENS))
        .bearer_auth(admin)
        .header("content-type", "application/json")
        .body(body_text.to_owned())
        .send()
        .await
        .unwrap();
    (r.status(), body(r).await)
}

fn properties(envelope: &Value) -> Vec<String> {
    envelope["Errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["PropertyName"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn validation_errors_come_per_property_and_write_nothing() {
    let api = start(unthrottled()).await;
    let admin = api.admin().await;
    api.create(&admin, token("TAKEN")).await;

    let (status, b) = refused(&api, &admin, "{}").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        (b["Status"].as_i64(), b["WasSuccessful"].as_bool()),
        (Some(500), Some(false))
    );
    assert_eq!(
        properties(&b),
        ["BusinessId", "AccessCode", "MinutesIncluded", "MinutesLeft"]
    );
    assert_eq!(b["Message"], "BusinessId: may not be null");

    let cases = [
        (
            token("taken"),
            "AccessCode",
            "is already used by another access token",
        ),
        (token(" "), "AccessCode", "may not be null or empty"),
        (
            token_with("A1", json!({"MinutesLeft": -5})),
            "MinutesLeft",
            "must be zero or more",
        ),
        (
            token_with("A2", json!({"MinutesIncluded": -1})),
            "MinutesIncluded",
            "must be zero or more",
        ),
        (
            token_with(
                "A3",
                json!({"ValidFrom": "2025-01-15T10:00:00Z", "ValidTo": "2025-01-15T09:00:00Z"}),
            ),
            "ValidTo",
            "must be later than ValidFrom",
        ),
        (
            token_with("A4", json!({"UserLimit": 0})),
            "UserLimit",
            "must be at least 1",
        ),
        (
            token_with("A5", json!({"MinutesIncluded": "sixty"})),
            "MinutesIncluded",
            "must be a whole number",
        ),
        (
            token_with("A6", json!({"ValidTo": "tomorrow"})),
            "ValidTo",
            "must be a date and time such as 2025-01-15T10:30:00Z",
        ),
        (
            token_with("A7", json!({"Colour": "blue"})),
            "Colour",
            "is not a field of an access token",
        ),
        (
            token_with("A8", json!({"BusinessId": 42})),
            "BusinessId",
            "is not a business of this account (the sandbox's are 1001 and 1002)",
        ),
        (
            token_with(&"X".repeat(51), json!({})),
            "AccessCode",
            "may be at most 50 characters long",
        ),
    ];
    for (fields, property, message) in cases {
        let (status, b) = refused(&api, &admin, &fields.to_string()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{fields}");
        assert_eq!(properties(&b), [property], "{fields}");
        assert_eq!(b["Errors"][0]["Message"], message, "{fields}");
    }
    let (_, b) = refused(
        &api,
        &admin,
        &token_with("A5", json!({"MinutesIncluded": "sixty"})).to_string(),
    )
    .await;
    assert_eq!(b["Errors"][0]["AttemptedValue"], "sixty");

    for (text, says) in [
        ("{\"AccessCode\": ", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ("", "not valid JSON"),
    ] {
        let (status, b) = refused(&api, &admin, text).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(b["Message"].as_str().unwrap().contains(says), "{text}: {b}");
    }
    let huge = token_with("HUGE", json!({"Description": "x".repeat(70 * 1024)})).to_string();
    let (status, b) = refused(&api, &admin, &huge).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(b["Message"], "The request body is larger than 64 KiB.");

    assert_eq!(
        api.total(&admin).await,
        1,
        "no refused request wrote a record"
    );
}

#[tokio::test]
async fn paging_envelope_and_size_limit() {
    let api = start(Config {
        seed: 0,
        ..unthrottled()
    })
    .await;
    let admin = api.admin().await;
    for i in 0..23 {
        api.create(&admin, token(&format!("P{i:02}"))).await;
    }
    let page = api.list(&admin, "page=3&size=10").await;
    assert_eq!(page["Records"].as_array().unwrap().len(), 3);
    for (field, want) in [
        ("CurrentPage", json!(3)),
        ("PageNumber", json!(3)),
        ("PageSize", json!(10)),
        ("CurrentPageSize", json!(10)),
        ("FirstItem", json!(21)),
        ("LastItem", json!(23)),
        ("TotalItems", json!(23)),
        ("TotalPages", json!(3)),
        ("HasNextPage", json!(false)),
        ("HasPreviousPage", json!(true)),
        ("CurrentOrderField", json!("Id")),
        ("CurrentSortDirection", json!(1)),
    ] {
        assert_eq!(page[field], want, "{field}");
    }
    assert_eq!(api.list(&admin, "").await["PageSize"], 25, "default size");
    // A page far past the end is empty, not an overflow that drops the connection.
    let far = api
        .list(&admin, &format!("page={}&size=1000", i64::MAX))
        .await;
    assert_eq!(
        (
            far["Records"].as_array().unwrap().len(),
            &far["HasNextPage"]
        ),
        (0, &json!(false))
    );
    assert_eq!(
        api.list(&admin, "size=1000").await["Records"]
            .as_array()
            .unwrap()
            .len(),
        23
    );

    for query in [
        "size=1001",
        "size=0",
        "page=0",
        "orderby=Secret",
        "dir=sideways",
        "AccessToken_Nope=1",
    ] {
        let r = api
            .get(&format!("{TOKENS}?{query}"))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{query}");
        assert!(body(r).await["Message"].is_string());
    }
    let r = api
        .get(&format!("{TOKENS}?size=1001"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(
        body(r).await["Message"],
        "size: a page holds 1 to 1000 records, not 1001."
    );
}

#[tokio::test]
async fn every_spelling_of_sort_direction() {
    let api = start(unthrottled()).await;
    let admin = api.admin().await;
    for code in ["BRAVO", "ALPHA", "CHARLIE"] {
        api.create(&admin, token(code)).await;
    }
    let up = ["ALPHA", "BRAVO", "CHARLIE"];
    let down = ["CHARLIE", "BRAVO", "ALPHA"];
    for (dir, want) in [
        ("Ascending", up),
        ("Descending", down),
        ("ASC", up),
        ("DESC", down),
        ("1", up),
        ("-1", down),
        ("0", up),
    ] {
        assert_eq!(
            api.codes(&admin, &format!("orderby=AccessCode&dir={dir}"))
                .await,
            want,
            "dir={dir}"
        );
    }
    assert_eq!(
        api.codes(&admin, "orderBy=AccessCode&dir=Descending").await,
        down,
        "orderBy spelling"
    );
    assert_eq!(
        api.list(&admin, "dir=Descending").await["CurrentSortDirection"],
        -1
    );
}

/// Text is ordered ignoring case, as codes are compared (and as SQL Server's default collation,
/// which Nexudus is built on, orders it): a code typed in lower case is not put after every upper
/// case one.
#[tokio::test]
async fn text_is_sorted_ignoring_case() {
    let api = start(unthrottled()).await;
    let admin = api.admin().await;
    for code in ["bravo", "ALPHA", "Charlie"] {
        api.create(&admin, token(code)).await;
    }
    assert_eq!(
        api.codes(&admin, "orderby=AccessCode&dir=Ascending").await,
        ["ALPHA", "bravo", "Charlie"]
    );
    assert_eq!(
        api.codes(&admin, "orderby=AccessCode&dir=Descending").await,
        ["Charlie", "bravo", "ALPHA"]
    );
}

#[tokio::test]
async fn every_filter_and_range() {
    let api = start(unthrottled()).await;
    let admin = api.admin().await;
    let a = api
        .create(
            &admin,
            token_with(
                "ALPHA-1",
                json!({"Description": "Meeting room 2 — Ada", "MinutesIncluded": 120, "MinutesLeft": 90,
                       "ValidFrom": "2025-01-15T09:00:00Z", "ValidTo": "2025-01-15T18:00:00Z", "UserLimit": 3,
                       "MacAddress": "02:1A:00:00:00:01", "BookingGuid": "BOOK-A", "VisitorGuid": "VIS-A",
                       "SystemId": "ext-77"}),
            ),
        )
        .await;
    api.create(
        &admin,
        token_with(
            "BRAVO-2",
            json!({"Description": "Day pass — Grace", "ValidFrom": "2025-02-01T08:00:00Z",
                   "ValidTo": "2025-02-03T08:00:00Z"}),
        ),
    )
    .await;
    let alpha = vec!["ALPHA-1".to_owned()];
    let bravo = vec!["BRAVO-2".to_owned()];
    for (query, want) in [
        ("AccessToken_AccessCode=alpha", &alpha),
        ("AccessToken_Description=room%202", &alpha),
        ("AccessToken_MinutesIncluded=120", &alpha),
        ("AccessToken_MinutesLeft=60", &bravo),
        ("AccessToken_UserLimit=3", &alpha),
        ("AccessToken_MacAddress=00:01", &alpha),
        ("AccessToken_BookingGuid=book-a", &alpha),
        ("AccessToken_VisitorGuid=VIS-A", &alpha),
        ("AccessToken_SystemId=ext", &alpha),
        (
            "AccessToken_Business=1001&AccessToken_AccessCode=BRAVO",
            &bravo,
        ),
        ("AccessToken_ValidFrom=2025-02-01", &bravo),
        ("AccessToken_ValidTo=2025-01-15T18:00", &alpha),
        ("from_AccessToken_ValidFrom=2025-01-20", &bravo),
        ("to_AccessToken_ValidTo=2025-01-15", &alpha),
        ("to_AccessToken_ValidTo=2025-01-15T17:59", &vec![]),
        ("from_AccessToken_MinutesIncluded=100", &alpha),
        ("to_AccessToken_MinutesLeft=60", &bravo),
        ("from_AccessToken_UserLimit=2", &alpha),
        (&format!("Id={a}") as &str, &alpha),
    ] {
        assert_eq!(&api.codes(&admin, query).await, want, "{query}");
    }
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    assert_eq!(
        api.codes(&admin, &format!("from_AccessToken_CreatedOn={today}"))
            .await
            .len(),
        2
    );
    assert_eq!(
        api.codes(&admin, "to_AccessToken_UpdatedOn=2020-01-01")
            .await
            .len(),
        0
    );
    assert_eq!(
        api.codes(&admin, "AccessToken_LastAccess=2025-01-01")
            .await
            .len(),
        0
    );

    let unique = api.list(&admin, "AccessToken_AccessCode=BRAVO").await["Records"][0]["UniqueId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        api.codes(&admin, &format!("UniqueId={}", unique.to_uppercase()))
            .await,
        bravo
    );

    // Several by id: a bare array, missing ids left out.
    let r = api
        .get(&format!("{TOKENS}?id=[{a},99999]"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    let records = body(r).await;
    assert_eq!(records.as_array().unwrap().len(), 1);
    assert_eq!(records[0]["AccessCode"], "ALPHA-1");

    // As many as fit in the front server's 2,048 bytes of query string, and not one more: a longer
    // one is refused before the API, and counts against no limit.
    let list = |n: usize| {
        let mut ids = vec![a.to_string()];
        ids.extend((1..n).map(|i| format!("{}", 1_000_000 + i)));
        format!("id=[{}]", ids.join(","))
    };
    let fits = (1..400).rev().find(|&n| list(n).len() <= 2048).unwrap();
    for (n, status) in [(fits, StatusCode::OK), (fits + 1, StatusCode::URI_TOO_LONG)] {
        let r = api
            .get(&format!("{TOKENS}?{}", list(n)))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), status, "{n} ids");
    }
}

#[tokio::test]
async fn unknown_api_paths_are_not_found() {
    let api = start(unthrottled()).await;
    let r = api.get("/api/spaces/nothing").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(r.text().await.unwrap(), "\"Not found\"");
}

#[tokio::test]
async fn demo_data_covers_every_state() {
    let api = start(Config {
        seed: 25,
        ..unthrottled()
    })
    .await;
    let admin = api.admin().await;
    let all = api.list(&admin, "size=100").await;
    let records: Vec<wifi_desk_wire::AccessToken> =
        serde_json::from_value(all["Records"].clone()).unwrap();
    assert!(records.len() >= 20, "{}", records.len());
    let now = chrono::Local::now().naive_local();
    let to = |r: &wifi_desk_wire::AccessToken| r.valid_to.unwrap().local();
    let from = |r: &wifi_desk_wire::AccessToken| r.valid_from.unwrap().local();
    assert!(records.iter().any(|r| to(r) < now), "expired");
    assert!(records.iter().any(|r| from(r) > now), "scheduled");
    assert!(
        records.iter().any(|r| r.minutes_left == 0 && to(r) > now),
        "used up"
    );
    assert!(
        records
            .iter()
            .any(|r| from(r) < now && to(r) > now && to(r) < now + chrono::Duration::hours(1)),
        "expiring soon"
    );
    assert!(
        records.iter().any(|r| r.minutes_left > 0
            && from(r) < now
            && to(r) > now + chrono::Duration::days(1)),
        "active"
    );
    assert!(
        records
            .iter()
            .any(|r| r.access_code.len() == 5 && r.access_code.chars().all(|c| c.is_ascii_digit())),
        "visitor style"
    );
    assert!(records
        .iter()
        .all(|r| !r.access_code.contains(['0', 'O', '1', 'I', 'l']) || r.access_code.len() == 5));
}
