//! Member accounts: who is signed in, their orders, and what went wrong when a sign-in did not
//! complete. Signing in and out are plain navigations and form posts handled on the server
//! (`server::sign_in`), so they work without JavaScript.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::error::StoreError;

/// Where the header's "Sign in" link and the account page's prompt send the shopper.
pub const SIGN_IN_PATH: &str = "/auth/sign-in";
/// The sign-out form's action (a CSRF-checked post).
pub const SIGN_OUT_PATH: &str = "/auth/sign-out";
/// Where a sign-in that did not complete is explained (`?problem=<code>`).
pub const SIGN_IN_PROBLEM_PATH: &str = "/account/sign-in";

/// The sign-in link that returns to `return_to` (a path on this site). It leads to a server
/// route, not a page: links to it carry `rel="external"`, so the hydrated router lets the
/// browser navigate.
pub fn sign_in_href(return_to: &str) -> String {
    format!(
        "{SIGN_IN_PATH}?return_to={}",
        crate::url::encode_component(return_to)
    )
}

/// Why a return from Wix's login page did not sign the shopper in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignInProblem {
    /// No sign-in in progress in this browser: it expired (10 minutes), was completed already,
    /// or began in another browser.
    Expired,
    /// The shopper cancelled on Wix's page.
    Cancelled,
    /// Wix would not sign them in (an `error` other than a cancel).
    Refused,
    /// The return did not belong to the sign-in this browser started (state mismatch).
    Mismatch,
    /// Wix refused the one-time code (expired, or used already).
    CodeRefused,
    /// The return carried neither a code nor an error.
    Malformed,
    /// Wix could not be reached.
    Unavailable,
}

impl SignInProblem {
    pub const ALL: [Self; 7] = [
        Self::Expired,
        Self::Cancelled,
        Self::Refused,
        Self::Mismatch,
        Self::CodeRefused,
        Self::Malformed,
        Self::Unavailable,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Expired => "expired",
            Self::Cancelled => "cancelled",
            Self::Refused => "refused",
            Self::Mismatch => "mismatch",
            Self::CodeRefused => "code-refused",
            Self::Malformed => "malformed",
            Self::Unavailable => "unavailable",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn message(self) -> &'static str {
        match self {
            Self::Expired => "This sign-in has expired or was already completed. Please sign in again.",
            Self::Cancelled => "You cancelled signing in. Your cart is as you left it.",
            Self::Refused => "Wix could not sign you in. Please try again.",
            Self::Mismatch => "This sign-in could not be verified, so you were not signed in. Please sign in again from this browser.",
            Self::CodeRefused => "This sign-in link has expired or was already used. Please sign in again.",
            Self::Malformed => "The answer from the sign-in page was incomplete. Please sign in again.",
            Self::Unavailable => "The sign-in service could not be reached. Your cart is as you left it; please try again in a moment.",
        }
    }

    /// The page's HTTP status: the shopper's request was wrong (4xx) or Wix was not there (503).
    pub fn status(self) -> u16 {
        match self {
            Self::Unavailable => 503,
            Self::Cancelled | Self::Refused => 403,
            _ => 400,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountView {
    SignedOut,
    SignedIn(Account),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub name: String,
    pub email: Option<String>,
    pub orders: Vec<OrderSummaryView>,
    /// Orders could not be read (the rest of the page still shows).
    pub orders_unavailable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderSummaryView {
    pub id: String,
    pub number: String,
    /// `30 November 2026`.
    pub placed_on: Option<String>,
    pub status: String,
    pub total: Option<String>,
    pub item_count: u32,
    /// The first items' names, for a one-line description.
    pub items: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderView {
    pub number: String,
    pub placed_on: Option<String>,
    pub status: String,
    pub payment: String,
    pub fulfillment: String,
    pub lines: Vec<OrderLineView>,
    /// (label, amount) rows: subtotal, discount, shipping, tax, total.
    pub totals: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderLineView {
    pub name: String,
    pub quantity: u32,
    pub price: Option<String>,
    pub options: Vec<String>,
    pub image: Option<super::catalog::ImageView>,
}

/// The signed-in member and their orders; [`AccountView::SignedOut`] for a visitor.
#[server]
pub async fn get_account() -> Result<AccountView, StoreError> {
    crate::server::account::account().await
}

/// One of the signed-in member's orders; `None` when it is not theirs or they are signed out.
#[server]
pub async fn get_order(order_id: String) -> Result<Option<OrderView>, StoreError> {
    crate::server::account::order(order_id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_round_trip_through_their_codes() {
        for problem in SignInProblem::ALL {
            assert_eq!(SignInProblem::from_code(problem.code()), Some(problem));
            assert!(problem.status() >= 400);
        }
        assert_eq!(SignInProblem::from_code("nope"), None);
        assert_eq!(
            sign_in_href("/product/mug?Color=Red"),
            "/auth/sign-in?return_to=%2Fproduct%2Fmug%3FColor%3DRed"
        );
    }
}
