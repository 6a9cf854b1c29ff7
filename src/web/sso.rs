//! Signing in through the company's identity provider (OpenID Connect, authorization code
//! with PKCE).
//!
//! `GET /login/oidc` keeps the state, nonce and PKCE verifier in PostgreSQL (by the state's
//! SHA-256), puts the state in a short-lived cookie, and sends the browser to the provider.
//! `GET /login/oidc/callback` accepts the answer only from the browser that started the
//! sign-in (the cookie must match the `state` the provider echoes), uses the stored attempt
//! once, verifies the tokens, finds the person, and opens an ordinary session.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use serde::Deserialize;
use serde_json::json;
use subtle::ConstantTimeEq;

use crate::app::state::AppState;
use crate::db::audit::{self, Actor};
use crate::db::identities;
use crate::domain::secret::token_hash;
use crate::error::{AppError, Result};
use crate::http::extract::Query;
use crate::sso::SsoError;
use crate::web::auth::{login_page, safe_next, start_session};

/// The cookie that ties the provider's answer to the browser that asked.
pub const STATE_COOKIE: &str = "trellis_oidc_state";
const STATE_COOKIE_PATH: &str = "/login/oidc";

/// `?next=` on the way out.
#[derive(Debug, Deserialize)]
pub struct StartQuery {
    next: Option<String>,
}

/// What the identity provider sends back (RFC 6749 §4.1.2 and §4.1.2.1).
#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
    /// The issuer of the answer (RFC 9207), when the provider names it.
    iss: Option<String>,
}

/// GET /login/oidc: send the browser to the identity provider.
#[tracing::instrument(skip_all)]
pub async fn start(
    State(state): State<AppState>,
    jar: CookieJar,
    Query(query): Query<StartQuery>,
) -> Result<Response> {
    let sso = state.sso.clone().ok_or(AppError::NotFound)?;
    let next = safe_next(query.next.as_deref());
    let begin = match sso.begin().await {
        Ok(begin) => begin,
        Err(err) => return failed(&state, jar, next, &err.to_string(), err).await,
    };
    identities::save_attempt(
        &state.db,
        &token_hash(&begin.state),
        &begin.nonce,
        &begin.pkce_verifier,
        &next,
    )
    .await?;
    let cookie = Cookie::build((STATE_COOKIE, begin.state))
        .path(STATE_COOKIE_PATH)
        .http_only(true)
        .secure(state.config.secure_cookies)
        // Lax: the provider's redirect back is a top-level navigation from another site.
        .same_site(SameSite::Lax)
        .max_age(time::Duration::minutes(10))
        .build();
    Ok((jar.add(cookie), Redirect::to(&begin.authorize_url)).into_response())
}

/// GET /login/oidc/callback: finish the sign-in the provider sent back.
#[tracing::instrument(skip_all)]
pub async fn callback(
    State(state): State<AppState>,
    jar: CookieJar,
    headers: HeaderMap,
    Query(query): Query<CallbackQuery>,
) -> Result<Response> {
    let sso = state.sso.clone().ok_or(AppError::NotFound)?;
    let kept = jar.get(STATE_COOKIE).map(|c| c.value().to_string());
    let jar = jar.remove(Cookie::build(STATE_COOKIE).path(STATE_COOKIE_PATH));
    let attempt = match (query.state.as_deref(), kept.as_deref()) {
        (Some(given), Some(kept)) if bool::from(given.as_bytes().ct_eq(kept.as_bytes())) => {
            identities::take_attempt(&state.db, &token_hash(given)).await?
        }
        _ => None,
    };
    let Some(attempt) = attempt else {
        return refuse(
            &state,
            jar,
            StatusCode::BAD_REQUEST,
            "/".into(),
            "state",
            "This sign-in has expired or was started in another browser. Sign in again.".into(),
        )
        .await;
    };
    // Checked again: an attempt stored by an older version may hold any path.
    let next = safe_next(Some(&attempt.next_path));
    if query
        .iss
        .as_deref()
        .is_some_and(|iss| iss.trim_end_matches('/') != sso.issuer())
    {
        // An answer from another provider than the one asked (a "mix-up" attack).
        let message = "The answer came from another identity provider. Sign in again.";
        return refuse(
            &state,
            jar,
            StatusCode::BAD_REQUEST,
            next,
            "issuer_mismatch",
            message.into(),
        )
        .await;
    }
    if let Some(error) = query.error {
        let said = query.error_description.unwrap_or_else(|| error.clone());
        let said: String = said.chars().take(200).collect();
        let message = format!("The identity provider did not sign you in: {said}");
        return refuse(&state, jar, StatusCode::UNAUTHORIZED, next, &error, message).await;
    }
    let Some(code) = query.code else {
        let message = "The identity provider sent no authorization code. Sign in again.";
        return refuse(
            &state,
            jar,
            StatusCode::BAD_REQUEST,
            next,
            "no_code",
            message.into(),
        )
        .await;
    };
    let account = match sso.finish(code, attempt.pkce_verifier, attempt.nonce).await {
        Ok(account) => account,
        Err(err) => return failed(&state, jar, next, &err.to_string(), err).await,
    };

    let mut tx = state.db.begin().await?;
    let resolved = identities::resolve(&mut tx, &account, sso.create_users).await?;
    match resolved {
        Ok(resolved) => {
            tx.commit().await?;
            let how = json!({ "method": "oidc", "issuer": account.issuer,
                              "subject": account.subject, "created": resolved.created });
            start_session(&state, jar, &headers, resolved.person_id, how, &next).await
        }
        Err(refusal) => {
            tx.rollback().await?;
            let (reason, message) = (refusal.code(), refusal.to_string());
            refuse(&state, jar, StatusCode::FORBIDDEN, next, reason, message).await
        }
    }
}

/// A provider or token problem: logged with its technical cause, shown in plain words.
async fn failed(
    state: &AppState,
    jar: CookieJar,
    next: String,
    message: &str,
    err: SsoError,
) -> Result<Response> {
    let (status, reason, detail) = match &err {
        SsoError::Unreachable(detail) => (StatusCode::BAD_GATEWAY, "unreachable", detail.clone()),
        SsoError::Rejected(detail) => (StatusCode::UNAUTHORIZED, "rejected", detail.clone()),
        SsoError::NoEmail => (StatusCode::UNAUTHORIZED, "no_email", String::new()),
    };
    tracing::warn!(reason, detail, "single sign-on failed");
    refuse(state, jar, status, next, reason, message.to_string()).await
}

/// Record the failed sign-in and show the sign-in page with the reason.
async fn refuse(
    state: &AppState,
    jar: CookieJar,
    status: StatusCode,
    next: String,
    reason: &str,
    message: String,
) -> Result<Response> {
    audit::record(
        &state.db,
        Actor::Anonymous,
        "auth.sign_in_failed",
        "person",
        None,
        json!({ "method": "oidc", "reason": reason }),
    )
    .await?;
    login_page(state, jar, status, String::new(), next, Some(message))
}
