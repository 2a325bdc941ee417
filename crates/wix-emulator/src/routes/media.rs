//! Product images for the demo catalog: generated SVG, served with long-lived caching like a CDN.

use axum::{
    extract::{Path, RawQuery},
    http::header,
    response::IntoResponse,
    routing::get,
    Router,
};

use super::query_values;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/media/{file}", get(image))
}

async fn image(Path(file): Path<String>, RawQuery(query): RawQuery) -> impl IntoResponse {
    let hue: u32 = query_values(query.as_deref(), "hue")
        .first()
        .and_then(|h| h.parse().ok())
        .unwrap_or_else(|| file.bytes().map(u32::from).sum::<u32>())
        % 360;
    let label = query_values(query.as_deref(), "label")
        .first()
        .cloned()
        .unwrap_or_default();
    let label = escape(&label.chars().take(40).collect::<String>());
    let svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="800" height="800" viewBox="0 0 800 800"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl({hue},55%,72%)"/><stop offset="1" stop-color="hsl({h2},50%,45%)"/></linearGradient></defs><rect width="800" height="800" fill="url(#g)"/><circle cx="400" cy="360" r="170" fill="hsl({hue},40%,92%)" opacity=".55"/><text x="400" y="680" font-family="sans-serif" font-size="44" text-anchor="middle" fill="#1b1b1b">{label}</text></svg>"##,
        h2 = (hue + 40) % 360
    );
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        svg,
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
