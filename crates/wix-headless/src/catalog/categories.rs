//! Store categories (wix-api.md §9.1 "Categories", §9.7): the Stores tree through the
//! Categories API, every page of it, without the auto-created "All Products" category.
//!
//! Wix's reference clients disagree on the query's filter: none (the newest), `visible`
//! ("the visible filter keeps the query non-empty") and `name $exists` ("an empty filter is
//! rejected on the visitor path" and "`visible` is not filterable"). `name $exists` is valid
//! under every reading, so it goes first; should Wix ever refuse it, the next form is tried,
//! the refusal logged, and the form that worked remembered.

use std::sync::atomic::{AtomicUsize, Ordering};

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::{client::WixClient, error::WixError};

/// Pages of 100 categories read at most (Wix's client follows 20).
const MAX_PAGES: usize = 20;
/// The system category every Stores site has (§9.1), by slug when its id is unknown.
const ALL_PRODUCTS_SLUG: &str = "all-products";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub id: String,
    pub name: String,
    pub slug: String,
    /// Plain text, when the merchant wrote one.
    pub description: Option<String>,
}

#[derive(Deserialize)]
struct WireCategory {
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    slug: Option<String>,
    #[serde(default)]
    visible: Option<bool>,
    #[serde(default)]
    description: Option<String>,
}

impl WireCategory {
    /// Hidden or unnamed categories are not the shopper's to see.
    fn into_category(self) -> Option<Category> {
        if self.visible == Some(false) || self.name.trim().is_empty() {
            return None;
        }
        Some(Category {
            id: self.id,
            name: self.name,
            slug: self.slug.filter(|s| !s.is_empty())?,
            description: self.description.filter(|d| !d.trim().is_empty()),
        })
    }
}

/// The filter forms, in the order they are tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CategoryFilter {
    NameExists,
    Visible,
    None,
}

impl CategoryFilter {
    const ORDER: [Self; 3] = [Self::NameExists, Self::Visible, Self::None];

    fn json(self) -> Option<Value> {
        match self {
            Self::NameExists => Some(json!({"name": {"$exists": true}})),
            Self::Visible => Some(json!({"visible": true})),
            Self::None => None,
        }
    }
}

/// The Query Categories body: the first page with the filter, later pages only the cursor.
pub(crate) fn query_body(filter: CategoryFilter, cursor: Option<&str>) -> Value {
    let mut query = json!({"cursorPaging": {"limit": 100}});
    match cursor {
        Some(cursor) => query["cursorPaging"]["cursor"] = json!(cursor),
        None => {
            if let Some(filter) = filter.json() {
                query["filter"] = filter;
            }
        }
    }
    json!({"treeReference": {"appNamespace": "@wix/stores", "treeKey": null}, "query": query})
}

