//! Keeping the pre-aggregated tables fresh: built before the first dashboard (and when a new
//! month begins), rebuilt in the background when people, skills, applications or openings
//! changed since the last rebuild, and on a schedule by whichever app server takes the
//! advisory lock.

use std::time::Duration;

use sqlx::PgPool;
use time::OffsetDateTime;

/// Advisory lock key shared by every app server ("trellis metrics refresh").
const LOCK_KEY: i64 = 0x7472_656c_6d65_7472;

/// A change makes the aggregates stale only once they are this old.
pub const MIN_AGE: Duration = Duration::from_secs(5 * 60);

/// How often the periodic task rebuilds the aggregates.
pub const PERIOD: Duration = Duration::from_secs(15 * 60);

/// When the aggregates were last rebuilt (None if never).
pub async fn refreshed_at(db: &PgPool) -> sqlx::Result<Option<OffsetDateTime>> {
    sqlx::query_scalar!(
        "select refreshed_at from metrics_refreshes where name = 'headcount_monthly'"
    )
    .fetch_optional(db)
    .await
}

/// Rebuild the aggregates unless another server is doing it now; true if this call did.
pub async fn refresh(db: &PgPool) -> sqlx::Result<bool> {
    let mut tx = db.begin().await?;
    let locked = sqlx::query_scalar!(r#"select pg_try_advisory_xact_lock($1) as "l!""#, LOCK_KEY)
        .fetch_one(&mut *tx)
        .await?;
    if !locked {
        return Ok(false);
    }
    sqlx::query!("select trellis_refresh_metrics()")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    // Reclaim the rows the rebuild replaced and mark the pages all-visible, so the dashboard
    // reads the snapshots from their covering indexes; fresh statistics plan it well.
    sqlx::query(
        "vacuum (analyze) metrics_headcount_monthly, metrics_skill_supply, \
         metrics_application_facts, metrics_opening_fills",
    )
    .execute(db)
    .await?;
    // Count the default view's participation (last 12 months and the 12 before, unfiltered)
    // now, so the first dashboard after a scheduled rebuild does not pay for it.
    let period = super::Period::last_12_months(OffsetDateTime::now_utc().date());
    for p in [period, period.previous()] {
        crate::db::metrics::participation(db, p, super::Filters::default()).await?;
    }
    Ok(true)
}

/// Make sure the aggregates can answer, and keep them fresh without making anyone wait.
///
/// Never built, or built before this month began (the monthly headcount lacks the new month):
/// rebuild now, before the dashboard. Otherwise, when a person, a skill level, an application
/// or an opening changed since the last rebuild and that was more than `MIN_AGE` ago, start a
/// rebuild in the background and answer from the current tables (every figure says how fresh
/// it is); a rebuild takes seconds at 200,000 people. Returns when the tables were built.
pub async fn ensure_fresh(db: &PgPool) -> sqlx::Result<Option<OffsetDateTime>> {
    let state = sqlx::query!(
        r#"select
             coalesce((select r.refreshed_at is null
                           or date_trunc('month', r.refreshed_at) < date_trunc('month', now())
                       from metrics_refreshes r where r.name = 'headcount_monthly'), true) as "must!",
             coalesce((select r.refreshed_at < now() - make_interval(secs => $1)
                           and (r.refreshed_at < (select max(updated_at) from people)
                                or r.refreshed_at < (select max(updated_at) from person_skills)
                                or r.refreshed_at < (select max(updated_at) from applications)
                                or r.refreshed_at < (select max(updated_at) from opportunities))
                       from metrics_refreshes r where r.name = 'headcount_monthly'), false) as "stale!""#,
        MIN_AGE.as_secs_f64()
    )
    .fetch_one(db)
    .await?;
    if state.must {
        if !refresh(db).await? {
            // Another server is rebuilding: wait for it by taking the lock in turn.
            let mut tx = db.begin().await?;
            sqlx::query!("select pg_advisory_xact_lock($1)", LOCK_KEY)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        }
    } else if state.stale {
        let db = db.clone();
        tokio::spawn(async move {
            if let Err(error) = refresh(&db).await {
                tracing::warn!(%error, "background metrics refresh failed");
            }
        });
    }
    refreshed_at(db).await
}

/// Start the periodic rebuild on this server (every `PERIOD`; skipped when another server
/// holds the lock). Ends when the pool closes.
pub fn spawn_periodic(db: PgPool) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + PERIOD, PERIOD);
        loop {
            tick.tick().await;
            if db.is_closed() {
                return;
            }
            if let Err(error) = refresh(&db).await {
                tracing::warn!(%error, "metrics refresh failed");
            }
        }
    });
}
