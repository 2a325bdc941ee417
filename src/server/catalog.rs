//! Catalog reads for the pages: Wix products mapped to the views the browser needs.

use leptos::prelude::ServerFnError;
use serde_json::json;
use wix_headless::catalog::{
    Category, MediaItem, Price, PriceRange, Product, ProductPage, ProductSearch, SortOrder,
    LISTING_FIELDS, PRODUCT_PAGE_FIELDS,
};

use super::{
    calls::{app_state, catalog_call, current_session, user_error},
    catalog_cache::cached,
    session::Session,
    state::AppState,
};
use crate::api::{
    catalog::{
        wix_srcset, CategoryView, ChoiceView, HomeContent, ImageView, OptionFacet, OptionView,
        ProductCard, ProductDetail, SearchResults, VariantView, PAGE_SIZE,
    },
    search_query::{SearchQuery, Sort},
};

/// The Search Products request for what the shopper asked. With a cursor only the cursor is
/// sent: it carries the filter and sort (wix-api.md §4.2).
pub fn wix_search(query: &SearchQuery, category_id: Option<&str>) -> ProductSearch {
    if let Some(cursor) = &query.cursor {
        return ProductSearch::after(PAGE_SIZE, cursor.clone());
    }
    let mut filters = Vec::new();
    if let Some(id) = category_id {
        filters.push(in_category(id));
    }
    if let Some(min) = query.min {
        filters.push(json!({"actualPriceRange.minValue.amount": {"$gte": min}}));
    }
    if let Some(max) = query.max {
        filters.push(json!({"actualPriceRange.minValue.amount": {"$lte": max}}));
    }
    if query.in_stock {
        filters.push(json!({"inventory.availabilityStatus": {"$in": ["IN_STOCK", "PARTIALLY_OUT_OF_STOCK"]}}));
    }
    // Wix filters option names and choice names separately (§4.2), so `Color=Black` also matches
    // a product whose Color has no Black but another option does; rare, and still a product the
    // shopper can choose on its page.
    for (name, choice) in &query.options {
        filters.push(json!({"options.name": {"$hasSome": [name]}}));
        filters.push(json!({"options.choicesSettings.choices.name": {"$hasSome": [choice]}}));
    }
    let mut search = ProductSearch::new(PAGE_SIZE).text(&query.q);
    if !filters.is_empty() {
        search = search.filter(json!({ "$and": filters }));
    }
    match query.sort {
        Sort::Relevance => search,
        Sort::PriceAscending => {
            search.sort("actualPriceRange.minValue.amount", SortOrder::Ascending)
        }
        Sort::PriceDescending => {
            search.sort("actualPriceRange.minValue.amount", SortOrder::Descending)
        }
        Sort::Newest => search.sort("createdDate", SortOrder::Descending),
        Sort::Name => search.sort("name", SortOrder::Ascending),
    }
}

/// Products in a category or any of its subcategories.
fn in_category(id: &str) -> serde_json::Value {
    json!({"allCategoriesInfo.categories": {"$matchItems": [{"id": id}]}})
}

/// Follows a search's `cursors.next` through at most `max_pages` pages, with the shared token
/// and cache, handing each page to `visit`. A failure ends the walk; what was visited stays.
pub async fn walk_catalog(
    state: &AppState,
    first: ProductSearch,
    max_pages: usize,
    mut visit: impl FnMut(ProductPage),
) -> Result<(), wix_headless::WixError> {
    let session = Session::anonymous();
    let limit = first.cursor_paging.limit;
    let mut request = first;
    for _ in 0..max_pages {
        let mut page = run_search_with(state, &session, request).await?;
        let next = page.paging_metadata.cursors.next.take();
        visit(page);
        match next {
            Some(cursor) => request = ProductSearch::after(limit, cursor),
            None => break,
        }
    }
    Ok(())
}

/// The store's categories through the shared policy (visitor token, or shared token + cache).
pub async fn categories_with(
    state: &AppState,
    session: &Session,
) -> Result<Vec<Category>, wix_headless::WixError> {
    let wix = state.wix.clone();
    catalog_call(
        state,
        session,
        &state.catalog_cache.categories,
        "all".into(),
        |token| {
            let wix = wix.clone();
            async move { wix.query_categories(&token).await }
        },
    )
    .await
}

