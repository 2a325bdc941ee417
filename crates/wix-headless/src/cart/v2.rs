//! Current Cart V2 wire format (wix-api.md §5b, §9.2) and its mapping to [`super::Cart`]. V2
//! money has no formatted strings: amounts are formatted from the cart's currency.

use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{
    slug_from_path,
    wire::{self, DescriptionLine, Image, PageUrl, Translatable, WireCoupon},
    Cart, CartLine, CartTotals, CatalogReference, LineItemInput, LineStatus, NamedAmount,
};
use crate::{
    client::WixClient,
    error::WixError,
    money::{Amount, Money},
};

const BASE: &str = "/ecom/v2/carts/current";

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ConvertedMoney {
    #[serde(default)]
    amount: Amount,
    #[serde(default)]
    converted_amount: Amount,
}

impl ConvertedMoney {
    /// Wix's own client shows `convertedAmount ?? amount` (§9.2).
    fn money(&self, currency: &str) -> Money {
        let amount = self
            .converted_amount
            .0
            .or(self.amount.0)
            .unwrap_or_default();
        Money::new(amount, currency, None)
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Attributes {
    #[serde(default)]
    description_lines: Vec<DescriptionLine>,
    #[serde(default)]
    url: Option<PageUrl>,
    /// Absent on live carts right after an add (§9.2): callers join images from the catalog.
    #[serde(default)]
    image: Option<Image>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct QuantityInfo {
    #[serde(default)]
    requested_quantity: Option<u32>,
    #[serde(default)]
    confirmed_quantity: Option<u32>,
    #[serde(default)]
    available_quantity: Option<u32>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Breakdown {
    #[serde(default)]
    full_price: Option<ConvertedMoney>,
    #[serde(default)]
    sale_price: Option<ConvertedMoney>,
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
    #[serde(default)]
    coupons: Vec<WireCoupon>,
}

impl WireCart {
    /// `customerInfo.currencyCode ?? businessInfo.currencyCode` (§9.2).
    fn currency(&self) -> String {
        self.customer_info
            .currency_code
            .clone()
            .or_else(|| self.business_info.currency_code.clone())
            .unwrap_or_else(|| "USD".into())
    }
}

fn status(text: Option<&str>) -> LineStatus {
    match text {
        Some("PARTIALLY_IN_STOCK") => LineStatus::PartiallyInStock,
        Some("OUT_OF_STOCK") => LineStatus::OutOfStock,
        Some("REMOVED_FROM_CATALOG") => LineStatus::RemovedFromCatalog,
        _ => LineStatus::InStock,
    }
}

impl wire::IntoCart for WireCart {
    fn into_cart(self, media_base: &str) -> Cart {
        let currency = self.currency();
        let lines = self
            .line_items
            .into_iter()
            .map(|line| {
                let unit_price = line.pricing.unit_price.money(&currency);
                let before_sale = line
                    .pricing
                    .breakdown
                    .full_price
                    .as_ref()
                    .or(line.pricing.breakdown.sale_price.as_ref())
                    .map(|p| p.money(&currency))
                    .filter(|f| f.amount > unit_price.amount);
                let requested = line.quantity_info.requested_quantity.unwrap_or(0);
                CartLine {
                    id: line.id,
                    product_id: line.source.catalog_reference.catalog_item_id.clone(),
                    variant_id: line
                        .source
                        .catalog_reference
                        .variant_id()
                        .map(str::to_owned),
                    name: line.name.text().to_owned(),
                    // The quantity Wix confirmed, never the one asked for (§9.2).
                    quantity: line.quantity_info.confirmed_quantity.unwrap_or(0),
                    requested_quantity: requested,
                    available_quantity: line.quantity_info.available_quantity,
                    unit_price,
                    full_price: before_sale,
                    line_total: line.pricing.total_price.money(&currency),
                    options: line
                        .attributes
                        .description_lines
                        .iter()
                        .map(DescriptionLine::text)
                        .collect(),
                    image: line.attributes.image.and_then(|i| i.image(media_base)),
                    slug: slug_from_path(
                        line.attributes
                            .url
                            .as_ref()
                            .and_then(|u| u.relative_path.as_deref()),
                    ),
                    status: status(line.status.as_deref()),
                }
            })
            .collect();
        Cart {
            id: self.id,
            lines,
            subtotal: self.subtotal.money(&currency),
            currency,
            revision: self.revision,
            coupon: self.coupons.into_iter().next().map(WireCoupon::into_coupon),
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

/// `{"catalogItems": [...]}` (§9.2).
pub(super) fn add_body(items: &[LineItemInput]) -> Value {
    json!({ "catalogItems": items })
}

pub(super) async fn add(
    wix: &WixClient,
    token: &str,
    items: &[LineItemInput],
) -> Result<Cart, WixError> {
    change(wix, token, "add-line-items", &add_body(items)).await
}

/// `{"lineItems": [{"lineItemId", "quantity": {"newQuantity"}}]}`; the flat v1 form is a 400.
pub(super) fn quantity_body(line_id: &str, quantity: u32) -> Value {
    json!({"lineItems": [{"lineItemId": line_id, "quantity": {"newQuantity": quantity}}]})
}

pub(super) async fn set_quantity(
    wix: &WixClient,
    token: &str,
    line_id: &str,
    quantity: u32,
) -> Result<Cart, WixError> {
    change(
        wix,
        token,
        "update-line-items",
        &quantity_body(line_id, quantity),
    )
    .await
}

/// Tax and additional fees are asked for (§9.2 T); delivery needs an address, so it is not.
pub(super) fn estimate_body() -> Value {
    json!({"calculateTax": true, "calculateAdditionalFees": true})
}

pub(super) async fn totals(wix: &WixClient, token: &str) -> Result<CartTotals, WixError> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct PriceSummary {
        #[serde(default)]
        subtotal: ConvertedMoney,
        #[serde(default)]
        discount: ConvertedMoney,
        #[serde(default)]
        delivery: Option<ConvertedMoney>,
        #[serde(default)]
        tax: Option<ConvertedMoney>,
        #[serde(default)]
        total: ConvertedMoney,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Named {
        #[serde(default)]
        name: Option<Value>,
        #[serde(default)]
        amount_off: Option<ConvertedMoney>,
        #[serde(default)]
        total: Option<ConvertedMoney>,
        #[serde(default)]
        price: Option<ConvertedMoney>,
    }
    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    struct TaxSummary {
        #[serde(default)]
        prices_include_tax: bool,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Summary {
        price_summary: PriceSummary,
        #[serde(default)]
        discounts: Vec<Named>,
        #[serde(default)]
        additional_fees: Vec<Named>,
        #[serde(default)]
        tax_summary: TaxSummary,
    }
    #[derive(Deserialize)]
    struct Estimate {
        cart: WireCart,
        summary: Summary,
    }
    let estimate: Estimate =
        wire::read(wix, token, &format!("{BASE}/estimate"), &estimate_body()).await?;
    let currency = estimate.cart.currency();
    let summary = estimate.summary;
    let named = |items: Vec<Named>, fallback: &str| -> Vec<NamedAmount> {
        items
            .into_iter()
            .filter_map(|item| {
                let amount = item
                    .amount_off
                    .or(item.total)
                    .or(item.price)?
                    .money(&currency);
                let name = match item.name {
                    Some(Value::String(name)) => name,
                    Some(Value::Object(map)) => map
                        .get("translated")
                        .or_else(|| map.get("original"))
                        .and_then(Value::as_str)
                        .unwrap_or(fallback)
                        .to_owned(),
                    _ => fallback.to_owned(),
                };
                (!amount.is_zero()).then_some(NamedAmount { name, amount })
            })
            .collect()
    };
    let price = summary.price_summary;
    // Nothing calculated reads 0: shown as unknown, never as free (§9.2).
    let calculated =
        |m: Option<ConvertedMoney>| m.map(|m| m.money(&currency)).filter(|m| !m.is_zero());
    Ok(CartTotals {
        subtotal: price.subtotal.money(&currency),
        discount: price.discount.money(&currency),
        discounts: named(summary.discounts, "Discount"),
        fees: named(summary.additional_fees, "Fee"),
        delivery: calculated(price.delivery),
        tax: calculated(price.tax),
        prices_include_tax: summary.tax_summary.prices_include_tax,
        total: price.total.money(&currency),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cart::wire::IntoCart;

    #[test]
    fn request_bodies_are_the_v2_shapes() {
        let items = [LineItemInput {
            quantity: 2,
            catalog_reference: CatalogReference::stores_product("p", Some("v")),
        }];
        assert_eq!(
            add_body(&items),
            json!({"catalogItems": [{"quantity": 2, "catalogReference": {
                "catalogItemId": "p", "appId": "215238eb-22a5-4c36-9e7b-e7c08025e04e",
                "options": {"variantId": "v"}}}]})
        );
        assert_eq!(
            quantity_body("l1", 3),
            json!({"lineItems": [{"lineItemId": "l1", "quantity": {"newQuantity": 3}}]})
        );
        assert_eq!(
            estimate_body(),
            json!({"calculateTax": true, "calculateAdditionalFees": true})
        );
    }

    #[test]
    fn lines_count_what_wix_confirmed() {
        let cart: WireCart = serde_json::from_value(json!({"id": "c",
            "customerInfo": {"currencyCode": "JPY"},
            "coupons": [{"id": "k", "code": "SAVE10"}],
            "lineItems": [
                {"id": "l1", "name": {"original": "Mug"}, "status": "OUT_OF_STOCK",
                 "quantityInfo": {"requestedQuantity": 1, "confirmedQuantity": 0, "availableQuantity": 0},
                 "pricing": {"unitPrice": {"amount": "1200"}, "totalPrice": {"amount": "0"},
                             "breakdown": {"fullPrice": {"amount": "1500"}}},
                 "source": {"catalogReference": {"catalogItemId": "p", "appId": "a", "options": {"variantId": "v"}}}},
                {"id": "l2", "quantityInfo": {"requestedQuantity": 5, "confirmedQuantity": 3},
                 "pricing": {"unitPrice": {"amount": "10", "convertedAmount": "12"}},
                 "source": {"catalogReference": {"catalogItemId": "q", "appId": "a"}}}]}))
        .expect("wire cart");
        let cart = cart.into_cart("https://static.wixstatic.com/media/");
        assert_eq!(cart.item_count(), 3, "confirmed quantities, not requested");
        let first = &cart.lines[0];
        assert_eq!(first.status, LineStatus::OutOfStock);
        assert!(!first.available());
        assert_eq!(first.unit_price.formatted, "¥1,200");
        assert_eq!(
            first.full_price.as_ref().map(|p| p.formatted.as_str()),
            Some("¥1,500")
        );
        let second = &cart.lines[1];
        assert_eq!((second.quantity, second.requested_quantity), (3, 5));
        assert!(second.available(), "a missing status counts as in stock");
        assert_eq!(second.unit_price.formatted, "¥12", "convertedAmount first");
        assert_eq!(cart.coupon.map(|c| c.code), Some("SAVE10".into()));
    }
}
