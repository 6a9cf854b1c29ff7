//! HR's queue of proposed skills (`/hr/skills/proposals`): each pending proposal, oldest
//! first, with approve (as a new skill or as an alias of an existing one) and reject (with a
//! note for the proposer). `service::taxonomy::proposals` decides.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::error::{AppError, FieldError, Result};
use crate::http::extract::{Form, Path, Query};
use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;
use crate::service::taxonomy::proposals::{self, DecisionInput, Proposal};

/// Proposals per page.
const PAGE_SIZE: i64 = 50;

/// `?page=`.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "hr_admin/proposals.html")]
struct QueuePage {
    page: Page,
    items: Vec<Proposal>,
    total: i64,
    page_no: i64,
    pages: i64,
    /// The proposal whose form was refused, with the messages.
    failed: Option<Uuid>,
    errors: Vec<FieldError>,
}

impl QueuePage {
    fn is_failed(&self, id: &Uuid) -> bool {
        self.failed == Some(*id)
    }
}

async fn show(
    state: &AppState,
    user: &CurrentUser,
    page_no: i64,
    failed: Option<Uuid>,
    errors: Vec<FieldError>,
) -> Result<Html<String>> {
    let (items, total) = proposals::queue(state, page_no, PAGE_SIZE).await?;
    render(&QueuePage {
        page: Page::new("Proposed skills", user, Section::Hr),
        items,
        total,
        page_no,
        pages: (total + PAGE_SIZE - 1) / PAGE_SIZE,
        failed,
        errors,
    })
}

/// GET /hr/skills/proposals
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<PageQuery>,
) -> Result<Html<String>> {
    let mut errors = Vec::new();
    let page = crate::domain::params::page(&mut errors, &q.page);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    show(&state, &user, page, None, Vec::new()).await
}

/// The decision form.
#[derive(Debug, Default, Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    alias_of: String,
    #[serde(default)]
    note: String,
}

/// POST /hr/skills/proposals/{id}/decision
pub async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<DecisionForm>,
) -> Result<Response> {
    let input = DecisionInput {
        decision: f.decision,
        alias_of: Some(f.alias_of).filter(|s| !s.trim().is_empty()),
        note: f.note,
    };
    match proposals::decide(&state, &user, id, &input).await {
        Ok(()) => Ok(Redirect::to("/hr/skills/proposals").into_response()),
        Err(AppError::Validation(errors)) => {
            let html = show(&state, &user, 1, Some(id), errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
        Err(e) => Err(e),
    }
}
