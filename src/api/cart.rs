//! Cart actions and the header badge.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::error::StoreError;

/// Most of one item a shopper may add at once (the quantity field's limit).
pub const MAX_QUANTITY: u32 = 99;

/// What the header shows about the visitor: their cart's size and who is signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CartSummary {
    pub item_count: u32,
    /// The signed-in member's first name (or another short name); `None` for a visitor.
    pub member_name: Option<String>,
}

/// What an add-to-cart did. Wix answers 200 even when it added nothing (wix-api.md §9.2), so
/// the outcome is read from the quantities Wix confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AddToCartOutcome {
    Added {
        quantity: u32,
        item_count: u32,
    },
    /// Wix capped the quantity.
    PartlyAdded {
        added: u32,
        requested: u32,
        item_count: u32,
    },
    /// Sold out, or the option could not be resolved.
    NotAdded {
        item_count: u32,
    },
    InvalidQuantity,
    /// No such product (a stale page, a hand-made request): Wix refused it.
    ProductUnavailable,
}

/// What happened to the cart, as told to the shopper. After a form post without JavaScript the
/// notice travels in the URL (`?cart=<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CartNotice {
    Added,
    PartlyAdded,
    NotAdded,
    InvalidQuantity,
    ProductUnavailable,
    StoreUnavailable,
    MaybeChanged,
    Updated,
    QuantityCapped,
    Removed,
    LineGone,
    CartEmpty,
    UnavailableItems,
    PaymentsOff,
    CheckoutFailed,
    SlowDown,
    /// After signing in: not every line of the visitor's cart could join the member's cart.
    NotAllCarried,
    CouponApplied,
    CouponRemoved,
    /// The coupon form was sent empty.
    CouponMissing,
    CouponUnknown,
    CouponExpired,
    /// The coupon exists but not for this cart (a minimum subtotal, other products…).
    CouponNotApplicable,
    /// A cart takes one coupon.
    CouponAlreadyApplied,
}

