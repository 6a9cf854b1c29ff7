//! SCIM 2.0 at /scim/v2, as an identity provider would use it.

use reqwest::{Method, Response};
use serde_json::{json, Value};

use crate::support::TestApp;
use crate::tokens::{bearer, token};

pub(crate) const EXT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
pub(crate) const PATCH: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// A SCIM client holding a token with the `scim` scope, on an app with the demo data.
pub(crate) struct Scim {
    pub(crate) app: TestApp,
    pub(crate) secret: String,
    token_id: String,
}

impl Scim {
    pub(crate) async fn new() -> Scim {
        let app = TestApp::with_demo().await;
        let (token_id, secret) = token(&app, &["scim"]).await;
        Scim {
            app,
            secret,
            token_id,
        }
    }
    pub(crate) async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Response {
        let mut r = bearer(&self.app, method, &format!("/scim/v2{path}"), &self.secret);
        for (k, v) in headers {
            r = r.header(*k, *v);
        }
        if let Some(b) = body {
            r = r
                .header("content-type", "application/scim+json")
                .body(b.to_string());
        }
        r.send().await.unwrap()
    }
    pub(crate) async fn get(&self, path: &str) -> (u16, Value) {
        let r = self.send(Method::GET, path, None, &[]).await;
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }
    /// Send `body` (if any) and answer the status and the JSON body (`Null` when empty).
    pub(crate) async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let r = self.send(method, path, body, &[]).await;
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }
    /// PATCH `path` with these operations.
    pub(crate) async fn patch(&self, path: &str, operations: Value) -> (u16, Value) {
        let body = json!({"schemas": [PATCH], "Operations": operations});
        self.call(Method::PATCH, path, Some(body)).await
    }
    pub(crate) async fn list(&self, filter: &str) -> Value {
        let q = serde_urlencoded::to_string([("filter", filter), ("count", "1000")]).unwrap();
        let (status, body) = self.get(&format!("/Users?{q}")).await;
        assert_eq!(status, 200, "{filter}: {body}");
        body
    }
    pub(crate) async fn id_of(&self, email: &str) -> String {
        let id: uuid::Uuid = sqlx::query_scalar("select id from people where email = $1")
            .bind(email)
            .fetch_one(&self.app.db)
            .await
            .unwrap();
        id.to_string()
    }
}

pub(crate) fn new_user(email: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", EXT],
        "userName": email, "externalId": format!("okta-{email}"),
        "name": { "givenName": "Noor", "familyName": "Haddad" },
        "active": true,
        EXT: { "employeeNumber": "X-1001", "department": "Platform Guild" }
    })
}

#[tokio::test]
async fn discovery_endpoints_describe_the_service_in_scim_json() {
    let scim = Scim::new().await;
    let r = scim
        .send(Method::GET, "/ServiceProviderConfig", None, &[])
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/scim+json");
    let config: Value = r.json().await.unwrap();
    assert_eq!(config["patch"]["supported"], true);
    assert_eq!(config["etag"]["supported"], true);
    let (_, types) = scim.get("/ResourceTypes").await;
    assert_eq!(types["totalResults"], 2);
    let (status, schema) = scim.get(&format!("/Schemas/{EXT}")).await;
    assert_eq!(status, 200);
    assert_eq!(schema["attributes"][0]["name"], "employeeNumber");
}

#[tokio::test]
async fn only_a_token_with_the_scim_scope_gets_in() {
    let scim = Scim::new().await;
    let hr = scim.app.signed_in("hr@example.com").await;
    assert_eq!(hr.get_json("/scim/v2/Users").await.status(), 401);
    let (_, read) = token(&scim.app, &["read"]).await;
    let refused = bearer(&scim.app, Method::GET, "/scim/v2/Users", &read)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(
        body["schemas"][0],
        "urn:ietf:params:scim:api:messages:2.0:Error"
    );
    assert_eq!(body["status"], "403");
}

