//! `/api/token`, bearer tokens, Basic auth and roles, over HTTP.

mod common;

use std::time::Duration;

use base64::Engine;
use common::*;
use reqwest::StatusCode;
use serde_json::json;
use wifi_desk_sandbox::Config;

async fn token_request(api: &Api, form: &[(&str, &str)]) -> (StatusCode, serde_json::Value) {
    let r = api
        .http
        .post(api.url("/api/token"))
        .form(form)
        .send()
        .await
        .unwrap();
    (r.status(), body(r).await)
}

#[tokio::test]
async fn password_grant_answers_as_nexudus_does() {
    let api = start(unthrottled()).await;
    let grant = api.grant("admin@example.com").await;
    assert_eq!(grant["token_type"], "bearer");
    assert_eq!(grant["expires_in"], 604_799);
    assert!(grant["access_token"].as_str().unwrap().len() >= 40);
    assert!(grant["refresh_token"].is_string());

    let (status, b) = token_request(
        &api,
        &[
            ("grant_type", "password"),
            ("username", "admin@example.com"),
            ("password", "nope"),
        ],
    )
    .await;
    assert_eq!(
        (status, b["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_grant"))
    );

    let (_, b) = token_request(
        &api,
        &[
            ("grant_type", "password"),
            ("username", "nobody@example.com"),
            ("password", "wifi-desk"),
        ],
    )
    .await;
    assert_eq!(b["error"], "invalid_grant");

    let (_, b) = token_request(&api, &[("grant_type", "client_credentials")]).await;
    assert_eq!(b["error"], "unsupported_grant_type");

    let (_, b) = token_request(
        &api,
        &[
            ("grant_type", "password"),
            ("username", "reset@example.com"),
            ("password", "wifi-desk"),
        ],
    )
    .await;
    assert_eq!(b["error"], "must_reset_password");
}

#[tokio::test]
async fn json_is_refused_by_the_token_endpoint() {
    let api = start(unthrottled()).await;
    let r = api
        .http
        .post(api.url("/api/token"))
        .json(&json!({"grant_type": "password", "username": "admin@example.com", "password": "wifi-desk"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let b = body(r).await;
    assert_eq!(b["error"], "unsupported_grant_type");
    assert!(b["error_description"]
        .as_str()
        .unwrap()
        .contains("form-encoded"));
}

#[tokio::test]
async fn two_factor_needs_the_current_code() {
    let api = start(unthrottled()).await;
    let base = [
        ("grant_type", "password"),
        ("username", "twofactor@example.com"),
        ("password", "wifi-desk"),
    ];
    let (status, b) = token_request(&api, &base).await;
    assert_eq!(
        (status, b["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("two_factor_auth_check"))
    );

    let (_, b) = token_request(&api, &[base.as_slice(), &[("totp", "000000")]].concat()).await;
    assert_eq!(b["error"], "two_factor_auth_check");

    let code = body(
        api.get("/sandbox/totp?email=twofactor@example.com")
            .send()
            .await
            .unwrap(),
    )
    .await["code"]
        .as_str()
        .unwrap()
        .to_owned();
    // The code is a real TOTP of the documented secret, as an authenticator app would show.
    let secret = totp_rs::Secret::Encoded("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP".into())
        .to_bytes()
        .unwrap();
    let totp = totp_rs::TOTP::new(totp_rs::Algorithm::SHA1, 6, 1, 30, secret).unwrap();
    assert!(totp.check_current(&code).unwrap());

    let (status, b) = token_request(
        &api,
        &[base.as_slice(), &[("totp", code.as_str())]].concat(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{b}");
    assert!(b["access_token"].is_string());

    let r = api
        .get("/sandbox/totp?email=admin@example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "no two-factor, no code");
}

#[tokio::test]
async fn refresh_grant_checks_client_id_and_rotates() {
    let api = start(unthrottled()).await;
    let grant = api.grant("admin@example.com").await;
    let refresh = grant["refresh_token"].as_str().unwrap();
    let ask = |client_id: &'static str, refresh: String| {
        api.http
            .post(api.url("/api/token"))
            .header("client_id", client_id)
            .form(&[
                ("grant_type", "refresh_token".to_owned()),
                ("refresh_token", refresh),
            ])
            .send()
    };
    let r = ask("someone-else", refresh.to_owned()).await.unwrap();
    assert_eq!(body(r).await["error"], "invalid_grant");

    // With no client_id at sign-in, the login email is the client_id.
    let r = ask("admin@example.com", refresh.to_owned()).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let renewed = body(r).await;
    let bearer = renewed["access_token"].as_str().unwrap();
    let r = api.get(TOKENS).bearer_auth(bearer).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    let r = ask("admin@example.com", refresh.to_owned()).await.unwrap();
    assert_eq!(
        body(r).await["error"],
        "invalid_grant",
        "a refresh token is used once"
    );
}

#[tokio::test]
async fn missing_bad_and_expired_tokens_are_401() {
    let api = start(Config {
        token_ttl: Duration::from_secs(1),
        ..unthrottled()
    })
    .await;
    let r = api.get(TOKENS).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    // Never a Basic challenge: that would make a browser pop up its own sign-in box.
    assert_eq!(r.headers()["www-authenticate"], "Bearer");

    let r = api
        .get(TOKENS)
        .bearer_auth("not-a-token")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    let bearer = api.admin().await;
    assert_eq!(
        api.get(TOKENS)
            .bearer_auth(&bearer)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let r = api.get(TOKENS).bearer_auth(&bearer).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "expired");
}

#[tokio::test]
async fn basic_auth_is_accepted() {
    let api = start(unthrottled()).await;
    let basic = |pw: &str| {
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("admin@example.com:{pw}"))
        )
    };
    let r = api
        .get(TOKENS)
        .header("authorization", basic("wifi-desk"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = api
        .get(TOKENS)
        .header("authorization", basic("wrong"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_missing_role_is_403_naming_it() {
    let api = start(unthrottled()).await;
    let admin = api.admin().await;
    let id = api.create(&admin, token("ROLE-1")).await;

    let viewer = api.bearer("viewer@example.com").await;
    assert_eq!(api.total(&viewer).await, 1, "viewer may list");
    let r = api
        .http
        .post(api.url(TOKENS))
        .bearer_auth(&viewer)
        .json(&token("ROLE-2"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(body(r).await["Message"]
        .as_str()
        .unwrap()
        .contains("AccessToken-Create"));

    let reception = api.bearer("reception@example.com").await;
    let r = api
        .http
        .delete(api.url(&format!("{TOKENS}/{id}")))
        .bearer_auth(&reception)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(body(r).await["Message"]
        .as_str()
        .unwrap()
        .contains("AccessToken-Delete"));
    let r = api
        .http
        .post(api.url(&format!("{TOKENS}/runcommand")))
        .bearer_auth(&viewer)
        .json(&json!({"Key": "EXPIRE_NOW", "Ids": [id], "Parameters": []}))
        .send()
        .await
        .unwrap();
    assert!(body(r).await["Message"]
        .as_str()
        .unwrap()
        .contains("AccessToken-Edit"));
    assert_eq!(api.total(&admin).await, 1, "nothing was deleted");
}
