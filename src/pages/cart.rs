//! `/cart`: lines, quantities, totals from Wix, and the way to checkout. Every control is a
//! form, so the page works without JavaScript; the cart is one island ([`CartEditor`]): once
//! hydrated, the forms post in the background.

use leptos::{prelude::*, server_fn::ServerFn};
use leptos_meta::{Meta, Title};

use crate::{
    api::cart::{get_cart, CartNotice, CartView, Checkout},
    api::error::StoreError,
    components::{
        cart_line::CartLine,
        cart_notice::{notice_in_url, notice_message, CartNoticeLine},
        cart_state::CartActions,
        cart_totals::{CouponForm, Totals},
        latest::latest_answer,
        status::Unavailable,
    },
};

#[component]
pub fn CartPage() -> impl IntoView {
    let cart = Resource::new(|| (), |_| get_cart());
    view! {
        <Title text="Your cart"/>
        <Meta name="robots" content="noindex"/>
        <Meta name="description" content="Your cart at Rustic Goods: change quantities, remove items and check out."/>
        <section class="cart">
            <h1>"Your cart"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Loading your cart…"</p> }>
                {move || Suspend::new(async move {
                    view! { <CartEditor first=cart.await from_url=notice_in_url()/> }
                })}
            </Suspense>
        </section>
    }
}

/// The cart's lines with their steppers, the totals and checkout, starting from `first` (the
/// cart the server read for this page); `from_url`: the notice a plain form post brought back.
#[island]
pub fn CartEditor(
    first: Result<Option<CartView>, StoreError>,
    from_url: Option<CartNotice>,
) -> impl IntoView {
    let actions = expect_context::<CartActions>();
    // Read again in the browser after each change made on this page.
    let fetched = latest_answer(move || (actions.version() > 0).then(get_cart));
    let first = StoredValue::new(first);
    let cart = move || fetched.get().unwrap_or_else(|| first.get_value());
    // The latest outcome: from the last change once hydrated, else from the URL.
    let notice = move || notice_message(actions.last_change(), from_url);
    view! {
        <CartNoticeLine message=notice/>
        {move || match cart() {
            Ok(Some(cart)) if !cart.lines.is_empty() => view! { <CartContents cart/> }.into_any(),
            Ok(_) => view! { <EmptyCart/> }.into_any(),
            Err(error) => view! { <Unavailable error/> }.into_any(),
        }}
    }
}

#[component]
fn EmptyCart() -> impl IntoView {
    view! {
        <div class="empty-cart" data-testid="empty-cart">
            <p>"Your cart is empty."</p>
            <p><a href="/search">"Continue shopping"</a></p>
        </div>
    }
}

#[component]
fn CartContents(cart: CartView) -> impl IntoView {
    let can_check_out = cart.can_check_out();
    view! {
        <ul class="cart-lines" data-testid="cart-lines">
            {cart.lines.iter().cloned().map(|line| view! { <CartLine line/> }).collect_view()}
        </ul>
        <Totals cart=cart.clone()/>
        <CouponForm applied=cart.coupon field_id="coupon-code"/>
        {(!can_check_out).then(|| view! {
            <p class="problem" role="alert">"Some items are no longer available. Remove them to check out."</p>
        })}
        // A plain form: the server answers with a redirect to Wix's checkout page.
        <form method="post" action=Checkout::PATH class="checkout-form">
            <button type="submit" class="primary" disabled=!can_check_out>"Check out"</button>
        </form>
        <p><a href="/search">"Continue shopping"</a></p>
    }
}
