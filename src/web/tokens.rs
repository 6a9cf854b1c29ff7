//! API tokens: HR's page at `/hr/tokens`, and the bearer authentication every request with an
//! `Authorization` header goes through.
//!
//! What a token may do (its creator must still be an HR admin in employment):
//! - `read`: GET/HEAD under `/api/v1` and `/api/openapi.json`, seeing what HR sees;
//! - `write`: unsafe methods (POST, PUT, PATCH, DELETE) under `/api/v1` (read is separate);
//! - `metrics`: `/api/v1/metrics*` (the metrics endpoints need no other scope);
//! - `scim`: `/scim/v2` only.
//!
//! Tokens never reach the HTML pages, and cannot manage tokens. Each request made with a
//! valid token writes exactly one audit row (`api_token.use`, allowed or refused).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::tokens::{self, ApiToken, SCOPES};
use crate::error::{AppError, Result};
use crate::http::extract::{Form, Path};
use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;

/// What the create form (and the JSON twin) sends.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct NewToken {
    pub name: String,
    /// Any of `read`, `write`, `scim`, `metrics`.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// Days until the token expires (1 to 730).
    pub expires_in_days: i64,
}

/// Check a new token's fields; field names are JSON pointers when `pointer` is set.
pub fn validate(new: &NewToken, pointer: bool) -> Result<(String, Vec<String>, OffsetDateTime)> {
    let f = |name: &str| {
        if pointer {
            format!("/{name}")
        } else {
            name.to_string()
        }
    };
    let mut errors = vec![];
    let name = new.name.trim().to_string();
    if name.is_empty() || name.len() > 100 {
        errors.push(crate::error::FieldError::new(
            f("name"),
            "Give the token a name of 1 to 100 characters.",
        ));
    }
    let mut scopes: Vec<String> = SCOPES
        .iter()
        .filter(|s| new.scopes.iter().any(|given| given == *s))
        .map(|s| s.to_string())
        .collect();
    scopes.dedup();
    if scopes.is_empty() || new.scopes.iter().any(|s| !SCOPES.contains(&s.as_str())) {
        errors.push(crate::error::FieldError::new(
            f("scopes"),
            "Choose one or more of read, write, scim, metrics.",
        ));
    }
    if !(1..=730).contains(&new.expires_in_days) {
        errors.push(crate::error::FieldError::new(
            f("expires_in_days"),
            "A token lasts 1 to 730 days.",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok((
        name,
        scopes,
        OffsetDateTime::now_utc() + Duration::days(new.expires_in_days),
    ))
}

/// The HTML form's fields (a checkbox per scope).
#[derive(Debug, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    expires_in_days: String,
    scope_read: Option<String>,
    scope_write: Option<String>,
    scope_scim: Option<String>,
    scope_metrics: Option<String>,
}

#[derive(Template)]
#[template(path = "tokens/index.html")]
struct TokensPage {
    page: Page,
    tokens: Vec<ApiToken>,
    /// The secret of the token just created: shown once.
    created: Option<String>,
    errors: Vec<crate::error::FieldError>,
    name: String,
    expires_in_days: String,
    scopes: Vec<String>,
}

impl TokensPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
    fn checked(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}

async fn page_with(state: &AppState, user: &CurrentUser, form: TokensPage) -> Result<Html<String>> {
    let tokens = tokens::list(&state.db).await?;
    render(&TokensPage {
        tokens,
        page: Page::new("API tokens", user, Section::Hr),
        ..form
    })
}

fn blank(user: &CurrentUser) -> TokensPage {
    TokensPage {
        page: Page::new("API tokens", user, Section::Hr),
        tokens: vec![],
        created: None,
        errors: vec![],
        name: String::new(),
        expires_in_days: "90".into(),
        scopes: vec!["read".into()],
    }
}

/// `GET /hr/tokens`: the tokens and the form to create one.
pub async fn page(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>> {
    page_with(&state, &user, blank(&user)).await
}

/// `POST /hr/tokens`: create a token and show its secret once.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<TokenForm>,
) -> Result<Response> {
    let picked = [
        ("read", &form.scope_read),
        ("write", &form.scope_write),
        ("scim", &form.scope_scim),
        ("metrics", &form.scope_metrics),
    ];
    let scopes: Vec<String> = picked
        .iter()
        .filter(|(_, v)| v.is_some())
        .map(|(s, _)| s.to_string())
        .collect();
    let new = NewToken {
        name: form.name.clone(),
        scopes: scopes.clone(),
        expires_in_days: form.expires_in_days.trim().parse().unwrap_or(0),
    };
    let mut view = TokensPage {
        name: form.name,
        expires_in_days: form.expires_in_days,
        scopes,
        ..blank(&user)
    };
    match validate(&new, false) {
        Ok((name, scopes, expires_at)) => {
            let (_, secret) =
                tokens::create(&state.db, user.id, &name, &scopes, expires_at).await?;
            view = TokensPage {
                created: Some(secret),
                ..blank(&user)
            };
            Ok(page_with(&state, &user, view).await?.into_response())
        }
        Err(AppError::Validation(errors)) => {
            view.errors = errors;
            let html = page_with(&state, &user, view).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
        Err(other) => Err(other),
    }
}

/// `POST /hr/tokens/{id}/revoke`.
pub async fn revoke(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Redirect> {
    if !tokens::revoke(&state.db, id, user.id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/hr/tokens"))
}
