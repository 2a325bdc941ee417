//! Visitor sessions: the Wix tokens live in one encrypted, authenticated, HTTP-only cookie.
//!
//! A tower middleware on page and server-function routes reads the cookie, renews an expired
//! access token *before* the handler runs, hands the tokens over in a request extension
//! ([`Session`]), and writes the cookie on the way out when anything changed — so a renewal is
//! on the very response that needed it, whether the page streams or not.

use std::sync::{Arc, Mutex};

use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue},
    middleware::Next,
    response::Response,
};
use serde::{Deserialize, Serialize};
use tower_cookies::{
    cookie::{CookieJar, SameSite},
    Cookie, Cookies, Key,
};
use wix_headless::{auth::TokenRefresh, TokenRole, Tokens, WixError};

use super::{config::SessionSecrets, state::AppState};

/// The cookie's name over plain http (development on localhost).
pub const COOKIE_NAME: &str = "wix_session";
/// Its name when cookies are `Secure`: the `__Host-` prefix makes browsers refuse it unless it
/// was set over https, for this host only (no `Domain`), on `/`.
pub const SECURE_COOKIE_NAME: &str = "__Host-wix_session";

/// The session cookie's name for this deployment.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        SECURE_COOKIE_NAME
    } else {
        COOKIE_NAME
    }
}

/// Whether a request carries a cookie named `name`, read exactly as the cookie layer reads it
/// (tower-cookies: each `Cookie` header as UTF-8, split at `;`, names percent-decoded), so
/// that every layer agrees on who has a session.
pub fn carries_cookie(headers: &HeaderMap, name: &str) -> bool {
    request_cookies(headers).any(|cookie| cookie.name() == name)
}

/// The request's cookies, parsed as the cookie layer parses them.
fn request_cookies(headers: &HeaderMap) -> impl Iterator<Item = Cookie<'static>> + '_ {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| std::str::from_utf8(value.as_bytes()).ok())
        .flat_map(|text| text.split(';'))
        .filter_map(|pair| Cookie::parse_encoded(pair.to_owned()).ok())
}

/// For a request whose session cookie this request would leave exactly as it is (it opens
/// with the current key, needs no re-issue yet, and holds a visitor's tokens, not a member's,
/// with an access token that needs no renewal): what the cookie remembers of the cart. `None`
/// for anything else, which only the session layer may handle.
///
/// The page cache answers such a visitor with the page every visitor gets and their badge
/// (see `page_cache`); reading the cookie here as the session layer would keeps the two in step.
pub fn settled_visitor(state: &AppState, headers: &HeaderMap) -> Option<Option<CartSize>> {
    let name = cookie_name(state.config.secure_cookies);
    let mut jar = CookieJar::new();
    // In order, as the cookie layer adds them: of two cookies with one name, the last counts.
    request_cookies(headers).for_each(|cookie| jar.add_original(cookie));
    let now = state.wix.now();
    let (payload, reseal) = open(
        |key| jar.private(key).get(name).map(|c| c.value().to_owned()),
        &state.cookie_keys,
        state.wix.client_id(),
        now,
    )?;
    let settled = !reseal
        && payload.tokens.refresh_token.role != TokenRole::Member
        && state.wix.is_valid(&payload.tokens);
    settled.then_some(payload.cart)
}
/// `Cache-Control` of every page and answer for a visitor with a session: theirs alone.
pub const PRIVATE_PAGE: &str = "private, no-cache";
/// Visitors keep their cart for 30 days of inactivity.
const VISITOR_MAX_AGE_SECS: i64 = 30 * 24 * 3600;
/// Members are signed in for less long: their session carries an account, not just a cart.
const MEMBER_MAX_AGE_SECS: i64 = 7 * 24 * 3600;
/// With nothing else changed, the cookie is re-issued at most once a day to slide its expiry.
const REISSUE_AFTER_SECS: i64 = 24 * 3600;

/// What the cookie holds. The client id guards against tokens minted for another Wix app.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CookiePayload {
    client_id: String,
    tokens: Tokens,
    issued_at: i64,
    /// A signed-in member's short name, for the header (no Wix call per page to greet them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    member_name: Option<String>,
    /// The cart's size as last seen, for the header badge (no Wix call per page either).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cart: Option<CartSize>,
}

/// How many items the cart held when the store last saw it (after every change made through
/// the store, and on every read of the whole cart).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CartSize {
    pub items: u32,
    pub seen_at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CookieChange {
    Keep,
    Write,
    Remove,
}

#[derive(Debug)]
struct SessionState {
    tokens: Option<Tokens>,
    member_name: Option<String>,
    cart: Option<CartSize>,
    change: CookieChange,
}

/// The request's visitor session, shared by the middleware, SSR and server functions.
#[derive(Clone, Debug)]
pub struct Session(Arc<Mutex<SessionState>>);

