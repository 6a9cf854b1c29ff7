//! Where an import's problems are: the line (counted from byte positions, whatever the line
//! ends, blank lines, quoted line breaks or a byte order mark) and the column, through the
//! real import API; and the flaws the csv reader lets through (a quote never closed, a NUL)
//! reported where they are, with nothing stored.

use serde_json::Value;

use crate::support::{count, Client, TestApp};

const HEADER: &str = "employee_id,email,given_name,family_name,hire_date";

/// Post a people file to the import API; it must be refused, and its problems are returned as
/// `(line, column, field, message)`.
async fn refused(hr: &Client, csv: &[u8]) -> Vec<(u64, u64, String, String)> {
    let response = hr
        .post_body(
            "/api/v1/hr/import/people",
            "text/csv",
            "application/json",
            csv.to_vec(),
        )
        .await;
    assert_eq!(response.status(), 422, "{}", String::from_utf8_lossy(csv));
    let body: Value = response.json().await.unwrap();
    body["problems"]
        .as_array()
        .expect("a list of problems")
        .iter()
        .map(|p| {
            (
                p["line"].as_u64().unwrap(),
                p["column"].as_u64().unwrap(),
                p["field"].as_str().unwrap().to_string(),
                p["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

async fn imported_people(app: &TestApp) -> i64 {
    count(
        &app.db,
        "select count(*) from people where employee_number like 'X_'",
    )
    .await
}

#[tokio::test]
async fn a_bad_value_is_reported_at_its_real_line_whatever_the_line_ends_and_blank_lines() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    let good = "X1,x1@example.com,Ann,One,2020-01-01";
    let bad = "X2,x2@example.com,Bob,Two,2020-13-01";
    let cases: Vec<(&str, String, u64)> = vec![
        ("LF", format!("{HEADER}\n{good}\n{bad}\n"), 3),
        ("CRLF", format!("{HEADER}\r\n{good}\r\n{bad}\r\n"), 3),
        ("CR alone", format!("{HEADER}\r{good}\r{bad}\r"), 3),
        (
            "blank lines, LF and CRLF",
            format!("{HEADER}\n\n{good}\n\r\n\n{bad}\n"),
            6,
        ),
        (
            "blank lines, CRLF",
            format!("{HEADER}\r\n\r\n{good}\r\n{bad}\r\n"),
            4,
        ),
        (
            "a quoted line break before",
            format!("{HEADER}\nX1,x1@example.com,\"Ann\nMarie\",One,2020-01-01\n{bad}\n"),
            4,
        ),
        (
            "a quoted CRLF before",
            format!("{HEADER}\r\nX1,x1@example.com,\"Ann\r\nMarie\",One,2020-01-01\r\n{bad}\r\n"),
            4,
        ),
        (
            "a byte order mark and CRLF",
            format!("\u{feff}{HEADER}\r\n{good}\r\n{bad}\r\n"),
            3,
        ),
        (
            "no line end at the end",
            format!("{HEADER}\r\n{good}\r\n{bad}"),
            3,
        ),
    ];
    for (what, csv, line) in cases {
        let problems = refused(&hr, csv.as_bytes()).await;
        assert_eq!(problems.len(), 1, "{what}: {problems:?}");
        let (l, column, field, _) = &problems[0];
        assert_eq!(
            (*l, *column, field.as_str()),
            (line, 5, "hire_date"),
            "{what}"
        );
    }
    assert_eq!(imported_people(&app).await, 0);
}

#[tokio::test]
async fn a_problem_in_a_row_with_a_quoted_line_break_is_at_the_line_the_row_starts_on() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    let csv = format!(
        "{HEADER}\r\n\r\nX1,x1@example.com,\"Ann\r\n\r\nMarie\",One,2020-01-01\r\nX2,not-an-email,\"B\nb\",Two,2020-01-01\r\n"
    );

    let problems = refused(&hr, csv.as_bytes()).await;

    let located: Vec<(u64, u64, &str)> = problems
        .iter()
        .map(|(l, c, f, _)| (*l, *c, f.as_str()))
        .collect();
    assert_eq!(located, vec![(6, 2, "email")], "{problems:?}");
}

#[tokio::test]
async fn an_unclosed_quote_is_reported_at_the_quote_not_as_a_missing_value() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    let csv = format!(
        "{HEADER}\nX1,x1@example.com,Ann,One,2020-01-01\nX2,x2@example.com,\"Bob,Two,2020-01-01\nX3,x3@example.com,Cy,Three,2020-01-01\n"
    );

    let problems = refused(&hr, csv.as_bytes()).await;

    assert_eq!(problems.len(), 1, "{problems:?}");
    let (line, column, field, message) = &problems[0];
    assert_eq!((*line, *column, field.as_str()), (3, 3, "given_name"));
    assert!(message.contains("quote is never closed"), "{message}");
    assert!(!message.contains("required"), "{message}");
    assert_eq!(imported_people(&app).await, 0, "nothing is stored");
}

#[tokio::test]
async fn a_nul_in_a_file_is_refused_at_its_line_and_column_and_nothing_is_stored() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    let csv = format!(
        "{HEADER}\nX1,x1@example.com,A\0nn,One,2020-01-01\nX2,x2@example.com,\"Bo\n\0b\",Two,2020-01-01\nX3,x3@example.com,Cy,Three,2020-01-01\n"
    );

    let problems = refused(&hr, csv.as_bytes()).await;

    let located: Vec<(u64, u64, &str)> = problems
        .iter()
        .map(|(l, c, f, _)| (*l, *c, f.as_str()))
        .collect();
    assert_eq!(
        located,
        vec![(2, 3, "given_name"), (4, 3, "given_name")],
        "{problems:?}"
    );
    assert!(problems[0].3.contains("NUL"), "{problems:?}");
    assert_eq!(imported_people(&app).await, 0, "nothing is stored");
}

#[tokio::test]
async fn the_upload_page_shows_an_unclosed_quote_in_a_windows_file_at_its_line_and_column() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    let csv = format!(
        "{HEADER}\r\n\r\nX1,x1@example.com,Ann,One,2020-01-01\r\nX2,x2@example.com,\"Bob,Two,2020-01-01\r\n"
    );

    let response = crate::import::upload_people(&hr, &csv).await;

    assert_eq!(response.status(), 303);
    let job = response.headers()["location"].to_str().unwrap().to_string();
    let html = crate::import::finished_job_page(&hr, &job).await;
    let doc = scraper::Html::parse_document(&html);
    let row = scraper::Selector::parse("[data-testid=problems] tbody tr").unwrap();
    let cell = scraper::Selector::parse("td").unwrap();
    let rows: Vec<Vec<String>> = doc
        .select(&row)
        .map(|r| {
            r.select(&cell)
                .map(|c| c.text().collect::<String>().trim().to_string())
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        (rows[0][0].as_str(), rows[0][1].as_str()),
        ("4", "3 (given_name)")
    );
    assert!(rows[0][2].contains("quote is never closed"), "{rows:?}");
    assert_eq!(imported_people(&app).await, 0);
}

#[tokio::test]
async fn in_keep_clean_mode_a_row_with_a_nul_is_rejected_with_its_reason_and_the_rest_imported() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    let csv = format!(
        "{HEADER}\r\nX1,x1@example.com,Ann,One,2020-01-01\r\nX2,x2@example.com,B\0b,Two,2020-01-01\r\nX3,x3@example.com,Cy,Three,2020-01-01\r\n"
    );

    let response = hr
        .post_body(
            "/api/v1/hr/import/people?keep_clean=true",
            "text/csv",
            "application/json",
            csv.into_bytes(),
        )
        .await;

    assert_eq!(response.status(), 200);
    let report: Value = response.json().await.unwrap();
    let counts = ["rows", "inserted", "rejected", "unchanged"].map(|k| report[k].as_u64().unwrap());
    assert_eq!(counts, [3, 2, 1, 0], "{report}");
    let rejects = report["rejects_csv"].as_str().unwrap();
    assert_eq!(rejects.lines().count(), 2, "{rejects}");
    assert!(
        rejects.lines().nth(1).unwrap().starts_with("X2,"),
        "{rejects}"
    );
    assert!(
        rejects.contains("B\u{fffd}b"),
        "the NUL is marked: {rejects}"
    );
    assert!(
        rejects.contains("given_name: contains a NUL character"),
        "{rejects}"
    );
    assert_eq!(imported_people(&app).await, 2);
}
