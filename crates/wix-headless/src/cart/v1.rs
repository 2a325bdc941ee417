//! Cart v1 wire format (wix-api.md §5, §9.7) and its mapping to [`super::Cart`]. Wix removes
//! Cart v1 on 2027-02-01; it stays selectable until then.

use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{
    slug_from_path,
    wire::{self, DescriptionLine, Image, PageUrl, Price, Translatable, WireCoupon},
    Cart, CartLine, CartTotals, CatalogReference, LineItemInput, LineStatus,
};
use crate::{client::WixClient, error::WixError, money::Money};

const BASE: &str = "/ecom/v1/carts/current";

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Availability {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    quantity_available: Option<u32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LineItem {
    id: String,
    quantity: u32,
    catalog_reference: CatalogReference,
    #[serde(default)]
    product_name: Translatable,
    #[serde(default)]
    price: Price,
    #[serde(default)]
    full_price: Option<Price>,
    #[serde(default)]
    line_item_price: Option<Price>,
    #[serde(default)]
    description_lines: Vec<DescriptionLine>,
    #[serde(default)]
    image: Option<Image>,
    #[serde(default)]
    url: Option<PageUrl>,
    #[serde(default)]
    availability: Availability,
}

#[derive(Deserialize)]
struct AppliedDiscount {
    #[serde(default)]
    coupon: Option<WireCoupon>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireCart {
    id: String,
    #[serde(default)]
    line_items: Vec<LineItem>,
    #[serde(default)]
    currency: Option<String>,
    #[serde(default)]
    subtotal: Option<Price>,
    #[serde(default)]
    revision: Option<String>,
    #[serde(default)]
    applied_discounts: Vec<AppliedDiscount>,
}

fn status(text: Option<&str>) -> LineStatus {
    match text {
        Some("PARTIALLY_AVAILABLE") => LineStatus::PartiallyInStock,
        Some("NOT_AVAILABLE") => LineStatus::OutOfStock,
        Some("NOT_FOUND") => LineStatus::RemovedFromCatalog,
        _ => LineStatus::InStock,
    }
}

impl wire::IntoCart for WireCart {
    fn into_cart(self, media_base: &str) -> Cart {
        let currency = self.currency.unwrap_or_else(|| "USD".into());
        let lines: Vec<CartLine> = self
            .line_items
            .into_iter()
            .map(|line| {
                let unit_price = line.price.money(&currency);
                let full_price = line
                    .full_price
                    .as_ref()
                    .map(|p| p.money(&currency))
                    .filter(|f| f.amount > unit_price.amount);
                let line_total = line
                    .line_item_price
                    .as_ref()
                    .map(|p| p.money(&currency))
                    .unwrap_or_else(|| unit_price.times(line.quantity));
                let status = status(line.availability.status.as_deref());
                // Wix caps a v1 quantity at the stock silently (§9.7): what it shows is what it sells.
                let confirmed = if matches!(
                    status,
                    LineStatus::OutOfStock | LineStatus::RemovedFromCatalog
                ) {
                    0
                } else {
                    line.quantity
                };
                CartLine {
                    id: line.id,
                    product_id: line.catalog_reference.catalog_item_id.clone(),
                    variant_id: line.catalog_reference.variant_id().map(str::to_owned),
                    name: line.product_name.text().to_owned(),
                    quantity: confirmed,
                    requested_quantity: line.quantity,
                    available_quantity: line.availability.quantity_available,
                    unit_price,
                    full_price,
                    line_total,
                    options: line
                        .description_lines
                        .iter()
                        .map(DescriptionLine::text)
                        .collect(),
                    image: line.image.and_then(|i| i.image(media_base)),
                    slug: slug_from_path(
                        line.url.as_ref().and_then(|u| u.relative_path.as_deref()),
                    ),
                    status,
                }
            })
            .collect();
        // `subtotal` is live but untyped (§5.3); fall back to the sum of available lines.
        let subtotal = self
            .subtotal
            .as_ref()
            .map(|p| p.money(&currency))
            .unwrap_or_else(|| {
                let sum = lines
                    .iter()
                    .filter(|l| l.available())
                    .map(|l| l.line_total.amount)
                    .sum();
                Money::computed(sum, &currency)
            });
        Cart {
            id: self.id,
            lines,
            subtotal,
            currency,
            revision: self.revision,
            coupon: self
                .applied_discounts
                .into_iter()
                .find_map(|d| d.coupon)
                .map(WireCoupon::into_coupon),
        }
    }
}

/// A change at `BASE/<action>`.
pub(super) async fn change(
    wix: &WixClient,
    token: &str,
    action: &str,
    body: &Value,
) -> Result<Cart, WixError> {
    let path = format!("{BASE}/{action}");
    wire::change::<WireCart>(wix, token, Method::POST, &path, body).await
}

pub(super) async fn get(wix: &WixClient, token: &str) -> Result<Option<Cart>, WixError> {
    wire::current::<WireCart>(wix, token, BASE).await
}

pub(super) async fn add(
    wix: &WixClient,
    token: &str,
    items: &[LineItemInput],
) -> Result<Cart, WixError> {
    change(wix, token, "add-to-cart", &json!({ "lineItems": items })).await
}

pub(super) async fn set_quantity(
    wix: &WixClient,
    token: &str,
    line_id: &str,
    quantity: u32,
) -> Result<Cart, WixError> {
    let body = json!({"lineItems": [{"id": line_id, "quantity": quantity}]});
    change(wix, token, "update-line-items-quantity", &body).await
}

/// v1 applies a coupon by updating the cart (§5.1).
pub(super) async fn add_coupon(wix: &WixClient, token: &str, code: &str) -> Result<Cart, WixError> {
    wire::change::<WireCart>(
        wix,
        token,
        Method::PATCH,
        BASE,
        &json!({"couponCode": code}),
    )
    .await
}

pub(super) async fn totals(wix: &WixClient, token: &str) -> Result<CartTotals, WixError> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct PriceSummary {
        #[serde(default)]
        subtotal: Price,
        #[serde(default)]
        discount: Price,
        #[serde(default)]
        shipping: Option<Price>,
        #[serde(default)]
        tax: Option<Price>,
        #[serde(default)]
        total: Price,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Estimate {
        price_summary: PriceSummary,
        #[serde(default)]
        currency: Option<String>,
    }
    let estimate: Estimate = wire::read(
        wix,
        token,
        &format!("{BASE}/estimate-totals"),
        &json!({"calculateTax": true, "calculateAdditionalFees": true}),
    )
    .await?;
    let currency = estimate.currency.unwrap_or_else(|| "USD".into());
    let s = estimate.price_summary;
    let calculated = |p: Option<Price>| p.map(|p| p.money(&currency)).filter(|m| !m.is_zero());
    Ok(CartTotals {
        subtotal: s.subtotal.money(&currency),
        discount: s.discount.money(&currency),
        discounts: Vec::new(),
        fees: Vec::new(),
        delivery: calculated(s.shipping),
        tax: calculated(s.tax),
        prices_include_tax: false,
        total: s.total.money(&currency),
    })
}

pub(super) async fn create_checkout(wix: &WixClient, token: &str) -> Result<String, WixError> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Created {
        checkout_id: String,
    }
    let created: Created = wix
        .send(
            Method::POST,
            &format!("{BASE}/create-checkout"),
            Some(token),
            Some(&json!({"channelType": "WEB"})),
        )
        .await
        .map_err(|e| match e {
            WixError::NotFound { .. } => WixError::NoCart,
            other => other,
        })?;
    Ok(created.checkout_id)
}
