//! `/cart`: lines, quantities, totals from Wix, and the way to checkout. Every control is a
//! form, so the page works without JavaScript; the cart is one island ([`CartEditor`]): once
//! hydrated, the forms post in the background.

use leptos::{form::ActionForm, prelude::*, server_fn::ServerFn};
use leptos_meta::{Meta, Title};

use crate::{
    api::cart::{
        get_cart, CartLineView, CartNotice, CartView, Checkout, UpdateQuantity, MAX_QUANTITY,
    },
    api::error::StoreError,
    components::{
        cart_state::CartActions, latest::latest_answer, product_card::notice_in_url,
        status::Unavailable,
    },
};

const RETURN_TO: &str = "/cart";
/// Quiet time after the last stepper click before the quantity goes to Wix.
const QUANTITY_DEBOUNCE: std::time::Duration = std::time::Duration::from_millis(400);

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
        let latest = [actions.update.value().get(), actions.remove.value().get()]
            .into_iter()
            .flatten()
            .next_back();
        match latest {
            Some(Ok(notice)) => Some((notice.message().to_owned(), notice.is_success())),
            Some(Err(error)) => Some((error.message().to_owned(), false)),
            None => from_url.map(|n| (n.message().to_owned(), n.is_success())),
        }
    };
    view! {
        <p class="cart-notice" role="status" aria-live="polite" data-testid="cart-notice">
            {move || notice().map(|(text, ok)| view! { <span class=if ok { "ok" } else { "problem" }>{text}</span> })}
        </p>
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
            {cart.lines.into_iter().map(|line| view! { <CartLine line/> }).collect_view()}
        </ul>
        <dl class="totals" data-testid="totals">
            <dt>"Subtotal"</dt>
            <dd data-testid="subtotal">{cart.subtotal}</dd>
            {cart.discount.map(|d| view! { <dt>"Discount"</dt><dd>"−" {d}</dd> })}
            <dt>"Total"</dt>
            <dd data-testid="total">{cart.total}</dd>
        </dl>
        <p class="totals-note">"Shipping and taxes are calculated at checkout."</p>
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

/// Why a line blocks checkout: only a few left, or none.
fn unavailable_text(left: Option<u32>) -> String {
    match left {
        Some(1) => "Only 1 left: lower the quantity to check out.".to_owned(),
        Some(n) if n > 0 => format!("Only {n} left: lower the quantity to check out."),
        _ => "No longer available".to_owned(),
    }
}

#[component]
fn CartLine(line: CartLineView) -> impl IntoView {
    let actions = expect_context::<CartActions>();
    let (update, remove) = (actions.update, actions.remove);
    let busy = move || update.pending().get() || remove.pending().get();
    let href = line.slug.as_ref().map(|s| format!("/product/{s}"));
    let quantity_id = format!("quantity-{}", line.id);
    let name = line.name.clone();
    let line_id = line.id.clone();
    // Hydrated, the steppers are optimistic and debounced: clicks change the shown quantity at
    // once and one update goes to Wix after a pause; the cart Wix returns then replaces the
    // line, reconciling it. Without JavaScript each stepper is a form posting n ± 1.
    let shown = RwSignal::new(line.quantity);
    let timer = StoredValue::new(None::<TimeoutHandle>);
    let schedule = {
        let line_id = line_id.clone();
        move |quantity: u32| {
            shown.set(quantity);
            if let Some(handle) = timer.get_value() {
                handle.clear();
            }
            let line_id = line_id.clone();
            let handle = set_timeout_with_handle(
                move || {
                    update.dispatch(UpdateQuantity {
                        line_id,
                        quantity: quantity.to_string(),
                        return_to: RETURN_TO.to_owned(),
                    });
                },
                QUANTITY_DEBOUNCE,
            )
            .ok();
            timer.set_value(handle);
        }
    };
    // The steppers stop at what is left, when Wix says how many that is.
    let most = line
        .available_quantity
        .filter(|left| *left > 0)
        .map_or(MAX_QUANTITY, |left| left.min(MAX_QUANTITY));
    let step = |delta: i32, label: &'static str, text: &'static str| {
        let bounded = move |quantity: u32| (quantity as i32 + delta).clamp(1, most as i32) as u32;
        let schedule = schedule.clone();
        let (form_line_id, aria_label) = (line_id.clone(), format!("{label} {name}"));
        view! {
            <ActionForm action=update>
                <input type="hidden" name="line_id" value=form_line_id/>
                <input type="hidden" name="quantity" value=bounded(line.quantity)/>
                <input type="hidden" name="return_to" value=RETURN_TO/>
                <button
                    type="submit"
                    class="step"
                    aria-label=aria_label
                    disabled=move || bounded(shown.get()) == shown.get() || remove.pending().get()
                    on:click=move |ev: leptos::ev::MouseEvent| {
                        ev.prevent_default();
                        schedule(bounded(shown.get_untracked()));
                    }
                >
                    {text}
                </button>
            </ActionForm>
        }
    };
    let fewer = step(-1, "One fewer", "−");
    let more = step(1, "One more", "+");
    let (update_id, remove_id) = (line_id.clone(), line_id);
    view! {
        <li class="cart-line" class:unavailable=!line.available data-testid="cart-line">
            {line.image.map(|image| view! {
                <img src=image.url alt="" width=96 height=96 loading="lazy"/>
            })}
            <div class="line-info">
                {match href {
                    Some(href) => view! { <a href=href class="line-name">{line.name.clone()}</a> }.into_any(),
                    None => view! { <span class="line-name">{line.name.clone()}</span> }.into_any(),
                }}
                {line.options.iter().map(|o| view! { <p class="line-option">{o.clone()}</p> }).collect_view()}
                <p class="line-price">
                    {line.unit_price.clone()} " each"
                    {line.full_price.clone().map(|was| view! { " " <s class="compare-at">{was}</s> })}
                </p>
                {(!line.available).then(|| view! { <p class="problem">{unavailable_text(line.available_quantity)}</p> })}
            </div>
            <div class="line-quantity">
                {fewer}
                <ActionForm action=update>
                    <input type="hidden" name="line_id" value=update_id/>
                    <input type="hidden" name="return_to" value=RETURN_TO/>
                    <label for=quantity_id.clone() class="visually-hidden">{format!("Quantity of {}", line.name)}</label>
                    <input id=quantity_id name="quantity" type="number" min="1" max=most value=line.quantity
                        prop:value=move || shown.get().to_string() inputmode="numeric" required/>
                    <button type="submit" disabled=busy>"Update"</button>
                </ActionForm>
                {more}
            </div>
            <p class="line-total" data-testid="line-total">{line.line_total}</p>
            <ActionForm action=remove>
                <input type="hidden" name="line_id" value=remove_id/>
                <input type="hidden" name="return_to" value=RETURN_TO/>
                <button type="submit" class="remove" aria-label=format!("Remove {name}") disabled=busy>"Remove"</button>
            </ActionForm>
        </li>
    }
}
