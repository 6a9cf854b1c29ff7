//! HR's view of every opening (`/hr/openings`): the work left waiting, overdue first, and
//! the open openings company-wide with their pipelines.

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use crate::app::state::AppState;
use crate::db::menus::{self, Choice};
use crate::error::Result;
use crate::http::extract::Query;
use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;
use crate::service::oversight::{self as service, Oversight, OversightParams};

#[derive(Template)]
#[template(path = "hr/openings.html")]
struct OpeningsPage {
    page: Page,
    o: Oversight,
    q: OversightParams,
    departments: Vec<Choice>,
}

impl OpeningsPage {
    fn is(&self, value: &Option<String>, id: &str) -> bool {
        value.as_deref() == Some(id)
    }
}

/// GET /hr/openings
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<OversightParams>,
) -> Result<Html<String>> {
    let o = service::load(&state.db, &q).await?;
    render(&OpeningsPage {
        page: Page::new("Every opening", &user, Section::Hr),
        o,
        q,
        departments: menus::departments(&state.db).await?,
    })
}
