//! A Rust client for the Wix Headless REST APIs a storefront needs, and the only code of the
//! project that knows their wire format (`docs/wix-api.md`).
//!
//! - [`auth`]: OAuth visitor tokens with the JS SDK's model and algorithms (wix-api.md §2),
//!   made safer on purpose (early expiry, no new visitor on a transient failure).
//! - [`catalog`]: Stores Catalog V3 products and categories (§4, §9.1): typed searches in,
//!   domain products out.
//! - [`cart`]: the eCom current cart, v1 or V2 (§5, §5b, §9.2), and the checkout redirect (§6).
//! - [`media`]: image URLs in the one form Wix's media host resizes (§9.1).
//! - [`money`]: decimal amounts with their currency and Wix's formatted text.
//! - [`members`]: member sign-in on Wix's hosted login page (authorization code with PKCE),
//!   sign-out, the current member (§2, §3, §9.3); [`orders`]: a member's own orders.
//!
//! The client holds no tokens: every call takes the access token to send, so one client serves
//! every visitor of a server. Failures are [`WixError`] variants, never message text.

pub mod auth;
pub mod cart;
pub mod catalog;
mod client;
mod error;
pub mod media;
pub mod members;
pub mod money;
pub mod orders;
mod redirects;
pub mod tokens;

pub use client::{ClientConfig, WixClient, DEFAULT_BASE_URL, DEFAULT_MEDIA_BASE_URL};
pub use error::{ErrorCode, WixError};
pub use money::Money;
pub use rust_decimal::Decimal;
pub use tokens::{AccessToken, Clock, FakeClock, RefreshToken, SystemClock, TokenRole, Tokens};
