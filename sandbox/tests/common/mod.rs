//! Starting a sandbox on a free loopback port and talking to it.

#![allow(dead_code)]

use reqwest::{Client, RequestBuilder, Response, StatusCode};
use serde_json::{json, Value};
use wifi_desk_sandbox::{Config, Limits, Sandbox};

pub const TOKENS: &str = "/api/spaces/accesstokens";

pub struct Api {
    pub sandbox: Sandbox,
    pub http: Client,
}

/// A sandbox with throttling off, unless the test sets limits itself.
pub async fn start(config: Config) -> Api {
    let sandbox = Sandbox::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .expect("sandbox starts");
    Api {
        sandbox,
        http: Client::new(),
    }
}

pub fn unthrottled() -> Config {
    Config {
        limits: Limits::off(),
        ..Config::default()
    }
}

pub async fn body(r: Response) -> Value {
    let text = r.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"))
}

impl Api {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sandbox.url())
    }

    pub fn get(&self, path: &str) -> RequestBuilder {
        self.http.get(self.url(path))
    }

    /// The whole grant of a password sign-in.
    pub async fn grant(&self, email: &str) -> Value {
        let r = self
            .http
            .post(self.url("/api/token"))
            .form(&[
                ("grant_type", "password"),
                ("username", email),
                ("password", "wifi-desk"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "sign-in of {email}");
        body(r).await
    }

    /// A bearer token for a demo user.
    pub async fn bearer(&self, email: &str) -> String {
        self.grant(email).await["access_token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub async fn admin(&self) -> String {
        self.bearer("admin@example.com").await
    }

    /// Asks to create a token with the bearer `token`, whatever the answer.
    pub async fn try_create(&self, token: &str, fields: &Value) -> Response {
        self.http
            .post(self.url(TOKENS))
            .bearer_auth(token)
            .json(fields)
            .send()
            .await
            .unwrap()
    }

    /// Creates a token as admin and returns its Id.
    pub async fn create(&self, token: &str, fields: Value) -> i64 {
        let r = self.try_create(token, &fields).await;
        assert_eq!(r.status(), StatusCode::OK, "create {fields}");
        let b = body(r).await;
        assert_eq!(b["WasSuccessful"], true);
        b["Value"]["Id"].as_i64().unwrap()
    }

    pub async fn list(&self, token: &str, query: &str) -> Value {
        let r = self
            .get(&format!("{TOKENS}?{query}"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "list ?{query}");
        body(r).await
    }

    /// The access codes a list answers with, in order.
    pub async fn codes(&self, token: &str, query: &str) -> Vec<String> {
        self.list(token, query).await["Records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["AccessCode"].as_str().unwrap().to_owned())
            .collect()
    }

    pub async fn total(&self, token: &str) -> i64 {
        self.list(token, "").await["TotalItems"].as_i64().unwrap()
    }
}

/// A valid create body with the given code.
pub fn token(code: &str) -> Value {
    json!({
        "BusinessId": 1001,
        "AccessCode": code,
        "MinutesIncluded": 60,
        "MinutesLeft": 60
    })
}

/// Merges `extra` into a valid create body.
pub fn token_with(code: &str, extra: Value) -> Value {
    let mut t = token(code);
    for (k, v) in extra.as_object().unwrap() {
        t[k] = v.clone();
    }
    t
}
