//! Catalog reads: search and product pages.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::search_query::SearchQuery;

/// Products per search page.
pub const PAGE_SIZE: u32 = 24;
/// Longer queries are cut: nobody types more, and Wix need not see 10 KB of text.
pub const MAX_QUERY_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageView {
    pub url: String,
    pub alt: String,
    pub width: u32,
    pub height: u32,
    /// Resized variants for Wix media URLs (`srcset`); `None` for other hosts.
    pub srcset: Option<String>,
}

/// Wix media resizing: `https://static.wixstatic.com/media/<file>` serves scaled copies at
/// `…/media/<file>/v1/fill/w_<w>,h_<h>,al_c,q_80/<file>`. Square crops for square originals,
/// proportional heights otherwise.
pub fn wix_srcset(url: &str, width: u32, height: u32) -> Option<String> {
    let file = url.strip_prefix("https://static.wixstatic.com/media/")?;
    if file.is_empty() || file.contains('/') || width == 0 || height == 0 {
        return None;
    }
    let sizes: Vec<String> = [240u32, 480, 960]
        .into_iter()
        .filter(|w| *w < width)
        .map(|w| {
            let h = (u64::from(w) * u64::from(height) / u64::from(width)) as u32;
            format!("{url}/v1/fill/w_{w},h_{h},al_c,q_80/{file} {w}w")
        })
        .chain(std::iter::once(format!("{url} {width}w")))
        .collect();
    Some(sizes.join(", "))
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductCard {
    pub id: String,
    pub slug: String,
    /// Products with options are added from their page, where a variant is chosen.
    pub has_options: bool,
    pub name: String,
    pub image: Option<ImageView>,
    /// Formatted (`$27.00`, or `From $27.00` when variants differ).
    pub price: String,
    pub compare_at: Option<String>,
    pub in_stock: bool,
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
    pub price: String,
    pub compare_at: Option<String>,
    pub in_stock: bool,
    pub sku: Option<String>,
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductDetail {
    pub id: String,
    pub slug: String,
    pub name: String,
    /// Paragraphs of plain text: Wix's description is HTML, and none of it is trusted.
    pub description: Vec<String>,
    pub images: Vec<ImageView>,
    pub price: String,
    pub compare_at: Option<String>,
    pub in_stock: bool,
    /// ISO 4217, for structured data.
    pub currency: String,
    pub options: Vec<OptionView>,
    pub variants: Vec<VariantView>,
    /// Other products of the same category.
    pub related: Vec<ProductCard>,
}

/// Clamps a query from the URL to something worth sending.
pub fn normalise_query(q: &str) -> String {
    q.trim().chars().take(MAX_QUERY_CHARS).collect()
}

#[server]
pub async fn search_products(query: SearchQuery) -> Result<SearchResults, ServerFnError> {
    crate::server::catalog::search(query).await
}

#[server]
pub async fn get_home() -> Result<HomeContent, ServerFnError> {
    crate::server::catalog::home().await
}

#[server]
pub async fn get_product(slug: String) -> Result<Option<ProductDetail>, ServerFnError> {
    crate::server::catalog::product(&slug).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wix_media_gets_resized_variants() {
        let set = wix_srcset(
            "https://static.wixstatic.com/media/22e53e_abc~mv2.jpg",
            1000,
            500,
        )
        .expect("wix media");
        assert_eq!(
            set,
            "https://static.wixstatic.com/media/22e53e_abc~mv2.jpg/v1/fill/w_240,h_120,al_c,q_80/22e53e_abc~mv2.jpg 240w, \
             https://static.wixstatic.com/media/22e53e_abc~mv2.jpg/v1/fill/w_480,h_240,al_c,q_80/22e53e_abc~mv2.jpg 480w, \
             https://static.wixstatic.com/media/22e53e_abc~mv2.jpg/v1/fill/w_960,h_480,al_c,q_80/22e53e_abc~mv2.jpg 960w, \
             https://static.wixstatic.com/media/22e53e_abc~mv2.jpg 1000w"
        );
        assert_eq!(
            wix_srcset("http://127.0.0.1:3001/media/x.svg", 800, 800),
            None
        );
        assert_eq!(
            wix_srcset("https://static.wixstatic.com/media/a/b.jpg", 800, 800),
            None
        );
    }

    #[test]
    fn huge_queries_are_clamped() {
        assert_eq!(normalise_query("  vase  "), "vase");
        assert_eq!(
            normalise_query(&"x".repeat(10_000)).chars().count(),
            MAX_QUERY_CHARS
        );
    }
}
