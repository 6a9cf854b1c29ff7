//! Imports started from the upload page run in the background, so a 200,000-row file never
//! meets the request timeout: the upload answers at once with a job, and the job page shows
//! the phase and the rows read (from `import_jobs`, so any app server can show it) until the
//! report is ready.

use std::time::{Duration, Instant};

use sqlx::PgPool;
use uuid::Uuid;

use super::esco_report::EscoReport;
use super::{Kind, Options, Report, Step};
use crate::app::state::AppState;
use crate::db::audit::Actor;

/// How often progress is written to the job row at most.
const PROGRESS_EVERY: Duration = Duration::from_millis(400);
/// How often a running job says it is alive, even in a long phase with no progress to report.
const HEARTBEAT_EVERY: Duration = Duration::from_secs(5);
/// A running job not heard from for this long lost its server: its transaction rolled back
/// (PostgreSQL notices the lost connection within `client_connection_check_interval`).
const STALE_SECONDS: f64 = 30.0;
tokio::task_local! {
    /// The job an import runs as: its outcome is written in the import's own transaction
    /// (`staging::finish`), so a server that dies right after the commit cannot leave a job
    /// that says nothing was changed.
    pub static JOB: Uuid;
}

/// What a job whose server stopped says.
const LOST: &str = "The server running this import stopped before it finished; nothing was changed. Upload the file again.";

/// A job as the page shows it.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: Uuid,
    pub kind: String,
    pub keep_clean: bool,
    pub status: String,
    pub phase: String,
    pub rows_read: i64,
    pub report: Option<Report>,
    /// An ESCO import's report (kind `esco`).
    pub esco: Option<EscoReport>,
    pub error: Option<String>,
}

/// Record a job and start it on this server; returns its id at once.
pub async fn start(
    state: &AppState,
    kind: Kind,
    file: Vec<u8>,
    person: Uuid,
    options: Options,
) -> sqlx::Result<Uuid> {
    let kind_name = serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let id = sqlx::query_scalar!(
        "insert into import_jobs (kind, keep_clean, started_by_id) values ($1, $2, $3) returning id",
        kind_name,
        options.keep_clean,
        person
    )
    .fetch_one(&state.db)
    .await?;
    let state = state.clone();
    tokio::spawn(async move {
        let heartbeat = tokio::spawn(beat(state.db.clone(), id));
        let outcome = run(&state, id, kind, &file, person, options)
            .await
            .and_then(|r| Ok(serde_json::to_value(&r)?));
        heartbeat.abort();
        if let Err(err) = finish(&state.db, id, outcome).await {
            tracing::error!(job = %id, error = ?err, "could not record the import's outcome");
        }
    });
    Ok(id)
}

async fn run(
    state: &AppState,
    id: Uuid,
    kind: Kind,
    file: &[u8],
    person: Uuid,
    options: Options,
) -> anyhow::Result<Report> {
    // The import reports progress through a plain callback; a task writes it to the row.
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Step>();
    let db = state.db.clone();
    let writer = tokio::spawn(async move {
        let mut last = Instant::now() - PROGRESS_EVERY;
        let (mut phase, mut rows): (Option<&'static str>, Option<u64>) = (None, None);
        while let Some(step) = rx.recv().await {
            match step {
                Step::Rows(n) => rows = Some(n),
                Step::Phase(p) => phase = Some(p),
            }
            if last.elapsed() >= PROGRESS_EVERY {
                last = Instant::now();
                let _ = progress(&db, id, phase, rows).await;
            }
        }
        let _ = progress(&db, id, phase, rows).await;
    });
    let report = {
        let send = move |step: Step| {
            let _ = tx.send(step);
        };
        JOB.scope(
            id,
            super::run(&state.db, kind, file, Actor::Person(person), options, &send),
        )
        .await
    };
    let _ = writer.await;
    let report = report?;
    if report.applied {
        state.engine.reload(&state.db).await?;
    }
    Ok(report)
}

/// Say the job is alive until aborted.
pub(super) async fn beat(db: PgPool, id: Uuid) {
    let mut every = tokio::time::interval(HEARTBEAT_EVERY);
    loop {
        every.tick().await;
        let alive = sqlx::query!(
            "update import_jobs set heartbeat_at = now() where id = $1 and status = 'running'",
            id
        )
        .execute(&db)
        .await;
        if let Err(err) = alive {
            tracing::warn!(job = %id, error = %err, "could not write the import's heartbeat");
        }
    }
}

pub(super) async fn progress(
    db: &PgPool,
    id: Uuid,
    phase: Option<&str>,
    rows: Option<u64>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update import_jobs set phase = coalesce($2, phase), rows_read = coalesce($3, rows_read),
                heartbeat_at = now()
         where id = $1 and status = 'running'",
        id,
        phase,
        rows.map(|r| r as i64)
    )
    .execute(db)
    .await?;
    Ok(())
}

pub(super) async fn finish(
    db: &PgPool,
    id: Uuid,
    outcome: anyhow::Result<serde_json::Value>,
) -> sqlx::Result<()> {
    let (status, report, error) = match outcome {
        Ok(report) => ("done", Some(report), None),
        Err(err) if err.is::<super::esco_zip::ZipError>() => {
            tracing::warn!(job = %id, error = %err, "ESCO upload refused");
            (
                "failed",
                None,
                Some(format!(
                    "The upload could not be read: {err}. Nothing was changed."
                )),
            )
        }
        Err(err) => {
            tracing::error!(job = %id, error = ?err, "import failed");
            (
                "failed",
                None,
                Some("The import failed on the server; nothing was changed. Try again, or ask an administrator to look at the log.".to_string()),
            )
        }
    };
    sqlx::query!(
        "update import_jobs set status = $2, report = $3, error = $4, finished_at = now(),
                phase = case when $2 = 'done' then 'Done' else 'Failed' end
         where id = $1",
        id,
        status,
        report,
        error
    )
    .execute(db)
    .await?;
    Ok(())
}

/// One job, or None if there is no such job. A running job whose server has not been heard
/// from for 30 seconds is marked failed first.
pub async fn load(db: &PgPool, id: Uuid) -> sqlx::Result<Option<Job>> {
    sqlx::query!(
        "update import_jobs set status = 'failed', phase = 'Failed', error = $2, finished_at = now()
         where id = $1 and status = 'running'
           and heartbeat_at < now() - make_interval(secs => $3)",
        id,
        LOST,
        STALE_SECONDS
    )
    .execute(db)
    .await?;
    let row = sqlx::query!(
        "select id, kind, keep_clean, status, phase, rows_read, report, error
         from import_jobs where id = $1",
        id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| {
        let esco = r.kind == "esco";
        Job {
            id: r.id,
            kind: r.kind,
            keep_clean: r.keep_clean,
            status: r.status,
            phase: r.phase,
            rows_read: r.rows_read,
            esco: r
                .report
                .clone()
                .filter(|_| esco)
                .and_then(|v| serde_json::from_value(v).ok()),
            report: r
                .report
                .filter(|_| !esco)
                .and_then(|v| serde_json::from_value(v).ok()),
            error: r.error,
        }
    }))
}
