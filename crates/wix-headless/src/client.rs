//! HTTP plumbing shared by every Wix call: base URL, timeouts, the raw-token `Authorization`
//! header (wix-api.md §1.2) and error parsing.

use std::{sync::Arc, time::Duration};

use bytes::Bytes;
use reqwest::{header, Method};
use serde::{de::DeserializeOwned, Serialize};

use crate::{
    error::WixError,
    tokens::{Clock, SystemClock},
};

pub const DEFAULT_BASE_URL: &str = "https://www.wixapis.com";
/// Where Wix serves media files (and their resized copies, §9.1).
pub const DEFAULT_MEDIA_BASE_URL: &str = "https://static.wixstatic.com/media/";

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
    /// The media host's `…/media/` prefix, ending in `/`: images under it are resized by URL.
    pub media_base_url: String,
}

impl ClientConfig {
    pub fn new(client_id: impl Into<String>) -> Self {
        Self {
            client_id: client_id.into(),
            base_url: DEFAULT_BASE_URL.into(),
            timeout: Duration::from_secs(10),
            renew_margin_secs: 60,
            cart_api: crate::cart::CartApi::default(),
            media_base_url: DEFAULT_MEDIA_BASE_URL.into(),
        }
    }

    /// Another media host (the emulator serves its images the way Wix's media host does).
    pub fn media_base_url(mut self, base: impl Into<String>) -> Self {
        let mut base = base.into();
        if !base.ends_with('/') {
            base.push('/');
        }
        self.media_base_url = base;
        self
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
    /// Which categories filter form this Wix site accepts (see `catalog::categories`).
    category_filter: Arc<crate::catalog::FilterMemory>,
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
            category_filter: Default::default(),
        })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    pub(crate) fn category_filter(&self) -> &crate::catalog::FilterMemory {
        &self.category_filter
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
        let bytes = self
            .exchange(method, path, access_token, body)
            .await
            .map_err(Failure::into_error)?;
        decode(path, &bytes)
    }

    /// One request; a 200 gives its body, anything else a [`Failure`] the caller may read more
    /// closely (the token endpoint tells an invalid grant from other refusals).
    pub(crate) async fn exchange<B>(
        &self,
        method: Method,
        path: &str,
        access_token: Option<&str>,
        body: Option<&B>,
    ) -> Result<Bytes, Failure>
    where
        B: Serialize + ?Sized,
    {
        let url = format!("{}{}", self.config.base_url, path);
        let mut request = self.http.request(method.clone(), url);
        if let Some(token) = access_token {
            request = request.header(header::AUTHORIZATION, token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let started = std::time::Instant::now();
        let endpoint = endpoint_label(path);
        let sent = request.send().await;
        let elapsed = started.elapsed().as_secs_f64();
        metrics::histogram!("wix_request_duration_seconds", "endpoint" => endpoint.clone())
            .record(elapsed);
        let status_label = match &sent {
            Ok(response) => response.status().as_u16().to_string(),
            Err(error) if error.is_timeout() => "timeout".to_owned(),
            Err(_) => "unreachable".to_owned(),
        };
        metrics::counter!("wix_requests_total", "endpoint" => endpoint, "status" => status_label)
            .increment(1);
        let response = sent.map_err(|e| Failure::Other(WixError::from_reqwest(e)))?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let request_id = response
            .headers()
            .get("x-wix-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = response
            .bytes()
            .await
            .map_err(|e| Failure::Other(WixError::from_reqwest(e)))?;
        if status == 200 {
            return Ok(bytes);
        }
        tracing::debug!(%method, path, status, request_id, "Wix call failed");
        Err(Failure::Http {
            status,
            retry_after,
            body: bytes,
        })
    }
}

/// A path as a metrics label: no query, and no slug (which would make one series per product).
fn endpoint_label(path: &str) -> String {
    let path = path.split('?').next().unwrap_or_default();
    match path.find("/slug/") {
        Some(at) => format!("{}/slug/{{slug}}", &path[..at]),
        None => path.to_owned(),
    }
}

/// A call that did not answer 200.
pub(crate) enum Failure {
    /// Wix answered with another status.
    Http {
        status: u16,
        retry_after: Option<String>,
        body: Bytes,
    },
    /// No usable answer (timeout, connection).
    Other(WixError),
}

impl Failure {
    pub(crate) fn into_error(self) -> WixError {
        match self {
            Self::Http {
                status,
                retry_after,
                body,
            } => WixError::from_response(status, retry_after.as_deref(), &body),
            Self::Other(error) => error,
        }
    }
}

pub(crate) fn decode<T: DeserializeOwned>(path: &str, bytes: &[u8]) -> Result<T, WixError> {
    serde_json::from_slice(bytes).map_err(|e| WixError::Decode(format!("{path}: {e}")))
}

/// The longest `Retry-After` worth waiting for inside one page request.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(1);
/// Pause before retrying a 5xx or a dropped connection.
const RETRY_PAUSE: Duration = Duration::from_millis(50);

/// How long to wait before retrying a failed read, or `None` when a retry cannot help in time.
pub(crate) fn retry_delay(error: &WixError) -> Option<Duration> {
    match error {
        WixError::RateLimited { retry_after_secs } => {
            let wait = Duration::from_secs(retry_after_secs.unwrap_or(1));
            (wait <= MAX_RETRY_AFTER).then_some(wait)
        }
        WixError::Unavailable { .. } | WixError::Unreachable(_) => Some(RETRY_PAUSE),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_labels_name_endpoints_not_products() {
        assert_eq!(
            endpoint_label("/stores/v3/products/slug/willow-tee?fields=CURRENCY"),
            "/stores/v3/products/slug/{slug}"
        );
        assert_eq!(
            endpoint_label("/ecom/v2/carts/current"),
            "/ecom/v2/carts/current"
        );
    }

    #[test]
    fn only_failures_that_may_pass_soon_are_retried() {
        let unavailable = WixError::Unavailable { status: 503 };
        assert_eq!(retry_delay(&unavailable), Some(RETRY_PAUSE));
        assert_eq!(
            retry_delay(&WixError::Unreachable("reset".into())),
            Some(RETRY_PAUSE)
        );
        let limited = |secs| WixError::RateLimited {
            retry_after_secs: Some(secs),
        };
        assert_eq!(retry_delay(&limited(1)), Some(Duration::from_secs(1)));
        assert_eq!(retry_delay(&limited(30)), None, "too long to wait");
        assert_eq!(retry_delay(&WixError::Timeout), None, "budget spent");
        assert_eq!(retry_delay(&WixError::NotFound { code: None }), None);
        assert_eq!(
            retry_delay(&WixError::Unauthorized),
            None,
            "handled by renewal"
        );
        assert_eq!(retry_delay(&WixError::Decode("x".into())), None);
    }
}
