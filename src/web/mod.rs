//! The HTML application: routes, middleware, and one module per area.

pub mod assets;
pub mod auth;
pub mod errors;
pub mod extract;
pub mod health;
pub mod home;
pub mod hr;
pub mod page;
pub mod session;
pub mod team;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use utoipa::OpenApi;

use crate::error::AppError;
use crate::state::AppState;

/// The whole application, HTML pages and JSON API, with its middleware.
pub fn app(state: AppState) -> Router {
    let public = Router::new()
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/healthz", get(health::healthz))
        .route("/static/{name}", get(assets::serve));

    let employee = Router::new()
        .route("/", get(home::page))
        .route("/logout", post(auth::logout))
        .route_layer(from_fn(session::require_user));

    let manager = Router::new()
        .route("/team", get(team::page))
        .route("/postings", get(team::postings))
        .route_layer(from_fn(session::require_manager));

    let hr = Router::new()
        .route("/hr", get(hr::page))
        .route("/hr/dashboard", get(hr::dashboard::page))
        .route("/hr/dashboard/{file}", get(hr::dashboard::csv))
        .route("/hr/policy", get(hr::policy::page).post(hr::policy::save))
        .route("/hr/audit", get(hr::audit::page))
        .route_layer(from_fn(session::require_hr));

    let (api, doc) =
        utoipa_axum::router::OpenApiRouter::with_openapi(crate::api::ApiDoc::openapi())
            .nest("/api/v1", crate::api::router())
            .split_for_parts();
    let doc: Arc<str> = doc
        .to_pretty_json()
        .expect("the OpenAPI document serialises")
        .into();

    Router::new()
        .merge(public)
        .merge(employee)
        .merge(manager)
        .merge(hr)
        .merge(api)
        .route(
            "/api/openapi.json",
            get(move || std::future::ready(openapi_json(&doc))),
        )
        .fallback(errors::not_found)
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(request_span))
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(CompressionLayer::new())
                .layer(from_fn(errors::render_errors))
                .layer(CatchPanicLayer::custom(|_| {
                    AppError::Other(anyhow::anyhow!("a handler panicked")).into_response()
                }))
                .layer(TimeoutLayer::with_status_code(
                    axum::http::StatusCode::REQUEST_TIMEOUT,
                    Duration::from_secs(30),
                ))
                .layer(DefaultBodyLimit::max(8 * 1024 * 1024))
                .layer(from_fn_with_state(state.clone(), session::load_session)),
        )
        .with_state(state)
}

/// The OpenAPI document of every `/api/v1` route.
fn openapi_json(doc: &Arc<str>) -> axum::response::Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        doc.to_string(),
    )
        .into_response()
}

fn request_span(req: &Request) -> tracing::Span {
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    let path = req
        .extensions()
        .get::<MatchedPath>()
        .map(MatchedPath::as_str)
        .unwrap_or("(unmatched)");
    tracing::info_span!("request", method = %req.method(), path, request_id)
}
