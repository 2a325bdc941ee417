//! `/thank-you?orderId=`: where Wix's hosted checkout returns the shopper. The `orderId` in the
//! URL is not proof of payment (anyone can type it), so the page says what is known and no more.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

/// Order ids are GUIDs; anything else is not shown back to the shopper.
fn plausible_order_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

#[component]
pub fn ThankYouPage() -> impl IntoView {
    let query = use_query_map();
    let order_id = move || {
        query
            .read()
            .get("orderId")
            .filter(|id| plausible_order_id(id))
    };
    view! {
        <Title text="Thank you"/>
        <Meta name="robots" content="noindex"/>
        <section class="thank-you">
            <h1>"Thank you for your order"</h1>
            {move || match order_id() {
                Some(id) => view! {
                    <p>"Your order reference is " <strong data-testid="order-id">{id}</strong> "."</p>
                }.into_any(),
                None => view! { <p>"We could not read an order reference from this link."</p> }.into_any(),
            }}
            <p>
                "The store will email you a confirmation once your payment has been processed. "
                "If no email arrives, your payment may not have gone through: check your cart and try again."
            </p>
            <p><a href="/search">"Continue shopping"</a></p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_guid_like_order_ids_are_shown() {
        assert!(super::plausible_order_id(
            "0c8e0c1e-4f3e-4b8a-9f00-1d2c3b4a5e6f"
        ));
        assert!(!super::plausible_order_id("<script>"));
        assert!(!super::plausible_order_id(""));
        assert!(!super::plausible_order_id(&"a".repeat(65)));
    }
}
