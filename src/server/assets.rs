//! The wasm, JS and CSS bundle: hashed file names and how long browsers may keep them.

use axum::{
    extract::{Request, State},
    http::{header, HeaderValue},
    middleware::Next,
    response::Response,
};
use leptos::prelude::LeptosOptions;

use super::state::AppState;

/// Whether cargo-leptos hashed the bundle's file names (`hash-files` in Cargo.toml): it then
/// writes the hashes beside the server binary. A binary started by hand, by Playwright or by
/// the benchmark has no `LEPTOS_HASH_FILES` in its environment, so the file decides.
pub fn hashed_by_build(options: &LeptosOptions) -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.join(options.hash_file.as_ref())))
        .is_some_and(|path| path.is_file())
}

/// A hashed file never changes under its name: browsers may keep it for a year without asking.
/// Unhashed, they must ask every time.
pub fn bundle_cache_control(hashed: bool) -> &'static str {
    if hashed {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

/// Sets `Cache-Control` on the bundle under `/pkg/`.
pub async fn asset_cache_headers(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    // Every response passes here: no allocation to tell `/pkg/…` apart.
    let is_bundle = request
        .uri()
        .path()
        .strip_prefix('/')
        .and_then(|path| path.strip_prefix(&*state.leptos_options.site_pkg_dir))
        .is_some_and(|rest| rest.starts_with('/'));
    let mut response = next.run(request).await;
    if is_bundle && response.status().is_success() {
        let value = bundle_cache_control(state.leptos_options.hash_files);
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    response
}
