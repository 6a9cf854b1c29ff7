//! Talent pools: built by HR from the directory's filters or by hand, used to narrow talent
//! search and shown on the dashboard.

use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::support::TestApp;

#[tokio::test]
async fn hr_builds_a_pool_from_filters_and_by_hand_and_talent_search_narrows_to_it() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    let department: Uuid =
        sqlx::query_scalar("select department_id from people where email = 'employee@example.com'")
            .fetch_one(&app.db)
            .await
            .unwrap();

    // From the filters: the active people the directory finds for the department.
    let r = hr
        .submit(
            "/hr/talent-pools",
            "/hr/talent-pools",
            &[
                ("name", "Future leaders"),
                ("kind", "future_leaders"),
                ("department", &department.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let pool: Uuid =
        sqlx::query_scalar("select id from talent_pools where name = 'Future leaders'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let directory: Value = hr
        .get_json(&format!(
            "/api/v1/hr/people?department={department}&status=active&page_size=1"
        ))
        .await
        .json()
        .await
        .unwrap();
    let detail: Value = hr
        .get_json(&format!("/api/v1/hr/talent-pools/{pool}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["pool"]["members"], directory["total"]);
    assert!(detail["members"].as_array().unwrap().len() > 1);

    // A name is required and unique; an unknown person cannot be added.
    let r = hr
        .send_json(
            Method::POST,
            "/api/v1/hr/talent-pools",
            Some(json!({ "name": "Future leaders" })),
        )
        .await;
    assert_eq!(r.status(), 422);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["pointer"], "/name");

    // By hand: one person talent search finds for the manager's posting.
    let daniel = app.signed_in("manager@example.com").await;
    let posting: Uuid = sqlx::query_scalar(
        "select o.id from opportunities o join people p on p.id = o.owner_id
         where p.email = 'manager@example.com' and o.status = 'open' and o.kind = 'role'
         order by o.id limit 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let everyone: Vec<Value> = daniel
        .get_json(&format!("/api/v1/postings/{posting}/talent"))
        .await
        .json()
        .await
        .unwrap();
    assert!(everyone.len() >= 3, "talent search finds people");
    let chosen = everyone[2]["person_id"].as_str().unwrap().to_string();
    let made: Value = hr
        .send_json(
            Method::POST,
            "/api/v1/hr/talent-pools",
            Some(json!({ "name": "High potential", "kind": "high_potential" })),
        )
        .await
        .json()
        .await
        .unwrap();
    let hipo = made["id"].as_str().unwrap().to_string();
    let r = hr
        .send_json(
            Method::POST,
            &format!("/api/v1/hr/talent-pools/{hipo}/members"),
            Some(json!({ "person": "nobody@example.com" })),
        )
        .await;
    assert_eq!(r.status(), 422);
    let email: String = sqlx::query_scalar("select email from people where id = $1::uuid")
        .bind(&chosen)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let r = hr
        .send_json(
            Method::POST,
            &format!("/api/v1/hr/talent-pools/{hipo}/members"),
            Some(json!({ "person": email })),
        )
        .await;
    assert_eq!(r.status(), 204);

    let narrowed: Vec<Value> = daniel
        .get_json(&format!("/api/v1/postings/{posting}/talent?pool={hipo}"))
        .await
        .json()
        .await
        .unwrap();
    let ids: Vec<&str> = narrowed
        .iter()
        .map(|t| t["person_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![chosen.as_str()]);
    let page = daniel
        .get(&format!("/postings/{posting}/talent?pool={hipo}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("High potential"), "the pool is in the filter");
    assert_eq!(
        page.matches("Invite to apply").count() + page.matches(">invited<").count(),
        1
    );
    let r = daniel
        .get_json(&format!("/api/v1/postings/{posting}/talent?pool=nope"))
        .await;
    assert_eq!(r.status(), 422);

    // The dashboard shows the pools; managers cannot read or build them.
    let dash = hr.get("/hr/dashboard").await.text().await.unwrap();
    assert!(dash.contains("data-testid=\"talent-pools\""));
    assert!(dash.contains("High potential"));
    assert_eq!(
        daniel.get_json("/api/v1/hr/talent-pools").await.status(),
        403
    );
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where action in ('talent_pool.created', 'talent_pool.member_added')",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(audited, 3);
}
