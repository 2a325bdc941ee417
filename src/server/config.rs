//! Configuration from the environment, validated once at start-up with messages a person can act on.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

/// Where the Wix APIs come from.
#[derive(Debug, Clone)]
pub enum WixBackend {
    /// The real Wix (or any server at `base_url`) with a Headless OAuth client id. Media are
    /// resized by URL on `media_base_url` (Wix's media host, or a standalone emulator's).
    Remote {
        client_id: String,
        base_url: String,
        media_base_url: String,
    },
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

/// A secret value: `Debug` never prints it, so it cannot reach a log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// The session secrets: the one cookies are sealed with, and older ones still read (rotation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSecrets {
    pub current: Secret,
    pub previous: Vec<Secret>,
}

impl SessionSecrets {
    /// `SESSION_SECRET`: the current secret, then older ones, separated by commas.
    fn parse(text: &str) -> Result<Self, ConfigError> {
        let mut secrets = text.split(',').map(str::trim).filter(|s| !s.is_empty());
        let current = secrets.next().ok_or(ConfigError::MissingSecret)?;
        let all: Vec<&str> = std::iter::once(current).chain(secrets).collect();
        if all.iter().any(|s| s.len() < MIN_SECRET_LEN) {
            return Err(ConfigError::ShortSecret);
        }
        Ok(Self {
            current: Secret::new(all[0]),
            previous: all[1..].iter().map(|s| Secret::new(*s)).collect(),
        })
    }

    pub fn single(secret: impl Into<String>) -> Self {
        Self {
            current: Secret::new(secret),
            previous: Vec::new(),
        }
    }
}

/// Shortest session secret accepted.
pub const MIN_SECRET_LEN: usize = 32;

#[derive(Debug, Clone)]
pub struct Config {
    pub backend: WixBackend,
    /// The origin shoppers use (`https://shop.example.com`): redirects, CSRF checks, cookies.
    pub public_url: String,
    /// Secrets the session cookie is sealed with; `None` means "generate one in `data_dir`"
    /// (only ever with the embedded emulator).
    pub session_secrets: Option<SessionSecrets>,
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
    /// `LEPTOS_ENV` is development (`cargo leptos watch` reloads pages over a websocket).
    pub development: bool,
    /// Server-function posts per second per client address (`RATE_LIMIT_POSTS_PER_SECOND`,
    /// bursts of five seconds' worth; 0: no limit).
    pub posts_per_second: u32,
    /// New visitors per minute per client address (`RATE_LIMIT_NEW_VISITORS_PER_MINUTE`; 0: no limit).
    pub new_visitors_per_minute: u32,
    /// The header a trusted reverse proxy puts the client's address in (`TRUSTED_PROXY_HEADER`,
    /// e.g. `X-Forwarded-For`); without one the peer address counts.
    pub trusted_proxy_header: Option<axum::http::HeaderName>,
    /// The longest a page or server function may take (`REQUEST_DEADLINE_MS`); then a 504.
    pub request_deadline: Duration,
    /// How long in-flight requests may finish after SIGTERM (`SHUTDOWN_GRACE_SECS`).
    pub shutdown_grace: Duration,
    /// Where Prometheus metrics are served (`METRICS_LISTEN`); none: no metrics.
    pub metrics_listen: Option<SocketAddr>,
    /// `LOG_FORMAT`: `text` or `json`.
    pub log_format: super::telemetry::LogFormat,
    /// Origins of Wix's hosted pages that forms may lead to (CSP `form-action`), as
    /// `https://host` or `https://*.domain` (`WIX_HOSTED_ORIGINS`, space- or comma-separated).
    pub hosted_origins: Vec<String>,
}

