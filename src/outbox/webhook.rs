//! Chat through an incoming webhook: Slack- and Teams-compatible `{"text": ...}`, with the
//! delivery's idempotency key in the `Idempotency-Key` header.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;

use super::Delivery;
use crate::config::Config;

/// True when `url` may be posted to: `https` on port 443 to a host in
/// `TRELLIS_CHAT_WEBHOOK_HOSTS` (`*.example.com` matches any subdomain of example.com), and,
/// when the host is an IP address, a public one. A person's own webhook must pass this, so
/// nobody can make the server post to an internal address; the address a name resolves to is
/// checked again when it is sent ([`client`]).
pub fn host_allowed(url: &str, config: &Config) -> bool {
    let Ok(parsed) = reqwest::Url::parse(url) else {
        return false;
    };
    if !scheme_and_port_allowed(&parsed, config) || !ip_literal_allowed(&parsed, config) {
        return false;
    }
    let Some(host) = parsed.host_str().map(str::to_ascii_lowercase) else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    config.chat_webhook_hosts.iter().any(|pattern| {
        let pattern = pattern.trim().to_ascii_lowercase();
        match pattern.strip_prefix("*.") {
            Some(domain) => host.ends_with(&format!(".{domain}")),
            None => !pattern.is_empty() && host == pattern,
        }
    })
}

/// `https` on 443 only (any scheme and port only with the tests' escape hatch).
fn scheme_and_port_allowed(url: &reqwest::Url, config: &Config) -> bool {
    if config.insecure_webhooks_for_tests {
        return matches!(url.scheme(), "https" | "http");
    }
    url.scheme() == "https" && url.port_or_known_default() == Some(443)
}

/// An IP address written in the URL is never resolved, so it is checked here.
fn ip_literal_allowed(url: &reqwest::Url, config: &Config) -> bool {
    let ip = match url.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip),
        Some(url::Host::Domain(_)) => return true,
        None => return false,
    };
    config.insecure_webhooks_for_tests || is_public(ip)
}

/// The company-wide webhook (`TRELLIS_CHAT_WEBHOOK_URL`) must be https on port 443 too; checked
/// when the server starts.
pub fn check_company_webhook(config: &Config) -> anyhow::Result<()> {
    let Some(url) = config.chat_webhook_url.as_deref() else {
        return Ok(());
    };
    let parsed = reqwest::Url::parse(url)
        .map_err(|e| anyhow::anyhow!("TRELLIS_CHAT_WEBHOOK_URL is not a URL: {e}"))?;
    if !scheme_and_port_allowed(&parsed, config) {
        anyhow::bail!("TRELLIS_CHAT_WEBHOOK_URL must be an https:// address on port 443");
    }
    if !ip_literal_allowed(&parsed, config) {
        anyhow::bail!("TRELLIS_CHAT_WEBHOOK_URL points at a private or local address");
    }
    Ok(())
}

