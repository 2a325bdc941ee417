//! The emulator's HTTP surface. Paths are host-agnostic: `www.` and `edge.wixapis.com` map here alike.

mod admin;
mod carts;
mod carts_v2;
mod hosted;
mod media;
mod members;
mod oauth;
mod products;
mod redirects;

use std::time::Duration;

use axum::{
    extract::{MatchedPath, Request, State},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    Router,
};
use rand::Rng;

use crate::{error::ApiError, state::AppState};

pub fn router(state: AppState, admin_enabled: bool) -> Router {
    let api = Router::new()
        .merge(oauth::routes())
        .merge(products::routes())
        .merge(carts::routes())
        .merge(carts_v2::routes())
        .merge(redirects::routes())
        .merge(members::routes())
        .layer(middleware::from_fn_with_state(state.clone(), inject_faults));
    let mut router = Router::new()
        .merge(api)
        .merge(media::routes())
        .merge(hosted::routes());
    if admin_enabled {
        router = router.merge(admin::routes());
    }
    router
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            count_requests,
        ))
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::application(
        axum::http::StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "No such endpoint in the Wix emulator",
    )
}

/// Per-endpoint request counters (`POST /oauth2/token` → n), read through the admin endpoint.
async fn count_requests(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "(unmatched)".into());
    if !path.starts_with("/_emulator") {
        state.count(format!("{} {path}", request.method()));
    }
    next.run(request).await
}

/// Latency, 5xx and 429 faults, as set through the admin endpoint.
async fn inject_faults(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let settings = state.settings();
    let in_scope = settings
        .fault_path_prefix
        .as_deref()
        .is_none_or(|prefix| request.uri().path().starts_with(prefix));
    if !in_scope {
        return next.run(request).await;
    }
    let jitter = if settings.jitter_ms > 0 {
        rand::thread_rng().gen_range(0..=settings.jitter_ms)
    } else {
        0
    };
    let delay = settings.latency_ms + jitter;
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    if let Some(retry_after_secs) = settings.rate_limit_retry_after_secs {
        return ApiError::RateLimited { retry_after_secs }.into_response();
    }
    if settings.error_rate > 0.0 && rand::thread_rng().gen_bool(settings.error_rate.clamp(0.0, 1.0))
    {
        return ApiError::System {
            status: axum::http::StatusCode::SERVICE_UNAVAILABLE,
            message: "Service unavailable (fault injection)".into(),
        }
        .into_response();
    }
    next.run(request).await
}

/// Repeated query keys (`fields=A&fields=B`, wix-api.md §1.4), which serde_urlencoded cannot read.
pub(crate) fn query_values(query: Option<&str>, key: &str) -> Vec<String> {
    form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
        .collect()
}
