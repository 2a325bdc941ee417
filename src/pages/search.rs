//! `/search` and `/category/{slug}`: filters, sort and paging done by Wix's Search Products on
//! the server; a GET form and links without JavaScript. The page renders on the server; the
//! search is an island ([`SearchExperience`]) around the first results as the server rendered
//! them (HTML, not props to render again). Once hydrated, results follow the search box as you
//! type (debounced) and the filters as you change them, "Load more" appends the next page in
//! place ([`ResultList`], an island of its own around each page of results), and the address
//! bar keeps the search.

use std::time::Duration;

use leptos::{ev, prelude::*, wasm_bindgen::JsCast};
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    api::{
        cart::CartNotice,
        catalog::{
            normalise_query, search_products, CategoryView, OptionFacet, ProductCard, SearchResults,
        },
        search_query::{with_query, SearchQuery, Sort},
    },
    components::{
        browser::show_url,
        canonical::Canonical,
        cart_notice::notice_in_url,
        latest::latest_answer,
        product_card::{ListingCartNotice, ProductGrid},
        status::Unavailable,
    },
    pages::not_found::NotFound,
};

const TYPING_DEBOUNCE: Duration = Duration::from_millis(250);

/// The search as the page's URL states it (on `/category/{slug}`, the category is the path's).
fn requested_search() -> (SearchQuery, Option<String>) {
    let category = use_params_map().read_untracked().get("slug");
    let mut query = SearchQuery::parse(&*use_query_map().read_untracked());
    if let Some(slug) = &category {
        query.category = Some(slug.clone());
    }
    (query, category)
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let (query, category) = requested_search();
    let base = match &category {
        Some(slug) => format!("/category/{slug}"),
        None => "/search".to_owned(),
    };
    // Read once, here: the title, the description and the status come from it, and the island
    // starts from it.
    let results = Resource::new(
        {
            let query = query.clone();
            move || query.clone()
        },
        search_products,
    );
    let in_category = category.is_some();
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading products…"</p> }>
            {move || {
                let (query, base) = (query.clone(), base.clone());
                Suspend::new(async move {
                    match results.await {
                        Ok(page) if in_category && page.category_name.is_none() => {
                            view! { <NotFound/> }.into_any()
                        }
                        Ok(page) => {
                            // A category's own page (the sitemap lists it) is indexed, whatever
                            // else its URL carries (tracking parameters): the search as the
                            // server applied it is the category alone. Searches, filtered, sorted
                            // and later pages are not, though their links are followed.
                            let indexable = in_category
                                && page.query
                                    == (SearchQuery {
                                        category: page.query.category.clone(),
                                        ..SearchQuery::default()
                                    });
                            let heading = page.category_name.clone().unwrap_or_else(|| "Shop".to_owned());
                            let title = if query.q.is_empty() {
                                heading.clone()
                            } else {
                                format!("{heading}: {}", query.q)
                            };
                            view! {
                                {(!indexable).then(|| view! { <Meta name="robots" content="noindex, follow"/> })}
                                <Title text=title/>
                                // Listings are indexed by their category URL alone; filters, sorts
                                // and pages are not.
                                <Canonical path=base.clone()/>
                                <Meta name="description" content=format!("{heading} from Rustic Goods: everyday goods, made well.")/>
                                <SearchExperience
                                    query=page.query.clone()
                                    heading=page.category_name.clone()
                                    categories=page.categories.clone()
                                    facets=page.facets.clone()
                                    base=base.clone()
                                    in_category
                                    from_url=notice_in_url()
                                >
                                    // The first results as the server rendered them: HTML, not
                                    // props the browser would have to read and render again.
                                    <Results categories=page.categories.clone() page base in_category own_island=true/>
                                </SearchExperience>
                            }.into_any()
                        }
                        Err(error) => view! { <Unavailable error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// The search box, the filters and the results: `children` are the results the server read for
/// this URL (`query`). The filters stay as the shopper sets them while the results change.
#[island]
pub fn SearchExperience(
    query: SearchQuery,
    heading: Option<String>,
    categories: Vec<CategoryView>,
    facets: Vec<OptionFacet>,
    base: String,
    in_category: bool,
    from_url: Option<CartNotice>,
    children: Children,
) -> impl IntoView {
    let initial = query;
    let query = RwSignal::new(initial.clone());
    // The server's search shows its own results (kept, "Load more" and all, while another
    // search is shown); another search is read in the browser.
    let showing_first = {
        let initial = initial.clone();
        Memo::new(move |_| query.with(|query| *query == initial))
    };
    let fetched = latest_answer(move || {
        let query = query.get();
        (!showing_first.get()).then(|| search_products(query))
    });
    let base = StoredValue::new(base);
    // Shows `next` and puts it in the address bar.
    let search = move |next: SearchQuery| {
        let url = with_query(&base.get_value(), &next.query_string(!in_category));
        query.set(next);
        show_url(&url);
    };
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let on_input = move |ev: ev::Event| {
        let typed = normalise_query(&event_target_value(&ev));
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                search(SearchQuery {
                    q: typed,
                    ..query.get_untracked().at(None)
                })
            },
            TYPING_DEBOUNCE,
        )
        .ok();
        pending.set_value(handle);
    };
    // Filters apply themselves; without JavaScript the "Apply" button submits the form.
    let on_filter = move |ev: ev::Event| {
        let Some(form) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        let Ok(data) = web_sys::FormData::new_with_form(&form) else {
            return;
        };
        let mut next = SearchQuery::parse(form_pairs(&data));
        next.q = query.get_untracked().q;
        if in_category {
            next.category = query.get_untracked().category;
        }
        search(next.at(None));
    };

    // The search box and the filters stay outside the results, so they keep focus while the
    // results update.
    view! {
        <section class="search">
            <h1>"Shop"</h1>
            <form method="get" action=base.get_value() role="search" class="search-form">
                <label for="q">"Search products"</label>
                <input id="q" name="q" type="search" value=initial.q.clone() autocomplete="off"
                    placeholder="Try “linen” or “mug”" on:input=on_input/>
                <button type="submit">"Search"</button>
            </form>
            {heading.map(|heading| view! { <h2 class="category-title">{heading}</h2> })}
            // On a phone the filters fold away behind this toggle (CSS only: it works without
            // JavaScript); wider screens show them and hide the toggle.
            <input type="checkbox" id="show-filters" class="filters-toggle"/>
            <label for="show-filters" class="filters-toggle-label">"Filter and sort"</label>
            <form method="get" action=base.get_value() class="filter-form" on:change=on_filter>
                <input type="hidden" name="q" value=initial.q.clone()/>
                <Filters query=initial.clone() categories=categories.clone() facets show_category=!in_category/>
            </form>
            <ListingCartNotice from_url/>
            <div class="results" hidden=move || !showing_first.get()>{children()}</div>
            {move || match (showing_first.get(), fetched.get()) {
                (false, Some(Ok(page))) => view! {
                    <Results page base=base.get_value() in_category categories=categories.clone() own_island=false/>
                }.into_any(),
                (false, Some(Err(error))) => view! { <Unavailable error/> }.into_any(),
                _ => ().into_any(),
            }}
        </section>
    }
}

/// The `(name, value)` pairs of a form's data, as a GET submission would send them.
fn form_pairs(data: &web_sys::FormData) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let Ok(Some(iterator)) = leptos::wasm_bindgen::JsValue::from(data.clone())
        .dyn_into::<js_sys::Object>()
        .map(|o| js_sys::try_iter(&o).ok().flatten())
    else {
        return pairs;
    };
    for entry in iterator.flatten() {
        let entry: js_sys::Array = entry.unchecked_into();
        if let (Some(name), Some(value)) = (entry.get(0).as_string(), entry.get(1).as_string()) {
            pairs.push((name, value));
        }
    }
    pairs
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

/// One page of results, and what "Load more" appends to it: rendered on the server inside the
/// search island, its list hydrates as an island of its own (`own_island`); rendered in the
/// browser for a search typed there, it is part of the search island.
#[component]
fn Results(
    page: SearchResults,
    base: String,
    in_category: bool,
    categories: Vec<CategoryView>,
    own_island: bool,
) -> impl IntoView {
    let query = page.query.clone();
    let count = page.products.len();
    let cleared = with_query(
        &base,
        &SearchQuery {
            q: query.q.clone(),
            ..SearchQuery::default()
        }
        .query_string(false),
    );
    let paging = ResultPaging {
        query: query.clone(),
        base: base.clone(),
        in_category,
        total: page.total,
        count,
        next_cursor: page.next_cursor,
        prev_cursor: page.prev_cursor,
    };
    let products = view! {
        {(count == 0).then(|| view! { <EmptyState categories cleared=cleared.clone() filtered=query.has_filters()/> })}
        <ProductGrid products=page.products return_to=paging.here()/>
    };
    view! {
        <ActiveOptions query=query.clone() base include_category=!in_category/>
        {if own_island {
            view! { <ResultList paging>{products}</ResultList> }.into_any()
        } else {
            view! { <ResultListView paging>{products}</ResultListView> }.into_any()
        }}
    }
}

/// What the list of results needs besides its first products.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
struct ResultPaging {
    query: SearchQuery,
    base: String,
    in_category: bool,
    /// Products matching the whole search, when Wix counted them.
    total: Option<u64>,
    /// Products in the first page.
    count: usize,
    next_cursor: Option<String>,
    prev_cursor: Option<String>,
}

impl ResultPaging {
    /// Where a quick add without JavaScript comes back to: this search.
    fn here(&self) -> String {
        with_query(&self.base, &self.query.query_string(!self.in_category))
    }
}

/// [`ResultListView`] hydrated on its own, around the products the server rendered.
#[island]
fn ResultList(paging: ResultPaging, children: Children) -> impl IntoView {
    view! { <ResultListView paging>{children()}</ResultListView> }
}

/// The count of results, the first page's products (`children`), the pages "Load more" appends,
/// and the pager. Links keep paging without JavaScript.
#[component]
fn ResultListView(paging: ResultPaging, children: Children) -> impl IntoView {
    let here = paging.here();
    let ResultPaging {
        query,
        base,
        in_category,
        total,
        count,
        next_cursor,
        prev_cursor,
    } = paging;
    let loaded = RwSignal::new(Vec::<Vec<ProductCard>>::new());
    let next_cursor = RwSignal::new(next_cursor);
    let shown = move || count + loaded.with(|pages| pages.iter().map(Vec::len).sum::<usize>());
    let summary = {
        let query = query.clone();
        move || result_summary(&query, total, shown(), next_cursor.with(Option::is_some))
    };
    let page_url = {
        let (base, query) = (base.clone(), query.clone());
        move |cursor: &str| with_query(&base, &query.at(Some(cursor)).query_string(!in_category))
    };
    let prev = prev_cursor.as_deref().map(page_url.clone());
    let next = move || next_cursor.get().as_deref().map(page_url.clone());
    view! {
        <p class="result-count" role="status" aria-live="polite" data-testid="result-count">{summary}</p>
        {children()}
        <For each=move || loaded.get().into_iter().enumerate() key=|(i, _)| *i let:((_, products))>
            <ProductGrid products return_to=here.clone()/>
        </For>
        <LoadMore query=query.clone() next_cursor loaded/>
        <nav class="pager" aria-label="Result pages">
            {prev.map(|href| view! { <a rel="prev" href=href>"← Previous"</a> })}
            {move || next().map(|href| view! { <a rel="next" href=href>"Next →"</a> })}
        </nav>
    }
}

/// Appends the next page of results in place. It exists only once hydrated (it is made in the
/// browser); without JavaScript the "Next" link does the same job.
#[component]
fn LoadMore(
    query: SearchQuery,
    next_cursor: RwSignal<Option<String>>,
    loaded: RwSignal<Vec<Vec<ProductCard>>>,
) -> impl IntoView {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    // Each page, once it arrives, joins the list and moves the cursor on.
    let load = Action::new(move |cursor: &String| {
        let query = query.at(Some(cursor));
        async move {
            let page = search_products(query).await;
            if let Ok(more) = &page {
                next_cursor.set(more.next_cursor.clone());
                loaded.update(|pages| pages.push(more.products.clone()));
            }
            page.map(|_| ())
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
