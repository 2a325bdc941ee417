//! Redirect sessions (wix-api.md §6): the hand-off to Wix-hosted checkout, login and logout
//! pages, on all three documented paths.

use axum::{body::Bytes, extract::State, http::StatusCode, routing::post, Json, Router};
use serde_json::{json, Value};

use super::products::parse_body;
use crate::{
    error::{ApiError, ApiResult},
    identity::Caller,
    state::{now_unix, AppState},
    store::RedirectSession,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/redirect-session/v1/redirect-session", post(create))
        .route("/_api/redirects-api/v1/redirect-session", post(create))
        .route("/headless/v1/redirect-session", post(create))
}

const INTENTS: &[&str] = &[
    "ecomCheckout",
    "login",
    "logout",
    "auth",
    "bookingsCheckout",
    "eventsCheckout",
    "paidPlansCheckout",
    "storesProduct",
    "bookingsBook",
    "ecomOrderPaymentRequest",
];
const CALLBACKS: &[&str] = &[
    "thankYouPageUrl",
    "postFlowUrl",
    "loginUrl",
    "cartPageUrl",
    "planListUrl",
    "bookingsServiceListUrl",
];
const MAX_CALLBACK_URL: usize = 2048;

async fn create(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body: Value = parse_body(&body)?;
    let given: Vec<&str> = INTENTS
        .iter()
        .copied()
        .filter(|i| body.get(*i).is_some())
        .collect();
    let intent = match given.as_slice() {
        [one] => *one,
        _ => {
            return Err(ApiError::validation(
                "intent",
                "exactly one intent is required",
            ))
        }
    };
    for name in CALLBACKS {
        if let Some(url) = body
            .pointer(&format!("/callbacks/{name}"))
            .and_then(Value::as_str)
        {
            if url.len() > MAX_CALLBACK_URL {
                return Err(ApiError::validation(
                    format!("callbacks.{name}"),
                    "must be at most 2048 characters",
                ));
            }
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(ApiError::validation(
                    format!("callbacks.{name}"),
                    "must be an absolute http(s) URL",
                ));
            }
        }
    }
    let page = match intent {
        "ecomCheckout" => {
            let checkout_id = body
                .pointer("/ecomCheckout/checkoutId")
                .and_then(Value::as_str)
                .ok_or_else(|| ApiError::validation("ecomCheckout.checkoutId", "is required"))?;
            // A v1 checkout id, or (Cart V2) the cart id itself; either must be the caller's.
            let cart = state.store.cart_for_checkout(checkout_id)?;
            if cart.is_none_or(|cart| cart.identity.id != caller.0.id) {
                return Err(ApiError::application(
                    StatusCode::NOT_FOUND,
                    "CHECKOUT_NOT_FOUND",
                    "Checkout not found",
                ));
            }
            // A V2 cart goes to checkout without create-checkout, so a site that cannot take
            // payments refuses here (UNCONFIRMED; see `decisions`).
            if state.settings().payments_disabled {
                return Err(ApiError::application(
                    StatusCode::PRECONDITION_REQUIRED,
                    "SITE_MUST_ACCEPT_PAYMENTS_TO_CREATE_CHECKOUT",
                    "The site must accept payments to create a checkout",
                ));
            }
            "checkout"
        }
        "auth" => {
            check_auth_request(&state, &body)?;
            "login"
        }
        "login" => "login",
        "logout" => {
            if body
                .pointer("/logout/clientId")
                .and_then(Value::as_str)
                .is_none()
            {
                return Err(ApiError::validation("logout.clientId", "is required"));
            }
            "logout"
        }
        other => {
            return Err(ApiError::application(
                StatusCode::NOT_IMPLEMENTED,
                "INTENT_NOT_SUPPORTED",
                format!("The emulator does not host '{other}' pages"),
            ))
        }
    };
    let session = RedirectSession {
        id: uuid::Uuid::new_v4().to_string(),
        intent: intent.to_owned(),
        identity_id: Some(caller.0.id.clone()),
        payload: body,
    };
    state.store.save_redirect_session(&session, now_unix())?;
    let endpoint = format!("{}/{page}", state.base_url);
    let full_url = format!("{endpoint}?session={}", session.id);
    Ok(Json(json!({"redirectSession": {
        "id": session.id,
        "fullUrl": full_url,
        "shortUrl": full_url,
        "sessionToken": session.id,
        "urlDetails": {"endpoint": endpoint, "searchParams": {"session": session.id}},
    }})))
}

/// The `auth` intent (§3, §9.3), in both shapes Wix's own clients send: the hosted login page
/// returning to a `redirectUri` (`responseMode` `query` or `fragment`; the SDK also sends
/// `auth.prompt`), and the direct login without one (`responseMode: "web_message"`, a
/// `sessionToken`, `prompt: "none"`).
fn check_auth_request(state: &AppState, body: &Value) -> ApiResult<()> {
    let text = |field: &str| {
        body.pointer(&format!("/auth/authRequest/{field}"))
            .and_then(Value::as_str)
    };
    for field in ["clientId", "codeChallenge"] {
        if text(field).is_none_or(str::is_empty) {
            return Err(ApiError::validation(
                format!("auth.authRequest.{field}"),
                "is required",
            ));
        }
    }
    if text("codeChallengeMethod").is_some_and(|m| m != "S256") {
        return Err(ApiError::validation(
            "auth.authRequest.codeChallengeMethod",
            "only S256 is supported",
        ));
    }
    let mode = text("responseMode").unwrap_or("query");
    if !matches!(mode, "query" | "fragment" | "web_message") {
        return Err(ApiError::validation(
            "auth.authRequest.responseMode",
            "must be query, fragment or web_message",
        ));
    }
    match text("redirectUri") {
        // Wix returns only to an allow-listed URI, matched exactly (UNCONFIRMED whether it
        // refuses here or on the login page; here fails earliest).
        Some(uri) if !state.settings().allows_redirect_uri(uri) => Err(ApiError::validation(
            "auth.authRequest.redirectUri",
            "is not one of the app's allowed redirect URIs",
        )),
        Some(_) => Ok(()),
        None if mode == "web_message" => Ok(()),
        None => Err(ApiError::validation(
            "auth.authRequest.redirectUri",
            "is required unless responseMode is web_message",
        )),
    }
}
