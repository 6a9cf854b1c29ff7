//! The health check reports whether the database answers.

use serde_json::Value;

use crate::support::TestApp;

#[tokio::test]
async fn the_health_check_is_ok_when_the_database_answers() {
    let app = TestApp::empty().await;
    let response = app.client().get_json("/healthz").await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
}

#[tokio::test]
async fn the_health_check_fails_when_the_database_is_gone() {
    let app = TestApp::empty().await;
    app.db.close().await;
    let response = app.client().get_json("/healthz").await;
    assert_eq!(response.status(), 503);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "unavailable");
}
