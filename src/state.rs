//! What every handler can reach. Cheap to clone; holds nothing a second app server would miss
//! (sessions and everything else live in PostgreSQL).

use std::sync::Arc;

use sqlx::PgPool;

use crate::config::Config;

/// Shared application state.
#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub config: Arc<Config>,
}

impl AppState {
    pub fn new(db: PgPool, config: Config) -> Self {
        AppState {
            db,
            config: Arc::new(config),
        }
    }
}
