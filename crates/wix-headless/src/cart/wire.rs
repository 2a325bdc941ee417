//! Wire pieces Cart v1 and V2 share (wix-api.md §5.3, §5b.4).

use reqwest::Method;
use serde::{de::DeserializeOwned, Deserialize};
use serde_json::Value;

use super::Cart;
use crate::{client::WixClient, error::WixError};

/// A cart in one API's wire shape.
pub(super) trait IntoCart: DeserializeOwned {
    fn into_cart(self) -> Cart;
}

/// Both APIs answer cart reads and changes with `{"cart": …}`.
#[derive(Deserialize)]
struct Envelope<W> {
    cart: W,
}

/// A cart change: POSTs `body` to `path` and maps the cart Wix returns. Sent once: a change is
/// never retried.
pub(super) async fn change<W: IntoCart>(
    wix: &WixClient,
    token: &str,
    path: &str,
    body: &Value,
) -> Result<Cart, WixError> {
    let envelope: Envelope<W> = wix
        .send(Method::POST, path, Some(token), Some(body))
        .await?;
    Ok(envelope.cart.into_cart())
}

/// The current cart at `path`; `Ok(None)` when `is_missing` says the visitor has none.
pub(super) async fn current<W: IntoCart>(
    wix: &WixClient,
    token: &str,
    path: &str,
    is_missing: impl Fn(&WixError) -> bool,
) -> Result<Option<Cart>, WixError> {
    match wix
        .read::<(), Envelope<W>>(Method::GET, path, Some(token), None)
        .await
    {
        Ok(envelope) => Ok(Some(envelope.cart.into_cart())),
        Err(error) if is_missing(&error) => Ok(None),
        Err(error) => Err(error),
    }
}

#[derive(Deserialize, Default)]
pub(super) struct Translatable {
    #[serde(default)]
    original: String,
    #[serde(default)]
    translated: Option<String>,
}

impl Translatable {
    pub(super) fn text(&self) -> &str {
        self.translated
            .as_deref()
            .filter(|t| !t.is_empty())
            .unwrap_or(&self.original)
    }
}

/// A variant choice shown on a line: `Color: Black`.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(super) struct DescriptionLine {
    #[serde(default)]
    name: Translatable,
    #[serde(default)]
    plain_text: Option<Translatable>,
    #[serde(default)]
    color_info: Option<Translatable>,
}

impl DescriptionLine {
    pub(super) fn text(&self) -> String {
        let value = self
            .plain_text
            .as_ref()
            .or(self.color_info.as_ref())
            .map(Translatable::text)
            .unwrap_or_default();
        format!("{}: {value}", self.name.text())
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(super) struct PageUrl {
    #[serde(default)]
    pub(super) relative_path: Option<String>,
}

#[derive(Deserialize, Default)]
pub(super) struct Image {
    #[serde(default)]
    pub(super) url: Option<String>,
}