/// Which filter form works with this Wix site (an index into [`CategoryFilter::ORDER`]).
#[derive(Debug, Default)]
pub(crate) struct FilterMemory(AtomicUsize);

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Page {
    #[serde(default)]
    categories: Vec<WireCategory>,
    #[serde(default)]
    paging_metadata: Paging,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Paging {
    #[serde(default)]
    has_next: Option<bool>,
    #[serde(default)]
    cursors: Cursors,
}

#[derive(Deserialize, Default)]
struct Cursors {
    #[serde(default)]
    next: Option<String>,
}

const QUERY_PATH: &str = "/categories/v1/categories/query";

impl WixClient {
    /// The store's visible categories, every page, without the "All Products" category.
    pub async fn categories(&self, access_token: &str) -> Result<Vec<Category>, WixError> {
        let (pages, all_products) = tokio::join!(
            self.category_pages(access_token),
            self.all_products_category_id(access_token)
        );
        Ok(pages?
            .into_iter()
            .filter_map(WireCategory::into_category)
            .filter(|c| match &all_products {
                Some(id) => &c.id != id && c.slug != ALL_PRODUCTS_SLUG,
                None => c.slug != ALL_PRODUCTS_SLUG,
            })
            .collect())
    }

    async fn category_pages(&self, token: &str) -> Result<Vec<WireCategory>, WixError> {
        let memory = &self.category_filter().0;
        let mut form = memory
            .load(Ordering::Relaxed)
            .min(CategoryFilter::ORDER.len() - 1);
        let first: Page = loop {
            let filter = CategoryFilter::ORDER[form];
            let body = query_body(filter, None);
            match self
                .read(Method::POST, QUERY_PATH, Some(token), Some(&body))
                .await
            {
                Err(WixError::Refused {
                    status: 400,
                    ref message,
                    ..
                }) if form + 1 < CategoryFilter::ORDER.len() => {
                    tracing::warn!(?filter, %message, "Wix refused the categories filter; trying the next form");
                    form += 1;
                    memory.store(form, Ordering::Relaxed);
                }
                other => break other?,
            }
        };
        let mut categories = first.categories;
        let mut paging = first.paging_metadata;
        for _ in 1..MAX_PAGES {
            let cursor = match (paging.has_next, paging.cursors.next.take()) {
                (Some(false), _) | (_, None) => break,
                (_, Some(cursor)) => cursor,
            };
            let body = query_body(CategoryFilter::ORDER[form], Some(&cursor));
            let page: Page = self
                .read(Method::POST, QUERY_PATH, Some(token), Some(&body))
                .await?;
            categories.extend(page.categories);
            paging = page.paging_metadata;
        }
        Ok(categories)
    }

    /// `GET /stores/v3/all-products-category`; `None` when it cannot be read (the slug then
    /// identifies the system category, as in Wix's client).
    async fn all_products_category_id(&self, token: &str) -> Option<String> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct AllProducts {
            category_id: Option<String>,
        }
        self.read::<(), AllProducts>(
            Method::GET,
            "/stores/v3/all-products-category",
            Some(token),
            None,
        )
        .await
        .inspect_err(|error| tracing::debug!(%error, "all-products category id unavailable"))
        .ok()
        .and_then(|a| a.category_id)
    }

    /// A visible category by its slug; `Ok(None)` when Wix has none or it is hidden (§9.1).
    pub async fn category_by_slug(
        &self,
        access_token: &str,
        slug: &str,
    ) -> Result<Option<Category>, WixError> {
        #[derive(Deserialize)]
        struct Envelope {
            category: WireCategory,
        }
        if super::is_dot_segment(slug) {
            return Ok(None);
        }
        let path = format!(
            "/categories/v1/categories/slug/{}?treeReference.appNamespace=%40wix%2Fstores",
            super::encode_path_segment(slug)
        );
        match self
            .read::<(), Envelope>(Method::GET, &path, Some(access_token), None)
            .await
        {
            Ok(envelope) => Ok(envelope.category.into_category()),
            Err(WixError::NotFound { .. }) => Ok(None),
            Err(error) => Err(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_page_carries_the_filter_and_later_ones_only_the_cursor() {
        assert_eq!(
            query_body(CategoryFilter::NameExists, None),
            json!({"treeReference": {"appNamespace": "@wix/stores", "treeKey": null},
                   "query": {"filter": {"name": {"$exists": true}}, "cursorPaging": {"limit": 100}}})
        );
        assert_eq!(
            query_body(CategoryFilter::Visible, Some("c2")),
            json!({"treeReference": {"appNamespace": "@wix/stores", "treeKey": null},
                   "query": {"cursorPaging": {"limit": 100, "cursor": "c2"}}})
        );
        assert_eq!(
            query_body(CategoryFilter::None, None)["query"],
            json!({"cursorPaging": {"limit": 100}})
        );
    }

    #[test]
    fn hidden_and_unnamed_categories_are_dropped() {
        let wire = |visible: Option<bool>, name: &str, slug: Option<&str>| WireCategory {
            id: "c".into(),
            name: name.into(),
            slug: slug.map(str::to_owned),
            visible,
            description: Some(" ".into()),
        };
        assert!(wire(Some(false), "Hidden", Some("h"))
            .into_category()
            .is_none());
        assert!(wire(None, "", Some("x")).into_category().is_none());
        assert!(wire(None, "No slug", None).into_category().is_none());
        let shown = wire(None, "Mugs", Some("mugs"))
            .into_category()
            .expect("shown");
        assert_eq!(shown.description, None);
    }
}
