//! JSON twins of the posting pages: create, read, edit, publish, close, skill suggestions.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::postings::{self, Header, Revision};
use crate::db::skill_suggestions::Suggestion;
use crate::domain::posting::PostingInput;
use crate::error::Result;
use crate::http::extract::{Json as JsonBody, Path};
use crate::http::session::CurrentUser;
use crate::service::postings as manage;

/// A posting with its fields and published history.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostingView {
    pub header: Header,
    pub fields: PostingInput,
    pub history: Vec<Revision>,
}

/// What to suggest skills from.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SuggestRequest {
    #[serde(default)]
    pub description: String,
    pub job_profile_id: Option<Uuid>,
}

/// Save a new posting as a draft.
#[utoipa::path(post, path = "/postings", tag = "team", request_body = PostingInput,
    responses((status = 201, body = super::Created), (status = 422, body = super::Problem)))]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(input): JsonBody<PostingInput>,
) -> Result<super::Made<super::Created>> {
    let id = manage::create(&state, &user, input).await?;
    Ok(super::created(id, format!("/api/v1/postings/{id}")))
}

/// One owned posting.
#[utoipa::path(get, path = "/postings/{id}", params(("id" = uuid::Uuid, Path, description = "The id")), tag = "team",
    responses((status = 200, body = PostingView), (status = 403, body = super::Problem), (status = 404, body = super::Problem)))]
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Json<PostingView>> {
    let header = manage::owned(&state, &user, id).await?;
    Ok(Json(PostingView {
        header,
        fields: postings::load(&state.db, id).await?,
        history: postings::revisions(&state.db, id).await?,
    }))
}

/// Edit an owned posting (a published one keeps the change in its history).
#[utoipa::path(put, path = "/postings/{id}", params(("id" = uuid::Uuid, Path, description = "The id")), tag = "team", request_body = PostingInput,
    responses((status = 204), (status = 403, body = super::Problem), (status = 409, body = super::Problem), (status = 422, body = super::Problem)))]
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    JsonBody(input): JsonBody<PostingInput>,
) -> Result<StatusCode> {
    manage::update(&state, &user, id, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Publish a draft.
#[utoipa::path(post, path = "/postings/{id}/publish", params(("id" = uuid::Uuid, Path, description = "The id")), tag = "team",
    responses((status = 204), (status = 403, body = super::Problem), (status = 409, body = super::Problem)))]
pub async fn publish(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode> {
    manage::publish(&state, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Close an open posting.
#[utoipa::path(post, path = "/postings/{id}/close", params(("id" = uuid::Uuid, Path, description = "The id")), tag = "team",
    responses((status = 204), (status = 403, body = super::Problem), (status = 409, body = super::Problem)))]
pub async fn close(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode> {
    manage::close(&state, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Skills named in a description, and a job profile's required skills.
#[utoipa::path(post, path = "/postings/suggest-skills", tag = "team", request_body = SuggestRequest,
    responses((status = 200, body = Vec<Suggestion>)))]
pub async fn suggest(
    State(state): State<AppState>,
    JsonBody(r): JsonBody<SuggestRequest>,
) -> Result<Json<Vec<Suggestion>>> {
    Ok(Json(
        crate::db::skill_suggestions::suggest(&state.db, &r.description, r.job_profile_id).await?,
    ))
}
