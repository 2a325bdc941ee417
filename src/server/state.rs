//! Everything a request handler needs, built once at start-up.

use std::{sync::Arc, time::Duration};

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use tower_cookies::Key;
use wix_headless::WixClient;

use super::{
    catalog_cache::CatalogCache, config::Config, page_cache::PageCache, renewal::Renewals,
    session::cookie_key, shared_visitor::SharedVisitor,
};

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub config: Arc<Config>,
    pub wix: WixClient,
    pub cookie_key: Key,
    pub renewals: Arc<Renewals>,
    pub shared_visitor: Arc<SharedVisitor>,
    pub catalog_cache: Arc<CatalogCache>,
    pub page_cache: Arc<PageCache>,
}

impl AppState {
    pub fn new(
        leptos_options: LeptosOptions,
        config: Config,
        wix: WixClient,
        session_secret: &str,
    ) -> Self {
        let ttl = Duration::from_secs(config.catalog_cache_ttl_secs);
        let catalog_cache = CatalogCache::new(ttl, config.catalog_cache_bytes);
        let page_cache = PageCache::new(ttl, config.catalog_cache_bytes);
        Self {
            leptos_options,
            cookie_key: cookie_key(session_secret),
            config: Arc::new(config),
            wix,
            renewals: Default::default(),
            shared_visitor: Default::default(),
            catalog_cache: Arc::new(catalog_cache),
            page_cache: Arc::new(page_cache),
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
