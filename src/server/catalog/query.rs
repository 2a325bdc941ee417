//! What the shopper asked for (the search URL) as a typed `wix-headless` search.

use wix_headless::{
    catalog::{ProductQuery, ProductSearch, ProductSort},
    Decimal,
};

use super::facets::Facets;
use crate::api::{
    catalog::PAGE_SIZE,
    search_query::{SearchQuery, Sort},
};

fn sort(sort: Sort) -> ProductSort {
    match sort {
        Sort::Relevance => ProductSort::Relevance,
        Sort::PriceAscending => ProductSort::PriceAscending,
        Sort::PriceDescending => ProductSort::PriceDescending,
        Sort::Newest => ProductSort::Newest,
        Sort::Name => ProductSort::NameAscending,
    }
}

/// The query behind a search page (its filter, sort and text; no paging).
pub fn product_query(
    query: &SearchQuery,
    category_id: Option<&str>,
    facets: &Facets,
) -> ProductQuery {
    let mut wanted = ProductQuery::new()
        .text(&query.q)
        .price_between(query.min.map(Decimal::from), query.max.map(Decimal::from))
        .in_stock_only(query.in_stock)
        .sorted(sort(query.sort));
    if let Some(id) = category_id {
        wanted = wanted.in_category(id);
    }
    for (option, choice) in &query.options {
        if let Some(ids) = facets.choice_ids(option, choice) {
            wanted = wanted.with_any_choice(ids.to_vec());
        }
    }
    wanted
}

/// The page of results the URL names: its cursor alone, or the first page of the query.
pub fn search_request(
    query: &SearchQuery,
    category_id: Option<&str>,
    facets: &Facets,
) -> ProductSearch {
    match &query.cursor {
        Some(cursor) => ProductSearch::after(cursor.clone(), PAGE_SIZE),
        None => ProductSearch::first(product_query(query, category_id, facets), PAGE_SIZE),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_page_is_the_cursor_alone() {
        let query = SearchQuery::parse([("q", "tee"), ("cursor", "abc")]);
        assert_eq!(
            search_request(&query, Some("c"), &Facets::default()),
            ProductSearch::after("abc".into(), PAGE_SIZE)
        );
    }

    #[test]
    fn the_url_becomes_the_typed_query() {
        let query = SearchQuery::parse([
            ("q", "tee"),
            ("sort", "price-asc"),
            ("min", "10"),
            ("max", "40"),
            ("in_stock", "1"),
        ]);
        assert_eq!(
            product_query(&query, Some("c"), &Facets::default()),
            ProductQuery::new()
                .text("tee")
                .price_between(Some(Decimal::from(10)), Some(Decimal::from(40)))
                .in_stock_only(true)
                .sorted(ProductSort::PriceAscending)
                .in_category("c")
        );
    }
}
