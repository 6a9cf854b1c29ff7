//! The job architecture's tables: job families, levels and career paths, and the job
//! profiles as the architecture view lists them. Editing a profile and its required skills is
//! in `db::job_profiles`; the rules are in `service::architecture`.

use serde::Serialize;
use sqlx::{PgConnection, PgPool};
use utoipa::ToSchema;
use uuid::Uuid;

/// A job profile in the architecture view.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProfileRow {
    pub id: Uuid,
    pub title: String,
    pub family: String,
    pub level: String,
    pub rank: i16,
    /// "skill (level, importance)" for each required skill.
    pub skills: Vec<String>,
}

/// A career path.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PathRow {
    pub family: String,
    pub from_title: String,
    pub to_title: String,
    pub kind: String,
    pub typical_months: i16,
}

/// A career path with where both ends sit, to re-check its rule after an edit.
#[derive(Debug, Clone)]
pub struct PathEnds {
    pub kind: String,
    pub from_profile: Uuid,
    pub from_family: Uuid,
    pub from_rank: i16,
    pub from_title: String,
    pub to_profile: Uuid,
    pub to_family: Uuid,
    pub to_rank: i16,
    pub to_title: String,
}

/// A job level as stored.
#[derive(Debug, Clone)]
pub struct Level {
    pub code: String,
    pub name: String,
    pub track: String,
    pub rank: i16,
}

/// The family names, alphabetically.
pub async fn family_names(db: &PgPool) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!("select name from job_families order by name")
        .fetch_all(db)
        .await
}

/// The level codes, by rank.
pub async fn level_codes(db: &PgPool) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!("select code from job_levels order by rank, code")
        .fetch_all(db)
        .await
}

/// The (id, name) of each family, alphabetically.
pub async fn family_ids(db: &PgPool) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    let rows = sqlx::query!("select id, name from job_families order by name")
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.name)).collect())
}

/// The (id, code) of each level, by rank.
pub async fn level_ids(db: &PgPool) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    let rows = sqlx::query!("select id, code from job_levels order by rank, code")
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.code)).collect())
}

/// The live job profiles not imported from ESCO, by family, rank and title (at most 500).
pub async fn profiles(db: &PgPool) -> Result<Vec<ProfileRow>, sqlx::Error> {
    sqlx::query_as!(
        ProfileRow,
        r#"select j.id, j.title, f.name as "family!", l.code as "level!", l.rank as "rank!",
                  coalesce((select array_agg(k.name || ' (' || s.level || ', ' || s.importance || ')' order by s.level desc, k.name)
                            from job_profile_skills s join skills k on k.id = s.skill_id
                            where s.job_profile_id = j.id), '{}') as "skills!"
           from job_profiles j join job_families f on f.id = j.family_id join job_levels l on l.id = j.level_id
           where j.retired_at is null and j.esco_uri is null
           order by f.name, l.rank, j.title limit 500"#
    )
    .fetch_all(db)
    .await
}

/// Every career path, by family and titles.
pub async fn paths(db: &PgPool) -> Result<Vec<PathRow>, sqlx::Error> {
    sqlx::query_as!(
        PathRow,
        r#"select f.name as "family!", a.title as "from_title!", b.title as "to_title!", c.kind,
                  c.typical_months
           from career_paths c join job_profiles a on a.id = c.from_profile_id
           join job_profiles b on b.id = c.to_profile_id join job_families f on f.id = a.family_id
           order by f.name, a.title, b.title"#
    )
    .fetch_all(db)
    .await
}

/// The live profile titled `title` (any case): its id, family and level rank.
pub async fn place(
    tx: &mut PgConnection,
    title: &str,
) -> Result<Option<(Uuid, Uuid, i16)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select j.id, j.family_id, l.rank as "rank!" from job_profiles j
           join job_levels l on l.id = j.level_id
           where lower(j.title) = lower($1) and j.retired_at is null"#,
        title
    )
    .fetch_optional(tx)
    .await?;
    Ok(row.map(|r| (r.id, r.family_id, r.rank)))
}

