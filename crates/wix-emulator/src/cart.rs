//! The current cart (Cart v1, wix-api.md §5): stored lines joined with the catalog into Wix's
//! REST cart shape, and the rules of adding, updating and removing lines.

use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::{
    catalog::{Catalog, VariantInfo},
    error::ApiError,
    money::Cents,
    store::{CartRow, IdentityKind, StoredLine},
};

/// Wix Stores' app id in `catalogReference.appId` (§5.2).
pub const STORES_APP_ID: &str = "215238eb-22a5-4c36-9e7b-e7c08025e04e";
/// Largest quantity one line may hold. Wix caps silently at the stock level (§5.2); the demo
/// catalog has no stock counts, so this stands in for it (see `decisions`).
pub const MAX_LINE_QUANTITY: u32 = 99;
/// Largest quantity a request may name before it is rejected as invalid.
pub const MAX_REQUEST_QUANTITY: i64 = 100_000;
/// Most distinct lines one cart may hold.
pub const MAX_LINE_ITEMS: usize = 100;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LineItemInput {
    pub quantity: Option<i64>,
    pub catalog_reference: Option<CatalogReference>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogReference {
    pub catalog_item_id: Option<String>,
    pub app_id: Option<String>,
    #[serde(default)]
    pub options: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuantityUpdate {
    pub id: Option<String>,
    pub quantity: Option<i64>,
}

pub fn cart_not_found() -> ApiError {
    // UNCONFIRMED message text (§5.4); the code is well attested.
    ApiError::application(
        StatusCode::NOT_FOUND,
        "OWNED_CART_NOT_FOUND",
        "Cart not found",
    )
}

fn checked_quantity(quantity: Option<i64>, field: String) -> Result<u32, ApiError> {
    match quantity {
        Some(q) if (1..=MAX_REQUEST_QUANTITY).contains(&q) => Ok(q as u32),
        Some(_) => Err(ApiError::validation(
            field,
            format!("must be between 1 and {MAX_REQUEST_QUANTITY}"),
        )),
        None => Err(ApiError::validation(field, "is required")),
    }
}

/// A validated add request: product, optional variant, quantity.
pub struct AddRequest {
    pub product_id: String,
    pub variant_id: Option<String>,
    pub quantity: u32,
}

/// Checks an add-to-cart body before any state changes.
pub fn validate_add(
    catalog: &Catalog,
    items: &[LineItemInput],
) -> Result<Vec<AddRequest>, ApiError> {
    if items.is_empty() {
        return Err(ApiError::validation(
            "lineItems",
            "must contain at least one item",
        ));
    }
    let mut requests = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let quantity = checked_quantity(item.quantity, format!("lineItems[{index}].quantity"))?;
        let reference = item.catalog_reference.as_ref().ok_or_else(|| {
            ApiError::validation(
                format!("lineItems[{index}].catalogReference"),
                "is required",
            )
        })?;
        let product_id = reference
            .catalog_item_id
            .clone()
            .filter(|id| !id.is_empty())
            .ok_or_else(|| {
                ApiError::validation(
                    format!("lineItems[{index}].catalogReference.catalogItemId"),
                    "is required",
                )
            })?;
        let known = reference.app_id.as_deref() == Some(STORES_APP_ID)
            && catalog.by_id(&product_id).is_some();
        if !known {
            return Err(ApiError::application(
                StatusCode::PRECONDITION_REQUIRED,
                "ITEM_NOT_FOUND_IN_CATALOG",
                "Item not found in catalog",
            )
            .with_data(json!({"invalidItems": [{"catalogReference": {
                "catalogItemId": product_id, "appId": reference.app_id}}]})));
        }
        let variant_id = reference
            .options
            .as_ref()
            .and_then(|o| o.get("variantId"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        requests.push(AddRequest {
            product_id,
            variant_id,
            quantity,
        });
    }
    Ok(requests)
}

/// Adds lines the way Wix does, answering 200 whatever happens (§5.2, §9.2): a variant that
/// cannot be resolved (no `variantId` for a product with options) adds no line; a sold-out
/// variant adds a line that confirms nothing (`confirmedQuantity` 0, `OUT_OF_STOCK`); a line
/// asking for more than is left confirms what is left.
pub fn add_lines(
    catalog: &Catalog,
    cart: &mut CartRow,
    requests: Vec<AddRequest>,
) -> Result<(), ApiError> {
    for request in requests {
        let Some(product) = catalog.by_id(&request.product_id) else {
            continue;
        };
        if catalog
            .variant(product, request.variant_id.as_deref())
            .is_none()
        {
            continue;
        }
        let existing = cart.lines.iter_mut().find(|line| {
            line.product_id == request.product_id && line.variant_id == request.variant_id
        });
        match existing {
            Some(line) => {
                line.quantity = line
                    .quantity
                    .saturating_add(request.quantity)
                    .min(MAX_LINE_QUANTITY)
            }
            None => {
                if cart.lines.len() >= MAX_LINE_ITEMS {
                    return Err(ApiError::application(
                        StatusCode::BAD_REQUEST,
                        "MAX_LINE_ITEMS_EXCEEDED",
                        "Too many line items in cart",
                    )
                    .with_data(
                        json!({"requestCount": cart.lines.len() + 1, "maxCount": MAX_LINE_ITEMS}),
                    ));
                }
                cart.lines.push(StoredLine {
                    id: next_line_id(cart),
                    product_id: request.product_id,
                    variant_id: request.variant_id,
                    quantity: request.quantity.min(MAX_LINE_QUANTITY),
                });
            }
        }
    }
    Ok(())
}

/// Line ids look like Wix's (`00000000-0000-0000-0000-000000000001`) and are never reused.
fn next_line_id(cart: &CartRow) -> String {
    let highest = cart
        .lines
        .iter()
        .filter_map(|l| u64::from_str_radix(&l.id.replace('-', ""), 16).ok())
        .max()
        .unwrap_or(0)
        .max(cart.revision as u64);
    let n = highest.saturating_add(1);
    format!("00000000-0000-0000-0000-{n:012x}")
}

fn line_not_found(ids: Vec<String>) -> ApiError {
    // UNCONFIRMED for v1 (§5.4); this is Cart V2's declared code and status.
    ApiError::application(
        StatusCode::BAD_REQUEST,
        "LINE_ITEM_NOT_FOUND_IN_CART",
        "Line item not found in cart",
    )
    .with_data(json!({"lineItemIds": ids}))
}

pub fn update_quantities(cart: &mut CartRow, updates: &[QuantityUpdate]) -> Result<(), ApiError> {
    if updates.is_empty() {
        return Err(ApiError::validation(
            "lineItems",
            "must contain at least one item",
        ));
    }
    let mut checked = Vec::with_capacity(updates.len());
    for (index, update) in updates.iter().enumerate() {
        let id = update
            .id
            .clone()
            .ok_or_else(|| ApiError::validation(format!("lineItems[{index}].id"), "is required"))?;
        let quantity = checked_quantity(update.quantity, format!("lineItems[{index}].quantity"))?;
        checked.push((id, quantity));
    }
    let missing: Vec<String> = checked
        .iter()
        .filter(|(id, _)| !cart.lines.iter().any(|l| &l.id == id))
        .map(|(id, _)| id.clone())
        .collect();
    if !missing.is_empty() {
        return Err(line_not_found(missing));
    }
    for (id, quantity) in checked {
        if let Some(line) = cart.lines.iter_mut().find(|l| l.id == id) {
            line.quantity = quantity.min(MAX_LINE_QUANTITY);
        }
    }
    Ok(())
}

pub fn remove_lines(cart: &mut CartRow, ids: &[String]) -> Result<(), ApiError> {
    if ids.is_empty() {
        return Err(ApiError::validation(
            "lineItemIds",
            "must contain at least one id",
        ));
    }
    let missing: Vec<String> = ids
        .iter()
        .filter(|id| !cart.lines.iter().any(|l| &l.id == *id))
        .cloned()
        .collect();
    if !missing.is_empty() {
        return Err(line_not_found(missing));
    }
    cart.lines.retain(|l| !ids.contains(&l.id));
    Ok(())
}

/// A line joined with the catalog.
struct PricedLine<'a> {
    stored: &'a StoredLine,
    product: Option<&'a Value>,
    variant: Option<VariantInfo>,
}

/// A line's stock, in Cart V2's words (§5b.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineStock {
    InStock,
    PartiallyInStock,
    OutOfStock,
    RemovedFromCatalog,
}

impl PricedLine<'_> {
    /// What Wix can sell of this line: `min(requested, available)` (§5b.4).
    fn confirmed(&self) -> u32 {
        match &self.variant {
            Some(v) if v.in_stock => self
                .stored
                .quantity
                .min(v.stock.unwrap_or(MAX_LINE_QUANTITY)),
            _ => 0,
        }
    }

    /// Units left, where the catalog limits them (sold out is 0).
    fn available_quantity(&self) -> Option<u32> {
        match &self.variant {
            Some(v) if !v.in_stock => Some(0),
            Some(v) => v.stock,
            None => Some(0),
        }
    }

    fn stock(&self) -> LineStock {
        match &self.variant {
            None => LineStock::RemovedFromCatalog,
            Some(v) if !v.in_stock => LineStock::OutOfStock,
            Some(_) if self.confirmed() < self.stored.quantity => LineStock::PartiallyInStock,
            Some(_) => LineStock::InStock,
        }
    }

    fn available(&self) -> bool {
        self.confirmed() > 0
    }

    fn name(&self) -> &str {
        self.product
            .and_then(|p| p.get("name"))
            .and_then(Value::as_str)
            .unwrap_or("Unavailable item")
    }

    /// The price before a sale or discount, or the unit price when there is none.
    fn full_price(&self) -> Cents {
        self.variant
            .as_ref()
            .map(|v| v.full_price)
            .unwrap_or_else(|| self.unit_price())
    }

    fn unit_price(&self) -> Cents {
        self.variant.as_ref().map(|v| v.price).unwrap_or_default()
    }

    /// Only what is confirmed is charged.
    fn total(&self) -> Cents {
        self.unit_price().times(self.confirmed())
    }
}