impl CartNotice {
    pub const ALL: [Self; 24] = [
        Self::Added,
        Self::PartlyAdded,
        Self::NotAdded,
        Self::InvalidQuantity,
        Self::ProductUnavailable,
        Self::StoreUnavailable,
        Self::MaybeChanged,
        Self::Updated,
        Self::QuantityCapped,
        Self::Removed,
        Self::LineGone,
        Self::CartEmpty,
        Self::UnavailableItems,
        Self::PaymentsOff,
        Self::CheckoutFailed,
        Self::SlowDown,
        Self::NotAllCarried,
        Self::CouponApplied,
        Self::CouponRemoved,
        Self::CouponMissing,
        Self::CouponUnknown,
        Self::CouponExpired,
        Self::CouponNotApplicable,
        Self::CouponAlreadyApplied,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::PartlyAdded => "partly-added",
            Self::NotAdded => "not-added",
            Self::InvalidQuantity => "invalid-quantity",
            Self::ProductUnavailable => "product-unavailable",
            Self::StoreUnavailable => "store-unavailable",
            Self::MaybeChanged => "maybe-changed",
            Self::Updated => "updated",
            Self::QuantityCapped => "quantity-capped",
            Self::Removed => "removed",
            Self::LineGone => "line-gone",
            Self::CartEmpty => "cart-empty",
            Self::UnavailableItems => "unavailable-items",
            Self::PaymentsOff => "payments-off",
            Self::CheckoutFailed => "checkout-failed",
            Self::SlowDown => "slow-down",
            Self::NotAllCarried => "not-all-carried",
            Self::CouponApplied => "coupon-applied",
            Self::CouponRemoved => "coupon-removed",
            Self::CouponMissing => "coupon-missing",
            Self::CouponUnknown => "coupon-unknown",
            Self::CouponExpired => "coupon-expired",
            Self::CouponNotApplicable => "coupon-not-applicable",
            Self::CouponAlreadyApplied => "coupon-already-applied",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|n| n.code() == code)
    }

    pub fn message(self) -> &'static str {
        match self {
            Self::Added => "Added to your cart.",
            Self::PartlyAdded => "Only part of that quantity could be added: the store limits how many you can buy.",
            Self::NotAdded => "That option is sold out or unavailable, so nothing was added.",
            Self::InvalidQuantity => "Choose a quantity between 1 and 99.",
            Self::ProductUnavailable => "That product is not available, so nothing was added.",
            Self::StoreUnavailable => "The store could not be reached, so nothing changed. Please try again.",
            Self::MaybeChanged => StoreError::ChangeTimeout.message(),
            Self::Updated => "Quantity updated.",
            Self::QuantityCapped => "The store limits how many you can buy, so the quantity was lowered.",
            Self::Removed => "Removed from your cart.",
            Self::LineGone => "That item was no longer in your cart.",
            Self::CartEmpty => "Your cart is empty, so there is nothing to check out yet.",
            Self::UnavailableItems => "Some items are no longer available. Remove them to check out.",
            Self::PaymentsOff => "The store cannot take payments right now, so checkout is unavailable. Your cart is saved.",
            Self::CheckoutFailed => "Checkout could not be started. Your cart is saved; please try again.",
            Self::SlowDown => StoreError::TooManyRequests { retry_after_secs: 1 }.message(),
            Self::NotAllCarried => "You are signed in. Some items from your cart could not be moved to your account's cart (they may be sold out): check it before you check out.",
            Self::CouponApplied => "Coupon applied.",
            Self::CouponRemoved => "Coupon removed.",
            Self::CouponMissing => "Enter a coupon code.",
            Self::CouponUnknown => "That coupon code does not exist. Check the spelling and try again.",
            Self::CouponExpired => "That coupon has expired.",
            Self::CouponNotApplicable => "That coupon does not apply to what is in your cart.",
            Self::CouponAlreadyApplied => "Your cart already has a coupon. Remove it to use another one.",
        }
    }

    /// What a plain form is told when a cart action failed with `error`.
    pub fn after_failure(error: StoreError) -> Self {
        match error {
            StoreError::ChangeTimeout => Self::MaybeChanged,
            StoreError::TooManyRequests { .. } => Self::SlowDown,
            _ => Self::StoreUnavailable,
        }
    }

    pub fn is_success(self) -> bool {
        matches!(
            self,
            Self::Added | Self::Updated | Self::Removed | Self::CouponApplied | Self::CouponRemoved
        )
    }

    /// What a quantity change did, from the line in the cart Wix returned: Wix may cap the
    /// quantity, or the line may be gone (another tab removed it).
    pub fn after_quantity_change(requested: u32, returned: Option<u32>) -> Self {
        match returned {
            Some(quantity) if quantity < requested => Self::QuantityCapped,
            Some(_) => Self::Updated,
            None => Self::LineGone,
        }
    }
}

impl AddToCartOutcome {
    pub fn notice(self) -> CartNotice {
        match self {
            Self::Added { .. } => CartNotice::Added,
            Self::PartlyAdded { .. } => CartNotice::PartlyAdded,
            Self::NotAdded { .. } => CartNotice::NotAdded,
            Self::InvalidQuantity => CartNotice::InvalidQuantity,
            Self::ProductUnavailable => CartNotice::ProductUnavailable,
        }
    }
}

/// Parses the quantity field; `None` for anything outside 1–[`MAX_QUANTITY`].
pub fn parse_quantity(text: &str) -> Option<u32> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|q| (1..=MAX_QUANTITY).contains(q))
}

/// A cart line as the cart page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CartLineView {
    pub id: String,
    pub name: String,
    pub slug: Option<String>,
    pub image: Option<crate::api::catalog::ImageView>,
    pub options: Vec<String>,
    pub quantity: u32,
    /// How many are left, when Wix says (the steppers stop there).
    pub available_quantity: Option<u32>,
    pub unit_price: String,
    pub full_price: Option<String>,
    pub line_total: String,
    pub available: bool,
}

/// The cart page: lines from the cart, money from Wix's totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CartView {
    pub lines: Vec<CartLineView>,
    pub item_count: u32,
    pub subtotal: String,
    /// Discounts, fees, delivery and tax, each only when Wix calculated it.
    pub adjustments: Vec<TotalLine>,
    pub total: String,
    /// The applied coupon's code.
    pub coupon: Option<String>,
    /// Wix calculated delivery and tax (else checkout will).
    pub delivery_and_tax_known: bool,
}

