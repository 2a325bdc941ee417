//! In-process caches of catalog answers read with the server-wide anonymous token: the public
//! catalog, the same for every visitor. Nothing read with a shopper's own token is kept here.

use std::{sync::Arc, time::Duration};

use moka::future::Cache;
use serde::Serialize;
use wix_headless::catalog::{Category, Product, ProductPage};

use super::catalog::Facets;

pub struct CatalogCache {
    pub searches: Cache<String, ProductPage>,
    pub products: Cache<String, Option<Product>>,
    pub by_ids: Cache<String, Vec<Product>>,
    pub categories: Cache<String, Vec<Category>>,
    pub category_slugs: Cache<String, Option<Category>>,
    pub counts: Cache<String, u64>,
    pub facets: Cache<String, Facets>,
    /// Built sitemap documents.
    pub sitemaps: Cache<String, String>,
}

impl CatalogCache {
    /// Entries live `ttl`; each cache holds about `max_bytes` of serialised JSON.
    pub fn new(ttl: Duration, max_bytes: u64) -> Self {
        Self {
            searches: bounded("searches", ttl, max_bytes),
            products: bounded("products", ttl, max_bytes),
            by_ids: bounded("products_by_id", ttl, max_bytes),
            categories: bounded("categories", ttl, max_bytes),
            category_slugs: bounded("category_slugs", ttl, max_bytes),
            counts: bounded("counts", ttl, max_bytes),
            facets: bounded("facets", ttl, max_bytes),
            sitemaps: bounded("sitemaps", ttl, max_bytes),
        }
    }
}

fn bounded<V: Serialize + Clone + Send + Sync + 'static>(
    name: &str,
    ttl: Duration,
    max_bytes: u64,
) -> Cache<String, V> {
    Cache::builder()
        .name(name)
        .time_to_live(ttl)
        .max_capacity(max_bytes)
        .weigher(|key: &String, value: &V| {
            let size = key.len() + serde_json::to_vec(value).map(|v| v.len()).unwrap_or(1024);
            u32::try_from(size).unwrap_or(u32::MAX)
        })
        .build()
}

/// Looks `key` up, or fills it with `fetch`; concurrent misses of one key share one fetch.
/// Hits and misses are counted per cache.
pub async fn cached<V, E, Fut>(cache: &Cache<String, V>, key: String, fetch: Fut) -> Result<V, E>
where
    V: Clone + Send + Sync + 'static,
    E: Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<V, E>>,
{
    let entry = cache
        .entry(key)
        .or_try_insert_with(fetch)
        .await
        .map_err(|error: Arc<E>| (*error).clone())?;
    let result = if entry.is_fresh() { "miss" } else { "hit" };
    let name = cache.name().unwrap_or("unnamed").to_owned();
    metrics::counter!("storefront_cache_requests_total", "cache" => name, "result" => result)
        .increment(1);
    Ok(entry.into_value())
}
