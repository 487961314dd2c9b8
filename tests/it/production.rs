//! What the production set-up relies on: `/pkg/*` served pre-compressed,
//! cached for a year only under hashed names, and `/healthz` saying whether
//! the database answers.

use integration_tests::{spawn_app, spawn_app_with, Fetch};
use reqwest::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, IF_MODIFIED_SINCE, LAST_MODIFIED, VARY,
};
use std::path::Path;

const HASHED: &str = "pillars.hL2b5n0tB6sQ4mN1x-_zAw.wasm";

/// A built site as `cargo leptos build --release --precompress` with hashed
/// names leaves it (the bytes stand in for the real ones), plus a stylesheet
/// under its plain name with no compressed copies, as a debug build has.
fn release_like_site() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    let write = |name: &str, bytes: &[u8]| std::fs::write(pkg.join(name), bytes).unwrap();
    write(HASHED, b"\0asm plain");
    write(&format!("{HASHED}.br"), b"brotli bytes");
    write(&format!("{HASHED}.gz"), b"gzip bytes");
    write("pillars.css", b"body { margin: 0 }");
    site
}

async fn get(app: &integration_tests::TestApp, path: &str, encodings: Option<&str>) -> reqwest::Response {
    let mut request = app.anonymous().get(app.url(path));
    if let Some(encodings) = encodings {
        request = request.header(ACCEPT_ENCODING, encodings);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn hashed_files_are_sent_precompressed_and_cached_for_a_year() {
    let site = release_like_site();
    let root = site.path().to_path_buf();
    let app = spawn_app_with(|c| c.site_root = Some(root)).await;
    let path = format!("/pkg/{HASHED}");
    for (accepts, encoding, body) in [
        (Some("gzip, deflate, br"), Some("br"), "brotli bytes"),
        (Some("gzip"), Some("gzip"), "gzip bytes"),
        (None, None, "\0asm plain"),
    ] {
        let response = get(&app, &path, accepts).await;
        assert_eq!(response.status(), 200, "{accepts:?}");
        let h = response.headers().clone();
        assert_eq!(h[CACHE_CONTROL], "public, max-age=31536000, immutable");
        assert_eq!(h[CONTENT_TYPE], "application/wasm", "streaming compilation needs it");
        assert_eq!(h.get(CONTENT_ENCODING).map(|v| v.to_str().unwrap()), encoding);
        assert!(
            h.get_all(VARY)
                .iter()
                .any(|v| v.to_str().unwrap().contains("accept-encoding")),
            "{h:?}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(response.text().await.unwrap(), body, "{accepts:?}");
    }
}

#[tokio::test]
async fn other_files_are_revalidated_and_misses_not_cached() {
    let site = release_like_site();
    let root = site.path().to_path_buf();
    let app = spawn_app_with(|c| c.site_root = Some(root)).await;

    // No compressed copies (a debug build): the file itself, whatever is accepted.
    let response = get(&app, "/pkg/pillars.css", Some("br, gzip")).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()[CACHE_CONTROL], "no-cache");
    assert!(response.headers().get(CONTENT_ENCODING).is_none());
    let modified = response.headers()[LAST_MODIFIED].clone();
    assert_eq!(response.text().await.unwrap(), "body { margin: 0 }");

    // Revalidating an unchanged file costs no body.
    let again = app
        .anonymous()
        .get(app.url("/pkg/pillars.css"))
        .header(IF_MODIFIED_SINCE, modified)
        .sent()
        .await;
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()[CACHE_CONTROL], "no-cache");

    let missing = get(&app, "/pkg/pillars.HHHHHHHHHHHHHHHHHHHHHH.js", None).await;
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.headers()[CACHE_CONTROL], "no-store");
}

#[tokio::test]
async fn pages_stay_uncached_beside_cached_assets() {
    let site = release_like_site();
    let root = site.path().to_path_buf();
    let app = spawn_app_with(|c| c.site_root = Some(root)).await;
    let id = app.create_plan("Operation Alder").await;
    for path in ["/".to_string(), format!("/plans/{id}"), "/login".to_string()] {
        let response = app.get(&path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()[CACHE_CONTROL], "no-store", "{path}");
    }
}

#[tokio::test]
async fn the_health_check_fails_when_the_database_does_not_answer() {
    let app = spawn_app().await;
    let response = app.anonymous().get(app.url("/healthz")).sent().await;
    assert_eq!(response.status(), 200, "no session needed");
    assert_eq!(response.text().await.unwrap(), "ok");

    app.pool.close().await;
    let response = app.anonymous().get(app.url("/healthz")).sent().await;
    assert_eq!(response.status(), 503);
}

#[test]
fn the_site_check_names_a_missing_bundle() {
    let site = tempfile::tempdir().unwrap();
    let mut options = leptos_options(site.path());
    let problem = server::routes::assets::check_site(&options).unwrap_err();
    assert!(problem.contains("pillars.wasm"), "{problem}");
    std::fs::create_dir_all(site.path().join("pkg")).unwrap();
    std::fs::write(site.path().join("pkg/pillars.wasm"), b"\0asm").unwrap();
    assert_eq!(server::routes::assets::check_site(&options), Ok(()));

    // Hashed names need the hash file beside the binary; a test binary has none.
    options.hash_files = true;
    options.hash_file = "no-such-hash-file.txt".into();
    let problem = server::routes::assets::check_site(&options).unwrap_err();
    assert!(problem.contains("no-such-hash-file.txt"), "{problem}");
}

fn leptos_options(site_root: &Path) -> leptos::prelude::LeptosOptions {
    leptos::prelude::LeptosOptions::builder()
        .output_name("pillars")
        .site_root(site_root.to_string_lossy().as_ref())
        .build()
}
