//! `/product/{slug}`: the product with an add-to-cart form that works with and without JavaScript.

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    api::{
        cart::{CartNotice, MAX_QUANTITY},
        catalog::{get_product, ProductDetail},
    },
    app::CartActions,
    components::status::{error_message, Unavailable},
    pages::not_found::NotFound,
};

#[component]
pub fn ProductPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let slug = Memo::new(move |_| params.read().get("slug").unwrap_or_default());
    let product = Resource::new(move || slug.get(), get_product);
    // After a form post without JavaScript, the outcome comes back in `?cart=`.
    let notice = Memo::new(move |_| {
        query
            .read()
            .get("cart")
            .and_then(|c| CartNotice::from_code(&c))
    });
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading product…"</p> }>
            {move || Suspend::new(async move {
                match product.await {
                    Ok(Some(product)) => view! { <ProductView product notice/> }.into_any(),
                    Ok(None) => view! { <NotFound/> }.into_any(),
                    Err(error) => view! { <Unavailable message=error_message(&error)/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProductView(product: ProductDetail, notice: Memo<Option<CartNotice>>) -> impl IntoView {
    let add = expect_context::<CartActions>().add;
    let message = move || match add.value().get() {
        Some(Ok(outcome)) => Some((
            outcome.notice().message().to_owned(),
            outcome.notice().is_success(),
        )),
        Some(Err(error)) => Some((error_message(&error), false)),
        None => notice
            .get()
            .map(|n| (n.message().to_owned(), n.is_success())),
    };
    let has_options = product.has_options();
    let first_in_stock = product
        .variants
        .iter()
        .position(|v| v.in_stock)
        .unwrap_or(0);
    let single_variant = product
        .variants
        .first()
        .map(|v| v.id.clone())
        .unwrap_or_default();
    let return_to = format!("/product/{}", product.slug);
    let variant_picker = if has_options {
        view! {
            <label for="variant">"Option"</label>
            <select id="variant" name="variant_id" required>
                {product.variants.iter().enumerate().map(|(index, variant)| {
                    let label = if variant.in_stock {
                        format!("{} — {}", variant.label, variant.price)
                    } else {
                        format!("{} — sold out", variant.label)
                    };
                    view! {
                        <option value=variant.id.clone() disabled=!variant.in_stock selected=index == first_in_stock>
                            {label}
                        </option>
                    }
                }).collect_view()}
            </select>
        }
        .into_any()
    } else {
        view! { <input type="hidden" name="variant_id" value=single_variant/> }.into_any()
    };
    let images = product.images.clone();
    view! {
        <Title text=product.name.clone()/>
        <article class="product">
            <div class="gallery">
                {images.into_iter().enumerate().map(|(index, image)| view! {
                    <img
                        src=image.url
                        alt=image.alt
                        width=image.width
                        height=image.height
                        loading=if index == 0 { "eager" } else { "lazy" }
                    />
                }).collect_view()}
            </div>
            <div class="details">
                <h1>{product.name.clone()}</h1>
                <p class="price">
                    <span>{product.price.clone()}</span>
                    {product.compare_at.clone().map(|was| view! { " " <s class="compare-at">{was}</s> })}
                </p>
                {(!product.in_stock).then(|| view! { <p class="stock">"Sold out"</p> })}
                {product.description.iter().map(|p| view! { <p>{p.clone()}</p> }).collect_view()}
                <ActionForm action=add>
                    <input type="hidden" name="product_id" value=product.id.clone()/>
                    <input type="hidden" name="return_to" value=return_to/>
                    <div class="field">{variant_picker}</div>
                    <div class="field">
                        <label for="quantity">"Quantity"</label>
                        <input id="quantity" name="quantity" type="number" min="1" max=MAX_QUANTITY value="1" inputmode="numeric" required/>
                    </div>
                    <button type="submit" class="primary" disabled=move || add.pending().get()>
                        "Add to cart"
                    </button>
                </ActionForm>
                <p class="cart-notice" role="status" aria-live="polite" data-testid="cart-notice">
                    {move || message().map(|(text, ok)| view! {
                        <span class=if ok { "ok" } else { "problem" }>{text}</span>
                    })}
                </p>
            </div>
        </article>
    }
}
