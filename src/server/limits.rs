//! Abuse limits per client address (governor's GCRA): server-function posts, and visitors
//! minted (each costs a Wix token call and a Wix identity). Over the limit a request is answered
//! 429 with `Retry-After`. The address is the peer's, or, behind a proxy the operator trusts,
//! the last address that proxy appended to `TRUSTED_PROXY_HEADER`.

use std::{
    net::{IpAddr, SocketAddr},
    num::NonZeroU32,
    sync::atomic::{AtomicU64, Ordering},
    time::Duration,
};

use axum::{
    extract::{ConnectInfo, Request, State},
    http::{header, request::Parts, HeaderMap, HeaderName, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use governor::{clock::Clock, DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::state::AppState;
use crate::api::error::StoreError;

/// The client address of a request, as the limits see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

/// Forgotten addresses are dropped every this many checks, so memory stays bounded.
const PRUNE_EVERY: u64 = 4096;

struct Limiter {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    checks: AtomicU64,
}

impl Limiter {
    fn new(quota: Quota) -> Self {
        Self {
            limiter: RateLimiter::keyed(quota),
            checks: AtomicU64::new(0),
        }
    }

    /// `Err(wait)` when `address` has used its allowance.
    fn check(&self, address: IpAddr) -> Result<(), Duration> {
        if self.checks.fetch_add(1, Ordering::Relaxed) % PRUNE_EVERY == PRUNE_EVERY - 1 {
            self.limiter.retain_recent();
            self.limiter.shrink_to_fit();
        }
        self.limiter.check_key(&address).map_err(|not_until| {
            not_until.wait_time_from(governor::clock::DefaultClock::default().now())
        })
    }
}

pub struct Limits {
    posts: Option<Limiter>,
    new_visitors: Option<Limiter>,
    client_header: Option<HeaderName>,
}

impl Limits {
    /// `posts_per_second` and `new_visitors_per_minute` of 0 turn a limit off; bursts are a
    /// minute's worth of visitors and five seconds' worth of posts.
    pub fn new(
        posts_per_second: u32,
        new_visitors_per_minute: u32,
        client_header: Option<HeaderName>,
    ) -> Self {
        let posts = NonZeroU32::new(posts_per_second).map(|rate| {
            let burst = rate.saturating_mul(NonZeroU32::new(5).unwrap_or(NonZeroU32::MIN));
            Limiter::new(Quota::per_second(rate).allow_burst(burst))
        });
        let new_visitors = NonZeroU32::new(new_visitors_per_minute)
            .map(|rate| Limiter::new(Quota::per_minute(rate)));
        Self {
            posts,
            new_visitors,
            client_header,
        }
    }

    /// The client's address: from the trusted proxy's header when one is configured (the last
    /// valid address in it, the one that proxy appended), else the peer's.
    pub fn client_address(&self, headers: &HeaderMap, peer: Option<SocketAddr>) -> Option<IpAddr> {
        match &self.client_header {
            Some(name) => headers
                .get_all(name)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .filter_map(|v| v.trim().parse::<IpAddr>().ok())
                .next_back(),
            None => peer.map(|p| p.ip()),
        }
    }

    /// A new visitor may be minted for `address`, or `Err` with how long to wait.
    pub fn check_new_visitor(&self, address: Option<IpAddr>) -> Result<(), StoreError> {
        match (&self.new_visitors, address) {
            (Some(limiter), Some(address)) => limiter.check(address).map_err(too_many),
            _ => Ok(()),
        }
    }
}

fn too_many(wait: Duration) -> StoreError {
    StoreError::TooManyRequests {
        retry_after_secs: wait.as_secs().max(1),
    }
}

/// The client address of the request being handled (server functions).
pub fn current_client_address() -> Option<IpAddr> {
    leptos::prelude::use_context::<Parts>()
        .and_then(|parts| parts.extensions.get::<ClientAddress>().copied())
        .map(|ClientAddress(address)| address)
}

/// The middleware: records the client address for handlers, and holds server-function posts
/// to their allowance.
pub async fn limit_posts(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(peer)| *peer);
    let address = state.limits.client_address(request.headers(), peer);
    if let Some(address) = address {
        request.extensions_mut().insert(ClientAddress(address));
    }
    // Server functions, and the sign-in routes (each starts a Wix redirect session or a token
    // exchange).
    let path = request.uri().path();
    let limited = (request.method() == Method::POST && path.starts_with("/api/"))
        || path.starts_with("/auth/");
    if let (true, Some(limiter), Some(address)) = (limited, &state.limits.posts, address) {
        if let Err(wait) = limiter.check(address) {
            tracing::warn!(%address, path = request.uri().path(), "server-function posts over the limit");
            let navigation = request
                .headers()
                .get(header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("text/html"));
            let error = too_many(wait);
            return if navigation {
                too_many_page(error)
            } else {
                too_many_response(error)
            };
        }
    }
    next.run(request).await
}

/// A 429 with `Retry-After` and the error as a server function would send it.
pub fn too_many_response(error: StoreError) -> Response {
    let retry_after = match error {
        StoreError::TooManyRequests { retry_after_secs } => retry_after_secs,
        _ => 1,
    };
    let body = serde_json::to_string(&error).unwrap_or_default();
    let mut response = (
        StatusCode::TOO_MANY_REQUESTS,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(&retry_after.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// A 429 for a browser's navigation (a form post without JavaScript, a sign-in link): a page.
fn too_many_page(error: StoreError) -> Response {
    let mut response = too_many_response(error);
    *response.body_mut() = axum::body::Body::from(format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Too many requests</title>\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head><body>\
         <h1>Too many requests</h1><p>{}</p><p><a href=\"/\">Back to the store</a></p></body></html>",
        error.message()
    ));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_comes_from_the_trusted_header_or_the_peer() {
        let mut headers = HeaderMap::new();
        headers.append(
            "x-forwarded-for",
            HeaderValue::from_static("6.6.6.6, 10.0.0.7"),
        );
        headers.append(
            "x-forwarded-for",
            HeaderValue::from_static("203.0.113.9, junk"),
        );
        let peer_addr = SocketAddr::from(([127, 0, 0, 1], 9));
        let peer = Some(peer_addr);
        let proxied = Limits::new(1, 1, Some(HeaderName::from_static("x-forwarded-for")));
        assert_eq!(
            proxied.client_address(&headers, peer),
            Some("203.0.113.9".parse().expect("ip")),
            "the last one the proxy appended; spoofed ones before it are ignored"
        );
        let direct = Limits::new(1, 1, None);
        assert_eq!(direct.client_address(&headers, peer), Some(peer_addr.ip()));
    }

    #[test]
    fn new_visitors_beyond_the_allowance_wait() {
        let limits = Limits::new(0, 2, None);
        let one: IpAddr = "192.0.2.1".parse().expect("ip");
        let two: IpAddr = "192.0.2.2".parse().expect("ip");
        assert!(limits.check_new_visitor(Some(one)).is_ok());
        assert!(limits.check_new_visitor(Some(one)).is_ok());
        let refused = limits
            .check_new_visitor(Some(one))
            .expect_err("over the limit");
        assert!(
            matches!(refused, StoreError::TooManyRequests { retry_after_secs } if retry_after_secs >= 1)
        );
        assert!(limits.check_new_visitor(Some(two)).is_ok(), "per address");
        assert!(
            limits.check_new_visitor(None).is_ok(),
            "no address, no limit"
        );
        assert!(
            Limits::new(0, 0, None).check_new_visitor(Some(one)).is_ok(),
            "off"
        );
    }

    #[test]
    fn a_refusal_says_when_to_come_back() {
        let response = too_many_response(StoreError::TooManyRequests {
            retry_after_secs: 7,
        });
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[header::RETRY_AFTER], "7");
    }
}
