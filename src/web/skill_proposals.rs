//! Proposing a skill the taxonomy lacks (linked from the profile's "no skill is called ..."
//! and from a posting form's unknown skill), and the person's own proposals with HR's
//! decisions. `service::taxonomy::proposals` checks and stores them.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::app::state::AppState;
use crate::error::{AppError, FieldError, Result};
use crate::http::extract::{Form, Query};
use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;
use crate::service::taxonomy::proposals::{self, Proposal, ProposalInput};

/// The form as typed (also the query string that prefills it).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Typed {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// `profile` or `posting`.
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub sent: String,
}

#[derive(Template)]
#[template(path = "skills/proposals.html")]
struct ProposalsPage {
    page: Page,
    typed: Typed,
    mine: Vec<Proposal>,
    errors: Vec<FieldError>,
}

impl ProposalsPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
}

async fn show(
    state: &AppState,
    user: &CurrentUser,
    typed: Typed,
    errors: Vec<FieldError>,
) -> Result<Html<String>> {
    let mine = proposals::mine(state, user.id).await?;
    render(&ProposalsPage {
        page: Page::new("Propose a skill", user, Section::Profile),
        typed,
        mine,
        errors,
    })
}

/// GET /skills/proposals (`?name=&source=&level=` prefill the form)
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(mut typed): Query<Typed>,
) -> Result<Html<String>> {
    if typed.source.is_empty() {
        typed.source = "profile".into();
    }
    show(&state, &user, typed, Vec::new()).await
}

/// POST /skills/proposals
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(typed): Form<Typed>,
) -> Result<Response> {
    let mut errors = Vec::new();
    let level = match (typed.source.as_str(), typed.level.trim()) {
        ("profile", l) => match l.parse::<i16>() {
            Ok(l) => Some(l),
            Err(_) => {
                errors.push(FieldError::new(
                    "level",
                    "Give the level you hold, from 1 to 5.",
                ));
                None
            }
        },
        _ => None,
    };
    if errors.is_empty() {
        let input = ProposalInput {
            name: typed.name.clone(),
            description: typed.description.clone(),
            source: typed.source.clone(),
            level,
        };
        match proposals::propose(&state, &user, &input).await {
            Ok(_) => return Ok(Redirect::to("/skills/proposals?sent=1").into_response()),
            Err(AppError::Validation(bad)) => errors = bad,
            Err(e) => return Err(e),
        }
    }
    let html = show(&state, &user, typed, errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
}