impl Session {
    fn new(tokens: Option<Tokens>, change: CookieChange) -> Self {
        Self(Arc::new(Mutex::new(SessionState {
            tokens,
            member_name: None,
            cart: None,
            change,
        })))
    }

    /// A session without a cookie (requests the middleware did not see).
    pub fn anonymous() -> Self {
        Self::new(None, CookieChange::Keep)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, SessionState> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The visitor's own tokens, if this visitor has a session.
    pub fn tokens(&self) -> Option<Tokens> {
        self.lock().tokens.clone()
    }

    /// Renewed tokens of the same visitor or member: the cookie is written on this response.
    pub fn set_tokens(&self, tokens: Tokens) {
        let mut state = self.lock();
        state.tokens = Some(tokens);
        state.change = CookieChange::Write;
    }

    /// A new visitor's tokens: nothing of the previous session carries over.
    pub fn start_visitor(&self, tokens: Tokens) {
        let mut state = self.lock();
        state.tokens = Some(tokens);
        state.member_name = None;
        state.cart = None;
        state.change = CookieChange::Write;
    }

    /// The cart's size as last seen, if the store has seen it.
    pub fn cart_size(&self) -> Option<CartSize> {
        self.lock().cart
    }

    /// The cart now holds `items`: remembered in the cookie (written on this response if it
    /// differs, or if what was remembered is older than `refresh_after` seconds).
    pub fn remember_cart_size(&self, items: u32, now: i64, refresh_after: i64) {
        let mut state = self.lock();
        if state.tokens.is_none() {
            return;
        }
        let unchanged = state
            .cart
            .is_some_and(|known| known.items == items && now - known.seen_at < refresh_after);
        if !unchanged {
            state.cart = Some(CartSize {
                items,
                seen_at: now,
            });
            state.change = CookieChange::Write;
        }
    }

    /// The cart may have changed where the store cannot see (Wix's hosted checkout): the next
    /// page reads it again.
    pub fn forget_cart_size(&self) {
        let mut state = self.lock();
        if state.cart.take().is_some() {
            state.change = CookieChange::Write;
        }
    }

    /// The visitor is gone (refresh token rejected), or the member signed out: the cookie is
    /// removed.
    pub fn clear(&self) {
        let mut state = self.lock();
        state.tokens = None;
        state.member_name = None;
        state.cart = None;
        state.change = CookieChange::Remove;
    }

    /// A member signed in: their tokens replace the visitor's, and `name` greets them.
    pub fn sign_in(&self, tokens: Tokens, name: Option<String>) {
        let mut state = self.lock();
        state.tokens = Some(tokens);
        state.member_name = name;
        // The member's cart is another cart: read it again.
        state.cart = None;
        state.change = CookieChange::Write;
    }

    /// Whether a member is signed in (their tokens, not a visitor's).
    pub fn is_member(&self) -> bool {
        self.lock()
            .tokens
            .as_ref()
            .is_some_and(|t| t.refresh_token.role == TokenRole::Member)
    }

    /// The signed-in member's short name; `None` for a visitor.
    pub fn member_name(&self) -> Option<String> {
        let state = self.lock();
        let member = state
            .tokens
            .as_ref()
            .is_some_and(|t| t.refresh_token.role == TokenRole::Member);
        state.member_name.clone().filter(|_| member)
    }

    fn change(&self) -> CookieChange {
        self.lock().change
    }
}

/// The keys cookies are sealed with: the current one, and older ones still read.
#[derive(Clone)]
pub struct CookieKeys {
    pub current: Key,
    pub previous: Vec<Key>,
    /// The short-lived sign-in cookie's (see `sign_in`): a key of its own, current secret only.
    pub sign_in: Key,
}

impl CookieKeys {
    pub fn new(secrets: &SessionSecrets) -> Self {
        Self {
            sign_in: purpose_key(
                secrets.current.expose(),
                b"wix-storefront/sign-in-cookie/v1",
            ),
            current: cookie_key(secrets.current.expose()),
            previous: secrets
                .previous
                .iter()
                .map(|s| cookie_key(s.expose()))
                .collect(),
        }
    }
}

/// What the cookie key is for: a secret shared with another use yields other keys.
const KEY_PURPOSE: &[u8] = b"wix-storefront/session-cookie/v1";

/// Derives the session cookie's 64-byte key (encryption and signing) from a secret.
pub fn cookie_key(secret: &str) -> Key {
    purpose_key(secret, KEY_PURPOSE)
}

/// A 64-byte cookie key for one purpose, from a secret with HKDF-SHA256 and the purpose label.
fn purpose_key(secret: &str, purpose: &[u8]) -> Key {
    let kdf = hkdf::Hkdf::<sha2::Sha256>::new(None, secret.as_bytes());
    let mut key = [0u8; 64];
    // 64 bytes is far below HKDF-SHA256's limit of 8160, so this cannot fail.
    if kdf.expand(purpose, &mut key).is_err() {
        unreachable!("64 bytes is a valid HKDF-SHA256 output length");
    }
    Key::from(&key)
}

/// The longest a session lives without being re-issued, checked on the server from `issuedAt`
/// (the browser's `Max-Age` alone is not trusted).
fn max_age(role: TokenRole) -> i64 {
    match role {
        TokenRole::Member => MEMBER_MAX_AGE_SECS,
        TokenRole::Visitor | TokenRole::None => VISITOR_MAX_AGE_SECS,
    }
}

/// Clock skew tolerated for an `issuedAt` in the future.
const FUTURE_SKEW_SECS: i64 = 300;

/// Opens the session cookie (`sealed` opens its value with a key): with the current key, else
/// with an older one. `None` for a cookie that no key opens, that is malformed, or that has
/// expired; else its payload and whether it must be re-sealed on this response (an older key
/// opened it, or it was issued over a day ago and its expiry slides).
fn open(
    sealed: impl Fn(&Key) -> Option<String>,
    keys: &CookieKeys,
    client_id: &str,
    now: i64,
) -> Option<(CookiePayload, bool)> {
    let read = |key: &Key| {
        sealed(key).and_then(|value| serde_json::from_str::<CookiePayload>(&value).ok())
    };
    let (payload, stale_key) = match read(&keys.current) {
        Some(payload) => (payload, false),
        None => (keys.previous.iter().find_map(read)?, true),
    };
    let age = now - payload.issued_at;
    let fresh = age <= max_age(payload.tokens.refresh_token.role) && age >= -FUTURE_SKEW_SECS;
    let reseal = stale_key || age > REISSUE_AFTER_SECS;
    (payload.client_id == client_id && payload.tokens.has_refresh_token() && fresh)
        .then_some((payload, reseal))
}

/// The middleware: read, validate and renew, run the handler, write back.
pub async fn session_layer(
    State(state): State<AppState>,
    cookies: Cookies,
    mut request: Request,
    next: Next,
) -> Response {
    let name = cookie_name(state.config.secure_cookies);
    let present = cookies.get(name).is_some();
    let now = state.wix.now();
    let opened = open(
        |key| cookies.private(key).get(name).map(|c| c.value().to_owned()),
        &state.cookie_keys,
        state.wix.client_id(),
        now,
    );
    let session = match opened {
        // A tampered, truncated, foreign, expired or malformed cookie: start afresh, drop it.
        None if present => Session::new(None, CookieChange::Remove),
        None => Session::anonymous(),
        Some((payload, reseal)) => {
            // Re-sealed when an older key opened it, and once a day to slide its expiry.
            let session = Session::new(
                Some(payload.tokens.clone()),
                if reseal {
                    CookieChange::Write
                } else {
                    CookieChange::Keep
                },
            );
            {
                let mut opened = session.lock();
                opened.member_name = payload.member_name.clone();
                opened.cart = payload.cart;
            }
            match state
                .renewals
                .ensure_valid(&state.wix, &payload.tokens)
                .await
            {
                Ok(TokenRefresh::Unchanged) => {}
                Ok(TokenRefresh::Renewed(tokens)) => session.set_tokens(tokens),
                Ok(TokenRefresh::Rejected) => session.clear(),
                // Wix unreachable, or a refusal that is not an invalid grant: keep the cookie
                // and the cart; the call that needs the token reports the problem.
                Err(error @ WixError::Refused { .. }) => {
                    // Not the invalid-grant answer a dead refresh token gets (wix-api.md §2):
                    // treated as transient, but loud, since it may mean Wix changed its answer.
                    tracing::error!(%error, "the token endpoint refused a renewal unexpectedly; keeping the session");
                    metrics::counter!("wix_token_renewal_refusals_total").increment(1);
                }
                Err(error) => tracing::warn!(%error, "token renewal failed; keeping the session"),
            }
            session
        }
    };
    request.extensions_mut().insert(session.clone());
    let mut response = next.run(request).await;
    // Pages and answers for a visitor with a session carry personal state (the cart badge):
    // no shared cache may keep them.
    if !response.headers().contains_key(header::CACHE_CONTROL) {
        let value = if session.tokens().is_some() {
            PRIVATE_PAGE
        } else {
            "no-cache"
        };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    match session.change() {
        CookieChange::Keep => {}
        CookieChange::Remove => {
            let mut cookie = Cookie::from(name);
            cookie.set_path("/");
            cookie.set_secure(state.config.secure_cookies);
            cookies.remove(cookie);
        }
        CookieChange::Write => {
            if let Some(tokens) = session.tokens() {
                let max_age = max_age(tokens.refresh_token.role);
                let payload = CookiePayload {
                    client_id: state.wix.client_id().to_owned(),
                    tokens,
                    issued_at: now,
                    member_name: session.member_name(),
                    cart: session.cart_size(),
                };
                match serde_json::to_string(&payload) {
                    Ok(value) => cookies
                        .private(&state.cookie_keys.current)
                        .add(session_cookie(value, state.config.secure_cookies, max_age)),
                    Err(error) => tracing::error!(%error, "cannot serialise the session"),
                }
            }
        }
    }
    response
}

fn session_cookie(value: String, secure: bool, max_age_secs: i64) -> Cookie<'static> {
    private_cookie(cookie_name(secure), value, secure, max_age_secs)
}

/// A cookie for the server's eyes only: HTTP-only, `Lax`, the whole site, `Secure` over https
/// (where its name carries the `__Host-` prefix).
pub fn private_cookie(
    name: &'static str,
    value: String,
    secure: bool,
    max_age_secs: i64,
) -> Cookie<'static> {
    let mut cookie = Cookie::new(name, value);
    cookie.set_http_only(true);
    cookie.set_same_site(SameSite::Lax);
    cookie.set_path("/");
    cookie.set_secure(secure);
    cookie.set_max_age(tower_cookies::cookie::time::Duration::seconds(max_age_secs));
    cookie
}

