//! Security headers. Every page is rendered with a nonce made here, before rendering, and
//! handed to Leptos (so its inline scripts carry it); the layer then checks that the page
//! really was rendered with it, and answers a loud 500 rather than a page whose scripts the
//! browser would block. A page for one visitor leaves with a Content-Security-Policy naming
//! that nonce. A page any visitor without a session may see (see [`page_cache::shareable`])
//! leaves without the nonce, with a policy naming the digest of each script that bore it, and
//! with `Cache-Control: public`: a CDN or shared cache may keep it, since nothing in it or its
//! headers is particular to one response. Only scripts that bore the nonce are hashed, so a
//! script smuggled into the markup is never allowed. Every other answer (files, server
//! functions) gets a policy that allows nothing, plus the usual hardening headers.

use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{header, response, HeaderName, HeaderValue, StatusCode},
    middleware::Next,
    response::{Html, IntoResponse, Response},
};
use base64::{engine::general_purpose::STANDARD, Engine as _};
use leptos::nonce::Nonce;
use memchr::memmem;
use sha2::{Digest, Sha256};
use tower_http::set_header::SetResponseHeaderLayer;

use std::sync::Arc;

use super::page_cache;

/// The nonce of the page being answered: made by [`page_security`] before anything renders and
/// provided to Leptos as its nonce (see `router::build`).
#[derive(Clone, Debug)]
pub struct PageNonce(pub Nonce);

/// Largest page body checked and sent (a page is a few tens of kilobytes).
const MAX_PAGE_BYTES: usize = 8 * 1024 * 1024;

