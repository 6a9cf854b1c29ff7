//! The private PostgreSQL when Trellis is killed: the next start takes it over, and stops it.

use std::path::Path;
use std::time::{Duration, Instant};

use super::{free_port, Trellis};

fn cluster_running(data: &Path) -> bool {
    data.join("postmaster.pid").exists()
}

#[tokio::test]
async fn after_a_sigkill_the_next_start_takes_the_private_cluster_over_and_stops_it_on_exit() {
    let folder =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("takeover-{}", uuid::Uuid::new_v4()));
    let data = folder.join("pg");
    let env = [
        ("TRELLIS_DATA_DIR", folder.display().to_string()),
        ("TRELLIS_NO_DEMO", "true".to_string()),
        ("TRELLIS_BACKGROUND_JOBS", "false".to_string()),
        ("TRELLIS_OUTBOX_INTERVAL_SECS", "0".to_string()),
    ];
    let port = free_port();

    let mut first = Trellis::start_private(port, &env).await;
    assert!(cluster_running(&data), "the first start runs the cluster");
    first.kill();
    assert!(cluster_running(&data), "SIGKILL leaves the cluster running");

    let mut second = Trellis::start_private(port, &env).await;
    assert!(
        second
            .log_text()
            .contains("taking over the private PostgreSQL"),
        "the second start says it took the cluster over:\n{}",
        second.log_text()
    );
    assert!(second.terminate(Duration::from_secs(30)), "a clean stop");
    let deadline = Instant::now() + Duration::from_secs(30);
    while cluster_running(&data) {
        assert!(Instant::now() < deadline, "the cluster was not stopped");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = std::fs::remove_dir_all(&folder);
}
