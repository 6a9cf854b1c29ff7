//! The periodic jobs every app server runs (unless `TRELLIS_BACKGROUND_JOBS=false`): job
//! alerts, the metrics aggregates, and marketplace moves that come into effect; and the
//! outbox worker that sends notifications. Each job is
//! safe to run on several servers at once: it takes a database advisory lock or is idempotent.

use std::time::Duration;

use sqlx::PgPool;

use crate::app::state::AppState;

/// How often moves whose effective date has come are applied.
const MOVES_EVERY: Duration = Duration::from_secs(600);

/// Start every periodic job.
pub fn spawn_all(state: &AppState) {
    if state.config.background_jobs {
        crate::app::alerts::spawn(state.db.clone(), state.engine.clone());
        crate::metrics::refresh::spawn_periodic(state.db.clone());
        spawn_due_moves(state.db.clone());
        crate::app::succession_jobs::spawn(state.db.clone());
    }
    // Notifications out: drains the outbox (off when TRELLIS_OUTBOX_INTERVAL_SECS is 0).
    crate::outbox::spawn_worker(state.db.clone(), state.config.clone());
}

/// Apply permanent role moves whose effective date has come (idempotent: a move is applied
/// only while the person's role start is before it).
fn spawn_due_moves(db: PgPool) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(MOVES_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if db.is_closed() {
                break;
            }
            let today = crate::domain::today();
            match crate::db::moves::apply_due_moves(&db, today).await {
                Ok(0) => {}
                // The people triggers tell the matching engine of the changes.
                Ok(n) => tracing::info!(moves = n, "moves came into effect"),
                Err(err) => tracing::warn!(error = ?err, "applying due moves failed"),
            }
        }
    });
}
