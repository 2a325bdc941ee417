//! The storefront's server: configuration, the embedded Wix emulator and the router live in
//! `wix_storefront::server`.

/// Rendering allocates many small strings on every worker thread at once; glibc's allocator
/// spent a third of the server's time on that (malloc, free and arena locks, seen with `perf`).
#[cfg(feature = "ssr")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    // `wix-storefront healthcheck`: a container's HEALTHCHECK, without curl in the image.
    if std::env::args().nth(1).as_deref() == Some("healthcheck") {
        return wix_storefront::server::ops::healthcheck().await;
    }
    wix_storefront::server::run().await
}

#[cfg(not(feature = "ssr"))]
fn main() {
    // The browser entry point is `hydrate()` in lib.rs.
}
