//! Stores Catalog V3 products (wix-api.md §4): query, search, count, get by id or slug,
//! query variants, plus the categories the demo catalog files its products under.

use axum::{
    body::Bytes,
    extract::{Path, RawQuery, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use serde::{de::DeserializeOwned, Deserialize};
use serde_json::{json, Value};

use super::query_values;
use crate::{
    catalog::{product_view, RequestedFields, Variants},
    error::{ApiError, ApiResult},
    identity::Caller,
    search::{self, CursorSearch, FreeText, Kind},
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/stores/v3/products/query", post(query_post).get(query_get))
        .route(
            "/stores/v3/products/search",
            post(search_post).get(search_get),
        )
        .route("/stores/v3/products/count", post(count))
        .route("/stores/v3/products/query-variants", post(query_variants))
        .route("/stores/v3/products/slug/{slug}", get(by_slug))
        .route("/stores/v3/products/{product_id}", get(by_id))
        .route(
            "/stores/v3/all-products-category",
            get(all_products_category),
        )
        .route("/categories/v1/categories/query", post(categories))
        .route(
            "/categories/v1/categories/slug/{slug}",
            get(category_by_slug),
        )
}

/// Parses a JSON body into `T`, answering malformed input with a Wix validation error.
pub(crate) fn parse_body<T: DeserializeOwned>(body: &Bytes) -> ApiResult<T> {
    let text: &[u8] = if body.is_empty() { b"{}" } else { body };
    serde_json::from_slice(text).map_err(|e| ApiError::validation("body", e.to_string()))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct QueryBody {
    #[serde(default)]
    query: CursorSearch,
    #[serde(default)]
    fields: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct SearchBody {
    #[serde(default)]
    search: CursorSearch,
    #[serde(default)]
    fields: Vec<String>,
}

/// The SDK's GET form: the whole payload as `.r=<base64url(JSON)>` (§1.4), or `fields=` only.
fn body_from_query(query: Option<&str>) -> ApiResult<Bytes> {
    match query_values(query, ".r").first() {
        Some(encoded) => URL_SAFE_NO_PAD
            .decode(encoded.trim_end_matches('='))
            .map(Bytes::from)
            .map_err(|_| ApiError::validation(".r", "is not base64url JSON")),
        None => {
            let fields = query_values(query, "fields");
            Ok(Bytes::from(json!({"fields": fields}).to_string()))
        }
    }
}

/// Query and Search answers depend only on the request body and the (immutable) catalog, so
/// serialised answers are kept: the emulator must never be the bottleneck of a benchmark.
fn page_response(state: &AppState, kind: Kind, body: &Bytes) -> ApiResult<Response> {
    let key = format!("{kind:?}:{}", String::from_utf8_lossy(body));
    if let Some(bytes) = state.cached_response(&key) {
        return Ok(json_bytes(bytes));
    }
    let (request, fields) = match kind {
        Kind::Query => {
            let body: QueryBody = parse_body(body)?;
            (body.query, body.fields)
        }
        Kind::Search => {
            let body: SearchBody = parse_body(body)?;
            (body.search, body.fields)
        }
    };
    let fields = RequestedFields::parse(fields)?;
    let page = search::run(kind, request, state.catalog.visible())?;
    let products: Vec<Value> = page
        .items
        .iter()
        .map(|p| product_view(p, &fields, Variants::Omit))
        .collect();
    let bytes = Bytes::from(
        serde_json::to_vec(&json!({"products": products, "pagingMetadata": page.paging_metadata}))
            .map_err(|e| ApiError::internal(e.to_string()))?,
    );
    state.cache_response(key, bytes.clone());
    Ok(json_bytes(bytes))
}

fn json_bytes(bytes: Bytes) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], bytes).into_response()
}

async fn query_post(
    State(state): State<AppState>,
    _caller: Caller,
    body: Bytes,
) -> ApiResult<Response> {
    page_response(&state, Kind::Query, &body)
}

async fn query_get(
    State(state): State<AppState>,
    _caller: Caller,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    page_response(&state, Kind::Query, &body_from_query(query.as_deref())?)
}

async fn search_post(
    State(state): State<AppState>,
    _caller: Caller,
    body: Bytes,
) -> ApiResult<Response> {
    page_response(&state, Kind::Search, &body)
}

async fn search_get(
    State(state): State<AppState>,
    _caller: Caller,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    page_response(&state, Kind::Search, &body_from_query(query.as_deref())?)
}

#[derive(Deserialize, Default)]
struct CountBody {
    #[serde(default)]
    filter: Option<Value>,
    #[serde(default)]
    search: Option<FreeText>,
}

async fn count(
    State(state): State<AppState>,
    _caller: Caller,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body: CountBody = parse_body(&body)?;
    let count = search::count(body.filter, body.search, state.catalog.visible())?;
    Ok(Json(json!({"count": count})))
}

fn product_not_found() -> ApiError {
    // UNCONFIRMED code (§4.3): the status 404 is observed; the code is our choice.
    ApiError::application(
        StatusCode::NOT_FOUND,
        "PRODUCT_NOT_FOUND",
        "Product not found",
    )
}

async fn by_id(
    State(state): State<AppState>,
    _caller: Caller,
    Path(product_id): Path<String>,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<Value>> {
    let product = state
        .catalog
        .by_id(&product_id)
        .ok_or_else(product_not_found)?;
    let fields = RequestedFields::parse(query_values(query.as_deref(), "fields"))?;
    Ok(Json(
        json!({"product": product_view(product, &fields, Variants::Include)}),
    ))
}

async fn by_slug(
    State(state): State<AppState>,
    _caller: Caller,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<Value>> {
    let fields = RequestedFields::parse(query_values(query.as_deref(), "fields"))?;
    let product = state.catalog.by_slug(&slug).ok_or_else(product_not_found)?;
    Ok(Json(
        json!({"product": product_view(product, &fields, Variants::Include)}),
    ))
}

/// Query Variants (§4.3): the guaranteed path to a product's variants, one entry per variant.
async fn query_variants(
    State(state): State<AppState>,
    _caller: Caller,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body: QueryBody = parse_body(&body)?;
    let fields = RequestedFields::parse(body.fields)?;
    let mut variants = Vec::new();
    for product in state.catalog.visible() {
        let view = product_view(product, &fields, Variants::Include);
        for variant in view
            .pointer("/variantsInfo/variants")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let mut entry = variant.clone();
            entry["variantId"] = variant["id"].clone();
            entry["productData"] = json!({"productId": product["id"], "name": product["name"],
                                          "slug": product["slug"], "visible": product["visible"]});
            variants.push(entry);
        }
    }
    let request = body.query;
    let filter = request.filter.clone();
    let matching: Vec<Value> = variants
        .into_iter()
        .filter(|v| {
            filter
                .as_ref()
                .is_none_or(|f| search::matches(f, v).unwrap_or(false))
        })
        .collect();
    let limit = request
        .cursor_paging
        .as_ref()
        .and_then(|p| p.limit)
        .unwrap_or(100)
        .clamp(1, 1000) as usize;
    let has_next = matching.len() > limit;
    let page: Vec<Value> = matching.into_iter().take(limit).collect();
    Ok(Json(json!({"variants": page, "pagingMetadata": {
        "count": page.len(), "cursors": {"next": null, "prev": null}, "hasNext": has_next}})))
}

/// The categories query (§9.1, §9.7). Wix's reference clients disagree on its filter (none,
/// `visible`, `name $exists`), so each of their forms is accepted; fields the API does not
/// declare, and operators it does not know, are refused. Pages of up to 100 follow cursors.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct CategoriesBody {
    #[serde(default)]
    query: CategoriesQuery,
    #[serde(default)]
    tree_reference: Option<TreeReference>,
    #[serde(default)]
    fields: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct CategoriesQuery {
    #[serde(default)]
    filter: Option<Value>,
    #[serde(default)]
    cursor_paging: Option<search::CursorPaging>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TreeReference {
    #[serde(default)]
    app_namespace: Option<String>,
}

const CATEGORY_FILTERABLE: &[&str] = &["id", "name", "slug", "visible", "parentCategory.id"];
const CATEGORY_FIELDS: &[&str] = &["DESCRIPTION", "BREADCRUMBS_INFO"];

fn category_view(category: &Value, fields: &[String]) -> Value {
    let mut view = category.clone();
    if let Some(map) = view.as_object_mut() {
        if !fields.iter().any(|f| f == "DESCRIPTION") {
            map.remove("description");
        }
    }
    view
}

fn tree_of(reference: Option<&TreeReference>) -> ApiResult<()> {
    match reference.and_then(|r| r.app_namespace.as_deref()) {
        Some("@wix/stores") => Ok(()),
        Some(other) => Err(ApiError::validation(
            "treeReference.appNamespace",
            format!("unknown app namespace '{other}'"),
        )),
        None => Err(ApiError::validation(
            "treeReference.appNamespace",
            "is required",
        )),
    }
}

async fn categories(
    State(state): State<AppState>,
    _caller: Caller,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body: CategoriesBody = parse_body(&body)?;
    tree_of(body.tree_reference.as_ref())?;
    if let Some(unknown) = body
        .fields
        .iter()
        .find(|f| !CATEGORY_FIELDS.contains(&f.as_str()))
    {
        return Err(ApiError::validation(
            "fields",
            format!("unknown requested field '{unknown}'"),
        ));
    }
    let paging = body.query.cursor_paging.unwrap_or_default();
    let limit = match paging.limit {
        None => 100,
        Some(n) if (1..=1000).contains(&n) => n as usize,
        Some(_) => {
            return Err(ApiError::validation(
                "query.cursorPaging.limit",
                "must be between 1 and 1000",
            ))
        }
    };
    // A cursor is the filter and offset of the page before (opaque to clients).
    let (filter, offset) = match paging.cursor.as_deref().filter(|c| !c.is_empty()) {
        Some(cursor) => URL_SAFE_NO_PAD
            .decode(cursor)
            .ok()
            .and_then(|b| serde_json::from_slice::<(Option<Value>, usize)>(&b).ok())
            .ok_or_else(|| {
                ApiError::validation("query.cursorPaging.cursor", "is not a valid cursor")
            })?,
        None => (body.query.filter, 0),
    };
    if let Some(filter) = &filter {
        search::validate_filter_fields(filter, CATEGORY_FILTERABLE, "query.filter")?;
    }
    let mut matching = Vec::new();
    for category in state.catalog.categories() {
        // Visitors see visible categories only.
        if category.get("visible").and_then(Value::as_bool) == Some(false) {
            continue;
        }
        if match &filter {
            Some(filter) => search::matches(filter, category)?,
            None => true,
        } {
            matching.push(category_view(category, &body.fields));
        }
    }
    let total = matching.len();
    let end = offset.saturating_add(limit).min(total);
    let page: Vec<Value> = matching.into_iter().skip(offset).take(limit).collect();
    let next = (end < total)
        .then(|| URL_SAFE_NO_PAD.encode(serde_json::to_vec(&(filter, end)).unwrap_or_default()));
    Ok(Json(json!({"categories": page, "pagingMetadata": {
        "count": page.len(), "cursors": {"next": next, "prev": null}, "hasNext": end < total}})))
}

/// `GET /categories/v1/categories/slug/{slug}?treeReference.appNamespace=@wix/stores` (§9.1):
/// `{"category"}`; unknown or hidden is a 404.
async fn category_by_slug(
    State(state): State<AppState>,
    _caller: Caller,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<Value>> {
    let namespace = query_values(query.as_deref(), "treeReference.appNamespace");
    tree_of(
        namespace
            .first()
            .map(|n| TreeReference {
                app_namespace: Some(n.clone()),
            })
            .as_ref(),
    )?;
    let fields = query_values(query.as_deref(), "fields");
    let category = state.catalog.category_by_slug(&slug).ok_or_else(|| {
        ApiError::application(
            StatusCode::NOT_FOUND,
            "CATEGORY_NOT_FOUND",
            "Category not found",
        )
    })?;
    Ok(Json(json!({"category": category_view(category, &fields)})))
}

/// `GET /stores/v3/all-products-category` (§9.1): the id of the system category.
async fn all_products_category(
    State(state): State<AppState>,
    _caller: Caller,
) -> ApiResult<Json<Value>> {
    let id = state
        .catalog
        .all_products_category()
        .and_then(|c| c.get("id"))
        .cloned()
        .ok_or_else(|| {
            ApiError::application(
                StatusCode::NOT_FOUND,
                "CATEGORY_NOT_FOUND",
                "No all-products category",
            )
        })?;
    Ok(Json(json!({"categoryId": id})))
}
