//! The test harness: a real PostgreSQL (the private test cluster, or `DATABASE_URL`), one
//! fresh database per test cloned from a template, and the real app on a random port.

pub mod browser;
pub mod client;
pub mod oidc;
pub mod routes;
pub mod smtp;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Connection, PgConnection, PgPool};
use tokio::net::TcpListener;
use trellis::config::Config;
use trellis::db::embedded::{PrivateCluster, Tuning};
use trellis::db::{quote_ident, MIGRATOR};
use trellis::demo::{self, DemoOptions, Progress};
use trellis::AppState;

pub use client::Client;

/// Size and seed of the demo company in the demo template (small, so cloning is quick).
pub const DEMO_EMPLOYEES: u32 = 300;
pub const DEMO_SEED: u64 = 7;

/// The server every test database lives on.
struct Server {
    /// Options for the maintenance database (`postgres`).
    admin: PgConnectOptions,
    /// Prefix of this process's database names: `trellis_t<unix seconds>_<pid>`.
    prefix: String,
    base_template: String,
    demo_template: OnceLock<String>,
}

static SERVER: OnceLock<Server> = OnceLock::new();
static COUNTER: AtomicU32 = AtomicU32::new(0);

/// Run `fut` to completion on a runtime of its own, on another thread: each `#[tokio::test]`
/// has its own runtime, and shared set-up must not be tied to any one of them.
fn block_on_own_runtime<F, T>(fut: F) -> T
where
    F: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("test runtime")
            .block_on(fut)
    })
    .join()
    .expect("set-up thread panicked")
}

fn server() -> &'static Server {
    SERVER.get_or_init(|| block_on_own_runtime(init_server()))
}

async fn init_server() -> Server {
    let _ = tracing_subscriber_init();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let (admin, private) = match std::env::var("DATABASE_URL") {
        Ok(url) => {
            let options: PgConnectOptions = url.parse().expect("DATABASE_URL is a PostgreSQL URL");
            (options.database("postgres"), false)
        }
        Err(_) => {
            let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pg");
            let cluster = tokio::task::spawn_blocking(move || {
                PrivateCluster::ensure_running(
                    &dir,
                    Tuning {
                        durability_off: true,
                    },
                )
            })
            .await
            .unwrap()
            .unwrap_or_else(|e| panic!("cannot start the private test PostgreSQL: {e}"));
            if cluster.started_here() {
                cluster
                    .stop_when_process_exits(std::process::id())
                    .expect("cluster watcher");
            }
            (cluster.connect_options("postgres"), true)
        }
    };
    let admin = admin.disable_statement_logging();
    drop_stale_databases(&admin, private, now).await;

    let prefix = format!("trellis_t{now}_{}", std::process::id());
    let base_template = format!("{prefix}_base");
    create_database(&admin, &base_template, None).await;
    let pool = pool_for(&admin, &base_template).await;
    MIGRATOR
        .run(&pool)
        .await
        .expect("migrations apply to an empty database");
    pool.close().await;
    Server {
        admin,
        prefix,
        base_template,
        demo_template: OnceLock::new(),
    }
}

fn tracing_subscriber_init() -> Option<()> {
    // Logs from the app under test, shown for failing tests; RUST_LOG picks the level.
    let filter = std::env::var("RUST_LOG").ok()?;
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_test_writer()
        .try_init()
        .ok()
}

/// Databases left by earlier runs: on the private cluster all of them; on a shared server
/// only those older than six hours (another run may be using newer ones).
async fn drop_stale_databases(admin: &PgConnectOptions, private: bool, now: u64) {
    let mut conn = PgConnection::connect_with(admin)
        .await
        .expect("connect to PostgreSQL");
    let names: Vec<String> =
        sqlx::query_scalar("select datname from pg_database where datname like 'trellis\\_t%'")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    for name in names {
        let started: Option<u64> = name
            .strip_prefix("trellis_t")
            .and_then(|rest| rest.split('_').next())
            .and_then(|s| s.parse().ok());
        let stale = private || started.is_some_and(|t| t + 6 * 3600 < now);
        if stale {
            let _ = sqlx::query(&format!(
                "drop database if exists {} with (force)",
                quote_ident(&name)
            ))
            .execute(&mut conn)
            .await;
        }
    }
}

