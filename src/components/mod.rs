//! Reusable views.

pub mod header;
pub mod product_card;
pub mod status;
