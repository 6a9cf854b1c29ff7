//! What is true of every operation, written into the OpenAPI document once instead of on
//! each handler (where it was missing or wrong on most of them):
//! - who may call it: the security schemes (a bearer token, or the session cookie with the
//!   `X-CSRF-Token` header on unsafe methods; personal endpoints and token management take
//!   the session only);
//! - how it fails: every error is `application/problem+json` ([`Problem`](super::Problem)),
//!   and the statuses the shared plumbing gives are listed where they can happen: 400 (a body
//!   or query that cannot be read), 401, 403 (no right, a missing CSRF token, a token without
//!   the scope), 404 (an id in the path that names nothing), 413 and 422 (a body), 503 (the
//!   database unreachable or too slow);
//! - what a 201 sends: the `Location` of what was created;
//! - that request bodies take no member the server does not know (`additionalProperties:
//!   false`, enforced by [`crate::http::strict`]).

use axum::http::Method;
use serde_json::{json, Value};

use crate::http::bearer;

/// The document as served: each operation given a unique id and brought up to the
/// conventions above, as pretty JSON.
pub fn finish(doc: &mut utoipa::openapi::OpenApi) -> String {
    super::unique_operation_ids(doc);
    let mut value = serde_json::to_value(&*doc).expect("the OpenAPI document serialises");
    apply_to(&mut value);
    serde_json::to_string_pretty(&value).expect("the OpenAPI document serialises")
}

/// The session cookie's name over plain HTTP (`__Host-trellis_session` over HTTPS).
const SESSION: &str = crate::http::session::SESSION_COOKIE;

fn apply_to(doc: &mut Value) {
    doc["components"]["securitySchemes"] = json!({
        "bearer": {
            "type": "http", "scheme": "bearer",
            "description": "An API token made by an HR admin (`/hr/tokens`). Scope `read` for \
                GET, `write` for other methods, `metrics` for `/metrics`. Tokens never call \
                the personal endpoints (`/me`, `/home`, `/team`, applying, enrolling)."
        },
        "session": {
            "type": "apiKey", "in": "cookie", "name": SESSION,
            "description": "The session cookie set by signing in at `/login` (named \
                `__Host-trellis_session` when Trellis is served over HTTPS)."
        },
        "csrf": {
            "type": "apiKey", "in": "header", "name": "X-CSRF-Token",
            "description": "The session's CSRF token (the `csrf_token` field of any page): \
                required with the session cookie on POST, PUT, PATCH and DELETE."
        }
    });
    let mut request_schemas = Vec::new();
    if let Some(paths) = doc["paths"].as_object_mut() {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for (method, op) in item.iter_mut() {
                let Ok(method) = method.to_uppercase().parse::<Method>() else {
                    continue;
                };
                operation(path, &method, op);
                if let Some(body) = op.get("requestBody") {
                    collect_refs(body, &mut request_schemas);
                }
            }
        }
    }
    close_request_schemas(doc, request_schemas);
}

