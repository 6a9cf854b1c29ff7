//! The JSON twin of the import page: a CSV body imported at once when it is small, or started
//! as the same background job the page starts, followed at its own URL.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::from_fn;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::Problem;
use crate::app::state::AppState;
use crate::error::{AppError, Result};
use crate::http::extract::{Path, Query};
use crate::http::session::{require_hr, CurrentUser};
use crate::import::esco::EscoReport;
use crate::import::{self, Kind, Options, Report};
use crate::service::imports::{self, SYNC_LIMIT, UPLOAD_LIMIT};
use crate::service::taxonomy::skills::{self, EscoForm};

/// The import routes, HR only.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(import_file))
        .routes(routes!(import_job))
        .routes(routes!(import_esco))
        .layer(axum::extract::DefaultBodyLimit::max(UPLOAD_LIMIT))
        .route_layer(from_fn(require_hr))
}

/// Import options.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// Import the clean rows and return the others as `rejects_csv`.
    #[serde(default)]
    pub keep_clean: bool,
}

/// An import running in the background, or finished.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportJob {
    pub id: Uuid,
    /// people, skills, moves, taxonomy or esco
    pub kind: String,
    /// `running`, `done` (see `report.applied`) or `failed` (see `error`)
    pub status: String,
    /// What the import is doing now, e.g. "Checking rows".
    pub phase: String,
    pub rows_read: i64,
    pub keep_clean: bool,
    /// The report, once the import is done: applied, or every problem by line and column.
    pub report: Option<Report>,
    /// An ESCO import's report (kind `esco`), once done.
    pub esco: Option<EscoReport>,
    /// Why a failed import failed (nothing was changed).
    pub error: Option<String>,
    /// This job's API URL (also sent as `Location`).
    pub href: String,
    /// The page that shows the same job.
    pub page: String,
}

impl ImportJob {
    fn from(job: import::jobs::Job) -> ImportJob {
        ImportJob {
            href: format!("/api/v1/hr/import/jobs/{}", job.id),
            page: format!("/hr/import/jobs/{}", job.id),
            id: job.id,
            kind: job.kind,
            status: job.status,
            phase: job.phase,
            rows_read: job.rows_read,
            keep_clean: job.keep_clean,
            report: job.report,
            esco: job.esco,
            error: job.error,
        }
    }
}

/// Import a CSV file (the request body) of people, skills, moves or taxonomy.
///
/// A body up to 1 MiB is imported at once: 200 with the report when imported, 422 with the
/// same report (every problem by line and column) when the file had problems and nothing
/// changed. A larger body, or any body with `Prefer: respond-async`, starts a background job
/// and answers 202 with the job and its URL in `Location`; follow it with
/// `GET /hr/import/jobs/{id}` until its status is no longer `running`.
#[utoipa::path(post, path = "/hr/import/{kind}", tag = "hr-admin",
    params(("kind" = Kind, Path, description = "people, skills, moves or taxonomy"), ImportParams,
           ("Prefer" = Option<String>, Header, description = "`respond-async` to always run as a background job")),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = Report), (status = 422, body = Report),
              (status = 202, body = ImportJob, headers(("Location" = String, description = "the job's URL"))),
              (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 413, body = Problem)))]
async fn import_file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(kind): Path<String>,
    Query(params): Query<ImportParams>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response> {
    let kind = Kind::parse(&kind).ok_or(AppError::NotFound)?;
    let options = Options {
        keep_clean: params.keep_clean,
    };
    if body.len() > SYNC_LIMIT || wants_async(&headers) {
        let id = import::jobs::start(&state, kind, body.to_vec(), user.id, options).await?;
        return accepted(&state, id).await;
    }
    let report = imports::import_now(&state, &user, kind, &body, options).await?;
    let status = if report.applied {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, Json(report)).into_response())
}

/// Import the ESCO classification: the body is the ESCO CSV export as downloaded from the
/// ESCO portal (a zip). Always a background job: 202 with the job and its URL in `Location`;
/// follow it with `GET /hr/import/jobs/{id}` (its `esco` report once done). A body that is
/// not that zip is 422 at `/file`, before anything starts.
#[utoipa::path(post, path = "/hr/esco", tag = "hr-admin", params(EscoForm),
    request_body(content = Vec<u8>, content_type = "application/zip"),
    responses((status = 202, body = ImportJob, headers(("Location" = String, description = "the job's URL"))),
              (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 413, body = Problem), (status = 422, body = Problem)))]
async fn import_esco(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(form): Query<EscoForm>,
    body: Bytes,
) -> Result<Response> {
    let id = skills::start_esco(&state, &user, body.to_vec(), form.occupations()).await?;
    accepted(&state, id).await
}

/// 202 with the job and its URL.
async fn accepted(state: &AppState, id: Uuid) -> Result<Response> {
    let job = import::jobs::load(&state.db, id)
        .await?
        .ok_or_else(|| AppError::Other(anyhow::anyhow!("the import job {id} vanished")))?;
    let job = ImportJob::from(job);
    let location = HeaderValue::from_str(&job.href).map_err(|e| AppError::Other(e.into()))?;
    Ok((
        StatusCode::ACCEPTED,
        [(header::LOCATION, location)],
        Json(job),
    )
        .into_response())
}

/// True when the client asked for the background job (RFC 7240 `Prefer: respond-async`).
fn wants_async(headers: &HeaderMap) -> bool {
    headers
        .get_all("prefer")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|p| p.trim().eq_ignore_ascii_case("respond-async"))
}

/// An import job: its phase and rows read while it runs, then its report or why it failed.
/// A job whose server stopped is reported failed (nothing was changed).
#[utoipa::path(get, path = "/hr/import/jobs/{id}", tag = "hr-admin",
    params(("id" = Uuid, Path, description = "the job")),
    responses((status = 200, body = ImportJob), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn import_job(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<Json<ImportJob>> {
    let job = import::jobs::load(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(ImportJob::from(job)))
}
