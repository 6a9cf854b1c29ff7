//! The whole application: the pages, the JSON API with its OpenAPI document, and SCIM, under
//! one stack of middleware (request id, tracing, compression, error rendering, panics,
//! timeout, body limit, session).

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;

use crate::app::state::AppState;
use crate::error::AppError;
use crate::http::{errors, session};

/// The whole application, HTML pages, JSON API and SCIM, with its middleware.
pub fn app(state: AppState) -> Router {
    let (api, mut doc) =
        utoipa_axum::router::OpenApiRouter::with_openapi(crate::api::ApiDoc::openapi())
            .nest("/api/v1", crate::api::router())
            .split_for_parts();
    crate::api::unique_operation_ids(&mut doc);
    let doc: Arc<str> = doc
        .to_pretty_json()
        .expect("the OpenAPI document serialises")
        .into();

    Router::new()
        .merge(crate::web::router())
        .merge(api)
        .merge(crate::scim::router())
        .route("/api/docs", {
            let doc = doc.clone();
            get(move |user: Option<crate::http::user::CurrentUser>| {
                std::future::ready(crate::api::docs::page(&doc, user))
            })
        })
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
