//! Career paths (`/careers`): suggested moves from three sources side by side (paths HR
//! defined, profiles close by skills, moves people made), where the person's job profile can
//! lead (a layered SVG graph with an accessible list beside it); a target profile's gap and learning path
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
use crate::service::careers::moves::{self, CareerMove, CareerMoves};
use crate::service::careers::{self, Target};

#[derive(Template)]
#[template(path = "careers/page.html")]
struct CareersPage {
    page: Page,
    graph: Option<CareerGraph>,
    moves: CareerMoves,
    node_w: i32,
    node_h: i32,
}

/// One source of suggested moves, as a column of the page.
struct Column<'a> {
    title: &'static str,
    testid: &'static str,
    empty: &'static str,
    moves: &'a [CareerMove],
}

impl CareersPage {
    fn columns(&self) -> [Column<'_>; 3] {
        [
            Column {
                title: "Paths HR defined",
                testid: "moves-defined",
                empty: "HR has defined no paths from your role yet.",
                moves: &self.moves.defined,
            },
            Column {
                title: "Close to your skills",
                testid: "moves-by-skills",
                empty: "Add skills to your profile to see the roles closest to them.",
                moves: &self.moves.by_skills,
            },
            Column {
                title: "Moves people made",
                testid: "moves-observed",
                empty: "Too few people have moved from your role yet to show where they went.",
                moves: &self.moves.observed,
            },
        ]
    }
}

/// GET /careers
pub async fn page(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>> {
    render(&CareersPage {
        page: Page::new("Career paths", &user, Section::Careers),
        graph: graph::load(&state, user.id).await?,
        moves: moves::load(&state, user.id).await?,
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
