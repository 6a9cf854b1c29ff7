//! The signed-in person's skill profile through the API: set a level, remove a skill.
//! A self-change to a manager-validated level turns it back into a self-assessment (it asks
//! for re-validation). Every change is audited and reaches the matching index at once.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json as JsonResponse;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::audit::{self, Actor};
use crate::domain::skill_level::SkillLevel;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::extract::{Json, Path};
use crate::web::session::CurrentUser;

/// Body of `PUT /me/skills/{skill_id}`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SetLevel {
    /// 1 (Novice) to 5 (Expert).
    level: i64,
}

/// A skill in the person's profile after a change.
#[derive(Debug, Serialize, ToSchema)]
pub struct HeldSkillView {
    pub skill_id: Uuid,
    pub skill: String,
    pub level: i16,
    pub evidence: String,
}

/// Set the level of a skill in my profile (self-assessed).
#[utoipa::path(put, path = "/me/skills/{skill_id}", tag = "people",
    params(("skill_id" = Uuid, Path, description = "The skill")),
    request_body = SetLevel,
    responses((status = 200, body = HeldSkillView), (status = 404, body = super::Problem),
              (status = 422, body = super::Problem)))]
pub async fn set_level(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(skill_id): Path<Uuid>,
    Json(body): Json<SetLevel>,
) -> Result<JsonResponse<HeldSkillView>> {
    let level = SkillLevel::try_from(body.level).map_err(|m| AppError::field("/level", m))?;
    let mut tx = state.db.begin().await?;
    let skill = sqlx::query_scalar!(
        "select name from skills where id = $1 and merged_into_id is null",
        skill_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let before = sqlx::query!(
        "select level, evidence from person_skills where person_id = $1 and skill_id = $2 for update",
        user.id,
        skill_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let row = sqlx::query!(
        "insert into person_skills (person_id, skill_id, level, evidence)
         values ($1, $2, $3, 'self_assessed')
         on conflict (person_id, skill_id) do update
           set level = excluded.level, evidence = 'self_assessed', validated_by_id = null,
               validated_at = null, updated_at = now()
         returning level, evidence",
        user.id,
        skill_id,
        i16::from(level.get())
    )
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        Actor::Person(user.id),
        "profile.skill_set",
        "person_skill",
        Some(format!("{}/{}", user.id, skill_id)),
        json!({
            "skill": skill,
            "level": level.get(),
            "before": before.as_ref().map(|b| json!({ "level": b.level, "evidence": b.evidence })),
        }),
    )
    .await?;
    tx.commit().await?;
    state.engine.refresh_person(&state.db, user.id).await?;
    Ok(JsonResponse(HeldSkillView {
        skill_id,
        skill,
        level: row.level,
        evidence: row.evidence,
    }))
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
    let mut tx = state.db.begin().await?;
    let removed = sqlx::query!(
        "delete from person_skills where person_id = $1 and skill_id = $2 returning level, evidence",
        user.id,
        skill_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    audit::record(
        &mut *tx,
        Actor::Person(user.id),
        "profile.skill_removed",
        "person_skill",
        Some(format!("{}/{}", user.id, skill_id)),
        json!({ "level": removed.level, "evidence": removed.evidence }),
    )
    .await?;
    tx.commit().await?;
    state.engine.refresh_person(&state.db, user.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
