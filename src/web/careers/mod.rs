//! Career paths (`/careers`): where the person's job profile can lead (a layered SVG graph
//! with an accessible list beside it); a target profile's gap and learning path
//! (`/careers/{profile_id}`), saved as a development plan (`POST .../plan`).

pub mod fit;
pub mod graph;

use askama::Template;
use axum::extract::State;
use axum::response::{Html, Redirect};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::engine::views::{FitView, PathView};
use crate::error::{AppError, Result};
use crate::http::extract::Path;
use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;
use graph::{CareerGraph, NODE_H, NODE_W};

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

/// A target profile as the person sees it: the fit with every reason and the learning path.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Target {
    pub profile_id: Uuid,
    pub title: String,
    pub level: String,
    pub family: String,
    pub fit: FitView,
    pub path: PathView,
}

impl Target {
    /// The reasons that are gaps (not fully met).
    pub fn gaps(&self) -> Vec<&crate::engine::views::ReasonView> {
        self.fit
            .reasons
            .iter()
            .filter(|r| r.outcome.is_some_and(|o| o != "met"))
            .collect()
    }
}

/// Load a target profile for the person: 404 for an unknown or retired profile.
pub async fn target(state: &AppState, person: Uuid, profile: Uuid) -> Result<Target> {
    let p = sqlx::query!(
        "select jp.title, l.code, f.name from job_profiles jp
         join job_levels l on l.id = jp.level_id join job_families f on f.id = jp.family_id
         where jp.id = $1 and jp.retired_at is null",
        profile
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)?;
    let skills = graph::profile_skills(state, &[profile])
        .await?
        .remove(&profile)
        .unwrap_or_default();
    let weekly = crate::service::learning_paths::weekly_hours(state, person).await?;
    let engine = state.engine.clone();
    let (fit, mut path) = tokio::task::spawn_blocking(move || {
        fit::readiness(&engine, person, &skills, weekly, crate::engine::today())
    })
    .await
    .map_err(|e| AppError::Other(e.into()))?
    .ok_or(AppError::NotFound)?;
    crate::service::learning_paths::add_names(state, &mut path, person).await?;
    Ok(Target {
        profile_id: profile,
        title: p.title,
        level: p.code,
        family: p.name,
        fit,
        path,
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
    let target = target(&state, user.id, profile).await?;
    render(&TargetPage {
        page: Page::new(format!("Towards {}", target.title), &user, Section::Careers),
        target,
    })
}

/// Save the target's learning path as a development plan; returns the plan's id.
pub async fn save_plan(state: &AppState, person: Uuid, profile: Uuid) -> Result<Uuid> {
    let t = target(state, person, profile).await?;
    crate::db::plans::create_from_path(&state.db, person, (profile, &t.title), &t.path).await
}

/// POST /careers/{profile_id}/plan
pub async fn plan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(profile): Path<Uuid>,
) -> Result<Redirect> {
    let id = save_plan(&state, user.id, profile).await?;
    Ok(Redirect::to(&format!("/plans/{id}")))
}
