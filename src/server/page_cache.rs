//! Rendered catalog pages for visitors without a session.
//!
//! Home, search, category and product pages look the same to every visitor who has no session
//! cookie (no cart, no member), so their HTML is kept for the catalog cache's TTL and served
//! without rendering. Only requests without a `wix_session` cookie read or fill this cache, and
//! only a 200 HTML answer that sets no cookie is kept, so no visitor's data can reach another.
//! Each answer from the cache gets a fresh CSP nonce.

use std::{sync::Arc, time::Duration};

use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use moka::future::Cache;

use super::{session::COOKIE_NAME, state::AppState};

/// Longer URLs are rendered every time: they are not worth a cache slot.
const MAX_CACHED_URL: usize = 1024;
/// Tells benchmarks and tests whether a page came from this cache.
pub const CACHE_STATUS_HEADER: HeaderName = HeaderName::from_static("x-page-cache");

pub struct PageCache {
    pages: Cache<String, Arc<CachedPage>>,
}

impl PageCache {
    pub fn new(ttl: Duration, max_bytes: u64) -> Self {
        Self {
            pages: Cache::builder()
                .time_to_live(ttl)
                .max_capacity(max_bytes)
                .weigher(|key: &String, page: &Arc<CachedPage>| {
                    let body: usize = page.body.iter().map(|part| part.len()).sum();
                    u32::try_from(key.len() + body).unwrap_or(u32::MAX)
                })
                .build(),
        }
    }
}

struct CachedPage {
    status: StatusCode,
    headers: HeaderMap,
    /// The body cut where the nonce was: an answer joins the parts with a fresh one.
    body: Vec<Bytes>,
    /// The nonce rendered into the body and the CSP header.
    nonce: String,
}

impl CachedPage {
    /// Keeps `response` if it may be shown to any visitor without a session; else gives it back.
    async fn keep(response: Response) -> Result<Self, Response> {
        let headers = response.headers();
        let is_html = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
        let nonce = headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .and_then(csp_nonce)
            .map(str::to_owned);
        let keepable = response.status() == StatusCode::OK
            && is_html
            && !headers.contains_key(header::SET_COOKIE);
        let Some(nonce) = nonce.filter(|_| keepable) else {
            return Err(response);
        };
        let (parts, body) = response.into_parts();
        let bytes = match axum::body::to_bytes(body, usize::MAX).await {
            Ok(bytes) => bytes,
            Err(error) => {
                tracing::error!(%error, "page body failed");
                return Err((
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "The page failed to render.",
                )
                    .into_response());
            }
        };
        Ok(Self {
            status: parts.status,
            headers: parts.headers,
            body: split_at(&bytes, nonce.as_bytes()),
            nonce,
        })
    }

    /// This page with `nonce` in place of the one it was rendered with.
    fn answer(&self, nonce: &str, cache_status: &'static str) -> Response {
        let body = match self.body.as_slice() {
            [whole] => whole.clone(),
            parts => {
                let size = parts.iter().map(|p| p.len() + nonce.len()).sum();
                let mut joined = Vec::with_capacity(size);
                for (i, part) in parts.iter().enumerate() {
                    if i > 0 {
                        joined.extend_from_slice(nonce.as_bytes());
                    }
                    joined.extend_from_slice(part);
                }
                Bytes::from(joined)
            }
        };
        let mut response = Response::new(Body::from(body));
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers.clone();
        let csp = self
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.replace(&self.nonce, nonce))
            .and_then(|v| HeaderValue::from_str(&v).ok());
        let headers = response.headers_mut();
        if let Some(csp) = csp {
            headers.insert(header::CONTENT_SECURITY_POLICY, csp);
        }
        headers.remove(header::CONTENT_LENGTH);
        headers.insert(CACHE_STATUS_HEADER, HeaderValue::from_static(cache_status));
        response
    }
}

/// `bytes` cut at every occurrence of `separator` (which the parts no longer contain).
fn split_at(bytes: &Bytes, separator: &[u8]) -> Vec<Bytes> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + separator.len() <= bytes.len() {
        if &bytes[i..i + separator.len()] == separator {
            parts.push(bytes.slice(start..i));
            i += separator.len();
            start = i;
        } else {
            i += 1;
        }
    }
    parts.push(bytes.slice(start..));
    parts
}

/// The `'nonce-…'` source of a CSP.
fn csp_nonce(policy: &str) -> Option<&str> {
    let start = policy.find("'nonce-")? + "'nonce-".len();
    let len = policy[start..].find('\'')?;
    Some(&policy[start..start + len]).filter(|n| n.len() >= 16)
}

