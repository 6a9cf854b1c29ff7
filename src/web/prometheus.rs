//! `/metrics`: this server's counters in Prometheus's text format, for operators (a bearer
//! token with the `metrics` scope; see `app::meters` for what is counted).

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

use crate::app::meters;
use crate::app::state::AppState;
use crate::error::AppError;
use crate::http::bearer;

/// The exposition format's content type.
const TEXT_FORMAT: &str = "text/plain; version=0.0.4; charset=utf-8";

/// The scrape.
pub async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Err(refusal) = bearer::authorize_metrics(&state, &headers).await {
        return refusal;
    }
    match meters::exposition(&state.meters, &state.db, &state.engine).await {
        Ok(body) => ([(CONTENT_TYPE, TEXT_FORMAT)], body).into_response(),
        Err(err) => AppError::from(err).into_response(),
    }
}
