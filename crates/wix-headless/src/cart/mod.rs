//! The visitor's current cart, behind one interface with two implementations: Cart v1
//! (wix-api.md §5, removed by Wix on 2027-02-01) and Current Cart V2 (§5b). Which one runs is
//! configuration ([`CartApi`]); callers see the same [`Cart`] either way.

mod v1;
mod v2;
pub(crate) mod wire;

use serde::{Deserialize, Serialize};

use crate::{client::WixClient, error::WixError, media::Image, money::Money};

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
    /// What Wix confirmed it can sell (Cart V2 `confirmedQuantity`, §9.2), not what was asked.
    pub quantity: u32,
    /// What the shopper asked for (V2 `requestedQuantity`).
    pub requested_quantity: u32,
    /// How many Wix says are left, when it says (V2 `availableQuantity`, v1 `quantityAvailable`).
    pub available_quantity: Option<u32>,
    pub unit_price: Money,
    /// The price before a sale, when higher than `unit_price`.
    pub full_price: Option<Money>,
    pub line_total: Money,
    /// `Color: Black`, `Size: M`.
    pub options: Vec<String>,
    pub image: Option<Image>,
    /// The product page path's last segment (from `url.relativePath`), when Wix gave one.
    pub slug: Option<String>,
    pub status: LineStatus,
}

impl CartLine {
    /// Wix can sell the line as it is: Wix's own checkout gate (§9.2) is exactly this.
    pub fn available(&self) -> bool {
        self.status == LineStatus::InStock
    }
}

/// A line's stock, in V2's terms (v1's `availability.status` maps onto them). A missing status
/// counts as in stock (§9.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineStatus {
    InStock,
    /// Fewer are left than the line asks for.
    PartiallyInStock,
    OutOfStock,
    /// The product or variant no longer exists.
    RemovedFromCatalog,
}

/// The coupon applied to a cart (one at most).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppliedCoupon {
    pub id: Option<String>,
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cart {
    pub id: String,
    pub lines: Vec<CartLine>,
    pub subtotal: Money,
    pub currency: String,
    pub revision: Option<String>,
    pub coupon: Option<AppliedCoupon>,
}

impl Cart {
    /// Items in the cart, counting confirmed quantities (the header badge, §9.2).
    pub fn item_count(&self) -> u32 {
        self.lines.iter().map(|l| l.quantity).sum()
    }

    /// The line holding a product (and variant), if any.
    pub fn line_for(&self, product_id: &str, variant_id: Option<&str>) -> Option<&CartLine> {
        self.lines.iter().find(|l| {
            l.product_id == product_id
                && (variant_id.is_none() || l.variant_id.as_deref() == variant_id)
        })
    }

    pub fn line(&self, line_id: &str) -> Option<&CartLine> {
        self.lines.iter().find(|l| l.id == line_id)
    }
}

/// What an add really did. Wix answers 200 even when it added nothing (§5.2, §9.2), so this
/// is read from the cart it returned, compared with the cart before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AddOutcome {
    Added {
        quantity: u32,
    },
    /// Fewer than asked: Wix confirmed only what is in stock.
    Partial {
        added: u32,
        requested: u32,
    },
    /// Nothing was added.
    Refused(Refusal),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    /// No line for the item: "usually a required selection was not sent" (§9.7).
    NoLine,
    /// The line is out of stock or gone from the catalog.
    Unavailable,
    /// The line is there but Wix confirmed nothing more.
    NothingConfirmed,
}

