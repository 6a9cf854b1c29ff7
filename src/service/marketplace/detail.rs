//! One opening as the signed-in person sees it: facts, fit with every reason, learning path,
//! whether they saved it, and whether (and under which rules) they may apply.

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::domain::eligibility::Refusal;
use crate::domain::policy::MobilityPolicy;
use crate::engine::today;
use crate::engine::views::{FitView, PathView, PersonRef};
use crate::error::{AppError, Result};

use crate::service::learning_paths;
use crate::service::marketplace::apply::{self, Question};
use crate::service::marketplace::browse::rfc3339;

/// A skill the opening asks for (or, for a mentorship, offers).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AskedSkill {
    pub skill_id: Uuid,
    pub skill: String,
    pub level: i16,
    pub importance: String,
}

/// Everything on an opening's page (the JSON twin returns exactly this).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OpeningDetail {
    pub id: Uuid,
    pub title: String,
    pub kind: String,
    pub status: String,
    pub description: String,
    pub department: String,
    pub owner: PersonRef,
    pub job_profile: Option<String>,
    pub location: Option<String>,
    pub work_mode: String,
    pub positions: i16,
    pub hours_per_week: Option<f64>,
    pub duration_weeks: Option<i16>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub return_guaranteed: Option<bool>,
    pub closes_on: Option<String>,
    pub published_at: Option<String>,
    pub skills: Vec<AskedSkill>,
    /// The person's fit with every reason: how well they cover what the opening asks, the
    /// score the hiring manager sees and the one stored when they apply (None when the engine
    /// does not know them yet).
    pub fit: Option<FitView>,
    /// The person's relevance with every reason: the fit part plus how the move suits them
    /// (their strengths it uses, the direction, preferences, aspirations). It ranks openings
    /// for them; it is not what a manager sees.
    pub relevance: Option<FitView>,
    /// The learning path that closes the gaps, with mentors and projects for the rest.
    pub path: Option<PathView>,
    pub saved: bool,
    /// The person's live application to this opening, if any.
    pub my_application: Option<Uuid>,
    /// The mobility policy in force.
    pub policy: MobilityPolicy,
    /// Why the person may not apply now (empty: they may).
    pub refusals: Vec<Refusal>,
    pub questions: Vec<Question>,
    /// Applying to this opening asks the current manager's approval first.
    pub needs_manager_approval: bool,
}

/// Load an opening for `person`. Drafts are visible only to their owner.
pub async fn load(state: &AppState, person: Uuid, id: Uuid) -> Result<OpeningDetail> {
    let o = sqlx::query!(
        r#"select o.id, o.title, o.kind, o.status, o.description, d.name as department,
                  o.owner_id, p.display_name as owner_name, jp.title as "job_profile?",
                  l.name as "location?", o.work_mode, o.positions, o.hours_per_week::float8 as hours,
                  o.duration_weeks, o.start_date, o.end_date, o.return_guaranteed, o.closes_on,
                  o.published_at,
                  exists(select 1 from saved_opportunities s where s.opportunity_id = o.id and s.person_id = $2) as "saved!",
                  (select a.id from applications a where a.opportunity_id = o.id and a.applicant_id = $2
                     and a.status in ('submitted', 'in_review', 'interviewing', 'offered', 'accepted')) as my_application
           from opportunities o
           join departments d on d.id = o.department_id
           join people p on p.id = o.owner_id
           left join job_profiles jp on jp.id = o.job_profile_id
           left join locations l on l.id = o.location_id
           where o.id = $1"#,
        id,
        person
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)?;
    if o.status == "draft" && o.owner_id != person {
        return Err(AppError::NotFound);
    }
    let skills = sqlx::query_as!(
        AskedSkill,
        "select s.id as skill_id, s.name as skill, os.level, os.importance
         from opportunity_skills os join skills s on s.id = os.skill_id
         where os.opportunity_id = $1
         order by case os.importance when 'essential' then 0 when 'important' then 1 else 2 end, s.name",
        id
    )
    .fetch_all(&state.db)
    .await?;
    let (fit, relevance, path) = readiness(state, person, id).await?;
    let (policy, refusals) =
        apply::eligibility(&mut *state.db.acquire().await?, person, id).await?;
    let questions = apply::questions(&state.db, id).await?;
    let needs_manager_approval = o.kind == "project" && policy.project_needs_manager_approval;
    Ok(OpeningDetail {
        id: o.id,
        title: o.title,
        kind: o.kind,
        status: o.status,
        description: o.description,
        department: o.department,
        owner: PersonRef {
            id: o.owner_id,
            display_name: o.owner_name,
        },
        job_profile: o.job_profile,
        location: o.location,
        work_mode: o.work_mode,
        positions: o.positions,
        hours_per_week: o.hours,
        duration_weeks: o.duration_weeks,
        start_date: o.start_date.map(|d| d.to_string()),
        end_date: o.end_date.map(|d| d.to_string()),
        return_guaranteed: o.return_guaranteed,
        closes_on: o.closes_on.map(|d| d.to_string()),
        published_at: o.published_at.map(rfc3339),
        skills,
        fit,
        relevance,
        path,
        saved: o.saved,
        my_application: o.my_application,
        policy,
        refusals,
        questions,
        needs_manager_approval,
    })
}

/// The engine's fit and learning path (with course titles, mentors and projects).
async fn readiness(
    state: &AppState,
    person: Uuid,
    opening: Uuid,
) -> Result<(Option<FitView>, Option<FitView>, Option<PathView>)> {
    let weekly = learning_paths::weekly_hours(state, person).await?;
    let Some(mut r) = state.engine.readiness(person, opening, weekly, today()) else {
        return Ok((None, None, None));
    };
    learning_paths::add_names(state, &mut r.path, person).await?;
    Ok((Some(r.fit), Some(r.relevance), Some(r.path)))
}

/// Save an opening to the person's list (idempotent).
pub async fn save(state: &AppState, person: Uuid, id: Uuid, saved: bool) -> Result<()> {
    let exists = sqlx::query_scalar!(
        "select exists(select 1 from opportunities where id = $1 and status <> 'draft') as \"e!\"",
        id
    )
    .fetch_one(&state.db)
    .await?;
    if !exists {
        return Err(AppError::NotFound);
    }
    if saved {
        sqlx::query!(
            "insert into saved_opportunities (person_id, opportunity_id) values ($1, $2) on conflict do nothing",
            person,
            id
        )
        .execute(&state.db)
        .await?;
    } else {
        sqlx::query!(
            "delete from saved_opportunities where person_id = $1 and opportunity_id = $2",
            person,
            id
        )
        .execute(&state.db)
        .await?;
    }
    Ok(())
}
