//! The product catalog: products kept in Wix's REST shape with every optional field present,
//! and trimmed per request to the `fields` the caller asked for (wix-api.md §4.2).

use std::{collections::HashMap, path::Path};

use serde::Deserialize;
use serde_json::{json, Value};

use crate::{error::ApiError, money::Cents};

const DEMO_CATALOG: &str = include_str!("../data/catalog.json");

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("not a catalog in Wix's product shape: {0}")]
    Parse(#[from] serde_json::Error),
    #[error("product {0} has no id or slug")]
    MissingKey(usize),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CatalogFile {
    #[serde(default)]
    currency: Option<CurrencyInfo>,
    #[serde(default)]
    categories: Vec<Value>,
    /// Units left of some variants, keyed `"<product id>/<variant id>"` (emulator only: Wix
    /// shows stock only as a cart line's `availableQuantity`). Others are unlimited.
    #[serde(default)]
    limited_stock: HashMap<String, u32>,
    products: Vec<Value>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CurrencyInfo {
    pub code: String,
    pub symbol: String,
}

/// A variant resolved for the cart: the pieces a cart line needs.
#[derive(Debug, Clone)]
pub struct VariantInfo {
    /// What the buyer pays: after an automatic discount when there is one.
    pub price: Cents,
    /// The price before the discount or sale (compare-at), or `price`.
    pub full_price: Cents,
    pub in_stock: bool,
    /// Units left, for limited-stock variants; `None` is unlimited.
    pub stock: Option<u32>,
    /// `(option name, choice name, colour code)` for the line's description lines.
    pub choices: Vec<(String, String, Option<String>)>,
    pub sku: Option<String>,
}

pub struct Catalog {
    products: Vec<Value>,
    by_id: HashMap<String, usize>,
    by_slug: HashMap<String, usize>,
    categories: Vec<Value>,
    currency: CurrencyInfo,
    limited_stock: HashMap<String, u32>,
    /// Media file id → the query of its demo URL (`hue=…&label=…`), for the image route.
    media: HashMap<String, String>,
}

impl Catalog {
    pub fn demo(base_url: &str) -> Result<Self, CatalogError> {
        Self::parse(DEMO_CATALOG, base_url)
    }

    pub fn load_file(path: &Path, base_url: &str) -> Result<Self, CatalogError> {
        let text = std::fs::read_to_string(path).map_err(|source| CatalogError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::parse(&text, base_url)
    }

    /// Accepts the emulator's file (`{"products": [...]}`) or a plain array of products, as a
    /// Wix export or a saved Query Products page gives them.
    fn parse(text: &str, base_url: &str) -> Result<Self, CatalogError> {
        let file: CatalogFile = match serde_json::from_str::<Value>(text)? {
            Value::Array(products) => CatalogFile {
                currency: None,
                categories: Vec::new(),
                limited_stock: HashMap::new(),
                products,
            },
            other => serde_json::from_value(other)?,
        };
        let mut products = file.products;
        let mut by_id = HashMap::new();
        let mut by_slug = HashMap::new();
        let mut media = HashMap::new();
        for (index, product) in products.iter_mut().enumerate() {
            index_media(product, &mut media);
            absolutize_media(product, base_url);
            derive_fields(product, &file.categories);
            let id = product.get("id").and_then(Value::as_str);
            let slug = product.get("slug").and_then(Value::as_str);
            let (Some(id), Some(slug)) = (id, slug) else {
                return Err(CatalogError::MissingKey(index));
            };
            by_id.insert(id.to_owned(), index);
            by_slug.insert(slug.to_owned(), index);
        }
        let currency = file.currency.unwrap_or_else(|| {
            let code = products
                .first()
                .and_then(|p| p.get("currency"))
                .and_then(Value::as_str)
                .unwrap_or("USD")
                .to_owned();
            let symbol = if code == "USD" {
                "$".into()
            } else {
                format!("{code} ")
            };
            CurrencyInfo { code, symbol }
        });
        Ok(Self {
            products,
            by_id,
            by_slug,
            categories: file.categories,
            currency,
            limited_stock: file.limited_stock,
            media,
        })
    }

    /// The demo rendering parameters of a media file (`hue=…&label=…`), if the catalog has it.
    pub fn media_query(&self, file: &str) -> Option<&str> {
        self.media.get(file).map(String::as_str)
    }

    /// Products visitors may see (`visible: true`; wix-api.md §4).
    pub fn visible(&self) -> impl Iterator<Item = &Value> {
        self.products
            .iter()
            .filter(|p| p.get("visible").and_then(Value::as_bool).unwrap_or(true))
    }

    pub fn by_id(&self, id: &str) -> Option<&Value> {
        self.by_id
            .get(id)
            .map(|&i| &self.products[i])
            .filter(|p| is_visible(p))
    }

    pub fn by_slug(&self, slug: &str) -> Option<&Value> {
        self.by_slug
            .get(slug)
            .map(|&i| &self.products[i])
            .filter(|p| is_visible(p))
    }

    pub fn categories(&self) -> &[Value] {
        &self.categories
    }

    /// A visible category by slug.
    pub fn category_by_slug(&self, slug: &str) -> Option<&Value> {
        self.categories.iter().find(|c| {
            c.get("slug").and_then(Value::as_str) == Some(slug)
                && c.get("visible").and_then(Value::as_bool) != Some(false)
        })
    }

    /// The auto-created category every product belongs to (slug `all-products`, §9.1).
    pub fn all_products_category(&self) -> Option<&Value> {
        self.categories
            .iter()
            .find(|c| c.get("slug").and_then(Value::as_str) == Some("all-products"))
    }

    pub fn currency(&self) -> &CurrencyInfo {
        &self.currency
    }

    /// Finds a product's variant; `None` as variant id means "the only variant of a product
    /// without options" (wix-api.md §5.2: such products may be added without `variantId`).
    pub fn variant(&self, product: &Value, variant_id: Option<&str>) -> Option<VariantInfo> {
        let variants = product.pointer("/variantsInfo/variants")?.as_array()?;
        let variant = match variant_id {
            Some(id) => variants
                .iter()
                .find(|v| v.get("id").and_then(Value::as_str) == Some(id))?,
            None if variants.len() == 1 => {
                let only = &variants[0];
                let has_choices = only
                    .get("choices")
                    .and_then(Value::as_array)
                    .is_some_and(|c| !c.is_empty());
                if has_choices {
                    return None;
                }
                only
            }
            None => return None,
        };
        let amount = |pointer: &str| {
            variant
                .pointer(pointer)
                .and_then(Value::as_str)
                .and_then(Cents::parse)
        };
        let actual = amount("/price/actualPrice/amount")?;
        let (price, full_price) = match amount("/price/priceAfterDiscount/amount") {
            Some(discounted) => (discounted, actual),
            None => (
                actual,
                amount("/price/compareAtPrice/amount").unwrap_or(actual),
            ),
        };
        let in_stock = variant
            .pointer("/inventoryStatus/inStock")
            .and_then(Value::as_bool)
            .unwrap_or(false)
            && variant
                .get("visible")
                .and_then(Value::as_bool)
                .unwrap_or(true);
        let choices = variant
            .get("choices")
            .and_then(Value::as_array)
            .map(|choices| {
                choices
                    .iter()
                    .filter_map(|c| {
                        let option = c.pointer("/optionChoiceNames/optionName")?.as_str()?;
                        let choice = c.pointer("/optionChoiceNames/choiceName")?.as_str()?;
                        let color = colour_code(product, c);
                        Some((option.to_owned(), choice.to_owned(), color))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let product_id = product
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let variant_key = variant
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default();
        Some(VariantInfo {
            price,
            full_price,
            in_stock,
            stock: self
                .limited_stock
                .get(&format!("{product_id}/{variant_key}"))
                .copied(),
            choices,
            sku: variant
                .get("sku")
                .and_then(Value::as_str)
                .map(str::to_owned),
        })
    }
}

fn is_visible(product: &Value) -> bool {
    product
        .get("visible")
        .and_then(Value::as_bool)
        .unwrap_or(true)
}

fn colour_code(product: &Value, choice: &Value) -> Option<String> {
    let choice_id = choice.pointer("/optionChoiceIds/choiceId")?.as_str()?;
    product
        .get("options")?
        .as_array()?
        .iter()
        .filter_map(|o| o.pointer("/choicesSettings/choices")?.as_array())
        .flatten()
        .find(|c| c.get("choiceId").and_then(Value::as_str) == Some(choice_id))?
        .get("colorCode")?
        .as_str()
        .map(str::to_owned)
}

/// Fields Wix computes that a catalog file need not carry: the cheapest variant
/// (`variantSummary.minPriceVariant`, by selling price) and the breadcrumbs of the main
/// category (`breadcrumbsInfo`).
fn derive_fields(product: &mut Value, categories: &[Value]) {
    let selling = |variant: &Value| {
        [
            "/price/priceAfterDiscount/amount",
            "/price/actualPrice/amount",
        ]
        .iter()
        .find_map(|p| {
            variant
                .pointer(p)
                .and_then(Value::as_str)
                .and_then(Cents::parse)
        })
    };
    let cheapest = product
        .pointer("/variantsInfo/variants")
        .and_then(Value::as_array)
        .and_then(|variants| {
            variants
                .iter()
                .filter(|v| v.get("visible").and_then(Value::as_bool) != Some(false))
                .filter_map(|v| Some((selling(v)?, v)))
                .min_by_key(|(price, _)| *price)
                .map(|(_, v)| json!({"variantId": v["id"], "price": v["price"]}))
        });
    if let (Some(cheapest), Some(summary)) = (
        cheapest,
        product
            .get_mut("variantSummary")
            .and_then(Value::as_object_mut),
    ) {
        summary.entry("minPriceVariant").or_insert(cheapest);
    }
    let main = product.get("mainCategoryId").and_then(Value::as_str);
    let crumbs: Vec<Value> = categories
        .iter()
        .filter(|c| c.get("id").and_then(Value::as_str) == main && main.is_some())
        .map(|c| json!({"categoryId": c["id"], "categoryName": c["name"], "categorySlug": c["slug"]}))
        .collect();
    if let Some(map) = product.as_object_mut() {
        map.entry("breadcrumbsInfo")
            .or_insert_with(|| json!({"breadcrumbs": crumbs}));
    }
}

/// Records each media file's demo URL query (the image route renders from it).
fn index_media(value: &Value, media: &mut HashMap<String, String>) {
    match value {
        Value::Object(map) => {
            if let (Some(Value::String(id)), Some(Value::String(url))) =
                (map.get("id"), map.get("url"))
            {
                if let Some((_, query)) =
                    url.strip_prefix("/media/").and_then(|u| u.split_once('?'))
                {
                    media.insert(id.clone(), query.to_owned());
                }
            }
            map.values().for_each(|v| index_media(v, media));
        }
        Value::Array(items) => items.iter().for_each(|v| index_media(v, media)),
        _ => {}
    }
}

/// The demo file stores its images as `/media/...` paths; served URLs must be absolute like
/// Wix's `static.wixstatic.com` ones.
fn absolutize_media(value: &mut Value, base_url: &str) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "url" {
                    if let Value::String(url) = child {
                        if url.starts_with("/media/") {
                            *url = format!("{base_url}{url}");
                        }
                        continue;
                    }
                }
                absolutize_media(child, base_url);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| absolutize_media(v, base_url)),
        _ => {}
    }
}

/// Every RequestedField value (wix-api.md §4.2).
const REQUESTED_FIELDS: &[&str] = &[
    "URL",
    "CURRENCY",
    "INFO_SECTION",
    "MERCHANT_DATA",
    "PLAIN_DESCRIPTION",
    "INFO_SECTION_PLAIN_DESCRIPTION",
    "SUBSCRIPTION_PRICES_INFO",
    "BREADCRUMBS_INFO",
    "WEIGHT_MEASUREMENT_UNIT_INFO",
    "VARIANT_OPTION_CHOICE_NAMES",
    "MEDIA_ITEMS_INFO",
    "DESCRIPTION",
    "DIRECT_CATEGORIES_INFO",
    "ALL_CATEGORIES_INFO",
    "INFO_SECTION_DESCRIPTION",
    "THUMBNAIL",
    "PRODUCT_CHOICES_MEDIA_REFERENCES",
    "PRODUCT_CHOICES_DISPLAY_IMAGE",
    "MIN_PRICE_VARIANT",
    "DISCOUNT_INFO",
];

/// The `fields` a request asked for (RequestedField enum, wix-api.md §4.2).
#[derive(Debug, Default, Clone)]
pub struct RequestedFields(Vec<String>);

impl RequestedFields {
    /// Checks every value against the enum: Wix refuses unknown ones with a 400.
    pub fn parse(fields: impl IntoIterator<Item = String>) -> Result<Self, ApiError> {
        let fields: Vec<String> = fields.into_iter().collect();
        if let Some(unknown) = fields
            .iter()
            .find(|f| !REQUESTED_FIELDS.contains(&f.as_str()))
        {
            return Err(ApiError::validation(
                "fields",
                format!("unknown requested field '{unknown}'"),
            ));
        }
        Ok(Self(fields))
    }

    #[cfg(test)]
    pub fn new(fields: impl IntoIterator<Item = String>) -> Self {
        Self(fields.into_iter().collect())
    }

    fn has(&self, field: &str) -> bool {
        self.0.iter().any(|f| f == field)
    }
}

/// Whether a response carries variant data: Get Product does, Query/Search do not (§4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variants {
    Include,
    Omit,
}

/// A copy of `product` with the gated fields removed unless requested.
pub fn product_view(product: &Value, fields: &RequestedFields, variants: Variants) -> Value {
    let mut view = product.clone();
    let Some(map) = view.as_object_mut() else {
        return view;
    };
    let gated = [
        ("PLAIN_DESCRIPTION", "plainDescription"),
        ("DESCRIPTION", "description"),
        ("URL", "url"),
        ("ALL_CATEGORIES_INFO", "allCategoriesInfo"),
        ("DIRECT_CATEGORIES_INFO", "directCategoriesInfo"),
        ("BREADCRUMBS_INFO", "breadcrumbsInfo"),
        ("INFO_SECTION", "infoSections"),
        ("MERCHANT_DATA", "costRange"),
        ("DISCOUNT_INFO", "discountInfo"),
        ("SUBSCRIPTION_PRICES_INFO", "subscriptionDetails"),
    ];
    for (field, key) in gated {
        if !fields.has(field) {
            map.remove(key);
        }
    }
    if variants == Variants::Omit {
        map.remove("variantsInfo");
    }
    if !fields.has("MIN_PRICE_VARIANT") {
        if let Some(summary) = map.get_mut("variantSummary").and_then(Value::as_object_mut) {
            summary.remove("minPriceVariant");
        }
    }
    if !fields.has("INFO_SECTION_PLAIN_DESCRIPTION") {
        for section in map
            .get_mut("infoSections")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
            .filter_map(Value::as_object_mut)
        {
            section.remove("plainDescription");
        }
    }
    if !fields.has("MEDIA_ITEMS_INFO") {
        if let Some(media) = map.get_mut("media").and_then(Value::as_object_mut) {
            media.remove("itemsInfo");
        }
    }
    if !fields.has("VARIANT_OPTION_CHOICE_NAMES") {
        if let Some(variants) = map
            .get_mut("variantsInfo")
            .and_then(|v| v.get_mut("variants"))
            .and_then(Value::as_array_mut)
        {
            for choice in variants
                .iter_mut()
                .filter_map(|v| v.get_mut("choices").and_then(Value::as_array_mut))
                .flatten()
                .filter_map(Value::as_object_mut)
            {
                choice.remove("optionChoiceNames");
            }
        }
    }
    if !fields.has("CURRENCY") {
        map.remove("currency");
        strip_key(&mut view, "formattedAmount");
    }
    if !fields.has("DISCOUNT_INFO") {
        strip_key(&mut view, "priceAfterDiscount");
    }
    view
}

fn strip_key(value: &mut Value, key: &str) {
    match value {
        Value::Object(map) => {
            map.remove(key);
            map.values_mut().for_each(|v| strip_key(v, key));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| strip_key(v, key)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_catalog_is_rich_enough_for_the_storefront() {
        let catalog = Catalog::demo("http://emu").expect("demo catalog parses");
        assert!(catalog.visible().count() >= 120);
        assert!(catalog.categories().len() >= 7);
        let with_options = catalog
            .visible()
            .filter(|p| p["options"].as_array().is_some_and(|o| o.len() == 2))
            .count();
        assert!(with_options > 10, "Color × Size products");
        let image = catalog.visible().next().expect("a product")["media"]["main"]["image"]["url"]
            .as_str()
            .expect("image url")
            .to_owned();
        assert!(image.starts_with("http://emu/media/"), "{image}");
    }

    #[test]
    fn gating_removes_unrequested_fields() {
        let catalog = Catalog::demo("http://emu").expect("demo");
        let product = catalog.visible().next().expect("a product");
        let bare = product_view(product, &RequestedFields::default(), Variants::Omit);
        assert!(bare.get("plainDescription").is_none());
        assert!(bare.get("currency").is_none());
        assert!(bare.get("variantsInfo").is_none());
        assert!(bare["actualPriceRange"]["minValue"]
            .get("formattedAmount")
            .is_none());
        let full = product_view(
            product,
            &RequestedFields::new(["CURRENCY".into(), "PLAIN_DESCRIPTION".into()]),
            Variants::Include,
        );
        assert!(full["plainDescription"].is_string());
        assert!(full["actualPriceRange"]["minValue"]["formattedAmount"].is_string());
        assert!(full["variantsInfo"]["variants"].is_array());
    }
}
