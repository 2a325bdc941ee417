//! Current Cart V2 (wix-api.md §5b) over the same cart store as v1: a visitor's cart is one
//! cart whichever API reads it.

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
    cart::{self, LineItemInput},
    error::{ApiError, ApiResult},
    identity::Caller,
    state::{now_iso, AppState},
    store::CartRow,
};

const BASE: &str = "/ecom/v2/carts/current";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            BASE,
            get(get_cart)
                .post(create_cart)
                .patch(update_cart)
                .delete(delete_cart),
        )
        .route(&format!("{BASE}/add-line-items"), post(add_line_items))
        .route(
            &format!("{BASE}/update-line-items"),
            post(update_line_items),
        )
        .route(
            &format!("{BASE}/remove-line-items"),
            post(remove_line_items),
        )
        .route(&format!("{BASE}/estimate"), post(estimate))
        .route(&format!("{BASE}/calculate"), post(estimate))
        .route(&format!("{BASE}/refresh"), post(refresh))
        .route(&format!("{BASE}/add-coupon"), post(add_coupon))
        .route(&format!("{BASE}/remove-coupon"), post(remove_coupon))
}

/// UNCONFIRMED code and text (§5b 3.1); 404 is well attested.
fn not_found() -> ApiError {
    ApiError::application(
        StatusCode::NOT_FOUND,
        "CURRENT_CART_NOT_FOUND",
        "Current cart not found",
    )
}

fn respond(state: &AppState, cart: &CartRow) -> Json<Value> {
    Json(json!({"cart": cart::cart_v2_json(&state.catalog, cart)}))
}

fn current(state: &AppState, caller: &Caller) -> ApiResult<CartRow> {
    state.store.current_cart(&caller.0)?.ok_or_else(not_found)
}

/// Changes the current cart; `create` starts one when there is none.
fn change(
    state: &AppState,
    caller: &Caller,
    create: bool,
    f: impl FnOnce(&mut CartRow) -> Result<(), ApiError>,
) -> ApiResult<Json<Value>> {
    let cart = state
        .store
        .update_cart(&caller.0, create, &now_iso(), f)?
        .ok_or_else(not_found)?;
    Ok(respond(state, &cart))
}

