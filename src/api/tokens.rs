//! JSON twin of `/hr/tokens`: list, create (the secret is in the answer, once), revoke.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json as JsonResponse;
use serde::Serialize;
use uuid::Uuid;

use crate::api::Problem;
use crate::app::state::AppState;
use crate::db::tokens::{self, ApiToken};
use crate::error::Result;
use crate::http::extract::{Json, Path};
use crate::http::session::CurrentUser;
use crate::service::tokens::{self as service, NewToken};

/// A token just created, with its secret: shown once, only a hash is kept.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedToken {
    pub id: Uuid,
    /// Send as `Authorization: Bearer <secret>`.
    pub secret: String,
}

/// All API tokens, newest first (never their secrets).
#[utoipa::path(get, path = "/hr/tokens", tag = "integrations",
    responses((status = 200, body = Vec<ApiToken>), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list(State(state): State<AppState>) -> Result<JsonResponse<Vec<ApiToken>>> {
    Ok(JsonResponse(tokens::list(&state.db).await?))
}

/// Create a token with scopes and an expiry.
#[utoipa::path(post, path = "/hr/tokens", tag = "integrations", request_body = NewToken,
    responses((status = 201, body = CreatedToken), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(new): Json<NewToken>,
) -> Result<super::Made<CreatedToken>> {
    let (id, secret) = service::create(&state, user.id, &new).await?;
    Ok(super::made(
        "/api/v1/hr/tokens".into(),
        CreatedToken { id, secret },
    ))
}

/// Revoke a token: it is refused from the next request on.
#[utoipa::path(post, path = "/hr/tokens/{id}/revoke", tag = "integrations",
    params(("id" = Uuid, Path, description = "The token")),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn revoke(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode> {
    service::revoke(&state, id, user.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
