//! `/product/{slug}`: gallery ([`Gallery`]), description, price, a variant picker whose choice lives in the
//! URL (`?Color=Black&Size=M`) and never traps the shopper, and an add-to-cart form that works
//! with and without JavaScript. Structured data for search engines. The page renders on the
//! server; the picker and the form are one island ([`ProductPurchase`]).

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    api::{
        cart::{CartNotice, MAX_QUANTITY},
        catalog::{get_product, ProductDetail, VariantView},
        variants::{available, resolve},
    },
    components::{
        browser::show_url,
        canonical::Canonical,
        cart_notice::{add_message, notice_in_url, CartNoticeLine},
        cart_state::CartActions,
        gallery::{show_image, Gallery},
        price::Price,
        product_card::{this_page, ProductGrid},
        status::Unavailable,
    },
    pages::not_found::NotFound,
};

#[component]
pub fn ProductPage() -> impl IntoView {
    let params = use_params_map();
    let slug = params.read_untracked().get("slug").unwrap_or_default();
    let product = Resource::new(move || slug.clone(), get_product);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading product…"</p> }>
            {move || Suspend::new(async move {
                match product.await {
                    Ok(Some(product)) => view! { <ProductView product/> }.into_any(),
                    Ok(None) => view! { <NotFound/> }.into_any(),
                    Err(error) => view! { <Unavailable error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// JSON for an inline `<script type="application/ld+json">`: nothing in it can close the tag.
fn script_json(value: &serde_json::Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// Product and breadcrumb structured data. Offers carry decimal amounts from Wix, never a
/// displayed (formatted) price parsed back.
fn structured_data(product: &ProductDetail) -> String {
    let offers: Vec<serde_json::Value> = product
        .variants
        .iter()
        .map(|v| {
            serde_json::json!({
                "@type": "Offer",
                "sku": v.sku,
                "price": v.amount,
                "priceCurrency": product.currency,
                "availability": if v.in_stock { "https://schema.org/InStock" } else { "https://schema.org/OutOfStock" },
            })
        })
        .collect();
    let data = serde_json::json!([
        {
            "@context": "https://schema.org",
            "@type": "Product",
            "name": product.name,
            "description": product.description.join(" "),
            "image": product.images.iter().map(|i| i.image.url.clone()).collect::<Vec<_>>(),
            "offers": offers,
        },
        {
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": breadcrumb_items(product),
        }
    ]);
    script_json(&data)
}

fn breadcrumb_items(product: &ProductDetail) -> Vec<serde_json::Value> {
    let trail = std::iter::once(("Home".to_owned(), "/".to_owned()))
        .chain(
            product
                .breadcrumbs
                .iter()
                .map(|c| (c.name.clone(), format!("/category/{}", c.slug))),
        )
        .chain(std::iter::once((
            product.name.clone(),
            format!("/product/{}", product.slug),
        )));
    trail
        .enumerate()
        .map(|(i, (name, item))| {
            serde_json::json!({"@type": "ListItem", "position": i + 1, "name": name, "item": item})
        })
        .collect()
}

#[component]
fn ProductView(product: ProductDetail) -> impl IntoView {
    let p = product;
    // What the URL asks for: `?Color=Black&Size=M` (unknown names are ignored when resolving).
    let query = use_query_map();
    let requested: Vec<(String, String)> = p
        .options
        .iter()
        .filter_map(|o| Some((o.name.clone(), query.read_untracked().get(&o.name)?)))
        .collect();
    let description = p
        .description
        .first()
        .cloned()
        .unwrap_or_else(|| p.name.clone());
    let canonical = format!("/product/{}", p.slug);
    let og_image = p
        .images
        .first()
        .map(|i| i.image.url.clone())
        .unwrap_or_default();
    // The gallery opens on the image of the variant the URL chose, where it has one; a plain
    // product URL opens on the product's main image.
    let first_image = (!requested.is_empty())
        .then(|| resolve(&p, &requested, None).variant.and_then(|v| v.image))
        .flatten();
    // The island needs the choices and variants only: the rest of the product stays in the HTML
    // (and what only the structured data needs, in that).
    let for_purchase = ProductDetail {
        description: Vec::new(),
        images: Vec::new(),
        info_sections: Vec::new(),
        breadcrumbs: Vec::new(),
        related: Vec::new(),
        variants: p
            .variants
            .iter()
            .map(|v| VariantView {
                amount: String::new(),
                sku: None,
                ..v.clone()
            })
            .collect(),
        ..p.clone()
    };
    let return_to = this_page();

    view! {
        <Title text=p.name.clone()/>
        <Meta name="description" content=description.clone()/>
        <Canonical path=canonical/>
        <Meta property="og:type" content="product"/>
        <Meta property="og:title" content=p.name.clone()/>
        <Meta property="og:description" content=description/>
        <Meta property="og:image" content=og_image/>
        <script type="application/ld+json" inner_html=structured_data(&p)></script>
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <a href="/">"Home"</a>
            {p.breadcrumbs.iter().map(|c| view! {
                " / " <a href=format!("/category/{}", c.slug)>{c.name.clone()}</a>
            }).collect_view()}
            " / " <span aria-current="page">{p.name.clone()}</span>
        </nav>
        <article class="product">
            <Gallery images=p.images.clone() first=first_image name=p.name.clone()/>
            <div class="details">
                {p.ribbon.clone().map(|ribbon| view! { <p class="ribbon">{ribbon}</p> })}
                <h1>{p.name.clone()}</h1>
                <ProductPurchase product=for_purchase requested from_url=notice_in_url()/>
                {p.description.iter().map(|paragraph| view! { <p>{paragraph.clone()}</p> }).collect_view()}
                {p.info_sections.iter().map(|section| view! {
                    <section class="info-section">
                        <h2>{section.title.clone()}</h2>
                        {section.paragraphs.iter().map(|paragraph| view! { <p>{paragraph.clone()}</p> }).collect_view()}
                    </section>
                }).collect_view()}
            </div>
        </article>
        {(!p.related.is_empty()).then(|| view! {
            <section class="related">
                <h2>"You may also like"</h2>
                <ProductGrid products=p.related.clone() return_to/>
            </section>
        })}
    }
}

/// The price, the variant picker and the add-to-cart form. The picker's choices are links to
/// the resolved combination (so they work without JavaScript); hydrated, a choice changes the
/// selection in place and the address bar follows.
#[island]
pub fn ProductPurchase(
    product: ProductDetail,
    requested: Vec<(String, String)>,
    from_url: Option<CartNotice>,
) -> impl IntoView {
    let add = expect_context::<CartActions>().add;
    let product = StoredValue::new(product);
    let requested = RwSignal::new(requested);
    let message = move || add_message(add.value().get(), from_url);
    let picker = move || {
        product.with_value(|p| {
            let asked = requested.get();
            let selection = resolve(p, &asked, None);
            let options = p.options.iter().map(|option| {
                let choices = option.choices.iter().map(|choice| {
                    let pressed = selection.chosen(&option.name) == Some(choice.name.as_str());
                    if available(p, &option.name, &choice.name) {
                        let mut wanted = selection.choices.clone();
                        if let Some(slot) = wanted.iter_mut().find(|(o, _)| *o == option.name) {
                            slot.1 = choice.name.clone();
                        }
                        let chosen = resolve(p, &wanted, Some((&option.name, &choice.name)));
                        let href = chosen.url(&p.slug);
                        let choices = chosen.choices.clone();
                        let image = chosen.variant.and_then(|v| v.image);
                        let choose = {
                            let href = href.clone();
                            move |ev: leptos::ev::MouseEvent| {
                                ev.prevent_default();
                                requested.set(choices.clone());
                                show_url(&href);
                                if let Some(image) = image {
                                    show_image(image);
                                }
                            }
                        };
                        view! {
                            <a class="choice" role="button" aria-pressed=if pressed { "true" } else { "false" }
                                href=href on:click=choose>
                                {choice.name.clone()}
                            </a>
                        }.into_any()
                    } else {
                        view! {
                            <span class="choice sold-out" aria-disabled="true">{choice.name.clone()} <small>" sold out"</small></span>
                        }.into_any()
                    }
                }).collect_view();
                view! {
                    <fieldset class="choices">
                        <legend>{option.name.clone()}</legend>
                        {choices}
                    </fieldset>
                }
            }).collect_view();
            let variant_id = selection.variant.map(|v| v.id.clone()).unwrap_or_default();
            let price = match selection.variant {
                Some(v) => v.price.clone(),
                None => p.price.clone(),
            };
            let purchasable = selection.variant.is_some();
            let return_to = selection.url(&p.slug);
            let product_id = p.id.clone();
            view! {
                <p class="price" data-testid="price"><Price price/></p>
                {(!purchasable).then(|| view! { <p class="stock">"Sold out"</p> })}
                {options}
                <ActionForm action=add>
                    <input type="hidden" name="product_id" value=product_id/>
                    <input type="hidden" name="variant_id" value=variant_id/>
                    <input type="hidden" name="return_to" value=return_to/>
                    <div class="field">
                        <label for="quantity">"Quantity"</label>
                        <input id="quantity" name="quantity" type="number" min="1" max=MAX_QUANTITY value="1" inputmode="numeric" required/>
                    </div>
                    <button type="submit" class="primary" disabled=move || !purchasable || add.pending().get()>
                        "Add to cart"
                    </button>
                </ActionForm>
            }
        })
    };
    view! {
        {picker}
        <CartNoticeLine message/>
    }
}

#[cfg(test)]
mod tests {
    use crate::api::catalog::{PriceView, ProductDetail, VariantView};

    fn product(currency: &str, label: &str, amount: &str) -> ProductDetail {
        let price = PriceView {
            label: label.to_owned(),
            was: None,
            discounted: false,
            percent_off: None,
        };
        ProductDetail {
            id: "p".into(),
            slug: "mug".into(),
            name: "Mug".into(),
            description: vec![],
            images: vec![],
            price: price.clone(),
            in_stock: true,
            currency: currency.into(),
            options: vec![],
            variants: vec![VariantView {
                id: "v".into(),
                choices: vec![],
                price,
                amount: amount.into(),
                in_stock: true,
                sku: None,
                image: None,
            }],
            info_sections: vec![],
            breadcrumbs: vec![],
            ribbon: None,
            related: vec![],
        }
    }

    /// Offers carry Wix's decimal amount whatever the display looks like: a decimal comma, or a
    /// currency without minor units.
    #[test]
    fn offers_use_decimal_amounts_never_the_displayed_price() {
        for (currency, label, amount) in
            [("EUR", "1.234,50 €", "1234.50"), ("JPY", "¥1,235", "1235")]
        {
            let data: serde_json::Value =
                serde_json::from_str(&super::structured_data(&product(currency, label, amount)))
                    .expect("json");
            let offer = &data[0]["offers"][0];
            assert_eq!(offer["price"], amount, "{currency}");
            assert_eq!(offer["priceCurrency"], currency);
        }
    }

    #[test]
    fn structured_data_cannot_close_its_script_tag() {
        let escaped =
            super::script_json(&serde_json::json!({"name": "</script><script>alert(1)</script>"}));
        assert!(!escaped.contains("</script>"));
        assert!(escaped.contains("\\u003c/script\\u003e"));
    }
}
