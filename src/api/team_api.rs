//! JSON twins of the team pages: a report, validating skills, project hours, conversations.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::team::{self, Conversation, NewConversation, ReportDetail};
use crate::error::{AppError, Result};
use crate::http::extract::{Json as JsonBody, Path};
use crate::http::session::CurrentUser;
use crate::service::team::{conversations, decisions};

/// A validated level.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LevelRequest {
    #[schema(minimum = 1, maximum = 5)]
    pub level: i16,
}

/// `approve` or `decline`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Decision {
    pub decision: String,
}

/// One direct report in full.
#[utoipa::path(get, path = "/team/reports/{id}", params(("id" = uuid::Uuid, Path, description = "The id")), tag = "team",
    responses((status = 200, body = ReportDetail), (status = 404, body = super::Problem)))]
pub async fn report(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Json<ReportDetail>> {
    Ok(Json(team::report(&state.db, user.id, id).await?))
}

/// Validate or adjust a report's skill level.
#[utoipa::path(put, path = "/team/reports/{id}/skills/{skill_id}", params(("id" = uuid::Uuid, Path, description = "The id"), ("skill_id" = uuid::Uuid, Path, description = "The skill id")), tag = "team", request_body = LevelRequest,
    responses((status = 204), (status = 404, body = super::Problem), (status = 422, body = super::Problem)))]
pub async fn validate_skill(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, skill)): Path<(Uuid, Uuid)>,
    JsonBody(r): JsonBody<LevelRequest>,
) -> Result<StatusCode> {
    decisions::validate_skill(&state, user.id, id, skill, r.level).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Approve or decline a report's project hours.
#[utoipa::path(post, path = "/team/approvals/{application_id}", params(("application_id" = uuid::Uuid, Path, description = "The application id")), tag = "team", request_body = Decision,
    responses((status = 204), (status = 404, body = super::Problem), (status = 409, body = super::Problem)))]
pub async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    JsonBody(d): JsonBody<Decision>,
) -> Result<StatusCode> {
    let approve = match d.decision.as_str() {
        "approve" => true,
        "decline" => false,
        _ => return Err(AppError::field("/decision", "approve or decline")),
    };
    decisions::decide_hours(&state, user.id, id, approve).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Record a career conversation with a report.
#[utoipa::path(post, path = "/team/reports/{id}/conversations", params(("id" = uuid::Uuid, Path, description = "The id")), tag = "team", request_body = NewConversation,
    responses((status = 201, body = super::Created), (status = 404, body = super::Problem), (status = 422, body = super::Problem)))]
pub async fn add_conversation(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    JsonBody(c): JsonBody<NewConversation>,
) -> Result<super::Made<super::Created>> {
    let person = id;
    let id = conversations::add(&state, user.id, person, c, crate::domain::today()).await?;
    Ok(super::created(
        id,
        format!("/api/v1/people/{person}/conversations"),
    ))
}

/// A person's career conversations: for the person, their manager and HR only.
#[utoipa::path(get, path = "/people/{id}/conversations", params(("id" = uuid::Uuid, Path, description = "The id")), tag = "people",
    responses((status = 200, body = Vec<Conversation>), (status = 404, body = super::Problem)))]
pub async fn conversations(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Json<Vec<Conversation>>> {
    conversations::ensure_may_see(&state, &user, id).await?;
    Ok(Json(team::conversations(&state.db, id).await?))
}
