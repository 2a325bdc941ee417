//! The HTML shell and the routes. Pages render on the server only; the interactive parts are
//! islands (`#[island]`), and every navigation is a page load (served from the page cache when
//! it can be).

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    ParamSegment, SsrMode, StaticSegment,
};

use crate::{
    brand::STORE_NAME,
    components::{cart_drawer::CartDrawer, cart_state::CartProvider, header::Header},
    pages::{
        account::{AccountPage, OrderPage, SignInProblemPage},
        cart::CartPage,
        home::HomePage,
        not_found::NotFound,
        product::ProductPage,
        search::SearchPage,
        thank_you::ThankYouPage,
    },
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                // Hashed file names when cargo-leptos hashed them (`hash-files`): cached for a year.
                <HashedStylesheet id="leptos" options=options.clone()/>
                // Before the app: it switches server rendering to islands mode.
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title text=STORE_NAME/>
        <Router>
            <CartProvider>
                <a class="skip-link" href="#main">"Skip to content"</a>
                <Header/>
                <main id="main">
                    // Async SSR: the whole page (and any token renewal it caused) is settled
                    // before the first byte, so the session cookie always rides on this response.
                    <Routes fallback=NotFound>
                        <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async/>
                        <Route
                            path=(StaticSegment("category"), ParamSegment("slug"))
                            view=SearchPage
                            ssr=SsrMode::Async
                        />
                        <Route path=StaticSegment("search") view=SearchPage ssr=SsrMode::Async/>
                        <Route
                            path=(StaticSegment("product"), ParamSegment("slug"))
                            view=ProductPage
                            ssr=SsrMode::Async
                        />
                        <Route path=StaticSegment("cart") view=CartPage ssr=SsrMode::Async/>
                        <Route path=StaticSegment("thank-you") view=ThankYouPage ssr=SsrMode::Async/>
                        <Route path=StaticSegment("account") view=AccountPage ssr=SsrMode::Async/>
                        <Route
                            path=(StaticSegment("account"), StaticSegment("sign-in"))
                            view=SignInProblemPage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=(StaticSegment("account"), StaticSegment("orders"), ParamSegment("id"))
                            view=OrderPage
                            ssr=SsrMode::Async
                        />
                    </Routes>
                </main>
                <CartDrawer/>
                <footer class="site-footer">
                    <p>{STORE_NAME} " · a Wix Headless storefront in Rust"</p>
                </footer>
            </CartProvider>
        </Router>
    }
}
