//! Cart actions for server functions: the badge, the cart page, add/update/remove, checkout.

use std::collections::HashMap;

use leptos::prelude::ServerFnError;
use serde_json::json;
use wix_headless::{
    cart::{Callbacks, Cart, CatalogReference, LineItemInput},
    catalog::ProductSearch,
};

use super::{
    calls::{
        app_state, change_error, current_session, is_plain_form_request, user_error, visitor_call,
        Mint,
    },
    catalog::{card, run_search_with},
    session::Session,
    state::AppState,
};
use crate::{
    api::{
        cart::{parse_quantity, AddToCartOutcome, CartLineView, CartNotice, CartSummary, CartView},
        catalog::{wix_srcset, ImageView},
    },
    url::{safe_return_path, with_query_param},
};

/// The visitor's cart, without minting a visitor.
async fn current_cart(state: &AppState, session: &Session) -> Result<Option<Cart>, ServerFnError> {
    let wix = state.wix.clone();
    Ok(visitor_call(state, session, Mint::Never, |token| {
        let wix = wix.clone();
        async move { wix.current_cart(&token).await }
    })
    .await
    .map_err(user_error)?
    .flatten())
}

/// The header badge: 0 without a session, and no Wix call either.
pub async fn summary() -> Result<CartSummary, ServerFnError> {
    let state = app_state()?;
    let cart = current_cart(&state, &current_session()).await?;
    Ok(CartSummary {
        item_count: cart.map(|c| c.item_count()).unwrap_or(0),
    })
}

/// Without JavaScript, a form post returns to the page it came from, the outcome in its URL.
fn redirect_plain_form(return_to: &str, notice: CartNotice) {
    if is_plain_form_request() {
        let target = with_query_param(&safe_return_path(return_to), "cart", notice.code());
        leptos_axum::redirect(&target);
    }
}

/// Reports a cart action: a plain form is sent back with its notice, and a failure becomes that
/// notice (`failed` makes the answer from it); a fetch gets the result as it is.
fn report<T>(
    return_to: &str,
    result: Result<T, ServerFnError>,
    notice: impl Fn(&T) -> CartNotice,
    failed: impl FnOnce(CartNotice) -> T,
) -> Result<T, ServerFnError> {
    match result {
        Ok(value) => {
            redirect_plain_form(return_to, notice(&value));
            Ok(value)
        }
        Err(error) if is_plain_form_request() => {
            let notice = CartNotice::after_failure(&error);
            redirect_plain_form(return_to, notice);
            tracing::debug!(%error, "cart action failed");
            Ok(failed(notice))
        }
        Err(error) => Err(error),
    }
}

pub async fn add(
    product_id: String,
    variant_id: String,
    quantity: String,
    return_to: String,
) -> Result<AddToCartOutcome, ServerFnError> {
    let result = add_inner(product_id, variant_id, &quantity).await;
    report(
        &return_to,
        result,
        |outcome| outcome.notice(),
        |_| AddToCartOutcome::NotAdded { item_count: 0 },
    )
}

async fn add_inner(
    product_id: String,
    variant_id: String,
    quantity: &str,
) -> Result<AddToCartOutcome, ServerFnError> {
    let Some(quantity) = parse_quantity(quantity) else {
        return Ok(AddToCartOutcome::InvalidQuantity);
    };
    if product_id.is_empty() || product_id.len() > 100 || variant_id.len() > 100 {
        return Ok(AddToCartOutcome::ProductUnavailable);
    }
    let variant = Some(variant_id.as_str()).filter(|v| !v.is_empty());
    let state = app_state()?;
    let session = current_session();
    // The quantity already in the cart, to tell what this add really did.
    let before = current_cart(&state, &session)
        .await?
        .map(|cart| cart.quantity_of(&product_id, variant))
        .unwrap_or(0);
    let items = [LineItemInput {
        quantity,
        catalog_reference: CatalogReference::stores_product(&product_id, variant),
    }];
    let wix = state.wix.clone();
    let cart = match visitor_call(&state, &session, Mint::IfMissing, |token| {
        let wix = wix.clone();
        let items = items.clone();
        async move { wix.add_to_cart(&token, &items).await }
    })
    .await
    {
        // Wix refused the item itself (unknown product or variant): nothing was added.
        Err(error) if error.is_rejection() && !error.is_unauthorized() => {
            tracing::info!(%error, "add to cart refused");
            return Ok(AddToCartOutcome::ProductUnavailable);
        }
        other => other
            .map_err(change_error)?
            .ok_or_else(|| ServerFnError::new("Could not start a cart session."))?,
    };
    Ok(AddToCartOutcome::from_quantities(
        before,
        cart.quantity_of(&product_id, variant),
        quantity,
        cart.item_count(),
    ))
}

