//! The benchmark ceiling (`BENCH_CEILING=1` only): the same server answering identical bytes
//! from memory, so page rates can be reported as a fraction of what the machine can serve.

use std::sync::{Arc, RwLock};

use axum::{
    body::Bytes, extract::State, http::header, response::IntoResponse, routing::get, Router,
};

#[derive(Clone, Default)]
pub struct Ceiling(Arc<RwLock<Bytes>>);

/// `GET /_bench/static` answers the stored bytes as HTML; `PUT` replaces them.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    let ceiling = Ceiling::default();
    Router::new()
        .route("/_bench/static", get(serve).put(store))
        .with_state(ceiling)
}

async fn serve(State(ceiling): State<Ceiling>) -> impl IntoResponse {
    let body = ceiling.0.read().map(|b| b.clone()).unwrap_or_default();
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body)
}

async fn store(State(ceiling): State<Ceiling>, body: Bytes) -> &'static str {
    if let Ok(mut slot) = ceiling.0.write() {
        *slot = body;
    }
    "stored"
}
