//! Wire pieces Cart v1 and V2 share (wix-api.md §5.3, §5b.4).

use reqwest::Method;
use serde::{de::DeserializeOwned, Deserialize};
use serde_json::Value;

use super::{AppliedCoupon, Cart};
use crate::{
    client::WixClient,
    error::WixError,
    money::{Amount, Money},
};

/// An amount with Wix's own formatting (Cart v1, orders): `{"amount", "formattedAmount"}`.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Price {
    #[serde(default)]
    amount: Amount,
    #[serde(default)]
    formatted_amount: Option<String>,
}

impl Price {
    pub(crate) fn money(&self, currency: &str) -> Money {
        Money::new(
            self.amount.0.unwrap_or_default(),
            currency,
            self.formatted_amount.as_deref(),
        )
    }
}

/// A cart in one API's wire shape, mapped with the client's media host.
pub(super) trait IntoCart: DeserializeOwned {
    fn into_cart(self, media_base: &str) -> Cart;
}

/// Both APIs answer cart reads and changes with `{"cart": …}`.
#[derive(Deserialize)]
struct Envelope<W> {
    cart: W,
}

/// On a cart endpoint a 404 means the visitor has no current cart (§5.4, §5b 3.1); the status
/// decides, since the code differs between the APIs (and is UNCONFIRMED for V2).
fn no_cart(error: WixError) -> WixError {
    match error {
        WixError::NotFound { .. } => WixError::NoCart,
        other => other,
    }
}

/// A cart change: POSTs `body` to `path` and maps the cart Wix returns. Sent once: a change is
/// never retried.
pub(super) async fn change<W: IntoCart>(
    wix: &WixClient,
    token: &str,
    method: Method,
    path: &str,
    body: &Value,
) -> Result<Cart, WixError> {
    let envelope: Envelope<W> = wix
        .send(method, path, Some(token), Some(body))
        .await
        .map_err(no_cart)?;
    Ok(envelope.cart.into_cart(&wix.config().media_base_url))
}

/// A read that counts as a read (retried once on a transient failure), such as the estimate.
pub(super) async fn read<T: DeserializeOwned>(
    wix: &WixClient,
    token: &str,
    path: &str,
    body: &Value,
) -> Result<T, WixError> {
    wix.read(Method::POST, path, Some(token), Some(body))
        .await
        .map_err(no_cart)
}

/// The current cart at `path`; `Ok(None)` when the visitor has none.
pub(super) async fn current<W: IntoCart>(
    wix: &WixClient,
    token: &str,
    path: &str,
) -> Result<Option<Cart>, WixError> {
    match wix
        .read::<(), Envelope<W>>(Method::GET, path, Some(token), None)
        .await
        .map_err(no_cart)
    {
        Ok(envelope) => Ok(Some(envelope.cart.into_cart(&wix.config().media_base_url))),
        Err(WixError::NoCart) => Ok(None),
        Err(error) => Err(error),
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct Translatable {
    #[serde(default)]
    original: String,
    #[serde(default)]
    translated: Option<String>,
}

impl Translatable {
    pub(crate) fn text(&self) -> &str {
        self.translated
            .as_deref()
            .filter(|t| !t.is_empty())
            .unwrap_or(&self.original)
    }
}

/// A variant choice shown on a line: `Color: Black`.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DescriptionLine {
    #[serde(default)]
    name: Translatable,
    #[serde(default)]
    plain_text: Option<Translatable>,
    #[serde(default)]
    color_info: Option<Translatable>,
}

impl DescriptionLine {
    pub(crate) fn text(&self) -> String {
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
#[serde(rename_all = "camelCase")]
pub(crate) struct Image {
    #[serde(default)]
    pub(super) url: Option<String>,
    #[serde(default)]
    pub(super) width: Option<u32>,
    #[serde(default)]
    pub(super) height: Option<u32>,
    #[serde(default)]
    pub(super) alt_text: Option<String>,
}

impl Image {
    pub(crate) fn image(&self, media_base: &str) -> Option<crate::media::Image> {
        Some(
            crate::media::Image::parse(self.url.as_deref()?, media_base, self.alt_text.clone())?
                .sized(self.width, self.height),
        )
    }
}

/// A coupon on the cart (V2 `coupons[]`, v1 `appliedDiscounts[].coupon`).
#[derive(Deserialize)]
pub(super) struct WireCoupon {
    #[serde(default)]
    id: Option<String>,
    code: String,
}

impl WireCoupon {
    pub(super) fn into_coupon(self) -> AppliedCoupon {
        AppliedCoupon {
            id: self.id,
            code: self.code,
        }
    }
}
