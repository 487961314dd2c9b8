//! The client address failed log-ins are counted by: the connection's peer,
//! or, behind a proxy the server is configured to trust, the address that
//! proxy saw.

use axum::http::HeaderMap;
use std::net::{IpAddr, SocketAddr};

/// The address a request came from. With `trust_forwarded_for`, the last
/// entry of `X-Forwarded-For`: the hop the trusted proxy appended, the one
/// address in the header a client cannot choose (entries before it are
/// whatever the client sent). Without it, or when the header holds no
/// address, the connection's peer.
pub fn client_address(peer: Option<SocketAddr>, headers: &HeaderMap, trust_forwarded_for: bool) -> Option<IpAddr> {
    let forwarded = trust_forwarded_for
        .then(|| {
            let last_line = headers.get_all("x-forwarded-for").iter().next_back()?;
            let last_hop = last_line.to_str().ok()?.rsplit(',').next()?.trim();
            parse_hop(last_hop)
        })
        .flatten();
    forwarded.or(peer.map(|p| p.ip()))
}

/// An address as proxies write it: bare, or with a port (`[v6]:port`,
/// `v4:port`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(lines: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for line in lines {
            headers.append("x-forwarded-for", line.parse().unwrap());
        }
        headers
    }

    #[test]
    fn the_peer_unless_a_trusted_proxy_says_otherwise() {
        let peer: SocketAddr = "10.0.0.5:40000".parse().unwrap();
        let spoofed = headers(&["203.0.113.9"]);
        assert_eq!(
            client_address(Some(peer), &spoofed, false),
            Some(peer.ip()),
            "not trusted"
        );
        assert_eq!(client_address(None, &spoofed, false), None);
        assert_eq!(
            client_address(Some(peer), &spoofed, true),
            Some("203.0.113.9".parse().unwrap())
        );
        assert_eq!(client_address(Some(peer), &HeaderMap::new(), true), Some(peer.ip()));
        assert_eq!(
            client_address(Some(peer), &headers(&["not an address"]), true),
            Some(peer.ip())
        );
    }

    #[test]
    fn behind_a_proxy_the_hop_it_appended_counts_not_what_the_client_wrote() {
        let peer: SocketAddr = "10.0.0.5:40000".parse().unwrap();
        let cases: [(&[&str], &str); 4] = [
            (&["1.2.3.4, 198.51.100.7"], "198.51.100.7"),
            (&["1.2.3.4", "198.51.100.7"], "198.51.100.7"),
            (&["[2001:db8::1]:5000"], "2001:db8::1"),
            (&["198.51.100.7:5000"], "198.51.100.7"),
        ];
        for (forwarded, expected) in cases {
            let found = client_address(Some(peer), &headers(forwarded), true);
            assert_eq!(found, Some(expected.parse().unwrap()), "{forwarded:?}");
        }
    }
}
