//! Server-only code: configuration, the embedded emulator, visitor sessions, Wix calls and the
//! router. Nothing here reaches the browser build.

mod assets;
mod bench;
pub mod calls;
pub mod cart;
pub mod catalog;
mod catalog_cache;
pub mod config;
mod csrf;
pub mod page_cache;
mod renewal;
pub mod router;
pub mod security;
mod seo;
mod server_fn_guard;
pub mod session;
mod shared_visitor;
pub mod state;

use std::process::ExitCode;

use leptos::prelude::get_configuration;
use wix_headless::{ClientConfig, WixClient};

use self::{
    config::{Config, WixBackend},
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
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,wix_storefront=info".into()),
        )
        .init();
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
        } => (
            ClientConfig::new(client_id.clone()).base_url(base_url.clone()),
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
    let secret = match &config.session_secret {
        Some(secret) => secret.clone(),
        None => development_secret(&config)?,
    };
    let state = AppState::new(options, config, wix, &secret);
    let app = router::build(state);
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
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|source| StartupError::Listen {
            addr: addr.to_string(),
            source,
        })
}

/// Development keeps a generated secret in the data folder, so restarts keep sessions.
fn development_secret(config: &Config) -> Result<String, StartupError> {
    let path = config.data_dir.join("session-secret");
    let error = |source| StartupError::Secret {
        path: path.display().to_string(),
        source,
    };
    match std::fs::read_to_string(&path) {
        Ok(secret) if secret.trim().len() >= 32 => return Ok(secret.trim().to_owned()),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(error(e)),
    }
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let secret = hex::encode(bytes);
    std::fs::create_dir_all(&config.data_dir).map_err(error)?;
    std::fs::write(&path, &secret).map_err(error)?;
    tracing::info!(
        "generated a development session secret in {}",
        path.display()
    );
    Ok(secret)
}
