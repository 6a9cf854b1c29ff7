//! The named constraints that a client's input can violate, and what the client is told: the
//! field and a message, never the constraint's name. A service maps the violation it expects
//! with [`on_constraint`] (its message can name the value typed); `http::problem` uses
//! [`field_error`] for any other violation of a constraint listed here.

use crate::error::{AppError, FieldError};

/// Constraint -> (field, message), for unique and foreign-key constraints in `migrations/`.
const KNOWN: &[(&str, &str, &str)] = &[
    (
        "courses_title_unique",
        "title",
        "A course with this title already exists.",
    ),
    (
        "job_families_name_unique",
        "name",
        "A job family with this name already exists.",
    ),
    (
        "job_levels_code_unique",
        "code",
        "A level with this code already exists.",
    ),
    (
        "job_profiles_title_unique",
        "title",
        "A job profile with this title already exists.",
    ),
    (
        "skill_aliases_alias_unique",
        "alias",
        "This alias is already used by a skill.",
    ),
    (
        "skill_categories_name_unique",
        "category",
        "A category with this name already exists.",
    ),
    (
        "skills_name_unique",
        "name",
        "A skill with this name already exists.",
    ),
];

/// The unique or foreign-key constraint that `err` violates, if that is what it is.
pub fn violated(err: &sqlx::Error) -> Option<&str> {
    let db = err.as_database_error()?;
    match db.kind() {
        sqlx::error::ErrorKind::UniqueViolation | sqlx::error::ErrorKind::ForeignKeyViolation => {
            db.constraint()
        }
        _ => None,
    }
}

/// The field and message for text over its limit: a violated `<table>_<column>_length` check
/// (see `domain::limits`), reported at the column's field.
pub fn length_error(err: &sqlx::Error) -> Option<FieldError> {
    let db = err.as_database_error()?;
    if db.kind() != sqlx::error::ErrorKind::CheckViolation {
        return None;
    }
    let (column, max) = crate::domain::limits::from_constraint(db.constraint()?)?;
    Some(FieldError::new(column, crate::domain::limits::message(max)))
}

/// The field and message for a violation of a constraint listed in [`KNOWN`].
pub fn field_error(err: &sqlx::Error) -> Option<FieldError> {
    let constraint = violated(err)?;
    KNOWN
        .iter()
        .find(|(name, _, _)| *name == constraint)
        .map(|(_, field, message)| FieldError::new(*field, *message))
}

/// `err` as `then()` when it violates `constraint`, else as it is.
pub fn on_constraint(
    err: sqlx::Error,
    constraint: &str,
    then: impl FnOnce() -> AppError,
) -> AppError {
    if violated(&err) == Some(constraint) {
        then()
    } else {
        AppError::Database(err)
    }
}
