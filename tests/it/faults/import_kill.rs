//! An import under SIGKILL: nothing half-imported, the locks let go, and the job says the
//! server stopped instead of "Importing…" for ever.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::Value;

use super::{database_url, free_port, Trellis};
use crate::support::client::Client;
use crate::support::{count, fresh_database};
use trellis::demo::DEMO_PASSWORD;

#[tokio::test]
async fn a_server_killed_in_the_middle_of_an_import_leaves_nothing_half_done() {
    let db = fresh_database(true).await;
    let url = database_url(&db);
    let env = [
        ("TRELLIS_DB_MAX_CONNECTIONS", "4".to_string()),
        ("TRELLIS_BACKGROUND_JOBS", "false".to_string()),
        ("TRELLIS_OUTBOX_INTERVAL_SECS", "0".to_string()),
    ];
    let port = free_port();
    let mut server = Trellis::start(&url, port, &env).await;
    let hr = Client::new(server.url(""));
    assert_eq!(
        hr.sign_in("hr@example.com", DEMO_PASSWORD).await.status(),
        303
    );
    let before = count(&db, "select count(*) from people").await;
    let mut csv =
        String::from("employee_id,email,given_name,family_name,manager_employee_id,hire_date\n");
    for i in 0..60_000 {
        csv.push_str(&format!(
            "K{i},k{i}@example.com,Kay{i},Kill{i},,2020-01-01\n"
        ));
    }
    let started = hr
        .request(Method::POST, "/api/v1/hr/import/people")
        .await
        .header("accept", "application/json")
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(started.status(), 202);
    let href = started.headers()["location"].to_str().unwrap().to_string();

    // Kill it while the job runs (on a database without fsync it may already have committed:
    // the checks below accept all or nothing, never part).
    tokio::time::sleep(Duration::from_millis(150)).await;
    server.kill();

    // PostgreSQL notices the dead client (client_connection_check_interval) and rolls the
    // import back: a write to a row the import would lock goes through.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let busy = count(
            &db,
            "select count(*) from pg_stat_activity
             where datname = current_database() and pid <> pg_backend_pid() and state = 'active'",
        )
        .await;
        if busy == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "the import's statement ran on");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // All or nothing: on a fast database the import may have committed just before the kill.
    let imported = count(
        &db,
        "select count(*) from people where employee_number like 'K%'",
    )
    .await;
    assert!(
        imported == 0 || imported == 60_000,
        "{imported} of 60,000 rows imported"
    );
    assert_eq!(
        count(&db, "select count(*) from people").await,
        before + imported
    );

    // The job stops saying "Importing…" once its heartbeat is 30 s old. Age it rather than
    // wait: the same rule, without half a minute of the suite's time.
    sqlx::query("update import_jobs set heartbeat_at = now() - interval '31 seconds'")
        .execute(&db)
        .await
        .unwrap();
    let server = Trellis::start(&url, port, &env).await;
    let hr = Client::new(server.url(""));
    assert_eq!(
        hr.sign_in("hr@example.com", DEMO_PASSWORD).await.status(),
        303
    );
    let job: Value = hr.get_json(&href).await.json().await.unwrap();
    if imported == 0 {
        assert_eq!(job["status"], "failed", "{job}");
        assert!(
            job["error"]
                .as_str()
                .unwrap()
                .contains("stopped before it finished"),
            "{job}"
        );
    } else {
        // The outcome was written in the import's own transaction.
        assert_eq!(job["status"], "done", "{job}");
        assert_eq!(job["report"]["applied"], true, "{job}");
    }
}
