//! A private PostgreSQL cluster, started from an installed PostgreSQL's `initdb`/`pg_ctl`,
//! so that `cargo run` works on a machine with no `DATABASE_URL`.
//!
//! The cluster lives in a data folder (default `./.trellis/pg`), listens only on a unix
//! socket that its owner alone may use (no TCP port, so no port clashes and no other local
//! user can connect), and is reused by the next start. When Trellis runs as root, the cluster
//! runs as the unprivileged `postgres` system user, because PostgreSQL refuses to run as root.
//!
//! The process that starts the cluster owns it and stops it when it stops; its pid is kept
//! beside the data folder (`<data folder>.owner`). A Trellis killed with SIGKILL cannot stop
//! it, so the cluster keeps running: the next start finds the owner gone, takes the cluster
//! over (it is a clean, running server) and stops it when it stops in turn. A start that finds
//! the owner alive (a `trellis demo` beside a running server) uses the cluster and leaves it
//! to its owner.
//!
//! Everything here is blocking (it runs a few short-lived programs); call it from
//! `spawn_blocking` in async code.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use sqlx::postgres::PgConnectOptions;

mod error;
mod programs;

use error::io_err;
pub use error::ClusterError;
use programs::{find_bin_dir, output, run};

/// The superuser role `initdb` creates in a private cluster.
pub const SUPERUSER: &str = "trellis";
/// The port number is only part of the socket's file name: the cluster opens no TCP port.
const PORT: u16 = 5432;
/// Longest unix socket path the kernel accepts, less a safety margin.
const MAX_SOCKET_PATH: usize = 100;

/// Server settings that differ between a real data folder and a throwaway test cluster.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tuning {
    /// Turn off fsync and friends: much faster, and fine for test data that may be lost.
    pub durability_off: bool,
}

/// A running private cluster.
#[derive(Debug)]
pub struct PrivateCluster {
    data_dir: PathBuf,
    socket_dir: PathBuf,
    bin_dir: PathBuf,
    owner: Option<Owner>,
    started_here: bool,
}

/// The unprivileged user the cluster runs as when Trellis runs as root.
#[derive(Debug, Clone, Copy)]
struct Owner {
    uid: u32,
    gid: u32,
}

impl PrivateCluster {
    /// Start the cluster in `data_dir` (creating it on first use), or attach to it when it is
    /// already running.
    pub fn ensure_running(data_dir: &Path, tuning: Tuning) -> Result<Self, ClusterError> {
        let bin_dir = find_bin_dir()?;
        let owner = if nix::unistd::geteuid().is_root() {
            let user = nix::unistd::User::from_name("postgres")
                .ok()
                .flatten()
                .ok_or(ClusterError::NoUnprivilegedUser)?;
            Some(Owner {
                uid: user.uid.as_raw(),
                gid: user.gid.as_raw(),
            })
        } else {
            None
        };

        fs::create_dir_all(data_dir).map_err(io_err("cannot create", data_dir))?;
        let data_dir = data_dir
            .canonicalize()
            .map_err(io_err("cannot resolve", data_dir))?;
        // Serialise concurrent starts (a server and a `trellis demo`, or two test processes).
        let lock_path = data_dir.with_extension("lock");
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io_err("cannot open", &lock_path))?;
        lock.lock().map_err(io_err("cannot lock", &lock_path))?;

