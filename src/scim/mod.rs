//! SCIM 2.0 provisioning (RFC 7643, RFC 7644) at `/scim/v2`, for identity providers and HR
//! systems. Only bearer tokens with the `scim` scope get in (see `web::tokens`); every change
//! is audited with the token's id. Users are `people`; Groups are departments (members are
//! the people in the department). Responses are `application/scim+json`.

pub mod discovery;
pub mod error;
pub mod filter;
pub mod groups;
pub mod handlers;
pub mod patch;
pub mod sql;
pub mod users;

use axum::extract::Request;
use axum::http::header::{CONTENT_TYPE, ETAG, HOST, IF_MATCH, LOCATION};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{from_fn, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};
use time::OffsetDateTime;

use crate::db::tokens::TokenIdentity;
use crate::state::AppState;
use error::ScimError;

/// The SCIM media type.
pub const SCIM_JSON: &str = "application/scim+json";
/// Core User schema.
pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
/// Enterprise User extension.
pub const ENTERPRISE_USER: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
/// Core Group schema.
pub const GROUP_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
/// ListResponse message schema.
pub const LIST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
/// Largest page a list returns.
pub const MAX_RESULTS: i64 = 1000;

/// The `/scim/v2` routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/scim/v2/ServiceProviderConfig",
            get(discovery::service_provider_config),
        )
        .route("/scim/v2/ResourceTypes", get(discovery::resource_types))
        .route(
            "/scim/v2/ResourceTypes/{name}",
            get(discovery::resource_type),
        )
        .route("/scim/v2/Schemas", get(discovery::schemas))
        .route("/scim/v2/Schemas/{id}", get(discovery::schema))
        .route(
            "/scim/v2/Users",
            get(handlers::list_users).post(handlers::create_user),
        )
        .route(
            "/scim/v2/Users/{id}",
            get(handlers::get_user)
                .put(handlers::replace_user)
                .patch(handlers::patch_user)
                .delete(handlers::delete_user),
        )
        .route(
            "/scim/v2/Groups",
            get(groups::list_groups).post(groups::create_group),
        )
        .route(
            "/scim/v2/Groups/{id}",
            get(groups::get_group)
                .put(groups::replace_group)
                .patch(groups::patch_group)
                .delete(groups::delete_group),
        )
        .route(
            "/scim/v2/{*rest}",
            axum::routing::any(|| async { ScimError::not_found("Endpoint") }),
        )
        .route_layer(from_fn(require_scim_token))
}

/// Only requests authenticated by a token (with the `scim` scope, checked in `load_session`).
async fn require_scim_token(req: Request, next: Next) -> Response {
    if req.extensions().get::<TokenIdentity>().is_none() {
        let mut r = ScimError::new(
            StatusCode::UNAUTHORIZED,
            None,
            "SCIM needs a bearer token with the scim scope.",
        )
        .into_response();
        r.headers_mut().insert(
            "www-authenticate",
            HeaderValue::from_static(r#"Bearer realm="trellis""#),
        );
        return r;
    }
    next.run(req).await
}

/// A resource version: `W/"<updated_at in microseconds>"`.
pub fn etag(updated_at: OffsetDateTime) -> String {
    format!("W/\"{}\"", updated_at.unix_timestamp_nanos() / 1000)
}

/// 412 when `If-Match` is present and names neither `*` nor the current version.
pub fn check_if_match(headers: &HeaderMap, current: OffsetDateTime) -> Result<(), ScimError> {
    let Some(given) = headers.get(IF_MATCH).and_then(|v| v.to_str().ok()) else {
        return Ok(());
    };
    let now = etag(current);
    let strip = |s: &str| s.trim().trim_start_matches("W/").to_string();
    if given
        .split(',')
        .any(|g| g.trim() == "*" || strip(g) == strip(&now))
    {
        Ok(())
    } else {
        Err(ScimError::precondition_failed())
    }
}

/// The service's base URL, from the Host header.
pub fn base_url(headers: &HeaderMap, secure: bool) -> String {
    let host = headers
        .get(HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    format!("{}://{host}/scim/v2", if secure { "https" } else { "http" })
}

/// A SCIM JSON response, with `ETag` (from `meta.version`) and, for 201, `Location`.
pub fn respond(status: StatusCode, body: Value) -> Response {
    let version = body
        .pointer("/meta/version")
        .and_then(Value::as_str)
        .map(str::to_string);
    let location = body
        .pointer("/meta/location")
        .and_then(Value::as_str)
        .map(str::to_string);
    let mut r = (status, body.to_string()).into_response();
    r.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(SCIM_JSON));
    if let Some(v) = version.and_then(|v| HeaderValue::from_str(&v).ok()) {
        r.headers_mut().insert(ETAG, v);
    }
    if status == StatusCode::CREATED {
        if let Some(l) = location.and_then(|l| HeaderValue::from_str(&l).ok()) {
            r.headers_mut().insert(LOCATION, l);
        }
    }
    r
}

/// Parse a request body as JSON whatever its declared type (`application/scim+json` or
/// `application/json`).
pub fn body_json(bytes: &[u8]) -> Result<Value, ScimError> {
    let v: Value = serde_json::from_slice(bytes)
        .map_err(|e| ScimError::invalid_syntax(format!("The body is not valid JSON: {e}.")))?;
    if !v.is_object() {
        return Err(ScimError::invalid_syntax("The body is a JSON object."));
    }
    Ok(v)
}

/// List paging: `startIndex` (1-based) and `count`.
#[derive(Debug, serde::Deserialize)]
pub struct ListQuery {
    pub filter: Option<String>,
    #[serde(rename = "startIndex")]
    pub start_index: Option<String>,
    pub count: Option<String>,
    #[serde(rename = "sortBy")]
    pub sort_by: Option<String>,
    #[serde(rename = "sortOrder")]
    pub sort_order: Option<String>,
}

impl ListQuery {
    /// The parsed filter, `(offset, limit)`, and whether to sort descending.
    pub fn parts(&self) -> Result<(Option<filter::Filter>, i64, i64, bool), ScimError> {
        let filter = match self.filter.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(f) => Some(filter::parse(f).map_err(ScimError::invalid_filter)?),
        };
        let int = |s: &Option<String>, name: &str, default: i64| match s {
            None => Ok(default),
            Some(s) => s
                .trim()
                .parse::<i64>()
                .map_err(|_| ScimError::invalid_value(format!("{name} is a whole number."))),
        };
        let start = int(&self.start_index, "startIndex", 1)?.max(1);
        let count = int(&self.count, "count", 100)?.clamp(0, MAX_RESULTS);
        let descending = match self.sort_order.as_deref() {
            None => false,
            Some(o) if o.eq_ignore_ascii_case("ascending") => false,
            Some(o) if o.eq_ignore_ascii_case("descending") => true,
            Some(_) => {
                return Err(ScimError::invalid_value(
                    "sortOrder is ascending or descending.",
                ))
            }
        };
        Ok((filter, start - 1, count, descending))
    }
}

/// A ListResponse.
pub fn list_response(resources: Vec<Value>, total: i64, offset: i64) -> Response {
    respond(
        StatusCode::OK,
        json!({
            "schemas": [LIST_SCHEMA],
            "totalResults": total,
            "startIndex": offset + 1,
            "itemsPerPage": resources.len(),
            "Resources": resources,
        }),
    )
}
