//! What a signed-in member reads about themselves (wix-api.md §3, §9.3): `members/my` and
//! their own orders through Search Orders.

use axum::{
    body::Bytes,
    extract::{Query, State},
    http::StatusCode,
    routing::{get, post},
    Json, Router,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{hosted::DEMO_MEMBERS, products::parse_body};
use crate::{
    error::{ApiError, ApiResult},
    identity::Caller,
    state::AppState,
    store::{Identity, IdentityKind, PlacedOrder},
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/members/v1/members/my", get(my_member))
        .route("/ecom/v1/orders/search", post(search_orders))
}

/// Search Orders' default and largest page.
const MAX_ORDERS_PER_PAGE: usize = 100;

/// Wix's answer to a visitor's token on a member-only call (§9.3: "Missing site member id").
fn not_a_member() -> ApiError {
    ApiError::application(
        StatusCode::FORBIDDEN,
        "MISSING_MEMBER_ID",
        "Missing site member id",
    )
}

#[derive(Deserialize)]
struct FieldsetQuery {
    /// The SDK's spelling.
    fieldsets: Option<String>,
    /// Wix's REST client's spelling (which one Wix reads is UNCONFIRMED: both are).
    #[serde(rename = "fieldSet")]
    field_set: Option<String>,
}

async fn my_member(
    State(state): State<AppState>,
    Caller(identity): Caller,
    Query(query): Query<FieldsetQuery>,
) -> ApiResult<Json<Value>> {
    if identity.kind != IdentityKind::Member {
        return Err(not_a_member());
    }
    let email = state.store.member_email(&identity.id)?.unwrap_or_default();
    let name = DEMO_MEMBERS
        .iter()
        .find(|(known, _, _)| *known == email)
        .map(|(_, name, _)| *name)
        .unwrap_or_default();
    let (first, last) = name.split_once(' ').unwrap_or((name, ""));
    let full = [query.fieldsets, query.field_set]
        .iter()
        .flatten()
        .any(|f| f.eq_ignore_ascii_case("FULL"));
    let nickname = first.to_ascii_lowercase();
    // The default PUBLIC fieldset has no login email and no names.
    let member = if full {
        json!({
            "id": identity.id, "loginEmail": email, "status": "APPROVED",
            "contactId": identity.id,
            "contact": {"firstName": first, "lastName": last},
            "profile": {"nickname": nickname, "slug": nickname},
            "privacyStatus": "PRIVATE", "activityStatus": "ACTIVE",
        })
    } else {
        json!({"id": identity.id, "profile": {"nickname": nickname, "slug": nickname}})
    };
    Ok(Json(json!({"member": member})))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SearchBody {
    search: Search,
}

/// Search Orders' body. Wix reads both JSON spellings of a field (`cursorPaging`, as the SDK
/// sends it, and `cursor_paging`, as Wix's own example does).
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Search {
    #[serde(alias = "cursor_paging")]
    cursor_paging: Option<Paging>,
    filter: Option<Value>,
    sort: Option<Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Paging {
    limit: Option<i64>,
    cursor: Option<String>,
}

/// Search Orders for a member's token: their own orders only, newest first (Wix's default
/// sort), paged with cursors. UNCONFIRMED which call Wix lets a member token read its orders
/// with (see `decisions`); this is the one storefronts built on Wix's SDK use.
async fn search_orders(
    State(state): State<AppState>,
    Caller(identity): Caller,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    if identity.kind != IdentityKind::Member {
        return Err(not_a_member());
    }
    let body: SearchBody = parse_body(&body)?;
    let filtered = |v: &Option<Value>| {
        v.as_ref()
            .is_some_and(|v| !(v.is_null() || v == &json!({}) || v == &json!([])))
    };
    if filtered(&body.search.filter) || filtered(&body.search.sort) {
        return Err(ApiError::application(
            StatusCode::NOT_IMPLEMENTED,
            "NOT_EMULATED",
            "The emulator returns a member's orders newest first, without filters or sorts",
        ));
    }
    let paging = body.search.cursor_paging.unwrap_or_default();
    let limit = match paging.limit {
        None => MAX_ORDERS_PER_PAGE,
        Some(limit) if (1..=MAX_ORDERS_PER_PAGE as i64).contains(&limit) => limit as usize,
        Some(_) => {
            return Err(ApiError::validation(
                "search.cursorPaging.limit",
                "must be between 1 and 100",
            ))
        }
    };
    let offset = match paging.cursor.as_deref().filter(|c| !c.is_empty()) {
        None => 0,
        Some(cursor) => decode_cursor(cursor)?,
    };
    let orders = state.store.orders_of(&identity.id)?;
    let page: Vec<Value> = orders
        .iter()
        .skip(offset)
        .take(limit)
        .map(|order| order_json(&identity, order))
        .collect();
    let end = offset.saturating_add(page.len());
    let has_next = end < orders.len();
    let next = has_next.then(|| URL_SAFE_NO_PAD.encode(format!("orders:{end}")));
    Ok(Json(json!({
        "orders": page,
        "metadata": {"count": page.len(), "cursors": {"next": next}, "hasNext": has_next},
    })))
}

fn decode_cursor(cursor: &str) -> ApiResult<usize> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.strip_prefix("orders:")?.parse().ok())
        .ok_or_else(|| ApiError::validation("search.cursorPaging.cursor", "is not a valid cursor"))
}

/// An eCom order (§9.3b) from the cart it was placed with: paid, not yet shipped.
fn order_json(identity: &Identity, order: &PlacedOrder) -> Value {
    let cart = &order.snapshot;
    let lines: Vec<Value> = cart["lineItems"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|line| {
            json!({
                "id": line["id"], "productName": line["productName"],
                "catalogReference": line["catalogReference"], "quantity": line["quantity"],
                "descriptionLines": line["descriptionLines"], "image": line["image"],
                "price": line["price"], "priceBeforeDiscounts": line["priceBeforeDiscounts"],
                "totalPriceBeforeTax": line["lineItemPrice"], "totalPriceAfterTax": line["lineItemPrice"],
                "itemType": {"preset": "PHYSICAL"},
            })
        })
        .collect();
    let zero = json!({"amount": "0", "formattedAmount": format!("{}0.00", symbol_of(cart))});
    let buyer = match identity.kind {
        IdentityKind::Member => json!({"memberId": identity.id, "contactId": identity.id}),
        IdentityKind::Visitor => json!({"visitorId": identity.id}),
    };
    json!({
        "id": order.id,
        "number": order.number.to_string(),
        "createdDate": order.placed_at,
        "updatedDate": order.placed_at,
        "lineItems": lines,
        "buyerInfo": buyer,
        "status": "APPROVED",
        "paymentStatus": "PAID",
        "fulfillmentStatus": "NOT_FULFILLED",
        "archived": false,
        "currency": cart["currency"],
        "priceSummary": {
            "subtotal": cart["subtotal"],
            "shipping": zero,
            "tax": zero,
            "discount": cart["discount"],
            "total": cart["subtotalAfterDiscounts"],
        },
        "checkoutId": cart["checkoutId"],
        "cartId": cart["id"],
        "activities": [{"createdDate": order.placed_at, "type": "ORDER_PLACED"}],
    })
}

/// The currency symbol the cart's amounts were formatted with (`$27.00` → `$`).
fn symbol_of(cart: &Value) -> String {
    cart["subtotal"]["formattedAmount"]
        .as_str()
        .unwrap_or("$")
        .chars()
        .take_while(|c| !c.is_ascii_digit())
        .collect()
}
