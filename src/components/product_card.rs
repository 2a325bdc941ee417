//! Product cards in a grid.

use leptos::prelude::*;

use crate::api::catalog::ProductCard;

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
    view! {
        <article class="product-card">
            <a href=href>
                {product.image.map(|image| view! {
                    <img src=image.url alt=image.alt width=image.width height=image.height loading="lazy"/>
                })}
                <h2 class="product-name">{product.name}</h2>
            </a>
            <p class="price">
                <span>{product.price}</span>
                {product.compare_at.map(|was| view! { " " <s class="compare-at" aria-label=format!("was {was}")>{was.clone()}</s> })}
            </p>
            {(!product.in_stock).then(|| view! { <p class="stock">"Sold out"</p> })}
        </article>
    }
}
