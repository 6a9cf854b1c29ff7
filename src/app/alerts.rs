//! The job-alert worker: finds openings published since the last run and tells every person
//! whose saved search (filters and/or fit threshold) they match, in-app, through
//! `db::notifications::notify`. The watermark lives in `job_alert_runs`, and a transaction-level
//! advisory lock keeps two app servers from running at once; the unique index
//! `notifications_alert_once` makes sure one opening never alerts one person twice.

use std::collections::HashMap;
use std::time::Duration;

use sqlx::PgPool;
use uuid::Uuid;

use crate::db::notifications::{notify, NewNotification};
use crate::engine::today;
use crate::engine::Engine;
use crate::error::Result;
use crate::service::marketplace::browse::{matching_ids, scores};
use crate::service::marketplace::filters::BrowseParams;

/// The advisory lock key of the worker ("trellis alerts").
const LOCK_KEY: i64 = 0x7472_656c_616c_7274;
/// Openings published this long before the watermark are looked at again: a transaction that
/// published a little before the last run may have committed after it, and the engine may
/// have indexed an opening late. Notifications already sent are never sent again.
const OVERLAP: time::Duration = time::Duration::minutes(5);
/// On the very first run, openings published this long ago are still news.
const FIRST_RUN: time::Duration = time::Duration::days(1);
/// How often the worker runs.
pub const EVERY: Duration = Duration::from_secs(60);

/// One run: returns how many notifications were created (0 when another server is running).
pub async fn run_once(db: &PgPool, engine: &Engine) -> Result<usize> {
    let mut tx = db.begin().await?;
    let locked = sqlx::query_scalar!(r#"select pg_try_advisory_xact_lock($1) as "ok!""#, LOCK_KEY)
        .fetch_one(&mut *tx)
        .await?;
    if !locked {
        return Ok(0);
    }
    let now = sqlx::query_scalar!(r#"select now() as "now!""#)
        .fetch_one(&mut *tx)
        .await?;
    let watermark = sqlx::query_scalar!("select published_before from job_alert_runs where id = 1")
        .fetch_optional(&mut *tx)
        .await?
        .unwrap_or(now - FIRST_RUN);
    let since = watermark - OVERLAP;
    let searches = sqlx::query!(
        "select s.person_id, s.name, s.query, s.min_fit from saved_searches s
         join people p on p.id = s.person_id
         where s.alerts and p.employment_status = 'active'
         order by s.person_id, s.created_at"
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut owners: HashMap<Uuid, (Uuid, String)> = HashMap::new();
    let mut created = 0;
    for s in searches {
        let params: BrowseParams = serde_json::from_value(s.query).unwrap_or_default();
        let Ok(filters) = params.without_paging().resolve(db).await else {
            continue;
        };
        let found: Vec<Uuid> = matching_ids(db, s.person_id, &filters, Some(since))
            .await?
            .into_iter()
            .filter(|(_, at)| *at <= now)
            .map(|(id, _)| id)
            .collect();
        if found.is_empty() {
            continue;
        }
        load_owners(db, &found, &mut owners).await?;
        let fit = scores(engine, s.person_id, &found, today());
        for (opening, score) in found.into_iter().zip(fit) {
            let Some((owner, title)) = owners.get(&opening) else {
                continue;
            };
            let fits = s
                .min_fit
                .is_none_or(|min| score.is_some_and(|f| i16::from(f) >= min));
            if *owner == s.person_id || !fits {
                continue;
            }
            if alert(&mut tx, s.person_id, opening, title, &s.name, score).await? {
                created += 1;
            }
        }
    }
    sqlx::query!(
        "insert into job_alert_runs (id, published_before, ran_at, alerts_created) values (1, $1, now(), $2)
         on conflict (id) do update set published_before = greatest(job_alert_runs.published_before, excluded.published_before),
                                        ran_at = excluded.ran_at, alerts_created = excluded.alerts_created",
        now,
        i32::try_from(created).unwrap_or(i32::MAX)
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(created)
}

async fn load_owners(
    db: &PgPool,
    ids: &[Uuid],
    owners: &mut HashMap<Uuid, (Uuid, String)>,
) -> Result<()> {
    let missing: Vec<Uuid> = ids
        .iter()
        .filter(|id| !owners.contains_key(id))
        .copied()
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    for r in sqlx::query!(
        "select id, owner_id, title from opportunities where id = any($1)",
        &missing
    )
    .fetch_all(db)
    .await?
    {
        owners.insert(r.id, (r.owner_id, r.title));
    }
    Ok(())
}

async fn alert(
    tx: &mut sqlx::PgConnection,
    person: Uuid,
    opening: Uuid,
    title: &str,
    search: &str,
    fit: Option<u8>,
) -> Result<bool> {
    let link = format!("/opportunities/{opening}");
    let title = format!("New opening: {title}");
    let body = match fit {
        Some(f) => format!("Matches your alert \"{search}\". Your fit: {f}%."),
        None => format!("Matches your alert \"{search}\"."),
    };
    let id = notify(
        &mut *tx,
        &NewNotification {
            person_id: person,
            kind: "job_alert",
            title: &title,
            body: &body,
            link: Some(&link),
            opportunity_id: Some(opening),
            application_id: None,
        },
    )
    .await?;
    Ok(id.is_some())
}

/// Run the worker every [`EVERY`] until the pool closes (the first run one interval after start).
pub fn spawn(db: PgPool, engine: std::sync::Arc<Engine>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + EVERY, EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if db.is_closed() {
                break;
            }
            match run_once(&db, &engine).await {
                Ok(n) if n > 0 => tracing::info!(alerts = n, "job alerts sent"),
                Ok(_) => {}
                Err(err) => tracing::warn!(error = ?err, "job alert run failed"),
            }
        }
    });
}
