//! The member API (`members`, `orders`) against the Wix emulator over real HTTP: the hosted
//! login with PKCE, every way a return can fail, the current member, a member's own orders and
//! the logout.

use std::net::SocketAddr;

use wix_emulator::{EmulatorConfig, RunningEmulator};
use wix_headless::{
    cart::{Callbacks, CatalogReference, LineItemInput},
    members::{AuthCallback, OAuthData, SignInError},
    orders::{FulfillmentStatus, PaymentStatus},
    ClientConfig, TokenRole, Tokens, WixClient, WixError,
};

const CALLBACK: &str = "http://127.0.0.1:9/auth/callback";

struct Setup {
    _emulator: RunningEmulator,
    client: WixClient,
    http: reqwest::Client,
    _dir: tempfile::TempDir,
}

async fn setup() -> Setup {
    let dir = tempfile::tempdir().expect("temp dir");
    let emulator = RunningEmulator::start(
        EmulatorConfig::new(dir.path().join("db.sqlite")),
        SocketAddr::from(([127, 0, 0, 1], 0)),
    )
    .await
    .expect("emulator starts");
    let client = WixClient::new(
        ClientConfig::new("test-client")
            .base_url(emulator.base_url())
            .media_base_url(format!("{}/media/", emulator.base_url())),
    )
    .expect("client");
    Setup {
        _emulator: emulator,
        client,
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http"),
        _dir: dir,
    }
}

impl Setup {
    async fn visitor_token(&self) -> String {
        self.client
            .anonymous_tokens()
            .await
            .expect("visitor")
            .access_token
            .value
    }

    /// The hosted login page for a new sign-in: its URL and the sign-in's data.
    async fn login_page(&self) -> (String, OAuthData) {
        let data = OAuthData::generate(CALLBACK);
        let url = self
            .client
            .member_login_url(&self.visitor_token().await, &data)
            .await
            .expect("login url");
        (url, data)
    }

    /// Signs in on the hosted page with `password`; the query Wix sends back.
    async fn log_in(&self, url: &str, password: &str) -> Result<String, u16> {
        let answer = self
            .http
            .post(url)
            .form(&[("email", "ada@example.com"), ("password", password)])
            .send()
            .await
            .expect("login");
        if !answer.status().is_redirection() {
            return Err(answer.status().as_u16());
        }
        let location = answer.headers()["location"].to_str().expect("location");
        let (target, query) = location.split_once('?').expect("a query");
        assert_eq!(target, CALLBACK, "back to the redirect URI");
        Ok(query.to_owned())
    }

    async fn member(&self) -> Tokens {
        let (url, data) = self.login_page().await;
        let query = self.log_in(&url, "rustacean").await.expect("signed in");
        self.client
            .member_tokens(AuthCallback::parse(&query).expect("callback"), &data)
            .await
            .expect("member tokens")
    }
}

#[tokio::test]
async fn a_member_signs_in_with_pkce_and_is_known() {
    let setup = setup().await;
    let (url, data) = setup.login_page().await;
    assert_eq!(
        setup.log_in(&url, "wrong").await,
        Err(401),
        "a wrong password stays on Wix's page"
    );
    let query = setup.log_in(&url, "rustacean").await.expect("signed in");
    let callback = AuthCallback::parse(&query).expect("callback");
    let tokens = setup
        .client
        .member_tokens(callback.clone(), &data)
        .await
        .expect("tokens");
    assert_eq!(tokens.refresh_token.role, TokenRole::Member);
    assert!(setup.client.is_valid(&tokens));
    // The code works once.
    assert_eq!(
        setup.client.member_tokens(callback, &data).await,
        Err(SignInError::CodeRefused)
    );
    let member = setup
        .client
        .current_member(&tokens.access_token.value)
        .await
        .expect("read")
        .expect("a member");
    assert_eq!(member.display_name(), "Ada Lovelace");
    assert_eq!(member.email.as_deref(), Some("ada@example.com"));
    // Renewal keeps the member a member.
    let renewed = setup
        .client
        .renew_token(&tokens.refresh_token)
        .await
        .expect("renewed");
    assert_eq!(renewed.refresh_token.role, TokenRole::Member);
    // A visitor is nobody in particular: not an error.
    let visitor = setup.visitor_token().await;
    assert_eq!(setup.client.current_member(&visitor).await, Ok(None));
}

