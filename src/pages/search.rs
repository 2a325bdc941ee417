//! `/search` and `/category/{slug}`: filters, sort and paging done by Wix's Search Products on
//! the server; a GET form and links without JavaScript; once hydrated, results follow the search
//! box as you type (debounced), with the URL kept in sync.

use std::time::Duration;

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::{
    hooks::{use_navigate, use_params_map, use_query_map},
    NavigateOptions,
};

use crate::{
    api::{
        catalog::{
            normalise_query, search_products, CategoryView, OptionFacet, ProductCard, SearchResults,
        },
        search_query::{with_query, SearchQuery, Sort},
    },
    components::{
        canonical::Canonical,
        product_card::{ListingCartNotice, ProductGrid},
        status::Unavailable,
    },
    pages::not_found::NotFound,
};

const TYPING_DEBOUNCE: Duration = Duration::from_millis(250);

#[component]
pub fn SearchPage() -> impl IntoView {
    let params = use_params_map();
    let url = use_query_map();
    // On /category/{slug} the category comes from the path.
    let fixed_category = Memo::new(move |_| params.read().get("slug"));
    let query = Memo::new(move |_| {
        let mut query = SearchQuery::parse(&*url.read());
        if let Some(slug) = fixed_category.get() {
            query.category = Some(slug);
        }
        query
    });
    let base_path = move || match fixed_category.get() {
        Some(slug) => format!("/category/{slug}"),
        None => "/search".to_owned(),
    };
    let results = Resource::new(move || query.get(), search_products);

    let navigate = use_navigate();
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let on_input = move |ev: leptos::ev::Event| {
        let typed = normalise_query(&event_target_value(&ev));
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let next = SearchQuery {
            q: typed,
            ..query.get_untracked().at(None)
        };
        let target = with_query(
            &base_path(),
            &next.query_string(fixed_category.get_untracked().is_none()),
        );
        let navigate = navigate.clone();
        let handle = set_timeout_with_handle(
            move || {
                navigate(
                    &target,
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

    // The search box stays outside the results, so it keeps focus while they update.
    view! {
        <Meta name="robots" content="noindex, follow"/>
        <section class="search">
            <h1>"Shop"</h1>
            <form method="get" action=base_path role="search" class="search-form">
                <label for="q">"Search products"</label>
                <input id="q" name="q" type="search" value=query.get_untracked().q autocomplete="off"
                    placeholder="Try “linen” or “mug”" on:input=on_input/>
                <button type="submit">"Search"</button>
            </form>
            <ListingCartNotice/>
            <Transition fallback=|| view! { <p class="loading">"Loading products…"</p> }>
                {move || Suspend::new(async move {
                    match results.await {
                        Ok(page) if fixed_category.get_untracked().is_some() && page.category_name.is_none() => {
                            view! { <NotFound/> }.into_any()
                        }
                        Ok(page) => view! { <Results page base=base_path()/> }.into_any(),
                        Err(error) => view! { <Unavailable error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// What the live region says about the results: the total when Wix counted them, else what
/// this page holds (`24+` when there are more pages).
pub fn result_summary(query: &SearchQuery, total: Option<u64>, shown: usize, more: bool) -> String {
    let count = total.unwrap_or(shown as u64);
    if count == 0 {
        return if query.q.is_empty() {
            "No products match these filters.".to_owned()
        } else {
            format!("No products match “{}”.", query.q)
        };
    }
    let noun = if count == 1 { "product" } else { "products" };
    let plus = if total.is_none() && more { "+" } else { "" };
    let mut text = format!("{count}{plus} {noun}");
    if !query.q.is_empty() {
        text.push_str(&format!(" for “{}”", query.q));
    }
    if total.is_some_and(|t| (shown as u64) < t) {
        text.push_str(&format!(", showing {shown}"));
    }
    text
}

#[component]
fn Results(page: SearchResults, base: String) -> impl IntoView {
    let query = page.query.clone();
    let in_category = page.category_name.is_some();
    let heading = page
        .category_name
        .clone()
        .unwrap_or_else(|| "Shop".to_owned());
    let count = page.products.len();
    let total = page.total;
    // Pages appended by "Load more" once hydrated; links keep paging without JavaScript.
    let loaded = RwSignal::new(Vec::<Vec<ProductCard>>::new());
    let next_cursor = RwSignal::new(page.next_cursor.clone());
    let shown = move || count + loaded.with(|pages| pages.iter().map(Vec::len).sum::<usize>());
    let summary = {
        let query = query.clone();
        move || result_summary(&query, total, shown(), next_cursor.with(Option::is_some))
    };
    let page_url = {
        let (base, query) = (base.clone(), query.clone());
        move |cursor: &str| with_query(&base, &query.at(Some(cursor)).query_string(!in_category))
    };
    let prev = page.prev_cursor.as_deref().map(page_url.clone());
    let next = move || next_cursor.get().as_deref().map(page_url.clone());
    let cleared = with_query(
        &base,
        &SearchQuery {
            q: query.q.clone(),
            ..SearchQuery::default()
        }
        .query_string(false),
    );
    let title = if query.q.is_empty() {
        heading.clone()
    } else {
        format!("{heading}: {}", query.q)
    };
    view! {
        <Title text=title/>
        // Listings are indexed by their category URL alone; filters, sorts and pages are not.
        <Canonical path=base.clone()/>
        <Meta name="description" content=format!("{heading} from Rustic Goods: everyday goods, made well.")/>
        {in_category.then(|| view! { <h2 class="category-title">{heading.clone()}</h2> })}
        <form method="get" action=base.clone() class="filter-form">
            <input type="hidden" name="q" value=query.q.clone()/>
            <Filters query=query.clone() categories=page.categories.clone() facets=page.facets.clone() show_category=!in_category/>
        </form>
        <ActiveOptions query=query.clone() base=base.clone() include_category=!in_category/>
        <p class="result-count" role="status" aria-live="polite" data-testid="result-count">{summary}</p>
        {(count == 0).then(|| view! { <EmptyState categories=page.categories.clone() cleared=cleared.clone() filtered=query.has_filters()/> })}
        <ProductGrid products=page.products/>
        <For each=move || loaded.get().into_iter().enumerate() key=|(i, _)| *i let:((_, products))>
            <ProductGrid products/>
        </For>
        <LoadMore query=query.clone() next_cursor loaded/>
        <nav class="pager" aria-label="Result pages">
            {prev.map(|href| view! { <a rel="prev" href=href>"← Previous"</a> })}
            {move || next().map(|href| view! { <a rel="next" href=href>"Next →"</a> })}
        </nav>
    }
}

/// Once hydrated: appends the next page of results in place. Without JavaScript it is never
/// shown, and the "Next" link does the same job.
#[component]
fn LoadMore(
    query: SearchQuery,
    next_cursor: RwSignal<Option<String>>,
    loaded: RwSignal<Vec<Vec<ProductCard>>>,
) -> impl IntoView {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let load = Action::new(move |cursor: &String| search_products(query.at(Some(cursor))));
    Effect::new(move |_| {
        if let Some(Ok(more)) = load.value().get() {
            next_cursor.set(more.next_cursor);
            loaded.update(|pages| pages.push(more.products));
        }
    });
    let problem = move || match load.value().get() {
        Some(Err(error)) => Some(error.message().to_owned()),
        _ => None,
    };
    let on_click = move |_| {
        if let Some(cursor) = next_cursor.get_untracked() {
            load.dispatch(cursor);
        }
    };
    view! {
        <Show when=move || hydrated.get() && next_cursor.with(Option::is_some)>
            <p class="load-more">
                <button type="button" on:click=on_click disabled=move || load.pending().get()>
                    {move || if load.pending().get() { "Loading…" } else { "Load more" }}
                </button>
            </p>
        </Show>
        {move || problem().map(|text| view! { <p class="notice error" role="alert">{text}</p> })}
    }
}

/// The option filters in force, each with a link that removes it (works without JavaScript).
#[component]
fn ActiveOptions(query: SearchQuery, base: String, include_category: bool) -> impl IntoView {
    let chips: Vec<_> = query
        .options
        .iter()
        .map(|(name, choice)| {
            let href = with_query(
                &base,
                &query.with_option(name, None).query_string(include_category),
            );
            (format!("{name}: {choice}"), href)
        })
        .collect();
    (!chips.is_empty()).then(|| {
        view! {
            <ul class="active-filters" aria-label="Active filters">
                {chips.into_iter().map(|(label, href)| view! {
                    <li><a href=href>{label.clone()} <span aria-hidden="true">" ×"</span>
                        <span class="visually-hidden">" (remove filter)"</span></a></li>
                }).collect_view()}
            </ul>
        }
    })
}

#[component]
fn Filters(
    query: SearchQuery,
    categories: Vec<CategoryView>,
    facets: Vec<OptionFacet>,
    show_category: bool,
) -> impl IntoView {
    let selected_category = query.category.clone().unwrap_or_default();
    view! {
        <fieldset class="filters">
            <legend>"Filter and sort"</legend>
            {show_category.then(|| view! {
                <div class="field">
                    <label for="category">"Category"</label>
                    <select id="category" name="category">
                        <option value="" selected=selected_category.is_empty()>"All categories"</option>
                        {categories.into_iter().map(|c| {
                            let selected = c.slug == selected_category;
                            view! { <option value=c.slug selected=selected>{c.name}</option> }
                        }).collect_view()}
                    </select>
                </div>
            })}
            <div class="field">
                <label for="min">"Min price ($)"</label>
                <input id="min" name="min" type="number" min="0" step="1" inputmode="numeric" value=query.min.map(|m| m.to_string())/>
            </div>
            <div class="field">
                <label for="max">"Max price ($)"</label>
                <input id="max" name="max" type="number" min="0" step="1" inputmode="numeric" value=query.max.map(|m| m.to_string())/>
            </div>
            {facets.into_iter().enumerate().map(|(i, facet)| {
                let id = format!("option-{i}");
                let current = query.options.get(&facet.name).cloned().unwrap_or_default();
                view! {
                    <div class="field">
                        <label for=id.clone()>{facet.name.clone()}</label>
                        <select id=id name=facet.name.clone()>
                            <option value="" selected=current.is_empty()>"Any"</option>
                            {facet.choices.into_iter().map(|choice| {
                                let selected = choice == current;
                                view! { <option value=choice.clone() selected=selected>{choice.clone()}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                }
            }).collect_view()}
            <div class="field checkbox">
                <input id="in_stock" name="in_stock" type="checkbox" value="1" checked=query.in_stock/>
                <label for="in_stock">"In stock only"</label>
            </div>
            <div class="field">
                <label for="sort">"Sort by"</label>
                <select id="sort" name="sort">
                    {Sort::ALL.into_iter().map(|s| view! {
                        <option value=s.code() selected=s == query.sort>{s.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit">"Apply"</button>
        </fieldset>
    }
}

#[component]
fn EmptyState(categories: Vec<CategoryView>, cleared: String, filtered: bool) -> impl IntoView {
    view! {
        <div class="empty-state" data-testid="empty-state">
            {filtered.then(|| view! { <p><a href=cleared>"Remove the filters"</a> " to see more products."</p> })}
            <p>"Check the spelling, or browse a category:"</p>
            <ul class="category-links">
                {categories.into_iter().map(|c| view! { <li><a href=format!("/category/{}", c.slug)>{c.name}</a></li> }).collect_view()}
            </ul>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_prefers_the_total() {
        let query = SearchQuery::parse([("q", "mug")]);
        let plain = SearchQuery::default();
        assert_eq!(
            result_summary(&plain, Some(57), 24, true),
            "57 products, showing 24"
        );
        assert_eq!(
            result_summary(&query, Some(1), 1, false),
            "1 product for “mug”"
        );
        assert_eq!(result_summary(&plain, None, 24, true), "24+ products");
        assert_eq!(
            result_summary(&plain, Some(0), 0, false),
            "No products match these filters."
        );
        assert_eq!(
            result_summary(&query, None, 0, false),
            "No products match “mug”."
        );
        assert_eq!(result_summary(&plain, Some(48), 48, false), "48 products");
    }
}
