//! JSON twins of the applicants pages, offers, talent and secondment returns.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use time::Date;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::moves::{self, ReturnDue};
use crate::domain::application::ApplicationStatus;
use crate::error::Result;
use crate::http::extract::{Json as JsonBody, Path, Query};
use crate::http::session::CurrentUser;
use crate::service::applications::stage::{self, Change};
use crate::service::postings as manage;
use crate::service::postings::applicants::{self, Applicant, ApplicationDetail, Talent};

/// `?stage=` filter.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StageFilter {
    pub stage: Option<ApplicationStatus>,
}

/// A stage change asked by the owner.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TransitionRequest {
    pub to: ApplicationStatus,
    /// Required for `rejected`.
    #[serde(default)]
    pub reason: String,
    /// For `accepted`: the proposed start date (no later than the policy's release limit).
    #[serde(default, with = "crate::domain::iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub start_on: Option<Date>,
}

/// The applicant's answer to an offer.
/// Send `{}` when there is nothing to add.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct OfferAnswer {
    #[serde(default, with = "crate::domain::iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub start_on: Option<Date>,
    #[serde(default)]
    pub reason: String,
}

/// An invitation to apply.
#[derive(Debug, Deserialize, ToSchema)]
pub struct InviteRequest {
    pub person_id: Uuid,
    #[serde(default)]
    pub message: String,
}

/// Applicants of an owned posting, best fit first.
#[utoipa::path(get, path = "/postings/{id}/applicants", tag = "team", params(("id" = uuid::Uuid, Path, description = "The id"), StageFilter),
    responses((status = 200, body = Vec<Applicant>), (status = 403, body = super::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Query(f): Query<StageFilter>,
) -> Result<Json<Vec<Applicant>>> {
    manage::owned(&state, &user, id).await?;
    Ok(Json(applicants::ranked(&state, id, f.stage).await?))
}

/// One application of an owned posting.
#[utoipa::path(get, path = "/postings/{id}/applicants/{application_id}", params(("id" = uuid::Uuid, Path, description = "The id"), ("application_id" = uuid::Uuid, Path, description = "The application id")), tag = "team",
    responses((status = 200, body = ApplicationDetail), (status = 403, body = super::Problem), (status = 404, body = super::Problem)))]
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, application)): Path<(Uuid, Uuid)>,
) -> Result<Json<ApplicationDetail>> {
    manage::owned(&state, &user, id).await?;
    Ok(Json(applicants::detail(&state, id, application).await?))
}

/// Move an application along the pipeline (owner or HR).
#[utoipa::path(post, path = "/applications/{id}/transition", params(("id" = uuid::Uuid, Path, description = "The id")), tag = "team", request_body = TransitionRequest,
    responses((status = 204), (status = 403, body = super::Problem), (status = 409, body = super::Problem), (status = 422, body = super::Problem)))]
pub async fn transition(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    JsonBody(r): JsonBody<TransitionRequest>,
) -> Result<StatusCode> {
    stage::move_on(
        &state,
        &user,
        id,
        Change {
            to: r.to,
            reason: r.reason,
            start_on: r.start_on,
        },
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The applicant accepts their offer.
#[utoipa::path(post, path = "/applications/{id}/accept", params(("id" = uuid::Uuid, Path, description = "The id")), tag = "people", request_body = OfferAnswer,
    responses((status = 204), (status = 404, body = super::Problem), (status = 409, body = super::Problem), (status = 422, body = super::Problem)))]
pub async fn accept(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    JsonBody(a): JsonBody<OfferAnswer>,
) -> Result<StatusCode> {
    stage::answer_offer(
        &state,
        &user,
        id,
        Change {
            to: ApplicationStatus::Accepted,
            reason: a.reason,
            start_on: a.start_on,
        },
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The applicant declines their offer.
#[utoipa::path(post, path = "/applications/{id}/decline", params(("id" = uuid::Uuid, Path, description = "The id")), tag = "people", request_body = OfferAnswer,
    responses((status = 204), (status = 404, body = super::Problem), (status = 409, body = super::Problem)))]
pub async fn decline(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    JsonBody(a): JsonBody<OfferAnswer>,
) -> Result<StatusCode> {
    stage::answer_offer(
        &state,
        &user,
        id,
        Change {
            to: ApplicationStatus::Declined,
            reason: a.reason,
            start_on: None,
        },
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// People who fit an owned open posting and have not applied (eligible, open to it, discoverable).
#[utoipa::path(get, path = "/postings/{id}/talent", params(("id" = uuid::Uuid, Path, description = "The id"), TalentParams), tag = "team",
    responses((status = 200, body = Vec<Talent>), (status = 403, body = super::Problem), (status = 409, body = super::Problem),
              (status = 422, body = super::Problem)))]
pub async fn talent(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Query(q): Query<TalentParams>,
) -> Result<Json<Vec<Talent>>> {
    manage::owned(&state, &user, id).await?;
    let members = match crate::service::talent_pools::parse_pool(q.pool.as_deref(), "/pool")? {
        Some(p) => Some(crate::service::talent_pools::members(&state.db, p, "/pool").await?),
        None => None,
    };
    Ok(Json(
        applicants::talent_where(&state, id, 30, members).await?,
    ))
}

/// `?pool=`: only people in this talent pool.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TalentParams {
    /// A talent pool's id.
    pub pool: Option<String>,
}

/// Invite a person to apply (once per person and posting).
#[utoipa::path(post, path = "/postings/{id}/invitations", params(("id" = uuid::Uuid, Path, description = "The id")), tag = "team", request_body = InviteRequest,
    responses((status = 201, body = super::Created), (status = 403, body = super::Problem), (status = 409, body = super::Problem)))]
pub async fn invite(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    JsonBody(r): JsonBody<InviteRequest>,
) -> Result<super::Made<super::Created>> {
    manage::owned(&state, &user, id).await?;
    let posting = id;
    let id = applicants::invite(&state, posting, r.person_id, user.id, &r.message).await?;
    // An invitation has no address of its own: it shows in the posting's talent list.
    Ok(super::created(
        id,
        format!("/api/v1/postings/{posting}/talent"),
    ))
}

/// Secondment returns that are due, for HR (all) or a manager (their people and postings).
#[utoipa::path(get, path = "/moves/returns-due", tag = "team",
    responses((status = 200, body = Vec<ReturnDue>)))]
pub async fn returns_due(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<ReturnDue>>> {
    Ok(Json(
        moves::returns_due(&state.db, stage::requester(&user), crate::domain::today()).await?,
    ))
}

/// Record the return from a secondment on its planned end date.
#[utoipa::path(post, path = "/moves/{id}/return", params(("id" = uuid::Uuid, Path, description = "The id")), tag = "team",
    responses((status = 201, body = super::Created), (status = 404, body = super::Problem), (status = 409, body = super::Problem)))]
pub async fn record_return(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<super::Made<super::Created>> {
    let id = moves::record_return(
        &state.db,
        id,
        stage::requester(&user),
        crate::domain::today(),
    )
    .await?;
    // The return is a move: it shows among the moves that are due and in HR's moves.
    Ok(super::created(id, "/api/v1/moves/returns-due".into()))
}
