//! One server-wide anonymous visitor whose token reads the public catalog for everyone without
//! a session: browsing without a cookie costs no token call per visitor (or per bot hit).

use tokio::sync::RwLock;
use wix_headless::{Tokens, WixClient, WixError};

#[derive(Default)]
pub struct SharedVisitor {
    tokens: RwLock<Option<Tokens>>,
}

impl SharedVisitor {
    /// A valid access token; renewed (or minted) by one caller while the others wait.
    pub async fn access_token(&self, wix: &WixClient) -> Result<String, WixError> {
        if let Some(tokens) = self
            .tokens
            .read()
            .await
            .as_ref()
            .filter(|t| wix.is_valid(t))
        {
            return Ok(tokens.access_token.value.clone());
        }
        let mut slot = self.tokens.write().await;
        if let Some(tokens) = slot.as_ref().filter(|t| wix.is_valid(t)) {
            return Ok(tokens.access_token.value.clone());
        }
        let tokens = wix.generate_visitor_tokens(slot.clone()).await?;
        let value = tokens.access_token.value.clone();
        *slot = Some(tokens);
        Ok(value)
    }

    /// Wix refused `access_token` (401): forget it so the next call renews.
    pub async fn invalidate(&self, access_token: &str) {
        let mut slot = self.tokens.write().await;
        if let Some(tokens) = slot.as_mut() {
            if tokens.access_token.value == access_token {
                tokens.access_token.expires_at = 0;
            }
        }
    }
}
