//! How an [`AppError`] answers over HTTP: its status, title and the detail a client may see.
//! `IntoResponse` records an [`ErrorReport`] in the response's extensions; the
//! `render_errors` middleware turns it into an HTML page or RFC 9457 problem+json, depending
//! on who asked. Server errors are logged once, here, inside the request's span, and never
//! show internals to the client.

use axum::extract::rejection::{FormRejection, JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::error::{AppError, FieldError};

/// The public description of an error, carried in response extensions to the renderer.
#[derive(Debug, Clone)]
pub struct ErrorReport {
    pub status: StatusCode,
    pub title: &'static str,
    pub detail: String,
    pub errors: Vec<FieldError>,
}

/// The public description of `err`.
pub fn report(err: &AppError) -> ErrorReport {
    let (status, title, detail, errors) = match err {
        AppError::NotFound => (
            StatusCode::NOT_FOUND,
            "Not found",
            "There is nothing at this address. It may have been moved or removed.".into(),
            vec![],
        ),
        AppError::Unauthorized => (
            StatusCode::UNAUTHORIZED,
            "Sign-in required",
            "Please sign in to continue.".into(),
            vec![],
        ),
        AppError::Forbidden(why) => (StatusCode::FORBIDDEN, "Not allowed", why.clone(), vec![]),
        AppError::Conflict(why) => (StatusCode::CONFLICT, "Conflict", why.clone(), vec![]),
        AppError::BadRequest(why) => (StatusCode::BAD_REQUEST, "Bad request", why.clone(), vec![]),
        AppError::Validation(errors) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "Invalid input",
            errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; "),
            errors.clone(),
        ),
        AppError::Database(err) => match constraint_conflict(err) {
            Some(message) => (StatusCode::CONFLICT, "Conflict", message, vec![]),
            None => internal(),
        },
        AppError::Other(_) => internal(),
    };
    ErrorReport {
        status,
        title,
        detail,
        errors,
    }
}

fn internal() -> (StatusCode, &'static str, String, Vec<FieldError>) {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong",
        "Trellis could not complete this request. It has been logged; please try again.".into(),
        vec![],
    )
}

/// A unique or foreign-key violation is the client's conflict, not our failure.
fn constraint_conflict(err: &sqlx::Error) -> Option<String> {
    let db = err.as_database_error()?;
    let constraint = db.constraint()?;
    match db.kind() {
        sqlx::error::ErrorKind::UniqueViolation => Some(format!(
            "This would duplicate something that already exists ({constraint})."
        )),
        sqlx::error::ErrorKind::ForeignKeyViolation => Some(format!(
            "This refers to something that does not exist or is still in use ({constraint})."
        )),
        _ => None,
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let report = report(&self);
        if report.status.is_server_error() {
            tracing::error!(error = ?self, "request failed");
        }
        let mut response = (report.status, report.detail.clone()).into_response();
        response.extensions_mut().insert(report);
        response
    }
}

impl From<FormRejection> for AppError {
    fn from(rejection: FormRejection) -> Self {
        AppError::BadRequest(format!(
            "The form could not be read: {}",
            rejection.body_text()
        ))
    }
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonDataError(err) => {
                AppError::Validation(vec![FieldError::new("", err.body_text())])
            }
            other => AppError::BadRequest(other.body_text()),
        }
    }
}

impl From<QueryRejection> for AppError {
    fn from(rejection: QueryRejection) -> Self {
        AppError::BadRequest(format!(
            "The query string is not valid: {}",
            rejection.body_text()
        ))
    }
}

impl From<PathRejection> for AppError {
    fn from(_: PathRejection) -> Self {
        AppError::NotFound
    }
}