/// The cache key of a request that may be served from the cache: a GET of a catalog page by a
/// visitor without a session.
fn cache_key(request: &Request) -> Option<String> {
    let path = request.uri().path();
    let catalog_page = path == "/"
        || path == "/search"
        || path.starts_with("/category/")
        || path.starts_with("/product/");
    let has_session = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .any(|c| c.trim_start().starts_with(COOKIE_NAME));
    let key = request.uri().path_and_query()?.as_str();
    (request.method() == Method::GET && catalog_page && !has_session && key.len() <= MAX_CACHED_URL)
        .then(|| key.to_owned())
}

fn fresh_nonce() -> String {
    leptos::nonce::Nonce::new().as_inner().to_string()
}

/// The middleware: serve a kept page, or render and maybe keep it.
pub async fn page_cache_layer(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let Some(key) = cache_key(&request) else {
        return next.run(request).await;
    };
    if let Some(page) = state.page_cache.pages.get(&key).await {
        return page.answer(&fresh_nonce(), "hit");
    }
    match CachedPage::keep(next.run(request).await).await {
        Ok(page) => {
            let page = Arc::new(page);
            state.page_cache.pages.insert(key, page.clone()).await;
            // This render's own nonce is still fresh.
            page.answer(&page.nonce, "miss")
        }
        Err(response) => response,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(uri: &str, cookie: Option<&str>) -> Request {
        let mut builder = Request::builder().uri(uri);
        if let Some(cookie) = cookie {
            builder = builder.header(header::COOKIE, cookie);
        }
        builder.body(Body::empty()).expect("request")
    }

    #[test]
    fn only_catalog_pages_without_a_session_are_cached() {
        assert_eq!(
            cache_key(&request("/search?q=mug", None)).as_deref(),
            Some("/search?q=mug")
        );
        assert!(cache_key(&request("/", Some("theme=dark"))).is_some());
        assert!(cache_key(&request("/product/mug", Some("a=1; wix_session=x"))).is_none());
        assert!(cache_key(&request("/cart", None)).is_none());
        assert!(cache_key(&request("/api/add_to_cart", None)).is_none());
        assert!(cache_key(&request(&format!("/search?q={}", "x".repeat(2000)), None)).is_none());
        let post = Request::builder()
            .method(Method::POST)
            .uri("/search")
            .body(Body::empty())
            .expect("request");
        assert!(cache_key(&post).is_none());
    }

    #[test]
    fn bodies_are_cut_at_the_nonce() {
        let parts = split_at(&Bytes::from_static(b"a N b N"), b"N");
        assert_eq!(parts, [&b"a "[..], &b" b "[..], &b""[..]]);
        assert_eq!(split_at(&Bytes::from_static(b"none"), b"N"), [&b"none"[..]]);
    }

    #[test]
    fn the_nonce_is_found_in_the_policy() {
        let policy = super::super::security::page_csp("abcdefghijklmnopqrstuv", "https://x", false);
        assert_eq!(csp_nonce(&policy), Some("abcdefghijklmnopqrstuv"));
        assert_eq!(csp_nonce("default-src 'none'"), None);
    }

    #[tokio::test]
    async fn answers_carry_a_fresh_nonce_and_personal_answers_are_not_kept() {
        let nonce = "NONCEnonceNONCEnonce12";
        let page = |cookie: bool| {
            let mut response =
                Response::new(Body::from(format!("<script nonce=\"{nonce}\">x</script>")));
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_str(&format!("script-src 'nonce-{nonce}'")).expect("header"),
            );
            if cookie {
                headers.insert(
                    header::SET_COOKIE,
                    HeaderValue::from_static("wix_session=x"),
                );
            }
            response
        };
        assert!(CachedPage::keep(page(true)).await.is_err(), "sets a cookie");
        let kept = CachedPage::keep(page(false)).await.ok().expect("kept");
        let answer = kept.answer("FRESHfreshFRESHfresh34", "hit");
        let csp = answer.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .expect("csp")
            .to_owned();
        assert_eq!(csp, "script-src 'nonce-FRESHfreshFRESHfresh34'");
        let body = axum::body::to_bytes(answer.into_body(), usize::MAX)
            .await
            .expect("body");
        assert_eq!(
            &body[..],
            b"<script nonce=\"FRESHfreshFRESHfresh34\">x</script>"
        );
    }
}
