//! HR's people directory and the moves register through the API: the same filters, pages and
//! totals as `/hr/people`, for HR or a token with the read scope.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json as JsonResponse;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::people::{MovePage, PeoplePage, PersonRecord};
use crate::error::Result;
use crate::http::extract::{Path, Query};
use crate::http::session::CurrentUser;
use crate::service::hr::people::{self as directory, MoveParams, PeopleParams, UnlinkForm};

/// Everyone in the company, filtered and sorted, one page at a time with the total.
#[utoipa::path(get, path = "/hr/people", tag = "hr", params(PeopleParams),
    responses((status = 200, body = PeoplePage), (status = 403, body = super::Problem),
              (status = 422, body = super::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    Query(params): Query<PeopleParams>,
) -> Result<JsonResponse<PeoplePage>> {
    let page = directory::list(&state, &params).await?;
    Ok(JsonResponse(page))
}

/// One person's record: job, skills with evidence, moves, applications by status, and the
/// identity-provider accounts they sign in with.
#[utoipa::path(get, path = "/hr/people/{id}", tag = "hr",
    params(("id" = Uuid, Path, description = "The person")),
    responses((status = 200, body = PersonRecord), (status = 404, body = super::Problem)))]
pub async fn show(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<JsonResponse<PersonRecord>> {
    Ok(JsonResponse(directory::record(&state, id).await?))
}

/// Unlink a person from their account at an identity provider; their next single sign-on
/// finds them by email again (and links that account).
#[utoipa::path(delete, path = "/hr/people/{id}/identities", tag = "hr",
    params(("id" = Uuid, Path, description = "The person"), UnlinkForm),
    responses((status = 204), (status = 404, body = super::Problem)))]
pub async fn unlink(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Query(q): Query<UnlinkForm>,
) -> Result<StatusCode> {
    directory::unlink(&state, &user, id, &q.issuer).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Recorded moves (promotions, lateral moves, secondments, projects, hires, leavers), newest
/// first, one page at a time with the total.
#[utoipa::path(get, path = "/hr/moves", tag = "hr", params(MoveParams),
    responses((status = 200, body = MovePage), (status = 403, body = super::Problem),
              (status = 422, body = super::Problem)))]
pub async fn moves(
    State(state): State<AppState>,
    Query(params): Query<MoveParams>,
) -> Result<JsonResponse<MovePage>> {
    let page = directory::moves(&state, &params).await?;
    Ok(JsonResponse(page))
}
