//! Learning as a person does it, for the pages and the API alike: the catalogue query
//! (resolving a skill typed by name or alias), enrolling, and recording progress (100
//! completes the course, raises the course's skills and refreshes the matching engine).

use serde::Deserialize;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::learning::{self, CatalogueQuery};
use crate::db::profile::{resolve_skill, Resolved};
use crate::domain::params;
use crate::error::{AppError, Result};

/// The catalogue's filters as typed; empty fields mean "any".
#[derive(Debug, Default, Deserialize)]
pub struct CatalogueParams {
    #[serde(default)]
    pub q: String,
    /// A skill name or alias.
    #[serde(default)]
    pub skill: String,
    #[serde(default)]
    pub format: String,
    /// From 1 (to `domain::params::MAX_PAGE`).
    #[serde(default)]
    pub page: Option<String>,
}

impl CatalogueParams {
    /// Resolve the skill by name or alias (an unknown skill matches nothing).
    pub async fn query(&self, state: &AppState) -> Result<CatalogueQuery> {
        let mut errors = Vec::new();
        let page = params::page(&mut errors, &self.page);
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let skill = if self.skill.trim().is_empty() {
            None
        } else {
            match resolve_skill(&state.db, &self.skill).await? {
                Resolved::Skill(s) => Some(s.id),
                Resolved::Choices(_) => Some(Uuid::nil()),
            }
        };
        Ok(CatalogueQuery {
            q: Some(self.q.clone()),
            skill,
            format: Some(self.format.clone()),
            page,
        })
    }
}

/// The course of one of the person's enrolments; 404 for anyone else's.
pub async fn course_of_enrolment(state: &AppState, person: Uuid, enrolment: Uuid) -> Result<Uuid> {
    sqlx::query_scalar!(
        "select course_id from enrolments where id = $1 and person_id = $2",
        enrolment,
        person
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)
}

/// Record progress (0-100) on one of the person's enrolments; 100 completes the course, and
/// the skills it raised reach the matching engine at once. Returns whether it completed.
pub async fn record_progress(
    state: &AppState,
    person: Uuid,
    enrolment: Uuid,
    pct: i64,
) -> Result<bool> {
    let completed = learning::set_progress(&state.db, person, enrolment, pct).await?;
    if completed {
        state.engine.refresh_person(&state.db, person).await?;
    }
    Ok(completed)
}
