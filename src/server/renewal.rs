//! Single-flight token renewal: concurrent requests that carry the same expired tokens cause
//! one token call, and requests that arrive shortly after with the old cookie reuse its result.
//! A failed renewal answers for the same tokens for [`FAILURE_MEMORY`], so an outage of the
//! token endpoint costs one attempt per visitor every two seconds, not one per request.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Instant,
};

pub use super::shared_visitor::FAILURE_MEMORY;

use tokio::sync::OnceCell;
use wix_headless::{auth::TokenRefresh, Tokens, WixClient, WixError};

/// How long a finished renewal is reused for requests still carrying the old cookie (a page
/// and its parallel server-function calls, a second tab).
const REUSE_SECS: i64 = 60;

struct Flight {
    started_at: i64,
    result: Arc<OnceCell<Result<TokenRefresh, WixError>>>,
    /// When the renewal failed, if it did.
    failed_at: Option<Instant>,
}

#[derive(Default)]
pub struct Renewals {
    flights: Mutex<HashMap<String, Flight>>,
}

impl Renewals {
    /// [`WixClient::ensure_valid`], shared among everyone holding the same refresh token.
    pub async fn ensure_valid(
        &self,
        wix: &WixClient,
        tokens: &Tokens,
    ) -> Result<TokenRefresh, WixError> {
        if wix.is_valid(tokens) {
            return Ok(TokenRefresh::Unchanged);
        }
        let key = tokens.refresh_token.value.clone();
        let now = wix.now();
        let cell = {
            let mut flights = self.flights.lock().unwrap_or_else(|e| e.into_inner());
            flights.retain(|_, f| now - f.started_at < REUSE_SECS);
            let reusable = flights.get(&key).is_some_and(|f| match f.result.get() {
                // A finished renewal is reused only while its tokens are still valid.
                Some(Ok(TokenRefresh::Renewed(renewed))) => wix.is_valid(renewed),
                Some(Ok(_)) => true,
                Some(Err(_)) => f.failed_at.is_some_and(|at| at.elapsed() < FAILURE_MEMORY),
                None => true,
            });
            if !reusable {
                flights.insert(
                    key.clone(),
                    Flight {
                        started_at: now,
                        result: Arc::new(OnceCell::new()),
                        failed_at: None,
                    },
                );
            }
            flights
                .get(&key)
                .map(|f| f.result.clone())
                .unwrap_or_default()
        };
        let result = cell.get_or_init(|| wix.ensure_valid(tokens)).await.clone();
        if result.is_err() {
            let mut flights = self.flights.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(flight) = flights
                .get_mut(&key)
                .filter(|f| Arc::ptr_eq(&f.result, &cell) && f.failed_at.is_none())
            {
                flight.failed_at = Some(Instant::now());
            }
        }
        result
    }
}
