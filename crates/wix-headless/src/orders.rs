//! A member's own orders (eCommerce Orders, wix-api.md §9.3b).
//!
//! Which call a member token may use is UNCONFIRMED: Wix's reference documents list only app
//! permissions for its order calls, while Wix's own headless guidance says a member reads their
//! own orders with the member token alone, and storefronts built on Wix's SDK call Search Orders
//! (`POST /ecom/v1/orders/search`) with the member's tokens and no buyer filter. That is the
//! best-evidenced call, so it is the only one used: the order page finds its order among the
//! member's own rather than calling Get Order (documented for apps only).

use reqwest::Method;
use serde_json::json;

use crate::{
    cart::wire::{DescriptionLine, Image, Price, Translatable},
    client::WixClient,
    error::WixError,
    media, Money,
};

/// Orders per page of the history.
pub const PAGE_SIZE: u32 = 20;
/// Pages read at most when looking for one order (the newest `PAGE_SIZE × this`).
const MAX_PAGES_SEARCHED: usize = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub id: String,
    /// The number the shopper sees (a string on the wire: `"10126"`).
    pub number: String,
    /// `YYYY-MM-DD` of `createdDate`, when Wix sent one.
    pub placed_on: Option<String>,
    pub status: OrderStatus,
    pub payment: PaymentStatus,
    pub fulfillment: FulfillmentStatus,
    pub subtotal: Option<Money>,
    pub shipping: Option<Money>,
    pub tax: Option<Money>,
    pub discount: Option<Money>,
    pub total: Option<Money>,
    pub lines: Vec<OrderLine>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderLine {
    pub name: String,
    pub quantity: u32,
    /// Price of one item.
    pub price: Option<Money>,
    /// `Color: Black`, …
    pub options: Vec<String>,
    pub image: Option<media::Image>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderPage {
    pub orders: Vec<Order>,
    /// The cursor of the next (older) page, when there is one.
    pub next_cursor: Option<String>,
}

/// `status`: an order is `APPROVED` once paid or approved; `INITIALIZED` orders are never
/// returned by Search Orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderStatus {
    Approved,
    Canceled,
    Pending,
    Rejected,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentStatus {
    Paid,
    NotPaid,
    Pending,
    PartiallyPaid,
    FullyRefunded,
    PartiallyRefunded,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FulfillmentStatus {
    Fulfilled,
    NotFulfilled,
    PartiallyFulfilled,
    Other,
}

impl OrderStatus {
    fn parse(text: Option<&str>) -> Self {
        match text {
            Some("APPROVED") => Self::Approved,
            Some("CANCELED") => Self::Canceled,
            Some("PENDING") => Self::Pending,
            Some("REJECTED") => Self::Rejected,
            _ => Self::Other,
        }
    }
}

impl PaymentStatus {
    fn parse(text: Option<&str>) -> Self {
        match text {
            Some("PAID") => Self::Paid,
            Some("NOT_PAID") => Self::NotPaid,
            Some("PENDING") => Self::Pending,
            Some("PARTIALLY_PAID") => Self::PartiallyPaid,
            Some("FULLY_REFUNDED") => Self::FullyRefunded,
            Some("PARTIALLY_REFUNDED") => Self::PartiallyRefunded,
            _ => Self::Other,
        }
    }
}

impl FulfillmentStatus {
    fn parse(text: Option<&str>) -> Self {
        match text {
            Some("FULFILLED") => Self::Fulfilled,
            Some("NOT_FULFILLED") => Self::NotFulfilled,
            Some("PARTIALLY_FULFILLED") => Self::PartiallyFulfilled,
            _ => Self::Other,
        }
    }
}

mod wire {
    use serde::Deserialize;

    use super::{DescriptionLine, Image, Price, Translatable};

    #[derive(Deserialize)]
    pub struct Envelope {
        #[serde(default)]
        pub orders: Vec<Order>,
        #[serde(default)]
        pub metadata: Metadata,
    }

    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    pub struct Metadata {
        #[serde(default)]
        pub cursors: Cursors,
        #[serde(default)]
        pub has_next: Option<bool>,
    }

    #[derive(Deserialize, Default)]
    pub struct Cursors {
        #[serde(default)]
        pub next: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Order {
        pub id: String,
        /// A string per Wix's schema; a number is read too.
        #[serde(default)]
        pub number: Option<serde_json::Value>,
        #[serde(default)]
        pub created_date: Option<String>,
        #[serde(default)]
        pub status: Option<String>,
        #[serde(default)]
        pub payment_status: Option<String>,
        #[serde(default)]
        pub fulfillment_status: Option<String>,
        #[serde(default)]
        pub currency: Option<String>,
        #[serde(default)]
        pub price_summary: PriceSummary,
        #[serde(default)]
        pub line_items: Vec<LineItem>,
    }

    #[derive(Deserialize, Default)]
    pub struct PriceSummary {
        #[serde(default)]
        pub subtotal: Option<Price>,
        #[serde(default)]
        pub shipping: Option<Price>,
        #[serde(default)]
        pub tax: Option<Price>,
        #[serde(default)]
        pub discount: Option<Price>,
        #[serde(default)]
        pub total: Option<Price>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct LineItem {
        #[serde(default)]
        pub product_name: Translatable,
        #[serde(default)]
        pub quantity: u32,
        #[serde(default)]
        pub price: Option<Price>,
        #[serde(default)]
        pub description_lines: Vec<DescriptionLine>,
        #[serde(default)]
        pub image: Option<Image>,
    }
}

impl wire::Order {
    fn into_order(self, media_base: &str) -> Order {
        let currency = self.currency.unwrap_or_else(|| "USD".into());
        let money = |price: Option<Price>| price.map(|p| p.money(&currency));
        let summary = self.price_summary;
        let number = match self.number {
            Some(serde_json::Value::String(text)) => text,
            Some(serde_json::Value::Number(number)) => number.to_string(),
            _ => String::new(),
        };
        Order {
            number,
            placed_on: self
                .created_date
                .as_deref()
                .and_then(|date| date.get(..10))
                .filter(|day| day.as_bytes().iter().filter(|b| **b == b'-').count() == 2)
                .map(str::to_owned),
            status: OrderStatus::parse(self.status.as_deref()),
            payment: PaymentStatus::parse(self.payment_status.as_deref()),
            fulfillment: FulfillmentStatus::parse(self.fulfillment_status.as_deref()),
            subtotal: money(summary.subtotal),
            shipping: money(summary.shipping),
            tax: money(summary.tax),
            // Wix sends the discount as a positive amount.
            discount: money(summary.discount).filter(|d| !d.is_zero()),
            total: money(summary.total),
            lines: self
                .line_items
                .into_iter()
                .map(|line| OrderLine {
                    name: line.product_name.text().to_owned(),
                    quantity: line.quantity,
                    price: line.price.map(|p| p.money(&currency)),
                    options: line.description_lines.iter().map(|d| d.text()).collect(),
                    image: line.image.and_then(|i| i.image(media_base)),
                })
                .collect(),
            id: self.id,
        }
    }
}

/// Search Orders, newest first (Wix's default sort), one page. The SDK's body shape
/// (`cursorPaging`); Wix's own example spells it `cursor_paging`, and Wix reads both JSON forms
/// of a field name.
fn search_body(cursor: Option<&str>, limit: u32) -> serde_json::Value {
    match cursor {
        // A cursor carries the filter and sort it was made with: only paging goes with it.
        Some(cursor) => json!({"search": {"cursorPaging": {"limit": limit, "cursor": cursor}}}),
        None => json!({"search": {"cursorPaging": {"limit": limit}}}),
    }
}

impl WixClient {
    /// One page of the member's own orders, newest first. `access_token` must be a member's.
    pub async fn member_orders(
        &self,
        access_token: &str,
        cursor: Option<&str>,
    ) -> Result<OrderPage, WixError> {
        let envelope: wire::Envelope = self
            .read(
                Method::POST,
                "/ecom/v1/orders/search",
                Some(access_token),
                Some(&search_body(cursor, PAGE_SIZE)),
            )
            .await?;
        let media_base = &self.config().media_base_url;
        let next_cursor = envelope
            .metadata
            .cursors
            .next
            .filter(|c| !c.is_empty() && envelope.metadata.has_next != Some(false));
        Ok(OrderPage {
            orders: envelope
                .orders
                .into_iter()
                .map(|order| order.into_order(media_base))
                .collect(),
            next_cursor,
        })
    }

    /// One of the member's own orders, found among their newest orders; `None` when it is not
    /// theirs (or older than the pages searched).
    pub async fn member_order(
        &self,
        access_token: &str,
        order_id: &str,
    ) -> Result<Option<Order>, WixError> {
        let mut cursor = None;
        for _ in 0..MAX_PAGES_SEARCHED {
            let page = self.member_orders(access_token, cursor.as_deref()).await?;
            if let Some(order) = page.orders.into_iter().find(|o| o.id == order_id) {
                return Ok(Some(order));
            }
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => return Ok(None),
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_search_is_the_sdks_body() {
        assert_eq!(
            search_body(None, 20),
            json!({"search": {"cursorPaging": {"limit": 20}}})
        );
        assert_eq!(
            search_body(Some("c1"), 20),
            json!({"search": {"cursorPaging": {"limit": 20, "cursor": "c1"}}})
        );
    }

    #[test]
    fn orders_are_read_from_wixs_example() {
        let envelope: wire::Envelope = serde_json::from_value(json!({
            "orders": [{
                "id": "6f759095", "number": "10126", "createdDate": "2023-11-10T08:28:58.917Z",
                "lineItems": [{
                    "id": "00000000-0000-0000-0000-000000000001",
                    "productName": {"original": "Indonesian Blend", "translated": "Indonesian Blend"},
                    "quantity": 2,
                    "descriptionLines": [{"name": {"original": "Weight", "translated": "Weight"},
                                          "plainText": {"original": "500g", "translated": "500g"}}],
                    "image": {"id": "nsplsh_x~mv2.jpg",
                              "url": "https://static.wixstatic.com/media/nsplsh_x~mv2.jpg/v1/fit/w_2977,h_3951,q_90/file.jpg",
                              "height": 3951, "width": 2977},
                    "price": {"amount": "55.00", "formattedAmount": "$55.00"}}],
                "buyerInfo": {"contactId": "c", "email": "johndoe@gmail.com", "memberId": "m"},
                "paymentStatus": "PAID", "fulfillmentStatus": "FULFILLED", "status": "APPROVED",
                "currency": "USD",
                "priceSummary": {"subtotal": {"amount": "110.00", "formattedAmount": "$110.00"},
                                 "shipping": {"amount": "5.00", "formattedAmount": "$5.00"},
                                 "tax": {"amount": "0", "formattedAmount": "$0.00"},
                                 "discount": {"amount": "0", "formattedAmount": "$0.00"},
                                 "total": {"amount": "115.00", "formattedAmount": "$115.00"}}},
                {"id": "o2", "number": 10127, "status": "WHATEVER"}],
            "metadata": {"count": 2, "cursors": {"next": "74bb42d4"}, "hasNext": true}
        }))
        .expect("orders");
        assert_eq!(envelope.metadata.cursors.next.as_deref(), Some("74bb42d4"));
        let mut orders = envelope
            .orders
            .into_iter()
            .map(|o| o.into_order("https://static.wixstatic.com/media/"));
        let order = orders.next().expect("first");
        assert_eq!(order.number, "10126");
        assert_eq!(order.placed_on.as_deref(), Some("2023-11-10"));
        assert_eq!(
            (order.status, order.payment, order.fulfillment),
            (
                OrderStatus::Approved,
                PaymentStatus::Paid,
                FulfillmentStatus::Fulfilled
            )
        );
        assert_eq!(
            order.total.as_ref().map(|t| t.formatted.as_str()),
            Some("$115.00")
        );
        assert_eq!(order.discount, None, "a zero discount is no discount");
        let line = &order.lines[0];
        assert_eq!((line.name.as_str(), line.quantity), ("Indonesian Blend", 2));
        assert_eq!(line.options, ["Weight: 500g"]);
        assert_eq!(
            line.image.as_ref().and_then(|i| i.file_id()),
            Some("nsplsh_x~mv2.jpg")
        );
        let other = orders.next().expect("second");
        assert_eq!(other.number, "10127", "a number is read too");
        assert_eq!(other.status, OrderStatus::Other);
        assert_eq!(other.placed_on, None);
    }
}
