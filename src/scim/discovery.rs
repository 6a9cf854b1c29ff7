//! Discovery endpoints (RFC 7644 §4): what this service provider supports, its resource
//! types and their schemas.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};

use super::{
    base_url, list_response, respond, ENTERPRISE_USER, GROUP_SCHEMA, MAX_RESULTS, USER_SCHEMA,
};
use crate::app::state::AppState;
use crate::http::scim_error::ScimError;

/// `GET /ServiceProviderConfig`.
pub async fn service_provider_config(State(state): State<AppState>) -> Response {
    let base = base_url(&state.config);
    respond(
        StatusCode::OK,
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
            "documentationUri": "https://github.com/trellis/trellis/blob/main/docs/INTEGRATIONS.md",
            "patch": { "supported": true },
            "bulk": { "supported": false, "maxOperations": 0, "maxPayloadSize": 0 },
            "filter": { "supported": true, "maxResults": MAX_RESULTS },
            "changePassword": { "supported": false },
            "sort": { "supported": true },
            "etag": { "supported": true },
            "authenticationSchemes": [{
                "type": "oauthbearertoken", "name": "Bearer token", "primary": true,
                "description": "An API token with the scim scope, created by HR at /hr/tokens."
            }],
            "meta": { "resourceType": "ServiceProviderConfig", "location": format!("{base}/ServiceProviderConfig") },
        }),
    )
}

fn resource_type_list(base: &str) -> Vec<Value> {
    vec![
        json!({ "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
            "id": "User", "name": "User", "endpoint": "/Users", "description": "A person in Trellis",
            "schema": USER_SCHEMA,
            "schemaExtensions": [{ "schema": ENTERPRISE_USER, "required": false }],
            "meta": { "resourceType": "ResourceType", "location": format!("{base}/ResourceTypes/User") } }),
        json!({ "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
            "id": "Group", "name": "Group", "endpoint": "/Groups", "description": "A department (a person is in one at most)",
            "schema": GROUP_SCHEMA,
            "meta": { "resourceType": "ResourceType", "location": format!("{base}/ResourceTypes/Group") } }),
    ]
}

/// `GET /ResourceTypes`.
pub async fn resource_types(State(state): State<AppState>) -> Response {
    let all = resource_type_list(&base_url(&state.config));
    let n = all.len() as i64;
    list_response(all, n, 0)
}

