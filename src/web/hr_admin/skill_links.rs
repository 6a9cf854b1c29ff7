//! A skill's aliases (add, remove) and related skills (add with a strength 0.1-1.0, remove;
//! stored in both directions) on `/hr/skills/{id}`. Each change marks the skill hand-edited
//! (an ESCO re-import leaves it alone), is audited, and reloads the engine.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::skills::show_edit;
use crate::app::state::AppState;
use crate::db::audit::{self, Actor};
use crate::error::{AppError, Result};
use crate::http::extract::{Form, Path};
use crate::http::session::CurrentUser;

/// A related skill.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Related {
    pub id: Uuid,
    pub name: String,
    pub strength: f64,
}

/// A skill's aliases and related skills.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct SkillLinks {
    pub aliases: Vec<String>,
    pub related: Vec<Related>,
}

/// What was typed in the two add forms, with their messages.
#[derive(Debug, Clone, Default)]
pub struct LinkDraft {
    pub alias: String,
    pub alias_error: Option<String>,
    pub related: String,
    pub strength: String,
    pub related_error: Option<String>,
}

/// The aliases and related skills of skill `id`.
pub async fn load(db: &sqlx::PgPool, id: Uuid) -> Result<SkillLinks> {
    let aliases = sqlx::query_scalar(
        "select alias from skill_aliases where skill_id = $1 order by lower(alias)",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
    let related = sqlx::query_as::<_, Related>(
        "select k.id, k.name, r.strength::float8 as strength from skill_relations r
         join skills k on k.id = r.related_skill_id where r.skill_id = $1 order by r.strength desc, k.name",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
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
    let name: Option<String> = sqlx::query_scalar(
        "update skills set hand_edited_at = now() where id = $1 and merged_into_id is null returning name",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let name = name.ok_or(AppError::NotFound)?;
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
    let owner: Option<(Uuid, String)> = sqlx::query_as(
        "select k.id, k.name from skill_aliases a join skills k on k.id = a.skill_id where lower(a.alias) = lower($1)",
    )
    .bind(alias)
    .fetch_optional(&mut *tx)
    .await?;
    match owner {
        Some((owner, _)) if owner == id => return Ok(()),
        Some((_, name)) => {
            return Err(AppError::field(
                "/alias",
                format!("{alias} is already an alias of {name}."),
            ))
        }
        None => {}
    }
    let named: Option<String> = sqlx::query_scalar(
        "select name from skills where lower(name) = lower($1) and merged_into_id is null",
    )
    .bind(alias)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(name) = named {
        return Err(AppError::field(
            "/alias",
            format!("{name} is already the name of a skill."),
        ));
    }
    sqlx::query("insert into skill_aliases (skill_id, alias) values ($1, $2)")
        .bind(id)
        .bind(alias)
        .execute(&mut *tx)
        .await?;
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
    let gone =
        sqlx::query("delete from skill_aliases where skill_id = $1 and lower(alias) = lower($2)")
            .bind(id)
            .bind(alias.trim())
            .execute(&mut *tx)
            .await?;
    if gone.rows_affected() == 0 {
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
    let other = super::skills::skill_named(&state.db, name)
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
    sqlx::query(
        "insert into skill_relations (skill_id, related_skill_id, strength)
         values ($1, $2, round($3::numeric, 2)), ($2, $1, round($3::numeric, 2))
         on conflict (skill_id, related_skill_id) do update set strength = excluded.strength",
    )
    .bind(id)
    .bind(other)
    .bind(strength)
    .execute(&mut *tx)
    .await?;
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
    let gone = sqlx::query(
        "delete from skill_relations where (skill_id = $1 and related_skill_id = $2) or (skill_id = $2 and related_skill_id = $1)",
    )
    .bind(id)
    .bind(related)
    .execute(&mut *tx)
    .await?;
    if gone.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    state.engine.reload(&state.db).await?;
    Ok(())
}

/// After a form: back to the edit page, or the page again with the message and the input.
async fn answer(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    result: Result<()>,
    draft: LinkDraft,
) -> Result<Response> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/hr/skills/{id}")).into_response()),
        Err(AppError::Validation(errors)) => {
            let message = errors.first().map(|e| e.message.clone());
            let related = errors.iter().any(|e| e.field != "/alias");
            let draft = if related {
                LinkDraft {
                    related_error: message,
                    ..draft
                }
            } else {
                LinkDraft {
                    alias_error: message,
                    ..draft
                }
            };
            let mut response = show_edit(state, user, id, None, draft)
                .await?
                .into_response();
            *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(e) => Err(e),
    }
}

/// POST /hr/skills/{id}/aliases
pub async fn post_alias(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<AliasForm>,
) -> Result<Response> {
    let result = add_alias(&state, &user, id, &f.alias).await;
    answer(
        &state,
        &user,
        id,
        result,
        LinkDraft {
            alias: f.alias,
            ..LinkDraft::default()
        },
    )
    .await
}

/// POST /hr/skills/{id}/aliases/remove
pub async fn post_remove_alias(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<AliasForm>,
) -> Result<Response> {
    let result = remove_alias(&state, &user, id, &f.alias).await;
    answer(&state, &user, id, result, LinkDraft::default()).await
}

/// POST /hr/skills/{id}/related
pub async fn post_related(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<RelatedForm>,
) -> Result<Response> {
    let result = add_related(&state, &user, id, &f).await;
    let strength = match &f.strength {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    answer(
        &state,
        &user,
        id,
        result,
        LinkDraft {
            related: f.skill,
            strength,
            ..LinkDraft::default()
        },
    )
    .await
}

/// POST /hr/skills/{id}/related/remove
pub async fn post_remove_related(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<UnrelateForm>,
) -> Result<Response> {
    let result = remove_related(&state, &user, id, f.related_id).await;
    answer(&state, &user, id, result, LinkDraft::default()).await
}