/// Reads an add's outcome (§9.2): refused when there is no line, when the line is out of stock
/// or gone, or when nothing more was confirmed; partial when less than `requested` was.
///
/// Wix's reference client also counts a `PARTIALLY_IN_STOCK` line as refused; here a line that
/// did gain confirmed items is reported as a partial add instead, since those items are in the
/// cart and the shopper should be told so.
pub fn assess_add(
    before: Option<&Cart>,
    after: &Cart,
    product_id: &str,
    variant_id: Option<&str>,
    requested: u32,
) -> AddOutcome {
    let Some(line) = after.line_for(product_id, variant_id) else {
        return AddOutcome::Refused(Refusal::NoLine);
    };
    if matches!(
        line.status,
        LineStatus::OutOfStock | LineStatus::RemovedFromCatalog
    ) {
        return AddOutcome::Refused(Refusal::Unavailable);
    }
    let had = before
        .and_then(|cart| cart.line_for(product_id, variant_id))
        .map_or(0, |l| l.quantity);
    let added = line.quantity.saturating_sub(had);
    if added == 0 {
        AddOutcome::Refused(Refusal::NothingConfirmed)
    } else if added < requested {
        AddOutcome::Partial { added, requested }
    } else {
        AddOutcome::Added { quantity: added }
    }
}

/// A discount, fee or tax line of the totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamedAmount {
    pub name: String,
    pub amount: Money,
}

