//! `trellis backup FILE` and `trellis restore FILE`, run as the real binary against test
//! databases: the restored copy has every row, a database with tables is refused unless
//! `--force`, and a backup of an older schema is migrated forward on restore.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sqlx::PgPool;
use trellis::db::MIGRATOR;

use crate::support::{database_url, empty_database, fresh_database};

/// Run `trellis ARGS` on the database at `url` (or, with `None`, on the private cluster in
/// `dir`); (success, stdout + stderr).
async fn run_trellis(url: Option<&str>, args: &[&str], dir: &Path) -> (bool, String) {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_trellis"));
    command
        .args(args)
        .env("TRELLIS_NO_DEMO", "true")
        .env("TRELLIS_DATA_DIR", dir.join("data"))
        .current_dir(dir);
    match url {
        Some(url) => command.env("DATABASE_URL", url),
        None => command.env_remove("DATABASE_URL"),
    };
    let output = command.output().await.expect("the trellis binary runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

async fn trellis(url: &str, args: &[&str], dir: &Path) -> (bool, String) {
    run_trellis(Some(url), args, dir).await
}

/// Rows of every table in the public schema.
async fn row_counts(pool: &PgPool) -> BTreeMap<String, i64> {
    let tables: Vec<String> = sqlx::query_scalar(
        "select table_name::text from information_schema.tables
         where table_schema = 'public' and table_type = 'BASE TABLE'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut counts = BTreeMap::new();
    for table in tables {
        // Table names come from the catalog, quoted as identifiers.
        let n: i64 = sqlx::query_scalar(&format!(
            "select count(*) from {}",
            trellis::db::quote_ident(&table)
        ))
        .fetch_one(pool)
        .await
        .unwrap();
        counts.insert(table, n);
    }
    counts
}

fn scratch_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("trellis-backup-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn a_backup_restored_into_another_database_has_the_same_rows() {
    let source = fresh_database(true).await;
    let target = empty_database().await;
    let dir = scratch_dir();
    let file = dir.join("trellis.dump");
    let file_arg = file.to_str().unwrap();

    let (ok, said) = trellis(&database_url(&source), &["backup", file_arg], &dir).await;
    assert!(ok, "{said}");
    assert!(said.contains("Backed up database"), "{said}");
    let (ok, said) = trellis(&database_url(&target), &["restore", file_arg], &dir).await;
    assert!(ok, "{said}");

    assert!(said.contains("Restored"), "{said}");
    assert!(said.contains("0 migration(s) applied after it"), "{said}");
    let counts = row_counts(&source).await;
    assert!(counts["people"] > 100, "the demo company: {counts:?}");
    assert_eq!(row_counts(&target).await, counts);
    assert!(!dir.join("trellis.dump.partial").exists());

    // A second restore into the now full database is refused and changes nothing...
    sqlx::query("insert into departments (name) values ('Only in the target')")
        .execute(&target)
        .await
        .unwrap();
    let changed = row_counts(&target).await;
    let (ok, said) = trellis(&database_url(&target), &["restore", file_arg], &dir).await;
    assert!(!ok, "{said}");
    assert!(
        said.contains("is not empty") && said.contains("--force"),
        "{said}"
    );
    assert_eq!(row_counts(&target).await, changed);

    // ...unless forced, which replaces everything with the backup.
    let (ok, said) = trellis(
        &database_url(&target),
        &["restore", "--force", file_arg],
        &dir,
    )
    .await;
    assert!(ok, "{said}");
    assert!(said.contains("Dropped everything"), "{said}");
    assert_eq!(row_counts(&target).await, counts);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_backup_of_an_older_schema_is_migrated_forward_on_restore() {
    let older = empty_database().await;
    let all = MIGRATOR.migrations.len();
    let mut previous = sqlx::migrate::Migrator {
        migrations: Cow::Owned(MIGRATOR.migrations[..all - 1].to_vec()),
        ..sqlx::migrate::Migrator::DEFAULT
    };
    previous.set_ignore_missing(true);
    previous.run(&older).await.unwrap();
    let target = empty_database().await;
    let dir = scratch_dir();
    let file = dir.join("older.dump");
    let file_arg = file.to_str().unwrap();

    let (ok, said) = trellis(&database_url(&older), &["backup", file_arg], &dir).await;
    assert!(ok, "{said}");
    let (ok, said) = trellis(&database_url(&target), &["restore", file_arg], &dir).await;

    assert!(ok, "{said}");
    assert!(said.contains("1 migration(s) applied after it"), "{said}");
    let applied: i64 = sqlx::query_scalar("select count(*) from _sqlx_migrations where success")
        .fetch_one(&target)
        .await
        .unwrap();
    assert_eq!(applied as usize, all);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_file_that_is_not_a_backup_is_refused_before_anything_is_touched() {
    let target = fresh_database(false).await;
    let dir = scratch_dir();
    let file = dir.join("notes.txt");
    std::fs::write(&file, "hello").unwrap();
    let before = row_counts(&target).await;

    let (ok, said) = trellis(
        &database_url(&target),
        &["restore", "--force", file.to_str().unwrap()],
        &dir,
    )
    .await;

    assert!(!ok);
    assert!(
        said.contains("is not a backup made by `trellis backup`"),
        "{said}"
    );
    assert_eq!(row_counts(&target).await, before);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn the_private_cluster_is_backed_up_and_restored_with_its_own_programs() {
    let dir = scratch_dir();
    let file = dir.join("private.dump");
    let file_arg = file.to_str().unwrap();
    let (ok, said) = run_trellis(None, &["migrate"], &dir).await;
    assert!(ok, "{said}");

    let (ok, said) = run_trellis(None, &["backup", file_arg], &dir).await;
    assert!(ok, "{said}");
    assert!(said.contains("of the private cluster in"), "{said}");
    let (ok, said) = run_trellis(None, &["restore", file_arg], &dir).await;
    assert!(!ok, "the cluster's database has tables: {said}");
    assert!(said.contains("--force"), "{said}");
    let (ok, said) = run_trellis(None, &["restore", "--force", file_arg], &dir).await;

    assert!(ok, "{said}");
    assert!(
        said.contains("Restored") && said.contains("0 migration(s) applied after it"),
        "{said}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
