//! SCIM error bodies (RFC 7644 §3.12), as `application/scim+json`: the SCIM handlers answer
//! with them, and so does bearer authentication for a refused request under `/scim`.

use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// The SCIM media type.
pub const SCIM_JSON: &str = "application/scim+json";

/// The SCIM error message schema.
pub const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// A SCIM error: status, optional `scimType`, and a detail for people.
#[derive(Debug, Clone)]
pub struct ScimError {
    pub status: StatusCode,
    pub scim_type: Option<&'static str>,
    pub detail: String,
}

impl ScimError {
    /// Any error.
    pub fn new(
        status: StatusCode,
        scim_type: Option<&'static str>,
        detail: impl Into<String>,
    ) -> Self {
        ScimError {
            status,
            scim_type,
            detail: detail.into(),
        }
    }
    /// 400 invalidFilter.
    pub fn invalid_filter(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, Some("invalidFilter"), detail)
    }
    /// 400 invalidValue.
    pub fn invalid_value(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, Some("invalidValue"), detail)
    }
    /// 400 invalidSyntax.
    pub fn invalid_syntax(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, Some("invalidSyntax"), detail)
    }
    /// 400 invalidPath.
    pub fn invalid_path(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, Some("invalidPath"), detail)
    }
    /// 400 noTarget.
    pub fn no_target(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, Some("noTarget"), detail)
    }
    /// 400 mutability.
    pub fn mutability(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, Some("mutability"), detail)
    }
    /// 409 uniqueness.
    pub fn uniqueness(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, Some("uniqueness"), detail)
    }
    /// 404.
    pub fn not_found(what: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, None, format!("{what} not found."))
    }
    /// 412: the `If-Match` version is not the current one.
    pub fn precondition_failed() -> Self {
        Self::new(
            StatusCode::PRECONDITION_FAILED,
            None,
            "The resource has changed since the version in If-Match; read it again.",
        )
    }
}

impl From<sqlx::Error> for ScimError {
    fn from(err: sqlx::Error) -> Self {
        if let Some(db) = err.as_database_error() {
            if db.kind() == sqlx::error::ErrorKind::UniqueViolation {
                return ScimError::uniqueness("A resource with this value already exists.");
            }
            if db.kind() == sqlx::error::ErrorKind::ForeignKeyViolation {
                return ScimError::new(
                    StatusCode::CONFLICT,
                    None,
                    format!(
                        "Other records still refer to this resource ({}).",
                        db.constraint().unwrap_or("reference")
                    ),
                );
            }
            if db.kind() == sqlx::error::ErrorKind::CheckViolation {
                return ScimError::invalid_value(format!(
                    "A value is not allowed ({}).",
                    db.constraint().unwrap_or("check")
                ));
            }
        }
        tracing::error!(error = ?err, "SCIM request failed");
        ScimError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            None,
            "Trellis could not complete this request.",
        )
    }
}

impl IntoResponse for ScimError {
    fn into_response(self) -> Response {
        let mut body = json!({
            "schemas": [ERROR_SCHEMA],
            "status": self.status.as_u16().to_string(),
            "detail": self.detail,
        });
        if let Some(t) = self.scim_type {
            body["scimType"] = json!(t);
        }
        let mut r = (self.status, body.to_string()).into_response();
        r.headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(SCIM_JSON));
        r
    }
}
