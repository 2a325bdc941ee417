//! What a shopper is told when the store (Wix) fails, and the HTTP status that goes with it.
//!
//! Server functions carry errors to the browser as text, so each problem is recognised again by
//! its message; the mapping lives only here.

use leptos::prelude::ServerFnError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreProblem {
    /// Wix did not answer within the storefront's timeout.
    Timeout,
    /// A change to the cart timed out: Wix may still have applied it, so the shopper should
    /// look before trying again (a retry could add twice).
    ChangeTimeout,
    /// Wix rate-limited us (429).
    Busy,
    /// Wix failed or could not be reached (5xx, connection refused).
    Unavailable,
    /// Anything else (an unexpected answer).
    Failed,
}

impl StoreProblem {
    pub const ALL: [Self; 5] = [
        Self::Timeout,
        Self::ChangeTimeout,
        Self::Busy,
        Self::Unavailable,
        Self::Failed,
    ];

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
            Self::Failed => "Something went wrong while talking to the store.",
        }
    }

    /// 504 for a gateway timeout; 503 (try again later) for everything else upstream.
    pub fn status(self) -> u16 {
        match self {
            Self::Timeout | Self::ChangeTimeout => 504,
            Self::Busy | Self::Unavailable | Self::Failed => 503,
        }
    }

    pub fn from_message(message: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.message() == message)
    }

    pub fn into_error(self) -> ServerFnError {
        ServerFnError::new(self.message())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_survive_the_trip_to_the_browser() {
        for problem in StoreProblem::ALL {
            let ServerFnError::ServerError(message) = problem.into_error() else {
                panic!("a server error");
            };
            assert_eq!(StoreProblem::from_message(&message), Some(problem));
        }
        assert_eq!(StoreProblem::Timeout.status(), 504);
        assert_eq!(StoreProblem::from_message("other"), None);
    }
}
