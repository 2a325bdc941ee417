//! Member sign-in, accounts and sign-out end to end over real HTTP: the storefront's router, the
//! Wix emulator's hosted login page, and a browser played by hand (cookies and redirects).
#![cfg(feature = "ssr")]

mod common;

use common::*;
use wix_storefront::api::cart::Checkout;

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// Every `name=value` a response set (removals included, as `name=`).
fn set_cookies(response: &reqwest::Response) -> Vec<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
        .collect()
}

fn named<'a>(cookies: &'a [String], name: &str) -> Option<&'a str> {
    cookies
        .iter()
        .find(|c| c.starts_with(&format!("{name}=")))
        .map(String::as_str)
}

/// A browser's cookie header from its cookies.
fn jar(cookies: &[&str]) -> String {
    cookies.join("; ")
}

/// One sign-in up to Wix's return: the sign-in cookie and the callback path the browser is sent
/// to, after logging in as `email` on the hosted page.
struct Return {
    sign_in_cookie: String,
    callback: String,
}

impl Store {
    /// Starts a sign-in (with the visitor's `cookie`, if any) returning to `return_to`.
    async fn start_sign_in(&self, cookie: Option<&str>, return_to: &str) -> (String, String) {
        let start = self
            .page(
                &format!("/auth/sign-in?return_to={}", urlencode(return_to)),
                cookie,
            )
            .await;
        assert_eq!(start.status(), 303);
        let cookies = set_cookies(&start);
        let sign_in_cookie = named(&cookies, "wix_sign_in")
            .expect("a sign-in cookie")
            .to_owned();
        let login_page = location(&start);
        assert!(
            login_page.starts_with(&self.emulator.base_url()),
            "to Wix's login page: {login_page}"
        );
        (sign_in_cookie, login_page)
    }

    async fn wix_return(&self, cookie: Option<&str>, email: &str, return_to: &str) -> Return {
        let (sign_in_cookie, login_page) = self.start_sign_in(cookie, return_to).await;
        let logged_in = self
            .http
            .post(&login_page)
            .form(&[("email", email), ("password", "rustacean")])
            .send()
            .await
            .expect("login");
        let back = location(&logged_in);
        let callback = back
            .strip_prefix(&self.base)
            .unwrap_or_else(|| panic!("back to the store: {back}"))
            .to_owned();
        assert!(callback.starts_with("/auth/callback?"), "{callback}");
        Return {
            sign_in_cookie,
            callback,
        }
    }

    /// Signs in as `email` from a browser holding `cookie`: the member's session cookie and
    /// where the store sent the browser.
    async fn sign_in(
        &self,
        cookie: Option<&str>,
        email: &str,
        return_to: &str,
    ) -> (String, String) {
        let back = self.wix_return(cookie, email, return_to).await;
        let mut cookies = vec![back.sign_in_cookie.as_str()];
        cookies.extend(cookie);
        let done = self.page(&back.callback, Some(&jar(&cookies))).await;
        assert_eq!(done.status(), 303);
        let set = set_cookies(&done);
        assert_eq!(
            named(&set, "wix_sign_in"),
            Some("wix_sign_in="),
            "the sign-in cookie is used once"
        );
        let member = named(&set, COOKIE_NAME)
            .expect("a member session")
            .to_owned();
        (member, location(&done))
    }

    /// The problem a failed return explains, from where the store sent the browser.
    fn problem_of(&self, response: &reqwest::Response) -> String {
        let target = location(response);
        assert!(target.starts_with("/account/sign-in?problem="), "{target}");
        target["/account/sign-in?problem=".len()..].to_owned()
    }
}

