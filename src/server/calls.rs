//! How server functions reach Wix: with which token, what happens on a 401, and what a
//! failure becomes for the shopper ([`StoreError`]).

use std::future::Future;

use axum::http::request::Parts;
use leptos::prelude::use_context;
use wix_headless::{
    auth::{SessionError, TokenRefresh},
    TokenRole, WixError,
};

use crate::api::error::StoreError;

use super::{catalog_cache::cached, session::Session, state::AppState};

/// The app state, provided as context to SSR and server functions.
pub fn app_state() -> Result<AppState, StoreError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("server state missing from the rendering context");
        StoreError::Failed
    })
}

/// The current request's session (anonymous when the session layer did not run).
pub fn current_session() -> Session {
    use_context::<Parts>()
        .and_then(|parts| parts.extensions.get::<Session>().cloned())
        .unwrap_or_else(Session::anonymous)
}

/// Whether the request came from a plain HTML form or link (JavaScript off), not from the
/// hydrated app's `fetch`.
pub fn is_plain_form_request() -> bool {
    use_context::<Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(axum::http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.contains("text/html"))
        })
        .unwrap_or(false)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mint {
    /// Cart actions: a visitor without a session gets one now.
    IfMissing,
    /// Reads: no session, no call.
    Never,
}

/// Runs `call` with the visitor's own access token, renewing once on a 401 (see
/// [`wix_headless::WixClient::call_with_tokens`]) and storing renewed tokens in the session.
/// `Ok(None)`: the visitor has no session and `mint` is [`Mint::Never`].
pub async fn visitor_call<T, F, Fut>(
    state: &AppState,
    session: &Session,
    mint: Mint,
    call: F,
) -> Result<Option<T>, WixError>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<T, WixError>>,
{
    let mut tokens = match (session.tokens(), mint) {
        (Some(tokens), _) => tokens,
        (None, Mint::Never) => return Ok(None),
        (None, Mint::IfMissing) => mint_visitor(state, session).await?,
    };
    // A token that expired while this request was under way (a slow page) is renewed through
    // the same single flight as on the way in, not once per parallel call.
    if let Ok(TokenRefresh::Renewed(renewed)) =
        state.renewals.ensure_valid(&state.wix, &tokens).await
    {
        session.set_tokens(renewed.clone());
        tokens = renewed;
    }
    match state.wix.call_with_tokens(&tokens, &call).await {
        Ok((value, renewed)) => {
            if let Some(renewed) = renewed {
                session.set_tokens(renewed);
            }
            Ok(Some(value))
        }
        // The visitor is gone for good; only a cart action starts a new one.
        Err(SessionError::VisitorGone) => {
            session.clear();
            if mint == Mint::Never {
                return Ok(None);
            }
            let fresh = mint_visitor(state, session).await?;
            call(fresh.access_token.value).await.map(Some)
        }
        Err(SessionError::Wix(error)) => Err(error),
    }
}

async fn mint_visitor(
    state: &AppState,
    session: &Session,
) -> Result<wix_headless::Tokens, WixError> {
    let tokens = state.wix.anonymous_tokens().await?;
    session.start_visitor(tokens.clone());
    Ok(tokens)
}

/// Catalog reads. The catalog is public and the same for every visitor who is not a signed-in
/// member, so they all share the server-wide anonymous token and the cache. A member may see
/// prices of their own (member pricing), so a member's reads use their own token and are never
/// cached; if their token cannot be renewed right now, browsing falls back to the shared token.
pub async fn catalog_call<T, F, Fut>(
    state: &AppState,
    session: &Session,
    cache: &moka::future::Cache<String, T>,
    key: String,
    call: F,
) -> Result<T, WixError>
where
    T: Clone + Send + Sync + 'static,
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<T, WixError>>,
{
    let member = session
        .tokens()
        .filter(|t| t.refresh_token.role == TokenRole::Member && state.wix.is_valid(t));
    if member.is_some() {
        if let Some(value) = visitor_call(state, session, Mint::Never, &call).await? {
            return Ok(value);
        }
    }
    cached(cache, format!("shared|{key}"), async {
        let token = state.shared_visitor.access_token(&state.wix).await?;
        match call(token.clone()).await {
            Err(WixError::Unauthorized) => {
                state.shared_visitor.invalidate(&token);
                call(state.shared_visitor.access_token(&state.wix).await?).await
            }
            other => other,
        }
    })
    .await
}

/// What a shopper is told when a read from Wix fails; the details go to the log, not the page.
/// The HTTP status follows from the error (pages: `components::status`; server functions:
/// `server_fn_guard`).
pub fn fail(error: WixError) -> StoreError {
    report(error, StoreError::Timeout)
}

/// [`fail`] for a change to the cart: after a timeout Wix may still have applied it, so the
/// shopper is told to look rather than to try again.
pub fn fail_change(error: WixError) -> StoreError {
    report(error, StoreError::ChangeTimeout)
}

fn report(error: WixError, timeout: StoreError) -> StoreError {
    tracing::warn!(%error, "Wix call failed");
    match error {
        WixError::Timeout => timeout,
        WixError::RateLimited { .. } => StoreError::Busy,
        WixError::Unavailable { .. } | WixError::Unreachable(_) => StoreError::Unavailable,
        WixError::Unauthorized | WixError::InvalidGrant => StoreError::Session,
        WixError::NotFound { .. }
        | WixError::NoCart
        | WixError::Refused { .. }
        | WixError::Decode(_) => StoreError::Failed,
    }
}
