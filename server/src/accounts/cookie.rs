//! The session cookie: its name, how it is set and cleared, and how a
//! request's token is read from it.

use super::SessionToken;
use axum::http::header::COOKIE;
use axum::http::HeaderMap;

/// The session cookie's name over plain HTTP (development, tests).
pub const COOKIE_NAME: &str = "pillars_session";
/// Its name over TLS: the browser then refuses it unless it was set by
/// this very host over https, with `Path=/` and no `Domain`, so a sibling
/// subdomain cannot plant or overwrite it.
pub const SECURE_COOKIE_NAME: &str = "__Host-pillars_session";

/// The session cookie as this server sets it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SessionCookie {
    /// Served over https: `Secure` and the `__Host-` name.
    pub secure: bool,
}

impl SessionCookie {
    pub fn name(self) -> &'static str {
        if self.secure {
            SECURE_COOKIE_NAME
        } else {
            COOKIE_NAME
        }
    }

    /// A `Set-Cookie` value holding `value` for `max_age_secs`.
    pub fn set(self, value: &str, max_age_secs: u64) -> String {
        let secure = if self.secure { "; Secure" } else { "" };
        format!(
            "{}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{secure}",
            self.name()
        )
    }

    /// A `Set-Cookie` value that clears it.
    pub fn clear(self) -> String {
        self.set("", 0)
    }

    /// The session token among a request's cookies, if any.
    pub fn token(self, headers: &HeaderMap) -> Option<SessionToken> {
        token_in(headers, self.name())
    }
}

/// The value of the cookie `name`, as a session token.
fn token_in(headers: &HeaderMap, name: &str) -> Option<SessionToken> {
    cookie_value(headers, name).map(SessionToken)
}

/// The value of the cookie `name` among a request's cookies.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(cookie, _)| *cookie == name)
        .map(|(_, value)| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_token_is_found_among_other_cookies() {
        let mut headers = HeaderMap::new();
        headers.append(COOKIE, "theme=dark; pillars_session=abc123".parse().unwrap());
        assert_eq!(token_in(&headers, COOKIE_NAME), Some(SessionToken("abc123".into())));
        assert_eq!(token_in(&headers, SECURE_COOKIE_NAME), None);
        assert_eq!(token_in(&HeaderMap::new(), COOKIE_NAME), None);
    }

    #[test]
    fn over_https_the_cookie_is_host_only_and_secure() {
        let cookie = SessionCookie { secure: true }.set("t", 60);
        assert!(cookie.starts_with("__Host-pillars_session=t; Path=/; HttpOnly; SameSite=Strict"));
        assert!(cookie.ends_with("; Secure"));
        assert!(!SessionCookie::default().set("t", 60).contains("Secure"));
    }
}
