//! Whether the sign-in page shows the demo sign-ins: only while the three demo accounts
//! exist. The answer is one indexed query, kept for a few seconds so the sign-in page stays a
//! page without a database round trip, and refreshed in the background from the database
//! itself, so every app server gives the same answer within that time.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::PgPool;

/// How long an answer is used before it is checked again.
const FRESH_FOR: Duration = Duration::from_secs(10);

/// The cached answer of [`crate::demo::has_demo_accounts`].
pub struct DemoHint {
    db: PgPool,
    shown: AtomicBool,
    checked_at: Mutex<Instant>,
    refreshing: AtomicBool,
}

impl DemoHint {
    /// Ask the database once, at start.
    pub async fn load(db: PgPool) -> anyhow::Result<Arc<DemoHint>> {
        let shown = crate::demo::has_demo_accounts(&db).await?;
        Ok(Arc::new(DemoHint {
            db,
            shown: AtomicBool::new(shown),
            checked_at: Mutex::new(Instant::now()),
            refreshing: AtomicBool::new(false),
        }))
    }

    /// The last answer; when it is older than a few seconds a background task asks again
    /// (this call never waits for the database).
    pub fn shown(self: &Arc<Self>) -> bool {
        let stale = self
            .checked_at
            .lock()
            .map(|at| at.elapsed() >= FRESH_FOR)
            .unwrap_or(true);
        if stale && !self.refreshing.swap(true, Ordering::AcqRel) {
            let hint = Arc::clone(self);
            tokio::spawn(async move {
                hint.refresh().await;
                hint.refreshing.store(false, Ordering::Release);
            });
        }
        self.shown.load(Ordering::Acquire)
    }

    /// Ask the database now.
    pub async fn refresh(&self) {
        match crate::demo::has_demo_accounts(&self.db).await {
            Ok(shown) => {
                self.shown.store(shown, Ordering::Release);
                if let Ok(mut at) = self.checked_at.lock() {
                    *at = Instant::now();
                }
            }
            Err(err) => tracing::warn!(%err, "checking for the demo sign-ins"),
        }
    }
}
