//! Router assembly: Leptos pages and server functions behind the session layer; static files
//! and the 404 page beside them; the page security layer and the page cache around all of it.

use std::sync::OnceLock;

use axum::{handler::Handler, http::request::Parts, middleware, Router};
use leptos::prelude::{provide_context, use_context};
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use tower_cookies::CookieManagerLayer;
use tower_http::{
    compression::CompressionLayer,
    limit::RequestBodyLimitLayer,
    services::ServeDir,
    trace::{DefaultOnFailure, DefaultOnResponse, TraceLayer},
    CompressionLevel,
};
use tracing::Level;

use super::{
    assets::asset_cache_headers,
    csrf::same_origin_only,
    limits::limit_posts,
    ops::deadline,
    page_cache::page_cache_layer,
    security::{self, page_security, PageNonce},
    server_fn_guard::server_fn_guard,
    session::session_layer,
    state::AppState,
    telemetry,
};
use crate::{
    app::{shell, App},
    components::{canonical::PublicOrigin, status::ResponseStatus},
};

/// Largest request body accepted (server-function arguments, form posts).
const MAX_REQUEST_BODY: usize = 64 * 1024;

/// The app's routes, generated once per process. Generating them renders the app in a special
/// mode that Leptos flags process-wide; doing it while other requests render (tests build a
/// router per test) left those requests waiting forever.
fn routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn build(state: AppState) -> Router {
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            provide_context(PublicOrigin(state.config.public_url.clone()));
            // Pages set their status through this (components hold no server-only code).
            provide_context(ResponseStatus::new(|code| {
                if let (Some(options), Ok(code)) = (
                    use_context::<leptos_axum::ResponseOptions>(),
                    axum::http::StatusCode::from_u16(code),
                ) {
                    options.set_status(code);
                }
            }));
            // Render with the nonce the security layer made for this response: the policy it
            // sends names that one. (Replaces the nonce Leptos made for itself.)
            let nonce = use_context::<Parts>()
                .and_then(|parts| parts.extensions.get::<PageNonce>().cloned());
            if let Some(PageNonce(nonce)) = nonce {
                provide_context(nonce);
            }
        }
    };
    let options = state.leptos_options.clone();
    let not_found =
        leptos_axum::file_and_error_handler_with_context::<AppState, _>(context.clone(), shell);
    // The bundle, as the release wrote it beside each file: brotli at its highest level (a
    // third smaller than the fastest level the compression layer uses on the fly), or gzip.
    // Without those files (a debug build) the file itself, compressed on the way out.
    let bundle = ServeDir::new(&*options.site_root)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(not_found.clone().with_state(state.clone()));
    let bundle_path = format!("/{}/{{*file}}", options.site_pkg_dir);
    let app = Router::new()
        .merge(super::seo::routes())
        .merge(super::handoff::routes())
        .merge(super::sign_in::routes())
        .leptos_routes_with_context(&state, routes(), context.clone(), move || {
            shell(options.clone())
        })
        // Pages and server functions only: static files need no session.
        .route_layer(middleware::from_fn_with_state(state.clone(), session_layer))
        // Every page and server function answers within the deadline (504 past it).
        .route_layer(middleware::from_fn_with_state(state.clone(), deadline))
        // Server-function arguments are a few short fields: anything bigger is refused (413)
        // before it is read (and before any session work).
        .route_layer(RequestBodyLimitLayer::new(MAX_REQUEST_BODY))
        // Cross-site posts are refused before any of that.
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            same_origin_only,
        ))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            server_fn_guard,
        ))
        // After the route layers: the bundle needs no session.
        .route_service(&bundle_path, bundle)
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            asset_cache_headers,
        ))
        .layer(CookieManagerLayer::new())
        // Every request's client address is known to handlers; posts past the limit stop here.
        .layer(middleware::from_fn_with_state(state.clone(), limit_posts))
        // The nonce exists before anything renders, and every HTML answer leaves with the
        // policy naming it (or its scripts' digests). Outside the cookie layer: it sees the
        // Set-Cookie a response really leaves with.
        .layer(middleware::from_fn_with_state(
            state.csp_sources.clone(),
            page_security,
        ))
        // Outermost of the page layers: it keeps and serves finished pages, exactly as sent.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            page_cache_layer,
        ));
    // The benchmark's ceiling: bytes from memory past none of the page layers, only the ones
    // every response passes (headers, compression).
    let ceiling = if state.config.bench_ceiling {
        super::bench::routes()
    } else {
        Router::new()
    };
    let (set_request_id, propagate_request_id) = telemetry::request_id_layers();
    app.merge(ceiling)
        // Liveness and readiness: past none of the page layers.
        .merge(super::ops::routes())
        .layer(security::layers())
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        .layer(middleware::from_fn(telemetry::http_metrics))
        // Outermost: a request id (taken or made) on every log line and on the response.
        .layer(propagate_request_id)
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(telemetry::request_span)
                .on_response(DefaultOnResponse::new().level(Level::INFO))
                .on_failure(DefaultOnFailure::new().level(Level::ERROR)),
        )
        .layer(set_request_id)
        .layer(middleware::from_fn(telemetry::sanitise_request_id))
        .with_state(state)
}
