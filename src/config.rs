//! One configuration, from command-line flags and environment variables (flags win).
//! Every setting is documented in `.env.example` and the README.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::domain::secret::Secret;

/// The `trellis` command line.
#[derive(Debug, Parser)]
#[command(
    name = "trellis",
    version,
    about = "Trellis, the internal talent marketplace"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub config: Config,
}

/// What to do; `serve` when none is given.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (the default). Loads the demo company into an empty private cluster
    /// (or, with `--demo`, into an empty `DATABASE_URL` database).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Generate the deterministic demo company into the database.
    Demo(DemoArgs),
    /// Import a CSV file from the HR system, a skill taxonomy, or the ESCO classification.
    Import(ImportArgs),
    /// Back the database up to FILE with PostgreSQL's `pg_dump` (custom format).
    Backup(BackupArgs),
    /// Restore a backup made by `trellis backup` into an empty database (see `--force`), then
    /// apply this version's migrations to it.
    Restore(RestoreArgs),
}

/// Options of `trellis backup FILE`.
#[derive(Debug, Clone, Args)]
pub struct BackupArgs {
    /// Where the backup goes (replaced if it exists, once the new one is complete).
    pub file: PathBuf,
}

/// Options of `trellis restore FILE`.
#[derive(Debug, Clone, Args)]
pub struct RestoreArgs {
    /// A backup made by `trellis backup` (or `pg_dump -Fc`).
    pub file: PathBuf,
    /// Drop everything in the database first; without it a database with tables is refused.
    #[arg(long)]
    pub force: bool,
}

/// Options of `trellis import KIND FILE`.
#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// What the file holds: people, skills, moves, taxonomy (CSV files) or esco (a folder).
    pub kind: String,
    /// The CSV file (or, for esco, the folder of the official ESCO CSV export).
    pub path: PathBuf,
    /// Import the clean rows and write the others to the rejects file.
    #[arg(long)]
    pub keep_clean: bool,
    /// Where the rejected rows go in keep-clean mode (default: FILE.rejects.csv).
    #[arg(long)]
    pub rejects: Option<PathBuf>,
    /// ESCO: also import occupations as job profiles.
    #[arg(long)]
    pub occupations: bool,
    /// ESCO: the level (1-5) an occupation's skills are required at.
    #[arg(long, default_value_t = 3)]
    pub level: i16,
}

/// Options of `trellis demo`.
#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// Number of active employees to generate.
    #[arg(long, default_value_t = 2000, env = "TRELLIS_DEMO_EMPLOYEES")]
    pub employees: u32,
    /// Random seed: the same seed and size give the same company.
    #[arg(long, default_value_t = 42, env = "TRELLIS_DEMO_SEED")]
    pub seed: u64,
    /// Delete everything in the database first (otherwise a non-empty database is refused).
    #[arg(long)]
    pub replace: bool,
}

