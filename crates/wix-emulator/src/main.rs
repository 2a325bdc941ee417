//! `cargo run -p wix-emulator`: the Wix API emulator as a standalone server.

use clap::Parser;
use wix_emulator::{EmulatorConfig, RunningEmulator, Settings};

#[derive(Parser)]
#[command(
    about = "Local emulator of the Wix Headless REST APIs (tokens, Catalog V3, current cart)"
)]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "WIX_EMULATOR_LISTEN", default_value = "127.0.0.1:3001")]
    listen: std::net::SocketAddr,
    /// SQLite database file (created when missing).
    #[arg(
        long,
        env = "WIX_EMULATOR_DB",
        default_value = "data/wix-emulator.sqlite"
    )]
    db: std::path::PathBuf,
    /// Product catalog in Wix's REST product JSON shape; the bundled demo catalog when absent.
    #[arg(long, env = "WIX_EMULATOR_CATALOG")]
    catalog: Option<std::path::PathBuf>,
    /// Lifetime of access tokens in seconds (Wix: 14400); overrides `--settings`.
    #[arg(long, env = "WIX_EMULATOR_TOKEN_TTL")]
    token_ttl: Option<u64>,
    /// Start-up settings as JSON, the shape of `GET /_emulator/settings`, e.g.
    /// `{"latencyMs": 50, "jitterMs": 20, "errorRate": 0.1}`.
    #[arg(long, env = "WIX_EMULATOR_SETTINGS")]
    settings: Option<String>,
    /// Enable the admin endpoints under /_emulator (fault injection, counters).
    #[arg(long, env = "WIX_EMULATOR_ADMIN", default_value_t = false)]
    admin: bool,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let args = Args::parse();
    let mut settings: Settings = match &args.settings {
        Some(json) => serde_json::from_str(json)
            .map_err(|e| format!("--settings is not valid settings JSON: {e}"))?,
        None => Settings::default(),
    };
    if let Some(ttl) = args.token_ttl {
        settings.access_token_ttl_secs = ttl;
    }
    let config = EmulatorConfig {
        db_path: args.db,
        catalog_path: args.catalog,
        settings,
        admin_enabled: args.admin,
    };
    let emulator = RunningEmulator::start(config, args.listen).await?;
    println!("Wix emulator listening on {}", emulator.base_url());
    tokio::signal::ctrl_c().await?;
    Ok(())
}
