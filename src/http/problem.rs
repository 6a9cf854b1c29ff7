//! How an [`AppError`] answers over HTTP: its status, title and the detail a client may see.
//! `IntoResponse` records an [`ErrorReport`] in the response's extensions; the
//! `render_errors` middleware turns it into an HTML page or RFC 9457 problem+json, depending
//! on who asked. Server errors are logged once, here, inside the request's span, and never
//! show internals to the client.

use axum::extract::rejection::{FormRejection, JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::db::constraints;
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
        AppError::PayloadTooLarge => (
            StatusCode::PAYLOAD_TOO_LARGE,
            "Too large",
            "The request body is larger than Trellis accepts (8 MB, or 128 MB for an import \
             file); send less at once."
                .into(),
            vec![],
        ),
        AppError::Unavailable => (
            StatusCode::SERVICE_UNAVAILABLE,
            "Unavailable",
            "Trellis took too long to answer this request. Try again in a few seconds.".into(),
            vec![],
        ),
        AppError::Busy(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "Busy",
            "Trellis is checking too many passwords at once. Wait a moment and try again.".into(),
            vec![],
        ),
        AppError::Database(err) if database_unavailable(err) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "Unavailable",
            "Trellis cannot reach its database just now. Nothing was changed; try again in a \
             few seconds."
                .into(),
            vec![],
        ),
        AppError::Database(err) => match (constraints::length_error(err), constraint_conflict(err))
        {
            (Some(field), _) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "Invalid input",
                format!("{}: {}", field.field, field.message),
                vec![field],
            ),
            (None, Some((message, errors))) => (StatusCode::CONFLICT, "Conflict", message, errors),
            (None, None) => internal(),
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

/// Seconds a client is asked to wait when the database is unavailable.
pub const UNAVAILABLE_RETRY_SECS: u64 = 5;

/// True when `err` says the database cannot be reached (down, restarting, too slow to hand out
/// a connection), not that the query was wrong: the client should retry, so 503, not 500.
pub fn database_unavailable(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => true,
        sqlx::Error::Tls(_) | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            // connection exceptions, and the server shutting down or starting up
            code.starts_with("08") || matches!(&*code, "57P01" | "57P02" | "57P03" | "53300")
        }),
        _ => false,
    }
}

/// A unique or foreign-key violation is the client's conflict, not our failure. The client is
/// told which field and why when `db::constraints` knows the constraint, and never the
/// constraint's name: that is logged.
fn constraint_conflict(err: &sqlx::Error) -> Option<(String, Vec<FieldError>)> {
    let db = err.as_database_error()?;
    let constraint = db.constraint()?;
    let message = match db.kind() {
        sqlx::error::ErrorKind::UniqueViolation => {
            "This would duplicate something that already exists."
        }
        sqlx::error::ErrorKind::ForeignKeyViolation => {
            "This refers to something that does not exist or is still in use."
        }
        _ => return None,
    };
    tracing::warn!(constraint, "refused by a database constraint");
    Some(match constraints::field_error(err) {
        Some(field) => (field.message.clone(), vec![field]),
        None => (message.to_owned(), vec![]),
    })
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let report = report(&self);
        if report.status.is_server_error() {
            tracing::error!(error = ?self, "request failed");
        }
        let mut response = (report.status, report.detail.clone()).into_response();
        let retry = match &self {
            AppError::Busy(seconds) => Some(*seconds),
            AppError::Database(err) if database_unavailable(err) => Some(UNAVAILABLE_RETRY_SECS),
            AppError::Unavailable => Some(UNAVAILABLE_RETRY_SECS),
            _ => None,
        };
        if let Some(seconds) = retry {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
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

#[cfg(test)]
mod tests {
    use sqlx::error::{DatabaseError, ErrorKind};

    use super::*;

    /// A unique violation of the constraint named.
    #[derive(Debug)]
    struct Duplicate(&'static str);

    impl std::fmt::Display for Duplicate {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(
                f,
                "duplicate key value violates unique constraint \"{}\"",
                self.0
            )
        }
    }

    impl std::error::Error for Duplicate {}

    impl DatabaseError for Duplicate {
        fn message(&self) -> &str {
            "duplicate key value violates unique constraint"
        }
        fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
            self
        }
        fn kind(&self) -> ErrorKind {
            ErrorKind::UniqueViolation
        }
        fn constraint(&self) -> Option<&str> {
            Some(self.0)
        }
    }

    fn violating(constraint: &'static str) -> ErrorReport {
        report(&AppError::Database(sqlx::Error::Database(Box::new(
            Duplicate(constraint),
        ))))
    }

    #[test]
    fn a_known_constraint_is_a_conflict_on_its_field_without_its_name() {
        let r = violating("job_families_name_unique");
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert_eq!(
            r.errors,
            vec![FieldError::new(
                "name",
                "A job family with this name already exists."
            )]
        );
        assert!(
            !r.detail.contains("job_families_name_unique"),
            "{}",
            r.detail
        );
    }

    #[test]
    fn an_unknown_constraint_is_a_conflict_that_does_not_name_it() {
        let r = violating("some_table_secret_unique");
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(r.errors.is_empty());
        assert_eq!(
            r.detail,
            "This would duplicate something that already exists."
        );
    }
}