/// Settings shared by every subcommand.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// PostgreSQL connection URL. Without it, Trellis runs a private cluster in the data folder.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, global = true)]
    pub database_url: Option<Secret>,

    /// Address the web server listens on.
    #[arg(
        long,
        env = "TRELLIS_ADDR",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    pub addr: SocketAddr,

    /// Seconds a client has to send a request's headers (also how long an idle keep-alive
    /// connection stays open). Slow clients that hold connections open are cut off after it.
    #[arg(
        long,
        env = "TRELLIS_HEADER_TIMEOUT_SECS",
        default_value_t = 10,
        value_parser = clap::value_parser!(u64).range(1..),
        global = true
    )]
    pub header_timeout_secs: u64,

    /// Client connections served at once; more wait to be accepted. Keep it below the open
    /// file limit (`ulimit -n`) minus the database connections.
    #[arg(
        long,
        env = "TRELLIS_MAX_CONNECTIONS",
        default_value_t = 512,
        value_parser = clap::value_parser!(u32).range(1..),
        global = true
    )]
    pub max_connections: u32,

    /// Folder for Trellis's own files: the private PostgreSQL cluster lives in `<dir>/pg`.
    #[arg(
        long,
        env = "TRELLIS_DATA_DIR",
        default_value = ".trellis",
        global = true
    )]
    pub data_dir: PathBuf,

    /// Log format: `text` for people, `json` for log collectors. Levels come from RUST_LOG.
    #[arg(
        long,
        env = "TRELLIS_LOG_FORMAT",
        default_value = "text",
        global = true
    )]
    pub log_format: LogFormat,

    /// Mark cookies `Secure` (set this when Trellis is served over HTTPS).
    #[arg(
        long,
        env = "TRELLIS_SECURE_COOKIES",
        default_value_t = false,
        global = true
    )]
    pub secure_cookies: bool,

    /// Hours a sign-in session lasts without activity.
    #[arg(
        long,
        env = "TRELLIS_SESSION_HOURS",
        default_value_t = 12,
        global = true
    )]
    pub session_hours: u32,

    /// Do not load the demo company into an empty database on `serve`.
    #[arg(long, env = "TRELLIS_NO_DEMO", default_value_t = false, global = true)]
    pub no_demo: bool,

    /// Load the demo company (with its published sign-ins) into an empty database given by
    /// `DATABASE_URL` on `serve`. Without it only the private cluster gets the demo.
    #[arg(long, env = "TRELLIS_DEMO", default_value_t = false, global = true)]
    pub demo: bool,

    /// Maximum database connections in the pool.
    #[arg(
        long,
        env = "TRELLIS_DB_MAX_CONNECTIONS",
        default_value_t = 20,
        global = true
    )]
    pub db_max_connections: u32,

    /// Run the periodic jobs on this server (job alerts, metrics aggregates, moves that come
    /// into effect). Every server may run them: each job takes a database lock or is
    /// idempotent, so two servers never do the work twice.
    #[arg(
        long,
        env = "TRELLIS_BACKGROUND_JOBS",
        default_value_t = true,
        action = clap::ArgAction::Set,
        global = true
    )]
    pub background_jobs: bool,

    /// Outgoing mail server, e.g. `smtp://user:pass@mail.example.com:587?tls=required` or
    /// `smtps://...`. Without it, emails wait in the outbox.
    #[arg(long, env = "TRELLIS_SMTP_URL", hide_env_values = true, global = true)]
    pub smtp_url: Option<Secret>,

    /// The sender of Trellis's emails.
    #[arg(
        long,
        env = "TRELLIS_MAIL_FROM",
        default_value = "Trellis <trellis@localhost>",
        global = true
    )]
    pub mail_from: String,

    /// Company-wide chat incoming webhook (Slack/Teams-compatible `{"text": ...}`), used for
    /// people who turned chat on without a webhook of their own.
    #[arg(
        long,
        env = "TRELLIS_CHAT_WEBHOOK_URL",
        hide_env_values = true,
        global = true
    )]
    pub chat_webhook_url: Option<String>,

    /// Hosts a person's own chat webhook may point at (comma-separated; `*.example.com`
    /// matches subdomains). Anything else is refused, so nobody can make the server post to
    /// an internal address.
    #[arg(
        long,
        env = "TRELLIS_CHAT_WEBHOOK_HOSTS",
        default_value = "hooks.slack.com,*.webhook.office.com",
        value_delimiter = ',',
        global = true
    )]
    pub chat_webhook_hosts: Vec<String>,

    /// Tests only, never from the command line or environment: let webhooks use plain http,
    /// any port and loopback or private addresses (the tests' receivers listen on 127.0.0.1).
    #[arg(skip)]
    pub insecure_webhooks_for_tests: bool,

    /// Seconds between outbox deliveries; 0 turns the background worker off.
    #[arg(
        long,
        env = "TRELLIS_OUTBOX_INTERVAL_SECS",
        default_value_t = 10,
        global = true
    )]
    pub outbox_interval_secs: u64,

    /// Seconds a claimed delivery stays reserved for the server sending it. A server that
    /// stops in the middle of a send leaves the delivery reserved this long, then another
    /// server (or this one after its restart) sends it again. Longer than any send takes.
    #[arg(
        long,
        env = "TRELLIS_OUTBOX_LEASE_SECS",
        default_value_t = 300,
        global = true
    )]
    pub outbox_lease_secs: u64,

    /// The address people reach Trellis at, for links in emails and chat messages.
    #[arg(
        long,
        env = "TRELLIS_PUBLIC_URL",
        default_value = "http://localhost:3000",
        global = true
    )]
    pub public_url: String,

    /// OpenID Connect issuer, e.g. `https://login.example.com/realms/acme`. With the client id
    /// and secret it turns on "Sign in with single sign-on" (authorization code + PKCE).
    #[arg(long, env = "TRELLIS_OIDC_ISSUER_URL", global = true)]
    pub oidc_issuer_url: Option<String>,

    /// The client id Trellis is registered under at the identity provider.
    #[arg(long, env = "TRELLIS_OIDC_CLIENT_ID", global = true)]
    pub oidc_client_id: Option<String>,

    /// The client secret from the identity provider.
    #[arg(
        long,
        env = "TRELLIS_OIDC_CLIENT_SECRET",
        hide_env_values = true,
        global = true
    )]
    pub oidc_client_secret: Option<Secret>,

    /// What the sign-in button calls the identity provider ("Sign in with ...").
    #[arg(
        long,
        env = "TRELLIS_OIDC_PROVIDER_NAME",
        default_value = "single sign-on",
        global = true
    )]
    pub oidc_provider_name: String,

    /// Create a person on their first single sign-on when no one has their email. Off: only
    /// people already in Trellis (by import or SCIM) can sign in.
    #[arg(
        long,
        env = "TRELLIS_OIDC_CREATE_USERS",
        default_value_t = false,
        action = clap::ArgAction::Set,
        global = true
    )]
    pub oidc_create_users: bool,

    /// Allow signing in with an email and password. Turn off once single sign-on is set up.
    #[arg(
        long,
        env = "TRELLIS_PASSWORD_LOGIN",
        default_value_t = true,
        action = clap::ArgAction::Set,
        global = true
    )]
    pub password_login: bool,

    /// Reverse proxies (comma-separated IP addresses) whose `X-Forwarded-For` names the
    /// client. Empty: the client address is the connection's peer and the header is ignored.
    /// The per-address limits on password attempts count by this address.
    #[arg(
        long,
        env = "TRELLIS_TRUSTED_PROXIES",
        value_delimiter = ',',
        global = true
    )]
    pub trusted_proxies: Vec<std::net::IpAddr>,

    /// Hours a sign-in session lasts at most, however active (then the person signs in again).
    #[arg(
        long,
        env = "TRELLIS_SESSION_MAX_HOURS",
        default_value_t = 12,
        global = true
    )]
    pub session_max_hours: u32,

    /// Seconds a request may take before it is answered 503 (`Retry-After`) and its work is
    /// dropped; a frozen database costs a client this long at most.
    #[arg(
        long,
        env = "TRELLIS_REQUEST_TIMEOUT_SECS",
        default_value_t = 30,
        global = true
    )]
    pub request_timeout_secs: u64,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

