//! `/Schemas` says what the server enforces: what is required is refused when missing, what
//! is optional is not, references say what they refer to.

use reqwest::Method;
use serde_json::{json, Value};

use crate::scim::Scim;
use crate::scim_queries::USER;

fn attribute<'a>(attributes: &'a Value, name: &str) -> &'a Value {
    attributes
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == name)
        .unwrap_or_else(|| panic!("no attribute {name}"))
}

/// Every attribute, with its sub-attributes, as (dotted name, definition).
fn flatten(prefix: &str, attributes: &Value, out: &mut Vec<(String, Value)>) {
    for a in attributes.as_array().unwrap() {
        let name = format!("{prefix}{}", a["name"].as_str().unwrap());
        if let Some(subs) = a.get("subAttributes") {
            flatten(&format!("{name}."), subs, out);
        }
        out.push((name, a.clone()));
    }
}

#[tokio::test]
async fn every_schema_attribute_is_fully_described_and_references_say_what_they_refer_to() {
    let scim = Scim::new().await;
    let (status, list) = scim.get("/Schemas").await;
    assert_eq!(status, 200);
    for schema in list["Resources"].as_array().unwrap() {
        let mut all = vec![];
        flatten("", &schema["attributes"], &mut all);
        for (name, a) in all {
            let id = &schema["id"];
            for key in [
                "type",
                "multiValued",
                "required",
                "mutability",
                "returned",
                "uniqueness",
            ] {
                assert!(a.get(key).is_some(), "{id} {name} has no {key}");
            }
            if a["type"] == "string" {
                assert!(a["caseExact"].is_boolean(), "{id} {name} has no caseExact");
            }
            if a["type"] == "reference" {
                assert!(
                    a["referenceTypes"]
                        .as_array()
                        .is_some_and(|r| !r.is_empty()),
                    "{id} {name} has no referenceTypes"
                );
            }
        }
    }
    let (_, user) = scim.get(&format!("/Schemas/{USER}")).await;
    assert_eq!(attribute(&user["attributes"], "name")["required"], true);
    let emails = attribute(&user["attributes"], "emails");
    assert_eq!(
        attribute(&emails["subAttributes"], "type")["canonicalValues"],
        json!(["work", "home", "other"])
    );
    for stored in ["title", "phoneNumbers", "addresses"] {
        attribute(&user["attributes"], stored);
    }
}

#[tokio::test]
async fn what_the_user_schema_calls_required_is_exactly_what_a_create_needs() {
    let scim = Scim::new().await;
    let (_, user) = scim.get(&format!("/Schemas/{USER}")).await;
    let minimal = json!({"schemas": [USER], "userName": "min@example.com",
        "name": {"givenName": "Min", "familyName": "Imal"}});
    let mut required = vec![];
    let mut all = vec![];
    flatten("", &user["attributes"], &mut all);
    for (name, a) in &all {
        if a["required"] == true {
            required.push(name.clone());
        }
    }
    required.sort();
    assert_eq!(
        required,
        ["name", "name.familyName", "name.givenName", "userName"]
    );

    let (status, body) = scim
        .call(Method::POST, "/Users", Some(minimal.clone()))
        .await;
    assert_eq!(status, 201, "the required attributes are enough: {body}");
    for missing in ["userName", "name", "name.givenName", "name.familyName"] {
        let mut body = minimal.clone();
        body["userName"] = json!(format!("{}@example.com", missing.replace('.', "-")));
        match missing.split_once('.') {
            Some((parent, child)) => {
                body[parent].as_object_mut().unwrap().remove(child);
            }
            None => {
                body.as_object_mut().unwrap().remove(missing);
            }
        }
        let (status, answer) = scim.call(Method::POST, "/Users", Some(body)).await;
        assert_eq!(status, 400, "without {missing}: {answer}");
        assert!(
            answer["detail"].as_str().unwrap().contains(missing),
            "{answer}"
        );
    }
}
