//! Server-only code: configuration, the embedded emulator, visitor sessions, Wix calls and the
//! router. Nothing here reaches the browser build.

pub mod account;
mod assets;
mod bench;
pub mod calls;
pub mod cart;
pub mod catalog;
mod catalog_cache;
pub mod config;
mod csrf;
pub mod handoff;
pub mod limits;
pub mod ops;
pub mod page_cache;
mod renewal;
pub mod router;
pub mod security;
mod seo;
mod server_fn_guard;
pub mod session;
mod shared_visitor;
mod sign_in;
pub mod state;
pub mod telemetry;

use std::process::ExitCode;

use leptos::prelude::get_configuration;
use wix_headless::{ClientConfig, WixClient};

use self::{
    config::{Config, SessionSecrets, WixBackend, MIN_SECRET_LEN},
    state::AppState,
};

/// Start-up failures, each with what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("Leptos configuration: {0}")]
    Leptos(String),
    #[error("configuration: {0}")]
    Config(#[from] config::ConfigError),
    #[error("cannot start the embedded Wix emulator: {0}")]
    Emulator(#[from] wix_emulator::StartError),
    #[error("cannot create the Wix client: {0}")]
    Client(#[from] wix_headless::WixError),
    #[error("session secret file {path}: {source}")]
    Secret {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: String,
        source: std::io::Error,
    },
}

pub async fn run() -> ExitCode {
    // The format is needed before the configuration is read (its errors are logged); a bad
    // value is reported by the configuration itself.
    let format = std::env::var("LOG_FORMAT")
        .ok()
        .and_then(|f| f.parse().ok())
        .unwrap_or_default();
    telemetry::init_logging(format);
    match serve().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error}");
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn serve() -> Result<(), StartupError> {
    let leptos = get_configuration(None).map_err(|e| StartupError::Leptos(e.to_string()))?;
    let mut options = leptos.leptos_options;
    options.hash_files |= assets::hashed_by_build(&options);
    let addr = options.site_addr;
    let is_dev = matches!(options.env, leptos::config::Env::DEV);
    let config = Config::from_env(addr, is_dev)?;

    // Keeps the embedded emulator alive for the life of the server.
    let (client_config, _emulator) = match &config.backend {
        WixBackend::Remote {
            client_id,
            base_url,
            media_base_url,
        } => (
            ClientConfig::new(client_id.clone())
                .base_url(base_url.clone())
                .media_base_url(media_base_url.clone()),
            None,
        ),
        WixBackend::Embedded(embedded) => {
            let emulator = wix_emulator::RunningEmulator::start(
                wix_emulator::EmulatorConfig {
                    db_path: embedded.db_path.clone(),
                    catalog_path: None,
                    settings: embedded.settings.clone(),
                    admin_enabled: embedded.admin_enabled,
                },
                embedded.listen,
            )
            .await?;
            tracing::info!("embedded Wix emulator on {}", emulator.base_url());
            (
                ClientConfig::new("emulator-client")
                    .base_url(emulator.base_url())
                    .media_base_url(format!("{}/media/", emulator.base_url())),
                Some(emulator),
            )
        }
    };
    let wix = WixClient::new(
        client_config
            .timeout(config.wix_timeout)
            .renew_margin_secs(config.renew_margin_secs)
            .cart_api(config.cart_api),
    )?;
    let secrets = match &config.session_secrets {
        Some(secrets) => secrets.clone(),
        None => SessionSecrets::single(development_secret(&config)?),
    };
    let metrics = config
        .metrics_listen
        .and_then(|addr| Some((addr, telemetry::install_metrics()?)));
    let grace = config.shutdown_grace;
    let state = AppState::new(options, config, wix, &secrets);
    let draining = state.draining.clone();
    let app = router::build(state);
    if let Some((addr, handle)) = metrics {
        tokio::spawn(async move {
            if let Err(error) = telemetry::serve_metrics(addr, handle).await {
                tracing::error!(%error, "metrics listener stopped");
            }
        });
    }
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| StartupError::Listen {
            addr: addr.to_string(),
            source,
        })?;
    // Streamed responses otherwise stall ~40 ms on Nagle + delayed ACK (TOOLCHAIN.md).
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    tracing::info!("storefront on http://{addr}");
    // The peer address is what the abuse limits count, unless a trusted proxy names the client.
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    // On SIGTERM or Ctrl-C: readiness fails, no new connections are taken, and in-flight
    // requests finish (for `SHUTDOWN_GRACE_SECS` at most).
    let stopped = std::sync::Arc::new(tokio::sync::Notify::new());
    let shutdown = {
        let stopped = stopped.clone();
        async move {
            ops::stop_signal().await;
            tracing::info!("stopping: finishing the requests in flight");
            draining.start();
            stopped.notify_one();
        }
    };
    let server = std::future::IntoFuture::into_future(
        axum::serve(listener, app).with_graceful_shutdown(shutdown),
    );
    ops::drain(server, stopped, grace)
        .await
        .map_err(|source| StartupError::Listen {
            addr: addr.to_string(),
            source,
        })?;
    tracing::info!("stopped");
    Ok(())
}

/// With the embedded emulator a generated secret is kept in the data folder (readable by its
/// owner only), so restarts keep sessions.
fn development_secret(config: &Config) -> Result<String, StartupError> {
    let path = config.data_dir.join("session-secret");
    let error = |source| StartupError::Secret {
        path: path.display().to_string(),
        source,
    };
    match std::fs::read_to_string(&path) {
        Ok(secret) if secret.trim().len() >= MIN_SECRET_LEN => return Ok(secret.trim().to_owned()),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(error(e)),
    }
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let secret = hex::encode(bytes);
    std::fs::create_dir_all(&config.data_dir).map_err(error)?;
    write_private(&path, &secret).map_err(error)?;
    tracing::info!(
        "generated a development session secret in {}",
        path.display()
    );
    Ok(secret)
}

/// Writes a file only its owner may read (mode 0600 on Unix), replacing what was there.
fn write_private(path: &std::path::Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    // An older file may have been created with wider permissions.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    file.write_all(contents.as_bytes())
}

#[cfg(test)]
mod tests {
    #[test]
    #[cfg(unix)]
    fn a_generated_secret_is_readable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("session-secret");
        std::fs::write(&path, "old").expect("an older, wider file");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        super::write_private(&path, "secret").expect("written");
        let mode = std::fs::metadata(&path)
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "secret");
    }
}
