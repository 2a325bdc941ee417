//! A Wix Headless storefront: server-rendered pages with interactive islands, on a Rust Wix
//! client.
//!
//! - `app`: the shell and the routes; `pages/`: one module per route; `components/`: shared views
//!   (the `#[island]`s among them are all that ships to the browser).
//! - `api/`: server functions and the types they share with the browser.
//! - `server/` (ssr only): configuration, visitor sessions, the Wix calls, router assembly.
// The search page's view type is deep; release builds (no `erase_components`) need more room.
// (Erasing in release too made the wasm 18 % smaller but, in one bench run, cost a quarter of
// the with-cart rendering rate and 45 MB of peak memory; erasing only the browser build breaks
// hydration, as the two sides must match.)
#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod brand;
pub mod components;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
pub mod url;

/// The browser's entry point: the islands on the page hydrate one by one (the page itself is
/// server-rendered HTML); `CartProvider` marks the body `data-hydrated` once they have.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
