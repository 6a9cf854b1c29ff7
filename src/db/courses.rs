//! The course catalogue's tables as HR edits them: courses and the skills each develops. The
//! checks and the audit are in `service::courses`.

use serde::Serialize;
use sqlx::{PgConnection, PgPool};
use utoipa::ToSchema;
use uuid::Uuid;

/// A course in the catalogue.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CourseRow {
    pub id: Uuid,
    pub title: String,
    pub format: String,
    pub provider: String,
    pub author: Option<String>,
    pub hours: f64,
    /// "skill entry→target" for each skill.
    pub skills: Vec<String>,
    pub retired: bool,
    pub enrolments: i64,
}

/// An active person the author field offers.
#[derive(Debug, Clone)]
pub struct AuthorOption {
    pub email: String,
    pub display_name: String,
}

/// A course as its edit form shows it (the author by email).
#[derive(Debug, Clone)]
pub struct StoredCourse {
    pub title: String,
    pub description: String,
    pub format: String,
    pub provider: String,
    pub author: Option<String>,
    pub hours: f64,
    pub url: Option<String>,
}

/// A course to write (checked by the caller).
#[derive(Debug, Clone)]
pub struct NewCourse<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub format: &'a str,
    pub provider: &'a str,
    pub author_id: Option<Uuid>,
    pub hours: f64,
    pub url: Option<&'a str>,
}

/// Every course, live ones first, by title.
pub async fn list(db: &PgPool) -> Result<Vec<CourseRow>, sqlx::Error> {
    sqlx::query_as!(
        CourseRow,
        r#"select c.id, c.title, c.format, c.provider, p.display_name as "author?",
                  c.hours::float8 as "hours!",
                  coalesce((select array_agg(k.name || ' ' || s.entry_level || '→' || s.target_level order by k.name)
                            from course_skills s join skills k on k.id = s.skill_id
                            where s.course_id = c.id), '{}') as "skills!",
                  c.retired_at is not null as "retired!",
                  (select count(*) from enrolments e where e.course_id = c.id) as "enrolments!"
           from courses c left join people p on p.id = c.author_id
           order by c.retired_at is not null, c.title"#
    )
    .fetch_all(db)
    .await
}

/// Retire course `id` (kept retired when it is already); its title, or None when there is no
/// such course.
pub async fn retire(tx: &mut PgConnection, id: Uuid) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "update courses set retired_at = coalesce(retired_at, now()) where id = $1 returning title",
        id
    )
    .fetch_optional(tx)
    .await
}

/// The active people, by name.
pub async fn authors(db: &PgPool) -> Result<Vec<AuthorOption>, sqlx::Error> {
    sqlx::query_as!(
        AuthorOption,
        "select email, display_name from people where employment_status = 'active'
         order by display_name"
    )
    .fetch_all(db)
    .await
}

/// Course `id` with its skills, as JSON, locked for an edit.
pub async fn locked_json(
    tx: &mut PgConnection,
    id: Uuid,
) -> Result<Option<serde_json::Value>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select to_jsonb(c) || jsonb_build_object('skills', coalesce(
                  (select jsonb_agg(s) from course_skills s where s.course_id = c.id), '[]'))
                  as "course!"
           from courses c where c.id = $1 for update"#,
        id
    )
    .fetch_optional(tx)
    .await
}

/// Whether a course other than `id` is titled `title`, in any case.
pub async fn title_taken(
    tx: &mut PgConnection,
    title: &str,
    id: Option<Uuid>,
) -> Result<bool, sqlx::Error> {
    let taken = sqlx::query_scalar!(
        "select id from courses where lower(title) = lower($1) and id is distinct from $2",
        title,
        id
    )
    .fetch_optional(tx)
    .await?;
    Ok(taken.is_some())
}

/// The active person with the email `email` (any case).
pub async fn active_person(
    tx: &mut PgConnection,
    email: &str,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "select id from people where lower(email) = lower($1) and employment_status = 'active'",
        email
    )
    .fetch_optional(tx)
    .await
}

/// Create course `id` (a new id when None) or replace it; its id.
pub async fn save(
    tx: &mut PgConnection,
    id: Option<Uuid>,
    c: &NewCourse<'_>,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar!(
        r#"insert into courses (id, title, description, format, provider, author_id, hours, url)
           values (coalesce($1, gen_random_uuid()), $2, $3, $4, $5, $6, $7::float8, $8)
           on conflict (id) do update set title = excluded.title,
               description = excluded.description, format = excluded.format,
               provider = excluded.provider, author_id = excluded.author_id,
               hours = excluded.hours, url = excluded.url, updated_at = now()
           returning id"#,
        id,
        c.title,
        c.description,
        c.format,
        c.provider,
        c.author_id,
        c.hours,
        c.url
    )
    .fetch_one(tx)
    .await
}

/// Replace the skills of course `id` with `skills` (skill, entry level, target level).
pub async fn replace_skills(
    tx: &mut PgConnection,
    id: Uuid,
    skills: &[(Uuid, i16, i16)],
) -> Result<(), sqlx::Error> {
    sqlx::query!("delete from course_skills where course_id = $1", id)
        .execute(&mut *tx)
        .await?;
    for &(skill, entry, target) in skills {
        sqlx::query!(
            "insert into course_skills (course_id, skill_id, entry_level, target_level)
             values ($1, $2, $3, $4)",
            id,
            skill,
            entry,
            target
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Course `id` as its edit form shows it.
pub async fn stored(db: &PgPool, id: Uuid) -> Result<Option<StoredCourse>, sqlx::Error> {
    sqlx::query_as!(
        StoredCourse,
        r#"select c.title, c.description, c.format, c.provider, p.email as "author?",
                  c.hours::float8 as "hours!", c.url
           from courses c left join people p on p.id = c.author_id where c.id = $1"#,
        id
    )
    .fetch_optional(db)
    .await
}

/// The skills of course `id` as (skill name, entry level, target level), by name.
pub async fn skills(db: &PgPool, id: Uuid) -> Result<Vec<(String, i16, i16)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select k.name as "name!", s.entry_level, s.target_level from course_skills s
           join skills k on k.id = s.skill_id where s.course_id = $1 order by k.name"#,
        id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.name, r.entry_level, r.target_level))
        .collect())
}
