//! Learning through the API: the catalogue, a course, my enrolments, enrolling and progress
//! (100 completes the course and records course-completed evidence).

use axum::extract::State;
use axum::Json as JsonResponse;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::learning::{self, Course, CourseCard, Enrolment};
use crate::error::{AppError, Result};
use crate::http::extract::{Json, Path, Query};
use crate::http::session::CurrentUser;
use crate::service::learning::{self as service, CatalogueParams};

/// `GET /courses` filters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CourseQuery {
    /// Words in the title or description.
    q: Option<String>,
    /// A skill name or alias.
    skill: Option<String>,
    /// e_learning, workshop, on_the_job or external.
    format: Option<String>,
    /// From 1 (422 naming `page` past the last page number accepted).
    page: Option<String>,
}

/// One page of the catalogue.
#[derive(Debug, Serialize, ToSchema)]
pub struct CoursePage {
    pub courses: Vec<CourseCard>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

/// The course catalogue (current courses), 20 a page.
#[utoipa::path(get, path = "/courses", tag = "learning", params(CourseQuery),
    responses((status = 200, body = CoursePage)))]
pub async fn catalogue(
    State(state): State<AppState>,
    Query(q): Query<CourseQuery>,
) -> Result<JsonResponse<CoursePage>> {
    let params = CatalogueParams {
        q: q.q.unwrap_or_default(),
        skill: q.skill.unwrap_or_default(),
        format: q.format.unwrap_or_default(),
        page: q.page,
    };
    let query = params.query(&state).await?;
    let (courses, total) = learning::catalogue(&state.db, &query).await?;
    Ok(JsonResponse(CoursePage {
        courses,
        total,
        page: query.page,
        page_size: learning::PAGE_SIZE,
    }))
}

/// A course, with my enrolment in it.
#[utoipa::path(get, path = "/courses/{id}", tag = "learning",
    params(("id" = Uuid, Path, description = "The course")),
    responses((status = 200, body = Course), (status = 404, body = super::Problem)))]
pub async fn course(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<JsonResponse<Course>> {
    Ok(JsonResponse(
        learning::course(&state.db, id, user.id).await?,
    ))
}

/// Enrol in a course (409 when retired or already enrolled).
#[utoipa::path(post, path = "/courses/{id}/enrol", tag = "learning",
    params(("id" = Uuid, Path, description = "The course")),
    responses((status = 201, body = Enrolment), (status = 404, body = super::Problem),
              (status = 409, body = super::Problem)))]
pub async fn enrol(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<super::Made<Enrolment>> {
    let enrolment = learning::enrol(&state.db, user.id, id).await?;
    Ok(super::made(
        "/api/v1/me/enrolments".into(),
        find(&state, user.id, enrolment).await?,
    ))
}

async fn find(state: &AppState, person: Uuid, id: Uuid) -> Result<Enrolment> {
    learning::enrolments_of(&state.db, person)
        .await?
        .into_iter()
        .find(|e| e.id == id)
        .ok_or(AppError::NotFound)
}

/// My enrolments, in progress first.
#[utoipa::path(get, path = "/me/enrolments", tag = "learning",
    responses((status = 200, body = Vec<Enrolment>)))]
pub async fn mine(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<JsonResponse<Vec<Enrolment>>> {
    Ok(JsonResponse(
        learning::enrolments_of(&state.db, user.id).await?,
    ))
}

/// Body of the progress call.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SetProgress {
    /// 0 to 100; 100 completes the course.
    progress_pct: i64,
}

/// Record progress on one of my enrolments (404 for anyone else's).
#[utoipa::path(post, path = "/me/enrolments/{id}/progress", tag = "learning",
    params(("id" = Uuid, Path, description = "The enrolment")), request_body = SetProgress,
    responses((status = 200, body = Enrolment), (status = 404, body = super::Problem),
              (status = 409, body = super::Problem), (status = 422, body = super::Problem)))]
pub async fn progress(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Json(body): Json<SetProgress>,
) -> Result<JsonResponse<Enrolment>> {
    service::record_progress(&state, user.id, id, body.progress_pct)
        .await
        .map_err(|e| match e {
            AppError::Validation(_) => {
                AppError::field("/progress_pct", "must be a whole number from 0 to 100")
            }
            other => other,
        })?;
    Ok(JsonResponse(find(&state, user.id, id).await?))
}