fn priced_lines<'a>(catalog: &'a Catalog, cart: &'a CartRow) -> Vec<PricedLine<'a>> {
    cart.lines
        .iter()
        .map(|stored| {
            let product = catalog.by_id(&stored.product_id);
            let variant = product.and_then(|p| catalog.variant(p, stored.variant_id.as_deref()));
            PricedLine {
                stored,
                product,
                variant,
            }
        })
        .collect()
}

fn subtotal(lines: &[PricedLine]) -> Cents {
    Cents(lines.iter().map(|l| l.total().0).sum())
}

/// A demo coupon: percent off every line, under the conditions Wix checks when it is applied.
pub struct Coupon {
    pub code: &'static str,
    pub percent: i64,
    /// Past its end date: Wix refuses it with `INVALID_COUPON_STATUS`, reason `EXPIRED`.
    pub expired: bool,
    /// The cart's subtotal it needs, in cents (`MIN_SUBTOTAL_NOT_REACHED` below it).
    pub min_subtotal: Cents,
}

pub const COUPONS: &[Coupon] = &[
    Coupon {
        code: "SAVE10",
        percent: 10,
        expired: false,
        min_subtotal: Cents(0),
    },
    Coupon {
        code: "HALFOFF",
        percent: 50,
        expired: false,
        min_subtotal: Cents(0),
    },
    Coupon {
        code: "SUMMER2025",
        percent: 20,
        expired: true,
        min_subtotal: Cents(0),
    },
    Coupon {
        code: "BIGSPENDER",
        percent: 15,
        expired: false,
        min_subtotal: Cents(50_000),
    },
];

