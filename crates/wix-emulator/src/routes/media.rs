//! Product images for the demo catalog, served the way Wix's media host serves files
//! (wix-api.md §9.1): `/media/<file>` is the original, and
//! `/media/<file>/v1/fill/w_<W>,h_<H>,al_c,q_<Q>/<file>` a copy cropped to fill W×H. Any other
//! hand-built form is refused with a 403, as Wix's reference client warns. Images are generated
//! SVG, cached like a CDN's.

use axum::{
    extract::{Path, RawQuery, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};

use super::query_values;
use crate::state::AppState;

/// Largest resized copy served.
const MAX_SIDE: u32 = 4000;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/media/{file}", get(original))
        .route("/media/{file}/v1/{mode}/{spec}/{name}", get(resized))
}

async fn original(
    State(state): State<AppState>,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    svg(&state, &file, query.as_deref(), 800, 800)
}

async fn resized(
    State(state): State<AppState>,
    Path((file, mode, spec, name)): Path<(String, String, String, String)>,
) -> Response {
    match fill_size(&mode, &spec).filter(|_| name == file) {
        Some((width, height)) => svg(&state, &file, None, width, height),
        None => (
            StatusCode::FORBIDDEN,
            "Forbidden: not a media URL form this host serves",
        )
            .into_response(),
    }
}

/// `fill` + `w_<W>,h_<H>,al_c,q_<Q>`: the one resizing form (§9.1).
fn fill_size(mode: &str, spec: &str) -> Option<(u32, u32)> {
    if mode != "fill" {
        return None;
    }
    let parts: Vec<&str> = spec.split(',').collect();
    let [w, h, "al_c", q] = parts.as_slice() else {
        return None;
    };
    let number = |text: &str, prefix: &str| -> Option<u32> {
        text.strip_prefix(prefix)?
            .parse()
            .ok()
            .filter(|n| (1..=MAX_SIDE).contains(n))
    };
    number(q, "q_").filter(|q| *q <= 100)?;
    Some((number(w, "w_")?, number(h, "h_")?))
}

fn svg(state: &AppState, file: &str, query: Option<&str>, width: u32, height: u32) -> Response {
    // The demo's rendering parameters come with the original URL, or from the catalog.
    let query = query
        .filter(|q| !q.is_empty())
        .or_else(|| state.catalog.media_query(file));
    let hue: u32 = query_values(query, "hue")
        .first()
        .and_then(|h| h.parse().ok())
        .unwrap_or_else(|| file.bytes().map(u32::from).sum::<u32>())
        % 360;
    let label = query_values(query, "label")
        .first()
        .cloned()
        .unwrap_or_default();
    let label = escape(&label.chars().take(40).collect::<String>());
    let body = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 800 800" preserveAspectRatio="xMidYMid slice"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl({hue},55%,72%)"/><stop offset="1" stop-color="hsl({h2},50%,45%)"/></linearGradient></defs><rect width="800" height="800" fill="url(#g)"/><circle cx="400" cy="360" r="170" fill="hsl({hue},40%,92%)" opacity=".55"/><text x="400" y="680" font-family="sans-serif" font-size="44" text-anchor="middle" fill="#1b1b1b">{label}</text></svg>"##,
        h2 = (hue + 40) % 360
    );
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        body,
    )
        .into_response()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::fill_size;

    #[test]
    fn only_the_fill_form_is_served() {
        assert_eq!(fill_size("fill", "w_800,h_600,al_c,q_90"), Some((800, 600)));
        assert_eq!(fill_size("fit", "w_800,h_600,al_c,q_90"), None);
        assert_eq!(fill_size("fill", "w_800,h_600,q_90"), None);
        assert_eq!(fill_size("fill", "w_0,h_600,al_c,q_90"), None);
        assert_eq!(fill_size("fill", "w_99999,h_600,al_c,q_90"), None);
        assert_eq!(fill_size("fill", "w_800,h_600,al_c,q_101"), None);
    }
}
