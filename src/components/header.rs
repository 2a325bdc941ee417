//! Site header with the search shortcut, the account link and the cart badge.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::{
    api::{
        account::sign_in_href,
        cart::{get_cart_summary, CartSummary},
        error::StoreError,
    },
    app::CartActions,
    app::STORE_NAME,
};

type Summary = Resource<Result<CartSummary, StoreError>>;

#[component]
pub fn Header() -> impl IntoView {
    let actions = expect_context::<CartActions>();
    // One read for both: the cart's size and who is signed in (from the session, no Wix call).
    let summary = Resource::new(move || actions.version(), |_| get_cart_summary());
    view! {
        <header class="site-header">
            <a class="brand" href="/">{STORE_NAME}</a>
            <nav aria-label="Main">
                <a href="/search">"Shop all"</a>
                <AccountLink summary/>
                <CartBadge summary/>
            </nav>
        </header>
    }
}

/// "Sign in" (returning to this page), or the member's name linking to their account. Rendered
/// on the server with the page, so a hydrated page shows the signed-in state without a flash.
#[component]
fn AccountLink(summary: Summary) -> impl IntoView {
    let location = use_location();
    let here = move || format!("{}{}", location.pathname.get(), location.search.get());
    let member = move || {
        summary
            .get()
            .and_then(Result::ok)
            .and_then(|s| s.member_name)
    };
    let sign_in = move || view! { <a class="account-link" rel="external" href=move || sign_in_href(&here())>"Sign in"</a> };
    view! {
        <Transition fallback=sign_in>
            {move || match member() {
                Some(name) => view! {
                    <a class="account-link" href="/account" data-testid="account-link">
                        <span class="visually-hidden">"Account of "</span>{name}
                    </a>
                }.into_any(),
                None => sign_in().into_any(),
            }}
        </Transition>
    }
}

/// Items in the visitor's cart; refetched after every cart action. When the store cannot say,
/// the badge shows nothing rather than a wrong "0".
#[component]
fn CartBadge(summary: Summary) -> impl IntoView {
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