fn operation(path: &str, method: &Method, op: &mut Value) {
    let unsafe_method = !matches!(*method, Method::GET | Method::HEAD);
    let full = format!("/api/v1{path}");
    let session = if unsafe_method {
        json!({ "session": [], "csrf": [] })
    } else {
        json!({ "session": [] })
    };
    let token_allowed = bearer::required_scope(method, &full).is_ok();
    op["security"] = if token_allowed {
        json!([{ "bearer": [] }, session])
    } else {
        json!([session])
    };

    let params = op["parameters"].as_array().cloned().unwrap_or_default();
    let has = |place: &str| params.iter().any(|p| p["in"] == place);
    let has_body = op.get("requestBody").is_some();
    let responses = op["responses"]
        .as_object_mut()
        .expect("every operation has responses");
    let mut standard =
        vec![
        ("401", "Not signed in, or the token is unknown, expired or revoked."),
        (
            "403",
            "Not allowed: the caller's role, a missing CSRF token, or a token without the scope.",
        ),
        (
            "503",
            "The database is unreachable or the request took too long; retry after `Retry-After`.",
        ),
    ];
    if has("query") || has_body {
        standard.push(("400", "The body or the query string cannot be read."));
        standard.push(("422", "Invalid input: `errors` points at each field."));
    }
    if has("path") {
        standard.push(("404", "Nothing has this id (or the caller may not see it)."));
    }
    if has_body {
        standard.push(("413", "The body is larger than Trellis accepts (8 MB)."));
    }
    for (status, description) in standard {
        responses
            .entry(status)
            .or_insert_with(|| json!({ "description": description }));
    }
    for (status, response) in responses.iter_mut() {
        if (status.starts_with('4') || status.starts_with('5')) && !own_body(response) {
            if response["description"].as_str().is_none_or(str::is_empty) {
                response["description"] = json!("A problem: see `detail`.");
            }
            response["content"] = json!({
                "application/problem+json": {
                    "schema": { "$ref": "#/components/schemas/Problem" }
                }
            });
            if status == "503" {
                response["headers"] = json!({
                    "Retry-After": {
                        "description": "Seconds to wait before trying again.",
                        "schema": { "type": "integer" }
                    }
                });
            }
        }
        if status == "201" {
            let headers = response
                .as_object_mut()
                .expect("a response is an object")
                .entry("headers")
                .or_insert_with(|| json!({}));
            headers["Location"] = json!({
                "description": "The address of what was created.",
                "required": true,
                "schema": { "type": "string" }
            });
        }
    }
    let mut sorted: Vec<(String, Value)> = std::mem::take(responses).into_iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    responses.extend(sorted);
}

/// True when a handler documents an error answer of its own (the import's 422 is its report),
/// which is left as it is.
fn own_body(response: &Value) -> bool {
    response["content"].as_object().is_some_and(|content| {
        content.values().any(|media| {
            media["schema"]["$ref"] != "#/components/schemas/Problem" && !media["schema"].is_null()
        })
    })
}

/// Every component schema `value` refers to.
fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(members) => {
            for (key, item) in members {
                match (key.as_str(), item) {
                    ("$ref", Value::String(r)) => {
                        if let Some(name) = r.strip_prefix("#/components/schemas/") {
                            out.push(name.to_string());
                        }
                    }
                    _ => collect_refs(item, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect_refs(i, out)),
        _ => {}
    }
}

/// Request body schemas, and the schemas inside them, take only the members they declare.
fn close_request_schemas(doc: &mut Value, mut todo: Vec<String>) {
    let mut done = std::collections::HashSet::new();
    while let Some(name) = todo.pop() {
        if !done.insert(name.clone()) {
            continue;
        }
        let schema = &mut doc["components"]["schemas"][&name];
        collect_refs(schema, &mut todo);
        close(schema);
    }
    // Inline request schemas (rare: utoipa names most).
    if let Some(paths) = doc["paths"].as_object_mut() {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for op in item.values_mut() {
                let content = op
                    .get_mut("requestBody")
                    .and_then(|body| body.get_mut("content"))
                    .and_then(Value::as_object_mut);
                if let Some(content) = content {
                    content
                        .values_mut()
                        .for_each(|media| close(&mut media["schema"]));
                }
            }
        }
    }
}

fn close(schema: &mut Value) {
    let Some(members) = schema.as_object_mut() else {
        return;
    };
    if members.contains_key("properties") && !members.contains_key("additionalProperties") {
        members.insert("additionalProperties".into(), Value::Bool(false));
    }
    for key in ["properties"] {
        if let Some(Value::Object(properties)) = members.get_mut(key) {
            properties.values_mut().for_each(close);
        }
    }
    if let Some(items) = members.get_mut("items") {
        close(items);
    }
    // Not the parts of an `allOf`: each would refuse the members of the others.
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(parts)) = members.get_mut(key) {
            parts.iter_mut().for_each(close);
        }
    }
}
