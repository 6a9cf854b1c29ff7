//! The whole application: the pages, the JSON API with its OpenAPI document, and SCIM, under
//! one stack of middleware (request id, tracing, security headers, compression, error
//! rendering, panics, timeout, body limit, session).

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::middleware::{from_fn, from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
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
    let doc: Arc<str> = crate::api::conventions::finish(&mut doc).into();

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
        .layer(from_fn_with_state(state.clone(), session::load_session))
        // Health needs no session (a cookie must not make it look up one in a database that
        // may be down) and no sign-in: they are for load balancers and orchestrators.
        .route("/healthz", get(crate::web::health::readyz))
        .route("/readyz", get(crate::web::health::readyz))
        .route("/livez", get(crate::web::health::livez))
        // For Prometheus: a bearer token with the metrics scope, checked by the handler.
        .route("/metrics", get(crate::web::prometheus::metrics))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(request_span))
                .layer(from_fn_with_state(
                    state.meters.clone(),
                    crate::app::meters::count_requests,
                ))
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(from_fn_with_state(
                    SecurityHeaders::for_public_url(&state.config.public_url),
                    security_headers,
                ))
                .layer(CompressionLayer::new())
                .layer(from_fn(errors::render_errors))
                .layer(from_fn(errors::oversized_bodies))
                .layer(CatchPanicLayer::custom(|_| {
                    AppError::Other(anyhow::anyhow!("a handler panicked")).into_response()
                }))
                .layer(from_fn_with_state(
                    Duration::from_secs(state.config.request_timeout_secs),
                    time_limit,
                ))
                .layer(DefaultBodyLimit::max(8 * 1024 * 1024)),
        )
        .with_state(state)
}

/// Answer 503 (with `Retry-After`, as a page or problem+json) when a request takes longer
/// than `limit`: the server is too slow, not the client (so not 408). Dropping the request's
/// future drops its work with it.
async fn time_limit(
    axum::extract::State(limit): axum::extract::State<Duration>,
    req: Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(seconds = limit.as_secs(), "request took too long");
            AppError::Unavailable.into_response()
        }
    }
}

/// The Content-Security-Policy of every answer: scripts, styles and images from Trellis
/// itself only (no inline script or style attribute anywhere), no framing, forms posting back
/// to Trellis only, no plugins, no `<base>`.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; \
     base-uri 'none'; object-src 'none'";

/// HSTS for a year, sent only when Trellis is reached over https.
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000";

/// What [`security_headers`] adds, decided once from the settings.
#[derive(Debug, Clone, Copy)]
pub struct SecurityHeaders {
    /// `Strict-Transport-Security`: only when `TRELLIS_PUBLIC_URL` is https.
    pub hsts: bool,
}

impl SecurityHeaders {
    pub fn for_public_url(public_url: &str) -> Self {
        SecurityHeaders {
            hsts: public_url
                .get(..8)
                .is_some_and(|s| s.eq_ignore_ascii_case("https://")),
        }
    }
}

/// The security headers of every answer, errors included. Everything but the static files
/// (fingerprinted, the same for everyone) is `Cache-Control: no-store`: pages show a signed-in
/// person's data, API answers and exports even more so, and a shared or back-button cache must
/// not keep them.
async fn security_headers(
    axum::extract::State(policy): axum::extract::State<SecurityHeaders>,
    req: Request,
    next: Next,
) -> Response {
    let cacheable = req.uri().path().starts_with("/static/");
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // A page may ask for less (the password reset form sends no referrer at all).
    headers
        .entry(header::REFERRER_POLICY)
        .or_insert(HeaderValue::from_static("same-origin"));
    headers.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    if !cacheable {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if policy.hsts {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(STRICT_TRANSPORT_SECURITY),
        );
    }
    response
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
