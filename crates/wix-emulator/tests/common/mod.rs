//! A running emulator and a tiny HTTP client for the emulator's own tests.
#![allow(dead_code)]

use std::net::SocketAddr;

use serde_json::{json, Value};
use wix_emulator::{EmulatorConfig, RunningEmulator};

pub const STORES_APP_ID: &str = "215238eb-22a5-4c36-9e7b-e7c08025e04e";

pub struct Emu {
    pub emulator: RunningEmulator,
    pub base: String,
    pub http: reqwest::Client,
    pub dir: tempfile::TempDir,
}

pub async fn start() -> Emu {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = EmulatorConfig::new(dir.path().join("emulator.sqlite"));
    config.admin_enabled = true;
    let emulator = RunningEmulator::start(config, SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("emulator starts");
    Emu {
        base: emulator.base_url(),
        emulator,
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
        dir,
    }
}

impl Emu {
    /// The HTML of a hosted page.
    pub async fn html(&self, url: &str) -> String {
        self.http
            .get(url)
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("html")
    }

    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.header("authorization", token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("response");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn ok(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Value {
        let (status, body) = self.call(method, path, token, body).await;
        assert_eq!(status, 200, "{method} {path}: {body}");
        body
    }

    /// `(access token, refresh token)` of a new visitor.
    pub async fn visitor(&self) -> (String, String) {
        let body = self
            .ok(
                "POST",
                "/oauth2/token",
                None,
                Some(json!({"clientId": "c", "grantType": "anonymous"})),
            )
            .await;
        (
            body["access_token"].as_str().expect("access").to_owned(),
            body["refresh_token"].as_str().expect("refresh").to_owned(),
        )
    }

    pub async fn product(&self, token: &str, slug: &str) -> Value {
        self.ok(
            "GET",
            &format!("/stores/v3/products/slug/{slug}?fields=CURRENCY&fields=VARIANT_OPTION_CHOICE_NAMES&fields=URL&fields=PLAIN_DESCRIPTION"),
            Some(token),
            None,
        )
        .await["product"]
            .clone()
    }

    /// A catalogReference for an in-stock variant of `slug` (the first one), and one sold out.
    pub async fn variants(&self, token: &str, slug: &str) -> (Value, Option<Value>) {
        let product = self.product(token, slug).await;
        let variants = product["variantsInfo"]["variants"]
            .as_array()
            .expect("variants")
            .clone();
        let reference = |v: &Value| json!({"catalogItemId": product["id"], "appId": STORES_APP_ID, "options": {"variantId": v["id"]}});
        let in_stock = variants
            .iter()
            .find(|v| v["inventoryStatus"]["inStock"] == true)
            .expect("in stock");
        let sold_out = variants
            .iter()
            .find(|v| v["inventoryStatus"]["inStock"] == false);
        (reference(in_stock), sold_out.map(reference))
    }
}

/// Asserts `actual` has every field of `expected`, with the same JSON type, recursively (arrays:
/// the first element of each). Extra fields are allowed, as Wix adds fields over time.
pub fn assert_shape(path: &str, expected: &Value, actual: &Value) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, value) in e {
                let child = format!("{path}.{key}");
                let Some(actual) = a.get(key) else {
                    panic!("{child} is missing in {}", Value::Object(a.clone()));
                };
                assert_shape(&child, value, actual);
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if let (Some(e), Some(a)) = (e.first(), a.first()) {
                assert_shape(&format!("{path}[0]"), e, a);
            }
        }
        (Value::Null, _) | (_, Value::Null) => {}
        (e, a) => assert_eq!(
            std::mem::discriminant(e),
            std::mem::discriminant(a),
            "{path}: expected a value like {e}, got {a}"
        ),
    }
}