pub async fn set_quantity(
    line_id: String,
    quantity: String,
    return_to: String,
) -> Result<CartNotice, ServerFnError> {
    let result = async {
        let Some(quantity) = parse_quantity(&quantity) else {
            return Ok(CartNotice::InvalidQuantity);
        };
        let state = app_state()?;
        let wix = state.wix.clone();
        let updated = visitor_call(&state, &current_session(), Mint::Never, |token| {
            let (wix, line_id) = (wix.clone(), line_id.clone());
            async move { wix.update_cart_quantity(&token, &line_id, quantity).await }
        })
        .await;
        Ok(match updated {
            Ok(Some(cart)) => {
                CartNotice::after_quantity_change(quantity, cart.line(&line_id).map(|l| l.quantity))
            }
            Ok(None) => CartNotice::LineGone,
            Err(error) if is_gone(&error) => CartNotice::LineGone,
            Err(error) => return Err(change_error(error)),
        })
    }
    .await;
    report(&return_to, result, |notice| *notice, |notice| notice)
}

pub async fn remove(line_id: String, return_to: String) -> Result<CartNotice, ServerFnError> {
    let result = async {
        let state = app_state()?;
        let wix = state.wix.clone();
        let removed = visitor_call(&state, &current_session(), Mint::Never, |token| {
            let (wix, ids) = (wix.clone(), vec![line_id.clone()]);
            async move { wix.remove_cart_lines(&token, &ids).await }
        })
        .await;
        Ok(match removed {
            Ok(Some(_)) => CartNotice::Removed,
            // Removed already (a double click, another tab): the cart is as the shopper wants it.
            Ok(None) => CartNotice::LineGone,
            Err(error) if is_gone(&error) => CartNotice::LineGone,
            Err(error) => return Err(change_error(error)),
        })
    }
    .await;
    report(&return_to, result, |notice| *notice, |notice| notice)
}

/// The line or the cart no longer exists.
fn is_gone(error: &wix_headless::WixError) -> bool {
    matches!(
        error.code(),
        Some("LINE_ITEM_NOT_FOUND_IN_CART" | "OWNED_CART_NOT_FOUND" | "CURRENT_CART_NOT_FOUND")
    ) || error.status() == Some(404)
}

pub async fn view() -> Result<Option<CartView>, ServerFnError> {
    let state = app_state()?;
    let session = current_session();
    let Some(cart) = current_cart(&state, &session).await? else {
        return Ok(None);
    };
    let wix = state.wix.clone();
    let totals = if cart.lines.is_empty() {
        None
    } else {
        visitor_call(&state, &session, Mint::Never, |token| {
            let wix = wix.clone();
            async move { wix.cart_totals(&token).await }
        })
        .await
        .map_err(user_error)?
        .flatten()
    };
    let images = missing_images(&state, &session, &cart).await;
    let lines = cart
        .lines
        .iter()
        .map(|line| CartLineView {
            id: line.id.clone(),
            name: line.name.clone(),
            slug: line.slug.clone(),
            image: line
                .image_url
                .clone()
                .map(|url| ImageView {
                    srcset: wix_srcset(&url, 800, 800),
                    url,
                    alt: line.name.clone(),
                    width: 800,
                    height: 800,
                })
                .or_else(|| images.get(&line.product_id).cloned()),
            options: line.options.clone(),
            quantity: line.quantity,
            unit_price: line.unit_price.formatted.clone(),
            full_price: line.full_price.as_ref().map(|p| p.formatted.clone()),
            line_total: line.line_total.formatted.clone(),
            available: line.available,
        })
        .collect();
    let (subtotal, discount, total) = match &totals {
        Some(t) => (
            t.subtotal.formatted.clone(),
            (!t.discount.is_zero()).then(|| t.discount.formatted.clone()),
            t.total.formatted.clone(),
        ),
        None => (
            cart.subtotal.formatted.clone(),
            None,
            cart.subtotal.formatted.clone(),
        ),
    };
    Ok(Some(CartView {
        lines,
        item_count: cart.item_count(),
        subtotal,
        discount,
        total,
    }))
}

