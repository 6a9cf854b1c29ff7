//! Mentors (`/mentors`): find mentors by skill, ask one, and answer the requests addressed
//! to me.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::mentors::{self, Mentor, Request};
use crate::db::profile::{resolve_skill, Resolved, SkillHit};
use crate::error::{AppError, Result};
use crate::http::extract::{Form, Path, Query};
use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;
use crate::service::mentors as service;

/// `?skill=` a skill name or alias.
#[derive(Debug, Default, Deserialize)]
pub struct Find {
    #[serde(default)]
    skill: String,
}

#[derive(Template)]
#[template(path = "mentors/page.html")]
struct MentorsPage {
    page: Page,
    skill_text: String,
    skill: Option<SkillHit>,
    choices: Vec<SkillHit>,
    mentors: Vec<Mentor>,
    requests: Vec<Request>,
    me: Uuid,
    error: Option<String>,
}

async fn show(
    state: &AppState,
    user: &CurrentUser,
    skill_text: String,
    error: Option<String>,
) -> Result<Response> {
    let (skill, choices) = if skill_text.trim().is_empty() {
        (None, Vec::new())
    } else {
        match resolve_skill(&state.db, &skill_text).await? {
            Resolved::Skill(s) => (Some(s), Vec::new()),
            Resolved::Choices(c) => (None, c),
        }
    };
    let mentors = match &skill {
        Some(s) => mentors::find(&state.db, Some(s.id), user.id).await?,
        None => Vec::new(),
    };
    Ok(render(&MentorsPage {
        page: Page::new("Mentors", user, Section::Mentors),
        skill_text,
        skill,
        choices,
        mentors,
        requests: mentors::requests_of(&state.db, user.id).await?,
        me: user.id,
        error,
    })?
    .into_response())
}

/// GET /mentors
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<Find>,
) -> Result<Response> {
    show(&state, &user, q.skill, None).await
}

/// The request form.
#[derive(Debug, Deserialize)]
pub struct Ask {
    mentor_id: Uuid,
    skill_id: Uuid,
    #[serde(default)]
    skill: String,
    #[serde(default)]
    message: String,
}

/// POST /mentors/requests
pub async fn ask(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<Ask>,
) -> Result<Response> {
    match service::request(
        &state,
        user.id,
        form.mentor_id,
        form.skill_id,
        &form.message,
    )
    .await
    {
        Ok(_) => Ok(Redirect::to("/mentors#requests").into_response()),
        Err(AppError::Conflict(why)) => show(&state, &user, form.skill, Some(why)).await,
        Err(AppError::Validation(e)) => {
            let why = e.into_iter().next().map(|f| f.message);
            show(&state, &user, form.skill, why).await
        }
        Err(other) => Err(other),
    }
}

/// POST /mentors/requests/{id}/accept
pub async fn accept(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Redirect> {
    service::respond(&state, user.id, id, true).await?;
    Ok(Redirect::to("/mentors#requests"))
}

/// POST /mentors/requests/{id}/decline
pub async fn decline(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Redirect> {
    service::respond(&state, user.id, id, false).await?;
    Ok(Redirect::to("/mentors#requests"))
}
