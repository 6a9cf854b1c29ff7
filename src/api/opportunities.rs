//! Openings through the API: browse and search (ranked by the engine), one opening with the
//! person's fit and learning path, save, and apply under the mobility policy.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json as JsonResponse;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::error::Result;
use crate::http::extract::{Json, Path, Query};
use crate::http::session::CurrentUser;
use crate::service::marketplace::apply::{self, ApplyInput};
use crate::service::marketplace::browse::{self, OpeningPage};
use crate::service::marketplace::detail::{self, OpeningDetail};
use crate::service::marketplace::filters::BrowseParams;

/// Open openings matching the filters, ranked by the signed-in person's fit (or newest
/// first), 20 per page, with the total.
#[utoipa::path(get, path = "/opportunities", tag = "opportunities",
    params(BrowseParams),
    responses((status = 200, body = OpeningPage), (status = 401, body = super::Problem),
              (status = 422, body = super::Problem)))]
pub async fn browse(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<BrowseParams>,
) -> Result<JsonResponse<OpeningPage>> {
    let filters = params.resolve(&state.db).await?;
    Ok(JsonResponse(
        browse::search(&state, user.id, &filters).await?,
    ))
}

/// One opening with the person's fit (every reason), learning path, the rules that apply and
/// whether they may apply now.
#[utoipa::path(get, path = "/opportunities/{id}", tag = "opportunities",
    params(("id" = Uuid, Path, description = "The opening")),
    responses((status = 200, body = OpeningDetail), (status = 404, body = super::Problem)))]
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<JsonResponse<OpeningDetail>> {
    Ok(JsonResponse(detail::load(&state, user.id, id).await?))
}

/// Save an opening to my list.
#[utoipa::path(put, path = "/me/saved-opportunities/{id}", tag = "opportunities",
    params(("id" = Uuid, Path, description = "The opening")),
    responses((status = 204), (status = 404, body = super::Problem)))]
pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode> {
    detail::save(&state, user.id, id, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Remove an opening from my list.
#[utoipa::path(delete, path = "/me/saved-opportunities/{id}", tag = "opportunities",
    params(("id" = Uuid, Path, description = "The opening")),
    responses((status = 204), (status = 404, body = super::Problem)))]
pub async fn unsave(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode> {
    detail::save(&state, user.id, id, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Apply to an opening. A refusal by the mobility policy is a 409 naming the rule (and the
/// date it passes); missing or too long answers are 422 with pointers.
#[utoipa::path(post, path = "/opportunities/{id}/applications", tag = "opportunities",
    params(("id" = Uuid, Path, description = "The opening")),
    request_body = ApplyInput,
    responses((status = 201, body = super::Created), (status = 404, body = super::Problem),
              (status = 409, body = super::Problem), (status = 422, body = super::Problem)))]
pub async fn apply(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Json(input): Json<ApplyInput>,
) -> Result<super::Made<super::Created>> {
    let app = apply::submit(&state, user.id, id, &input).await?;
    Ok(super::created(
        app,
        format!("/api/v1/me/applications/{app}"),
    ))
}
