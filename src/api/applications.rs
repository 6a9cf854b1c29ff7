//! My applications and my notifications through the API: only ever the signed-in person's
//! own (404 for anyone else's).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json as JsonResponse;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::error::Result;
use crate::http::extract::Path;
use crate::http::session::CurrentUser;
use crate::service::applications::mine::{
    self as applications, ApplicationDetail, ApplicationSummary,
};
use crate::service::applications::stage;
use crate::service::notifications::{self, Notifications};

/// My applications, newest first.
#[utoipa::path(get, path = "/me/applications", tag = "applications",
    responses((status = 200, body = Vec<ApplicationSummary>), (status = 401, body = super::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<JsonResponse<Vec<ApplicationSummary>>> {
    Ok(JsonResponse(applications::list(&state, user.id).await?))
}

/// One of my applications with its timeline and answers.
#[utoipa::path(get, path = "/me/applications/{id}", tag = "applications",
    params(("id" = Uuid, Path, description = "The application")),
    responses((status = 200, body = ApplicationDetail), (status = 404, body = super::Problem)))]
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<JsonResponse<ApplicationDetail>> {
    Ok(JsonResponse(applications::load(&state, user.id, id).await?))
}

/// Withdraw one of my applications (before acceptance).
#[utoipa::path(post, path = "/me/applications/{id}/withdraw", tag = "applications",
    params(("id" = Uuid, Path, description = "The application")),
    responses((status = 200, body = ApplicationDetail), (status = 404, body = super::Problem),
              (status = 409, body = super::Problem)))]
pub async fn withdraw(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<JsonResponse<ApplicationDetail>> {
    stage::withdraw(&state, user.id, id).await?;
    Ok(JsonResponse(applications::load(&state, user.id, id).await?))
}

/// My newest notifications and the unread count.
#[utoipa::path(get, path = "/me/notifications", tag = "applications",
    responses((status = 200, body = Notifications), (status = 401, body = super::Problem)))]
pub async fn notifications(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<JsonResponse<Notifications>> {
    Ok(JsonResponse(notifications::load(&state, user.id).await?))
}

/// Mark one of my notifications read.
#[utoipa::path(post, path = "/me/notifications/{id}/read", tag = "applications",
    params(("id" = Uuid, Path, description = "The notification")),
    responses((status = 204), (status = 404, body = super::Problem)))]
pub async fn read_one(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode> {
    notifications::mark_read(&state, user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Mark all my notifications read.
#[utoipa::path(post, path = "/me/notifications/read", tag = "applications",
    responses((status = 204), (status = 401, body = super::Problem)))]
pub async fn read_all(State(state): State<AppState>, user: CurrentUser) -> Result<StatusCode> {
    notifications::mark_all_read(&state, user.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
