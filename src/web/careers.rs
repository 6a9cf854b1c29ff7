//! Career paths (`/careers`): where the person's job profile can lead (a layered SVG graph
//! with an accessible list beside it); a target profile's gap and learning path
//! (`/careers/{profile_id}`), saved as a development plan (`POST .../plan`). The graph, the
//! target and the plan come from `service::careers`.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, Redirect};
use uuid::Uuid;

use crate::app::state::AppState;
use crate::error::Result;
use crate::http::extract::Path;
use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;
use crate::service::careers::graph::{self, CareerGraph, NODE_H, NODE_W};
use crate::service::careers::{self, Target};

#[derive(Template)]
#[template(path = "careers/page.html")]
struct CareersPage {
    page: Page,
    graph: Option<CareerGraph>,
    node_w: i32,
    node_h: i32,
}

/// GET /careers
pub async fn page(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>> {
    render(&CareersPage {
        page: Page::new("Career paths", &user, Section::Careers),
        graph: graph::load(&state, user.id).await?,
        node_w: NODE_W,
        node_h: NODE_H,
    })
}

#[derive(Template)]
#[template(path = "careers/target.html")]
struct TargetPage {
    page: Page,
    target: Target,
}

/// GET /careers/{profile_id}
pub async fn target_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(profile): Path<Uuid>,
) -> Result<Html<String>> {
    let target = careers::target(&state, user.id, profile).await?;
    render(&TargetPage {
        page: Page::new(format!("Towards {}", target.title), &user, Section::Careers),
        target,
    })
}

/// POST /careers/{profile_id}/plan
pub async fn plan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(profile): Path<Uuid>,
) -> Result<Redirect> {
    let id = careers::save_plan(&state, user.id, profile).await?;
    Ok(Redirect::to(&format!("/plans/{id}")))
}
