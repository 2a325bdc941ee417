//! The HTTP status of server-function answers, and where their redirects may go.
//!
//! Leptos answers every server-function error with a 500. Ours are [`StoreError`]s, sent as
//! JSON, so the status is derived from the error itself ([`StoreError::status`]): 400 for
//! arguments that cannot be decoded, 503/504 for upstream failures. For a plain form post that
//! fails, Leptos redirects to the `Referer`; such a redirect that would leave the site goes to
//! the home page instead.

use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderValue, StatusCode},
    middleware::Next,
    response::Response,
};

use super::state::AppState;
use crate::api::error::StoreError;

/// The status a server-function error body deserves.
fn error_status(body: &[u8]) -> StatusCode {
    serde_json::from_slice::<StoreError>(body)
        .ok()
        .and_then(|error| StatusCode::from_u16(error.status()).ok())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// `Retry-After` for an error that names a wait.
fn retry_after(body: &[u8]) -> Option<HeaderValue> {
    match serde_json::from_slice::<StoreError>(body).ok()? {
        StoreError::TooManyRequests { retry_after_secs } => {
            HeaderValue::from_str(&retry_after_secs.to_string()).ok()
        }
        _ => None,
    }
}

/// Whether a redirect target stays on this site.
fn is_local(location: &str, public_url: &str) -> bool {
    (location.starts_with('/') && !location.starts_with("//") && !location.contains('\\'))
        || location == public_url
        || location.starts_with(&format!("{public_url}/"))
        || location.starts_with(&format!("{public_url}?"))
}

pub async fn server_fn_guard(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let referer = request
        .headers()
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut response = next.run(request).await;
    // Only Leptos's own redirect back to the `Referer`; our redirects (to Wix's hosted checkout)
    // are deliberate.
    let back_off_site = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|location| {
            !is_local(location, &state.config.public_url)
                && referer.as_deref().is_some_and(|r| location.starts_with(r))
        });
    if response.status().is_redirection() && back_off_site {
        response
            .headers_mut()
            .insert(header::LOCATION, HeaderValue::from_static("/"));
    }
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // Server-function answers are already whole in memory.
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    parts.status = error_status(&bytes);
    if let Some(wait) = retry_after(&bytes) {
        parts.headers.insert(header::RETRY_AFTER, wait);
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_comes_from_the_error() {
        let body = |error: StoreError| serde_json::to_vec(&error).expect("json");
        assert_eq!(
            error_status(&body(StoreError::BadRequest)),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            error_status(&body(StoreError::Timeout)),
            StatusCode::GATEWAY_TIMEOUT
        );
        assert_eq!(
            error_status(&body(StoreError::Busy)),
            StatusCode::SERVICE_UNAVAILABLE
        );
        assert_eq!(error_status(b"not ours"), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn only_redirects_within_the_site_are_kept() {
        let public = "https://shop.example";
        assert!(is_local("/cart?cart=added", public));
        assert!(is_local("https://shop.example/search", public));
        assert!(!is_local("https://evil.example/page", public));
        assert!(!is_local("https://shop.example.evil/page", public));
        assert!(!is_local("//evil.example", public));
    }
}
