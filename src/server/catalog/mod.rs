//! Catalog reads for the pages, through the shared token and caches (`calls::catalog_call`),
//! mapped to views. Which reads may fail without failing the page follows Wix's own
//! storefront (wix-api.md §9.4): categories, the count and the filter options are optional.

mod description;
mod facets;
mod query;
mod views;

pub use description::paragraphs;
pub use facets::Facets;
pub use query::{product_query, search_request};
pub use views::{card, category_view, detail, image_view, CART_LINE};

use wix_headless::{
    catalog::{Category, Product, ProductPage, ProductQuery, ProductSearch, ProductSort},
    WixError,
};

use super::{
    calls::{app_state, catalog_call, current_session, fail},
    catalog_cache::cached,
    session::Session,
    state::AppState,
};
use crate::api::{
    catalog::{CategoryView, HomeContent, ProductDetail, SearchResults},
    error::StoreError,
    search_query::SearchQuery,
};

/// Follows a search's cursors through at most `max_pages` pages, with the shared token and
/// cache, handing each page to `visit`. A failure ends the walk; what was visited stays.
pub async fn walk_catalog(
    state: &AppState,
    first: ProductSearch,
    max_pages: usize,
    mut visit: impl FnMut(ProductPage),
) -> Result<(), WixError> {
    let session = Session::anonymous();
    let mut request = first;
    for _ in 0..max_pages {
        let mut page = run_search(state, &session, request.clone()).await?;
        let next = page.next_cursor.take();
        visit(page);
        match next {
            Some(cursor) => request = request.next(cursor),
            None => break,
        }
    }
    Ok(())
}

/// The store's categories (cached; an empty list when Wix cannot give them, §9.4).
pub async fn categories(state: &AppState, session: &Session) -> Vec<Category> {
    categories_with(state, session)
        .await
        .inspect_err(|error| tracing::warn!(%error, "categories unavailable"))
        .unwrap_or_default()
}

pub async fn categories_with(
    state: &AppState,
    session: &Session,
) -> Result<Vec<Category>, WixError> {
    let wix = state.wix.clone();
    catalog_call(
        state,
        session,
        &state.catalog_cache.categories,
        "all".into(),
        |token| {
            let wix = wix.clone();
            async move { wix.categories(&token).await }
        },
    )
    .await
}

/// A visible category by slug (cached); `Ok(None)` when there is none.
async fn category_by_slug(
    state: &AppState,
    session: &Session,
    slug: &str,
) -> Result<Option<Category>, WixError> {
    let wix = state.wix.clone();
    let cache = &state.catalog_cache.category_slugs;
    catalog_call(state, session, cache, slug.to_owned(), |token| {
        let (wix, slug) = (wix.clone(), slug.to_owned());
        async move { wix.category_by_slug(&token, &slug).await }
    })
    .await
}

fn category_views(categories: &[Category]) -> Vec<CategoryView> {
    categories.iter().map(category_view).collect()
}

/// A product search through the shared policy and cache.
pub async fn run_search(
    state: &AppState,
    session: &Session,
    request: ProductSearch,
) -> Result<ProductPage, WixError> {
    let wix = state.wix.clone();
    let key = request.cache_key();
    catalog_call(
        state,
        session,
        &state.catalog_cache.searches,
        key,
        |token| {
            let (wix, request) = (wix.clone(), request.clone());
            async move { wix.search_products(&token, &request).await }
        },
    )
    .await
}

/// Products by id (cart line images), through the shared policy and cache.
pub async fn products_by_ids(
    state: &AppState,
    session: &Session,
    ids: &[&str],
) -> Result<Vec<Product>, WixError> {
    let wix = state.wix.clone();
    let key = ids.join(",");
    catalog_call(state, session, &state.catalog_cache.by_ids, key, |token| {
        let wix = wix.clone();
        let ids: Vec<String> = ids.iter().map(|id| (*id).to_owned()).collect();
        async move {
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            wix.products_by_ids(&token, &ids).await
        }
    })
    .await
}

/// Products read per page when collecting filter options, and pages read at most.
const FACET_PAGE_SIZE: u32 = 100;
const FACET_PAGES: usize = 3;

/// The options products in a category (or the whole store) have, offered as filters.
///
/// Read with the shared token and cached: this is the catalog's public filter vocabulary, the
/// same for every visitor.
pub async fn facets(state: &AppState, category_id: Option<&str>) -> Result<Facets, WixError> {
    let mut query = ProductQuery::new();
    if let Some(id) = category_id {
        query = query.in_category(id);
    }
    let first = ProductSearch::first(query, FACET_PAGE_SIZE).for_facets();
    let key = category_id.unwrap_or("all").to_owned();
    // Concurrent misses of one category share one walk.
    cached(&state.catalog_cache.facets, key, async {
        let mut products = Vec::new();
        walk_catalog(state, first, FACET_PAGES, |page| {
            products.extend(page.products)
        })
        .await?;
        Ok(Facets::collect(&products))
    })
    .await
}