/// Where Wix hosts checkout and member pages for a Headless site, unless configured: its own
/// domains. A merchant whose hosted pages live on their own domain names it in
/// `WIX_HOSTED_ORIGINS`; a checkout elsewhere still works (through a page that links there).
pub const DEFAULT_HOSTED_ORIGINS: &[&str] = &[
    "https://*.wix.com",
    "https://*.wixsite.com",
    "https://*.wixstudio.com",
    "https://*.wixstudio.io",
];

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ConfigError {
    #[error("{name} must be {expected}, got {value:?}")]
    Invalid {
        name: &'static str,
        expected: &'static str,
        value: String,
    },
    #[error("SESSION_SECRET is required when the store talks to Wix (WIX_CLIENT_ID is set): at least 32 characters, the same on every instance, e.g. `openssl rand -hex 32`")]
    MissingSecret,
    #[error("the embedded Wix emulator is a fake shop with a fake checkout and does not run in production ({0}); set WIX_CLIENT_ID, or WIX_EMULATOR_DEMO=true if this really is a demo")]
    EmulatorInProduction(&'static str),
    #[error("WIX_EMULATOR_LISTEN={0} is not a loopback address: the emulator (and its admin endpoints) would be reachable from other machines; set WIX_EMULATOR_DEMO=true to allow it")]
    EmulatorNotLoopback(SocketAddr),
    #[error("every secret in SESSION_SECRET must be at least 32 characters")]
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
                media_base_url: get("WIX_MEDIA_BASE_URL")
                    .unwrap_or_else(|| wix_headless::DEFAULT_MEDIA_BASE_URL.into()),
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
        let demo = parse(&get, "WIX_EMULATOR_DEMO", "true or false")?.unwrap_or(false);
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
        // A fake shop must never reach shoppers by accident: not in production, not on a public
        // address, unless a demo is explicitly asked for.
        if let WixBackend::Embedded(embedded) = &backend {
            if !demo {
                if is_https {
                    return Err(ConfigError::EmulatorInProduction("PUBLIC_URL is https"));
                }
                if !leptos_env_is_dev {
                    return Err(ConfigError::EmulatorInProduction(
                        "LEPTOS_ENV is production",
                    ));
                }
                if !embedded.listen.ip().is_loopback() {
                    return Err(ConfigError::EmulatorNotLoopback(embedded.listen));
                }
            }
        }
        // With the real Wix a secret is required whatever LEPTOS_ENV says: a generated one
        // differs per instance and per disk, and every visitor's cart session would be lost.
        let session_secrets = match get("SESSION_SECRET") {
            Some(text) => Some(SessionSecrets::parse(&text)?),
            None if matches!(backend, WixBackend::Remote { .. }) => {
                return Err(ConfigError::MissingSecret)
            }
            None => None,
        };
        Ok(Self {
            backend,
            secure_cookies: is_https,
            public_url,
            session_secrets,
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
            development: leptos_env_is_dev,
            request_deadline: Duration::from_millis(
                parse(&get, "REQUEST_DEADLINE_MS", "a number of milliseconds")?.unwrap_or(15_000),
            ),
            shutdown_grace: Duration::from_secs(
                parse(&get, "SHUTDOWN_GRACE_SECS", "a number of seconds")?.unwrap_or(20),
            ),
            metrics_listen: parse(&get, "METRICS_LISTEN", "an address like 0.0.0.0:9100")?,
            log_format: parse(&get, "LOG_FORMAT", "text or json")?.unwrap_or_default(),
            posts_per_second: parse(&get, "RATE_LIMIT_POSTS_PER_SECOND", "a number")?.unwrap_or(20),
            new_visitors_per_minute: parse(&get, "RATE_LIMIT_NEW_VISITORS_PER_MINUTE", "a number")?
                .unwrap_or(60),
            trusted_proxy_header: parse(
                &get,
                "TRUSTED_PROXY_HEADER",
                "a header name such as X-Forwarded-For",
            )?,
            hosted_origins: match get("WIX_HOSTED_ORIGINS") {
                Some(list) => hosted_origins(&list)?,
                None => DEFAULT_HOSTED_ORIGINS
                    .iter()
                    .map(|o| (*o).to_owned())
                    .collect(),
            },
        })
    }
}

/// `WIX_HOSTED_ORIGINS`: https origins or `https://*.` wildcards, nothing else.
fn hosted_origins(list: &str) -> Result<Vec<String>, ConfigError> {
    list.split([',', ' '])
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(|origin| {
            let host = origin.strip_prefix("https://").unwrap_or_default();
            let host = host.strip_prefix("*.").unwrap_or(host);
            let valid = !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
            if valid {
                Ok(origin.trim_end_matches('/').to_ascii_lowercase())
            } else {
                Err(ConfigError::Invalid {
                    name: "WIX_HOSTED_ORIGINS",
                    expected: "https origins such as https://checkout.example.com or https://*.example.com",
                    value: origin.to_owned(),
                })
            }
        })
        .collect()
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
    fn no_client_id_means_the_embedded_emulator() {
        let config = config(&[], true).expect("valid");
        assert!(matches!(config.backend, WixBackend::Embedded(_)));
        assert!(config.development);
        assert_eq!(config.session_secrets, None, "generated in the data folder");
        assert!(!config.secure_cookies, "plain-http localhost");
        assert_eq!(config.public_url, "http://127.0.0.1:3000");
    }

    #[test]
    fn production_needs_a_long_secret_and_https() {
        let real = [("WIX_CLIENT_ID", "abc")];
        assert_eq!(config(&real, false).err(), Some(ConfigError::MissingSecret));
        assert_eq!(
            config(&real, true).err(),
            Some(ConfigError::MissingSecret),
            "whatever LEPTOS_ENV says"
        );
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
    fn the_emulator_never_runs_in_production_by_accident() {
        let https = [("PUBLIC_URL", "https://shop.example.com")];
        assert!(matches!(
            config(&https, true),
            Err(ConfigError::EmulatorInProduction(_))
        ));
        assert!(matches!(
            config(&[], false),
            Err(ConfigError::EmulatorInProduction(_))
        ));
        let public = [("WIX_EMULATOR_LISTEN", "0.0.0.0:3001")];
        assert!(matches!(
            config(&public, true),
            Err(ConfigError::EmulatorNotLoopback(_))
        ));
        let demo = [
            ("PUBLIC_URL", "https://demo.example.com"),
            ("WIX_EMULATOR_LISTEN", "0.0.0.0:3001"),
            ("WIX_EMULATOR_DEMO", "true"),
        ];
        assert!(config(&demo, false).is_ok(), "an explicit demo");
    }

    #[test]
    fn secrets_rotate_and_never_print() {
        let old = "old-secret-old-secret-old-secret-0000";
        let new = "new-secret-new-secret-new-secret-1111";
        let config = config(
            &[
                ("WIX_CLIENT_ID", "abc"),
                ("SESSION_SECRET", &format!("{new}, {old}")),
            ],
            false,
        )
        .expect("valid");
        let secrets = config.session_secrets.clone().expect("secrets");
        assert_eq!(secrets.current.expose(), new);
        assert_eq!(secrets.previous, [Secret::new(old)]);
        let printed = format!("{config:?}");
        assert!(
            !printed.contains(new) && !printed.contains(old),
            "{printed}"
        );
        assert_eq!(
            self::config(&[("SESSION_SECRET", &format!("{new},short"))], true).err(),
            Some(ConfigError::ShortSecret)
        );
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
