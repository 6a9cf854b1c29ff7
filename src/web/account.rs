//! Changing one's own password: `GET/POST /account/password` (and its JSON twin,
//! `PUT /api/v1/me/password`). People without a password sign in by single sign-on only and
//! are told so. The rules, the transaction and the notification are `service::account`'s.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;

use crate::app::state::AppState;
use crate::domain::secret::token_hash;
use crate::error::{AppError, FieldError, Result};
use crate::http::address::ClientAddress;
use crate::http::extract::{Form, Query};
use crate::http::page::{render, Page, Section};
use crate::http::session::{session_cookie, CurrentUser};
/// The form field a password rule names (the reset page shares it).
pub use crate::service::account::field_name;
use crate::service::account::{change_password, why_no_password, PasswordChange, NO_PASSWORD};

#[derive(Template)]
#[template(path = "account/password.html")]
struct PasswordPage {
    page: Page,
    /// Why there is no form (no password, or passwords off).
    explanation: Option<&'static str>,
    errors: Vec<FieldError>,
    changed: bool,
}

impl PasswordPage {
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

/// `?changed=1` after a change.
#[derive(Debug, Default, Deserialize)]
pub struct Changed {
    changed: Option<String>,
}

fn show(
    user: &CurrentUser,
    explanation: Option<&'static str>,
    errors: Vec<FieldError>,
    changed: bool,
) -> Result<Response> {
    let page = PasswordPage {
        page: Page::new("Your password", user, Section::Profile),
        explanation,
        errors,
        changed,
    };
    Ok(render(&page)?.into_response())
}

/// GET /account/password
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<Changed>,
) -> Result<Response> {
    let explanation = why_no_password(&state, &user).await?;
    show(&user, explanation, Vec::new(), q.changed.is_some())
}

/// POST /account/password
#[tracing::instrument(skip_all, fields(person = %user.id))]
pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    address: ClientAddress,
    jar: CookieJar,
    Form(input): Form<PasswordChange>,
) -> Result<Response> {
    let keep = jar
        .get(session_cookie(&state.config))
        .map(|c| token_hash(c.value()));
    match change_password(&state, &user, keep, address.as_str(), input).await {
        Ok(()) => Ok(Redirect::to("/account/password?changed=1").into_response()),
        Err(AppError::Validation(errors)) => {
            let mut response = show(&user, None, errors, false)?;
            *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(AppError::Conflict(why)) if why == NO_PASSWORD => {
            show(&user, Some(NO_PASSWORD), Vec::new(), false)
        }
        Err(other) => Err(other),
    }
}