/// How many products the search's filter matches (Count Products ignores free text, §9.1).
async fn count(state: &AppState, session: &Session, query: ProductQuery) -> Result<u64, WixError> {
    let key = format!("{query:?}");
    let wix = state.wix.clone();
    catalog_call(state, session, &state.catalog_cache.counts, key, |token| {
        let (wix, query) = (wix.clone(), query.clone());
        async move { wix.count_products(&token, &query).await }
    })
    .await
}

pub async fn search(mut query: SearchQuery) -> Result<SearchResults, StoreError> {
    let state = app_state()?;
    let session = current_session();
    let (categories, category) = tokio::join!(categories(&state, &session), async {
        match &query.category {
            Some(slug) => category_by_slug(&state, &session, slug).await,
            None => Ok(None),
        }
    });
    let category = category.map_err(fail)?;
    if category.is_none() {
        query.category = None;
    }
    let category_id = category.as_ref().map(|c| c.id.as_str());
    // Without the filter options the page still works: option filters are then ignored.
    let facets = facets(&state, category_id)
        .await
        .inspect_err(|error| tracing::warn!(%error, "filter options unavailable"))
        .unwrap_or_default();
    query
        .options
        .retain(|name, choice| facets.choice_ids(name, choice).is_some());
    let wanted = product_query(&query, category_id, &facets);
    // The count ignores free text, so it is the total only of a search without text.
    let counting = query.cursor.is_none() && !wanted.has_text();
    let (page, total) = tokio::join!(
        run_search(
            &state,
            &session,
            search_request(&query, category_id, &facets)
        ),
        async {
            match counting {
                true => count(&state, &session, wanted.clone()).await.map(Some),
                false => Ok(None),
            }
        },
    );
    let page = match page {
        // A stale or hand-edited cursor: show the first page instead of an error.
        Err(WixError::Refused { .. }) if query.cursor.is_some() => {
            query.cursor = None;
            run_search(
                &state,
                &session,
                search_request(&query, category_id, &facets),
            )
            .await
            .map_err(fail)?
        }
        other => other.map_err(fail)?,
    };
    Ok(SearchResults {
        products: page.products.iter().map(card).collect(),
        total: total
            .inspect_err(|error| tracing::warn!(%error, "product count unavailable"))
            .ok()
            .flatten(),
        facets: facets.options,
        next_cursor: page.next_cursor,
        prev_cursor: page.prev_cursor,
        category_name: category.map(|c| c.name),
        categories: category_views(&categories),
        query,
    })
}

pub async fn home() -> Result<HomeContent, StoreError> {
    let state = app_state()?;
    let session = current_session();
    let newest = ProductSearch::first(ProductQuery::new().sorted(ProductSort::Newest), 8);
    let featured = ProductSearch::first(
        ProductQuery::new()
            .in_stock_only(true)
            .sorted(ProductSort::PriceDescending),
        8,
    );
    let (newest, featured, categories) = tokio::join!(
        run_search(&state, &session, newest),
        run_search(&state, &session, featured),
        categories(&state, &session),
    );
    Ok(HomeContent {
        newest: newest.map_err(fail)?.products.iter().map(card).collect(),
        featured: featured.map_err(fail)?.products.iter().map(card).collect(),
        categories: category_views(&categories),
    })
}

/// Longest slug worth asking Wix about.
const MAX_SLUG: usize = 200;

pub async fn product(slug: &str) -> Result<Option<ProductDetail>, StoreError> {
    if slug.is_empty() || slug.len() > MAX_SLUG {
        return Ok(None);
    }
    let state = app_state()?;
    let session = current_session();
    let wix = state.wix.clone();
    let cache = &state.catalog_cache.products;
    let product = catalog_call(&state, &session, cache, slug.to_owned(), |token| {
        let (wix, slug) = (wix.clone(), slug.to_owned());
        async move { wix.product_by_slug(&token, &slug).await }
    })
    .await
    .map_err(fail)?;
    let Some(product) = product else {
        return Ok(None);
    };
    // Related products: the same main category; losing them never loses the page.
    let related = match &product.main_category_id {
        Some(category) => {
            let request = ProductSearch::first(ProductQuery::new().in_category(category), 5);
            run_search(&state, &session, request)
                .await
                .map(|page| {
                    page.products
                        .iter()
                        .filter(|p| p.id != product.id)
                        .take(4)
                        .map(card)
                        .collect()
                })
                .unwrap_or_default()
        }
        None => Vec::new(),
    };
    Ok(Some(detail(&product, related)))
}
