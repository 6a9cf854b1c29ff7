//! Mentorship's rows: finding mentors by skill (people who offer mentoring in it, by level
//! and then availability), requests and the mentor's answer. The rules, the notifications
//! and the audit are `service::mentors`'.

use serde::Serialize;
use sqlx::PgConnection;
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::Result;

/// A person who offers mentoring in a skill.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Mentor {
    pub person_id: Uuid,
    pub display_name: String,
    pub job_title: Option<String>,
    pub skill_id: Uuid,
    pub skill: String,
    pub level: i16,
    /// Accepted mentees now: fewer means more available.
    pub active_mentees: i64,
    /// The viewer already has an open request with this mentor.
    pub requested: bool,
}

/// Mentors for a skill (any skill when `None`), best first: highest level, then fewest
/// active mentees.
pub async fn find(db: &sqlx::PgPool, skill: Option<Uuid>, viewer: Uuid) -> Result<Vec<Mentor>> {
    Ok(sqlx::query_as!(
        Mentor,
        r#"select p.id as person_id, p.display_name, jp.title as "job_title?", s.id as skill_id,
                  s.name as skill, ps.level,
                  (select count(*) from mentorship_requests m
                   where m.mentor_id = p.id and m.status = 'accepted') as "active_mentees!",
                  exists (select 1 from mentorship_requests m where m.mentor_id = p.id
                          and m.mentee_id = $2 and m.status in ('requested', 'accepted')) as "requested!"
           from person_skills ps join people p on p.id = ps.person_id
           join skills s on s.id = ps.skill_id
           left join job_profiles jp on jp.id = p.job_profile_id
           where ($1::uuid is null or ps.skill_id = $1) and ps.offers_mentoring and p.id <> $2
             and p.employment_status = 'active'
           order by ps.level desc, 7, p.display_name
           limit 50"#,
        skill,
        viewer
    )
    .fetch_all(db)
    .await?)
}

/// A mentorship request, seen by either side.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Request {
    pub id: Uuid,
    pub mentor_id: Uuid,
    pub mentor: String,
    pub mentee_id: Uuid,
    pub mentee: String,
    pub skill: Option<String>,
    pub message: String,
    /// requested, accepted, declined or ended.
    pub status: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// Requests to or from `person`, newest first.
pub async fn requests_of(db: &sqlx::PgPool, person: Uuid) -> Result<Vec<Request>> {
    Ok(sqlx::query_as!(
        Request,
        r#"select m.id, m.mentor_id, a.display_name as mentor, m.mentee_id, b.display_name as mentee,
                  s.name as "skill?", m.message, m.status, m.created_at
           from mentorship_requests m join people a on a.id = m.mentor_id
           join people b on b.id = m.mentee_id left join skills s on s.id = m.skill_id
           where m.mentor_id = $1 or m.mentee_id = $1
           order by (m.status = 'requested') desc, m.created_at desc"#,
        person
    )
    .fetch_all(db)
    .await?)
}

/// What a mentee asks for: the skill's name and the mentee's, when `mentor` offers
/// mentoring in `skill`.
pub struct Offer {
    pub skill: String,
    pub mentee: String,
}

/// The offer `mentor` makes in `skill`, with the mentee's name; None when they make none.
pub async fn offer(
    conn: &mut PgConnection,
    mentor: Uuid,
    skill: Uuid,
    mentee: Uuid,
) -> Result<Option<Offer>> {
    let row = sqlx::query!(
        "select s.name, me.display_name from person_skills ps join skills s on s.id = ps.skill_id
         join people me on me.id = $3
         where ps.person_id = $1 and ps.skill_id = $2 and ps.offers_mentoring",
        mentor,
        skill,
        mentee
    )
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| Offer {
        skill: r.name,
        mentee: r.display_name,
    }))
}

/// Serialise requests of one mentee to one mentor until the transaction ends, so two at
/// once cannot both pass the open-request check.
pub async fn lock_pair(conn: &mut PgConnection, mentee: Uuid, mentor: Uuid) -> Result<()> {
    sqlx::query!(
        "select pg_advisory_xact_lock(hashtext($1::uuid::text || $2::uuid::text)::bigint)",
        mentee,
        mentor
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Whether the mentee has a request with the mentor that is requested or accepted.
pub async fn has_open_request(conn: &mut PgConnection, mentee: Uuid, mentor: Uuid) -> Result<bool> {
    Ok(sqlx::query_scalar!(
        r#"select exists (select 1 from mentorship_requests where mentee_id = $1 and mentor_id = $2
                          and status in ('requested', 'accepted')) as "open!""#,
        mentee,
        mentor
    )
    .fetch_one(&mut *conn)
    .await?)
}

/// Store a new request; returns its id.
pub async fn insert_request(
    conn: &mut PgConnection,
    mentor: Uuid,
    mentee: Uuid,
    skill: Uuid,
    message: &str,
) -> Result<Uuid> {
    Ok(sqlx::query_scalar!(
        "insert into mentorship_requests (mentor_id, mentee_id, skill_id, message)
         values ($1, $2, $3, $4) returning id",
        mentor,
        mentee,
        skill,
        message
    )
    .fetch_one(&mut *conn)
    .await?)
}

/// A request addressed to a mentor, locked for their answer.
pub struct Addressed {
    pub mentee_id: Uuid,
    /// requested, accepted, declined or ended.
    pub status: String,
    /// The mentor's display name.
    pub mentor: String,
}

/// Lock the request `request` if it is addressed to `mentor`; None otherwise.
pub async fn lock_addressed(
    conn: &mut PgConnection,
    mentor: Uuid,
    request: Uuid,
) -> Result<Option<Addressed>> {
    let row = sqlx::query!(
        "select m.mentee_id, m.status, p.display_name from mentorship_requests m
         join people p on p.id = m.mentor_id
         where m.id = $1 and m.mentor_id = $2 for update of m",
        request,
        mentor
    )
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| Addressed {
        mentee_id: r.mentee_id,
        status: r.status,
        mentor: r.display_name,
    }))
}

/// Record the mentor's answer (`accepted` or `declined`) and when it came.
pub async fn answer(conn: &mut PgConnection, request: Uuid, status: &str) -> Result<()> {
    sqlx::query!(
        "update mentorship_requests set status = $2, responded_at = now() where id = $1",
        request,
        status
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}
