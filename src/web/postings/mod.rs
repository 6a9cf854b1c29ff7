//! The manager's posting pages: write and manage openings, review applicants, find talent.

pub mod applicants;
pub mod form;
pub mod pages;

use axum::routing::{get, post};
use axum::Router;

use crate::app::state::AppState;

/// Routes under `/postings` (the caller adds `require_manager`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/postings/new", get(pages::new).post(pages::create))
        .route("/postings/{id}", get(pages::show))
        .route("/postings/{id}/edit", get(pages::edit).post(pages::save))
        .route("/postings/{id}/publish", post(pages::publish))
        .route("/postings/{id}/close", post(pages::close))
        .route("/postings/{id}/applicants", get(applicants::list))
        .route(
            "/postings/{id}/applicants/{application_id}",
            get(applicants::show),
        )
        .route(
            "/postings/{id}/applicants/{application_id}/stage",
            post(applicants::transition),
        )
        .route("/postings/{id}/talent", get(applicants::talent))
        .route(
            "/postings/{id}/talent/{person_id}/invite",
            post(applicants::invite),
        )
}
