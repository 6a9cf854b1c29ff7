//! JSON twins of HR's talent pool pages.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::error::Result;
use crate::http::extract::{Json as JsonBody, Path};
use crate::http::session::CurrentUser;
use crate::service::talent_pools::{
    self as service, MemberInput, PoolDetail, PoolInput, TalentPool,
};

/// Every talent pool with its size.
#[utoipa::path(get, path = "/hr/talent-pools", tag = "hr",
    responses((status = 200, body = Vec<TalentPool>), (status = 403, body = super::Problem)))]
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<TalentPool>>> {
    Ok(Json(service::list(&state.db).await?))
}

/// Create a pool, filled from the people directory's filters when any are given.
#[utoipa::path(post, path = "/hr/talent-pools", tag = "hr", request_body = PoolInput,
    responses((status = 201, body = super::Created), (status = 403, body = super::Problem),
              (status = 422, body = super::Problem)))]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(input): JsonBody<PoolInput>,
) -> Result<super::Made<super::Created>> {
    let id = service::create(&state, &user, &input).await?;
    Ok(super::created(id, format!("/api/v1/hr/talent-pools/{id}")))
}

/// One pool with its members.
#[utoipa::path(get, path = "/hr/talent-pools/{id}", tag = "hr",
    params(("id" = Uuid, Path, description = "The pool")),
    responses((status = 200, body = PoolDetail), (status = 404, body = super::Problem)))]
pub async fn show(State(state): State<AppState>, Path(id): Path<Uuid>) -> Result<Json<PoolDetail>> {
    Ok(Json(service::show(&state.db, id).await?))
}

/// Delete a pool.
#[utoipa::path(delete, path = "/hr/talent-pools/{id}", tag = "hr",
    params(("id" = Uuid, Path, description = "The pool")),
    responses((status = 204), (status = 404, body = super::Problem)))]
pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode> {
    service::delete(&state, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Add a person by hand (email, employee number or id).
#[utoipa::path(post, path = "/hr/talent-pools/{id}/members", tag = "hr", request_body = MemberInput,
    params(("id" = Uuid, Path, description = "The pool")),
    responses((status = 204), (status = 404, body = super::Problem), (status = 422, body = super::Problem)))]
pub async fn add(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    JsonBody(input): JsonBody<MemberInput>,
) -> Result<StatusCode> {
    service::add(&state, &user, id, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Remove a person from a pool.
#[utoipa::path(delete, path = "/hr/talent-pools/{id}/members/{person_id}", tag = "hr",
    params(("id" = Uuid, Path, description = "The pool"),
           ("person_id" = Uuid, Path, description = "The member")),
    responses((status = 204), (status = 404, body = super::Problem)))]
pub async fn remove(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, person)): Path<(Uuid, Uuid)>,
) -> Result<StatusCode> {
    service::remove(&state, &user, id, person).await?;
    Ok(StatusCode::NO_CONTENT)
}
