//! Email through SMTP with lettre: a plain-text and an HTML body, the delivery's idempotency
//! key as `Message-ID`.

use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::Message;

use super::Delivery;
use crate::config::Config;

/// A configured mail sender.
pub struct Mailer {
    relay: super::smtp::Relay,
    from: Mailbox,
}

/// Escape text for HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn message_id(key: &str) -> String {
    let safe: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '.'
            }
        })
        .collect();
    format!("<{safe}@trellis>")
}

/// Text and HTML for one item.
fn item(d: &Delivery, public_url: &str) -> (String, String) {
    let link = d
        .link
        .as_deref()
        .map(|l| format!("{}{}", public_url.trim_end_matches('/'), l));
    let text = match &link {
        Some(l) => format!("{}\n{}\n{}\n", d.subject, d.body_text, l),
        None => format!("{}\n{}\n", d.subject, d.body_text),
    };
    let open = link
        .map(|l| format!(r#"<p><a href="{}">Open in Trellis</a></p>"#, escape(&l)))
        .unwrap_or_default();
    let html = format!(
        "<h2>{}</h2><p>{}</p>{open}",
        escape(&d.subject),
        escape(&d.body_text)
    );
    (text, html)
}

impl Mailer {
    /// `None` when no SMTP server is configured.
    pub fn from_config(config: &Config) -> anyhow::Result<Option<Mailer>> {
        let Some(url) = &config.smtp_url else {
            return Ok(None);
        };
        Ok(Some(Mailer {
            relay: super::smtp::Relay::from_url(url.expose())?,
            from: config.mail_from.parse()?,
        }))
    }

    async fn send(
        &self,
        to: &Delivery,
        subject: &str,
        key: &str,
        text: String,
        html: String,
    ) -> anyhow::Result<()> {
        let to_box = Mailbox::new(Some(to.display_name.clone()), to.email.parse()?);
        let page = format!(
            "<!doctype html><html><body style=\"font-family: sans-serif\">{html}<p style=\"color:#666;font-size:12px\">You can change how Trellis notifies you in your notification settings.</p></body></html>"
        );
        let message = Message::builder()
            .from(self.from.clone())
            .to(to_box)
            .subject(subject)
            .message_id(Some(message_id(key)))
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(text),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(page),
                    ),
            )?;
        self.relay
            .send(message.envelope(), &message.formatted())
            .await?;
        Ok(())
    }

    /// One notification as one email.
    pub async fn send_one(&self, d: &Delivery, public_url: &str) -> anyhow::Result<()> {
        let (text, html) = item(d, public_url);
        self.send(d, &d.subject, &d.idempotency_key, text, html)
            .await
    }

    /// A day's notifications as one email.
    pub async fn send_digest(
        &self,
        items: &[Delivery],
        key: &str,
        day: time::Date,
        public_url: &str,
    ) -> anyhow::Result<()> {
        let first = items
            .first()
            .ok_or_else(|| anyhow::anyhow!("an empty digest"))?;
        let subject = format!(
            "Your Trellis digest for {day}: {} update{}",
            items.len(),
            if items.len() == 1 { "" } else { "s" }
        );
        let (mut text, mut html) = (
            format!("{subject}\n\n"),
            format!("<h1>{}</h1>", escape(&subject)),
        );
        for d in items {
            let (t, h) = item(d, public_url);
            text.push_str(&t);
            text.push('\n');
            html.push_str(&h);
        }
        self.send(first, &subject, key, text, html).await
    }
}
