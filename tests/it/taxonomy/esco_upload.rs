//! HR uploads the ESCO CSV export as downloaded (a zip) on `/hr/skills` or to
//! `POST /api/v1/hr/esco`: it is imported in the background with the import progress page,
//! and nothing depends on files outside Trellis. An upload that is not the export is refused
//! at once with why.

use std::io::Write;

use serde_json::Value;

use crate::support::{count, Client, TestApp};

const BOUNDARY: &str = "trellis-esco-upload-boundary-7f3a";

/// The fixture ESCO files zipped in one folder, as the portal's download has them.
fn esco_zip() -> Vec<u8> {
    let dir = std::path::Path::new(super::ESCO);
    let mut out = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        z.start_file(
            format!("ESCO dataset - v1.1.1 - classification - en - csv/{name}"),
            options,
        )
        .unwrap();
        z.write_all(&std::fs::read(&path).unwrap()).unwrap();
    }
    z.finish().unwrap();
    out.into_inner()
}

async fn upload_page(hr: &Client, file: &[u8]) -> reqwest::Response {
    let token = hr.csrf_token_from("/hr/skills").await;
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"esco.zip\"\r\n\
         Content-Type: application/zip\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    hr.post_body(
        "/hr/skills/esco",
        &format!("multipart/form-data; boundary={BOUNDARY}"),
        "text/html",
        body,
    )
    .await
}

/// Follow the job through the API until it is no longer running (bounded wait).
async fn finished(hr: &Client, href: &str) -> Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let job: Value = hr.get_json(href).await.json().await.unwrap();
        if job["status"] != "running" {
            return job;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still running: {job:#}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn hr_uploads_the_esco_export_and_follows_its_import_on_the_progress_page() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    let before = count(
        &app.db,
        "select count(*) from skills where esco_uri is not null",
    )
    .await;

    let response = upload_page(&hr, &esco_zip()).await;
    assert_eq!(response.status(), 303);
    let page = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(page.starts_with("/hr/import/jobs/"), "{page}");
    let href = page.replace("/hr/import/jobs/", "/api/v1/hr/import/jobs/");
    let job = finished(&hr, &href).await;
    assert_eq!(job["status"], "done", "{job:#}");
    assert_eq!(job["kind"], "esco");
    let added = job["esco"]["skills_added"].as_i64().unwrap();
    assert!(added > 0, "{job:#}");
    let after = count(
        &app.db,
        "select count(*) from skills where esco_uri is not null",
    )
    .await;
    assert_eq!(after - before, added);
    let html = hr.get(&page).await.text().await.unwrap();
    assert!(html.contains("data-testid=\"esco-report\""), "{html}");
    assert_eq!(
        count(
            &app.db,
            "select count(*) from audit_log where action = 'import.esco'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn an_upload_that_is_not_the_esco_export_is_refused_at_once_and_changes_nothing() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    let skills = count(&app.db, "select count(*) from skills").await;
    let jobs = count(&app.db, "select count(*) from import_jobs").await;

    let response = upload_page(&hr, b"name,category\nKubernetes,Cloud\n").await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("data-testid=\"esco-error\""), "{html}");
    assert!(html.contains("not a zip archive"), "{html}");

    // The API: a zip without skills_en.csv is refused at its pointer; the export starts a job.
    let mut other = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut other);
    z.start_file("notes.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    z.write_all(b"not ESCO").unwrap();
    z.finish().unwrap();
    let refused = hr
        .post_body(
            "/api/v1/hr/esco",
            "application/zip",
            "application/json",
            other.into_inner(),
        )
        .await;
    assert_eq!(refused.status(), 422);
    let problem: Value = refused.json().await.unwrap();
    assert_eq!(problem["errors"][0]["pointer"], "/file", "{problem:#}");
    assert!(problem["errors"][0]["detail"]
        .as_str()
        .unwrap()
        .contains("no skills_en.csv"));
    assert_eq!(count(&app.db, "select count(*) from skills").await, skills);
    assert_eq!(
        count(&app.db, "select count(*) from import_jobs").await,
        jobs
    );

    let started = hr
        .post_body(
            "/api/v1/hr/esco?occupations=true",
            "application/zip",
            "application/json",
            esco_zip(),
        )
        .await;
    assert_eq!(started.status(), 202);
    let href = started.headers()["location"].to_str().unwrap().to_owned();
    let job = finished(&hr, &href).await;
    assert_eq!(job["status"], "done", "{job:#}");
    assert!(
        job["esco"]["job_profiles_added"].as_i64().unwrap() > 0,
        "{job:#}"
    );
}
