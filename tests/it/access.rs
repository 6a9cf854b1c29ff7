//! Each role reaches its own pages and no one else's; every page shows real data.

use serde_json::Value;

use crate::support::client::text_of;
use crate::support::TestApp;

#[tokio::test]
async fn each_role_gets_exactly_its_own_pages() {
    let app = TestApp::with_demo().await;
    // (who, path, expected status)
    let cases = [
        ("employee@example.com", "/", 200),
        ("employee@example.com", "/team", 403),
        ("employee@example.com", "/postings", 403),
        ("employee@example.com", "/hr", 403),
        ("employee@example.com", "/api/v1/me", 200),
        ("employee@example.com", "/api/v1/home", 200),
        ("employee@example.com", "/api/v1/team", 403),
        ("employee@example.com", "/api/v1/postings", 403),
        ("employee@example.com", "/api/v1/hr/headlines", 403),
        ("manager@example.com", "/", 200),
        ("manager@example.com", "/team", 200),
        ("manager@example.com", "/postings", 200),
        ("manager@example.com", "/api/v1/team", 200),
        ("manager@example.com", "/hr", 403),
        ("manager@example.com", "/api/v1/hr/headlines", 403),
        ("hr@example.com", "/", 200),
        ("hr@example.com", "/hr", 200),
        ("hr@example.com", "/api/v1/hr/headlines", 200),
    ];
    for (email, path, expected) in cases {
        let client = app.signed_in(email).await;
        let status = if path.starts_with("/api/") {
            client.get_json(path).await.status()
        } else {
            client.get(path).await.status()
        };
        assert_eq!(status.as_u16(), expected, "{email} GET {path}");
    }
}

#[tokio::test]
async fn a_refusal_says_why_as_a_page_or_as_problem_json() {
    let app = TestApp::with_demo().await;
    let client = app.signed_in("employee@example.com").await;

    let page = client.get("/hr").await;
    assert_eq!(page.status(), 403);
    let html = page.text().await.unwrap();
    assert_eq!(text_of(&html, "h1").as_deref(), Some("Not allowed"));
    assert!(html.contains("This page is for the HR team."));

    let api = client.get_json("/api/v1/hr/headlines").await;
    assert_eq!(api.status(), 403);
    assert_eq!(api.headers()["content-type"], "application/problem+json");
    let body: Value = api.json().await.unwrap();
    assert_eq!(body["status"], 403);
    assert_eq!(body["detail"], "This page is for the HR team.");
}

#[tokio::test]
async fn anonymous_visitors_are_sent_to_sign_in_and_api_clients_get_401() {
    let app = TestApp::with_demo().await;
    let client = app.client();
    for path in ["/", "/team", "/postings", "/hr"] {
        let response = client.get(path).await;
        assert_eq!(response.status(), 303, "{path}");
        assert!(
            response.headers()["location"]
                .to_str()
                .unwrap()
                .starts_with("/login?next="),
            "{path}"
        );
    }
    for path in [
        "/api/v1/me",
        "/api/v1/home",
        "/api/v1/team",
        "/api/v1/hr/headlines",
    ] {
        let response = client.get_json(path).await;
        assert_eq!(response.status(), 401, "{path}");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json",
            "{path}"
        );
    }
}

#[tokio::test]
async fn unknown_pages_get_a_clear_404() {
    let app = TestApp::with_demo().await;
    let client = app.signed_in("employee@example.com").await;
    let page = client.get("/no/such/page").await;
    assert_eq!(page.status(), 404);
    let html = page.text().await.unwrap();
    assert_eq!(text_of(&html, "h1").as_deref(), Some("Not found"));
    let api = client.get_json("/api/v1/no-such-thing").await;
    assert_eq!(api.status(), 404);
    let body: Value = api.json().await.unwrap();
    assert_eq!(body["title"], "Not found");
}