fn urlencode(text: &str) -> String {
    wix_storefront::url::encode_component(text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_signs_in_sees_their_account_and_signs_out() {
    let store = store().await;
    // Signed out, the account page asks to sign in (not an error).
    let (status, page) = store.text("/account", None).await;
    assert_eq!(status, 200);
    assert!(page.contains("data-testid=\"sign-in-prompt\""));
    assert!(page.contains("noindex"));
    assert!(page.contains("href=\"/auth/sign-in?return_to=%2Faccount\""));

    let (member, target) = store
        .sign_in(None, "ada@example.com", "/product/canyon-notebook")
        .await;
    assert_eq!(target, "/product/canyon-notebook", "back where they were");
    let (status, page) = store.text("/account", Some(&member)).await;
    assert_eq!(status, 200);
    assert!(page.contains("Ada Lovelace") && page.contains("ada@example.com"));
    assert!(page.contains("data-testid=\"no-orders\""));
    // The header greets them on every page, without a flash: it is in the server's HTML.
    let (_, product) = store.text("/product/canyon-notebook", Some(&member)).await;
    let link = product
        .split("data-testid=\"account-link\"")
        .nth(1)
        .and_then(|rest| rest.split("</a>").next())
        .expect("the account link");
    assert!(link.contains("Ada"), "{link}");

    // An order as the member, through Wix's hosted checkout.
    let added = store.add_one(Some(&member)).await;
    let member = added.unwrap_or(member);
    let checkout = store
        .http
        .post(format!("{}{}", store.base, Checkout::PATH))
        .header("cookie", &member)
        .header("origin", &store.base)
        .header("accept", "text/html")
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .expect("checkout");
    let wix_checkout = location(&checkout);
    assert!(
        wix_checkout.starts_with(&store.emulator.base_url()),
        "{wix_checkout}"
    );
    let placed = store.http.post(&wix_checkout).send().await.expect("order");
    assert!(placed.status().is_redirection());
    let (_, page) = store.text("/account", Some(&member)).await;
    assert!(page.contains("Order 10001"), "the order is listed");
    let order_path = page
        .split("href=\"/account/orders/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(|id| format!("/account/orders/{id}"))
        .expect("a link to the order");
    let (status, order) = store.text(&order_path, Some(&member)).await;
    assert_eq!(status, 200);
    assert!(order.contains("Order 10001") && order.contains("Canyon"));
    // Someone else's order, or nobody's: not found, and never an error.
    let (status, _) = store.text(&order_path, None).await;
    assert_eq!(status, 404);
    let (status, _) = store
        .text(
            "/account/orders/00000000-0000-0000-0000-000000000000",
            Some(&member),
        )
        .await;
    assert_eq!(status, 404);

    // Sign-out is a post from this site only.
    let forged = store
        .http
        .post(format!("{}/auth/sign-out", store.base))
        .header("cookie", &member)
        .header("origin", "https://evil.example.com")
        .send()
        .await
        .expect("forged");
    assert_eq!(forged.status(), 403);
    let out = store
        .http
        .post(format!("{}/auth/sign-out", store.base))
        .header("cookie", &member)
        .header("origin", &store.base)
        .send()
        .await
        .expect("sign out");
    assert_eq!(out.status(), 303);
    assert!(removes_cookie(&out), "the member's tokens are dropped");
    let wix_logout = location(&out);
    assert!(
        wix_logout.starts_with(&store.emulator.base_url()),
        "{wix_logout}"
    );
    let home = store
        .http
        .get(&wix_logout)
        .send()
        .await
        .expect("logout page");
    assert!(location(&home).starts_with(&format!("{}/", store.base)));
    // The old cookie, kept by a careless browser, is a visitor again (Wix ended its tokens).
    let (status, page) = store.text("/account", Some(&member)).await;
    assert_eq!(status, 200);
    assert!(page.contains("data-testid=\"sign-in-prompt\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitors_cart_comes_along_without_doubling() {
    let store = store().await;
    // Ada's own cart already holds one notebook from an earlier visit.
    let (ada, _) = store.sign_in(None, "ada@example.com", "/").await;
    store.add_one(Some(&ada)).await;
    assert_eq!(store.cart_count(&ada).await, 1);
    // As a visitor, in another browser, she adds two notebooks, then signs in.
    let visitor = store.add_one(None).await.expect("a visitor");
    let visitor = store.add_one(Some(&visitor)).await.unwrap_or(visitor);
    assert_eq!(store.cart_count(&visitor).await, 2);
    let (member, target) = store
        .sign_in(Some(&visitor), "ada@example.com", "/cart")
        .await;
    assert_eq!(target, "/cart");
    // Both notebooks are in her cart: what her cart lacked was added, nothing twice.
    assert_eq!(store.cart_count(&member).await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_failed_return_explains_itself_and_keeps_the_visitor() {
    let store = store().await;
    let visitor = store.add_one(None).await.expect("a visitor");
    let unchanged = |response: &reqwest::Response| {
        set_cookies(response)
            .iter()
            .all(|c| !c.starts_with(&format!("{COOKIE_NAME}=")))
    };

    // No sign-in in progress in this browser (or it was used already).
    let back = store
        .wix_return(Some(&visitor), "ada@example.com", "/")
        .await;
    let lost = store.page(&back.callback, Some(&visitor)).await;
    assert_eq!(store.problem_of(&lost), "expired");
    assert!(unchanged(&lost));

    // A return that belongs to another browser's sign-in (crossed states).
    let mine = store
        .wix_return(Some(&visitor), "ada@example.com", "/")
        .await;
    let theirs = store.wix_return(None, "grace@example.com", "/").await;
    let crossed = store
        .page(
            &theirs.callback,
            Some(&jar(&[&mine.sign_in_cookie, &visitor])),
        )
        .await;
    assert_eq!(store.problem_of(&crossed), "mismatch");
    assert!(unchanged(&crossed));

    // A replayed return: the same code again with the same cookie.
    let once = store
        .wix_return(Some(&visitor), "ada@example.com", "/")
        .await;
    let cookies = jar(&[&once.sign_in_cookie, &visitor]);
    let first = store.page(&once.callback, Some(&cookies)).await;
    assert_eq!(first.status(), 303);
    assert!(!unchanged(&first), "signed in the first time");
    let replay = store.page(&once.callback, Some(&cookies)).await;
    assert_eq!(store.problem_of(&replay), "code-refused");
    assert!(unchanged(&replay));

    // The shopper cancels on Wix's page.
    let (sign_in_cookie, login_page) = store.start_sign_in(Some(&visitor), "/").await;
    let cancelled = store
        .http
        .post(login_page.replace("/login?", "/login/cancel?"))
        .send()
        .await
        .expect("cancel");
    let callback = location(&cancelled)
        .strip_prefix(&store.base)
        .expect("back")
        .to_owned();
    let answer = store
        .page(&callback, Some(&jar(&[&sign_in_cookie, &visitor])))
        .await;
    assert_eq!(store.problem_of(&answer), "cancelled");
    assert!(unchanged(&answer));
    let (status, page) = store
        .text("/account/sign-in?problem=cancelled", Some(&visitor))
        .await;
    assert_eq!(status, 403);
    assert!(page.contains("You cancelled signing in"));

    // A return with neither a code nor an error.
    let (sign_in_cookie, _) = store.start_sign_in(Some(&visitor), "/").await;
    let odd = store
        .page(
            "/auth/callback?hello=world",
            Some(&jar(&[&sign_in_cookie, &visitor])),
        )
        .await;
    assert_eq!(store.problem_of(&odd), "malformed");

    // A sign-in left on Wix's page for longer than ten minutes.
    let stale = store
        .wix_return(Some(&visitor), "ada@example.com", "/")
        .await;
    store.clock.advance(601);
    let late = store
        .page(
            &stale.callback,
            Some(&jar(&[&stale.sign_in_cookie, &visitor])),
        )
        .await;
    assert_eq!(store.problem_of(&late), "expired");

    // Wix's token endpoint fails during the exchange.
    let (status, _) = store
        .text("/account/sign-in?problem=unavailable", None)
        .await;
    assert_eq!(status, 503);
    let outage = store
        .wix_return(Some(&visitor), "ada@example.com", "/")
        .await;
    store.emulator.set_settings(Settings {
        error_rate: 1.0,
        fault_path_prefix: Some("/oauth2/token".into()),
        ..Settings::default()
    });
    let failed = store
        .page(
            &outage.callback,
            Some(&jar(&[&outage.sign_in_cookie, &visitor])),
        )
        .await;
    assert_eq!(store.problem_of(&failed), "unavailable");
    assert!(unchanged(&failed));
    store.emulator.set_settings(Settings::default());

    // Through all of it the visitor kept their cart.
    assert_eq!(store.cart_count(&visitor).await, 1);
    // A return_to off the site is ignored.
    let (_, target) = store
        .sign_in(None, "ada@example.com", "https://evil.example.com/")
        .await;
    assert_eq!(target, "/");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_members_session_renews_and_ends_as_a_visitor() {
    let store = store().await;
    let (member, _) = store.sign_in(None, "ada@example.com", "/").await;
    // The member's access token expires during the visit: renewed on the way in, still Ada.
    store.clock.advance(5 * 3600);
    let page = store.page("/account", Some(&member)).await;
    let renewed = set_cookie(&page).expect("the renewed session is written");
    assert!(page.text().await.expect("html").contains("Ada Lovelace"));
    // Member pages are never kept for anyone else.
    let search = store.page("/search", Some(&renewed)).await;
    assert_eq!(search.headers().get("x-page-cache"), None);
    assert_eq!(search.headers()["cache-control"], "private, no-cache");
    // Wix ends the member's tokens (a sign-out on another device): at the next renewal the
    // refresh token is refused, and they are a visitor again, not an error page.
    revoke_by_logging_out(&store, &renewed).await;
    store.clock.advance(5 * 3600);
    let (status, page) = store.text("/account", Some(&renewed)).await;
    assert_eq!(status, 200);
    assert!(page.contains("data-testid=\"sign-in-prompt\""));
}

/// Ends a member's tokens at Wix, as a logout from another device would.
async fn revoke_by_logging_out(store: &Store, member_cookie: &str) {
    let out = store
        .http
        .post(format!("{}/auth/sign-out", store.base))
        .header("cookie", member_cookie)
        .header("origin", &store.base)
        .send()
        .await
        .expect("sign out");
    let wix_logout = location(&out);
    store
        .http
        .get(&wix_logout)
        .send()
        .await
        .expect("logout page");
}
