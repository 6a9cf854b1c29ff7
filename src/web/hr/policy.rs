//! Mobility policy settings: `GET/POST /hr/policy`, the form and the history of versions.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::app::state::AppState;
use crate::error::{AppError, FieldError, Result};
use crate::http::extract::Form;
use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;
use crate::service::hr::policy::{
    change, current_input, history, PolicyInput, PolicyVersion, STAGES,
};

#[derive(Template)]
#[template(path = "hr/policy.html")]
struct PolicyPage {
    page: Page,
    input: PolicyInput,
    errors: Vec<FieldError>,
    versions: Vec<PolicyVersion>,
    stages: &'static [&'static str],
    saved: bool,
}

impl PolicyPage {
    fn error(&self, field: &str) -> String {
        self.errors
            .iter()
            .filter(|e| e.field == field)
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

async fn show(
    state: &AppState,
    user: &CurrentUser,
    input: PolicyInput,
    errors: Vec<FieldError>,
    saved: bool,
) -> Result<Html<String>> {
    render(&PolicyPage {
        page: Page::new("Mobility policy", user, Section::Hr),
        input,
        errors,
        versions: history(state).await?,
        stages: STAGES,
        saved,
    })
}

/// Query of `GET /hr/policy`.
#[derive(Debug, Default, Deserialize)]
pub struct Saved {
    pub saved: Option<String>,
}

/// GET /hr/policy
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    crate::http::extract::Query(q): crate::http::extract::Query<Saved>,
) -> Result<Html<String>> {
    let current = current_input(&state).await?;
    show(&state, &user, current, Vec::new(), q.saved.is_some()).await
}

/// POST /hr/policy
pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(input): Form<PolicyInput>,
) -> Result<Response> {
    match input.validate() {
        Ok(p) => {
            change(&state, &user, &p).await?;
            Ok(Redirect::to("/hr/policy?saved=1").into_response())
        }
        Err(AppError::Validation(errors)) => {
            let html = show(&state, &user, input, errors, false).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
        Err(other) => Err(other),
    }
}
