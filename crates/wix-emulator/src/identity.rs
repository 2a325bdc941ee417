//! The `Authorization` header → the caller's identity (wix-api.md §1.2, §8.2).

use axum::{extract::FromRequestParts, http::request::Parts};

use crate::{
    error::ApiError,
    state::{now_unix, AppState},
    store::Identity,
};

/// The visitor or member an API call acts for.
pub struct Caller(pub Identity);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .ok_or(ApiError::Unauthenticated("Missing Authorization header"))?;
        // The SDK sends the raw token; some clients send `Bearer <token>` (UNCONFIRMED): accept both.
        let token = header.strip_prefix("Bearer ").unwrap_or(header).trim();
        if state.settings().force_unauthorized {
            return Err(ApiError::Unauthenticated("Token revoked (fault injection)"));
        }
        let (identity, expires_at) = state
            .store
            .identity_for_access_token(token)?
            .ok_or(ApiError::Unauthenticated("Invalid access token"))?;
        if expires_at <= now_unix() {
            return Err(ApiError::Unauthenticated("Access token expired"));
        }
        Ok(Caller(identity))
    }
}
