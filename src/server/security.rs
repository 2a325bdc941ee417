//! Security headers. Every HTML answer gets the page Content-Security-Policy with a nonce made
//! here, before rendering, and handed to Leptos (so its inline scripts carry it); the layer
//! then checks that the page really was rendered with it, and answers a loud 500 rather than a
//! page whose scripts, styles and images the browser would block. Every other answer (files,
//! server functions) gets a policy that allows nothing, plus the usual hardening headers.

use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderName, HeaderValue, StatusCode},
    middleware::Next,
    response::{Html, IntoResponse, Response},
};
use leptos::nonce::Nonce;
use tower_http::set_header::SetResponseHeaderLayer;

use std::sync::Arc;

/// The nonce of the page being answered: made by [`page_security`] before anything renders,
/// provided to Leptos as its nonce (see `router::build`) and spliced into kept pages.
#[derive(Clone, Debug)]
pub struct PageNonce(pub Nonce);

/// Largest page body checked and sent (a page is a few tens of kilobytes).
const MAX_PAGE_BYTES: usize = 8 * 1024 * 1024;

/// The origins a page policy names besides its own, fixed at start-up.
#[derive(Clone, Debug, Default)]
pub struct CspSources {
    /// A plain-http Wix origin (the emulator in development), for its images.
    pub insecure_wix_origin: Option<String>,
    /// Where forms may lead: Wix's hosted pages (checkout, logout), reached by a redirect after
    /// a form post, which `form-action` governs.
    pub hosted_origins: Vec<String>,
    /// `cargo leptos watch` reloads pages over a websocket.
    pub live_reload: bool,
    /// `Strict-Transport-Security` for an https store.
    pub hsts: bool,
}

/// The CSP of an HTML page. Scripts: our own files and inline scripts bearing this response's
/// nonce (Leptos's hydration loader and data); `wasm-unsafe-eval` to instantiate the wasm.
/// Images may come from any https origin (Wix media). Forms may post to ourselves and lead to
/// Wix's hosted pages only.
pub fn page_csp(nonce: &str, sources: &CspSources) -> String {
    let wix = sources
        .insecure_wix_origin
        .as_deref()
        .map(|o| format!(" {o}"))
        .unwrap_or_default();
    let connect = if sources.live_reload {
        "'self' ws: wss:"
    } else {
        "'self'"
    };
    let forms: String = sources
        .hosted_origins
        .iter()
        .map(|o| format!(" {o}"))
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data: https:{wix}; connect-src {connect}; font-src 'self'; \
         object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'{forms}{wix}"
    )
}

/// Whether `url` leads to an origin the page policy lets forms reach (`https://*.wix.com`
/// patterns match subdomains).
pub fn form_may_reach(url: &str, sources: &CspSources) -> bool {
    let Some((scheme, rest)) = url.split_once("://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let origin = format!(
        "{}://{}",
        scheme.to_ascii_lowercase(),
        host.to_ascii_lowercase()
    );
    sources
        .hosted_origins
        .iter()
        .chain(sources.insecure_wix_origin.iter())
        .any(|pattern| {
            let pattern = pattern.to_ascii_lowercase();
            match pattern.split_once("://*.") {
                Some((p_scheme, domain)) => {
                    origin.starts_with(&format!("{p_scheme}://"))
                        && host.to_ascii_lowercase().ends_with(&format!(".{domain}"))
                }
                None => origin == pattern,
            }
        })
}

fn is_html(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The layer: a nonce before rendering; the page policy (and HSTS) after, on HTML that really
/// carries that nonce.
pub async fn page_security(
    State(sources): State<Arc<CspSources>>,
    mut request: Request,
    next: Next,
) -> Response {
    let nonce = Nonce::new();
    request.extensions_mut().insert(PageNonce(nonce.clone()));
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let mut response = if is_html(&response) {
        with_page_policy(response, &nonce, &sources, &path).await
    } else {
        response
    };
    if sources.hsts {
        response.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    response
}

/// An HTML answer with the page policy, if its scripts carry `nonce`; a 500 otherwise.
async fn with_page_policy(
    response: Response,
    nonce: &Nonce,
    sources: &CspSources,
    path: &str,
) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, path, "a page failed while it was being sent");
            return broken_page();
        }
    };
    let marked = format!("nonce=\"{}\"", nonce.as_inner());
    if contains(&bytes, b"<script") && !contains(&bytes, marked.as_bytes()) {
        tracing::error!(
            path,
            "a page was rendered without this response's CSP nonce; answering 500 instead of a page the browser would block"
        );
        metrics::counter!("storefront_pages_without_nonce_total").increment(1);
        return broken_page();
    }
    match HeaderValue::from_str(&page_csp(nonce.as_inner(), sources)) {
        Ok(policy) => {
            parts
                .headers
                .insert(header::CONTENT_SECURITY_POLICY, policy);
            Response::from_parts(parts, Body::from(bytes))
        }
        Err(error) => {
            tracing::error!(%error, "the page policy is not a valid header");
            broken_page()
        }
    }
}

