//! Skills proposed by people who could not find them, and HR's decisions on them.

use serde::Serialize;
use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

/// A proposal as its proposer and HR see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Proposal {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    /// `profile` (the proposer holds the skill) or `posting` (a posting needs it).
    pub source: String,
    /// The level the proposer holds (profile proposals).
    pub level: Option<i16>,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    pub proposed_by: String,
    /// The skill it became, or the existing skill it became an alias of.
    pub skill_id: Option<Uuid>,
    pub skill: Option<String>,
    pub decision_note: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub decided_at: Option<OffsetDateTime>,
}

/// What a proposal adds.
pub struct NewProposal<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub source: &'a str,
    pub level: Option<i16>,
}

/// Store a proposal; None when the person already has one pending under this name.
pub async fn insert(
    tx: &mut PgConnection,
    person: Uuid,
    p: &NewProposal<'_>,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into skill_proposals (name, description, proposed_by_id, source, level)
         values ($1, $2, $3, $4, $5)
         on conflict (proposed_by_id, lower(name)) where status = 'pending' do nothing
         returning id",
        p.name,
        p.description,
        person,
        p.source,
        p.level
    )
    .fetch_optional(tx)
    .await
}

/// One page of proposals, oldest first; only pending ones unless `all`; only `person`'s
/// when given.
pub async fn list<'e, E: PgExecutor<'e>>(
    db: E,
    person: Option<Uuid>,
    pending_only: bool,
    limit: i64,
    offset: i64,
) -> Result<Vec<Proposal>, sqlx::Error> {
    sqlx::query_as!(
        Proposal,
        r#"select sp.id, sp.name as "name!", sp.description, sp.source, sp.level, sp.status,
                  p.display_name as proposed_by, sp.skill_id, s.name as "skill?",
                  sp.decision_note, sp.created_at, sp.decided_at
           from skill_proposals sp
           join people p on p.id = sp.proposed_by_id
           left join skills s on s.id = sp.skill_id
           where ($1::uuid is null or sp.proposed_by_id = $1)
             and (not $2 or sp.status = 'pending')
           order by case when $1::uuid is null then sp.created_at end asc,
                    sp.created_at desc, sp.id
           limit $3 offset $4"#,
        person,
        pending_only,
        limit,
        offset
    )
    .fetch_all(db)
    .await
}

/// How many pending proposals HR has to decide.
pub async fn pending_count<'e, E: PgExecutor<'e>>(db: E) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(r#"select count(*) as "n!" from skill_proposals where status = 'pending'"#)
        .fetch_one(db)
        .await
}

/// A proposal locked for a decision.
pub struct Locked {
    pub name: String,
    pub description: String,
    pub proposed_by_id: Uuid,
    pub level: Option<i16>,
    pub status: String,
}

/// Lock a proposal for its decision.
pub async fn lock(tx: &mut PgConnection, id: Uuid) -> Result<Option<Locked>, sqlx::Error> {
    sqlx::query_as!(
        Locked,
        r#"select name as "name!", description, proposed_by_id, level, status
           from skill_proposals where id = $1 for update"#,
        id
    )
    .fetch_optional(tx)
    .await
}

/// Record the decision.
pub async fn decide(
    tx: &mut PgConnection,
    id: Uuid,
    status: &str,
    skill: Option<Uuid>,
    by: Uuid,
    note: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update skill_proposals set status = $2, skill_id = $3, decided_by_id = $4,
             decided_at = now(), decision_note = $5
         where id = $1",
        id,
        status,
        skill,
        by,
        note
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// Add a skill to the taxonomy (no category; HR can file it later).
pub async fn create_skill(
    tx: &mut PgConnection,
    name: &str,
    description: &str,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into skills (name, description, hand_edited_at) values ($1, $2, now()) returning id",
        name,
        description
    )
    .fetch_one(tx)
    .await
}

/// Give the proposer the skill at the level they said they hold (self-assessed), unless they
/// already hold it.
pub async fn add_to_profile(
    tx: &mut PgConnection,
    person: Uuid,
    skill: Uuid,
    level: i16,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "insert into person_skills (person_id, skill_id, level, evidence)
         values ($1, $2, $3, 'self_assessed') on conflict do nothing",
        person,
        skill,
        level
    )
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The HR admins to tell of a new proposal.
pub async fn hr_admins(tx: &mut PgConnection) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "select id from people where is_hr_admin and employment_status <> 'terminated' order by id limit 50"
    )
    .fetch_all(tx)
    .await
}
