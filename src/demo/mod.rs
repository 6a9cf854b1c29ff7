//! The demo company: a realistic, deterministic organisation generated from a seed.
//!
//! `generate` builds the whole company in memory (see [`model::Model`]: the taxonomy and job
//! architecture from the embedded ESCO-derived data, the organisation, skills, learning, the
//! marketplace with three years of history, conversations and notifications), then writes it
//! with `COPY` in one transaction. The same size and seed give the same rows, ids included;
//! dates are relative to the day of loading so the demo always looks current.

mod applications;
mod architecture;
mod audit_history;
mod bulk;
mod data;
mod enrolments;
mod fitting;
mod learning;
mod market;
mod model;
mod notifications;
mod opportunities;
mod org;
mod orgchart;
mod past;
mod people;
pub mod pgcopy;
mod plans;
mod prevalence;
mod progress;
mod random;
mod reset;
mod shape;
mod showcase;
mod skills;
mod social;
mod succession;
mod summary;
mod tables;
mod taxonomy;
mod texts;
mod timeline;

#[cfg(test)]
mod tests;

use std::time::Duration;

use anyhow::Context;
use serde_json::json;
use sqlx::{ConnectOptions, Connection, PgConnection, PgPool, Postgres, Transaction};
use tracing::log::LevelFilter;
use uuid::Uuid;

use crate::db::audit::{self, Actor};
use model::Model;
use pgcopy::copy_table;
pub use progress::Progress;
pub use summary::DemoSummary;

/// The password of the three demo sign-ins.
pub const DEMO_PASSWORD: &str = "trellis-demo";

/// The smallest company the generator makes (it needs a few teams per department).
pub const MIN_EMPLOYEES: u32 = 50;

/// Serialises concurrent demo loads into one database (`pg_advisory_xact_lock` key).
const LOCK_KEY: i64 = 0x0074_7265_6c6c_6973; // "trellis" in ASCII

/// What to generate.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// Active employees (leavers of the last three years come on top).
    pub employees: u32,
    /// The same seed and size give the same company.
    pub seed: u64,
    /// Delete existing data first instead of refusing a database that is not empty.
    pub replace: bool,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            employees: 2000,
            seed: 42,
            replace: false,
        }
    }
}

/// Generate the demo company into `pool`, in one transaction: either all of it is written or
/// nothing is. A database that already holds data is refused unless `options.replace`; see
/// [`reset::prepare`] for what a replace deletes (and when it must refuse).
pub async fn generate(
    pool: &PgPool,
    options: &DemoOptions,
    progress: Progress,
) -> anyhow::Result<DemoSummary> {
    let result = load_company(pool, options, &progress).await;
    progress.finish();
    result
}

async fn load_company(
    pool: &PgPool,
    options: &DemoOptions,
    progress: &Progress,
) -> anyhow::Result<DemoSummary> {
    if options.employees < MIN_EMPLOYEES {
        anyhow::bail!(
            "the demo company needs at least {MIN_EMPLOYEES} employees (got {})",
            options.employees
        );
    }
    let (employees, seed) = (options.employees, options.seed);
    // A connection of its own, without statement logging: bulk COPY and index builds are
    // expected to be slow and would otherwise be logged as slow statements.
    let quiet = (*pool.connect_options())
        .clone()
        .log_statements(LevelFilter::Off)
        .log_slow_statements(LevelFilter::Off, Duration::from_secs(3600));
    let mut conn = PgConnection::connect_with(&quiet)
        .await
        .context("connecting to load the demo company")?;
    let mut tx = conn.begin().await?;
    sqlx::query("select pg_advisory_xact_lock($1)")
        .bind(LOCK_KEY)
        .execute(&mut *tx)
        .await?;
    // No per-row matching notifications for millions of rows; one 'all' at commit instead.
    sqlx::query("set local trellis.bulk_load = 'on'")
        .execute(&mut *tx)
        .await?;
    sqlx::query("select pg_notify('trellis_matching', 'all')")
        .execute(&mut *tx)
        .await?;
    progress.stage("checking the database");
    let replaced = reset::prepare(&mut tx, options.replace, progress).await?;

    let builder = progress.clone();
    let model = tokio::task::spawn_blocking(move || Model::build(employees, seed, &builder))
        .await
        .context("building the demo company")?;
    let hash = tokio::task::spawn_blocking(|| crate::domain::password::hash(DEMO_PASSWORD))
        .await
        .context("hashing the demo password")??;
    let today = time::OffsetDateTime::now_utc().date();
    write(&mut tx, &model, &hash, today, progress).await?;
    succession::write(&mut tx).await?;
    audit_history::write(&mut tx).await?;

    let details = json!({ "employees": employees, "seed": seed });
    if replaced {
        audit::record(
            &mut *tx,
            Actor::System,
            "demo.replaced",
            "demo",
            None,
            details.clone(),
        )
        .await?;
    }
    audit::record(
        &mut *tx,
        Actor::System,
        "demo.loaded",
        "demo",
        None,
        details,
    )
    .await?;
    progress.stage("committing");
    tx.commit().await.context("committing the demo company")?;
    progress.stage("analyzing");
    sqlx::query("analyze")
        .execute(&mut conn)
        .await
        .context("analyzing the demo company")?;
    conn.close().await?;
    crate::metrics::refresh::refresh(pool)
        .await
        .context("building the dashboard's aggregates")?;
    Ok(model.summary())
}

