//! The staging side of an import: COPY rows into a temporary table, run set-based checks
//! (each a query returning `line, field, message, closest`), and close the transaction with
//! one audit row and one matching-index refresh.

use std::collections::BTreeSet;

use serde_json::Value;
use sqlx::{PgConnection, Postgres, Transaction};

use super::sheet::Sheet;
use super::{Problem, Report};
use crate::db::audit::{self, Actor};

const CHUNK: usize = 1 << 20;

/// Builds the CSV that COPY reads: empty fields are NULL.
pub struct Rows {
    writer: csv::Writer<Vec<u8>>,
    /// Rows written.
    pub count: u64,
}

impl Default for Rows {
    fn default() -> Self {
        Rows {
            writer: csv::WriterBuilder::new()
                .has_headers(false)
                .from_writer(Vec::with_capacity(CHUNK)),
            count: 0,
        }
    }
}

impl Rows {
    /// Append one row.
    pub fn push<I, T>(&mut self, fields: I)
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        let _ = self.writer.write_record(fields);
        self.count += 1;
    }

    fn into_bytes(self) -> Vec<u8> {
        self.writer.into_inner().unwrap_or_default()
    }
}

/// Start the import transaction: no per-row matching notifications (one at the end).
pub async fn begin(db: &sqlx::PgPool) -> anyhow::Result<Transaction<'static, Postgres>> {
    let mut tx = db.begin().await?;
    sqlx::query("set local trellis.bulk_load = 'on'")
        .execute(&mut *tx)
        .await?;
    Ok(tx)
}

/// Create the temporary `table` (dropped at commit) and COPY `rows` into its `columns`.
pub async fn copy(
    conn: &mut PgConnection,
    ddl: &str,
    table: &str,
    columns: &str,
    rows: Rows,
) -> anyhow::Result<u64> {
    sqlx::query(ddl).execute(&mut *conn).await?;
    let bytes = rows.into_bytes();
    let mut copy = conn
        .copy_in_raw(&format!(
            "copy {table} ({columns}) from stdin with (format csv)"
        ))
        .await?;
    for chunk in bytes.chunks(CHUNK) {
        copy.send(chunk).await?;
    }
    let n = copy.finish().await?;
    sqlx::query(&format!("analyze {table}"))
        .execute(&mut *conn)
        .await?;
    Ok(n)
}

/// Run every check. Without `keep_clean` once; with it, the lines found are deleted from the
/// staging table and the checks run again (a row may depend on a rejected one) until clean.
pub async fn check(
    conn: &mut PgConnection,
    table: &str,
    checks: &[&str],
    keep_clean: bool,
    sheet: &Sheet,
    problems: &mut Vec<Problem>,
) -> anyhow::Result<()> {
    loop {
        let mut lines = BTreeSet::new();
        for sql in checks {
            let found: Vec<(i64, String, String, Option<String>)> =
                sqlx::query_as(sql).fetch_all(&mut *conn).await?;
            for (line, field, message, closest) in found {
                lines.insert(line);
                problems.push(Problem {
                    line: line as u64,
                    column: sheet.column(&field),
                    field,
                    message,
                    closest,
                });
            }
        }
        if !keep_clean || lines.is_empty() {
            return Ok(());
        }
        let lines: Vec<i64> = lines.into_iter().collect();
        sqlx::query(&format!("delete from {table} where line = any($1)"))
            .bind(&lines)
            .execute(&mut *conn)
            .await?;
    }
}

/// Lines with at least one problem.
pub fn bad_lines(problems: &[Problem]) -> BTreeSet<u64> {
    problems.iter().map(|p| p.line).collect()
}

/// Write the audit row, refresh the matching index at commit, and commit.
pub async fn finish(
    mut tx: Transaction<'static, Postgres>,
    actor: Actor,
    report: &Report,
    mut details: Value,
) -> anyhow::Result<()> {
    if let Value::Object(map) = &mut details {
        map.insert("rows".into(), report.rows.into());
        map.insert("inserted".into(), report.inserted.into());
        map.insert("updated".into(), report.updated.into());
        map.insert("unchanged".into(), report.unchanged.into());
        map.insert("rejected".into(), report.rejected.into());
    }
    audit::record(
        &mut *tx,
        actor,
        &format!("import.{}", report.kind.as_str()),
        "import",
        None,
        details,
    )
    .await?;
    sqlx::query("select pg_notify('trellis_matching', 'all')")
        .execute(&mut *tx)
        .await?;
    if let Ok(job) = super::jobs::JOB.try_with(|id| *id) {
        // Runtime SQL like the rest of this module's writes.
        sqlx::query(
            "update import_jobs set status = 'done', phase = 'Done', report = $2,
                    finished_at = now()
             where id = $1",
        )
        .bind(job)
        .bind(serde_json::to_value(report)?)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The report of a file that is refused (problems, nothing written).
pub fn refused(kind: super::Kind, rows: u64, mut problems: Vec<Problem>) -> Report {
    super::sheet::sort(&mut problems);
    Report {
        kind,
        rows,
        inserted: 0,
        updated: 0,
        unchanged: 0,
        rejected: bad_lines(&problems).len() as u64,
        applied: false,
        problems,
        rejects_csv: None,
        elapsed_ms: 0,
    }
}
