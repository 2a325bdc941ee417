//! Stores Catalog V3 (wix-api.md §4, §9.1): searching, counting and reading products, and the
//! store's categories. Requests are typed ([`ProductQuery`], [`ProductSearch`]); answers are the
//! domain types of [`product`]; the wire shapes stay private to this module.

mod categories;
mod product;
mod search;
mod wire;

use reqwest::Method;
use serde::{Deserialize, Serialize};

pub use categories::Category;
pub(crate) use categories::FilterMemory;
pub use product::{
    Availability, Breadcrumb, Choice, InfoSection, PriceSummary, Product, ProductOption, Variant,
    VariantPrice,
};
pub use search::{
    ProductQuery, ProductSearch, ProductSort, FACET_FIELDS, LIST_FIELDS, MAX_PAGE_SIZE,
    MAX_TEXT_CHARS, PRODUCT_PAGE_FIELDS,
};

use crate::{client::WixClient, error::WixError};

/// One page of products and where the next one starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductPage {
    pub products: Vec<Product>,
    /// `None` on the last page (Wix's `hasNext` false or no cursor).
    pub next_cursor: Option<String>,
    pub prev_cursor: Option<String>,
}

impl WixClient {
    fn product_page(&self, list: wire::ProductList) -> ProductPage {
        let media = &self.config().media_base_url;
        let paging = list.paging_metadata;
        ProductPage {
            products: list
                .products
                .into_iter()
                .map(|p| Product::from_wire(p, media))
                .collect(),
            next_cursor: paging
                .cursors
                .next
                .filter(|c| !c.is_empty() && paging.has_next != Some(false)),
            prev_cursor: paging.cursors.prev.filter(|c| !c.is_empty()),
        }
    }

    /// `POST /stores/v3/products/search` (§9.1).
    pub async fn search_products(
        &self,
        access_token: &str,
        search: &ProductSearch,
    ) -> Result<ProductPage, WixError> {
        let list: wire::ProductList = self
            .read(
                Method::POST,
                "/stores/v3/products/search",
                Some(access_token),
                Some(&search.body()),
            )
            .await?;
        Ok(self.product_page(list))
    }

    /// `POST /stores/v3/products/count` with the filter of `query` only: free text plays no
    /// part, as in Wix's own storefront (§9.1), so callers should not present it as the total
    /// of a text search.
    pub async fn count_products(
        &self,
        access_token: &str,
        query: &ProductQuery,
    ) -> Result<u64, WixError> {
        #[derive(Deserialize)]
        struct Count {
            count: u64,
        }
        let count: Count = self
            .read(
                Method::POST,
                "/stores/v3/products/count",
                Some(access_token),
                Some(&search::count_body(query)),
            )
            .await?;
        Ok(count.count)
    }

    /// `GET /stores/v3/products/slug/{slug}` with the product page's fields; `Ok(None)` for an
    /// unknown slug.
    pub async fn product_by_slug(
        &self,
        access_token: &str,
        slug: &str,
    ) -> Result<Option<Product>, WixError> {
        if is_dot_segment(slug) {
            return Ok(None);
        }
        let mut path = format!("/stores/v3/products/slug/{}", encode_path_segment(slug));
        for (i, field) in PRODUCT_PAGE_FIELDS.iter().enumerate() {
            path.push(if i == 0 { '?' } else { '&' });
            path.push_str("fields=");
            path.push_str(field);
        }
        match self
            .read::<(), wire::ProductEnvelope>(Method::GET, &path, Some(access_token), None)
            .await
        {
            Ok(envelope) => Ok(Some(Product::from_wire(
                envelope.product,
                &self.config().media_base_url,
            ))),
            Err(WixError::NotFound { .. }) => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// `POST /stores/v3/products/query` by id (at most 100), as Wix's client reads cart line
    /// images (§9.2). Unknown ids are simply absent.
    pub async fn products_by_ids(
        &self,
        access_token: &str,
        ids: &[&str],
    ) -> Result<Vec<Product>, WixError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let ids = &ids[..ids.len().min(MAX_PAGE_SIZE as usize)];
        let list: wire::ProductList = self
            .read(
                Method::POST,
                "/stores/v3/products/query",
                Some(access_token),
                Some(&search::by_ids_body(ids)),
            )
            .await?;
        Ok(self.product_page(list).products)
    }
}

/// `.` and `..` would be resolved away by URL parsing (even percent-encoded): no slug is one.
pub(crate) fn is_dot_segment(segment: &str) -> bool {
    segment.is_empty() || segment.bytes().all(|b| b == b'.')
}

/// Percent-encodes everything but unreserved characters, so a slug cannot change the path.
pub(crate) fn encode_path_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_cannot_escape_their_path_segment() {
        assert_eq!(encode_path_segment("linen-tee"), "linen-tee");
        assert_eq!(
            encode_path_segment("../../oauth2?x=1"),
            "..%2F..%2Foauth2%3Fx%3D1"
        );
    }
}
