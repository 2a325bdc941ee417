//! The visitor's current cart, behind one interface with two implementations: Cart v1
//! (wix-api.md §5, removed by Wix on 2027-02-01) and Current Cart V2 (§5b). Which one runs is
//! configuration ([`CartApi`]); callers see the same [`Cart`] either way.

mod v1;
mod v2;
mod wire;

use reqwest::Method;
use serde::{Deserialize, Serialize};

use crate::{client::WixClient, error::WixError, money::Money};

/// Wix Stores' app id for `catalogReference.appId` (§5.2).
pub const STORES_APP_ID: &str = "215238eb-22a5-4c36-9e7b-e7c08025e04e";

/// Which Wix cart API the client speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CartApi {
    V1,
    /// Current Cart V2: the default, since Wix removes v1 on 2027-02-01.
    #[default]
    V2,
}

impl std::str::FromStr for CartApi {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "v1" | "1" => Ok(Self::V1),
            "v2" | "2" => Ok(Self::V2),
            other => Err(format!("unknown cart API '{other}' (expected v1 or v2)")),
        }
    }
}

/// `catalogReference` (§5.2).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CatalogReference {
    pub catalog_item_id: String,
    pub app_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<CatalogOptions>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct CatalogOptions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant_id: Option<String>,
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

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LineItemInput {
    pub quantity: u32,
    pub catalog_reference: CatalogReference,
}

/// A cart line, the same whichever cart API produced it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CartLine {
    pub id: String,
    pub product_id: String,
    pub variant_id: Option<String>,
    pub name: String,
    pub quantity: u32,
    pub unit_price: Money,
    /// The price before a sale, when higher than `unit_price`.
    pub full_price: Option<Money>,
    pub line_total: Money,
    /// `Color: Black`, `Size: M`.
    pub options: Vec<String>,
    pub image_url: Option<String>,
    /// The product page path's last segment (from `url.relativePath`), when Wix gave one.
    pub slug: Option<String>,
    /// Wix can sell it as it is (in stock, still in the catalog).
    pub available: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cart {
    pub id: String,
    pub lines: Vec<CartLine>,
    pub subtotal: Money,
    pub currency: String,
    pub revision: Option<String>,
}

impl Cart {
    /// Items in the cart, counting quantities (the header badge).
    pub fn item_count(&self) -> u32 {
        self.lines.iter().map(|l| l.quantity).sum()
    }

    /// Quantity of a product/variant already in the cart.
    pub fn quantity_of(&self, product_id: &str, variant_id: Option<&str>) -> u32 {
        self.lines
            .iter()
            .filter(|l| l.product_id == product_id && l.variant_id.as_deref() == variant_id)
            .map(|l| l.quantity)
            .sum()
    }

    pub fn line(&self, line_id: &str) -> Option<&CartLine> {
        self.lines.iter().find(|l| l.id == line_id)
    }
}

/// Totals as Wix computes them (estimate-totals / estimate).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CartTotals {
    pub subtotal: Money,
    pub discount: Money,
    pub shipping: Money,
    pub tax: Money,
    pub total: Money,
}

/// Where Wix should send the shopper after the hosted checkout (§6).
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct Callbacks {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_flow_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thank_you_page_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cart_page_url: Option<String>,
}

/// The last segment of `/product-page/<slug>`.
pub(crate) fn slug_from_path(path: Option<&str>) -> Option<String> {
    path?
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

impl WixClient {
    /// The visitor's current cart; `Ok(None)` before the first add.
    pub async fn current_cart(&self, access_token: &str) -> Result<Option<Cart>, WixError> {
        match self.config().cart_api {
            CartApi::V1 => v1::get(self, access_token).await,
            CartApi::V2 => v2::get(self, access_token).await,
        }
    }

    /// Adds lines (creating the cart). Wix answers 200 even when nothing was added (missing
    /// variant, out of stock, capped quantity; §5.2): compare the returned cart.
    pub async fn add_to_cart(
        &self,
        access_token: &str,
        items: &[LineItemInput],
    ) -> Result<Cart, WixError> {
        match self.config().cart_api {
            CartApi::V1 => v1::add(self, access_token, items).await,
            CartApi::V2 => v2::add(self, access_token, items).await,
        }
    }

    /// Sets one line's quantity (1 or more; remove the line for 0).
    pub async fn update_cart_quantity(
        &self,
        access_token: &str,
        line_id: &str,
        quantity: u32,
    ) -> Result<Cart, WixError> {
        match self.config().cart_api {
            CartApi::V1 => v1::set_quantity(self, access_token, line_id, quantity).await,
            CartApi::V2 => v2::set_quantity(self, access_token, line_id, quantity).await,
        }
    }

    pub async fn remove_cart_lines(
        &self,
        access_token: &str,
        line_ids: &[String],
    ) -> Result<Cart, WixError> {
        let path = match self.config().cart_api {
            CartApi::V1 => "/ecom/v1/carts/current/remove-line-items",
            CartApi::V2 => "/ecom/v2/carts/current/remove-line-items",
        };
        let body = serde_json::json!({ "lineItemIds": line_ids });
        match self.config().cart_api {
            CartApi::V1 => v1::cart_call(self, access_token, path, &body).await,
            CartApi::V2 => v2::cart_call(self, access_token, path, &body).await,
        }
    }

    /// Totals computed by Wix; `Ok(None)` when there is no cart (or, V2, an empty one).
    pub async fn cart_totals(&self, access_token: &str) -> Result<Option<CartTotals>, WixError> {
        let result = match self.config().cart_api {
            CartApi::V1 => v1::totals(self, access_token).await,
            CartApi::V2 => v2::totals(self, access_token).await,
        };
        match result {
            Err(error) if error.status() == Some(404) => Ok(None),
            other => other.map(Some),
        }
    }

    /// The id Wix's hosted checkout takes: a new v1 checkout, or (V2) the cart id itself (§5b.6).
    pub async fn checkout_id(&self, access_token: &str, cart: &Cart) -> Result<String, WixError> {
        match self.config().cart_api {
            CartApi::V1 => v1::create_checkout(self, access_token).await,
            CartApi::V2 => Ok(cart.id.clone()),
        }
    }

    /// A redirect session to Wix's hosted checkout (§6); returns `fullUrl`.
    pub async fn checkout_redirect(
        &self,
        access_token: &str,
        checkout_id: &str,
        callbacks: &Callbacks,
    ) -> Result<String, WixError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Session {
            full_url: String,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Envelope {
            redirect_session: Session,
        }
        let body = serde_json::json!({
            "ecomCheckout": {"checkoutId": checkout_id},
            "callbacks": callbacks,
        });
        let envelope: Envelope = self
            .send(
                Method::POST,
                "/_api/redirects-api/v1/redirect-session",
                Some(access_token),
                Some(&body),
            )
            .await?;
        Ok(envelope.redirect_session.full_url)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn slugs_come_from_product_page_paths() {
        assert_eq!(
            super::slug_from_path(Some("/product-page/ceramic-vase")).as_deref(),
            Some("ceramic-vase")
        );
        assert_eq!(super::slug_from_path(Some("")), None);
        assert_eq!(super::slug_from_path(None), None);
    }
}
