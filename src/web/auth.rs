//! Sign-in and sign-out.

use askama::Template;
use axum::extract::State;
use axum::http::header::{RETRY_AFTER, USER_AGENT};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use serde::Deserialize;
use serde_json::json;

use crate::app::state::AppState;
use crate::db::audit::{self, Actor};
use crate::db::throttle::{self, Attempt};
use crate::domain::password;
use crate::domain::secret::{random_token, token_hash};
use crate::error::{AppError, Result};
use crate::http::address::ClientAddress;
use crate::http::extract::{Form, Query};
use crate::http::page::{render, Page};
use crate::http::session::{cookie, login_csrf_cookie, session_cookie, CurrentUser};

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    page: Page,
    csrf: String,
    email: String,
    next: String,
    error: Option<String>,
    /// Good news to show above the form ("your password was changed").
    notice: Option<&'static str>,
    /// "Sign in with ..." when single sign-on is configured.
    sso_name: Option<String>,
    password_login: bool,
    /// The demo sign-ins, shown only while the demo accounts exist.
    demo_sign_ins: bool,
}

/// `?next=` on the sign-in page; `?reset=1` after a new password was chosen.
#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
    reset: Option<String>,
}

/// What a refused sign-in says, the same whether or not an account has that email.
const NO_MATCH: &str = "That email and password do not match an account that can sign in.";
/// What a paused sign-in says (with how long), the same whether or not an account has that
/// email.
fn paused_message(seconds: u64) -> String {
    format!(
        "Too many failed sign-ins. Signing in with a password from here is paused for {}. Try \
         again then, or choose a new password with \"Forgot your password?\".",
        throttle::wait_in_words(seconds)
    )
}
/// What a sign-in told the server is busy says.
const BUSY: &str =
    "Trellis is checking too many passwords at once. Wait a moment and sign in again.";

/// The sign-in form as posted.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

/// Only same-site paths are followed after sign-in (no open redirects). `next` is parsed as a
/// URL relative to this site and rebuilt from its path and query alone; anything that would
/// leave the site, or that a browser might read differently than the parser does (control
/// characters such as tab, CR and LF, which browsers drop; backslashes, which they read as
/// slashes), becomes `/`. The answer is always a valid `Location` header value.
pub fn safe_next(next: Option<&str>) -> String {
    next.and_then(local_path).unwrap_or_else(|| "/".to_string())
}

fn local_path(next: &str) -> Option<String> {
    if !next.starts_with('/') || next.chars().any(|c| c.is_control() || c == '\\') {
        return None;
    }
    let base = url::Url::parse("http://trellis.invalid/").expect("a valid base URL");
    let parsed = base.join(next).ok()?;
    if parsed.origin() != base.origin() || !parsed.username().is_empty() {
        return None;
    }
    let mut local = parsed.path().to_string();
    if let Some(query) = parsed.query() {
        local.push('?');
        local.push_str(query);
    }
    // `/..//evil` normalises to `//evil`, which a browser reads as another host.
    if !local.starts_with('/') || local.starts_with("//") {
        return None;
    }
    Some(local)
}

/// GET /login
pub async fn login_form(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    jar: CookieJar,
    Query(query): Query<NextQuery>,
) -> Result<Response> {
    let next = safe_next(query.next.as_deref());
    if user.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    let notice = query
        .reset
        .is_some()
        .then_some("Your password was changed. Sign in with your new password.");
    login_page_with(
        &state,
        jar,
        StatusCode::OK,
        String::new(),
        next,
        None,
        notice,
    )
}

/// The sign-in page, with an error to show when the last attempt failed.
pub fn login_page(
    state: &AppState,
    jar: CookieJar,
    status: StatusCode,
    email: String,
    next: String,
    error: Option<String>,
) -> Result<Response> {
    login_page_with(state, jar, status, email, next, error, None)
}

fn login_page_with(
    state: &AppState,
    jar: CookieJar,
    status: StatusCode,
    email: String,
    next: String,
    error: Option<String>,
    notice: Option<&'static str>,
) -> Result<Response> {
    let (jar, csrf) = login_csrf(state, jar);
    let page = LoginPage {
        page: Page::anonymous("Sign in"),
        csrf,
        email,
        next,
        error,
        notice,
        sso_name: state.sso.as_ref().map(|s| s.provider_name.clone()),
        password_login: state.config.password_login,
        demo_sign_ins: state.demo_hint.shown(),
    };
    Ok((status, jar, render(&page)?).into_response())
}

