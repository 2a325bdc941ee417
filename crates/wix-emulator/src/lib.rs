//! A local emulator of the Wix Headless REST APIs that the storefront uses.
//!
//! It speaks the wire contract of `shared/docs/wix-api.md`: OAuth visitor tokens (§2), Stores
//! Catalog V3 products (§4), the eCom current cart (§5) and the error bodies of §7. State lives
//! in SQLite so carts survive restarts; the catalog is loaded from a JSON file in Wix's own
//! product shape. Where the contract is UNCONFIRMED the choice made is listed in [`decisions`].

mod cart;
pub mod catalog;
pub mod decisions;
mod error;
mod identity;
mod money;
mod routes;
mod search;
mod state;
mod store;
mod tokens;

use std::{net::SocketAddr, path::PathBuf, sync::Arc};

pub use state::Settings;

/// Start-up configuration of an emulator instance.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// SQLite file holding identities, tokens, carts, checkouts and orders.
    pub db_path: PathBuf,
    /// Catalog file (`{"categories": [...], "products": [...]}`); `None` loads the bundled demo.
    pub catalog_path: Option<PathBuf>,
    /// Start-up settings: access-token lifetime and faults (changeable later through the admin
    /// endpoint or [`RunningEmulator::set_settings`]).
    pub settings: Settings,
    /// Serve the `/_emulator` admin endpoints (counters, settings, fault injection).
    pub admin_enabled: bool,
}

impl EmulatorConfig {
    /// Defaults matching Wix: 4-hour access tokens, no faults, admin endpoints off.
    pub fn new(db_path: impl Into<PathBuf>) -> Self {
        Self {
            db_path: db_path.into(),
            catalog_path: None,
            settings: Settings::default(),
            admin_enabled: false,
        }
    }
}

/// Errors that stop the emulator from starting.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("database: {0}")]
    Database(#[from] store::StoreError),
    #[error("catalog: {0}")]
    Catalog(#[from] catalog::CatalogError),
}

/// An emulator serving on a TCP port; it stops when the process ends or on [`RunningEmulator::stop`].
pub struct RunningEmulator {
    addr: SocketAddr,
    state: state::AppState,
    task: tokio::task::JoinHandle<()>,
}

impl RunningEmulator {
    /// Binds `addr` (port 0 picks a free port), opens the database and serves in the background.
    pub async fn start(config: EmulatorConfig, addr: SocketAddr) -> Result<Self, StartError> {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| StartError::Bind { addr, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| StartError::Bind { addr, source })?;
        let base_url = format!("http://{addr}");
        let catalog = match &config.catalog_path {
            Some(path) => catalog::Catalog::load_file(path, &base_url)?,
            None => catalog::Catalog::demo(&base_url)?,
        };
        let store = store::Store::open(&config.db_path)?;
        let state =
            state::AppState::new(store, Arc::new(catalog), config.settings.clone(), base_url);
        let app = routes::router(state.clone(), config.admin_enabled);
        let task = tokio::spawn(async move {
            let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
                let _ = tcp.set_nodelay(true);
            });
            if let Err(error) = axum::serve(listener, app).await {
                tracing::error!(%error, "wix emulator stopped");
            }
        });
        Ok(Self { addr, state, task })
    }

    /// The run-time settings (token lifetime, faults), as the admin endpoint shows them.
    pub fn settings(&self) -> Settings {
        self.state.settings()
    }

    /// Changes the run-time settings in-process (tests), like `PUT /_emulator/settings`.
    pub fn set_settings(&self, settings: Settings) {
        self.state.set_settings(settings);
    }

    /// Requests served per endpoint (`"POST /oauth2/token"` → n) since start or the last reset.
    pub fn counters(&self) -> std::collections::BTreeMap<String, u64> {
        self.state.counters()
    }

    /// How often one endpoint was called, e.g. `counter("POST /oauth2/token")`.
    pub fn counter(&self, endpoint: &str) -> u64 {
        self.counters().get(endpoint).copied().unwrap_or(0)
    }

    pub fn reset_counters(&self) {
        self.state.reset_counters();
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`: what the Wix client uses as its base URL.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops serving (used by tests that restart the emulator on the same database).
    pub fn stop(self) {
        self.task.abort();
    }
}
