//! `POST /oauth2/token` (wix-api.md §2.1): anonymous and refresh-token grants, JSON or form
//! bodies, camelCase or snake_case keys.

use axum::{
    body::Bytes,
    extract::State,
    http::{header::CONTENT_TYPE, HeaderMap, StatusCode},
    routing::post,
    Json, Router,
};
use serde_json::{json, Map, Value};

use crate::{
    error::{ApiError, ApiResult},
    state::{now_unix, AppState},
    store::{Identity, IdentityKind},
    tokens,
};

pub fn routes() -> Router<AppState> {
    Router::new().route("/oauth2/token", post(token))
}

/// Token parameters, whichever encoding and key style the client used.
struct TokenParams(Map<String, Value>);

impl TokenParams {
    fn parse(headers: &HeaderMap, body: &Bytes) -> ApiResult<Self> {
        let is_form = headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        let map = if is_form {
            form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
                .collect()
        } else {
            match serde_json::from_slice::<Value>(body) {
                Ok(Value::Object(map)) => map,
                _ => return Err(ApiError::validation("body", "must be a JSON object")),
            }
        };
        Ok(Self(map))
    }

    /// Looks a parameter up by its camelCase name or its snake_case twin.
    fn get(&self, camel: &str) -> Option<&str> {
        let snake: String = camel
            .chars()
            .flat_map(|c| {
                if c.is_ascii_uppercase() {
                    vec!['_', c.to_ascii_lowercase()]
                } else {
                    vec![c]
                }
            })
            .collect();
        self.0
            .get(camel)
            .or_else(|| self.0.get(&snake))
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
    }
}

async fn token(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let params = TokenParams::parse(&headers, &body)?;
    params
        .get("clientId")
        .ok_or_else(|| ApiError::validation("clientId", "is required"))?;
    let now = now_unix();
    match params.get("grantType") {
        Some("anonymous") => {
            let identity = state.store.create_identity(IdentityKind::Visitor, now)?;
            issue(&state, &identity, true, now)
        }
        Some("refresh_token") => {
            let refresh = params
                .get("refreshToken")
                .ok_or_else(|| ApiError::validation("refreshToken", "is required"))?;
            // UNCONFIRMED error body (§2.1): 400 with the standard Wix body.
            let identity = state
                .store
                .identity_for_refresh_token(refresh)?
                .ok_or_else(|| {
                    ApiError::application(
                        StatusCode::BAD_REQUEST,
                        "INVALID_GRANT",
                        "Invalid refresh token",
                    )
                })?;
            // Refresh tokens are not rotated: the old one stays valid (§2.1).
            let mut response = issue(&state, &identity, false, now)?;
            response.0["refresh_token"] = Value::String(refresh.to_owned());
            Ok(response)
        }
        Some("authorization_code") => {
            let invalid = || {
                ApiError::application(
                    StatusCode::BAD_REQUEST,
                    "INVALID_GRANT",
                    "Invalid authorization code",
                )
            };
            let code = params
                .get("code")
                .ok_or_else(|| ApiError::validation("code", "is required"))?;
            let verifier = params
                .get("codeVerifier")
                .ok_or_else(|| ApiError::validation("codeVerifier", "is required"))?;
            let auth = state.store.take_auth_code(code)?.ok_or_else(invalid)?;
            let client_ok = params.get("clientId") == Some(auth.client_id.as_str());
            let redirect_ok = auth.redirect_uri.as_deref() == params.get("redirectUri");
            if !client_ok
                || !redirect_ok
                || auth.expires_at < now
                || pkce_s256(verifier) != auth.code_challenge
            {
                return Err(invalid());
            }
            issue(&state, &auth.identity, true, now)
        }
        Some(other) => Err(ApiError::validation(
            "grantType",
            format!("unsupported grant type '{other}'"),
        )),
        None => Err(ApiError::validation("grantType", "is required")),
    }
}

/// PKCE S256: `base64url(sha256(verifier))` without padding.
pub fn pkce_s256(verifier: &str) -> String {
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
    use sha2::{Digest, Sha256};
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

fn issue(
    state: &AppState,
    identity: &Identity,
    new_refresh: bool,
    now: i64,
) -> ApiResult<Json<Value>> {
    let ttl = state.settings().access_token_ttl_secs;
    let expires_at = now + ttl as i64;
    let access = tokens::access_token(&identity.id, now, expires_at);
    let refresh = new_refresh.then(|| tokens::refresh_token(&identity.id, now));
    state
        .store
        .save_tokens(identity, &access, expires_at, refresh.as_deref(), now)?;
    Ok(Json(json!({
        "access_token": access,
        "expires_in": ttl,
        "refresh_token": refresh.unwrap_or_default(),
        "token_type": "Bearer",
    })))
}
