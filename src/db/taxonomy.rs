//! The skill taxonomy's tables as HR edits them: skills, their categories, aliases and
//! related skills. The rules (what may be renamed, aliased or related) are in
//! `service::taxonomy`; these are the queries.

use serde::Serialize;
use sqlx::{PgConnection, PgExecutor, PgPool};
use utoipa::ToSchema;
use uuid::Uuid;

/// One skill as the taxonomy admin shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SkillRow {
    pub id: Uuid,
    pub name: String,
    pub category: Option<String>,
    pub description: String,
    pub esco_uri: Option<String>,
    pub hand_edited: bool,
    pub aliases: Vec<String>,
    pub related: Vec<String>,
    pub people: i64,
}

/// A related skill.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Related {
    pub id: Uuid,
    pub name: String,
    pub strength: f64,
}

/// A live skill as its edit page shows it.
#[derive(Debug, Clone)]
pub struct StoredSkill {
    pub name: String,
    pub description: String,
    pub category: Option<String>,
    pub esco_uri: Option<String>,
}

/// How many live skills match `q` (part of a name or alias; "" for all).
pub async fn search_total(db: &PgPool, q: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select count(*) as "total!" from skills k
           where k.merged_into_id is null
             and ($1::text = '' or lower(k.name) like '%' || lower($1) || '%'
                  or exists (select 1 from skill_aliases a where a.skill_id = k.id
                             and lower(a.alias) like '%' || lower($1) || '%'))"#,
        q
    )
    .fetch_one(db)
    .await
}

/// The live skills matching `q`, the exact name first, then by similarity of the name.
pub async fn search_page(
    db: &PgPool,
    q: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<SkillRow>, sqlx::Error> {
    sqlx::query_as!(
        SkillRow,
        r#"select k.id, k.name, c.name as "category?", k.description, k.esco_uri,
                  k.hand_edited_at is not null as "hand_edited!",
                  coalesce((select array_agg(a.alias order by a.alias) from skill_aliases a where a.skill_id = k.id), '{}') as "aliases!",
                  coalesce((select array_agg(r.name order by r.name) from (select o.name from skill_relations sr
                            join skills o on o.id = sr.related_skill_id where sr.skill_id = k.id
                            order by sr.strength desc, o.name limit 8) r), '{}') as "related!",
                  (select count(*) from person_skills ps where ps.skill_id = k.id) as "people!"
           from skills k left join skill_categories c on c.id = k.category_id
           where k.merged_into_id is null
             and ($1::text = '' or lower(k.name) like '%' || lower($1) || '%'
                  or exists (select 1 from skill_aliases a where a.skill_id = k.id
                             and lower(a.alias) like '%' || lower($1) || '%'))
           order by ($1 <> '' and lower(k.name) = lower($1)) desc, lower(k.name) <-> lower($1), k.name, k.id
           limit $2 offset $3"#,
        q,
        limit,
        offset
    )
    .fetch_all(db)
    .await
}

/// The live skill called `name` (any case): its id and its name as stored.
pub async fn live_named<'e, E: PgExecutor<'e>>(
    db: E,
    name: &str,
) -> Result<Option<(Uuid, String)>, sqlx::Error> {
    let row = sqlx::query!(
        "select id, name from skills where lower(name) = lower($1) and merged_into_id is null",
        name
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (r.id, r.name)))
}

/// Live skill `id` as its edit page shows it.
pub async fn stored(db: &PgPool, id: Uuid) -> Result<Option<StoredSkill>, sqlx::Error> {
    sqlx::query_as!(
        StoredSkill,
        r#"select k.name, k.description, c.name as "category?", k.esco_uri from skills k
           left join skill_categories c on c.id = k.category_id
           where k.id = $1 and k.merged_into_id is null"#,
        id
    )
    .fetch_optional(db)
    .await
}

/// Lock live skill `id` for an edit: its name and description before.
pub async fn lock_live(
    tx: &mut PgConnection,
    id: Uuid,
) -> Result<Option<(String, String)>, sqlx::Error> {
    let row = sqlx::query!(
        "select name, description from skills where id = $1 and merged_into_id is null for update",
        id
    )
    .fetch_optional(tx)
    .await?;
    Ok(row.map(|r| (r.name, r.description)))
}

