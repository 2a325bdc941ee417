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
    wix_storefront::server::run().await
}

#[cfg(not(feature = "ssr"))]
fn main() {
    // The browser entry point is `hydrate()` in lib.rs.
}