/// `GET /ResourceTypes/{name}`.
pub async fn resource_type(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<Response, ScimError> {
    resource_type_list(&base_url(&state.config))
        .into_iter()
        .find(|r| r["id"] == name.as_str())
        .map(|r| respond(StatusCode::OK, r))
        .ok_or_else(|| ScimError::not_found("ResourceType"))
}

/// One attribute as `/Schemas` describes it; `exact`: compared and kept unique
/// case-sensitively.
struct Attr {
    name: &'static str,
    kind: &'static str,
    required: bool,
    mutability: &'static str,
    uniqueness: &'static str,
    exact: bool,
}

const RW: &str = "readWrite";
const RO: &str = "readOnly";

fn attr(name: &'static str, kind: &'static str) -> Attr {
    Attr {
        name,
        kind,
        required: false,
        mutability: RW,
        uniqueness: "none",
        exact: false,
    }
}

impl Attr {
    fn required(self) -> Self {
        Attr {
            required: true,
            ..self
        }
    }
    fn read_only(self) -> Self {
        Attr {
            mutability: RO,
            ..self
        }
    }
    fn unique(self, exact: bool) -> Self {
        Attr {
            uniqueness: "server",
            exact,
            ..self
        }
    }
    fn json(self, description: &str) -> Value {
        let mut v = json!({ "name": self.name, "type": self.kind, "multiValued": false,
            "required": self.required, "mutability": self.mutability, "returned": "default",
            "uniqueness": self.uniqueness, "description": description });
        if matches!(self.kind, "string" | "reference") {
            v["caseExact"] = json!(self.exact);
        }
        v
    }
}

/// A sub-attribute with canonical values.
fn canonical(name: &'static str, values: &[&str], description: &str) -> Value {
    let mut v = attr(name, "string").json(description);
    v["canonicalValues"] = json!(values);
    v
}

/// A read-only reference to a User.
fn user_ref() -> Value {
    let mut v = attr("$ref", "reference")
        .read_only()
        .json("The URI of the User.");
    v["referenceTypes"] = json!(["User"]);
    v
}

fn complex(name: &str, multi: bool, required: bool, description: &str, subs: Vec<Value>) -> Value {
    json!({ "name": name, "type": "complex", "multiValued": multi, "required": required,
            "mutability": RW, "returned": "default", "uniqueness": "none",
            "description": description, "subAttributes": subs })
}

fn value_subs(types: &[&str], value: &str) -> Vec<Value> {
    vec![
        attr("value", "string").json(value),
        canonical("type", types, "Kept as sent; other values are kept too."),
        attr("primary", "boolean").json("At most one element is primary."),
        attr("display", "string").json("Kept as sent."),
    ]
}

fn user_attributes() -> Vec<Value> {
    let address =
        |name: &'static str| attr(name, "string").json("Kept as sent (at most 200 characters).");
    vec![
        attr("userName", "string").required().unique(false).json(
            "Any text, unique ignoring case; the work email when it is an email and emails is empty."),
        complex("name", false, true, "givenName and familyName are required.", vec![
            attr("givenName", "string").required().json("Required."),
            attr("familyName", "string").required().json("Required."),
            attr("formatted", "string").read_only().json("givenName familyName; ignored when sent."),
        ]),
        attr("displayName", "string").json("givenName familyName when missing or removed."),
        attr("title", "string").json("Kept as text (at most 200 characters)."),
        attr("active", "boolean").json(
            "false terminates the person today; only an explicit true makes them active again; \
             a create without it is active."),
        attr("externalId", "string").unique(true).json(
            "The identity provider's id; also matches a deleted person on a create (rehire)."),
        complex("emails", true, false,
            "Kept as sent (at most 10); the primary one (else type work, else the first) is the work email, unique ignoring case.",
            value_subs(&["work", "home", "other"], "An email address.")),
        complex("phoneNumbers", true, false, "Kept as sent (at most 10).",
            value_subs(&["work", "home", "mobile", "fax", "pager", "other"], "Kept as sent.")),
        complex("addresses", true, false, "Kept as sent (at most 10).", vec![
            address("formatted"), address("streetAddress"), address("locality"),
            address("region"), address("postalCode"), address("country"),
            canonical("type", &["work", "home", "other"], "Kept as sent; other values are kept too."),
            attr("primary", "boolean").json("At most one element is primary."),
        ]),
    ]
}

fn schema_list(base: &str) -> Vec<Value> {
    let enterprise =
        vec![
        attr("employeeNumber", "string").unique(true).json(
            "Unique as sent; generated (SCIM-...) when a create has none or a PATCH removes it; \
             a PUT without it keeps it. Matches a deleted person on a create (rehire)."),
        attr("department", "string").json(
            "The department's name (created when new); the same as membership of that Group."),
        complex("manager", false, false, "The person's manager.", vec![
            attr("value", "string").json("The manager's User id."),
            user_ref(),
            attr("displayName", "string").read_only().json("The manager's displayName."),
        ]),
    ];
    let group =
        vec![
        attr("displayName", "string").required().unique(false).json(
            "The department's name, unique ignoring case."),
        attr("externalId", "string").unique(true).json("The identity provider's id."),
        complex("members", true, false,
            "The people in the department; a person is in one Group at most (adding one who is \
             in another answers 409 uniqueness).",
            vec![
                attr("value", "string").json("A User id."),
                attr("display", "string").read_only().json("The User's displayName."),
                user_ref(),
                canonical("type", &["User"], "Only Users are members."),
            ]),
    ];
    [
        (USER_SCHEMA, "User", user_attributes()),
        (ENTERPRISE_USER, "EnterpriseUser", enterprise),
        (GROUP_SCHEMA, "Group", group),
    ]
    .into_iter()
    .map(|(id, name, attributes)| {
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
            "id": id, "name": name, "attributes": attributes,
            "meta": { "resourceType": "Schema", "location": format!("{base}/Schemas/{id}") } })
    })
    .collect()
}

/// `GET /Schemas`.
pub async fn schemas(State(state): State<AppState>) -> Response {
    let all = schema_list(&base_url(&state.config));
    let n = all.len() as i64;
    list_response(all, n, 0)
}

/// `GET /Schemas/{id}`.
pub async fn schema(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ScimError> {
    schema_list(&base_url(&state.config))
        .into_iter()
        .find(|s| s["id"] == id.as_str())
        .map(|s| respond(StatusCode::OK, s))
        .ok_or_else(|| ScimError::not_found("Schema"))
}
