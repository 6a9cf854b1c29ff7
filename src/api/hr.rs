//! HR settings and the audit trail through the API: the mobility policy and its history, and
//! the append-only audit log.

use axum::extract::State;
use axum::Json as JsonResponse;

use crate::app::state::AppState;
use crate::domain::policy::MobilityPolicy;
use crate::error::Result;
use crate::http::extract::{Json, Query};
use crate::http::session::CurrentUser;
use crate::service::hr::audit::{self, AuditPage, AuditQuery};
use crate::service::hr::policy::{self, PolicyInput, PolicyVersion};

/// Every version of the mobility policy, newest (in force) first.
#[utoipa::path(get, path = "/hr/policy", tag = "hr",
    responses((status = 200, body = Vec<PolicyVersion>), (status = 403, body = super::Problem)))]
pub async fn policy_history(
    State(state): State<AppState>,
) -> Result<JsonResponse<Vec<PolicyVersion>>> {
    Ok(JsonResponse(policy::history(&state).await?))
}

/// Change the mobility policy: a new version in force from now, audited.
#[utoipa::path(post, path = "/hr/policy", tag = "hr", request_body = PolicyInput,
    responses((status = 200, body = MobilityPolicy), (status = 403, body = super::Problem),
              (status = 422, body = super::Problem)))]
pub async fn policy_change(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(input): Json<PolicyInput>,
) -> Result<JsonResponse<MobilityPolicy>> {
    let p = input.validate()?;
    Ok(JsonResponse(policy::change(&state, &user, &p).await?))
}

/// One page of the audit trail, newest first, filtered.
#[utoipa::path(get, path = "/hr/audit", tag = "hr", params(AuditQuery),
    responses((status = 200, body = AuditPage), (status = 403, body = super::Problem),
              (status = 422, body = super::Problem)))]
pub async fn audit_trail(
    State(state): State<AppState>,
    Query(q): Query<AuditQuery>,
) -> Result<JsonResponse<AuditPage>> {
    Ok(JsonResponse(audit::load(&state, &q).await?))
}
