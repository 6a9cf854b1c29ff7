//! Notifications out: email (SMTP) and chat (incoming webhooks), delivered from the durable
//! `outbox` table that `db::notifications::notify` fills.
//!
//! Guarantees:
//! - never lost: a row stays until it is sent; a restart picks up where the last one stopped;
//! - sent once, with the window for a duplicate narrowed to the one message in flight: a
//!   delivery is claimed (`for update skip locked`) in a commit of its own that records the
//!   attempt (`sending_since`) and reserves the row for a lease (`TRELLIS_OUTBOX_LEASE_SECS`);
//!   it is sent; then it is marked sent in a single-statement commit. A server killed after
//!   the mail server accepted a message and before that statement reached PostgreSQL sends it
//!   again when the lease runs out, and the row counts it in `interrupted_attempts`; each
//!   delivery carries its idempotency key (`Message-ID`, `Idempotency-Key`) so a receiver can
//!   drop that duplicate. Two servers never send the same row at once;
//! - retried with exponential backoff (30 s doubling, at most 6 hours) while the mail server
//!   or webhook fails.
//!
//! Daily digest: email rows with a `digest_date` wait until that day is over, then go out as
//! one email per person collecting all of them.
//!
//! Secrets: a row marked `secret` (an account email: its link is a password reset link) keeps
//! its link only until it is sent; then the link is cleared in the transaction that marks it
//! sent. One that could not be sent before its link expired ([`LINK_MINUTES`]) is given up
//! and cleared too. So a live link is stored in clear only while it waits for delivery
//! (normally one worker interval). Nothing reads `outbox` but this module.

pub mod email;
pub mod smtp;
pub mod webhook;

use std::time::Duration;

use sqlx::PgConnection;
use uuid::Uuid;

use sqlx::PgPool;

use crate::config::Config;
use crate::db::password_resets::LINK_MINUTES;

/// Deliveries attempted per call of [`deliver_once`].
pub const BATCH: usize = 20;

/// One queued delivery.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Delivery {
    pub id: i64,
    pub idempotency_key: String,
    pub channel: String,
    pub person_id: Uuid,
    pub subject: String,
    pub body_text: String,
    pub link: Option<String>,
    pub attempts: i32,
    pub digest_date: Option<time::Date>,
    pub email: String,
    pub display_name: String,
    pub chat_webhook_url: Option<String>,
}

/// Claim the rows the `{WHICH}` subquery picks, in one statement (so one commit): record the
/// attempt and reserve them for the lease ($1 seconds). `attempts` comes back as the number of
/// attempts before this one.
const CLAIM: &str = "with claimed as (
        update outbox o set
            interrupted_attempts = o.interrupted_attempts + (o.sending_since is not null)::int,
            sending_since = now(),
            attempts = o.attempts + 1,
            next_attempt_at = now() + make_interval(secs => $1)
        where o.id in ({WHICH})
        returning o.*
    )
    select o.id, o.idempotency_key, o.channel, o.person_id, o.subject, o.body_text, o.link,
        o.attempts - 1 as attempts, o.digest_date, p.email, p.display_name, np.chat_webhook_url
    from claimed o
    join people p on p.id = o.person_id
    left join notification_preferences np on np.person_id = o.person_id
    order by o.id";

/// The next due immediate delivery ($2: whether email can be sent).
const NEXT_DUE: &str = "select id from outbox
    where sent_at is null and digest_date is null and next_attempt_at <= now()
      and (channel <> 'email' or $2)
    order by id limit 1 for update skip locked";

/// A person's ($2) digest items from days that are over.
const DIGEST_DUE: &str = "select id from outbox
    where person_id = $2 and sent_at is null and digest_date < current_date
      and next_attempt_at <= now()
    for update skip locked";

fn claim_sql(which: &str) -> String {
    CLAIM.replace("{WHICH}", which)
}

/// Make aws-lc-rs the process's TLS provider (reqwest and lettre use rustls without picking
/// one). Idempotent.
pub fn install_tls_provider() {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
}

