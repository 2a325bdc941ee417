//! HTTP plumbing shared by every Wix call: base URL, timeouts, the raw-token `Authorization`
//! header (wix-api.md §1.2) and error parsing.

use std::{sync::Arc, time::Duration};

use reqwest::{header, Method};
use serde::{de::DeserializeOwned, Serialize};

use crate::{
    error::WixError,
    tokens::{Clock, SystemClock},
};

pub const DEFAULT_BASE_URL: &str = "https://www.wixapis.com";

#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// The Headless OAuth app's client id.
    pub client_id: String,
    /// `https://www.wixapis.com`, or an emulator's URL.
    pub base_url: String,
    /// Whole-request timeout for every call.
    pub timeout: Duration,
    /// Treat access tokens as expired this many seconds early (the SDK uses 0).
    pub renew_margin_secs: i64,
    /// Which cart API to speak (both give the same [`crate::cart::Cart`]).
    pub cart_api: crate::cart::CartApi,
}

impl ClientConfig {
    pub fn new(client_id: impl Into<String>) -> Self {
        Self {
            client_id: client_id.into(),
            base_url: DEFAULT_BASE_URL.into(),
            timeout: Duration::from_secs(10),
            renew_margin_secs: 60,
            cart_api: crate::cart::CartApi::default(),
        }
    }

    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into().trim_end_matches('/').to_owned();
        self
    }

    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn renew_margin_secs(mut self, secs: i64) -> Self {
        self.renew_margin_secs = secs;
        self
    }

    pub fn cart_api(mut self, cart_api: crate::cart::CartApi) -> Self {
        self.cart_api = cart_api;
        self
    }
}

/// A cheap-to-clone client; it holds no visitor state.
#[derive(Clone)]
pub struct WixClient {
    http: reqwest::Client,
    config: Arc<ClientConfig>,
    clock: Arc<dyn Clock>,
}

impl WixClient {
    pub fn new(config: ClientConfig) -> Result<Self, WixError> {
        Self::with_clock(config, SystemClock)
    }

    pub fn with_clock(config: ClientConfig, clock: impl Clock) -> Result<Self, WixError> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(5)))
            .tcp_nodelay(true)
            .pool_idle_timeout(Duration::from_secs(60))
            .user_agent(concat!("wix-headless-rust/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(WixError::from_reqwest)?;
        Ok(Self {
            http,
            config: Arc::new(config),
            clock: Arc::new(clock),
        })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    pub fn client_id(&self) -> &str {
        &self.config.client_id
    }

    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// [`Self::send`] for a call that only reads (a GET, or a search/estimate POST that changes
    /// nothing): one retry after a failure that may pass — a 5xx, a dropped connection, or a 429
    /// whose `Retry-After` is short. Never after a timeout (the shopper has already waited the
    /// whole budget) and never for a mutation, which could then be applied twice.
    pub(crate) async fn read<B, T>(
        &self,
        method: Method,
        path: &str,
        access_token: Option<&str>,
        body: Option<&B>,
    ) -> Result<T, WixError>
    where
        B: Serialize + ?Sized,
        T: DeserializeOwned,
    {
        match self.send(method.clone(), path, access_token, body).await {
            Err(error) => match retry_delay(&error) {
                Some(delay) => {
                    tracing::debug!(path, %error, ?delay, "retrying a read");
                    tokio::time::sleep(delay).await;
                    self.send(method, path, access_token, body).await
                }
                None => Err(error),
            },
            ok => ok,
        }
    }

    /// Sends one request and decodes a 200 body. `access_token` goes raw into `Authorization`.
    pub(crate) async fn send<B, T>(
        &self,
        method: Method,
        path: &str,
        access_token: Option<&str>,
        body: Option<&B>,
    ) -> Result<T, WixError>
    where
        B: Serialize + ?Sized,
        T: DeserializeOwned,
    {
        let url = format!("{}{}", self.config.base_url, path);
        let mut request = self.http.request(method.clone(), url);
        if let Some(token) = access_token {
            request = request.header(header::AUTHORIZATION, token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.map_err(WixError::from_reqwest)?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.map_err(WixError::from_reqwest)?;
        if status != 200 {
            let error = WixError::from_response(status, &headers, &bytes);
            tracing::debug!(%method, path, status, code = error.code(), "Wix call failed");
            return Err(error);
        }
        serde_json::from_slice(&bytes).map_err(|e| WixError::Decode(format!("{path}: {e}")))
    }
}

/// The longest `Retry-After` worth waiting for inside one page request.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(1);
/// Pause before retrying a 5xx or a dropped connection.
const RETRY_PAUSE: Duration = Duration::from_millis(50);

/// How long to wait before retrying a failed read, or `None` when a retry cannot help in time.
pub(crate) fn retry_delay(error: &WixError) -> Option<Duration> {
    match error {
        WixError::Api {
            status: 429,
            retry_after_secs,
            ..
        } => {
            let wait = Duration::from_secs(retry_after_secs.unwrap_or(1));
            (wait <= MAX_RETRY_AFTER).then_some(wait)
        }
        WixError::Api { status, .. } if *status >= 500 => Some(RETRY_PAUSE),
        WixError::Transport(_) => Some(RETRY_PAUSE),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16, retry_after_secs: Option<u64>) -> WixError {
        WixError::Api {
            status,
            code: None,
            message: String::new(),
            request_id: None,
            retry_after_secs,
        }
    }

    #[test]
    fn only_failures_that_may_pass_soon_are_retried() {
        assert_eq!(retry_delay(&api(503, None)), Some(RETRY_PAUSE));
        assert_eq!(
            retry_delay(&WixError::Transport("reset".into())),
            Some(RETRY_PAUSE)
        );
        assert_eq!(
            retry_delay(&api(429, Some(1))),
            Some(Duration::from_secs(1))
        );
        assert_eq!(retry_delay(&api(429, Some(30))), None, "too long to wait");
        assert_eq!(retry_delay(&WixError::Timeout), None, "budget spent");
        assert_eq!(retry_delay(&api(400, None)), None);
        assert_eq!(retry_delay(&api(401, None)), None, "handled by renewal");
        assert_eq!(retry_delay(&WixError::Decode("x".into())), None);
    }
}
