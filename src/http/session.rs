//! Server-side sessions and CSRF protection.
//!
//! The session cookie holds 32 random bytes; PostgreSQL keeps only their SHA-256, the person,
//! the expiry and the session's CSRF token. Every unsafe request (POST, PUT, PATCH, DELETE)
//! must carry that token, in the `csrf_token` form field or the `X-CSRF-Token` header. Before
//! sign-in, the login form's token is a cookie of its own (double submit, SameSite=Strict).
//!
//! A session ends after `TRELLIS_SESSION_HOURS` without activity (sliding) and, however
//! active, `TRELLIS_SESSION_MAX_HOURS` after sign-in (absolute; 12 hours by default, as
//! ASVS 3.3.2 asks at level 2). Over HTTPS (`TRELLIS_PUBLIC_URL` is `https://`) both cookies
//! are `Secure` and carry the `__Host-` prefix.

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use subtle::ConstantTimeEq;

use crate::app::state::AppState;
use crate::config::Config;
use crate::domain::secret::token_hash;
use crate::error::AppError;
pub use crate::http::user::CurrentUser;

/// Name of the session cookie over plain HTTP.
pub const SESSION_COOKIE: &str = "trellis_session";
/// Name of the cookie that holds the sign-in form's CSRF token over plain HTTP.
pub const LOGIN_CSRF_COOKIE: &str = "trellis_login_csrf";
/// Name of the form field that carries the CSRF token.
pub const CSRF_FIELD: &str = "csrf_token";
/// Largest form body the CSRF check will read.
const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;

/// True when Trellis is served over HTTPS: `TRELLIS_PUBLIC_URL` is `https://...`.
pub fn served_over_https(config: &Config) -> bool {
    config
        .public_url
        .trim()
        .get(..8)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"))
}

/// Whether cookies are marked `Secure`: over HTTPS always, else when asked
/// (`TRELLIS_SECURE_COOKIES`).
pub fn secure_cookies(config: &Config) -> bool {
    config.secure_cookies || served_over_https(config)
}

/// The session cookie's name: over HTTPS with the `__Host-` prefix, which browsers accept
/// only from a secure origin, with `Secure`, `Path=/` and no `Domain`, so neither a
/// sibling subdomain nor a plain-HTTP page can set or shadow it.
pub fn session_cookie(config: &Config) -> &'static str {
    if served_over_https(config) {
        "__Host-trellis_session"
    } else {
        SESSION_COOKIE
    }
}

/// The sign-in CSRF cookie's name (`__Host-` over HTTPS, as [`session_cookie`]).
pub fn login_csrf_cookie(config: &Config) -> &'static str {
    if served_over_https(config) {
        "__Host-trellis_login_csrf"
    } else {
        LOGIN_CSRF_COOKIE
    }
}

/// A cookie with the flags every Trellis cookie gets: `Path=/`, `HttpOnly`, no `Domain`,
/// `Secure` per [`secure_cookies`].
pub fn cookie(
    config: &Config,
    name: &'static str,
    value: String,
    same_site: SameSite,
) -> Cookie<'static> {
    Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .secure(secure_cookies(config))
        .same_site(same_site)
        .build()
}

/// Look up the session cookie, check CSRF on unsafe requests, and put the [`CurrentUser`]
/// into the request (and response) extensions.
pub async fn load_session(
    State(state): State<AppState>,
    jar: CookieJar,
    mut req: Request,
    next: Next,
) -> Response {
    // API clients that bring a bearer token do not use cookies, so CSRF does not apply;
    // `http::bearer` authenticates them.
    if req.headers().contains_key(AUTHORIZATION) {
        return crate::http::bearer::authenticate_bearer(state, req, next).await;
    }
    let user = match jar.get(session_cookie(&state.config)) {
        Some(c) => match find_session(&state, c.value()).await {
            Ok(user) => user,
            Err(err) => return err.into_response(),
        },
        None => None,
    };

    // Without a session there is nothing to forge under /api/v1 (no operation there works
    // signed out): the route answers 401 "sign in", as the document says, not a CSRF 403.
    let anonymous_api = user.is_none() && req.uri().path().starts_with("/api/v1/");
    if is_unsafe(req.method()) && !anonymous_api {
        let expected = match &user {
            Some(u) => Some(u.csrf_token.clone()),
            None => jar
                .get(login_csrf_cookie(&state.config))
                .map(|c| c.value().to_string()),
        };
        let (checked, ok) = match check_csrf(req, expected.as_deref()).await {
            Ok(pair) => pair,
            Err(err) => return err.into_response(),
        };
        if !ok {
            return AppError::Forbidden(
                "This form has expired or was sent from another site. Reload the page and try again."
                    .into(),
            )
            .into_response();
        }
        req = checked;
    }

    if let Some(u) = &user {
        req.extensions_mut().insert(u.clone());
    }
    let mut response = next.run(req).await;
    if let Some(u) = user {
        response.extensions_mut().insert(u);
    }
    response
}

fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Find the token in the header, the form body or the start of a multipart body,
/// and compare it in constant time. Returns the request with its body restored.
async fn check_csrf(req: Request, expected: Option<&str>) -> Result<(Request, bool), AppError> {
    let header_token = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let (parts, body) = req.into_parts();
    let mut token = header_token;
    let body = if token.is_none() && content_type.starts_with("application/x-www-form-urlencoded") {
        let bytes = to_bytes(body, MAX_FORM_BYTES)
            .await
            .map_err(|_| AppError::BadRequest("The form is too large.".into()))?;
        token = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
            .ok()
            .and_then(|pairs| {
                pairs
                    .into_iter()
                    .find(|(k, _)| k == CSRF_FIELD)
                    .map(|(_, v)| v)
            });
        Body::from(bytes)
    } else if token.is_none() && content_type.starts_with("multipart/form-data") {
        // The hidden field, first in the body; never the query string (it ends up in logs).
        // The boundary is case-sensitive: take it from the header as sent.
        let original = parts
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let (found, body) =
            crate::http::multipart_csrf::field_from_start(original, body, CSRF_FIELD).await;
        token = found;
        body
    } else {
        body
    };
    let ok = match (token, expected) {
        (Some(given), Some(expected)) if !expected.is_empty() => {
            bool::from(given.as_bytes().ct_eq(expected.as_bytes()))
        }
        _ => false,
    };
    Ok((Request::from_parts(parts, body), ok))
}

async fn find_session(state: &AppState, token: &str) -> Result<Option<CurrentUser>, AppError> {
    let hash = token_hash(token);
    // However active, a session ends `session_max_hours` after sign-in.
    let max_hours = i32::try_from(state.config.session_max_hours).unwrap_or(i32::MAX);
    let row = sqlx::query!(
        r#"
        select p.id, p.display_name, p.email, p.is_hr_admin, s.csrf_token,
               s.last_seen_at < now() - interval '5 minutes' as "stale!",
               exists(select 1 from people r
                      where r.manager_id = p.id and r.employment_status <> 'terminated') as "is_manager!",
               (select count(*) from notifications n
                where n.person_id = p.id and n.read_at is null) as "unread!"
        from sessions s
        join people p on p.id = s.person_id
        where s.token_hash = $1 and s.expires_at > now()
          and s.created_at > now() - make_interval(hours => $2)
          and p.employment_status <> 'terminated'
        "#,
        hash,
        max_hours
    )
    .fetch_optional(&state.db)
    .await?;
    let Some(row) = row else { return Ok(None) };
    if row.stale {
        // Sliding expiry, written at most every five minutes per session, never past the
        // session's absolute lifetime.
        let hours = i32::try_from(state.config.session_hours).unwrap_or(i32::MAX);
        sqlx::query!(
            "update sessions set last_seen_at = now(),
                 expires_at = least(now() + make_interval(hours => $2),
                                    created_at + make_interval(hours => $3))
             where token_hash = $1",
            hash,
            hours,
            max_hours
        )
        .execute(&state.db)
        .await?;
    }
    Ok(Some(CurrentUser {
        id: row.id,
        display_name: row.display_name,
        email: row.email,
        is_hr: row.is_hr_admin,
        is_manager: row.is_manager,
        unread_notifications: row.unread,
        csrf_token: row.csrf_token,
    }))
}

/// Pages under `/team/` and `/postings/` are for people with direct reports.
pub async fn require_manager(user: CurrentUser, req: Request, next: Next) -> Response {
    if !user.is_manager {
        return AppError::Forbidden(
            "This page is for managers: people with direct reports.".into(),
        )
        .into_response();
    }
    next.run(req).await
}

/// A posting's pages are for its owner (a manager) and for HR, who may act on any posting;
/// the handlers check ownership.
pub async fn require_manager_or_hr(user: CurrentUser, req: Request, next: Next) -> Response {
    if !user.is_manager && !user.is_hr {
        return AppError::Forbidden(
            "This page is for managers: people with direct reports.".into(),
        )
        .into_response();
    }
    next.run(req).await
}

/// Pages under `/hr/` are for HR admins.
pub async fn require_hr(user: CurrentUser, req: Request, next: Next) -> Response {
    if !user.is_hr {
        return AppError::Forbidden("This page is for the HR team.".into()).into_response();
    }
    next.run(req).await
}

/// Every other page needs a signed-in person.
pub async fn require_user(_user: CurrentUser, req: Request, next: Next) -> Response {
    next.run(req).await
}
