//! The dashboard's JSON twin: `GET /metrics` (every figure) and `GET /metrics/{key}` (one).

use axum::extract::State;
use axum::Json as JsonResponse;

use crate::app::state::AppState;
use crate::error::{AppError, Result};
use crate::http::extract::{Path, Query};
use crate::metrics::dashboard::{Dashboard, Figure, KEYS};
use crate::service::hr::dashboard::{compute, DashboardQuery};

/// Every dashboard figure for a period (default the last 12 months) and filters, each with the
/// previous period's value, its table and its chart's data.
#[utoipa::path(get, path = "/metrics", tag = "hr", params(DashboardQuery),
    responses((status = 200, body = Dashboard), (status = 403, body = super::Problem),
              (status = 422, body = super::Problem)))]
pub async fn all(
    State(state): State<AppState>,
    Query(q): Query<DashboardQuery>,
) -> Result<JsonResponse<Dashboard>> {
    Ok(JsonResponse(compute(&state, &q).await?))
}

/// One figure of the dashboard.
#[utoipa::path(get, path = "/metrics/{key}", tag = "hr",
    params(("key" = String, Path, description = "The figure, e.g. internal-fill-rate"), DashboardQuery),
    responses((status = 200, body = Figure), (status = 403, body = super::Problem),
              (status = 404, body = super::Problem), (status = 422, body = super::Problem)))]
pub async fn one(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Query(q): Query<DashboardQuery>,
) -> Result<JsonResponse<Figure>> {
    if !KEYS.contains(&key.as_str()) {
        return Err(AppError::NotFound);
    }
    let d = compute(&state, &q).await?;
    d.figure(&key)
        .cloned()
        .map(JsonResponse)
        .ok_or(AppError::NotFound)
}
