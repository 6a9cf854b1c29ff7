//! A real OpenID Connect provider for the single sign-on tests: panva/oidc-provider run by node
//! on loopback (`tests/oidc/provider.mjs`). Its npm packages are installed on first use from
//! `tests/oidc/package-lock.json`.

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Mutex;
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, ChildStdin, Command};

/// The client Trellis is registered as.
pub const CLIENT_ID: &str = "trellis";
pub const CLIENT_SECRET: &str = "trellis-test-client-secret";

/// A running provider; it stops when this is dropped (its standard input closes).
pub struct TestProvider {
    pub issuer: String,
    _stdin: ChildStdin,
    _child: Child,
}

static NPM_INSTALL: Mutex<bool> = Mutex::new(false);

fn provider_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/oidc")
}

/// `npm ci` once per test run when the provider's packages are missing.
fn ensure_packages() {
    let mut done = NPM_INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = provider_dir();
    if *done || dir.join("node_modules/oidc-provider").exists() {
        *done = true;
        return;
    }
    let status = std::process::Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--silent"])
        .current_dir(&dir)
        .status()
        .expect("npm runs (the single sign-on tests need Node.js and npm)");
    assert!(status.success(), "npm ci in tests/oidc failed");
    *done = true;
}

impl TestProvider {
    /// Start a provider that knows one client (Trellis, redirecting to `redirect_uri`) and the
    /// given accounts: `[{sub, email, password, email_verified, name, ...}]`.
    pub async fn start(redirect_uri: &str, accounts: Value) -> TestProvider {
        tokio::task::spawn_blocking(ensure_packages).await.unwrap();
        let mut child = Command::new("node")
            .arg("provider.mjs")
            .current_dir(provider_dir())
            .env("OIDC_CLIENT_ID", CLIENT_ID)
            .env("OIDC_CLIENT_SECRET", CLIENT_SECRET)
            .env("OIDC_REDIRECT_URI", redirect_uri)
            .env("OIDC_ACCOUNTS", accounts.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("node runs (the single sign-on tests need Node.js)");
        let stdin = child.stdin.take().unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .expect("the OpenID provider starts within 30 s")
            .unwrap()
            .expect("the OpenID provider prints where it listens");
        let issuer = line
            .strip_prefix("listening ")
            .unwrap_or_else(|| panic!("unexpected provider output: {line}"))
            .to_string();
        // Keep reading what it prints: a closed pipe would stop the provider at its next line.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        TestProvider {
            issuer,
            _stdin: stdin,
            _child: child,
        }
    }
}