async fn categories(state: &AppState, session: &Session) -> Result<Vec<Category>, ServerFnError> {
    categories_with(state, session).await.map_err(user_error)
}

fn category_views(categories: &[Category]) -> Vec<CategoryView> {
    categories
        .iter()
        .filter_map(|c| {
            Some(CategoryView {
                slug: c.slug.clone()?,
                name: c.name.clone(),
            })
        })
        .filter(|c| c.slug != "all-products")
        .collect()
}

/// A catalog search through the shared policy (visitor token, or shared token + cache).
pub async fn run_search_with(
    state: &AppState,
    session: &Session,
    request: ProductSearch,
) -> Result<ProductPage, wix_headless::WixError> {
    let wix = state.wix.clone();
    let key = serde_json::to_string(&request).unwrap_or_default();
    catalog_call(
        state,
        session,
        &state.catalog_cache.searches,
        key,
        |token| {
            let (wix, request) = (wix.clone(), request.clone());
            async move { wix.search_products(&token, &request, LISTING_FIELDS).await }
        },
    )
    .await
}

async fn run_search(
    state: &AppState,
    session: &Session,
    request: ProductSearch,
) -> Result<ProductPage, ServerFnError> {
    run_search_with(state, session, request)
        .await
        .map_err(user_error)
}

/// Products read per page when collecting filter options, and pages read at most.
const FACET_PAGE_SIZE: u32 = 100;
const FACET_PAGES: usize = 3;

/// The options products in a category (or the whole store) have, offered as filters.
///
/// Always read with the shared token and cached, even for visitors with a session: this is the
/// catalog's public filter vocabulary, the same for every visitor, and reading it with a
/// visitor's own token would cost every search view up to three more uncached calls.
pub async fn option_facets(
    state: &AppState,
    category_id: Option<&str>,
) -> Result<Vec<OptionFacet>, wix_headless::WixError> {
    let first = match category_id {
        Some(id) => ProductSearch::new(FACET_PAGE_SIZE).filter(in_category(id)),
        None => ProductSearch::new(FACET_PAGE_SIZE),
    };
    let key = category_id.unwrap_or("all").to_owned();
    // Concurrent misses of one category share one walk.
    cached(&state.catalog_cache.facets, key, async {
        let mut products = Vec::new();
        walk_catalog(state, first, FACET_PAGES, |page| {
            products.extend(page.products)
        })
        .await?;
        Ok(collect_facets(&products))
    })
    .await
}

/// Every option name (alphabetical) with its visible choices in the order products list them.
pub fn collect_facets(products: &[Product]) -> Vec<OptionFacet> {
    let mut facets: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
    for option in products.iter().flat_map(|p| &p.options) {
        let choices = facets.entry(option.name.as_str()).or_default();
        for choice in option.choices_settings.choices.iter().filter(|c| c.visible) {
            if !choices.contains(&choice.name) {
                choices.push(choice.name.clone());
            }
        }
    }
    facets
        .into_iter()
        .filter(|(_, choices)| !choices.is_empty())
        .map(|(name, choices)| OptionFacet {
            name: name.to_owned(),
            choices,
        })
        .collect()
}

/// How many products the whole search matches (Count Products, through the shared policy).
async fn count(
    state: &AppState,
    session: &Session,
    query: &SearchQuery,
    category_id: Option<&str>,
) -> Result<u64, wix_headless::WixError> {
    let request = wix_search(&query.at(None), category_id);
    let key = serde_json::to_string(&request).unwrap_or_default();
    let wix = state.wix.clone();
    catalog_call(state, session, &state.catalog_cache.counts, key, |token| {
        let (wix, request) = (wix.clone(), request.clone());
        async move { wix.count_products(&token, &request).await }
    })
    .await
}

