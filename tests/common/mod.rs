//! The storefront's real router on a free port, with the Wix emulator behind it, for the
//! integration tests (`tests/sessions.rs`, `tests/members.rs`). Each test binary uses part of it.
#![allow(dead_code, unused_imports)]

pub use std::net::SocketAddr;

pub use leptos::{config::LeptosOptions, server_fn::ServerFn};
pub use tower_cookies::{cookie::CookieJar, Cookie, Key};
pub use wix_emulator::{EmulatorConfig, RunningEmulator, Settings};
pub use wix_headless::{ClientConfig, FakeClock, Tokens, WixClient};
pub use wix_storefront::{
    api::{
        cart::{AddToCart, GetCartSummary},
        catalog::SearchProducts,
    },
    server::{
        config::Config,
        router,
        session::{cookie_key, COOKIE_NAME},
        state::AppState,
    },
};

pub const SECRET: &str = "test-secret-test-secret-test-secret-0123";
pub const CLIENT_ID: &str = "emulator-client";

pub struct Store {
    pub emulator: RunningEmulator,
    pub base: String,
    pub clock: FakeClock,
    pub wix: WixClient,
    pub key: Key,
    pub http: reqwest::Client,
    pub _dir: tempfile::TempDir,
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64
}

pub async fn store() -> Store {
    store_with(&[]).await
}

/// A store whose configuration also has `vars`.
pub async fn store_with(vars: &[(&str, &str)]) -> Store {
    let dir = tempfile::tempdir().expect("temp dir");
    let emulator = RunningEmulator::start(
        EmulatorConfig::new(dir.path().join("emulator.sqlite")),
        SocketAddr::from(([127, 0, 0, 1], 0)),
    )
    .await
    .expect("emulator");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let data_dir = dir.path().display().to_string();
    let vars: Vec<(String, String)> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let config = Config::from_lookup(
        |name| {
            let set = vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
            set.or(match name {
                "WIX_DATA_DIR" => Some(data_dir.clone()),
                "SESSION_SECRET" => Some(SECRET.into()),
                _ => None,
            })
        },
        addr,
        true,
    )
    .expect("config");
    let clock = FakeClock::at(now());
    let wix = WixClient::with_clock(
        ClientConfig::new(CLIENT_ID)
            .base_url(emulator.base_url())
            .timeout(config.wix_timeout),
        clock.clone(),
    )
    .expect("client");
    let site_root = vars
        .iter()
        .find(|(k, _)| k == "LEPTOS_SITE_ROOT")
        .map_or("target/site".to_owned(), |(_, v)| v.clone());
    let options = LeptosOptions::builder()
        .output_name("wix-storefront")
        .site_root(site_root)
        .site_addr(addr)
        .build();
    let secrets = config.session_secrets.clone().expect("a secret");
    let app = router::build(AppState::new(options, config, wix.clone(), &secrets));
    tokio::spawn(async move {
        axum::serve(listener, app).await.expect("serve");
    });
    Store {
        emulator,
        base: format!("http://{addr}"),
        clock,
        wix,
        key: cookie_key(SECRET),
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http"),
        _dir: dir,
    }
}

impl Store {
    /// A `Cookie:` header value for these tokens, sealed like the server does.
    pub fn cookie(&self, client_id: &str, tokens: &Tokens) -> String {
        let payload =
            serde_json::json!({"clientId": client_id, "tokens": tokens, "issuedAt": now()});
        let mut jar = CookieJar::new();
        jar.private_mut(&self.key)
            .add(Cookie::new(COOKIE_NAME, payload.to_string()));
        format!(
            "{COOKIE_NAME}={}",
            jar.get(COOKIE_NAME).expect("sealed").value()
        )
    }

    pub async fn page(&self, path: &str, cookie: Option<&str>) -> reqwest::Response {
        let mut request = self.http.get(format!("{}{path}", self.base));
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await.expect("response")
    }

    /// A page's status and HTML.
    pub async fn text(&self, path: &str, cookie: Option<&str>) -> (u16, String) {
        let response = self.page(path, cookie).await;
        let status = response.status().as_u16();
        (status, response.text().await.expect("html"))
    }

    pub async fn server_fn(
        &self,
        path: &str,
        body: &str,
        cookie: Option<&str>,
        origin: Option<&str>,
    ) -> reqwest::Response {
        let mut request = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body(body.to_owned());
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        request.send().await.expect("response")
    }

    pub async fn cart_count(&self, cookie: &str) -> u64 {
        let response = self
            .server_fn(GetCartSummary::PATH, "", Some(cookie), None)
            .await;
        assert_eq!(response.status(), 200);
        let body: serde_json::Value = response.json().await.expect("json");
        body["item_count"].as_u64().expect("count")
    }

    /// Adds one no-options product; returns the session cookie the server set, if any.
    pub async fn add_one(&self, cookie: Option<&str>) -> Option<String> {
        let body = format!(
            "product_id={}&variant_id=&quantity=1&return_to=%2F",
            self.no_option_product().await
        );
        let response = self
            .server_fn(AddToCart::PATH, &body, cookie, Some(&self.base))
            .await;
        assert_eq!(response.status(), 200);
        set_cookie(&response)
    }

    pub async fn no_option_product(&self) -> String {
        let token = self
            .wix
            .anonymous_tokens()
            .await
            .expect("tokens")
            .access_token
            .value;
        self.wix
            .product_by_slug(&token, "canyon-notebook")
            .await
            .expect("get")
            .expect("demo product")
            .id
    }
}

/// `wix_session=…` from a response's Set-Cookie, if it set one (not a removal).
pub fn set_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{COOKIE_NAME}=")) && !v.contains("Max-Age=0"))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

pub fn removes_cookie(response: &reqwest::Response) -> bool {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.starts_with(&format!("{COOKIE_NAME}=")) && v.contains("Max-Age=0"))
}
