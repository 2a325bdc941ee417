//! Redirect sessions (wix-api.md §6): the hand-off to pages Wix hosts. Wix's own headless
//! clients use the `/headless/v1/` path (§9.2, §9.3); all three documented paths take the same body.

use reqwest::Method;
use serde::Deserialize;
use serde_json::Value;

use crate::{client::WixClient, error::WixError};

const PATH: &str = "/headless/v1/redirect-session";

/// Creates a redirect session from `body` (one intent plus callbacks); returns `fullUrl`.
pub(crate) async fn create(wix: &WixClient, token: &str, body: &Value) -> Result<String, WixError> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Session {
        #[serde(default)]
        full_url: Option<String>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Envelope {
        redirect_session: Session,
    }
    let envelope: Envelope = wix
        .send(Method::POST, PATH, Some(token), Some(body))
        .await?;
    envelope
        .redirect_session
        .full_url
        .filter(|url| url.starts_with("https://") || url.starts_with("http://"))
        .ok_or_else(|| WixError::Decode("redirect session without a fullUrl".into()))
}