fn broken_page() -> Response {
    let mut response = (
        StatusCode::INTERNAL_SERVER_ERROR,
        Html(
            "<!DOCTYPE html><title>Something went wrong</title><h1>Something went wrong</h1>\
             <p>This page could not be shown. Please reload it in a moment.</p>",
        ),
    )
        .into_response();
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
    );
    response
}

/// Hardening headers for every response; responses without a policy of their own (files,
/// server functions) get one that allows nothing and forbids framing.
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
    use super::*;
    use axum::{middleware, routing::get, Router};
    use tower::ServiceExt;

    /// A page that renders its scripts with (or without) the response's nonce.
    async fn served(with_nonce: bool) -> Response {
        let app = Router::new()
            .route(
                "/",
                get(move |request: Request| async move {
                    let nonce = request
                        .extensions()
                        .get::<PageNonce>()
                        .map(|n| n.0.as_inner().to_string())
                        .filter(|_| with_nonce)
                        .unwrap_or_else(|| "another-nonce-entirely".into());
                    Html(format!("<script nonce=\"{nonce}\">boot()</script>"))
                }),
            )
            .layer(middleware::from_fn_with_state(
                Arc::new(sources()),
                page_security,
            ));
        let request = Request::builder()
            .uri("/")
            .body(Body::empty())
            .expect("request");
        app.oneshot(request).await.expect("response")
    }

    #[tokio::test]
    async fn a_page_without_its_nonce_is_a_loud_500_not_a_broken_page() {
        let good = served(true).await;
        assert_eq!(good.status(), StatusCode::OK);
        let policy = good.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .expect("csp")
            .to_owned();
        let body = axum::body::to_bytes(good.into_body(), usize::MAX)
            .await
            .expect("body");
        let start = policy.find("'nonce-").expect("nonce") + 7;
        let nonce = &policy[start..start + policy[start..].find('\'').expect("end")];
        assert!(String::from_utf8_lossy(&body).contains(nonce));
        let broken = served(false).await;
        assert_eq!(broken.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(broken
            .headers()
            .contains_key(header::STRICT_TRANSPORT_SECURITY));
    }

    fn sources() -> CspSources {
        CspSources {
            insecure_wix_origin: None,
            hosted_origins: vec![
                "https://*.wix.com".into(),
                "https://checkout.example.com".into(),
            ],
            live_reload: false,
            hsts: true,
        }
    }

    #[test]
    fn page_policy_carries_the_nonce_and_limits_forms_to_wix() {
        let policy = page_csp("abc123", &sources());
        assert!(policy.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval'"));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(
            policy.contains("form-action 'self' https://*.wix.com https://checkout.example.com")
        );
        assert!(!policy.contains("unsafe-inline"));
        assert!(
            !policy.contains("form-action 'self' https:;"),
            "not any https origin"
        );
        assert!(!policy.contains("ws:"));
        let development = CspSources {
            insecure_wix_origin: Some("http://127.0.0.1:3001".into()),
            live_reload: true,
            ..CspSources::default()
        };
        let policy = page_csp("n", &development);
        assert!(policy.contains("img-src 'self' data: https: http://127.0.0.1:3001"));
        assert!(policy.ends_with("form-action 'self' http://127.0.0.1:3001"));
        assert!(policy.contains("connect-src 'self' ws: wss:"));
    }

    #[test]
    fn forms_reach_only_the_hosted_origins() {
        let s = sources();
        assert!(form_may_reach("https://manage.wix.com/checkout?x=1", &s));
        assert!(form_may_reach("https://checkout.example.com/c", &s));
        assert!(!form_may_reach("https://wix.com.evil.com/", &s));
        assert!(
            !form_may_reach("http://manage.wix.com/", &s),
            "not over http"
        );
        assert!(!form_may_reach("https://evil.example.com/", &s));
        assert!(!form_may_reach("javascript:alert(1)", &s));
    }
}
