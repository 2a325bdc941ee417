//! The canonical URL of a page, absolute as search engines require.

use leptos::prelude::*;
use leptos_meta::{Link, Meta};

/// The origin shoppers use (`PUBLIC_URL`), provided by the server to every page.
#[derive(Clone, Debug)]
pub struct PublicOrigin(pub String);

/// `<link rel="canonical">` and `og:url` for `path`, under the public origin. Rendered on the
/// server only (pages are not islands).
#[component]
pub fn Canonical(#[prop(into)] path: String) -> impl IntoView {
    let origin = use_context::<PublicOrigin>()
        .map(|PublicOrigin(origin)| origin)
        .unwrap_or_default();
    let href = format!("{origin}{path}");
    view! {
        <Link rel="canonical" href=href.clone()/>
        <Meta property="og:url" content=href/>
    }
}
