//! Reusable views.

pub mod canonical;
pub mod cart_drawer;
pub mod header;
pub mod price;
pub mod product_card;
pub mod status;
