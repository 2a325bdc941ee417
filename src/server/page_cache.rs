//! Rendered catalog pages, shared by every visitor who is not a signed-in member.
//!
//! Home, search, category and product pages look the same to every visitor who has no session
//! cookie (no cart, no member): [`shareable`] says which requests those are, and the security
//! layer sends their answers as pages any cache may keep (`Cache-Control: public`, a policy of
//! script digests instead of a nonce). This layer is such a cache, in memory, in front of
//! everything else: it keeps exactly what a CDN would, for the catalog cache's lifetime. It
//! sits outside the cookie and security layers, so it sees the headers an answer really leaves
//! with, and keeps only a 200 HTML answer marked public that sets no cookie.
//!
//! A returning visitor with a cart sees the same page but for the header's badge. When their
//! session needs nothing this request (see [`settled_visitor`]) and remembers the cart's size,
//! they get the kept page with their count spliced into the badge, sent as a private page: no
//! render and no Wix call. Anything else about them (a member, a renewal due, a size to read
//! again) goes the whole way. The kept page itself never holds anyone's count.

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
    cart::badge_count,
    session::{carries_cookie, settled_visitor, COOKIE_NAME, PRIVATE_PAGE, SECURE_COOKIE_NAME},
    state::AppState,
};
use crate::components::header::cart_count_label;

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
    /// Where the badge is, if the page has one a count can be spliced into.
    badge: Option<std::ops::Range<usize>>,
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
            badge: find_badge(&body),
            body,
        })
    }

    fn answer(&self, cache_status: &'static str) -> Response {
        self.answer_with(Body::from(self.body.clone()), cache_status)
    }

    /// The page with `items` in the badge, as a page for this visitor only; `None` if it has no
    /// badge to splice into.
    fn answer_for_visitor(&self, items: u32) -> Option<Response> {
        let range = self.badge.clone()?;
        let badge = std::str::from_utf8(&self.body[range.clone()]).ok()?;
        let badge = splice_count(badge, items)?;
        let mut body = Vec::with_capacity(self.body.len() + 16);
        body.extend_from_slice(&self.body[..range.start]);
        body.extend_from_slice(badge.as_bytes());
        body.extend_from_slice(&self.body[range.end..]);
        let mut response = self.answer_with(Body::from(body), "personal");
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(PRIVATE_PAGE),
        );
        Some(response)
    }

    fn answer_with(&self, body: Body, cache_status: &'static str) -> Response {
        let mut response = Response::new(body);
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers.clone();
        response
            .headers_mut()
            .insert(CACHE_STATUS_HEADER, HeaderValue::from_static(cache_status));
        response
    }
}

/// The cart badge's island as every page renders it for a visitor without a cart: the count in
/// its props, in its label and as its text (`header::CartBadge`).
const BADGE_ISLAND: &str = "<leptos-island data-component=\"CartBadge_";
const ISLAND_END: &str = "</leptos-island>";
const EMPTY_PROPS: &str = "data-props=\"{&quot;item_count&quot;:0}\"";
const EMPTY_TEXT: &str = ">0<!></span>";

/// The byte range of the page's one badge island, if it has one that [`splice_count`] can fill.
fn find_badge(body: &[u8]) -> Option<std::ops::Range<usize>> {
    let page = std::str::from_utf8(body).ok()?;
    let mut islands = page.match_indices(BADGE_ISLAND).map(|(at, _)| at);
    let start = islands.next()?;
    if islands.next().is_some() {
        return None;
    }
    let end = start + page[start..].find(ISLAND_END)? + ISLAND_END.len();
    splice_count(&page[start..end], 1)?;
    Some(start..end)
}

/// The anonymous badge `island` showing `items` instead: each place the count appears must
/// appear exactly once, else the page is not one this knows how to change.
fn splice_count(island: &str, items: u32) -> Option<String> {
    let empty_label = format!("aria-label=\"{}\"", cart_count_label(0));
    let replacements = [
        (
            EMPTY_PROPS.to_owned(),
            format!("data-props=\"{{&quot;item_count&quot;:{items}}}\""),
        ),
        (
            empty_label,
            format!("aria-label=\"{}\"", cart_count_label(items)),
        ),
        (EMPTY_TEXT.to_owned(), format!(">{items}<!></span>")),
    ];
    let mut spliced = island.to_owned();
    for (empty, full) in replacements {
        if spliced.matches(&empty).count() != 1 {
            return None;
        }
        spliced = spliced.replacen(&empty, &full, 1);
    }
    Some(spliced)
}

/// Whether a request is one any visitor without a session could have made, for a page that
/// shows no visitor's state: a GET of a catalog page without a session cookie.
pub fn shareable(request: &Request) -> bool {
    catalog_page(request) && !has_session(request)
}

/// A GET of a page that shows every visitor the same catalog.
fn catalog_page(request: &Request) -> bool {
    let path = request.uri().path();
    request.method() == Method::GET
        && (path == "/"
            || path == "/search"
            || path.starts_with("/category/")
            || path.starts_with("/product/"))
}

/// Either name: a cookie the session layer would not read still means "not for the cache".
fn has_session(request: &Request) -> bool {
    carries_cookie(request.headers(), COOKIE_NAME)
        || carries_cookie(request.headers(), SECURE_COOKIE_NAME)
}

/// The cache key of a catalog page: the kept page serves it to every visitor, with or without a
/// session (a visitor with one gets their badge spliced in).
fn cache_key(request: &Request) -> Option<String> {
    let key = request.uri().path_and_query()?.as_str();
    (catalog_page(request) && key.len() <= MAX_CACHED_URL).then(|| key.to_owned())
}

