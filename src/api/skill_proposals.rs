//! Proposing a skill the taxonomy lacks, and HR's queue of proposals: the JSON twins of
//! `/skills/proposals` and `/hr/skills/proposals` (`service::taxonomy::proposals`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json as JsonResponse;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{created, Created, Made, Problem};
use crate::app::state::AppState;
use crate::error::{AppError, Result};
use crate::http::extract::{Json, Path, Query};
use crate::http::session::CurrentUser;
use crate::service::taxonomy::proposals::{self, DecisionInput, Proposal, ProposalInput};

/// Propose a skill: from your profile (a skill you hold, with `level`; added to your profile
/// when HR approves) or for a posting. 422 when the name is already a skill or an alias.
#[utoipa::path(post, path = "/me/skill-proposals", tag = "people", request_body = ProposalInput,
    responses((status = 201, body = Created), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn propose(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(input): Json<ProposalInput>,
) -> Result<Made<Created>> {
    let id = proposals::propose(&state, &user, &input).await?;
    Ok(created(id, format!("/api/v1/me/skill-proposals/{id}")))
}

/// One of your proposals, with HR's decision once made.
#[utoipa::path(get, path = "/me/skill-proposals/{id}", tag = "people",
    params(("id" = Uuid, Path, description = "The proposal")),
    responses((status = 200, body = Proposal), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<JsonResponse<Proposal>> {
    proposals::mine(&state, user.id)
        .await?
        .into_iter()
        .find(|p| p.id == id)
        .map(JsonResponse)
        .ok_or(AppError::NotFound)
}

/// Your proposals, newest first (at most 100).
#[utoipa::path(get, path = "/me/skill-proposals", tag = "people",
    responses((status = 200, body = Vec<Proposal>), (status = 401, body = Problem)))]
pub async fn mine(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<JsonResponse<Vec<Proposal>>> {
    Ok(JsonResponse(proposals::mine(&state, user.id).await?))
}

/// `?page=&page_size=`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// From 1.
    pub page: Option<String>,
    /// 1 to 200 (default 50).
    pub page_size: Option<String>,
}

/// A page of HR's queue.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProposalPage {
    pub items: Vec<Proposal>,
    /// Pending proposals on all pages.
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

/// HR: the pending proposals, oldest first.
#[utoipa::path(get, path = "/hr/skill-proposals", tag = "hr-admin", params(QueueQuery),
    responses((status = 200, body = ProposalPage), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 422, body = Problem)))]
pub async fn queue(
    State(state): State<AppState>,
    Query(q): Query<QueueQuery>,
) -> Result<JsonResponse<ProposalPage>> {
    let mut errors = Vec::new();
    let page = crate::domain::params::page(&mut errors, &q.page);
    let page_size =
        crate::domain::params::number(&mut errors, "page_size", &q.page_size, 50, 1..=200);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let (items, total) = proposals::queue(&state, page, page_size).await?;
    Ok(JsonResponse(ProposalPage {
        items,
        total,
        page,
        page_size,
    }))
}

/// HR: approve a proposal (as a new skill, or as an alias of `alias_of`) or reject it with a
/// note. The proposer is told; 409 once decided.
#[utoipa::path(post, path = "/hr/skill-proposals/{id}/decision", tag = "hr-admin",
    params(("id" = Uuid, Path, description = "The proposal")), request_body = DecisionInput,
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Json(input): Json<DecisionInput>,
) -> Result<StatusCode> {
    proposals::decide(&state, &user, id, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}
