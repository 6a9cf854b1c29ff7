//! Making room for the demo company: refuse a database that already holds data, or (with
//! `--replace`) delete everything in it first.

use anyhow::bail;
use sqlx::{PgConnection, Postgres, Transaction};

use super::bulk;
use super::progress::Progress;
use crate::db::quote_ident;

/// Tables the reset keeps (the migrations' bookkeeping, the append-only audit log, and the
/// mobility policy versions) or empties with `delete` because the audit log and the policies
/// reference them (`truncate` refuses a table referenced by a table it does not empty).
const KEPT: [&str; 3] = ["_sqlx_migrations", "audit_log", "mobility_policies"];
/// Emptied with `delete`, in this order, after everything else was truncated.
const DELETED: [&str; 6] = [
    "people",
    "departments",
    "locations",
    "job_profiles",
    "job_levels",
    "job_families",
];

/// Make sure the demo company can be written in `tx`.
///
/// Without `replace`, a database holding people or reference data (skills, families,
/// departments, locations, courses) is refused. With `replace`, every table is emptied except
/// the audit log (append-only, enforced by a trigger), the mobility policy versions and the
/// migrations table. The audit log keeps its rows, so a reset is only possible while no audit
/// entry names a person: once someone has acted in the database, `actor_id` would have to be
/// cleared, which the audit log forbids. Then the reset refuses with a message asking for an
/// empty database (drop it, or use a new `TRELLIS_DATA_DIR` / `DATABASE_URL`).
///
/// Returns true when existing data was deleted.
pub async fn prepare(
    tx: &mut Transaction<'_, Postgres>,
    replace: bool,
    progress: &Progress,
) -> anyhow::Result<bool> {
    let conn: &mut PgConnection = tx;
    let people: i64 = sqlx::query_scalar("select count(*) from people")
        .fetch_one(&mut *conn)
        .await?;
    let reference: bool = sqlx::query_scalar(
        "select exists(select 1 from skills) or exists(select 1 from job_families)
             or exists(select 1 from departments) or exists(select 1 from locations)
             or exists(select 1 from courses)",
    )
    .fetch_one(&mut *conn)
    .await?;
    if people == 0 && !reference {
        return Ok(false);
    }
    if !replace {
        bail!(
            "the database is not empty ({people} people); run `trellis demo --replace` to delete \
             everything in it and load the demo company, or use an empty database"
        );
    }
    let audited: bool =
        sqlx::query_scalar("select exists(select 1 from audit_log where actor_id is not null)")
            .fetch_one(&mut *conn)
            .await?;
    if audited {
        bail!(
            "cannot replace the data: the audit log records actions by people in this \
             database, and it is append-only. Load the demo company into an empty database \
             instead (drop this one, or point TRELLIS_DATA_DIR or DATABASE_URL at a new one)"
        );
    }
    progress.stage("deleting the existing data");
    let tables: Vec<String> = sqlx::query_scalar(
        "select tablename::text from pg_tables
         where schemaname = current_schema() order by tablename",
    )
    .fetch_all(&mut *conn)
    .await?;
    let truncated: Vec<String> = tables
        .iter()
        .filter(|t| !KEPT.contains(&t.as_str()) && !DELETED.contains(&t.as_str()))
        .map(|t| quote_ident(t))
        .collect();
    if !truncated.is_empty() {
        // Table names come from the catalogue and are quoted; they cannot be bound.
        sqlx::query(&format!("truncate {}", truncated.join(", ")))
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query(
        "update mobility_policies set changed_by_id = null where changed_by_id is not null",
    )
    .execute(&mut *conn)
    .await?;
    // Deleting a person makes PostgreSQL clear `departments.head_id`, which has no index: a
    // scan of all departments per person. When we own the table, its keys are set aside
    // while both are emptied (see `bulk`); otherwise the heads are cleared first, which is
    // slow only for very large companies.
    let restore = bulk::defer_checks(conn, "departments").await?;
    if restore.is_none() {
        sqlx::query("update departments set head_id = null where head_id is not null")
            .execute(&mut *conn)
            .await?;
    }
    for table in DELETED {
        sqlx::query(&format!("delete from {}", quote_ident(table)))
            .execute(&mut *conn)
            .await?;
    }
    if let Some(restore) = restore {
        restore.run(conn).await?;
    }
    Ok(true)
}
