//! `/search?q=&cursor=`: server-rendered results; once hydrated, results follow the search box
//! as you type (debounced), with the URL kept in sync.

use std::time::Duration;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{
    hooks::{use_navigate, use_query_map},
    NavigateOptions,
};

use crate::{
    api::catalog::{normalise_query, search_products, SearchResults},
    components::{
        product_card::ProductGrid,
        status::{error_message, Unavailable},
    },
    url::encode_component,
};

const TYPING_DEBOUNCE: Duration = Duration::from_millis(250);

fn search_url(q: &str, cursor: Option<&str>) -> String {
    let mut url = String::from("/search");
    let mut sep = '?';
    if !q.is_empty() {
        url.push_str(&format!("{sep}q={}", encode_component(q)));
        sep = '&';
    }
    if let Some(cursor) = cursor {
        url.push_str(&format!("{sep}cursor={}", encode_component(cursor)));
    }
    url
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| normalise_query(&query.read().get("q").unwrap_or_default()));
    let cursor = Memo::new(move |_| query.read().get("cursor").filter(|c| !c.is_empty()));
    let results = Resource::new(
        move || (q.get(), cursor.get()),
        |(q, cursor)| search_products(q, cursor),
    );

    let navigate = use_navigate();
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let on_input = move |ev: leptos::ev::Event| {
        let value = normalise_query(&event_target_value(&ev));
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let navigate = navigate.clone();
        let handle = set_timeout_with_handle(
            move || {
                navigate(
                    &search_url(&value, None),
                    NavigateOptions {
                        replace: true,
                        scroll: false,
                        ..Default::default()
                    },
                )
            },
            TYPING_DEBOUNCE,
        )
        .ok();
        pending.set_value(handle);
    };

    view! {
        <Title text=move || {
            let q = q.get();
            if q.is_empty() { "Shop all".to_owned() } else { format!("Search: {q}") }
        }/>
        <section class="search">
            <h1>"Shop"</h1>
            <form method="get" action="/search" role="search" class="search-form">
                <label for="q">"Search products"</label>
                <input
                    id="q"
                    name="q"
                    type="search"
                    value=q.get_untracked()
                    autocomplete="off"
                    placeholder="Try “linen” or “mug”"
                    on:input=on_input
                />
                <button type="submit">"Search"</button>
            </form>
            <Transition fallback=|| view! { <p class="loading">"Loading products…"</p> }>
                {move || Suspend::new(async move {
                    match results.await {
                        Ok(page) => view! { <Results page/> }.into_any(),
                        Err(error) => view! { <Unavailable message=error_message(&error)/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Results(page: SearchResults) -> impl IntoView {
    let count = page.products.len();
    let summary = match (count, page.query.is_empty()) {
        (0, true) => "No products yet.".to_owned(),
        (0, false) => format!("No products match “{}”.", page.query),
        (1, _) => "1 product".to_owned(),
        (n, true) => format!("{n} products"),
        (n, false) => format!("{n} products for “{}”", page.query),
    };
    let prev = page
        .prev_cursor
        .as_deref()
        .map(|c| search_url(&page.query, Some(c)));
    let next = page
        .next_cursor
        .as_deref()
        .map(|c| search_url(&page.query, Some(c)));
    view! {
        <p class="result-count" role="status" aria-live="polite" data-testid="result-count">{summary}</p>
        {(count == 0 && !page.query.is_empty()).then(|| view! {
            <p>"Check the spelling, or " <a href="/search">"browse everything"</a> "."</p>
        })}
        <ProductGrid products=page.products/>
        <nav class="pager" aria-label="Result pages">
            {prev.map(|href| view! { <a rel="prev" href=href>"← Previous"</a> })}
            {next.map(|href| view! { <a rel="next" href=href>"Next →"</a> })}
        </nav>
    }
}
