//! Unassign and reassign, rehires, and who may make a terminated person active again.

use reqwest::Method;
use serde_json::{json, Value};

use crate::scim::{new_user, Scim, EXT};
use crate::scim_queries::assert_error;

/// (employment_status, terminated, deprovisioned, external_id, employee_number) of a person.
async fn state_of(scim: &Scim, id: &str) -> (String, bool, bool, Option<String>, String) {
    sqlx::query_as(
        "select employment_status, terminated_on is not null, deprovisioned_at is not null,
                external_id, employee_number from people where id = $1::uuid",
    )
    .bind(id)
    .fetch_one(&scim.app.db)
    .await
    .unwrap()
}

async fn create(scim: &Scim, body: Value) -> (u16, Value) {
    scim.call(Method::POST, "/Users", Some(body)).await
}

async fn create_and_delete(scim: &Scim, body: Value) -> String {
    let (status, user) = create(scim, body).await;
    assert_eq!(status, 201, "{user}");
    let id = user["id"].as_str().unwrap().to_string();
    let (status, _) = scim
        .call(Method::DELETE, &format!("/Users/{id}"), None)
        .await;
    assert_eq!(status, 204);
    id
}

#[tokio::test]
async fn a_deleted_person_recreated_with_the_same_external_id_is_the_same_person_again() {
    let scim = Scim::new().await;
    let id = create_and_delete(&scim, new_user("noor@example.com")).await;
    let lookup = scim.list(r#"userName eq "noor@example.com""#).await;
    assert_eq!(lookup["totalResults"], 0, "a deleted person is not found");

    let (status, user) = create(&scim, new_user("noor@example.com")).await;

    assert_eq!(status, 201, "{user}");
    assert_eq!(
        user["id"],
        id.as_str(),
        "the same person, with their history"
    );
    assert_eq!(user["active"], true);
    let (employment, terminated, deprovisioned, _, _) = state_of(&scim, &id).await;
    assert_eq!(
        (employment.as_str(), terminated, deprovisioned),
        ("active", false, false)
    );
    assert_eq!(
        scim.list(r#"userName eq "noor@example.com""#).await["totalResults"],
        1
    );
    let rehired: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where action = 'scim.user.rehire' and entity_id = $1",
    )
    .bind(&id)
    .fetch_one(&scim.app.db)
    .await
    .unwrap();
    assert_eq!(rehired, 1);
}

#[tokio::test]
async fn a_rehire_with_a_new_external_id_is_matched_by_employee_number() {
    let scim = Scim::new().await;
    let mut first = new_user("noor@example.com");
    first["externalId"] = json!("entra-object-1");
    let id = create_and_delete(&scim, first).await;

    let mut again = new_user("noor.haddad@example.com");
    again["externalId"] = json!("entra-object-2");
    let (status, user) = create(&scim, again).await;

    assert_eq!(status, 201, "{user}");
    assert_eq!(user["id"], id.as_str());
    assert_eq!(user["userName"], "noor.haddad@example.com");
    let (employment, _, deprovisioned, external, number) = state_of(&scim, &id).await;
    assert_eq!(employment, "active");
    assert!(!deprovisioned);
    assert_eq!(external.as_deref(), Some("entra-object-2"));
    assert_eq!(number, "X-1001");
}

#[tokio::test]
async fn a_user_name_freed_by_a_delete_can_be_provisioned_again_and_a_clash_says_why() {
    let scim = Scim::new().await;
    let mut first = new_user("noor@example.com");
    first.as_object_mut().unwrap().remove("externalId");
    first[EXT] = json!({});
    let id = create_and_delete(&scim, first.clone()).await;

    // the same userName and nothing else to tell them apart: the same person comes back
    let (status, user) = create(&scim, first).await;
    assert_eq!(status, 201, "{user}");
    assert_eq!(user["id"], id.as_str());

    // someone else (another employee number) cannot take a deleted person's userName
    // silently: the answer names the clash
    scim.call(Method::DELETE, &format!("/Users/{id}"), None)
        .await;
    let mut other = new_user("noor@example.com");
    other["externalId"] = json!("okta-someone-else");
    other[EXT] = json!({"employeeNumber": "X-2002"});
    let r = scim.send(Method::POST, "/Users", Some(other), &[]).await;
    assert_error(r, 409, Some("uniqueness"), "deleted").await;
    let (_, _, deprovisioned, _, _) = state_of(&scim, &id).await;
    assert!(deprovisioned, "nothing changed");
}

#[tokio::test]
async fn only_an_explicit_true_makes_a_terminated_person_active_again() {
    let scim = Scim::new().await;
    let id = scim.id_of("employee@example.com").await;
    let path = format!("/Users/{id}");
    let (status, _) = scim
        .patch(
            &path,
            json!([{"op": "replace", "path": "active", "value": false}]),
        )
        .await;
    assert_eq!(status, 200);
    let (_, current) = scim.get(&path).await;
    let mut put_without_active = current.clone();
    put_without_active.as_object_mut().unwrap().remove("active");

    let attempts: [(&str, Value); 3] = [
        ("remove active", json!([{"op": "remove", "path": "active"}])),
        (
            "active null",
            json!([{"op": "replace", "value": {"active": null}}]),
        ),
        (
            "replace displayName only",
            json!([{"op": "replace", "path": "displayName", "value": "Still Gone"}]),
        ),
    ];
    for (what, ops) in attempts {
        let (status, user) = scim.patch(&path, ops).await;
        assert_eq!(status, 200, "{what}: {user}");
        assert_eq!(user["active"], false, "{what}");
        assert_eq!(state_of(&scim, &id).await.0, "terminated", "{what}");
    }
    let (status, user) = scim
        .call(Method::PUT, &path, Some(put_without_active))
        .await;
    assert_eq!(status, 200, "{user}");
    assert_eq!(user["active"], false, "PUT without active");
    assert_eq!(state_of(&scim, &id).await.0, "terminated");

    let (_, user) = scim
        .patch(&path, json!([{"op": "replace", "value": {"active": true}}]))
        .await;
    assert_eq!(user["active"], true);
    assert_eq!(state_of(&scim, &id).await.0, "active");
}
