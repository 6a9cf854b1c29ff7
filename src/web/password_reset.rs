//! "Forgot your password?": `GET/POST /login/forgot` sends a single-use link by email, and
//! `GET/POST /login/reset/{token}` chooses a new password with it. Both are forms shown before
//! sign-in, so they carry the sign-in form's CSRF token. The answer to a request never says
//! whether an account has the email. Off (404) when password sign-in is turned off.

use askama::Template;
use axum::extract::State;
use axum::http::header::{REFERRER_POLICY, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::audit::{self, Actor};
use crate::db::notifications::{notify, queue_email, AccountEmail, NewNotification};
use crate::db::password_resets::{self, Link, LINK_MINUTES};
use crate::db::throttle::{self, Attempt};
use crate::domain::password;
use crate::domain::secret::{random_token, token_hash};
use crate::error::{AppError, FieldError, Result};
use crate::http::address::ClientAddress;
use crate::http::extract::{Form, Path};
use crate::http::page::{render, Page};
use crate::http::session::CurrentUser;
use crate::web::account::field_name;
use crate::web::auth::login_csrf;

/// What a client that asked too often is told.
const TOO_MANY_REQUESTS: &str = "Too many requests from here. Wait a few minutes and try again.";

/// The one answer to every request for a link.
pub const SENT: &str = "If an account with that email can sign in with a password, we sent a \
                        link to choose a new password. It works for 60 minutes. Check your inbox.";

#[derive(Template)]
#[template(path = "auth/forgot.html")]
struct ForgotPage {
    page: Page,
    csrf: String,
    email: String,
    error: Option<&'static str>,
    sent: bool,
}

#[derive(Template)]
#[template(path = "auth/reset.html")]
struct ResetPage {
    page: Page,
    csrf: String,
    token: String,
    /// Why the link does not work; no form then.
    invalid: Option<&'static str>,
    errors: Vec<FieldError>,
}

impl ResetPage {
    fn error(&self, field: &str) -> String {
        let messages: Vec<&str> = self
            .errors
            .iter()
            .filter(|e| e.field == field)
            .map(|e| e.message.as_str())
            .collect();
        messages.join(" ")
    }
}

/// The email form as posted.
#[derive(Debug, Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
}

/// The new-password form as posted.
#[derive(Debug, Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

/// The CSRF token for a form shown before sign-in: the session's when someone is signed in
/// (the CSRF check uses it then), else the sign-in form's cookie.
fn csrf(state: &AppState, jar: CookieJar, user: Option<&CurrentUser>) -> (CookieJar, String) {
    match user {
        Some(u) => (jar, u.csrf_token.clone()),
        None => login_csrf(state, jar),
    }
}

