//! "My applications" pages: the list, one application in full, and withdrawal. The rules are
//! in `service::applications`.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, Redirect};
use uuid::Uuid;

use crate::app::state::AppState;
use crate::error::Result;
use crate::http::extract::Path;
use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;
use crate::service::applications::mine::{list, load, ApplicationDetail, ApplicationSummary};
use crate::service::applications::stage::withdraw;

#[derive(Template)]
#[template(path = "applications/list.html")]
struct ListPage {
    page: Page,
    applications: Vec<ApplicationSummary>,
}

/// GET /applications
pub async fn page(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>> {
    let applications = list(&state, user.id).await?;
    render(&ListPage {
        page: Page::new("My applications", &user, Section::Applications),
        applications,
    })
}

#[derive(Template)]
#[template(path = "applications/show.html")]
struct ShowPage {
    page: Page,
    a: ApplicationDetail,
}

/// GET /applications/{id}
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Html<String>> {
    let a = load(&state, user.id, id).await?;
    render(&ShowPage {
        page: Page::new(
            format!("Application: {}", a.summary.title),
            &user,
            Section::Applications,
        ),
        a,
    })
}

/// POST /applications/{id}/withdraw
pub async fn withdraw_post(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Redirect> {
    withdraw(&state, user.id, id).await?;
    Ok(Redirect::to(&format!("/applications/{id}")))
}
