//! One error type for the application: what went wrong, in the terms a user is told (not
//! found, not allowed, a conflict, invalid input with where). Services and database code
//! return it; `http::problem` maps it to a status code and a page or problem+json. Nothing
//! here knows HTTP.

use serde::Serialize;

/// Result of a service, a query or a handler.
pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// What went wrong, as the client may be told.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("sign-in required")]
    Unauthorized,
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    /// The request body is larger than the server accepts.
    #[error("payload too large")]
    PayloadTooLarge,
    /// The server is too busy for this now; try again after this many seconds.
    #[error("busy, retry after {0} s")]
    Busy(u64),
    /// The request took longer than the server allows (the database is slow or frozen).
    #[error("unavailable: the request took too long")]
    Unavailable,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// One problem with one input: `field` is a form field name or a JSON pointer.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }

    /// Where the problem is, as an RFC 6901 JSON pointer into the request (`/skills/2/level`,
    /// `/motivation`; a query parameter is a member of the query): what problem+json shows,
    /// whichever way the field was named.
    pub fn pointer(&self) -> String {
        if self.field.starts_with('/') {
            self.field.clone()
        } else {
            format!("/{}", self.field)
        }
    }
}

impl AppError {
    /// A validation error on one field.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Validation(vec![FieldError::new(field, message)])
    }
}

#[cfg(test)]
mod tests {
    use super::FieldError;

    #[test]
    fn every_field_error_has_a_json_pointer_however_it_was_named() {
        assert_eq!(FieldError::new("motivation", "x").pointer(), "/motivation");
        assert_eq!(
            FieldError::new("skills/2/level", "x").pointer(),
            "/skills/2/level"
        );
        assert_eq!(FieldError::new("/title", "x").pointer(), "/title");
    }
}
