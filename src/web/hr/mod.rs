//! The HR area: the home page's headline numbers, the mobility dashboard, the mobility policy
//! and the audit trail.

pub mod audit;
pub mod charts;
pub mod dashboard;
pub mod people;
pub mod policy;

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use crate::app::state::AppState;
use crate::error::Result;
use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;
use crate::service::hr::{headlines, Headlines};

#[derive(Template)]
#[template(path = "hr/home.html")]
struct HrPage {
    page: Page,
    headlines: Headlines,
}

/// GET /hr
pub async fn page(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>> {
    let headlines = headlines(&state).await?;
    render(&HrPage {
        page: Page::new("HR overview", &user, Section::Hr),
        headlines,
    })
}