/// COPY every table of the model, in dependency order.
async fn write(
    tx: &mut Transaction<'_, Postgres>,
    model: &Model,
    password_hash: &str,
    today: time::Date,
    progress: &Progress,
) -> anyhow::Result<()> {
    // Index builds after bulk loads (see `bulk`) go faster with more memory.
    sqlx::query("set local maintenance_work_mem = '256MB'")
        .execute(&mut **tx)
        .await?;
    for table in tables::reference_tables(model) {
        load(tx, &table, today, progress).await?;
    }
    // Departments and people point at each other (head, department). When we own the table,
    // departments are loaded with their heads and their foreign keys checked once people
    // exist; otherwise the heads are set by an update (which touches `updated_at`).
    progress.stage("writing departments");
    let deferred = bulk::defer_checks(tx, "departments").await?;
    let departments = tables::departments(&model.org, deferred.is_some());
    copy_table(tx, &departments, today)
        .await
        .context("loading departments")?;
    for table in tables::people_tables(model, password_hash) {
        load(tx, &table, today, progress).await?;
    }
    match deferred {
        Some(restore) => restore.run(tx).await.context("checking departments")?,
        None => set_heads(tx, model).await?,
    }
    for table in tables::activity_tables(model) {
        load(tx, &table, today, progress).await?;
    }
    Ok(())
}

/// Point departments at their heads.
async fn set_heads(tx: &mut Transaction<'_, Postgres>, model: &Model) -> anyhow::Result<()> {
    let (ids, heads): (Vec<Uuid>, Vec<Uuid>) = model
        .org
        .departments
        .iter()
        .filter_map(|d| d.head.map(|h| (d.id, model.org.people[h as usize].id)))
        .unzip();
    sqlx::query(
        "update departments d set head_id = v.head
         from unnest($1::uuid[], $2::uuid[]) as v(id, head) where d.id = v.id",
    )
    .bind(&ids)
    .bind(&heads)
    .execute(&mut **tx)
    .await
    .context("setting department heads")?;
    Ok(())
}

/// COPY one table; a large one with its foreign keys and indexes deferred (see `bulk`).
async fn load(
    tx: &mut Transaction<'_, Postgres>,
    table: &pgcopy::Table<'_>,
    today: time::Date,
    progress: &Progress,
) -> anyhow::Result<()> {
    progress.stage(&format!("writing {}", table.name));
    let context = || format!("loading {}", table.name);
    let restore = if table.rows >= bulk::BULK_ROWS {
        bulk::defer_checks(tx, table.name)
            .await
            .with_context(context)?
    } else {
        None
    };
    copy_table(tx, table, today).await.with_context(context)?;
    if let Some(restore) = restore {
        progress.stage(&format!("checking {}", table.name));
        restore.run(tx).await.with_context(context)?;
    }
    Ok(())
}

/// True when the three demo sign-ins exist.
pub async fn has_demo_accounts(pool: &PgPool) -> anyhow::Result<bool> {
    let n = sqlx::query_scalar!(
        r#"select count(*) as "n!" from people
           where lower(email) in ('employee@example.com', 'manager@example.com', 'hr@example.com')"#
    )
    .fetch_one(pool)
    .await?;
    Ok(n == 3)
}
