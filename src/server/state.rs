//! Everything a request handler needs, built once at start-up.

use std::{sync::Arc, time::Duration};

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use wix_headless::WixClient;

use super::{
    catalog_cache::CatalogCache,
    config::{Config, SessionSecrets},
    handoff::HandoffKey,
    limits::Limits,
    ops::Draining,
    page_cache::PageCache,
    renewal::Renewals,
    security::CspSources,
    session::CookieKeys,
    shared_visitor::SharedVisitor,
};

/// Cloned by every middleware on every request: one reference count, not a copy of each part.
#[derive(Clone)]
pub struct AppState(Arc<AppStateParts>);

impl std::ops::Deref for AppState {
    type Target = AppStateParts;
    fn deref(&self) -> &AppStateParts {
        &self.0
    }
}

pub struct AppStateParts {
    pub leptos_options: LeptosOptions,
    pub config: Arc<Config>,
    pub wix: WixClient,
    pub cookie_keys: CookieKeys,
    pub renewals: Arc<Renewals>,
    pub shared_visitor: Arc<SharedVisitor>,
    pub catalog_cache: Arc<CatalogCache>,
    pub page_cache: Arc<PageCache>,
    pub csp_sources: Arc<CspSources>,
    pub limits: Arc<Limits>,
    pub handoff_key: HandoffKey,
    /// Set on SIGTERM: readiness fails while in-flight requests finish.
    pub draining: Draining,
}

impl AppState {
    pub fn new(
        leptos_options: LeptosOptions,
        config: Config,
        wix: WixClient,
        secrets: &SessionSecrets,
    ) -> Self {
        let ttl = Duration::from_secs(config.catalog_cache_ttl_secs);
        let catalog_cache = CatalogCache::new(ttl, config.catalog_cache_bytes);
        let page_cache = PageCache::new(ttl, config.catalog_cache_bytes);
        let base = &wix.config().base_url;
        let csp_sources = CspSources {
            insecure_wix_origin: base
                .starts_with("http://")
                .then(|| base.splitn(4, '/').take(3).collect::<Vec<_>>().join("/")),
            hosted_origins: config.hosted_origins.clone(),
            live_reload: config.development,
            hsts: config.secure_cookies,
            shared_page_secs: config.catalog_cache_ttl_secs,
        };
        let limits = Arc::new(Limits::new(
            config.posts_per_second,
            config.new_visitors_per_minute,
            config.trusted_proxy_header.clone(),
        ));
        Self(Arc::new(AppStateParts {
            leptos_options,
            cookie_keys: CookieKeys::new(secrets),
            handoff_key: HandoffKey::new(secrets.current.expose()),
            config: Arc::new(config),
            wix,
            renewals: Default::default(),
            shared_visitor: Default::default(),
            catalog_cache: Arc::new(catalog_cache),
            page_cache: Arc::new(page_cache),
            csp_sources: Arc::new(csp_sources),
            limits,
            draining: Draining::default(),
        }))
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
