//! Chat through an incoming webhook: Slack- and Teams-compatible `{"text": ...}`, with the
//! delivery's idempotency key in the `Idempotency-Key` header.

use std::time::Duration;

use serde_json::json;

use super::Delivery;

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
        .await?;
    if !response.status().is_success() {
        anyhow::bail!("the webhook answered {}", response.status());
    }
    Ok(())
}