fn coupon(code: &str) -> Option<&'static Coupon> {
    COUPONS
        .iter()
        .find(|known| known.code.eq_ignore_ascii_case(code.trim()))
}

pub fn coupon_percent(code: &str) -> Option<i64> {
    coupon(code).map(|c| c.percent)
}

/// A stable GUID for the coupon applied to a cart (Cart V2 removes coupons by id).
pub fn coupon_id(cart: &CartRow, code: &str) -> String {
    uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_OID,
        format!("{}/{code}", cart.id).as_bytes(),
    )
    .to_string()
}

/// Money a cart adds up to: the discount is the sum of each line's share, so lines and totals agree.
pub struct Totals {
    pub subtotal: Cents,
    pub discount: Cents,
    pub total: Cents,
}

fn line_discount(line: &PricedLine, coupon: Option<&str>) -> Cents {
    let percent = coupon.and_then(coupon_percent).unwrap_or(0);
    Cents(line.total().0 * percent / 100)
}

fn totals(lines: &[PricedLine], coupon: Option<&str>) -> Totals {
    let subtotal = subtotal(lines);
    let discount = Cents(lines.iter().map(|l| line_discount(l, coupon).0).sum());
    Totals {
        subtotal,
        discount,
        total: Cents(subtotal.0 - discount.0),
    }
}