/// Cart V2 lines come without images (wix-api.md §5b.4): join them from the catalog, through
/// the shared, cached catalog read. A failure only costs the pictures.
async fn missing_images(
    state: &AppState,
    session: &Session,
    cart: &Cart,
) -> HashMap<String, ImageView> {
    let mut ids: Vec<&str> = cart
        .lines
        .iter()
        .filter(|l| l.image_url.is_none())
        .map(|l| l.product_id.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return HashMap::new();
    }
    let request = ProductSearch::new(100).filter(json!({"id": {"$in": ids}}));
    let page = run_search_with(state, session, request).await;
    match page {
        Ok(page) => page
            .products
            .iter()
            .filter_map(|p| card(p).image.map(|image| (p.id.clone(), image)))
            .collect(),
        Err(error) => {
            tracing::warn!(%error, "cart images unavailable");
            HashMap::new()
        }
    }
}

/// Creates the checkout and sends the browser to Wix's hosted checkout page. Every failure sends
/// it back to the cart with a notice: this is always a plain form post.
pub async fn checkout() -> Result<(), ServerFnError> {
    let notice = match start_checkout().await {
        Ok(url) => {
            leptos_axum::redirect(&url);
            return Ok(());
        }
        Err(notice) => notice,
    };
    leptos_axum::redirect(&with_query_param("/cart", "cart", notice.code()));
    Ok(())
}

async fn start_checkout() -> Result<String, CartNotice> {
    let state = app_state().map_err(|_| CartNotice::CheckoutFailed)?;
    let session = current_session();
    let cart = current_cart(&state, &session)
        .await
        .map_err(|_| CartNotice::StoreUnavailable)?
        .filter(|c| !c.lines.is_empty())
        .ok_or(CartNotice::CartEmpty)?;
    if cart.lines.iter().any(|l| !l.available) {
        return Err(CartNotice::UnavailableItems);
    }
    let public = &state.config.public_url;
    let callbacks = Callbacks {
        thank_you_page_url: Some(format!("{public}/thank-you")),
        post_flow_url: Some(format!("{public}/cart")),
        cart_page_url: Some(format!("{public}/cart")),
    };
    let wix = state.wix.clone();
    let url = visitor_call(&state, &session, Mint::Never, |token| {
        let (wix, cart, callbacks) = (wix.clone(), cart.clone(), callbacks.clone());
        async move {
            let checkout_id = wix.checkout_id(&token, &cart).await?;
            wix.checkout_redirect(&token, &checkout_id, &callbacks)
                .await
        }
    })
    .await;
    match url {
        Ok(Some(url)) if url.starts_with("https://") || url.starts_with("http://") => Ok(url),
        Ok(_) => Err(CartNotice::CheckoutFailed),
        Err(error) => {
            tracing::warn!(%error, "checkout failed");
            Err(match error.code() {
                Some("SITE_MUST_ACCEPT_PAYMENTS_TO_CREATE_CHECKOUT") => CartNotice::PaymentsOff,
                Some("CANT_CREATE_CHECKOUT_WITHOUT_LINE_ITEMS") => CartNotice::CartEmpty,
                _ if error.is_transient() => CartNotice::StoreUnavailable,
                _ => CartNotice::CheckoutFailed,
            })
        }
    }
}
