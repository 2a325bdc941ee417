//! Visitor tokens (wix-api.md §2): the token endpoint and the SDK's `generateVisitorTokens`,
//! with two deliberate differences from the SDK:
//! - the access token counts as expired `renew_margin_secs` early (default 60 s);
//! - a new visitor is minted only when the token endpoint definitely rejects the refresh token
//!   (a 4xx). A timeout, network error or 5xx is returned as an error, so the caller keeps the
//!   visitor (and the cart) and can try again, instead of silently starting over.

use reqwest::Method;
use serde::{Deserialize, Serialize};

use crate::{
    client::WixClient,
    error::WixError,
    tokens::{AccessToken, RefreshToken, TokenRole, Tokens},
};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TokenRequest<'a> {
    client_id: &'a str,
    grant_type: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<&'a str>,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    expires_in: i64,
    #[serde(default)]
    refresh_token: Option<String>,
}

/// What [`WixClient::ensure_valid`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenRefresh {
    /// The tokens were still valid; nothing was sent.
    Unchanged,
    /// The access token was renewed with the refresh token (same visitor or member).
    Renewed(Tokens),
    /// The refresh token was rejected: the visitor is gone.
    Rejected,
}

impl WixClient {
    async fn token_call(&self, request: &TokenRequest<'_>) -> Result<TokenResponse, WixError> {
        let response: TokenResponse = self
            .send(Method::POST, "/oauth2/token", None, Some(request))
            .await?;
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
                refresh_token: None,
            })
            .await?;
        Ok(Tokens {
            access_token: AccessToken {
                value: response.access_token,
                expires_at: now + response.expires_in,
            },
            refresh_token: RefreshToken {
                value: response.refresh_token.unwrap_or_default(),
                role: TokenRole::Visitor,
            },
        })
    }

    /// The SDK's `renewToken`: a new access token; the refresh token (and its role) is kept.
    pub async fn renew_token(&self, refresh_token: &RefreshToken) -> Result<Tokens, WixError> {
        let now = self.now();
        let response = self
            .token_call(&TokenRequest {
                client_id: self.client_id(),
                grant_type: "refresh_token",
                refresh_token: Some(&refresh_token.value),
            })
            .await?;
        Ok(Tokens {
            access_token: AccessToken {
                value: response.access_token,
                expires_at: now + response.expires_in,
            },
            refresh_token: refresh_token.clone(),
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
            Err(error) if error.is_rejection() => Ok(TokenRefresh::Rejected),
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
