//! Contract tests: responses compared with the JSON examples of shared/docs/wix-api.md (field
//! names, types and nesting), over real HTTP.

mod common;

use common::{assert_shape, start, STORES_APP_ID};
use serde_json::json;

#[tokio::test]
async fn token_response_matches_section_2_1() {
    let emu = start().await;
    // JSON with camelCase, and a form body with snake_case keys: both are accepted.
    let json_body = emu
        .ok(
            "POST",
            "/oauth2/token",
            None,
            Some(json!({"clientId": "c", "grantType": "anonymous"})),
        )
        .await;
    let form = emu
        .http
        .post(format!("{}/oauth2/token", emu.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("client_id=c&grant_type=anonymous")
        .send()
        .await
        .expect("form request");
    assert_eq!(form.status(), 200);
    let form_body: serde_json::Value = form.json().await.expect("json");
    let example = json!({"access_token": "OauthNG.JWS.x", "expires_in": 14400, "refresh_token": "JWS.x", "token_type": "Bearer"});
    for body in [&json_body, &form_body] {
        assert_shape("token", &example, body);
        let access = body["access_token"].as_str().expect("string");
        assert!(
            access.starts_with("OauthNG.JWS.") && access.len() > 900,
            "Wix-sized token"
        );
        assert_eq!(body["expires_in"], 14400);
    }
    // Refresh keeps the refresh token valid after use (not rotated).
    let refresh = json_body["refresh_token"].as_str().expect("refresh");
    for _ in 0..2 {
        let renewed = emu
            .ok("POST", "/oauth2/token", None, Some(json!({"client_id": "c", "grant_type": "refresh_token", "refresh_token": refresh})))
            .await;
        assert_eq!(renewed["refresh_token"], refresh);
    }
    let (status, error) = emu
        .call(
            "POST",
            "/oauth2/token",
            None,
            Some(json!({"clientId": "c", "grantType": "refresh_token", "refreshToken": "JWS.bad"})),
        )
        .await;
    assert_eq!(status, 400);
    assert_shape(
        "error",
        &json!({"message": "", "details": {"applicationError": {"code": "", "description": "", "data": {}}}}),
        &error,
    );
}

#[tokio::test]
async fn product_by_slug_matches_section_4_3() {
    let emu = start().await;
    let (token, _) = emu.visitor().await;
    let product = emu.product(&token, "willow-hoodie").await;
    let example = json!({
        "id": "", "revision": "", "createdDate": "", "updatedDate": "", "name": "", "slug": "",
        "url": {"relativePath": "", "url": ""},
        "plainDescription": "", "visible": true, "visibleInPos": true, "productType": "", "physicalProperties": {},
        "currency": "",
        "media": {"main": {"id": "", "image": {"id": "", "url": "", "height": 1, "width": 1, "filename": ""}, "altText": "", "mediaType": ""}},
        "options": [{"id": "", "name": "", "key": "", "optionRenderType": "", "choicesSettings": {"choices": [
            {"choiceId": "", "key": "", "name": "", "choiceType": "", "colorCode": "", "inStock": true, "visible": true}]}}],
        "modifiers": [],
        "actualPriceRange": {"minValue": {"amount": "", "formattedAmount": ""}, "maxValue": {"amount": "", "formattedAmount": ""}},
        "compareAtPriceRange": {"minValue": {"amount": "", "formattedAmount": ""}, "maxValue": {"amount": "", "formattedAmount": ""}},
        "inventory": {"availabilityStatus": "", "preorderStatus": "", "preorderAvailability": ""},
        "variantSummary": {"variantCount": 1},
        "variantsInfo": {"variants": [{"id": "", "visible": true, "sku": "",
            "choices": [{"optionChoiceIds": {"optionId": "", "choiceId": ""},
                         "optionChoiceNames": {"optionName": "", "choiceName": "", "renderType": ""}}],
            "price": {"actualPrice": {"amount": "", "formattedAmount": ""}, "compareAtPrice": {"amount": "", "formattedAmount": ""}},
            "inventoryStatus": {"inStock": true, "preorderEnabled": false}, "physicalProperties": {}}]}
    });
    assert_shape("product", &example, &product);
    // Without fields, the gated parts are absent.
    let bare = emu
        .ok(
            "GET",
            "/stores/v3/products/slug/willow-hoodie",
            Some(&token),
            None,
        )
        .await["product"]
        .clone();
    assert!(
        bare.get("currency").is_none()
            && bare.get("url").is_none()
            && bare.get("plainDescription").is_none()
    );
    assert!(bare["actualPriceRange"]["minValue"]
        .get("formattedAmount")
        .is_none());
    assert!(bare["variantsInfo"]["variants"][0]["choices"][0]
        .get("optionChoiceNames")
        .is_none());
    // Get by id answers the same product, also with the SDK's repeated path parameter.
    let id = product["id"].as_str().expect("id");
    let by_id = emu
        .ok(
            "GET",
            &format!("/stores/v3/products/{id}?productId={id}&fields=CURRENCY"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(by_id["product"]["slug"], "willow-hoodie");
    let (status, error) = emu
        .call("GET", "/stores/v3/products/slug/nope", Some(&token), None)
        .await;
    assert_eq!(status, 404);
    assert!(error["details"]["applicationError"]["code"].is_string());
}

#[tokio::test]
async fn search_and_query_match_section_4_2() {
    let emu = start().await;
    let (token, _) = emu.visitor().await;
    let body = json!({"search": {
        "filter": {"actualPriceRange.minValue.amount": {"$lt": 30}, "name": {"$startsWith": "w"}},
        "sort": [{"fieldName": "name", "order": "ASC"}],
        "cursorPaging": {"limit": 5}}, "fields": ["CURRENCY"]});
    let page = emu
        .ok(
            "POST",
            "/stores/v3/products/search",
            Some(&token),
            Some(body.clone()),
        )
        .await;
    assert_shape(
        "search",
        &json!({"products": [{"id": ""}], "pagingMetadata": {"count": 1, "cursors": {"next": ""}, "hasNext": true}}),
        &page,
    );
    let names: Vec<&str> = page["products"]
        .as_array()
        .expect("array")
        .iter()
        .map(|p| p["name"].as_str().expect("name"))
        .collect();
    assert!(names.windows(2).all(|w| w[0] <= w[1]), "{names:?}");
    assert!(names.iter().all(|n| n.starts_with('W')));
    assert!(page["products"][0].get("variantsInfo").is_none());
    // The SDK's GET form: the same payload as base64url JSON in `.r`.
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
    let encoded = URL_SAFE_NO_PAD.encode(body.to_string());
    let via_get = emu
        .ok(
            "GET",
            &format!("/stores/v3/products/search?.r={encoded}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(via_get["products"], page["products"]);
    // Next page: only the cursor.
    let next = page["pagingMetadata"]["cursors"]["next"]
        .as_str()
        .expect("next");
    let second = emu
        .ok(
            "POST",
            "/stores/v3/products/search",
            Some(&token),
            Some(json!({"search": {"cursorPaging": {"limit": 5, "cursor": next}}})),
        )
        .await;
    assert!(second["pagingMetadata"]["cursors"]["prev"].is_string());
    // Query accepts only its declared fields; limit above 100 is refused.
    let (status, _) = emu
        .call(
            "POST",
            "/stores/v3/products/query",
            Some(&token),
            Some(json!({"query": {"filter": {"name": "x"}}})),
        )
        .await;
    assert_eq!(status, 400);
    let (status, _) = emu
        .call(
            "POST",
            "/stores/v3/products/search",
            Some(&token),
            Some(json!({"search": {"cursorPaging": {"limit": 101}}})),
        )
        .await;
    assert_eq!(status, 400);
    let count = emu
        .ok(
            "POST",
            "/stores/v3/products/count",
            Some(&token),
            Some(json!({"filter": {"name": {"$startsWith": "w"}}})),
        )
        .await;
    assert!(count["count"].as_u64().expect("count") >= names.len() as u64);
    let variants = emu
        .ok(
            "POST",
            "/stores/v3/products/query-variants",
            Some(&token),
            Some(
                json!({"query": {"filter": {"productData.productId": page["products"][0]["id"]}}}),
            ),
        )
        .await;
    assert!(variants["variants"][0]["variantId"].is_string());
}

#[tokio::test]
async fn missing_expired_and_bearer_tokens() {
    let emu = start().await;
    let (status, body) = emu.call("GET", "/ecom/v1/carts/current", None, None).await;
    assert_eq!(status, 401);
    assert_shape(
        "401",
        &json!({"message": "", "details": {"applicationError": {"code": ""}}}),
        &body,
    );
    let (token, _) = emu.visitor().await;
    let (status, _) = emu
        .call(
            "GET",
            "/ecom/v1/carts/current",
            Some(&format!("Bearer {token}")),
            None,
        )
        .await;
    assert_eq!(status, 404, "Bearer accepted; no cart yet");
    emu.emulator.set_settings(wix_emulator::Settings {
        access_token_ttl_secs: 0,
        ..Default::default()
    });
    let (expired, _) = emu.visitor().await;
    let (status, _) = emu
        .call("GET", "/ecom/v1/carts/current", Some(&expired), None)
        .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn cart_v1_matches_section_5() {
    let emu = start().await;
    let (token, _) = emu.visitor().await;
    let (status, body) = emu
        .call("GET", "/ecom/v1/carts/current", Some(&token), None)
        .await;
    assert_eq!(status, 404);
    assert_eq!(
        body["details"]["applicationError"]["code"],
        "OWNED_CART_NOT_FOUND"
    );
    let (reference, sold_out) = emu.variants(&token, "willow-hoodie").await;
    let cart = emu
        .ok(
            "POST",
            "/ecom/v1/carts/current/add-to-cart",
            Some(&token),
            Some(json!({"lineItems": [{"quantity": 2, "catalogReference": reference}]})),
        )
        .await["cart"]
        .clone();
    let money = json!({"amount": "", "convertedAmount": "", "formattedAmount": "", "formattedConvertedAmount": ""});
    let example = json!({
        "id": "", "lineItems": [{"id": "", "quantity": 1,
            "catalogReference": {"catalogItemId": "", "appId": "", "options": {"variantId": ""}},
            "productName": {"original": "", "translated": ""}, "url": {"relativePath": "", "url": ""},
            "price": money, "fullPrice": money, "priceBeforeDiscounts": money, "lineItemPrice": money,
            "descriptionLines": [{"name": {"original": "", "translated": ""}}],
            "image": {"id": "", "url": "", "height": 1, "width": 1, "filename": ""},
            "availability": {"status": ""}, "physicalProperties": {"sku": "", "shippable": true},
            "itemType": {"preset": ""}, "paymentOption": "", "rootCatalogItemId": "",
            "customLineItem": false, "priceUndetermined": false, "fixedQuantity": false, "membersOnly": false,
            "policies": [], "modifierGroups": []}],
        "buyerInfo": {"visitorId": ""}, "currency": "", "conversionCurrency": "", "paymentCurrency": "",
        "buyerLanguage": "", "siteLanguage": "", "taxIncludedInPrices": false, "weightUnit": "",
        "subtotal": money, "subtotalAfterDiscounts": money, "discount": money, "checkoutId": "",
        "appliedDiscounts": [], "createdDate": "", "updatedDate": "", "purchaseFlowId": "", "managedByV2": true, "revision": ""
    });
    assert_shape("cart", &example, &cart);
    assert_eq!(
        cart["lineItems"][0]["catalogReference"]["appId"],
        STORES_APP_ID
    );
    // Silent failures (§5.2): a sold-out variant, or a product with options without variantId.
    if let Some(sold_out) = sold_out {
        let after = emu
            .ok(
                "POST",
                "/ecom/v1/carts/current/add-to-cart",
                Some(&token),
                Some(json!({"lineItems": [{"quantity": 1, "catalogReference": sold_out}]})),
            )
            .await;
        assert_eq!(
            after["cart"]["lineItems"].as_array().expect("lines").len(),
            1
        );
    }
    let mut no_variant = reference.clone();
    no_variant
        .as_object_mut()
        .expect("object")
        .remove("options");
    let after = emu
        .ok(
            "POST",
            "/ecom/v1/carts/current/add-to-cart",
            Some(&token),
            Some(json!({"lineItems": [{"quantity": 1, "catalogReference": no_variant}]})),
        )
        .await;
    assert_eq!(after["cart"]["lineItems"][0]["quantity"], 2);
    let line = cart["lineItems"][0]["id"].as_str().expect("line id");
    let updated = emu
        .ok(
            "POST",
            "/ecom/v1/carts/current/update-line-items-quantity",
            Some(&token),
            Some(json!({"lineItems": [{"id": line, "quantity": 5}]})),
        )
        .await;
    assert_eq!(updated["cart"]["lineItems"][0]["quantity"], 5);
    let totals = emu
        .ok(
            "POST",
            "/ecom/v1/carts/current/estimate-totals",
            Some(&token),
            Some(json!({})),
        )
        .await;
    assert_shape(
        "estimate",
        &json!({"cart": {}, "priceSummary": {"subtotal": money, "shipping": money, "tax": money, "discount": money, "total": money, "additionalFees": money}, "calculatedLineItems": [], "currency": "", "weightUnit": ""}),
        &totals,
    );
    let checkout = emu
        .ok(
            "POST",
            "/ecom/v1/carts/current/create-checkout",
            Some(&token),
            Some(json!({"channelType": "WEB"})),
        )
        .await;
    assert!(checkout["checkoutId"].is_string());
    let (status, error) = emu
        .call(
            "POST",
            "/ecom/v1/carts/current/remove-line-items",
            Some(&token),
            Some(json!({"lineItemIds": ["nope"]})),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        error["details"]["applicationError"]["code"],
        "LINE_ITEM_NOT_FOUND_IN_CART"
    );
    let emptied = emu
        .ok(
            "POST",
            "/ecom/v1/carts/current/remove-line-items",
            Some(&token),
            Some(json!({"lineItemIds": [line]})),
        )
        .await;
    assert_eq!(emptied["cart"]["lineItems"], json!([]));
    assert_eq!(
        emu.ok("DELETE", "/ecom/v1/carts/current", Some(&token), None)
            .await,
        json!({})
    );
    let (status, _) = emu
        .call("DELETE", "/ecom/v1/carts/current", Some(&token), None)
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn cart_v2_matches_section_5b_and_shares_the_v1_cart() {
    let emu = start().await;
    let (token, _) = emu.visitor().await;
    let (status, body) = emu
        .call("GET", "/ecom/v2/carts/current", Some(&token), None)
        .await;
    assert_eq!(status, 404);
    assert_eq!(
        body["details"]["applicationError"]["code"],
        "CURRENT_CART_NOT_FOUND"
    );
    let (reference, _) = emu.variants(&token, "willow-hoodie").await;
    let cart = emu
        .ok(
            "POST",
            "/ecom/v2/carts/current/add-line-items",
            Some(&token),
            Some(json!({"catalogItems": [{"quantity": 2, "catalogReference": reference}]})),
        )
        .await["cart"]
        .clone();
    let money = json!({"amount": "", "convertedAmount": ""});
    let example = json!({
        "id": "", "createdDate": "", "updatedDate": "", "revision": "",
        "lineItems": [{"id": "", "name": {"original": "", "translated": ""},
            "quantityInfo": {"requestedQuantity": 1, "confirmedQuantity": 1, "fixedQuantity": false},
            "pricing": {"unitPrice": money, "totalPrice": money, "priceUndetermined": false, "breakdown": {"fullPrice": money, "salePrice": money}},
            "source": {"catalogReference": {"catalogItemId": "", "appId": "", "options": {"variantId": ""}}, "rootCatalogItemId": ""},
            "attributes": {"descriptionLines": [], "url": {"relativePath": "", "url": ""}, "itemType": {"preset": ""}, "physicalProperties": {"sku": "", "shippable": true}, "membersOnly": false},
            "taxConfig": {"taxableAddress": {"addressType": ""}}, "paymentConfig": {"paymentOption": "", "savePaymentMethod": false},
            "status": "", "discounts": [], "customLineItem": false}],
        "subtotal": money, "coupons": [], "source": {"channelType": "", "createdBy": {"visitorId": ""}},
        "businessInfo": {"languageCode": "", "currencyCode": ""},
        "customerInfo": {"visitorId": "", "openAccess": false, "languageCode": "", "currencyCode": ""},
        "deliveryInfo": {"weightUnit": ""}, "taxInfo": {"pricesIncludeTax": false}, "paymentInfo": {"giftCards": [], "currencyCode": ""},
        "orderPlaced": false, "purchaseFlowId": "", "currentCart": true, "demo": false
    });
    assert_shape("cartV2", &example, &cart);
    assert!(
        cart["lineItems"][0]["pricing"]["unitPrice"]
            .get("formattedAmount")
            .is_none(),
        "V2 money has no formatted strings"
    );
    // One cart, two APIs.
    let v1 = emu
        .ok("GET", "/ecom/v1/carts/current", Some(&token), None)
        .await;
    assert_eq!(v1["cart"]["id"], cart["id"]);
    let line = cart["lineItems"][0]["id"].as_str().expect("line");
    let (status, _) = emu
        .call(
            "POST",
            "/ecom/v2/carts/current/update-line-items",
            Some(&token),
            Some(json!({"lineItems": [{"id": line, "quantity": 3}]})),
        )
        .await;
    assert_eq!(status, 400, "the v1-style flat update is refused");
    let updated = emu
        .ok(
            "POST",
            "/ecom/v2/carts/current/update-line-items",
            Some(&token),
            Some(json!({"lineItems": [{"lineItemId": line, "quantity": {"newQuantity": 3}}]})),
        )
        .await;
    assert_eq!(
        updated["cart"]["lineItems"][0]["quantityInfo"]["requestedQuantity"],
        3
    );
    let (status, _) = emu
        .call(
            "POST",
            "/ecom/v2/carts/current/update-line-items",
            Some(&token),
            Some(json!({"lineItems": [{"lineItemId": line, "quantity": {"newQuantity": 0}}]})),
        )
        .await;
    assert_eq!(status, 400, "0 is invalid: remove the line instead");
    let with_coupon = emu
        .ok(
            "POST",
            "/ecom/v2/carts/current/add-coupon",
            Some(&token),
            Some(json!({"coupon": {"code": "SAVE10"}})),
        )
        .await;
    let coupon_id = with_coupon["cart"]["coupons"][0]["id"]
        .as_str()
        .expect("coupon id")
        .to_owned();
    assert_eq!(
        with_coupon["cart"]["lineItems"][0]["discounts"][0]["source"]["couponCode"],
        "SAVE10"
    );
    let (status, error) = emu
        .call(
            "POST",
            "/ecom/v2/carts/current/add-coupon",
            Some(&token),
            Some(json!({"coupon": {"code": "NOPE"}})),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        error["details"]["applicationError"]["code"],
        "INVALID_COUPON_CODE"
    );
    let estimate = emu
        .ok(
            "POST",
            "/ecom/v2/carts/current/estimate",
            Some(&token),
            Some(json!({})),
        )
        .await;
    assert_shape(
        "summary",
        &json!({"cart": {}, "summary": {"cartId": "", "cartRevision": "", "calculationId": "",
        "lineItems": [{"lineItemId": "", "quantity": 1, "unitPrice": money, "totalPrice": money}],
        "priceSummary": {"subtotal": money, "discount": money, "delivery": money, "additionalFees": money, "tax": money, "total": money},
        "violations": []}}),
        &estimate,
    );
    let subtotal: f64 = estimate["summary"]["priceSummary"]["subtotal"]["amount"]
        .as_str()
        .expect("amount")
        .parse()
        .expect("number");
    let total: f64 = estimate["summary"]["priceSummary"]["total"]["amount"]
        .as_str()
        .expect("amount")
        .parse()
        .expect("number");
    assert!(
        (total - subtotal * 0.9).abs() < 0.011,
        "{subtotal} → {total}"
    );
    let removed = emu
        .ok(
            "POST",
            "/ecom/v2/carts/current/remove-coupon",
            Some(&token),
            Some(json!({"couponId": coupon_id})),
        )
        .await;
    assert_eq!(removed["cart"]["coupons"], json!([]));
    let empty = emu
        .ok(
            "POST",
            "/ecom/v2/carts/current/remove-line-items",
            Some(&token),
            Some(json!({"lineItemIds": [line]})),
        )
        .await;
    assert_eq!(empty["cart"]["lineItems"], json!([]));
    let (status, _) = emu
        .call(
            "POST",
            "/ecom/v2/carts/current/estimate",
            Some(&token),
            Some(json!({})),
        )
        .await;
    assert_eq!(status, 404, "estimating an empty cart");
    assert_eq!(
        emu.ok("DELETE", "/ecom/v2/carts/current", Some(&token), None)
            .await,
        json!({})
    );
}

#[tokio::test]
async fn redirect_sessions_on_all_three_paths() {
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
    let checkout = emu
        .ok(
            "POST",
            "/ecom/v1/carts/current/create-checkout",
            Some(&token),
            Some(json!({"channelType": "WEB"})),
        )
        .await;
    let cart_id = cart["cart"]["id"].as_str().expect("cart id");
    for (path, checkout_id) in [
        (
            "/redirect-session/v1/redirect-session",
            checkout["checkoutId"].as_str().expect("id"),
        ),
        ("/_api/redirects-api/v1/redirect-session", cart_id),
        ("/headless/v1/redirect-session", cart_id),
    ] {
        let body = emu
            .ok("POST", path, Some(&token), Some(json!({"ecomCheckout": {"checkoutId": checkout_id},
                "callbacks": {"postFlowUrl": "https://shop.example.com/", "thankYouPageUrl": "https://shop.example.com/thank-you"}})))
            .await;
        assert_shape(
            "redirect",
            &json!({"redirectSession": {"id": "", "fullUrl": "", "shortUrl": "", "sessionToken": "",
            "urlDetails": {"endpoint": "", "searchParams": {}}}}),
            &body,
        );
    }
    let (other, _) = emu.visitor().await;
    let (status, _) = emu
        .call(
            "POST",
            "/headless/v1/redirect-session",
            Some(&other),
            Some(json!({"ecomCheckout": {"checkoutId": cart_id}})),
        )
        .await;
    assert_eq!(status, 404, "someone else's checkout");
    let (status, _) = emu
        .call(
            "POST",
            "/headless/v1/redirect-session",
            Some(&token),
            Some(json!({"ecomCheckout": {"checkoutId": cart_id}, "logout": {"clientId": "c"}})),
        )
        .await;
    assert_eq!(status, 400, "exactly one intent");
}
