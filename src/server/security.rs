//! Security headers: a per-response Content-Security-Policy for pages (with Leptos's nonce on
//! its inline scripts) and the usual hardening headers on every response.

use axum::http::{header, HeaderName, HeaderValue};
use leptos::prelude::use_context;
use tower_http::set_header::SetResponseHeaderLayer;

use super::state::AppState;

/// The CSP of an HTML page. Scripts: our own files and inline scripts bearing this response's
/// nonce (Leptos's hydration loader and data); `wasm-unsafe-eval` to instantiate the wasm.
/// Images may come from any https origin (Wix media) and from the Wix API origin (the
/// emulator's images in development). Forms may post to ourselves and lead to Wix's hosted
/// pages (the checkout redirect), which live on the merchant's own https domain.
pub fn page_csp(nonce: &str, wix_origin: &str, development: bool) -> String {
    let extra_origin = if wix_origin.starts_with("http://") {
        format!(" {wix_origin}")
    } else {
        String::new()
    };
    // `cargo leptos watch` reloads pages over a websocket.
    let connect = if development {
        "'self' ws: wss:"
    } else {
        "'self'"
    };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data: https:{extra_origin}; connect-src {connect}; font-src 'self'; \
         object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self' https:{extra_origin}"
    )
}

/// Sets the page CSP on the response being rendered (server side only).
pub fn set_page_csp() {
    let (Some(nonce), Some(options), Some(state)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
        use_context::<AppState>(),
    ) else {
        return;
    };
    let base = &state.wix.config().base_url;
    let origin: String = base.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
    let policy = page_csp(nonce.as_inner(), &origin, state.config.development);
    if let Ok(value) = HeaderValue::from_str(&policy) {
        options.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Hardening headers for every response; responses without a CSP of their own (files, server
/// functions) get one that allows nothing to frame them.
pub fn layers() -> (
    SetResponseHeaderLayer<HeaderValue>,
    SetResponseHeaderLayer<HeaderValue>,
    SetResponseHeaderLayer<HeaderValue>,
    SetResponseHeaderLayer<HeaderValue>,
) {
    (
        SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ),
        SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ),
        SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("content-security-policy"),
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        ),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn page_policy_carries_the_nonce_and_forbids_framing() {
        let policy = super::page_csp("abc123", "http://127.0.0.1:3001", false);
        assert!(policy.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval'"));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(policy.contains("img-src 'self' data: https: http://127.0.0.1:3001"));
        assert!(!policy.contains("unsafe-inline"));
        let production = super::page_csp("n", "https://www.wixapis.com", false);
        assert!(
            production.contains("form-action 'self' https:;")
                || production.ends_with("form-action 'self' https:")
        );
        assert!(!production.contains("ws:"));
    }
}