#[tokio::test]
async fn a_return_that_is_not_this_sign_ins_gives_no_tokens() {
    let setup = setup().await;
    let (url, data) = setup.login_page().await;
    let query = setup.log_in(&url, "rustacean").await.expect("signed in");
    // Another browser's sign-in (another state and verifier).
    let other = OAuthData::generate(CALLBACK);
    let callback = AuthCallback::parse(&query).expect("callback");
    assert_eq!(
        setup.client.member_tokens(callback.clone(), &other).await,
        Err(SignInError::StateMismatch)
    );
    // The right state but a forged verifier: Wix refuses the code.
    let forged = OAuthData {
        code_verifier: other.code_verifier,
        ..data.clone()
    };
    assert_eq!(
        setup.client.member_tokens(callback, &forged).await,
        Err(SignInError::CodeRefused)
    );
    // The shopper cancels on Wix's page: an error comes back, with the state.
    let (url, data) = setup.login_page().await;
    let cancel = url.replace("/login?", "/login/cancel?");
    let answer = setup.http.post(&cancel).send().await.expect("cancel");
    let location = answer.headers()["location"].to_str().expect("location");
    let callback = AuthCallback::parse(location.split_once('?').expect("query").1).expect("parsed");
    assert!(
        matches!(&callback, AuthCallback::Refused { error, state, .. }
        if error == "access_denied" && state.as_deref() == Some(data.state.as_str()))
    );
    assert!(matches!(
        setup.client.member_tokens(callback, &data).await,
        Err(SignInError::Refused { error, .. }) if error == "access_denied"
    ));
}

#[tokio::test]
async fn a_redirect_uri_the_app_does_not_allow_is_refused() {
    let setup = setup().await;
    let data = OAuthData::generate("https://evil.example.com/auth/callback");
    let refused = setup
        .client
        .member_login_url(&setup.visitor_token().await, &data)
        .await;
    assert!(
        matches!(refused, Err(WixError::Refused { status: 400, .. })),
        "{refused:?}"
    );
}

#[tokio::test]
async fn a_member_sees_their_own_orders_only() {
    let setup = setup().await;
    let wix = &setup.client;
    let member = setup.member().await;
    let token = &member.access_token.value;
    assert_eq!(
        wix.member_orders(token, None).await.expect("orders").orders,
        []
    );
    // An order through the hosted checkout, as the member.
    let product = wix
        .product_by_slug(token, "canyon-notebook")
        .await
        .expect("read")
        .expect("demo product");
    let cart = wix
        .add_to_cart(
            token,
            &[LineItemInput {
                quantity: 2,
                catalog_reference: CatalogReference::stores_product(&product.id, None),
            }],
        )
        .await
        .expect("added");
    let checkout = wix.checkout_id(token, &cart).await.expect("checkout");
    let callbacks = Callbacks {
        thank_you_page_url: Some("http://127.0.0.1:9/thank-you".into()),
        ..Callbacks::default()
    };
    let page = wix
        .checkout_redirect(token, &checkout, &callbacks)
        .await
        .expect("checkout page");
    let placed = setup.http.post(&page).send().await.expect("order");
    assert!(placed.status().is_redirection());
    let orders = wix.member_orders(token, None).await.expect("orders");
    assert_eq!(orders.orders.len(), 1);
    assert_eq!(orders.next_cursor, None);
    let order = &orders.orders[0];
    assert_eq!(order.number, "10001");
    assert_eq!(order.payment, PaymentStatus::Paid);
    assert_eq!(order.fulfillment, FulfillmentStatus::NotFulfilled);
    assert_eq!(order.lines[0].name, product.name);
    assert_eq!(order.lines[0].quantity, 2);
    assert!(order.total.as_ref().is_some_and(|t| !t.is_zero()));
    assert_eq!(
        wix.member_order(token, &order.id).await.expect("read"),
        Some(order.clone())
    );
    // Nobody else sees it: another member, and a visitor (refused, like Wix).
    let grace_query = {
        let (url, data) = setup.login_page().await;
        let answer = setup
            .http
            .post(&url)
            .form(&[("email", "grace@example.com"), ("password", "rustacean")])
            .send()
            .await
            .expect("login");
        let location = answer.headers()["location"].to_str().expect("location");
        (location.split_once('?').expect("query").1.to_owned(), data)
    };
    let grace = wix
        .member_tokens(
            AuthCallback::parse(&grace_query.0).expect("callback"),
            &grace_query.1,
        )
        .await
        .expect("grace");
    assert_eq!(
        wix.member_order(&grace.access_token.value, &order.id)
            .await
            .expect("read"),
        None
    );
    let visitor = setup.visitor_token().await;
    assert!(matches!(
        wix.member_orders(&visitor, None).await,
        Err(WixError::Refused { status: 403, .. })
    ));
}

#[tokio::test]
async fn logging_out_ends_the_members_tokens() {
    let setup = setup().await;
    let member = setup.member().await;
    let url = setup
        .client
        .logout_url(&member.access_token.value, "http://127.0.0.1:9/")
        .await
        .expect("logout page");
    let answer = setup.http.get(&url).send().await.expect("logout");
    let location = answer.headers()["location"].to_str().expect("location");
    assert!(location.starts_with("http://127.0.0.1:9/?"), "{location}");
    assert_eq!(
        setup.client.renew_token(&member.refresh_token).await,
        Err(WixError::InvalidGrant)
    );
    assert_eq!(
        setup
            .client
            .current_member(&member.access_token.value)
            .await,
        Err(WixError::Unauthorized)
    );
}
