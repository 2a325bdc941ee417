//! Pages Wix would host, at the emulator's own origin: checkout ("Place order" creates the
//! order and returns to the store's thank-you page), member login (completes PKCE) and logout.

use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::{Html, IntoResponse, Redirect, Response},
    routing::get,
    Form, Router,
};
use serde::Deserialize;
use serde_json::Value;

use crate::{
    cart,
    state::{now_iso, now_unix, AppState},
    store::{AuthCode, CartRow, IdentityKind, RedirectSession},
};

/// Demo member accounts of the hosted login page.
pub const DEMO_MEMBERS: &[(&str, &str, &str)] = &[
    ("ada@example.com", "Ada Lovelace", "rustacean"),
    ("grace@example.com", "Grace Hopper", "rustacean"),
];
const AUTH_CODE_TTL_SECS: i64 = 600;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/checkout", get(checkout_page).post(place_order))
        .route("/login", get(login_page).post(login))
        .route("/login/cancel", axum::routing::post(cancel_login))
        .route("/logout", get(logout))
}

#[derive(Deserialize)]
struct SessionQuery {
    session: String,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · Wix (emulator)</title><style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f}}\
         table{{width:100%;border-collapse:collapse}}td,th{{padding:.4rem;border-bottom:1px solid #ddd;text-align:left}}\
         button{{font:inherit;padding:.6rem 1.2rem;background:#116dff;color:#fff;border:0;border-radius:.4rem;cursor:pointer}}button.secondary{{background:#fff;color:#116dff;border:1px solid #116dff}}\
         .error{{color:#a1261b}}label{{display:block;margin:.6rem 0 .2rem;font-weight:600}}input,select{{font:inherit;padding:.4rem}}</style></head>\
         <body><p><small>Wix-hosted page (emulated)</small></p><h1>{title}</h1>{body}</body></html>",
        title = escape(title)
    )
}

fn problem(status: StatusCode, title: &str, message: &str) -> Response {
    (
        status,
        Html(page(
            title,
            &format!("<p class=\"error\">{}</p>", escape(message)),
        )),
    )
        .into_response()
}

// The error is the page to answer with, returned straight from the handler.
#[allow(clippy::result_large_err)]
fn session_of(state: &AppState, id: &str, intent: &[&str]) -> Result<RedirectSession, Response> {
    match state.store.redirect_session(id) {
        Ok(Some(session)) if intent.contains(&session.intent.as_str()) => Ok(session),
        Ok(_) => Err(problem(
            StatusCode::NOT_FOUND,
            "Link expired",
            "This link is not valid. Go back to the store and try again.",
        )),
        Err(error) => {
            tracing::error!(%error, "redirect session lookup");
            Err(problem(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong",
                "Please try again.",
            ))
        }
    }
}

/// A callback URL with Wix's query parameters added (`wixMemberLoggedIn` on every callback).
fn callback(
    session: &RedirectSession,
    name: &str,
    extra: &[(&str, &str)],
    member: bool,
) -> Option<String> {
    let url = session
        .payload
        .pointer(&format!("/callbacks/{name}"))
        .and_then(Value::as_str)?;
    let mut params: Vec<String> = extra
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    params.push(format!("wixMemberLoggedIn={member}"));
    let separator = if url.contains('?') { '&' } else { '?' };
    Some(format!("{url}{separator}{}", params.join("&")))
}

/// Sends the browser back to the store, as Wix does only for an origin on the OAuth app's
/// allowed domains over https (§9.2: "an unlisted or http origin 403s on return"); plain-http
/// loopback is allowed for development.
fn return_to(state: &AppState, url: &str) -> Response {
    if state.settings().allows_return_to(url) {
        Redirect::to(url).into_response()
    } else {
        problem(
            StatusCode::FORBIDDEN,
            "Return refused",
            "This store's address is not on the app's allowed domains, so Wix will not send you back to it.",
        )
    }
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn checkout_cart(state: &AppState, session: &RedirectSession) -> Option<CartRow> {
    let checkout_id = session
        .payload
        .pointer("/ecomCheckout/checkoutId")?
        .as_str()?;
    state.store.cart_for_checkout(checkout_id).ok().flatten()
}

async fn checkout_page(
    State(state): State<AppState>,
    Query(query): Query<SessionQuery>,
) -> Response {
    let session = match session_of(&state, &query.session, &["ecomCheckout"]) {
        Ok(session) => session,
        Err(response) => return response,
    };
    let Some(cart) = checkout_cart(&state, &session) else {
        return problem(
            StatusCode::NOT_FOUND,
            "Checkout",
            "This checkout no longer exists.",
        );
    };
    let member = cart.identity.kind == IdentityKind::Member;
    let back = callback(&session, "postFlowUrl", &[], member)
        .map(|url| format!("<p><a href=\"{}\">Back to the store</a></p>", escape(&url)))
        .unwrap_or_default();
    if let Some(order_id) = &cart.order_id {
        return Html(page(
            "Checkout",
            &format!(
                "<p>Order {} was already placed.</p>{back}",
                escape(order_id)
            ),
        ))
        .into_response();
    }
    let view = cart::cart_json(&state.catalog, &cart);
    let totals = cart::cart_totals(&state.catalog, &cart);
    let symbol = &state.catalog.currency().symbol;
    let rows: String = view["lineItems"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|line| {
            let options: Vec<String> = line["descriptionLines"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|d| {
                    let value = d["plainText"]["original"]
                        .as_str()
                        .or(d["colorInfo"]["original"].as_str())
                        .unwrap_or_default();
                    format!(
                        "{}: {value}",
                        d["name"]["original"].as_str().unwrap_or_default()
                    )
                })
                .collect();
            let available = line["availability"]["status"] == "AVAILABLE";
            format!(
                "<tr><td>{}<br><small>{}</small>{}</td><td>{}</td><td>{}</td></tr>",
                escape(line["productName"]["original"].as_str().unwrap_or_default()),
                escape(&options.join(", ")),
                if available {
                    ""
                } else {
                    "<br><small class=\"error\">Unavailable</small>"
                },
                line["quantity"],
                escape(
                    line["lineItemPrice"]["formattedAmount"]
                        .as_str()
                        .unwrap_or_default()
                ),
            )
        })
        .collect();
    let discount = if totals.discount.0 > 0 {
        format!("<p>Discount: −{}</p>", totals.discount.formatted(symbol))
    } else {
        String::new()
    };
    let body = format!(
        "<table><thead><tr><th>Item</th><th>Qty</th><th>Total</th></tr></thead><tbody>{rows}</tbody></table>\
         <p>Subtotal: {}</p>{discount}<p><strong>Total: <span data-testid=\"checkout-total\">{}</span></strong></p>\
         <form method=\"post\" action=\"/checkout?session={session}\"><button type=\"submit\">Place order</button></form>{back}",
        totals.subtotal.formatted(symbol),
        totals.total.formatted(symbol),
        session = escape(&session.id),
    );
    Html(page("Checkout", &body)).into_response()
}

async fn place_order(State(state): State<AppState>, Query(query): Query<SessionQuery>) -> Response {
    let session = match session_of(&state, &query.session, &["ecomCheckout"]) {
        Ok(session) => session,
        Err(response) => return response,
    };
    let Some(cart) = checkout_cart(&state, &session) else {
        return problem(
            StatusCode::NOT_FOUND,
            "Checkout",
            "This checkout no longer exists.",
        );
    };
    if cart.order_id.is_none() && cart::is_empty(&state.catalog, &cart) {
        return problem(
            StatusCode::CONFLICT,
            "Checkout",
            "Your cart is empty or its items are no longer available.",
        );
    }
    let snapshot = cart::cart_json(&state.catalog, &cart);
    let order = match state.store.place_order(&cart.id, &snapshot, &now_iso()) {
        Ok(Some((order_id, identity))) => (order_id, identity.kind == IdentityKind::Member),
        Ok(None) => {
            return problem(
                StatusCode::NOT_FOUND,
                "Checkout",
                "This checkout no longer exists.",
            )
        }
        Err(error) => {
            tracing::error!(%error, "place order");
            return problem(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Checkout",
                "The order could not be placed. Please try again.",
            );
        }
    };
    let (order_id, member) = order;
    let target = callback(
        &session,
        "thankYouPageUrl",
        &[("orderId", &order_id)],
        member,
    )
    .or_else(|| callback(&session, "postFlowUrl", &[], member));
    match target {
        Some(url) => return_to(&state, &url),
        None => Html(page(
            "Thank you",
            &format!("<p>Order {} placed.</p>", escape(&order_id)),
        ))
        .into_response(),
    }
}

fn auth_request(session: &RedirectSession) -> &Value {
    session
        .payload
        .pointer("/auth/authRequest")
        .unwrap_or(&Value::Null)
}

fn login_form(session: &RedirectSession, error: Option<&str>) -> String {
    let accounts: String = DEMO_MEMBERS
        .iter()
        .map(|(email, name, _)| {
            format!(
                "<option value=\"{email}\">{} ({email})</option>",
                escape(name)
            )
        })
        .collect();
    let error = error
        .map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>", escape(e)))
        .unwrap_or_default();
    format!(
        "{error}<form method=\"post\" action=\"/login?session={id}\">\
         <label for=\"email\">Member</label><select id=\"email\" name=\"email\">{accounts}</select>\
         <label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" value=\"\">\
         <p><small>Demo password: rustacean</small></p><button type=\"submit\">Log in</button></form>\
         <form method=\"post\" action=\"/login/cancel?session={id}\"><p><button type=\"submit\" class=\"secondary\">Cancel</button></p></form>",
        id = escape(&session.id)
    )
}

/// Where a sign-in's answer goes: back to the redirect URI in the query or the fragment (the
/// `state` only when the request had one, as Wix adds it), or to the page that opened this one
/// as a web message (the direct login, no redirect URI).
fn auth_answer(session: &RedirectSession, params: &[(&str, &str)]) -> Response {
    let request = auth_request(session);
    let text = |field: &str| request.get(field).and_then(Value::as_str);
    let mut params: Vec<(&str, &str)> = params.to_vec();
    if let Some(state) = text("state") {
        params.push(("state", state));
    }
    let Some(redirect_uri) = text("redirectUri") else {
        // web_message: the SDK's hidden frame listens for this message (UNCONFIRMED to which
        // origin Wix posts it; the code is useless without the verifier).
        let message: serde_json::Map<String, Value> = params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Value::String((*v).to_owned())))
            .collect();
        let script = format!(
            "<script>(window.opener||window.parent).postMessage({}, \"*\")</script>",
            Value::Object(message).to_string().replace('<', "\\u003c")
        );
        return Html(page(
            "Signing in",
            &format!("<p>Returning to the store…</p>{script}"),
        ))
        .into_response();
    };
    let query: String = params
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let url = if text("responseMode") == Some("fragment") {
        format!("{redirect_uri}#{query}")
    } else {
        let separator = if redirect_uri.contains('?') { '&' } else { '?' };
        format!("{redirect_uri}{separator}{query}")
    };
    Redirect::to(&url).into_response()
}

async fn login_page(State(state): State<AppState>, Query(query): Query<SessionQuery>) -> Response {
    let session = match session_of(&state, &query.session, &["auth", "login"]) {
        Ok(session) => session,
        Err(response) => return response,
    };
    // `prompt: "none"`: sign in without a page, from a session Wix already has. The emulator
    // keeps no Wix-domain session (and no IAM login for a `sessionToken`), so there is none.
    if session
        .payload
        .pointer("/auth/prompt")
        .and_then(Value::as_str)
        == Some("none")
    {
        return auth_answer(
            &session,
            &[
                ("error", "login_required"),
                ("error_description", "No member is signed in to Wix"),
            ],
        );
    }
    Html(page("Log in", &login_form(&session, None))).into_response()
}

/// The member closed the login page without signing in.
async fn cancel_login(
    State(state): State<AppState>,
    Query(query): Query<SessionQuery>,
) -> Response {
    let session = match session_of(&state, &query.session, &["auth", "login"]) {
        Ok(session) => session,
        Err(response) => return response,
    };
    if session.intent == "login" {
        return match callback(&session, "postFlowUrl", &[], false) {
            Some(url) => return_to(&state, &url),
            None => Html(page("Log in", "<p>Sign-in cancelled.</p>")).into_response(),
        };
    }
    auth_answer(
        &session,
        &[
            ("error", "access_denied"),
            ("error_description", "The member cancelled the sign-in"),
        ],
    )
}

#[derive(Deserialize)]
struct LoginForm {
    email: String,
    password: String,
}

async fn login(
    State(state): State<AppState>,
    Query(query): Query<SessionQuery>,
    Form(form): Form<LoginForm>,
) -> Response {
    let session = match session_of(&state, &query.session, &["auth", "login"]) {
        Ok(session) => session,
        Err(response) => return response,
    };
    let known = DEMO_MEMBERS
        .iter()
        .any(|(email, _, password)| *email == form.email && *password == form.password);
    if !known {
        return (
            StatusCode::UNAUTHORIZED,
            Html(page(
                "Log in",
                &login_form(&session, Some("Wrong email or password.")),
            )),
        )
            .into_response();
    }
    let request = auth_request(&session);
    let text = |field: &str| {
        request
            .get(field)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let now = now_unix();
    let identity = match state.store.member(&form.email, now) {
        Ok(identity) => identity,
        Err(error) => {
            tracing::error!(%error, "member identity");
            return problem(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Log in",
                "Please try again.",
            );
        }
    };
    if session.intent == "login" {
        // The `login` intent without PKCE: back to the store's post-flow page.
        return match callback(&session, "postFlowUrl", &[], true) {
            Some(url) => return_to(&state, &url),
            None => Html(page("Logged in", "<p>You are logged in.</p>")).into_response(),
        };
    }
    let code = uuid::Uuid::new_v4().simple().to_string();
    let saved = state.store.save_auth_code(
        &code,
        &AuthCode {
            identity,
            client_id: text("clientId").unwrap_or_default(),
            code_challenge: text("codeChallenge").unwrap_or_default(),
            redirect_uri: text("redirectUri"),
            expires_at: now + AUTH_CODE_TTL_SECS,
        },
    );
    if let Err(error) = saved {
        tracing::error!(%error, "auth code");
        return problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Log in",
            "Please try again.",
        );
    }
    auth_answer(&session, &[("code", &code)])
}

async fn logout(State(state): State<AppState>, Query(query): Query<SessionQuery>) -> Response {
    let session = match session_of(&state, &query.session, &["logout"]) {
        Ok(session) => session,
        Err(response) => return response,
    };
    // Wix: logout "invalidates the visitor or member token" (UNCONFIRMED when; here, when the
    // browser reaches the logout page).
    if let Some(identity) = &session.identity_id {
        if let Err(error) = state.store.revoke_tokens(identity) {
            tracing::error!(%error, "logout");
        }
    }
    match callback(&session, "postFlowUrl", &[], false) {
        Some(url) => return_to(&state, &url),
        None => Html(page("Logged out", "<p>You are logged out.</p>")).into_response(),
    }
}
