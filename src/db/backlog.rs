//! Work waiting in the database, for the operators' `/metrics`: the outbox's unsent
//! messages and the import jobs by status.

use sqlx::PgPool;

/// Unsent outbox messages and how long the oldest has waited.
#[derive(Debug, Clone, Copy)]
pub struct OutboxBacklog {
    pub unsent: i64,
    /// Seconds since the oldest unsent message was queued (0 when none is).
    pub oldest_seconds: f64,
}

/// The outbox backlog (digest emails of today wait by design and are counted too).
pub async fn outbox(db: &PgPool) -> Result<OutboxBacklog, sqlx::Error> {
    let row = sqlx::query!(
        r#"select count(*) as "unsent!",
                  coalesce(extract(epoch from now() - min(created_at))::float8, 0) as "oldest_seconds!"
           from outbox where sent_at is null"#
    )
    .fetch_one(db)
    .await?;
    Ok(OutboxBacklog {
        unsent: row.unsent,
        oldest_seconds: row.oldest_seconds,
    })
}

/// Import jobs by status (`running`, `done`, `failed`), every status present.
pub async fn import_jobs(db: &PgPool) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select s.status as "status!", count(j.id) as "jobs!"
           from (values ('running'), ('done'), ('failed')) s(status)
           left join import_jobs j on j.status = s.status
           group by s.status order by s.status"#
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.status, r.jobs)).collect())
}
