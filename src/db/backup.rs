//! `trellis backup FILE` and `trellis restore FILE`: PostgreSQL's own `pg_dump` (custom
//! format) and `pg_restore`, from the installation the private cluster uses, for the private
//! cluster or the `DATABASE_URL` database. A restore goes into an empty database only (or,
//! with `--force`, one emptied first), in one transaction, and is migrated forward to this
//! version of Trellis afterwards.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{bail, Context};
use sqlx::PgPool;

use super::embedded;
use super::Database;
use crate::config::Config;
use crate::domain::secret::Secret;

/// The first bytes of a custom-format dump.
const DUMP_MAGIC: &[u8] = b"PGDMP";

/// Dump the database to `file` (written beside it first, renamed when complete).
pub async fn backup(config: &Config, database: &Database, file: &Path) -> anyhow::Result<()> {
    let partial = PathBuf::from(format!("{}.partial", file.display()));
    let out =
        File::create(&partial).with_context(|| format!("cannot create {}", partial.display()))?;
    let mut cmd = client(config, database, "pg_dump")?;
    cmd.args(["--format=custom", "--no-password"]).stdout(out);
    let started = Instant::now();
    if let Err(err) = run(cmd, "pg_dump").await {
        let _ = std::fs::remove_file(&partial);
        return Err(err);
    }
    std::fs::rename(&partial, file)
        .with_context(|| format!("cannot rename {} to {}", partial.display(), file.display()))?;
    let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    println!(
        "Backed up {} to {} ({}, pg_dump custom format) in {:.1} s.",
        describe(database),
        file.display(),
        size(bytes),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Restore `file` into the database. A database with tables in it is refused unless `force`,
/// which drops everything in it first.
pub async fn restore(
    config: &Config,
    database: &Database,
    file: &Path,
    force: bool,
) -> anyhow::Result<()> {
    let mut input = File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    let mut magic = [0u8; 5];
    if input.read_exact(&mut magic).is_err() || magic != DUMP_MAGIC {
        bail!(
            "{} is not a backup made by `trellis backup` (a pg_dump custom-format file)",
            file.display()
        );
    }
    let input = File::open(file)?;
    let pool = database.pool(2).await?;
    let tables = tables(&pool).await?;
    if !tables.is_empty() {
        if !force {
            bail!(
                "{} is not empty ({} tables, among them {}): restore into an empty database, \
                 or add --force to drop everything in it first",
                describe(database),
                tables.len(),
                tables
                    .iter()
                    .take(3)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        sqlx::raw_sql("drop schema public cascade; create schema public")
            .execute(&pool)
            .await
            .context("emptying the database for --force")?;
        println!(
            "Dropped everything in {} (--force): {} tables.",
            describe(database),
            tables.len()
        );
    }
    pool.close().await;

    let mut cmd = client(config, database, "pg_restore")?;
    cmd.args([
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        "--no-password",
    ])
    .stdin(input);
    let started = Instant::now();
    run(cmd, "pg_restore").await?;
    let restored = started.elapsed();

    let pool = database.pool(2).await?;
    let before = applied_migrations(&pool).await?;
    super::migrate(&pool).await?;
    let after = applied_migrations(&pool).await?;
    let people: i64 = sqlx::query_scalar!(r#"select count(*) as "n!" from people"#)
        .fetch_one(&pool)
        .await?;
    pool.close().await;
    println!(
        "Restored {} into {} in {:.1} s: {people} people; {} migration(s) applied after it \
         ({after} in all).",
        file.display(),
        describe(database),
        restored.as_secs_f64(),
        after - before
    );
    Ok(())
}

/// The tables in the database, outside PostgreSQL's own schemas.
async fn tables(pool: &PgPool) -> anyhow::Result<Vec<String>> {
    Ok(sqlx::query_scalar!(
        r#"select c.relname as "name!" from pg_class c
           join pg_namespace n on n.oid = c.relnamespace
           where c.relkind in ('r', 'p')
             and n.nspname not in ('pg_catalog', 'information_schema')
             and n.nspname not like 'pg\_toast%' and n.nspname not like 'pg\_temp%'
           order by c.relname"#
    )
    .fetch_all(pool)
    .await?)
}

/// Migrations recorded as applied (every Trellis backup has sqlx's table of them).
async fn applied_migrations(pool: &PgPool) -> anyhow::Result<i64> {
    Ok(
        sqlx::query_scalar!(r#"select count(*) as "n!" from _sqlx_migrations where success"#)
            .fetch_one(pool)
            .await?,
    )
}

/// A client program set up to reach the database: through the private cluster's socket, or
/// the `DATABASE_URL` (its password passed in the environment, not on the command line).
fn client(config: &Config, database: &Database, program: &str) -> anyhow::Result<Command> {
    if let Some(cluster) = &database.cluster {
        return Ok(cluster.client(program, "trellis"));
    }
    let url = config
        .database_url
        .as_ref()
        .map(Secret::expose)
        .context("no DATABASE_URL and no private cluster")?;
    let mut url = url::Url::parse(url).context("DATABASE_URL is not a valid URL")?;
    let password = url.password().map(percent_decode);
    let _ = url.set_password(None);
    let mut cmd = Command::new(find_program(program)?);
    cmd.arg("--dbname").arg(url.as_str());
    if let Some(password) = password {
        cmd.env("PGPASSWORD", password);
    }
    Ok(cmd)
}

/// `%XX` sequences decoded (a URL's password may hold them).
fn percent_decode(s: &str) -> String {
    let bytes: Vec<u8> = form_urlencoded::parse(format!("p={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned().into_bytes())
        .unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The program from the PostgreSQL installation the private cluster would use, else from PATH.
fn find_program(program: &str) -> anyhow::Result<PathBuf> {
    if let Ok(dir) = embedded::programs_dir() {
        if dir.join(program).is_file() {
            return Ok(dir.join(program));
        }
    }
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .map(|dir| dir.join(program))
        .find(|path| path.is_file())
        .with_context(|| {
            format!("{program} is not installed (it comes with PostgreSQL's client programs)")
        })
}

/// Run `cmd` to the end; a failure carries its standard error.
async fn run(mut cmd: Command, what: &'static str) -> anyhow::Result<()> {
    cmd.stderr(Stdio::piped());
    let output = tokio::task::spawn_blocking(move || cmd.output())
        .await?
        .with_context(|| format!("cannot run {what}"))?;
    if !output.status.success() {
        bail!(
            "{what} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(())
}

/// Which database, for messages (never with its password).
fn describe(database: &Database) -> String {
    let name = database.options.get_database().unwrap_or("(default)");
    match &database.cluster {
        Some(cluster) => format!(
            "database {name} of the private cluster in {}",
            cluster.data_dir().display()
        ),
        None => format!(
            "database {name} on {}:{}",
            database.options.get_host(),
            database.options.get_port()
        ),
    }
}

/// Bytes for people.
fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MB", bytes as f64 / f64::from(1 << 20))
    } else {
        format!("{:.1} kB", bytes as f64 / 1024.0)
    }
}