#[tokio::test]
async fn the_employee_home_shows_openings_that_fit_from_the_database() {
    let app = TestApp::with_demo().await;
    let client = app.signed_in("employee@example.com").await;
    let home: Value = client.get_json("/api/v1/home").await.json().await.unwrap();
    let openings = home["openings"].as_array().unwrap();
    assert!(
        !openings.is_empty(),
        "the demo employee should see fitting openings"
    );
    // Ranked best first (a step down the employee has not asked for after the others that
    // score above 0), and each one is really open and not the employee's own.
    let keys: Vec<(bool, bool, i64)> = openings
        .iter()
        .map(|o| {
            let fit = o["relevance"].as_i64().unwrap();
            (fit == 0, fit > 0 && o["step_down"] == true, -fit)
        })
        .collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]), "{keys:?}");
    for o in openings {
        let status: String =
            sqlx::query_scalar("select status from opportunities where id = $1::uuid")
                .bind(o["id"].as_str().unwrap())
                .fetch_one(&app.db)
                .await
                .unwrap();
        assert_eq!(status, "open");
    }
    let html = client.get("/").await.text().await.unwrap();
    assert!(html.contains(openings[0]["title"].as_str().unwrap()));
}

#[tokio::test]
async fn the_manager_home_lists_their_direct_reports() {
    let app = TestApp::with_demo().await;
    let client = app.signed_in("manager@example.com").await;
    let team: Value = client.get_json("/api/v1/team").await.json().await.unwrap();
    let names: Vec<&str> = team["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["display_name"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = sqlx::query_scalar(
        "select r.display_name from people r join people m on m.id = r.manager_id
         where m.email = 'manager@example.com' and r.employment_status <> 'terminated'
         order by r.display_name",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert!(!expected.is_empty());
    assert_eq!(names, expected);
    let employee: String =
        sqlx::query_scalar("select display_name from people where email = 'employee@example.com'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(client
        .get("/team")
        .await
        .text()
        .await
        .unwrap()
        .contains(&employee));
}

#[tokio::test]
async fn the_hr_home_shows_headline_numbers_from_the_database() {
    let app = TestApp::with_demo().await;
    let client = app.signed_in("hr@example.com").await;
    let headlines: Value = client
        .get_json("/api/v1/hr/headlines")
        .await
        .json()
        .await
        .unwrap();
    let headcount: i64 =
        sqlx::query_scalar("select count(*) from people where employment_status <> 'terminated'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let open: i64 = sqlx::query_scalar("select count(*) from opportunities where status = 'open'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(headlines["headcount"], headcount);
    assert_eq!(headlines["open_opportunities"], open);
    let html = client.get("/hr").await.text().await.unwrap();
    assert!(html.contains(&headcount.to_string()));
}

#[tokio::test]
async fn the_openapi_document_lists_every_api_route_and_each_answers() {
    let app = TestApp::with_demo().await;
    let doc: Value = app
        .client()
        .get_json("/api/openapi.json")
        .await
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths: Vec<String> = doc["paths"].as_object().unwrap().keys().cloned().collect();
    for expected in [
        "/api/v1/me",
        "/api/v1/home",
        "/api/v1/team",
        "/api/v1/postings",
        "/api/v1/hr/headlines",
        "/api/v1/me/recommendations",
        "/api/v1/me/skills/{skill_id}",
        "/api/v1/me/opportunities/{id}/learning-path",
        "/api/v1/opportunities/{id}/talent",
    ] {
        assert!(
            paths.iter().any(|p| p == expected),
            "{expected} missing from {paths:?}"
        );
    }
    // Each documented GET without parameters answers for a person allowed to use it.
    let manager = app.signed_in("manager@example.com").await;
    let hr = app.signed_in("hr@example.com").await;
    for path in paths
        .iter()
        .filter(|p| !p.contains('{') && doc["paths"][p.as_str()]["get"].is_object())
    {
        let client = if path.starts_with("/api/v1/hr") || path.starts_with("/api/v1/metrics") {
            &hr
        } else {
            &manager
        };
        let status = client.get_json(path).await.status();
        assert_eq!(status, 200, "{path}");
    }
}
