//! Successors the engine proposes for a critical role: talent search over the role's job
//! profile (active, discoverable people; never the incumbent or someone already on the plan),
//! then each one's learning path toward the profile (hours, weeks to ready at their own
//! weekly learning hours) and the band it gives, their aspirations and mobility preferences.

use std::collections::HashMap;

use serde::Serialize;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::domain::succession::Readiness;
use crate::engine::Engine;
use crate::error::{AppError, Result};
use crate::matching::{Importance, Requirement, TalentFilter};
use crate::service::careers::fit::{self as profile_fit, ProfileSkill};
use crate::service::learning_paths;

use super::{role, Scope};

/// People talent search looks at before the readiness and preference checks.
const SEARCH_DEPTH: usize = 60;

/// A proposed successor.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SuccessorProposal {
    pub person_id: Uuid,
    pub display_name: String,
    pub job_title: Option<String>,
    pub department: Option<String>,
    /// Fit (0–100) for the role's job profile, as a manager ranks people.
    pub fit: u8,
    /// The fit's one-line summary ("Meets 8 of 10 skills; gaps: ...").
    pub headline: String,
    /// Hours of the learning path toward the profile and the weeks they take.
    pub path_hours: f32,
    pub weeks_to_ready: Option<u32>,
    /// A gap no course closes (a mentor or a project is needed).
    pub unclosable_gaps: bool,
    /// `ready_now`, `one_to_two_years` or `three_plus_years`, from the learning path.
    pub band: String,
    /// The person named this job profile among their career targets.
    pub aspires: bool,
    /// The person's preference: open to role moves.
    pub open_to_roles: bool,
}

impl SuccessorProposal {
    pub fn band_label(&self) -> &'static str {
        super::band_label(&self.band)
    }
}

fn requirements(live: &crate::engine::Live, skills: &[ProfileSkill]) -> Vec<Requirement> {
    skills
        .iter()
        .filter_map(|s| {
            Some(Requirement {
                skill: live.ids.skill_of(s.skill)?,
                level: u8::try_from(s.level).ok()?,
                importance: Importance::from_db(&s.importance)?,
            })
        })
        .collect()
}

/// The engine's top people for the skills, excluding `exclude`: (person, fit, headline).
fn search(
    engine: &Engine,
    skills: &[ProfileSkill],
    exclude: &[Uuid],
    k: usize,
    today: i32,
) -> Vec<(Uuid, u8, String)> {
    let live = engine.read();
    let reqs = requirements(&live, skills);
    if reqs.is_empty() {
        return Vec::new();
    }
    let excluded: Vec<_> = exclude
        .iter()
        .filter_map(|p| live.ids.person_of(*p))
        .collect();
    let filter = TalentFilter {
        exclude: &excluded,
        ..TalentFilter::default()
    };
    live.index
        .talent_search_for(&reqs, None, k, &filter, today)
        .into_iter()
        .filter(|r| r.fit.score > 0)
        .filter_map(|r| {
            let view = live.fit_view(&r.fit);
            Some((live.ids.person_uuid(r.id)?, view.score, view.headline))
        })
        .collect()
}

/// One person's readiness for the profile: (fit, path hours, weeks to ready, unclosable).
pub async fn readiness(
    state: &AppState,
    person: Uuid,
    skills: &[ProfileSkill],
) -> Result<Option<(u8, f32, Option<u32>, bool)>> {
    let weekly = learning_paths::weekly_hours(state, person).await?;
    let engine = state.engine.clone();
    let skills = skills.to_vec();
    let found = tokio::task::spawn_blocking(move || {
        profile_fit::readiness(&engine, person, &skills, weekly, crate::engine::today())
    })
    .await
    .map_err(|e| AppError::Other(e.into()))?;
    Ok(found.map(|(fit, path)| {
        (
            fit.score,
            path.total_hours,
            path.weeks_to_ready,
            !path.unclosable.is_empty(),
        )
    }))
}

/// Up to `limit` proposed successors, readiest first, then those who aspire to the role,
/// then by fit. People who said they are not open to role moves are left out.
pub async fn proposals(
    state: &AppState,
    scope: Scope,
    id: Uuid,
    limit: usize,
) -> Result<Vec<SuccessorProposal>> {
    let role = role(state, scope, id).await?;
    let skills = crate::service::careers::graph::profile_skills(state, &[role.job_profile_id])
        .await?
        .remove(&role.job_profile_id)
        .unwrap_or_default();
    let mut exclude: Vec<Uuid> = sqlx::query_scalar!(
        "select person_id from succession_candidates where critical_role_id = $1",
        id
    )
    .fetch_all(&state.db)
    .await?;
    exclude.extend(role.incumbent_id);
    let engine = state.engine.clone();
    let search_skills = skills.clone();
    let found = tokio::task::spawn_blocking(move || {
        search(
            &engine,
            &search_skills,
            &exclude,
            SEARCH_DEPTH,
            crate::engine::today(),
        )
    })
    .await
    .map_err(|e| AppError::Other(e.into()))?;
    let ids: Vec<Uuid> = found.iter().map(|f| f.0).collect();
    let rows: HashMap<Uuid, _> = sqlx::query!(
        r#"select p.id, p.display_name, jp.title as "title?", d.name as "department?",
                  coalesce(a.open_to_roles, true) as "open!",
                  exists(select 1 from aspiration_targets t
                         where t.person_id = p.id and t.job_profile_id = $2) as "aspires!"
           from people p
           left join aspirations a on a.person_id = p.id
           left join job_profiles jp on jp.id = p.job_profile_id
           left join departments d on d.id = p.department_id
           where p.id = any($1) and p.discoverable and p.employment_status = 'active'"#,
        &ids,
        role.job_profile_id
    )
    .fetch_all(&state.db)
    .await?
    .into_iter()
    .map(|r| (r.id, r))
    .collect();
    let mut out = Vec::new();
    for (person, _, headline) in found {
        let Some(r) = rows.get(&person) else { continue };
        if !r.open {
            continue;
        }
        let Some((fit, hours, weeks, unclosable)) = readiness(state, person, &skills).await? else {
            continue;
        };
        out.push(SuccessorProposal {
            person_id: person,
            display_name: r.display_name.clone(),
            job_title: r.title.clone(),
            department: r.department.clone(),
            fit,
            headline,
            path_hours: hours,
            weeks_to_ready: weeks,
            unclosable_gaps: unclosable,
            band: Readiness::from_path(weeks, unclosable).as_db().to_string(),
            aspires: r.aspires,
            open_to_roles: r.open,
        });
    }
    out.sort_by(|a, b| {
        let band = |p: &SuccessorProposal| Readiness::from_db(&p.band);
        band(a)
            .cmp(&band(b))
            .then(b.aspires.cmp(&a.aspires))
            .then(b.fit.cmp(&a.fit))
    });
    out.truncate(limit);
    Ok(out)
}
