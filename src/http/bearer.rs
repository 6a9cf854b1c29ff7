//! Bearer authentication: every request with an `Authorization` header comes here instead of
//! the session cookie (so CSRF does not apply). What a token may do (its creator must still be
//! an HR admin in employment):
//! - `read`: GET/HEAD under `/api/v1` and `/api/openapi.json`, seeing what HR sees;
//! - `write`: unsafe methods (POST, PUT, PATCH, DELETE) under `/api/v1` (read is separate);
//! - `metrics`: `/api/v1/metrics*` (the metrics endpoints need no other scope), and the
//!   operators' `/metrics` ([`authorize_metrics`]);
//! - `scim`: `/scim/v2` only.
//!
//! Tokens never reach the HTML pages, cannot manage tokens, and never use the personal
//! endpoints ([`is_personal`]: a token is a service identity, not its creator). Audit rows
//! written by a token's request name the token (`db::audit::acting_for_token`). Each request made with a
//! valid token writes exactly one audit row (`api_token.use`, allowed or refused).

use axum::extract::Request;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::app::state::AppState;
use crate::db::audit::{self, ActingToken};
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
    } else if is_personal(method, path) {
        Err(PERSONAL)
    } else if path.starts_with("/api/v1/") || path == "/api/openapi.json" {
        Ok(if safe { "read" } else { "write" })
    } else {
        Err("API tokens are for /api/v1 and /scim/v2, not for the pages.")
    }
}

/// Why a token may not use a personal endpoint.
pub const PERSONAL: &str = "This endpoint is about the signed-in person (their password, \
    profile, preferences, plans, applications, notifications, team). An API token is a service \
    identity, not the person who created it: sign in to use it.";

/// Endpoints that act as or about the caller as a person: everything under `/api/v1/me`, the
/// caller's home and team, and the actions only a person takes for themselves (applying,
/// enrolling, answering their offer). A token is refused these whatever its scopes.
pub fn is_personal(method: &Method, path: &str) -> bool {
    let Some(rest) = path.strip_prefix("/api/v1/") else {
        return false;
    };
    let segments: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    match segments.as_slice() {
        ["me", ..] | ["home"] | ["team", ..] => true,
        ["opportunities", _, "applications"] => *method == Method::POST,
        ["courses", _, "enrol"] => true,
        ["applications", _, "accept" | "decline"] => true,
        _ => false,
    }
}

/// Authenticate a request that carries an `Authorization` header (called by `load_session`).
pub async fn authenticate_bearer(state: AppState, mut req: Request, next: Next) -> Response {
    let secret = bearer_secret(req.headers());
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
    let acting = ActingToken {
        id: token.id,
        name: token.name.clone(),
        created_by: token.created_by,
    };
    req.extensions_mut().insert(token);
    // Audit rows written while handling the request name the token, not its creator.
    audit::acting_for_token(acting, next.run(req)).await
}

/// The secret of an `Authorization: Bearer ...` header.
fn bearer_secret(headers: &HeaderMap) -> Option<String> {
    headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(|s| s.trim().to_string())
}

/// Let an operator's scraper read `/metrics` (outside the session layer, like the health
/// checks): a valid token with the `metrics` scope. 401 without one, 403 without the scope;
/// the use is recorded like that of any token.
pub async fn authorize_metrics(state: &AppState, headers: &HeaderMap) -> Result<(), Response> {
    const PATH: &str = "/metrics";
    let token = match bearer_secret(headers) {
        Some(s) => tokens::authenticate(&state.db, &s)
            .await
            .map_err(|e| AppError::from(e).into_response())?,
        None => None,
    };
    let Some(token) = token else {
        return Err(refuse(
            PATH,
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            "/metrics needs a bearer token with the metrics scope.",
        ));
    };
    let allowed = token.has("metrics");
    let request_id = headers.get("x-request-id").and_then(|v| v.to_str().ok());
    tokens::record_use(&state.db, &token, "GET", PATH, allowed, request_id)
        .await
        .map_err(|e| AppError::from(e).into_response())?;
    if allowed {
        Ok(())
    } else {
        Err(refuse(
            PATH,
            StatusCode::FORBIDDEN,
            "insufficient_scope",
            missing("metrics"),
        ))
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_endpoints_are_refused_to_tokens_whatever_the_scope() {
        for (method, path) in [
            (Method::GET, "/api/v1/me"),
            (Method::PUT, "/api/v1/me/password"),
            (Method::PUT, "/api/v1/me/aspirations"),
            (Method::GET, "/api/v1/me/applications/x"),
            (Method::GET, "/api/v1/home"),
            (Method::GET, "/api/v1/team/reports/x"),
            (Method::POST, "/api/v1/opportunities/x/applications"),
            (Method::POST, "/api/v1/courses/x/enrol"),
            (Method::POST, "/api/v1/applications/x/accept"),
        ] {
            assert_eq!(
                required_scope(&method, path),
                Err(PERSONAL),
                "{method} {path}"
            );
        }
        assert_eq!(
            required_scope(&Method::GET, "/api/v1/hr/people"),
            Ok("read")
        );
        assert_eq!(
            required_scope(&Method::POST, "/api/v1/applications/x/transition"),
            Ok("write")
        );
        assert_eq!(required_scope(&Method::GET, "/api/v1/messages"), Ok("read"));
    }
}
