//! Running the subcommands: `serve` (default), `migrate` and `demo`.

use anyhow::Context;
use tokio::net::TcpListener;

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
    let pool = database.pool(config.db_max_connections).await?;
    db::migrate(&pool).await?;
    if !config.no_demo && db::is_empty(&pool).await? {
        println!("The database is empty: loading the demo company (2,000 people) ...");
        let options = demo::DemoOptions::default();
        let summary = demo::generate(&pool, &options, demo::Progress::terminal()).await?;
        println!("{summary}");
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
    // With each connection's peer address, for the per-address limits (`http::address`).
    let app = crate::app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("the web server stopped with an error")?;
    tracing::info!("shutting down");
    pool.close().await;
    Ok(())
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
