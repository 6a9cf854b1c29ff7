//! Why the private cluster could not be started: PostgreSQL missing, no unprivileged user
//! to run it as, a program that failed, or a file that could not be read or written.

use std::path::{Path, PathBuf};

/// Why the private cluster could not be started.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error(
        "PostgreSQL was not found. Trellis runs its own private database with the initdb and \
         pg_ctl programs of an installed PostgreSQL (13 or newer); it looked on PATH and in {searched}. \
         Install PostgreSQL (Debian/Ubuntu: `sudo apt-get install postgresql`; macOS: \
         `brew install postgresql@16`) or set DATABASE_URL to use a server you already run."
    )]
    NotInstalled { searched: String },
    #[error(
        "Trellis is running as root, and PostgreSQL refuses to run as root; it needs the \
         unprivileged `postgres` system user (created by the PostgreSQL package) to own the \
         private cluster. Install PostgreSQL from your distribution, or set DATABASE_URL."
    )]
    NoUnprivilegedUser,
    #[error("{what} failed: {detail}")]
    Command { what: String, detail: String },
    #[error("{what} {path}: {source}")]
    Io {
        what: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Maps an I/O error on `path` to `ClusterError::Io` saying what was attempted.
pub(super) fn io_err<'a>(
    what: &'static str,
    path: &'a Path,
) -> impl FnOnce(std::io::Error) -> ClusterError + 'a {
    move |source| ClusterError::Io {
        what,
        path: path.to_path_buf(),
        source,
    }
}
