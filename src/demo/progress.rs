//! Progress of a demo load: a spinner with the current stage on a terminal, nothing in
//! tests; every stage is also logged at debug level.

use std::time::Duration;

/// Progress reporting: a spinner with the current stage on a terminal, nothing in tests.
#[derive(Clone)]
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    /// A progress spinner on stderr when it is a terminal.
    pub fn terminal() -> Self {
        use std::io::IsTerminal;
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{spinner} [{elapsed}] demo company: {msg}")
            {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Progress { bar }
    }

    /// No output.
    pub fn hidden() -> Self {
        Progress { bar: None }
    }

    /// Say what the generator is doing now (also logged at debug level, with timestamps).
    pub fn stage(&self, message: &str) {
        tracing::debug!(stage = message, "demo company");
        if let Some(bar) = &self.bar {
            bar.set_message(message.to_string());
        }
    }

    /// Remove the spinner.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
