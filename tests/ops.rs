//! The storefront binary as an operator runs it: graceful shutdown on SIGTERM, the request
//! deadline, request ids in logs and on responses, metrics, and logs that never hold a token.
#![cfg(all(feature = "ssr", unix))]

use std::{
    io::Read,
    net::TcpListener,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

/// A port free now and not handed out before in this process: the kernel may offer a port again
/// once its listener is dropped, and the metrics listener once got the emulator's port.
fn free_port() -> u16 {
    static HANDED_OUT: std::sync::Mutex<Vec<u16>> = std::sync::Mutex::new(Vec::new());
    let mut handed_out = HANDED_OUT.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        if !handed_out.contains(&port) {
            handed_out.push(port);
            return port;
        }
    }
}

struct Server {
    child: Child,
    base: String,
    _dir: tempfile::TempDir,
}

impl Server {
    /// The storefront with its embedded emulator, and `vars` on top.
    fn start(vars: &[(&str, &str)]) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let (port, emulator) = (free_port(), free_port());
        let mut command = Command::new(env!("CARGO_BIN_EXE_wix-storefront"));
        command
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_SITE_ROOT", "target/site")
            .env("WIX_DATA_DIR", dir.path())
            .env("WIX_EMULATOR_LISTEN", format!("127.0.0.1:{emulator}"))
            .env("WIX_EMULATOR_ADMIN", "true")
            .env("RUST_LOG", "info")
            .env_remove("WIX_CLIENT_ID")
            .env_remove("LEPTOS_ENV")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (name, value) in vars {
            command.env(name, value);
        }
        let child = command.spawn().expect("the storefront starts");
        let base = format!("http://127.0.0.1:{port}");
        let server = Self {
            child,
            base,
            _dir: dir,
        };
        server.wait_ready();
        server
    }

    fn wait_ready(&self) {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            if std::net::TcpStream::connect(self.base.trim_start_matches("http://")).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("the storefront did not start");
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
    }

    /// Waits for the process to exit; its status and everything it logged.
    fn finish(mut self, within: Duration) -> (Option<i32>, String) {
        let started = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                break status.code();
            }
            if started.elapsed() > within {
                let _ = self.child.kill();
                break None;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let mut logs = String::new();
        if let Some(mut out) = self.child.stdout.take() {
            let _ = out.read_to_string(&mut logs);
        }
        if let Some(mut err) = self.child.stderr.take() {
            let _ = err.read_to_string(&mut logs);
        }
        (status, logs)
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

#[tokio::test]
async fn sigterm_lets_a_slow_page_finish_then_exits_cleanly() {
    let server = Server::start(&[
        (
            "WIX_EMULATOR_SETTINGS",
            r#"{"latencyMs": 1500, "faultPathPrefix": "/stores"}"#,
        ),
        ("SHUTDOWN_GRACE_SECS", "10"),
    ]);
    let http = client();
    assert_eq!(
        http.get(format!("{}/readyz", server.base))
            .send()
            .await
            .expect("ready")
            .status(),
        200
    );
    // A page whose catalog reads take 1.5 s is in flight when SIGTERM arrives.
    let slow = tokio::spawn({
        let (http, url) = (http.clone(), format!("{}/search?q=slow", server.base));
        async move { http.get(url).send().await }
    });
    tokio::time::sleep(Duration::from_millis(400)).await;
    server.signal("TERM");
    let page = slow.await.expect("joined").expect("answered");
    assert_eq!(page.status(), 200, "the request in flight completed");
    // No new connections are taken.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(http
        .get(format!("{}/healthz", server.base))
        .send()
        .await
        .is_err());
    let (status, logs) = server.finish(Duration::from_secs(15));
    assert_eq!(status, Some(0), "{logs}");
    assert!(logs.contains("stopping"), "{logs}");
}

#[tokio::test]
async fn a_slow_request_gets_the_504_page_at_the_deadline() {
    let server = Server::start(&[
        (
            "WIX_EMULATOR_SETTINGS",
            r#"{"latencyMs": 3000, "faultPathPrefix": "/stores"}"#,
        ),
        ("REQUEST_DEADLINE_MS", "700"),
        ("WIX_TIMEOUT_MS", "10000"),
    ]);
    let started = Instant::now();
    let page = client()
        .get(format!("{}/search?q=deadline", server.base))
        .send()
        .await
        .expect("answered");
    assert_eq!(page.status(), 504);
    assert!(started.elapsed() < Duration::from_millis(2_000));
    assert!(page.text().await.expect("html").contains("took too long"));
    server.signal("TERM");
    let (status, _) = server.finish(Duration::from_secs(15));
    assert_eq!(status, Some(0));
}

#[tokio::test]
async fn request_ids_metrics_and_logs_without_secrets() {
    let metrics_port = free_port();
    let server = Server::start(&[
        ("METRICS_LISTEN", &format!("127.0.0.1:{metrics_port}")),
        ("LOG_FORMAT", "json"),
        // Every level of every crate: nothing may print a token or a cookie.
        ("RUST_LOG", "trace"),
    ]);
    let http = client();
    // An add mints a visitor: tokens exist, and a cookie carries them.
    let product = http
        .get(format!("{}/product/canyon-notebook", server.base))
        .header("x-request-id", "ops-test-0001")
        .send()
        .await
        .expect("page");
    assert_eq!(product.headers()["x-request-id"], "ops-test-0001");
    let html = product.text().await.expect("html");
    let action = html
        .split("action=\"")
        .filter_map(|rest| rest.split('"').next())
        .find(|a| a.contains("add_to_cart"))
        .expect("the add form")
        .to_owned();
    let id_start = html
        .find("name=\"product_id\" value=\"")
        .expect("product id")
        + 25;
    let product_id = &html[id_start..id_start + html[id_start..].find('"').expect("end")];
    let added = http
        .post(format!("{}{action}", server.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body(format!(
            "product_id={product_id}&variant_id=&quantity=1&return_to=%2F"
        ))
        .send()
        .await
        .expect("add");
    assert_eq!(added.status(), 200);
    let generated = added.headers()["x-request-id"]
        .to_str()
        .expect("id")
        .to_owned();
    assert_eq!(generated.len(), 36, "a UUID when the caller sent none");
    let cookie = added
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("wix_session="))
        .expect("a session")
        .split(';')
        .next()
        .expect("cookie")
        .to_owned();
    let cart = http
        .get(format!("{}/cart", server.base))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("cart");
    assert_eq!(cart.status(), 200);

    let metrics = http
        .get(format!("http://127.0.0.1:{metrics_port}/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    for name in [
        "http_requests_total",
        "http_request_duration_seconds",
        "http_requests_in_flight",
        "wix_requests_total",
        "wix_request_duration_seconds",
        "wix_token_calls_total",
        "storefront_cache_requests_total",
    ] {
        assert!(metrics.contains(name), "{name} missing:\n{metrics}");
    }
    assert!(
        metrics.contains("route=\"/product/{slug}\""),
        "routes, not paths"
    );

    server.signal("TERM");
    let (_, logs) = server.finish(Duration::from_secs(15));
    assert!(
        logs.contains("\"request_id\":\"ops-test-0001\""),
        "request ids in log lines"
    );
    let value = cookie.split_once('=').expect("value").1;
    assert!(!logs.contains(value), "the cookie reached the logs");
    assert!(
        !logs.contains("OauthNG.JWS."),
        "an access token reached the logs"
    );
    assert!(
        !logs.match_indices("JWS.").any(|(at, _)| logs[at + 4..]
            .chars()
            .take(16)
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')),
        "a refresh token reached the logs"
    );
}
