//! The typed product search and the exact bodies it becomes (wix-api.md §9.1): what a shopper
//! asks for goes in as a [`ProductQuery`]; the Wix field paths and operators live only here.

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{json, Value};

/// Largest page Search Products returns.
pub const MAX_PAGE_SIZE: u32 = 100;
/// Wix's reference client cuts free text at 100 characters (§9.1).
pub const MAX_TEXT_CHARS: usize = 100;

/// `fields` of a listing (§9.1): formatted prices, the gallery, the cheapest variant and its
/// discount. Never `URL` or `ALL_CATEGORIES_INFO`: the category filter works without them.
pub const LIST_FIELDS: &[&str] = &[
    "CURRENCY",
    "MEDIA_ITEMS_INFO",
    "MIN_PRICE_VARIANT",
    "DISCOUNT_INFO",
];
/// `fields` of the product page (§9.1): the listing's, without `MIN_PRICE_VARIANT`, which §4.2
/// lists as search-only (Wix's clients send it to Get By Slug and it is tolerated, but leaving
/// it out is valid under every reading, and the page has every variant anyway), plus the
/// description, variants with their choice names, info sections and breadcrumbs.
pub const PRODUCT_PAGE_FIELDS: &[&str] = &[
    "CURRENCY",
    "MEDIA_ITEMS_INFO",
    "DISCOUNT_INFO",
    "PLAIN_DESCRIPTION",
    "VARIANT_OPTION_CHOICE_NAMES",
    "INFO_SECTION",
    "INFO_SECTION_PLAIN_DESCRIPTION",
    "BREADCRUMBS_INFO",
];
/// `fields` when reading products only for their options (the filter vocabulary, §9.1 F).
pub const FACET_FIELDS: &[&str] = &["CURRENCY"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum ProductSort {
    /// Wix's own order (relevance with free text): no `sort` at all.
    #[default]
    Relevance,
    PriceAscending,
    PriceDescending,
    Newest,
    NameAscending,
    NameDescending,
}

/// What to look for. Empty parts are left out of the request.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ProductQuery {
    text: String,
    category_id: Option<String>,
    min_price: Option<Decimal>,
    max_price: Option<Decimal>,
    in_stock_only: bool,
    /// Option choice ids: any of a group, every group (OR inside a facet, AND across, §9.1 T).
    choice_groups: Vec<Vec<String>>,
    sort: ProductSort,
}

impl ProductQuery {
    pub fn new() -> Self {
        Self::default()
    }

    /// Free text over product names, trimmed and cut at [`MAX_TEXT_CHARS`].
    pub fn text(mut self, text: &str) -> Self {
        self.text = text.trim().chars().take(MAX_TEXT_CHARS).collect();
        self
    }

    /// Products in a category or any of its subcategories.
    pub fn in_category(mut self, category_id: &str) -> Self {
        self.category_id = Some(category_id.to_owned());
        self
    }

    /// Selling-price bounds in the store's currency; negative bounds are ignored and swapped
    /// bounds put in order.
    pub fn price_between(mut self, min: Option<Decimal>, max: Option<Decimal>) -> Self {
        let valid = |d: Option<Decimal>| d.filter(|d| !d.is_sign_negative());
        let (mut min, mut max) = (valid(min), valid(max));
        if let (Some(low), Some(high)) = (min, max) {
            if low > high {
                (min, max) = (Some(high), Some(low));
            }
        }
        self.min_price = min;
        self.max_price = max;
        self
    }

    pub fn in_stock_only(mut self, yes: bool) -> Self {
        self.in_stock_only = yes;
        self
    }

    /// Products having any of these option choices (one facet); empty groups are ignored.
    pub fn with_any_choice(mut self, choice_ids: Vec<String>) -> Self {
        if !choice_ids.is_empty() {
            self.choice_groups.push(choice_ids);
        }
        self
    }

    pub fn sorted(mut self, sort: ProductSort) -> Self {
        self.sort = sort;
        self
    }

    pub fn has_text(&self) -> bool {
        !self.text.is_empty()
    }

