//! Rendered catalog pages for visitors without a session.
//!
//! Home, search, category and product pages look the same to every visitor who has no session
//! cookie (no cart, no member): [`shareable`] says which requests those are, and the security
//! layer sends their answers as pages any cache may keep (`Cache-Control: public`, a policy of
//! script digests instead of a nonce). This layer is such a cache, in memory, in front of
//! everything else: it keeps exactly what a CDN would, for the catalog cache's lifetime. It
//! sits outside the cookie and security layers, so it sees the headers an answer really leaves
//! with, and keeps only a 200 HTML answer marked public that sets no cookie.

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
                    u32::try_from(key.len() + page.body.len()).unwrap_or(u32::MAX)
                })
                .build(),
        }
    }
}

struct CachedPage {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl CachedPage {
    /// Keeps `response` if it was sent as a page any visitor may be shown; else gives it back.
    async fn keep(response: Response) -> Result<Self, Response> {
        let headers = response.headers();
        let is_html = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
        let public = headers.get_all(header::CACHE_CONTROL).iter().all(|v| {
            v.to_str().is_ok_and(|v| {
                let v = v.to_ascii_lowercase();
                v.contains("public") && !v.contains("private") && !v.contains("no-store")
            })
        }) && headers.contains_key(header::CACHE_CONTROL);
        let keepable = response.status() == StatusCode::OK
            && is_html
            && public
            && !headers.contains_key(header::SET_COOKIE);
        if !keepable {
            return Err(response);
        }
        let (parts, body) = response.into_parts();
        let body = match axum::body::to_bytes(body, usize::MAX).await {
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
            body,
        })
    }

    fn answer(&self, cache_status: &'static str) -> Response {
        let mut response = Response::new(Body::from(self.body.clone()));
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers.clone();
        response
            .headers_mut()
            .insert(CACHE_STATUS_HEADER, HeaderValue::from_static(cache_status));
        response
    }
}

/// Whether a request is one any visitor without a session could have made, for a page that
/// shows no visitor's state: a GET of a catalog page without a session cookie.
pub fn shareable(request: &Request) -> bool {
    let path = request.uri().path();
    let catalog_page = path == "/"
        || path == "/search"
        || path.starts_with("/category/")
        || path.starts_with("/product/");
    // Either name: a cookie the session layer would not read still means "not for the cache".
    let has_session = carries_cookie(request.headers(), COOKIE_NAME)
        || carries_cookie(request.headers(), SECURE_COOKIE_NAME);
    request.method() == Method::GET && catalog_page && !has_session
}

/// The cache key of a request that may be served from the cache.
fn cache_key(request: &Request) -> Option<String> {
    let key = request.uri().path_and_query()?.as_str();
    (shareable(request) && key.len() <= MAX_CACHED_URL).then(|| key.to_owned())
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
        metrics::counter!("storefront_cache_requests_total", "cache" => "pages", "result" => "hit")
            .increment(1);
        return page.answer("hit");
    }
    metrics::counter!("storefront_cache_requests_total", "cache" => "pages", "result" => "miss")
        .increment(1);
    match CachedPage::keep(next.run(request).await).await {
        Ok(page) => {
            let page = Arc::new(page);
            state.page_cache.pages.insert(key, page.clone()).await;
            page.answer("miss")
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
    async fn only_pages_sent_as_public_are_kept() {
        let page = |cache_control: Option<&'static str>, cookie: bool| {
            let mut response = Response::new(Body::from("<p>catalog</p>"));
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            if let Some(value) = cache_control {
                headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
            }
            if cookie {
                headers.insert(
                    header::SET_COOKIE,
                    HeaderValue::from_static("wix_session=x"),
                );
            }
            response
        };
        let public = "public, max-age=0, s-maxage=60";
        assert!(
            CachedPage::keep(page(None, false)).await.is_err(),
            "unmarked"
        );
        assert!(CachedPage::keep(page(Some("no-cache"), false))
            .await
            .is_err());
        assert!(CachedPage::keep(page(Some("private, no-cache"), false))
            .await
            .is_err());
        assert!(
            CachedPage::keep(page(Some(public), true)).await.is_err(),
            "sets a cookie"
        );
        let kept = CachedPage::keep(page(Some(public), false))
            .await
            .expect("kept");
        let answer = kept.answer("hit");
        assert_eq!(answer.headers()[CACHE_STATUS_HEADER], "hit");
        let body = axum::body::to_bytes(answer.into_body(), usize::MAX)
            .await
            .expect("body");
        assert_eq!(&body[..], b"<p>catalog</p>");
    }
}
