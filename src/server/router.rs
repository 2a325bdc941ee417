//! Router assembly: Leptos pages and server functions behind the session layer; static files
//! and the 404 page beside it.

use axum::{middleware, Router};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_cookies::CookieManagerLayer;
use tower_http::{compression::CompressionLayer, limit::RequestBodyLimitLayer, CompressionLevel};

use super::{
    assets::asset_cache_headers, csrf::same_origin_only, page_cache::page_cache_layer, security,
    server_fn_guard::server_fn_guard, session::session_layer, state::AppState,
};
use crate::app::{shell, App};

/// Largest request body accepted (server-function arguments, form posts).
const MAX_REQUEST_BODY: usize = 64 * 1024;

pub fn build(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context = {
        let state = state.clone();
        move || provide_context(state.clone())
    };
    let options = state.leptos_options.clone();
    let ceiling = if state.config.bench_ceiling {
        super::bench::routes()
    } else {
        Router::new()
    };
    Router::new()
        .merge(super::seo::routes())
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            shell(options.clone())
        })
        // Pages and server functions only: static files need no session. Cross-site posts are
        // refused before any session work.
        .route_layer(middleware::from_fn_with_state(state.clone(), session_layer))
        // Server-function arguments are a few short fields: anything bigger is refused (413)
        // before it is read (and before any session work).
        .route_layer(RequestBodyLimitLayer::new(MAX_REQUEST_BODY))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            same_origin_only,
        ))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            server_fn_guard,
        ))
        // Outermost: a kept page for a visitor without a session skips all of the above.
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            page_cache_layer,
        ))
        // The benchmark's ceiling: bytes from memory past none of the page layers, only the
        // ones every response passes (headers, compression).
        .merge(ceiling)
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            asset_cache_headers,
        ))
        .layer(CookieManagerLayer::new())
        .layer(security::layers())
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        .with_state(state)
}