#[cfg(test)]
mod tests {
    use super::*;
    use wix_headless::{AccessToken, RefreshToken};

    #[test]
    fn a_cookie_with_wix_sized_tokens_fits_in_4096_bytes() {
        // Real access tokens are about 1 KB; allow 1.5 KB to be safe, plus a long refresh token.
        let payload = CookiePayload {
            client_id: "7a1d2b3c-4e5f-6789-abcd-ef0123456789".into(),
            tokens: Tokens {
                access_token: AccessToken {
                    value: format!("OauthNG.JWS.{}", "x".repeat(1_500)),
                    expires_at: 1_767_225_600,
                },
                refresh_token: RefreshToken {
                    value: format!("JWS.{}", "y".repeat(400)),
                    role: TokenRole::Visitor,
                },
            },
            issued_at: 1_767_225_600,
            member_name: Some("Bartholomew-Maximilian".into()),
            cart: Some(CartSize {
                items: 99,
                seen_at: 1_767_225_600,
            }),
        };
        let jar = tower_cookies::cookie::CookieJar::new();
        let key = cookie_key("0123456789abcdef0123456789abcdef");
        let mut jar = jar;
        jar.private_mut(&key).add(session_cookie(
            serde_json::to_string(&payload).expect("serialises"),
            true,
            VISITOR_MAX_AGE_SECS,
        ));
        let header = jar.get(SECURE_COOKIE_NAME).expect("added").to_string();
        assert!(
            header.len() < 4096,
            "Set-Cookie would be {} bytes",
            header.len()
        );
        assert!(
            header.starts_with("__Host-wix_session=")
                && header.contains("HttpOnly")
                && header.contains("SameSite=Lax")
                && header.contains("Secure")
                && header.contains("Path=/")
                && !header.contains("Domain")
        );
    }

