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
}

impl AppError {
    /// A validation error on one field.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Validation(vec![FieldError::new(field, message)])
    }
}