/// True for an address on the public internet: not loopback, private (RFC 1918), link-local,
/// unique-local, shared (CGNAT), multicast, broadcast, unspecified, documentation or otherwise
/// reserved, in IPv4 or IPv6 (IPv4 inside IPv6, mapped, compatible, NAT64 or 6to4, is judged
/// as the IPv4 address it carries).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let n = u32::from(ip);
    let within = |net: u32, bits: u32| (n ^ net) >> (32 - bits) == 0;
    ![
        (0x0000_0000, 8),  // 0.0.0.0/8 "this network", unspecified
        (0x0a00_0000, 8),  // 10/8 private
        (0x6440_0000, 10), // 100.64/10 shared address space (CGNAT)
        (0x7f00_0000, 8),  // 127/8 loopback
        (0xa9fe_0000, 16), // 169.254/16 link-local (cloud metadata)
        (0xac10_0000, 12), // 172.16/12 private
        (0xc000_0000, 24), // 192.0.0/24 IETF protocol assignments
        (0xc000_0200, 24), // 192.0.2/24 documentation
        (0xc058_6300, 24), // 192.88.99/24 6to4 relay
        (0xc0a8_0000, 16), // 192.168/16 private
        (0xc612_0000, 15), // 198.18/15 benchmarking
        (0xc633_6400, 24), // 198.51.100/24 documentation
        (0xcb00_7100, 24), // 203.0.113/24 documentation
        (0xe000_0000, 4),  // 224/4 multicast
        (0xf000_0000, 4),  // 240/4 reserved, and 255.255.255.255 broadcast
    ]
    .iter()
    .any(|&(net, bits)| within(net, bits))
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let n = u128::from(ip);
    let within = |net: u128, bits: u32| (n ^ net) >> (128 - bits) == 0;
    let embedded_v4 = Ipv4Addr::from((n & 0xffff_ffff) as u32);
    if within(0xffff_0000_0000, 96) || within(0, 96) || within(0x0064_ff9b << 96, 96) {
        // ::ffff:a.b.c.d mapped, ::a.b.c.d compatible (and :: and ::1), 64:ff9b::/96 NAT64
        return n > 1 && is_public_v4(embedded_v4);
    }
    if within(0x2002 << 112, 16) {
        // 6to4: the IPv4 address is bits 16..48
        return is_public_v4(Ipv4Addr::from(((n >> 80) & 0xffff_ffff) as u32));
    }
    ![
        (0x0100u128 << 112, 64),     // 100::/64 discard
        (0x2001u128 << 112, 32),     // 2001::/32 Teredo
        (0x2001_0db8u128 << 96, 32), // 2001:db8::/32 documentation
        (0xfc00u128 << 112, 7),      // fc00::/7 unique local
        (0xfe80u128 << 112, 10),     // fe80::/10 link-local
        (0xfec0u128 << 112, 10),     // fec0::/10 site-local (deprecated)
        (0xff00u128 << 112, 8),      // ff00::/8 multicast
    ]
    .iter()
    .any(|&(net, bits)| within(net, bits))
}

