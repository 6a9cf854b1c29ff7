//! Groups as Okta and Entra push them: renames with the id in the value, member filters,
//! externalId, and a membership that is exclusive because a Group is a department.

use reqwest::Method;
use serde_json::{json, Value};

use crate::scim::Scim;
use crate::scim_queries::{assert_error, group_with, q, GROUP};

async fn department_of(scim: &Scim, person: &str) -> Option<String> {
    sqlx::query_scalar(
        "select d.name from people p left join departments d on d.id = p.department_id
         where p.id = $1::uuid",
    )
    .bind(person)
    .fetch_one(&scim.app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn okta_renames_a_group_with_its_unchanged_id_in_the_value() {
    let scim = Scim::new().await;
    let gid = group_with(&scim, "Okta Guild", &[]).await;
    let path = format!("/Groups/{gid}");

    let (status, group) = scim
        .patch(
            &path,
            json!([{"op": "replace",
            "value": {"id": gid, "displayName": "Okta Guild Renamed"}}]),
        )
        .await;

    assert_eq!(status, 200, "{group}");
    assert_eq!(group["displayName"], "Okta Guild Renamed");
    let r = scim
        .send(
            Method::PATCH,
            &path,
            Some(
                json!({"schemas": [crate::scim::PATCH], "Operations": [{"op": "replace",
                "value": {"id": uuid::Uuid::new_v4(), "displayName": "Other"}}]}),
            ),
            &[],
        )
        .await;
    assert_error(r, 400, Some("mutability"), "id").await;
}

#[tokio::test]
async fn a_member_filter_finds_every_group_that_has_the_member_and_ne_the_others() {
    let scim = Scim::new().await;
    let employee = scim.id_of("employee@example.com").await;
    let manager = scim.id_of("manager@example.com").await;
    let hr = scim.id_of("hr@example.com").await;
    let both = group_with(&scim, "Two Member Guild", &[&employee, &manager]).await;
    let other = group_with(&scim, "Other Guild", &[&hr]).await;

    let ids = |list: &Value| -> Vec<String> {
        list["Resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["id"].as_str().unwrap().to_string())
            .collect()
    };
    for filter in [
        format!(r#"members[value eq "{employee}"]"#),
        format!(r#"members.value eq "{employee}""#),
        format!(r#"members eq "{manager}""#),
    ] {
        let (status, list) = scim
            .get(&format!("/Groups?{}", q(&[("filter", &filter)])))
            .await;
        assert_eq!(status, 200, "{filter}: {list}");
        assert_eq!(ids(&list), [both.as_str()], "{filter}");
    }
    let filter = format!(r#"members.value ne "{employee}""#);
    let (_, list) = scim
        .get(&format!("/Groups?{}", q(&[("filter", &filter)])))
        .await;
    let found = ids(&list);
    assert!(
        found.contains(&other) && !found.contains(&both),
        "{filter}: {found:?}"
    );
}

#[tokio::test]
async fn a_group_keeps_its_external_id_on_create_patch_and_lookup() {
    let scim = Scim::new().await;
    let (status, group) = scim
        .call(
            Method::POST,
            "/Groups",
            Some(json!({"schemas": [GROUP],
            "displayName": "External Guild", "externalId": "okta-00g1"})),
        )
        .await;
    assert_eq!(status, 201, "{group}");
    assert_eq!(group["externalId"], "okta-00g1");
    let gid = group["id"].as_str().unwrap().to_string();

    let (_, group) = scim
        .patch(
            &format!("/Groups/{gid}"),
            json!([{"op": "replace", "path": "externalId", "value": "entra-7f3"}]),
        )
        .await;
    assert_eq!(group["externalId"], "entra-7f3");
    let stored: Option<String> =
        sqlx::query_scalar("select external_id from departments where id = $1::uuid")
            .bind(&gid)
            .fetch_one(&scim.app.db)
            .await
            .unwrap();
    assert_eq!(stored.as_deref(), Some("entra-7f3"));
    let (_, list) = scim
        .get(&format!(
            "/Groups?{}",
            q(&[("filter", r#"externalId eq "entra-7f3""#)])
        ))
        .await;
    assert_eq!(list["totalResults"], 1);

    let r = scim
        .send(
            Method::POST,
            "/Groups",
            Some(json!({"schemas": [GROUP],
            "displayName": "Another Guild", "externalId": "entra-7f3"})),
            &[],
        )
        .await;
    assert_error(r, 409, Some("uniqueness"), "externalId").await;
}

#[tokio::test]
async fn joining_a_second_group_is_refused_because_a_group_is_a_department() {
    let scim = Scim::new().await;
    let employee = scim.id_of("employee@example.com").await;
    let first = group_with(&scim, "First Guild", &[&employee]).await;
    let second = group_with(&scim, "Second Guild", &[]).await;

    let r = scim
        .send(
            Method::PATCH,
            &format!("/Groups/{second}"),
            Some(json!({"schemas": [crate::scim::PATCH], "Operations": [
                {"op": "add", "path": "members", "value": [{"value": employee}]}]})),
            &[],
        )
        .await;

    assert_error(r, 409, Some("uniqueness"), "First Guild").await;
    assert_eq!(
        department_of(&scim, &employee).await.as_deref(),
        Some("First Guild")
    );
    // after leaving the first group, joining the second works
    let (status, _) = scim
        .patch(
            &format!("/Groups/{first}"),
            json!([{"op": "remove", "path": format!("members[value eq \"{employee}\"]")}]),
        )
        .await;
    assert_eq!(status, 200);
    let (status, group) = scim
        .patch(
            &format!("/Groups/{second}"),
            json!([{"op": "add", "path": "members", "value": [{"value": employee}]}]),
        )
        .await;
    assert_eq!(status, 200, "{group}");
    assert_eq!(
        department_of(&scim, &employee).await.as_deref(),
        Some("Second Guild")
    );
}
