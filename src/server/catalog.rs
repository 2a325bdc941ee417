//! Catalog reads for the pages: Wix products mapped to the views the browser needs.

use leptos::prelude::ServerFnError;
use wix_headless::catalog::{
    MediaItem, Price, PriceRange, Product, ProductSearch, LISTING_FIELDS, PRODUCT_PAGE_FIELDS,
};

use super::calls::{app_state, catalog_call, current_session, user_error};
use crate::api::catalog::{
    ImageView, ProductCard, ProductDetail, SearchResults, VariantView, PAGE_SIZE,
};

pub async fn search(query: &str, cursor: Option<String>) -> Result<SearchResults, ServerFnError> {
    let state = app_state()?;
    let request = match cursor.filter(|c| !c.is_empty()) {
        Some(cursor) => ProductSearch::after(PAGE_SIZE, cursor),
        None => ProductSearch::new(PAGE_SIZE).text(query),
    };
    let wix = state.wix.clone();
    let key = serde_json::to_string(&request).unwrap_or_default();
    let cache = &state.catalog_cache.searches;
    let page = catalog_call(&state, &current_session(), cache, key, |token| {
        let (wix, request) = (wix.clone(), request.clone());
        async move { wix.search_products(&token, &request, LISTING_FIELDS).await }
    })
    .await
    .map_err(user_error)?;
    Ok(SearchResults {
        query: query.to_owned(),
        products: page.products.iter().map(card).collect(),
        next_cursor: page.paging_metadata.cursors.next,
        prev_cursor: page.paging_metadata.cursors.prev,
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
    Ok(product.as_ref().map(detail))
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
    Some(ImageView {
        url,
        alt: item
            .alt_text
            .clone()
            .or_else(|| image.and_then(|i| i.alt_text.clone()))
            .unwrap_or_else(|| fallback_alt.to_owned()),
        width: image.and_then(|i| i.width).unwrap_or(800),
        height: image.and_then(|i| i.height).unwrap_or(800),
    })
}

pub fn card(product: &Product) -> ProductCard {
    ProductCard {
        slug: product.slug.clone(),
        name: product.name.clone(),
        image: product.main_image().and_then(|m| image(m, &product.name)),
        price: range_label(product.actual_price_range.as_ref()),
        compare_at: compare_at(product),
        in_stock: product.in_stock(),
    }
}

pub fn detail(product: &Product) -> ProductDetail {
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
    let variants = product
        .variants()
        .iter()
        .filter(|v| v.visible)
        .map(|v| VariantView {
            id: v.id.clone(),
            label: v
                .choices
                .iter()
                .filter_map(|c| {
                    c.option_choice_names
                        .as_ref()
                        .map(|n| n.choice_name.clone())
                })
                .collect::<Vec<_>>()
                .join(" / "),
            price: formatted(&v.price.actual_price),
            in_stock: v.inventory_status.in_stock,
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
        variants,
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