/// Totals as Wix computes them (v1 `estimate-totals`, V2 `estimate`). Delivery and tax are
/// `None` when Wix calculated nothing: 0 then means "not calculated", never "free" (§9.2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CartTotals {
    pub subtotal: Money,
    pub discount: Money,
    pub discounts: Vec<NamedAmount>,
    pub fees: Vec<NamedAmount>,
    pub delivery: Option<Money>,
    pub tax: Option<Money>,
    pub prices_include_tax: bool,
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
    /// variant, out of stock, capped quantity; §5.2): read the outcome with [`assess_add`].
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
        let body = serde_json::json!({ "lineItemIds": line_ids });
        match self.config().cart_api {
            CartApi::V1 => v1::change(self, access_token, "remove-line-items", &body).await,
            CartApi::V2 => v2::change(self, access_token, "remove-line-items", &body).await,
        }
    }

    /// Applies a coupon code (§5.1, §5b 3.6).
    pub async fn add_coupon(&self, access_token: &str, code: &str) -> Result<Cart, WixError> {
        match self.config().cart_api {
            CartApi::V1 => v1::add_coupon(self, access_token, code).await,
            CartApi::V2 => {
                let body = serde_json::json!({"coupon": {"code": code}});
                v2::change(self, access_token, "add-coupon", &body).await
            }
        }
    }

    /// Removes the cart's coupon (V2 names it by id, v1 has only one).
    pub async fn remove_coupon(
        &self,
        access_token: &str,
        coupon: &AppliedCoupon,
    ) -> Result<Cart, WixError> {
        match self.config().cart_api {
            CartApi::V1 => {
                v1::change(self, access_token, "remove-coupon", &serde_json::json!({})).await
            }
            CartApi::V2 => {
                let body = serde_json::json!({"couponId": coupon.id});
                v2::change(self, access_token, "remove-coupon", &body).await
            }
        }
    }

    /// Totals computed by Wix; `Ok(None)` when there is no cart (or, V2, an empty one: Wix's
    /// client calls the estimate only for a cart with lines, §9.2).
    pub async fn cart_totals(&self, access_token: &str) -> Result<Option<CartTotals>, WixError> {
        let result = match self.config().cart_api {
            CartApi::V1 => v1::totals(self, access_token).await,
            CartApi::V2 => v2::totals(self, access_token).await,
        };
        match result {
            Err(WixError::NoCart) => Ok(None),
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

    /// A redirect session to Wix's hosted checkout (§6, §9.2); returns `fullUrl`.
    pub async fn checkout_redirect(
        &self,
        access_token: &str,
        checkout_id: &str,
        callbacks: &Callbacks,
    ) -> Result<String, WixError> {
        crate::redirects::create(self, access_token, &checkout_body(checkout_id, callbacks)).await
    }
}

/// The redirect session to the hosted checkout (§9.2): the V2 cart id (or v1 checkout id) as
/// `checkoutId`, and where to come back to.
fn checkout_body(checkout_id: &str, callbacks: &Callbacks) -> serde_json::Value {
    serde_json::json!({
        "ecomCheckout": {"checkoutId": checkout_id},
        "callbacks": callbacks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_come_from_product_page_paths() {
        assert_eq!(
            slug_from_path(Some("/product-page/ceramic-vase")).as_deref(),
            Some("ceramic-vase")
        );
        assert_eq!(slug_from_path(Some("")), None);
        assert_eq!(slug_from_path(None), None);
    }

    #[test]
    fn the_checkout_redirect_is_wixs_body() {
        let callbacks = Callbacks {
            post_flow_url: Some("https://shop.example.com/cart".into()),
            thank_you_page_url: Some("https://shop.example.com/thank-you".into()),
            cart_page_url: None,
        };
        assert_eq!(
            checkout_body("cart-1", &callbacks),
            serde_json::json!({"ecomCheckout": {"checkoutId": "cart-1"},
                "callbacks": {"postFlowUrl": "https://shop.example.com/cart",
                              "thankYouPageUrl": "https://shop.example.com/thank-you"}})
        );
    }

    fn line(quantity: u32, status: LineStatus) -> CartLine {
        let price = Money::zero("USD");
        CartLine {
            id: "l".into(),
            product_id: "p".into(),
            variant_id: Some("v".into()),
            name: "n".into(),
            quantity,
            requested_quantity: quantity,
            available_quantity: None,
            unit_price: price.clone(),
            full_price: None,
            line_total: price,
            options: vec![],
            image: None,
            slug: None,
            status,
        }
    }

    fn cart(lines: Vec<CartLine>) -> Cart {
        Cart {
            id: "c".into(),
            lines,
            subtotal: Money::zero("USD"),
            currency: "USD".into(),
            revision: None,
            coupon: None,
        }
    }

    #[test]
    fn adds_are_read_from_confirmed_quantities() {
        let after = cart(vec![line(3, LineStatus::InStock)]);
        assert_eq!(
            assess_add(
                Some(&cart(vec![line(1, LineStatus::InStock)])),
                &after,
                "p",
                Some("v"),
                2
            ),
            AddOutcome::Added { quantity: 2 }
        );
        assert_eq!(
            assess_add(None, &after, "p", Some("v"), 5),
            AddOutcome::Partial {
                added: 3,
                requested: 5
            }
        );
        assert_eq!(
            assess_add(Some(&after), &after, "p", Some("v"), 1),
            AddOutcome::Refused(Refusal::NothingConfirmed)
        );
    }

    #[test]
    fn a_200_can_still_be_a_refusal() {
        assert_eq!(
            assess_add(None, &cart(vec![]), "p", Some("v"), 1),
            AddOutcome::Refused(Refusal::NoLine)
        );
        assert_eq!(
            assess_add(
                None,
                &cart(vec![line(0, LineStatus::OutOfStock)]),
                "p",
                Some("v"),
                1
            ),
            AddOutcome::Refused(Refusal::Unavailable)
        );
        assert_eq!(
            assess_add(
                None,
                &cart(vec![line(0, LineStatus::InStock)]),
                "p",
                Some("v"),
                1
            ),
            AddOutcome::Refused(Refusal::NothingConfirmed),
            "confirmed 0"
        );
        assert_eq!(
            assess_add(
                None,
                &cart(vec![line(2, LineStatus::PartiallyInStock)]),
                "p",
                Some("v"),
                4
            ),
            AddOutcome::Partial {
                added: 2,
                requested: 4
            }
        );
        assert_eq!(
            assess_add(
                None,
                &cart(vec![line(1, LineStatus::InStock)]),
                "p",
                Some("other"),
                1
            ),
            AddOutcome::Refused(Refusal::NoLine),
            "another variant's line"
        );
    }
}
