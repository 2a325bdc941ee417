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
    let refusal = {
        let header = |name| request.headers().get(name).and_then(|v| v.to_str().ok());
        refusal(
            header("sec-fetch-site"),
            header(header::ORIGIN.as_str()),
            header(header::REFERER.as_str()),
            &state.config.public_url,
        )
    };
    match refusal {
        Some(reason) => {
            tracing::warn!(
                reason,
                path = request.uri().path(),
                "cross-site request refused"
            );
            (
                StatusCode::FORBIDDEN,
                Html("<!DOCTYPE html><title>Request refused</title><h1>Request refused</h1>\
                      <p>This request came from another site, so it was refused to protect your cart. \
                      Please go back to the store and try again.</p>"),
            )
                .into_response()
        }
        None => next.run(request).await,
    }
}

/// Why a state-changing request is refused, if it is. Browsers that can carry a shopper's
/// cookie say where a request comes from: `Sec-Fetch-Site` (only `same-origin` and `none`, a
/// typed address, pass), `Origin` (`null` from a sandboxed frame or a `data:` page is
/// cross-site) or, in older ones, `Referer`. A request with none of them does not come from a
/// browser page, so it cannot be a forgery against a shopper.
fn refusal(
    fetch_site: Option<&str>,
    origin: Option<&str>,
    referer: Option<&str>,
    public_url: &str,
) -> Option<&'static str> {
    if let Some(site) = fetch_site {
        if !matches!(
            site.trim().to_ascii_lowercase().as_str(),
            "same-origin" | "none"
        ) {
            return Some("Sec-Fetch-Site is not same-origin");
        }
    }
    match (origin.map(str::trim), referer) {
        (Some("null"), _) => Some("Origin is null"),
        (Some(origin), _) if !same_origin(&origin_of(origin), public_url) => {
            Some("Origin is another site")
        }
        (None, Some(referer)) if !same_origin(&origin_of(referer), public_url) => {
            Some("Referer is another site")
        }
        _ => None,
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
    fn browsers_are_believed_and_non_browsers_pass() {
        let public = "https://shop.example.com";
        let ours = Some("https://shop.example.com");
        assert_eq!(refusal(Some("same-origin"), ours, None, public), None);
        assert_eq!(
            refusal(Some("none"), None, None, public),
            None,
            "a typed address"
        );
        assert!(refusal(Some("cross-site"), ours, None, public).is_some());
        assert!(
            refusal(Some("same-site"), None, None, public).is_some(),
            "a sibling subdomain"
        );
        assert!(
            refusal(None, Some("null"), None, public).is_some(),
            "an opaque origin"
        );
        assert!(refusal(None, Some("https://evil.example"), None, public).is_some());
        assert!(refusal(None, None, Some("https://evil.example/x"), public).is_some());
        assert_eq!(
            refusal(None, None, Some("https://shop.example.com/cart"), public),
            None
        );
        assert_eq!(refusal(None, None, None, public), None, "not a browser");
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
