//! Learning (`/learning`): the course catalogue (search, filter by skill and format, pages),
//! a course's page, enrolling, progress and completion (`service::learning`), and "my
//! learning".

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::learning::{self, Course, CourseCard, Enrolment, FORMATS, PAGE_SIZE};
use crate::error::{AppError, Result};
use crate::http::extract::{Form, Path, Query};
use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;
use crate::service::learning::{self as service, CatalogueParams};

#[derive(Template)]
#[template(path = "learning/page.html")]
struct LearningPage {
    page: Page,
    params: CatalogueParams,
    courses: Vec<CourseCard>,
    total: i64,
    current: i64,
    pages: i64,
    formats: &'static [(&'static str, &'static str)],
    mine: Vec<Enrolment>,
}

impl LearningPage {
    fn link(&self, page: i64) -> String {
        let q = serde_urlencoded::to_string([
            ("q", self.params.q.as_str()),
            ("skill", self.params.skill.as_str()),
            ("format", self.params.format.as_str()),
            ("page", page.to_string().as_str()),
        ])
        .unwrap_or_default();
        format!("/learning?{q}")
    }
}

/// GET /learning
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<CatalogueParams>,
) -> Result<Html<String>> {
    let query = params.query(&state).await?;
    let (courses, total) = learning::catalogue(&state.db, &query).await?;
    render(&LearningPage {
        page: Page::new("Learning", &user, Section::Learning),
        current: query.page,
        pages: (total + PAGE_SIZE - 1) / PAGE_SIZE,
        params,
        courses,
        total,
        formats: FORMATS,
        mine: learning::enrolments_of(&state.db, user.id).await?,
    })
}

#[derive(Template)]
#[template(path = "learning/course.html")]
struct CoursePage {
    page: Page,
    course: Course,
    error: Option<String>,
}

async fn show_course(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    error: Option<String>,
) -> Result<Response> {
    let course = learning::course(&state.db, id, user.id).await?;
    Ok(render(&CoursePage {
        page: Page::new(course.card.title.clone(), user, Section::Learning),
        course,
        error,
    })?
    .into_response())
}

/// GET /learning/courses/{id}
pub async fn course(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    show_course(&state, &user, id, None).await
}

/// POST /learning/courses/{id}/enrol
pub async fn enrol(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    match learning::enrol(&state.db, user.id, id).await {
        Ok(_) => Ok(Redirect::to(&format!("/learning/courses/{id}")).into_response()),
        Err(AppError::Conflict(why)) => show_course(&state, &user, id, Some(why)).await,
        Err(other) => Err(other),
    }
}

/// The progress form.
#[derive(Debug, Deserialize)]
pub struct Progress {
    progress_pct: String,
}

/// POST /learning/enrolments/{id}/progress: 100 completes the course.
pub async fn progress(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Form(form): Form<Progress>,
) -> Result<Response> {
    let course = service::course_of_enrolment(&state, user.id, id).await?;
    let pct = form.progress_pct.trim().parse::<i64>().unwrap_or(-1);
    match service::record_progress(&state, user.id, id, pct).await {
        Ok(_) => Ok(Redirect::to(&format!("/learning/courses/{course}")).into_response()),
        Err(AppError::Validation(e)) => {
            let message = e
                .into_iter()
                .next()
                .map(|f| format!("Progress: {}", f.message));
            show_course(&state, &user, course, message).await
        }
        Err(AppError::Conflict(why)) => show_course(&state, &user, course, Some(why)).await,
        Err(other) => Err(other),
    }
}
