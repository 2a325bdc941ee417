//! Rendered catalog pages for visitors without a session.
//!
//! Home, search, category and product pages look the same to every visitor who has no session
//! cookie (no cart, no member), so their HTML is kept for the catalog cache's TTL and served
//! without rendering. Only requests without a session cookie (read exactly as the cookie layer
//! reads cookies) use this cache, and only a 200 HTML answer that sets no cookie and is not
//! private is kept: the layer sits outside the cookie layer, so it sees the headers an answer
//! really leaves with. Each answer from the cache carries the nonce of its own response.

use std::{sync::Arc, time::Duration};

use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use moka::future::Cache;

use super::{
    security::PageNonce,
    session::{carries_cookie, COOKIE_NAME, SECURE_COOKIE_NAME},
    state::AppState,
};

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
    /// The body cut where the nonce was: an answer joins the parts with its own.
    body: Vec<Bytes>,
}

impl CachedPage {
    /// Keeps `response`, rendered with `nonce`, if it may be shown to any visitor without a
    /// session; else gives it back.
    async fn keep(response: Response, nonce: &str) -> Result<Self, Response> {
        let headers = response.headers();
        let is_html = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
        let private = headers.get_all(header::CACHE_CONTROL).iter().any(|v| {
            v.to_str()
                .map_or(true, |v| v.to_ascii_lowercase().contains("private"))
        });
        let keepable = response.status() == StatusCode::OK
            && is_html
            && !private
            && !headers.contains_key(header::SET_COOKIE)
            && nonce.len() >= 16;
        if !keepable {
            return Err(response);
        }
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
        let headers = response.headers_mut();
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

/// The cache key of a request that may be served from the cache: a GET of a catalog page by a
/// visitor without a session.
fn cache_key(request: &Request) -> Option<String> {
    let path = request.uri().path();
    let catalog_page = path == "/"
        || path == "/search"
        || path.starts_with("/category/")
        || path.starts_with("/product/");
    // Either name: a cookie the session layer would not read still means "not for the cache".
    let has_session = carries_cookie(request.headers(), COOKIE_NAME)
        || carries_cookie(request.headers(), SECURE_COOKIE_NAME);
    let key = request.uri().path_and_query()?.as_str();
    (request.method() == Method::GET && catalog_page && !has_session && key.len() <= MAX_CACHED_URL)
        .then(|| key.to_owned())
}

/// The middleware: serve a kept page, or render and maybe keep it.
pub async fn page_cache_layer(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let (Some(key), Some(PageNonce(nonce))) = (
        cache_key(&request),
        request.extensions().get::<PageNonce>().cloned(),
    ) else {
        return next.run(request).await;
    };
    let nonce = nonce.as_inner().to_string();
    if let Some(page) = state.page_cache.pages.get(&key).await {
        metrics::counter!("storefront_cache_requests_total", "cache" => "pages", "result" => "hit")
            .increment(1);
        return page.answer(&nonce, "hit");
    }
    metrics::counter!("storefront_cache_requests_total", "cache" => "pages", "result" => "miss")
        .increment(1);
    match CachedPage::keep(next.run(request).await, &nonce).await {
        Ok(page) => {
            let page = Arc::new(page);
            state.page_cache.pages.insert(key, page.clone()).await;
            page.answer(&nonce, "miss")
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
        assert!(cache_key(&request("/", Some("__Host-wix_session=x"))).is_none());
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
    fn encoded_and_non_ascii_cookies_do_not_hide_a_session() {
        // The cookie layer decodes names and reads UTF-8 headers; the cache must agree.
        assert!(cache_key(&request("/", Some("wix%5Fsession=x"))).is_none());
        let mut tricky = request("/", None);
        tricky.headers_mut().insert(
            header::COOKIE,
            HeaderValue::from_bytes("lang=\u{e9}; wix_session=x".as_bytes()).expect("header"),
        );
        assert!(cache_key(&tricky).is_none());
    }

    #[tokio::test]
    async fn answers_carry_a_fresh_nonce_and_personal_answers_are_not_kept() {
        let nonce = "NONCEnonceNONCEnonce12";
        let page = |extra: Option<(header::HeaderName, &'static str)>| {
            let mut response =
                Response::new(Body::from(format!("<script nonce=\"{nonce}\">x</script>")));
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            if let Some((name, value)) = extra {
                headers.insert(name, HeaderValue::from_static(value));
            }
            response
        };
        let cookie = Some((header::SET_COOKIE, "wix_session=x"));
        assert!(
            CachedPage::keep(page(cookie), nonce).await.is_err(),
            "sets a cookie"
        );
        let private = Some((header::CACHE_CONTROL, "private, no-cache"));
        assert!(
            CachedPage::keep(page(private), nonce).await.is_err(),
            "private"
        );
        let kept = CachedPage::keep(page(None), nonce).await.expect("kept");
        let answer = kept.answer("FRESHfreshFRESHfresh34", "hit");
        let body = axum::body::to_bytes(answer.into_body(), usize::MAX)
            .await
            .expect("body");
        assert_eq!(
            &body[..],
            b"<script nonce=\"FRESHfreshFRESHfresh34\">x</script>"
        );
    }
}
