//! Stores Catalog V3 products (wix-api.md §4): typed responses and the search request builder.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{client::WixClient, error::WixError};

/// Largest page Search Products returns.
pub const MAX_PAGE_SIZE: u32 = 100;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Price {
    pub amount: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formatted_amount: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PriceRange {
    pub min_value: Price,
    pub max_value: Price,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct Image {
    #[serde(default)]
    pub id: Option<String>,
    pub url: String,
    #[serde(default)]
    pub width: Option<u32>,
    #[serde(default)]
    pub height: Option<u32>,
    #[serde(default)]
    pub alt_text: Option<String>,
    #[serde(default)]
    pub filename: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct MediaItem {
    #[serde(default)]
    pub image: Option<Image>,
    /// External images carry only a URL (§4.3).
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub alt_text: Option<String>,
    #[serde(default)]
    pub media_type: Option<String>,
}

impl MediaItem {
    pub fn image_url(&self) -> Option<&str> {
        self.image
            .as_ref()
            .map(|i| i.url.as_str())
            .or(self.url.as_deref())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct Media {
    #[serde(default)]
    pub main: Option<MediaItem>,
    #[serde(default)]
    pub items_info: Option<MediaItems>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct MediaItems {
    #[serde(default)]
    pub items: Vec<MediaItem>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Choice {
    pub choice_id: String,
    pub name: String,
    #[serde(default)]
    pub color_code: Option<String>,
    #[serde(default = "yes")]
    pub in_stock: bool,
    #[serde(default = "yes")]
    pub visible: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct ChoicesSettings {
    #[serde(default)]
    pub choices: Vec<Choice>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ProductOption {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub option_render_type: Option<String>,
    #[serde(default)]
    pub choices_settings: ChoicesSettings,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct OptionChoiceIds {
    pub option_id: String,
    pub choice_id: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct OptionChoiceNames {
    pub option_name: String,
    pub choice_name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct VariantChoice {
    pub option_choice_ids: OptionChoiceIds,
    #[serde(default)]
    pub option_choice_names: Option<OptionChoiceNames>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct VariantPrice {
    pub actual_price: Price,
    #[serde(default)]
    pub compare_at_price: Option<Price>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct InventoryStatus {
    #[serde(default)]
    pub in_stock: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Variant {
    pub id: String,
    #[serde(default = "yes")]
    pub visible: bool,
    #[serde(default)]
    pub sku: Option<String>,
    #[serde(default)]
    pub choices: Vec<VariantChoice>,
    pub price: VariantPrice,
    #[serde(default)]
    pub inventory_status: InventoryStatus,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct VariantsInfo {
    #[serde(default)]
    pub variants: Vec<Variant>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct Inventory {
    #[serde(default)]
    pub availability_status: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CategoryRef {
    pub id: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct CategoriesInfo {
    #[serde(default)]
    pub categories: Vec<CategoryRef>,
}

/// A product as Search/Query/Get return it. Unknown fields are ignored; everything the
/// storefront does not strictly need is optional, since `fields` gating removes it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Product {
    pub id: String,
    pub name: String,
    pub slug: String,
    #[serde(default)]
    pub plain_description: Option<String>,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub created_date: Option<String>,
    #[serde(default)]
    pub media: Media,
    #[serde(default)]
    pub options: Vec<ProductOption>,
    #[serde(default)]
    pub actual_price_range: Option<PriceRange>,
    #[serde(default)]
    pub compare_at_price_range: Option<PriceRange>,
    #[serde(default)]
    pub inventory: Inventory,
    #[serde(default)]
    pub main_category_id: Option<String>,
    #[serde(default)]
    pub all_categories_info: Option<CategoriesInfo>,
    /// Only Get Product / Get By Slug return variants (§4.3).
    #[serde(default)]
    pub variants_info: Option<VariantsInfo>,
}

impl Product {
    pub fn main_image(&self) -> Option<&MediaItem> {
        self.media.main.as_ref()
    }

    pub fn variants(&self) -> &[Variant] {
        self.variants_info
            .as_ref()
            .map(|v| v.variants.as_slice())
            .unwrap_or_default()
    }

    pub fn in_stock(&self) -> bool {
        self.inventory.availability_status.as_deref() != Some("OUT_OF_STOCK")
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Cursors {
    #[serde(default)]
    pub next: Option<String>,
    #[serde(default)]
    pub prev: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct PagingMetadata {
    #[serde(default)]
    pub count: Option<u32>,
    #[serde(default)]
    pub cursors: Cursors,
    #[serde(default)]
    pub has_next: Option<bool>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ProductPage {
    #[serde(default)]
    pub products: Vec<Product>,
    #[serde(default)]
    pub paging_metadata: PagingMetadata,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SortOrder {
    #[serde(rename = "ASC")]
    Ascending,
    #[serde(rename = "DESC")]
    Descending,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Sort {
    pub field_name: String,
    pub order: SortOrder,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct FreeTextSearch {
    pub expression: String,
    pub fields: Vec<String>,
    pub mode: &'static str,
    pub fuzzy: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct CursorPaging {
    pub limit: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

/// The `search` object of Search Products. With a cursor, only `cursorPaging` is sent: the
/// cursor carries the filter and sort (§4.2).
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct ProductSearch {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sort: Vec<Sort>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search: Option<FreeTextSearch>,
    pub cursor_paging: CursorPaging,
}

impl ProductSearch {
    pub fn new(limit: u32) -> Self {
        Self {
            cursor_paging: CursorPaging {
                limit: limit.clamp(1, MAX_PAGE_SIZE),
                cursor: None,
            },
            ..Self::default()
        }
    }

    /// Free text over the product name and description, tolerant of typos.
    pub fn text(mut self, expression: &str) -> Self {
        let expression = expression.trim();
        if !expression.is_empty() {
            self.search = Some(FreeTextSearch {
                expression: expression.to_owned(),
                fields: vec!["name".into(), "plainDescription".into()],
                mode: "AND",
                fuzzy: true,
            });
        }
        self
    }

    pub fn filter(mut self, filter: Value) -> Self {
        self.filter = Some(filter);
        self
    }

    pub fn sort(mut self, field_name: &str, order: SortOrder) -> Self {
        self.sort.push(Sort {
            field_name: field_name.to_owned(),
            order,
        });
        self
    }

    /// Continues from a cursor: everything but the page size is dropped.
    pub fn after(limit: u32, cursor: String) -> Self {
        Self {
            cursor_paging: CursorPaging {
                limit: limit.clamp(1, MAX_PAGE_SIZE),
                cursor: Some(cursor),
            },
            ..Self::default()
        }
    }
}

/// RequestedFields (§4.2) a storefront asks for.
pub const LISTING_FIELDS: &[&str] = &["CURRENCY", "URL"];
pub const PRODUCT_PAGE_FIELDS: &[&str] = &[
    "CURRENCY",
    "URL",
    "PLAIN_DESCRIPTION",
    "MEDIA_ITEMS_INFO",
    "VARIANT_OPTION_CHOICE_NAMES",
    "ALL_CATEGORIES_INFO",
];

#[derive(Serialize)]
struct SearchBody<'a> {
    search: &'a ProductSearch,
    fields: &'a [&'a str],
}

/// Count Products' body (§4.1): the filter and free text of a search.
#[derive(Serialize)]
struct CountBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    filter: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    search: Option<&'a FreeTextSearch>,
}

impl<'a> CountBody<'a> {
    fn of(search: &'a ProductSearch) -> Self {
        Self {
            filter: search.filter.as_ref(),
            search: search.search.as_ref(),
        }
    }
}

#[derive(Deserialize)]
struct ProductEnvelope {
    product: Product,
}

impl WixClient {
    /// `POST /stores/v3/products/search`.
    pub async fn search_products(
        &self,
        access_token: &str,
        search: &ProductSearch,
        fields: &[&str],
    ) -> Result<ProductPage, WixError> {
        self.read(
            Method::POST,
            "/stores/v3/products/search",
            Some(access_token),
            Some(&SearchBody { search, fields }),
        )
        .await
    }

    /// `POST /stores/v3/products/count`: how many products the filter and free text of `search`
    /// match (its sort and paging play no part). Search Products has no total of its own.
    pub async fn count_products(
        &self,
        access_token: &str,
        search: &ProductSearch,
    ) -> Result<u64, WixError> {
        #[derive(Deserialize)]
        struct Count {
            count: u64,
        }
        let count: Count = self
            .read(
                Method::POST,
                "/stores/v3/products/count",
                Some(access_token),
                Some(&CountBody::of(search)),
            )
            .await?;
        Ok(count.count)
    }

    /// `GET /stores/v3/products/slug/{slug}`; `Ok(None)` for an unknown slug.
    pub async fn product_by_slug(
        &self,
        access_token: &str,
        slug: &str,
        fields: &[&str],
    ) -> Result<Option<Product>, WixError> {
        let mut path = format!("/stores/v3/products/slug/{}", encode_path_segment(slug));
        for (i, field) in fields.iter().enumerate() {
            path.push(if i == 0 { '?' } else { '&' });
            path.push_str("fields=");
            path.push_str(field);
        }
        match self
            .read::<(), ProductEnvelope>(Method::GET, &path, Some(access_token), None)
            .await
        {
            Ok(envelope) => Ok(Some(envelope.product)),
            Err(error) if error.status() == Some(404) => Ok(None),
            Err(error) => Err(error),
        }
    }
}

/// Percent-encodes everything but unreserved characters, so a slug cannot change the path.
pub(crate) fn encode_path_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_body_matches_the_wire_contract() {
        let search = ProductSearch::new(24)
            .text(" blue shirt ")
            .sort("name", SortOrder::Ascending);
        let body = serde_json::to_value(SearchBody {
            search: &search,
            fields: LISTING_FIELDS,
        })
        .expect("serialises");
        assert_eq!(
            body,
            serde_json::json!({"search": {
                "sort": [{"fieldName": "name", "order": "ASC"}],
                "search": {"expression": "blue shirt", "fields": ["name", "plainDescription"], "mode": "AND", "fuzzy": true},
                "cursorPaging": {"limit": 24}},
              "fields": ["CURRENCY", "URL"]})
        );
        let next =
            serde_json::to_value(ProductSearch::after(500, "abc".into())).expect("serialises");
        assert_eq!(
            next,
            serde_json::json!({"cursorPaging": {"limit": 100, "cursor": "abc"}})
        );
    }

    #[test]
    fn count_sends_the_filter_and_text_of_a_search() {
        let search = ProductSearch::new(24)
            .text("mug")
            .filter(serde_json::json!({"visible": true}))
            .sort("name", SortOrder::Ascending);
        assert_eq!(
            serde_json::to_value(CountBody::of(&search)).expect("serialises"),
            serde_json::json!({"filter": {"visible": true},
                "search": {"expression": "mug", "fields": ["name", "plainDescription"], "mode": "AND", "fuzzy": true}})
        );
        assert_eq!(
            serde_json::to_value(CountBody::of(&ProductSearch::new(24))).expect("serialises"),
            serde_json::json!({})
        );
    }

    #[test]
    fn slugs_cannot_escape_their_path_segment() {
        assert_eq!(encode_path_segment("linen-tee"), "linen-tee");
        assert_eq!(
            encode_path_segment("../../oauth2?x=1"),
            "..%2F..%2Foauth2%3Fx%3D1"
        );
    }
}

/// A store category (Wix Categories API, `POST /categories/v1/categories/query`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Category {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub visible: Option<bool>,
}

impl WixClient {
    /// The store's visible categories (the Stores category tree, up to 100).
    pub async fn query_categories(&self, access_token: &str) -> Result<Vec<Category>, WixError> {
        #[derive(Deserialize)]
        struct Page {
            #[serde(default)]
            categories: Vec<Category>,
        }
        let body = serde_json::json!({
            "query": {"filter": {"visible": true}, "cursorPaging": {"limit": 100}},
            "treeReference": {"appNamespace": "@wix/stores"},
        });
        let page: Page = self
            .read(
                Method::POST,
                "/categories/v1/categories/query",
                Some(access_token),
                Some(&body),
            )
            .await?;
        Ok(page
            .categories
            .into_iter()
            .filter(|c| c.visible != Some(false))
            .collect())
    }
}