pub async fn search(mut query: SearchQuery) -> Result<SearchResults, ServerFnError> {
    let state = app_state()?;
    let session = current_session();
    let categories = categories(&state, &session).await?;
    let category = query
        .category
        .as_deref()
        .and_then(|slug| categories.iter().find(|c| c.slug.as_deref() == Some(slug)));
    if category.is_none() {
        query.category = None;
    }
    let category_id = category.map(|c| c.id.as_str());
    // Without the filter options the page still works: option filters are then ignored.
    let facets = option_facets(&state, category_id)
        .await
        .inspect_err(|error| tracing::warn!(%error, "filter options unavailable"))
        .unwrap_or_default();
    query.options.retain(|name, choice| {
        facets
            .iter()
            .any(|f| &f.name == name && f.choices.contains(choice))
    });
    let (page, total) = tokio::join!(
        run_search_with(&state, &session, wix_search(&query, category_id)),
        count(&state, &session, &query, category_id),
    );
    let page = match page {
        // A stale or hand-edited cursor: show the first page instead of an error.
        Err(error) if query.cursor.is_some() && error.is_rejection() => {
            query.cursor = None;
            run_search(&state, &session, wix_search(&query, category_id)).await?
        }
        other => other.map_err(user_error)?,
    };
    Ok(SearchResults {
        products: page.products.iter().map(card).collect(),
        total: total.ok(),
        facets,
        next_cursor: page.paging_metadata.cursors.next,
        prev_cursor: page.paging_metadata.cursors.prev,
        category_name: category.map(|c| c.name.clone()),
        categories: category_views(&categories),
        query,
    })
}

pub async fn home() -> Result<HomeContent, ServerFnError> {
    let state = app_state()?;
    let session = current_session();
    let newest = ProductSearch::new(8).sort("createdDate", SortOrder::Descending);
    let featured = ProductSearch::new(8)
        .filter(json!({"inventory.availabilityStatus": "IN_STOCK"}))
        .sort("actualPriceRange.minValue.amount", SortOrder::Descending);
    let (newest, featured, categories) = tokio::join!(
        run_search(&state, &session, newest),
        run_search(&state, &session, featured),
        categories(&state, &session),
    );
    Ok(HomeContent {
        newest: newest?.products.iter().map(card).collect(),
        featured: featured?.products.iter().map(card).collect(),
        categories: category_views(&categories?),
    })
}

