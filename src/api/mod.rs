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

mod account;
mod alerts;
mod applications;
mod careers;
pub mod conventions;
pub mod docs;
mod exports;
mod hr_admin;
mod imports;
// `hr` would shadow the `service::hr` import below.
#[path = "hr.rs"]
mod hr_settings;
mod learning;
mod matching;
mod mentors;
mod metrics;
mod opportunities;
mod people;
mod pipeline;
mod postings;
mod preferences;
mod profile;
mod skill_proposals;
mod succession;
mod talent_pools;
mod team_api;
mod tokens;

use crate::app::state::AppState;
use crate::error::Result;
use crate::http::session::{
    require_hr, require_manager, require_manager_or_hr, require_user, CurrentUser,
};
use crate::service::{home, hr, team};

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
        (name = "learning", description = "Courses, enrolments, development plans, mentors"),
        (name = "matching", description = "Fit scores, talent search, recommendations, learning paths"),
        (name = "opportunities", description = "Browse, save and apply to openings"),
        (name = "applications", description = "My applications and notifications"),
        (name = "alerts", description = "Saved searches and job alerts"),
        (name = "hr-admin", description = "HR administration: imports, the skill taxonomy, ESCO"),
        (name = "integrations", description = "API tokens and exports for other systems"),
    )
)]
pub struct ApiDoc;

/// Give every operation a unique `operationId`, as OpenAPI requires: utoipa names an operation
/// after its handler, and several modules have a `list` or a `show`. A name used more than once
/// becomes `<method>_<path>` (e.g. `get_me_applications_id`), which stays stable and readable.
fn unique_operation_ids(doc: &mut utoipa::openapi::OpenApi) {
    use std::collections::HashMap;
    let mut seen: HashMap<String, usize> = HashMap::new();
    for item in doc.paths.paths.values() {
        for op in operations(item).into_iter().flatten() {
            if let Some(id) = &op.operation_id {
                *seen.entry(id.clone()).or_default() += 1;
            }
        }
    }
    for (path, item) in doc.paths.paths.iter_mut() {
        let slug: String = path
            .trim_start_matches("/api/v1/")
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join("_");
        for (method, op) in [
            ("get", &mut item.get),
            ("put", &mut item.put),
            ("post", &mut item.post),
            ("delete", &mut item.delete),
            ("patch", &mut item.patch),
        ] {
            if let Some(op) = op {
                let duplicated = op
                    .operation_id
                    .as_ref()
                    .is_none_or(|id| seen.get(id).copied().unwrap_or(0) > 1);
                if duplicated {
                    op.operation_id = Some(format!("{method}_{slug}"));
                }
            }
        }
    }
}

fn operations(item: &utoipa::openapi::PathItem) -> [Option<&utoipa::openapi::path::Operation>; 5] {
    [
        item.get.as_ref(),
        item.put.as_ref(),
        item.post.as_ref(),
        item.delete.as_ref(),
        item.patch.as_ref(),
    ]
}

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
    /// RFC 6901 JSON pointer to the offending input (`/skills/2/level`); a query parameter
    /// is a member of the query (`/limit`).
    pub pointer: String,
    pub detail: String,
}

/// The id of something created, and where to read it (the same as the `Location` header).
#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    pub id: uuid::Uuid,
    /// Where to read what was created, or the list that shows it.
    pub location: String,
}

/// A 201 answer: `body`, with the `Location` header every 201 sends (see `conventions`).
pub type Made<T> = (
    axum::http::StatusCode,
    [(axum::http::HeaderName, String); 1],
    Json<T>,
);

/// A 201 answer with `body`, created at `location`.
pub fn made<T>(location: String, body: T) -> Made<T> {
    (
        axum::http::StatusCode::CREATED,
        [(axum::http::header::LOCATION, location)],
        Json(body),
    )
}

/// A 201 answer naming what was created and where.
pub fn created(id: uuid::Uuid, location: String) -> Made<Created> {
    made(location.clone(), Created { id, location })
}

