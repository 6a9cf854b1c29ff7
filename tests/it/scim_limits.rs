//! SCIM against a hostile token holder: filters and PATCH paths are bounded in length and
//! nesting (a deep one used to overflow the stack and abort the server), and the URLs SCIM
//! hands back come from the configured public URL, never from the request's `Host`.

use reqwest::Method;
use serde_json::{json, Value};

use crate::scim::{new_user, Scim, PATCH};
use crate::scim_queries::assert_error;

/// `depth` parentheses around one comparison: 5,000 is about 10 KB.
fn nested_filter(depth: usize) -> String {
    format!("{}userName pr{}", "(".repeat(depth), ")".repeat(depth))
}

/// The server still answers (it was not killed by the request before).
async fn still_answers(scim: &Scim) {
    let (status, config) = scim.get("/ServiceProviderConfig").await;
    assert_eq!(status, 200, "the server keeps answering: {config}");
}

#[tokio::test]
async fn a_filter_nested_thousands_deep_is_a_400_and_the_server_keeps_answering() {
    let scim = Scim::new().await;
    // About 10 KB: refused for its length before any parsing.
    let q = serde_urlencoded::to_string([("filter", nested_filter(5_000))]).unwrap();
    let r = scim
        .send(Method::GET, &format!("/Users?{q}"), None, &[])
        .await;
    assert_error(r, 400, Some("invalidFilter"), "at most 4096").await;
    still_answers(&scim).await;
    // Under the length limit (about 4 KB) but 2,000 deep: refused for its depth.
    let q = serde_urlencoded::to_string([("filter", nested_filter(2_000))]).unwrap();
    let r = scim
        .send(Method::GET, &format!("/Users?{q}"), None, &[])
        .await;
    assert_error(r, 400, Some("invalidFilter"), "more than 32 deep").await;
    still_answers(&scim).await;

    // The same through a SearchRequest body, and for Groups.
    let r = scim
        .send(
            Method::POST,
            "/Groups/.search",
            Some(json!({
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                "filter": nested_filter(2_000)
            })),
            &[],
        )
        .await;
    assert_error(r, 400, Some("invalidFilter"), "more than 32 deep").await;

    // Too long, however flat.
    let long = format!(r#"userName eq "{}""#, "a".repeat(5_000));
    let q = serde_urlencoded::to_string([("filter", long)]).unwrap();
    let r = scim
        .send(Method::GET, &format!("/Users?{q}"), None, &[])
        .await;
    assert_error(r, 400, Some("invalidFilter"), "at most 4096").await;

    // Within the limits, nesting still works.
    let q = serde_urlencoded::to_string([("filter", nested_filter(32))]).unwrap();
    let (status, body) = scim.get(&format!("/Users?{q}")).await;
    assert_eq!(status, 200, "{body}");
    still_answers(&scim).await;
}

#[tokio::test]
async fn a_patch_path_with_a_deep_or_long_filter_is_a_400_and_the_server_keeps_answering() {
    let scim = Scim::new().await;
    let id = scim.id_of("hr@example.com").await;
    let patch = |path: String| {
        json!({"schemas": [PATCH],
               "Operations": [{"op": "replace", "path": path, "value": "x@example.com"}]})
    };
    // About 10 KB: refused for its length before any parsing.
    let deep = format!(
        r#"emails[{}type eq "work"{}].value"#,
        "(".repeat(5_000),
        ")".repeat(5_000)
    );
    let r = scim
        .send(
            Method::PATCH,
            &format!("/Users/{id}"),
            Some(patch(deep)),
            &[],
        )
        .await;
    assert_error(r, 400, Some("invalidPath"), "at most 1024").await;
    still_answers(&scim).await;

    // Short enough, but nested too deep.
    let nested = format!(
        r#"emails[{}type eq "work"{}].value"#,
        "(".repeat(40),
        ")".repeat(40)
    );
    let r = scim
        .send(
            Method::PATCH,
            &format!("/Users/{id}"),
            Some(patch(nested)),
            &[],
        )
        .await;
    assert_error(r, 400, Some("invalidFilter"), "more than 32 deep").await;
    still_answers(&scim).await;

    // Found by fuzzing: a ']' only before the '[' sliced the path backwards (a 500).
    let r = scim
        .send(
            Method::PATCH,
            &format!("/Users/{id}"),
            Some(patch("emails]x[".into())),
            &[],
        )
        .await;
    assert_error(r, 400, Some("invalidPath"), "no closing ']'").await;
}

#[tokio::test]
async fn scim_urls_come_from_the_public_url_not_from_a_forged_host_header() {
    let scim = Scim::new().await;
    let public = scim
        .app
        .state
        .config
        .public_url
        .trim_end_matches('/')
        .to_string();
    let forged = [("host", "evil.example")];

    let r = scim
        .send(
            Method::POST,
            "/Users",
            Some(new_user("noor@example.com")),
            &forged,
        )
        .await;
    assert_eq!(r.status(), 201);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let user: Value = r.json().await.unwrap();
    let id = user["id"].as_str().unwrap();
    assert_eq!(location, format!("{public}/scim/v2/Users/{id}"));
    assert_eq!(user["meta"]["location"], location.as_str());

    for path in [
        format!("/Users/{id}"),
        "/Users?count=5".to_string(),
        "/Groups?count=5".to_string(),
        "/ServiceProviderConfig".to_string(),
        "/ResourceTypes".to_string(),
        "/Schemas".to_string(),
    ] {
        let r = scim.send(Method::GET, &path, None, &forged).await;
        assert_eq!(r.status(), 200, "{path}");
        let body = r.text().await.unwrap();
        assert!(
            !body.contains("evil.example"),
            "{path} echoes the Host: {body}"
        );
        assert!(
            body.contains(&format!("{public}/scim/v2/")),
            "{path}: {body}"
        );
    }
}
