//! eCom current cart, Cart v1 (wix-api.md §5): typed cart and the calls on it.

use reqwest::Method;
use serde::{Deserialize, Serialize};

use crate::{catalog::Image, client::WixClient, error::WixError};

/// Wix Stores' app id for `catalogReference.appId` (§5.2).
pub const STORES_APP_ID: &str = "215238eb-22a5-4c36-9e7b-e7c08025e04e";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct MultiCurrencyPrice {
    pub amount: String,
    #[serde(default)]
    pub formatted_amount: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct TranslatableString {
    #[serde(default)]
    pub original: String,
    #[serde(default)]
    pub translated: Option<String>,
}

impl TranslatableString {
    pub fn text(&self) -> &str {
        self.translated
            .as_deref()
            .filter(|t| !t.is_empty())
            .unwrap_or(&self.original)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct CatalogOptions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CatalogReference {
    pub catalog_item_id: String,
    pub app_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<CatalogOptions>,
}

impl CatalogReference {
    /// A Wix Stores product, with the variant chosen (Catalog V3: always send it, §5.2).
    pub fn stores_product(product_id: &str, variant_id: Option<&str>) -> Self {
        Self {
            catalog_item_id: product_id.to_owned(),
            app_id: STORES_APP_ID.to_owned(),
            options: variant_id.map(|v| CatalogOptions {
                variant_id: Some(v.to_owned()),
            }),
        }
    }

    pub fn variant_id(&self) -> Option<&str> {
        self.options.as_ref().and_then(|o| o.variant_id.as_deref())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct DescriptionLine {
    #[serde(default)]
    pub name: TranslatableString,
    #[serde(default)]
    pub plain_text: Option<TranslatableString>,
    #[serde(default)]
    pub color_info: Option<TranslatableString>,
}

impl DescriptionLine {
    /// `Color: Black`.
    pub fn text(&self) -> String {
        let value = self
            .plain_text
            .as_ref()
            .or(self.color_info.as_ref())
            .map(TranslatableString::text)
            .unwrap_or_default();
        format!("{}: {value}", self.name.text())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct Availability {
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub quantity_available: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LineItem {
    pub id: String,
    pub quantity: u32,
    pub catalog_reference: CatalogReference,
    #[serde(default)]
    pub product_name: TranslatableString,
    #[serde(default)]
    pub price: MultiCurrencyPrice,
    #[serde(default)]
    pub full_price: Option<MultiCurrencyPrice>,
    #[serde(default)]
    pub line_item_price: Option<MultiCurrencyPrice>,
    #[serde(default)]
    pub description_lines: Vec<DescriptionLine>,
    #[serde(default)]
    pub image: Option<Image>,
    #[serde(default)]
    pub availability: Availability,
}

impl LineItem {
    /// `AVAILABLE` (or no status at all) means the line can be bought as it is.
    pub fn is_available(&self) -> bool {
        matches!(
            self.availability.status.as_deref(),
            None | Some("AVAILABLE")
        )
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct Cart {
    pub id: String,
    #[serde(default)]
    pub line_items: Vec<LineItem>,
    #[serde(default)]
    pub currency: Option<String>,
    /// Live but untyped in the SDK (§5.3); totals should come from estimate-totals.
    #[serde(default)]
    pub subtotal: Option<MultiCurrencyPrice>,
    #[serde(default)]
    pub revision: Option<String>,
}

impl Cart {
    /// Items in the cart, counting quantities (the header badge).
    pub fn item_count(&self) -> u32 {
        self.line_items.iter().map(|l| l.quantity).sum()
    }

    /// Quantity of a product/variant already in the cart.
    pub fn quantity_of(&self, product_id: &str, variant_id: Option<&str>) -> u32 {
        self.line_items
            .iter()
            .filter(|l| {
                l.catalog_reference.catalog_item_id == product_id
                    && l.catalog_reference.variant_id() == variant_id
            })
            .map(|l| l.quantity)
            .sum()
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LineItemInput {
    pub quantity: u32,
    pub catalog_reference: CatalogReference,
}

#[derive(Deserialize)]
struct CartEnvelope {
    cart: Cart,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AddBody<'a> {
    line_items: &'a [LineItemInput],
}

impl WixClient {
    /// `GET /ecom/v1/carts/current`; `Ok(None)` before the first add (404 `OWNED_CART_NOT_FOUND`).
    pub async fn current_cart(&self, access_token: &str) -> Result<Option<Cart>, WixError> {
        match self
            .send::<(), CartEnvelope>(
                Method::GET,
                "/ecom/v1/carts/current",
                Some(access_token),
                None,
            )
            .await
        {
            Ok(envelope) => Ok(Some(envelope.cart)),
            Err(error) if error.code() == Some("OWNED_CART_NOT_FOUND") => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// `POST /ecom/v1/carts/current/add-to-cart`. Wix answers 200 even when nothing was added
    /// (missing variant, out of stock, capped quantity; §5.2): compare the returned cart.
    pub async fn add_to_cart(
        &self,
        access_token: &str,
        items: &[LineItemInput],
    ) -> Result<Cart, WixError> {
        let envelope: CartEnvelope = self
            .send(
                Method::POST,
                "/ecom/v1/carts/current/add-to-cart",
                Some(access_token),
                Some(&AddBody { line_items: items }),
            )
            .await?;
        Ok(envelope.cart)
    }
}
