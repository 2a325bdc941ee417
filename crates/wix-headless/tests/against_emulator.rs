//! `wix-headless` against the Wix emulator over real HTTP.

use std::{net::SocketAddr, time::Duration};

use wix_emulator::{EmulatorConfig, RunningEmulator};
use wix_headless::{
    auth::TokenRefresh,
    cart::{Callbacks, CartApi, CatalogReference, LineItemInput},
    catalog::{ProductSearch, SortOrder, LISTING_FIELDS, PRODUCT_PAGE_FIELDS},
    ClientConfig, FakeClock, TokenRole, Tokens, WixClient,
};

struct Setup {
    emulator: RunningEmulator,
    client: WixClient,
    clock: FakeClock,
    _dir: tempfile::TempDir,
}

fn any_port() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

async fn setup() -> Setup {
    setup_with(CartApi::default()).await
}

async fn setup_with(cart_api: CartApi) -> Setup {
    let dir = tempfile::tempdir().expect("temp dir");
    let emulator = RunningEmulator::start(
        EmulatorConfig::new(dir.path().join("db.sqlite")),
        any_port(),
    )
    .await
    .expect("emulator starts");
    let clock = FakeClock::at(now());
    let client = WixClient::with_clock(
        ClientConfig::new("test-client")
            .base_url(emulator.base_url())
            .cart_api(cart_api),
        clock.clone(),
    )
    .expect("client");
    Setup {
        emulator,
        client,
        clock,
        _dir: dir,
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs() as i64
}

#[tokio::test]
async fn anonymous_tokens_have_the_sdk_shape() {
    let s = setup().await;
    let tokens = s
        .client
        .generate_visitor_tokens(None)
        .await
        .expect("tokens");
    assert!(tokens.access_token.value.starts_with("OauthNG.JWS."));
    assert!(tokens.refresh_token.value.starts_with("JWS."));
    assert_eq!(tokens.refresh_token.role, TokenRole::Visitor);
    assert_eq!(tokens.access_token.expires_at, s.clock_now() + 14_400);
    // Valid tokens come back unchanged, without a call.
    let again = s
        .client
        .generate_visitor_tokens(Some(tokens.clone()))
        .await
        .expect("tokens");
    assert_eq!(again, tokens);
}

impl Setup {
    fn clock_now(&self) -> i64 {
        use wix_headless::Clock;
        self.clock.now()
    }
}

#[tokio::test]
async fn search_pages_through_the_whole_catalog_once() {
    let s = setup().await;
    let token = s
        .client
        .anonymous_tokens()
        .await
        .expect("tokens")
        .access_token
        .value;
    let mut seen = std::collections::HashSet::new();
    let mut page = s
        .client
        .search_products(
            &token,
            &ProductSearch::new(25).sort("name", SortOrder::Ascending),
            LISTING_FIELDS,
        )
        .await
        .expect("first page");
    loop {
        for product in &page.products {
            assert!(
                seen.insert(product.id.clone()),
                "{} seen twice",
                product.name
            );
            assert!(
                product.variants_info.is_none(),
                "search never returns variants"
            );
            let price = product.actual_price_range.as_ref().expect("price");
            assert!(price
                .min_value
                .formatted_amount
                .as_deref()
                .is_some_and(|f| f.starts_with('$')));
        }
        let Some(next) = page.paging_metadata.cursors.next.clone() else {
            break;
        };
        page = s
            .client
            .search_products(&token, &ProductSearch::after(25, next), LISTING_FIELDS)
            .await
            .expect("next page");
    }
    assert!(seen.len() >= 120, "{}", seen.len());
}

#[tokio::test]
async fn free_text_finds_misspelt_names() {
    let s = setup().await;
    let token = s
        .client
        .anonymous_tokens()
        .await
        .expect("tokens")
        .access_token
        .value;
    let page = s
        .client
        .search_products(
            &token,
            &ProductSearch::new(50).text("hodie"),
            LISTING_FIELDS,
        )
        .await
        .expect("search");
    assert!(!page.products.is_empty());
    assert!(
        page.products.iter().all(|p| p.name.contains("Hoodie")),
        "{:?}",
        page.products.iter().map(|p| &p.name).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn product_by_slug_has_variants_and_unknown_slugs_are_none() {
    let s = setup().await;
    let token = s
        .client
        .anonymous_tokens()
        .await
        .expect("tokens")
        .access_token
        .value;
    let first = s
        .client
        .search_products(&token, &ProductSearch::new(1), LISTING_FIELDS)
        .await
        .expect("search")
        .products
        .remove(0);
    let product = s
        .client
        .product_by_slug(&token, &first.slug, PRODUCT_PAGE_FIELDS)
        .await
        .expect("get")
        .expect("found");
    assert_eq!(product.id, first.id);
    assert!(!product.variants().is_empty());
    assert!(product.plain_description.is_some());
    assert!(s
        .client
        .product_by_slug(&token, "no-such-product", &[])
        .await
        .expect("get")
        .is_none());
    assert!(s
        .client
        .product_by_slug(&token, "../oauth2/token", &[])
        .await
        .expect("get")
        .is_none());
}

async fn purchasable(client: &WixClient, token: &str) -> (String, Option<String>) {
    let page = client
        .search_products(token, &ProductSearch::new(100), LISTING_FIELDS)
        .await
        .expect("search");
    for summary in page.products {
        let product = client
            .product_by_slug(token, &summary.slug, PRODUCT_PAGE_FIELDS)
            .await
            .expect("get")
            .expect("found");
        if let Some(variant) = product
            .variants()
            .iter()
            .find(|v| v.inventory_status.in_stock && !v.choices.is_empty())
        {
            return (product.id.clone(), Some(variant.id.clone()));
        }
    }
    panic!("no purchasable variant in the demo catalog");
}

#[tokio::test]
async fn cart_is_absent_until_the_first_add_and_silent_failures_add_nothing() {
    let s = setup().await;
    let token = s
        .client
        .anonymous_tokens()
        .await
        .expect("tokens")
        .access_token
        .value;
    assert!(s
        .client
        .current_cart(&token)
        .await
        .expect("get cart")
        .is_none());

    let (product_id, variant_id) = purchasable(&s.client, &token).await;
    let add = |quantity, variant: Option<&str>| LineItemInput {
        quantity,
        catalog_reference: CatalogReference::stores_product(&product_id, variant),
    };
    let cart = s
        .client
        .add_to_cart(&token, &[add(2, variant_id.as_deref())])
        .await
        .expect("add");
    assert_eq!(cart.item_count(), 2);
    assert_eq!(cart.quantity_of(&product_id, variant_id.as_deref()), 2);

    // Missing variant for a product with options: 200, nothing added (wix-api.md §5.2).
    let cart = s
        .client
        .add_to_cart(&token, &[add(1, None)])
        .await
        .expect("add");
    assert_eq!(cart.item_count(), 2);

    let error = s
        .client
        .add_to_cart(&token, &[add(0, variant_id.as_deref())])
        .await
        .expect_err("quantity 0");
    assert_eq!(error.status(), Some(400));

    let fetched = s
        .client
        .current_cart(&token)
        .await
        .expect("get")
        .expect("cart exists");
    assert_eq!(fetched.item_count(), 2);
}

#[tokio::test]
async fn renewal_keeps_the_visitor_and_its_cart() {
    let s = setup().await;
    let tokens = s.client.anonymous_tokens().await.expect("tokens");
    let (product_id, variant_id) = purchasable(&s.client, &tokens.access_token.value).await;
    s.client
        .add_to_cart(
            &tokens.access_token.value,
            &[LineItemInput {
                quantity: 1,
                catalog_reference: CatalogReference::stores_product(
                    &product_id,
                    variant_id.as_deref(),
                ),
            }],
        )
        .await
        .expect("add");

    assert_eq!(
        s.client.ensure_valid(&tokens).await.expect("check"),
        TokenRefresh::Unchanged
    );
    // 60 s before expiry the token already counts as expired.
    s.clock.advance(14_400 - 59);
    let TokenRefresh::Renewed(renewed) = s.client.ensure_valid(&tokens).await.expect("renew")
    else {
        panic!("expected a renewal");
    };
    assert_ne!(renewed.access_token.value, tokens.access_token.value);
    assert_eq!(
        renewed.refresh_token, tokens.refresh_token,
        "refresh token kept, role kept"
    );
    let cart = s
        .client
        .current_cart(&renewed.access_token.value)
        .await
        .expect("get")
        .expect("same cart");
    assert_eq!(cart.item_count(), 1);
    // The old refresh token still works after use.
    assert!(matches!(
        s.client.ensure_valid(&tokens).await.expect("renew"),
        TokenRefresh::Renewed(_)
    ));
}

#[tokio::test]
async fn rejected_refresh_token_mints_a_new_visitor() {
    let s = setup().await;
    let mut tokens = s.client.anonymous_tokens().await.expect("tokens");
    tokens.refresh_token.value = "JWS.forged".into();
    tokens.access_token.expires_at = 0;
    assert_eq!(
        s.client.ensure_valid(&tokens).await.expect("answer"),
        TokenRefresh::Rejected
    );
    let fresh = s
        .client
        .generate_visitor_tokens(Some(tokens.clone()))
        .await
        .expect("new visitor");
    assert_ne!(fresh.refresh_token.value, tokens.refresh_token.value);
}

#[tokio::test]
async fn unreachable_wix_is_an_error_not_a_new_visitor() {
    let s = setup().await;
    let mut tokens = s.client.anonymous_tokens().await.expect("tokens");
    tokens.access_token.expires_at = 0;
    // Nothing listens on port 9 of loopback: connection refused.
    let offline = WixClient::new(
        ClientConfig::new("test-client")
            .base_url("http://127.0.0.1:9")
            .timeout(Duration::from_secs(2)),
    )
    .expect("client");
    let error = offline
        .generate_visitor_tokens(Some(tokens))
        .await
        .expect_err("no network");
    assert!(error.is_transient(), "{error}");
    drop(s.emulator);
}

#[tokio::test]
async fn invalid_and_expired_tokens_get_401() {
    let s = setup().await;
    let error = s
        .client
        .current_cart("OauthNG.JWS.made-up")
        .await
        .expect_err("unknown token");
    assert!(error.is_unauthorized());
    assert_eq!(error.code(), Some("UNAUTHENTICATED"));
}

#[tokio::test]
async fn state_survives_an_emulator_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("db.sqlite");
    let first = RunningEmulator::start(EmulatorConfig::new(&db), any_port())
        .await
        .expect("start");
    let client = WixClient::new(ClientConfig::new("c").base_url(first.base_url())).expect("client");
    let tokens: Tokens = client.anonymous_tokens().await.expect("tokens");
    let (product_id, variant_id) = purchasable(&client, &tokens.access_token.value).await;
    client
        .add_to_cart(
            &tokens.access_token.value,
            &[LineItemInput {
                quantity: 3,
                catalog_reference: CatalogReference::stores_product(
                    &product_id,
                    variant_id.as_deref(),
                ),
            }],
        )
        .await
        .expect("add");
    first.stop();

    let second = RunningEmulator::start(EmulatorConfig::new(&db), any_port())
        .await
        .expect("restart");
    let client =
        WixClient::new(ClientConfig::new("c").base_url(second.base_url())).expect("client");
    let cart = client
        .current_cart(&tokens.access_token.value)
        .await
        .expect("token still valid")
        .expect("cart kept");
    assert_eq!(cart.item_count(), 3);
}

#[tokio::test]
async fn a_401_renews_once_and_retries_once() {
    let s = setup().await;
    let tokens = s.client.anonymous_tokens().await.expect("tokens");
    // The emulator revokes every access token; renewal still works, so the retry fails too
    // and the error comes back after exactly one renewal.
    s.emulator.set_settings(wix_emulator::Settings {
        force_unauthorized: true,
        ..s.emulator.settings()
    });
    s.emulator.reset_counters();
    let error = s
        .client
        .call_with_tokens(&tokens, |token| {
            let client = s.client.clone();
            async move { client.current_cart(&token).await }
        })
        .await
        .expect_err("still 401");
    assert!(
        matches!(error, wix_headless::auth::SessionError::Wix(ref e) if e.is_unauthorized()),
        "{error:?}"
    );
    assert_eq!(s.emulator.counter("POST /oauth2/token"), 1);
    assert_eq!(s.emulator.counter("GET /ecom/v2/carts/current"), 2);

    // A 401 with a dead refresh token means the visitor is gone.
    let mut forged = tokens.clone();
    forged.refresh_token.value = "JWS.forged".into();
    let error = s
        .client
        .call_with_tokens(&forged, |token| {
            let client = s.client.clone();
            async move { client.current_cart(&token).await }
        })
        .await
        .expect_err("gone");
    assert!(matches!(
        error,
        wix_headless::auth::SessionError::VisitorGone
    ));
}

#[tokio::test]
async fn token_endpoint_outage_keeps_the_visitor() {
    let s = setup().await;
    let mut tokens = s.client.anonymous_tokens().await.expect("tokens");
    tokens.access_token.expires_at = 0;
    s.emulator.set_settings(wix_emulator::Settings {
        error_rate: 1.0,
        fault_path_prefix: Some("/oauth2/token".into()),
        ..s.emulator.settings()
    });
    let error = s
        .client
        .generate_visitor_tokens(Some(tokens.clone()))
        .await
        .expect_err("503");
    assert_eq!(error.status(), Some(503));
    assert!(error.is_transient());
    s.emulator.set_settings(wix_emulator::Settings::default());
    let renewed = s
        .client
        .generate_visitor_tokens(Some(tokens.clone()))
        .await
        .expect("renewed");
    assert_eq!(
        renewed.refresh_token, tokens.refresh_token,
        "same visitor after the outage"
    );
}

#[tokio::test]
async fn oauth_strategy_matches_the_sdk() {
    use wix_headless::auth::OAuthStrategy;
    let s = setup().await;
    let strategy = OAuthStrategy::new(s.client.clone(), None);
    assert!(!strategy.logged_in());
    assert_eq!(strategy.get_tokens(), Tokens::empty());
    let cart = strategy
        .call(|token| {
            let client = s.client.clone();
            async move { client.current_cart(&token).await }
        })
        .await
        .expect("call");
    assert!(cart.is_none());
    let tokens = strategy.get_tokens();
    assert_eq!(tokens.refresh_token.role, TokenRole::Visitor);
    let renewed = strategy.renew_token().await.expect("forced renewal");
    assert_ne!(renewed.access_token.value, tokens.access_token.value);
    assert_eq!(strategy.get_tokens(), renewed);
}

#[tokio::test]
async fn both_cart_apis_behave_the_same() {
    for api in [CartApi::V1, CartApi::V2] {
        let s = setup_with(api).await;
        let token = s
            .client
            .anonymous_tokens()
            .await
            .expect("tokens")
            .access_token
            .value;
        assert!(
            s.client.current_cart(&token).await.expect("get").is_none(),
            "{api:?}"
        );
        assert!(
            s.client
                .cart_totals(&token)
                .await
                .expect("totals")
                .is_none(),
            "{api:?}"
        );
        let (product_id, variant_id) = purchasable(&s.client, &token).await;
        let item = |quantity| LineItemInput {
            quantity,
            catalog_reference: CatalogReference::stores_product(&product_id, variant_id.as_deref()),
        };
        let cart = s.client.add_to_cart(&token, &[item(2)]).await.expect("add");
        assert_eq!(cart.item_count(), 2, "{api:?}");
        let line = cart.lines[0].clone();
        assert!(
            line.available && !line.name.is_empty() && !line.options.is_empty(),
            "{api:?} {line:?}"
        );
        assert!(
            line.unit_price.formatted.starts_with('$'),
            "{api:?} {:?}",
            line.unit_price
        );
        assert_eq!(
            line.line_total.cents(),
            line.unit_price.cents() * 2,
            "{api:?}"
        );
        assert_eq!(line.slug.is_some(), true, "{api:?}");

        let cart = s
            .client
            .update_cart_quantity(&token, &line.id, 5)
            .await
            .expect("update");
        assert_eq!(cart.item_count(), 5, "{api:?}");
        let error = s
            .client
            .update_cart_quantity(&token, "no-such-line", 1)
            .await
            .expect_err("unknown line");
        assert_eq!(error.code(), Some("LINE_ITEM_NOT_FOUND_IN_CART"), "{api:?}");

        let totals = s
            .client
            .cart_totals(&token)
            .await
            .expect("totals")
            .expect("a cart");
        assert_eq!(
            totals.subtotal.cents(),
            line.unit_price.cents() * 5,
            "{api:?}"
        );
        assert_eq!(totals.total.cents(), totals.subtotal.cents(), "{api:?}");

        let checkout_id = s
            .client
            .checkout_id(&token, &cart)
            .await
            .expect("checkout id");
        let url = s
            .client
            .checkout_redirect(
                &token,
                &checkout_id,
                &Callbacks {
                    thank_you_page_url: Some("http://store.test/thank-you".into()),
                    post_flow_url: Some("http://store.test/".into()),
                    cart_page_url: Some("http://store.test/cart".into()),
                },
            )
            .await
            .expect("redirect session");
        assert!(url.starts_with(&s.emulator.base_url()), "{api:?} {url}");

        let cart = s
            .client
            .remove_cart_lines(&token, &[line.id.clone()])
            .await
            .expect("remove");
        assert_eq!(cart.item_count(), 0, "{api:?}");
        let error = s
            .client
            .remove_cart_lines(&token, &[line.id.clone()])
            .await
            .expect_err("removed twice");
        assert_eq!(error.code(), Some("LINE_ITEM_NOT_FOUND_IN_CART"), "{api:?}");
    }
}
