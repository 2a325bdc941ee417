//! Site header with the search shortcut, the account link and the cart badge.

use leptos::prelude::*;

use crate::{
    api::{account::sign_in_href, cart::get_cart_summary},
    brand::STORE_NAME,
    components::{cart_state::CartActions, latest::latest_answer, product_card::this_page},
    url::CART_PAGE,
};

/// Rendered on the server with the page: who is signed in and the cart's size come from the
/// session (no Wix call while the session's reading is fresh), so a page shows the signed-in
/// state and the right count before any script runs.
#[component]
pub fn Header() -> impl IntoView {
    let summary = Resource::new(|| (), |_| get_cart_summary());
    let here = this_page();
    view! {
        <header class="site-header">
            <a class="brand" href="/">{STORE_NAME}</a>
            <nav aria-label="Main">
                <a href="/search">"Shop all"</a>
                <Suspense fallback=|| ()>
                    {move || {
                        let here = here.clone();
                        Suspend::new(async move {
                            let summary = summary.await.ok();
                            let member = summary.as_ref().and_then(|s| s.member_name.clone());
                            view! {
                                <AccountLink member here/>
                                <CartBadge item_count=summary.map(|s| s.item_count)/>
                            }
                        })
                    }}
                </Suspense>
            </nav>
        </header>
    }
}

/// "Sign in" (returning to this page), or the member's name linking to their account.
#[component]
fn AccountLink(member: Option<String>, here: String) -> impl IntoView {
    match member {
        Some(name) => view! {
            <a class="account-link" href="/account" data-testid="account-link">
                <span class="visually-hidden">"Account of "</span>{name}
            </a>
        }
        .into_any(),
        // A server route, not a page: the browser follows it.
        None => view! {
            <a class="account-link" rel="external" href=sign_in_href(&here)>"Sign in"</a>
        }
        .into_any(),
    }
}

/// Items in the cart, as the page was rendered with, then after every cart action on the page.
/// When the store cannot say, the badge shows nothing rather than a wrong "0".
#[island]
pub fn CartBadge(item_count: Option<u32>) -> impl IntoView {
    let actions = expect_context::<CartActions>();
    // Read again only after this page changed the cart.
    let latest = latest_answer(move || (actions.version() > 0).then(get_cart_summary));
    let count = move || {
        latest
            .get()
            .and_then(|summary| summary.ok())
            .map(|s| s.item_count)
            .or(item_count)
    };
    // Hydrated, the badge opens the drawer; without JavaScript it is a link to the cart page.
    // On the cart page it stays a link: a drawer there would repeat the page.
    let open_drawer = move |ev: leptos::ev::MouseEvent| {
        let on_cart_page = window()
            .location()
            .pathname()
            .is_ok_and(|path| path == CART_PAGE);
        // A new tab or window still gets the page.
        if !(on_cart_page || ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.button() != 0) {
            ev.prevent_default();
            actions.drawer_requests.update(|n| *n += 1);
        }
    };
    view! {
        <a class="cart-link" href=CART_PAGE on:click=open_drawer>
            "Cart "
            {move || count().map(|n| view! {
                <span class="badge" data-testid="cart-count" aria-label=cart_count_label(n)>{n}</span>
            })}
        </a>
    }
}

/// What the badge says to a screen reader.
pub fn cart_count_label(items: u32) -> String {
    match items {
        1 => "1 item in cart".to_owned(),
        n => format!("{n} items in cart"),
    }
}
