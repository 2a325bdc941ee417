//! One module per route.

pub mod account;
pub mod cart;
pub mod home;
pub mod not_found;
pub mod product;
pub mod search;
pub mod thank_you;