/// The CSRF token of forms shown before sign-in (sign-in, forgotten password, new password):
/// the login CSRF cookie's value, set when the browser has none (double submit).
pub fn login_csrf(state: &AppState, jar: CookieJar) -> (CookieJar, String) {
    let name = login_csrf_cookie(&state.config);
    let token = jar
        .get(name)
        .map(|c| c.value().to_string())
        .unwrap_or_else(random_token);
    let jar = jar.add(cookie(&state.config, name, token.clone(), SameSite::Strict));
    (jar, token)
}

/// POST /login
///
/// Throttled before the password is checked (`db::throttle`: per client address, per address
/// and account, and per account from unusual addresses), and the check itself takes one of
/// the server's few hashing slots or is answered 503.
#[tracing::instrument(skip_all)]
pub async fn login(
    State(state): State<AppState>,
    address: ClientAddress,
    jar: CookieJar,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response> {
    let email = form.email.trim().to_string();
    let next = safe_next(form.next.as_deref());
    if !state.config.password_login {
        let message = match &state.sso {
            Some(sso) => format!(
                "Signing in with a password is turned off. Use \"Sign in with {}\".",
                sso.provider_name
            ),
            None => "Signing in with a password is turned off.".to_string(),
        };
        return login_page(
            &state,
            jar,
            StatusCode::FORBIDDEN,
            email,
            next,
            Some(message),
        );
    }
    let keys = throttle::keys_for(&state.db, address.as_str(), &email).await?;
    let paused_if_wrong = match throttle::attempt(&state.db, &keys).await? {
        Attempt::Paused { until } => return paused(&state, jar, email, next, until),
        Attempt::Allowed { paused_if_wrong } => paused_if_wrong,
    };
    let (person_id, verified) = match check_password(&state, &email, form.password).await {
        Ok(checked) => checked,
        Err(AppError::Busy(seconds)) => {
            let status = StatusCode::SERVICE_UNAVAILABLE;
            let mut response = login_page(&state, jar, status, email, next, Some(BUSY.into()))?;
            response.headers_mut().insert(RETRY_AFTER, seconds.into());
            return Ok(response);
        }
        Err(other) => return Err(other),
    };
    let person_id = match (verified, person_id) {
        (true, Some(id)) => id,
        _ => {
            audit::record(
                &state.db,
                Actor::Anonymous,
                "auth.sign_in_failed",
                "person",
                person_id.map(|id| id.to_string()),
                json!({ "email": email, "address": address.as_str() }),
            )
            .await?;
            if let Some(until) = paused_if_wrong {
                return pause(&state, jar, email, next, person_id, &address, until).await;
            }
            return login_page(
                &state,
                jar,
                StatusCode::UNAUTHORIZED,
                email,
                next,
                Some(NO_MATCH.into()),
            );
        }
    };
    throttle::succeeded(&state.db, address.as_str(), &email).await?;

    start_session(
        &state,
        jar,
        &headers,
        person_id,
        json!({ "method": "password" }),
        &next,
    )
    .await
}

/// Who has `email` (if anyone who can sign in), and whether `password` is theirs. Takes as
/// long for an unknown email as for a known one (a decoy hash is verified), in a hashing slot.
async fn check_password(
    state: &AppState,
    email: &str,
    password: String,
) -> Result<(Option<uuid::Uuid>, bool)> {
    let account = sqlx::query!(
        "select id, password_hash from people
         where lower(email) = lower($1) and employment_status <> 'terminated'",
        email
    )
    .fetch_optional(&state.db)
    .await?;

    let (person_id, phc) = match account {
        Some(row) => (Some(row.id), row.password_hash),
        None => (None, None),
    };
    let verified = state
        .password_work(move || match phc {
            Some(phc) => password::verify(&phc, &password),
            None => {
                let _ = password::verify(&password::DECOY_HASH, &password);
                false
            }
        })
        .await?;

    Ok((person_id, verified))
}

/// A failed attempt past the free ones: attempts from here are paused from now on (the
/// throttle set the pause when it counted the attempt). Audited once per pause.
async fn pause(
    state: &AppState,
    jar: CookieJar,
    email: String,
    next: String,
    person_id: Option<uuid::Uuid>,
    address: &ClientAddress,
    until: time::OffsetDateTime,
) -> Result<Response> {
    audit::record(
        &state.db,
        Actor::Anonymous,
        "auth.sign_in_paused",
        "person",
        person_id.map(|id| id.to_string()),
        json!({ "email": email, "address": address.as_str(),
                "seconds": throttle::seconds_until(until) }),
    )
    .await?;
    paused(state, jar, email, next, until)
}

/// 429 with `Retry-After`, without checking the password.
fn paused(
    state: &AppState,
    jar: CookieJar,
    email: String,
    next: String,
    until: time::OffsetDateTime,
) -> Result<Response> {
    let status = StatusCode::TOO_MANY_REQUESTS;
    let seconds = throttle::seconds_until(until);
    let message = paused_message(seconds);
    let mut response = login_page(state, jar, status, email, next, Some(message))?;
    response.headers_mut().insert(RETRY_AFTER, seconds.into());
    Ok(response)
}

/// Open a session for a person who proved who they are (by password or single sign-on):
/// the session row and its audit entry in one transaction, the cookie, and the way on.
pub async fn start_session(
    state: &AppState,
    jar: CookieJar,
    headers: &HeaderMap,
    person_id: uuid::Uuid,
    how: serde_json::Value,
    next: &str,
) -> Result<Response> {
    let token = random_token();
    let user_agent = headers
        .get(USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .chars()
        .take(300)
        .collect::<String>();
    let hours = state
        .config
        .session_hours
        .min(state.config.session_max_hours);
    let hours = i32::try_from(hours).unwrap_or(i32::MAX);
    let mut tx = state.db.begin().await?;
    sqlx::query!(
        "insert into sessions (token_hash, person_id, csrf_token, user_agent, expires_at)
         values ($1, $2, $3, $4, now() + make_interval(hours => $5))",
        token_hash(&token),
        person_id,
        random_token(),
        user_agent,
        hours
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        Actor::Person(person_id),
        "auth.sign_in",
        "person",
        Some(person_id.to_string()),
        how,
    )
    .await?;
    tx.commit().await?;

    let config = &state.config;
    let jar = jar
        .remove(removal(config, login_csrf_cookie(config)))
        .add(cookie(config, session_cookie(config), token, SameSite::Lax));
    Ok((jar, Redirect::to(next)).into_response())
}

/// What removes cookie `name` (a `__Host-` cookie is only replaced with the same flags).
fn removal(config: &crate::config::Config, name: &'static str) -> Cookie<'static> {
    cookie(config, name, String::new(), SameSite::Lax)
}

/// POST /logout
pub async fn logout(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
) -> Result<Response> {
    if let Some(c) = jar.get(session_cookie(&state.config)) {
        let mut tx = state.db.begin().await?;
        sqlx::query!(
            "delete from sessions where token_hash = $1",
            token_hash(c.value())
        )
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut *tx,
            Actor::Person(user.id),
            "auth.sign_out",
            "person",
            Some(user.id.to_string()),
            json!({}),
        )
        .await?;
        tx.commit().await?;
    }
    let jar = jar.remove(removal(&state.config, session_cookie(&state.config)));
    Ok((jar, Redirect::to("/login")).into_response())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/hr")), "/hr");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn paths_a_browser_reads_as_another_host_are_refused() {
        for hostile in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\nSet-Cookie: a=b",
            "/\\evil",
            "/..//evil",
            "/./..//evil",
            "javascript:alert(1)",
            "http:/evil",
            "",
        ] {
            assert_eq!(safe_next(Some(hostile)), "/", "{hostile:?}");
        }
    }

    #[test]
    fn local_paths_keep_their_query_and_lose_their_fragment() {
        assert_eq!(safe_next(Some("/hr/people?page=2")), "/hr/people?page=2");
        assert_eq!(safe_next(Some("/a#frag")), "/a");
        assert_eq!(safe_next(Some("/%2F%2Fevil")), "/%2F%2Fevil");
        assert_eq!(safe_next(Some("/search?q=a b")), "/search?q=a%20b");
        assert_eq!(safe_next(Some("/caf\u{e9}")), "/caf%C3%A9");
    }
}
