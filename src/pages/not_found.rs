//! 404: unknown paths and unknown product slugs.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::status::set_status;

#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    view! {
        <Title text="Page not found"/>
        <section class="not-found">
            <h1>"We could not find that page"</h1>
            <p>"It may have moved, or the link may be mistyped. Try a search instead:"</p>
            <form method="get" action="/search" role="search">
                <label for="not-found-q">"Search products"</label>
                <input id="not-found-q" name="q" type="search"/>
                <button type="submit">"Search"</button>
            </form>
        </section>
    }
}
