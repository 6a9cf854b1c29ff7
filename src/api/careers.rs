//! Career paths and development plans through the API: the graph from my job profile, a
//! target's gap and learning path, saving it as a plan, and my plans.

use axum::extract::State;
use axum::Json as JsonResponse;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::plans::{self, Plan, PlanSummary};
use crate::error::{AppError, Result};
use crate::http::extract::{Json, Path};
use crate::http::session::CurrentUser;
use crate::service::careers::{self, graph, moves, Target};

/// The paths out of my job profile, up to three steps (an empty graph when I have no job
/// profile).
#[utoipa::path(get, path = "/me/career-paths", tag = "learning",
    responses((status = 200, body = graph::CareerGraph)))]
pub async fn paths(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<JsonResponse<graph::CareerGraph>> {
    Ok(JsonResponse(
        graph::load(&state, user.id).await?.unwrap_or_default(),
    ))
}

/// Suggested moves from three sources side by side: paths HR defined out of my job profile,
/// profiles close to my skills, and moves people made from my profile, each with why.
#[utoipa::path(get, path = "/me/career-moves", tag = "learning",
    responses((status = 200, body = moves::CareerMoves)))]
pub async fn career_moves(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<JsonResponse<moves::CareerMoves>> {
    Ok(JsonResponse(moves::load(&state, user.id).await?))
}

/// My fit for a job profile, the gap, and the learning path toward it.
#[utoipa::path(get, path = "/me/career-paths/{profile_id}", tag = "learning",
    params(("profile_id" = Uuid, Path, description = "The target job profile")),
    responses((status = 200, body = Target), (status = 404, body = super::Problem)))]
pub async fn target(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(profile): Path<Uuid>,
) -> Result<JsonResponse<Target>> {
    Ok(JsonResponse(
        careers::target(&state, user.id, profile).await?,
    ))
}

/// Save the learning path toward a job profile as my development plan.
#[utoipa::path(post, path = "/me/career-paths/{profile_id}/plan", tag = "learning",
    params(("profile_id" = Uuid, Path, description = "The target job profile")),
    responses((status = 201, body = Plan), (status = 404, body = super::Problem)))]
pub async fn save_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(profile): Path<Uuid>,
) -> Result<super::Made<Plan>> {
    let id = careers::save_plan(&state, user.id, profile).await?;
    Ok(super::made(
        format!("/api/v1/me/plans/{id}"),
        plans::plan(&state.db, user.id, id).await?,
    ))
}

/// My development plans.
#[utoipa::path(get, path = "/me/plans", tag = "learning",
    responses((status = 200, body = Vec<PlanSummary>)))]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<JsonResponse<Vec<PlanSummary>>> {
    Ok(JsonResponse(plans::plans_of(&state.db, user.id).await?))
}

/// One of my plans with its steps (404 for anyone else's).
#[utoipa::path(get, path = "/me/plans/{id}", tag = "learning",
    params(("id" = Uuid, Path, description = "The plan")),
    responses((status = 200, body = Plan), (status = 404, body = super::Problem)))]
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<JsonResponse<Plan>> {
    Ok(JsonResponse(plans::plan(&state.db, user.id, id).await?))
}

/// Mark a step of my active plan done.
#[utoipa::path(post, path = "/me/plans/{id}/steps/{step_id}/done", tag = "learning",
    params(("id" = Uuid, Path, description = "The plan"), ("step_id" = Uuid, Path, description = "The step")),
    responses((status = 200, body = Plan), (status = 404, body = super::Problem)))]
pub async fn step_done(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, step)): Path<(Uuid, Uuid)>,
) -> Result<JsonResponse<Plan>> {
    plans::mark_step_done(&state.db, user.id, id, step).await?;
    Ok(JsonResponse(plans::plan(&state.db, user.id, id).await?))
}

/// Body of the status change.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SetStatus {
    /// completed or abandoned.
    status: String,
}

/// Complete or abandon my active plan.
#[utoipa::path(post, path = "/me/plans/{id}/status", tag = "learning",
    params(("id" = Uuid, Path, description = "The plan")), request_body = SetStatus,
    responses((status = 200, body = Plan), (status = 404, body = super::Problem),
              (status = 409, body = super::Problem), (status = 422, body = super::Problem)))]
pub async fn status(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Json(body): Json<SetStatus>,
) -> Result<JsonResponse<Plan>> {
    plans::set_status(&state.db, user.id, id, &body.status)
        .await
        .map_err(|e| match e {
            AppError::Validation(_) => AppError::field("/status", "must be completed or abandoned"),
            other => other,
        })?;
    Ok(JsonResponse(plans::plan(&state.db, user.id, id).await?))
}