/// A line of the totals between the subtotal and the total, as Wix stated it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotalLine {
    pub label: String,
    /// Formatted by Wix; a discount is shown subtracted.
    pub amount: String,
    pub kind: TotalKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TotalKind {
    Discount,
    Fee,
    Delivery,
    Tax,
}

/// Longest coupon code Wix accepts (wix-api.md §3.6).
pub const MAX_COUPON_LENGTH: usize = 50;

impl CartView {
    pub fn can_check_out(&self) -> bool {
        !self.lines.is_empty() && self.lines.iter().all(|l| l.available)
    }
}

#[server]
pub async fn get_cart_summary() -> Result<CartSummary, StoreError> {
    crate::server::cart::summary().await
}

/// The whole cart; `None` when the visitor has none.
#[server]
pub async fn get_cart() -> Result<Option<CartView>, StoreError> {
    crate::server::cart::view().await
}

#[server]
pub async fn update_quantity(
    line_id: String,
    quantity: String,
    return_to: String,
) -> Result<CartNotice, StoreError> {
    crate::server::cart::set_quantity(line_id, quantity, return_to).await
}

#[server]
pub async fn remove_line(line_id: String, return_to: String) -> Result<CartNotice, StoreError> {
    crate::server::cart::remove(line_id, return_to).await
}

/// Sends the browser to Wix's hosted checkout (a plain form post, with or without JavaScript).
#[server]
pub async fn checkout() -> Result<(), StoreError> {
    crate::server::cart::checkout().await
}

/// Applies a coupon code to the visitor's cart.
#[server]
pub async fn apply_coupon(code: String, return_to: String) -> Result<CartNotice, StoreError> {
    crate::server::cart::apply_coupon(code, return_to).await
}

/// Takes the cart's coupon off.
#[server]
pub async fn remove_coupon(return_to: String) -> Result<CartNotice, StoreError> {
    crate::server::cart::remove_coupon(return_to).await
}

/// `variant_id` is empty for a product without options. `return_to` is where a browser without
/// JavaScript is sent back to, with the outcome in the URL.
#[server]
pub async fn add_to_cart(
    product_id: String,
    variant_id: String,
    quantity: String,
    return_to: String,
) -> Result<AddToCartOutcome, StoreError> {
    crate::server::cart::add(product_id, variant_id, quantity, return_to).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantity_changes_are_reported_as_wix_applied_them() {
        assert_eq!(
            CartNotice::after_quantity_change(3, Some(3)),
            CartNotice::Updated
        );
        assert_eq!(
            CartNotice::after_quantity_change(120, Some(99)),
            CartNotice::QuantityCapped
        );
        assert_eq!(
            CartNotice::after_quantity_change(2, None),
            CartNotice::LineGone
        );
    }

    #[test]
    fn unavailable_lines_block_checkout() {
        let line = |available| CartLineView {
            id: "l".into(),
            name: "n".into(),
            slug: None,
            image: None,
            options: vec![],
            quantity: 1,
            available_quantity: None,
            unit_price: "$1.00".into(),
            full_price: None,
            line_total: "$1.00".into(),
            available,
        };
        let cart = |lines| CartView {
            lines,
            item_count: 1,
            subtotal: "$1.00".into(),
            adjustments: vec![],
            total: "$1.00".into(),
            coupon: None,
            delivery_and_tax_known: false,
        };
        assert!(cart(vec![line(true)]).can_check_out());
        assert!(!cart(vec![line(true), line(false)]).can_check_out());
        assert!(!cart(vec![]).can_check_out());
    }

    #[test]
    fn absurd_quantities_are_refused() {
        assert_eq!(parse_quantity(" 3 "), Some(3));
        for bad in ["0", "-1", "100", "99999999999999", "two", ""] {
            assert_eq!(parse_quantity(bad), None, "{bad}");
        }
    }

    #[test]
    fn notice_codes_round_trip() {
        for notice in CartNotice::ALL {
            assert_eq!(CartNotice::from_code(notice.code()), Some(notice));
        }
        assert_eq!(CartNotice::from_code("<script>"), None);
    }
}
