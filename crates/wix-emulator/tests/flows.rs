//! State machines over real HTTP: the hosted checkout, PKCE member login, concurrency.

mod common;

use common::{start, STORES_APP_ID};
use serde_json::json;

fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

#[tokio::test]
async fn hosted_checkout_places_the_order_and_starts_a_new_cart() {
    let emu = start().await;
    emu.emulator.set_settings(wix_emulator::Settings {
        allowed_domains: vec!["store.test".into()],
        ..emu.emulator.settings()
    });
    let (token, _) = emu.visitor().await;
    let (reference, _) = emu.variants(&token, "willow-hoodie").await;
    let cart = emu
        .ok(
            "POST",
            "/ecom/v2/carts/current/add-line-items",
            Some(&token),
            Some(json!({"catalogItems": [{"quantity": 2, "catalogReference": reference}]})),
        )
        .await;
    let session = emu
        .ok("POST", "/_api/redirects-api/v1/redirect-session", Some(&token), Some(json!({
            "ecomCheckout": {"checkoutId": cart["cart"]["id"]},
            "callbacks": {"postFlowUrl": "https://store.test/", "thankYouPageUrl": "https://store.test/thank-you"}})))
        .await;
    let full_url = session["redirectSession"]["fullUrl"].as_str().expect("url");
    let page = emu.html(full_url).await;
    assert!(
        page.contains("Willow Hoodie") && page.contains("Place order"),
        "{page}"
    );
    assert!(
        page.contains("https://store.test/?wixMemberLoggedIn=false"),
        "Back goes to postFlowUrl"
    );

    let placed = emu.http.post(full_url).send().await.expect("place order");
    assert!(placed.status().is_redirection());
    let location = placed.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    assert!(
        location.starts_with("https://store.test/thank-you?orderId="),
        "{location}"
    );
    assert_eq!(
        query_param(&location, "wixMemberLoggedIn").as_deref(),
        Some("false")
    );
    let order_id = query_param(&location, "orderId").expect("order id");
    let order = emu
        .ok("GET", &format!("/_emulator/orders/{order_id}"), None, None)
        .await;
    assert_eq!(order["order"]["cart"]["lineItems"][0]["quantity"], 2);

    // Placing twice does not make a second order.
    let again = emu.http.post(full_url).send().await.expect("again");
    assert_eq!(
        again.headers()["location"].to_str().expect("location"),
        location
    );
    // The ordered cart is no longer current: the next add starts a new one.
    let (status, _) = emu
        .call("GET", "/ecom/v1/carts/current", Some(&token), None)
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn hosted_pages_return_only_to_allowed_https_origins() {
    let emu = start().await;
    emu.emulator.set_settings(wix_emulator::Settings {
        allowed_domains: vec!["shop.example.com".into()],
        ..emu.emulator.settings()
    });
    let (token, _) = emu.visitor().await;
    for (origin, allowed) in [
        ("https://shop.example.com", true),
        ("http://127.0.0.1:3000", true),
        ("http://shop.example.com", false),
        ("https://unlisted.example.com", false),
    ] {
        let (reference, _) = emu.variants(&token, "willow-hoodie").await;
        let cart = emu
            .ok(
                "POST",
                "/ecom/v2/carts/current/add-line-items",
                Some(&token),
                Some(json!({"catalogItems": [{"quantity": 1, "catalogReference": reference}]})),
            )
            .await;
        let session = emu
            .ok("POST", "/headless/v1/redirect-session", Some(&token), Some(json!({
                "ecomCheckout": {"checkoutId": cart["cart"]["id"]},
                "callbacks": {"postFlowUrl": format!("{origin}/"), "thankYouPageUrl": format!("{origin}/thank-you")}})))
            .await;
        let full_url = session["redirectSession"]["fullUrl"].as_str().expect("url");
        let placed = emu.http.post(full_url).send().await.expect("place order");
        if allowed {
            assert!(placed.status().is_redirection(), "{origin}");
        } else {
            assert_eq!(placed.status(), 403, "{origin}");
        }
    }
}

#[tokio::test]
async fn checkout_refuses_empty_carts_and_sites_without_payments() {
    let emu = start().await;
    let (token, _) = emu.visitor().await;
    let (reference, _) = emu.variants(&token, "canyon-notebook").await;
    let cart = emu
        .ok(
            "POST",
            "/ecom/v1/carts/current/add-to-cart",
            Some(&token),
            Some(json!({"lineItems": [{"quantity": 1, "catalogReference": reference}]})),
        )
        .await;
    emu.emulator.set_settings(wix_emulator::Settings {
        payments_disabled: true,
        ..Default::default()
    });
    let (status, body) = emu
        .call(
            "POST",
            "/ecom/v1/carts/current/create-checkout",
            Some(&token),
            Some(json!({"channelType": "WEB"})),
        )
        .await;
    assert_eq!(status, 428);
    assert_eq!(
        body["details"]["applicationError"]["code"],
        "SITE_MUST_ACCEPT_PAYMENTS_TO_CREATE_CHECKOUT"
    );
    emu.emulator.set_settings(wix_emulator::Settings::default());
    let line = cart["cart"]["lineItems"][0]["id"].clone();
    emu.ok(
        "POST",
        "/ecom/v1/carts/current/remove-line-items",
        Some(&token),
        Some(json!({"lineItemIds": [line]})),
    )
    .await;
    let (status, _) = emu
        .call(
            "POST",
            "/ecom/v1/carts/current/create-checkout",
            Some(&token),
            Some(json!({"channelType": "WEB"})),
        )
        .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn member_login_completes_pkce() {
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
    use sha2::{Digest, Sha256};
    let emu = start().await;
    emu.emulator.set_settings(wix_emulator::Settings {
        allowed_redirect_uris: vec!["https://store.test/callback".into()],
        ..emu.emulator.settings()
    });
    let (token, _) = emu.visitor().await;
    let verifier = "a-long-random-verifier-string-of-43-characters-or-more-0123";
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let session = emu
        .ok("POST", "/redirect-session/v1/redirect-session", Some(&token), Some(json!({"auth": {"authRequest": {
            "clientId": "c", "codeChallenge": challenge, "codeChallengeMethod": "S256", "responseMode": "query",
            "responseType": "code", "scope": "offline_access", "state": "xyz", "redirectUri": "https://store.test/callback"}},
            "prompt": "login"})))
        .await;
    let url = session["redirectSession"]["fullUrl"].as_str().expect("url");
    let page = emu.html(url).await;
    assert!(page.contains("ada@example.com"));
    let wrong = emu
        .http
        .post(url)
        .form(&[("email", "ada@example.com"), ("password", "nope")])
        .send()
        .await
        .expect("post");
    assert_eq!(wrong.status(), 401);
    let ok = emu
        .http
        .post(url)
        .form(&[("email", "ada@example.com"), ("password", "rustacean")])
        .send()
        .await
        .expect("post");
    let location = ok.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    assert_eq!(query_param(&location, "state").as_deref(), Some("xyz"));
    let code = query_param(&location, "code").expect("code");
    let exchange = |verifier: &str, code: &str| {
        json!({"clientId": "c", "grantType": "authorization_code", "code": code, "codeVerifier": verifier,
               "redirectUri": "https://store.test/callback"})
    };
    let (status, _) = emu
        .call(
            "POST",
            "/oauth2/token",
            None,
            Some(exchange("wrong-verifier", &code)),
        )
        .await;
    assert_eq!(status, 400);
    // A code works once, even after a failed attempt it is spent: log in again for a new one.
    let ok = emu
        .http
        .post(url)
        .form(&[("email", "ada@example.com"), ("password", "rustacean")])
        .send()
        .await
        .expect("post");
    let code =
        query_param(ok.headers()["location"].to_str().expect("location"), "code").expect("code");
    let tokens = emu
        .ok(
            "POST",
            "/oauth2/token",
            None,
            Some(exchange(verifier, &code)),
        )
        .await;
    let member_token = tokens["access_token"].as_str().expect("token");
    let (reference, _) = emu.variants(member_token, "canyon-notebook").await;
    let cart = emu
        .ok(
            "POST",
            "/ecom/v1/carts/current/add-to-cart",
            Some(member_token),
            Some(json!({"lineItems": [{"quantity": 1, "catalogReference": reference}]})),
        )
        .await;
    assert!(cart["cart"]["buyerInfo"]["memberId"].is_string());
    let (status, _) = emu
        .call(
            "POST",
            "/oauth2/token",
            None,
            Some(exchange(verifier, &code)),
        )
        .await;
    assert_eq!(status, 400, "a code is single-use");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_adds_never_lose_an_update() {
    let emu = start().await;
    let (token, _) = emu.visitor().await;
    let (reference, _) = emu.variants(&token, "canyon-notebook").await;
    let product_id = reference["catalogItemId"].as_str().expect("id").to_owned();
    assert!(reference["appId"] == STORES_APP_ID);
    // 20 visitors × 5 concurrent adds each, plus one visitor with 40 concurrent adds.
    let visitors: Vec<String> = futures_visitors(&emu, 20).await;
    let mut tasks = Vec::new();
    for token in visitors
        .iter()
        .cloned()
        .chain(std::iter::repeat_n(token.clone(), 40))
    {
        let http = emu.http.clone();
        let url = format!("{}/ecom/v1/carts/current/add-to-cart", emu.base);
        let body = json!({"lineItems": [{"quantity": 1, "catalogReference": reference}]});
        let repeats = if token == visitors[0] || visitors.contains(&token) {
            5
        } else {
            1
        };
        for _ in 0..repeats {
            let (http, url, body, token) = (http.clone(), url.clone(), body.clone(), token.clone());
            tasks.push(tokio::spawn(async move {
                http.post(url)
                    .header("authorization", token)
                    .json(&body)
                    .send()
                    .await
                    .expect("add")
                    .status()
                    .as_u16()
            }));
        }
    }
    for task in tasks {
        assert_eq!(task.await.expect("task"), 200);
    }
    for visitor in &visitors {
        let cart = emu
            .ok("GET", "/ecom/v1/carts/current", Some(visitor), None)
            .await;
        assert_eq!(
            cart["cart"]["lineItems"][0]["quantity"], 5,
            "no lost update, no cross-visitor leak"
        );
    }
    let cart = emu
        .ok("GET", "/ecom/v1/carts/current", Some(&token), None)
        .await;
    assert_eq!(
        cart["cart"]["lineItems"].as_array().expect("lines").len(),
        1
    );
    assert_eq!(cart["cart"]["lineItems"][0]["quantity"], 40);
    assert_eq!(
        cart["cart"]["lineItems"][0]["catalogReference"]["catalogItemId"],
        product_id
    );
}

async fn futures_visitors(emu: &common::Emu, n: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(emu.visitor().await.0);
    }
    out
}
