//! Skill suggestions for a posting: skills named in its description (names and aliases,
//! whole words, any case) and the chosen job profile's required skills.

use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::error::Result;

/// A suggested skill requirement, with its name.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Suggestion {
    pub skill_id: Uuid,
    pub name: String,
    pub level: i16,
    pub importance: String,
    /// `description` or `job_profile`.
    pub source: String,
}

/// Skills named in `description` (names and aliases, whole words, any case) and the job
/// profile's required skills. Profile skills keep their level and importance.
pub async fn suggest(
    db: &PgPool,
    description: &str,
    job_profile_id: Option<Uuid>,
) -> Result<Vec<Suggestion>> {
    // The search below costs about 3 s of database time per MB of text: past an opening's
    // longest description there is nothing to suggest from.
    let limit = crate::domain::limits::DESCRIPTION;
    if let Some(too_long) = crate::domain::limits::check("description", description, limit) {
        return Err(crate::error::AppError::Validation(vec![too_long]));
    }
    Ok(sqlx::query_as!(
        Suggestion,
        r#"with names as (
               select s.id, s.name, s.name as term from skills s where s.merged_into_id is null
               union all
               select s.id, s.name, a.alias from skill_aliases a join skills s on s.id = a.skill_id
               where s.merged_into_id is null),
           profile as (
               select s.id as skill_id, s.name, j.level, j.importance, 'job_profile' as source
               from job_profile_skills j join skills s on s.id = j.skill_id
               where j.job_profile_id = $2),
           text_hits as (
               select distinct n.id as skill_id, n.name, 3::smallint as level,
                      'important' as importance, 'description' as source
               from names n
               where length(n.term) > 1
                 and strpos(lower($1), lower(n.term)) > 0
                 and $1 ~* ('(^|[^[:alnum:]_])' || regexp_replace(n.term, '([.^$*+?()\[\]{}|\\-])', '\\\1', 'g') || '($|[^[:alnum:]_])')
                 and n.id not in (select skill_id from profile))
           select skill_id as "skill_id!", name as "name!", level as "level!",
                  importance as "importance!", source as "source!"
           from (select * from profile union all select * from text_hits) x
           order by source desc, name
           limit 30"#,
        description,
        job_profile_id
    )
    .fetch_all(db)
    .await?)
}

/// Resolve a typed skill name or alias (any case) to the skill.
pub async fn skill_by_name(db: &PgPool, name: &str) -> Result<Option<Uuid>> {
    Ok(sqlx::query_scalar!(
        r#"select coalesce(s.merged_into_id, s.id) as "id!" from skills s
           left join skill_aliases a on a.skill_id = s.id
           where lower(s.name) = lower($1) or lower(a.alias) = lower($1)
           order by (lower(s.name) = lower($1)) desc limit 1"#,
        name.trim()
    )
    .fetch_optional(db)
    .await?)
}
