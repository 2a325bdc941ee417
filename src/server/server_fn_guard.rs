//! Answers of server functions that Leptos gets wrong for bad requests.
//!
//! Leptos answers 500 when a server function's arguments cannot be decoded (a missing field, a
//! body that is not UTF-8 or is too large); that is the caller's fault, so it becomes 400 (413
//! for a body over the limit). For a plain form post that fails this way Leptos redirects to
//! the `Referer`; such a redirect that would leave the site goes to the home page instead.

use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderValue, StatusCode},
    middleware::Next,
    response::Response,
};

use super::state::AppState;

/// The status a Leptos server-function error body deserves, if not 500.
fn client_error_status(body: &[u8]) -> Option<StatusCode> {
    let decoding = body.starts_with(b"Args|") || body.starts_with(b"Deserialization|");
    let too_large = body
        .windows(b"length limit exceeded".len())
        .any(|w| w == b"length limit exceeded");
    match (decoding, too_large) {
        (true, true) => Some(StatusCode::PAYLOAD_TOO_LARGE),
        (true, false) => Some(StatusCode::BAD_REQUEST),
        (false, _) => None,
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
    if let Some(status) = client_error_status(&bytes) {
        parts.status = status;
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undecodable_arguments_are_the_callers_fault() {
        assert_eq!(
            client_error_status(b"Args|missing field `slug`"),
            Some(StatusCode::BAD_REQUEST)
        );
        assert_eq!(
            client_error_status(b"Deserialization|length limit exceeded"),
            Some(StatusCode::PAYLOAD_TOO_LARGE)
        );
        assert_eq!(client_error_status(b"ServerError|The store is busy"), None);
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
