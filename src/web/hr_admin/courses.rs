//! `/hr/courses`: the course catalogue (skills with entry and target levels, hours, format,
//! provider, author: any person, an internal expert) and retiring a course: it stays on the
//! enrolments it has, and the database refuses new enrolments in it.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use uuid::Uuid;

use crate::app::state::AppState;
use crate::error::{AppError, FieldError, Result};
use crate::http::extract::{Form, Path};
use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;
use crate::service::courses::form::{self as course_form, CourseForm, SkillLine, FORMATS};
use crate::service::courses::{self, AuthorOption, CourseRow};

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
        courses: courses::list_courses(&state.db).await?,
    })
}

/// POST /hr/courses/{id}/retire
pub async fn retire(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Redirect> {
    courses::retire_course(&state, &user, id).await?;
    Ok(Redirect::to("/hr/courses"))
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
    let authors = courses::authors(&state.db).await?;
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