/// Run the delivery loop in the background until the pool closes (off when the interval is 0).
pub fn spawn_worker(db: PgPool, config: std::sync::Arc<Config>) {
    let interval = config.outbox_interval_secs;
    if interval == 0 {
        return;
    }
    tokio::spawn(async move {
        // One mail transport for the worker's life: its pooled SMTP connections stay open
        // between messages, so a send returns when the relay accepts (no QUIT round trip
        // between acceptance and marking the delivery sent).
        let senders = match Senders::new(&config) {
            Ok(senders) => senders,
            Err(err) => {
                tracing::error!(%err, "the outbox cannot send: its settings are wrong");
                return;
            }
        };
        loop {
            if db.is_closed() {
                break;
            }
            match deliver_with(&db, &config, &senders).await {
                Ok(n) if n > 0 => continue,
                Ok(_) => {}
                Err(err) if db.is_closed() => {
                    tracing::debug!(%err, "outbox worker stops: the pool closed");
                    break;
                }
                Err(err) => tracing::warn!(%err, "outbox delivery failed"),
            }
            tokio::time::sleep(Duration::from_secs(interval)).await;
        }
    });
}

/// Wait before the next attempt after `attempts` failures.
pub fn backoff(attempts: i32) -> Duration {
    let secs = 30u64.saturating_mul(1u64 << attempts.clamp(0, 20));
    Duration::from_secs(secs.min(6 * 3600))
}

/// Deliver up to [`BATCH`] due immediate deliveries and the digests that are due. Returns how
/// many deliveries were sent (a digest counts once per item it collects).
pub async fn deliver_once(db: &PgPool, config: &Config) -> anyhow::Result<usize> {
    deliver_with(db, config, &Senders::new(config)?).await
}

/// What the outbox sends with: the mail transport (when SMTP is configured) and the webhook
/// client.
pub struct Senders {
    mailer: Option<email::Mailer>,
    http: reqwest::Client,
}

impl Senders {
    /// Senders for the configured SMTP server and webhooks.
    pub fn new(config: &Config) -> anyhow::Result<Senders> {
        Ok(Senders {
            mailer: email::Mailer::from_config(config)?,
            http: webhook::client(config)?,
        })
    }
}

/// [`deliver_once`] with senders kept between calls.
pub async fn deliver_with(
    db: &PgPool,
    config: &Config,
    senders: &Senders,
) -> anyhow::Result<usize> {
    let (mailer, http) = (&senders.mailer, &senders.http);
    expire_secrets(db).await?;
    let mut sent = 0;
    let lease = config.outbox_lease_secs as f64;
    let sql = claim_sql(NEXT_DUE);
    // One connection for the batch: marking a delivery sent must not wait for the pool's
    // health check, since that wait is part of the window in which a crash duplicates it.
    let mut conn = db.acquire().await?;
    for _ in 0..BATCH {
        // Runtime SQL: the claim is shared with the digest's, composed from constants.
        let claimed: Option<Delivery> = sqlx::query_as(&sql)
            .bind(lease)
            .bind(mailer.is_some())
            .fetch_optional(&mut *conn)
            .await?;
        let Some(d) = claimed else { break };
        let outcome = match d.channel.as_str() {
            "email" => match &mailer {
                Some(m) => m.send_one(&d, &config.public_url).await,
                None => Err(anyhow::anyhow!("no SMTP server configured")),
            },
            _ => {
                // A personal webhook is used only while its host is allowed (the list may have
                // changed since it was saved); otherwise the company-wide one.
                let url = d
                    .chat_webhook_url
                    .clone()
                    .filter(|u| webhook::host_allowed(u, config))
                    .or_else(|| config.chat_webhook_url.clone());
                match url {
                    Some(url) => webhook::post(http, &url, &d, &config.public_url, config).await,
                    None => Ok(()), // nowhere to post: recorded as sent with a note below
                }
            }
        };
        let skipped = d.channel == "chat"
            && !d
                .chat_webhook_url
                .as_deref()
                .is_some_and(|u| webhook::host_allowed(u, config))
            && config.chat_webhook_url.is_none();
        finish(&mut conn, &[d.id], d.attempts, &outcome, skipped).await?;
        if outcome.is_ok() {
            sent += 1;
        }
    }
    if let Some(m) = &mailer {
        sent += deliver_digests(db, config, m).await?;
    }
    Ok(sent)
}