impl Config {
    /// The private cluster's folder.
    pub fn pg_dir(&self) -> PathBuf {
        self.data_dir.join("pg")
    }

    /// Settings for tests and tools that build a config without a command line.
    pub fn for_tests() -> Self {
        Config {
            database_url: None,
            addr: "127.0.0.1:0".parse().expect("valid address"),
            header_timeout_secs: 10,
            max_connections: 512,
            data_dir: PathBuf::from(".trellis"),
            log_format: LogFormat::Text,
            secure_cookies: false,
            session_hours: 12,
            no_demo: true,
            demo: false,
            db_max_connections: 5,
            background_jobs: false,
            smtp_url: None,
            mail_from: "Trellis <trellis@localhost>".into(),
            chat_webhook_url: None,
            // The tests' webhook receiver listens on loopback.
            chat_webhook_hosts: vec!["127.0.0.1".into()],
            insecure_webhooks_for_tests: true,
            outbox_interval_secs: 0,
            outbox_lease_secs: 300,
            public_url: "http://localhost:3000".into(),
            oidc_issuer_url: None,
            oidc_client_id: None,
            oidc_client_secret: None,
            oidc_provider_name: "single sign-on".into(),
            oidc_create_users: false,
            password_login: true,
            trusted_proxies: Vec::new(),
            session_max_hours: 12,
            request_timeout_secs: 30,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_and_smtp_passwords_and_the_client_secret_never_show_in_debug_output() {
        let mut config = Config::for_tests();
        config.database_url = Some(Secret::new("postgres://app:s3cr3t-db@db.internal/trellis"));
        config.smtp_url = Some(Secret::new("smtp://mailer:s3cr3t-pw@mail.example.com:587"));
        config.oidc_client_secret = Some(Secret::new("client-s3cr3t"));
        let shown = format!("{config:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(shown.contains("[redacted]"));
    }
}
