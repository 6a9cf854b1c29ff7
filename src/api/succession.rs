//! JSON twins of the succession pages. HR (and HR-level tokens) see every critical role, a
//! manager the roles of their own team; a role of another team is 404. `/me/succession` is
//! the successor's own view, empty unless the mobility policy lets successors see plans.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::app::state::AppState;
use crate::error::{AppError, FieldError, Result};
use crate::http::extract::{Json as JsonBody, Path, Query};
use crate::http::session::CurrentUser;
use crate::service::succession::plans::{self, AddInput, BandInput, MarkInput};
use crate::service::succession::proposals::{self, SuccessorProposal};
use crate::service::succession::{self as service, CriticalRole, MyPlan, Scope, SuccessionPlan};

/// Filters of the list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Only roles in this department or below it.
    pub department: Option<String>,
}

/// The critical roles in the caller's scope.
#[utoipa::path(get, path = "/succession", tag = "team", params(ListParams),
    responses((status = 200, body = Vec<CriticalRole>), (status = 403, body = super::Problem),
              (status = 422, body = super::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ListParams>,
) -> Result<Json<Vec<CriticalRole>>> {
    let department = match q.department.as_deref().filter(|d| !d.is_empty()) {
        Some(d) => Some(Uuid::parse_str(d).map_err(|_| {
            AppError::Validation(vec![FieldError::new(
                "/department",
                "Give a department id.",
            )])
        })?),
        None => None,
    };
    Ok(Json(
        service::list(&state, Scope::of(&user), department).await?,
    ))
}

/// Mark a position or a job profile critical.
#[utoipa::path(post, path = "/succession", tag = "team", request_body = MarkInput,
    responses((status = 201, body = super::Created), (status = 403, body = super::Problem),
              (status = 409, body = super::Problem), (status = 422, body = super::Problem)))]
pub async fn mark(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(input): JsonBody<MarkInput>,
) -> Result<super::Made<super::Created>> {
    let id = plans::mark(&state, &user, Scope::of(&user), &input).await?;
    Ok(super::created(id, format!("/api/v1/succession/{id}")))
}

/// One critical role with its successors.
#[utoipa::path(get, path = "/succession/{id}", tag = "team",
    params(("id" = Uuid, Path, description = "The critical role")),
    responses((status = 200, body = SuccessionPlan), (status = 404, body = super::Problem)))]
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Json<SuccessionPlan>> {
    Ok(Json(service::show(&state, Scope::of(&user), id).await?))
}

/// The role is no longer critical: its plan goes too.
#[utoipa::path(delete, path = "/succession/{id}", tag = "team",
    params(("id" = Uuid, Path, description = "The critical role")),
    responses((status = 204), (status = 404, body = super::Problem)))]
pub async fn unmark(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode> {
    plans::unmark(&state, &user, Scope::of(&user), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The successors the engine proposes, readiest first.
#[utoipa::path(get, path = "/succession/{id}/proposals", tag = "team",
    params(("id" = Uuid, Path, description = "The critical role")),
    responses((status = 200, body = Vec<SuccessorProposal>), (status = 404, body = super::Problem)))]
pub async fn proposed(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Json<Vec<SuccessorProposal>>> {
    Ok(Json(
        proposals::proposals(&state, Scope::of(&user), id, 10).await?,
    ))
}

/// Add a successor; the band comes from their learning path toward the role.
#[utoipa::path(post, path = "/succession/{id}/successors", tag = "team", request_body = AddInput,
    params(("id" = Uuid, Path, description = "The critical role")),
    responses((status = 204), (status = 404, body = super::Problem),
              (status = 409, body = super::Problem), (status = 422, body = super::Problem)))]
pub async fn add(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    JsonBody(input): JsonBody<AddInput>,
) -> Result<StatusCode> {
    plans::add_successor(&state, &user, Scope::of(&user), id, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Override a successor's band with a reason (an empty band returns to the computed one).
#[utoipa::path(put, path = "/succession/{id}/successors/{person_id}", tag = "team",
    request_body = BandInput,
    params(("id" = Uuid, Path, description = "The critical role"),
           ("person_id" = Uuid, Path, description = "The successor")),
    responses((status = 204), (status = 404, body = super::Problem), (status = 422, body = super::Problem)))]
pub async fn band(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, person)): Path<(Uuid, Uuid)>,
    JsonBody(input): JsonBody<BandInput>,
) -> Result<StatusCode> {
    plans::set_band(&state, &user, Scope::of(&user), id, person, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Remove a successor from the plan.
#[utoipa::path(delete, path = "/succession/{id}/successors/{person_id}", tag = "team",
    params(("id" = Uuid, Path, description = "The critical role"),
           ("person_id" = Uuid, Path, description = "The successor")),
    responses((status = 204), (status = 404, body = super::Problem)))]
pub async fn remove(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, person)): Path<(Uuid, Uuid)>,
) -> Result<StatusCode> {
    plans::remove_successor(&state, &user, Scope::of(&user), id, person).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The successor's development plan toward the role.
#[derive(Debug, Serialize, ToSchema)]
pub struct StartedPlan {
    pub development_plan_id: Uuid,
}

/// Start (or return the linked) development plan of a successor toward the role.
#[utoipa::path(post, path = "/succession/{id}/successors/{person_id}/plan", tag = "team",
    params(("id" = Uuid, Path, description = "The critical role"),
           ("person_id" = Uuid, Path, description = "The successor")),
    responses((status = 200, body = StartedPlan), (status = 404, body = super::Problem)))]
pub async fn start_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, person)): Path<(Uuid, Uuid)>,
) -> Result<Json<StartedPlan>> {
    let plan = plans::start_plan(&state, &user, Scope::of(&user), id, person).await?;
    Ok(Json(StartedPlan {
        development_plan_id: plan,
    }))
}

/// The succession plans that name me: empty unless the mobility policy lets successors see
/// them.
#[utoipa::path(get, path = "/me/succession", tag = "people",
    responses((status = 200, body = Vec<MyPlan>)))]
pub async fn mine(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Vec<MyPlan>>> {
    Ok(Json(service::mine(&state, user.id).await?))
}

/// Bench strength: critical roles without a ready-now successor, successors per role, flight
/// risks among successors, per top-level department, with the daily snapshots of the year.
#[utoipa::path(get, path = "/hr/bench", tag = "hr",
    responses((status = 200, body = crate::service::succession::bench::BenchReport),
              (status = 403, body = super::Problem)))]
pub async fn bench(
    State(state): State<AppState>,
) -> Result<Json<crate::service::succession::bench::BenchReport>> {
    Ok(Json(
        crate::service::succession::bench::report(&state.db).await?,
    ))
}

/// HR's view of every opening: overdue work first, then the open openings with their
/// pipelines.
#[utoipa::path(get, path = "/hr/openings", tag = "hr",
    params(crate::service::oversight::OversightParams),
    responses((status = 200, body = crate::service::oversight::Oversight),
              (status = 403, body = super::Problem), (status = 422, body = super::Problem)))]
pub async fn openings(
    State(state): State<AppState>,
    Query(q): Query<crate::service::oversight::OversightParams>,
) -> Result<Json<crate::service::oversight::Oversight>> {
    Ok(Json(crate::service::oversight::load(&state.db, &q).await?))
}
