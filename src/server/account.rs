//! The account pages' server side: the signed-in member and their orders, read with the
//! member's own token (renewed like a visitor's) and never cached.

use wix_headless::{
    orders::{FulfillmentStatus, Order, OrderStatus, PaymentStatus},
    Money,
};

use super::{
    calls::{app_state, current_session, fail, visitor_call, Mint},
    catalog::image_view,
};
use crate::api::{
    account::{Account, AccountView, OrderLineView, OrderSummaryView, OrderView},
    error::StoreError,
};

/// Side of an order line's thumbnail, in CSS pixels.
const LINE_IMAGE: u32 = 96;
/// Longest order id accepted from a URL (Wix's are GUIDs).
const MAX_ORDER_ID: usize = 64;

pub async fn account() -> Result<AccountView, StoreError> {
    let state = app_state()?;
    let session = current_session();
    if !session.is_member() {
        return Ok(AccountView::SignedOut);
    }
    let wix = &state.wix;
    let member = visitor_call(&state, &session, Mint::Never, |token| async move {
        wix.current_member(&token).await
    })
    .await
    .map_err(fail)?;
    // The member's refresh token was refused meanwhile: they are a visitor again.
    let Some(member) = member.filter(|_| session.is_member()) else {
        return Ok(AccountView::SignedOut);
    };
    let orders = visitor_call(&state, &session, Mint::Never, |token| async move {
        wix.member_orders(&token, None).await
    })
    .await;
    let (orders, orders_unavailable) = match orders {
        Ok(page) => (page.map(|p| p.orders).unwrap_or_default(), false),
        Err(error) => {
            tracing::warn!(%error, "a member's orders could not be read");
            (Vec::new(), true)
        }
    };
    let (name, email) = match member {
        Some(member) => (member.display_name(), member.email),
        // A member without a profile (the site has no Members Area): the name from sign-in.
        None => (
            session.member_name().unwrap_or_else(|| "Member".into()),
            None,
        ),
    };
    Ok(AccountView::SignedIn(Account {
        name,
        email,
        orders: orders.iter().map(summary_view).collect(),
        orders_unavailable,
    }))
}

pub async fn order(order_id: String) -> Result<Option<OrderView>, StoreError> {
    let state = app_state()?;
    let session = current_session();
    let plausible = (1..=MAX_ORDER_ID).contains(&order_id.len())
        && order_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !session.is_member() || !plausible {
        return Ok(None);
    }
    let wix = &state.wix;
    let order_id = &order_id;
    let order = visitor_call(&state, &session, Mint::Never, |token| async move {
        wix.member_order(&token, order_id).await
    })
    .await
    .map_err(fail)?;
    Ok(order.flatten().map(|order| order_view(&order)))
}

fn summary_view(order: &Order) -> OrderSummaryView {
    let names: Vec<&str> = order.lines.iter().map(|l| l.name.as_str()).collect();
    let items = match names.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [first, second] => format!("{first} and {second}"),
        [first, second, rest @ ..] => format!("{first}, {second} and {} more", rest.len()),
    };
    OrderSummaryView {
        id: order.id.clone(),
        number: order.number.clone(),
        placed_on: order.placed_on.as_deref().and_then(long_date),
        status: status_label(order).to_owned(),
        total: order.total.as_ref().map(|t| t.formatted.clone()),
        item_count: order.lines.iter().map(|l| l.quantity).sum(),
        items,
    }
}

fn order_view(order: &Order) -> OrderView {
    let row = |label: &str, money: &Option<Money>| {
        money
            .as_ref()
            .map(|m| (label.to_owned(), m.formatted.clone()))
    };
    let discount = order
        .discount
        .as_ref()
        .map(|d| ("Discount".to_owned(), format!("−{}", d.formatted)));
    OrderView {
        number: order.number.clone(),
        placed_on: order.placed_on.as_deref().and_then(long_date),
        status: status_label(order).to_owned(),
        payment: payment_label(order.payment).to_owned(),
        fulfillment: fulfillment_label(order.fulfillment).to_owned(),
        lines: order
            .lines
            .iter()
            .map(|line| OrderLineView {
                name: line.name.clone(),
                quantity: line.quantity,
                price: line.price.as_ref().map(|p| p.formatted.clone()),
                options: line.options.clone(),
                image: line.image.as_ref().map(|i| image_view(i, LINE_IMAGE)),
            })
            .collect(),
        totals: [
            row("Subtotal", &order.subtotal),
            discount,
            row("Shipping", &order.shipping),
            row("Tax", &order.tax),
            row("Total", &order.total),
        ]
        .into_iter()
        .flatten()
        .collect(),
    }
}

/// One word for where the order stands, as a shopper reads it.
fn status_label(order: &Order) -> &'static str {
    match (order.status, order.fulfillment) {
        (OrderStatus::Canceled, _) => "Cancelled",
        (OrderStatus::Rejected, _) => "Declined",
        (OrderStatus::Pending, _) => "Pending",
        (_, FulfillmentStatus::Fulfilled) => "Shipped",
        (_, FulfillmentStatus::PartiallyFulfilled) => "Partly shipped",
        (OrderStatus::Approved, _) => "Confirmed",
        _ => "Placed",
    }
}

fn payment_label(status: PaymentStatus) -> &'static str {
    match status {
        PaymentStatus::Paid => "Paid",
        PaymentStatus::NotPaid => "Not paid",
        PaymentStatus::Pending => "Payment pending",
        PaymentStatus::PartiallyPaid => "Partly paid",
        PaymentStatus::FullyRefunded => "Refunded",
        PaymentStatus::PartiallyRefunded => "Partly refunded",
        PaymentStatus::Other => "Unknown",
    }
}

fn fulfillment_label(status: FulfillmentStatus) -> &'static str {
    match status {
        FulfillmentStatus::Fulfilled => "Shipped",
        FulfillmentStatus::NotFulfilled => "Not shipped yet",
        FulfillmentStatus::PartiallyFulfilled => "Partly shipped",
        FulfillmentStatus::Other => "Unknown",
    }
}

/// `2026-11-30` → `30 November 2026`.
fn long_date(day: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let mut parts = day.splitn(3, '-');
    let year: u32 = parts.next()?.parse().ok()?;
    let month: usize = parts.next()?.parse().ok()?;
    let date: u32 = parts.next()?.parse().ok()?;
    let name = MONTHS.get(month.checked_sub(1)?)?;
    (1..=31)
        .contains(&date)
        .then(|| format!("{date} {name} {year}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_a_shopper_writes_them() {
        assert_eq!(long_date("2026-11-30").as_deref(), Some("30 November 2026"));
        assert_eq!(long_date("2026-01-05").as_deref(), Some("5 January 2026"));
        assert_eq!(long_date("2026-13-05"), None);
        assert_eq!(long_date("2026-00-05"), None);
        assert_eq!(long_date("garbage"), None);
    }
}