/// Resolves names as the system does and keeps only public addresses, so the address checked
/// is the address connected to (no second lookup an attacker's DNS could answer differently).
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let all: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = all.into_iter().filter(|a| is_public(a.ip())).collect();
            if public.is_empty() {
                return Err(format!(
                    "{host} resolves only to private or local addresses; webhooks go to public \
                     addresses only"
                )
                .into());
            }
            Ok(Box::new(public.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// A webhook URL as it may be recorded or shown to anyone but its owner: the host and the
/// last four characters (`hooks.slack.com/…x9Qz`). The path of an incoming webhook is a
/// bearer secret (whoever has it can post as the integration), so the audit trail, which HR
/// and read tokens see, gets this instead. The migration `20261203000200_outbox_secrets`
/// rewrites older audit rows to the same form.
pub fn redacted(url: &str) -> String {
    let host = reqwest::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .unwrap_or_default();
    let tail: String = {
        let mut t: Vec<char> = url.chars().rev().take(4).collect();
        t.reverse();
        t.into_iter().collect()
    };
    format!("{host}/…{tail}")
}

/// The HTTP client for webhooks: no redirects (an allowed host could otherwise send the
/// request on to an internal address), no proxy from the environment, https only, and names
/// resolved to public addresses only. The tests' escape hatch
/// (`Config::insecure_webhooks_for_tests`) allows plain http and loopback.
pub fn client(config: &Config) -> anyhow::Result<reqwest::Client> {
    let builder = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy();
    let builder = if config.insecure_webhooks_for_tests {
        builder
    } else {
        builder.https_only(true).dns_resolver(Arc::new(PublicOnly))
    };
    Ok(builder.build()?)
}

/// The message text: title, body and link.
pub fn text(d: &Delivery, public_url: &str) -> String {
    let mut t = format!("*{}*\n{}", d.subject, d.body_text);
    if let Some(l) = &d.link {
        t.push_str(&format!("\n{}{}", public_url.trim_end_matches('/'), l));
    }
    t
}

/// Post one delivery; any non-2xx answer is a failure (retried later).
pub async fn post(
    http: &reqwest::Client,
    url: &str,
    d: &Delivery,
    public_url: &str,
    config: &Config,
) -> anyhow::Result<()> {
    let parsed = reqwest::Url::parse(url)?;
    if !scheme_and_port_allowed(&parsed, config) || !ip_literal_allowed(&parsed, config) {
        anyhow::bail!("webhooks go to https:// addresses on port 443 of public hosts only");
    }
    let response = http
        .post(url)
        .header("idempotency-key", &d.idempotency_key)
        .json(&json!({ "text": text(d, public_url) }))
        .send()
        .await
        // The error would name the URL, a secret, in `outbox.last_error` and the logs.
        .map_err(reqwest::Error::without_url)?;
    if response.status().is_redirection() {
        anyhow::bail!(
            "the webhook answered {} (a redirect, not followed)",
            response.status()
        );
    }
    if !response.status().is_success() {
        anyhow::bail!("the webhook answered {}", response.status());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(hosts: &[&str]) -> Config {
        let mut config = Config::for_tests();
        config.chat_webhook_hosts = hosts.iter().map(|h| h.to_string()).collect();
        config.insecure_webhooks_for_tests = false;
        config
    }

    #[test]
    fn a_redacted_webhook_keeps_only_its_host_and_last_four_characters() {
        assert_eq!(
            redacted("https://Hooks.Slack.com/services/T000/B000/abcdefghWXYZ"),
            "hooks.slack.com/…WXYZ"
        );
        assert_eq!(redacted("not a url"), "/… url");
    }

    #[test]
    fn only_listed_hosts_are_allowed() {
        let allowed = config(&["hooks.slack.com", "*.webhook.office.com", "127.0.0.1"]);
        assert!(host_allowed(
            "https://hooks.slack.com/services/T/B/X",
            &allowed
        ));
        assert!(host_allowed("https://acme.webhook.office.com/x", &allowed));
        assert!(!host_allowed(
            "https://webhook.office.com.evil.test/x",
            &allowed
        ));
        assert!(!host_allowed(
            "http://169.254.169.254/latest/meta-data",
            &allowed
        ));
        assert!(!host_allowed("http://localhost:5432/", &allowed));
        assert!(!host_allowed("file:///etc/passwd", &allowed));
        assert!(!host_allowed("not a url", &allowed));
        // Listed, but loopback.
        assert!(!host_allowed("https://127.0.0.1/hook", &allowed));
    }

    #[test]
    fn only_https_on_port_443_is_allowed() {
        let allowed = config(&["hooks.slack.com"]);
        assert!(host_allowed("https://hooks.slack.com:443/x", &allowed));
        assert!(!host_allowed("http://hooks.slack.com/x", &allowed));
        assert!(!host_allowed("https://hooks.slack.com:8443/x", &allowed));
        assert!(!host_allowed("https://hooks.slack.com:22/x", &allowed));
        let mut insecure = allowed.clone();
        insecure.insecure_webhooks_for_tests = true;
        assert!(host_allowed("http://hooks.slack.com:8080/x", &insecure));
    }

    #[test]
    fn the_company_webhook_is_checked_at_start() {
        let mut c = config(&[]);
        c.chat_webhook_url = Some("https://hooks.slack.com/services/T/B/X".into());
        assert!(check_company_webhook(&c).is_ok());
        for bad in [
            "http://hooks.slack.com/x",
            "https://hooks.slack.com:8443/x",
            "https://10.0.0.5/x",
            "https://[::1]/x",
            "nonsense",
        ] {
            c.chat_webhook_url = Some(bad.into());
            assert!(check_company_webhook(&c).is_err(), "{bad}");
        }
    }

    #[test]
    fn private_and_local_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "127.255.0.9",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.254",
            "0.0.0.0",
            "0.1.2.3",
            "224.0.0.1",
            "239.255.255.250",
            "255.255.255.255",
            "240.0.0.1",
            "192.0.2.10",
            "198.18.0.1",
            "::",
            "::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "::127.0.0.1",
            "64:ff9b::a00:1",
            "2002:7f00:1::",
            "2001:db8::1",
            "fec0::1",
        ] {
            let ip: IpAddr = ip.parse().unwrap();
            assert!(!is_public(ip), "{ip} is not public");
        }
    }

    #[test]
    fn internet_addresses_are_public() {
        for ip in [
            "1.1.1.1",
            "8.8.8.8",
            "52.1.2.3",
            "172.32.0.1",
            "100.128.0.1",
            "192.169.0.1",
            "2606:4700::1111",
            "2a00:1450:4001::200e",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2002:808:808::",
        ] {
            let ip: IpAddr = ip.parse().unwrap();
            assert!(is_public(ip), "{ip} is public");
        }
    }
}
