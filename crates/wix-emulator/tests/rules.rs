//! The emulator refuses what Wix refuses (where Wix's sources agree) and accepts every shape
//! Wix's own clients send (where they disagree): one test per rule of `decisions.rs`, each
//! sending the wrong request and expecting Wix's refusal, and the shapes that must pass.

mod common;

use common::start;
use serde_json::{json, Value};

async fn search(emu: &common::Emu, token: &str, body: Value) -> (u16, Value) {
    emu.call(
        "POST",
        "/stores/v3/products/search",
        Some(token),
        Some(body),
    )
    .await
}

#[tokio::test]
async fn search_refuses_two_operators_in_one_field_object() {
    let emu = start().await;
    let (token, _) = emu.visitor().await;
    let (status, body) = search(
        &emu,
        &token,
        json!({"search": {"filter":
        {"actualPriceRange.minValue.amount": {"$gte": "10", "$lte": "50"}}}}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(body["details"]["validationError"].is_object());
    // The same bounds as two conditions pass.
    let (status, body) = search(
        &emu,
        &token,
        json!({"search": {"filter": {"$and": [
        {"actualPriceRange.minValue.amount": {"$gte": "10"}},
        {"actualPriceRange.maxValue.amount": {"$lte": "50"}}]}}}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn search_refuses_undeclared_fields_and_unknown_operators() {
    let emu = start().await;
    let (token, _) = emu.visitor().await;
    for filter in [
        json!({"plainDescription": {"$eq": "x"}}),
        json!({"$and": [{"visible": true}, {"costRange.minValue": {"$gt": 1}}]}),
        json!({"name": {"$regex": "w.*"}}),
    ] {
        let (status, body) = search(&emu, &token, json!({"search": {"filter": filter}})).await;
        assert_eq!(status, 400, "{filter}: {body}");
    }
}

#[tokio::test]
async fn free_text_only_over_searchable_fields() {
    let emu = start().await;
    let (token, _) = emu.visitor().await;
    for text in [
        json!({"expression": "mug", "fields": ["name", "plainDescription"]}),
        json!({"expression": "mug", "fields": []}),
        json!({"expression": "mug", "fields": ["name"], "mode": "SOME"}),
    ] {
        let (status, body) = search(&emu, &token, json!({"search": {"search": text}})).await;
        assert_eq!(status, 400, "{text}: {body}");
    }
    for text in [
        json!({"expression": "mug", "fields": ["name"]}),
        json!({"expression": "mug", "fields": ["name"], "mode": "OR", "fuzzy": true}),
    ] {
        let (status, body) = search(&emu, &token, json!({"search": {"search": text}})).await;
        assert_eq!(status, 200, "{text}: {body}");
    }
}

#[tokio::test]
async fn unknown_requested_fields_are_refused_everywhere() {
    let emu = start().await;
    let (token, _) = emu.visitor().await;
    let (status, _) = search(
        &emu,
        &token,
        json!({"search": {}, "fields": ["CURRENCY", "PRICES"]}),
    )
    .await;
    assert_eq!(status, 400);
    let (status, _) = emu
        .call(
            "GET",
            "/stores/v3/products/slug/willow-tee?fields=EVERYTHING",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, 400);
    // Wix's clients send MIN_PRICE_VARIANT to Get By Slug: tolerated (§9.1).
    let (status, _) = emu
        .call(
            "GET",
            "/stores/v3/products/slug/willow-tee?fields=MIN_PRICE_VARIANT",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn amounts_may_be_strings_or_numbers() {
    let emu = start().await;
    let (token, _) = emu.visitor().await;
    let count = |amount: Value| {
        let emu = &emu;
        let token = token.clone();
        async move {
            emu.ok("POST", "/stores/v3/products/count", Some(&token),
                Some(json!({"filter": {"$and": [{"visible": true}, {"actualPriceRange.minValue.amount": {"$gte": amount}}]}})))
                .await["count"]
                .as_u64()
                .expect("count")
        }
    };
    let as_string = count(json!("40")).await;
    assert!(as_string > 0);
    assert_eq!(count(json!(40)).await, as_string);
}

#[tokio::test]
async fn fields_gate_what_wix_gates() {
    let emu = start().await;
    let (token, _) = emu.visitor().await;
    let get = |fields: &'static str| {
        let emu = &emu;
        let token = token.clone();
        async move {
            emu.ok(
                "GET",
                &format!("/stores/v3/products/slug/alpine-tee{fields}"),
                Some(&token),
                None,
            )
            .await["product"]
                .clone()
        }
    };
    let bare = get("").await;
    let variant = &bare["variantsInfo"]["variants"][0];
    assert!(variant["choices"][0].get("optionChoiceNames").is_none());
    assert!(variant["price"]["actualPrice"]
        .get("formattedAmount")
        .is_none());
    assert!(variant["price"].get("priceAfterDiscount").is_none());
    assert!(bare["variantSummary"].get("minPriceVariant").is_none());
    assert!(bare.get("infoSections").is_none());
    assert!(bare.get("breadcrumbsInfo").is_none());
    assert!(bare["media"].get("itemsInfo").is_none());
    let full = get("?fields=CURRENCY&fields=DISCOUNT_INFO&fields=MIN_PRICE_VARIANT&fields=INFO_SECTION&fields=VARIANT_OPTION_CHOICE_NAMES&fields=BREADCRUMBS_INFO&fields=MEDIA_ITEMS_INFO").await;
    let variant = &full["variantsInfo"]["variants"][0];
    assert!(variant["choices"][0]["optionChoiceNames"].is_object());
    assert!(variant["price"]["priceAfterDiscount"]["formattedAmount"].is_string());
    assert!(full["variantSummary"]["minPriceVariant"]["price"].is_object());
    assert!(full["infoSections"][0]["title"].is_string());
    assert!(
        full["infoSections"][0].get("plainDescription").is_none(),
        "needs INFO_SECTION_PLAIN_DESCRIPTION"
    );
    assert_eq!(
        full["breadcrumbsInfo"]["breadcrumbs"][0]["categorySlug"],
        "apparel"
    );
    assert!(full["media"]["itemsInfo"]["items"].is_array());
}

#[tokio::test]
async fn categories_accept_every_filter_wix_clients_send() {
    let emu = start().await;
    let (token, _) = emu.visitor().await;
    let tree = json!({"appNamespace": "@wix/stores", "treeKey": null});
    for query in [
        json!({"cursorPaging": {"limit": 100}}),
        json!({"filter": {}, "cursorPaging": {"limit": 100}}),
        json!({"filter": {"visible": true}, "cursorPaging": {"limit": 100}}),
        json!({"filter": {"name": {"$exists": true}}, "cursorPaging": {"limit": 100}}),
    ] {
        let body = emu
            .ok(
                "POST",
                "/categories/v1/categories/query",
                Some(&token),
                Some(json!({"treeReference": tree, "query": query})),
            )
            .await;
        let slugs: Vec<&str> = body["categories"]
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|c| c["slug"].as_str())
            .collect();
        assert!(
            slugs.contains(&"kitchen") && !slugs.contains(&"archive"),
            "{query}: {slugs:?}"
        );
    }
    // Refused: no tree, or a field the API does not declare.
    let (status, _) = emu
        .call(
            "POST",
            "/categories/v1/categories/query",
            Some(&token),
            Some(json!({"query": {}})),
        )
        .await;
    assert_eq!(status, 400);
    let (status, _) = emu
        .call(
            "POST",
            "/categories/v1/categories/query",
            Some(&token),
            Some(json!({"treeReference": tree, "query": {"filter": {"itemCounter": {"$gt": 1}}}})),
        )
        .await;
    assert_eq!(status, 400);
    // Pages follow cursors, the later ones carrying only the cursor.
    let first = emu
        .ok("POST", "/categories/v1/categories/query", Some(&token),
            Some(json!({"treeReference": tree, "query": {"filter": {"visible": true}, "cursorPaging": {"limit": 3}}})))
        .await;
    assert_eq!(first["pagingMetadata"]["hasNext"], true);
    let cursor = first["pagingMetadata"]["cursors"]["next"]
        .as_str()
        .expect("cursor");
    let second = emu
        .ok("POST", "/categories/v1/categories/query", Some(&token),
            Some(json!({"treeReference": tree, "query": {"cursorPaging": {"limit": 3, "cursor": cursor}}})))
        .await;
    assert_ne!(first["categories"][0]["id"], second["categories"][0]["id"]);
    // By slug, and the system category's id.
    let kitchen = emu
        .ok(
            "GET",
            "/categories/v1/categories/slug/kitchen?treeReference.appNamespace=@wix/stores",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(kitchen["category"]["name"], "Kitchen");
    let (status, _) = emu
        .call(
            "GET",
            "/categories/v1/categories/slug/archive?treeReference.appNamespace=@wix/stores",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, 404, "hidden");
    let all = emu
        .ok(
            "GET",
            "/stores/v3/all-products-category",
            Some(&token),
            None,
        )
        .await;
    assert!(all["categoryId"].is_string());
}

#[tokio::test]
async fn a_refused_add_is_a_200_with_a_line_that_confirms_nothing() {
    let emu = start().await;
    let (token, _) = emu.visitor().await;
    let (_, sold_out) = emu.variants(&token, "willow-tee").await;
    let cart = emu
        .ok("POST", "/ecom/v2/carts/current/add-line-items", Some(&token),
            Some(json!({"catalogItems": [{"quantity": 1, "catalogReference": sold_out.expect("sold out")}]})))
        .await["cart"]
        .clone();
    let line = &cart["lineItems"][0];
    assert_eq!(line["status"], "OUT_OF_STOCK");
    assert_eq!(line["quantityInfo"]["confirmedQuantity"], 0);
    assert_eq!(line["quantityInfo"]["requestedQuantity"], 1);
    assert_eq!(line["quantityInfo"]["availableQuantity"], 0);
}

#[tokio::test]
async fn media_serves_only_the_fill_form() {
    let emu = start().await;
    let (token, _) = emu.visitor().await;
    let product = emu.product(&token, "willow-tee").await;
    let url = product["media"]["main"]["image"]["url"]
        .as_str()
        .expect("url")
        .to_owned();
    let file = product["media"]["main"]["image"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let get = |url: String| {
        let http = emu.http.clone();
        async move { http.get(url).send().await.expect("image").status().as_u16() }
    };
    assert_eq!(get(url).await, 200);
    let base = format!("{}/media/{file}", emu.base);
    assert_eq!(
        get(format!("{base}/v1/fill/w_300,h_300,al_c,q_90/{file}")).await,
        200
    );
    assert_eq!(
        get(format!("{base}/v1/fit/w_300,h_300,al_c,q_90/{file}")).await,
        403
    );
    assert_eq!(
        get(format!("{base}/v1/fill/w_300,h_300,q_90/{file}")).await,
        403
    );
    assert_eq!(
        get(format!("{base}/v1/fill/w_300,h_300,al_c,q_90/other.svg")).await,
        403
    );
}

#[tokio::test]
async fn crafted_cursors_never_overflow_or_panic() {
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
    let emu = start().await;
    let (token, _) = emu.visitor().await;
    for offset in [
        json!(u64::MAX),
        json!(usize::MAX as u64 - 1),
        json!(-1),
        json!(1e30),
    ] {
        let cursor = URL_SAFE_NO_PAD.encode(
            json!({"kind": "Search", "filter": null, "sort": [], "search": null, "offset": offset})
                .to_string(),
        );
        let (status, body) = search(
            &emu,
            &token,
            json!({"search": {"cursorPaging": {"limit": 100, "cursor": cursor}}}),
        )
        .await;
        assert!(status == 200 || status == 400, "{offset}: {status} {body}");
        if status == 200 {
            assert_eq!(body["products"], json!([]), "{offset}");
        }
    }
    let (status, _) = emu
        .call("POST", "/categories/v1/categories/query", Some(&token), Some(json!({
            "treeReference": {"appNamespace": "@wix/stores"},
            "query": {"cursorPaging": {"limit": 1000, "cursor": URL_SAFE_NO_PAD.encode(format!("[null, {}]", u64::MAX))}}})))
        .await;
    assert_eq!(status, 200, "an offset past the end is an empty page");
}

/// An auth redirect session as Wix's clients build it, with `changes` merged into `authRequest`.
fn auth_session(changes: Value) -> Value {
    let mut request = json!({
        "clientId": "c", "codeChallenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        "codeChallengeMethod": "S256", "responseMode": "query", "responseType": "code",
        "scope": "offline_access", "state": "s1", "redirectUri": "http://127.0.0.1:9/auth/callback"});
    for (key, value) in changes.as_object().expect("an object") {
        if value.is_null() {
            request.as_object_mut().expect("object").remove(key);
        } else {
            request[key] = value.clone();
        }
    }
    json!({"auth": {"authRequest": request, "prompt": "login"}})
}

#[tokio::test]
async fn auth_sessions_take_every_shape_wixs_clients_send_and_nothing_incomplete() {
    let emu = start().await;
    let (token, _) = emu.visitor().await;
    let create = |body: Value| {
        let emu = &emu;
        let token = token.clone();
        async move {
            emu.call(
                "POST",
                "/headless/v1/redirect-session",
                Some(&token),
                Some(body),
            )
            .await
        }
    };
    // The SDK's hosted login; Wix's REST client's (no prompt); the direct login (no redirect
    // URI, a web message, a session token, prompt none).
    let (status, body) = create(auth_session(json!({}))).await;
    assert_eq!(status, 200, "{body}");
    let mut rest_client = auth_session(json!({"responseMode": "fragment"}));
    rest_client["auth"]
        .as_object_mut()
        .expect("auth")
        .remove("prompt");
    let (status, body) = create(rest_client).await;
    assert_eq!(status, 200, "{body}");
    let mut direct = auth_session(
        json!({"responseMode": "web_message", "redirectUri": null, "sessionToken": "JWS.session"}),
    );
    direct["auth"]["prompt"] = json!("none");
    let (status, body) = create(direct).await;
    assert_eq!(status, 200, "{body}");
    // Refused: no challenge, no client id, another challenge method, no redirect URI outside
    // web_message, an unknown response mode, a redirect URI the app does not allow.
    for changes in [
        json!({"codeChallenge": null}),
        json!({"clientId": null}),
        json!({"codeChallengeMethod": "plain"}),
        json!({"redirectUri": null}),
        json!({"responseMode": "form_post"}),
        json!({"redirectUri": "https://evil.example.com/auth/callback"}),
    ] {
        let (status, body) = create(auth_session(changes.clone())).await;
        assert_eq!(status, 400, "{changes}: {body}");
        assert!(body["details"]["validationError"].is_object(), "{body}");
    }
    let (status, _) =
        create(json!({"logout": {}, "callbacks": {"postFlowUrl": "http://127.0.0.1:9/"}})).await;
    assert_eq!(status, 400, "logout needs the client id");
}

#[tokio::test]
async fn hosted_login_answers_go_back_as_wix_sends_them() {
    let emu = start().await;
    let (token, _) = emu.visitor().await;
    let page = |body: Value| {
        let emu = &emu;
        let token = token.clone();
        async move {
            let (status, session) = emu
                .call(
                    "POST",
                    "/headless/v1/redirect-session",
                    Some(&token),
                    Some(body),
                )
                .await;
            assert_eq!(status, 200, "{session}");
            session["redirectSession"]["fullUrl"]
                .as_str()
                .expect("url")
                .to_owned()
        }
    };
    // A cancel goes back with OAuth's error and the state.
    let url = page(auth_session(json!({}))).await;
    let cancelled = emu
        .http
        .post(url.replace("/login?", "/login/cancel?"))
        .send()
        .await
        .expect("cancel");
    let location = cancelled.headers()["location"].to_str().expect("location");
    assert!(location
        .starts_with("http://127.0.0.1:9/auth/callback?error=access_denied&error_description="));
    assert!(location.ends_with("&state=s1"), "{location}");
    // Without a state in the request, none comes back.
    let url = page(auth_session(json!({"state": null}))).await;
    let answer = emu
        .http
        .post(&url)
        .form(&[("email", "ada@example.com"), ("password", "rustacean")])
        .send()
        .await
        .expect("login");
    let location = answer.headers()["location"].to_str().expect("location");
    assert!(
        location.contains("?code=") && !location.contains("state="),
        "{location}"
    );
    // prompt none: no Wix-domain session here, so login_required, as a web message.
    let mut silent = auth_session(json!({"responseMode": "web_message", "redirectUri": null}));
    silent["auth"]["prompt"] = json!("none");
    let url = page(silent).await;
    let html = emu.html(&url).await;
    assert!(
        html.contains("postMessage") && html.contains("login_required"),
        "{html}"
    );
}

#[tokio::test]
async fn member_reads_refuse_visitor_tokens() {
    let emu = start().await;
    let (token, _) = emu.visitor().await;
    let (status, body) = emu
        .call(
            "GET",
            "/members/v1/members/my?fieldsets=FULL",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["message"], "Missing site member id");
    let (status, _) = emu
        .call(
            "POST",
            "/ecom/v1/orders/search",
            Some(&token),
            Some(json!({"search": {}})),
        )
        .await;
    assert_eq!(status, 403);
}
