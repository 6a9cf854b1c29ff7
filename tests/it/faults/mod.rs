//! Faults against real processes: the `trellis` binary started as operators start it, killed
//! with SIGKILL in the middle of work, restarted; and two of them behind a real nginx.
//!
//! Every test here is bounded: each wait has a deadline, and the work sizes are small enough
//! for the whole group to take well under a minute or two on two cores.

mod accept_kill;
mod import_kill;
mod outbox_kill;
mod private_cluster;
mod two_servers;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sqlx::PgPool;

pub use crate::support::database_url;

/// Mark whatever the demo queued as sent, so only the test's own deliveries are due.
pub async fn quiet_outbox(db: &PgPool) {
    sqlx::query("update outbox set sent_at = now() where sent_at is null")
        .execute(db)
        .await
        .unwrap();
}

/// Queue `n` emails keyed `<prefix>-1..n` to demo people.
pub async fn queue_emails(db: &PgPool, prefix: &str, n: i64) {
    sqlx::query(
        "insert into outbox (idempotency_key, channel, person_id, subject, body_text)
         select $1 || '-' || g, 'email',
                (select id from people order by id offset g % 50 limit 1),
                'Fault test ' || g, 'Body ' || g
         from generate_series(1, $2) g",
    )
    .bind(prefix)
    .bind(n)
    .execute(db)
    .await
    .unwrap();
}

/// The Message-IDs the sink received for keys starting with `prefix`.
pub fn message_ids(sink: &crate::support::smtp::SmtpSink, prefix: &str) -> Vec<String> {
    let start = format!("<{prefix}-");
    sink.messages()
        .iter()
        .filter_map(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("Message-ID: ").map(str::to_string))
        })
        .filter(|id| id.starts_with(&start))
        .collect()
}

/// A free loopback port (bound and released; the child binds it next), never one handed out
/// before in this run (the kernel may offer a just-released port again).
pub fn free_port() -> u16 {
    static GIVEN: std::sync::Mutex<Vec<u16>> = std::sync::Mutex::new(Vec::new());
    let mut given = GIVEN.lock().unwrap();
    loop {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        if !given.contains(&port) {
            given.push(port);
            return port;
        }
    }
}

/// One `trellis serve` process.
pub struct Trellis {
    child: Child,
    pub port: u16,
    log: PathBuf,
}

impl Trellis {
    /// Start `trellis serve` on `port` against `db_url`, with extra environment, and wait until
    /// it answers `/readyz`.
    pub async fn start(db_url: &str, port: u16, env: &[(&str, String)]) -> Trellis {
        Self::launch(Some(db_url), port, env).await
    }

    /// Start `trellis serve` with no `DATABASE_URL`: on its private cluster (give it a
    /// `TRELLIS_DATA_DIR` of its own).
    pub async fn start_private(port: u16, env: &[(&str, String)]) -> Trellis {
        Self::launch(None, port, env).await
    }

    async fn launch(db_url: Option<&str>, port: u16, env: &[(&str, String)]) -> Trellis {
        let log = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("trellis-{port}-{}.log", uuid::Uuid::new_v4()));
        let out = std::fs::File::create(&log).unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_trellis"));
        cmd.arg("serve")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("TRELLIS_ADDR", format!("127.0.0.1:{port}"))
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out);
        if let Some(url) = db_url {
            cmd.env("DATABASE_URL", url);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().expect("the trellis binary starts");
        let mut server = Trellis { child, port, log };
        server.wait_ready(Duration::from_secs(120)).await;
        server
    }

    /// The base URL.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    async fn wait_ready(&mut self, limit: Duration) {
        trellis::outbox::install_tls_provider();
        let http = reqwest::Client::new();
        let start = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "trellis exited with {status} before it was ready:\n{}",
                    self.log_text()
                );
            }
            if let Ok(r) = http.get(self.url("/readyz")).send().await {
                if r.status() == 200 {
                    return;
                }
            }
            assert!(
                start.elapsed() < limit,
                "trellis was not ready within {limit:?}:\n{}",
                self.log_text()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGKILL: no shutdown code runs.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, then wait for a graceful exit (at most `limit`).
    pub fn terminate(&mut self, limit: Duration) -> bool {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Ok(Some(_)) = self.child.try_wait() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    /// What the process logged so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Trellis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
