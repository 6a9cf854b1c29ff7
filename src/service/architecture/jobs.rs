//! Creating and editing job families and levels: input (typed as text so a refused form keeps
//! what was typed), validation with JSON pointers, one audited transaction that re-checks the
//! career-path rules, then an engine reload (it holds the architecture).

use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{check_path, Place};
use crate::app::state::AppState;
use crate::db::architecture::{self, Level};
use crate::db::audit::{self, Actor};
use crate::db::constraints::on_constraint;
use crate::domain::user::CurrentUser;
use crate::error::{AppError, FieldError, Result};

/// A job family.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct FamilyInput {
    pub name: String,
    #[serde(default)]
    pub description: String,
}

/// A job level as typed (the rank as text).
#[derive(Debug, Clone, Default, Serialize)]
pub struct LevelForm {
    pub code: String,
    pub name: String,
    pub track: String,
    pub rank: String,
}

/// A job level in the JSON API.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct LevelInput {
    /// Unique, e.g. IC3 or M2.
    pub code: String,
    pub name: String,
    /// individual_contributor or manager.
    pub track: String,
    /// 1-20: orders levels across both tracks.
    pub rank: i32,
}

impl From<LevelInput> for LevelForm {
    fn from(l: LevelInput) -> LevelForm {
        LevelForm {
            code: l.code,
            name: l.name,
            track: l.track,
            rank: l.rank.to_string(),
        }
    }
}

/// The existing row of `table` (`id`, as JSON), locked; NotFound when absent.
async fn before(
    tx: &mut sqlx::PgConnection,
    table: &'static str,
    id: Option<Uuid>,
) -> Result<Option<serde_json::Value>> {
    let Some(id) = id else { return Ok(None) };
    let row = architecture::locked_json(tx, table, id).await?;
    row.map(Some).ok_or(AppError::NotFound)
}

/// Refuse the write if a career path touching `changed` (a profile or a level) now breaks
/// the rules (after a family, level or rank change).
pub async fn paths_still_hold(
    tx: &mut sqlx::PgConnection,
    changed: Uuid,
    pointer: &str,
) -> Result<()> {
    for path in architecture::paths_touching(tx, changed).await? {
        let from = Place {
            profile: path.from_profile,
            family: path.from_family,
            rank: path.from_rank,
        };
        let to = Place {
            profile: path.to_profile,
            family: path.to_family,
            rank: path.to_rank,
        };
        if let Err(why) = check_path(&path.kind, from, to) {
            let (at, bt) = (&path.from_title, &path.to_title);
            return Err(AppError::field(
                pointer,
                format!("This would break the career path {at} → {bt}: {why}"),
            ));
        }
    }
    Ok(())
}

async fn finish(
    state: &AppState,
    mut tx: sqlx::Transaction<'_, sqlx::Postgres>,
    user: &CurrentUser,
    action: &str,
    entity: (&str, Uuid),
    details: serde_json::Value,
) -> Result<Uuid> {
    audit::record(
        &mut *tx,
        Actor::Person(user.id),
        action,
        entity.0,
        Some(entity.1.to_string()),
        details,
    )
    .await?;
    tx.commit().await?;
    state.engine.reload(&state.db).await?;
    Ok(entity.1)
}

/// Create (`id` None) or edit a job family. Audited.
pub async fn save_family(
    state: &AppState,
    user: &CurrentUser,
    id: Option<Uuid>,
    f: &FamilyInput,
) -> Result<Uuid> {
    let mut tx = state.db.begin().await?;
    let before = before(&mut tx, "job_families", id).await?;
    let name = f.name.trim();
    if name.is_empty() {
        return Err(AppError::field("/name", "A job family needs a name."));
    }
    if architecture::family_name_taken(&mut tx, name, id).await? {
        return Err(AppError::field(
            "/name",
            format!("Another job family is already called {name}."),
        ));
    }
    let saved = architecture::save_family(&mut tx, id, name, f.description.trim())
        .await
        .map_err(|e| {
            on_constraint(e, "job_families_name_unique", || {
                AppError::field(
                    "/name",
                    format!("Another job family is already called {name}."),
                )
            })
        })?;
    let action = if id.is_some() {
        "job_family.edit"
    } else {
        "job_family.create"
    };
    finish(
        state,
        tx,
        user,
        action,
        ("job_family", saved),
        json!({ "before": before, "after": { "name": name, "description": f.description.trim() } }),
    )
    .await
}

