//! The JSON API under `/api/v1`: a twin for every page, with the same authorisation.
//! Routes are registered through `utoipa_axum`, so every route is in the OpenAPI document by
//! construction; the document is served at `/api/openapi.json`.

use axum::extract::State;
use axum::middleware::from_fn;
use axum::Json;
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[path = "hr.rs"]
mod hr_settings;
mod matching;
mod matching_support;
mod metrics;
mod profile;

use crate::error::Result;
use crate::state::AppState;
use crate::web::session::{require_hr, require_manager, require_user, CurrentUser};
use crate::web::{home, hr, team};

/// The document's header; paths and schemas come from the routes.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Trellis API",
        description = "The JSON twin of every Trellis page. Sign in with a session cookie \
                       (unsafe methods also need the X-CSRF-Token header). Errors are RFC 9457 \
                       problem+json with a pointer to the offending field.",
        license(name = "Apache-2.0")
    ),
    components(schemas(Problem, ProblemField)),
    tags(
        (name = "people", description = "The signed-in person"),
        (name = "team", description = "A manager's team and postings"),
        (name = "hr", description = "HR figures"),
        (name = "matching", description = "Fit scores, talent search, recommendations, learning paths"),
    )
)]
pub struct ApiDoc;

/// RFC 9457 problem details, as every API error is returned.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// Always `about:blank`: the status says what kind of problem it is.
    #[schema(example = "about:blank")]
    pub r#type: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// One entry per invalid input field.
    pub errors: Option<Vec<ProblemField>>,
}

/// One invalid field in a problem response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemField {
    /// JSON pointer (or form field name) of the offending input.
    pub pointer: String,
    pub detail: String,
}

/// Routes of `/api/v1`, with their documentation.
pub fn router() -> OpenApiRouter<AppState> {
    let employee = OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(employee_home))
        .routes(routes!(profile::set_level, profile::remove))
        .routes(routes!(matching::recommendations))
        .routes(routes!(matching::learning_path))
        .routes(routes!(matching::talent))
        .route_layer(from_fn(require_user));
    let manager = OpenApiRouter::new()
        .routes(routes!(team_home))
        .routes(routes!(postings))
        .route_layer(from_fn(require_manager));
    let hr = OpenApiRouter::new()
        .routes(routes!(headlines))
        .routes(routes!(metrics::all))
        .routes(routes!(metrics::one))
        .routes(routes!(
            hr_settings::policy_history,
            hr_settings::policy_change
        ))
        .routes(routes!(hr_settings::audit_trail))
        .route_layer(from_fn(require_hr));
    OpenApiRouter::new()
        .merge(employee)
        .merge(manager)
        .merge(hr)
}

/// Who is signed in, and their roles.
#[utoipa::path(get, path = "/me", tag = "people",
    responses((status = 200, body = CurrentUser), (status = 401, body = Problem)))]
async fn me(user: CurrentUser) -> Json<CurrentUser> {
    Json(user)
}

/// The employee home page's data: openings that fit, applications, learning.
#[utoipa::path(get, path = "/home", tag = "people",
    responses((status = 200, body = home::EmployeeHome), (status = 401, body = Problem)))]
async fn employee_home(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<home::EmployeeHome>> {
    Ok(Json(home::load(&state, &user).await?))
}

/// The manager's direct reports and open postings.
#[utoipa::path(get, path = "/team", tag = "team",
    responses((status = 200, body = team::TeamHome), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn team_home(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<team::TeamHome>> {
    Ok(Json(team::load(&state, &user).await?))
}

/// All the manager's postings, open ones first.
#[utoipa::path(get, path = "/postings", tag = "team",
    responses((status = 200, body = Vec<team::Posting>), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn postings(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<team::Posting>>> {
    Ok(Json(team::postings_of(&state, user.id, false).await?))
}

/// The HR home page's headline figures.
#[utoipa::path(get, path = "/hr/headlines", tag = "hr",
    responses((status = 200, body = hr::Headlines), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn headlines(State(state): State<AppState>) -> Result<Json<hr::Headlines>> {
    Ok(Json(hr::headlines(&state).await?))
}