fn passwords_on(state: &AppState) -> Result<()> {
    if state.config.password_login {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

fn forgot_page(
    state: &AppState,
    jar: CookieJar,
    user: Option<&CurrentUser>,
    status: StatusCode,
    form: (String, Option<&'static str>, bool),
) -> Result<Response> {
    let (jar, csrf) = csrf(state, jar, user);
    let (email, error, sent) = form;
    let page = ForgotPage {
        page: Page::anonymous("Forgot your password?"),
        csrf,
        email,
        error,
        sent,
    };
    Ok((status, jar, render(&page)?).into_response())
}

/// GET /login/forgot
pub async fn forgot_form(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    jar: CookieJar,
) -> Result<Response> {
    passwords_on(&state)?;
    let form = (String::new(), None, false);
    forgot_page(&state, jar, user.as_ref(), StatusCode::OK, form)
}

/// POST /login/forgot: the same answer whoever asks, at once; then, in the background
/// ([`send_link_if_known`]), a link only for someone who can sign in with a password, at most
/// [`password_resets::LINKS_PER_HOUR`] an hour.
#[tracing::instrument(skip_all)]
pub async fn forgot(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    jar: CookieJar,
    address: ClientAddress,
    Form(form): Form<ForgotForm>,
) -> Result<Response> {
    passwords_on(&state)?;
    let email = form.email.trim().to_string();
    if !email.contains('@') || email.chars().count() > 320 {
        let error = Some("Type your work email address, e.g. ada@example.com.");
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return forgot_page(&state, jar, user.as_ref(), status, (email, error, false));
    }
    // Every request counts against the client address, like sign-in attempts.
    let keys = [throttle::Key::address(address.as_str())];
    if let Attempt::Paused { until } = throttle::attempt(&state.db, &keys).await? {
        let status = StatusCode::TOO_MANY_REQUESTS;
        let form = (email, Some(TOO_MANY_REQUESTS), false);
        let mut response = forgot_page(&state, jar, user.as_ref(), status, form)?;
        let seconds = throttle::seconds_until(until);
        response.headers_mut().insert(RETRY_AFTER, seconds.into());
        return Ok(response);
    }
    // Whoever asks, the answer is the same and is given at once: looking the email up and
    // sending the link happen after it, off the request path, so the answer takes as long
    // for an email with an account as for one without (no timing tells them apart).
    let background = state.clone();
    let asked = email.clone();
    tokio::spawn(async move {
        if let Err(err) = send_link_if_known(&background, &asked).await {
            tracing::error!(error = ?err, "sending a password reset link failed");
        }
    });
    forgot_page(
        &state,
        jar,
        user.as_ref(),
        StatusCode::OK,
        (email, None, true),
    )
}

/// The background step of a request for a link: find who has `email` (someone who can sign in
/// with a password), store a new link and queue its email, in one transaction (no link over
/// the hourly limit). Every request is audited, with or without an account.
pub async fn send_link_if_known(state: &AppState, email: &str) -> Result<()> {
    let mut tx = state.db.begin().await?;
    let person = sqlx::query_scalar!(
        "select id from people where lower(email) = lower($1)
         and employment_status <> 'terminated' and password_hash is not null",
        email
    )
    .fetch_optional(&mut *tx)
    .await?;
    let mut created = false;
    if let Some(person_id) = person {
        let token = random_token();
        created = password_resets::create(&mut tx, person_id, &token_hash(&token)).await?;
        if created {
            let link = format!("/login/reset/{token}");
            let key = format!("password_reset:{}", Uuid::new_v4());
            let body = format!(
                "Someone, hopefully you, asked to choose a new password for your Trellis account. \
                 Open the link below within {LINK_MINUTES} minutes to choose one; it works once. \
                 If it was not you, ignore this email: your password stays as it is."
            );
            let message = AccountEmail {
                person_id,
                idempotency_key: &key,
                subject: "Choose a new Trellis password",
                body: &body,
                link: Some(&link),
            };
            queue_email(&mut *tx, &message).await?;
        }
    }
    audit::record(
        &mut *tx,
        Actor::Anonymous,
        "auth.password_reset_requested",
        "person",
        person.map(|id| id.to_string()),
        json!({ "email": email, "sent": created }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn reset_page(
    state: &AppState,
    jar: CookieJar,
    user: Option<&CurrentUser>,
    status: StatusCode,
    token: String,
    (invalid, errors): (Option<&'static str>, Vec<FieldError>),
) -> Result<Response> {
    let (jar, csrf) = csrf(state, jar, user);
    let page = ResetPage {
        page: Page::anonymous("Choose a new password"),
        csrf,
        token,
        invalid,
        errors,
    };
    let mut response = (status, jar, render(&page)?).into_response();
    // The token is in the address: never send it on to another site.
    response
        .headers_mut()
        .insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    Ok(response)
}

/// The page for a link that does not work: 404 unknown, 410 used or expired.
fn dead_link(
    state: &AppState,
    jar: CookieJar,
    user: Option<&CurrentUser>,
    link: &Link,
) -> Result<Response> {
    let (status, why) = match link {
        Link::Spent => (
            StatusCode::GONE,
            "This link was used already or has expired. Links work once, for 60 minutes.",
        ),
        _ => (
            StatusCode::NOT_FOUND,
            "This link is not one Trellis sent, or it was copied incompletely.",
        ),
    };
    reset_page(state, jar, user, status, String::new(), (Some(why), vec![]))
}

/// GET /login/reset/{token}
pub async fn reset_form(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    jar: CookieJar,
    Path(token): Path<String>,
) -> Result<Response> {
    passwords_on(&state)?;
    let link = password_resets::find(&state.db, &token_hash(&token)).await?;
    if !matches!(link, Link::Valid { .. }) {
        return dead_link(&state, jar, user.as_ref(), &link);
    }
    reset_page(
        &state,
        jar,
        user.as_ref(),
        StatusCode::OK,
        token,
        (None, vec![]),
    )
}

/// POST /login/reset/{token}: the new password, twice, with the usual rules.
#[tracing::instrument(skip_all)]
pub async fn reset(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    jar: CookieJar,
    Path(token): Path<String>,
    Form(form): Form<ResetForm>,
) -> Result<Response> {
    passwords_on(&state)?;
    let hash = token_hash(&token);
    let link = password_resets::find(&state.db, &hash).await?;
    let Link::Valid {
        person_id,
        email,
        password_hash,
    } = link
    else {
        return dead_link(&state, jar, user.as_ref(), &link);
    };
    let new_hash = match new_hash(&state, &form, person_id, &email, password_hash).await? {
        Ok(new_hash) => new_hash,
        Err(errors) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return reset_page(&state, jar, user.as_ref(), status, token, (None, errors));
        }
    };
    if !store(&state, &hash, person_id, &email, &new_hash).await? {
        return dead_link(&state, jar, user.as_ref(), &Link::Spent);
    }
    Ok(Redirect::to("/login?reset=1").into_response())
}

/// The argon2 hash of the new password, or what is wrong with it.
async fn new_hash(
    state: &AppState,
    form: &ResetForm,
    person_id: Uuid,
    email: &str,
    current: Option<String>,
) -> Result<std::result::Result<String, Vec<FieldError>>> {
    // The name too: a password made from it is refused.
    let name = sqlx::query_scalar!("select display_name from people where id = $1", person_id)
        .fetch_optional(&state.db)
        .await?
        .unwrap_or_default();
    let name = name.as_str();
    let mut errors: Vec<FieldError> =
        password::new_password_problems(&form.new_password, &form.confirm_password, email, name)
            .into_iter()
            .map(|(f, m)| FieldError::new(field_name(f), m))
            .collect();
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let new = form.new_password.clone();
    let (same, hash) = state
        .password_work(move || {
            let same = password::is_current(current.as_deref(), &new);
            (same, (!same).then(|| password::hash(&new)))
        })
        .await?;
    match hash {
        Some(hash) if !same => Ok(Ok(hash?)),
        _ => {
            errors.push(FieldError::new(
                "new_password",
                "The new password is your current one. Choose a different one.",
            ));
            Ok(Err(errors))
        }
    }
}

/// Use the link and set the password, ending every session of the person, in one
/// transaction. False when the link stopped working in the meantime.
async fn store(
    state: &AppState,
    link_hash: &[u8],
    person_id: Uuid,
    email: &str,
    new_hash: &str,
) -> Result<bool> {
    let mut tx = state.db.begin().await?;
    if !password_resets::consume(&mut tx, link_hash, person_id).await? {
        return Ok(false);
    }
    sqlx::query!(
        "update people set password_hash = $2 where id = $1",
        person_id,
        new_hash
    )
    .execute(&mut *tx)
    .await?;
    let ended = sqlx::query!("delete from sessions where person_id = $1", person_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    // Whoever holds the link proved they read the person's email: the sign-in pauses go too.
    throttle::clear_account(&mut *tx, email).await?;
    audit::record(
        &mut *tx,
        Actor::Person(person_id),
        "auth.password_reset",
        "person",
        Some(person_id.to_string()),
        json!({ "sessions_ended": ended }),
    )
    .await?;
    notify(
        &mut *tx,
        &NewNotification {
            person_id,
            kind: "password_changed",
            title: "Your password was changed",
            body: "Your Trellis password was changed with a link sent to your email, and every \
                   session was signed out. If this was not you, tell your IT team at once.",
            link: Some("/account/password"),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}