/// Give up on secret-bearing rows whose link has expired unsent: clear the link, record why.
async fn expire_secrets(db: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update outbox set link = null, sent_at = now(),
             last_error = 'not sent: the link expired before delivery'
         where secret and sent_at is null and created_at < now() - make_interval(mins => $1)",
    )
    .bind(LINK_MINUTES)
    .execute(db)
    .await?;
    Ok(())
}

/// Mark deliveries sent (clearing the link of a secret-bearing one), or schedule their retry:
/// one statement, so one commit, sent as soon as the send returns.
async fn finish(
    conn: &mut PgConnection,
    ids: &[i64],
    attempts: i32,
    outcome: &anyhow::Result<()>,
    skipped: bool,
) -> Result<(), sqlx::Error> {
    match outcome {
        Ok(()) => {
            let note = skipped.then_some("skipped: no chat webhook configured");
            sqlx::query(
                "update outbox set sent_at = now(), sending_since = null,
                     last_error = coalesce($2, case when interrupted_attempts > 0 then
                         'sent again after an interrupted attempt: the recipient may have it twice'
                     end),
                     link = case when secret then null else link end
                 where id = any($1)",
            )
            .bind(ids)
            .bind(note)
            .execute(&mut *conn)
            .await?;
        }
        Err(err) => {
            tracing::warn!(error = %err, ?ids, "delivery failed; will retry");
            let wait = backoff(attempts).as_secs() as i64;
            sqlx::query(
                "update outbox set sending_since = null, last_error = $2,
                     next_attempt_at = now() + make_interval(secs => $3) where id = any($1)",
            )
            .bind(ids)
            .bind(format!("{err:#}"))
            .bind(wait as f64)
            .execute(conn)
            .await?;
        }
    }
    Ok(())
}

/// One digest email per person whose digest items are from days that are over.
async fn deliver_digests(
    db: &PgPool,
    config: &Config,
    mailer: &email::Mailer,
) -> anyhow::Result<usize> {
    let people: Vec<Uuid> = sqlx::query_scalar(
        "select distinct person_id from outbox
         where sent_at is null and digest_date < current_date and next_attempt_at <= now()
         limit $1",
    )
    .bind(BATCH as i64)
    .fetch_all(db)
    .await?;
    let mut sent = 0;
    let sql = claim_sql(DIGEST_DUE);
    let mut conn = db.acquire().await?;
    for person in people {
        let items: Vec<Delivery> = sqlx::query_as(&sql)
            .bind(config.outbox_lease_secs as f64)
            .bind(person)
            .fetch_all(&mut *conn)
            .await?;
        if items.is_empty() {
            continue;
        }
        let Some(day) = items.iter().filter_map(|d| d.digest_date).max() else {
            continue;
        };
        let key = format!("digest:{person}:{day}");
        let outcome = mailer
            .send_digest(&items, &key, day, &config.public_url)
            .await;
        let ids: Vec<i64> = items.iter().map(|d| d.id).collect();
        let attempts = items.iter().map(|d| d.attempts).max().unwrap_or(0);
        finish(&mut conn, &ids, attempts, &outcome, false).await?;
        if outcome.is_ok() {
            sent += items.len();
        }
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_thirty_seconds_and_stops_at_six_hours() {
        assert_eq!(backoff(0), Duration::from_secs(30));
        assert_eq!(backoff(1), Duration::from_secs(60));
        assert_eq!(backoff(3), Duration::from_secs(240));
        assert_eq!(backoff(50), Duration::from_secs(6 * 3600));
    }
}