    /// The `$and` list (§9.1): the visible condition first, then one object per condition
    /// (Wix refuses two operators in one field object), amounts as strings.
    pub(crate) fn filter(&self) -> Value {
        let mut conditions = vec![json!({"visible": true})];
        if let Some(id) = &self.category_id {
            conditions.push(json!({"allCategoriesInfo.categories": {"$matchItems": [{"id": id}]}}));
        }
        if let Some(min) = self.min_price {
            conditions.push(
                json!({"actualPriceRange.minValue.amount": {"$gte": min.normalize().to_string()}}),
            );
        }
        // The upper bound on the maximum, so a 10–50 filter does not admit a 12–400 product
        // (§9.1 T; F bounds the minimum twice: UNCONFIRMED which Wix's own storefront does).
        if let Some(max) = self.max_price {
            conditions.push(
                json!({"actualPriceRange.maxValue.amount": {"$lte": max.normalize().to_string()}}),
            );
        }
        if self.in_stock_only {
            conditions.push(json!({"inventory.availabilityStatus": {"$eq": "IN_STOCK"}}));
        }
        for group in &self.choice_groups {
            conditions
                .push(json!({"options.choicesSettings.choices.choiceId": {"$hasSome": group}}));
        }
        json!({ "$and": conditions })
    }

    /// Price and newest sorts break ties by name (§9.1).
    fn sort_json(&self) -> Option<Value> {
        let order = |field: &str, order: &str| json!({"fieldName": field, "order": order});
        let by_name = order("name", "ASC");
        let sort = match self.sort {
            ProductSort::Relevance => return None,
            ProductSort::PriceAscending => {
                vec![order("actualPriceRange.minValue.amount", "ASC"), by_name]
            }
            ProductSort::PriceDescending => {
                vec![order("actualPriceRange.minValue.amount", "DESC"), by_name]
            }
            ProductSort::Newest => vec![order("createdDate", "DESC"), by_name],
            ProductSort::NameAscending => vec![by_name],
            ProductSort::NameDescending => vec![order("name", "DESC")],
        };
        Some(Value::Array(sort))
    }

    /// Free text on `name`, the one field Wix's clients and docs search (§4.2, §9.1), with the
    /// typo tolerance of the documented request; no `mode`, as Wix's clients send none.
    fn free_text(&self) -> Option<Value> {
        self.has_text()
            .then(|| json!({"expression": self.text, "fields": ["name"], "fuzzy": true}))
    }
}

/// One page of a search: the first (the whole query) or a later one (the cursor alone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProductSearch {
    page: SearchPage,
    limit: u32,
    fields: &'static [&'static str],
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
enum SearchPage {
    First(ProductQuery),
    /// A cursor carries the filter and sort; any change of selection starts without one.
    After(String),
}

impl ProductSearch {
    /// The first page of `query`, `limit` products (1–100), listing fields.
    pub fn first(query: ProductQuery, limit: u32) -> Self {
        Self {
            page: SearchPage::First(query),
            limit: limit.clamp(1, MAX_PAGE_SIZE),
            fields: LIST_FIELDS,
        }
    }

    /// The page after `cursor` (Wix's `pagingMetadata.cursors.next`).
    pub fn after(cursor: String, limit: u32) -> Self {
        Self {
            page: SearchPage::After(cursor),
            limit: limit.clamp(1, MAX_PAGE_SIZE),
            fields: LIST_FIELDS,
        }
    }

    /// The same search asking only for what the filter vocabulary needs.
    pub fn for_facets(mut self) -> Self {
        self.fields = FACET_FIELDS;
        self
    }

    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// The continuation of this search from `cursor`, with the same page size and fields.
    pub fn next(&self, cursor: String) -> Self {
        Self {
            page: SearchPage::After(cursor),
            limit: self.limit,
            fields: self.fields,
        }
    }

    /// A string that identifies this request (for caches).
    pub fn cache_key(&self) -> String {
        self.body().to_string()
    }

    /// The Search Products body (§9.1).
    pub(crate) fn body(&self) -> Value {
        let search = match &self.page {
            SearchPage::First(query) => {
                let mut search =
                    json!({"cursorPaging": {"limit": self.limit}, "filter": query.filter()});
                if let Some(sort) = query.sort_json() {
                    search["sort"] = sort;
                }
                if let Some(text) = query.free_text() {
                    search["search"] = text;
                }
                search
            }
            SearchPage::After(cursor) => {
                json!({"cursorPaging": {"limit": self.limit, "cursor": cursor}})
            }
        };
        json!({"fields": self.fields, "search": search})
    }
}

/// The Count Products body (§9.1): the filter only, so the count ignores free text.
pub(crate) fn count_body(query: &ProductQuery) -> Value {
    json!({"filter": query.filter()})
}