    #[test]
    fn keys_come_from_hkdf_with_a_purpose() {
        use sha2::{Digest, Sha512};
        let secret = "0123456789abcdef0123456789abcdef";
        let key = cookie_key(secret);
        assert_eq!(key.master(), cookie_key(secret).master(), "deterministic");
        assert_ne!(
            key.master(),
            cookie_key("another-secret-another-secret-0000").master()
        );
        // Not the plain digest the key used to be.
        assert_ne!(
            key.master(),
            Key::from(Sha512::digest(secret.as_bytes()).as_slice()).master()
        );
    }

    #[test]
    fn every_layer_reads_cookie_names_alike() {
        let headers = |value: &[u8]| {
            let mut headers = HeaderMap::new();
            headers.insert(
                header::COOKIE,
                HeaderValue::from_bytes(value).expect("header"),
            );
            headers
        };
        assert!(carries_cookie(&headers(b"a=1; wix_session=x"), COOKIE_NAME));
        assert!(
            carries_cookie(&headers(b"wix%5Fsession=x"), COOKIE_NAME),
            "encoded name"
        );
        assert!(
            carries_cookie(
                &headers("lang=\u{e9}; wix_session=x".as_bytes()),
                COOKIE_NAME
            ),
            "beside a non-ASCII cookie"
        );
        assert!(!carries_cookie(&headers(b"theme=dark"), COOKIE_NAME));
        assert!(!carries_cookie(&headers(b"xwix_session=1"), COOKIE_NAME));
    }
}
