//! The JSON API under `/api/v1`: a twin for every page, with the same authorisation.

use axum::extract::State;
use axum::middleware::from_fn;
use axum::routing::get;
use axum::{Json, Router};

use crate::error::Result;
use crate::state::AppState;
use crate::web::session::{require_hr, require_manager, require_user, CurrentUser};
use crate::web::{home, hr, team};

/// Routes of `/api/v1`.
pub fn router() -> Router<AppState> {
    let employee = Router::new()
        .route("/me", get(me))
        .route("/home", get(employee_home))
        .route_layer(from_fn(require_user));
    let manager = Router::new()
        .route("/team", get(team_home))
        .route("/postings", get(postings))
        .route_layer(from_fn(require_manager));
    let hr = Router::new()
        .route("/hr/headlines", get(headlines))
        .route_layer(from_fn(require_hr));
    Router::new().merge(employee).merge(manager).merge(hr)
}

/// GET /api/v1/me: who is signed in, and their roles.
async fn me(user: CurrentUser) -> Json<CurrentUser> {
    Json(user)
}

/// GET /api/v1/home: the employee home page's data.
async fn employee_home(State(state): State<AppState>, user: CurrentUser) -> Result<Json<home::EmployeeHome>> {
    Ok(Json(home::load(&state, &user).await?))
}

/// GET /api/v1/team: the manager's reports and open postings.
async fn team_home(State(state): State<AppState>, user: CurrentUser) -> Result<Json<team::TeamHome>> {
    Ok(Json(team::load(&state, &user).await?))
}

/// GET /api/v1/postings: all the manager's postings.
async fn postings(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Vec<team::Posting>>> {
    Ok(Json(team::postings_of(&state, user.id, false).await?))
}

/// GET /api/v1/hr/headlines: the HR home page's figures.
async fn headlines(State(state): State<AppState>) -> Result<Json<hr::Headlines>> {
    Ok(Json(hr::headlines(&state).await?))
}
