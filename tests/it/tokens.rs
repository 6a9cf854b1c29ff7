//! API tokens: created by HR, stored as a hash, shown once, scoped, revocable, audited.

use reqwest::Method;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::support::client::text_of;
use crate::support::TestApp;

/// Create a token through HR's JSON API and return (id, secret).
pub async fn token(app: &TestApp, scopes: &[&str]) -> (String, String) {
    let hr = app.signed_in("hr@example.com").await;
    let response = hr
        .send_json(
            Method::POST,
            "/api/v1/hr/tokens",
            Some(json!({ "name": "test token", "scopes": scopes, "expires_in_days": 30 })),
        )
        .await;
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    (
        body["id"].as_str().unwrap().to_string(),
        body["secret"].as_str().unwrap().to_string(),
    )
}

/// A request with a bearer token.
pub fn bearer(app: &TestApp, method: Method, path: &str, secret: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .request(method, app.url(path))
        .header("authorization", format!("Bearer {secret}"))
}

#[tokio::test]
async fn hr_creates_a_token_on_the_page_and_sees_its_secret_once_while_only_a_hash_is_stored() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;

    let created = hr
        .submit(
            "/hr/tokens",
            "/hr/tokens",
            &[
                ("name", "HRIS sync"),
                ("scope_read", "on"),
                ("scope_scim", "on"),
                ("expires_in_days", "90"),
            ],
        )
        .await;

    assert_eq!(created.status(), 200);
    let html = created.text().await.unwrap();
    let secret = text_of(&html, ".token-secret").expect("the secret is shown");
    assert!(secret.starts_with("trl_"));
    let (hash, scopes): (Vec<u8>, Vec<String>) =
        sqlx::query_as("select token_hash, scopes from api_tokens where name = 'HRIS sync'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(hash, Sha256::digest(secret.as_bytes()).to_vec());
    assert_eq!(scopes, ["read", "scim"]);
    let again = hr.get("/hr/tokens").await.text().await.unwrap();
    assert!(!again.contains(&secret), "the secret is shown only once");
    assert!(again.contains("HRIS sync"));
}

#[tokio::test]
async fn a_token_form_with_no_scope_and_a_bad_expiry_says_what_is_wrong() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;

    let page = hr
        .submit(
            "/hr/tokens",
            "/hr/tokens",
            &[("name", "x"), ("expires_in_days", "9999")],
        )
        .await;
    assert_eq!(page.status(), 422);
    let html = page.text().await.unwrap();
    assert!(text_of(&html, "#scopes-error").is_some());
    assert!(text_of(&html, "#expires-error").is_some());

    let api = hr
        .send_json(
            Method::POST,
            "/api/v1/hr/tokens",
            Some(json!({ "name": "x", "scopes": ["admin"], "expires_in_days": 10 })),
        )
        .await;
    assert_eq!(api.status(), 422);
    let body: Value = api.json().await.unwrap();
    assert_eq!(body["errors"][0]["pointer"], "/scopes");
    let count: i64 = sqlx::query_scalar("select count(*) from api_tokens")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn only_hr_manages_tokens() {
    let app = TestApp::with_demo().await;
    let employee = app.signed_in("employee@example.com").await;
    assert_eq!(employee.get("/hr/tokens").await.status(), 403);
    assert_eq!(employee.get_json("/api/v1/hr/tokens").await.status(), 403);
    let (_, secret) = token(&app, &["read", "write"]).await;
    let by_token = bearer(&app, Method::POST, "/api/v1/hr/tokens", &secret)
        .json(&json!({ "name": "escalate", "scopes": ["scim"], "expires_in_days": 5 }))
        .send()
        .await
        .unwrap();
    assert_eq!(by_token.status(), 403, "a token cannot mint tokens");
}

