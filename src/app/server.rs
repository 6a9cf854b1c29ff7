//! Running the subcommands: `serve` (default), `migrate`, `demo`, `import`, `backup` and
//! `restore`.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

use crate::app::state::AppState;
use crate::config::{Cli, Command, Config, DemoArgs};
use crate::db::{self, Database};
use crate::demo;

/// Run what the command line asks for. The private PostgreSQL (if this process started it)
/// is stopped before returning, whatever the outcome.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = cli.config;
    let database = Database::locate(&config).await?;
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(&config, &database).await,
        Command::Migrate => migrate_only(&config, &database).await,
        Command::Demo(args) => load_demo(&config, &database, &args).await,
        Command::Import(args) => crate::import::cli::run(&config, &database, &args).await,
        Command::Backup(args) => db::backup::backup(&config, &database, &args.file).await,
        Command::Restore(args) => {
            db::backup::restore(&config, &database, &args.file, args.force).await
        }
    };
    database.shutdown().await;
    result
}

async fn migrate_only(config: &Config, database: &Database) -> anyhow::Result<()> {
    let pool = database.pool(config.db_max_connections.min(4)).await?;
    db::migrate(&pool).await?;
    println!("Database migrations are up to date.");
    Ok(())
}

async fn load_demo(config: &Config, database: &Database, args: &DemoArgs) -> anyhow::Result<()> {
    let pool = database.pool(config.db_max_connections.max(4)).await?;
    db::migrate(&pool).await?;
    let options = demo::DemoOptions {
        employees: args.employees,
        seed: args.seed,
        replace: args.replace,
    };
    let summary = demo::generate(&pool, &options, demo::Progress::terminal()).await?;
    println!("{summary}");
    Ok(())
}

async fn serve(config: &Config, database: &Database) -> anyhow::Result<()> {
    crate::outbox::webhook::check_company_webhook(config)?;
    let pool = database.pool(config.db_max_connections).await?;
    db::migrate(&pool).await?;
    let empty = db::is_empty(&pool).await?;
    if loads_demo(config, database.is_private(), empty) {
        println!("The database is empty: loading the demo company (2,000 people) ...");
        let options = demo::DemoOptions::default();
        let summary = demo::generate(&pool, &options, demo::Progress::terminal()).await?;
        println!("{summary}");
    }
    if empty && !database.is_private() && !config.demo {
        println!(
            "The database is empty. No demo data was loaded (it is only loaded into a \
             DATABASE_URL database with --demo): add people with `trellis import people FILE` \
             or SCIM."
        );
    }
    let state = AppState::start(pool.clone(), config.clone()).await?;
    crate::app::jobs::spawn_all(&state);
    let listener = TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("cannot listen on {} (TRELLIS_ADDR)", config.addr))?;
    let addr = listener.local_addr()?;
    println!("Trellis is running at http://{addr}/");
    if demo::has_demo_accounts(&pool).await? {
        println!(
            "Demo sign-ins (password `{}`):\n  employee@example.com  an individual contributor\n  \
             manager@example.com   their manager\n  hr@example.com        an HR admin",
            demo::DEMO_PASSWORD
        );
    }
    let limits = ServeLimits::from_config(config);
    serve_http(listener, crate::app(state), limits, shutdown_signal()).await;
    tracing::info!("shutting down");
    pool.close().await;
    Ok(())
}

/// Whether `serve` loads the demo company, whose sign-ins (an HR admin among them) have a
/// published password: only into an empty database, never with `--no-demo`, and into a
/// database given by `DATABASE_URL` (a real install) only when asked with `--demo`. The
/// private cluster, `cargo run` on a laptop, gets it by default.
pub fn loads_demo(config: &Config, private_cluster: bool, empty: bool) -> bool {
    empty && !config.no_demo && (private_cluster || config.demo)
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

/// How the server protects itself from clients that hold connections: a deadline for a
/// request's headers and a cap on connections served at once.
#[derive(Debug, Clone, Copy)]
pub struct ServeLimits {
    /// Time to send the headers of a request, and to start the next one on a kept-alive
    /// connection (`TRELLIS_HEADER_TIMEOUT_SECS`).
    pub header_timeout: Duration,
    /// Connections served at once (`TRELLIS_MAX_CONNECTIONS`); the others wait in the
    /// listen queue until one closes.
    pub max_connections: usize,
}

impl ServeLimits {
    pub fn from_config(config: &Config) -> Self {
        ServeLimits {
            header_timeout: Duration::from_secs(config.header_timeout_secs.max(1)),
            max_connections: (config.max_connections as usize).max(1),
        }
    }
}

/// How long a shutdown waits for requests in flight before it drops them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// Serve `app` on `listener` until `shutdown` resolves, then finish the requests in flight
/// (at most [`SHUTDOWN_GRACE`]). HTTP/1.1 with hyper's header read timeout, at most
/// `max_connections` at once (a semaphore held for a connection's life; the accept loop waits
/// for a free one). Every request carries the peer's address: handlers take
/// `axum::extract::ConnectInfo<std::net::SocketAddr>`. `serve` and the test app both serve
/// through here.
pub async fn serve_http(
    listener: TcpListener,
    app: Router,
    limits: ServeLimits,
    shutdown: impl Future<Output = ()> + Send,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => permit.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    accept_failed(err).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service =
            app.clone()
                .map_request(move |mut req: axum::http::Request<hyper::body::Incoming>| {
                    req.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
                    req.map(axum::body::Body::new)
                });
        let connection = graceful
            .watch(http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service)));
        tokio::spawn(async move {
            if let Err(err) = connection.await {
                tracing::debug!(%err, %peer, "connection ended with an error");
            }
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(SHUTDOWN_GRACE) => {
            tracing::warn!("requests still running after {SHUTDOWN_GRACE:?}; stopping anyway");
        }
    }
}

/// A failed accept: the client went away (go on at once), or the process is out of file
/// descriptors or memory (wait a little, so the loop does not spin, and let connections close).
async fn accept_failed(err: std::io::Error) {
    use std::io::ErrorKind;
    if matches!(
        err.kind(),
        ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset | ErrorKind::ConnectionRefused
    ) {
        return;
    }
    tracing::error!(%err, "accepting a connection failed");
    tokio::time::sleep(Duration::from_millis(200)).await;
}
