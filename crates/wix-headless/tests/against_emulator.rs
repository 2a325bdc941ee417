//! `wix-headless` against the Wix emulator over real HTTP.

use std::{net::SocketAddr, time::Duration};

use wix_emulator::{EmulatorConfig, RunningEmulator};
use wix_headless::{
    auth::TokenRefresh,
    cart::{assess_add, AddOutcome, Callbacks, CartApi, CatalogReference, LineItemInput, Refusal},
    catalog::{Availability, Product, ProductQuery, ProductSearch, ProductSort},
    ClientConfig, Decimal, ErrorCode, FakeClock, TokenRole, Tokens, WixClient, WixError,
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
            .media_base_url(format!("{}/media/", emulator.base_url()))
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

    async fn token(&self) -> String {
        self.client
            .anonymous_tokens()
            .await
            .expect("tokens")
            .access_token
            .value
    }

    async fn product(&self, token: &str, slug: &str) -> Product {
        self.client
            .product_by_slug(token, slug)
            .await
            .expect("get")
            .expect("found")
    }
}

#[tokio::test]
async fn search_pages_through_the_whole_catalog_once() {
    let s = setup().await;
    let token = s.token().await;
    let mut seen = std::collections::HashSet::new();
    let first = ProductSearch::first(ProductQuery::new().sorted(ProductSort::NameAscending), 25);
    let mut page = s
        .client
        .search_products(&token, &first)
        .await
        .expect("first page");
    loop {
        for product in &page.products {
            assert!(
                seen.insert(product.id.clone()),
                "{} seen twice",
                product.name
            );
            assert!(product.variants.is_empty(), "search never returns variants");
            assert!(
                product.price.from.formatted.starts_with('$'),
                "{:?}",
                product.price
            );
            assert!(!product.images.is_empty());
        }
        let Some(next) = page.next_cursor.clone() else {
            break;
        };
        page = s
            .client
            .search_products(&token, &first.next(next))
            .await
            .expect("next page");
    }
    assert!(seen.len() >= 120, "{}", seen.len());
}

