//! A strict Content-Security-Policy on every response. Scripts run only
//! from this site (the WASM bundle's loader and its split modules) or with
//! the response's own nonce (Leptos' inline hydration scripts), so a script
//! injected into a page does not run even where escaping was missed.

use super::WebPolicy;
use axum::extract::{Request, State};
use axum::http::header::CONTENT_SECURITY_POLICY;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine as _;
use rand::RngCore as _;
use std::sync::Arc;

/// This response's nonce, put on the request for the page renderer (which
/// gives it to Leptos) and written into the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CspNonce(pub String);

impl CspNonce {
    /// 128 random bits.
    pub fn new() -> CspNonce {
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        CspNonce(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
    }
}

impl Default for CspNonce {
    fn default() -> Self {
        Self::new()
    }
}

/// The policy for a response carrying `nonce`.
pub fn policy(web: &WebPolicy, nonce: &CspNonce) -> String {
    format!(
        "default-src 'self'; \
         script-src 'self' 'wasm-unsafe-eval' 'nonce-{nonce}'; \
         style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; \
         connect-src {connect}; \
         object-src 'none'; \
         base-uri 'none'; \
         frame-ancestors 'none'; \
         form-action 'self'",
        nonce = nonce.0,
        connect = web.connect_src(),
    )
}

/// Gives the request a nonce and its response the policy (a handler's own
/// policy wins).
pub async fn content_security_policy(State(web): State<Arc<WebPolicy>>, mut request: Request, next: Next) -> Response {
    let nonce = CspNonce::new();
    request.extensions_mut().insert(nonce.clone());
    let mut response = next.run(request).await;
    if !response.headers().contains_key(CONTENT_SECURITY_POLICY) {
        // A nonce is URL-safe base64 and origins are checked at start, so
        // the value is always a valid header.
        if let Ok(value) = HeaderValue::from_str(&policy(&web, &nonce)) {
            response.headers_mut().insert(CONTENT_SECURITY_POLICY, value);
        }
    }
    response
}

/// Hands the request's nonce to Leptos, which puts it on the inline
/// scripts it writes (hydration, resources). Called in the page
/// renderer's context, after Leptos gave the request one of its own.
pub fn provide_to_page() {
    use leptos::prelude::{provide_context, use_context};
    let nonce = use_context::<axum::http::request::Parts>().and_then(|p| p.extensions.get::<CspNonce>().cloned());
    if let Some(nonce) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_allows_this_site_the_nonce_and_the_websocket_only() {
        let web = WebPolicy::new(&[], "127.0.0.1:4000".parse().unwrap());
        let nonce = CspNonce("abc".into());
        let csp = policy(&web, &nonce);
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval' 'nonce-abc';"),
            "{csp}"
        );
        assert!(
            csp.contains("connect-src 'self' ws://127.0.0.1:4000 ws://localhost:4000;"),
            "{csp}"
        );
        for directive in [
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'",
        ] {
            assert!(csp.contains(directive), "{directive} in {csp}");
        }
        assert!(!csp.contains("unsafe-eval'") || csp.contains("'wasm-unsafe-eval'"));
        assert!(!csp.contains("script-src 'self' 'unsafe-inline'"));
    }

    #[test]
    fn every_nonce_is_new() {
        assert_ne!(CspNonce::new(), CspNonce::new());
        assert_eq!(CspNonce::new().0.len(), 22);
    }
}
