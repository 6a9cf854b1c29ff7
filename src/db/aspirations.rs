//! A person's aspirations (what they would like to do next) and the skills suggested to them
//! from their job profile and the profiles one career-path step away.

use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::audit::{self, Actor};
use crate::error::{AppError, Result};

/// A person's aspirations and their talent-search opt-out.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Aspirations {
    pub open_to_relocation: bool,
    pub open_to_roles: bool,
    pub open_to_secondments: bool,
    pub open_to_projects: bool,
    pub open_to_mentoring: bool,
    /// 0 to 40.
    pub weekly_learning_hours: f32,
    /// "Let managers find me in talent search" (`people.discoverable`).
    pub discoverable: bool,
    /// Job profiles the person aims for, in order.
    pub target_profiles: Vec<Uuid>,
    /// Skills the person would like to grow.
    pub interest_skills: Vec<Uuid>,
    /// Job families the person is curious about.
    pub interest_families: Vec<Uuid>,
}

/// Load the person's aspirations (the defaults when none were saved).
pub async fn load(db: &sqlx::PgPool, person: Uuid) -> Result<Aspirations> {
    let row = sqlx::query!(
        r#"select a.open_to_relocation as "rel?", a.open_to_roles as "roles?",
                  a.open_to_secondments as "sec?", a.open_to_projects as "proj?",
                  a.open_to_mentoring as "ment?", a.weekly_learning_hours::float4 as "hours?",
                  p.discoverable
           from people p left join aspirations a on a.person_id = p.id where p.id = $1"#,
        person
    )
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)?;
    let targets = sqlx::query_scalar!(
        "select job_profile_id from aspiration_targets where person_id = $1 order by position",
        person
    )
    .fetch_all(db)
    .await?;
    let interests = sqlx::query!(
        "select skill_id, job_family_id from aspiration_interests where person_id = $1 order by created_at",
        person
    )
    .fetch_all(db)
    .await?;
    Ok(Aspirations {
        open_to_relocation: row.rel.unwrap_or(false),
        open_to_roles: row.roles.unwrap_or(true),
        open_to_secondments: row.sec.unwrap_or(false),
        open_to_projects: row.proj.unwrap_or(true),
        open_to_mentoring: row.ment.unwrap_or(true),
        weekly_learning_hours: row.hours.unwrap_or(2.0),
        discoverable: row.discoverable,
        target_profiles: targets,
        interest_skills: interests.iter().filter_map(|i| i.skill_id).collect(),
        interest_families: interests.iter().filter_map(|i| i.job_family_id).collect(),
    })
}

