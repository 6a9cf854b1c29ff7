//! The import benchmark (`cargo bench --bench import`): a generated people CSV (200,000 rows by
//! default, BENCH_PEOPLE to change) with a ten-wide manager tree, imported into a throwaway
//! database (`trellis_bench_import`, dropped and created each run): the first import (all
//! inserted), a re-import of the same file (nothing changes), and a re-import with 1% of the
//! rows changed. Uses `DATABASE_URL` when set, else a private cluster in `target/bench-pg`.

#[path = "support/mod.rs"]
mod support;

use std::time::Instant;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Connection};
use trellis::db::audit::Actor;
use trellis::db::{create_database_if_missing, MIGRATOR};
use trellis::import::{self, Kind, Options};

const DATABASE: &str = "trellis_bench_import";

fn main() -> anyhow::Result<()> {
    if std::env::args().any(|a| a == "--list") {
        return Ok(());
    }
    let people = std::env::var("BENCH_PEOPLE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000);
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run(people))
}

async fn run(people: usize) -> anyhow::Result<()> {
    let (admin, cluster) = support::server().await?;
    let mut conn = admin.connect().await?;
    sqlx::query(&format!("drop database if exists {DATABASE} with (force)"))
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    create_database_if_missing(&admin, DATABASE).await?;
    let result = measure(&admin, people).await;
    let mut conn = admin.connect().await?;
    sqlx::query(&format!("drop database if exists {DATABASE} with (force)"))
        .execute(&mut conn)
        .await?;
    if let Some(cluster) = cluster.filter(|c| c.started_here()) {
        tokio::task::spawn_blocking(move || cluster.stop()).await??;
    }
    result
}

/// 20 departments, 10 locations, 50 job profiles.
async fn organisation(pool: &sqlx::PgPool) -> anyhow::Result<()> {
    for sql in [
        "insert into departments (name) select 'Department ' || i from generate_series(1, 20) i",
        "insert into locations (name, country_code) select 'City ' || i, 'DE' from generate_series(1, 10) i",
        "insert into job_families (name) values ('Everything')",
        "insert into job_levels (code, name, track, rank) values ('IC3', 'Professional', 'individual_contributor', 3)",
        "insert into job_profiles (family_id, level_id, title)
         select f.id, l.id, 'Profile ' || i from job_families f, job_levels l, generate_series(1, 50) i",
    ] {
        sqlx::query(sql).execute(pool).await?;
    }
    Ok(())
}

/// The people CSV; `changed` rows (every 100th when true) get another department.
fn people_csv(people: usize, changed: bool) -> Vec<u8> {
    let mut out = String::with_capacity(people * 120);
    out.push_str("employee_id,email,given_name,family_name,manager_employee_id,department,location,job_profile,hire_date,status,terminated_on\n");
    for i in 0..people {
        let manager = if i == 0 {
            String::new()
        } else {
            format!("E{:07}", (i - 1) / 10)
        };
        let department = if changed && i % 100 == 7 {
            (i + 1) % 20 + 1
        } else {
            i % 20 + 1
        };
        out.push_str(&format!(
            "E{i:07},person{i}@example.com,Given{i},Family{},{manager},Department {department},City {},Profile {},{}-{:02}-{:02},active,\n",
            i % 977,
            i % 10 + 1,
            i % 50 + 1,
            2000 + i % 25,
            i % 12 + 1,
            i % 28 + 1,
        ));
    }
    out.into_bytes()
}

async fn measure(admin: &PgConnectOptions, people: usize) -> anyhow::Result<()> {
    let pool = PgPoolOptions::new()
        .max_connections(4)
        .connect_with(admin.clone().database(DATABASE))
        .await?;
    MIGRATOR.run(&pool).await?;
    organisation(&pool).await?;
    let file = people_csv(people, false);
    let changed = people_csv(people, true);
    println!(
        "people CSV: {} rows, {:.1} MB",
        people,
        file.len() as f64 / 1e6
    );
    for (label, bytes) in [
        ("first import", &file),
        ("re-import, same file", &file),
        ("re-import, 1% changed", &changed),
    ] {
        let started = Instant::now();
        let report = import::run(
            &pool,
            Kind::People,
            bytes,
            Actor::System,
            Options::default(),
            &import::quiet,
        )
        .await?;
        anyhow::ensure!(
            report.applied,
            "the generated file has problems: {:?}",
            &report.problems[..report.problems.len().min(5)]
        );
        println!(
            "{label:<24} {:>6.2} s  ({} inserted, {} updated, {} unchanged)",
            started.elapsed().as_secs_f64(),
            report.inserted,
            report.updated,
            report.unchanged
        );
    }
    pool.close().await;
    Ok(())
}
