//! API tokens: HR's page at `/hr/tokens`. Checking, creating and revoking are
//! `service::tokens`'; the bearer authentication every request with an `Authorization`
//! header goes through is `http::bearer`'s.
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
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::tokens::{self, ApiToken};
use crate::error::{AppError, Result};
use crate::http::extract::{Form, Path};
use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;
use crate::service::tokens::{self as service, NewToken};

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
    match service::create(&state, user.id, &new).await {
        Ok((_, secret)) => {
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
    service::revoke(&state, id, user.id).await?;
    Ok(Redirect::to("/hr/tokens"))
}
