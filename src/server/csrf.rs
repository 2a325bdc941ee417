//! Cross-site request forgery: state-changing requests (server functions, form posts) must come
//! from the store's own pages. `SameSite=Lax` already keeps the session cookie off cross-site
//! posts; this refuses them outright, with a message, instead of running them without a session.

use axum::{
    extract::{Request, State},
    http::{header, Method, StatusCode},
    middleware::Next,
    response::{Html, IntoResponse, Response},
};

use super::state::AppState;

pub async fn same_origin_only(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    // Browsers send Origin on every cross-site POST; older ones only Referer. A request with
    // neither does not come from a browser page, so it cannot be a forgery against a shopper.
    let claimed = {
        let header = |name| request.headers().get(name).and_then(|v| v.to_str().ok());
        header(header::ORIGIN)
            .filter(|o| *o != "null")
            .or_else(|| header(header::REFERER))
            .map(origin_of)
    };
    match claimed {
        Some(origin) if !same_origin(&origin, &state.config.public_url) => {
            tracing::warn!(%origin, path = request.uri().path(), "cross-site request refused");
            (
                StatusCode::FORBIDDEN,
                Html("<!DOCTYPE html><title>Request refused</title><h1>Request refused</h1>\
                      <p>This request came from another site, so it was refused to protect your cart. \
                      Please go back to the store and try again.</p>"),
            )
                .into_response()
        }
        _ => next.run(request).await,
    }
}

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    format!(
        "{}://{}",
        scheme.to_ascii_lowercase(),
        host.to_ascii_lowercase()
    )
}

/// Same origin as the public URL. Loopback names are interchangeable in development
/// (`localhost:3000` and `127.0.0.1:3000` are one machine).
fn same_origin(origin: &str, public_url: &str) -> bool {
    let public = origin_of(public_url);
    if origin == public {
        return true;
    }
    let loopback = |o: &str| -> Option<(String, String)> {
        let (scheme, host) = o.split_once("://")?;
        let port = host
            .rsplit_once(':')
            .map(|(_, p)| p)
            .filter(|p| p.chars().all(|c| c.is_ascii_digit()));
        let name = port.map_or(host, |p| &host[..host.len() - p.len() - 1]);
        matches!(name, "localhost" | "127.0.0.1" | "[::1]")
            .then(|| (scheme.to_owned(), port.unwrap_or_default().to_owned()))
    };
    matches!((loopback(origin), loopback(&public)), (Some(a), Some(b)) if a == b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_public_origin_passes() {
        let public = "https://shop.example.com";
        assert!(same_origin(
            &origin_of("https://shop.example.com/product/x"),
            public
        ));
        assert!(same_origin(&origin_of("HTTPS://Shop.Example.com"), public));
        assert!(!same_origin(
            &origin_of("https://evil.example.com/"),
            public
        ));
        assert!(!same_origin(&origin_of("http://shop.example.com/"), public));
        assert!(!same_origin(
            &origin_of("https://shop.example.com.evil.com/"),
            public
        ));
    }

    #[test]
    fn loopback_names_are_one_origin_in_development() {
        assert!(same_origin(
            "http://localhost:3000",
            "http://127.0.0.1:3000"
        ));
        assert!(!same_origin(
            "http://localhost:3001",
            "http://127.0.0.1:3000"
        ));
        assert!(!same_origin(
            "http://localhost.evil.com:3000",
            "http://127.0.0.1:3000"
        ));
    }
}
