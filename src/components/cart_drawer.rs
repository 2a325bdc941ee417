//! The cart drawer: once hydrated, a successful add opens the cart in a modal `<dialog>` (the
//! browser traps focus in it, closes it on Escape and gives focus back). Without JavaScript the
//! add returns to the page with a message and the cart page does the drawer's job.

use leptos::{html, prelude::*, server_fn::ServerFn};

use crate::{
    api::cart::{get_cart, AddToCartOutcome, Checkout},
    app::CartActions,
};

#[component]
pub fn CartDrawer() -> impl IntoView {
    let actions = expect_context::<CartActions>();
    let dialog = NodeRef::<html::Dialog>::new();
    // Loaded only once something was added (the drawer opens then), so a page view costs no
    // cart read for a drawer nobody opened.
    let cart = Resource::new(
        move || actions.add.version().get(),
        |adds| async move {
            if adds == 0 {
                Ok(None)
            } else {
                get_cart().await
            }
        },
    );

    // Open after every add that put something in the cart.
    Effect::new(move |_| {
        let added = matches!(
            actions.add.value().get(),
            Some(Ok(
                AddToCartOutcome::Added { .. } | AddToCartOutcome::PartlyAdded { .. }
            ))
        );
        if let (true, Some(dialog)) = (added, dialog.get()) {
            if !dialog.open() {
                let _ = dialog.show_modal();
            }
        }
    });
    // Give focus back on close. The add button is disabled while the add runs (so a double click
    // cannot add twice), which drops its focus, so the browser's own memory of it is lost:
    // remember the last control focused outside the drawer instead. Effects run only in the
    // browser, so none of this exists during server rendering.
    Effect::new(move |_| {
        use leptos::wasm_bindgen::{closure::Closure, JsCast};
        use leptos::web_sys::{Event, HtmlElement};
        let Some(drawer) = dialog.get() else {
            return;
        };
        let last = std::rc::Rc::new(std::cell::RefCell::new(None::<HtmlElement>));
        let remember = {
            let (last, drawer) = (last.clone(), drawer.clone());
            Closure::<dyn Fn(Event)>::new(move |event: Event| {
                if let Some(target) = event
                    .target()
                    .and_then(|t| t.dyn_into::<HtmlElement>().ok())
                {
                    if !drawer.contains(Some(&target)) {
                        *last.borrow_mut() = Some(target);
                    }
                }
            })
        };
        let give_back = Closure::<dyn Fn()>::new(move || {
            if let Some(element) = last.borrow().as_ref() {
                let _ = element.focus();
            }
        });
        let _ =
            window().add_event_listener_with_callback("focusin", remember.as_ref().unchecked_ref());
        let _ =
            drawer.add_event_listener_with_callback("close", give_back.as_ref().unchecked_ref());
        // The listeners live as long as the page.
        remember.forget();
        give_back.forget();
    });
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
        >
            <div class="drawer-head">
                <h2 id="cart-drawer-title">"Your cart"</h2>
                <button type="button" class="close" aria-label="Close cart" on:click=close>"×"</button>
            </div>
            <Transition fallback=|| view! { <p>"Loading your cart…"</p> }>
                {move || Suspend::new(async move {
                    match cart.await {
                        Ok(Some(cart)) if !cart.lines.is_empty() => {
                            let can_check_out = cart.can_check_out();
                            view! {
                                <ul class="drawer-lines">
                                    {cart.lines.into_iter().map(|line| view! {
                                        <li>
                                            <span class="line-name">{line.name}</span>
                                            {line.options.into_iter().map(|o| view! { <span class="line-option">{o}</span> }).collect_view()}
                                            <span>{format!("× {}", line.quantity)}</span>
                                            <span class="line-total">{line.line_total}</span>
                                        </li>
                                    }).collect_view()}
                                </ul>
                                <p class="drawer-total">"Subtotal: " <strong>{cart.subtotal}</strong></p>
                                <div class="drawer-actions">
                                    <a href="/cart">"View cart"</a>
                                    <form method="post" action=Checkout::PATH>
                                        <button type="submit" class="primary" disabled=!can_check_out>"Check out"</button>
                                    </form>
                                </div>
                            }.into_any()
                        }
                        Ok(_) => view! { <p>"Your cart is empty."</p> }.into_any(),
                        Err(_) => view! { <p>"Your cart could not be loaded. " <a href="/cart">"Open the cart page"</a></p> }.into_any(),
                    }
                })}
            </Transition>
            <button type="button" class="continue" on:click=close>"Continue shopping"</button>
        </dialog>
    }
}
