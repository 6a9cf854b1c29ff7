//! A skill's aliases (add, remove) and related skills (add with a strength 0.1-1.0, remove;
//! stored in both directions). Each change marks the skill hand-edited (an ESCO re-import
//! leaves it alone), is audited, and reloads the engine.

use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::skills::skill_named;
use crate::app::state::AppState;
use crate::db::audit::{self, Actor};
use crate::db::taxonomy;
use crate::domain::user::CurrentUser;
use crate::error::{AppError, Result};

pub use crate::db::taxonomy::Related;

/// A skill's aliases and related skills.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct SkillLinks {
    pub aliases: Vec<String>,
    pub related: Vec<Related>,
}

/// The aliases and related skills of skill `id`.
pub async fn load(db: &sqlx::PgPool, id: Uuid) -> Result<SkillLinks> {
    let aliases = taxonomy::aliases(db, id).await?;
    let related = taxonomy::related(db, id).await?;
    Ok(SkillLinks { aliases, related })
}

/// An alias to add or remove.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AliasForm {
    pub alias: String,
}

/// A related skill to add: its name and the strength (0.1-1.0).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RelatedForm {
    pub skill: String,
    /// 0.1 to 1.0 (text in the form, a number in the API).
    pub strength: serde_json::Value,
}

/// A related skill to remove.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct UnrelateForm {
    pub related_id: Uuid,
}

async fn touch(
    tx: &mut sqlx::PgConnection,
    user: &CurrentUser,
    id: Uuid,
    action: &str,
    details: serde_json::Value,
) -> Result<()> {
    let name = taxonomy::touch(&mut *tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut details = details;
    details["skill"] = json!(name);
    audit::record(
        &mut *tx,
        Actor::Person(user.id),
        action,
        "skill",
        Some(id.to_string()),
        details,
    )
    .await?;
    Ok(())
}

/// Add an alias (refused when empty, when another skill has it, or when it is a skill's name).
pub async fn add_alias(state: &AppState, user: &CurrentUser, id: Uuid, alias: &str) -> Result<()> {
    let alias = alias.trim();
    if alias.is_empty() {
        return Err(AppError::field("/alias", "An alias cannot be empty."));
    }
    let mut tx = state.db.begin().await?;
    touch(
        &mut tx,
        user,
        id,
        "skill.alias_add",
        json!({ "alias": alias }),
    )
    .await?;
    match taxonomy::alias_owner(&mut tx, alias).await? {
        Some((owner, _)) if owner == id => return Ok(()),
        Some((_, name)) => {
            return Err(AppError::field(
                "/alias",
                format!("{alias} is already an alias of {name}."),
            ))
        }
        None => {}
    }
    if let Some((_, name)) = taxonomy::live_named(&mut *tx, alias).await? {
        return Err(AppError::field(
            "/alias",
            format!("{name} is already the name of a skill."),
        ));
    }
    taxonomy::add_alias(&mut tx, id, alias).await?;
    tx.commit().await?;
    state.engine.reload(&state.db).await?;
    Ok(())
}

/// Remove an alias of skill `id` (NotFound when it has no such alias).
pub async fn remove_alias(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    alias: &str,
) -> Result<()> {
    let mut tx = state.db.begin().await?;
    touch(
        &mut tx,
        user,
        id,
        "skill.alias_remove",
        json!({ "alias": alias.trim() }),
    )
    .await?;
    if !taxonomy::remove_alias(&mut tx, id, alias.trim()).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    state.engine.reload(&state.db).await?;
    Ok(())
}

fn strength_of(value: &serde_json::Value) -> Option<f64> {
    let s = match value {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => s.trim().replace(',', ".").parse().ok(),
        _ => None,
    };
    s.filter(|s| (0.1..=1.0).contains(s))
}

/// Relate skill `id` to the skill named in `form` with its strength (both directions; an
/// existing relation takes the new strength).
pub async fn add_related(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    form: &RelatedForm,
) -> Result<()> {
    let strength = strength_of(&form.strength)
        .ok_or_else(|| AppError::field("/strength", "The strength is between 0.1 and 1.0."))?;
    let name = form.skill.trim();
    let other = skill_named(&state.db, name)
        .await?
        .ok_or_else(|| AppError::field("/skill", format!("There is no skill called {name}.")))?;
    if other == id {
        return Err(AppError::field(
            "/skill",
            "A skill cannot be related to itself.",
        ));
    }
    let mut tx = state.db.begin().await?;
    touch(
        &mut tx,
        user,
        id,
        "skill.related_add",
        json!({ "related": name, "strength": strength }),
    )
    .await?;
    taxonomy::relate(&mut tx, id, other, strength).await?;
    tx.commit().await?;
    state.engine.reload(&state.db).await?;
    Ok(())
}

/// Remove the relation between skill `id` and `related` (both directions).
pub async fn remove_related(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    related: Uuid,
) -> Result<()> {
    let mut tx = state.db.begin().await?;
    touch(
        &mut tx,
        user,
        id,
        "skill.related_remove",
        json!({ "related_id": related }),
    )
    .await?;
    if !taxonomy::unrelate(&mut tx, id, related).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    state.engine.reload(&state.db).await?;
    Ok(())
}
