//! The database: an external server from `DATABASE_URL`, or the private cluster; migrations.

pub mod architecture;
pub mod aspirations;
pub mod audit;
pub mod backlog;
pub mod backup;
pub mod constraints;
pub mod courses;
pub mod embedded;
pub mod identities;
pub mod job_profiles;
pub mod learning;
pub mod mentors;
pub mod menus;
pub mod metrics;
pub mod notifications;
pub mod password_resets;
pub mod people;
pub mod plans;
pub mod policy;
pub mod profile;
pub mod taxonomy;
pub mod throttle;
pub mod tokens;

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Connection, PgPool};

use crate::config::Config;
use crate::domain::secret::Secret;
use embedded::{PrivateCluster, Tuning};

/// The migrations in `migrations/`, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Where the database is: connection options, and the private cluster when we run one.
pub struct Database {
    pub options: PgConnectOptions,
    pub cluster: Option<PrivateCluster>,
}

impl Database {
    /// Use `DATABASE_URL` when set, else start (or attach to) the private cluster and make sure
    /// its `trellis` database exists.
    pub async fn locate(config: &Config) -> anyhow::Result<Database> {
        if let Some(url) = config.database_url.as_ref().map(Secret::expose) {
            let options = PgConnectOptions::from_str(url)
                .context("DATABASE_URL is not a valid PostgreSQL URL")?;
            return Ok(Database {
                options: quiet(options),
                cluster: None,
            });
        }
        let dir = config.pg_dir();
        let cluster = tokio::task::spawn_blocking(move || {
            PrivateCluster::ensure_running(&dir, Tuning::default())
        })
        .await??;
        create_database_if_missing(&cluster.connect_options("postgres"), "trellis").await?;
        Ok(Database {
            options: quiet(cluster.connect_options("trellis")),
            cluster: Some(cluster),
        })
    }

    /// True for the private cluster Trellis runs itself (no `DATABASE_URL`).
    pub fn is_private(&self) -> bool {
        self.cluster.is_some()
    }

    /// A connection pool.
    pub async fn pool(&self, max_connections: u32) -> anyhow::Result<PgPool> {
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            // A database that is down or frozen answers 503 within this, not a hang.
            .acquire_timeout(Duration::from_secs(5))
            .after_connect(|conn, _| Box::pin(async move { check_client_connection(conn).await }))
            .connect_with(self.options.clone())
            .await
            .context("cannot connect to PostgreSQL")?;
        Ok(pool)
    }

    /// Stop the private cluster if this process started it.
    pub async fn shutdown(self) {
        if let Some(cluster) = self.cluster {
            if cluster.started_here() {
                match tokio::task::spawn_blocking(move || cluster.stop()).await {
                    Ok(Ok(())) => {}
                    Ok(Err(err)) => tracing::warn!(%err, "stopping the private PostgreSQL"),
                    Err(err) => tracing::warn!(%err, "stopping the private PostgreSQL"),
                }
            }
        }
    }
}

/// Ask PostgreSQL (14 and later) to look every 2 s, during a long statement, whether this
/// connection's Trellis is still there: when a server is killed in the middle of an import, its
/// statement is cancelled and its locks released within seconds instead of running on.
async fn check_client_connection(conn: &mut sqlx::PgConnection) -> sqlx::Result<()> {
    sqlx::query(
        "select set_config('client_connection_check_interval', '2s', false)
         where current_setting('server_version_num')::int >= 140000",
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Statement logging at debug level only; slow statements at warn.
fn quiet(options: PgConnectOptions) -> PgConnectOptions {
    options
        .log_statements(tracing::log::LevelFilter::Debug)
        .log_slow_statements(tracing::log::LevelFilter::Warn, Duration::from_secs(2))
}

/// `create database` unless it exists (connecting through the maintenance database).
pub async fn create_database_if_missing(
    admin: &PgConnectOptions,
    name: &str,
) -> anyhow::Result<()> {
    let mut conn = sqlx::PgConnection::connect_with(admin).await?;
    let exists: bool =
        sqlx::query_scalar("select exists(select 1 from pg_database where datname = $1)")
            .bind(name)
            .fetch_one(&mut conn)
            .await?;
    if !exists {
        // Identifiers cannot be bound as parameters; `name` is ours, quoted as an identifier.
        sqlx::query(&format!("create database {}", quote_ident(name)))
            .execute(&mut conn)
            .await?;
    }
    Ok(())
}

/// Quote a PostgreSQL identifier.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Apply pending migrations.
pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    MIGRATOR
        .run(pool)
        .await
        .context("running database migrations")?;
    Ok(())
}

/// True when the database holds no people yet (a fresh install).
pub async fn is_empty(pool: &PgPool) -> anyhow::Result<bool> {
    let any: bool = sqlx::query_scalar("select exists(select 1 from people)")
        .fetch_one(pool)
        .await?;
    Ok(!any)
}
pub mod moves;
pub mod postings;
pub mod skill_proposals;
pub mod skill_suggestions;
pub mod team;
