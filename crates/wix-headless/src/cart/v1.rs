//! Cart v1 wire format (wix-api.md §5) and its mapping to [`super::Cart`].

use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{
    slug_from_path,
    wire::{self, DescriptionLine, Image, PageUrl, Translatable},
    Cart, CartLine, CartTotals, CatalogReference, LineItemInput,
};
use crate::{client::WixClient, error::WixError, money::Money};

const BASE: &str = "/ecom/v1/carts/current";

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Price {
    #[serde(default)]
    amount: String,
    #[serde(default)]
    formatted_amount: Option<String>,
}

#[derive(Deserialize, Default)]
struct Availability {
    #[serde(default)]
    status: Option<String>,
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
}

fn money(price: &Price, currency: &str) -> Money {
    Money::new(&price.amount, price.formatted_amount.as_deref(), currency)
}

impl wire::IntoCart for WireCart {
    fn into_cart(self) -> Cart {
        let currency = self.currency.unwrap_or_else(|| "USD".into());
        let lines: Vec<CartLine> = self
            .line_items
            .into_iter()
            .map(|line| {
                let unit_price = money(&line.price, &currency);
                let full_price = line
                    .full_price
                    .as_ref()
                    .map(|p| money(p, &currency))
                    .filter(|f| f.cents() > unit_price.cents());
                let line_total = line
                    .line_item_price
                    .as_ref()
                    .map(|p| money(p, &currency))
                    .unwrap_or_else(|| {
                        Money::from_cents(unit_price.cents() * i64::from(line.quantity), &currency)
                    });
                CartLine {
                    id: line.id,
                    product_id: line.catalog_reference.catalog_item_id.clone(),
                    variant_id: line.catalog_reference.variant_id().map(str::to_owned),
                    name: line.product_name.text().to_owned(),
                    quantity: line.quantity,
                    unit_price,
                    full_price,
                    line_total,
                    options: line
                        .description_lines
                        .iter()
                        .map(DescriptionLine::text)
                        .collect(),
                    image_url: line.image.and_then(|i| i.url),
                    slug: slug_from_path(
                        line.url.as_ref().and_then(|u| u.relative_path.as_deref()),
                    ),
                    available: matches!(
                        line.availability.status.as_deref(),
                        None | Some("AVAILABLE")
                    ),
                }
            })
            .collect();
        // `subtotal` is live but untyped (§5.3); fall back to the sum of available lines.
        let subtotal = self
            .subtotal
            .as_ref()
            .map(|p| money(p, &currency))
            .unwrap_or_else(|| {
                let cents: i64 = lines
                    .iter()
                    .filter(|l| l.available)
                    .map(|l| l.line_total.cents())
                    .sum();
                Money::from_cents(cents, &currency)
            });
        Cart {
            id: self.id,
            lines,
            subtotal,
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
        error.code() == Some("OWNED_CART_NOT_FOUND")
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
        &format!("{BASE}/add-to-cart"),
        &json!({ "lineItems": items }),
    )
    .await
}

pub(super) async fn set_quantity(
    wix: &WixClient,
    token: &str,
    line_id: &str,
    quantity: u32,
) -> Result<Cart, WixError> {
    let body = json!({"lineItems": [{"id": line_id, "quantity": quantity}]});
    cart_call(
        wix,
        token,
        &format!("{BASE}/update-line-items-quantity"),
        &body,
    )
    .await
}

pub(super) async fn totals(wix: &WixClient, token: &str) -> Result<CartTotals, WixError> {
    #[derive(Deserialize)]
    struct PriceSummary {
        subtotal: Price,
        #[serde(default)]
        discount: Price,
        #[serde(default)]
        shipping: Price,
        #[serde(default)]
        tax: Price,
        total: Price,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Estimate {
        price_summary: PriceSummary,
        #[serde(default)]
        currency: Option<String>,
    }
    let estimate: Estimate = wix
        .read(
            Method::POST,
            &format!("{BASE}/estimate-totals"),
            Some(token),
            Some(&json!({})),
        )
        .await?;
    let currency = estimate.currency.unwrap_or_else(|| "USD".into());
    let s = estimate.price_summary;
    Ok(CartTotals {
        subtotal: money(&s.subtotal, &currency),
        discount: money(&s.discount, &currency),
        shipping: money(&s.shipping, &currency),
        tax: money(&s.tax, &currency),
        total: money(&s.total, &currency),
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
        .await?;
    Ok(created.checkout_id)
}
