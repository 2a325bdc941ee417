//! How server functions reach Wix: with which token, and what happens on a 401.

use std::future::Future;

use axum::http::request::Parts;
use leptos::prelude::{use_context, ServerFnError};
use wix_headless::{
    auth::{SessionError, TokenRefresh},
    WixError,
};

use crate::api::problem::StoreProblem;

use super::{catalog_cache::cached, session::Session, state::AppState};

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

/// Whether this is a server function called with `fetch` (not a page render, not a form post).
fn is_server_fn_fetch() -> bool {
    use_context::<Parts>().is_some_and(|parts| parts.uri.path().starts_with("/api/"))
        && !is_plain_form_request()
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
    session.set_tokens(tokens.clone());
    Ok(tokens)
}

/// Catalog reads. A visitor with a session reads with their own token, and what that returns
/// is kept in `cache` under a key private to them, so their repeat views cost no catalog call
/// and no one else can ever be served it. Everyone else shares the server-wide anonymous token
/// and the entries keyed by the request alone.
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
    if let Some(tokens) = session.tokens() {
        let private_key = format!("{}|{key}", private_cache_prefix(&tokens));
        if let Some(value) = cache.get(&private_key).await {
            return Ok(value);
        }
        if let Some(value) = visitor_call(state, session, Mint::Never, &call).await? {
            cache.insert(private_key, value.clone()).await;
            return Ok(value);
        }
    }
    // Never equal to a private key (those start with `visitor:`).
    cached(cache, format!("shared|{key}"), async {
        let token = state.shared_visitor.access_token(&state.wix).await?;
        match call(token.clone()).await {
            Err(error) if error.is_unauthorized() => {
                state.shared_visitor.invalidate(&token).await;
                call(state.shared_visitor.access_token(&state.wix).await?).await
            }
            other => other,
        }
    })
    .await
}

/// A visitor's own corner of the catalog caches: a SHA-256 of their refresh token, which stays
/// the same across renewals (wix-api.md §2) and differs between visitors and members.
fn private_cache_prefix(tokens: &wix_headless::Tokens) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(tokens.refresh_token.value.as_bytes());
    format!("visitor:{}", hex::encode(digest))
}

/// What a shopper is told when Wix fails; the details go to the log, not the page.
pub fn user_error(error: WixError) -> ServerFnError {
    report_problem(error, StoreProblem::Timeout)
}

/// [`user_error`] for a change to the cart: after a timeout Wix may still have applied it, so
/// the shopper is told to look rather than to try again.
pub fn change_error(error: WixError) -> ServerFnError {
    report_problem(error, StoreProblem::ChangeTimeout)
}

fn report_problem(error: WixError, timeout: StoreProblem) -> ServerFnError {
    tracing::warn!(%error, "Wix call failed");
    let problem = match &error {
        WixError::Timeout => timeout,
        WixError::Api { status: 429, .. } => StoreProblem::Busy,
        error if error.is_transient() => StoreProblem::Unavailable,
        _ => StoreProblem::Failed,
    };
    // A server function called by the hydrated app answers 503/504 rather than a bare 500: the
    // fault is upstream. Pages set their status where they render the problem, and a plain form
    // post keeps its redirect.
    if is_server_fn_fetch() {
        if let (Some(response), Ok(status)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            axum::http::StatusCode::from_u16(problem.status()),
        ) {
            response.set_status(status);
        }
    }
    problem.into_error()
}