#[tokio::test]
async fn free_text_finds_misspelt_names() {
    let s = setup().await;
    let token = s.token().await;
    let search = ProductSearch::first(ProductQuery::new().text("hodie"), 50);
    let page = s
        .client
        .search_products(&token, &search)
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
async fn filters_narrow_as_the_query_says() {
    let s = setup().await;
    let token = s.token().await;
    let categories = s.client.categories(&token).await.expect("categories");
    let kitchen = categories
        .iter()
        .find(|c| c.slug == "kitchen")
        .expect("kitchen");
    let query = ProductQuery::new()
        .in_category(&kitchen.id)
        .price_between(Some(Decimal::from(20)), Some(Decimal::from(60)))
        .in_stock_only(true)
        .sorted(ProductSort::PriceAscending);
    let page = s
        .client
        .search_products(&token, &ProductSearch::first(query.clone(), 100))
        .await
        .expect("search");
    assert!(!page.products.is_empty());
    for product in &page.products {
        assert_eq!(
            product.availability,
            Availability::InStock,
            "{}",
            product.name
        );
        // Wix filters and sorts on the prices before automatic discounts.
        let before_discount = product
            .price
            .was
            .as_ref()
            .filter(|_| product.price.discounted);
        let low = before_discount.map_or(product.price.from.amount, |w| w.amount);
        let high = product.price.to.as_ref().map_or(low, |t| t.amount);
        assert!(low >= Decimal::from(20), "{}: {low}", product.name);
        assert!(high <= Decimal::from(60), "{}: {high}", product.name);
    }
    let count = s
        .client
        .count_products(&token, &query)
        .await
        .expect("count");
    assert_eq!(count, page.products.len() as u64);
    // The count ignores free text, as Wix's does.
    let with_text = query.clone().text("zzzz");
    assert_eq!(
        s.client
            .count_products(&token, &with_text)
            .await
            .expect("count"),
        count
    );

    // Option filters go by choice ids.
    let tee = s.product(&token, "willow-tee").await;
    let black = tee.options[0].choices[0].clone();
    let by_choice = ProductQuery::new().with_any_choice(vec![black.id.clone()]);
    let page = s
        .client
        .search_products(&token, &ProductSearch::first(by_choice, 100))
        .await
        .expect("search");
    assert!(page.products.iter().any(|p| p.id == tee.id));
    assert!(page.products.iter().all(|p| p
        .options
        .iter()
        .any(|o| o.choices.iter().any(|c| c.id == black.id))));
}

#[tokio::test]
async fn categories_hide_the_system_and_hidden_ones() {
    let s = setup().await;
    let token = s.token().await;
    let categories = s.client.categories(&token).await.expect("categories");
    let slugs: Vec<&str> = categories.iter().map(|c| c.slug.as_str()).collect();
    assert!(slugs.contains(&"kitchen"));
    assert!(!slugs.contains(&"all-products"), "{slugs:?}");
    assert!(!slugs.contains(&"archive"), "hidden: {slugs:?}");
    let kitchen = s
        .client
        .category_by_slug(&token, "kitchen")
        .await
        .expect("by slug")
        .expect("found");
    assert_eq!(kitchen.name, "Kitchen");
    for missing in ["no-such-category", "archive", ".."] {
        let found = s
            .client
            .category_by_slug(&token, missing)
            .await
            .expect("by slug");
        assert!(found.is_none(), "{missing}");
    }
}

#[tokio::test]
async fn product_pages_have_everything_wix_gates() {
    let s = setup().await;
    let token = s.token().await;
    let product = s.product(&token, "willow-tee").await;
    assert!(!product.variants.is_empty());
    assert!(
        product.variants.iter().all(|v| !v.choices.is_empty()),
        "choice names"
    );
    assert!(product.description_html.is_some());
    assert!(product.images.len() > 1, "the gallery");
    assert!(!product.info_sections.is_empty(), "info sections");
    assert_eq!(product.breadcrumbs[0].slug.as_deref(), Some("apparel"));
    // Images come in the one resizing form, and the media host serves it.
    let url = product.images[0].fill(300, 300);
    assert!(url.contains("/v1/fill/w_300,h_300,al_c,q_90/"), "{url}");
    let http = reqwest::Client::new();
    assert_eq!(http.get(&url).send().await.expect("image").status(), 200);
    let other_form = url.replace("/v1/fill/", "/v1/fit/");
    assert_eq!(
        http.get(&other_form).send().await.expect("image").status(),
        403
    );

    // An automatic discount: the discounted price, the actual one struck.
    let sale = s.product(&token, "alpine-tee").await;
    let variant = &sale.variants[0];
    assert!(variant.price.discounted);
    assert!(variant.price.was.as_ref().expect("was").amount > variant.price.price.amount);
    assert_eq!(sale.ribbon.as_deref(), Some("Sale"));

    for missing in ["no-such-product", "../oauth2/token", ".."] {
        let found = s
            .client
            .product_by_slug(&token, missing)
            .await
            .expect("get");
        assert!(found.is_none(), "{missing}");
    }
    let by_ids = s
        .client
        .products_by_ids(&token, &[&product.id, "no-such-id"])
        .await
        .expect("by ids");
    assert_eq!(by_ids.len(), 1);
}

async fn purchasable(client: &WixClient, token: &str) -> (String, Option<String>) {
    let product = client
        .product_by_slug(token, "willow-tee")
        .await
        .expect("get")
        .expect("found");
    let variant = product
        .variants
        .iter()
        .find(|v| v.in_stock)
        .expect("an in-stock variant");
    (product.id.clone(), Some(variant.id.clone()))
}

fn item(product_id: &str, variant: Option<&str>, quantity: u32) -> LineItemInput {
    LineItemInput {
        quantity,
        catalog_reference: CatalogReference::stores_product(product_id, variant),
    }
}

#[tokio::test]
async fn cart_is_absent_until_the_first_add_and_refusals_are_read_from_the_cart() {
    for api in [CartApi::V1, CartApi::V2] {
        let s = setup_with(api).await;
        let token = s.token().await;
        assert!(s
            .client
            .current_cart(&token)
            .await
            .expect("get cart")
            .is_none());

        let (product_id, variant_id) = purchasable(&s.client, &token).await;
        let variant = variant_id.as_deref();
        let cart = s
            .client
            .add_to_cart(&token, &[item(&product_id, variant, 2)])
            .await
            .expect("add");
        assert_eq!(
            assess_add(None, &cart, &product_id, variant, 2),
            AddOutcome::Added { quantity: 2 }
        );
        assert_eq!(cart.item_count(), 2, "{api:?}");

        // No variant for a product with options: 200, and no line (§9.2).
        let after = s
            .client
            .add_to_cart(&token, &[item(&product_id, None, 1)])
            .await
            .expect("add");
        assert_eq!(after.item_count(), 2, "{api:?}");

        // A sold-out variant: 200, a line that confirms nothing.
        let tee = s.product(&token, "willow-tee").await;
        let sold_out = tee
            .variants
            .iter()
            .find(|v| !v.in_stock)
            .expect("a sold-out variant");
        let after = s
            .client
            .add_to_cart(&token, &[item(&product_id, Some(&sold_out.id), 1)])
            .await
            .expect("add");
        assert_eq!(
            assess_add(Some(&cart), &after, &product_id, Some(&sold_out.id), 1),
            AddOutcome::Refused(Refusal::Unavailable),
            "{api:?}"
        );
        assert_eq!(after.item_count(), 2, "{api:?}: nothing confirmed");

        let error = s
            .client
            .add_to_cart(&token, &[item(&product_id, variant, 0)])
            .await
            .expect_err("quantity 0");
        assert_eq!(error.status(), Some(400));
    }
}

#[tokio::test]
async fn limited_stock_confirms_what_is_left() {
    let s = setup().await;
    let token = s.token().await;
    let planner = s.product(&token, "linen-planner").await;
    let variant = planner
        .default_variant_id
        .clone()
        .or_else(|| planner.variants.first().map(|v| v.id.clone()));
    let cart = s
        .client
        .add_to_cart(&token, &[item(&planner.id, variant.as_deref(), 5)])
        .await
        .expect("add");
    assert_eq!(
        assess_add(None, &cart, &planner.id, variant.as_deref(), 5),
        AddOutcome::Partial {
            added: 3,
            requested: 5
        }
    );
    let line = &cart.lines[0];
    assert_eq!(
        (
            line.quantity,
            line.requested_quantity,
            line.available_quantity
        ),
        (3, 5, Some(3))
    );
    assert!(!line.available(), "more asked than is left blocks checkout");
    let cart = s
        .client
        .update_cart_quantity(&token, &line.id, 3)
        .await
        .expect("lower");
    assert!(cart.lines[0].available());
}

#[tokio::test]
async fn coupons_apply_and_come_off() {
    for api in [CartApi::V1, CartApi::V2] {
        let s = setup_with(api).await;
        let token = s.token().await;
        let (product_id, variant_id) = purchasable(&s.client, &token).await;
        s.client
            .add_to_cart(&token, &[item(&product_id, variant_id.as_deref(), 2)])
            .await
            .expect("add");
        let error = s
            .client
            .add_coupon(&token, "NOPE")
            .await
            .expect_err("unknown code");
        assert_eq!(error.code(), Some(&ErrorCode::CouponUnknown), "{api:?}");
        for (code, why) in [
            ("SUMMER2025", ErrorCode::CouponExpired),
            ("BIGSPENDER", ErrorCode::CouponNotApplicable),
        ] {
            let error = s.client.add_coupon(&token, code).await.expect_err(code);
            assert_eq!(error.code(), Some(&why), "{api:?} {code}");
        }
        let cart = s.client.add_coupon(&token, "SAVE10").await.expect("coupon");
        let coupon = cart.coupon.clone().expect("applied");
        assert_eq!(coupon.code, "SAVE10");
        let totals = s
            .client
            .cart_totals(&token)
            .await
            .expect("totals")
            .expect("cart");
        assert!(!totals.discount.is_zero(), "{api:?} {totals:?}");
        let cart = s
            .client
            .remove_coupon(&token, &coupon)
            .await
            .expect("remove coupon");
        assert!(cart.coupon.is_none(), "{api:?}");
    }
}

#[tokio::test]
async fn renewal_keeps_the_visitor_and_its_cart() {
    let s = setup().await;
    let tokens = s.client.anonymous_tokens().await.expect("tokens");
    let (product_id, variant_id) = purchasable(&s.client, &tokens.access_token.value).await;
    s.client
        .add_to_cart(
            &tokens.access_token.value,
            &[item(&product_id, variant_id.as_deref(), 1)],
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
    assert_eq!(error, WixError::Unauthorized);
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
            &[item(&product_id, variant_id.as_deref(), 3)],
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
        matches!(
            error,
            wix_headless::auth::SessionError::Wix(WixError::Unauthorized)
        ),
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
    assert_eq!(error, WixError::Unavailable { status: 503 });
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
        let cart = s
            .client
            .add_to_cart(&token, &[item(&product_id, variant_id.as_deref(), 2)])
            .await
            .expect("add");
        assert_eq!(cart.item_count(), 2, "{api:?}");
        let line = cart.lines[0].clone();
        assert!(
            line.available() && !line.name.is_empty() && !line.options.is_empty(),
            "{api:?} {line:?}"
        );
        assert!(
            line.unit_price.formatted.starts_with('$'),
            "{api:?} {:?}",
            line.unit_price
        );
        assert_eq!(
            line.line_total.amount,
            line.unit_price.amount * Decimal::from(2),
            "{api:?}"
        );
        assert!(line.slug.is_some(), "{api:?}");

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
        assert_eq!(error.code(), Some(&ErrorCode::LineItemNotFound), "{api:?}");

        let totals = s
            .client
            .cart_totals(&token)
            .await
            .expect("totals")
            .expect("a cart");
        assert_eq!(
            totals.subtotal.amount,
            line.unit_price.amount * Decimal::from(5),
            "{api:?}"
        );
        assert_eq!(totals.total.amount, totals.subtotal.amount, "{api:?}");
        assert_eq!(totals.delivery, None, "not calculated is not free");

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
            .remove_cart_lines(&token, std::slice::from_ref(&line.id))
            .await
            .expect("remove");
        assert_eq!(cart.item_count(), 0, "{api:?}");
        let error = s
            .client
            .remove_cart_lines(&token, std::slice::from_ref(&line.id))
            .await
            .expect_err("removed twice");
        assert_eq!(error.code(), Some(&ErrorCode::LineItemNotFound), "{api:?}");
    }
}
