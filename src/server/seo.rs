//! `robots.txt` and the sitemap (an index, a part for pages and categories, and a part that
//! pages through the whole catalog with Wix's cursors).

use axum::{extract::State, http::header, response::IntoResponse, routing::get, Router};
use wix_headless::catalog::{ProductQuery, ProductSearch};

use super::{
    catalog::{categories_with, walk_catalog},
    catalog_cache::cached,
    session::Session,
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/robots.txt", get(robots))
        .route("/sitemap.xml", get(index))
        .route("/sitemap-pages.xml", get(pages))
        .route("/sitemap-products.xml", get(products))
}

/// Search, filtered and sorted listings, the cart, account pages and the API stay out of the index.
async fn robots(State(state): State<AppState>) -> impl IntoResponse {
    let body = format!(
        "User-agent: *\nDisallow: /search\nDisallow: /cart\nDisallow: /thank-you\nDisallow: /account\nDisallow: /auth/\nDisallow: /api/\nDisallow: /*?\n\nSitemap: {}/sitemap.xml\n",
        state.config.public_url
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body)
}

fn xml(body: String) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        body,
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

fn urlset(urls: impl Iterator<Item = String>) -> String {
    let entries: String = urls
        .map(|u| format!("<url><loc>{}</loc></url>", escape(&u)))
        .collect();
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">{entries}</urlset>")
}

async fn index(State(state): State<AppState>) -> impl IntoResponse {
    let base = &state.config.public_url;
    xml(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
         <sitemap><loc>{base}/sitemap-pages.xml</loc></sitemap><sitemap><loc>{base}/sitemap-products.xml</loc></sitemap></sitemapindex>"
    ))
}

async fn pages(State(state): State<AppState>) -> impl IntoResponse {
    let base = state.config.public_url.clone();
    let categories = categories_with(&state, &Session::anonymous())
        .await
        .unwrap_or_default();
    let urls = std::iter::once(format!("{base}/")).chain(
        categories
            .into_iter()
            .map(|c| format!("{base}/category/{}", c.slug)),
    );
    xml(urlset(urls))
}

/// Every product, 100 per Wix call, following the cursors to the end: at most 50,000 URLs, the
/// sitemap protocol's limit per file. Built once per catalog TTL (concurrent requests share the
/// walk), so crawlers hammering it cost Wix nothing more.
async fn products(State(state): State<AppState>) -> impl IntoResponse {
    const MAX_PAGES: usize = 500;
    let built = cached(&state.catalog_cache.sitemaps, "products".into(), async {
        let base = state.config.public_url.clone();
        let mut slugs = Vec::new();
        let first = ProductSearch::first(ProductQuery::new(), 100);
        let walked = walk_catalog(&state, first, MAX_PAGES, |page| {
            slugs.extend(page.products.into_iter().map(|p| p.slug))
        })
        .await;
        let body = urlset(
            slugs
                .into_iter()
                .map(|slug| format!("{base}/product/{slug}")),
        );
        match walked {
            Ok(()) => Ok(body),
            // A sitemap of what could be read beats none, but it is not kept.
            Err(error) => Err(PartialSitemap(body, error)),
        }
    })
    .await;
    match built {
        Ok(body) => xml(body),
        Err(PartialSitemap(body, error)) => {
            tracing::warn!(%error, "sitemap cut short");
            xml(body)
        }
    }
}

/// What was read of the catalog before a failure ended the walk.
#[derive(Clone)]
struct PartialSitemap(String, wix_headless::WixError);
