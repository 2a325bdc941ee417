//! The storefront's server: configuration, the embedded Wix emulator and the router live in
//! `wix_storefront::server`.

#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    wix_storefront::server::run().await
}

#[cfg(not(feature = "ssr"))]
fn main() {
    // The browser entry point is `hydrate()` in lib.rs.
}
