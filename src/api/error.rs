//! The one error every server function returns. It travels to the browser as JSON (not as
//! text to be matched), and its HTTP status and the shopper's message both come from here.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum StoreError {
    /// Wix did not answer within the storefront's timeout.
    #[error("the store timed out")]
    Timeout,
    /// A change to the cart timed out: Wix may still have applied it, so the shopper should
    /// look before trying again (a retry could add twice).
    #[error("a cart change timed out")]
    ChangeTimeout,
    /// Wix rate-limited the store (429).
    #[error("the store is busy")]
    Busy,
    /// Wix failed or could not be reached (5xx, connection refused).
    #[error("the store is unavailable")]
    Unavailable,
    /// The shopper's session with Wix could not be renewed just now (a cart action needs it).
    #[error("the session could not be renewed")]
    Session,
    /// Anything else upstream (an unexpected answer).
    #[error("the store failed")]
    Failed,
    /// The request could not be read (missing or malformed arguments).
    #[error("the request was malformed")]
    BadRequest,
    /// The browser could not reach the storefront (client side only).
    #[error("the storefront could not be reached")]
    Network,
    /// Too many requests from this address: try again after the given wait.
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
}

impl StoreError {
    /// What the shopper reads.
    pub fn message(self) -> &'static str {
        match self {
            Self::Timeout => "The store took too long to answer. Please try again.",
            Self::ChangeTimeout => {
                "The store took too long to answer, so your cart may or may not have changed. \
                 Please check it before trying again."
            }
            Self::Busy => "The store is busy right now. Please try again in a moment.",
            Self::Unavailable => {
                "The store is temporarily unavailable. Please try again in a moment."
            }
            Self::Session => {
                "We could not confirm your session with the store just now, so nothing changed. \
                 Please try again in a moment."
            }
            Self::Failed => "Something went wrong while talking to the store.",
            Self::BadRequest => {
                "That request could not be understood. Please reload the page and try again."
            }
            Self::Network => {
                "The store could not be reached. Please check your connection and try again."
            }
            Self::TooManyRequests { .. } => {
                "Too many requests came from your network just now. Please wait a few seconds and try again."
            }
        }
    }

    /// 504 for a gateway timeout, 400 for a malformed request, 429 over a limit, 503 (try
    /// again later) for the rest: the fault is upstream.
    pub fn status(self) -> u16 {
        match self {
            Self::Timeout | Self::ChangeTimeout => 504,
            Self::BadRequest => 400,
            Self::TooManyRequests { .. } => 429,
            Self::Busy | Self::Unavailable | Self::Session | Self::Failed | Self::Network => 503,
        }
    }
}

impl FromServerFnError for StoreError {
    type Encoder = JsonEncoding;

    /// Failures of the server-function machinery itself: undecodable arguments are the caller's
    /// fault; a failed request or response in the browser is the network.
    fn from_server_fn_error(error: ServerFnErrorErr) -> Self {
        match error {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_) => Self::BadRequest,
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => Self::Network,
            _ => Self::Failed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_travel_as_json_and_keep_their_kind() {
        for error in [
            StoreError::Timeout,
            StoreError::ChangeTimeout,
            StoreError::Busy,
            StoreError::Unavailable,
            StoreError::Session,
            StoreError::Failed,
            StoreError::BadRequest,
            StoreError::Network,
            StoreError::TooManyRequests {
                retry_after_secs: 3,
            },
        ] {
            let json = serde_json::to_string(&error).expect("serialises");
            assert_eq!(
                serde_json::from_str::<StoreError>(&json).expect("parses"),
                error
            );
            assert!(!error.message().is_empty());
        }
        assert_eq!(StoreError::Timeout.status(), 504);
        assert_eq!(StoreError::BadRequest.status(), 400);
        assert_eq!(
            StoreError::from_server_fn_error(ServerFnErrorErr::Args("x".into())),
            StoreError::BadRequest
        );
    }
}
