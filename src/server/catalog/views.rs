//! Domain products from `wix-headless` mapped to the views the pages show.

use wix_headless::{
    catalog::{Availability, Category, PriceSummary, Product, VariantPrice},
    media::Image,
};

use super::description::paragraphs;
use crate::api::catalog::{
    CategoryView, ChoiceView, GalleryImage, ImageView, InfoSectionView, OptionView, PriceView,
    ProductCard, ProductDetail, VariantView,
};

/// Image sizes Wix's own storefront asks for (wix-api.md §9.1): tiles, the gallery, cart lines.
pub const TILE: u32 = 800;
pub const GALLERY: u32 = 1200;
pub const CART_LINE: u32 = 300;
/// Gallery thumbnails: 72 CSS pixels at twice the density.
pub const THUMB: u32 = 144;

/// `image` cropped to a `side`-pixel square, with a `srcset` where the host can resize.
pub fn image_view(image: &Image, side: u32) -> ImageView {
    ImageView {
        url: image.fill(side, side),
        srcset: image.srcset(side, side),
        alt: image.alt.clone().unwrap_or_default(),
        width: side,
        height: side,
    }
}

fn price_view(price: &PriceSummary) -> PriceView {
    let label = match &price.to {
        // A range whose cheapest variant is discounted: the range is pre-discount (§9.1 T).
        Some(_) if price.discounted => format!("From {}", price.from.formatted),
        Some(to) => format!("{} – {}", price.from.formatted, to.formatted),
        None => price.from.formatted.clone(),
    };
    PriceView {
        label,
        was: price.was.as_ref().map(|w| w.formatted.clone()),
        discounted: price.discounted,
        // A struck price never stands beside a range (§9.1), so `from` is the price shown.
        percent_off: price.was.as_ref().and_then(|w| price.from.percent_below(w)),
    }
}

fn variant_price_view(price: &VariantPrice) -> PriceView {
    PriceView {
        label: price.price.formatted.clone(),
        was: price.was.as_ref().map(|w| w.formatted.clone()),
        discounted: price.discounted,
        percent_off: price
            .was
            .as_ref()
            .and_then(|w| price.price.percent_below(w)),
    }
}

pub fn category_view(category: &Category) -> CategoryView {
    CategoryView {
        slug: category.slug.clone(),
        name: category.name.clone(),
    }
}

pub fn card(product: &Product) -> ProductCard {
    ProductCard {
        id: product.id.clone(),
        slug: product.slug.clone(),
        name: product.name.clone(),
        image: product.images.first().map(|i| image_view(i, TILE)),
        price: price_view(&product.price),
        in_stock: product.availability.can_buy(),
        quick_add: (!product.has_options())
            .then(|| product.default_variant_id.clone().unwrap_or_default()),
        ribbon: product.ribbon.clone(),
    }
}

/// The product's images, then the variants' images that are not among them (Wix derives a
/// variant's media from the choice's, which is usually one of the product's), de-duplicated.
fn gallery_images(product: &Product) -> Vec<&Image> {
    let mut images: Vec<&Image> = product.images.iter().collect();
    for image in product.variants.iter().filter_map(|v| v.image.as_ref()) {
        if !images.iter().any(|known| known.same_picture(image)) {
            images.push(image);
        }
    }
    images
}

pub fn detail(product: &Product, related: Vec<ProductCard>) -> ProductDetail {
    let gallery = gallery_images(product);
    ProductDetail {
        id: product.id.clone(),
        slug: product.slug.clone(),
        name: product.name.clone(),
        description: paragraphs(product.description_html.as_deref().unwrap_or_default()),
        images: gallery
            .iter()
            .map(|i| GalleryImage {
                image: image_view(i, GALLERY),
                thumb_url: i.fill(THUMB, THUMB),
            })
            .collect(),
        price: price_view(&product.price),
        in_stock: product.availability != Availability::OutOfStock,
        currency: product.currency.clone(),
        options: product
            .options
            .iter()
            .map(|o| OptionView {
                name: o.name.clone(),
                choices: o
                    .choices
                    .iter()
                    .map(|c| ChoiceView {
                        name: c.name.clone(),
                        color: c.color.clone().filter(|_| o.swatches),
                    })
                    .collect(),
            })
            .collect(),
        variants: product
            .variants
            .iter()
            .map(|v| VariantView {
                id: v.id.clone(),
                choices: v.choices.clone(),
                price: variant_price_view(&v.price),
                amount: v.price.price.decimal_string(),
                in_stock: v.in_stock,
                sku: v.sku.clone(),
                image: v
                    .image
                    .as_ref()
                    .and_then(|i| gallery.iter().position(|known| known.same_picture(i))),
            })
            .collect(),
        info_sections: product
            .info_sections
            .iter()
            .map(|s| InfoSectionView {
                title: s.title.clone(),
                paragraphs: paragraphs(&s.description_html),
            })
            .collect(),
        breadcrumbs: product
            .breadcrumbs
            .iter()
            .filter_map(|b| {
                Some(CategoryView {
                    slug: b.slug.clone()?,
                    name: b.name.clone(),
                })
            })
            .collect(),
        ribbon: product.ribbon.clone(),
        related,
    }
}
