//! `/pkg/*`: the WASM bundle, its JavaScript glue and the stylesheet, served
//! from the built site's pkg dir (`{site_root}/{site_pkg_dir}`).
//!
//! - **Pre-compressed.** When a `.br` or `.gz` file lies next to the one
//!   asked for (`cargo leptos build --release --precompress` writes both;
//!   `scripts/dev release` does this), it is sent instead, as the client's
//!   `Accept-Encoding` allows, with `Vary: Accept-Encoding`. A debug build
//!   has none, and the plain file is sent.
//! - **Cached for a year when the name says what is in it.** With
//!   `LEPTOS_HASH_FILES=true` at build time cargo-leptos renames each file
//!   `{stem}.{hash}.{ext}` (the hash: 22 characters, base64url of its MD5),
//!   so a name never names other contents: such files are `public,
//!   max-age=31536000, immutable`. Every other file is `no-cache` (the
//!   browser keeps it but asks, getting `304 Not Modified` while it is
//!   unchanged), and a miss is `no-store`.
//!
//! These files are the same for everyone and public (the log-in page needs
//! them): none of the plan content that must never be cached
//! ([`crate::security`]) is here.

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use leptos::prelude::LeptosOptions;
use std::path::{Path, PathBuf};
use tower_http::services::ServeDir;

/// `Cache-Control` of a file whose name carries its content hash.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` of any other file: keep it, but revalidate before use.
pub const REVALIDATE: &str = "no-cache";

/// Serves `/{site_pkg_dir}/*` from the site's pkg dir.
pub fn router<S>(options: &LeptosOptions) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let files = ServeDir::new(pkg_dir(options)).precompressed_br().precompressed_gzip();
    let route = format!("/{}", options.site_pkg_dir.trim_matches('/'));
    Router::new()
        .nest_service(&route, files)
        .layer(middleware::from_fn(cache_policy))
}

fn pkg_dir(options: &LeptosOptions) -> PathBuf {
    Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref())
}

async fn cache_policy(request: Request, next: Next) -> Response {
    let hashed = is_hashed(request.uri().path());
    let mut response = next.run(request).await;
    let status = response.status();
    let value = if !(status.is_success() || status == StatusCode::NOT_MODIFIED) {
        "no-store"
    } else if hashed {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    // The same URL answers br, gzip or plain bytes: caches must key on it.
    headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}

/// Whether the last segment of `path` is a name cargo-leptos gave a file
/// when hashing: `{stem}.{hash}.{ext}`, the hash 22 characters of base64url
/// (the unhashed placeholder, all underscores, is not one).
pub fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let mut parts = name.rsplitn(3, '.');
    let (Some(ext), Some(hash), Some(stem)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !ext.is_empty()
        && !stem.is_empty()
        && hash.len() == 22
        && hash
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && !hash.bytes().all(|b| b == b'_')
}

/// The WASM file the pages will ask for, named as leptos' `HydrationScripts`
/// names it: with the hash from the hash file next to the running binary
/// when `hash_files` is on.
pub fn wasm_file(options: &LeptosOptions) -> Result<PathBuf, String> {
    let mut name = options.output_name.to_string();
    if options.hash_files {
        let hash_file = std::env::current_exe()
            .map_err(|e| format!("cannot locate the running binary: {e}"))?
            .with_file_name(options.hash_file.as_ref());
        let hashes = std::fs::read_to_string(&hash_file).map_err(|e| {
            format!(
                "LEPTOS_HASH_FILES is on but {} cannot be read ({e}): copy the hash.txt \
                 `cargo leptos build --release` wrote next to the binary",
                hash_file.display()
            )
        })?;
        let hash = hashes
            .lines()
            .find_map(|l| l.trim().strip_prefix("wasm:").map(str::trim))
            .ok_or_else(|| format!("{} names no wasm file", hash_file.display()))?;
        name = format!("{name}.{hash}");
    } else if option_env!("LEPTOS_OUTPUT_NAME").is_none() {
        name.push_str("_bg");
    }
    Ok(pkg_dir(options).join(format!("{name}.wasm")))
}

/// Says (as an error) when the pages would ask for a WASM file the site does
/// not have, so that a page that never becomes interactive has a reason in
/// the log: a wrong `LEPTOS_SITE_ROOT`, or `LEPTOS_HASH_FILES` not matching
/// how the site was built.
pub fn check_site(options: &LeptosOptions) -> Result<(), String> {
    let wasm = wasm_file(options)?;
    if wasm.is_file() {
        return Ok(());
    }
    Err(format!(
        "the pages load {} but there is no such file: is LEPTOS_SITE_ROOT (or --site-root) the \
         built site, and LEPTOS_HASH_FILES set as it was at build time?",
        wasm.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_with_a_content_hash_are_hashed() {
        for hashed in [
            "/pkg/pillars.hL2b5n0tB6sQ4mN1x-_zAw.wasm",
            "/pkg/pillars.hL2b5n0tB6sQ4mN1x-_zAw.js",
            "pillars.AAAAAAAAAAAAAAAAAAAAAA.css",
        ] {
            assert!(is_hashed(hashed), "{hashed}");
        }
        for plain in [
            "/pkg/pillars.wasm",
            "/pkg/pillars.js",
            "/pkg/pillars_bg.wasm",
            "/pkg/__wasm_split.______________________.js",
            "/pkg/.hL2b5n0tB6sQ4mN1x-_zAw.js",
            "/pkg/pillars.hL2b5n0tB6sQ4mN1x-_zA.wasm",
            "/pkg/pillars.hL2b5n0tB6sQ4mN1x+/zAw.wasm",
            "/pkg/snippets/app-0123/inline0.js",
        ] {
            assert!(!is_hashed(plain), "{plain}");
        }
    }
}
