//! The API answers as its OpenAPI document says, fuzzed by schemathesis (PyPI) with every
//! check on, as HR, a manager, an employee and a read-only API token. `.ci/api_fuzz.py`
//! signs in, makes the token and runs schemathesis once per caller; this test starts the app
//! on the demo company and runs it, bounded: a few examples per operation and a time limit per
//! caller (a run cut off by it fails).

use crate::support::TestApp;

/// Examples per operation and caller, and seconds per caller.
const EXAMPLES: &str = "4";
const SECONDS_PER_CALLER: &str = "150";

fn script(args: &[&str]) -> std::process::Output {
    std::process::Command::new("python3")
        .arg(".ci/api_fuzz.py")
        .args(args)
        .output()
        .expect("python3 runs")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_no_failure_as_hr_a_manager_an_employee_or_a_read_token() {
    let install = tokio::task::spawn_blocking(|| script(&["--install"]))
        .await
        .unwrap();
    if install.status.code() == Some(3) {
        eprintln!(
            "SKIPPED: schemathesis could not be installed with pip (see .ci/api_fuzz.py): {}",
            String::from_utf8_lossy(&install.stderr)
        );
        return;
    }
    assert!(install.status.success(), "{install:?}");
    let app = TestApp::with_demo().await;
    let base = app.url("");
    let reports = std::env::temp_dir().join(format!("trellis-st-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&reports).unwrap();
    let dir = reports.to_str().unwrap().to_string();

    let out = tokio::task::spawn_blocking(move || {
        script(&[
            &base,
            "--examples",
            EXAMPLES,
            "--seconds",
            SECONDS_PER_CALLER,
            "--report-dir",
            &dir,
        ])
    })
    .await
    .unwrap();

    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "schemathesis found failures:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for role in ["read-token", "employee", "manager", "hr"] {
        assert!(
            stdout.contains(&format!("== {role}: exit 0")),
            "{role} was not run:\n{stdout}"
        );
    }
}
