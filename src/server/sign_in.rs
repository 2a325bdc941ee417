//! Member sign-in and sign-out (wix-api.md §3, §9.3), as plain navigations and a form post, so
//! they work without JavaScript:
//!
//! - `GET /auth/sign-in?return_to=` creates the hosted-login redirect session and sends the
//!   browser to Wix. The PKCE verifier, the state and the page to return to wait in a
//!   short-lived encrypted cookie (never in a URL); Wix sees only the challenge and the state.
//! - `GET /auth/callback` (Wix's return) takes that cookie (one use), checks the state,
//!   exchanges the code, carries the visitor's cart over, and stores the member's tokens in the
//!   session cookie. Every failure leaves the visitor's session as it was and explains itself on
//!   `/account/sign-in?problem=`.
//! - `POST /auth/sign-out` (CSRF-checked like every post) asks Wix for its logout page with the
//!   member's token, drops the member's tokens whatever Wix answered, and sends the browser
//!   through Wix's logout and back to the store as a visitor.

use axum::{
    extract::{Query, RawQuery, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Extension, Router,
};
use serde::{Deserialize, Serialize};
use tower_cookies::{Cookie, Cookies};
use wix_headless::{
    cart::{CatalogReference, LineItemInput},
    members::{AuthCallback, OAuthData, SignInError},
    TokenRole, Tokens,
};

use super::{
    cart::hand_off,
    session::{private_cookie, Session},
    state::AppState,
};
use crate::{
    api::{
        account::{SignInProblem, SIGN_IN_PATH, SIGN_IN_PROBLEM_PATH, SIGN_OUT_PATH},
        cart::CartNotice,
    },
    url::{safe_return_path, with_query_param, CART_PAGE},
};

/// Wix's return address: allow-list `PUBLIC_URL` + this in the Headless app's redirect URIs.
pub const CALLBACK_PATH: &str = "/auth/callback";
/// How long a sign-in may take on Wix's page.
const SIGN_IN_MAX_AGE_SECS: i64 = 600;
const FLOW_COOKIE: &str = "wix_sign_in";
const SECURE_FLOW_COOKIE: &str = "__Host-wix_sign_in";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(SIGN_IN_PATH, get(sign_in))
        .route(CALLBACK_PATH, get(callback))
        .route(SIGN_OUT_PATH, post(sign_out))
}

/// One sign-in in progress, kept in the browser between leaving for Wix and coming back.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Flow {
    state: String,
    code_verifier: String,
    redirect_uri: String,
    return_to: String,
    started_at: i64,
}

fn flow_cookie_name(secure: bool) -> &'static str {
    if secure {
        SECURE_FLOW_COOKIE
    } else {
        FLOW_COOKIE
    }
}

