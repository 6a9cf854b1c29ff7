//! SCIM queries as strict provisioning clients (Entra ID, Okta, OneLogin) make them:
//! `attributes` and `excludedAttributes` on reads and writes. POST `.search` is in
//! `scim_search`, `/Me`, `/Bulk` and client quirks in `scim_quirks`; both share the helpers here.

use reqwest::Method;
use serde_json::{json, Value};

use crate::scim::{new_user, Scim, EXT, PATCH};

pub(crate) const ERROR: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
pub(crate) const SEARCH: &str = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
pub(crate) const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub(crate) const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";

pub(crate) fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

pub(crate) fn q(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap()
}

/// Assert a SCIM error body: status, schemas, scimType, and a detail containing `detail`.
pub(crate) async fn assert_error(
    r: reqwest::Response,
    status: u16,
    scim_type: Option<&str>,
    detail: &str,
) {
    assert_eq!(r.status().as_u16(), status);
    assert_eq!(r.headers()["content-type"], "application/scim+json");
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["schemas"], json!([ERROR]));
    assert_eq!(e["status"], status.to_string());
    assert_eq!(e["scimType"].as_str(), scim_type, "{e}");
    assert!(e["detail"].as_str().unwrap().contains(detail), "{e}");
}

/// A group (department) with the given members, made through SCIM; returns its id.
/// A new group with these members; they leave their departments first, as a person is in at
/// most one group (a Group is a department).
pub(crate) async fn group_with(scim: &Scim, name: &str, members: &[&str]) -> String {
    sqlx::query("update people set department_id = null where id::text = any($1)")
        .bind(members.iter().map(|m| m.to_string()).collect::<Vec<_>>())
        .execute(&scim.app.db)
        .await
        .unwrap();
    let members: Vec<Value> = members.iter().map(|m| json!({ "value": m })).collect();
    let r = scim
        .send(
            Method::POST,
            "/Groups",
            Some(json!({"schemas": [GROUP], "displayName": name, "members": members})),
            &[],
        )
        .await;
    assert_eq!(r.status(), 201);
    r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn entra_finds_a_user_by_user_name_and_gets_only_that_attribute_back() {
    let scim = Scim::new().await;
    let id = scim.id_of("employee@example.com").await;
    let path = q(&[
        ("filter", r#"userName eq "employee@example.com""#),
        ("attributes", "userName"),
    ]);

    let (status, list) = scim.get(&format!("/Users?{path}")).await;

    assert_eq!(status, 200);
    assert_eq!(list["totalResults"], 1);
    assert_eq!(
        list["Resources"][0],
        json!({"schemas": [USER, EXT], "id": id, "userName": "employee@example.com"})
    );
}

#[tokio::test]
async fn attributes_name_sub_attributes_and_fully_qualified_extension_attributes() {
    let scim = Scim::new().await;
    let id = scim.id_of("employee@example.com").await;
    let attrs = format!("NAME.givenName,emails.value,{EXT}:employeeNumber");
    let r = scim
        .send(
            Method::GET,
            &format!("/Users/{id}?{}", q(&[("attributes", &attrs)])),
            None,
            &[],
        )
        .await;

    assert_eq!(r.status(), 200);
    assert!(
        r.headers().contains_key("etag"),
        "the version stays in the header"
    );
    let user: Value = r.json().await.unwrap();
    assert_eq!(keys(&user), ["emails", "id", "name", "schemas", EXT]);
    assert_eq!(keys(&user["name"]), ["givenName"]);
    assert_eq!(user["emails"], json!([{"value": "employee@example.com"}]));
    assert_eq!(keys(&user[EXT]), ["employeeNumber"]);
}

#[tokio::test]
async fn excluded_attributes_drop_from_the_default_set_but_id_and_schemas_stay() {
    let scim = Scim::new().await;
    let id = scim.id_of("employee@example.com").await;
    let path = q(&[(
        "excludedAttributes",
        &format!("id,schemas,meta,emails,{EXT}"),
    )]);

    let (status, user) = scim.get(&format!("/Users/{id}?{path}")).await;

    assert_eq!(status, 200);
    assert_eq!(user["id"], id.as_str());
    assert_eq!(user["schemas"], json!([USER, EXT]));
    for gone in ["meta", "emails", EXT] {
        assert!(user.get(gone).is_none(), "{gone} should be left out");
    }
    assert_eq!(user["userName"], "employee@example.com");
    assert!(user["name"]["familyName"].is_string());
}

#[tokio::test]
async fn groups_leave_members_out_when_excluded_or_not_asked_for() {
    let scim = Scim::new().await;
    let employee = scim.id_of("employee@example.com").await;
    let gid = group_with(&scim, "Data Guild", &[&employee]).await;
    let by_name = ("filter", r#"displayName eq "Data Guild""#);

    let (_, listed) = scim
        .get(&format!(
            "/Groups?{}",
            q(&[by_name, ("excludedAttributes", "members")])
        ))
        .await;
    let (_, one) = scim
        .get(&format!("/Groups/{gid}?excludedAttributes=Members"))
        .await;
    let (_, named) = scim
        .get(&format!(
            "/Groups?{}",
            q(&[by_name, ("attributes", "displayName")])
        ))
        .await;
    let (_, full) = scim.get(&format!("/Groups/{gid}")).await;

    assert_eq!(listed["totalResults"], 1);
    assert!(listed["Resources"][0].get("members").is_none());
    assert_eq!(listed["Resources"][0]["displayName"], "Data Guild");
    assert_eq!(keys(&one), ["displayName", "id", "meta", "schemas"]);
    assert_eq!(
        named["Resources"][0],
        json!({"schemas": [GROUP], "id": gid, "displayName": "Data Guild"})
    );
    assert_eq!(full["members"][0]["value"], employee.as_str());
}

#[tokio::test]
async fn create_replace_and_patch_answer_with_the_requested_attributes() {
    let scim = Scim::new().await;

    let created = scim
        .send(
            Method::POST,
            "/Users?attributes=userName",
            Some(new_user("noor@example.com")),
            &[],
        )
        .await;
    assert_eq!(created.status(), 201);
    assert!(created.headers()["location"]
        .to_str()
        .unwrap()
        .contains("/Users/"));
    let body: Value = created.json().await.unwrap();
    assert_eq!(keys(&body), ["id", "schemas", "userName"]);
    let id = body["id"].as_str().unwrap().to_string();

    let mut replacement = new_user("noor@example.com");
    replacement["displayName"] = json!("Noor H.");
    let (put_status, put): (u16, Value) = {
        let r = scim
            .send(
                Method::PUT,
                &format!("/Users/{id}?excludedAttributes=meta,emails"),
                Some(replacement),
                &[],
            )
            .await;
        (r.status().as_u16(), r.json().await.unwrap())
    };
    assert_eq!(put_status, 200);
    assert_eq!(put["displayName"], "Noor H.");
    assert!(put.get("meta").is_none() && put.get("emails").is_none());

    let gid = group_with(&scim, "Platform", &[&id]).await;
    let patched = scim
        .send(
            Method::PATCH,
            &format!("/Groups/{gid}?excludedAttributes=members"),
            Some(json!({"schemas": [PATCH],
                "Operations": [{"op": "replace", "path": "displayName", "value": "Platform Team"}]})),
            &[],
        )
        .await;
    assert_eq!(patched.status(), 200);
    let group: Value = patched.json().await.unwrap();
    assert_eq!(group["displayName"], "Platform Team");
    assert!(group.get("members").is_none());
    let still_member: bool = sqlx::query_scalar(
        "select exists(select 1 from people p join departments d on d.id = p.department_id
         where p.id = $1::uuid and d.name = 'Platform Team')",
    )
    .bind(&id)
    .fetch_one(&scim.app.db)
    .await
    .unwrap();
    assert!(
        still_member,
        "excluding members from the answer changes no membership"
    );
}

#[tokio::test]
async fn excluding_members_never_reads_the_people_in_the_department() {
    let scim = Scim::new().await;
    let employee = scim.id_of("employee@example.com").await;
    let gid = group_with(&scim, "Big Guild", &[&employee]).await;
    // Any read of the members now fails, so only answers that skip them can succeed.
    sqlx::query("alter table people rename column display_name to display_name_hidden")
        .execute(&scim.app.db)
        .await
        .unwrap();
    let by_name = ("filter", r#"displayName eq "Big Guild""#);

    let (one, _) = scim
        .get(&format!("/Groups/{gid}?excludedAttributes=members"))
        .await;
    let (listed, body) = scim
        .get(&format!(
            "/Groups?{}",
            q(&[by_name, ("excludedAttributes", "members")])
        ))
        .await;
    let (with_members, _) = scim.get(&format!("/Groups/{gid}")).await;

    assert_eq!((one, listed), (200, 200));
    assert_eq!(body["Resources"][0]["id"], gid.as_str());
    assert_eq!(
        with_members, 500,
        "the default answer does read the members"
    );
}
