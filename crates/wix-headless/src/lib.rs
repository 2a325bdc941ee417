//! A Rust client for the Wix Headless REST APIs a storefront needs.
//!
//! - [`auth`]: OAuth visitor tokens with the JS SDK's model and algorithms (wix-api.md §2),
//!   made safer on purpose (early expiry, no new visitor on a transient failure).
//! - [`catalog`]: Stores Catalog V3 products (§4).
//! - [`cart`]: the eCom current cart (§5) and the checkout redirect (§6).
//!
//! The client holds no tokens: every call takes the access token to send, so one client serves
//! every visitor of a server.

pub mod auth;
pub mod cart;
pub mod catalog;
mod client;
mod error;
pub mod money;
pub mod tokens;

pub use client::{ClientConfig, WixClient, DEFAULT_BASE_URL};
pub use error::WixError;
pub use money::Money;
pub use tokens::{AccessToken, Clock, FakeClock, RefreshToken, SystemClock, TokenRole, Tokens};