pub fn cart_totals(catalog: &Catalog, cart: &CartRow) -> Totals {
    totals(&priced_lines(catalog, cart), cart.coupon.as_deref())
}

/// Applies a coupon (one per cart).
pub fn add_coupon(catalog: &Catalog, cart: &mut CartRow, code: &str) -> Result<(), ApiError> {
    let code = code.trim().to_ascii_uppercase();
    if code.is_empty() || code.len() > 50 {
        return Err(ApiError::validation(
            "coupon.code",
            "must be 1 to 50 characters",
        ));
    }
    let Some(known) = coupon(&code) else {
        return Err(ApiError::application(
            StatusCode::BAD_REQUEST,
            "INVALID_COUPON_CODE",
            "Invalid coupon code",
        )
        .with_data(json!({"couponCode": code})));
    };
    let refused_because = |reason: &str| {
        ApiError::application(
            StatusCode::BAD_REQUEST,
            "INVALID_COUPON_STATUS",
            "Coupon cannot be applied",
        )
        .with_data(json!({"couponCode": code, "reason": reason}))
    };
    if known.expired {
        return Err(refused_because("EXPIRED"));
    }
    if subtotal(&priced_lines(catalog, cart)).0 < known.min_subtotal.0 {
        return Err(refused_because("MIN_SUBTOTAL_NOT_REACHED"));
    }
    match &cart.coupon {
        Some(existing) if *existing == code => Err(ApiError::application(
            StatusCode::BAD_REQUEST,
            "COUPON_ALREADY_EXISTS",
            "Coupon already applied",
        )
        .with_data(json!({"couponCode": code}))),
        Some(_) => Err(ApiError::application(
            StatusCode::BAD_REQUEST,
            "MAX_COUPONS_PER_CART_EXCEEDED",
            "Only one coupon per cart",
        )),
        None => {
            cart.coupon = Some(code);
            Ok(())
        }
    }
}

