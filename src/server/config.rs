//! Configuration from the environment, validated once at start-up with messages a person can act on.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

/// Where the Wix APIs come from.
#[derive(Debug, Clone)]
pub enum WixBackend {
    /// The real Wix (or any server at `base_url`) with a Headless OAuth client id.
    Remote { client_id: String, base_url: String },
    /// The bundled emulator, started in-process.
    Embedded(EmbeddedEmulator),
}

#[derive(Debug, Clone)]
pub struct EmbeddedEmulator {
    pub listen: SocketAddr,
    pub db_path: PathBuf,
    /// Token lifetime and faults at start-up (`WIX_EMULATOR_SETTINGS`, `WIX_EMULATOR_TOKEN_TTL`).
    pub settings: wix_emulator::Settings,
    pub admin_enabled: bool,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub backend: WixBackend,
    /// The origin shoppers use (`https://shop.example.com`): redirects, CSRF checks, cookies.
    pub public_url: String,
    /// Secret the session cookie is encrypted with; `None` means "generate one in `data_dir`".
    pub session_secret: Option<String>,
    /// Git-ignored folder for development state (emulator database, generated secret).
    pub data_dir: PathBuf,
    pub wix_timeout: Duration,
    pub renew_margin_secs: i64,
    /// `Secure` on the session cookie (off only for plain-http localhost).
    pub secure_cookies: bool,
    /// Lifetime of cached catalog responses (server-wide token only).
    pub catalog_cache_ttl_secs: u64,
    /// Memory bound of each catalog cache.
    pub catalog_cache_bytes: u64,
    /// Serve the benchmark ceiling route (`BENCH_CEILING=1`).
    pub bench_ceiling: bool,
    /// Which Wix cart API to use (`WIX_CART_API=v1|v2`).
    pub cart_api: wix_headless::cart::CartApi,
    pub development: bool,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ConfigError {
    #[error("{name} must be {expected}, got {value:?}")]
    Invalid {
        name: &'static str,
        expected: &'static str,
        value: String,
    },
    #[error("SESSION_SECRET is required outside development (at least 32 characters, e.g. `openssl rand -hex 32`)")]
    MissingSecret,
    #[error("SESSION_SECRET must be at least 32 characters")]
    ShortSecret,
    #[error("PUBLIC_URL must use https unless it points at localhost (got {0:?}): browsers drop Secure cookies over plain http")]
    InsecurePublicUrl(String),
}

impl Config {
    /// Reads the process environment.
    pub fn from_env(site_addr: SocketAddr, leptos_env_is_dev: bool) -> Result<Self, ConfigError> {
        Self::from_lookup(
            |name| std::env::var(name).ok(),
            site_addr,
            leptos_env_is_dev,
        )
    }

    /// Reads configuration through `lookup`, so tests need not touch the process environment.
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
        site_addr: SocketAddr,
        leptos_env_is_dev: bool,
    ) -> Result<Self, ConfigError> {
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let data_dir = PathBuf::from(get("WIX_DATA_DIR").unwrap_or_else(|| "data".into()));
        let backend = match get("WIX_CLIENT_ID") {
            Some(client_id) => WixBackend::Remote {
                client_id,
                base_url: get("WIX_API_BASE_URL")
                    .unwrap_or_else(|| wix_headless::DEFAULT_BASE_URL.into()),
            },
            None => WixBackend::Embedded(EmbeddedEmulator {
                listen: parse(
                    &get,
                    "WIX_EMULATOR_LISTEN",
                    "an address like 127.0.0.1:3001",
                )?
                .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 3001))),
                db_path: get("WIX_EMULATOR_DB")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| data_dir.join("wix-emulator.sqlite")),
                settings: emulator_settings(&get)?,
                admin_enabled: parse(&get, "WIX_EMULATOR_ADMIN", "true or false")?.unwrap_or(false),
            }),
        };
        let development = leptos_env_is_dev || matches!(backend, WixBackend::Embedded(_));
        let public_url = get("PUBLIC_URL")
            .unwrap_or_else(|| format!("http://{site_addr}"))
            .trim_end_matches('/')
            .to_owned();
        let is_https = public_url.starts_with("https://");
        let is_local_http = ["http://localhost", "http://127.0.0.1", "http://[::1]"]
            .iter()
            .any(|prefix| {
                public_url == *prefix
                    || public_url.starts_with(&format!("{prefix}:"))
                    || public_url.starts_with(&format!("{prefix}/"))
            });
        if !is_https && !is_local_http {
            return Err(ConfigError::InsecurePublicUrl(public_url));
        }
        let session_secret = match get("SESSION_SECRET") {
            Some(secret) if secret.len() < 32 => return Err(ConfigError::ShortSecret),
            Some(secret) => Some(secret),
            None if development => None,
            None => return Err(ConfigError::MissingSecret),
        };
        Ok(Self {
            backend,
            secure_cookies: is_https,
            public_url,
            session_secret,
            data_dir,
            wix_timeout: Duration::from_millis(
                parse(&get, "WIX_TIMEOUT_MS", "a number of milliseconds")?.unwrap_or(8_000),
            ),
            renew_margin_secs: parse(&get, "WIX_RENEW_MARGIN_SECS", "a number of seconds")?
                .unwrap_or(60),
            catalog_cache_ttl_secs: parse(&get, "CATALOG_CACHE_TTL_SECS", "a number of seconds")?
                .unwrap_or(60),
            cart_api: parse(&get, "WIX_CART_API", "v1 or v2")?.unwrap_or_default(),
            bench_ceiling: get("BENCH_CEILING").is_some_and(|v| v == "1" || v == "true"),
            catalog_cache_bytes: parse::<u64>(&get, "CATALOG_CACHE_MB", "a number of megabytes")?
                .unwrap_or(32)
                .saturating_mul(1024 * 1024),
            development,
        })
    }
}

