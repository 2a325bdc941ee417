//! eCom current cart, Cart v1 (wix-api.md §5): one cart per identity, no id in the URL.

use axum::{
    body::Bytes,
    extract::State,
    http::StatusCode,
    routing::{get, post},
    Json, Router,
};
use serde::Deserialize;
use serde_json::{json, Value};

use super::products::parse_body;
use crate::{
    cart::{self, LineItemInput, QuantityUpdate},
    error::{ApiError, ApiResult},
    identity::Caller,
    state::{now_iso, AppState},
    store::CartRow,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/ecom/v1/carts/current",
            get(get_cart).delete(delete_cart).patch(update_cart),
        )
        .route("/ecom/v1/carts/current/remove-coupon", post(remove_coupon))
        .route("/ecom/v1/carts/current/add-to-cart", post(add_to_cart))
        .route(
            "/ecom/v1/carts/current/update-line-items-quantity",
            post(update_quantities),
        )
        .route(
            "/ecom/v1/carts/current/remove-line-items",
            post(remove_lines),
        )
        .route(
            "/ecom/v1/carts/current/estimate-totals",
            post(estimate_totals),
        )
        .route(
            "/ecom/v1/carts/current/create-checkout",
            post(create_checkout),
        )
}

fn cart_response(state: &AppState, cart: &CartRow) -> Json<Value> {
    Json(json!({"cart": cart::cart_json(&state.catalog, cart)}))
}

fn current(state: &AppState, caller: &Caller) -> ApiResult<CartRow> {
    state
        .store
        .current_cart(&caller.0)?
        .ok_or_else(cart::cart_not_found)
}

async fn get_cart(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Value>> {
    Ok(cart_response(&state, &current(&state, &caller)?))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AddBody {
    #[serde(default)]
    line_items: Vec<LineItemInput>,
}

async fn add_to_cart(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body: AddBody = parse_body(&body)?;
    let requests = cart::validate_add(&state.catalog, &body.line_items)?;
    let catalog = state.catalog.clone();
    // Add creates the cart when there is none (§5.2).
    let cart = state
        .store
        .update_cart(&caller.0, true, &now_iso(), |cart| {
            cart::add_lines(&catalog, cart, requests)
        })?
        .ok_or_else(|| ApiError::internal("cart was not created"))?;
    Ok(cart_response(&state, &cart))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UpdateBody {
    #[serde(default)]
    line_items: Vec<QuantityUpdate>,
}

async fn update_quantities(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body: UpdateBody = parse_body(&body)?;
    let cart = state
        .store
        .update_cart(&caller.0, false, &now_iso(), |cart| {
            cart::update_quantities(cart, &body.line_items)
        })?
        .ok_or_else(cart::cart_not_found)?;
    Ok(cart_response(&state, &cart))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RemoveBody {
    #[serde(default)]
    line_item_ids: Vec<String>,
}

async fn remove_lines(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body: RemoveBody = parse_body(&body)?;
    let cart = state
        .store
        .update_cart(&caller.0, false, &now_iso(), |cart| {
            cart::remove_lines(cart, &body.line_item_ids)
        })?
        .ok_or_else(cart::cart_not_found)?;
    Ok(cart_response(&state, &cart))
}

async fn estimate_totals(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    // All inputs are optional (`{}` is fine); the emulator has no shipping or tax to use them on.
    let _: Value = parse_body(&body)?;
    let cart = current(&state, &caller)?;
    Ok(Json(cart::estimate_totals_json(&state.catalog, &cart)))
}

/// `PATCH /ecom/v1/carts/current`: the emulator honours `couponCode` (other fields are accepted
/// and ignored).
async fn update_cart(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body: Value = parse_body(&body)?;
    let coupon = body
        .get("couponCode")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let cart = state
        .store
        .update_cart(&caller.0, false, &now_iso(), |cart| match &coupon {
            Some(code) => {
                cart.coupon = None;
                cart::add_coupon(&state.catalog, cart, code)
            }
            None => Ok(()),
        })?
        .ok_or_else(cart::cart_not_found)?;
    Ok(cart_response(&state, &cart))
}

async fn remove_coupon(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Value>> {
    let cart = state
        .store
        .update_cart::<ApiError>(&caller.0, false, &now_iso(), |cart| {
            cart.coupon = None;
            Ok(())
        })?
        .ok_or_else(cart::cart_not_found)?;
    Ok(cart_response(&state, &cart))
}

async fn create_checkout(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body: Value = parse_body(&body)?;
    if state.settings().payments_disabled {
        return Err(ApiError::application(
            StatusCode::PRECONDITION_REQUIRED,
            "SITE_MUST_ACCEPT_PAYMENTS_TO_CREATE_CHECKOUT",
            "The site must accept payments to create a checkout",
        ));
    }
    match body.get("channelType").and_then(Value::as_str) {
        None => return Err(ApiError::validation("channelType", "is required")),
        Some("UNSPECIFIED") => {
            return Err(ApiError::validation(
                "channelType",
                "UNSPECIFIED is not supported",
            ))
        }
        Some(_) => {}
    }
    let cart = current(&state, &caller)?;
    if cart::is_empty(&state.catalog, &cart) {
        // UNCONFIRMED which code Wix uses for an empty cart (§5.4).
        return Err(ApiError::application(
            StatusCode::BAD_REQUEST,
            "CANT_CREATE_CHECKOUT_WITHOUT_LINE_ITEMS",
            "Cannot create a checkout from an empty cart",
        ));
    }
    let checkout_id = state.store.create_checkout(&cart, &now_iso())?;
    Ok(Json(json!({"checkoutId": checkout_id})))
}

async fn delete_cart(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Value>> {
    if state.store.delete_current_cart(&caller.0)? {
        Ok(Json(json!({})))
    } else {
        Err(cart::cart_not_found())
    }
}
