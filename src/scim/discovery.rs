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
            "id": "Group", "name": "Group", "endpoint": "/Groups", "description": "A department",
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

fn attr(name: &str, kind: &str, required: bool, mutability: &str, uniqueness: &str) -> Value {
    json!({ "name": name, "type": kind, "multiValued": false, "required": required, "caseExact": false,
            "mutability": mutability, "returned": "default", "uniqueness": uniqueness })
}

fn complex(name: &str, multi: bool, subs: Vec<Value>) -> Value {
    json!({ "name": name, "type": "complex", "multiValued": multi, "required": false,
            "mutability": "readWrite", "returned": "default", "subAttributes": subs })
}

fn schema_list(base: &str) -> Vec<Value> {
    let rw = "readWrite";
    let user = vec![
        attr("userName", "string", true, rw, "server"),
        complex(
            "name",
            false,
            vec![
                attr("givenName", "string", true, rw, "none"),
                attr("familyName", "string", true, rw, "none"),
                attr("formatted", "string", false, "readOnly", "none"),
            ],
        ),
        attr("displayName", "string", false, rw, "none"),
        attr("active", "boolean", false, rw, "none"),
        attr("externalId", "string", false, rw, "server"),
        complex(
            "emails",
            true,
            vec![
                attr("value", "string", false, rw, "server"),
                attr("type", "string", false, rw, "none"),
                attr("primary", "boolean", false, rw, "none"),
            ],
        ),
    ];
    let enterprise = vec![
        attr("employeeNumber", "string", false, rw, "server"),
        attr("department", "string", false, rw, "none"),
        complex(
            "manager",
            false,
            vec![
                attr("value", "string", false, rw, "none"),
                attr("$ref", "reference", false, "readOnly", "none"),
                attr("displayName", "string", false, "readOnly", "none"),
            ],
        ),
    ];
    let group = vec![
        attr("displayName", "string", true, rw, "server"),
        complex(
            "members",
            true,
            vec![
                attr("value", "string", false, "immutable", "none"),
                attr("display", "string", false, "readOnly", "none"),
                attr("$ref", "reference", false, "readOnly", "none"),
                attr("type", "string", false, "readOnly", "none"),
            ],
        ),
    ];
    [
        (USER_SCHEMA, "User", user),
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
