//! Which client address a request comes from, for the per-address limits of `db::throttle`.
//!
//! The address is the socket peer's (the server is started with `ConnectInfo`). Only when that
//! peer is one of the configured trusted proxies (`TRELLIS_TRUSTED_PROXIES`) is
//! `X-Forwarded-For` read: from the right, skipping trusted proxies, the first address is the
//! client's (the entries to its left were written by the client and prove nothing). Without
//! trusted proxies the header is ignored, so a client cannot choose its own address.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::HeaderMap;

use crate::app::state::AppState;

/// The client's address, as text (`203.0.113.7`, `2001:db8::1`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddress(pub String);

impl ClientAddress {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The client address of a request from `peer` with `headers`, trusting `X-Forwarded-For`
/// only from `trusted` proxies.
pub fn client_address(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpAddr]) -> String {
    let Some(peer) = peer.map(canonical) else {
        // Served without ConnectInfo (not by `serve`): every request shares one key.
        return "unknown".into();
    };
    if !trusted.contains(&peer) {
        return peer.to_string();
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|part| part.trim().parse::<IpAddr>().ok())
        .map(canonical)
        .collect();
    forwarded
        .into_iter()
        .rev()
        .find(|ip| !trusted.contains(ip))
        .unwrap_or(peer)
        .to_string()
}

/// An IPv4 address mapped into IPv6 is the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(ClientAddress(client_address(
            peer,
            &parts.headers,
            &state.config.trusted_proxies,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", xff.parse().unwrap());
        h
    }

    #[test]
    fn forwarded_for_counts_only_behind_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let peer = Some(proxy);
        let h = headers("1.1.1.1, 203.0.113.7");
        assert_eq!(client_address(peer, &h, &[]), "10.0.0.2");
        assert_eq!(client_address(peer, &h, &[proxy]), "203.0.113.7");
        let chain = headers("6.6.6.6, 203.0.113.7, 10.0.0.3");
        let trusted = [proxy, "10.0.0.3".parse().unwrap()];
        assert_eq!(client_address(peer, &chain, &trusted), "203.0.113.7");
        assert_eq!(
            client_address(peer, &HeaderMap::new(), &[proxy]),
            "10.0.0.2"
        );
        assert_eq!(client_address(None, &h, &[proxy]), "unknown");
        let mapped: IpAddr = "::ffff:192.0.2.1".parse().unwrap();
        assert_eq!(client_address(Some(mapped), &h, &[]), "192.0.2.1");
    }
}
