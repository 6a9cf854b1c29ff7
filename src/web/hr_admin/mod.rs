//! HR administration pages: the bulk import from the HR system, the skill taxonomy (search,
//! edit, merge, ESCO import), the job architecture and the course catalogue. HR only (the router is wrapped in `require_hr`).

pub mod architecture;
pub mod courses;
pub mod import;
pub mod job_pages;
pub mod multipart;
pub mod path_graph;
pub mod proposals;
pub mod skill_links;
pub mod skills;

use axum::extract::DefaultBodyLimit;
use axum::middleware::from_fn;
use axum::routing::{get, post};
use axum::Router;

use crate::app::state::AppState;
use crate::http::session::require_hr;
use crate::service::imports::UPLOAD_LIMIT;

/// The routes under `/hr/import` and `/hr/skills`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/hr/import", get(import::form).post(import::upload))
        .route("/hr/import/jobs/{id}", get(import::job))
        .route("/hr/architecture", get(architecture::page))
        .route("/hr/architecture/paths", post(architecture::post_path))
        .route("/hr/architecture/{kind}", post(job_pages::create))
        .route("/hr/architecture/{kind}/new", get(job_pages::new_form))
        .route(
            "/hr/architecture/{kind}/{id}",
            get(job_pages::edit_form).post(job_pages::update),
        )
        .route("/hr/courses", get(courses::page).post(courses::create))
        .route("/hr/courses/new", get(courses::new_form))
        .route(
            "/hr/courses/{id}",
            get(courses::edit_form).post(courses::update),
        )
        .route("/hr/courses/{id}/retire", post(courses::retire))
        .route("/hr/skills", get(skills::list))
        .route("/hr/skills/merge", post(skills::merge))
        .route("/hr/skills/proposals", get(proposals::list))
        .route(
            "/hr/skills/proposals/{id}/decision",
            post(proposals::decide),
        )
        .route("/hr/skills/esco", post(skills::esco))
        .route("/hr/skills/{id}", get(skills::edit_form).post(skills::edit))
        .route("/hr/skills/{id}/aliases", post(skill_links::post_alias))
        .route(
            "/hr/skills/{id}/aliases/remove",
            post(skill_links::post_remove_alias),
        )
        .route("/hr/skills/{id}/related", post(skill_links::post_related))
        .route(
            "/hr/skills/{id}/related/remove",
            post(skill_links::post_remove_related),
        )
        .layer(DefaultBodyLimit::max(UPLOAD_LIMIT))
        .route_layer(from_fn(require_hr))
}
