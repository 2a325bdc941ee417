//! Server functions, grouped by domain, and the types they share with the browser.
//! Their bodies run on the server only and call into `crate::server`.

pub mod account;
pub mod cart;
pub mod catalog;
pub mod error;
pub mod search_query;
pub mod variants;
