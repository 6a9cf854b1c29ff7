//! Text that is too long, a NUL character, or a body over the size limit: each is refused with
//! what is wrong and where, with the right status, and nothing is stored.

use reqwest::Method;
use serde_json::{json, Value};

use crate::support::{count, TestApp};

fn posting(description: &str) -> Value {
    json!({ "kind": "project", "title": "Migrate the billing reports", "description": description,
            "work_mode": "remote", "positions": 1, "hours_per_week": 4, "duration_weeks": 6,
            "skills": [], "questions": [] })
}

async fn postings(app: &TestApp) -> i64 {
    count(&app.db, "select count(*) from opportunities").await
}

#[tokio::test]
async fn a_six_megabyte_description_is_refused_at_its_field_and_nothing_is_stored() {
    let app = TestApp::with_demo().await;
    let manager = app.signed_in("manager@example.com").await;
    let before = postings(&app).await;

    let response = manager
        .send_json(
            Method::POST,
            "/api/v1/postings",
            Some(posting(&"a".repeat(6_000_000))),
        )
        .await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    let problems = body["errors"].as_array().unwrap();
    assert!(
        problems
            .iter()
            .any(|e| e["pointer"] == "/description"
                && e["detail"] == "Use at most 20,000 characters."),
        "{body}"
    );
    assert_eq!(postings(&app).await, before);

    // At the limit it is accepted.
    let skill: uuid::Uuid = sqlx::query_scalar("select id from skills order by name limit 1")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let mut fine = posting(&"a".repeat(20_000));
    fine["skills"] = json!([{ "skill_id": skill, "level": 3, "importance": "essential" }]);
    let response = manager
        .send_json(Method::POST, "/api/v1/postings", Some(fine))
        .await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
}

#[tokio::test]
async fn skills_are_not_suggested_from_a_megabyte_of_text() {
    let app = TestApp::with_demo().await;
    let manager = app.signed_in("manager@example.com").await;
    let response = manager
        .send_json(
            Method::POST,
            "/api/v1/postings/suggest-skills",
            Some(json!({ "description": "SQL ".repeat(250_000) })),
        )
        .await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["errors"][0]["pointer"], "/description", "{body}");
}

#[tokio::test]
async fn the_database_refuses_overlong_text_from_any_path_and_the_client_sees_the_field() {
    let app = TestApp::with_demo().await;
    // A write that skips the service's checks still cannot store it.
    let refused = sqlx::query(
        "update people set given_name = repeat('x', 100000) where email = 'employee@example.com'",
    )
    .execute(&app.db)
    .await
    .unwrap_err();
    let field = trellis::db::constraints::length_error(&refused).expect("a length check");
    assert_eq!(field.field, "given_name");
    assert_eq!(field.message, "Use at most 200 characters.");
}

#[tokio::test]
async fn a_nul_character_is_refused_with_its_pointer_or_field_name() {
    let app = TestApp::with_demo().await;
    let manager = app.signed_in("manager@example.com").await;
    let before = postings(&app).await;
    let mut body = posting("Fine");
    body["title"] = json!("Billing\u{0} reports");
    let response = manager
        .send_json(Method::POST, "/api/v1/postings", Some(body))
        .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["errors"][0]["pointer"], "/title", "{problem}");
    assert!(problem["errors"][0]["detail"]
        .as_str()
        .unwrap()
        .contains("NUL"));
    assert_eq!(postings(&app).await, before);

    // The same on a page's form: the field is named, and the page is not a 500.
    let employee = app.signed_in("employee@example.com").await;
    let response = employee
        .submit(
            "/profile",
            "/profile/aspirations",
            &[("summary", "Lead\u{0}")],
        )
        .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("summary"), "{html}");
}

#[tokio::test]
async fn a_value_of_the_wrong_type_is_reported_at_its_pointer() {
    let app = TestApp::with_demo().await;
    let manager = app.signed_in("manager@example.com").await;
    let mut body = posting("Fine");
    body["positions"] = json!("two");
    let response = manager
        .send_json(Method::POST, "/api/v1/postings", Some(body))
        .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["errors"][0]["pointer"], "/positions", "{problem}");

    let mut body = posting("Fine");
    body.as_object_mut().unwrap().remove("title");
    let response = manager
        .send_json(Method::POST, "/api/v1/postings", Some(body))
        .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["errors"][0]["pointer"], "/title", "{problem}");
    assert_eq!(problem["errors"][0]["detail"], "is required");
}

#[tokio::test]
async fn a_body_over_the_size_limit_is_413_with_a_problem() {
    let app = TestApp::with_demo().await;
    let manager = app.signed_in("manager@example.com").await;
    let response = manager
        .send_json(
            Method::POST,
            "/api/v1/postings",
            Some(posting(&"a".repeat(9_000_000))),
        )
        .await;
    assert_eq!(response.status(), 413);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
}

#[tokio::test]
async fn scim_answers_an_oversized_body_with_413_and_a_nul_with_400_in_its_own_error_shape() {
    let scim = crate::scim::Scim::new().await;
    let people = count(&scim.app.db, "select count(*) from people").await;

    let mut huge = crate::scim::new_user("huge@example.com");
    huge["displayName"] = json!("a".repeat(9_000_000));
    let r = scim.send(Method::POST, "/Users", Some(huge), &[]).await;
    crate::scim_queries::assert_error(r, 413, None, "8 MB").await;

    let mut nul = crate::scim::new_user("nul@example.com");
    nul["name"]["givenName"] = json!("No\u{0}or");
    let r = scim.send(Method::POST, "/Users", Some(nul), &[]).await;
    crate::scim_queries::assert_error(r, 400, Some("invalidValue"), "/name/givenName").await;

    let id = scim.id_of("employee@example.com").await;
    let title = "select given_name from people where email = 'employee@example.com'";
    let title_before: String = sqlx::query_scalar(title)
        .fetch_one(&scim.app.db)
        .await
        .unwrap();
    let patch = json!({ "schemas": [crate::scim::PATCH], "Operations": [
        { "op": "replace", "path": "name.givenName", "value": "Em\u{0}" }] });
    let r = scim
        .send(Method::PATCH, &format!("/Users/{id}"), Some(patch), &[])
        .await;
    crate::scim_queries::assert_error(r, 400, Some("invalidValue"), "NUL").await;
    assert_eq!(
        count(&scim.app.db, "select count(*) from people").await,
        people
    );
    let title_after: String = sqlx::query_scalar(title)
        .fetch_one(&scim.app.db)
        .await
        .unwrap();
    assert_eq!(title_after, title_before);
}

#[tokio::test]
async fn an_import_over_the_upload_limit_is_413_with_a_problem() {
    let app = TestApp::with_demo().await;
    let (_, secret) = crate::tokens::token(&app, &["write"]).await;
    let mut csv = b"employee_id,email,given_name,family_name,hire_date\n".to_vec();
    csv.resize(trellis::service::imports::UPLOAD_LIMIT + 1024, b'a');

    let response = crate::tokens::bearer(&app, Method::POST, "/api/v1/hr/import/people", &secret)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 413);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let problem: Value = response.json().await.unwrap();
    assert!(
        problem["detail"].as_str().unwrap().contains("128 MB"),
        "{problem}"
    );
}