/// The cart in Wix's REST shape (§5.3).
pub fn cart_json(catalog: &Catalog, cart: &CartRow) -> Value {
    let symbol = &catalog.currency().symbol;
    let code = &catalog.currency().code;
    let lines = priced_lines(catalog, cart);
    let line_items: Vec<Value> = lines.iter().map(|line| line_json(line, symbol)).collect();
    let totals = totals(&lines, cart.coupon.as_deref());
    let applied: Vec<Value> = cart
        .coupon
        .iter()
        .map(|code| {
            json!({"discountType": "GLOBAL", "coupon": {
            "id": coupon_id(cart, code), "code": code, "name": code,
            "amount": totals.discount.multi_currency(symbol)}})
        })
        .collect();
    let buyer = match cart.identity.kind {
        IdentityKind::Visitor => json!({"visitorId": cart.identity.id}),
        IdentityKind::Member => json!({"memberId": cart.identity.id}),
    };
    json!({
        "id": cart.id,
        "lineItems": line_items,
        "buyerInfo": buyer,
        "currency": code, "conversionCurrency": code, "paymentCurrency": code,
        "buyerLanguage": "en", "siteLanguage": "en",
        "taxIncludedInPrices": false,
        "weightUnit": "KG",
        "subtotal": totals.subtotal.multi_currency(symbol),
        "subtotalAfterDiscounts": totals.total.multi_currency(symbol),
        "discount": totals.discount.multi_currency(symbol),
        "checkoutId": cart.id,
        "appliedDiscounts": applied,
        "createdDate": cart.created_at,
        "updatedDate": cart.updated_at,
        "purchaseFlowId": cart.id,
        "managedByV2": true,
        "revision": cart.revision.to_string(),
    })
}

fn line_json(line: &PricedLine, symbol: &str) -> Value {
    let product = line.product;
    let name = line.name();
    let price = line.unit_price();
    let full_price = line.full_price();
    let status = match line.stock() {
        LineStock::RemovedFromCatalog => "NOT_FOUND",
        LineStock::OutOfStock => "NOT_AVAILABLE",
        // v1 caps a quantity at the stock silently (§9.7): what it shows is available.
        LineStock::InStock | LineStock::PartiallyInStock => "AVAILABLE",
    };
    // v1 shows the capped quantity of a line it can sell, and the requested one otherwise.
    let quantity = if line.available() {
        line.confirmed()
    } else {
        line.stored.quantity
    };
    let description_lines: Vec<Value> = line
        .variant
        .iter()
        .flat_map(|v| v.choices.iter())
        .map(|(option, choice, colour)| match colour {
            Some(code) => json!({"name": {"original": option, "translated": option},
                                 "colorInfo": {"original": choice, "translated": choice, "code": code},
                                 "lineType": "COLOR"}),
            None => json!({"name": {"original": option, "translated": option},
                           "plainText": {"original": choice, "translated": choice},
                           "lineType": "PLAIN_TEXT"}),
        })
        .collect();
    let mut reference = json!({"catalogItemId": line.stored.product_id, "appId": STORES_APP_ID});
    if let Some(variant_id) = &line.stored.variant_id {
        reference["options"] = json!({"variantId": variant_id});
    }
    let mut availability = json!({"status": status});
    if let Some(left) = line.available_quantity() {
        availability["quantityAvailable"] = json!(left);
    }
    let mut item = json!({
        "id": line.stored.id,
        "quantity": quantity,
        "catalogReference": reference,
        "productName": {"original": name, "translated": name},
        "price": price.multi_currency(symbol),
        "fullPrice": full_price.multi_currency(symbol),
        "priceBeforeDiscounts": price.multi_currency(symbol),
        "lineItemPrice": line.total().multi_currency(symbol),
        "descriptionLines": description_lines,
        "availability": availability,
        "physicalProperties": {"sku": line.variant.as_ref().and_then(|v| v.sku.clone()), "shippable": true},
        "itemType": {"preset": "PHYSICAL"},
        "paymentOption": "FULL_PAYMENT_ONLINE",
        "rootCatalogItemId": line.stored.product_id,
        "customLineItem": false,
        "priceUndetermined": false,
        "fixedQuantity": false,
        "membersOnly": false,
        "policies": [],
        "modifierGroups": [],
    });
    if let Some(product) = product {
        if let Some(url) = product.get("url") {
            item["url"] = url.clone();
        }
        if let Some(image) = product.pointer("/media/main/image") {
            item["image"] = image.clone();
        }
    }
    item
}

