//! One module per route.

pub mod not_found;
pub mod product;
pub mod search;