fn check_level(f: &LevelForm) -> (Vec<FieldError>, i16) {
    let mut errors = Vec::new();
    if f.code.trim().is_empty() {
        errors.push(FieldError::new("/code", "A level needs a code."));
    }
    if f.name.trim().is_empty() {
        errors.push(FieldError::new("/name", "A level needs a name."));
    }
    if !["individual_contributor", "manager"].contains(&f.track.as_str()) {
        errors.push(FieldError::new(
            "/track",
            "The track is individual contributor or manager.",
        ));
    }
    let rank = f
        .rank
        .trim()
        .parse::<i16>()
        .ok()
        .filter(|r| (1..=20).contains(r));
    if rank.is_none() {
        errors.push(FieldError::new(
            "/rank",
            "The rank is a whole number from 1 to 20.",
        ));
    }
    (errors, rank.unwrap_or(0))
}

/// Create (`id` None) or edit a job level. Audited; refused if it breaks a career path.
pub async fn save_level(
    state: &AppState,
    user: &CurrentUser,
    id: Option<Uuid>,
    f: &LevelForm,
) -> Result<Uuid> {
    let mut tx = state.db.begin().await?;
    let before = before(&mut tx, "job_levels", id).await?;
    let (mut errors, rank) = check_level(f);
    let code = f.code.trim();
    if architecture::level_code_taken(&mut tx, code, id).await? {
        errors.push(FieldError::new(
            "/code",
            format!("Another level has the code {code}."),
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let level = Level {
        code: code.to_owned(),
        name: f.name.trim().to_owned(),
        track: f.track.clone(),
        rank,
    };
    let saved = architecture::save_level(&mut tx, id, &level)
        .await
        .map_err(|e| {
            on_constraint(e, "job_levels_code_unique", || {
                AppError::field("/code", format!("Another level has the code {code}."))
            })
        })?;
    paths_still_hold(&mut tx, saved, "/rank").await?;
    let action = if id.is_some() {
        "job_level.edit"
    } else {
        "job_level.create"
    };
    finish(state, tx, user, action, ("job_level", saved),
        json!({ "before": before, "after": { "code": code, "name": f.name.trim(), "track": f.track, "rank": rank } })).await
}

/// Load a family for its edit form.
pub async fn load_family(db: &sqlx::PgPool, id: Uuid) -> Result<FamilyInput> {
    let (name, description) = architecture::family(db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(FamilyInput { name, description })
}

/// Load a level for its edit form.
pub async fn load_level(db: &sqlx::PgPool, id: Uuid) -> Result<LevelForm> {
    let level = architecture::level(db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(LevelForm {
        code: level.code,
        name: level.name,
        track: level.track,
        rank: level.rank.to_string(),
    })
}

/// `finish` for the profile form.
pub(super) async fn finish_profile(
    state: &AppState,
    tx: sqlx::Transaction<'_, sqlx::Postgres>,
    user: &CurrentUser,
    action: &str,
    id: Uuid,
    details: serde_json::Value,
) -> Result<Uuid> {
    finish(state, tx, user, action, ("job_profile", id), details).await
}

/// The existing profile (as JSON), locked.
pub(super) async fn profile_before(
    tx: &mut sqlx::PgConnection,
    id: Option<Uuid>,
) -> Result<Option<serde_json::Value>> {
    before(tx, "job_profiles", id).await
}
