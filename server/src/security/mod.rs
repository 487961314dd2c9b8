//! The web layer's defences, below every route: the headers every response
//! carries, a Content-Security-Policy with a fresh nonce per response
//! ([`csp`]), and the origin and body rules every state-changing request
//! must meet ([`origin`]). What they allow is one [`WebPolicy`], made from
//! the configured public origins.

pub mod csp;
pub mod headers;
pub mod origin;

use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;

/// Where the app is reached from, and what follows from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebPolicy {
    /// Origins (`scheme://host[:port]`, lower case) whose pages may change
    /// anything and open websockets.
    origins: Vec<String>,
    /// The session cookie is `Secure` (and `__Host-` prefixed): a
    /// configured origin is https, or it was asked for.
    secure_cookies: bool,
    /// The CSP's `connect-src` sources: this site and its websocket origins.
    connect_src: String,
}

impl WebPolicy {
    /// The configured public origins and the listen address itself (a page
    /// served from it is this server's own), with `localhost` beside a
    /// loopback address.
    pub fn new(configured: &[PublicOrigin], listening: SocketAddr) -> WebPolicy {
        let mut origins: Vec<String> = configured.iter().map(|o| o.0.clone()).collect();
        let https = origins.iter().any(|o| o.starts_with("https://"));
        if configured.is_empty() && listening.ip().is_unspecified() {
            tracing::warn!(
                %listening,
                "listening on every interface with no PILLARS_PUBLIC_ORIGIN: browsers reaching this node by any other name are refused"
            );
        }
        origins.push(format!("http://{listening}"));
        if listening.ip().is_loopback() {
            origins.push(format!("http://localhost:{}", listening.port()));
        }
        origins.dedup();
        let sockets = origins.iter().map(|o| match o.strip_prefix("https://") {
            Some(rest) => format!("wss://{rest}"),
            None => format!("ws://{}", o.trim_start_matches("http://")),
        });
        let connect_src = std::iter::once("'self'".to_string())
            .chain(sockets)
            .collect::<Vec<_>>()
            .join(" ");
        WebPolicy {
            origins,
            secure_cookies: https,
            connect_src,
        }
    }

    /// Marks the session cookie `Secure` even without an https origin
    /// (`PILLARS_SECURE_COOKIES`).
    pub fn with_secure_cookies(mut self, asked: bool) -> WebPolicy {
        self.secure_cookies |= asked;
        self
    }

    /// The origin browsers reach Pillars at: the first configured, else the
    /// listen address's.
    pub fn primary_origin(&self) -> &str {
        &self.origins[0]
    }

    /// Whether `origin` (an `Origin` header's value) is one of ours.
    pub fn allows(&self, origin: &str) -> bool {
        let origin = origin.trim().trim_end_matches('/').to_ascii_lowercase();
        self.origins.iter().any(|o| *o == origin)
    }

    /// Whether the session cookie is `Secure` and `__Host-` prefixed:
    /// over https, or when asked for.
    pub fn secure_cookies(&self) -> bool {
        self.secure_cookies
    }

    /// The CSP's `connect-src`: this site and the websocket origins
    /// matching the public ones (`wss://` for `https://`).
    pub fn connect_src(&self) -> &str {
        &self.connect_src
    }
}

/// One public origin, as configured (`PILLARS_PUBLIC_ORIGIN`): a scheme
/// (http or https), a host and an optional port; no path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicOrigin(String);

impl std::str::FromStr for PublicOrigin {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim().trim_end_matches('/').to_ascii_lowercase();
        let rest = text
            .strip_prefix("https://")
            .or_else(|| text.strip_prefix("http://"))
            .ok_or_else(|| format!("{text:?}: a public origin starts with https:// or http://"))?;
        let host_ok = !rest.is_empty()
            && rest
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
        if !host_ok {
            return Err(format!(
                "{text:?}: a public origin is a scheme, a host and a port, with no path"
            ));
        }
        Ok(PublicOrigin(text))
    }
}

/// Adds the headers, the CSP and the origin rules to every route.
pub fn protect(router: Router, policy: WebPolicy) -> Router {
    let policy = Arc::new(policy);
    headers::with_headers(
        router
            .layer(axum::middleware::from_fn_with_state(
                policy.clone(),
                origin::same_origin_only,
            ))
            .layer(axum::middleware::from_fn_with_state(
                policy,
                csp::content_security_policy,
            )),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(text: &str) -> SocketAddr {
        text.parse().unwrap()
    }

    #[test]
    fn without_configuration_the_listen_address_is_the_origin() {
        let policy = WebPolicy::new(&[], addr("127.0.0.1:3000"));
        assert!(policy.allows("http://127.0.0.1:3000"));
        assert!(policy.allows("http://localhost:3000"));
        assert!(!policy.allows("http://127.0.0.1:3001"));
        assert!(!policy.allows("https://127.0.0.1:3000"));
        assert!(!policy.allows("null"));
        assert!(!policy.secure_cookies());
        assert!(policy.with_secure_cookies(true).secure_cookies());
    }

    #[test]
    fn configured_origins_join_the_listen_address() {
        let origin: PublicOrigin = "https://Pillars.Force.Police.UK/".parse().unwrap();
        let policy = WebPolicy::new(&[origin], addr("10.0.0.5:3000"));
        assert!(policy.allows("https://pillars.force.police.uk"));
        assert!(policy.allows("http://10.0.0.5:3000"));
        assert!(!policy.allows("http://localhost:3000"));
        assert!(!policy.allows("https://evil.pillars.force.police.uk"));
        assert!(!policy.allows("http://pillars.force.police.uk"));
        assert!(policy.secure_cookies());
        assert_eq!(
            policy.connect_src(),
            "'self' wss://pillars.force.police.uk ws://10.0.0.5:3000"
        );
    }

    #[test]
    fn a_public_origin_has_a_scheme_and_no_path() {
        assert!("pillars.example".parse::<PublicOrigin>().is_err());
        assert!("https://pillars.example/app".parse::<PublicOrigin>().is_err());
        assert!("ftp://pillars.example".parse::<PublicOrigin>().is_err());
        assert!("http://127.0.0.1:8080".parse::<PublicOrigin>().is_ok());
    }
}