/// Who a catalog page is for.
enum Reader {
    /// No session: the kept page as it is.
    Anyone,
    /// A visitor whose session needs nothing this request: the kept page with this count.
    Visitor(u32),
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
    let reader = if has_session(&request) {
        let items = settled_visitor(&state, request.headers())
            .flatten()
            .and_then(|known| badge_count(known, state.wix.now()));
        match items {
            Some(items) => Reader::Visitor(items),
            None => return next.run(request).await,
        }
    } else {
        Reader::Anyone
    };
    let kept = state.page_cache.pages.get(&key).await;
    let cache_status = if kept.is_some() { "hit" } else { "miss" };
    metrics::counter!("storefront_cache_requests_total", "cache" => "pages", "result" => cache_status)
        .increment(1);
    match (reader, kept) {
        (Reader::Anyone, Some(page)) => page.answer("hit"),
        (Reader::Anyone, None) => match CachedPage::keep(next.run(request).await).await {
            Ok(page) => {
                let page = Arc::new(page);
                state.page_cache.pages.insert(key, page.clone()).await;
                page.answer("miss")
            }
            Err(response) => response,
        },
        (Reader::Visitor(items), Some(page)) => match page.answer_for_visitor(items) {
            Some(response) => response,
            None => {
                tracing::warn!(path = %request.uri().path(), "a kept page has no cart badge to fill");
                next.run(request).await
            }
        },
        // Their own page now, as before the cache; the page every visitor gets is made for the
        // next view once theirs is out. Not first and not instead: a visitor waits for one
        // render only, however slow Wix is, and an outage is not rendered twice.
        (Reader::Visitor(_), None) => {
            let (parts, body) = request.into_parts();
            let response = next
                .clone()
                .run(Request::from_parts(parts.clone(), body))
                .await;
            if response.status() == StatusCode::OK {
                tokio::spawn(keep_for_everyone(state.clone(), key, parts, next));
            }
            response
        }
    }
}

/// Renders the page as for a visitor without a session and keeps it, unless a page for `key`
/// is kept or being made already (requests for one page wait for one render).
async fn keep_for_everyone(
    state: AppState,
    key: String,
    parts: axum::http::request::Parts,
    next: Next,
) {
    let mut anonymous = Request::from_parts(parts, Body::empty());
    anonymous.headers_mut().remove(header::COOKIE);
    let made = state
        .page_cache
        .pages
        .try_get_with(key, async move {
            CachedPage::keep(next.run(anonymous).await)
                .await
                .map(Arc::new)
                .map_err(|response| response.status())
        })
        .await;
    if let Err(status) = made {
        tracing::debug!(%status, "the page for everyone was not kept");
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
    fn only_catalog_pages_are_cached_and_shared_as_they_are_only_without_a_session() {
        assert_eq!(
            cache_key(&request("/search?q=mug", None)).as_deref(),
            Some("/search?q=mug")
        );
        assert!(shareable(&request("/", Some("theme=dark"))));
        // A session shares the key (its badge is spliced in) but never the page as it is.
        assert!(cache_key(&request("/product/mug", Some("a=1; wix_session=x"))).is_some());
        assert!(!shareable(&request(
            "/product/mug",
            Some("a=1; wix_session=x")
        )));
        assert!(!shareable(&request("/", Some("__Host-wix_session=x"))));
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

    const BADGE: &str = r#"<leptos-island data-component="CartBadge_1" data-props="{&quot;item_count&quot;:0}"><a href="/cart" class="cart-link">Cart <span data-testid="cart-count" aria-label="0 items in cart" class="badge">0<!></span><!><!></a></leptos-island>"#;

    #[test]
    fn a_count_changes_the_badge_and_nothing_else() {
        let page = format!("<header>{BADGE}</header><p>0 items in cart</p><span>0<!></span>");
        let range = find_badge(page.as_bytes()).expect("a badge");
        assert_eq!(&page[range.clone()], BADGE);
        let one = splice_count(BADGE, 1).expect("spliced");
        assert_eq!(
            one,
            BADGE
                .replace("&quot;:0}", "&quot;:1}")
                .replace("0 items in cart", "1 item in cart")
                .replace(">0<!>", ">1<!>")
        );
        assert!(splice_count(BADGE, 12)
            .expect("spliced")
            .contains(r#"aria-label="12 items in cart" class="badge">12<!>"#));
    }

    #[test]
    fn a_page_is_spliced_only_where_the_badge_is_unambiguous() {
        // Two badges, none, an unclosed one, or a badge that already counts someone's items.
        assert_eq!(find_badge(format!("{BADGE}{BADGE}").as_bytes()), None);
        assert_eq!(find_badge(b"<header></header>"), None);
        assert_eq!(
            find_badge(BADGE.trim_end_matches("</leptos-island>").as_bytes()),
            None
        );
        let someones = splice_count(BADGE, 2).expect("spliced");
        assert_eq!(find_badge(someones.as_bytes()), None);
    }

    #[test]
    fn encoded_and_non_ascii_cookies_do_not_hide_a_session() {
        // The cookie layer decodes names and reads UTF-8 headers; the cache must agree.
        assert!(!shareable(&request("/", Some("wix%5Fsession=x"))));
        let mut tricky = request("/", None);
        tricky.headers_mut().insert(
            header::COOKIE,
            HeaderValue::from_bytes("lang=\u{e9}; wix_session=x".as_bytes()).expect("header"),
        );
        assert!(!shareable(&tricky));
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
