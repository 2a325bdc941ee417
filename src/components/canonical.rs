//! The canonical URL of a page, absolute as search engines require.

use leptos::prelude::*;
use leptos_meta::{Link, Meta};

/// `<link rel="canonical">` and `og:url` for `path`: on the server under the public origin
/// (`PUBLIC_URL`), in the browser under the page's own origin (the same in production).
#[component]
pub fn Canonical(#[prop(into)] path: String) -> impl IntoView {
    let href = format!("{}{path}", public_origin());
    view! {
        <Link rel="canonical" href=href.clone()/>
        <Meta property="og:url" content=href/>
    }
}

fn public_origin() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<crate::server::state::AppState>()
            .map(|state| state.config.public_url.clone())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        window().location().origin().unwrap_or_default()
    }
}
