//! A plan's websocket address, with the session cookie and the `Origin`
//! a page of the app would present there.

/// A websocket address with the session cookie to present there.
#[derive(Debug, Clone)]
pub struct WsTarget {
    pub url: String,
    pub cookie: Option<String>,
}

/// `ws://host:port/...` → `http://host:port` (and `wss` → `https`).
pub fn ws_origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split('/').next()?;
    let scheme = if scheme == "wss" { "https" } else { "http" };
    Some(format!("{scheme}://{host}"))
}

impl tokio_tungstenite::tungstenite::client::IntoClientRequest for &WsTarget {
    fn into_client_request(
        self,
    ) -> tokio_tungstenite::tungstenite::Result<tokio_tungstenite::tungstenite::handshake::client::Request> {
        let mut request = self.url.as_str().into_client_request()?;
        if let Some(cookie) = self.cookie.as_deref().and_then(|c| c.parse().ok()) {
            request.headers_mut().insert("cookie", cookie);
        }
        // A browser sends its page's origin: the websocket's own host.
        if let Some(origin) = ws_origin(&self.url).and_then(|o| o.parse().ok()) {
            request.headers_mut().insert("origin", origin);
        }
        Ok(request)
    }
}

impl tokio_tungstenite::tungstenite::client::IntoClientRequest for WsTarget {
    fn into_client_request(
        self,
    ) -> tokio_tungstenite::tungstenite::Result<tokio_tungstenite::tungstenite::handshake::client::Request> {
        (&self).into_client_request()
    }
}
