//! The cart drawer: once hydrated, a successful add (or a click on the header's cart badge) opens
//! the cart in a modal `<dialog>` (the browser traps focus in it, closes it on Escape and gives
//! focus back). Its lines are the cart page's own ([`CartLine`]): quantities and removal work
//! the same. Without JavaScript the add returns to the page with a message and the cart page
//! does the drawer's job.

use leptos::{ev, html, prelude::*, server_fn::ServerFn};
use send_wrapper::SendWrapper;

use crate::{
    api::cart::{get_cart, AddToCartOutcome, Checkout},
    components::{
        cart_line::CartLine,
        cart_notice::{notice_message, CartNoticeLine},
        cart_state::CartActions,
        cart_totals::{CouponForm, Totals},
        latest::latest_answer,
    },
    url::CART_PAGE,
};

#[island]
pub fn CartDrawer() -> impl IntoView {
    let actions = expect_context::<CartActions>();
    let dialog = NodeRef::<html::Dialog>::new();
    // Read when the drawer opens and after every change while it is open, so neither a page
    // view nor a change made on the cart page costs a read for a drawer nobody opened.
    let open = RwSignal::new(false);
    // The number of cart changes made before the drawer last opened.
    let opened_after = RwSignal::new(0usize);
    let notice = move || {
        (actions.changes() > opened_after.get())
            .then(|| notice_message(actions.last_change(), None))
            .flatten()
    };
    let cart = latest_answer(move || {
        let _changes = actions.version();
        open.get().then(get_cart)
    });
    let show = move || {
        if let Some(dialog) = dialog.get_untracked() {
            if !dialog.open() {
                // What the drawer says starts afresh each time it opens.
                opened_after.set(actions.changes_untracked());
                let _ = dialog.show_modal();
                open.set(true);
            }
        }
    };
    // Open after every add that put something in the cart, and when the badge asks.
    Effect::new(move |_| {
        let added = matches!(
            actions.add.value().get(),
            Some(Ok(
                AddToCartOutcome::Added { .. } | AddToCartOutcome::PartlyAdded { .. }
            ))
        );
        if added {
            show();
        }
    });
    Effect::new(move |_| {
        if actions.drawer_requests.get() > 0 {
            show();
        }
    });
    // Give focus back on close. The add button is disabled while the add runs (so a double click
    // cannot add twice), which drops its focus, so the browser's own memory of it is lost:
    // remember the last control focused outside the drawer instead.
    // Set only in the browser (a DOM element may not leave its thread; nothing is set while the
    // server renders, so nothing of the kind is dropped there).
    let last_focused = StoredValue::new(None::<SendWrapper<web_sys::HtmlElement>>);
    let listener = window_event_listener(ev::focusin, move |event| {
        use leptos::wasm_bindgen::JsCast;
        let target = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok());
        let inside = |element: &web_sys::HtmlElement| {
            dialog
                .get_untracked()
                .is_some_and(|d| d.contains(Some(element)))
        };
        if let Some(target) = target.filter(|t| !inside(t)) {
            last_focused.set_value(Some(SendWrapper::new(target)));
        }
    });
    on_cleanup(move || listener.remove());
    let give_focus_back = move |_| {
        open.set(false);
        last_focused.with_value(|element| {
            if let Some(element) = element {
                let _ = element.focus();
            }
        });
    };
    let close = move |_| {
        if let Some(dialog) = dialog.get() {
            dialog.close();
        }
    };

    view! {
        <dialog
            node_ref=dialog
            class="cart-drawer"
            aria-labelledby="cart-drawer-title"
            data-testid="cart-drawer"
            on:close=give_focus_back
        >
            <div class="drawer-head">
                <h2 id="cart-drawer-title">"Your cart"</h2>
                <button type="button" class="close" aria-label="Close cart" on:click=close>"×"</button>
            </div>
            <CartNoticeLine message=notice test_id="drawer-notice"/>
            {move || match cart.get().filter(|_| open.get()) {
                None => view! { <p>"Loading your cart…"</p> }.into_any(),
                Some(Ok(Some(cart))) if !cart.lines.is_empty() => {
                    let can_check_out = cart.can_check_out();
                    view! {
                        <ul class="cart-lines drawer-lines">
                            {cart.lines.iter().cloned().map(|line| view! { <CartLine line/> }).collect_view()}
                        </ul>
                        <Totals cart=cart.clone()/>
                        <CouponForm applied=cart.coupon field_id="drawer-coupon-code"/>
                        <div class="drawer-actions">
                            <a href=CART_PAGE>"View cart"</a>
                            <form method="post" action=Checkout::PATH>
                                <button type="submit" class="primary" disabled=!can_check_out>"Check out"</button>
                            </form>
                        </div>
                    }.into_any()
                }
                Some(Ok(_)) => view! { <p>"Your cart is empty."</p> }.into_any(),
                Some(Err(_)) => view! { <p>"Your cart could not be loaded. " <a href=CART_PAGE>"Open the cart page"</a></p> }.into_any(),
            }}
            <button type="button" class="continue" on:click=close>"Continue shopping"</button>
        </dialog>
    }
}
