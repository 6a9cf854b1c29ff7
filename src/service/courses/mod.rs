//! The course catalogue: courses with the skills they develop (entry and target levels),
//! hours, format, provider and author (any person: an internal expert). `form` holds the
//! create and edit input and its audited save; retiring a course keeps it on the enrolments it
//! has, and the database refuses new enrolments in it.

pub mod form;

use serde_json::json;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::audit::{self, Actor};
use crate::db::courses;
use crate::domain::user::CurrentUser;
use crate::error::{AppError, Result};

pub use crate::db::courses::{AuthorOption, CourseRow};

/// Every course, live ones first.
pub async fn list_courses(db: &sqlx::PgPool) -> Result<Vec<CourseRow>> {
    Ok(courses::list(db).await?)
}

/// Retire a course (idempotent). Audited.
pub async fn retire_course(state: &AppState, user: &CurrentUser, id: Uuid) -> Result<()> {
    let mut tx = state.db.begin().await?;
    let title = courses::retire(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    audit::record(
        &mut *tx,
        Actor::Person(user.id),
        "course.retire",
        "course",
        Some(id.to_string()),
        json!({ "title": title }),
    )
    .await?;
    tx.commit().await?;
    state.engine.reload(&state.db).await?;
    Ok(())
}

/// The active people, by name, for the author field.
pub async fn authors(db: &sqlx::PgPool) -> Result<Vec<AuthorOption>> {
    Ok(courses::authors(db).await?)
}
