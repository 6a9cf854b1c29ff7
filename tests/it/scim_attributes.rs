//! The User attributes identity providers send: emails as sent, phone numbers, addresses,
//! title, a userName that is not an email, and PATCH operations that must change something.

use reqwest::Method;
use serde_json::{json, Value};

use crate::scim::{new_user, Scim, EXT};
use crate::scim_queries::assert_error;

async fn created(scim: &Scim, body: Value) -> String {
    let (status, user) = scim.call(Method::POST, "/Users", Some(body)).await;
    assert_eq!(status, 201, "{user}");
    user["id"].as_str().unwrap().to_string()
}

async fn work_email(scim: &Scim, id: &str) -> String {
    sqlx::query_scalar("select email from people where id = $1::uuid")
        .bind(id)
        .fetch_one(&scim.app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn entra_adds_through_filters_that_match_nothing_yet_and_everything_is_kept() {
    let scim = Scim::new().await;
    let id = created(&scim, new_user("noor@example.com")).await;
    let path = format!("/Users/{id}");

    let (status, user) = scim
        .patch(
            &path,
            json!([
                {"op": "add", "path": "emails[type eq \"home\"].value", "value": "noor@home.example.org"},
                {"op": "add", "path": "phoneNumbers[type eq \"mobile\"].value", "value": "+1 555 0100"},
                {"op": "add", "path": "addresses[type eq \"work\"].locality", "value": "Lisbon"},
                {"op": "replace", "path": "title", "value": "Staff Engineer"}
            ]),
        )
        .await;

    assert_eq!(status, 200, "{user}");
    let (_, user) = scim.get(&path).await;
    assert_eq!(
        user["emails"],
        json!([{"value": "noor@example.com", "type": "work", "primary": true},
               {"value": "noor@home.example.org", "type": "home"}])
    );
    assert_eq!(
        user["phoneNumbers"],
        json!([{"value": "+1 555 0100", "type": "mobile"}])
    );
    assert_eq!(
        user["addresses"],
        json!([{"locality": "Lisbon", "type": "work"}])
    );
    assert_eq!(user["title"], "Staff Engineer");
    assert_eq!(work_email(&scim, &id).await, "noor@example.com");
    let title: Option<String> = sqlx::query_scalar("select title from people where id = $1::uuid")
        .bind(&id)
        .fetch_one(&scim.app.db)
        .await
        .unwrap();
    assert_eq!(title.as_deref(), Some("Staff Engineer"));

    // a replace through a filter that matches nothing is still noTarget (RFC 7644 §3.5.2.3)
    let r = scim
        .send(
            Method::PATCH,
            &path,
            Some(json!({"schemas": [crate::scim::PATCH], "Operations": [
                {"op": "replace", "path": "phoneNumbers[type eq \"fax\"].value", "value": "1"}]})),
            &[],
        )
        .await;
    assert_error(r, 400, Some("noTarget"), "phoneNumbers").await;
}

#[tokio::test]
async fn patches_that_used_to_answer_200_and_change_nothing_now_change_it() {
    let scim = Scim::new().await;
    let mut body = new_user("noor@example.com");
    body["displayName"] = json!("Noor the Builder");
    let id = created(&scim, body).await;
    let path = format!("/Users/{id}");

    // a second email is added, not dropped
    let (status, user) = scim
        .patch(
            &path,
            json!([{"op": "add", "path": "emails",
            "value": [{"value": "noor@home.example.org", "type": "home"}]}]),
        )
        .await;
    assert_eq!(status, 200, "{user}");
    assert_eq!(user["emails"].as_array().unwrap().len(), 2, "{user}");

    // replacing emails keeps the types and primary flags as sent
    let (_, user) = scim
        .patch(
            &path,
            json!([{"op": "replace", "path": "emails",
            "value": [{"value": "n.haddad@example.com", "type": "other", "primary": true}]}]),
        )
        .await;
    assert_eq!(
        user["emails"],
        json!([{"value": "n.haddad@example.com", "type": "other", "primary": true}])
    );
    assert_eq!(work_email(&scim, &id).await, "n.haddad@example.com");

    // removing emails leaves the work email the userName gives (as a create without emails)
    let (status, user) = scim
        .patch(&path, json!([{"op": "remove", "path": "emails"}]))
        .await;
    assert_eq!(status, 200, "{user}");
    assert_eq!(
        user["emails"],
        json!([{"value": user["userName"], "type": "work", "primary": true}])
    );
    assert_eq!(
        work_email(&scim, &id).await,
        user["userName"].as_str().unwrap()
    );

    // removing displayName falls back to the name, as on create
    let (_, user) = scim
        .patch(&path, json!([{"op": "remove", "path": "displayName"}]))
        .await;
    assert_eq!(user["displayName"], "Noor Haddad");

    // removing employeeNumber gives the person a generated one, as on create
    let (_, user) = scim
        .patch(
            &path,
            json!([{"op": "remove", "path": format!("{EXT}:employeeNumber")}]),
        )
        .await;
    let number = user[EXT]["employeeNumber"].as_str().unwrap();
    assert!(number.starts_with("SCIM-"), "{user}");

    // the bare extension URN is a path: add sets its attributes, remove clears them
    let (status, user) = scim
        .patch(
            &path,
            json!([{"op": "add", "path": EXT,
            "value": {"employeeNumber": "E-42", "department": "Bare Urn Guild"}}]),
        )
        .await;
    assert_eq!(status, 200, "{user}");
    assert_eq!(user[EXT]["employeeNumber"], "E-42");
    assert_eq!(user[EXT]["department"], "Bare Urn Guild");
    let (status, user) = scim
        .patch(&path, json!([{"op": "remove", "path": EXT}]))
        .await;
    assert_eq!(status, 200, "{user}");
    assert_eq!(user[EXT].get("department"), None, "{user}");
    assert_ne!(user[EXT]["employeeNumber"], "E-42");
}

#[tokio::test]
async fn a_user_name_that_is_not_an_email_is_accepted_with_the_work_email_in_emails() {
    let scim = Scim::new().await;
    let mut body = new_user("ignored@example.com");
    body["userName"] = json!("nhaddad");
    body["emails"] = json!([{"value": "home@example.org", "type": "home"},
                            {"value": "noor.h@example.com", "type": "work", "primary": true}]);

    let id = created(&scim, body).await;

    let (_, user) = scim.get(&format!("/Users/{id}")).await;
    assert_eq!(user["userName"], "nhaddad");
    assert_eq!(work_email(&scim, &id).await, "noor.h@example.com");
    assert_eq!(
        scim.list(r#"userName eq "NHADDAD""#).await["totalResults"],
        1
    );
    assert_eq!(
        scim.list(r#"emails.value eq "noor.h@example.com""#).await["totalResults"],
        1
    );

    // the userName is unique, whatever its form
    let mut clash = new_user("other@example.com");
    clash["userName"] = json!("nhaddad");
    clash["externalId"] = json!("okta-other");
    clash[EXT] = json!({"employeeNumber": "X-2"});
    clash["emails"] = json!([{"value": "other@example.com", "primary": true}]);
    let r = scim.send(Method::POST, "/Users", Some(clash), &[]).await;
    assert_error(r, 409, Some("uniqueness"), "nhaddad").await;

    // without an email anywhere there is no work email to keep
    let mut no_email = new_user("x@example.com");
    no_email["userName"] = json!("jdoe");
    no_email["externalId"] = json!("okta-jdoe");
    no_email[EXT] = json!({});
    let r = scim.send(Method::POST, "/Users", Some(no_email), &[]).await;
    assert_error(r, 400, Some("invalidValue"), "emails").await;
}
