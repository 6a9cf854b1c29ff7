//! The installed PostgreSQL programs: where `initdb`, `pg_ctl` and `postgres` are, and
//! running them with their failures turned into `ClusterError`s.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use super::error::ClusterError;

/// Where the PostgreSQL programs are: PATH first, then the usual package locations.
pub(super) fn find_bin_dir() -> Result<PathBuf, ClusterError> {
    let mut candidates: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    let searched = "/usr/lib/postgresql/*/bin, /usr/local/opt/postgresql*/bin, /opt/homebrew/opt/postgresql*/bin, /usr/pgsql-*/bin";
    let mut versioned = Vec::new();
    for root in ["/usr/lib/postgresql"] {
        if let Ok(entries) = fs::read_dir(root) {
            for e in entries.flatten() {
                versioned.push(e.path().join("bin"));
            }
        }
    }
    for root in ["/usr/local/opt", "/opt/homebrew/opt", "/usr"] {
        if let Ok(entries) = fs::read_dir(root) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if name.starts_with("postgresql") || name.starts_with("pgsql") {
                    versioned.push(e.path().join("bin"));
                }
            }
        }
    }
    // Newest version first ("17" sorts after "15"; good enough for the installed majors).
    versioned.sort();
    versioned.reverse();
    candidates.extend(versioned);
    for dir in &candidates {
        let initdb = dir.join("initdb");
        let pg_ctl = dir.join("pg_ctl");
        if initdb.is_file() && pg_ctl.is_file() {
            // Prefer the folder that holds the real programs (pg_ctl finds `postgres` beside itself).
            let real = fs::canonicalize(&pg_ctl)
                .ok()
                .and_then(|p| p.parent().map(Path::to_path_buf))
                .unwrap_or_else(|| dir.clone());
            if real.join("initdb").is_file() && real.join("postgres").is_file() {
                return Ok(real);
            }
            if dir.join("postgres").is_file() {
                return Ok(dir.clone());
            }
        }
    }
    Err(ClusterError::NotInstalled {
        searched: searched.to_string(),
    })
}

/// Runs `cmd` with no input and returns its output; only a failure to start it is an error.
pub(super) fn output(mut cmd: Command, what: &str) -> Result<Output, ClusterError> {
    cmd.stdin(Stdio::null())
        .output()
        .map_err(|e| ClusterError::Command {
            what: what.to_string(),
            detail: e.to_string(),
        })
}

/// Runs `cmd`; a non-zero exit is an error carrying its stderr (or stdout, or the status).
pub(super) fn run(cmd: Command, what: &str) -> Result<(), ClusterError> {
    let out = output(cmd, what)?;
    if out.status.success() {
        return Ok(());
    }
    let mut detail = String::from_utf8_lossy(&out.stderr).trim().to_string();
    if detail.is_empty() {
        detail = String::from_utf8_lossy(&out.stdout).trim().to_string();
    }
    if detail.is_empty() {
        detail = format!("exit status {}", out.status);
    }
    Err(ClusterError::Command {
        what: what.to_string(),
        detail,
    })
}