        let socket_dir = socket_dir_for(&data_dir);
        let mut cluster = PrivateCluster {
            data_dir,
            socket_dir,
            bin_dir,
            owner,
            started_here: false,
        };
        cluster.prepare_folders()?;
        if !cluster.data_dir.join("PG_VERSION").exists() {
            cluster.initdb()?;
        }
        let owner_path = cluster.data_dir.with_extension("owner");
        if !cluster.is_running()? {
            cluster.start(tuning)?;
            cluster.started_here = true;
        } else {
            match read_owner(&owner_path) {
                Some(pid) if pid != std::process::id() && process_alive(pid) => {
                    tracing::info!(data_dir = %cluster.data_dir.display(), owner = pid,
                        "using the private PostgreSQL that another Trellis process runs");
                }
                previous => {
                    tracing::warn!(data_dir = %cluster.data_dir.display(), previous_owner = ?previous,
                        "taking over the private PostgreSQL left running by a Trellis that stopped \
                         without stopping it (killed?); it stops when this one stops");
                    cluster.started_here = true;
                }
            }
        }
        if cluster.started_here {
            fs::write(&owner_path, std::process::id().to_string())
                .map_err(io_err("cannot write", &owner_path))?;
        }
        drop(lock);
        Ok(cluster)
    }

    /// Connection options for one database of the cluster.
    pub fn connect_options(&self, database: &str) -> PgConnectOptions {
        PgConnectOptions::new()
            .socket(&self.socket_dir)
            .port(PORT)
            .username(SUPERUSER)
            .database(database)
    }

    /// True when this process started the cluster (and so should stop it).
    pub fn started_here(&self) -> bool {
        self.started_here
    }

    /// The data folder.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Stop the cluster cleanly (fast shutdown: open sessions are ended, data is flushed).
    pub fn stop(&self) -> Result<(), ClusterError> {
        let mut cmd = self.command("pg_ctl");
        cmd.arg("stop")
            .arg("-D")
            .arg(&self.data_dir)
            .args(["-m", "fast", "-w", "-s"]);
        run(cmd, "pg_ctl stop")?;
        tracing::info!(data_dir = %self.data_dir.display(), "private PostgreSQL stopped");
        Ok(())
    }

    /// Leave a watcher behind that stops the cluster as soon as process `pid` has exited.
    /// Test processes use this: the Rust test harness has no hook that runs at the end.
    pub fn stop_when_process_exits(&self, pid: u32) -> Result<(), ClusterError> {
        let pg_ctl = self.bin_dir.join("pg_ctl");
        let script = format!(
            "while ps -p {pid} >/dev/null 2>&1; do sleep 0.3; done; \"$0\" stop -D \"$1\" -m fast -w -s >/dev/null 2>&1"
        );
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(script)
            .arg(pg_ctl)
            .arg(&self.data_dir)
            .current_dir("/")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(owner) = self.owner {
            cmd.uid(owner.uid).gid(owner.gid);
        }
        cmd.spawn().map_err(|e| ClusterError::Command {
            what: "starting the cluster watcher".into(),
            detail: e.to_string(),
        })?;
        Ok(())
    }

    /// A PostgreSQL client program of the cluster's installation (`pg_dump`, `pg_restore`),
    /// run as the cluster's user and connecting to `database` through its socket.
    pub fn client(&self, program: &str, database: &str) -> Command {
        let mut cmd = self.command(program);
        cmd.arg("--host")
            .arg(&self.socket_dir)
            .arg("--port")
            .arg(PORT.to_string())
            .arg("--username")
            .arg(SUPERUSER)
            .arg("--dbname")
            .arg(database);
        cmd
    }

    fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(self.bin_dir.join(program));
        // PostgreSQL's programs want a current directory their user can read.
        cmd.current_dir("/");
        cmd.env_remove("PGDATA")
            .env_remove("PGHOST")
            .env_remove("PGPORT");
        if let Some(owner) = self.owner {
            cmd.uid(owner.uid).gid(owner.gid);
            cmd.env("HOME", &self.data_dir);
        }
        cmd
    }

    /// Create the data and socket folders, owned by the user the server runs as. As root,
    /// make sure that user can reach the data folder through its parents (search permission
    /// only: it cannot list them).
    fn prepare_folders(&self) -> Result<(), ClusterError> {
        for dir in [&self.data_dir, &self.socket_dir] {
            fs::create_dir_all(dir).map_err(io_err("cannot create", dir))?;
            let meta = fs::metadata(dir).map_err(io_err("cannot read", dir))?;
            // initdb insists on 0700 (or 0750) for the data folder.
            if meta.permissions().mode() & 0o077 != 0 {
                fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
                    .map_err(io_err("cannot set permissions on", dir))?;
            }
            if let Some(owner) = self.owner {
                std::os::unix::fs::chown(dir, Some(owner.uid), Some(owner.gid))
                    .map_err(io_err("cannot hand over", dir))?;
            }
        }
        if self.owner.is_some() {
            for dir in [&self.data_dir, &self.socket_dir] {
                grant_search_on_ancestors(dir)?;
            }
        }
        Ok(())
    }

    fn initdb(&self) -> Result<(), ClusterError> {
        tracing::info!(data_dir = %self.data_dir.display(), "creating a private PostgreSQL cluster");
        let mut cmd = self.command("initdb");
        cmd.arg("-D").arg(&self.data_dir).args([
            "-U",
            SUPERUSER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        ]);
        run(cmd, "initdb")?;
        let conf = self.data_dir.join("postgresql.conf");
        let mut file = OpenOptions::new()
            .append(true)
            .open(&conf)
            .map_err(io_err("cannot open", &conf))?;
        let settings = format!(
            "\n# Added by Trellis: a private cluster reachable only through its unix socket.\n\
             listen_addresses = ''\n\
             port = {PORT}\n\
             unix_socket_directories = '{}'\n\
             unix_socket_permissions = 0700\n\
             max_connections = 200\n\
             shared_buffers = 256MB\n\
             work_mem = 16MB\n\
             maintenance_work_mem = 256MB\n",
            self.socket_dir.display().to_string().replace('\'', "''")
        );
        file.write_all(settings.as_bytes())
            .map_err(io_err("cannot write", &conf))?;
        Ok(())
    }

    fn is_running(&self) -> Result<bool, ClusterError> {
        let mut cmd = self.command("pg_ctl");
        cmd.arg("status").arg("-D").arg(&self.data_dir);
        let out = output(cmd, "pg_ctl status")?;
        // 0: running; 3: not running; 4: no usable data folder.
        Ok(out.status.code() == Some(0))
    }

    fn start(&self, tuning: Tuning) -> Result<(), ClusterError> {
        let log = self.data_dir.join("server.log");
        let mut cmd = self.command("pg_ctl");
        cmd.arg("start")
            .arg("-D")
            .arg(&self.data_dir)
            .arg("-l")
            .arg(&log)
            .args(["-w", "-t", "120", "-s"]);
        // The socket folder is given at every start, not only in the postgresql.conf that
        // initdb wrote: a data folder that was moved or copied (a project folder moved, a
        // build folder copied) still listens where this process will look.
        let mut options = format!(
            "-c unix_socket_directories='{}'",
            self.socket_dir.display().to_string().replace('\'', "''")
        );
        if tuning.durability_off {
            options.push_str(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        }
        cmd.arg("-o").arg(options);
        if let Err(err) = run(cmd, "pg_ctl start") {
            let tail = fs::read_to_string(&log)
                .map(|s| s.lines().rev().take(5).collect::<Vec<_>>().join(" | "))
                .unwrap_or_default();
            return Err(ClusterError::Command {
                what: "starting the private PostgreSQL".into(),
                detail: format!("{err}; server log ({}): {tail}", log.display()),
            });
        }
        tracing::info!(data_dir = %self.data_dir.display(), "private PostgreSQL started");
        Ok(())
    }
}