async fn create_database(admin: &PgConnectOptions, name: &str, template: Option<&str>) {
    let mut conn = PgConnection::connect_with(admin)
        .await
        .expect("connect to PostgreSQL");
    let sql = match template {
        Some(t) => format!(
            "create database {} template {}",
            quote_ident(name),
            quote_ident(t)
        ),
        None => format!("create database {}", quote_ident(name)),
    };
    // Cloning fails while another session is still connected to the template; retry briefly.
    for attempt in 0.. {
        match sqlx::query(&sql).execute(&mut conn).await {
            Ok(_) => break,
            Err(err)
                if attempt < 50 && err.to_string().contains("being accessed by other users") =>
            {
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            Err(err) => panic!("{sql}: {err}"),
        }
    }
    conn.close().await.ok();
}

async fn pool_for(admin: &PgConnectOptions, name: &str) -> PgPool {
    PgPoolOptions::new()
        .max_connections(5)
        .connect_with(admin.clone().database(name))
        .await
        .expect("connect to the test database")
}

fn demo_template() -> &'static str {
    let server = server();
    server.demo_template.get_or_init(|| {
        let admin = server.admin.clone();
        let base = server.base_template.clone();
        let name = format!("{}_demo", server.prefix);
        block_on_own_runtime(async move {
            create_database(&admin, &name, Some(&base)).await;
            let pool = pool_for(&admin, &name).await;
            let options = DemoOptions {
                employees: DEMO_EMPLOYEES,
                seed: DEMO_SEED,
                replace: false,
            };
            demo::generate(&pool, &options, Progress::hidden())
                .await
                .expect("the demo company loads");
            pool.close().await;
            name
        })
    })
}

/// The one number a counting query returns (the query is named when it fails).
pub async fn count(db: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(db)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// A URL for the test database that a child process can use (TCP, or the private cluster's
/// socket folder as `host=`).
pub fn database_url(db: &PgPool) -> String {
    let options = db.connect_options();
    let user = options.get_username();
    let name = options.get_database().expect("a test database");
    match options.get_socket() {
        Some(socket) => format!(
            "postgres://{user}@localhost:{}/{name}?host={}",
            options.get_port(),
            socket.display()
        ),
        None => format!(
            "postgres://{user}@{}:{}/{name}",
            options.get_host(),
            options.get_port()
        ),
    }
}

/// A fresh database for one test.
pub async fn fresh_database(with_demo: bool) -> PgPool {
    let server = server();
    let template = if with_demo {
        demo_template().to_string()
    } else {
        server.base_template.clone()
    };
    let name = format!(
        "{}_{}",
        server.prefix,
        COUNTER.fetch_add(1, Ordering::SeqCst)
    );
    create_database(&server.admin, &name, Some(&template)).await;
    pool_for(&server.admin, &name).await
}

/// An empty database with no migrations applied (for the migration test).
pub async fn empty_database() -> PgPool {
    let server = server();
    let name = format!(
        "{}_{}_empty",
        server.prefix,
        COUNTER.fetch_add(1, Ordering::SeqCst)
    );
    create_database(&server.admin, &name, None).await;
    pool_for(&server.admin, &name).await
}

/// The real app, serving on a random loopback port against its own database.
pub struct TestApp {
    pub addr: std::net::SocketAddr,
    pub db: PgPool,
    /// The app's state, so a test that changes rows with SQL can bring the matching engine up
    /// to date at once instead of waiting for the LISTEN/NOTIFY round trip.
    pub state: AppState,
}

impl TestApp {
    /// An app over a migrated, empty database.
    pub async fn empty() -> TestApp {
        Self::serve(fresh_database(false).await).await
    }

    /// An app over the small demo company.
    pub async fn with_demo() -> TestApp {
        Self::serve(fresh_database(true).await).await
    }

    /// A second app server on the same database (as behind a load balancer).
    pub async fn on(db: PgPool) -> TestApp {
        Self::serve(db).await
    }

    async fn serve(db: PgPool) -> TestApp {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        Self::serve_on(db, Config::for_tests(), listener).await
    }

    /// The app with settings of its own, on a listener the test bound already (so the test
    /// can tell another server, such as an identity provider, where the app will be).
    pub async fn serve_on(db: PgPool, config: Config, listener: TcpListener) -> TestApp {
        let state = AppState::start(db.clone(), config)
            .await
            .expect("the app state loads");
        let addr = listener.local_addr().unwrap();
        let app = trellis::app(state.clone());
        let limits = trellis::app::server::ServeLimits::from_config(&state.config);
        tokio::spawn(trellis::app::server::serve_http(
            listener,
            app,
            limits,
            std::future::pending(),
        ));
        TestApp { addr, db, state }
    }

    /// The base URL, e.g. `http://127.0.0.1:40123`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// A new client with its own cookie jar.
    pub fn client(&self) -> Client {
        Client::new(self.url(""))
    }

    /// A new client whose connections come from `ip` (any address in 127.0.0.0/8), so that a
    /// test can play several client addresses.
    pub fn client_from(&self, ip: &str) -> Client {
        Client::from_address(self.url(""), ip.parse().expect("an IP address"))
    }

    /// A client signed in as `email` with the demo password.
    pub async fn signed_in(&self, email: &str) -> Client {
        let client = self.client();
        let response = client.sign_in(email, demo::DEMO_PASSWORD).await;
        assert_eq!(response.status(), 303, "sign-in as {email} should redirect");
        client
    }
}
