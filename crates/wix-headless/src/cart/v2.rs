//! Current Cart V2 wire format (wix-api.md §5b) and its mapping to [`super::Cart`]. V2 money has
//! no formatted strings: amounts are formatted from the cart's currency.

use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{
    slug_from_path,
    wire::{self, DescriptionLine, Image, PageUrl, Translatable},
    Cart, CartLine, CartTotals, CatalogReference, LineItemInput,
};
use crate::{client::WixClient, error::WixError, money::Money};

const BASE: &str = "/ecom/v2/carts/current";

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ConvertedMoney {
    #[serde(default)]
    amount: String,
    #[serde(default)]
    converted_amount: Option<String>,
}

impl ConvertedMoney {
    /// Wix's own client shows `convertedAmount ?? amount`.
    fn money(&self, currency: &str) -> Money {
        let amount = self
            .converted_amount
            .as_deref()
            .filter(|a| !a.is_empty())
            .unwrap_or(&self.amount);
        Money::new(amount, None, currency)
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Attributes {
    #[serde(default)]
    description_lines: Vec<DescriptionLine>,
    #[serde(default)]
    url: Option<PageUrl>,
    #[serde(default)]
    image: Option<Image>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct QuantityInfo {
    #[serde(default)]
    requested_quantity: u32,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Breakdown {
    #[serde(default)]
    full_price: Option<ConvertedMoney>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Pricing {
    #[serde(default)]
    unit_price: ConvertedMoney,
    #[serde(default)]
    total_price: ConvertedMoney,
    #[serde(default)]
    breakdown: Breakdown,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Source {
    catalog_reference: CatalogReference,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LineItem {
    id: String,
    #[serde(default)]
    name: Translatable,
    #[serde(default)]
    quantity_info: QuantityInfo,
    #[serde(default)]
    pricing: Pricing,
    source: Source,
    #[serde(default)]
    attributes: Attributes,
    #[serde(default)]
    status: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct CurrencyInfo {
    #[serde(default)]
    currency_code: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireCart {
    id: String,
    #[serde(default)]
    line_items: Vec<LineItem>,
    #[serde(default)]
    subtotal: ConvertedMoney,
    #[serde(default)]
    revision: Option<String>,
    #[serde(default)]
    customer_info: CurrencyInfo,
    #[serde(default)]
    business_info: CurrencyInfo,
}

impl WireCart {
    fn currency(&self) -> String {
        self.customer_info
            .currency_code
            .clone()
            .or_else(|| self.business_info.currency_code.clone())
            .unwrap_or_else(|| "USD".into())
    }
}

impl wire::IntoCart for WireCart {
    fn into_cart(self) -> Cart {
        let currency = self.currency();
        let lines = self
            .line_items
            .into_iter()
            .map(|line| {
                let unit_price = line.pricing.unit_price.money(&currency);
                let full_price = line
                    .pricing
                    .breakdown
                    .full_price
                    .as_ref()
                    .map(|p| p.money(&currency))
                    .filter(|f| f.cents() > unit_price.cents());
                CartLine {
                    id: line.id,
                    product_id: line.source.catalog_reference.catalog_item_id.clone(),
                    variant_id: line
                        .source
                        .catalog_reference
                        .variant_id()
                        .map(str::to_owned),
                    name: line.name.text().to_owned(),
                    quantity: line.quantity_info.requested_quantity,
                    unit_price,
                    full_price,
                    line_total: line.pricing.total_price.money(&currency),
                    options: line
                        .attributes
                        .description_lines
                        .iter()
                        .map(DescriptionLine::text)
                        .collect(),
                    // Wix's clients report no image on live V2 carts (§5b.4): callers join it from the catalog.
                    image_url: line.attributes.image.and_then(|i| i.url),
                    slug: slug_from_path(
                        line.attributes
                            .url
                            .as_ref()
                            .and_then(|u| u.relative_path.as_deref()),
                    ),
                    available: matches!(line.status.as_deref(), None | Some("IN_STOCK")),
                }
            })
            .collect();
        Cart {
            id: self.id,
            lines,
            subtotal: self.subtotal.money(&currency),
            currency,
            revision: self.revision,
        }
    }
}

pub(super) async fn cart_call(
    wix: &WixClient,
    token: &str,
    path: &str,
    body: &Value,
) -> Result<Cart, WixError> {
    wire::change::<WireCart>(wix, token, path, body).await
}

pub(super) async fn get(wix: &WixClient, token: &str) -> Result<Option<Cart>, WixError> {
    wire::current::<WireCart>(wix, token, BASE, |error| {
        // No current cart: 404, code UNCONFIRMED (§5b.9), so the status decides.
        error.status() == Some(404)
    })
    .await
}

pub(super) async fn add(
    wix: &WixClient,
    token: &str,
    items: &[LineItemInput],
) -> Result<Cart, WixError> {
    cart_call(
        wix,
        token,
        &format!("{BASE}/add-line-items"),
        &json!({ "catalogItems": items }),
    )
    .await
}

pub(super) async fn set_quantity(
    wix: &WixClient,
    token: &str,
    line_id: &str,
    quantity: u32,
) -> Result<Cart, WixError> {
    let body =
        json!({"lineItems": [{"lineItemId": line_id, "quantity": {"newQuantity": quantity}}]});
    cart_call(wix, token, &format!("{BASE}/update-line-items"), &body).await
}

pub(super) async fn totals(wix: &WixClient, token: &str) -> Result<CartTotals, WixError> {
    #[derive(Deserialize)]
    struct PriceSummary {
        subtotal: ConvertedMoney,
        #[serde(default)]
        discount: ConvertedMoney,
        #[serde(default)]
        delivery: ConvertedMoney,
        #[serde(default)]
        tax: ConvertedMoney,
        total: ConvertedMoney,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Summary {
        price_summary: PriceSummary,
    }
    #[derive(Deserialize)]
    struct Estimate {
        cart: WireCart,
        summary: Summary,
    }
    let estimate: Estimate = wix
        .read(
            Method::POST,
            &format!("{BASE}/estimate"),
            Some(token),
            Some(&json!({})),
        )
        .await?;
    let currency = estimate.cart.currency();
    let s = estimate.summary.price_summary;
    Ok(CartTotals {
        subtotal: s.subtotal.money(&currency),
        discount: s.discount.money(&currency),
        shipping: s.delivery.money(&currency),
        tax: s.tax.money(&currency),
        total: s.total.money(&currency),
    })
}
