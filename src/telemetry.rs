//! Structured logs with tracing: levels from `RUST_LOG`, text or JSON lines.

use tracing_subscriber::{fmt, prelude::*, EnvFilter};

use crate::config::LogFormat;

/// Install the global subscriber once, at start.
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let registry = tracing_subscriber::registry().with(filter);
    match format {
        LogFormat::Json => registry
            .with(fmt::layer().json().with_current_span(true))
            .init(),
        LogFormat::Text => registry.with(fmt::layer().with_target(false)).init(),
    }
}
