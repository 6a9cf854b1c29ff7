//! Chat through an incoming webhook: Slack- and Teams-compatible `{"text": ...}`, with the
//! delivery's idempotency key in the `Idempotency-Key` header.

use std::time::Duration;

use serde_json::json;

use super::Delivery;

/// True when `url` is an http(s) address whose host is in `allowed` (`*.example.com` matches
/// any subdomain of example.com). A person's own webhook must pass this, so nobody can make
/// the server post to an internal address.
pub fn host_allowed(url: &str, allowed: &[String]) -> bool {
    let Ok(parsed) = reqwest::Url::parse(url) else {
        return false;
    };
    if !matches!(parsed.scheme(), "https" | "http") {
        return false;
    }
    let Some(host) = parsed.host_str().map(str::to_ascii_lowercase) else {
        return false;
    };
    allowed.iter().any(|pattern| {
        let pattern = pattern.trim().to_ascii_lowercase();
        match pattern.strip_prefix("*.") {
            Some(domain) => host.ends_with(&format!(".{domain}")),
            None => !pattern.is_empty() && host == pattern,
        }
    })
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

/// The HTTP client for webhooks.
pub fn client() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()?)
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
) -> anyhow::Result<()> {
    let response = http
        .post(url)
        .header("idempotency-key", &d.idempotency_key)
        .json(&json!({ "text": text(d, public_url) }))
        .send()
        .await
        // The error would name the URL, a secret, in `outbox.last_error` and the logs.
        .map_err(reqwest::Error::without_url)?;
    if !response.status().is_success() {
        anyhow::bail!("the webhook answered {}", response.status());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{host_allowed, redacted};

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
        let allowed = vec![
            "hooks.slack.com".to_string(),
            "*.webhook.office.com".to_string(),
        ];
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
    }
}
