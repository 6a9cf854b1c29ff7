//! A person's skill profile: finding skills by name or alias, and the writes the profile
//! page and the API share (set a level, offer mentoring, remove). Every level change is
//! audited with its before and after; a self-change to a manager-validated level needs the
//! person's confirmation, turns it back into a self-assessment and asks the manager to
//! re-validate it.

use serde::Serialize;
use serde_json::json;
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::audit::{self, Actor};
use crate::db::notifications::{notify, NewNotification};
use crate::domain::skill_level::SkillLevel;
use crate::error::{AppError, Result};

/// A skill found by name or alias.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SkillHit {
    pub id: Uuid,
    pub name: String,
    /// The alias that matched, when the match was on an alias ("JS").
    pub alias: Option<String>,
}

/// A skill in a person's profile.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HeldSkill {
    pub skill_id: Uuid,
    pub skill: String,
    pub level: i16,
    /// self_assessed, manager_validated, course_completed or assessed.
    pub evidence: String,
    pub offers_mentoring: bool,
    pub validated_by: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl HeldSkill {
    /// The level's name ("Competent").
    pub fn level_name(&self) -> &'static str {
        level_name(self.level)
    }

    /// The evidence as people read it.
    pub fn evidence_label(&self) -> &'static str {
        match self.evidence.as_str() {
            "manager_validated" => "validated by manager",
            "course_completed" => "course completed",
            "assessed" => "assessed",
            _ => "self-assessed",
        }
    }

    /// True when the manager validated this level.
    pub fn is_validated(&self) -> bool {
        self.evidence == "manager_validated"
    }
}

/// The name of a level 1..=5 ("Novice" .. "Expert").
pub fn level_name(level: i16) -> &'static str {
    SkillLevel::try_from(i64::from(level))
        .map(|l| l.describe().0)
        .unwrap_or("")
}

/// Skills whose name or alias contains `q` (case-insensitive), best first: exact, then
/// prefix, then substring; names before aliases; merged skills hidden.
pub async fn search_skills<'e, E>(exec: E, q: &str, limit: i64) -> Result<Vec<SkillHit>>
where
    E: sqlx::PgExecutor<'e>,
{
    let q = q.trim();
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let rows = sqlx::query_as!(
        SkillHit,
        r#"with hits as (
             select s.id, s.name, null::text as alias, s.name as matched, 0 as source
             from skills s
             where s.merged_into_id is null and s.name ilike '%' || $1 || '%'
             union all
             select s.id, s.name, a.alias, a.alias as matched, 1 as source
             from skill_aliases a join skills s on s.id = a.skill_id
             where s.merged_into_id is null and a.alias ilike '%' || $1 || '%'
           ), ranked as (
             select distinct on (id) id, name, alias,
                    case when lower(matched) = lower($1) then 0
                         when matched ilike $1 || '%' then 1 else 2 end as rank, source
             from hits
             order by id, rank, source
           )
           select id as "id!", name as "name!", alias
           from ranked order by rank, source, length(name), name limit $2"#,
        q.replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_"),
        limit
    )
    .fetch_all(exec)
    .await?;
    Ok(rows)
}

/// What a typed skill name resolves to.
#[derive(Debug, Clone)]
pub enum Resolved {
    /// Exactly one skill has this name or alias.
    Skill(SkillHit),
    /// No exact match: these are close ("did you mean").
    Choices(Vec<SkillHit>),
}

/// Resolve typed text to a skill by exact name or alias (case-insensitive).
pub async fn resolve_skill(db: &sqlx::PgPool, text: &str) -> Result<Resolved> {
    let hits = search_skills(db, text, 10).await?;
    let exact: Vec<&SkillHit> = hits
        .iter()
        .filter(|h| {
            h.name.eq_ignore_ascii_case(text.trim())
                || h.alias
                    .as_deref()
                    .is_some_and(|a| a.eq_ignore_ascii_case(text.trim()))
        })
        .collect();
    match exact.as_slice() {
        [one] => Ok(Resolved::Skill((*one).clone())),
        _ => Ok(Resolved::Choices(hits)),
    }
}

/// The person's skills, by name.
pub async fn skills_of(db: &sqlx::PgPool, person: Uuid) -> Result<Vec<HeldSkill>> {
    let rows = sqlx::query_as!(
        HeldSkill,
        r#"select ps.skill_id, s.name as skill, ps.level, ps.evidence, ps.offers_mentoring,
                  v.display_name as "validated_by?", ps.updated_at
           from person_skills ps join skills s on s.id = ps.skill_id
           left join people v on v.id = ps.validated_by_id
           where ps.person_id = $1
           order by lower(s.name)"#,
        person
    )
    .fetch_all(db)
    .await?;
    Ok(rows)
}

/// A level change asked for by the person themself.
#[derive(Debug, Clone, Copy)]
pub struct LevelChange {
    pub skill_id: Uuid,
    pub level: SkillLevel,
    /// The person confirmed that a manager-validated level will need re-validation.
    pub confirmed: bool,
    /// Offer (or stop offering) mentoring in the skill, in the same transaction.
    pub offers_mentoring: Option<bool>,
}