/// A 303 to `location` (a path on this site or a Wix URL), never cached.
fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    match HeaderValue::from_str(location) {
        Ok(value) => {
            response.headers_mut().insert(header::LOCATION, value);
        }
        Err(_) => {
            response
                .headers_mut()
                .insert(header::LOCATION, HeaderValue::from_static("/"));
        }
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn explain(problem: SignInProblem) -> Response {
    see_other(&with_query_param(
        SIGN_IN_PROBLEM_PATH,
        "problem",
        problem.code(),
    ))
}

#[derive(Deserialize)]
struct SignInQuery {
    return_to: Option<String>,
}

async fn sign_in(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    cookies: Cookies,
    Query(query): Query<SignInQuery>,
) -> Response {
    let return_to = safe_return_path(query.return_to.as_deref().unwrap_or("/account"));
    if session.is_member() {
        return see_other(&return_to);
    }
    // Any valid token may create the redirect session: the visitor's own (renewed on the way
    // in), else the server-wide one, so a visitor without a cart gets no identity minted.
    let token = match session.tokens() {
        Some(tokens) => Ok(tokens.access_token.value),
        None => state.shared_visitor.access_token(&state.wix).await,
    };
    let data = OAuthData::generate(format!("{}{CALLBACK_PATH}", state.config.public_url));
    let url = match token {
        Ok(token) => state.wix.member_login_url(&token, &data).await,
        Err(error) => Err(error),
    };
    let url = match url {
        Ok(url) => url,
        Err(error) => {
            tracing::warn!(%error, "could not start a sign-in");
            return explain(SignInProblem::Unavailable);
        }
    };
    let flow = Flow {
        state: data.state,
        code_verifier: data.code_verifier,
        redirect_uri: data.redirect_uri,
        return_to,
        started_at: state.wix.now(),
    };
    match serde_json::to_string(&flow) {
        Ok(value) => {
            let secure = state.config.secure_cookies;
            cookies
                .private(&state.cookie_keys.sign_in)
                .add(private_cookie(
                    flow_cookie_name(secure),
                    value,
                    secure,
                    SIGN_IN_MAX_AGE_SECS,
                ));
        }
        Err(error) => {
            tracing::error!(%error, "cannot serialise the sign-in");
            return explain(SignInProblem::Unavailable);
        }
    }
    // A link's navigation, not a form's: `form-action` does not govern it.
    see_other(&url)
}

/// The sign-in this browser started, if it is still fresh; the cookie is removed either way (a
/// return is read once).
fn take_flow(state: &AppState, cookies: &Cookies) -> Option<Flow> {
    let secure = state.config.secure_cookies;
    let name = flow_cookie_name(secure);
    let jar = cookies.private(&state.cookie_keys.sign_in);
    let flow = jar
        .get(name)
        .and_then(|cookie| serde_json::from_str::<Flow>(cookie.value()).ok());
    if cookies.get(name).is_some() {
        let mut gone = Cookie::from(name);
        gone.set_path("/");
        gone.set_secure(secure);
        cookies.remove(gone);
    }
    let age = state.wix.now() - flow.as_ref()?.started_at;
    flow.filter(|_| (0..=SIGN_IN_MAX_AGE_SECS).contains(&age))
}

async fn callback(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    cookies: Cookies,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(flow) = take_flow(&state, &cookies) else {
        return explain(SignInProblem::Expired);
    };
    let Some(answer) = AuthCallback::parse(query.as_deref().unwrap_or_default()) else {
        return explain(SignInProblem::Malformed);
    };
    let data = OAuthData {
        state: flow.state,
        code_verifier: flow.code_verifier,
        redirect_uri: flow.redirect_uri,
    };
    let member_tokens = match state.wix.member_tokens(answer, &data).await {
        Ok(tokens) => tokens,
        Err(error) => {
            tracing::warn!(%error, "a sign-in did not complete");
            return explain(match error {
                SignInError::Refused { error, .. } if error == "access_denied" => {
                    SignInProblem::Cancelled
                }
                SignInError::Refused { .. } => SignInProblem::Refused,
                SignInError::StateMismatch => SignInProblem::Mismatch,
                SignInError::CodeRefused => SignInProblem::CodeRefused,
                SignInError::Wix(_) => SignInProblem::Unavailable,
            });
        }
    };
    // Greeting is a nicety: a member without a profile, or a failed read, still signs in.
    let name = match state
        .wix
        .current_member(&member_tokens.access_token.value)
        .await
    {
        Ok(member) => member.map(|m| m.short_name()),
        Err(error) => {
            tracing::warn!(%error, "could not read the member who signed in");
            None
        }
    };
    let carried = carry_cart(&state, session.tokens(), &member_tokens).await;
    session.sign_in(member_tokens, name);
    if carried {
        see_other(&flow.return_to)
    } else {
        see_other(&with_query_param(
            CART_PAGE,
            "cart",
            CartNotice::NotAllCarried.code(),
        ))
    }
}

/// Moves what the visitor's cart holds into the member's. Whether Wix merges the carts on
/// sign-in is UNCONFIRMED (no Wix source merges or offers a call to), so only what the member's
/// cart lacks is added: right whether Wix merged them or not, and nothing the shopper chose is
/// lost. `false` when some line could not be carried over (the shopper is told).
async fn carry_cart(state: &AppState, visitor: Option<Tokens>, member: &Tokens) -> bool {
    let Some(visitor) = visitor.filter(|t| t.refresh_token.role == TokenRole::Visitor) else {
        return true;
    };
    let wix = &state.wix;
    let visitor_cart = match wix.current_cart(&visitor.access_token.value).await {
        Ok(Some(cart)) => cart,
        Ok(None) => return true,
        Err(error) => {
            tracing::warn!(%error, "could not read the visitor's cart at sign-in");
            return false;
        }
    };
    let member_token = &member.access_token.value;
    let member_cart = match wix.current_cart(member_token).await {
        Ok(cart) => cart,
        Err(error) => {
            tracing::warn!(%error, "could not read the member's cart at sign-in");
            return false;
        }
    };
    let held = |product: &str, variant: Option<&str>| {
        member_cart
            .as_ref()
            .and_then(|cart| cart.line_for(product, variant))
            .map_or(0, |line| line.quantity)
    };
    let missing: Vec<LineItemInput> = visitor_cart
        .lines
        .iter()
        .filter(|line| line.available())
        .filter_map(|line| {
            let quantity = line
                .quantity
                .saturating_sub(held(&line.product_id, line.variant_id.as_deref()));
            (quantity > 0).then(|| LineItemInput {
                quantity,
                catalog_reference: CatalogReference::stores_product(
                    &line.product_id,
                    line.variant_id.as_deref(),
                ),
            })
        })
        .collect();
    let unavailable = visitor_cart.lines.iter().any(|line| !line.available());
    if missing.is_empty() {
        return !unavailable;
    }
    match wix.add_to_cart(member_token, &missing).await {
        Ok(cart) => {
            let all_there = missing.iter().all(|item| {
                let variant = item.catalog_reference.variant_id();
                let product = &item.catalog_reference.catalog_item_id;
                let wanted = visitor_cart
                    .line_for(product, variant)
                    .map_or(0, |line| line.quantity);
                cart.line_for(product, variant)
                    .is_some_and(|line| line.quantity >= wanted)
            });
            all_there && !unavailable
        }
        Err(error) => {
            tracing::warn!(%error, "could not carry the visitor's cart over at sign-in");
            false
        }
    }
}

async fn sign_out(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> Response {
    let member = session.tokens().filter(|_| session.is_member());
    // Whatever Wix answers, this browser is signed out of the store.
    session.clear();
    let Some(member) = member else {
        return see_other("/");
    };
    let home = format!("{}/", state.config.public_url);
    match state
        .wix
        .logout_url(&member.access_token.value, &home)
        .await
    {
        Ok(url) => see_other(&hand_off(&state, &url)),
        Err(error) => {
            tracing::warn!(%error, "Wix's logout page could not be reached; signed out of the store only");
            see_other("/")
        }
    }
}
