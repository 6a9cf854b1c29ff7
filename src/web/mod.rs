//! The HTML application: routes, middleware, and one module per area.

pub mod account;
pub mod alerts;
pub mod applications;
pub mod assets;
pub mod auth;
pub mod careers;
pub mod health;
pub mod home;
pub mod hr;
pub mod hr_admin;
pub mod learning;
pub mod mentors;
pub mod notifications;
pub mod offers;
pub mod opportunities;
pub mod oversight;
pub mod password_reset;
pub mod plans;
pub mod postings;
pub mod profile;
pub mod prometheus;
pub mod skill_proposals;
pub mod sso;
pub mod succession;
pub mod talent_pools;
pub mod team;
pub mod tokens;

use axum::middleware::from_fn;
use axum::routing::{get, post};
use axum::Router;

use crate::app::state::AppState;
use crate::http::session;

/// Every HTML page, each area behind the role it needs.
pub fn router() -> Router<AppState> {
    let public = Router::new()
        .route("/login", get(auth::login_form).post(auth::login))
        .route(
            "/login/forgot",
            get(password_reset::forgot_form).post(password_reset::forgot),
        )
        .route(
            "/login/reset/{token}",
            get(password_reset::reset_form).post(password_reset::reset),
        )
        .route("/login/oidc", get(sso::start))
        .route("/login/oidc/callback", get(sso::callback))
        .route("/static/{name}", get(assets::serve));

    let employee = Router::new()
        .route("/", get(home::page))
        .route("/logout", post(auth::logout))
        .route(
            "/account/password",
            get(account::page).post(account::submit),
        )
        .route(
            "/people/{id}/conversations",
            get(team::reports::conversations),
        )
        .route("/moves/{id}/return", post(team::reports::record_return))
        .route("/moves/returns-due", get(team::reports::returns_due))
        .route("/applications/{id}/accept", post(offers::accept))
        .route("/applications/{id}/decline", post(offers::decline))
        .route("/opportunities", get(opportunities::browse))
        .route("/opportunities/{id}", get(opportunities::show))
        .route("/opportunities/{id}/save", post(opportunities::save))
        .route("/opportunities/{id}/unsave", post(opportunities::unsave))
        .route(
            "/opportunities/{id}/apply",
            get(opportunities::apply_form).post(opportunities::apply_submit),
        )
        .route("/applications", get(applications::page))
        .route("/applications/{id}", get(applications::show))
        .route(
            "/applications/{id}/withdraw",
            post(applications::withdraw_post),
        )
        .route(
            "/skills/proposals",
            get(skill_proposals::page).post(skill_proposals::create),
        )
        .route("/alerts", get(alerts::page).post(alerts::create_post))
        .route("/alerts/{id}/on", post(alerts::turn_on))
        .route("/alerts/{id}/off", post(alerts::turn_off))
        .route("/alerts/{id}/delete", post(alerts::delete))
        .route("/notifications", get(notifications::page))
        .route("/notifications/read", post(notifications::read_all))
        .route("/notifications/{id}/read", post(notifications::read_one))
        .route("/profile", get(profile::page))
        .route("/mentors", get(mentors::page))
        .route("/mentors/requests", post(mentors::ask))
        .route("/mentors/requests/{id}/accept", post(mentors::accept))
        .route("/mentors/requests/{id}/decline", post(mentors::decline))
        .route("/plans", get(plans::list))
        .route("/plans/{id}", get(plans::show))
        .route("/plans/{id}/steps/{step_id}/done", post(plans::step_done))
        .route("/plans/{id}/status", post(plans::status))
        .route("/careers", get(careers::page))
        .route("/careers/{profile_id}", get(careers::target_page))
        .route("/careers/{profile_id}/plan", post(careers::plan))
        .route("/learning", get(learning::page))
        .route("/learning/courses/{id}", get(learning::course))
        .route("/learning/courses/{id}/enrol", post(learning::enrol))
        .route(
            "/learning/enrolments/{id}/progress",
            post(learning::progress),
        )
        .route("/profile/skills", post(profile::add_skill))
        .route("/profile/skills/{skill_id}", post(profile::change_level))
        .route(
            "/profile/skills/{skill_id}/mentoring",
            post(profile::mentoring),
        )
        .route("/profile/skills/{skill_id}/remove", post(profile::remove))
        .route("/profile/aspirations", post(profile::save_aspirations))
        .route_layer(from_fn(session::require_user));

    let manager = Router::new()
        .route("/team", get(team::page))
        .route("/team/{id}", get(team::reports::page))
        .route(
            "/team/{id}/skills/{skill_id}",
            post(team::reports::validate_skill),
        )
        .route(
            "/team/{id}/conversations",
            post(team::reports::add_conversation),
        )
        .route("/team/approvals/{id}", post(team::reports::decide))
        .route_layer(from_fn(session::require_manager));
    let posting = postings::routes()
        .route("/postings", get(team::postings))
        .route_layer(from_fn(session::require_manager_or_hr));

    let hr = Router::new()
        .route("/hr", get(hr::page))
        .route("/hr/tokens", get(tokens::page).post(tokens::create))
        .route("/hr/tokens/{id}/revoke", post(tokens::revoke))
        .route("/hr/dashboard", get(hr::dashboard::page))
        .route("/hr/dashboard/{file}", get(hr::dashboard::csv))
        .route("/hr/policy", get(hr::policy::page).post(hr::policy::save))
        .route("/hr/audit", get(hr::audit::page))
        .route("/hr/people", get(hr::people::directory))
        .route("/hr/moves", get(hr::people::moves))
        .route("/hr/people/{id}", get(hr::people::record))
        .route(
            "/hr/people/{id}/identities/unlink",
            post(hr::people::unlink),
        )
        .route_layer(from_fn(session::require_hr));

    Router::new()
        .merge(public)
        .merge(employee)
        .merge(manager)
        .merge(posting)
        .merge(hr)
        .merge(hr_admin::router())
        .merge(succession_routes())
}

/// Succession plans: HR's company-wide pages, a manager's for their team, a successor's own.
fn succession_routes() -> Router<AppState> {
    Router::new()
        .merge(succession::routes(succession::Area::Hr).route_layer(from_fn(session::require_hr)))
        .merge(
            succession::routes(succession::Area::Team)
                .route_layer(from_fn(session::require_manager)),
        )
        .merge(
            Router::new()
                .route(
                    "/hr/talent-pools",
                    get(talent_pools::list).post(talent_pools::create),
                )
                .route("/hr/talent-pools/{id}", get(talent_pools::show))
                .route("/hr/talent-pools/{id}/members", post(talent_pools::add))
                .route(
                    "/hr/talent-pools/{id}/members/{person_id}/remove",
                    post(talent_pools::remove),
                )
                .route("/hr/talent-pools/{id}/delete", post(talent_pools::delete))
                .route("/hr/openings", get(oversight::page))
                .route_layer(from_fn(session::require_hr)),
        )
        .route(
            "/succession/mine",
            get(succession::mine).route_layer(from_fn(session::require_user)),
        )
}
