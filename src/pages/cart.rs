//! `/cart`: lines, quantities, totals from Wix, and the way to checkout. Every control is a
//! form, so the page works without JavaScript; the cart is one island ([`CartEditor`]): once
//! hydrated, the forms post in the background.

use leptos::{form::ActionForm, prelude::*, server_fn::ServerFn};
use leptos_meta::{Meta, Title};

use crate::{
    api::cart::{get_cart, CartNotice, CartView, Checkout, TotalKind, MAX_COUPON_LENGTH},
    api::error::StoreError,
    components::{
        cart_line::{CartLine, RETURN_TO},
        cart_notice::{notice_in_url, notice_message, CartNoticeLine},
        cart_state::CartActions,
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
    // The latest outcome: from the last action once hydrated, else from the URL.
    let notice = move || {
        let latest = [
            actions.update.value().get(),
            actions.remove.value().get(),
            actions.apply_coupon.value().get(),
            actions.remove_coupon.value().get(),
        ]
        .into_iter()
        .flatten()
        .next_back();
        notice_message(latest, from_url)
    };
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

/// The coupon field, or the applied coupon with a way to take it off. Plain forms without
/// JavaScript; hydrated, they post in the background and the cart is read again.
#[component]
fn CouponForm(applied: Option<String>) -> impl IntoView {
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
                <label for="coupon-code">"Coupon code"</label>
                <input id="coupon-code" name="code" type="text" autocomplete="off"
                    maxlength=MAX_COUPON_LENGTH.to_string() autocapitalize="characters"/>
                <button type="submit" disabled=busy>"Apply"</button>
            </ActionForm>
        }
        .into_any(),
    }
}

#[component]
fn CartContents(cart: CartView) -> impl IntoView {
    let can_check_out = cart.can_check_out();
    view! {
        <ul class="cart-lines" data-testid="cart-lines">
            {cart.lines.into_iter().map(|line| view! { <CartLine line/> }).collect_view()}
        </ul>
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
        <CouponForm applied=cart.coupon/>
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
