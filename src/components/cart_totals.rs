//! The cart's totals and its coupon field, shown alike on the cart page and in the drawer.

use leptos::{form::ActionForm, prelude::*};

use crate::{
    api::cart::{CartView, TotalKind, MAX_COUPON_LENGTH},
    components::{cart_line::RETURN_TO, cart_state::CartActions},
};

/// Subtotal, Wix's discount, fee, delivery and tax lines (only those Wix calculated), total.
#[component]
pub fn Totals(cart: CartView) -> impl IntoView {
    view! {
        <dl class="totals" data-testid="totals">
            <dt>"Subtotal"</dt>
            <dd data-testid="subtotal">{cart.subtotal}</dd>
            {cart.adjustments.into_iter().map(|line| view! {
                <dt>{line.label}</dt>
                <dd>{match line.kind {
                    TotalKind::Discount => format!("−{}", line.amount),
                    _ => line.amount,
                }}</dd>
            }).collect_view()}
            <dt>"Total"</dt>
            <dd data-testid="total">{cart.total}</dd>
        </dl>
        {(!cart.delivery_and_tax_known).then(|| view! {
            <p class="totals-note">"Shipping and taxes are calculated at checkout."</p>
        })}
    }
}

/// The coupon field, or the applied coupon with a way to take it off. Plain forms without
/// JavaScript; hydrated, they post in the background and the cart is read again. `field_id`
/// keeps the cart page's field and the drawer's apart when both are on one page.
#[component]
pub fn CouponForm(applied: Option<String>, field_id: &'static str) -> impl IntoView {
    let actions = expect_context::<CartActions>();
    let (apply, remove) = (actions.apply_coupon, actions.remove_coupon);
    let busy = move || apply.pending().get() || remove.pending().get();
    match applied {
        Some(code) => view! {
            <ActionForm action=remove attr:class="coupon-form">
                <input type="hidden" name="return_to" value=RETURN_TO/>
                <p data-testid="coupon">"Coupon " <strong>{code.clone()}</strong> " applied"</p>
                <button type="submit" aria-label=format!("Remove coupon {code}") disabled=busy>"Remove"</button>
            </ActionForm>
        }
        .into_any(),
        None => view! {
            <ActionForm action=apply attr:class="coupon-form">
                <input type="hidden" name="return_to" value=RETURN_TO/>
                <label for=field_id>"Coupon code"</label>
                <input id=field_id name="code" type="text" autocomplete="off"
                    maxlength=MAX_COUPON_LENGTH.to_string() autocapitalize="characters"/>
                <button type="submit" disabled=busy>"Apply"</button>
            </ActionForm>
        }
        .into_any(),
    }
}
