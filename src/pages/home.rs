//! `/`: categories, featured and newest products.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::{
    api::catalog::get_home,
    brand::STORE_NAME,
    components::{
        canonical::Canonical,
        cart_notice::notice_in_url,
        product_card::{this_page, ListingCartNotice, ProductGrid},
        status::Unavailable,
    },
};

#[component]
pub fn HomePage() -> impl IntoView {
    let home = Resource::new(|| (), |_| get_home());
    let return_to = this_page();
    view! {
        <Title text=STORE_NAME/>
        <Meta name="description" content="Everyday goods made well: apparel, home, kitchen, stationery and more."/>
        <Canonical path="/"/>
        <section class="home">
            <div class="hero">
                <h1>"Everyday goods, made well"</h1>
                <form method="get" action="/search" role="search" class="search-form">
                    <label for="home-q">"Search products"</label>
                    <input id="home-q" name="q" type="search" placeholder="Try “linen” or “mug”"/>
                    <button type="submit">"Search"</button>
                </form>
            </div>
            <ListingCartNotice from_url=notice_in_url()/>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || {
                    let return_to = return_to.clone();
                    Suspend::new(async move {
                    match home.await {
                        Ok(home) => view! {
                            <nav aria-label="Categories">
                                <h2>"Shop by category"</h2>
                                <ul class="category-links">
                                    {home.categories.into_iter().map(|c| view! {
                                        <li><a href=format!("/category/{}", c.slug)>{c.name}</a></li>
                                    }).collect_view()}
                                </ul>
                            </nav>
                            <h2>"Featured"</h2>
                            <ProductGrid products=home.featured return_to=return_to.clone()/>
                            <h2>"New arrivals"</h2>
                            <ProductGrid products=home.newest return_to/>
                            <p><a href="/search">"Shop all products"</a></p>
                        }.into_any(),
                        Err(error) => view! { <Unavailable error/> }.into_any(),
                    }
                })
                }}
            </Suspense>
        </section>
    }
}
