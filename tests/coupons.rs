//! Coupons end to end over real HTTP: the storefront's server functions with the emulator, as
//! a hydrated page calls them and as a plain form posts them.
#![cfg(feature = "ssr")]

mod common;

use common::*;
use wix_storefront::api::cart::{ApplyCoupon, CartNotice, GetCart, RemoveCoupon};

async fn apply(store: &Store, cookie: &str, code: &str) -> CartNotice {
    let body = format!("code={code}&return_to=%2Fcart");
    let response = store
        .server_fn(ApplyCoupon::PATH, &body, Some(cookie), Some(&store.base))
        .await;
    assert_eq!(response.status(), 200, "{code}");
    response.json().await.expect("notice")
}

async fn cart(store: &Store, cookie: &str) -> serde_json::Value {
    let response = store.server_fn(GetCart::PATH, "", Some(cookie), None).await;
    assert_eq!(response.status(), 200);
    response.json().await.expect("cart")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_coupon_refusal_is_named_and_a_good_code_discounts() {
    let store = store().await;
    let cookie = store.add_one(None).await.expect("a session");
    let before = cart(&store, &cookie).await;
    for (code, expected) in [
        ("", CartNotice::CouponMissing),
        ("NOPE", CartNotice::CouponUnknown),
        ("SUMMER2025", CartNotice::CouponExpired),
        ("BIGSPENDER", CartNotice::CouponNotApplicable),
        (&"X".repeat(51), CartNotice::CouponUnknown),
    ] {
        assert_eq!(apply(&store, &cookie, code).await, expected, "{code}");
    }
    assert_eq!(
        cart(&store, &cookie).await,
        before,
        "refusals change nothing"
    );

    assert_eq!(
        apply(&store, &cookie, "save10").await,
        CartNotice::CouponApplied
    );
    let discounted = cart(&store, &cookie).await;
    assert_eq!(discounted["coupon"], "SAVE10");
    let discount = discounted["adjustments"]
        .as_array()
        .expect("lines")
        .iter()
        .find(|l| l["kind"] == "Discount")
        .expect("a discount line");
    assert!(discount["amount"]
        .as_str()
        .expect("amount")
        .starts_with('$'));
    assert_ne!(discounted["total"], before["total"]);
    assert_eq!(
        apply(&store, &cookie, "HALFOFF").await,
        CartNotice::CouponAlreadyApplied
    );

    let response = store
        .server_fn(
            RemoveCoupon::PATH,
            "return_to=%2Fcart",
            Some(&cookie),
            Some(&store.base),
        )
        .await;
    let removed: CartNotice = response.json().await.expect("notice");
    assert_eq!(removed, CartNotice::CouponRemoved);
    let after = cart(&store, &cookie).await;
    assert_eq!(after["coupon"], serde_json::Value::Null);
    assert_eq!(after["total"], before["total"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_coupon_form_returns_to_the_cart_with_its_notice() {
    let store = store().await;
    let cookie = store.add_one(None).await.expect("a session");
    let response = store
        .http
        .post(format!("{}{}", store.base, ApplyCoupon::PATH))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", &store.base)
        .header("accept", "text/html,application/xhtml+xml")
        .header("cookie", &cookie)
        .body("code=SUMMER2025&return_to=%2Fcart")
        .send()
        .await
        .expect("response");
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()["location"], "/cart?cart=coupon-expired");
    // Without a cart there is nothing to discount: said so, no error page.
    let response = store
        .server_fn(
            ApplyCoupon::PATH,
            "code=SAVE10&return_to=%2Fcart",
            None,
            Some(&store.base),
        )
        .await;
    assert_eq!(response.status(), 200);
    let notice: CartNotice = response.json().await.expect("notice");
    assert_eq!(notice, CartNotice::CartEmpty);
}
