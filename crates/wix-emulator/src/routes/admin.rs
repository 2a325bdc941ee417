//! `/_emulator/*`: counters and run-time settings for tests and benchmarks. Off unless enabled.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    routing::{get, post},
    Json, Router,
};
use serde_json::{json, Value};

use crate::state::{AppState, Settings};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/_emulator/counters", get(counters).delete(reset_counters))
        .route("/_emulator/settings", get(settings).put(put_settings))
        .route("/_emulator/settings/reset", post(reset_settings))
        .route("/_emulator/orders/{order_id}", get(order))
}

async fn counters(State(state): State<AppState>) -> Json<Value> {
    Json(json!({"counters": state.counters()}))
}

async fn reset_counters(State(state): State<AppState>) -> Json<Value> {
    state.reset_counters();
    Json(json!({}))
}

async fn settings(State(state): State<AppState>) -> Json<Settings> {
    Json(state.settings())
}

/// Replaces the settings; fields left out take their defaults.
async fn put_settings(
    State(state): State<AppState>,
    Json(settings): Json<Settings>,
) -> Json<Settings> {
    state.set_settings(settings.clone());
    Json(settings)
}

async fn reset_settings(State(state): State<AppState>) -> Json<Settings> {
    let settings = Settings::default();
    state.set_settings(settings.clone());
    Json(settings)
}

/// An order placed through the hosted checkout, as a snapshot of the cart it was made from.
async fn order(
    State(state): State<AppState>,
    Path(order_id): Path<String>,
) -> Result<Json<Value>, StatusCode> {
    match state.store.order_snapshot(&order_id) {
        Ok(Some(snapshot)) => Ok(Json(json!({"order": {"id": order_id, "cart": snapshot}}))),
        Ok(None) => Err(StatusCode::NOT_FOUND),
        Err(_) => Err(StatusCode::INTERNAL_SERVER_ERROR),
    }
}
