//! Keeping the pre-aggregated tables fresh, in the background only: a request never rebuilds.
//!
//! Triggers note in `metrics_dirty` which people, skills, applications, openings and job
//! profiles changed; `trellis_refresh_metrics()` (migration `20261205300000`) recomputes only
//! what those rows contributed, in seconds at 200,000 people. The periodic task on every app
//! server checks for changes every `CHECK_EVERY` (a single index probe) and rebuilds when there
//! are some, under an advisory lock so one server at a time does; with nothing changed it does
//! nothing at all. A dashboard that finds the aggregates never built wakes the task and says
//! they are being computed.

use std::time::Duration;

use sqlx::PgPool;
use time::OffsetDateTime;
use tokio::sync::Notify;

/// Advisory lock key shared by every app server ("trellis metrics refresh").
const LOCK_KEY: i64 = 0x7472_656c_6d65_7472;

/// How often the background task looks for changes.
pub const CHECK_EVERY: Duration = Duration::from_secs(60);

/// Wakes this server's background task before its next check.
static WAKE: Notify = Notify::const_new();

/// Ask the background task to look for changes now (it runs the rebuild, not the caller).
pub fn wake() {
    WAKE.notify_one();
}

/// What one call of `refresh` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refresh {
    /// The aggregates were built and nothing changed since: nothing was done.
    NothingChanged,
    /// Another server holds the lock and is rebuilding now.
    Busy,
    /// The aggregates were rebuilt from this many noted changes (a first build counts 1 or
    /// more).
    Rebuilt { changes: i64 },
}

/// When the aggregates were last rebuilt (None if never).
pub async fn refreshed_at(db: &PgPool) -> sqlx::Result<Option<OffsetDateTime>> {
    sqlx::query_scalar!(
        "select refreshed_at from metrics_refreshes where name = 'headcount_monthly'"
    )
    .fetch_optional(db)
    .await
}

/// Whether a rebuild has anything to do: never built, or a change noted since.
pub async fn pending(db: &PgPool) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists (select 1 from metrics_dirty)
               or not exists (select 1 from metrics_refreshes where name = 'headcount_monthly')
               as "pending!""#
    )
    .fetch_one(db)
    .await
}

/// Bring the aggregates up to date with the changes noted since the last rebuild (all of them
/// when never built). Does nothing when nothing changed or another server is at it.
pub async fn refresh(db: &PgPool) -> sqlx::Result<Refresh> {
    if !pending(db).await? {
        return Ok(Refresh::NothingChanged);
    }
    let mut tx = db.begin().await?;
    // One snapshot for the whole rebuild: the change rows it consumes and the rows it reads
    // agree, and a change committed meanwhile stays noted for the next rebuild.
    sqlx::query("set transaction isolation level repeatable read")
        .execute(&mut *tx)
        .await?;
    let locked = sqlx::query_scalar!(r#"select pg_try_advisory_xact_lock($1) as "l!""#, LOCK_KEY)
        .fetch_one(&mut *tx)
        .await?;
    if !locked {
        return Ok(Refresh::Busy);
    }
    let changes = sqlx::query_scalar!(r#"select trellis_refresh_metrics() as "n!""#)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    if changes == 0 {
        return Ok(Refresh::NothingChanged);
    }
    // Reclaim the rows the rebuild replaced and mark the pages all-visible, so the dashboard
    // reads the snapshots from their indexes; fresh statistics plan it well.
    sqlx::query(
        "vacuum (analyze) metrics_headcount_deltas, metrics_skill_supply, \
         metrics_application_facts, metrics_opening_fills, metrics_dirty",
    )
    .execute(db)
    .await?;
    // Count the default view's participation (last 12 months and the 12 before, unfiltered)
    // now, so the first dashboard after a rebuild does not pay for it.
    let period = super::Period::last_12_months(OffsetDateTime::now_utc().date());
    for p in [period, period.previous()] {
        crate::db::metrics::participation(db, p, super::Filters::default()).await?;
    }
    Ok(Refresh::Rebuilt { changes })
}

/// Start the background rebuild on this server: at once, then every `CHECK_EVERY` or when
/// woken, and only when something changed. Ends when the pool closes.
pub fn spawn_periodic(db: PgPool) {
    tokio::spawn(async move {
        loop {
            if db.is_closed() {
                return;
            }
            let started = std::time::Instant::now();
            match refresh(&db).await {
                Ok(Refresh::Rebuilt { changes }) => tracing::info!(
                    changes,
                    ms = started.elapsed().as_millis() as u64,
                    "metrics aggregates rebuilt"
                ),
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "metrics refresh failed"),
            }
            tokio::select! {
                _ = tokio::time::sleep(CHECK_EVERY) => {}
                _ = WAKE.notified() => {}
            }
        }
    });
}