/// The Query Products body that reads products by id (§9.2: cart line images), no fields.
pub(crate) fn by_ids_body(ids: &[&str]) -> Value {
    json!({"query": {"filter": {"id": {"$in": ids}}, "cursorPaging": {"limit": MAX_PAGE_SIZE}}})
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn dec(text: &str) -> Option<Decimal> {
        Decimal::from_str(text).ok()
    }

    /// The golden body: §9.1's example, condition for condition.
    #[test]
    fn a_first_page_is_exactly_the_wix_shape() {
        let query = ProductQuery::new()
            .text("  mug ")
            .in_category("cat-1")
            .price_between(dec("10"), dec("50.50"))
            .in_stock_only(true)
            .with_any_choice(vec!["black".into(), "navy".into()])
            .with_any_choice(vec!["size-m".into()])
            .sorted(ProductSort::PriceAscending);
        assert_eq!(
            ProductSearch::first(query, 24).body(),
            json!({"fields": ["CURRENCY", "MEDIA_ITEMS_INFO", "MIN_PRICE_VARIANT", "DISCOUNT_INFO"],
             "search": {"cursorPaging": {"limit": 24},
               "filter": {"$and": [{"visible": true},
                 {"allCategoriesInfo.categories": {"$matchItems": [{"id": "cat-1"}]}},
                 {"actualPriceRange.minValue.amount": {"$gte": "10"}},
                 {"actualPriceRange.maxValue.amount": {"$lte": "50.5"}},
                 {"inventory.availabilityStatus": {"$eq": "IN_STOCK"}},
                 {"options.choicesSettings.choices.choiceId": {"$hasSome": ["black", "navy"]}},
                 {"options.choicesSettings.choices.choiceId": {"$hasSome": ["size-m"]}}]},
               "sort": [{"fieldName": "actualPriceRange.minValue.amount", "order": "ASC"}, {"fieldName": "name", "order": "ASC"}],
               "search": {"expression": "mug", "fields": ["name"], "fuzzy": true}}})
        );
    }

    #[test]
    fn a_plain_search_is_only_visible_products_in_wix_order() {
        assert_eq!(
            ProductSearch::first(ProductQuery::new(), 500).body(),
            json!({"fields": LIST_FIELDS, "search": {"cursorPaging": {"limit": 100},
                "filter": {"$and": [{"visible": true}]}}})
        );
    }

    #[test]
    fn a_later_page_sends_only_its_cursor() {
        let search = ProductSearch::first(ProductQuery::new().text("mug"), 24);
        assert_eq!(
            search.next("abc".into()).body(),
            json!({"fields": LIST_FIELDS, "search": {"cursorPaging": {"limit": 24, "cursor": "abc"}}})
        );
        assert_eq!(ProductSearch::after("abc".into(), 0).limit(), 1);
    }

    #[test]
    fn sorts_break_ties_by_name() {
        let sort = |s| {
            ProductSearch::first(ProductQuery::new().sorted(s), 8).body()["search"]["sort"].clone()
        };
        assert_eq!(sort(ProductSort::Relevance), Value::Null, "no sort at all");
        assert_eq!(
            sort(ProductSort::Newest),
            json!([{"fieldName": "createdDate", "order": "DESC"}, {"fieldName": "name", "order": "ASC"}])
        );
        assert_eq!(
            sort(ProductSort::PriceDescending)[1],
            json!({"fieldName": "name", "order": "ASC"})
        );
        assert_eq!(
            sort(ProductSort::NameDescending),
            json!([{"fieldName": "name", "order": "DESC"}])
        );
    }

    #[test]
    fn count_sends_the_filter_only() {
        let query = ProductQuery::new().text("mug").in_stock_only(true);
        assert_eq!(
            count_body(&query),
            json!({"filter": {"$and": [{"visible": true}, {"inventory.availabilityStatus": {"$eq": "IN_STOCK"}}]}})
        );
    }

    #[test]
    fn bounds_are_checked_and_text_is_cut() {
        let query = ProductQuery::new()
            .price_between(dec("80"), dec("20"))
            .price_between(dec("-5"), dec("9"));
        let filter = query.filter();
        assert_eq!(
            filter["$and"].as_array().map(Vec::len),
            Some(2),
            "negative minimum dropped"
        );
        let swapped = ProductQuery::new()
            .price_between(dec("80"), dec("20"))
            .filter();
        assert_eq!(
            swapped["$and"][1],
            json!({"actualPriceRange.minValue.amount": {"$gte": "20"}})
        );
        assert_eq!(
            ProductQuery::new().text(&"x".repeat(500)).text.len(),
            MAX_TEXT_CHARS
        );
        assert!(!ProductQuery::new().text("   ").has_text());
    }

    #[test]
    fn facets_and_ids_have_their_own_bodies() {
        let facets = ProductSearch::first(ProductQuery::new().in_category("c"), 100).for_facets();
        assert_eq!(facets.body()["fields"], json!(["CURRENCY"]));
        assert_eq!(
            by_ids_body(&["a", "b"]),
            json!({"query": {"filter": {"id": {"$in": ["a", "b"]}}, "cursorPaging": {"limit": 100}}})
        );
    }
}
