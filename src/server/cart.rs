//! Cart actions for server functions.

use leptos::prelude::ServerFnError;
use wix_headless::cart::{CatalogReference, LineItemInput};

use super::calls::{
    app_state, current_session, is_plain_form_request, user_error, visitor_call, Mint,
};
use crate::{
    api::cart::{parse_quantity, AddToCartOutcome, CartNotice, CartSummary},
    url::{safe_return_path, with_query_param},
};

/// The header badge: 0 without a session, and no Wix call either.
pub async fn summary() -> Result<CartSummary, ServerFnError> {
    let state = app_state()?;
    let wix = state.wix.clone();
    let cart = visitor_call(&state, &current_session(), Mint::Never, |token| {
        let wix = wix.clone();
        async move { wix.current_cart(&token).await }
    })
    .await
    .map_err(user_error)?;
    Ok(CartSummary {
        item_count: cart.flatten().map(|c| c.item_count()).unwrap_or(0),
    })
}

pub async fn add(
    product_id: String,
    variant_id: String,
    quantity: String,
    return_to: String,
) -> Result<AddToCartOutcome, ServerFnError> {
    let result = add_inner(product_id, variant_id, &quantity).await;
    // Without JavaScript, go back to the page with the outcome in its URL.
    if is_plain_form_request() {
        let notice = match &result {
            Ok(outcome) => outcome.notice(),
            Err(_) => CartNotice::StoreUnavailable,
        };
        let target = with_query_param(&safe_return_path(&return_to), "cart", notice.code());
        leptos_axum::redirect(&target);
        return Ok(result.unwrap_or(AddToCartOutcome::NotAdded { item_count: 0 }));
    }
    result
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
        return Err(ServerFnError::new("That product is not available."));
    }
    let variant = Some(variant_id.as_str()).filter(|v| !v.is_empty());
    let state = app_state()?;
    let session = current_session();
    let wix = state.wix.clone();
    // The quantity already in the cart, to tell what this add really did.
    let before = visitor_call(&state, &session, Mint::Never, |token| {
        let wix = wix.clone();
        async move { wix.current_cart(&token).await }
    })
    .await
    .map_err(user_error)?
    .flatten()
    .map(|cart| cart.quantity_of(&product_id, variant))
    .unwrap_or(0);
    let items = [LineItemInput {
        quantity,
        catalog_reference: CatalogReference::stores_product(&product_id, variant),
    }];
    let cart = visitor_call(&state, &session, Mint::IfMissing, |token| {
        let wix = wix.clone();
        let items = items.clone();
        async move { wix.add_to_cart(&token, &items).await }
    })
    .await
    .map_err(user_error)?
    .ok_or_else(|| ServerFnError::new("Could not start a cart session."))?;
    Ok(AddToCartOutcome::from_quantities(
        before,
        cart.quantity_of(&product_id, variant),
        quantity,
        cart.item_count(),
    ))
}
