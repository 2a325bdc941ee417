//! Shared state of a running emulator, and the settings tests may change at run time.

use std::{
    collections::{BTreeMap, HashMap},
    sync::{Arc, Mutex, RwLock},
};

use serde::{Deserialize, Serialize};

use crate::{catalog::Catalog, store::Store};

/// Run-time settings: token lifetime and fault injection (issue: emulator fault injection).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// Lifetime of access tokens issued from now on.
    pub access_token_ttl_secs: u64,
    /// Added to every API response.
    pub latency_ms: u64,
    /// Random extra latency, uniform in `0..=jitter_ms`.
    pub jitter_ms: u64,
    /// Fraction (0–1) of API requests answered 503.
    pub error_rate: f64,
    /// When set, every API request is answered 429 with this `Retry-After`.
    pub rate_limit_retry_after_secs: Option<u64>,
    /// Answer every authenticated API request 401, as for a revoked token.
    pub force_unauthorized: bool,
    /// Limit latency, 5xx and 429 faults to paths starting with this (e.g. `/oauth2/token`).
    pub fault_path_prefix: Option<String>,
    /// The site cannot take payments: creating a checkout fails as on such a Wix site.
    pub payments_disabled: bool,
    /// Hosts of the OAuth app's allowed domains (`shop.example.com`): hosted pages send the
    /// browser back only to https URLs on them, or to plain-http loopback (development).
    pub allowed_domains: Vec<String>,
    /// The OAuth app's allowed authorization redirect URIs: a sign-in may return only to one of
    /// these, matched exactly, or to a plain-http loopback URI (development).
    pub allowed_redirect_uris: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            access_token_ttl_secs: 14_400,
            latency_ms: 0,
            jitter_ms: 0,
            error_rate: 0.0,
            rate_limit_retry_after_secs: None,
            force_unauthorized: false,
            fault_path_prefix: None,
            payments_disabled: false,
            allowed_domains: Vec::new(),
            allowed_redirect_uris: Vec::new(),
        }
    }
}

impl Settings {
    /// Whether a sign-in may return to `uri` (see `allowed_redirect_uris`).
    pub fn allows_redirect_uri(&self, uri: &str) -> bool {
        self.allowed_redirect_uris
            .iter()
            .any(|allowed| allowed == uri)
            || uri
                .strip_prefix("http://")
                .and_then(|rest| rest.split(['/', '?', '#']).next())
                .is_some_and(|authority| {
                    !authority.contains('@')
                        && ["localhost", "127.0.0.1", "[::1]"].iter().any(|host| {
                            authority == *host || authority.starts_with(&format!("{host}:"))
                        })
                })
    }

    /// Whether a hosted page may send the browser to `url` (see `allowed_domains`).
    pub fn allows_return_to(&self, url: &str) -> bool {
        let Some((scheme, rest)) = url.split_once("://") else {
            return false;
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if authority.contains('@') {
            return false;
        }
        let host = if authority.starts_with('[') {
            authority.split_inclusive(']').next().unwrap_or_default()
        } else {
            authority.split(':').next().unwrap_or_default()
        }
        .to_ascii_lowercase();
        let loopback = matches!(host.as_str(), "localhost" | "127.0.0.1" | "[::1]");
        match scheme.to_ascii_lowercase().as_str() {
            "https" => {
                loopback
                    || self
                        .allowed_domains
                        .iter()
                        .any(|d| d.eq_ignore_ascii_case(&host))
            }
            "http" => loopback,
            _ => false,
        }
    }
}

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub store: Store,
    pub catalog: Arc<Catalog>,
    pub settings: RwLock<Settings>,
    pub counters: Mutex<BTreeMap<String, u64>>,
    /// `http://host:port` of this emulator, for the hosted pages' absolute URLs.
    pub base_url: String,
    /// Serialised catalog answers by request (see `routes::products`).
    responses: Mutex<HashMap<String, axum::body::Bytes>>,
}

/// Distinct catalog requests kept; the cache starts over when full.
const MAX_CACHED_RESPONSES: usize = 4096;

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    pub fn new(store: Store, catalog: Arc<Catalog>, settings: Settings, base_url: String) -> Self {
        Self(Arc::new(Inner {
            store,
            catalog,
            settings: RwLock::new(settings),
            counters: Mutex::new(BTreeMap::new()),
            base_url,
            responses: Mutex::new(HashMap::new()),
        }))
    }

    pub fn settings(&self) -> Settings {
        self.settings
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn set_settings(&self, settings: Settings) {
        *self.settings.write().unwrap_or_else(|e| e.into_inner()) = settings;
    }

    pub fn count(&self, endpoint: String) {
        *self
            .counters
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(endpoint)
            .or_default() += 1;
    }

    pub fn counters(&self) -> BTreeMap<String, u64> {
        self.counters
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn cached_response(&self, key: &str) -> Option<axum::body::Bytes> {
        self.responses
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(key)
            .cloned()
    }

    pub fn cache_response(&self, key: String, bytes: axum::body::Bytes) {
        let mut responses = self.responses.lock().unwrap_or_else(|e| e.into_inner());
        if responses.len() >= MAX_CACHED_RESPONSES {
            responses.clear();
        }
        responses.insert(key, bytes);
    }

    pub fn reset_counters(&self) {
        self.counters
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}

pub fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// `2026-05-31T17:21:18.316Z`, Wix's timestamp format.
pub fn now_iso() -> String {
    let now = time::OffsetDateTime::now_utc();
    let format = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    now.format(&format).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::Settings;

    #[test]
    fn returns_go_only_to_allowed_https_domains_or_loopback() {
        let settings = Settings {
            allowed_domains: vec!["shop.example.com".into()],
            ..Settings::default()
        };
        for allowed in [
            "https://shop.example.com/thank-you?orderId=1",
            "https://SHOP.example.com:443/",
            "http://127.0.0.1:3000/cart",
            "http://localhost/",
            "http://[::1]:8080/x",
        ] {
            assert!(settings.allows_return_to(allowed), "{allowed}");
        }
        for refused in [
            "http://shop.example.com/",
            "https://evil.example.com/",
            "https://shop.example.com.evil.com/",
            "https://shop.example.com@evil.com/",
            "javascript:alert(1)",
            "ftp://shop.example.com/",
        ] {
            assert!(!settings.allows_return_to(refused), "{refused}");
        }
    }

    #[test]
    fn sign_ins_return_only_to_allowed_redirect_uris_exactly() {
        let settings = Settings {
            allowed_redirect_uris: vec!["https://shop.example.com/auth/callback".into()],
            ..Settings::default()
        };
        for allowed in [
            "https://shop.example.com/auth/callback",
            "http://127.0.0.1:3000/auth/callback",
            "http://localhost/auth/callback",
        ] {
            assert!(settings.allows_redirect_uri(allowed), "{allowed}");
        }
        for refused in [
            "https://shop.example.com/auth/callback?x=1",
            "https://shop.example.com/auth/callback/",
            "https://shop.example.com/other",
            "http://shop.example.com/auth/callback",
            "http://127.0.0.1.evil.com/auth/callback",
            "http://localhost@evil.com/auth/callback",
        ] {
            assert!(!settings.allows_redirect_uri(refused), "{refused}");
        }
    }
}
