//! SCIM 2.0 provisioning (RFC 7643, RFC 7644) at `/scim/v2`, for identity providers and HR
//! systems. Only bearer tokens with the `scim` scope get in (see `web::tokens`); every change
//! is audited with the token's id. Users are `people`; Groups are departments (members are
//! the people in the department). Responses are `application/scim+json`, cut down by
//! `attributes`/`excludedAttributes` (`projection`); queries come as URL parameters or as
//! POST `.search` bodies (`query`, `search`). `/Me` and `/Bulk` answer 501.

pub mod discovery;
pub mod filter;
pub mod group_handlers;
pub mod groups;
pub mod handlers;
pub mod patch;
pub mod patch_add;
pub mod projection;
pub mod query;
pub mod search;
pub mod sql;
pub mod user_input;
pub mod user_writes;
pub mod users;

use axum::extract::Request;
use axum::http::header::{CONTENT_TYPE, ETAG, IF_MATCH, LOCATION};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{from_fn, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::Router;
use serde_json::{json, Value};
use time::OffsetDateTime;

use crate::app::state::AppState;
use crate::config::Config;
use crate::db::tokens::TokenIdentity;
use crate::http::scim_error::ScimError;
pub use crate::http::scim_error::SCIM_JSON;
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
            "/scim/v2/Users/.search",
            post(search::search_users).fallback(search_takes_post),
        )
        .route(
            "/scim/v2/Groups/.search",
            post(search::search_groups).fallback(search_takes_post),
        )
        .route(
            "/scim/v2/.search",
            post(search::search_all).fallback(search_takes_post),
        )
        .route("/scim/v2/Me", any(|| async { not_implemented("/Me") }))
        .route(
            "/scim/v2/Me/{*rest}",
            any(|| async { not_implemented("/Me") }),
        )
        .route("/scim/v2/Bulk", any(|| async { not_implemented("/Bulk") }))
        .route(
            "/scim/v2/Users/{id}",
            get(handlers::get_user)
                .put(handlers::replace_user)
                .patch(handlers::patch_user)
                .delete(handlers::delete_user),
        )
        .route(
            "/scim/v2/Groups",
            get(group_handlers::list_groups).post(group_handlers::create_group),
        )
        .route(
            "/scim/v2/Groups/{id}",
            get(group_handlers::get_group)
                .put(group_handlers::replace_group)
                .patch(group_handlers::patch_group)
                .delete(group_handlers::delete_group),
        )
        .route(
            "/scim/v2/{*rest}",
            any(|| async { ScimError::not_found("Endpoint") }),
        )
        .route_layer(from_fn(require_scim_token))
}

/// 405 for `.search` with any method but POST (RFC 7644 §3.4.3).
async fn search_takes_post() -> ScimError {
    ScimError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        None,
        ".search takes POST with a SearchRequest body.",
    )
}

/// 501 for the parts of the protocol Trellis does not offer: `/Me` (RFC 7644 §3.11: SCIM
/// clients here are API tokens, not people) and `/Bulk` (§3.7; `bulk.supported` is false).
fn not_implemented(what: &str) -> ScimError {
    ScimError::new(
        StatusCode::NOT_IMPLEMENTED,
        None,
        format!("{what} is not supported by this service provider; see /ServiceProviderConfig."),
    )
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

/// The service's base URL, from the configured public URL (`TRELLIS_PUBLIC_URL`). Never
/// from the request's `Host` header: whoever sends the request chooses that, and the URLs
/// SCIM hands back (`Location`, `meta.location`) are stored and followed by the client.
pub fn base_url(config: &Config) -> String {
    format!("{}/scim/v2", config.public_url.trim_end_matches('/'))
}

/// A SCIM JSON response, with `ETag` (from `meta.version`) and, for 201, `Location`.
pub fn respond(status: StatusCode, body: Value) -> Response {
    let (version, location) = version_and_location(&body);
    answer(status, body, version, location)
}

/// [`respond`] with the resource cut down to `projection`; the `ETag` and `Location`
/// headers still come from the whole resource (its `meta` may be left out of the body).
pub fn respond_projected(
    status: StatusCode,
    body: Value,
    projection: &projection::Projection,
    core_schema: &str,
) -> Response {
    let (version, location) = version_and_location(&body);
    answer(
        status,
        projection.apply(body, core_schema),
        version,
        location,
    )
}

fn version_and_location(body: &Value) -> (Option<String>, Option<String>) {
    let text = |p: &str| body.pointer(p).and_then(Value::as_str).map(str::to_string);
    (text("/meta/version"), text("/meta/location"))
}

fn answer(
    status: StatusCode,
    body: Value,
    version: Option<String>,
    location: Option<String>,
) -> Response {
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
/// `application/json`); a NUL in any value is refused with its JSON pointer.
pub fn body_json(bytes: &[u8]) -> Result<Value, ScimError> {
    let v: Value = serde_json::from_slice(bytes)
        .map_err(|e| ScimError::invalid_syntax(format!("The body is not valid JSON: {e}.")))?;
    if !v.is_object() {
        return Err(ScimError::invalid_syntax("The body is a JSON object."));
    }
    if let Some(nul) = crate::http::extract::nul_fields(&v).first() {
        return Err(ScimError::invalid_value(format!(
            "{} {}.",
            nul.field, nul.message
        )));
    }
    Ok(v)
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
