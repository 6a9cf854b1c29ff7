//! The manager's pages: their team (`/team`) and their postings (`/postings`); what they
//! show comes from `service::team`.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::app::state::AppState;
use crate::error::Result;
use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;
use crate::service::team::{self as service, Posting, TeamHome};

pub mod reports;

#[derive(Template)]
#[template(path = "team/home.html")]
struct TeamPage {
    page: Page,
    team: TeamHome,
}

/// GET /team
pub async fn page(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>> {
    crate::service::team::conversations::remind_due(&state, user.id).await?;
    crate::db::moves::apply_due_moves(&state.db, crate::domain::today()).await?;
    let team = service::load(&state, &user).await?;
    render(&TeamPage {
        page: Page::new("My team", &user, Section::Team),
        team,
    })
}

#[derive(Template)]
#[template(path = "team/postings.html")]
struct PostingsPage {
    page: Page,
    postings: Vec<Posting>,
}

/// GET /postings (HR, who has no postings of their own, is sent to every opening)
pub async fn postings(State(state): State<AppState>, user: CurrentUser) -> Result<Response> {
    if user.is_hr && !user.is_manager {
        return Ok(Redirect::to("/hr/openings").into_response());
    }
    let postings = service::postings_of(&state, user.id, false).await?;
    Ok(render(&PostingsPage {
        page: Page::new("My postings", &user, Section::Postings),
        postings,
    })?
    .into_response())
}