/// Create the category `name` unless it exists.
pub async fn ensure_category(tx: &mut PgConnection, name: &str) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into skill_categories (name) values ($1) on conflict do nothing",
        name
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// Rename and describe skill `id`, put it in category `category` (none when there is no such
/// category) and mark it hand-edited. A name another skill has (in any case, merged skills
/// included) violates `skills_name_unique`.
pub async fn update(
    tx: &mut PgConnection,
    id: Uuid,
    name: &str,
    description: &str,
    category: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update skills set name = $2, description = $3, hand_edited_at = now(),
                category_id = (select id from skill_categories where name = $4) where id = $1",
        id,
        name,
        description,
        category
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// Mark live skill `id` hand-edited; its name, or None when there is no such live skill.
pub async fn touch(tx: &mut PgConnection, id: Uuid) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "update skills set hand_edited_at = now() where id = $1 and merged_into_id is null returning name",
        id
    )
    .fetch_optional(tx)
    .await
}

/// The aliases of skill `id`, alphabetically.
pub async fn aliases(db: &PgPool, id: Uuid) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "select alias from skill_aliases where skill_id = $1 order by lower(alias)",
        id
    )
    .fetch_all(db)
    .await
}

/// The skills related to skill `id`, strongest first.
pub async fn related(db: &PgPool, id: Uuid) -> Result<Vec<Related>, sqlx::Error> {
    sqlx::query_as!(
        Related,
        r#"select k.id, k.name, r.strength::float8 as "strength!" from skill_relations r
           join skills k on k.id = r.related_skill_id where r.skill_id = $1
           order by r.strength desc, k.name"#,
        id
    )
    .fetch_all(db)
    .await
}

/// The skill that has the alias `alias` (any case): its id and name.
pub async fn alias_owner(
    tx: &mut PgConnection,
    alias: &str,
) -> Result<Option<(Uuid, String)>, sqlx::Error> {
    let row = sqlx::query!(
        "select k.id, k.name from skill_aliases a join skills k on k.id = a.skill_id
         where lower(a.alias) = lower($1)",
        alias
    )
    .fetch_optional(tx)
    .await?;
    Ok(row.map(|r| (r.id, r.name)))
}

/// Give skill `id` the alias `alias`.
pub async fn add_alias(tx: &mut PgConnection, id: Uuid, alias: &str) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into skill_aliases (skill_id, alias) values ($1, $2)",
        id,
        alias
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// Remove the alias `alias` (any case) of skill `id`; whether there was one.
pub async fn remove_alias(
    tx: &mut PgConnection,
    id: Uuid,
    alias: &str,
) -> Result<bool, sqlx::Error> {
    let gone = sqlx::query!(
        "delete from skill_aliases where skill_id = $1 and lower(alias) = lower($2)",
        id,
        alias
    )
    .execute(tx)
    .await?;
    Ok(gone.rows_affected() > 0)
}

/// Relate skills `a` and `b` in both directions with `strength` (rounded to two places); an
/// existing relation takes the new strength.
pub async fn relate(
    tx: &mut PgConnection,
    a: Uuid,
    b: Uuid,
    strength: f64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into skill_relations (skill_id, related_skill_id, strength)
         values ($1, $2, round($3::float8::numeric, 2)), ($2, $1, round($3::float8::numeric, 2))
         on conflict (skill_id, related_skill_id) do update set strength = excluded.strength",
        a,
        b,
        strength
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// Remove the relation between skills `a` and `b` (both directions); whether there was one.
pub async fn unrelate(tx: &mut PgConnection, a: Uuid, b: Uuid) -> Result<bool, sqlx::Error> {
    let gone = sqlx::query!(
        "delete from skill_relations
         where (skill_id = $1 and related_skill_id = $2) or (skill_id = $2 and related_skill_id = $1)",
        a,
        b
    )
    .execute(tx)
    .await?;
    Ok(gone.rows_affected() > 0)
}