/// `estimate-totals` (§5.1): Wix computes the totals; the emulator has no shipping or tax, so
/// the total is the subtotal of available lines less the coupon.
pub fn estimate_totals_json(catalog: &Catalog, cart: &CartRow) -> Value {
    let symbol = &catalog.currency().symbol;
    let lines = priced_lines(catalog, cart);
    let totals = totals(&lines, cart.coupon.as_deref());
    let zero = Cents(0).multi_currency(symbol);
    let calculated: Vec<Value> = lines
        .iter()
        .map(|l| {
            json!({"lineItemId": l.stored.id, "pricesBreakdown": {
            "totalPriceAfterTax": l.total().multi_currency(symbol),
            "totalPriceBeforeTax": l.total().multi_currency(symbol),
            "price": l.unit_price().multi_currency(symbol),
            "totalDiscount": zero,
        }, "paymentOption": "FULL_PAYMENT_ONLINE"})
        })
        .collect();
    json!({
        "cart": cart_json(catalog, cart),
        "calculatedLineItems": calculated,
        "priceSummary": {
            "subtotal": totals.subtotal.multi_currency(symbol),
            "shipping": zero, "tax": zero,
            "discount": totals.discount.multi_currency(symbol),
            "total": totals.total.multi_currency(symbol),
            "additionalFees": zero,
        },
        "currency": catalog.currency().code,
        "weightUnit": "KG",
        "appliedDiscounts": [],
        "calculationErrors": {},
        "violations": [],
        "payNow": {"total": totals.total.multi_currency(symbol)},
        "payLater": {"total": zero},
    })
}

pub fn is_empty(catalog: &Catalog, cart: &CartRow) -> bool {
    priced_lines(catalog, cart).iter().all(|l| !l.available())
}

fn converted(amount: Cents) -> Value {
    let amount = amount.amount();
    json!({"amount": amount, "convertedAmount": amount})
}

/// A Cart V2 line item (§5b.4).
fn line_v2_json(line: &PricedLine, coupon: Option<&str>) -> Value {
    let name = line.name();
    let price = line.unit_price();
    let full_price = line.full_price();
    let status = match line.stock() {
        LineStock::RemovedFromCatalog => "REMOVED_FROM_CATALOG",
        LineStock::OutOfStock => "OUT_OF_STOCK",
        LineStock::PartiallyInStock => "PARTIALLY_IN_STOCK",
        LineStock::InStock => "IN_STOCK",
    };
    let discount = line_discount(line, coupon);
    let discounts: Vec<Value> = coupon
        .filter(|_| discount.0 > 0)
        .map(|code| {
            json!({"name": {"original": code, "translated": code}, "amountOff": converted(discount),
                            "source": {"sourceType": "COUPON", "couponCode": code}})
        })
        .into_iter()
        .collect();
    let v1 = line_json(line, "");
    let mut quantity_info = json!({
        "requestedQuantity": line.stored.quantity,
        "confirmedQuantity": line.confirmed(),
        "fixedQuantity": false,
    });
    if let Some(left) = line.available_quantity() {
        quantity_info["availableQuantity"] = json!(left);
    }
    let mut attributes = json!({
        "descriptionLines": v1["descriptionLines"],
        "itemType": {"preset": "PHYSICAL"},
        "physicalProperties": v1["physicalProperties"],
        "membersOnly": false,
    });
    if let Some(url) = v1.get("url") {
        attributes["url"] = url.clone();
    }
    json!({
        "id": line.stored.id,
        "name": {"original": name, "translated": name},
        "quantityInfo": quantity_info,
        "pricing": {
            "unitPrice": converted(price),
            "totalPrice": converted(Cents(line.total().0 - discount.0)),
            "priceUndetermined": false,
            "breakdown": {"fullPrice": converted(full_price), "salePrice": converted(price)},
        },
        "source": {"catalogReference": v1["catalogReference"], "rootCatalogItemId": line.stored.product_id},
        "attributes": attributes,
        "taxConfig": {"taxableAddress": {"addressType": "SHIPPING"}},
        "paymentConfig": {"paymentOption": "FULL_PAYMENT_ONLINE", "savePaymentMethod": false},
        "status": status,
        "discounts": discounts,
        "customLineItem": false,
    })
}

