//! Product cards in a grid; products without options can be added right from the card.

use leptos::{form::ActionForm, prelude::*};

use crate::{
    api::{cart::CartNotice, catalog::ProductCard},
    components::{
        cart_notice::{add_message, CartNoticeLine},
        cart_state::CartActions,
        price::Price,
    },
};

/// `return_to`: where a browser without JavaScript comes back to after a quick add (this page).
#[component]
pub fn ProductGrid(products: Vec<ProductCard>, #[prop(into)] return_to: String) -> impl IntoView {
    view! {
        <ul class="product-grid" data-testid="results">
            {products.into_iter().map(|product| {
                let return_to = return_to.clone();
                view! { <li><ProductCardView product return_to/></li> }
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn ProductCardView(product: ProductCard, return_to: String) -> impl IntoView {
    let href = format!("/product/{}", product.slug);
    let quick_add = product
        .quick_add
        .filter(|_| product.in_stock)
        .map(|variant_id| {
            view! {
                <QuickAdd product_id=product.id.clone() variant_id name=product.name.clone() return_to/>
            }
        });
    view! {
        <article class="product-card">
            <a href=href>
                {product.image.map(|image| view! {
                    <img src=image.url srcset=image.srcset sizes="(max-width: 40rem) 50vw, 240px"
                        alt=image.alt width=image.width height=image.height loading="lazy"/>
                })}
                <h2 class="product-name">{product.name}</h2>
            </a>
            {product.ribbon.map(|ribbon| view! { <p class="ribbon">{ribbon}</p> })}
            <p class="price"><Price price=product.price/></p>
            {(!product.in_stock).then(|| view! { <p class="stock">"Sold out"</p> })}
            {quick_add}
        </article>
    }
}

/// One item of a product without options, added from its card. Without JavaScript the form
/// posts and the browser comes back to `return_to`, the outcome in the URL.
#[island]
pub fn QuickAdd(
    product_id: String,
    variant_id: String,
    name: String,
    return_to: String,
) -> impl IntoView {
    let add = expect_context::<CartActions>().add;
    view! {
        <ActionForm action=add>
            <input type="hidden" name="product_id" value=product_id/>
            <input type="hidden" name="variant_id" value=variant_id/>
            <input type="hidden" name="quantity" value="1"/>
            <input type="hidden" name="return_to" value=return_to/>
            <button type="submit" class="quick-add" disabled=move || add.pending().get()>
                "Add to cart" <span class="visually-hidden">{format!(" {name}")}</span>
            </button>
        </ActionForm>
    }
}

/// What the last add from a listing did: from the action once hydrated, else from the notice a
/// plain form post brought back in the URL (`from_url`).
#[island]
pub fn ListingCartNotice(from_url: Option<CartNotice>) -> impl IntoView {
    let add = expect_context::<CartActions>().add;
    view! { <CartNoticeLine message=move || add_message(add.value().get(), from_url)/> }
}

/// This page's path and query (on the server), for a form to come back to.
pub fn this_page() -> String {
    let location = leptos_router::hooks::use_location();
    let search = location.search.get_untracked();
    match search.trim_start_matches('?') {
        "" => location.pathname.get_untracked(),
        query => format!("{}?{query}", location.pathname.get_untracked()),
    }
}
