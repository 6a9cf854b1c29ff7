//! `/hr/courses`: the course catalogue (skills with entry and target levels, hours, format,
//! provider, author: any person, an internal expert) and retiring a course: it stays on the
//! enrolments it has, and the database refuses new enrolments in it.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, Redirect};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::audit::{self, Actor};
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::extract::Path;
use crate::web::page::{render, Page, Section};
use crate::web::session::CurrentUser;

/// A course in the catalogue.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct CourseRow {
    pub id: Uuid,
    pub title: String,
    pub format: String,
    pub provider: String,
    pub author: Option<String>,
    pub hours: f64,
    /// "skill entry→target" for each skill.
    pub skills: Vec<String>,
    pub retired: bool,
    pub enrolments: i64,
}

/// Every course, live ones first.
pub async fn list_courses(db: &sqlx::PgPool) -> Result<Vec<CourseRow>> {
    Ok(sqlx::query_as::<_, CourseRow>(
        "select c.id, c.title, c.format, c.provider, p.display_name as author, c.hours::float8 as hours,
                coalesce((select array_agg(k.name || ' ' || s.entry_level || '→' || s.target_level order by k.name)
                          from course_skills s join skills k on k.id = s.skill_id where s.course_id = c.id), '{}') as skills,
                c.retired_at is not null as retired,
                (select count(*) from enrolments e where e.course_id = c.id) as enrolments
         from courses c left join people p on p.id = c.author_id
         order by c.retired_at is not null, c.title",
    )
    .fetch_all(db)
    .await?)
}

#[derive(Template)]
#[template(path = "hr_admin/courses.html")]
struct CoursesPage {
    page: Page,
    courses: Vec<CourseRow>,
}

/// GET /hr/courses
pub async fn page(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>> {
    render(&CoursesPage {
        page: Page::new("Course catalogue", &user, Section::Hr),
        courses: list_courses(&state.db).await?,
    })
}

/// Retire a course (idempotent). Audited.
pub async fn retire_course(state: &AppState, user: &CurrentUser, id: Uuid) -> Result<()> {
    let mut tx = state.db.begin().await?;
    let title: Option<String> = sqlx::query_scalar(
        "update courses set retired_at = coalesce(retired_at, now()) where id = $1 returning title",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let title = title.ok_or(AppError::NotFound)?;
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

/// POST /hr/courses/{id}/retire
pub async fn retire(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Redirect> {
    retire_course(&state, &user, id).await?;
    Ok(Redirect::to("/hr/courses"))
}
