//! Reusable views. Those marked `#[island]` hydrate in the browser; the rest render on the
//! server only.

pub mod browser;
pub mod canonical;
pub mod cart_drawer;
pub mod cart_line;
pub mod cart_notice;
pub mod cart_state;
pub mod cart_totals;
pub mod gallery;
pub mod header;
pub mod latest;
pub mod price;
pub mod product_card;
pub mod status;