/// The pid in an owner file, if it holds one.
fn read_owner(path: &Path) -> Option<u32> {
    fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// True while process `pid` exists (signal 0 checks without sending anything).
fn process_alive(pid: u32) -> bool {
    let Ok(pid) = i32::try_from(pid) else {
        return false;
    };
    match nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None) {
        Ok(()) => true,
        // It exists but belongs to another user.
        Err(nix::errno::Errno::EPERM) => true,
        Err(_) => false,
    }
}

/// Where the installed PostgreSQL programs are (the folder the private cluster uses).
pub fn programs_dir() -> Result<PathBuf, ClusterError> {
    find_bin_dir()
}

/// The socket lives in the data folder when the path is short enough for the kernel's limit,
/// else in a per-folder directory under the system temp dir.
fn socket_dir_for(data_dir: &Path) -> PathBuf {
    let in_data = data_dir.join(format!(".s.PGSQL.{PORT}"));
    if in_data.as_os_str().len() <= MAX_SOCKET_PATH {
        return data_dir.to_path_buf();
    }
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(data_dir.as_os_str().as_encoded_bytes());
    let short: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
    PathBuf::from("/tmp").join(format!("trellis-pg-{short}"))
}

fn grant_search_on_ancestors(dir: &Path) -> Result<(), ClusterError> {
    for ancestor in dir.ancestors().skip(1) {
        if ancestor == Path::new("/") {
            break;
        }
        let meta = fs::metadata(ancestor).map_err(io_err("cannot read", ancestor))?;
        let mode = meta.permissions().mode();
        if mode & 0o001 == 0 {
            tracing::warn!(
                folder = %ancestor.display(),
                "letting the postgres user pass through this folder (adding search permission for others)"
            );
            fs::set_permissions(ancestor, fs::Permissions::from_mode(mode | 0o001))
                .map_err(io_err("cannot set permissions on", ancestor))?;
        }
    }
    Ok(())
}
