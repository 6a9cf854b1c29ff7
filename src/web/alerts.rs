//! Job alerts: saved searches ("Save this search" on the browse page) and "openings that fit
//! me above N", each with alerts on or off (`service::saved_searches` checks and stores
//! them; the worker in `crate::app::alerts` reads them).

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::error::{AppError, FieldError, Result};
use crate::http::extract::{Form, Path};
use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;
use crate::service::marketplace::filters::BrowseParams;
use crate::service::saved_searches::{change, create, list, NewSavedSearch, SavedSearch};

#[derive(Template)]
#[template(path = "alerts/list.html")]
struct ListPage {
    page: Page,
    searches: Vec<SavedSearch>,
    errors: Vec<FieldError>,
}

/// GET /alerts
pub async fn page(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>> {
    let searches = list(&state, user.id).await?;
    render(&ListPage {
        page: Page::new("Job alerts", &user, Section::Notifications),
        searches,
        errors: Vec::new(),
    })
}

/// The form: `name`, `query` (the browse filters as JSON), `min_fit`, `alerts`.
#[derive(Debug, Deserialize)]
pub struct SearchForm {
    name: String,
    #[serde(default)]
    query: String,
    #[serde(default)]
    min_fit: String,
}

/// POST /alerts
pub async fn create_post(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<SearchForm>,
) -> Result<Response> {
    let mut errors = Vec::new();
    let query = if form.query.trim().is_empty() {
        BrowseParams::default()
    } else {
        serde_json::from_str(&form.query).unwrap_or_else(|_| {
            errors.push(FieldError::new("query", "could not be read"));
            BrowseParams::default()
        })
    };
    let min_fit = match form.min_fit.trim() {
        "" => None,
        s => s.parse::<i16>().map(Some).unwrap_or_else(|_| {
            errors.push(FieldError::new("min_fit", "must be a score from 0 to 100"));
            None
        }),
    };
    if errors.is_empty() {
        let new = NewSavedSearch {
            name: form.name,
            query,
            min_fit,
            alerts: Some(true),
        };
        match create(&state, user.id, &new).await {
            Ok(_) => return Ok(Redirect::to("/alerts").into_response()),
            Err(AppError::Validation(bad)) => errors = bad,
            Err(e) => return Err(e),
        }
    }
    let searches = list(&state, user.id).await?;
    let html = render(&ListPage {
        page: Page::new("Job alerts", &user, Section::Notifications),
        searches,
        errors,
    })?;
    Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
}

/// POST /alerts/{id}/on
pub async fn turn_on(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Redirect> {
    change(&state, user.id, id, Some(true)).await?;
    Ok(Redirect::to("/alerts"))
}

/// POST /alerts/{id}/off
pub async fn turn_off(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Redirect> {
    change(&state, user.id, id, Some(false)).await?;
    Ok(Redirect::to("/alerts"))
}

/// POST /alerts/{id}/delete
pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Redirect> {
    change(&state, user.id, id, None).await?;
    Ok(Redirect::to("/alerts"))
}
