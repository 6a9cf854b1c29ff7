//! `/hr/courses`: the course catalogue (skills with entry and target levels, hours, format,
//! provider, author: any person, an internal expert) and retiring a course: it stays on the
//! enrolments it has, and the database refuses new enrolments in it.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::course_form::{self, CourseForm, SkillLine, FORMATS};
use crate::app::state::AppState;
use crate::db::audit::{self, Actor};
use crate::error::{AppError, FieldError, Result};
use crate::http::extract::{Form, Path};
use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;

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

/// An active person the author field offers.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuthorOption {
    pub email: String,
    pub display_name: String,
}

#[derive(Template)]
#[template(path = "hr_admin/course_edit.html")]
struct EditPage {
    page: Page,
    /// None when creating.
    id: Option<Uuid>,
    form: CourseForm,
    errors: Vec<FieldError>,
    formats: &'static [(&'static str, &'static str)],
    authors: Vec<AuthorOption>,
}

impl EditPage {
    /// The message for a field (by JSON pointer), if any.
    fn err(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    /// The message for a field of skill row `i`.
    fn skill_err(&self, i: &usize, field: &str) -> Option<&str> {
        self.err(&format!("/skills/{i}/{field}"))
    }
}

async fn edit_page(
    state: &AppState,
    user: &CurrentUser,
    id: Option<Uuid>,
    mut form: CourseForm,
    errors: Vec<FieldError>,
) -> Result<Html<String>> {
    let authors = sqlx::query_as::<_, AuthorOption>(
        "select email, display_name from people where employment_status = 'active' order by display_name",
    )
    .fetch_all(&state.db)
    .await?;
    let blank = form
        .skills
        .iter()
        .filter(|s| s.skill.trim().is_empty())
        .count();
    form.skills.extend((blank..3).map(|_| SkillLine::default()));
    let title = if id.is_some() {
        "Edit a course"
    } else {
        "New course"
    };
    render(&EditPage {
        page: Page::new(title, user, Section::Hr),
        id,
        form,
        errors,
        formats: FORMATS,
        authors,
    })
}

/// GET /hr/courses/new
pub async fn new_form(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>> {
    let form = CourseForm {
        format: "e_learning".into(),
        ..CourseForm::default()
    };
    edit_page(&state, &user, None, form, vec![]).await
}

/// GET /hr/courses/{id}
pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Html<String>> {
    let form = course_form::load(&state.db, id).await?;
    edit_page(&state, &user, Some(id), form, vec![]).await
}

async fn submit(
    state: &AppState,
    user: &CurrentUser,
    id: Option<Uuid>,
    pairs: Vec<(String, String)>,
) -> Result<Response> {
    let form = CourseForm::from_pairs(&pairs);
    match course_form::save(state, user, id, &form).await {
        Ok(_) => Ok(Redirect::to("/hr/courses").into_response()),
        Err(AppError::Validation(errors)) => {
            let mut response = edit_page(state, user, id, form, errors)
                .await?
                .into_response();
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(e) => Err(e),
    }
}

/// POST /hr/courses: create a course.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response> {
    submit(&state, &user, None, pairs).await
}

/// POST /hr/courses/{id}: save an edited course.
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response> {
    submit(&state, &user, Some(id), pairs).await
}
