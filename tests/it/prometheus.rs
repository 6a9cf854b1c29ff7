//! `/metrics` for operators: Prometheus's text format behind a token with the metrics scope,
//! counting the requests this server answered by route, and the pool, outbox, import jobs and
//! matching engine reloads.

use std::collections::HashMap;

use reqwest::Method;

use crate::support::{count, TestApp};
use crate::tokens::{bearer, token};

/// Every sample of an exposition, by series (`name{labels}`), after checking each line is a
/// comment or `series value` with a number.
fn samples(body: &str) -> HashMap<String, f64> {
    let mut out = HashMap::new();
    for line in body.lines().filter(|l| !l.is_empty()) {
        if let Some(comment) = line.strip_prefix("# ") {
            assert!(
                comment.starts_with("HELP ") || comment.starts_with("TYPE "),
                "{line}"
            );
            continue;
        }
        let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("{line}"));
        let value: f64 = value.parse().unwrap_or_else(|_| panic!("a number: {line}"));
        let name = series.split('{').next().unwrap();
        assert!(
            name.starts_with("trellis_")
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "{line}"
        );
        assert!(
            out.insert(series.to_string(), value).is_none(),
            "twice: {line}"
        );
    }
    out
}

async fn scrape(app: &TestApp, secret: &str) -> HashMap<String, f64> {
    let response = bearer(app, Method::GET, "/metrics", secret)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    samples(&response.text().await.unwrap())
}

#[tokio::test]
async fn metrics_need_a_token_with_the_metrics_scope() {
    let app = TestApp::with_demo().await;
    let (_, read_only) = token(&app, &["read"]).await;

    let anonymous = reqwest::get(app.url("/metrics")).await.unwrap();
    assert_eq!(anonymous.status(), 401);
    assert!(anonymous.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .contains("invalid_token"));

    let hr = app.signed_in("hr@example.com").await;
    assert_eq!(
        hr.get("/metrics").await.status(),
        401,
        "a session is not a token"
    );

    let wrong_scope = bearer(&app, Method::GET, "/metrics", &read_only)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_scope.status(), 403);
    let body: serde_json::Value = wrong_scope.json().await.unwrap();
    assert_eq!(body["detail"], "This token has no metrics scope.");

    let unknown = bearer(&app, Method::GET, "/metrics", "not-a-token")
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 401);
}

#[tokio::test]
async fn the_exposition_counts_the_requests_made_and_shows_the_backlogs() {
    let app = TestApp::with_demo().await;
    let (_, secret) = token(&app, &["metrics"]).await;
    let client = app.client();
    for _ in 0..3 {
        assert_eq!(client.get("/livez").await.status(), 200);
    }
    assert_eq!(client.get("/no/such/page").await.status(), 404);
    sqlx::query("insert into import_jobs (kind) values ('people')")
        .execute(&app.db)
        .await
        .unwrap();

    let first = scrape(&app, &secret).await;

    let livez = r#"{method="GET",route="/livez""#;
    assert_eq!(
        first[&format!("trellis_http_requests_total{livez},status=\"2xx\"}}")],
        3.0
    );
    assert_eq!(
        first[&format!("trellis_http_request_duration_seconds_count{livez}}}")],
        3.0
    );
    assert_eq!(
        first[&format!("trellis_http_request_duration_seconds_bucket{livez},le=\"+Inf\"}}")],
        3.0
    );
    assert_eq!(
        first[r#"trellis_http_requests_total{method="GET",route="(unmatched)",status="4xx"}"#],
        1.0
    );
    assert_eq!(first[r#"trellis_import_jobs{status="running"}"#], 1.0);
    assert_eq!(
        first["trellis_outbox_unsent"],
        count(&app.db, "select count(*) from outbox where sent_at is null").await as f64
    );
    assert!(first["trellis_db_pool_connections"] >= 1.0);
    assert_eq!(first["trellis_db_pool_max_connections"], 5.0);

    // The next scrape has counted the first one, and an engine reload.
    app.state.engine.reload(&app.db).await.unwrap();
    let second = scrape(&app, &secret).await;
    assert_eq!(
        second[r#"trellis_http_requests_total{method="GET",route="/metrics",status="2xx"}"#],
        1.0
    );
    assert_eq!(
        second["trellis_engine_reloads_total"],
        first["trellis_engine_reloads_total"] + 1.0
    );
}
