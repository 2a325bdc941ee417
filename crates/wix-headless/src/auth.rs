//! Visitor tokens (wix-api.md §2): the token endpoint and the SDK's `generateVisitorTokens`,
//! with two deliberate differences from the SDK:
//! - the access token counts as expired `renew_margin_secs` early (default 60 s);
//! - a new visitor is minted only when the token endpoint answers OAuth's invalid grant for the
//!   refresh token ([`WixError::InvalidGrant`]). Any other failure (a timeout, a 5xx, a 4xx of
//!   another kind) is returned as an error, so the caller keeps the visitor (and the cart) and
//!   can try again, instead of silently starting over.

use reqwest::Method;
use serde::{Deserialize, Serialize};

use crate::{
    client::{decode, Failure, WixClient},
    error::WixError,
    tokens::{AccessToken, RefreshToken, TokenRole, Tokens},
};

#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TokenRequest<'a> {
    pub client_id: &'a str,
    pub grant_type: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<&'a str>,
    /// `authorization_code` only (crate::members).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_verifier: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_uri: Option<&'a str>,
}

#[derive(Deserialize)]
pub(crate) struct TokenResponse {
    pub access_token: String,
    pub expires_in: i64,
    #[serde(default)]
    pub refresh_token: Option<String>,
}

impl TokenResponse {
    /// New tokens for an identity of `role`, the answer received at `now`.
    pub(crate) fn into_tokens(self, now: i64, role: TokenRole) -> Tokens {
        Tokens {
            access_token: AccessToken {
                value: self.access_token,
                expires_at: now + self.expires_in,
            },
            refresh_token: RefreshToken {
                value: self.refresh_token.unwrap_or_default(),
                role,
            },
        }
    }
}

/// What [`WixClient::ensure_valid`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenRefresh {
    /// The tokens were still valid; nothing was sent.
    Unchanged,
    /// The access token was renewed with the refresh token (same visitor or member).
    Renewed(Tokens),
    /// The token endpoint answered invalid grant: the visitor (or member session) is gone.
    Rejected,
}

impl WixClient {
    pub(crate) async fn token_call(
        &self,
        request: &TokenRequest<'_>,
    ) -> Result<TokenResponse, WixError> {
        let answer = self
            .exchange(Method::POST, "/oauth2/token", None, Some(request))
            .await
            .map_err(|failure| match failure {
                Failure::Http {
                    status, ref body, ..
                } if WixError::is_invalid_grant_body(status, body) => WixError::InvalidGrant,
                other => other.into_error(),
            });
        let outcome = match &answer {
            Ok(_) => "ok",
            Err(WixError::InvalidGrant) => "invalid_grant",
            Err(error) if error.is_transient() => "unavailable",
            Err(_) => "refused",
        };
        let grant = request.grant_type.to_owned();
        metrics::counter!("wix_token_calls_total", "grant" => grant, "outcome" => outcome)
            .increment(1);
        let bytes = answer?;
        let response: TokenResponse = decode("/oauth2/token", &bytes)?;
        if response.access_token.is_empty() {
            return Err(WixError::Decode(
                "token response without access_token".into(),
            ));
        }
        Ok(response)
    }

    /// `grantType: anonymous`: a new visitor with new tokens.
    pub async fn anonymous_tokens(&self) -> Result<Tokens, WixError> {
        let now = self.now();
        let response = self
            .token_call(&TokenRequest {
                client_id: self.client_id(),
                grant_type: "anonymous",
                ..TokenRequest::default()
            })
            .await?;
        Ok(response.into_tokens(now, TokenRole::Visitor))
    }

    /// The SDK's `renewToken`: a new access token. Wix's REST client stores the refresh token
    /// the answer carries (whether Wix rotates it is UNCONFIRMED, §2.1): a returned one replaces
    /// the old, and without one the old is kept; the role stays either way.
    pub async fn renew_token(&self, refresh_token: &RefreshToken) -> Result<Tokens, WixError> {
        let now = self.now();
        let response = self
            .token_call(&TokenRequest {
                client_id: self.client_id(),
                grant_type: "refresh_token",
                refresh_token: Some(&refresh_token.value),
                ..TokenRequest::default()
            })
            .await?;
        Ok(Tokens {
            access_token: AccessToken {
                value: response.access_token,
                expires_at: now + response.expires_in,
            },
            refresh_token: RefreshToken {
                value: response
                    .refresh_token
                    .filter(|v| !v.is_empty())
                    .unwrap_or_else(|| refresh_token.value.clone()),
                role: refresh_token.role,
            },
        })
    }

    /// Whether `tokens` can be used now, given the renewal margin.
    pub fn is_valid(&self, tokens: &Tokens) -> bool {
        tokens.is_complete()
            && !tokens
                .access_token
                .is_expired(self.now(), self.config().renew_margin_secs)
    }

    /// Renews `tokens` when they have expired; never mints a new visitor.
    pub async fn ensure_valid(&self, tokens: &Tokens) -> Result<TokenRefresh, WixError> {
        if self.is_valid(tokens) {
            return Ok(TokenRefresh::Unchanged);
        }
        if !tokens.has_refresh_token() {
            return Ok(TokenRefresh::Rejected);
        }
        match self.renew_token(&tokens.refresh_token).await {
            Ok(renewed) => Ok(TokenRefresh::Renewed(renewed)),
            Err(WixError::InvalidGrant) => Ok(TokenRefresh::Rejected),
            Err(error) => Err(error),
        }
    }

