//! The bell's page: the signed-in person's notifications, and marking them read.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, Redirect};
use uuid::Uuid;

use crate::app::state::AppState;
use crate::error::Result;
use crate::http::extract::Path;
use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;
use crate::service::notifications::{load, mark_all_read, mark_read, Notifications};

#[derive(Template)]
#[template(path = "notifications/list.html")]
struct ListPage {
    page: Page,
    n: Notifications,
}

/// GET /notifications
pub async fn page(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>> {
    let n = load(&state, user.id).await?;
    render(&ListPage {
        page: Page::new("Notifications", &user, Section::Notifications),
        n,
    })
}

/// POST /notifications/{id}/read
pub async fn read_one(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Redirect> {
    mark_read(&state, user.id, id).await?;
    Ok(Redirect::to("/notifications"))
}

/// POST /notifications/read
pub async fn read_all(State(state): State<AppState>, user: CurrentUser) -> Result<Redirect> {
    mark_all_read(&state, user.id).await?;
    Ok(Redirect::to("/notifications"))
}
