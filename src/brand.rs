//! What the shop is called, wherever it is named.

pub const STORE_NAME: &str = "Rustic Goods";
