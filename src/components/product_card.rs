//! Product cards in a grid; products without options can be added right from the card.

use leptos::{form::ActionForm, prelude::*};
use leptos_router::hooks::use_location;

use crate::{api::catalog::ProductCard, app::CartActions, components::price::Price};

#[component]
pub fn ProductGrid(products: Vec<ProductCard>) -> impl IntoView {
    view! {
        <ul class="product-grid" data-testid="results">
            {products.into_iter().map(|product| view! { <li><ProductCardView product/></li> }).collect_view()}
        </ul>
    }
}

#[component]
pub fn ProductCardView(product: ProductCard) -> impl IntoView {
    let href = format!("/product/{}", product.slug);
    let quick_add = product
        .quick_add
        .filter(|_| product.in_stock)
        .map(|variant_id| {
            let add = expect_context::<CartActions>().add;
            let location = use_location();
            // Without JavaScript the browser comes back here, the outcome in the URL.
            let search = location.search.get_untracked();
            let return_to = match search.trim_start_matches('?') {
                "" => location.pathname.get_untracked(),
                query => format!("{}?{query}", location.pathname.get_untracked()),
            };
            let (id, name) = (product.id.clone(), product.name.clone());
            view! {
                <ActionForm action=add>
                    <input type="hidden" name="product_id" value=id/>
                    <input type="hidden" name="variant_id" value=variant_id/>
                    <input type="hidden" name="quantity" value="1"/>
                    <input type="hidden" name="return_to" value=return_to/>
                    <button type="submit" class="quick-add" disabled=move || add.pending().get()>
                        "Add to cart" <span class="visually-hidden">{format!(" {name}")}</span>
                    </button>
                </ActionForm>
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

/// What the last add from a listing did: from the action once hydrated, else from `?cart=`.
#[component]
pub fn ListingCartNotice() -> impl IntoView {
    use crate::api::cart::CartNotice;
    let add = expect_context::<CartActions>().add;
    let query = leptos_router::hooks::use_query_map();
    let message = move || {
        add_message(
            add.value().get(),
            query
                .read()
                .get("cart")
                .and_then(|c| CartNotice::from_code(&c)),
        )
    };
    view! {
        <p class="cart-notice" role="status" aria-live="polite" data-testid="cart-notice">
            {move || message().map(|(text, ok)| view! { <span class=if ok { "ok" } else { "problem" }>{text}</span> })}
        </p>
    }
}

/// What to tell the shopper after an add: the action's outcome once hydrated, else the notice
/// a plain form post brought back in the URL. `(text, success)`.
pub fn add_message(
    outcome: Option<Result<crate::api::cart::AddToCartOutcome, crate::api::error::StoreError>>,
    from_url: Option<crate::api::cart::CartNotice>,
) -> Option<(String, bool)> {
    let notice = match outcome {
        Some(Ok(outcome)) => outcome.notice(),
        Some(Err(error)) => return Some((error.message().to_owned(), false)),
        None => from_url?,
    };
    Some((notice.message().to_owned(), notice.is_success()))
}