/// Check the numbers and references of `a`; the errors name the field.
pub async fn validate(db: &sqlx::PgPool, a: &Aspirations) -> Result<()> {
    let mut errors = Vec::new();
    if !(0.0..=40.0).contains(&a.weekly_learning_hours) {
        errors.push(crate::error::FieldError::new(
            "weekly_learning_hours",
            "must be a number of hours from 0 to 40",
        ));
    }
    let known = sqlx::query!(
        r#"select (select count(*) from job_profiles where id = any($1)) as "profiles!",
                  (select count(*) from skills where id = any($2) and merged_into_id is null) as "skills!",
                  (select count(*) from job_families where id = any($3)) as "families!""#,
        &a.target_profiles,
        &a.interest_skills,
        &a.interest_families
    )
    .fetch_one(db)
    .await?;
    let distinct = |v: &[Uuid]| v.iter().collect::<std::collections::HashSet<_>>().len() as i64;
    if known.profiles != distinct(&a.target_profiles) {
        errors.push(crate::error::FieldError::new(
            "target_profiles",
            "unknown job profile",
        ));
    }
    if known.skills != distinct(&a.interest_skills) {
        errors.push(crate::error::FieldError::new(
            "interest_skills",
            "unknown skill",
        ));
    }
    if known.families != distinct(&a.interest_families) {
        errors.push(crate::error::FieldError::new(
            "interest_families",
            "unknown job family",
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

/// Save the person's aspirations in one transaction, audited.
pub async fn save(db: &sqlx::PgPool, person: Uuid, a: &Aspirations) -> Result<()> {
    validate(db, a).await?;
    let mut tx = db.begin().await?;
    sqlx::query!(
        "insert into aspirations (person_id, open_to_relocation, open_to_roles, open_to_secondments,
                                  open_to_projects, open_to_mentoring, weekly_learning_hours)
         values ($1, $2, $3, $4, $5, $6, $7::float4::numeric)
         on conflict (person_id) do update set
           open_to_relocation = excluded.open_to_relocation, open_to_roles = excluded.open_to_roles,
           open_to_secondments = excluded.open_to_secondments,
           open_to_projects = excluded.open_to_projects,
           open_to_mentoring = excluded.open_to_mentoring,
           weekly_learning_hours = excluded.weekly_learning_hours, updated_at = now()",
        person,
        a.open_to_relocation,
        a.open_to_roles,
        a.open_to_secondments,
        a.open_to_projects,
        a.open_to_mentoring,
        a.weekly_learning_hours
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update people set discoverable = $2, updated_at = now() where id = $1",
        person,
        a.discoverable
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "delete from aspiration_targets where person_id = $1",
        person
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into aspiration_targets (person_id, job_profile_id, position)
         select $1, t.id, (min(t.n))::smallint from unnest($2::uuid[]) with ordinality as t(id, n)
         group by t.id",
        person,
        &a.target_profiles
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "delete from aspiration_interests where person_id = $1",
        person
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into aspiration_interests (person_id, skill_id)
         select distinct $1::uuid, s from unnest($2::uuid[]) s",
        person,
        &a.interest_skills
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into aspiration_interests (person_id, job_family_id)
         select distinct $1::uuid, f from unnest($2::uuid[]) f",
        person,
        &a.interest_families
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        Actor::Person(person),
        "profile.aspirations_saved",
        "person",
        Some(person.to_string()),
        json!({ "after": a }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A skill suggested to a person: asked by their job profile or one a step away, and held
/// below the level asked (or not at all).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SuggestedSkill {
    pub skill_id: Uuid,
    pub skill: String,
    pub level_asked: i16,
    pub level_held: Option<i16>,
    /// The job profile asking for it.
    pub for_profile: String,
}

/// Skills required by the person's job profile and by the profiles one career-path step away
/// that the person lacks or holds below the level; the current profile's first.
pub async fn suggested_skills(db: &sqlx::PgPool, person: Uuid) -> Result<Vec<SuggestedSkill>> {
    let rows = sqlx::query_as!(
        SuggestedSkill,
        r#"with targets as (
             select p.job_profile_id as id, 0 as step from people p
             where p.id = $1 and p.job_profile_id is not null
             union
             select cp.to_profile_id, 1 from people p
             join career_paths cp on cp.from_profile_id = p.job_profile_id where p.id = $1
           ), asked as (
             select distinct on (jps.skill_id) jps.skill_id, jps.level, jp.title, t.step
             from targets t join job_profile_skills jps on jps.job_profile_id = t.id
             join job_profiles jp on jp.id = t.id
             order by jps.skill_id, t.step, jps.level desc
           )
           select a.skill_id, s.name as skill, a.level as level_asked,
                  ps.level as "level_held?", a.title as for_profile
           from asked a join skills s on s.id = a.skill_id and s.merged_into_id is null
           left join person_skills ps on ps.person_id = $1 and ps.skill_id = a.skill_id
           where ps.level is null or ps.level < a.level
           order by a.step, (a.level - coalesce(ps.level, 0)) desc, s.name
           limit 12"#,
        person
    )
    .fetch_all(db)
    .await?;
    Ok(rows)
}

/// A job profile or family to choose from.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Choice {
    pub id: Uuid,
    pub name: String,
}

/// Every current job profile, by title (for the target-profile choices).
pub async fn profile_choices(db: &sqlx::PgPool) -> Result<Vec<Choice>> {
    Ok(sqlx::query_as!(
        Choice,
        "select id, title as name from job_profiles where retired_at is null order by title"
    )
    .fetch_all(db)
    .await?)
}

/// Every job family, by name.
pub async fn family_choices(db: &sqlx::PgPool) -> Result<Vec<Choice>> {
    Ok(
        sqlx::query_as!(Choice, "select id, name from job_families order by name")
            .fetch_all(db)
            .await?,
    )
}
