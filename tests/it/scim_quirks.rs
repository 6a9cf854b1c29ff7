//! What strict clients meet at the edges: `/Me` and `/Bulk` (501), ServiceProviderConfig, and
//! the PATCH shapes Entra ID sends.

use reqwest::Method;
use serde_json::{json, Value};

use crate::scim::{Scim, EXT, PATCH};
use crate::scim_queries::{assert_error, group_with};

#[tokio::test]
async fn me_and_bulk_are_not_implemented_and_the_config_says_what_is() {
    let scim = Scim::new().await;
    for (method, path) in [
        (Method::GET, "/Me"),
        (Method::POST, "/Me"),
        (Method::PATCH, "/Me"),
        (Method::POST, "/Bulk"),
    ] {
        let r = scim.send(method.clone(), path, Some(json!({})), &[]).await;
        assert_error(r, 501, None, &format!("{path} is not supported")).await;
    }

    let (_, config) = scim.get("/ServiceProviderConfig").await;
    assert_eq!(
        config["bulk"],
        json!({"supported": false, "maxOperations": 0, "maxPayloadSize": 0})
    );
    assert_eq!(
        config["filter"],
        json!({"supported": true, "maxResults": 1000})
    );
    for (feature, supported) in [
        ("patch", true),
        ("sort", true),
        ("etag", true),
        ("changePassword", false),
    ] {
        assert_eq!(config[feature]["supported"], supported, "{feature}");
    }
    assert_eq!(
        config["authenticationSchemes"][0]["type"],
        "oauthbearertoken"
    );
}

#[tokio::test]
async fn entra_style_patches_with_capitalised_ops_string_booleans_and_qualified_keys_apply() {
    let scim = Scim::new().await;
    let id = scim.id_of("employee@example.com").await;
    let manager = scim.id_of("manager@example.com").await;

    let r = scim
        .send(
            Method::PATCH,
            &format!("/Users/{id}"),
            Some(json!({"schemas": [PATCH], "Operations": [
                {"op": "Replace", "value": {
                    format!("{EXT}:employeeNumber"): "E-777",
                    format!("{EXT}:manager"): manager,
                    "name.givenName": "Evie"}},
                {"op": "Add", "path": format!("{EXT}:department"), "value": "Quirk Guild"},
                {"op": "Replace", "path": "active", "value": "False"}
            ]})),
            &[],
        )
        .await;

    assert_eq!(r.status(), 200);
    let user: Value = r.json().await.unwrap();
    assert_eq!(user["active"], false);
    let row: (String, String, String, String, Option<uuid::Uuid>) = sqlx::query_as(
        "select p.employee_number, p.given_name, p.employment_status, d.name, p.manager_id
         from people p join departments d on d.id = p.department_id where p.id = $1::uuid",
    )
    .bind(&id)
    .fetch_one(&scim.app.db)
    .await
    .unwrap();
    assert_eq!(
        (
            row.0.as_str(),
            row.1.as_str(),
            row.2.as_str(),
            row.3.as_str()
        ),
        ("E-777", "Evie", "terminated", "Quirk Guild")
    );
    assert_eq!(row.4.unwrap().to_string(), manager);

    let r = scim
        .send(
            Method::PATCH,
            &format!("/Users/{id}"),
            Some(json!({"schemas": [PATCH],
                "Operations": [{"op": "replace", "value": {"active": "True"}}]})),
            &[],
        )
        .await;
    assert_eq!(r.json::<Value>().await.unwrap()["active"], true);
}

#[tokio::test]
async fn entra_removes_one_member_by_value_without_emptying_the_group() {
    let scim = Scim::new().await;
    let employee = scim.id_of("employee@example.com").await;
    let manager = scim.id_of("manager@example.com").await;
    let gid = group_with(&scim, "Entra Guild", &[&employee, &manager]).await;

    let r = scim
        .send(
            Method::PATCH,
            &format!("/Groups/{gid}"),
            Some(json!({"schemas": [PATCH], "Operations": [
                {"op": "Remove", "path": "members", "value": [{"$ref": null, "value": employee}]}]})),
            &[],
        )
        .await;

    assert_eq!(r.status(), 200);
    let members: Vec<String> = sqlx::query_scalar(
        "select p.email from people p where p.department_id = $1::uuid order by p.email",
    )
    .bind(&gid)
    .fetch_all(&scim.app.db)
    .await
    .unwrap();
    assert_eq!(members, ["manager@example.com"]);
}