#[tokio::test]
async fn a_read_token_reads_what_hr_reads_but_cannot_write_or_reach_scim_or_pages() {
    let app = TestApp::with_demo().await;
    let (_, secret) = token(&app, &["read"]).await;

    let read = bearer(&app, Method::GET, "/api/v1/hr/headlines", &secret)
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), 200);

    let write = bearer(
        &app,
        Method::PUT,
        &format!("/api/v1/me/skills/{}", uuid::Uuid::new_v4()),
        &secret,
    )
    .json(&json!({ "level": 3 }))
    .send()
    .await
    .unwrap();
    assert_eq!(write.status(), 403);
    assert_eq!(write.headers()["content-type"], "application/problem+json");
    assert!(write.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .contains("insufficient_scope"));

    assert_eq!(
        bearer(&app, Method::GET, "/scim/v2/Users", &secret)
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    assert_eq!(
        bearer(&app, Method::GET, "/hr", &secret)
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
}

#[tokio::test]
async fn a_write_token_gets_past_the_scope_check_on_unsafe_methods() {
    let app = TestApp::with_demo().await;
    let (_, secret) = token(&app, &["write"]).await;

    // (A personal endpoint such as /me/skills is refused to every token since issue 14.)
    let write = bearer(
        &app,
        Method::PUT,
        &format!("/api/v1/hr/skills/{}", uuid::Uuid::new_v4()),
        &secret,
    )
    .json(&json!({ "name": "Nothing" }))
    .send()
    .await
    .unwrap();

    assert_ne!(write.status(), 403);
    assert_ne!(write.status(), 401);
    assert_eq!(
        bearer(&app, Method::GET, "/api/v1/hr/headlines", &secret)
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
}

#[tokio::test]
async fn a_revoked_an_expired_or_an_unknown_token_is_refused_with_a_challenge() {
    let app = TestApp::with_demo().await;
    let (id, secret) = token(&app, &["read"]).await;
    let (_, old) = token(&app, &["read"]).await;
    sqlx::query("update api_tokens set created_at = now() - interval '3 days', expires_at = now() - interval '1 day' where id <> $1::uuid")
        .bind(&id).execute(&app.db).await.unwrap();
    let hr = app.signed_in("hr@example.com").await;

    let revoked = hr
        .send_json(
            Method::POST,
            &format!("/api/v1/hr/tokens/{id}/revoke"),
            None,
        )
        .await;
    assert_eq!(revoked.status(), 204);

    for s in [secret.as_str(), old.as_str(), "trl_not-a-token"] {
        let r = bearer(&app, Method::GET, "/api/v1/hr/headlines", s)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401, "{s}");
        assert!(r.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Bearer"));
    }
    let state: String = sqlx::query_scalar("select case when revoked_at is null then 'live' else 'revoked' end from api_tokens where id = $1::uuid")
        .bind(&id).fetch_one(&app.db).await.unwrap();
    assert_eq!(state, "revoked");
}

#[tokio::test]
async fn every_request_with_a_token_writes_one_audit_row_naming_the_token() {
    let app = TestApp::with_demo().await;
    let (id, secret) = token(&app, &["read"]).await;

    for path in ["/api/v1/hr/headlines", "/api/v1/me", "/scim/v2/Users"] {
        bearer(&app, Method::GET, path, &secret)
            .send()
            .await
            .unwrap();
    }

    let rows: Vec<(String, Value)> = sqlx::query_as(
        "select actor_kind, details from audit_log where action = 'api_token.use' and entity_id = $1 order by id")
        .bind(&id).fetch_all(&app.db).await.unwrap();
    assert_eq!(rows.len(), 3);
    assert!(rows
        .iter()
        .all(|(kind, d)| kind == "api_token" && d["token_id"] == id.as_str()));
    assert_eq!(rows[2].1["allowed"], false);
    let used: bool =
        sqlx::query_scalar("select last_used_at is not null from api_tokens where id = $1::uuid")
            .bind(&id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(used);
}

#[tokio::test]
async fn hr_creates_a_token_in_a_real_browser_and_the_page_fits_a_phone() {
    use fantoccini::Locator;
    let Some(browser) = crate::support::browser::start("tokens").await else {
        return;
    };
    let app = TestApp::with_demo().await;
    let c = &browser.client;
    crate::support::browser::sign_in(c, &app, "hr@example.com").await;

    c.goto(&app.url("/hr/tokens")).await.unwrap();
    c.find(Locator::Id("name"))
        .await
        .unwrap()
        .send_keys("Workday sync")
        .await
        .unwrap();
    c.find(Locator::Css("input[name=scope_scim]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Css(
        "form[action='/hr/tokens'] button[type=submit]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    let secret = c
        .wait()
        .for_element(Locator::Css(".token-secret"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();

    assert!(secret.starts_with("trl_"));
    let scopes: Vec<String> =
        sqlx::query_scalar("select scopes from api_tokens where name = 'Workday sync'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(scopes, ["read", "scim"]);
    crate::support::browser::save_screenshot(c, "hr-tokens-1280").await;
    c.set_window_size(390, 844).await.unwrap();
    let overflow = c
        .execute(
            "return document.documentElement.scrollWidth > window.innerWidth",
            vec![],
        )
        .await
        .unwrap();
    crate::support::browser::save_screenshot(c, "hr-tokens-390").await;
    assert_eq!(
        overflow,
        serde_json::json!(false),
        "no sideways scrolling at 390 px"
    );
    c.goto(&app.url("/api/docs")).await.unwrap();
    crate::support::browser::save_screenshot(c, "api-docs-390").await;
    browser.client.clone().close().await.ok();
}

/// Every personal path of the OpenAPI document (under `/api/v1/me`), with each method.
async fn personal_operations(app: &TestApp) -> Vec<(Method, String)> {
    let doc: Value = reqwest::get(app.url("/api/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut found = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        let full = if path.starts_with("/api/v1") {
            path.clone()
        } else {
            format!("/api/v1{path}")
        };
        if !(full == "/api/v1/me" || full.starts_with("/api/v1/me/")) {
            continue;
        }
        let concrete = full
            .split('/')
            .map(|part| {
                if part.starts_with('{') {
                    uuid::Uuid::new_v4().to_string()
                } else {
                    part.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        for method in item.as_object().unwrap().keys() {
            if let Ok(m) = method.to_uppercase().parse::<Method>() {
                found.push((m, concrete.clone()));
            }
        }
    }
    found
}

#[tokio::test]
async fn a_token_is_refused_every_personal_endpoint_whatever_its_scopes() {
    let app = TestApp::with_demo().await;
    let (_, secret) = token(&app, &["read", "write"]).await;
    let operations = personal_operations(&app).await;
    assert!(operations.len() > 20, "{operations:?}");
    assert!(operations
        .iter()
        .any(|(m, p)| *m == Method::PUT && p == "/api/v1/me/password"));

    for (method, path) in operations {
        let r = bearer(&app, method.clone(), &path, &secret)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{method} {path}");
        assert_eq!(r.headers()["content-type"], "application/problem+json");
        let body: Value = r.json().await.unwrap();
        assert!(
            body["detail"]
                .as_str()
                .unwrap()
                .contains("service identity"),
            "{method} {path}: {body}"
        );
    }
}

#[tokio::test]
async fn a_write_token_cannot_change_its_creators_password_nor_lock_them_out() {
    let app = TestApp::with_demo().await;
    let (_, secret) = token(&app, &["read", "write"]).await;
    let before: String =
        sqlx::query_scalar("select password_hash from people where email = 'hr@example.com'")
            .fetch_one(&app.db)
            .await
            .unwrap();

    for current in [
        "guess-1",
        "guess-2",
        "guess-3",
        "guess-4",
        "guess-5",
        "guess-6",
        "guess-7",
        "guess-8",
        "guess-9",
        "guess-10",
        "guess-11",
        "trellis-demo",
    ] {
        let r = bearer(&app, Method::PUT, "/api/v1/me/password", &secret)
            .json(&json!({ "current_password": current,
                           "new_password": "taken over by a token", "confirm_password": "taken over by a token" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{current}");
    }

    let after: String =
        sqlx::query_scalar("select password_hash from people where email = 'hr@example.com'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(before, after, "the password is unchanged");
    assert_eq!(
        app.client()
            .sign_in("hr@example.com", "trellis-demo")
            .await
            .status(),
        303,
        "HR is not locked out"
    );
}

#[tokio::test]
async fn audit_rows_written_by_a_token_request_name_the_token_not_its_creator() {
    let app = TestApp::with_demo().await;
    let (id, secret) = token(&app, &["write"]).await;
    let body = json!({
        "min_months_in_role": "0", "manager_informed_at": "submitted",
        "max_active_applications": "10", "max_release_weeks": "52",
        "stale_self_assessment_months": "240"
    });

    let r = bearer(&app, Method::POST, "/api/v1/hr/policy", &secret)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    let (actor_id, kind, details): (Option<uuid::Uuid>, String, Value) = sqlx::query_as(
        "select actor_id, actor_kind, details from audit_log where action = 'policy.change'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(kind, "api_token");
    assert_eq!(actor_id, None, "not the HR admin who created the token");
    assert_eq!(details["token_id"], id.as_str());
    assert_eq!(details["token_name"], "test token");
    assert!(
        details["after"].is_object(),
        "the service's details are kept"
    );
}
