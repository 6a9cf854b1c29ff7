//! The audit trail: append-only in the database, browsable and filterable by HR.

use serde_json::Value;

use crate::support::TestApp;

#[tokio::test]
async fn the_database_refuses_to_change_or_delete_an_audit_row() {
    let app = TestApp::empty().await;
    sqlx::query("insert into audit_log (actor_kind, action, entity_type, details) values ('system', 'test.write', 'thing', '{}')")
        .execute(&app.db)
        .await
        .unwrap();

    let update = sqlx::query("update audit_log set action = 'test.rewritten'")
        .execute(&app.db)
        .await;
    let delete = sqlx::query("delete from audit_log").execute(&app.db).await;
    let truncate = sqlx::query("truncate audit_log").execute(&app.db).await;

    for (what, result) in [
        ("update", update),
        ("delete", delete),
        ("truncate", truncate),
    ] {
        let message = result.expect_err(what).to_string();
        assert!(
            message.contains("audit_log is append-only"),
            "{what}: {message}"
        );
    }
    let actions: Vec<String> = sqlx::query_scalar("select action from audit_log")
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert_eq!(actions, ["test.write"]);
}

#[tokio::test]
async fn hr_filters_the_trail_and_pages_through_it_by_id() {
    let app = TestApp::with_demo().await;
    sqlx::query(
        "insert into audit_log (actor_kind, action, entity_type, entity_id, details)
         select 'system', 'test.bulk', 'thing', i::text, jsonb_build_object('before', i, 'after', i + 1)
         from generate_series(1, 60) i",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let hr = app.signed_in("hr@example.com").await;

    let first: Value = hr
        .get_json("/api/v1/hr/audit?action=test.bulk")
        .await
        .json()
        .await
        .unwrap();
    let cursor = first["next_before"].as_i64().expect("a next page");
    let second: Value = hr
        .get_json(&format!(
            "/api/v1/hr/audit?action=test.bulk&before={cursor}"
        ))
        .await
        .json()
        .await
        .unwrap();
    let one: Value = hr
        .get_json("/api/v1/hr/audit?entity_type=thing&entity_id=7")
        .await
        .json()
        .await
        .unwrap();
    let html = hr
        .get("/hr/audit?action=test.bulk")
        .await
        .text()
        .await
        .unwrap();

    assert_eq!(first["entries"].as_array().unwrap().len(), 50);
    assert_eq!(first["entries"][0]["entity_id"], "60", "newest first");
    assert_eq!(second["entries"].as_array().unwrap().len(), 10);
    assert_eq!(second["entries"][9]["entity_id"], "1");
    assert!(second["next_before"].is_null());
    assert_eq!(one["entries"].as_array().unwrap().len(), 1);
    assert_eq!(one["entries"][0]["details"]["after"], 8);
    assert!(html.contains("data-testid=\"next-page\""));
    let shown = [
        "&quot;before&quot;: 60",
        "&#34;before&#34;: 60",
        "&#x22;before&#x22;: 60",
    ];
    assert!(
        shown.iter().any(|s| html.contains(s)),
        "details are shown readably"
    );
}