async fn get_cart(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Value>> {
    Ok(respond(&state, &current(&state, &caller)?))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct AddBody {
    #[serde(default)]
    catalog_items: Vec<LineItemInput>,
    #[serde(default)]
    coupons: Vec<CouponInput>,
}

#[derive(Deserialize)]
struct CouponInput {
    code: String,
}

const MAX_ITEMS_PER_ADD: usize = 300;

fn validated(state: &AppState, items: &[LineItemInput]) -> ApiResult<Vec<cart::AddRequest>> {
    if items.len() > MAX_ITEMS_PER_ADD {
        return Err(ApiError::validation(
            "catalogItems",
            format!("at most {MAX_ITEMS_PER_ADD} items"),
        ));
    }
    cart::validate_add(&state.catalog, items).map_err(|error| match error {
        ApiError::Validation { field, description } => ApiError::Validation {
            field: field.replace("lineItems", "catalogItems"),
            description,
        },
        other => other,
    })
}

/// `POST /ecom/v2/carts/current`: creates the cart (or adds to the existing one).
async fn create_cart(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body: AddBody = parse_body(&body)?;
    let requests = if body.catalog_items.is_empty() {
        Vec::new()
    } else {
        validated(&state, &body.catalog_items)?
    };
    let catalog = state.catalog.clone();
    change(&state, &caller, true, |cart| {
        cart::add_lines(&catalog, cart, requests)?;
        match body.coupons.first() {
            Some(coupon) => cart::add_coupon(&catalog, cart, &coupon.code),
            None => Ok(()),
        }
    })
}

async fn add_line_items(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body: AddBody = parse_body(&body)?;
    if body.catalog_items.is_empty() {
        return Err(ApiError::application(
            StatusCode::BAD_REQUEST,
            "NO_LINE_ITEMS_TO_ADD",
            "No line items to add",
        ));
    }
    let requests = validated(&state, &body.catalog_items)?;
    let catalog = state.catalog.clone();
    // UNCONFIRMED (§5b 3.2): an unresolvable or sold-out variant is skipped with a 200, as in v1.
    change(&state, &caller, true, |cart| {
        cart::add_lines(&catalog, cart, requests)
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LineUpdate {
    line_item_id: Option<String>,
    quantity: Option<NewQuantity>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NewQuantity {
    new_quantity: Option<i64>,
}

async fn update_line_items(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let raw: Value = parse_body(&body)?;
    let items = raw
        .get("lineItems")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if items.is_empty() || items.len() > 100 {
        return Err(ApiError::application(
            StatusCode::BAD_REQUEST,
            "EMPTY_LINE_ITEM_UPDATES",
            "Between 1 and 100 line item updates are required",
        ));
    }
    // The v1 form `{id, quantity}` is refused, as Wix does (§5b.8).
    let mut updates = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        let update: LineUpdate = serde_json::from_value(item).map_err(|_| {
            ApiError::validation(
                format!("lineItems[{index}]"),
                "must be {lineItemId, quantity: {newQuantity}}",
            )
        })?;
        let id = update.line_item_id.ok_or_else(|| {
            ApiError::validation(format!("lineItems[{index}].lineItemId"), "is required")
        })?;
        if updates
            .iter()
            .any(|u: &cart::QuantityUpdate| u.id.as_deref() == Some(id.as_str()))
        {
            return Err(ApiError::application(
                StatusCode::BAD_REQUEST,
                "DUPLICATE_LINE_ITEM_UPDATES",
                "A line item is updated twice",
            )
            .with_data(json!({"duplicateLineItemIds": [id]})));
        }
        let Some(quantity) = update.quantity else {
            continue; // quantity omitted: unchanged
        };
        updates.push(cart::QuantityUpdate {
            id: Some(id),
            quantity: Some(quantity.new_quantity.unwrap_or(0)),
        });
    }
    change(&state, &caller, false, |cart| {
        if updates.is_empty() {
            Ok(())
        } else {
            cart::update_quantities(cart, &updates).map_err(|error| match error {
                ApiError::Validation { field, description } => ApiError::Validation {
                    field: field.replace(".quantity", ".quantity.newQuantity"),
                    description,
                },
                other => other,
            })
        }
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RemoveBody {
    #[serde(default)]
    line_item_ids: Vec<String>,
}

async fn remove_line_items(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body: RemoveBody = parse_body(&body)?;
    change(&state, &caller, false, |cart| {
        cart::remove_lines(cart, &body.line_item_ids)
    })
}

/// `estimate` and `calculate`: 404 on a missing or empty cart, as Wix's client notes (§5b 3.5).
async fn estimate(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let _: Value = parse_body(&body)?;
    let cart = current(&state, &caller)?;
    if cart.lines.is_empty() {
        return Err(not_found());
    }
    Ok(Json(cart::summary_v2_json(&state.catalog, &cart)))
}

async fn refresh(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Value>> {
    Ok(respond(&state, &current(&state, &caller)?))
}

async fn update_cart(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    // Plain fields (note, addresses) are accepted and not modelled by the emulator.
    let _: Value = parse_body(&body)?;
    Ok(respond(&state, &current(&state, &caller)?))
}

#[derive(Deserialize)]
struct AddCouponBody {
    coupon: Option<CouponInput>,
}

async fn add_coupon(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body: AddCouponBody = parse_body(&body)?;
    let code = body
        .coupon
        .map(|c| c.code)
        .ok_or_else(|| ApiError::validation("coupon.code", "is required"))?;
    let catalog = state.catalog.clone();
    change(&state, &caller, false, |cart| {
        cart::add_coupon(&catalog, cart, &code)
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RemoveCouponBody {
    coupon_id: Option<String>,
}

async fn remove_coupon(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body: RemoveCouponBody = parse_body(&body)?;
    let coupon_id = body
        .coupon_id
        .ok_or_else(|| ApiError::validation("couponId", "is required"))?;
    change(&state, &caller, false, |cart| {
        let applied = cart
            .coupon
            .clone()
            .filter(|code| cart::coupon_id(cart, code) == coupon_id);
        if applied.is_none() {
            return Err(ApiError::application(
                StatusCode::BAD_REQUEST,
                "COUPON_NOT_FOUND_IN_CART",
                "Coupon not found in cart",
            )
            .with_data(json!({"couponId": coupon_id})));
        }
        cart.coupon = None;
        Ok(())
    })
}

async fn delete_cart(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Value>> {
    if state.store.delete_current_cart(&caller.0)? {
        Ok(Json(json!({})))
    } else {
        Err(not_found())
    }
}
