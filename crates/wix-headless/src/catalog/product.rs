//! Products as the storefront uses them, read from the wire the way Wix's own storefront
//! clients read them (wix-api.md §9.1 "Reading products").

use serde::{Deserialize, Serialize};

use super::wire;
use crate::{
    media::Image,
    money::{Amount, Money},
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Product {
    pub id: String,
    pub name: String,
    pub slug: String,
    /// `plainDescription`: HTML despite its name; never trusted as markup.
    pub description_html: Option<String>,
    /// The gallery: `media.main`, then `media.itemsInfo` items, without repeats.
    pub images: Vec<Image>,
    pub options: Vec<ProductOption>,
    /// Visible variants (product page only: lists carry none).
    pub variants: Vec<Variant>,
    pub price: PriceSummary,
    pub availability: Availability,
    /// The variant a product without options is added as (`minPriceVariant`, §9.1).
    pub default_variant_id: Option<String>,
    pub main_category_id: Option<String>,
    /// From the store's root to the product's category (`BREADCRUMBS_INFO`).
    pub breadcrumbs: Vec<Breadcrumb>,
    pub info_sections: Vec<InfoSection>,
    /// A merchant's label such as "New" or "Sale".
    pub ribbon: Option<String>,
    pub currency: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Availability {
    InStock,
    PartiallyOutOfStock,
    OutOfStock,
    /// Out of stock but open for pre-orders.
    Preorder,
}

impl Availability {
    pub fn can_buy(self) -> bool {
        !matches!(self, Self::OutOfStock)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductOption {
    pub id: String,
    pub name: String,
    /// Shown as colour swatches (`SWATCH_CHOICES`, or `COLOR_CHOICES` as Wix's client reads).
    pub swatches: bool,
    /// Visible choices only.
    pub choices: Vec<Choice>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub id: String,
    pub name: String,
    pub color: Option<String>,
    pub in_stock: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Variant {
    pub id: String,
    pub sku: Option<String>,
    /// `(option name, choice name)` in option order; empty for a product without options.
    pub choices: Vec<(String, String)>,
    pub price: VariantPrice,
    pub in_stock: bool,
    pub preorder: bool,
    /// The image of the chosen choice, where the merchant linked one.
    pub image: Option<Image>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariantPrice {
    /// What the shopper pays: after an automatic discount, when there is one.
    pub price: Money,
    /// Struck through: the price before the discount, or a higher compare-at price.
    pub was: Option<Money>,
    /// `price` comes from an automatic discount (`priceAfterDiscount`).
    pub discounted: bool,
}

/// A product's price as a listing shows it (§9.1): the cheapest variant's selling price, with
/// a struck price only when it is a single price, or the range of prices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PriceSummary {
    pub from: Money,
    /// The highest price, when variants' prices differ.
    pub to: Option<Money>,
    /// Struck through; never beside a range.
    pub was: Option<Money>,
    /// The cheapest variant sells below its actual price (an automatic discount).
    pub discounted: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breadcrumb {
    pub category_id: String,
    pub name: String,
    pub slug: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InfoSection {
    pub title: String,
    /// HTML; never trusted as markup.
    pub description_html: String,
}

/// Where unknown currencies fall back to: Wix always sends one with `CURRENCY`, which every
/// request of this crate asks for.
const FALLBACK_CURRENCY: &str = "USD";

fn money(price: Option<&wire::Price>, currency: &str) -> Option<Money> {
    let price = price?;
    let Amount(Some(amount)) = price.amount else {
        return None;
    };
    Some(Money::new(
        amount,
        currency,
        price.formatted_amount.as_deref(),
    ))
}

/// The selling price and the struck one of a variant's price object (§9.1): with a
/// `priceAfterDiscount`, that is the price and the actual price is struck; otherwise a
/// compare-at price is struck when it is really higher and Wix formatted it.
fn variant_price(price: &wire::VariantPrice, currency: &str) -> Option<VariantPrice> {
    let actual = money(price.actual_price.as_ref(), currency)?;
    match money(price.price_after_discount.as_ref(), currency) {
        Some(discounted) if discounted.amount < actual.amount => Some(VariantPrice {
            price: discounted,
            was: Some(actual),
            discounted: true,
        }),
        _ => {
            let was = price
                .compare_at_price
                .as_ref()
                .filter(|p| p.formatted_amount.is_some())
                .and_then(|p| money(Some(p), currency))
                .filter(|c| c.amount > actual.amount);
            Some(VariantPrice {
                price: actual,
                was,
                discounted: false,
            })
        }
    }
}

fn image(item: &wire::MediaItem, media_base: &str, fallback_alt: &str) -> Option<Image> {
    let (url, width, height, alt) = match &item.image {
        Some(image) => (
            image.url.as_deref(),
            image.width,
            image.height,
            item.alt_text.clone().or_else(|| image.alt_text.clone()),
        ),
        None => (
            item.url.as_deref(),
            item.width,
            item.height,
            item.alt_text.clone(),
        ),
    };
    let alt = alt.or_else(|| Some(fallback_alt.to_owned()));
    Some(Image::parse(url?, media_base, alt)?.sized(width, height))
}

impl Product {
    pub(super) fn from_wire(product: wire::Product, media_base: &str) -> Self {
        let currency = product
            .currency
            .clone()
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| FALLBACK_CURRENCY.to_owned());
        let name = product.name.clone();

        let mut images: Vec<Image> = Vec::new();
        let gallery = product
            .media
            .main
            .iter()
            .chain(product.media.items_info.iter().flat_map(|i| &i.items));
        for item in gallery {
            if let Some(image) = image(item, media_base, &name) {
                if !images.iter().any(|known| known.same_picture(&image)) {
                    images.push(image);
                }
            }
        }

        let options: Vec<ProductOption> = product
            .options
            .iter()
            .map(|o| ProductOption {
                id: o.id.clone(),
                name: o.name.clone(),
                swatches: matches!(
                    o.option_render_type.as_deref(),
                    Some("SWATCH_CHOICES" | "COLOR_CHOICES")
                ),
                choices: o
                    .choices_settings
                    .choices
                    .iter()
                    .filter(|c| c.visible != Some(false))
                    .map(|c| Choice {
                        id: c.choice_id.clone(),
                        name: c.name.clone(),
                        color: c.color_code.clone(),
                        in_stock: c.in_stock != Some(false),
                    })
                    .collect(),
            })
            .collect();

        // Variants name their choices (VARIANT_OPTION_CHOICE_NAMES), or at least by id.
        let name_of = |ids: &wire::OptionChoiceIds| -> Option<(String, String)> {
            let option = product.options.iter().find(|o| o.id == ids.option_id)?;
            let choice = option
                .choices_settings
                .choices
                .iter()
                .find(|c| c.choice_id == ids.choice_id)?;
            Some((option.name.clone(), choice.name.clone()))
        };
        let variants = product
            .variants_info
            .iter()
            .flat_map(|v| &v.variants)
            .filter(|v| v.visible != Some(false))
            .filter_map(|v| {
                Some(Variant {
                    id: v.id.clone(),
                    sku: v.sku.clone(),
                    choices: v
                        .choices
                        .iter()
                        .filter_map(|c| match &c.option_choice_names {
                            Some(names) => {
                                Some((names.option_name.clone(), names.choice_name.clone()))
                            }
                            None => name_of(c.option_choice_ids.as_ref()?),
                        })
                        .collect(),
                    price: variant_price(&v.price, &currency)?,
                    in_stock: v.inventory_status.in_stock != Some(false),
                    preorder: v.inventory_status.preorder_enabled == Some(true),
                    image: v.media.as_ref().and_then(|m| image(m, media_base, &name)),
                })
            })
            .collect();

        let price = price_summary(&product, &currency);
        let preorder = product.inventory.preorder_status.as_deref() == Some("ENABLED");
        let availability = match product.inventory.availability_status.as_deref() {
            Some("OUT_OF_STOCK") if preorder => Availability::Preorder,
            Some("OUT_OF_STOCK") => Availability::OutOfStock,
            Some("PARTIALLY_OUT_OF_STOCK") => Availability::PartiallyOutOfStock,
            _ => Availability::InStock,
        };
        let default_variant_id = product
            .variant_summary
            .min_price_variant
            .as_ref()
            .and_then(|m| m.id.clone().or_else(|| m.variant_id.clone()));

        Self {
            id: product.id,
            name: product.name,
            slug: product.slug,
            description_html: product.plain_description.filter(|d| !d.trim().is_empty()),
            images,
            options,
            variants,
            price,
            availability,
            default_variant_id,
            main_category_id: product.main_category_id,
            breadcrumbs: product
                .breadcrumbs_info
                .into_iter()
                .flat_map(|b| b.breadcrumbs)
                .map(|b| Breadcrumb {
                    name: b.category_name.unwrap_or_default(),
                    slug: b.category_slug,
                    category_id: b.category_id,
                })
                .filter(|b| !b.name.is_empty())
                .collect(),
            info_sections: product
                .info_sections
                .into_iter()
                .filter_map(|s| {
                    Some(InfoSection {
                        title: s.title.filter(|t| !t.trim().is_empty())?,
                        description_html: s.plain_description.unwrap_or_default(),
                    })
                })
                .collect(),
            ribbon: product
                .ribbon
                .and_then(|r| r.name)
                .filter(|r| !r.trim().is_empty()),
            currency,
        }
    }

    /// Whether the product can be added straight from a listing: it has no options to choose.
    pub fn has_options(&self) -> bool {
        !self.options.is_empty()
    }
}

/// §9.1's card price: the cheapest variant's selling price (`minPriceVariant`), falling back to
/// `actualPriceRange.minValue`; a range when the minimum and maximum differ.
fn price_summary(product: &wire::Product, currency: &str) -> PriceSummary {
    let range_min = money(product.actual_price_range.min_value.as_ref(), currency);
    let range_max = money(product.actual_price_range.max_value.as_ref(), currency);
    let cheapest = product
        .variant_summary
        .min_price_variant
        .as_ref()
        .and_then(|m| m.price.as_ref())
        .and_then(|p| variant_price(p, currency));
    let (from, was, discounted) = match cheapest {
        Some(cheapest) => (cheapest.price, cheapest.was, cheapest.discounted),
        None => {
            let from = range_min.clone().unwrap_or_else(|| Money::zero(currency));
            let was = product
                .compare_at_price_range
                .min_value
                .as_ref()
                .filter(|p| p.formatted_amount.is_some())
                .and_then(|p| money(Some(p), currency))
                .filter(|c| c.amount > from.amount);
            (from, was, false)
        }
    };
    let to = match (&range_min, range_max) {
        (Some(min), Some(max)) if max.amount != min.amount && max.amount > from.amount => Some(max),
        _ => None,
    };
    PriceSummary {
        was: if to.is_some() { None } else { was },
        from,
        to,
        discounted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const MEDIA: &str = "https://static.wixstatic.com/media/";

    fn product(value: serde_json::Value) -> Product {
        Product::from_wire(serde_json::from_value(value).expect("wire product"), MEDIA)
    }

    fn price(amount: &str) -> serde_json::Value {
        json!({"amount": amount, "formattedAmount": format!("${amount}.00")})
    }

    #[test]
    fn a_discounted_cheapest_variant_is_the_price_and_the_actual_price_is_struck() {
        let p = product(
            json!({"id": "p", "name": "Mug", "slug": "mug", "currency": "USD",
            "actualPriceRange": {"minValue": price("20"), "maxValue": price("20")},
            "variantSummary": {"minPriceVariant": {"variantId": "v1", "price": {
                "actualPrice": price("20"), "priceAfterDiscount": price("15")}}}}),
        );
        assert_eq!(p.price.from.formatted, "$15.00");
        assert_eq!(
            p.price.was.as_ref().map(|w| w.formatted.as_str()),
            Some("$20.00")
        );
        assert!(p.price.discounted);
        assert_eq!(p.default_variant_id.as_deref(), Some("v1"));
    }

    #[test]
    fn compare_at_is_struck_only_when_higher_and_never_beside_a_range() {
        let single = product(
            json!({"id": "p", "name": "Tee", "slug": "tee", "currency": "USD",
            "actualPriceRange": {"minValue": price("20"), "maxValue": price("20")},
            "variantSummary": {"minPriceVariant": {"id": "v", "price": {
                "actualPrice": price("20"), "compareAtPrice": price("25")}}}}),
        );
        assert_eq!(single.price.was.map(|w| w.formatted), Some("$25.00".into()));
        assert!(!single.price.discounted);
        let lower = product(
            json!({"id": "p", "name": "Tee", "slug": "tee", "currency": "USD",
            "actualPriceRange": {"minValue": price("20"), "maxValue": price("20")},
            "compareAtPriceRange": {"minValue": price("10"), "maxValue": price("10")}}),
        );
        assert_eq!(lower.price.was, None);
        let range = product(
            json!({"id": "p", "name": "Tee", "slug": "tee", "currency": "USD",
            "actualPriceRange": {"minValue": price("12"), "maxValue": price("16")},
            "compareAtPriceRange": {"minValue": price("30"), "maxValue": price("30")}}),
        );
        assert_eq!(range.price.from.formatted, "$12.00");
        assert_eq!(range.price.to.map(|t| t.formatted), Some("$16.00".into()));
        assert_eq!(range.price.was, None, "no struck price beside a range");
    }

    #[test]
    fn variants_and_options_are_read_as_wix_reads_them() {
        let p = product(
            json!({"id": "p", "name": "Tee", "slug": "tee", "currency": "EUR",
            "options": [{"id": "o", "name": "Color", "optionRenderType": "COLOR_CHOICES",
                "choicesSettings": {"choices": [
                    {"choiceId": "c1", "name": "Black", "colorCode": "#000"},
                    {"choiceId": "c2", "name": "Gold", "visible": false}]}}],
            "variantsInfo": {"variants": [
                {"id": "v1", "choices": [{"optionChoiceIds": {"optionId": "o", "choiceId": "c1"}}],
                 "price": {"actualPrice": {"amount": "9.5"}}, "inventoryStatus": {}},
                {"id": "v2", "visible": false, "choices": [], "price": {"actualPrice": {"amount": "1"}}}]},
            "inventory": {"availabilityStatus": "OUT_OF_STOCK", "preorderStatus": "ENABLED"}}),
        );
        assert!(p.options[0].swatches);
        assert_eq!(p.options[0].choices.len(), 1, "hidden choices dropped");
        assert_eq!(p.variants.len(), 1, "hidden variants dropped");
        let v = &p.variants[0];
        assert_eq!(v.choices, [("Color".to_owned(), "Black".to_owned())]);
        assert!(v.in_stock, "an absent inStock counts as in stock");
        assert_eq!(
            v.price.price.formatted, "€9,50",
            "formatted here when Wix did not"
        );
        assert_eq!(p.availability, Availability::Preorder);
    }

    #[test]
    fn the_gallery_starts_with_the_main_image_without_repeats() {
        let p = product(json!({"id": "p", "name": "Vase", "slug": "vase",
            "media": {"main": {"image": {"id": "a.jpg", "url": "https://static.wixstatic.com/media/a.jpg", "width": 10, "height": 10}},
                      "itemsInfo": {"items": [
                          {"image": {"url": "https://static.wixstatic.com/media/a.jpg"}},
                          {"url": "https://static.wixstatic.com/media/b.jpg"},
                          {"image": {"url": "https://cdn.example.com/c.png"}, "altText": "Side"}]}}}));
        let files: Vec<Option<&str>> = p.images.iter().map(|i| i.file_id()).collect();
        assert_eq!(files, [Some("a.jpg"), Some("b.jpg"), None]);
        assert_eq!(p.images[0].alt.as_deref(), Some("Vase"));
        assert_eq!(p.images[2].alt.as_deref(), Some("Side"));
        assert_eq!(p.currency, "USD", "fallback currency");
    }
}