/// The cart in Cart V2's REST shape (§5b.4): money without formatted strings, currency on the cart.
pub fn cart_v2_json(catalog: &Catalog, cart: &CartRow) -> Value {
    let code = &catalog.currency().code;
    let lines = priced_lines(catalog, cart);
    let totals = totals(&lines, cart.coupon.as_deref());
    let who = match cart.identity.kind {
        IdentityKind::Visitor => json!({"visitorId": cart.identity.id}),
        IdentityKind::Member => json!({"memberId": cart.identity.id}),
    };
    let mut customer = json!({"openAccess": false, "languageCode": "en", "currencyCode": code});
    if let (Some(target), Some(source)) = (customer.as_object_mut(), who.as_object()) {
        target.extend(source.clone());
    }
    json!({
        "id": cart.id,
        "createdDate": cart.created_at,
        "updatedDate": cart.updated_at,
        "revision": cart.revision.to_string(),
        "lineItems": lines.iter().map(|l| line_v2_json(l, cart.coupon.as_deref())).collect::<Vec<_>>(),
        "subtotal": converted(totals.total),
        "coupons": cart.coupon.iter().map(|c| json!({"id": coupon_id(cart, c), "code": c})).collect::<Vec<_>>(),
        "source": {"channelType": "WEB", "createdBy": who},
        "businessInfo": {"languageCode": "en", "currencyCode": code},
        "customerInfo": customer,
        "deliveryInfo": {"weightUnit": "KG"},
        "taxInfo": {"pricesIncludeTax": false},
        "paymentInfo": {"giftCards": [], "currencyCode": code},
        "orderPlaced": cart.order_id.is_some(),
        "orderId": cart.order_id,
        "purchaseFlowId": cart.id,
        "currentCart": cart.order_id.is_none(),
        "demo": false,
    })
}

/// `estimate` / `calculate` (§5b 3.5): `{cart, summary}`.
pub fn summary_v2_json(catalog: &Catalog, cart: &CartRow) -> Value {
    let lines = priced_lines(catalog, cart);
    let totals = totals(&lines, cart.coupon.as_deref());
    let zero = converted(Cents(0));
    let violations: Vec<Value> = lines
        .iter()
        .filter(|l| !l.available())
        .map(|l| json!({"scope": {"name": "LINE_ITEM", "lineItemId": l.stored.id}, "code": "LINE_ITEMS_OUT_OF_STOCK",
                        "severity": "ERROR", "description": "This item is out of stock"}))
        .collect();
    json!({
        "cart": cart_v2_json(catalog, cart),
        "summary": {
            "cartId": cart.id,
            "cartRevision": cart.revision.to_string(),
            "calculationId": uuid::Uuid::new_v4().to_string(),
            "lineItems": lines.iter().map(|l| json!({"lineItemId": l.stored.id, "quantity": l.confirmed(),
                "unitPrice": converted(l.unit_price()),
                "totalPrice": converted(Cents(l.total().0 - line_discount(l, cart.coupon.as_deref()).0))})).collect::<Vec<_>>(),
            "discounts": cart.coupon.iter().map(|c| json!({"name": c, "amountOff": converted(totals.discount),
                "source": {"sourceType": "COUPON", "couponCode": c}})).collect::<Vec<_>>(),
            "priceSummary": {"subtotal": converted(totals.subtotal), "discount": converted(totals.discount),
                             "delivery": zero, "additionalFees": zero, "tax": zero, "total": converted(totals.total)},
            "taxSummary": {"taxes": [], "pricesIncludeTax": false, "lineItemTaxes": [], "additionalFeeTaxes": []},
            "paymentSummary": {"giftCards": [], "memberships": [], "subscriptionCharges": []},
            "violations": violations,
        }
    })
}