/// Routes of `/api/v1`, with their documentation.
pub fn router() -> OpenApiRouter<AppState> {
    let employee = OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(employee_home))
        .routes(routes!(profile::set_level, profile::remove))
        .routes(routes!(profile::search))
        .routes(routes!(skill_proposals::mine, skill_proposals::propose))
        .routes(routes!(skill_proposals::show))
        .routes(routes!(learning::catalogue))
        .routes(routes!(learning::course))
        .routes(routes!(learning::enrol))
        .routes(routes!(learning::mine))
        .routes(routes!(learning::progress))
        .routes(routes!(careers::paths))
        .routes(routes!(careers::career_moves))
        .routes(routes!(careers::target))
        .routes(routes!(careers::save_plan))
        .routes(routes!(careers::list))
        .routes(routes!(careers::show))
        .routes(routes!(careers::step_done))
        .routes(routes!(careers::status))
        .routes(routes!(mentors::find))
        .routes(routes!(mentors::mine, mentors::ask))
        .routes(routes!(mentors::accept))
        .routes(routes!(mentors::decline))
        .routes(routes!(profile::me))
        .routes(routes!(profile::list, profile::add))
        .routes(routes!(profile::get_aspirations, profile::put_aspirations))
        .routes(routes!(matching::recommendations))
        .routes(routes!(matching::learning_path))
        .routes(routes!(matching::talent))
        .routes(routes!(pipeline::accept))
        .routes(routes!(pipeline::decline))
        .routes(routes!(pipeline::returns_due))
        .routes(routes!(pipeline::record_return))
        .routes(routes!(team_api::conversations))
        .routes(routes!(opportunities::browse))
        .routes(routes!(opportunities::show))
        .routes(routes!(opportunities::save, opportunities::unsave))
        .routes(routes!(opportunities::apply))
        .routes(routes!(applications::list))
        .routes(routes!(applications::show))
        .routes(routes!(applications::withdraw))
        .routes(routes!(applications::notifications))
        .routes(routes!(applications::read_one))
        .routes(routes!(applications::read_all))
        .routes(routes!(alerts::list, alerts::create))
        .routes(routes!(alerts::update, alerts::delete))
        .routes(routes!(preferences::get, preferences::put))
        .routes(routes!(account::put_password))
        .route_layer(from_fn(require_user));
    let manager = OpenApiRouter::new()
        .routes(routes!(team_home))
        .routes(routes!(postings, postings::create))
        .routes(routes!(team_api::report))
        .routes(routes!(team_api::validate_skill))
        .routes(routes!(team_api::decide))
        .routes(routes!(team_api::add_conversation))
        .route_layer(from_fn(require_manager));
    // A posting's owner, or HR (the handlers check ownership).
    let posting = OpenApiRouter::new()
        .routes(routes!(postings::show, postings::update))
        .routes(routes!(postings::publish))
        .routes(routes!(postings::close))
        .routes(routes!(postings::suggest))
        .routes(routes!(pipeline::list))
        .routes(routes!(pipeline::show))
        .routes(routes!(pipeline::transition))
        .routes(routes!(pipeline::talent))
        .routes(routes!(pipeline::invite))
        .route_layer(from_fn(require_manager_or_hr));
    let hr = OpenApiRouter::new()
        .routes(routes!(headlines))
        .routes(routes!(tokens::list, tokens::create))
        .routes(routes!(tokens::revoke))
        .routes(routes!(exports::export))
        .routes(routes!(metrics::all))
        .routes(routes!(metrics::one))
        .routes(routes!(
            hr_settings::policy_history,
            hr_settings::policy_change
        ))
        .routes(routes!(hr_settings::audit_trail))
        .routes(routes!(people::list))
        .routes(routes!(people::show))
        .routes(routes!(people::unlink))
        .routes(routes!(people::moves))
        .routes(routes!(skill_proposals::queue))
        .routes(routes!(skill_proposals::decide))
        .route_layer(from_fn(require_hr));
    OpenApiRouter::new()
        .merge(employee)
        .merge(manager)
        .merge(posting)
        .merge(hr)
        .merge(hr_admin::router())
        .merge(imports::router())
        .merge(succession_routes())
}

/// Succession plans: HR sees every plan, a manager their team's (the service checks).
fn succession_routes() -> OpenApiRouter<AppState> {
    let plans = OpenApiRouter::new()
        .routes(routes!(succession::list, succession::mark))
        .routes(routes!(succession::show, succession::unmark))
        .routes(routes!(succession::proposed))
        .routes(routes!(succession::add))
        .routes(routes!(succession::band, succession::remove))
        .routes(routes!(succession::start_plan))
        .route_layer(from_fn(require_manager_or_hr));
    let mine = OpenApiRouter::new()
        .routes(routes!(succession::mine))
        .route_layer(from_fn(require_user));
    let hr = OpenApiRouter::new()
        .routes(routes!(succession::bench))
        .routes(routes!(succession::openings))
        .routes(routes!(talent_pools::list, talent_pools::create))
        .routes(routes!(talent_pools::show, talent_pools::delete))
        .routes(routes!(talent_pools::add))
        .routes(routes!(talent_pools::remove))
        .route_layer(from_fn(require_hr));
    OpenApiRouter::new().merge(plans).merge(mine).merge(hr)
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
