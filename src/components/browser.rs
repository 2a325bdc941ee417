//! What islands ask of the browser beyond their own markup. Called from event handlers only,
//! which run only in the browser.

/// Shows `url` (a path on this site) in the address bar without loading it: the page already
/// shows what it names, and a reload or a shared link gives the same page from the server.
pub fn show_url(url: &str) {
    if let Ok(history) = leptos::prelude::window().history() {
        let _ = history.replace_state_with_url(&leptos::wasm_bindgen::JsValue::NULL, "", Some(url));
    }
}
