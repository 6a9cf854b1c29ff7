//! Mentorship through the API: find mentors by skill, my requests (both sides), ask a
//! mentor, and accept or decline a request addressed to me.

use axum::extract::State;
use axum::Json as JsonResponse;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::mentors::{self, Mentor, Request};
use crate::db::profile::{resolve_skill, Resolved};
use crate::error::{AppError, Result};
use crate::http::extract::{Json, Path, Query};
use crate::http::session::CurrentUser;
use crate::service::mentors as service;

/// `GET /mentors?skill=`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MentorQuery {
    /// A skill name or alias; without it, the best mentors in any skill.
    skill: Option<String>,
}

/// People who offer mentoring in a skill, by level then availability.
#[utoipa::path(get, path = "/mentors", tag = "learning", params(MentorQuery),
    responses((status = 200, body = Vec<Mentor>), (status = 422, body = super::Problem)))]
pub async fn find(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<MentorQuery>,
) -> Result<JsonResponse<Vec<Mentor>>> {
    let skill = match q.skill.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(text) => match resolve_skill(&state.db, text).await? {
            Resolved::Skill(s) => Some(s.id),
            Resolved::Choices(_) => {
                return Err(AppError::field(
                    "skill",
                    "no skill has exactly this name or alias",
                ))
            }
        },
    };
    Ok(JsonResponse(
        mentors::find(&state.db, skill, user.id).await?,
    ))
}

/// Mentorship requests to and from me.
#[utoipa::path(get, path = "/me/mentorship-requests", tag = "learning",
    responses((status = 200, body = Vec<Request>)))]
pub async fn mine(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<JsonResponse<Vec<Request>>> {
    Ok(JsonResponse(
        mentors::requests_of(&state.db, user.id).await?,
    ))
}

/// Body of a mentorship request.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Ask {
    mentor_id: Uuid,
    skill_id: Uuid,
    #[serde(default)]
    message: String,
}

/// Ask a mentor (422 for oneself or a skill they do not mentor, 409 while a request to
/// them is open).
#[utoipa::path(post, path = "/me/mentorship-requests", tag = "learning", request_body = Ask,
    responses((status = 201, body = Request), (status = 409, body = super::Problem),
              (status = 422, body = super::Problem)))]
pub async fn ask(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(body): Json<Ask>,
) -> Result<super::Made<Request>> {
    let id = service::request(
        &state,
        user.id,
        body.mentor_id,
        body.skill_id,
        &body.message,
    )
    .await?;
    Ok(super::made(
        "/api/v1/me/mentorship-requests".into(),
        one(&state, user.id, id).await?,
    ))
}

async fn one(state: &AppState, person: Uuid, id: Uuid) -> Result<Request> {
    mentors::requests_of(&state.db, person)
        .await?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or(AppError::NotFound)
}

/// Accept a request addressed to me.
#[utoipa::path(post, path = "/me/mentorship-requests/{id}/accept", tag = "learning",
    params(("id" = Uuid, Path, description = "The request")),
    responses((status = 200, body = Request), (status = 404, body = super::Problem), (status = 409, body = super::Problem)))]
pub async fn accept(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<JsonResponse<Request>> {
    service::respond(&state, user.id, id, true).await?;
    Ok(JsonResponse(one(&state, user.id, id).await?))
}

/// Decline a request addressed to me.
#[utoipa::path(post, path = "/me/mentorship-requests/{id}/decline", tag = "learning",
    params(("id" = Uuid, Path, description = "The request")),
    responses((status = 200, body = Request), (status = 404, body = super::Problem), (status = 409, body = super::Problem)))]
pub async fn decline(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<JsonResponse<Request>> {
    service::respond(&state, user.id, id, false).await?;
    Ok(JsonResponse(one(&state, user.id, id).await?))
}
