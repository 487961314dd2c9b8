//! Requests that change anything, and every websocket, must come from our
//! own pages: judged by `Origin`, else by `Sec-Fetch-Site`, else refused.
//! `SameSite=Strict` alone does not cover a sibling subdomain or another
//! port on the same host, and a websocket is not covered by it at all.
//! REST bodies must also say they are JSON, so a cross-site `text/plain`
//! form post can never be read as one.

use super::WebPolicy;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::sync::Arc;

/// Why a request was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("requests that change anything must come from Pillars' own pages (origin {0:?} is not allowed)")]
    ForeignOrigin(String),
    #[error("requests that change anything must come from Pillars' own pages (this one came from a {0} page)")]
    CrossSite(String),
    #[error("requests that change anything must say where they come from (send an Origin header)")]
    Unattributed,
    #[error("send the body as JSON (Content-Type: application/json)")]
    NotJson,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let status = match self {
            Refusal::NotJson => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            _ => StatusCode::FORBIDDEN,
        };
        tracing::warn!(refusal = %self, "request refused by the origin rules");
        (status, Json(serde_json::json!({ "error": self.to_string() }))).into_response()
    }
}

/// Whether a request changes state (or opens a websocket, which can).
fn needs_origin(method: &Method, headers: &HeaderMap) -> bool {
    let safe = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    !safe || is_websocket(headers)
}

fn is_websocket(headers: &HeaderMap) -> bool {
    headers
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
}

fn has_body(headers: &HeaderMap) -> bool {
    let length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    length.is_some_and(|n| n > 0) || headers.contains_key(header::TRANSFER_ENCODING)
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}

/// An identity provider posts logout tokens here from its own server: no
/// Origin, no cookie; the token's signature is checked instead.
pub const SIGNED_BY_PROVIDER: &str = "/auth/oidc/backchannel-logout";

/// The rules for one request.
pub fn judge(policy: &WebPolicy, method: &Method, path: &str, headers: &HeaderMap) -> Result<(), Refusal> {
    if !needs_origin(method, headers) || path == SIGNED_BY_PROVIDER {
        return Ok(());
    }
    match headers.get(header::ORIGIN).map(|v| v.to_str().unwrap_or("(not text)")) {
        Some(origin) if policy.allows(origin) => {}
        Some(origin) => return Err(Refusal::ForeignOrigin(origin.to_string())),
        None => match headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
            Some("same-origin") => {}
            Some(site) => return Err(Refusal::CrossSite(site.to_string())),
            None => return Err(Refusal::Unattributed),
        },
    }
    // Server functions take form-encoded arguments (forms post without
    // JavaScript); the rest of the API takes JSON only.
    let rest = path.starts_with("/api/") && !path.starts_with("/api/fn/");
    if rest && has_body(headers) && !is_json(headers) {
        return Err(Refusal::NotJson);
    }
    Ok(())
}

/// Refuses requests that break [`judge`]'s rules before any handler runs.
pub async fn same_origin_only(State(policy): State<Arc<WebPolicy>>, request: Request, next: Next) -> Response {
    match judge(&policy, request.method(), request.uri().path(), request.headers()) {
        Ok(()) => next.run(request).await,
        Err(refusal) => refusal.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> WebPolicy {
        WebPolicy::new(&[], "127.0.0.1:3000".parse().unwrap())
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    const OURS: (&str, &str) = ("origin", "http://127.0.0.1:3000");
    const JSON: (&str, &str) = ("content-type", "application/json");
    const BODY: (&str, &str) = ("content-length", "12");

    #[test]
    fn reading_needs_no_origin() {
        assert_eq!(judge(&policy(), &Method::GET, "/api/plans", &headers(&[])), Ok(()));
        let foreign = headers(&[("origin", "https://evil.example")]);
        assert_eq!(judge(&policy(), &Method::GET, "/plans/x", &foreign), Ok(()));
    }

    #[test]
    fn changes_come_from_our_origin_only() {
        let post = |h: &[(&'static str, &'static str)]| judge(&policy(), &Method::POST, "/api/plans", &headers(h));
        assert_eq!(post(&[OURS, JSON, BODY]), Ok(()));
        for origin in ["https://evil.example", "http://127.0.0.1:3001", "null"] {
            let refused = post(&[("origin", origin), JSON, BODY]);
            assert!(
                matches!(refused, Err(Refusal::ForeignOrigin(_))),
                "{origin}: {refused:?}"
            );
        }
        assert_eq!(post(&[JSON, BODY]), Err(Refusal::Unattributed));
        assert_eq!(post(&[("sec-fetch-site", "same-origin"), JSON, BODY]), Ok(()));
        for site in ["same-site", "cross-site"] {
            let refused = post(&[("sec-fetch-site", site), JSON, BODY]);
            assert!(matches!(refused, Err(Refusal::CrossSite(_))), "{site}: {refused:?}");
        }
        // Origin wins over Sec-Fetch-Site.
        assert!(matches!(
            post(&[
                ("origin", "https://evil.example"),
                ("sec-fetch-site", "same-origin"),
                JSON,
                BODY
            ]),
            Err(Refusal::ForeignOrigin(_))
        ));
    }

    #[test]
    fn websockets_come_from_our_origin_only() {
        let upgrade = ("upgrade", "websocket");
        let ws = |h: &[(&'static str, &'static str)]| judge(&policy(), &Method::GET, "/ws/plans/x", &headers(h));
        assert_eq!(ws(&[upgrade, OURS]), Ok(()));
        assert!(matches!(
            ws(&[upgrade, ("origin", "https://evil.example")]),
            Err(Refusal::ForeignOrigin(_))
        ));
        assert_eq!(ws(&[upgrade]), Err(Refusal::Unattributed));
    }

    #[test]
    fn rest_bodies_are_json_and_server_functions_take_forms() {
        let post = |path, h: &[(&'static str, &'static str)]| judge(&policy(), &Method::POST, path, &headers(h));
        assert_eq!(
            post("/api/plans", &[OURS, ("content-type", "text/plain"), BODY]),
            Err(Refusal::NotJson)
        );
        assert_eq!(post("/api/plans", &[OURS, BODY]), Err(Refusal::NotJson));
        assert_eq!(
            post(
                "/api/plans",
                &[OURS, ("content-type", "application/json; charset=utf-8"), BODY]
            ),
            Ok(())
        );
        let form = ("content-type", "application/x-www-form-urlencoded");
        assert_eq!(post("/api/fn/create_plan", &[OURS, form, BODY]), Ok(()));
        // Nothing to read: no type needed (e.g. DELETE /api/session).
        assert_eq!(
            judge(&policy(), &Method::DELETE, "/api/session", &headers(&[OURS])),
            Ok(())
        );
    }
}
