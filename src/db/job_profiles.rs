//! A job profile and its required skills, as the architecture admin creates and edits them.
//! The checks are in `service::architecture::profiles`.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// A job profile as its edit form shows it: names, not ids.
#[derive(Debug, Clone)]
pub struct StoredProfile {
    pub title: String,
    pub family: String,
    pub level: String,
    pub description: String,
}

/// Whether a profile other than `id` is titled `title`, in any case.
pub async fn title_taken(
    tx: &mut PgConnection,
    title: &str,
    id: Option<Uuid>,
) -> Result<bool, sqlx::Error> {
    let taken = sqlx::query_scalar!(
        "select id from job_profiles where lower(title) = lower($1) and id is distinct from $2",
        title,
        id
    )
    .fetch_optional(tx)
    .await?;
    Ok(taken.is_some())
}

/// The family called `name` (any case).
pub async fn family_named(tx: &mut PgConnection, name: &str) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "select id from job_families where lower(name) = lower($1)",
        name
    )
    .fetch_optional(tx)
    .await
}

/// The level with the code `code` (any case).
pub async fn level_coded(tx: &mut PgConnection, code: &str) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "select id from job_levels where lower(code) = lower($1)",
        code
    )
    .fetch_optional(tx)
    .await
}

/// Create profile `id` (a new id when None) or replace its family, level, title and
/// description; its id.
pub async fn save(
    tx: &mut PgConnection,
    id: Option<Uuid>,
    family: Uuid,
    level: Uuid,
    title: &str,
    description: &str,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar!(
        r#"insert into job_profiles (id, family_id, level_id, title, description)
           values (coalesce($1, gen_random_uuid()), $2, $3, $4, $5)
           on conflict (id) do update set family_id = excluded.family_id,
               level_id = excluded.level_id, title = excluded.title,
               description = excluded.description, updated_at = now()
           returning id"#,
        id,
        family,
        level,
        title,
        description
    )
    .fetch_one(tx)
    .await
}

/// Replace the required skills of profile `id` with `skills` (skill, level, importance).
pub async fn replace_skills(
    tx: &mut PgConnection,
    id: Uuid,
    skills: &[(Uuid, i16, &str)],
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "delete from job_profile_skills where job_profile_id = $1",
        id
    )
    .execute(&mut *tx)
    .await?;
    for &(skill, level, importance) in skills {
        sqlx::query!(
            "insert into job_profile_skills (job_profile_id, skill_id, level, importance)
             values ($1, $2, $3, $4)",
            id,
            skill,
            level,
            importance
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Profile `id` with its family's name and its level's code.
pub async fn stored(db: &PgPool, id: Uuid) -> Result<Option<StoredProfile>, sqlx::Error> {
    sqlx::query_as!(
        StoredProfile,
        r#"select j.title, f.name as "family!", l.code as "level!", j.description
           from job_profiles j join job_families f on f.id = j.family_id
           join job_levels l on l.id = j.level_id where j.id = $1"#,
        id
    )
    .fetch_optional(db)
    .await
}

/// The required skills of profile `id` as (skill name, level, importance), highest first.
pub async fn skills(db: &PgPool, id: Uuid) -> Result<Vec<(String, i16, String)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select k.name as "name!", s.level, s.importance from job_profile_skills s
           join skills k on k.id = s.skill_id
           where s.job_profile_id = $1 order by s.level desc, k.name"#,
        id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.name, r.level, r.importance))
        .collect())
}