/// Add the career path `from` -> `to`, or change its kind and typical months.
pub async fn save_path(
    tx: &mut PgConnection,
    from: Uuid,
    to: Uuid,
    kind: &str,
    months: i16,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into career_paths (from_profile_id, to_profile_id, kind, typical_months)
         values ($1, $2, $3, $4)
         on conflict (from_profile_id, to_profile_id)
         do update set kind = excluded.kind, typical_months = excluded.typical_months",
        from,
        to,
        kind,
        months
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// The career paths that start or end at `changed` (a profile) or at a profile of level
/// `changed`.
pub async fn paths_touching(
    tx: &mut PgConnection,
    changed: Uuid,
) -> Result<Vec<PathEnds>, sqlx::Error> {
    sqlx::query_as!(
        PathEnds,
        r#"select c.kind, a.id as "from_profile!", a.family_id as "from_family!",
                  la.rank as "from_rank!", a.title as "from_title!",
                  b.id as "to_profile!", b.family_id as "to_family!", lb.rank as "to_rank!",
                  b.title as "to_title!"
           from career_paths c join job_profiles a on a.id = c.from_profile_id
           join job_levels la on la.id = a.level_id
           join job_profiles b on b.id = c.to_profile_id join job_levels lb on lb.id = b.level_id
           where $1 in (a.id, b.id, a.level_id, b.level_id)"#,
        changed
    )
    .fetch_all(tx)
    .await
}

/// Row `id` of `table` (one of job_families, job_levels, job_profiles) as JSON, locked.
pub async fn locked_json(
    tx: &mut PgConnection,
    table: &'static str,
    id: Uuid,
) -> Result<Option<serde_json::Value>, sqlx::Error> {
    // Runtime query: the table name is one of three constants chosen by the caller.
    let sql = format!("select to_jsonb(t) from {table} t where t.id = $1 for update");
    sqlx::query_scalar(&sql).bind(id).fetch_optional(tx).await
}

/// Whether a family other than `id` is called `name`, in any case.
pub async fn family_name_taken(
    tx: &mut PgConnection,
    name: &str,
    id: Option<Uuid>,
) -> Result<bool, sqlx::Error> {
    let taken = sqlx::query_scalar!(
        "select id from job_families where lower(name) = lower($1) and id is distinct from $2",
        name,
        id
    )
    .fetch_optional(tx)
    .await?;
    Ok(taken.is_some())
}

/// Create family `id` (a new id when None) or replace its name and description; its id.
pub async fn save_family(
    tx: &mut PgConnection,
    id: Option<Uuid>,
    name: &str,
    description: &str,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar!(
        r#"insert into job_families (id, name, description)
           values (coalesce($1, gen_random_uuid()), $2, $3)
           on conflict (id) do update set name = excluded.name, description = excluded.description,
               updated_at = now()
           returning id"#,
        id,
        name,
        description
    )
    .fetch_one(tx)
    .await
}

/// Whether a level other than `id` has the code `code`, in any case.
pub async fn level_code_taken(
    tx: &mut PgConnection,
    code: &str,
    id: Option<Uuid>,
) -> Result<bool, sqlx::Error> {
    let taken = sqlx::query_scalar!(
        "select id from job_levels where lower(code) = lower($1) and id is distinct from $2",
        code,
        id
    )
    .fetch_optional(tx)
    .await?;
    Ok(taken.is_some())
}

/// Create level `id` (a new id when None) or replace it; its id.
pub async fn save_level(
    tx: &mut PgConnection,
    id: Option<Uuid>,
    level: &Level,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar!(
        r#"insert into job_levels (id, code, name, track, rank)
           values (coalesce($1, gen_random_uuid()), $2, $3, $4, $5)
           on conflict (id) do update set code = excluded.code, name = excluded.name,
               track = excluded.track, rank = excluded.rank, updated_at = now()
           returning id"#,
        id,
        level.code,
        level.name,
        level.track,
        level.rank
    )
    .fetch_one(tx)
    .await
}

/// Family `id`'s name and description.
pub async fn family(db: &PgPool, id: Uuid) -> Result<Option<(String, String)>, sqlx::Error> {
    let row = sqlx::query!(
        "select name, description from job_families where id = $1",
        id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (r.name, r.description)))
}

/// Level `id` as stored.
pub async fn level(db: &PgPool, id: Uuid) -> Result<Option<Level>, sqlx::Error> {
    sqlx::query_as!(
        Level,
        "select code, name, track, rank from job_levels where id = $1",
        id
    )
    .fetch_optional(db)
    .await
}
