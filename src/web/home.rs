//! The employee's home page: openings recommended by the matching engine, applications,
//! learning and notifications (loaded by `service::home`).

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use crate::app::state::AppState;
use crate::error::Result;
use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;
use crate::service::home::{load, EmployeeHome};

#[derive(Template)]
#[template(path = "home/employee.html")]
struct HomePage {
    page: Page,
    home: EmployeeHome,
}

/// GET /
pub async fn page(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>> {
    let home = load(&state, &user).await?;
    render(&HomePage {
        page: Page::new("Home", &user, Section::Home),
        home,
    })
}
