//! POST `/Users/.search`, `/Groups/.search` and `/.search` (RFC 7644 §3.4.3).

use reqwest::Method;
use serde_json::{json, Value};

use crate::scim::{new_user, Scim, EXT};
use crate::scim_queries::{assert_error, group_with, keys, q, SEARCH};
use crate::tokens::bearer;

#[tokio::test]
async fn post_search_on_users_answers_like_the_equivalent_get() {
    let scim = Scim::new().await;
    let filter = r#"emails[type eq "work" and value ew "@example.com"]"#;
    let (_, by_get) = scim
        .get(&format!(
            "/Users?{}",
            q(&[
                ("filter", filter),
                ("sortBy", "userName"),
                ("sortOrder", "descending"),
                ("startIndex", "2"),
                ("count", "5"),
                ("attributes", "userName")
            ])
        ))
        .await;

    let r = scim
        .send(
            Method::POST,
            "/Users/.search",
            Some(json!({"schemas": [SEARCH], "filter": filter, "sortBy": "userName",
                "sortOrder": "descending", "startIndex": 2, "count": 5, "attributes": ["userName"]})),
            &[],
        )
        .await;

    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/scim+json");
    let by_post: Value = r.json().await.unwrap();
    assert_eq!(by_post, by_get);
    assert_eq!(by_post["itemsPerPage"], 5);
    assert_eq!(
        keys(&by_post["Resources"][0]),
        ["id", "schemas", "userName"]
    );
}

#[tokio::test]
async fn post_search_on_groups_can_exclude_members() {
    let scim = Scim::new().await;
    let employee = scim.id_of("employee@example.com").await;
    group_with(&scim, "Search Guild", &[&employee]).await;

    let r = scim
        .send(
            Method::POST,
            "/Groups/.search",
            Some(
                json!({"schemas": [SEARCH], "filter": "displayName sw \"search\"",
                "excludedAttributes": ["members"]}),
            ),
            &[],
        )
        .await;

    assert_eq!(r.status(), 200);
    let list: Value = r.json().await.unwrap();
    assert_eq!(list["totalResults"], 1);
    assert_eq!(list["Resources"][0]["displayName"], "Search Guild");
    assert!(list["Resources"][0].get("members").is_none());
}

async fn root_search(scim: &Scim, body: Value) -> Value {
    let r = scim.send(Method::POST, "/.search", Some(body), &[]).await;
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

#[tokio::test]
async fn root_search_finds_users_and_groups_in_one_sorted_list() {
    let scim = Scim::new().await;
    let employee = scim.id_of("employee@example.com").await;
    let mut zed = new_user("zed@example.com");
    zed["displayName"] = json!("Zz Beta");
    zed[EXT] = json!({});
    scim.send(Method::POST, "/Users", Some(zed), &[]).await;
    group_with(&scim, "Zz Alpha", &[&employee]).await;
    group_with(&scim, "Zz Gamma", &[]).await;

    let all = root_search(
        &scim,
        json!({"schemas": [SEARCH], "filter": "displayName sw \"zz \"",
        "sortBy": "displayName", "attributes": ["displayName", "meta.resourceType"]}),
    )
    .await;
    let page = root_search(
        &scim,
        json!({"schemas": [SEARCH], "filter": "displayName sw \"zz \"",
        "sortBy": "displayName", "sortOrder": "descending", "startIndex": 2, "count": 1}),
    )
    .await;
    let groups = root_search(
        &scim,
        json!({"schemas": [SEARCH],
        "filter": "meta.resourceType eq \"Group\"", "count": 0}),
    )
    .await;
    let by_user_name = root_search(
        &scim,
        json!({"schemas": [SEARCH],
        "filter": "userName eq \"zed@example.com\""}),
    )
    .await;

    let names: Vec<(&str, &str)> = all["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["displayName"].as_str().unwrap(),
                r["meta"]["resourceType"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("Zz Alpha", "Group"),
            ("Zz Beta", "User"),
            ("Zz Gamma", "Group")
        ]
    );
    assert_eq!(all["totalResults"], 3);
    assert_eq!(page["Resources"][0]["displayName"], "Zz Beta");
    assert_eq!(page["startIndex"], 2);
    let departments: i64 = sqlx::query_scalar("select count(*) from departments")
        .fetch_one(&scim.app.db)
        .await
        .unwrap();
    assert_eq!(groups["totalResults"], departments);
    assert_eq!(by_user_name["totalResults"], 1, "groups have no userName");
    assert_eq!(by_user_name["Resources"][0]["userName"], "zed@example.com");
}

#[tokio::test]
async fn bad_search_requests_and_attribute_lists_are_scim_errors() {
    let scim = Scim::new().await;
    let cases: [(&str, &str, Option<&str>, &str); 7] = [
        (
            "/.search",
            r#"{"filter": "userName pr"}"#,
            Some("invalidSyntax"),
            SEARCH,
        ),
        (
            "/Users/.search",
            "not json",
            Some("invalidSyntax"),
            "not valid JSON",
        ),
        (
            "/Users/.search",
            &json!({"schemas": [SEARCH], "count": "ten"}).to_string(),
            Some("invalidValue"),
            "count is a whole number.",
        ),
        (
            "/Groups/.search",
            &json!({"schemas": [SEARCH], "attributes": 7}).to_string(),
            Some("invalidValue"),
            "attributes is a list of attribute names.",
        ),
        (
            "/.search",
            &json!({"schemas": [SEARCH], "filter": "shoeSize eq 42"}).to_string(),
            Some("invalidFilter"),
            "shoesize",
        ),
        (
            "/.search",
            &json!({"schemas": [SEARCH], "sortBy": "shoeSize"}).to_string(),
            Some("invalidValue"),
            "Sorting by 'shoeSize'",
        ),
        (
            "/Users/.search",
            &json!({"schemas": [SEARCH], "attributes": ["userName"],
            "excludedAttributes": ["emails"]})
            .to_string(),
            Some("invalidSyntax"),
            "cannot be used together",
        ),
    ];
    for (path, body, scim_type, detail) in cases {
        let r = bearer(
            &scim.app,
            Method::POST,
            &format!("/scim/v2{path}"),
            &scim.secret,
        )
        .header("content-type", "application/scim+json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
        assert_error(r, 400, scim_type, detail).await;
    }
    let r = scim
        .send(
            Method::GET,
            "/Users?attributes=userName&excludedAttributes=emails",
            None,
            &[],
        )
        .await;
    assert_error(r, 400, Some("invalidSyntax"), "cannot be used together").await;
    let r = scim
        .send(Method::GET, "/Groups?attributes=a..b", None, &[])
        .await;
    assert_error(r, 400, Some("invalidValue"), "'a..b' in attributes").await;
    let r = scim
        .send(
            Method::GET,
            "/Users?attributes=userName&attributes=emails",
            None,
            &[],
        )
        .await;
    assert_error(
        r,
        400,
        Some("invalidValue"),
        "The query string is not valid",
    )
    .await;
    let r = scim.send(Method::GET, "/Users/.search", None, &[]).await;
    assert_error(r, 405, None, ".search takes POST").await;
}
