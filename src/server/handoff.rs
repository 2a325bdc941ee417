//! The hand-off to a Wix-hosted page that the page policy's `form-action` does not name.
//!
//! Checkout (and sign-out) are form posts answered with a redirect to Wix; browsers hold such a
//! redirect to `form-action`, which lists Wix's usual hosted origins (`WIX_HOSTED_ORIGINS`). A
//! site whose hosted pages live elsewhere would see the browser block its checkout, so such a
//! redirect goes through this page instead: a plain navigation (a refresh and a link) that
//! `form-action` does not govern. The target is signed, so the page cannot send a shopper to
//! anywhere the store did not choose.

use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::{Html, IntoResponse, Response},
    routing::get,
    Router,
};
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

use super::state::AppState;
use crate::url::encode_component;

pub const PATH: &str = "/continue";

pub fn routes() -> Router<AppState> {
    Router::new().route(PATH, get(continue_page))
}

/// The key targets are signed with, derived from the session secret for this purpose only.
#[derive(Clone)]
pub struct HandoffKey([u8; 32]);

impl HandoffKey {
    pub fn new(secret: &str) -> Self {
        let kdf = hkdf::Hkdf::<Sha256>::new(None, secret.as_bytes());
        let mut key = [0u8; 32];
        if kdf.expand(b"wix-storefront/handoff/v1", &mut key).is_err() {
            unreachable!("32 bytes is a valid HKDF-SHA256 output length");
        }
        Self(key)
    }

    fn mac(&self, target: &str) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(target.as_bytes());
        mac
    }

    /// The store path that hands the browser over to `target`.
    pub fn path_to(&self, target: &str) -> String {
        let signature = hex::encode(self.mac(target).finalize().into_bytes());
        format!("{PATH}?to={}&sig={signature}", encode_component(target))
    }

    fn verify(&self, target: &str, signature: &str) -> bool {
        hex::decode(signature).is_ok_and(|bytes| self.mac(target).verify_slice(&bytes).is_ok())
    }
}

#[derive(Deserialize)]
struct Handoff {
    to: String,
    sig: String,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

async fn continue_page(State(state): State<AppState>, Query(handoff): Query<Handoff>) -> Response {
    let target = handoff.to;
    let web = target.starts_with("https://") || target.starts_with("http://");
    if !web || !state.handoff_key.verify(&target, &handoff.sig) {
        return (
            StatusCode::BAD_REQUEST,
            Html(
                "<!DOCTYPE html><title>Link not valid</title><h1>This link is not valid</h1>\
                  <p><a href=\"/cart\">Back to your cart</a></p>",
            ),
        )
            .into_response();
    }
    let href = escape(&target);
    Html(format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"robots\" content=\"noindex\"><meta http-equiv=\"refresh\" content=\"0; url={href}\">\
         <title>Continuing to the secure checkout</title></head><body>\
         <p>Taking you to the secure page of the store… <a href=\"{href}\">Continue</a></p></body></html>"
    ))
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_signed_targets_are_followed() {
        let key = HandoffKey::new("0123456789abcdef0123456789abcdef");
        let path = key.path_to("https://checkout.example.com/c?x=1&y=2");
        let query = path.strip_prefix("/continue?").expect("the page");
        let pairs: Vec<(String, String)> = form_urlencoded_pairs(query);
        let (to, sig) = (&pairs[0].1, &pairs[1].1);
        assert_eq!(to, "https://checkout.example.com/c?x=1&y=2");
        assert!(key.verify(to, sig));
        assert!(!key.verify("https://evil.example.com/", sig));
        assert!(!key.verify(to, "00"));
        let other = HandoffKey::new("another-secret-another-secret-0000");
        assert!(!other.verify(to, sig), "another store's key");
    }

    fn form_urlencoded_pairs(query: &str) -> Vec<(String, String)> {
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .map(|(k, v)| (k.to_owned(), decode(v)))
            .collect()
    }

    fn decode(text: &str) -> String {
        let bytes = text.replace('+', " ").into_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' && i + 2 < bytes.len() {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("hex");
                out.push(u8::from_str_radix(hex, 16).expect("hex"));
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).expect("utf-8")
    }
}
