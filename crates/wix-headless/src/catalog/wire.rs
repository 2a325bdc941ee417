//! Catalog V3 products as they travel (wix-api.md §4.3, §9.1). Every field is optional or
//! defaulted: `fields` gating removes whatever was not requested. Only [`super::product`] reads
//! these; the rest of the crate and the storefront see the domain types.

use serde::Deserialize;

use crate::money::Amount;

#[derive(Deserialize, Default, Clone)]
#[serde(rename_all = "camelCase")]
pub(super) struct Price {
    #[serde(default)]
    pub amount: Amount,
    #[serde(default)]
    pub formatted_amount: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(super) struct PriceRange {
    #[serde(default)]
    pub min_value: Option<Price>,
    #[serde(default)]
    pub max_value: Option<Price>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(super) struct ImageInfo {
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub width: Option<u32>,
    #[serde(default)]
    pub height: Option<u32>,
    #[serde(default)]
    pub alt_text: Option<String>,
}

/// A media entry: `{image: {...}}`, or a bare image / URL object (read as `image ?? itself`).
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(super) struct MediaItem {
    #[serde(default)]
    pub image: Option<ImageInfo>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub alt_text: Option<String>,
    #[serde(default)]
    pub width: Option<u32>,
    #[serde(default)]
    pub height: Option<u32>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(super) struct Media {
    #[serde(default)]
    pub main: Option<MediaItem>,
    #[serde(default)]
    pub items_info: Option<MediaItems>,
}

#[derive(Deserialize, Default)]
pub(super) struct MediaItems {
    #[serde(default)]
    pub items: Vec<MediaItem>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Choice {
    pub choice_id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub color_code: Option<String>,
    #[serde(default)]
    pub in_stock: Option<bool>,
    #[serde(default)]
    pub visible: Option<bool>,
}

#[derive(Deserialize, Default)]
pub(super) struct ChoicesSettings {
    #[serde(default)]
    pub choices: Vec<Choice>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ProductOption {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub option_render_type: Option<String>,
    #[serde(default)]
    pub choices_settings: ChoicesSettings,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct OptionChoiceIds {
    pub option_id: String,
    pub choice_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct OptionChoiceNames {
    pub option_name: String,
    pub choice_name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct VariantChoice {
    #[serde(default)]
    pub option_choice_ids: Option<OptionChoiceIds>,
    #[serde(default)]
    pub option_choice_names: Option<OptionChoiceNames>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(super) struct VariantPrice {
    #[serde(default)]
    pub actual_price: Option<Price>,
    #[serde(default)]
    pub compare_at_price: Option<Price>,
    /// Only with `DISCOUNT_INFO` (§9.1).
    #[serde(default)]
    pub price_after_discount: Option<Price>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(super) struct InventoryStatus {
    #[serde(default)]
    pub in_stock: Option<bool>,
    #[serde(default)]
    pub preorder_enabled: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Variant {
    pub id: String,
    #[serde(default)]
    pub visible: Option<bool>,
    #[serde(default)]
    pub sku: Option<String>,
    #[serde(default)]
    pub choices: Vec<VariantChoice>,
    #[serde(default)]
    pub price: VariantPrice,
    #[serde(default)]
    pub inventory_status: InventoryStatus,
    /// Read-only, derived from choice-linked media: `media.image ?? media`.
    #[serde(default)]
    pub media: Option<MediaItem>,
}

#[derive(Deserialize, Default)]
pub(super) struct VariantsInfo {
    #[serde(default)]
    pub variants: Vec<Variant>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(super) struct Inventory {
    #[serde(default)]
    pub availability_status: Option<String>,
    #[serde(default)]
    pub preorder_status: Option<String>,
}

/// `variantSummary.minPriceVariant` (`MIN_PRICE_VARIANT`); its id is `id` or `variantId`.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(super) struct MinPriceVariant {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub variant_id: Option<String>,
    #[serde(default)]
    pub price: Option<VariantPrice>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(super) struct VariantSummary {
    #[serde(default)]
    pub min_price_variant: Option<MinPriceVariant>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct InfoSection {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub plain_description: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Breadcrumb {
    pub category_id: String,
    #[serde(default)]
    pub category_name: Option<String>,
    #[serde(default)]
    pub category_slug: Option<String>,
}

#[derive(Deserialize, Default)]
pub(super) struct BreadcrumbsInfo {
    #[serde(default)]
    pub breadcrumbs: Vec<Breadcrumb>,
}

#[derive(Deserialize, Default)]
pub(super) struct Ribbon {
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Product {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub plain_description: Option<String>,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub media: Media,
    #[serde(default)]
    pub options: Vec<ProductOption>,
    #[serde(default)]
    pub actual_price_range: PriceRange,
    #[serde(default)]
    pub compare_at_price_range: PriceRange,
    #[serde(default)]
    pub inventory: Inventory,
    #[serde(default)]
    pub main_category_id: Option<String>,
    #[serde(default)]
    pub variant_summary: VariantSummary,
    #[serde(default)]
    pub variants_info: Option<VariantsInfo>,
    #[serde(default)]
    pub info_sections: Vec<InfoSection>,
    #[serde(default)]
    pub breadcrumbs_info: Option<BreadcrumbsInfo>,
    #[serde(default)]
    pub ribbon: Option<Ribbon>,
}

#[derive(Deserialize, Default)]
pub(super) struct Cursors {
    #[serde(default)]
    pub next: Option<String>,
    #[serde(default)]
    pub prev: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(super) struct PagingMetadata {
    #[serde(default)]
    pub cursors: Cursors,
    #[serde(default)]
    pub has_next: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ProductList {
    #[serde(default)]
    pub products: Vec<Product>,
    #[serde(default)]
    pub paging_metadata: PagingMetadata,
}

#[derive(Deserialize)]
pub(super) struct ProductEnvelope {
    pub product: Product,
}
