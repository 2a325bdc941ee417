//! How server functions reach Wix: with which token, and what happens on a 401.

use std::future::Future;

use axum::http::request::Parts;
use leptos::prelude::{use_context, ServerFnError};
use wix_headless::WixError;

use super::{session::Session, state::AppState};

/// The app state, provided as context to SSR and server functions.
pub fn app_state() -> Result<AppState, ServerFnError> {
    use_context::<AppState>().ok_or_else(|| ServerFnError::new("server state missing"))
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

/// Runs `call` with the visitor's own access token. On a 401 the token is renewed once and the
/// call retried once (a 401 means Wix did not act, so a retry cannot duplicate a mutation).
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
    let tokens = match (session.tokens(), mint) {
        (Some(tokens), _) => tokens,
        (None, Mint::Never) => return Ok(None),
        (None, Mint::IfMissing) => {
            let tokens = state.wix.anonymous_tokens().await?;
            session.set_tokens(tokens.clone());
            tokens
        }
    };
    match call(tokens.access_token.value.clone()).await {
        Err(error) if error.is_unauthorized() => {
            match state.wix.renew_token(&tokens.refresh_token).await {
                Ok(renewed) => {
                    session.set_tokens(renewed.clone());
                    call(renewed.access_token.value).await.map(Some)
                }
                Err(renewal) if renewal.is_rejection() => {
                    // The visitor is gone for good; only a cart action starts a new one.
                    session.clear();
                    if mint == Mint::Never {
                        return Ok(None);
                    }
                    let fresh = state.wix.anonymous_tokens().await?;
                    session.set_tokens(fresh.clone());
                    call(fresh.access_token.value).await.map(Some)
                }
                Err(renewal) => Err(renewal),
            }
        }
        other => other.map(Some),
    }
}

/// Catalog reads: the visitor's own token when they have a session, otherwise the server-wide
/// anonymous token, renewed once on a 401.
pub async fn catalog_call<T, F, Fut>(
    state: &AppState,
    session: &Session,
    call: F,
) -> Result<T, WixError>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<T, WixError>>,
{
    if session.tokens().is_some() {
        if let Some(value) = visitor_call(state, session, Mint::Never, &call).await? {
            return Ok(value);
        }
    }
    let token = state.shared_visitor.access_token(&state.wix).await?;
    match call(token.clone()).await {
        Err(error) if error.is_unauthorized() => {
            state.shared_visitor.invalidate(&token).await;
            call(state.shared_visitor.access_token(&state.wix).await?).await
        }
        other => other,
    }
}

/// What a shopper is told when Wix fails; the details go to the log, not the page.
pub fn user_error(error: WixError) -> ServerFnError {
    tracing::warn!(%error, "Wix call failed");
    let message = match &error {
        WixError::Timeout => "The store took too long to answer. Please try again.",
        WixError::Api { status: 429, .. } => {
            "The store is busy right now. Please try again in a moment."
        }
        error if error.is_transient() => {
            "The store is temporarily unavailable. Please try again in a moment."
        }
        _ => "Something went wrong while talking to the store.",
    };
    ServerFnError::new(message)
}