#[tokio::test]
async fn creating_a_user_adds_a_person_audited_under_the_token() {
    let scim = Scim::new().await;

    let r = scim
        .send(
            Method::POST,
            "/Users",
            Some(new_user("noor@example.com")),
            &[],
        )
        .await;

    assert_eq!(r.status(), 201);
    assert!(r.headers()["etag"].to_str().unwrap().starts_with("W/\""));
    let user: Value = r.json().await.unwrap();
    assert!(user["meta"]["location"]
        .as_str()
        .unwrap()
        .ends_with(user["id"].as_str().unwrap()));
    assert_eq!(user[EXT]["department"], "Platform Guild");
    let row: (String, String, String, Option<String>, String) = sqlx::query_as(
        "select p.given_name, p.employee_number, p.employment_status, p.external_id, d.name
         from people p join departments d on d.id = p.department_id where p.email = 'noor@example.com'")
        .fetch_one(&scim.app.db).await.unwrap();
    assert_eq!(
        row,
        (
            "Noor".into(),
            "X-1001".into(),
            "active".into(),
            Some("okta-noor@example.com".into()),
            "Platform Guild".into()
        )
    );
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where action = 'scim.user.create' and actor_kind = 'api_token'
         and entity_id = $1 and details->>'token_id' = $2")
        .bind(user["id"].as_str()).bind(&scim.token_id).fetch_one(&scim.app.db).await.unwrap();
    assert_eq!(audited, 1);
}

/// (method, path, body, status, scimType)
type ErrorCase<'a> = (Method, &'a str, Option<Value>, u16, Option<&'a str>);

#[tokio::test]
async fn errors_come_as_scim_error_bodies_with_a_scim_type() {
    let scim = Scim::new().await;
    let cases: [ErrorCase; 6] = [
        (
            Method::POST,
            "/Users",
            Some(new_user("employee@example.com")),
            409,
            Some("uniqueness"),
        ),
        (
            Method::POST,
            "/Users",
            Some(json!({"userName": "a@b.c"})),
            400,
            Some("invalidValue"),
        ),
        (
            Method::POST,
            "/Users",
            Some(
                json!({"userName": "not an email", "name": {"givenName": "a", "familyName": "b"}}),
            ),
            400,
            Some("invalidValue"),
        ),
        (
            Method::GET,
            "/Users?filter=userName%20eq",
            None,
            400,
            Some("invalidFilter"),
        ),
        (
            Method::GET,
            "/Users?filter=shoeSize%20eq%20%2242%22",
            None,
            400,
            Some("invalidFilter"),
        ),
        (
            Method::GET,
            &format!("/Users/{}", uuid::Uuid::new_v4()),
            None,
            404,
            None,
        ),
    ];
    for (method, path, body, status, scim_type) in cases {
        let r = scim.send(method.clone(), path, body, &[]).await;
        assert_eq!(r.status().as_u16(), status, "{method} {path}");
        assert_eq!(r.headers()["content-type"], "application/scim+json");
        let e: Value = r.json().await.unwrap();
        assert_eq!(
            e["schemas"][0],
            "urn:ietf:params:scim:api:messages:2.0:Error"
        );
        assert_eq!(e["scimType"].as_str(), scim_type, "{method} {path}");
    }
}

async fn count(scim: &Scim, sql_where: &str) -> i64 {
    sqlx::query_scalar(&format!(
        "select count(*) from people p left join departments d on d.id = p.department_id where p.deprovisioned_at is null and ({sql_where})"))
        .fetch_one(&scim.app.db).await.unwrap()
}

#[tokio::test]
async fn filters_select_the_same_people_as_the_equivalent_sql() {
    let scim = Scim::new().await;
    let number: String = sqlx::query_scalar(
        "select employee_number from people where email = 'manager@example.com'",
    )
    .fetch_one(&scim.app.db)
    .await
    .unwrap();
    let cases = [
        (r#"userName eq "EMPLOYEE@example.com""#.to_string(), "lower(p.email) = 'employee@example.com'".to_string()),
        (r#"name.familyName sw "M""#.into(), "lower(p.family_name) like 'm%'".into()),
        (r#"displayName co "an" and not (active eq false)"#.into(), "p.display_name ilike '%an%' and p.employment_status <> 'terminated'".into()),
        (r#"emails[type eq "work" and value ew "@example.com"]"#.into(), "p.email ilike '%@example.com'".into()),
        (format!(r#"{EXT}:employeeNumber eq "{number}""#), format!("p.employee_number = '{number}'")),
        (r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department pr or externalId pr"#.into(), "p.department_id is not null or p.external_id is not null".into()),
        (r#"meta.lastModified ge "2000-01-01T00:00:00Z" and (name.givenName lt "C" or name.givenName gt "X")"#.into(),
            "lower(p.given_name) < 'c' or lower(p.given_name) > 'x'".into()),
        (r#"userName ne "employee@example.com""#.into(), "lower(p.email) <> 'employee@example.com'".into()),
    ];
    for (filter, sql) in cases {
        let body = scim.list(&filter).await;
        let expected = count(&scim, &sql).await;
        assert!(expected > 0, "{filter} should match someone");
        assert_eq!(body["totalResults"], expected, "{filter}");
        assert_eq!(
            body["Resources"].as_array().unwrap().len() as i64,
            expected.min(1000),
            "{filter}"
        );
    }
}

#[tokio::test]
async fn lists_page_with_start_index_and_count_and_sort() {
    let scim = Scim::new().await;
    let total = count(&scim, "true").await;

    let (_, first) = scim
        .get("/Users?startIndex=1&count=10&sortBy=userName&sortOrder=descending")
        .await;
    let (_, second) = scim
        .get("/Users?startIndex=11&count=10&sortBy=userName&sortOrder=descending")
        .await;
    let (_, none) = scim.get("/Users?count=0").await;

    assert_eq!(first["totalResults"], total);
    assert_eq!(first["itemsPerPage"], 10);
    assert_eq!(second["startIndex"], 11);
    let names = |b: &Value| {
        b["Resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["userName"].as_str().unwrap().to_lowercase())
            .collect::<Vec<_>>()
    };
    let (a, b) = (names(&first), names(&second));
    let mut sorted = a.clone();
    sorted.sort_by(|x, y| y.cmp(x));
    assert_eq!(a, sorted);
    assert!(a.last().unwrap() >= b.first().unwrap());
    assert_eq!(none["totalResults"], total);
    assert_eq!(none["Resources"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn patch_replaces_through_value_filters_and_deactivation_ends_sessions() {
    let scim = Scim::new().await;
    let id = scim.id_of("employee@example.com").await;
    let _signed_in = scim.app.signed_in("employee@example.com").await;
    let manager = scim.id_of("manager@example.com").await;

    let r = scim.send(Method::PATCH, &format!("/Users/{id}"), Some(json!({
        "schemas": [PATCH],
        "Operations": [
            {"op": "replace", "path": "emails[type eq \"work\"].value", "value": "e.renamed@example.com"},
            {"op": "Replace", "path": format!("{EXT}:manager"), "value": {"value": manager}},
            {"op": "add", "value": {"displayName": "Renamed Person"}},
            {"op": "remove", "path": format!("{EXT}:department")},
            {"op": "replace", "path": "active", "value": false}
        ]})), &[]).await;

    assert_eq!(r.status(), 200);
    let row: (String, String, String, Option<uuid::Uuid>, Option<uuid::Uuid>, bool) = sqlx::query_as(
        "select email, display_name, employment_status, manager_id, department_id, terminated_on = current_date
         from people where id = $1::uuid").bind(&id).fetch_one(&scim.app.db).await.unwrap();
    assert_eq!(row.0, "e.renamed@example.com");
    assert_eq!(row.1, "Renamed Person");
    assert_eq!(row.2, "terminated");
    assert_eq!(row.3.unwrap().to_string(), manager);
    assert_eq!(row.4, None);
    assert!(row.5);
    let sessions: i64 =
        sqlx::query_scalar("select count(*) from sessions where person_id = $1::uuid")
            .bind(&id)
            .fetch_one(&scim.app.db)
            .await
            .unwrap();
    assert_eq!(sessions, 0);
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where action = 'scim.user.patch' and entity_id = $1",
    )
    .bind(&id)
    .fetch_one(&scim.app.db)
    .await
    .unwrap();
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn patching_a_read_only_attribute_is_a_mutability_error_and_changes_nothing() {
    let scim = Scim::new().await;
    let id = scim.id_of("employee@example.com").await;
    let r = scim
        .send(
            Method::PATCH,
            &format!("/Users/{id}"),
            Some(json!({"schemas": [PATCH],
        "Operations": [{"op": "replace", "path": "displayName", "value": "Changed"},
                       {"op": "replace", "path": "id", "value": "x"}]})),
            &[],
        )
        .await;
    assert_eq!(r.status(), 400);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["scimType"], "mutability");
    let name: String = sqlx::query_scalar("select display_name from people where id = $1::uuid")
        .bind(&id)
        .fetch_one(&scim.app.db)
        .await
        .unwrap();
    assert_ne!(name, "Changed");
}

#[tokio::test]
async fn etags_guard_replacements_and_answer_conditional_reads() {
    let scim = Scim::new().await;
    let id = scim.id_of("employee@example.com").await;
    let r = scim
        .send(Method::GET, &format!("/Users/{id}"), None, &[])
        .await;
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    let mut user: Value = r.json().await.unwrap();
    assert_eq!(user["meta"]["version"], etag.as_str());

    let same = scim
        .send(
            Method::GET,
            &format!("/Users/{id}"),
            None,
            &[("if-none-match", &etag)],
        )
        .await;
    assert_eq!(same.status(), 304);

    user["name"]["givenName"] = json!("Eve");
    let stale = scim
        .send(
            Method::PUT,
            &format!("/Users/{id}"),
            Some(user.clone()),
            &[("if-match", "W/\"1\"")],
        )
        .await;
    assert_eq!(stale.status(), 412);
    let ok = scim
        .send(
            Method::PUT,
            &format!("/Users/{id}"),
            Some(user.clone()),
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(ok.status(), 200);
    assert_ne!(ok.headers()["etag"].to_str().unwrap(), etag);
    let again = scim
        .send(
            Method::PUT,
            &format!("/Users/{id}"),
            Some(user),
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(again.status(), 412, "the old version no longer matches");
    let given: String = sqlx::query_scalar("select given_name from people where id = $1::uuid")
        .bind(&id)
        .fetch_one(&scim.app.db)
        .await
        .unwrap();
    assert_eq!(given, "Eve");
}

#[tokio::test]
async fn delete_deprovisions_the_person_but_keeps_their_history() {
    let scim = Scim::new().await;
    let id = scim.id_of("employee@example.com").await;
    let history_before: i64 =
        sqlx::query_scalar("select count(*) from applications where applicant_id = $1::uuid")
            .bind(&id)
            .fetch_one(&scim.app.db)
            .await
            .unwrap();

    let r = scim
        .send(Method::DELETE, &format!("/Users/{id}"), None, &[])
        .await;

    assert_eq!(r.status(), 204);
    let (status, terminated_today, gone): (String, bool, bool) = sqlx::query_as(
        "select employment_status, terminated_on = current_date, deprovisioned_at is not null from people where id = $1::uuid")
        .bind(&id).fetch_one(&scim.app.db).await.unwrap();
    assert_eq!(
        (status.as_str(), terminated_today, gone),
        ("terminated", true, true)
    );
    let history_after: i64 =
        sqlx::query_scalar("select count(*) from applications where applicant_id = $1::uuid")
            .bind(&id)
            .fetch_one(&scim.app.db)
            .await
            .unwrap();
    assert_eq!(history_after, history_before);
    assert_eq!(scim.get(&format!("/Users/{id}")).await.0, 404);
    assert_eq!(
        scim.list(r#"userName eq "employee@example.com""#).await["totalResults"],
        0
    );
    let login = scim
        .app
        .client()
        .sign_in("employee@example.com", "trellis-demo")
        .await;
    assert_ne!(login.status(), 303, "a deprovisioned person cannot sign in");
}

#[tokio::test]
async fn groups_are_departments_and_members_are_the_people_in_them() {
    let scim = Scim::new().await;
    let employee = scim.id_of("employee@example.com").await;
    let manager = scim.id_of("manager@example.com").await;
    // a person is in one group at most (see scim_groups.rs): start from no department
    sqlx::query("update people set department_id = null where id in ($1::uuid, $2::uuid)")
        .bind(&employee)
        .bind(&manager)
        .execute(&scim.app.db)
        .await
        .unwrap();

    let r = scim
        .send(
            Method::POST,
            "/Groups",
            Some(
                json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "displayName": "Data Guild", "members": [{"value": employee}, {"value": manager}]}),
            ),
            &[],
        )
        .await;
    assert_eq!(r.status(), 201);
    let group: Value = r.json().await.unwrap();
    let gid = group["id"].as_str().unwrap().to_string();
    assert_eq!(group["members"].as_array().unwrap().len(), 2);

    let r = scim
        .send(
            Method::PATCH,
            &format!("/Groups/{gid}"),
            Some(json!({"schemas": [PATCH],
        "Operations": [{"op": "remove", "path": format!("members[value eq \"{employee}\"]")}]})),
            &[],
        )
        .await;
    assert_eq!(r.status(), 200);

    let departments: Vec<(String, Option<String>)> = sqlx::query_as(
        "select p.email, d.name from people p left join departments d on d.id = p.department_id
         where p.email in ('employee@example.com', 'manager@example.com') order by p.email",
    )
    .fetch_all(&scim.app.db)
    .await
    .unwrap();
    assert_eq!(
        departments,
        vec![
            ("employee@example.com".into(), None),
            ("manager@example.com".into(), Some("Data Guild".into()))
        ]
    );
    let q = serde_urlencoded::to_string([("filter", r#"displayName eq "data guild""#)]).unwrap();
    let (_, list) = scim.get(&format!("/Groups?{q}")).await;
    assert_eq!(list["totalResults"], 1);
    assert_eq!(
        list["Resources"][0]["members"][0]["value"],
        manager.as_str()
    );
}