pub async fn product(slug: &str) -> Result<Option<ProductDetail>, ServerFnError> {
    // Slugs are short; anything else cannot exist and need not reach Wix.
    if slug.is_empty() || slug.len() > 200 {
        return Ok(None);
    }
    let state = app_state()?;
    let wix = state.wix.clone();
    let cache = &state.catalog_cache.products;
    let product = catalog_call(
        &state,
        &current_session(),
        cache,
        slug.to_owned(),
        |token| {
            let wix = wix.clone();
            let slug = slug.to_owned();
            async move {
                wix.product_by_slug(&token, &slug, PRODUCT_PAGE_FIELDS)
                    .await
            }
        },
    )
    .await
    .map_err(user_error)?;
    let Some(product) = product else {
        return Ok(None);
    };
    // Related products: the same main category; losing them never loses the page.
    let related = match &product.main_category_id {
        Some(category) => {
            let request = ProductSearch::new(5).filter(in_category(category));
            run_search_with(&state, &current_session(), request)
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

fn formatted(price: &Price) -> String {
    price
        .formatted_amount
        .clone()
        .unwrap_or_else(|| price.amount.clone())
}

fn amount(price: &Price) -> f64 {
    price.amount.parse().unwrap_or(0.0)
}

fn range_label(range: Option<&PriceRange>) -> String {
    match range {
        Some(r) if amount(&r.min_value) < amount(&r.max_value) => {
            format!("From {}", formatted(&r.min_value))
        }
        Some(r) => formatted(&r.min_value),
        None => String::new(),
    }
}

/// A strike-through price only when it is really higher.
fn compare_at(product: &Product) -> Option<String> {
    let actual = product.actual_price_range.as_ref()?;
    let compare = product.compare_at_price_range.as_ref()?;
    (amount(&compare.min_value) > amount(&actual.min_value)).then(|| formatted(&compare.min_value))
}

fn image(item: &MediaItem, fallback_alt: &str) -> Option<ImageView> {
    let url = item.image_url()?.to_owned();
    let image = item.image.as_ref();
    let (width, height) = (
        image.and_then(|i| i.width).unwrap_or(800),
        image.and_then(|i| i.height).unwrap_or(800),
    );
    Some(ImageView {
        srcset: wix_srcset(&url, width, height),
        url,
        alt: item
            .alt_text
            .clone()
            .or_else(|| image.and_then(|i| i.alt_text.clone()))
            .unwrap_or_else(|| fallback_alt.to_owned()),
        width,
        height,
    })
}

pub fn card(product: &Product) -> ProductCard {
    ProductCard {
        id: product.id.clone(),
        slug: product.slug.clone(),
        has_options: !product.options.is_empty(),
        name: product.name.clone(),
        image: product.main_image().and_then(|m| image(m, &product.name)),
        price: range_label(product.actual_price_range.as_ref()),
        compare_at: compare_at(product),
        in_stock: product.in_stock(),
    }
}

pub fn detail(product: &Product, related: Vec<ProductCard>) -> ProductDetail {
    let mut images: Vec<ImageView> = product
        .media
        .items_info
        .iter()
        .flat_map(|i| i.items.iter())
        .filter_map(|m| image(m, &product.name))
        .collect();
    if images.is_empty() {
        images.extend(product.main_image().and_then(|m| image(m, &product.name)));
    }
    // Option and choice names by id: variants reference choices by id (VARIANT_OPTION_CHOICE_NAMES
    // also gives names, but ids are always there).
    let name_of = |option_id: &str, choice_id: &str| -> Option<(String, String)> {
        let option = product.options.iter().find(|o| o.id == option_id)?;
        let choice = option
            .choices_settings
            .choices
            .iter()
            .find(|c| c.choice_id == choice_id)?;
        Some((option.name.clone(), choice.name.clone()))
    };
    let variants = product
        .variants()
        .iter()
        .filter(|v| v.visible)
        .map(|v| VariantView {
            id: v.id.clone(),
            choices: v
                .choices
                .iter()
                .filter_map(|c| {
                    name_of(
                        &c.option_choice_ids.option_id,
                        &c.option_choice_ids.choice_id,
                    )
                })
                .collect(),
            price: formatted(&v.price.actual_price),
            compare_at: v
                .price
                .compare_at_price
                .as_ref()
                .filter(|c| amount(c) > amount(&v.price.actual_price))
                .map(formatted),
            in_stock: v.inventory_status.in_stock,
            sku: v.sku.clone(),
        })
        .collect();
    ProductDetail {
        id: product.id.clone(),
        slug: product.slug.clone(),
        name: product.name.clone(),
        description: paragraphs(product.plain_description.as_deref().unwrap_or_default()),
        images,
        price: range_label(product.actual_price_range.as_ref()),
        compare_at: compare_at(product),
        in_stock: product.in_stock(),
        currency: product.currency.clone().unwrap_or_else(|| "USD".into()),
        options: product
            .options
            .iter()
            .map(|o| OptionView {
                name: o.name.clone(),
                choices: o
                    .choices_settings
                    .choices
                    .iter()
                    .filter(|c| c.visible)
                    .map(|c| ChoiceView {
                        name: c.name.clone(),
                        color: c.color_code.clone(),
                    })
                    .collect(),
            })
            .collect(),
        variants,
        related,
    }
}

/// Wix's `plainDescription` is HTML. It is reduced to text paragraphs (block tags break
/// paragraphs, every other tag is dropped, entities decoded), so nothing from it can run.
pub fn paragraphs(html: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current = String::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        current.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            rest = "";
            break;
        };
        let tag = rest[start + 1..start + end]
            .trim_start_matches('/')
            .to_ascii_lowercase();
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if matches!(
            name.as_str(),
            "p" | "br" | "li" | "ul" | "ol" | "div" | "h1" | "h2" | "h3" | "h4"
        ) {
            blocks.push(std::mem::take(&mut current));
        } else {
            current.push(' ');
        }
        rest = &rest[start + end + 1..];
    }
    current.push_str(rest);
    blocks.push(current);
    blocks
        .into_iter()
        .map(|b| decode_entities(&b.split_whitespace().collect::<Vec<_>>().join(" ")))
        .filter(|b| !b.is_empty())
        .collect()
}

fn decode_entities(text: &str) -> String {
    text.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::paragraphs;

    #[test]
    fn descriptions_become_plain_paragraphs() {
        assert_eq!(
            paragraphs("<p>Hand-glazed <b>stoneware</b>.</p><ul><li>Dishwasher safe</li></ul>"),
            ["Hand-glazed stoneware .", "Dishwasher safe"]
        );
        assert_eq!(
            paragraphs("<script>alert(1)</script><p>Tom &amp; Jerry</p>"),
            ["alert(1)", "Tom & Jerry"]
        );
        assert_eq!(paragraphs("broken <b"), ["broken"]);
    }
}

#[cfg(test)]
mod search_tests {
    use super::*;

    #[test]
    fn filters_and_sorts_become_one_wix_search() {
        let query = SearchQuery {
            q: "tee".into(),
            sort: Sort::PriceAscending,
            min: Some(10),
            max: Some(40),
            in_stock: true,
            ..SearchQuery::default()
        };
        let body = serde_json::to_value(wix_search(&query, Some("cat-1"))).expect("json");
        assert_eq!(
            body["filter"]["$and"][0],
            json!({"allCategoriesInfo.categories": {"$matchItems": [{"id": "cat-1"}]}})
        );
        assert_eq!(
            body["filter"]["$and"][1],
            json!({"actualPriceRange.minValue.amount": {"$gte": 10}})
        );
        assert_eq!(
            body["filter"]["$and"][2],
            json!({"actualPriceRange.minValue.amount": {"$lte": 40}})
        );
        assert_eq!(
            body["sort"][0],
            json!({"fieldName": "actualPriceRange.minValue.amount", "order": "ASC"})
        );
        assert_eq!(body["search"]["expression"], "tee");
        let next =
            serde_json::to_value(wix_search(&query.at(Some("abc")), Some("cat-1"))).expect("json");
        assert_eq!(
            next,
            json!({"cursorPaging": {"limit": PAGE_SIZE, "cursor": "abc"}}),
            "a cursor alone"
        );
        let plain = serde_json::to_value(wix_search(&SearchQuery::default(), None)).expect("json");
        assert!(plain.get("filter").is_none() && plain.get("sort").is_none());
    }

    #[test]
    fn option_filters_name_the_option_and_the_choice() {
        let query = SearchQuery::parse([("Color", "Black")]);
        let body = serde_json::to_value(wix_search(&query, None)).expect("json");
        assert_eq!(
            body["filter"],
            json!({"$and": [
                {"options.name": {"$hasSome": ["Color"]}},
                {"options.choicesSettings.choices.name": {"$hasSome": ["Black"]}},
            ]})
        );
    }

    #[test]
    fn facets_merge_options_across_products() {
        let product = |options: serde_json::Value| -> Product {
            serde_json::from_value(json!({"id": "p", "name": "P", "slug": "p", "options": options}))
                .expect("product")
        };
        let choice =
            |name: &str, visible: bool| json!({"choiceId": name, "name": name, "visible": visible});
        let products = [
            product(
                json!([{"id": "s", "name": "Size", "choicesSettings": {"choices": [choice("S", true), choice("M", true)]}}]),
            ),
            product(json!([
                {"id": "c", "name": "Color", "choicesSettings": {"choices": [choice("Black", true), choice("Gold", false)]}},
                {"id": "s", "name": "Size", "choicesSettings": {"choices": [choice("M", true), choice("L", true)]}},
            ])),
            product(json!([])),
        ];
        assert_eq!(
            collect_facets(&products),
            [
                OptionFacet {
                    name: "Color".into(),
                    choices: vec!["Black".into()]
                },
                OptionFacet {
                    name: "Size".into(),
                    choices: vec!["S".into(), "M".into(), "L".into()]
                },
            ]
        );
    }
}
