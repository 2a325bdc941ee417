//! Catalog reads: search and product pages.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{error::StoreError, search_query::SearchQuery};

/// Products per search page.
pub const PAGE_SIZE: u32 = 24;
/// Longer queries are cut, as Wix's own storefront cuts them (wix-api.md §9.1).
pub const MAX_QUERY_CHARS: usize = 100;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageView {
    pub url: String,
    pub alt: String,
    pub width: u32,
    pub height: u32,
    /// Resized copies (`srcset`) for images on Wix's media host; `None` for other hosts.
    pub srcset: Option<String>,
}

/// An image of the product page's gallery, with its thumbnail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GalleryImage {
    pub image: ImageView,
    pub thumb_url: String,
}

/// A price as shown: Wix's formatted text, or text formatted for the currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PriceView {
    /// `$27.00`, `$12.00 – $16.00`, or `From $10.20` for a discounted range.
    pub label: String,
    /// Struck through: the price before a sale or discount.
    pub was: Option<String>,
    /// An automatic discount applies (a badge says so).
    pub discounted: bool,
    /// How much below the struck price this is, in whole percent (the badge shows it).
    pub percent_off: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductCard {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub image: Option<ImageView>,
    pub price: PriceView,
    pub in_stock: bool,
    /// Products without options can be added from the card: the variant to add (empty when
    /// Wix did not name one). `None`: choose options on the product page.
    pub quick_add: Option<String>,
    /// The merchant's ribbon ("New", "Sale").
    pub ribbon: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryView {
    pub slug: String,
    pub name: String,
}

/// A product option offered as a search filter, with every choice the catalog has for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionFacet {
    pub name: String,
    pub choices: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// The search as understood (invalid parts dropped).
    pub query: SearchQuery,
    pub products: Vec<ProductCard>,
    /// Products matching the whole search (all pages); `None` when Wix could not count them.
    pub total: Option<u64>,
    /// Options to filter by (`Color`: `Black`, `White`…).
    pub facets: Vec<OptionFacet>,
    pub next_cursor: Option<String>,
    pub prev_cursor: Option<String>,
    /// Every category, for the filter and the empty state.
    pub categories: Vec<CategoryView>,
    /// The name of the category searched in, if it exists.
    pub category_name: Option<String>,
}

/// What the home page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HomeContent {
    pub newest: Vec<ProductCard>,
    pub featured: Vec<ProductCard>,
    pub categories: Vec<CategoryView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariantView {
    pub id: String,
    /// `(option name, choice name)` in option order; empty for a product without options.
    pub choices: Vec<(String, String)>,
    pub price: PriceView,
    /// The selling price as a decimal (`27.5`), for structured data (left out of the product
    /// page's island, which does not need it).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub amount: String,
    pub in_stock: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    /// Where the chosen choice's own image (where the merchant linked one) is in the product's
    /// `images`.
    pub image: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChoiceView {
    pub name: String,
    /// A swatch colour (`#1d1d1f`) for colour options.
    pub color: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionView {
    pub name: String,
    pub choices: Vec<ChoiceView>,
}

/// A titled block of the product page ("Care", "Shipping & returns").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InfoSectionView {
    pub title: String,
    pub paragraphs: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductDetail {
    pub id: String,
    pub slug: String,
    pub name: String,
    /// Paragraphs of plain text: Wix's description is HTML, and none of it is trusted.
    pub description: Vec<String>,
    /// The product's media, then any variant image not among them.
    pub images: Vec<GalleryImage>,
    pub price: PriceView,
    pub in_stock: bool,
    /// ISO 4217, for structured data.
    pub currency: String,
    pub options: Vec<OptionView>,
    pub variants: Vec<VariantView>,
    pub info_sections: Vec<InfoSectionView>,
    /// The product's category path, root first.
    pub breadcrumbs: Vec<CategoryView>,
    pub ribbon: Option<String>,
    /// Other products of the same category.
    pub related: Vec<ProductCard>,
}

/// Clamps a query from the URL to something worth sending.
pub fn normalise_query(q: &str) -> String {
    q.trim().chars().take(MAX_QUERY_CHARS).collect()
}

#[server]
pub async fn search_products(query: SearchQuery) -> Result<SearchResults, StoreError> {
    // Held to the limits of a search from a URL: a direct POST could send megabytes.
    crate::server::catalog::search(query.clamped()).await
}

#[server]
pub async fn get_home() -> Result<HomeContent, StoreError> {
    crate::server::catalog::home().await
}

#[server]
pub async fn get_product(slug: String) -> Result<Option<ProductDetail>, StoreError> {
    // An over-long slug is no product (and never reaches Wix); see `server::catalog::product`.
    crate::server::catalog::product(&slug).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_queries_are_clamped() {
        assert_eq!(normalise_query("  vase  "), "vase");
        assert_eq!(
            normalise_query(&"x".repeat(10_000)).chars().count(),
            MAX_QUERY_CHARS
        );
    }
}
