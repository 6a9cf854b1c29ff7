//! An ESCO import started from an upload (`/hr/skills`, `POST /api/v1/hr/esco`): the same
//! background job, heartbeat and progress page as the CSV imports (`jobs`), over the ESCO
//! export unpacked into a private folder.

use uuid::Uuid;

use super::esco::{self, EscoOptions};
use super::{jobs, Step};
use crate::app::state::AppState;
use crate::db::audit::Actor;

/// Record an ESCO import of the uploaded CSV export (`zip`, checked by
/// `esco_zip::check` first) and start it on this server; returns its id at once. The files
/// are unpacked into a private folder that is removed when the job ends.
pub async fn start(
    state: &AppState,
    zip: Vec<u8>,
    person: Uuid,
    options: EscoOptions,
) -> sqlx::Result<Uuid> {
    let id = sqlx::query_scalar!(
        "insert into import_jobs (kind, started_by_id) values ('esco', $1) returning id",
        person
    )
    .fetch_one(&state.db)
    .await?;
    let state = state.clone();
    tokio::spawn(async move {
        let heartbeat = tokio::spawn(jobs::beat(state.db.clone(), id));
        let outcome = run_esco(&state, id, zip, person, options).await;
        heartbeat.abort();
        if let Err(err) = jobs::finish(&state.db, id, outcome).await {
            tracing::error!(job = %id, error = ?err, "could not record the ESCO import's outcome");
        }
    });
    Ok(id)
}

async fn run_esco(
    state: &AppState,
    id: Uuid,
    zip: Vec<u8>,
    person: Uuid,
    options: EscoOptions,
) -> anyhow::Result<serde_json::Value> {
    let dir = std::env::temp_dir().join(format!("trellis-esco-{id}"));
    std::fs::create_dir_all(&dir)?;
    let _ = jobs::progress(&state.db, id, Some("unpacking the ESCO export"), None).await;
    let unpack_into = dir.clone();
    let unpacked =
        tokio::task::spawn_blocking(move || super::esco_zip::unpack(&zip, &unpack_into)).await?;
    let outcome = match unpacked {
        Ok(()) => {
            let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Step>();
            let db = state.db.clone();
            let writer = tokio::spawn(async move {
                while let Some(step) = rx.recv().await {
                    if let Step::Phase(p) = step {
                        let _ = jobs::progress(&db, id, Some(p), None).await;
                    }
                }
            });
            let send = move |step: Step| {
                let _ = tx.send(step);
            };
            let report = esco::import(&state.db, &dir, Actor::Person(person), options, &send).await;
            // The writer ends when the last sender is gone.
            drop(send);
            let _ = writer.await;
            report
        }
        Err(err) => Err(err.into()),
    };
    let _ = std::fs::remove_dir_all(&dir);
    let report = outcome?;
    state.engine.reload(&state.db).await?;
    Ok(serde_json::to_value(&report)?)
}
