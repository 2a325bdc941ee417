//! Site header with the search shortcut and the cart badge.

use leptos::prelude::*;

use crate::{api::cart::get_cart_summary, app::CartActions, app::STORE_NAME};

#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="site-header">
            <a class="brand" href="/">{STORE_NAME}</a>
            <nav aria-label="Main">
                <a href="/search">"Shop all"</a>
                <CartBadge/>
            </nav>
        </header>
    }
}

/// Items in the visitor's cart; refetched after every cart action. When the store cannot say,
/// the badge shows nothing rather than a wrong "0".
#[component]
pub fn CartBadge() -> impl IntoView {
    let actions = expect_context::<CartActions>();
    let summary = Resource::new(move || actions.version(), |_| get_cart_summary());
    let count = move || summary.get().and_then(Result::ok).map(|s| s.item_count);
    view! {
        <a class="cart-link" href="/cart">
            "Cart "
            <Transition fallback=|| view! { <span class="badge" data-testid="cart-count">"0"</span> }>
                {move || count().map(|n| view! {
                    <span class="badge" data-testid="cart-count" aria-label=match n {
                        1 => "1 item in cart".to_owned(),
                        n => format!("{n} items in cart"),
                    }>{n}</span>
                })}
            </Transition>
        </a>
    }
}
