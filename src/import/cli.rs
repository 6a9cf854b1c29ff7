//! `trellis import KIND FILE`: run an import from the command line with a progress bar.

use std::time::Duration;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

use super::esco::{self, EscoOptions};
use super::{Kind, Options, Step};
use crate::config::{Config, ImportArgs};
use crate::db::{self, audit::Actor, Database};

/// Run the import the arguments describe; a file with problems is an error (exit code 1).
pub async fn run(config: &Config, database: &Database, args: &ImportArgs) -> anyhow::Result<()> {
    let pool = database.pool(config.db_max_connections.min(4)).await?;
    db::migrate(&pool).await?;
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {elapsed_precise} {msg}").expect("valid template"),
    );
    bar.enable_steady_tick(Duration::from_millis(120));
    let progress = |step: Step| match step {
        Step::Rows(n) => bar.set_message(format!("{n} rows read")),
        Step::Phase(p) => bar.set_message(p),
    };
    if args.kind == "esco" {
        esco::check_dir(&args.path)?;
        let options = EscoOptions {
            occupations: args.occupations,
            level: args.level,
        };
        let report = esco::import(&pool, &args.path, Actor::System, options, &progress).await?;
        bar.finish_and_clear();
        println!("{}", serde_json::to_string_pretty(&report)?);
        println!("{}", esco::ATTRIBUTION);
        return Ok(());
    }
    let kind = Kind::parse(&args.kind).with_context(|| {
        format!(
            "unknown kind {} (people, skills, moves, taxonomy, esco)",
            args.kind
        )
    })?;
    let bytes = std::fs::read(&args.path)
        .with_context(|| format!("cannot read {}", args.path.display()))?;
    let options = Options {
        keep_clean: args.keep_clean,
    };
    let report = super::run(&pool, kind, &bytes, Actor::System, options, &progress).await?;
    bar.finish_and_clear();
    for p in &report.problems {
        let closest = p
            .closest
            .as_deref()
            .map(|c| format!(" (closest: {c})"))
            .unwrap_or_default();
        println!(
            "line {}, column {} ({}): {}{closest}",
            p.line, p.column, p.field, p.message
        );
    }
    if let Some(csv) = &report.rejects_csv {
        let path = args
            .rejects
            .clone()
            .unwrap_or_else(|| args.path.with_extension("rejects.csv"));
        std::fs::write(&path, csv).with_context(|| format!("cannot write {}", path.display()))?;
        println!("Rejected rows written to {}", path.display());
    }
    println!(
        "{} rows: {} inserted, {} updated, {} unchanged, {} rejected in {} ms",
        report.rows,
        report.inserted,
        report.updated,
        report.unchanged,
        report.rejected,
        report.elapsed_ms
    );
    anyhow::ensure!(
        report.applied,
        "nothing was imported: the file has {} problem(s)",
        report.problems.len()
    );
    Ok(())
}
