//! Running in production: liveness and readiness for orchestrators and load balancers, graceful
//! shutdown, and a deadline on every page and server function.

use std::{
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::Duration,
};

use axum::{
    extract::{Request, State},
    http::{header, StatusCode},
    middleware::Next,
    response::{Html, IntoResponse, Response},
    routing::get,
    Router,
};

use super::state::AppState;
use crate::api::error::StoreError;

/// Set once the process was asked to stop: readiness fails so balancers send no new work.
#[derive(Clone, Default)]
pub struct Draining(Arc<AtomicBool>);

impl Draining {
    pub fn start(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_set(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

/// The process serves.
async fn healthz() -> &'static str {
    "ok"
}

/// Ready for shoppers: configuration loaded (it is, or the process would not run), not
/// draining, and Wix reachable (the server-wide token is valid or can be obtained).
async fn readyz(State(state): State<AppState>) -> Response {
    if state.draining.is_set() {
        return (StatusCode::SERVICE_UNAVAILABLE, "draining").into_response();
    }
    match state.shared_visitor.access_token(&state.wix).await {
        Ok(_) => "ready".into_response(),
        Err(error) => {
            tracing::warn!(%error, "not ready: Wix is not reachable");
            (StatusCode::SERVICE_UNAVAILABLE, "Wix is not reachable").into_response()
        }
    }
}

/// Resolves on SIGTERM (what Docker and Kubernetes send) or Ctrl-C.
pub async fn stop_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}

/// Every page and server function answers within the deadline: several sequential Wix calls
/// can never hold a request for minutes. A page past it gets the 504 page, a server function
/// the 504 error.
pub async fn deadline(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let is_server_fn = request.uri().path().starts_with("/api/");
    let limit = state.config.request_deadline;
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(?limit, "request deadline passed");
            metrics::counter!("http_request_deadlines_total").increment(1);
            too_slow(is_server_fn)
        }
    }
}

fn too_slow(is_server_fn: bool) -> Response {
    let error = StoreError::Timeout;
    if is_server_fn {
        let body = serde_json::to_string(&error).unwrap_or_default();
        return (
            StatusCode::GATEWAY_TIMEOUT,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response();
    }
    (
        StatusCode::GATEWAY_TIMEOUT,
        Html(format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>We could not load this page</title>\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head><body>\
             <h1>We could not load this page</h1><p>{}</p><p><a href=\"\">Try again</a></p></body></html>",
            error.message()
        )),
    )
        .into_response()
}

/// Waits for the server to finish its in-flight requests, at most `grace` after `stopped`.
pub async fn drain(
    server: impl std::future::Future<Output = std::io::Result<()>>,
    stopped: Arc<tokio::sync::Notify>,
    grace: Duration,
) -> std::io::Result<()> {
    tokio::select! {
        result = server => result,
        () = async {
            stopped.notified().await;
            tokio::time::sleep(grace).await;
        } => {
            tracing::warn!(?grace, "drain deadline passed with requests still in flight");
            Ok(())
        }
    }
}

/// `wix-storefront healthcheck`: asks the running server's `/healthz` (at `LEPTOS_SITE_ADDR`)
/// and exits 0 when it answers 200.
pub async fn healthcheck() -> std::process::ExitCode {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = std::env::var("LEPTOS_SITE_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".into());
    // A server listening on every address answers on loopback.
    let addr = addr
        .replacen("0.0.0.0", "127.0.0.1", 1)
        .replacen("[::]", "[::1]", 1);
    let check = async {
        let mut stream = tokio::net::TcpStream::connect(&addr).await?;
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .await?;
        let mut head = [0u8; 12];
        stream.read_exact(&mut head).await?;
        Ok::<bool, std::io::Error>(head.starts_with(b"HTTP/1.1 200"))
    };
    match tokio::time::timeout(Duration::from_secs(3), check).await {
        Ok(Ok(true)) => std::process::ExitCode::SUCCESS,
        _ => std::process::ExitCode::FAILURE,
    }
}
