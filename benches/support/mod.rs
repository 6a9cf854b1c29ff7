//! What every benchmark shares: the PostgreSQL server to measure against.

use sqlx::postgres::PgConnectOptions;
use trellis::db::embedded::{PrivateCluster, Tuning};

/// The server's maintenance database: `DATABASE_URL`'s server when set, else a private cluster
/// in `target/bench-pg` (returned too, so the benchmark can stop it if it started it).
pub async fn server() -> anyhow::Result<(PgConnectOptions, Option<PrivateCluster>)> {
    Ok(match std::env::var("DATABASE_URL") {
        Ok(url) => (url.parse::<PgConnectOptions>()?.database("postgres"), None),
        Err(_) => {
            let dir = std::path::PathBuf::from("target/bench-pg");
            let cluster = tokio::task::spawn_blocking(move || {
                PrivateCluster::ensure_running(
                    &dir,
                    Tuning {
                        durability_off: true,
                    },
                )
            })
            .await??;
            (cluster.connect_options("postgres"), Some(cluster))
        }
    })
}
