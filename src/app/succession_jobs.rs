//! The succession and oversight worker: once every ten minutes it records the day's bench
//! strength (an upsert of today's rows) and sends the reminders and escalations for work left
//! waiting on openings (each once per stall, under an advisory lock), so any number of
//! servers may run it.

use std::time::Duration;

use sqlx::PgPool;

/// How often the worker runs.
pub const EVERY: Duration = Duration::from_secs(600);

/// One run of every succession and oversight job.
pub async fn run_once(db: &PgPool) -> crate::error::Result<()> {
    crate::service::succession::bench::snapshot(db).await?;
    let (reminders, escalations) = crate::service::oversight::remind(db).await?;
    if reminders + escalations > 0 {
        tracing::info!(reminders, escalations, "overdue work on openings");
    }
    Ok(())
}

/// Run [`run_once`] every ten minutes until the pool closes.
pub fn spawn(db: PgPool) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if db.is_closed() {
                break;
            }
            if let Err(err) = run_once(&db).await {
                tracing::warn!(error = ?err, "succession and oversight jobs failed");
            }
        }
    });
}
