//! The demo company: a realistic, deterministic organisation generated from a seed.

use std::fmt;

use sqlx::PgPool;

/// The password of the three demo sign-ins.
pub const DEMO_PASSWORD: &str = "trellis-demo";

/// What to generate.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub employees: u32,
    pub seed: u64,
    pub replace: bool,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            employees: 2000,
            seed: 42,
            replace: false,
        }
    }
}

/// Progress reporting: a bar on a terminal, nothing in tests.
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    /// A progress bar on stderr when it is a terminal.
    pub fn terminal() -> Self {
        use std::io::IsTerminal;
        let bar = std::io::stderr().is_terminal().then(indicatif::ProgressBar::new_spinner);
        Progress { bar }
    }

    /// No output.
    pub fn hidden() -> Self {
        Progress { bar: None }
    }
}

/// Counts of what was generated.
#[derive(Debug, Clone, Default)]
pub struct DemoSummary {
    pub people: u64,
}

impl fmt::Display for DemoSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Demo company loaded: {} people.", self.people)
    }
}

/// Generate the demo company.
pub async fn generate(_pool: &PgPool, _options: &DemoOptions, _progress: Progress) -> anyhow::Result<DemoSummary> {
    anyhow::bail!("the demo generator is not written yet")
}

/// True when the three demo sign-ins exist.
pub async fn has_demo_accounts(pool: &PgPool) -> anyhow::Result<bool> {
    let n = sqlx::query_scalar!(
        r#"select count(*) as "n!" from people
           where lower(email) in ('employee@example.com', 'manager@example.com', 'hr@example.com')"#
    )
    .fetch_one(pool)
    .await?;
    Ok(n == 3)
}