/// `WIX_EMULATOR_SETTINGS` (JSON, the shape of `GET /_emulator/settings`), then
/// `WIX_EMULATOR_TOKEN_TTL` on top.
fn emulator_settings(
    get: &impl Fn(&str) -> Option<String>,
) -> Result<wix_emulator::Settings, ConfigError> {
    let mut settings = match get("WIX_EMULATOR_SETTINGS") {
        Some(json) => serde_json::from_str(&json).map_err(|_| ConfigError::Invalid {
            name: "WIX_EMULATOR_SETTINGS",
            expected: "emulator settings JSON such as {\"latencyMs\": 50}",
            value: json,
        })?,
        None => wix_emulator::Settings::default(),
    };
    if let Some(ttl) = parse(get, "WIX_EMULATOR_TOKEN_TTL", "a number of seconds")? {
        settings.access_token_ttl_secs = ttl;
    }
    Ok(settings)
}

fn parse<T: std::str::FromStr>(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    expected: &'static str,
) -> Result<Option<T>, ConfigError> {
    get(name)
        .map(|value| {
            value.parse().map_err(|_| ConfigError::Invalid {
                name,
                expected,
                value,
            })
        })
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)], dev: bool) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(
            |k| vars.get(k).cloned(),
            "127.0.0.1:3000".parse().expect("addr"),
            dev,
        )
    }

    #[test]
    fn no_client_id_means_the_embedded_emulator_and_development() {
        let config = config(&[], false).expect("valid");
        assert!(matches!(config.backend, WixBackend::Embedded(_)));
        assert!(config.development);
        assert!(!config.secure_cookies, "plain-http localhost");
        assert_eq!(config.public_url, "http://127.0.0.1:3000");
    }

    #[test]
    fn production_needs_a_long_secret_and_https() {
        let real = [("WIX_CLIENT_ID", "abc")];
        assert_eq!(config(&real, false).err(), Some(ConfigError::MissingSecret));
        let short = [("WIX_CLIENT_ID", "abc"), ("SESSION_SECRET", "short")];
        assert_eq!(config(&short, false).err(), Some(ConfigError::ShortSecret));
        let secret = "0123456789abcdef0123456789abcdef";
        let insecure = [
            ("WIX_CLIENT_ID", "abc"),
            ("SESSION_SECRET", secret),
            ("PUBLIC_URL", "http://shop.example.com"),
        ];
        assert!(matches!(
            config(&insecure, false),
            Err(ConfigError::InsecurePublicUrl(_))
        ));
        let good = [
            ("WIX_CLIENT_ID", "abc"),
            ("SESSION_SECRET", secret),
            ("PUBLIC_URL", "https://shop.example.com/"),
        ];
        let config = config(&good, false).expect("valid");
        assert!(config.secure_cookies);
        assert_eq!(config.public_url, "https://shop.example.com");
        assert!(
            matches!(config.backend, WixBackend::Remote { ref base_url, .. } if base_url == "https://www.wixapis.com")
        );
    }

    #[test]
    fn emulator_settings_come_from_json_with_the_ttl_on_top() {
        let config = config(
            &[
                (
                    "WIX_EMULATOR_SETTINGS",
                    r#"{"latencyMs": 50, "errorRate": 0.5}"#,
                ),
                ("WIX_EMULATOR_TOKEN_TTL", "5"),
            ],
            true,
        )
        .expect("valid");
        let WixBackend::Embedded(embedded) = config.backend else {
            panic!("embedded")
        };
        assert_eq!(embedded.settings.latency_ms, 50);
        assert_eq!(embedded.settings.error_rate, 0.5);
        assert_eq!(embedded.settings.access_token_ttl_secs, 5);
        let error = super::Config::from_lookup(
            |k| (k == "WIX_EMULATOR_SETTINGS").then(|| "{nope".to_owned()),
            "127.0.0.1:3000".parse().expect("addr"),
            true,
        )
        .expect_err("invalid JSON");
        assert!(error.to_string().contains("WIX_EMULATOR_SETTINGS"));
    }

    #[test]
    fn bad_numbers_are_named() {
        let error = config(&[("WIX_TIMEOUT_MS", "soon")], true).expect_err("invalid");
        assert!(error.to_string().contains("WIX_TIMEOUT_MS"));
        assert!(matches!(
            config(&[("PUBLIC_URL", "http://localhost.evil.com")], true),
            Err(ConfigError::InsecurePublicUrl(_))
        ));
    }
}
