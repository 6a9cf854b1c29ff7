//! The `trellis` binary: config -> telemetry -> database -> migrate -> serve (or a subcommand).

use std::process::ExitCode;

use clap::Parser;
use trellis::config::Cli;

#[tokio::main]
async fn main() -> ExitCode {
    // A `.env` file is optional; real environment variables win over it.
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    trellis::telemetry::init(cli.config.log_format);
    match trellis::app::server::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
