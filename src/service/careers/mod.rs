//! Career paths as a person sees them, for the pages and the API alike: the graph out of
//! their job profile (`graph`), their fit for a target profile with the learning path toward
//! it (`fit`, `target`), and saving that path as a development plan.

pub mod fit;
pub mod graph;
pub mod moves;

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::engine::views::{FitView, PathView, ReasonView};
use crate::error::{AppError, Result};
use crate::service::learning_paths;

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
    pub fn gaps(&self) -> Vec<&ReasonView> {
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
    let weekly = learning_paths::weekly_hours(state, person).await?;
    let engine = state.engine.clone();
    let (fit, mut path) = tokio::task::spawn_blocking(move || {
        fit::readiness(&engine, person, &skills, weekly, crate::engine::today())
    })
    .await
    .map_err(|e| AppError::Other(e.into()))?
    .ok_or(AppError::NotFound)?;
    learning_paths::add_names(state, &mut path, person).await?;
    Ok(Target {
        profile_id: profile,
        title: p.title,
        level: p.code,
        family: p.name,
        fit,
        path,
    })
}

/// Save the target's learning path as a development plan; returns the plan's id.
pub async fn save_plan(state: &AppState, person: Uuid, profile: Uuid) -> Result<Uuid> {
    let t = target(state, person, profile).await?;
    crate::db::plans::create_from_path(&state.db, person, (profile, &t.title), &t.path).await
}
