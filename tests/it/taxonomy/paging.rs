//! The whole taxonomy is reachable a page at a time, with the total, as a page and through
//! the API.

use serde_json::Value;

use crate::support::TestApp;

#[tokio::test]
async fn hr_pages_through_the_whole_taxonomy_with_the_total() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    let live: i64 = sqlx::query_scalar("select count(*) from skills where merged_into_id is null")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(live > 60, "the demo taxonomy spans more than one page");

    let mut seen = std::collections::HashSet::new();
    let mut page = 1;
    loop {
        let body: Value = hr
            .get_json(&format!("/api/v1/hr/skills?page={page}&page_size=60"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(body["total"], live);
        let skills = body["skills"].as_array().unwrap();
        if skills.is_empty() {
            break;
        }
        for s in skills {
            assert!(
                seen.insert(s["id"].as_str().unwrap().to_string()),
                "no skill twice"
            );
        }
        page += 1;
    }
    assert_eq!(seen.len() as i64, live, "every skill once");

    let bad = hr.get_json("/api/v1/hr/skills?page_size=0").await;
    assert_eq!(bad.status(), 422);
    let body: Value = bad.json().await.unwrap();
    assert_eq!(body["errors"][0]["pointer"], "/page_size");

    let html = hr.get("/hr/skills").await.text().await.unwrap();
    assert!(html.contains(&format!("{live} skills")));
    assert!(html.contains("rel=\"next\""));
}
