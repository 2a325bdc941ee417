//! Pages as the server sends them: whole in the first answer, with or without a session.
#![cfg(feature = "ssr")]

mod common;

use common::*;

/// Each page's HTML holds its content before any script runs: nothing left "Loading…" for a
/// streamed chunk that a browser without JavaScript would never apply.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_is_whole_in_its_first_answer() {
    let store = store().await;
    let cookie = store.add_one(None).await.expect("a session");
    let pages = [
        ("/", "Rustic Goods"),
        ("/search?q=notebook", "Canyon Notebook"),
        ("/search?q=notebok", "Canyon Notebook"),
        ("/category/stationery", "Canyon Notebook"),
        ("/product/canyon-notebook", "Canyon Notebook"),
    ];
    for session in [None, Some(cookie.as_str())] {
        for (path, shows) in pages {
            let response = store.page(path, session).await;
            assert_eq!(response.status(), 200, "{path}");
            let html = response.text().await.expect("html");
            assert_whole(&html, path);
            assert!(html.contains(shows), "{path} shows {shows}");
        }
    }
    let (_, cart) = store.text("/cart", Some(&cookie)).await;
    assert_whole(&cart, "/cart");
    assert!(cart.contains("Canyon Notebook"), "the cart lists its line");
}

fn assert_whole(html: &str, path: &str) {
    assert!(
        html.contains("__INCOMPLETE_CHUNKS=[];"),
        "{path}: a part of the page was left to a script"
    );
    assert!(!html.contains("Loading products"), "{path}");
    assert!(!html.contains("class=\"loading\""), "{path}");
}

/// The gallery holds every image, and a page for a chosen colour opens on that colour's image
/// (the demo catalog links each colour to one photo, as Wix's `variant.media`), so a choice
/// shows its image without JavaScript.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_gallery_opens_on_the_chosen_colours_image() {
    let store = store().await;
    let first_slide = |html: &str| {
        let at = html.find("class=\"gallery-slide\"").expect("a slide");
        let tag = &html[html[..at].rfind('<').expect("its tag")..at];
        tag.split("data-image=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .map(str::to_owned)
            .expect("its image position")
    };
    let (_, plain) = store.text("/product/willow-tee", None).await;
    assert_eq!(plain.matches("class=\"gallery-slide\"").count(), 4);
    assert_eq!(
        plain.matches("aria-label=\"Image ").count(),
        4,
        "a thumbnail each"
    );
    assert_eq!(first_slide(&plain), "0");
    for (colour, image) in [("White", "0"), ("Plum", "1")] {
        let (_, html) = store
            .text(&format!("/product/willow-tee?Color={colour}"), None)
            .await;
        assert_eq!(first_slide(&html), image, "{colour}");
        assert_eq!(html.matches("class=\"gallery-slide\"").count(), 4);
    }
}

/// The release writes each bundle file compressed beside itself (`scripts/release.sh`): a browser
/// gets those bytes as they are, whichever it accepts, else the file itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bundle_goes_out_as_the_release_compressed_it() {
    let site = tempfile::tempdir().expect("site dir");
    let pkg = site.path().join("pkg");
    std::fs::create_dir(&pkg).expect("pkg dir");
    for (name, bytes) in [
        ("app.wasm", &b"plain"[..]),
        ("app.wasm.br", b"brotli"),
        ("app.wasm.gz", b"gzip"),
    ] {
        std::fs::write(pkg.join(name), bytes).expect("bundle file");
    }
    let root = site.path().display().to_string();
    let store = store_with(&[("LEPTOS_SITE_ROOT", &root)]).await;
    for (accepts, encoding, body) in [
        ("br, gzip", Some("br"), "brotli"),
        ("gzip", Some("gzip"), "gzip"),
        ("identity", None, "plain"),
    ] {
        let response = store
            .http
            .get(format!("{}/pkg/app.wasm", store.base))
            .header("accept-encoding", accepts)
            .send()
            .await
            .expect("response");
        assert_eq!(response.status(), 200, "{accepts}");
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .map(|v| v.to_str().expect("ascii").to_owned())
        };
        assert_eq!(header("content-encoding").as_deref(), encoding, "{accepts}");
        assert_eq!(header("content-type").as_deref(), Some("application/wasm"));
        assert!(header("cache-control").is_some(), "{accepts}");
        assert_eq!(header("set-cookie"), None, "the bundle needs no session");
        assert_eq!(response.text().await.expect("body"), body, "{accepts}");
    }
    let missing = store.page("/pkg/missing.js", None).await;
    assert_eq!(missing.status(), 404);
    assert!(
        missing.text().await.expect("html").contains("</html>"),
        "a missing file gets the store's page, not an empty answer"
    );
}
