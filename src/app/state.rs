//! What every handler can reach. Cheap to clone; holds nothing a second app server would miss:
//! sessions and everything else live in PostgreSQL, and the matching index is a cache of it
//! that every server keeps current through LISTEN/NOTIFY.

use std::sync::Arc;

use sqlx::PgPool;

use crate::app::demo_hint::DemoHint;
use crate::config::Config;
use crate::engine::Engine;
use crate::sso::Sso;

/// Shared application state.
#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub config: Arc<Config>,
    pub engine: Arc<Engine>,
    /// The identity provider for single sign-on, when one is configured.
    pub sso: Option<Arc<Sso>>,
    /// Whether the sign-in page shows the demo sign-ins (only while those accounts exist).
    pub demo_hint: Arc<DemoHint>,
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
        };
        Ok(state)
    }
}