/// What page policies say besides the page's own scripts, fixed at start-up.
#[derive(Clone, Debug, Default)]
pub struct CspSources {
    /// How long shared caches may keep a page any visitor without a session may see (the
    /// catalog cache's lifetime).
    pub shared_page_secs: u64,
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

/// Which inline scripts (Leptos's hydration loader and data) a page policy allows.
#[derive(Clone, Copy, Debug)]
pub enum InlineScripts<'a> {
    /// Those bearing this response's nonce: a page for one response only.
    Nonce(&'a str),
    /// Those with these digests (`'sha256-…'` sources): a page any visitor may be shown.
    Hashes(&'a [String]),
}

/// The CSP of an HTML page. Scripts: our own files and the page's own inline scripts;
/// `wasm-unsafe-eval` to instantiate the wasm. Images may come from any https origin (Wix
/// media). Forms may post to ourselves and lead to Wix's hosted pages only.
pub fn page_csp(scripts: InlineScripts, sources: &CspSources) -> String {
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
    let inline = match scripts {
        InlineScripts::Nonce(nonce) => format!("'nonce-{nonce}'"),
        InlineScripts::Hashes(hashes) => hashes.join(" "),
    };
    format!(
        "default-src 'self'; script-src 'self' {inline} 'wasm-unsafe-eval'; style-src 'self'; \
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
    memmem::find(haystack, needle).is_some()
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
    let shareable = page_cache::shareable(&request);
    let response = next.run(request).await;
    let mut response = if is_html(&response) {
        let shared_for = shareable.then_some(sources.shared_page_secs);
        with_page_policy(response, &nonce, &sources, &path, shared_for).await
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

/// An HTML answer with the page policy, if its scripts carry `nonce`; a 500 otherwise. With
/// `shared_for` (seconds), a request any visitor without a session could have made: if the
/// answer is a plain 200 for everyone, it leaves as a page shared caches may keep that long.
async fn with_page_policy(
    response: Response,
    nonce: &Nonce,
    sources: &CspSources,
    path: &str,
    shared_for: Option<u64>,
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
    let shared = shared_for
        .filter(|_| same_for_everyone(&parts))
        .and_then(|seconds| {
            Some((
                seconds,
                SharedPage::from_rendered(&bytes, nonce.as_inner())?,
            ))
        });
    let (policy, body) = match &shared {
        Some((seconds, page)) => {
            parts
                .headers
                .insert(header::CACHE_CONTROL, shared_cache_control(*seconds));
            parts
                .headers
                .append(header::VARY, HeaderValue::from_static("cookie"));
            (
                page_csp(InlineScripts::Hashes(&page.script_hashes), sources),
                page.body.clone(),
            )
        }
        None => (
            page_csp(InlineScripts::Nonce(nonce.as_inner()), sources),
            bytes,
        ),
    };
    match HeaderValue::from_str(&policy) {
        Ok(policy) => {
            parts
                .headers
                .insert(header::CONTENT_SECURITY_POLICY, policy);
            Response::from_parts(parts, Body::from(body))
        }
        Err(error) => {
            tracing::error!(%error, "the page policy is not a valid header");
            broken_page()
        }
    }
}

/// Whether an answer is the same for every visitor without a session: a 200 that sets no
/// cookie and that nothing marked private.
fn same_for_everyone(parts: &response::Parts) -> bool {
    let private = parts
        .headers
        .get_all(header::CACHE_CONTROL)
        .iter()
        .any(|v| {
            v.to_str()
                .map_or(true, |v| v.to_ascii_lowercase().contains("private"))
        });
    parts.status == StatusCode::OK && !private && !parts.headers.contains_key(header::SET_COOKIE)
}

/// Shared caches keep the page `seconds` and may serve it as long again while they fetch a
/// fresh one; browsers ask every time (their cart badge may have changed since).
fn shared_cache_control(seconds: u64) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "public, max-age=0, s-maxage={seconds}, stale-while-revalidate={seconds}"
    ))
    .expect("digits and ASCII")
}

/// A page made fit for any visitor: its body without the nonce, and the digest of each inline
/// script that bore it.
struct SharedPage {
    body: Bytes,
    script_hashes: Vec<String>,
}

impl SharedPage {
    /// `None` when a script bearing the nonce is not closed (the page stays for this response).
    fn from_rendered(body: &Bytes, nonce: &str) -> Option<Self> {
        let attribute = format!(" nonce=\"{nonce}\"");
        let mut script_hashes = Vec::new();
        let mut at = 0;
        while let Some(start) = memmem::find(&body[at..], b"<script").map(|i| at + i) {
            let content = memchr::memchr(b'>', &body[start..])? + start + 1;
            let end = memmem::find(&body[content..], b"</script").map(|i| content + i)?;
            if memmem::find(&body[start..content], attribute.as_bytes()).is_some() {
                let hash = format!(
                    "'sha256-{}'",
                    STANDARD.encode(script_digest(&body[content..end]))
                );
                if !script_hashes.contains(&hash) {
                    script_hashes.push(hash);
                }
            }
            at = end;
        }
        let mut stripped = Vec::with_capacity(body.len());
        let mut rest = &body[..];
        while let Some(i) = memmem::find(rest, attribute.as_bytes()) {
            stripped.extend_from_slice(&rest[..i]);
            rest = &rest[i + attribute.len()..];
        }
        stripped.extend_from_slice(rest);
        Some(Self {
            body: Bytes::from(stripped),
            script_hashes,
        })
    }
}

/// The digest a browser computes for a script's text: over the text as parsed, where every
/// CR LF and lone CR has become LF.
fn script_digest(text: &[u8]) -> impl AsRef<[u8]> {
    let mut hasher = Sha256::new();
    let mut rest = text;
    while let Some(i) = memchr::memchr(b'\r', rest) {
        hasher.update(&rest[..i]);
        hasher.update(b"\n");
        rest = rest[i + 1..].strip_prefix(b"\n").unwrap_or(&rest[i + 1..]);
    }
    hasher.update(rest);
    hasher.finalize()
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

    const SMUGGLED: &str = "<script>steal()</script>";

    /// A catalog page that renders its scripts with (or without) the response's nonce, plus a
    /// script without any nonce (as if smuggled into the markup), asked for with `cookie`.
    async fn served(with_nonce: bool, cookie: Option<&str>) -> Response {
        let app = Router::new()
            .route(
                "/search",
                get(move |request: Request| async move {
                    let nonce = request
                        .extensions()
                        .get::<PageNonce>()
                        .map(|n| n.0.as_inner().to_string())
                        .filter(|_| with_nonce)
                        .unwrap_or_else(|| "another-nonce-entirely".into());
                    Html(format!(
                        "<script type=\"module\" nonce=\"{nonce}\">boot()</script>\
                         <script nonce=\"{nonce}\">data(1)\r\n</script>{SMUGGLED}\
                         <script src=\"/pkg/app.js\"></script>"
                    ))
                }),
            )
            .layer(middleware::from_fn_with_state(
                Arc::new(sources()),
                page_security,
            ));
        let mut request = Request::builder().uri("/search");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let request = request.body(Body::empty()).expect("request");
        app.oneshot(request).await.expect("response")
    }

    #[tokio::test]
    async fn a_page_without_its_nonce_is_a_loud_500_not_a_broken_page() {
        let good = served(true, Some("wix_session=x")).await;
        assert_eq!(good.status(), StatusCode::OK);
        assert_eq!(
            good.headers().get(header::CACHE_CONTROL),
            None,
            "not shared"
        );
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
        let broken = served(false, None).await;
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
            shared_page_secs: 60,
        }
    }

    fn sha256(text: &str) -> String {
        format!("'sha256-{}'", STANDARD.encode(Sha256::digest(text)))
    }

    #[tokio::test]
    async fn a_page_for_anyone_names_its_scripts_digests_and_may_be_kept() {
        let shared = served(true, Some("theme=dark")).await;
        assert_eq!(shared.status(), StatusCode::OK);
        let headers = shared.headers().clone();
        assert_eq!(
            headers[header::CACHE_CONTROL],
            "public, max-age=0, s-maxage=60, stale-while-revalidate=60"
        );
        assert_eq!(headers[header::VARY], "cookie");
        let policy = headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .expect("csp");
        // The digests of the two scripts that bore the nonce, the data one as a browser reads
        // it (CR LF as LF); never the smuggled one's; no nonce at all.
        let expected = format!(
            "script-src 'self' {} {} 'wasm-unsafe-eval';",
            sha256("boot()"),
            sha256("data(1)\n")
        );
        assert!(policy.contains(&expected), "{policy}");
        assert!(!policy.contains(&sha256("steal()")));
        assert!(!policy.contains("nonce"));
        let body = axum::body::to_bytes(shared.into_body(), usize::MAX)
            .await
            .expect("body");
        let body = String::from_utf8_lossy(&body);
        assert!(!body.contains("nonce"), "{body}");
        assert!(body.starts_with("<script type=\"module\">boot()</script>"));
        assert!(body.contains(SMUGGLED));
    }

    #[test]
    fn an_unclosed_script_keeps_the_page_to_its_response() {
        let body = Bytes::from_static(b"<script nonce=\"n\">boot()");
        assert!(SharedPage::from_rendered(&body, "n").is_none());
        let repeated = Bytes::from_static(
            b"<script nonce=\"n\">a</script><p>n</p><script nonce=\"n\">a</script>",
        );
        let page = SharedPage::from_rendered(&repeated, "n").expect("closed");
        assert_eq!(page.script_hashes, [sha256("a")]);
        assert_eq!(
            &page.body[..],
            b"<script>a</script><p>n</p><script>a</script>"
        );
    }

    #[test]
    fn page_policy_carries_the_nonce_and_limits_forms_to_wix() {
        let policy = page_csp(InlineScripts::Nonce("abc123"), &sources());
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
        let policy = page_csp(InlineScripts::Nonce("n"), &development);
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