    /// The SDK's `generateVisitorTokens(tokens?)` (§2.3): valid tokens come back unchanged;
    /// expired ones are renewed; with none, or a rejected refresh token, a new visitor is
    /// minted. Unlike the SDK, a transient renewal failure is an error, not a new visitor.
    pub async fn generate_visitor_tokens(
        &self,
        tokens: Option<Tokens>,
    ) -> Result<Tokens, WixError> {
        let Some(tokens) = tokens else {
            return self.anonymous_tokens().await;
        };
        match self.ensure_valid(&tokens).await? {
            TokenRefresh::Unchanged => Ok(tokens),
            TokenRefresh::Renewed(renewed) => Ok(renewed),
            TokenRefresh::Rejected => self.anonymous_tokens().await,
        }
    }
}

/// Why a call made with a visitor's tokens failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SessionError {
    /// The refresh token was rejected: this visitor (or member session) no longer exists.
    #[error("the visitor's session has ended")]
    VisitorGone,
    #[error(transparent)]
    Wix(#[from] WixError),
}

impl WixClient {
    /// Runs `call` with the access token of `tokens`. On a 401 the token is renewed once and the
    /// call retried once (a 401 means Wix did not act, so retrying cannot duplicate a change).
    /// Returns the renewed tokens, if a renewal happened, for the caller to store.
    pub async fn call_with_tokens<T, F, Fut>(
        &self,
        tokens: &Tokens,
        call: F,
    ) -> Result<(T, Option<Tokens>), SessionError>
    where
        F: Fn(String) -> Fut,
        Fut: std::future::Future<Output = Result<T, WixError>>,
    {
        match call(tokens.access_token.value.clone()).await {
            Err(WixError::Unauthorized) => {
                let renewed = match self.renew_token(&tokens.refresh_token).await {
                    Ok(renewed) => renewed,
                    Err(WixError::InvalidGrant) => return Err(SessionError::VisitorGone),
                    Err(error) => return Err(error.into()),
                };
                let value = call(renewed.access_token.value.clone()).await?;
                Ok((value, Some(renewed)))
            }
            Err(error) => Err(error.into()),
            Ok(value) => Ok((value, None)),
        }
    }
}

/// The JS SDK's `OAuthStrategy` for one visitor or member, for code that holds a single
/// identity (scripts, tests, a CLI). A server with many visitors keeps their tokens elsewhere
/// (the storefront: an encrypted cookie) and uses the stateless [`WixClient`] calls directly.
pub struct OAuthStrategy {
    client: WixClient,
    tokens: std::sync::Mutex<Tokens>,
}

impl OAuthStrategy {
    pub fn new(client: WixClient, tokens: Option<Tokens>) -> Self {
        Self {
            client,
            tokens: std::sync::Mutex::new(tokens.unwrap_or_default()),
        }
    }

    pub fn get_tokens(&self) -> Tokens {
        self.tokens
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn set_tokens(&self, tokens: Tokens) {
        *self.tokens.lock().unwrap_or_else(|e| e.into_inner()) = tokens;
    }

    /// The SDK's `loggedIn()`: the refresh token belongs to a member.
    pub fn logged_in(&self) -> bool {
        self.get_tokens().refresh_token.role == TokenRole::Member
    }

    /// [`WixClient::generate_visitor_tokens`] on `tokens` (or the stored ones); stores the result.
    pub async fn generate_visitor_tokens(
        &self,
        tokens: Option<Tokens>,
    ) -> Result<Tokens, WixError> {
        let current = tokens.unwrap_or_else(|| self.get_tokens());
        let start = current.has_refresh_token().then_some(current);
        let tokens = self.client.generate_visitor_tokens(start).await?;
        self.set_tokens(tokens.clone());
        Ok(tokens)
    }

    /// Forced renewal with the stored refresh token; stores the result.
    pub async fn renew_token(&self) -> Result<Tokens, WixError> {
        let renewed = self
            .client
            .renew_token(&self.get_tokens().refresh_token)
            .await?;
        self.set_tokens(renewed.clone());
        Ok(renewed)
    }

    /// Runs `call` with valid tokens: renews (or mints) first when needed, and once more on a 401.
    pub async fn call<T, F, Fut>(&self, call: F) -> Result<T, SessionError>
    where
        F: Fn(String) -> Fut,
        Fut: std::future::Future<Output = Result<T, WixError>>,
    {
        let tokens = self.generate_visitor_tokens(None).await?;
        let (value, renewed) = self.client.call_with_tokens(&tokens, call).await?;
        if let Some(renewed) = renewed {
            self.set_tokens(renewed);
        }
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::TokenRequest;

    #[test]
    fn token_requests_are_the_sdks_bodies() {
        let anonymous = TokenRequest {
            client_id: "c",
            grant_type: "anonymous",
            ..TokenRequest::default()
        };
        assert_eq!(
            serde_json::to_value(&anonymous).expect("json"),
            serde_json::json!({"clientId": "c", "grantType": "anonymous"})
        );
        let renew = TokenRequest {
            client_id: "c",
            grant_type: "refresh_token",
            refresh_token: Some("JWS.r"),
            ..TokenRequest::default()
        };
        assert_eq!(
            serde_json::to_value(&renew).expect("json"),
            serde_json::json!({"clientId": "c", "grantType": "refresh_token", "refreshToken": "JWS.r"})
        );
    }
}
