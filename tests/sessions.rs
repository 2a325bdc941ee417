//! Visitor sessions end to end over real HTTP: the storefront's router with the Wix emulator.
#![cfg(feature = "ssr")]

mod common;

use common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_requests_on_an_expired_cookie_renew_once() {
    let store = store().await;
    let tokens = store.wix.anonymous_tokens().await.expect("tokens");
    let cookie = store.cookie(CLIENT_ID, &tokens);
    store.clock.advance(14_400);
    // The server-wide token (the catalog is read with it) is renewed beforehand, so the calls
    // counted below are the visitor's alone.
    store.page("/search", None).await;
    store.emulator.reset_counters();
    let responses =
        futures::future::join_all((0..50).map(|_| store.page("/search?q=mug", Some(&cookie))))
            .await;
    for response in &responses {
        assert_eq!(response.status(), 200);
        assert!(
            set_cookie(response).is_some(),
            "every response carries the renewed cookie"
        );
    }
    assert_eq!(store.emulator.counter("POST /oauth2/token"), 1);
    // Shortly after, the old cookie reuses that renewal instead of renewing again.
    let late = store.page("/search", Some(&cookie)).await;
    assert!(set_cookie(&late).is_some());
    assert_eq!(store.emulator.counter("POST /oauth2/token"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_endpoint_outage_keeps_the_cookie_and_the_cart() {
    let store = store().await;
    let cookie = store.add_one(None).await.expect("session started");
    assert_eq!(store.cart_count(&cookie).await, 1);
    store.clock.advance(14_400);
    store.emulator.set_settings(Settings {
        error_rate: 1.0,
        fault_path_prefix: Some("/oauth2/token".into()),
        ..Settings::default()
    });
    let response = store.page("/search", Some(&cookie)).await;
    assert!(response.status() != 500, "{}", response.status());
    assert!(!removes_cookie(&response), "the session is kept");
    // (The cookie may be rewritten with the cart's size read anew, never with other tokens.)
    let cookie = set_cookie(&response).unwrap_or(cookie);
    store.emulator.set_settings(Settings::default());
    assert_eq!(
        store.cart_count(&cookie).await,
        1,
        "same visitor, same cart"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_refresh_token_starts_a_new_visitor() {
    let store = store().await;
    let cookie = store.add_one(None).await.expect("session");
    assert_eq!(store.cart_count(&cookie).await, 1);
    let mut forged = store.wix.anonymous_tokens().await.expect("tokens");
    forged.refresh_token.value = "JWS.revoked".into();
    forged.access_token.expires_at = 0;
    let forged_cookie = store.cookie(CLIENT_ID, &forged);
    let response = store.page("/search", Some(&forged_cookie)).await;
    assert_eq!(response.status(), 200);
    assert!(removes_cookie(&response));
    let fresh = store
        .add_one(Some(&forged_cookie))
        .await
        .expect("new visitor");
    assert_ne!(fresh, cookie);
    assert_eq!(store.cart_count(&fresh).await, 1, "a new, separate cart");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_cookies_give_a_fresh_session_never_a_server_error() {
    let store = store().await;
    let tokens = store.wix.anonymous_tokens().await.expect("tokens");
    let good = store.cookie(CLIENT_ID, &tokens);
    let truncated = good[..good.len() - 10].to_owned();
    let mut tampered = good.clone().into_bytes();
    let last = tampered.len() - 5;
    tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).expect("ascii");
    let foreign_key = {
        let mut jar = CookieJar::new();
        jar.private_mut(&cookie_key("another-secret-another-secret-0123456"))
            .add(Cookie::new(COOKIE_NAME, "{}"));
        format!(
            "{COOKIE_NAME}={}",
            jar.get(COOKIE_NAME).expect("sealed").value()
        )
    };
    let foreign_client = store.cookie("another-client-id", &tokens);
    let cookies = [
        truncated,
        tampered,
        foreign_key,
        foreign_client,
        format!("{COOKIE_NAME}=%%%"),
        format!("{COOKIE_NAME}={}", "A".repeat(5000)),
    ];
    for cookie in cookies {
        let response = store.page("/search", Some(&cookie)).await;
        assert_eq!(response.status(), 200, "{cookie}");
        assert!(removes_cookie(&response), "{cookie}");
        assert_eq!(store.cart_count(&cookie).await, 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cookieless_browsing_makes_no_visitor_token_calls() {
    let store = store().await;
    // The server-wide anonymous token is minted once, on the first page.
    store.page("/search", None).await;
    store.emulator.reset_counters();
    for i in 0..100 {
        let path = match i % 4 {
            0 => "/search".to_owned(),
            1 => format!("/search?q=item{}", i % 8),
            2 => "/product/canyon-notebook".to_owned(),
            _ => "/product/willow-tee".to_owned(),
        };
        let response = store.page(&path, None).await;
        assert_eq!(response.status(), 200, "{path}");
        assert!(set_cookie(&response).is_none(), "no session for browsing");
    }
    assert_eq!(store.emulator.counter("POST /oauth2/token"), 0);
    // The catalog cache answered the repeats: 3 distinct listings (no query, item1, item5) and
    // the related products of 2 product pages are 5 searches; 2 products; 1 category list.
    let searches = store.emulator.counter("POST /stores/v3/products/search");
    assert!(searches <= 5, "{searches} searches for 100 pages");
    assert!(
        store
            .emulator
            .counter("POST /categories/v1/categories/query")
            <= 1
    );
    assert!(
        store
            .emulator
            .counter("GET /stores/v3/products/slug/{slug}")
            <= 2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_posts_are_refused() {
    let store = store().await;
    let product = store.no_option_product().await;
    let body = format!("product_id={product}&variant_id=&quantity=1&return_to=%2F");
    let response = store
        .server_fn(AddToCart::PATH, &body, None, Some("https://evil.example"))
        .await;
    assert_eq!(response.status(), 403);
    assert!(set_cookie(&response).is_none());
    let same_site = store
        .server_fn(AddToCart::PATH, &body, None, Some(&store.base))
        .await;
    assert_eq!(same_site.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responses_never_carry_tokens() {
    let store = store().await;
    let cookie = store.add_one(None).await.expect("session");
    for path in ["/search?q=tee", "/product/willow-tee", "/product/nope"] {
        let (_, text) = store.text(path, Some(&cookie)).await;
        assert!(!text.contains("OauthNG.JWS."), "{path}");
        assert!(!text.contains("JWS."), "{path}");
    }
    let summary = store
        .server_fn(GetCartSummary::PATH, "", Some(&cookie), None)
        .await
        .text()
        .await
        .expect("body");
    assert!(!summary.contains("JWS."));
}

/// The inline scripts of a page (attributes, text); scripts with `src` are files, and JSON-LD
/// is data the browser never runs (no policy governs it).
fn inline_scripts(html: &str) -> Vec<(&str, &str)> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let tag_end = start + rest[start..].find('>').expect("tag closed");
        let end = tag_end + rest[tag_end..].find("</script>").expect("script closed");
        let attributes = &rest[start + 7..tag_end];
        if !attributes.contains("src=") && !attributes.contains("application/ld+json") {
            scripts.push((attributes, &rest[tag_end + 1..end]));
        }
        rest = &rest[end..];
    }
    scripts
}

/// Asserts that `policy` lets the browser run every inline script of `html`, by its nonce or
/// by its digest; says which.
fn assert_policy_allows_the_pages_scripts(policy: &str, html: &str, what: &str) -> &'static str {
    use base64::Engine as _;
    use sha2::Digest as _;
    let scripts = inline_scripts(html);
    assert!(!scripts.is_empty(), "{what}: a page has its loader");
    match policy.find("'nonce-") {
        Some(start) => {
            let start = start + 7;
            let nonce = &policy[start..start + policy[start..].find('\'').expect("closed")];
            for (attributes, _) in scripts {
                assert!(attributes.contains(&format!("nonce=\"{nonce}\"")), "{what}");
            }
            "nonce"
        }
        None => {
            assert!(
                !html.contains("nonce="),
                "{what}: a shared page names no nonce"
            );
            for (_, text) in scripts {
                let digest = base64::engine::general_purpose::STANDARD
                    .encode(sha2::Sha256::digest(text.as_bytes()));
                assert!(
                    policy.contains(&format!("'sha256-{digest}'")),
                    "{what}: {policy}"
                );
            }
            "digests"
        }
    }
}

/// The header's cart badge island in a page.
fn cart_badge(html: &str) -> &str {
    let start = html
        .find("<leptos-island data-component=\"CartBadge_")
        .expect("a badge");
    let end = start + html[start..].find("</leptos-island>").expect("closed");
    &html[start..end]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_whose_session_needs_work_gets_a_page_of_their_own() {
    let store = store().await;
    let cookie = store.add_one(None).await.expect("a session");
    // No page kept yet: theirs is rendered for them, then the page for everyone is made.
    let own = store.page("/?q=x", Some(&cookie)).await;
    assert_eq!(own.headers().get("x-page-cache"), None);
    assert!(own.text().await.expect("html").contains("1 item in cart"));
    let mut mine = store.page("/?q=x", Some(&cookie)).await;
    for _ in 0..100 {
        if mine.headers().contains_key("x-page-cache") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        mine = store.page("/?q=x", Some(&cookie)).await;
    }
    assert_eq!(
        mine.headers()["x-page-cache"],
        "personal",
        "the kept page with their count spliced in"
    );
    assert!(mine.text().await.expect("html").contains("1 item in cart"));
    let anyone = store.page("/?q=x", None).await;
    assert_eq!(anyone.headers()["x-page-cache"], "hit");
    assert!(anyone
        .text()
        .await
        .expect("html")
        .contains("0 items in cart"));
    // What the session remembers of the cart is too old to show: read again, on a page of
    // their own, and remembered anew (the cookie is written).
    store.clock.advance(301);
    let stale = store.page("/?q=x", Some(&cookie)).await;
    assert_eq!(stale.headers().get("x-page-cache"), None);
    assert_eq!(stale.headers()["cache-control"], "private, no-cache");
    let renewed = set_cookie(&stale).expect("the cart's size is remembered anew");
    assert!(stale.text().await.expect("html").contains("1 item in cart"));
    let fresh = store.page("/?q=x", Some(&renewed)).await;
    assert_eq!(fresh.headers()["x-page-cache"], "personal");
    // Past the access token's life, the session layer renews it on a page of their own.
    store.clock.advance(5 * 3600);
    let expired = store.page("/?q=x", Some(&renewed)).await;
    assert_eq!(expired.headers().get("x-page-cache"), None);
    let settled = set_cookie(&expired).expect("renewed tokens are written");
    assert_eq!(
        store.page("/?q=x", Some(&settled)).await.headers()["x-page-cache"],
        "personal"
    );
    // Pages nobody keeps (an unknown product) are theirs, with their badge, every time.
    for _ in 0..2 {
        let missing = store.page("/product/no-such-thing", Some(&settled)).await;
        assert_eq!(missing.status(), 404);
        assert_eq!(missing.headers().get("x-page-cache"), None);
        assert!(missing
            .text()
            .await
            .expect("html")
            .contains("1 item in cart"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kept_pages_serve_only_visitors_without_a_session() {
    let store = store().await;
    let header = |response: &reqwest::Response, name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().expect("ascii").to_owned())
    };
    let first = store.page("/search", None).await;
    assert_eq!(header(&first, "x-page-cache").as_deref(), Some("miss"));
    // Sent as a page any cache may keep: public, and a policy of script digests.
    let cache_control = header(&first, "cache-control").expect("cache-control");
    assert!(
        cache_control.starts_with("public, max-age=0, s-maxage="),
        "{cache_control}"
    );
    assert!(header(&first, "vary").is_some_and(|v| v.contains("cookie")));
    assert_eq!(header(&first, "set-cookie"), None);
    let first_policy = header(&first, "content-security-policy").expect("csp");
    let first = first.text().await.expect("html");
    assert_eq!(
        assert_policy_allows_the_pages_scripts(&first_policy, &first, "/search"),
        "digests"
    );

    // A visitor with a cart gets the kept page with their badge, as a private page; the page
    // kept for everyone is not changed by it.
    let cookie = store.add_one(None).await.expect("a session");
    // Their badge as a page rendered for them alone shows it (the cart page renders every time).
    let (_, rendered) = store.text("/cart", Some(&cookie)).await;
    for _ in 0..2 {
        let mine = store.page("/search", Some(&cookie)).await;
        assert_eq!(header(&mine, "x-page-cache").as_deref(), Some("personal"));
        assert_eq!(
            header(&mine, "cache-control").as_deref(),
            Some("private, no-cache")
        );
        assert_eq!(header(&mine, "set-cookie"), None);
        let policy = header(&mine, "content-security-policy").expect("csp");
        let mine = mine.text().await.expect("html");
        assert_policy_allows_the_pages_scripts(&policy, &mine, "mine");
        assert!(
            mine.contains("1 item in cart"),
            "the badge counts their line"
        );
        assert_eq!(
            cart_badge(&mine),
            cart_badge(&rendered),
            "the spliced badge is the one the page would render for them"
        );
        assert_eq!(
            mine.replace(cart_badge(&mine), ""),
            first.replace(cart_badge(&first), ""),
            "and the rest is the kept page"
        );
    }

    let again = store.page("/search", None).await;
    assert_eq!(header(&again, "x-page-cache").as_deref(), Some("hit"));
    assert_eq!(
        header(&again, "content-security-policy"),
        Some(first_policy)
    );
    let again = again.text().await.expect("html");
    assert_eq!(
        again, first,
        "the very page that was sent, as a CDN would keep it"
    );
    assert!(
        again.contains("0 items in cart"),
        "no visitor's cart in a kept page"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_returning_visitors_view_costs_no_wix_call() {
    let store = store().await;
    let cookie = store.add_one(None).await.expect("a session");
    let first = store.page("/search?q=mug", Some(&cookie)).await;
    assert_eq!(first.status(), 200);
    store.emulator.reset_counters();
    let again = store.page("/search?q=mug", Some(&cookie)).await;
    assert_eq!(again.status(), 200);
    assert!(again.text().await.expect("html").contains("1 item in cart"));
    // The catalog comes from the shared cache, the badge from the cart's size remembered in the
    // session cookie at the add.
    let counters = store.emulator.counters();
    assert_eq!(counters.values().sum::<u64>(), 0, "{counters:?}");
    // Another visitor reads the same shared catalog, and sees their own badge.
    let other = store.add_one(None).await.expect("another session");
    store.emulator.reset_counters();
    let page = store.page("/search?q=mug", Some(&other)).await;
    assert!(page.text().await.expect("html").contains("1 item in cart"));
    assert_eq!(store.emulator.counter("POST /stores/v3/products/search"), 0);
    // What the session remembers answers for five minutes; then the cart is read again, once,
    // and remembered anew.
    store.clock.advance(301);
    store.emulator.reset_counters();
    let stale = store.page("/search?q=mug", Some(&cookie)).await;
    let refreshed = set_cookie(&stale).expect("the new reading is written");
    assert!(stale.text().await.expect("html").contains("1 item in cart"));
    assert_eq!(store.emulator.counter("GET /ecom/v2/carts/current"), 1);
    store.emulator.reset_counters();
    store.page("/search?q=mug", Some(&refreshed)).await;
    assert_eq!(store.emulator.counter("GET /ecom/v2/carts/current"), 0);
    // Back from Wix's checkout the cart may be an order: read at once.
    let back = store.page("/thank-you?orderId=x", Some(&refreshed)).await;
    assert_eq!(back.status(), 200);
    assert_eq!(store.emulator.counter("GET /ecom/v2/carts/current"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_first_visit_carries_its_page_policy() {
    let store = store().await;
    let paths = [
        "/",
        "/search",
        "/product/willow-tee",
        "/product/canyon-notebook",
        "/category/kitchen",
        "/cart",
        "/no-such-page",
    ];
    // A fresh server, many first visits at once: every HTML answer's policy allows exactly the
    // scripts it carries, whether rendered, kept or served from the cache; catalog pages by
    // their digests, the others by their nonce.
    let responses =
        futures::future::join_all((0..60).map(|i| store.page(paths[i % paths.len()], None))).await;
    for response in responses {
        let url = response.url().path().to_owned();
        let policy = response
            .headers()
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let html = response.text().await.expect("html");
        let allowed_by = assert_policy_allows_the_pages_scripts(&policy, &html, &url);
        let catalog = !(url == "/cart" || url == "/no-such-page");
        assert_eq!(allowed_by == "digests", catalog, "{url}");
        assert!(policy.contains("form-action 'self' "), "{url}: {policy}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_visitors_and_posts_are_held_to_a_rate_per_address() {
    let store = store_with(&[
        ("TRUSTED_PROXY_HEADER", "x-forwarded-for"),
        ("RATE_LIMIT_NEW_VISITORS_PER_MINUTE", "2"),
        ("RATE_LIMIT_POSTS_PER_SECOND", "1"),
    ])
    .await;
    let product = store.no_option_product().await;
    let body = format!("product_id={product}&variant_id=&quantity=1&return_to=%2F");
    let add = |address: &'static str| {
        let request = store
            .http
            .post(format!("{}{}", store.base, AddToCart::PATH))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .header("x-forwarded-for", address)
            .body(body.clone());
        async move { request.send().await.expect("response") }
    };
    // Two new visitors a minute from one address; the third waits.
    assert_eq!(add("198.51.100.1").await.status(), 200);
    assert_eq!(add("198.51.100.1").await.status(), 200);
    let refused = add("198.51.100.1").await;
    assert_eq!(refused.status(), 429);
    assert!(refused.headers().contains_key("retry-after"));
    assert!(set_cookie(&refused).is_none(), "no visitor minted");
    assert_eq!(add("198.51.100.2").await.status(), 200, "another address");
    // Posts: a burst of five seconds' worth, then 429 with Retry-After.
    let statuses = futures::future::join_all((0..12).map(|_| add("198.51.100.3"))).await;
    let limited = statuses.iter().filter(|r| r.status() == 429).count();
    assert!(limited >= 5, "{limited} of 12 refused");
    assert!(statuses
        .iter()
        .all(|r| r.status() == 200 || r.status() == 429));
    // Sign-in links (each starts a Wix redirect session) share the allowance; a browser that
    // outran it gets a page, not JSON.
    let sign_ins = futures::future::join_all((0..12).map(|_| {
        store
            .http
            .get(format!("{}/auth/sign-in", store.base))
            .header("accept", "text/html")
            .header("x-forwarded-for", "198.51.100.4")
            .send()
    }))
    .await;
    let page = sign_ins
        .into_iter()
        .map(|r| r.expect("response"))
        .find(|r| r.status() == 429)
        .expect("some sign-ins were held back");
    assert!(page.headers().contains_key("retry-after"));
    assert!(page.headers()["content-type"]
        .to_str()
        .expect("type")
        .starts_with("text/html"));
    assert!(page
        .text()
        .await
        .expect("html")
        .contains("Too many requests"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_search_posted_directly_is_held_to_the_url_limits() {
    let store = store().await;
    let huge = "x".repeat(30_000);
    let body = format!("query[q]={huge}&query[cursor]={huge}");
    let response = store
        .server_fn(SearchProducts::PATH, &body, None, None)
        .await;
    assert_eq!(response.status(), 200);
    let results: serde_json::Value = response.json().await.expect("json");
    assert_eq!(results["query"]["q"].as_str().map(str::len), Some(100));
    assert!(results["query"]["cursor"].is_null());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cookies_sealed_with_an_older_secret_are_read_and_resealed() {
    let old = "old-secret-old-secret-old-secret-000000";
    let store = store_with(&[("SESSION_SECRET", &format!("{SECRET},{old}"))]).await;
    let tokens = store.wix.anonymous_tokens().await.expect("tokens");
    let mut jar = CookieJar::new();
    let payload = serde_json::json!({"clientId": CLIENT_ID, "tokens": tokens, "issuedAt": now()});
    jar.private_mut(&cookie_key(old))
        .add(Cookie::new(COOKIE_NAME, payload.to_string()));
    let old_cookie = format!(
        "{COOKIE_NAME}={}",
        jar.get(COOKIE_NAME).expect("sealed").value()
    );
    let response = store.page("/cart", Some(&old_cookie)).await;
    let resealed = set_cookie(&response).expect("re-sealed with the current secret");
    assert_ne!(resealed, old_cookie);
    assert_eq!(
        store.cart_count(&resealed).await,
        0,
        "the same, readable session"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_old_cookie_is_refused_whatever_the_browser_kept() {
    let store = store().await;
    let tokens = store.wix.anonymous_tokens().await.expect("tokens");
    let payload = serde_json::json!({"clientId": CLIENT_ID, "tokens": tokens, "issuedAt": now() - 31 * 24 * 3600});
    let mut jar = CookieJar::new();
    jar.private_mut(&store.key)
        .add(Cookie::new(COOKIE_NAME, payload.to_string()));
    let cookie = format!(
        "{COOKIE_NAME}={}",
        jar.get(COOKIE_NAME).expect("sealed").value()
    );
    let response = store.page("/cart", Some(&cookie)).await;
    assert!(
        removes_cookie(&response),
        "a session older than its lifetime is dropped"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kept_pages_never_serve_a_session_hidden_from_the_cache() {
    let store = store().await;
    let cookie = store.add_one(None).await.expect("a session");
    let value = cookie.split_once('=').expect("a cookie").1.to_owned();
    for trick in [
        format!("wix%5Fsession={value}"),
        format!("lang=caf\u{e9}; {cookie}"),
    ] {
        let mut request = store.http.get(format!("{}/search?q=trick", store.base));
        request = request.header(
            "cookie",
            reqwest::header::HeaderValue::from_bytes(trick.as_bytes()).expect("header"),
        );
        let response = request.send().await.expect("response");
        // Their own page, or the kept one with their badge: never the kept one as it is.
        let served = response.headers().get("x-page-cache").cloned();
        assert!(
            served.is_none() || served.as_ref().is_some_and(|v| v == "personal"),
            "{trick}: {served:?}"
        );
        let html = response.text().await.expect("html");
        assert!(html.contains("1 item in cart"), "the visitor's own page");
    }
    // And what anyone else gets for that URL was never theirs.
    let anonymous = store.page("/search?q=trick", None).await;
    assert!(anonymous
        .text()
        .await
        .expect("html")
        .contains("0 items in cart"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_endpoint_outage_does_not_pile_requests_up() {
    let store = store_with(&[("WIX_TIMEOUT_MS", "400")]).await;
    let tokens = store.wix.anonymous_tokens().await.expect("tokens");
    store.emulator.set_settings(Settings {
        latency_ms: 2_000,
        fault_path_prefix: Some("/oauth2/token".into()),
        ..Settings::default()
    });
    store.emulator.reset_counters();
    // Twenty browsers without a session need the shared token at once: one attempt, shared.
    let started = std::time::Instant::now();
    let paths: Vec<String> = (0..20).map(|i| format!("/search?q=outage{i}")).collect();
    let pages = futures::future::join_all(paths.iter().map(|path| store.page(path, None))).await;
    let waited = started.elapsed();
    assert!(pages.iter().all(|p| p.status() == 504 || p.status() == 503));
    assert!(
        waited < std::time::Duration::from_millis(2_000),
        "{waited:?}: one timeout, not one per request"
    );
    // Right after, the failure answers at once, without another attempt.
    let started = std::time::Instant::now();
    let again = store.page("/search?q=outage-again", None).await;
    assert!(again.status().is_server_error());
    assert!(started.elapsed() < std::time::Duration::from_millis(300));
    assert_eq!(store.emulator.counter("POST /oauth2/token"), 1);

    // A visitor's expired cookie: twenty requests, one renewal attempt.
    store.clock.advance(14_400);
    let cookie = store.cookie(CLIENT_ID, &tokens);
    store.emulator.reset_counters();
    let started = std::time::Instant::now();
    let pages =
        futures::future::join_all((0..20).map(|_| store.page("/cart", Some(&cookie)))).await;
    assert!(pages.iter().all(|p| p.status() != 500));
    assert!(started.elapsed() < std::time::Duration::from_millis(2_000));
    assert_eq!(
        store.emulator.counter("POST /oauth2/token"),
        1,
        "one renewal attempt"
    );
}
