//! Career paths and development plans: the graph from my role, a target's gap and learning
//! path saved as a plan in one go, plan progress, and nobody else's plans.

use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::profile::person_id;
use crate::support::TestApp;

#[tokio::test]
async fn the_career_page_draws_the_paths_from_my_role_with_my_fit_and_lists_them() {
    let app = TestApp::with_demo().await;
    let employee = app.signed_in("employee@example.com").await;

    let html = employee.get("/careers").await.text().await.unwrap();
    let graph: Value = employee
        .get_json("/api/v1/me/career-paths")
        .await
        .json()
        .await
        .unwrap();

    assert!(html.contains("<svg"), "the graph is server-rendered SVG");
    assert!(html.contains("data-testid=\"career-list\""));
    let nodes = graph["nodes"].as_array().unwrap();
    let edges = graph["edges"].as_array().unwrap();
    assert!(nodes.len() > 3 && !edges.is_empty(), "{graph}");
    assert_eq!(
        nodes.iter().filter(|n| n["step"] == 0).count(),
        1,
        "one current role"
    );
    assert!(
        nodes.iter().any(|n| n["step"].as_u64().unwrap() >= 2),
        "several steps deep"
    );
    assert!(edges
        .iter()
        .all(|e| e["kind"] == "promotion" || e["kind"] == "lateral"));
    assert!(nodes.iter().all(|n| n["fit"].as_u64().unwrap() <= 100));
    let first = nodes.iter().find(|n| n["step"] == 1).unwrap();
    assert!(html.contains(first["title"].as_str().unwrap()));
}

/// A step-1 target of the employee with a learning path of at least one course.
async fn target_with_courses(employee: &crate::support::Client) -> (String, Value) {
    let graph: Value = employee
        .get_json("/api/v1/me/career-paths")
        .await
        .json()
        .await
        .unwrap();
    for n in graph["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["step"] != 0)
    {
        let id = n["profile_id"].as_str().unwrap().to_string();
        let t: Value = employee
            .get_json(&format!("/api/v1/me/career-paths/{id}"))
            .await
            .json()
            .await
            .unwrap();
        if !t["path"]["steps"].as_array().unwrap().is_empty() {
            return (id, t);
        }
    }
    panic!("no target with a learning path: {graph}");
}

#[tokio::test]
async fn a_career_target_is_saved_as_a_plan_with_a_step_per_course() {
    let app = TestApp::with_demo().await;
    let me = person_id(&app.db, "employee@example.com").await;
    let employee = app.signed_in("employee@example.com").await;
    let (profile, target) = target_with_courses(&employee).await;
    let page = employee
        .get(&format!("/careers/{profile}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Learning path") && page.contains("&rarr;"));

    let saved = employee
        .submit(
            &format!("/careers/{profile}"),
            &format!("/careers/{profile}/plan"),
            &[],
        )
        .await;

    assert_eq!(saved.status(), 303);
    let location = saved.headers()["location"].to_str().unwrap().to_string();
    let plan_id: Uuid = location.trim_start_matches("/plans/").parse().unwrap();
    let (owner, target_profile, status): (Uuid, Uuid, String) = sqlx::query_as(
        "select person_id, target_profile_id, status from development_plans where id = $1",
    )
    .bind(plan_id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        (owner, target_profile.to_string(), status.as_str()),
        (me, profile.clone(), "active")
    );
    let courses: Vec<Uuid> = sqlx::query_scalar(
        "select course_id from development_plan_steps where plan_id = $1 and kind = 'course' order by position",
    )
    .bind(plan_id)
    .fetch_all(&app.db)
    .await
    .unwrap();
    let expected: Vec<Uuid> = target["path"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["course_id"].as_str().unwrap().parse().unwrap())
        .collect();
    assert_eq!(courses, expected);
    let html = employee.get(&location).await.text().await.unwrap();
    assert!(html.contains(&format!("0 of {}", courses.len())) || html.contains("of"));
}

#[tokio::test]
async fn a_plan_shows_progress_a_step_is_marked_done_and_the_plan_abandoned() {
    let app = TestApp::with_demo().await;
    let employee = app.signed_in("employee@example.com").await;
    let (profile, _) = target_with_courses(&employee).await;
    let plan: Value = employee
        .send_json(
            Method::POST,
            &format!("/api/v1/me/career-paths/{profile}/plan"),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    let id = plan["summary"]["id"].as_str().unwrap().to_string();
    let before = plan["summary"]["steps_done"].as_i64().unwrap();
    let open = plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .position(|s| s["done"] == false)
        .unwrap();
    let step = plan["steps"][open]["id"].as_str().unwrap().to_string();

    let done: Value = employee
        .send_json(
            Method::POST,
            &format!("/api/v1/me/plans/{id}/steps/{step}/done"),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(done["summary"]["steps_done"].as_i64().unwrap(), before + 1);
    assert_eq!(done["steps"][open]["done"], true);

    let bad = employee
        .send_json(
            Method::POST,
            &format!("/api/v1/me/plans/{id}/status"),
            Some(json!({ "status": "paused" })),
        )
        .await;
    assert_eq!(bad.status(), 422);
    let abandoned = employee
        .submit(
            &format!("/plans/{id}"),
            &format!("/plans/{id}/status"),
            &[("status", "abandoned")],
        )
        .await;
    assert_eq!(abandoned.status(), 303);
    let status: String =
        sqlx::query_scalar("select status from development_plans where id = $1::uuid")
            .bind(&id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(status, "abandoned");
    let again = employee
        .send_json(
            Method::POST,
            &format!("/api/v1/me/plans/{id}/status"),
            Some(json!({ "status": "completed" })),
        )
        .await;
    assert_eq!(again.status(), 409);
}

#[tokio::test]
async fn a_person_can_never_see_or_change_another_persons_plan() {
    let app = TestApp::with_demo().await;
    let employee = app.signed_in("employee@example.com").await;
    let (profile, _) = target_with_courses(&employee).await;
    let plan: Value = employee
        .send_json(
            Method::POST,
            &format!("/api/v1/me/career-paths/{profile}/plan"),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    let id = plan["summary"]["id"].as_str().unwrap().to_string();
    let step = plan["steps"][0]["id"].as_str().unwrap().to_string();
    let other = app.signed_in("manager@example.com").await;

    assert_eq!(other.get(&format!("/plans/{id}")).await.status(), 404);
    assert_eq!(
        other
            .get_json(&format!("/api/v1/me/plans/{id}"))
            .await
            .status(),
        404
    );
    let their_list: Value = other
        .get_json("/api/v1/me/plans")
        .await
        .json()
        .await
        .unwrap();
    assert!(their_list
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["id"] != id.as_str()));
    let step_done = other
        .send_json(
            Method::POST,
            &format!("/api/v1/me/plans/{id}/steps/{step}/done"),
            None,
        )
        .await;
    let abandon_page = other
        .submit(
            "/",
            &format!("/plans/{id}/status"),
            &[("status", "abandoned")],
        )
        .await;
    let abandon_api = other
        .send_json(
            Method::POST,
            &format!("/api/v1/me/plans/{id}/status"),
            Some(json!({ "status": "abandoned" })),
        )
        .await;

    assert_eq!(step_done.status(), 404);
    assert_eq!(abandon_page.status(), 404);
    assert_eq!(abandon_api.status(), 404);
    let (status, done): (String, i64) = sqlx::query_as(
        "select p.status, (select count(*) from development_plan_steps s where s.plan_id = p.id and s.done_at is not null)
         from development_plans p where p.id = $1::uuid",
    )
    .bind(&id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!((status.as_str(), done), ("active", 0));
}
