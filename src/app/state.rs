//! What every handler can reach. Cheap to clone; holds nothing a second app server would miss:
//! sessions and everything else live in PostgreSQL, and the matching index is a cache of it
//! that every server keeps current through LISTEN/NOTIFY.

use std::sync::Arc;
use std::time::Duration;

use sqlx::PgPool;
use tokio::sync::Semaphore;

use crate::app::demo_hint::DemoHint;
use crate::app::meters::Meters;
use crate::config::Config;
use crate::engine::Engine;
use crate::error::AppError;
use crate::sso::Sso;

/// How long a password check waits for a free hashing slot before the server says it is busy.
const HASHING_WAIT: Duration = Duration::from_millis(250);
/// What a client told "busy" is asked to wait, in seconds (`Retry-After`).
pub const HASHING_RETRY_AFTER: u64 = 1;

/// Shared application state.
#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub config: Arc<Config>,
    pub engine: Arc<Engine>,
    /// The identity provider for single sign-on, when one is configured.
    pub sso: Option<Arc<Sso>>,
    /// Slots for password hashing and verification (argon2 takes 19 MiB and a core for tens
    /// of milliseconds each): about one per core, so a flood of sign-ins cannot take the
    /// memory or the threads. See [`AppState::password_work`].
    pub hashing: Arc<Semaphore>,
    /// Whether the sign-in page shows the demo sign-ins (only while those accounts exist).
    pub demo_hint: Arc<DemoHint>,
    /// This process's request counters, for `/metrics`.
    pub meters: Arc<Meters>,
}

impl AppState {
    /// Load the matching index and start listening for changes. The background workers are
    /// started by `app::jobs::spawn_all`, once per server.
    pub async fn start(db: PgPool, config: Config) -> anyhow::Result<Self> {
        crate::outbox::install_tls_provider();
        let sso = Sso::from_config(&config)?;
        if sso.is_none() && !config.password_login {
            tracing::warn!(
                "password sign-in is off and single sign-on is not configured: nobody can sign in"
            );
        }
        let engine = Engine::load(&db).await?;
        engine.spawn_listener(db.clone());
        let demo_hint = DemoHint::load(db.clone()).await?;
        let state = AppState {
            demo_hint,
            db,
            config: Arc::new(config),
            engine,
            sso,
            hashing: Arc::new(Semaphore::new(hashing_slots())),
            meters: Arc::default(),
        };
        Ok(state)
    }

    /// Run password hashing or verification `work` on a blocking thread, holding one of the
    /// hashing slots. Every argon2 call of a request goes through here (sign-in, the new
    /// password of a reset, changing a password). When no slot frees up within a moment, the
    /// answer is [`AppError::Busy`] (503 with `Retry-After`) instead of a queue that grows.
    pub async fn password_work<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let permit =
            match tokio::time::timeout(HASHING_WAIT, self.hashing.clone().acquire_owned()).await {
                Ok(Ok(permit)) => permit,
                _ => return Err(AppError::Busy(HASHING_RETRY_AFTER)),
            };
        tokio::task::spawn_blocking(move || {
            let _slot = permit;
            work()
        })
        .await
        .map_err(|e| AppError::Other(e.into()))
    }
}

/// One hashing slot per core.
fn hashing_slots() -> usize {
    std::thread::available_parallelism()
        .map(std::num::NonZeroUsize::get)
        .unwrap_or(2)
        .max(1)
}
