//! Response headers for OFFICIAL-SENSITIVE content: nothing cached, sniffed,
//! framed or leaked through the referrer.

use axum::http::{header, HeaderName, HeaderValue};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

/// Adds the headers every response carries (a handler's own value wins).
pub fn with_headers(router: Router) -> Router {
    let set = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    router
        // Plan content must not sit in shared or browser caches.
        .layer(set(header::CACHE_CONTROL, "no-store"))
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        // Nothing of a plan's address reaches another site. Not
        // `no-referrer`: under it Chromium sends `Origin: null` with the
        // app's own form posts, which the origin rule must then refuse.
        .layer(set(header::REFERRER_POLICY, "same-origin"))
        // No other site may frame a plan (clickjacking).
        .layer(set(header::X_FRAME_OPTIONS, "DENY"))
}
