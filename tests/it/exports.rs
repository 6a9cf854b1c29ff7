//! Exports of people, skills, applications and moves as CSV and JSON, for HR and read tokens.

use reqwest::Method;
use serde_json::Value;

use crate::support::TestApp;
use crate::tokens::{bearer, token};

async fn count(app: &TestApp, table: &str) -> usize {
    let n: i64 = sqlx::query_scalar(&format!("select count(*) from {table}"))
        .fetch_one(&app.db)
        .await
        .unwrap();
    n as usize
}

#[tokio::test]
async fn hr_downloads_every_export_as_csv_with_one_line_per_row() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    for (kind, table, first_column) in [
        ("people", "people", "id"),
        ("skills", "person_skills", "person_id"),
        ("applications", "applications", "id"),
        ("moves", "moves", "id"),
    ] {
        let r = hr.get(&format!("/api/v1/exports/{kind}.csv")).await;
        assert_eq!(r.status(), 200, "{kind}");
        assert!(r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"));
        assert!(r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains(&format!("trellis-{kind}.csv")));
        let body = r.text().await.unwrap();
        let mut reader = csv::Reader::from_reader(body.as_bytes());
        assert_eq!(&reader.headers().unwrap()[0], first_column);
        assert_eq!(reader.records().count(), count(&app, table).await, "{kind}");
    }
    let audited: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'export'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(audited, 4);
}

#[tokio::test]
async fn a_read_token_gets_the_json_export_and_an_employee_gets_nothing() {
    let app = TestApp::with_demo().await;
    let (_, secret) = token(&app, &["read"]).await;

    let r = bearer(
        &app,
        Method::GET,
        "/api/v1/exports/applications.json",
        &secret,
    )
    .send()
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    let rows: Vec<Value> = r.json().await.unwrap();
    assert_eq!(rows.len(), count(&app, "applications").await);
    assert!(rows[0]["applicant_email"].as_str().unwrap().contains('@'));

    let people: Vec<Value> = bearer(&app, Method::GET, "/api/v1/exports/people.json", &secret)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let hr_row = people
        .iter()
        .find(|p| p["email"] == "hr@example.com")
        .unwrap();
    assert_eq!(hr_row["employment_status"], "active");

    let employee = app.signed_in("employee@example.com").await;
    assert_eq!(
        employee
            .get_json("/api/v1/exports/people.csv")
            .await
            .status(),
        403
    );
    let hr = app.signed_in("hr@example.com").await;
    assert_eq!(
        hr.get_json("/api/v1/exports/salaries.csv").await.status(),
        404
    );
    assert_eq!(
        hr.get_json("/api/v1/exports/people.xml").await.status(),
        404
    );
}

#[tokio::test]
async fn a_large_export_streams_every_row() {
    let app = TestApp::with_demo().await;
    sqlx::query(
        "insert into moves (person_id, kind, source, effective_on)
         select (select id from people order by employee_number limit 1), 'lateral_move', 'import', current_date - (g % 3000)
         from generate_series(1, 20000) g")
        .execute(&app.db).await.unwrap();
    let hr = app.signed_in("hr@example.com").await;

    let body = hr
        .get("/api/v1/exports/moves.csv")
        .await
        .text()
        .await
        .unwrap();

    assert_eq!(body.lines().count(), count(&app, "moves").await + 1);
}
