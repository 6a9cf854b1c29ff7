//! Bearer authentication: every request with an `Authorization` header comes here instead of
//! the session cookie (so CSRF does not apply). What a token may do (its creator must still be
//! an HR admin in employment):
//! - `read`: GET/HEAD under `/api/v1` and `/api/openapi.json`, seeing what HR sees;
//! - `write`: unsafe methods (POST, PUT, PATCH, DELETE) under `/api/v1` (read is separate);
//! - `metrics`: `/api/v1/metrics*` (the metrics endpoints need no other scope);
//! - `scim`: `/scim/v2` only.
//!
//! Tokens never reach the HTML pages, and cannot manage tokens. Each request made with a
//! valid token writes exactly one audit row (`api_token.use`, allowed or refused).

use axum::extract::Request;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::app::state::AppState;
use crate::db::tokens::{self, TokenIdentity};
use crate::error::AppError;
use crate::http::user::CurrentUser;

/// Which scope a request needs, or why no token may make it.
pub fn required_scope(
    method: &Method,
    path: &str,
) -> std::result::Result<&'static str, &'static str> {
    let safe = matches!(*method, Method::GET | Method::HEAD);
    if path == "/scim/v2" || path.starts_with("/scim/v2/") {
        Ok("scim")
    } else if path.starts_with("/api/v1/metrics") {
        Ok("metrics")
    } else if path.starts_with("/api/v1/hr/tokens") {
        Err("API tokens cannot manage API tokens; an HR admin does that signed in.")
    } else if path.starts_with("/api/v1/") || path == "/api/openapi.json" {
        Ok(if safe { "read" } else { "write" })
    } else {
        Err("API tokens are for /api/v1 and /scim/v2, not for the pages.")
    }
}

/// Authenticate a request that carries an `Authorization` header (called by `load_session`).
pub async fn authenticate_bearer(state: AppState, mut req: Request, next: Next) -> Response {
    let secret = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(|s| s.trim().to_string());
    let path = req.uri().path().to_string();
    let token = match secret {
        Some(s) => match tokens::authenticate(&state.db, &s).await {
            Ok(t) => t,
            Err(err) => return AppError::from(err).into_response(),
        },
        None => None,
    };
    let Some(token) = token else {
        return refuse(
            &path,
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            "The bearer token is missing, unknown, revoked or expired.",
        );
    };
    let verdict = required_scope(req.method(), &path).and_then(|scope| {
        if token.has(scope) {
            Ok(())
        } else {
            Err(missing(scope))
        }
    });
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok());
    if let Err(err) = tokens::record_use(
        &state.db,
        &token,
        req.method().as_str(),
        &path,
        verdict.is_ok(),
        request_id,
    )
    .await
    {
        return AppError::from(err).into_response();
    }
    if let Err(why) = verdict {
        return refuse(&path, StatusCode::FORBIDDEN, "insufficient_scope", why);
    }
    req.extensions_mut().insert(service_user(&token));
    req.extensions_mut().insert(token);
    next.run(req).await
}

fn missing(scope: &str) -> &'static str {
    match scope {
        "read" => "This token has no read scope.",
        "write" => "This token has no write scope: it cannot change anything.",
        "metrics" => "This token has no metrics scope.",
        _ => "This token has no scim scope.",
    }
}

/// The HR-level service identity a token acts as.
fn service_user(token: &TokenIdentity) -> CurrentUser {
    CurrentUser {
        id: token.created_by,
        display_name: format!("API token {}", token.name),
        email: token.created_by_email.clone(),
        is_hr: true,
        is_manager: false,
        unread_notifications: 0,
        csrf_token: String::new(),
    }
}

/// A refusal with `WWW-Authenticate`, as problem+json (or a SCIM error under `/scim`).
fn refuse(path: &str, status: StatusCode, error: &str, detail: &str) -> Response {
    let mut response = if path.starts_with("/scim/") {
        crate::http::scim_error::ScimError::new(status, None, detail).into_response()
    } else {
        let body = json!({ "type": "about:blank", "status": status.as_u16(),
            "title": if status == StatusCode::UNAUTHORIZED { "Invalid token" } else { "Not allowed" },
            "detail": detail });
        let mut r = (status, body.to_string()).into_response();
        r.headers_mut().insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        r
    };
    let challenge = format!(r#"Bearer realm="trellis", error="{error}""#);
    if let Ok(v) = HeaderValue::from_str(&challenge) {
        response.headers_mut().insert(WWW_AUTHENTICATE, v);
    }
    response
}
