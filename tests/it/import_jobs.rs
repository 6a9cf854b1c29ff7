//! API imports as background jobs: a file too large to import within a request answers 202
//! with the job's URL, and the job gives the same report the synchronous import gives.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::Value;

use crate::support::{count, Client, TestApp};

const HEADER: &str = "employee_id,email,given_name,family_name,manager_employee_id,hire_date\n";

/// Follow a job until it is no longer running (at most a minute).
pub async fn finished_job(client: &Client, href: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let job: Value = client.get_json(href).await.json().await.unwrap();
        if job["status"] != "running" {
            return job;
        }
        assert!(Instant::now() < deadline, "the job is still running: {job}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// POST a people file asking for the background job (`Prefer: respond-async`).
async fn start_as_job(hr: &Client, csv: String) -> reqwest::Response {
    hr.request(Method::POST, "/api/v1/hr/import/people")
        .await
        .header("accept", "application/json")
        .header("content-type", "text/csv")
        .header("prefer", "respond-async")
        .body(csv)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_file_over_a_mebibyte_answers_202_and_its_job_reports_every_problem_by_line() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    let before = count(&app.db, "select count(*) from people").await;
    let mut csv = String::from(HEADER);
    let rows = 25_000;
    for i in 0..rows {
        csv.push_str(&format!(
            "BIG{i},big{i}@example.com,Given{i},Family{i},,2020-01-01\n"
        ));
    }
    csv.push_str("BAD1,bad1@example.com,Bad,Manager,NOPE,2020-01-01\n");
    assert!(csv.len() > 1024 * 1024);

    let started = hr
        .post_body(
            "/api/v1/hr/import/people",
            "text/csv",
            "application/json",
            csv.into(),
        )
        .await;

    assert_eq!(started.status(), 202);
    let location = started.headers()["location"].to_str().unwrap().to_string();
    let job: Value = started.json().await.unwrap();
    assert_eq!(job["href"], location.as_str());
    assert_eq!(
        job["page"],
        format!("/hr/import/jobs/{}", job["id"].as_str().unwrap())
    );
    let done = finished_job(&hr, &location).await;
    assert_eq!(done["status"], "done", "{done}");
    assert_eq!(done["report"]["applied"], false);
    let problem = &done["report"]["problems"][0];
    assert_eq!(problem["line"], rows + 2, "{problem}");
    assert_eq!(problem["column"], 5);
    assert_eq!(problem["message"], "unknown manager NOPE");
    assert_eq!(count(&app.db, "select count(*) from people").await, before);
}

#[tokio::test]
async fn prefer_respond_async_runs_even_a_small_import_as_a_job_that_applies_it() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    let csv = format!("{HEADER}JOB1,job1@example.com,Jo,Bee,,2020-01-01\n");

    let started = start_as_job(&hr, csv).await;

    assert_eq!(started.status(), 202);
    let location = started.headers()["location"].to_str().unwrap().to_string();
    let done = finished_job(&hr, &location).await;
    assert_eq!(done["status"], "done", "{done}");
    assert_eq!(done["report"]["applied"], true);
    assert_eq!(
        count(
            &app.db,
            "select count(*) from people where employee_number = 'JOB1'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn an_import_job_is_for_hr_only_and_an_unknown_one_is_404() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    let csv = format!("{HEADER}JOB2,job2@example.com,Jo,Bee,,2020-01-01\n");
    let started = start_as_job(&hr, csv).await;
    let href = started.headers()["location"].to_str().unwrap().to_string();

    for email in ["employee@example.com", "manager@example.com"] {
        let other = app.signed_in(email).await;
        assert_eq!(other.get_json(&href).await.status(), 403, "{email}");
    }
    let unknown = hr
        .get_json("/api/v1/hr/import/jobs/00000000-0000-0000-0000-000000000000")
        .await;
    assert_eq!(unknown.status(), 404);
    assert_eq!(
        unknown.headers()["content-type"],
        "application/problem+json"
    );
}
