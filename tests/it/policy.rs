//! HR changes the mobility policy: a new version, audited before and after, applied at once.

use reqwest::Method;
use serde_json::{json, Value};

use crate::support::TestApp;

const FIELDS: [(&str, &str); 6] = [
    ("min_months_in_role", "6"),
    ("manager_informed_at", "offered"),
    ("max_active_applications", "3"),
    ("project_needs_manager_approval", "on"),
    ("max_release_weeks", "4"),
    ("stale_self_assessment_months", "12"),
];

#[tokio::test]
async fn a_policy_change_is_a_new_version_audited_and_in_force_at_once() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    let before = trellis::db::policy::current(&app.db).await.unwrap();

    let response = hr.submit("/hr/policy", "/hr/policy", &FIELDS).await;

    assert_eq!(response.status(), 303);
    let now = trellis::db::policy::current(&app.db).await.unwrap();
    assert!(now.version > before.version);
    assert_eq!(now.min_months_in_role, 6);
    assert_eq!(now.manager_informed_at.as_str(), "offered");
    assert_eq!(now.max_active_applications, 3);
    assert!(now.project_needs_manager_approval);
    assert_eq!(now.max_release_weeks, 4);
    assert_eq!(now.stale_self_assessment_months, 12);
    let (actor, details): (String, Value) = sqlx::query_as(
        "select p.email, a.details from audit_log a join people p on p.id = a.actor_id
         where a.action = 'policy.change' and a.entity_id = $1",
    )
    .bind(now.version.to_string())
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(actor, "hr@example.com");
    assert_eq!(
        details["before"]["max_release_weeks"],
        before.max_release_weeks
    );
    assert_eq!(details["after"]["max_release_weeks"], 4);
    let page = hr.get("/hr/policy?saved=1").await.text().await.unwrap();
    assert!(page.contains("the new policy applies from now on"));
    assert_eq!(
        page.matches("<tr><td>").count(),
        2,
        "both versions in the history"
    );
}

#[tokio::test]
async fn a_bad_value_is_named_next_to_its_field_and_nothing_changes() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    let mut fields = FIELDS.to_vec();
    fields[0] = ("min_months_in_role", "200");
    fields[1] = ("manager_informed_at", "hired");

    let response = hr.submit("/hr/policy", "/hr/policy", &fields).await;

    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("Give a whole number from 0 to 120."));
    assert!(html.contains("Choose one of the pipeline stages."));
    assert!(html.contains("value=\"200\""), "keeps what was typed");
    let versions: i64 = sqlx::query_scalar("select count(*) from mobility_policies")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(versions, 1);
}

#[tokio::test]
async fn the_api_changes_the_policy_and_answers_422_with_a_pointer() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    let body = json!({
        "min_months_in_role": "0", "manager_informed_at": "submitted",
        "max_active_applications": "10", "max_release_weeks": "52",
        "stale_self_assessment_months": "240"
    });

    let ok = hr
        .send_json(Method::POST, "/api/v1/hr/policy", Some(body.clone()))
        .await;
    let mut bad_body = body;
    bad_body["max_active_applications"] = json!("0");
    let bad = hr
        .send_json(Method::POST, "/api/v1/hr/policy", Some(bad_body))
        .await;
    let employee = app.signed_in("employee@example.com").await;
    let refused = employee
        .send_json(Method::POST, "/api/v1/hr/policy", Some(json!({})))
        .await;

    assert_eq!(ok.status(), 200);
    let ok: Value = ok.json().await.unwrap();
    assert_eq!(ok["project_needs_manager_approval"], false);
    assert_eq!(ok["max_release_weeks"], 52);
    assert_eq!(bad.status(), 422);
    let bad: Value = bad.json().await.unwrap();
    assert_eq!(bad["errors"][0]["pointer"], "/max_active_applications");
    assert_eq!(refused.status(), 403);
    let history: Value = hr.get_json("/api/v1/hr/policy").await.json().await.unwrap();
    assert_eq!(history.as_array().unwrap().len(), 2);
    assert_eq!(history[0]["min_months_in_role"], 0);
}
