//! Everything a request handler needs, built once at start-up.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use tower_cookies::Key;
use wix_headless::WixClient;

use super::{config::Config, renewal::Renewals, shared_visitor::SharedVisitor};

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub config: Arc<Config>,
    pub wix: WixClient,
    pub cookie_key: Key,
    pub renewals: Arc<Renewals>,
    pub shared_visitor: Arc<SharedVisitor>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
