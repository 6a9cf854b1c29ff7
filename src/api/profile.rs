//! The signed-in person's profile through the API: skills (set a level, add by name or
//! alias, offer mentoring, remove), aspirations, suggested skills, and the skill search that
//! the profile page's autocomplete uses. The writes are the page's (`db::profile`): a
//! self-change to a manager-validated level needs `confirm_revalidation`, turns it back into
//! a self-assessment and asks the manager to re-validate. Every change is audited and
//! reaches the matching index at once.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json as JsonResponse;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::aspirations::{self, Aspirations, SuggestedSkill};
use crate::db::profile::{self, HeldSkill, LevelChange, Resolved, SkillHit};
use crate::domain::skill_level::SkillLevel;
use crate::error::{AppError, Result};
use crate::http::extract::{Json, Path, Query};
use crate::http::session::CurrentUser;

/// Body of `PUT /me/skills/{skill_id}`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SetLevel {
    /// 1 (Novice) to 5 (Expert).
    #[schema(minimum = 1, maximum = 5)]
    level: i64,
    /// Needed to change a manager-validated level (it will need re-validation).
    #[serde(default)]
    confirm_revalidation: bool,
    /// Offer (or stop offering) mentoring in this skill.
    #[serde(default)]
    offers_mentoring: Option<bool>,
}

/// Body of `POST /me/skills`: a skill by name or alias.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AddSkill {
    /// A skill name or alias ("JS").
    skill: String,
    #[schema(minimum = 1, maximum = 5)]
    level: i64,
}

/// The whole profile: skills, aspirations, suggested skills.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyProfile {
    pub skills: Vec<HeldSkill>,
    pub aspirations: Aspirations,
    pub suggested_skills: Vec<SuggestedSkill>,
}

/// `GET /skills?q=`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SkillQuery {
    /// Part of a skill name or alias.
    #[serde(default)]
    q: String,
}

/// Skills whose name or alias contains `q`, best first, at most 10 (merged skills hidden).
#[utoipa::path(get, path = "/skills", tag = "people", params(SkillQuery),
    responses((status = 200, body = Vec<SkillHit>)))]
pub async fn search(
    State(state): State<AppState>,
    Query(q): Query<SkillQuery>,
) -> Result<JsonResponse<Vec<SkillHit>>> {
    Ok(JsonResponse(
        profile::search_skills(&state.db, &q.q, 10).await?,
    ))
}

/// My skills, aspirations and suggested skills.
#[utoipa::path(get, path = "/me/profile", tag = "people",
    responses((status = 200, body = MyProfile), (status = 401, body = super::Problem)))]
pub async fn me(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<JsonResponse<MyProfile>> {
    Ok(JsonResponse(MyProfile {
        skills: profile::skills_of(&state.db, user.id).await?,
        aspirations: aspirations::load(&state.db, user.id).await?,
        suggested_skills: aspirations::suggested_skills(&state.db, user.id).await?,
    }))
}

/// My skills.
#[utoipa::path(get, path = "/me/skills", tag = "people",
    responses((status = 200, body = Vec<HeldSkill>)))]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<JsonResponse<Vec<HeldSkill>>> {
    Ok(JsonResponse(profile::skills_of(&state.db, user.id).await?))
}

/// Add a skill by name or alias (422 with the close names when it is not exactly one skill).
#[utoipa::path(post, path = "/me/skills", tag = "people", request_body = AddSkill,
    responses((status = 200, body = HeldSkill), (status = 422, body = super::Problem)))]
pub async fn add(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(body): Json<AddSkill>,
) -> Result<JsonResponse<HeldSkill>> {
    let level = SkillLevel::try_from(body.level).map_err(|m| AppError::field("/level", m))?;
    let skill = match profile::resolve_skill(&state.db, &body.skill).await? {
        Resolved::Skill(hit) => hit,
        Resolved::Choices(choices) => {
            let names: Vec<String> = choices.into_iter().map(|c| c.name).collect();
            let message = if names.is_empty() {
                "no skill has this name or alias".to_string()
            } else {
                format!("not exactly one skill; did you mean: {}", names.join(", "))
            };
            return Err(AppError::field("/skill", message));
        }
    };
    let change = LevelChange {
        skill_id: skill.id,
        level,
        confirmed: false,
        offers_mentoring: None,
    };
    let held = profile::set_level(&state.db, user.id, change)
        .await
        .map_err(pointer("/confirm_revalidation"))?;
    state.engine.refresh_person(&state.db, user.id).await?;
    Ok(JsonResponse(held))
}

fn pointer(to: &'static str) -> impl Fn(AppError) -> AppError {
    move |e| match e {
        AppError::Validation(errors) => AppError::Validation(
            errors
                .into_iter()
                .map(|f| crate::error::FieldError::new(to, f.message))
                .collect(),
        ),
        other => other,
    }
}

/// Set the level of a skill in my profile (self-assessed).
#[utoipa::path(put, path = "/me/skills/{skill_id}", tag = "people",
    params(("skill_id" = Uuid, Path, description = "The skill")),
    request_body = SetLevel,
    responses((status = 200, body = HeldSkill), (status = 404, body = super::Problem),
              (status = 422, body = super::Problem)))]
pub async fn set_level(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(skill_id): Path<Uuid>,
    Json(body): Json<SetLevel>,
) -> Result<JsonResponse<HeldSkill>> {
    let level = SkillLevel::try_from(body.level).map_err(|m| AppError::field("/level", m))?;
    let change = LevelChange {
        skill_id,
        level,
        confirmed: body.confirm_revalidation,
        // One transaction with the level: a refused level changes no mentoring offer either.
        offers_mentoring: body.offers_mentoring,
    };
    profile::set_level(&state.db, user.id, change)
        .await
        .map_err(pointer("/confirm_revalidation"))?;
    state.engine.refresh_person(&state.db, user.id).await?;
    Ok(JsonResponse(
        profile::held(&state.db, user.id, skill_id).await?,
    ))
}

/// Remove a skill from my profile.
#[utoipa::path(delete, path = "/me/skills/{skill_id}", tag = "people",
    params(("skill_id" = Uuid, Path, description = "The skill")),
    responses((status = 204), (status = 404, body = super::Problem)))]
pub async fn remove(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(skill_id): Path<Uuid>,
) -> Result<StatusCode> {
    profile::remove(&state.db, user.id, skill_id).await?;
    state.engine.refresh_person(&state.db, user.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// My aspirations.
#[utoipa::path(get, path = "/me/aspirations", tag = "people",
    responses((status = 200, body = Aspirations)))]
pub async fn get_aspirations(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<JsonResponse<Aspirations>> {
    Ok(JsonResponse(aspirations::load(&state.db, user.id).await?))
}

/// Replace my aspirations.
#[utoipa::path(put, path = "/me/aspirations", tag = "people", request_body = Aspirations,
    responses((status = 200, body = Aspirations), (status = 422, body = super::Problem)))]
pub async fn put_aspirations(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(body): Json<Aspirations>,
) -> Result<JsonResponse<Aspirations>> {
    aspirations::save(&state.db, user.id, &body).await?;
    state.engine.refresh_person(&state.db, user.id).await?;
    Ok(JsonResponse(aspirations::load(&state.db, user.id).await?))
}