/// The message when a validated level is changed without confirmation.
pub const NEEDS_CONFIRMATION: &str =
    "this level was validated by your manager: changing it will need your manager's re-validation; confirm to go on";

/// Set (or add) a skill at a self-assessed level. Audited; the manager is asked to
/// re-validate a level they had validated. The caller refreshes the engine.
pub async fn set_level(db: &sqlx::PgPool, person: Uuid, change: LevelChange) -> Result<HeldSkill> {
    let mut tx = db.begin().await?;
    let skill = sqlx::query_scalar!(
        "select name from skills where id = $1 and merged_into_id is null",
        change.skill_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let before = sqlx::query!(
        "select level, evidence from person_skills where person_id = $1 and skill_id = $2 for update",
        person,
        change.skill_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let new_level = i16::from(change.level.get());
    if before.as_ref().is_some_and(|b| b.level == new_level) {
        if let Some(on) = change.offers_mentoring {
            mentoring(&mut tx, person, change.skill_id, on).await?;
        }
        tx.commit().await?;
        return held(db, person, change.skill_id).await;
    }
    if let Some(b) = &before {
        if b.evidence == "manager_validated" && !change.confirmed {
            return Err(AppError::field("confirm", NEEDS_CONFIRMATION));
        }
    }
    sqlx::query!(
        "insert into person_skills (person_id, skill_id, level, evidence)
         values ($1, $2, $3, 'self_assessed')
         on conflict (person_id, skill_id) do update
           set level = excluded.level, evidence = 'self_assessed', validated_by_id = null,
               validated_at = null, updated_at = now()",
        person,
        change.skill_id,
        new_level
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        Actor::Person(person),
        "profile.skill_set",
        "person_skill",
        Some(format!("{person}/{}", change.skill_id)),
        json!({
            "skill": skill,
            "level": new_level,
            "after": { "level": new_level, "evidence": "self_assessed" },
            "before": before.as_ref().map(|b| json!({ "level": b.level, "evidence": b.evidence })),
        }),
    )
    .await?;
    if before
        .as_ref()
        .is_some_and(|b| b.evidence == "manager_validated")
    {
        ask_revalidation(&mut tx, person, &skill, new_level).await?;
    }
    if let Some(on) = change.offers_mentoring {
        mentoring(&mut tx, person, change.skill_id, on).await?;
    }
    tx.commit().await?;
    held(db, person, change.skill_id).await
}

async fn ask_revalidation(
    tx: &mut sqlx::PgConnection,
    person: Uuid,
    skill: &str,
    level: i16,
) -> Result<()> {
    let who = sqlx::query!(
        "select display_name, manager_id from people where id = $1",
        person
    )
    .fetch_one(&mut *tx)
    .await?;
    if let Some(manager) = who.manager_id {
        let title = format!(
            "{} changed {skill} and asks you to re-validate it",
            who.display_name
        );
        let body = format!("New self-assessed level: {level} ({}).", level_name(level));
        notify(
            &mut *tx,
            &NewNotification {
                person_id: manager,
                kind: "revalidation_request",
                title: &title,
                body: &body,
                link: Some("/team"),
                ..NewNotification::default()
            },
        )
        .await?;
    }
    Ok(())
}

/// One skill of the person's profile.
pub async fn held(db: &sqlx::PgPool, person: Uuid, skill: Uuid) -> Result<HeldSkill> {
    skills_of(db, person)
        .await?
        .into_iter()
        .find(|h| h.skill_id == skill)
        .ok_or(AppError::NotFound)
}

/// Offer (or stop offering) mentoring in a skill the person holds.
pub async fn set_mentoring(db: &sqlx::PgPool, person: Uuid, skill: Uuid, on: bool) -> Result<()> {
    let mut tx = db.begin().await?;
    mentoring(&mut tx, person, skill, on).await?;
    tx.commit().await?;
    Ok(())
}

/// The mentoring offer, audited, inside the caller's transaction.
async fn mentoring(tx: &mut sqlx::PgConnection, person: Uuid, skill: Uuid, on: bool) -> Result<()> {
    let done = sqlx::query!(
        "update person_skills set offers_mentoring = $3, updated_at = now()
         where person_id = $1 and skill_id = $2",
        person,
        skill,
        on
    )
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut *tx,
        Actor::Person(person),
        "profile.mentoring_offer",
        "person_skill",
        Some(format!("{person}/{skill}")),
        json!({ "offers_mentoring": on }),
    )
    .await?;
    Ok(())
}

/// Remove a skill from the person's profile (audited with what it was).
pub async fn remove(db: &sqlx::PgPool, person: Uuid, skill: Uuid) -> Result<()> {
    let mut tx = db.begin().await?;
    let removed = sqlx::query!(
        "delete from person_skills where person_id = $1 and skill_id = $2 returning level, evidence",
        person,
        skill
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    audit::record(
        &mut *tx,
        Actor::Person(person),
        "profile.skill_removed",
        "person_skill",
        Some(format!("{person}/{skill}")),
        json!({ "before": { "level": removed.level, "evidence": removed.evidence }, "after": null }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
