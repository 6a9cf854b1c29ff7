//! My saved searches and job alerts through the API.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json as JsonResponse;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::error::{AppError, Result};
use crate::http::extract::{Json, Path};
use crate::http::session::CurrentUser;
use crate::service::saved_searches::{self as alerts, NewSavedSearch, SavedSearch};

/// My saved searches.
#[utoipa::path(get, path = "/me/saved-searches", tag = "alerts",
    responses((status = 200, body = Vec<SavedSearch>), (status = 401, body = super::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<JsonResponse<Vec<SavedSearch>>> {
    Ok(JsonResponse(alerts::list(&state, user.id).await?))
}

/// Save a search (browse filters and/or a fit threshold), alerts on by default.
#[utoipa::path(post, path = "/me/saved-searches", tag = "alerts",
    request_body = NewSavedSearch,
    responses((status = 201, body = SavedSearch), (status = 422, body = super::Problem)))]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(new): Json<NewSavedSearch>,
) -> Result<super::Made<SavedSearch>> {
    let id = alerts::create(&state, user.id, &new).await?;
    let saved = alerts::list(&state, user.id)
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or(AppError::NotFound)?;
    Ok(super::made("/api/v1/me/saved-searches".into(), saved))
}

/// A change to a saved search.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AlertsSwitch {
    pub alerts: bool,
}

/// Turn a saved search's alerts on or off.
#[utoipa::path(patch, path = "/me/saved-searches/{id}", tag = "alerts",
    params(("id" = Uuid, Path, description = "The saved search")),
    request_body = AlertsSwitch,
    responses((status = 204), (status = 404, body = super::Problem)))]
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Json(body): Json<AlertsSwitch>,
) -> Result<StatusCode> {
    alerts::change(&state, user.id, id, Some(body.alerts)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Delete a saved search.
#[utoipa::path(delete, path = "/me/saved-searches/{id}", tag = "alerts",
    params(("id" = Uuid, Path, description = "The saved search")),
    responses((status = 204), (status = 404, body = super::Problem)))]
pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode> {
    alerts::change(&state, user.id, id, None).await?;
    Ok(StatusCode::NO_CONTENT)
}
