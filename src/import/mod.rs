//! Bulk imports: people, people's skills and moves from the HR system (CSV), a skill taxonomy
//! (CSV) and the ESCO classification. Every import validates the whole file first and reports
//! each problem by line and column; it changes nothing unless the file is clean, or (when
//! asked) imports the clean rows and hands the others back as a CSV of rejects. Rows are
//! COPYed into a temporary staging table, checked with set-based SQL and upserted from there,
//! all in one transaction, with one audit row per import.

pub mod cli;
pub mod esco;
mod esco_files;
pub mod esco_job;
mod esco_report;
pub mod esco_zip;
pub mod jobs;
mod locate;
mod manager_loops;
pub mod merge;
pub mod moves;
pub mod people;
pub mod person_skills;
pub mod sheet;
pub mod staging;
pub mod taxonomy;

use std::time::Instant;

use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use utoipa::ToSchema;

use crate::db::audit::Actor;

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// employee_id, email, given_name, family_name, manager_employee_id, department, location,
    /// job_profile, hire_date, status, terminated_on
    People,
    /// employee_id, skill (name, alias or ESCO URI), level, evidence
    Skills,
    /// employee_id, kind, effective_on, to_job_profile, to_department
    Moves,
    /// name, category, description, aliases (separated by `|`)
    Taxonomy,
}

impl Kind {
    /// The name used in URLs, audit rows and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::People => "people",
            Kind::Skills => "skills",
            Kind::Moves => "moves",
            Kind::Taxonomy => "taxonomy",
        }
    }

    /// Parse the URL / form name.
    pub fn parse(s: &str) -> Option<Kind> {
        [Kind::People, Kind::Skills, Kind::Moves, Kind::Taxonomy]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// How to treat a file with problems.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Import the clean rows and return the others as rejects (otherwise change nothing).
    pub keep_clean: bool,
}

/// One problem in a file: where, and what.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[schema(as = ImportProblem)]
pub struct Problem {
    /// 1-based line of the file (the header is line 1).
    pub line: u64,
    /// 1-based column, 0 when the problem is about the whole row or file.
    pub column: usize,
    /// The column's header name.
    pub field: String,
    pub message: String,
    /// The closest known name, for an unknown skill, department, location or profile.
    pub closest: Option<String>,
}

/// The outcome of one import.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = ImportReport)]
pub struct Report {
    pub kind: Kind,
    /// Data rows in the file.
    pub rows: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
    /// Whether anything was written (false when the file had problems and `keep_clean` was off).
    pub applied: bool,
    /// Every problem, sorted by line and column.
    pub problems: Vec<Problem>,
    /// In keep-clean mode: the rejected rows as CSV, with a `reason` column.
    pub rejects_csv: Option<String>,
    pub elapsed_ms: u64,
}

/// Progress of a running import (rows read, then named phases).
pub enum Step {
    Rows(u64),
    Phase(&'static str),
}

/// A progress callback.
pub type Progress<'a> = &'a (dyn Fn(Step) + Sync);

/// A progress callback that ignores everything.
pub fn quiet(_: Step) {}

/// Import one file of the given kind. Database errors are errors; problems in the file are in
/// the report.
pub async fn run(
    db: &PgPool,
    kind: Kind,
    bytes: &[u8],
    actor: Actor,
    options: Options,
    progress: Progress<'_>,
) -> anyhow::Result<Report> {
    let started = Instant::now();
    let mut report = match kind {
        Kind::People => people::import(db, bytes, actor, options, progress).await?,
        Kind::Skills => person_skills::import(db, bytes, actor, options, progress).await?,
        Kind::Moves => moves::import(db, bytes, actor, options, progress).await?,
        Kind::Taxonomy => taxonomy::import(db, bytes, actor, options, progress).await?,
    };
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    Ok(report)
}
